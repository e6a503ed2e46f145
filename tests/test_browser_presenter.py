"""Issue 17 points 5-8 in a real browser (offline, Debian Chromium): the tour on a 1280x720 projector,
keyboard and clicker, the on-screen presentation switch, and Back/Forward on every page.

Screenshots: test-artifacts/screenshots/presenter-*.png (looked at for every step in both modes)."""
from __future__ import annotations

import re
from urllib.parse import unquote_plus

import pytest
from playwright.sync_api import expect

from cluster_data import lessons as L
from components import compare, greenwich
from tests.browser_harness import (TIMEOUT_MS, app_server, assert_clean, goto, main_text,  # noqa: F401
                                   new_context, pw_browser, shot, wait_idle)

pytestmark = pytest.mark.browser

M = len(L.TOUR_STEPS)
PROJECTOR = (1280, 720)
# Text a slide must never show: local file paths and internal code names (case-fact/source ids, field
# and row-type identifiers). Official statistical codes (UKI51, TLI51) are not internal.
FORBIDDEN = re.compile(r"shared/data|/work/|file:/|\.csv\b|\bC\d{4}\b|\bS[0-9a-f]{10}\b|\bR_[A-Z_]+\b|"
                       r"\b[a-z]+_[a-z_]+\b")

_SLIDE = """() => {
  const slide = document.querySelector('.st-key-tour_slide');
  const out = {bottom: slide ? Math.round(slide.getBoundingClientRect().bottom) : null,
               scrollX: [document.documentElement.scrollWidth, document.documentElement.clientWidth],
               truncated: [], small: [], maps: 0};
  document.querySelectorAll("[data-testid='stMetricValue'], [data-testid='stMetricValue'] *").forEach(e => {
    if (e.scrollWidth > e.clientWidth + 1 || getComputedStyle(e).textOverflow === 'ellipsis' && e.scrollWidth > e.clientWidth)
      out.truncated.push(e.textContent);
  });
  document.querySelectorAll('.js-plotly-plot svg text').forEach(t => {
    const px = parseFloat(getComputedStyle(t).fontSize);
    if (t.textContent.trim() && px < 16) out.small.push(t.textContent + ' ' + px);
  });
  // a map on screen: a deck.gl canvas, or a picture that has loaded and is shown at least 300 px wide
  out.maps = document.querySelectorAll("[data-testid='stDeckGlJsonChart'] canvas").length
    + [...document.querySelectorAll("[data-testid='stImage'] img, [data-testid='stFullScreenFrame'] img")].filter(
        i => i.complete && i.naturalWidth > 0 && i.getBoundingClientRect().width >= 300).length;
  return out;
}"""


_VISIBLE_TEXT = """() => { const m = document.querySelector("[data-testid='stMain']").cloneNode(true);
  m.querySelectorAll('script, style').forEach(e => e.remove()); return m.textContent; }"""


def _step_url(base: str, n: int, present: bool) -> str:
    return base + f"/tour?step={n}" + ("&present=1" if present else "")


def _wait_step(page, n: int) -> None:
    page.wait_for_url(re.compile(rf"[?&]step={n}(&|$)"), timeout=TIMEOUT_MS)
    page.locator("[data-testid='stMain'] h1", has_text=L.TOUR_STEPS[n - 1]["title"]).first.wait_for(timeout=TIMEOUT_MS)
    wait_idle(page)


@pytest.mark.parametrize("present", [False, True], ids=["normal", "present"])
def test_tour_slides_fit_a_projector(pw_browser, app_server, present):
    """Points 5 and 6: every step fits 1280x720 without scrolling, headline numbers are never cut,
    chart text is >= 16 px in present mode, the map step shows the map, no path or code name."""
    ctx, rec = new_context(pw_browser, viewport=PROJECTOR)
    try:
        page = ctx.new_page()
        for n in range(1, M + 1):
            goto(page, _step_url(app_server.base, n, present))
            where = f"/tour step {n} present={present}"
            shot(page, f"presenter-tour-{'present' if present else 'normal'}-step{n}")
            assert_clean(page, rec, where)
            m = page.evaluate(_SLIDE)
            assert m["bottom"] is not None and m["bottom"] <= PROJECTOR[1], f"{where}: slide ends at {m['bottom']} px"
            assert m["scrollX"][0] <= m["scrollX"][1], f"{where}: horizontal scroll {m['scrollX']}"
            assert not m["truncated"], f"{where}: headline numbers cut: {m['truncated']}"
            if present:
                assert not m["small"], f"{where}: chart text under 16 px: {m['small'][:5]}"
            if L.TOUR_STEPS[n - 1]["key"] == "map":
                assert m["maps"] >= 1, f"{where}: the map step draws no map"
            text = page.evaluate(_VISIBLE_TEXT)  # includes the collapsed sources panel
            bad = sorted(set(FORBIDDEN.findall(text)))
            assert not bad, f"{where}: internal names or paths on the slide: {bad}"
    finally:
        ctx.close()


def test_tour_keyboard_clicker_and_back_forward(pw_browser, app_server):
    """Point 7 (keys), point 8 (Back/Forward on the tour)."""
    ctx, rec = new_context(pw_browser, viewport=PROJECTOR)
    try:
        page = ctx.new_page()
        goto(page, _step_url(app_server.base, 1, True))
        for key, target in (("PageDown", 2), ("ArrowRight", 3), ("Space", 4), ("PageUp", 3), ("ArrowLeft", 2)):
            page.keyboard.press(key)
            _wait_step(page, target)
            assert "present=1" in page.url, f"{key} dropped present=1"
        # a mouse click on Next leaves focus on the button: Space must still move exactly one step
        page.get_by_role("button", name="Next step").first.click()
        _wait_step(page, 3)
        page.keyboard.press("Space")
        _wait_step(page, 4)
        page.wait_for_timeout(600)
        assert re.search(r"[?&]step=4(&|$)", page.url), page.url
        # typing in a field never moves the tour: there is none on the tour, keys on step 1 do nothing backwards
        page.go_back()
        _wait_step(page, 3)
        page.go_back()
        _wait_step(page, 2)
        page.go_forward()
        _wait_step(page, 3)
        assert_clean(page, rec, "tour keys")
        shot(page, "presenter-tour-after-keys")
    finally:
        ctx.close()


def test_present_switch_on_screen(pw_browser, app_server):
    """Point 7: presentation mode switched on and off on screen; the URL holds it."""
    ctx, rec = new_context(pw_browser, viewport=PROJECTOR)
    try:
        page = ctx.new_page()
        goto(page, _step_url(app_server.base, 2, False))
        sidebar = page.locator("[data-testid='stSidebar']")
        assert sidebar.first.is_visible()
        page.get_by_role("button", name=re.compile("Presentation mode|Exit presentation")).first.click()
        page.wait_for_url(re.compile(r"present=1"), timeout=TIMEOUT_MS)
        wait_idle(page)
        assert not sidebar.first.is_visible()
        assert re.search(r"[?&]step=2(&|$)", page.url)
        shot(page, "presenter-switch-on")
        page.get_by_role("button", name=re.compile("Presentation mode|Exit presentation")).first.click()
        page.wait_for_function("() => !location.search.includes('present=1')", timeout=TIMEOUT_MS)
        wait_idle(page)
        assert sidebar.first.is_visible()
        # the same switch on any page (sidebar), and Back returns to the previous mode
        page.go_back()
        page.wait_for_url(re.compile(r"present=1"), timeout=TIMEOUT_MS)
        wait_idle(page)
        assert not sidebar.first.is_visible()
        assert_clean(page, rec, "present switch")
    finally:
        ctx.close()


# --------------------------------------------------------------------------- point 8: Back/Forward everywhere
def _param(page, name: str) -> str | None:
    m = re.search(rf"[?&]{name}=([^&]*)", page.url)
    return m.group(1) if m else None


def _type_into(page, label: str, text: str) -> None:
    box = page.get_by_label(label, exact=False).first
    box.fill(text)
    box.press("Enter")


def test_back_forward_keep_screen_and_url_in_step(pw_browser, app_server):
    ctx, rec = new_context(pw_browser, viewport=(1280, 900))
    try:
        page = ctx.new_page()
        # /data: tab (segmented control) and the sources search
        goto(page, app_server.url("/data"))
        page.locator("[data-testid='stMain'] button", has_text="Sources").first.click()
        page.wait_for_url(re.compile(r"tab=sources"), timeout=TIMEOUT_MS)
        wait_idle(page)
        _type_into(page, "Search sources", "tgs00096")
        page.wait_for_url(re.compile(r"q=tgs00096"), timeout=TIMEOUT_MS)
        wait_idle(page)
        page.go_back()
        page.wait_for_function("() => !location.search.includes('q=')", timeout=TIMEOUT_MS)
        wait_idle(page)
        assert page.get_by_label("Search sources", exact=False).first.input_value() == ""
        assert _param(page, "tab") == "sources"
        page.go_back()
        page.wait_for_function("() => !location.search.includes('tab=')", timeout=TIMEOUT_MS)
        wait_idle(page)
        assert "Search sources" not in main_text(page), "Back left the Sources tab on screen"
        page.go_forward()
        page.wait_for_url(re.compile(r"tab=sources"), timeout=TIMEOUT_MS)
        wait_idle(page)
        assert "Search sources" in main_text(page)
        shot(page, "presenter-back-forward-data")

        # /lessons: the case selector
        goto(page, app_server.url("/lessons", "case=valencia"))
        sel = page.locator("[data-testid='stMain'] [data-testid='stSelectbox']").first
        sel.click()
        page.get_by_role("option", name="Milton Park / OBN").click()
        page.wait_for_url(re.compile(r"case=milton_park"), timeout=TIMEOUT_MS)
        wait_idle(page)
        page.go_back()
        page.wait_for_url(re.compile(r"case=valencia"), timeout=TIMEOUT_MS)
        wait_idle(page)
        shown = sel.evaluate("e => e.textContent + ' ' + [...e.querySelectorAll('input')].map(i => i.value).join(' ')")
        assert "Valencia" in shown and "Milton" not in shown, shown
        page.wait_for_timeout(500)
        assert _param(page, "case") == "valencia", "the page undid Back by rewriting the URL"

        # /lessons: the playbook tab, then Back to the case in depth, still Valencia, and Forward again
        page.locator("[data-testid='stMain'] [role='tab']", has_text="Playbook").first.click()
        page.wait_for_url(re.compile(r"view=Playbook"), timeout=TIMEOUT_MS)
        wait_idle(page)
        assert "| Topic |" not in main_text(page) and "Southern Denmark" in main_text(page)
        page.go_back()
        page.wait_for_function("() => !location.search.includes('view=')", timeout=TIMEOUT_MS)
        wait_idle(page)
        expect(page.locator("[data-testid='stMain'] h2").first).to_have_text(re.compile("Valencia"), timeout=TIMEOUT_MS)
        assert _param(page, "case") == "valencia"
        page.go_forward()
        page.wait_for_url(re.compile(r"view=Playbook"), timeout=TIMEOUT_MS)
        expect(page.locator("[data-testid='stMain'] h2").first).to_have_text(re.compile("Playbook"), timeout=TIMEOUT_MS)
        shot(page, "presenter-back-forward-lessons")

        # the view tabs of /compare and /greenwich (a URL-bound widget writes with a replace: it must still
        # make an entry, or Back leaves the page)
        for path, default, picked in (("/compare", compare.VIEWS[0], compare.VIEWS[2]),
                                      ("/greenwich", greenwich.DEFAULT_SECTION, "Baseline")):
            goto(page, app_server.url(path))
            selected = page.locator("[data-testid='stMain'] [role='tab'][aria-selected='true']").first
            expect(selected).to_have_text(default, timeout=TIMEOUT_MS)
            page.locator("[data-testid='stMain'] [role='tab']", has_text=picked).first.click()
            page.wait_for_url(re.compile(r"view="), timeout=TIMEOUT_MS)
            wait_idle(page)
            page.go_back()
            page.wait_for_function(f"() => location.pathname.endsWith('{path}') && !location.search.includes('view=')",
                                   timeout=TIMEOUT_MS)
            wait_idle(page)
            expect(selected).to_have_text(default, timeout=TIMEOUT_MS)
            page.go_forward()
            page.wait_for_url(re.compile(r"view="), timeout=TIMEOUT_MS)
            wait_idle(page)
            expect(selected).to_have_text(picked, timeout=TIMEOUT_MS)
            assert unquote_plus(_param(page, "view")) == picked

        assert_clean(page, rec, "back/forward")
    finally:
        ctx.close()


def test_back_from_another_page_returns_to_the_atlas_view(pw_browser, app_server):
    ctx, rec = new_context(pw_browser, viewport=(1280, 900))
    try:
        page = ctx.new_page()
        # /atlas: the search filter; then to another page and Back returns to the same view
        goto(page, app_server.url("/atlas"))
        _type_into(page, "Search name, city or country", "Odense")
        page.wait_for_url(re.compile(r"q=Odense"), timeout=TIMEOUT_MS)
        wait_idle(page)
        page.locator("[data-testid='stSidebar'] a", has_text="Compare").first.click()
        page.wait_for_url(re.compile(r"/compare"), timeout=TIMEOUT_MS)
        wait_idle(page)
        page.go_back()
        page.wait_for_url(re.compile(r"/atlas\?.*q=Odense"), timeout=TIMEOUT_MS)
        wait_idle(page)
        assert page.get_by_label("Search name, city or country", exact=False).first.input_value() == "Odense"
        page.go_back()
        page.wait_for_function("() => location.pathname.endsWith('/atlas') && !location.search.includes('q=')",
                               timeout=TIMEOUT_MS)
        wait_idle(page)
        assert page.get_by_label("Search name, city or country", exact=False).first.input_value() == ""
        shot(page, "presenter-back-forward-atlas")
        assert_clean(page, rec, "back/forward")
    finally:
        ctx.close()


@pytest.mark.parametrize("label, path", [("Greenwich", "/greenwich"), ("Tour", "/tour"), ("Lessons", "/lessons"),
                                         ("Regions", "/regions"), ("Data", "/data")])
def test_back_from_every_page_returns_to_the_page_before(pw_browser, app_server, label, path):
    """Each page writes its own view into the URL on arrival (its defaults, the tour's step); that write must
    not become a history entry, or Back lands on the same page again (issue 17, point 8)."""
    ctx, rec = new_context(pw_browser, viewport=(1280, 900))
    try:
        page = ctx.new_page()
        goto(page, app_server.url("/atlas", "q=Odense"))
        wait_idle(page)
        page.locator("[data-testid='stSidebar'] a", has_text=label).first.click()
        page.wait_for_url(re.compile(re.escape(path)), timeout=TIMEOUT_MS)
        wait_idle(page)
        page.wait_for_timeout(500)  # the page's own URL write has happened
        page.go_back()
        page.wait_for_url(re.compile(r"/atlas\?.*q=Odense"), timeout=TIMEOUT_MS)
        wait_idle(page)
        assert page.get_by_label("Search name, city or country", exact=False).first.input_value() == "Odense"
        page.go_forward()
        page.wait_for_url(re.compile(re.escape(path)), timeout=TIMEOUT_MS)
        wait_idle(page)
        assert_clean(page, rec, f"back from {path}")
    finally:
        ctx.close()
