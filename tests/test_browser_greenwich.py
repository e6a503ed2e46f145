"""Browser tests of /greenwich's first screen and of the brief on paper (issue 17, points 1 and 4).

Offline like the rest of the browser suite: every non-loopback request is aborted and fails the test.
Screenshots, the brief's PDF and its pages as PNGs go to test-artifacts/ (look at them).
"""
from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from tests.browser_harness import (  # noqa: F401  (fixtures are used by name)
    ARTIFACTS,
    TIMEOUT_MS,
    app_server,
    assert_clean,
    goto,
    new_context,
    pw_browser,
    shot,
)

pytestmark = pytest.mark.browser

ANSWER = ".st-key-gw_answer"
# A4 (210 × 297 mm) less the brief's @page margins (13 mm left/right, 14 mm top/bottom), in CSS px (96 per inch).
A4_CONTENT_PX = (round((210 - 26) / 25.4 * 96), round((297 - 28) / 25.4 * 96))


def _answer_box(page) -> dict:
    """The answer block's offsets from the top of the document (not the viewport)."""
    return page.evaluate("""sel => { const e = document.querySelector(sel); if (!e) return null;
        const r = e.getBoundingClientRect();
        return {top: r.top + window.scrollY, bottom: r.bottom + window.scrollY}; }""", ANSWER)


@pytest.mark.parametrize("size", [(1280, 720), (1440, 900)], ids=["1280x720", "1440x900"])
def test_greenwich_answer_is_on_the_first_screen(pw_browser, app_server, size):
    ctx, rec = new_context(pw_browser, viewport=size)
    try:
        page = ctx.new_page()
        goto(page, app_server.url("/greenwich"))
        assert_clean(page, rec, "/greenwich")
        page.locator(ANSWER).wait_for(state="visible", timeout=TIMEOUT_MS)
        box = _answer_box(page)
        shot(page, f"greenwich-first-screen-{size[0]}x{size[1]}")
        print(f"answer block at {size}: top {box['top']:.0f} px, bottom {box['bottom']:.0f} px")
        assert box["top"] < size[1] / 2, f"the answer starts {box['top']:.0f} px down (was 1,850 px before)"
        # the plain answer and the first headline figure are visible without scrolling
        answer = page.locator(ANSWER).get_by_text("The answer.", exact=False)
        assert answer.bounding_box()["y"] < size[1]
        fig = page.locator(f"{ANSWER} [data-testid='stMetric']").first
        fb = fig.bounding_box()
        assert fb["y"] + fb["height"] <= size[1], f"headline figures end at {fb['y'] + fb['height']:.0f} px"
        text = page.locator(ANSWER).inner_text()
        assert "Sourced" in text and "Assumption" in text
        # the ~20 inputs are collapsed below the answer
        inputs = page.locator("[data-testid='stNumberInput']")
        assert inputs.count() == 0 or not inputs.first.is_visible()
        shot(page, f"greenwich-full-page-{size[0]}x{size[1]}", full_page=True)
        if size == (1440, 900):  # the outlook section, opened from its old link
            goto(page, app_server.url("/greenwich", "view=Jobs+outlook&peers=all_clusters"))
            assert_clean(page, rec, "/greenwich?view=Jobs outlook")
            assert "people employed in member firms" in page.locator("[data-testid='stMain']").inner_text()
            page.locator("[data-testid='stPlotlyChart']").first.scroll_into_view_if_needed()
            shot(page, "greenwich-jobs-outlook-1440x900")
    finally:
        ctx.close()


def _download_brief(pw_browser, app_server):
    ctx, rec = new_context(pw_browser, viewport=(1280, 720), accept_downloads=True)
    try:
        page = ctx.new_page()
        goto(page, app_server.url("/greenwich"))
        assert_clean(page, rec, "/greenwich")
        btn = page.locator(f"{ANSWER} [data-testid='stDownloadButton'] button")
        with page.expect_download(timeout=TIMEOUT_MS) as dl_info:
            btn.first.click()
        out = ARTIFACTS / "downloads"
        out.mkdir(parents=True, exist_ok=True)
        target = out / "greenwich_brief_a4.html"
        dl_info.value.save_as(str(target))
        assert not rec.external, rec.external
        return target
    finally:
        ctx.close()


def test_greenwich_brief_prints_to_a4(pw_browser, app_server):
    import datetime as dt

    target = _download_brief(pw_browser, app_server)
    html = target.read_text(encoding="utf-8")
    assert f"Dated {dt.date.today().isoformat()}" in html  # stamped when downloaded
    file_url = target.resolve().as_uri()
    ctx, rec = new_context(pw_browser, viewport=(A4_CONTENT_PX[0], A4_CONTENT_PX[1]), only_file=file_url)
    try:
        page = ctx.new_page()
        page.goto(file_url, wait_until="load", timeout=TIMEOUT_MS)
        page.emulate_media(media="print")
        # page 1 is the summary: it fits one A4 page and is followed by a page break
        h = page.evaluate("() => document.querySelector('section.summary').getBoundingClientRect().height")
        print(f"summary height in print layout: {h:.0f} px of {A4_CONTENT_PX[1]} px")
        assert h <= A4_CONTENT_PX[1], f"the summary is {h:.0f} px tall, more than one A4 page"
        wide = page.evaluate("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
        assert wide[0] <= wide[1] + 1, f"the brief is wider than the A4 page: {wide}"
        pdf = ARTIFACTS / "greenwich-brief.pdf"
        page.pdf(path=str(pdf), format="A4", print_background=True)
        assert pdf.stat().st_size > 0 and not rec.external, rec.external
    finally:
        ctx.close()
    if shutil.which("pdftoppm"):
        pages = ARTIFACTS / "brief-pages"
        pages.mkdir(parents=True, exist_ok=True)
        for old in pages.glob("page-*.png"):
            old.unlink()
        subprocess.run(["pdftoppm", "-png", "-r", "60", str(pdf), str(pages / "page")], check=True, timeout=120)
        assert len(list(pages.glob("page-*.png"))) >= 2
    if shutil.which("pdftotext"):
        first = subprocess.run(["pdftotext", "-f", "1", "-l", "1", str(pdf), "-"], capture_output=True, text=True,
                               timeout=60, check=True).stdout
        assert "The question" in first and "The answer" in first and "Caveats" in first
        assert "Appendix: sources" not in first
        assert not re.search(r"\b[A-Z]{2}_[A-Z0-9_]{2,}\b", first)
