"""Browser tests: the real app in Debian Chromium, fully offline.

Every test routes all requests: loopback continues, anything else is aborted and
recorded, and a test fails if a single non-loopback request was attempted.

A page that shows the "This page is coming" placeholder fails the tests that
need its content (all pages have landed; nothing is xfailed).
"""
from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from tests.browser_harness import (  # noqa: F401  (fixtures are used by name)
    wait_drawn,
    ARTIFACTS,
    REPO,
    TIMEOUT_MS,
    app_server,
    assert_clean,
    body_text,
    error_texts,
    fresh_server,
    goto,
    h1_text,
    is_stub,
    main_content,
    main_text,
    wait_content,
    new_context,
    no_horizontal_scroll,
    pw_browser,
    shot,
    wait_app,
    wait_idle,
)

pytestmark = pytest.mark.browser

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "browser"
VALID_CSV = FIXTURES / "import_valid.csv"
INVALID_CSV = FIXTURES / "import_invalid.csv"
IMPORTED_NAMES = ("Zz Test Cluster Alpha", "Zz Test Cluster Beta")


def _pages() -> list[tuple[str, str, str]]:
    """(key, url path, page heading) from the page registry."""
    from components.registry import PAGES

    return [(p.key, p.url_path, p.title) for p in PAGES]


PAGES = _pages()
PAGE_IDS = [k for k, _, _ in PAGES]
PAGE_PATH = {k: p for k, p, _ in PAGES}
# A word each page's own heading must contain (the tour draws its own heading per step).
TITLE_WORD = {"home": "Cluster Atlas", "atlas": "Atlas", "compare": "Compare", "greenwich": "Greenwich",
              "lessons": "Lessons", "data": "Data", "regions": "Regions"}


def _org_names() -> dict[str, str]:
    o = pd.read_csv(REPO / "cluster_data" / "derived" / "organisations.csv", usecols=["id", "name"],
                    keep_default_na=False)
    return dict(zip(o["id"], o["name"]))


def _short(name: str) -> str:
    """The distinctive head of an organisation name (charts may shorten long names)."""
    return re.split(r" - | \(|, ", name)[0].strip()


def _tour_steps_expected() -> int | None:
    try:
        from cluster_data.lessons import TOUR_STEPS  # type: ignore

        return len(TOUR_STEPS)
    except Exception:
        return None


def _assert_not_stub(page, what: str) -> None:
    """Every page has landed: a page that falls back to the placeholder is a regression."""
    assert not is_stub(page), f"{what} page shows the 'coming' placeholder"


def _wait_text(page, text: str, where: str = "[data-testid='stMain']", timeout: int = TIMEOUT_MS) -> None:
    page.locator(where).get_by_text(text, exact=False).first.wait_for(state="visible", timeout=timeout)


def _sidebar_nav(page, key: str, expect_h1: str | None) -> None:
    """In-app navigation by clicking the sidebar link (keeps the Streamlit session)."""
    name = PAGE_PATH[key].strip("/")
    sb = "[data-testid='stSidebar']"
    link = page.locator(f"{sb} a[href='{name}'], {sb} a[href^='{name}?'], "
                        f"{sb} a[href$='/{name}'], {sb} a[href*='/{name}?']").first
    link.click()
    page.wait_for_url(re.compile("/" + re.escape(name) + r"(\?.*)?$"), timeout=TIMEOUT_MS)
    if expect_h1:
        page.locator("[data-testid='stMain'] h1", has_text=expect_h1).first.wait_for(timeout=TIMEOUT_MS)
    wait_idle(page)


# --------------------------------------------------------------------------- 1. every page, offline


@pytest.mark.parametrize("present", [False, True], ids=["normal", "present"])
@pytest.mark.parametrize("key", PAGE_IDS)
def test_page_opens_offline(pw_browser, app_server, key, present):
    path = PAGE_PATH[key]
    title = dict((k, t) for k, _, t in PAGES)[key]
    ctx, rec = new_context(pw_browser, viewport=(1280, 900))
    try:
        page = ctx.new_page()
        goto(page, app_server.url(path, "present=1" if present else ""))
        shot(page, f"page-{key}{'-present' if present else ''}")
        assert_clean(page, rec, f"{path} present={present}")
        h1 = h1_text(page)
        if title:
            assert title in h1, f"{path}: h1 {h1!r} lacks the page title {title!r}"
        if key in TITLE_WORD:
            assert TITLE_WORD[key].lower() in h1.lower(), f"{path}: h1 {h1!r} lacks {TITLE_WORD[key]!r}"
        else:  # tour: draws its own heading per step
            if not is_stub(page):
                assert h1.strip() or "Step 1 of" in main_text(page), f"{path}: tour shows no heading"
        sidebar = page.locator("[data-testid='stSidebar']")
        if present:
            assert sidebar.count() == 0 or not sidebar.first.is_visible(), "present=1 must hide the sidebar"
            # In-app links in presentation mode keep present=1.
            hrefs = page.locator("[data-testid='stMain'] a[href]").evaluate_all(
                "els => els.map(e => e.getAttribute('href'))")
            inapp = [h for h in hrefs if h is not None and not h.startswith("#")
                     and (h.startswith(app_server.base) or not re.match(r"^[a-z]+:", h))]
            assert inapp, "presentation mode shows no in-app navigation"
            assert all("present=1" in h for h in inapp), f"in-app links drop present=1: {inapp}"
    finally:
        ctx.close()


# --------------------------------------------------------------------------- 2. cold-start deep links


def test_cold_start_compare_deep_link(pw_browser, fresh_server):
    ids = ["DK_ODENSE_ROBOTICS", "ES_AVAESEN", "UK_OBN"]
    ctx, rec = new_context(pw_browser, viewport=(1280, 900))
    try:
        page = ctx.new_page()
        goto(page, fresh_server.url("/compare", "ids=" + ",".join(ids)))
        shot(page, "cold-compare")
        assert_clean(page, rec, "cold /compare")
        assert "compare" in h1_text(page).lower()
        _assert_not_stub(page, "compare")
        names = _org_names()
        text = main_text(page)
        for i in ids:
            assert _short(names[i]) in text, f"{names[i]!r} not shown on the deep-linked compare page"
    finally:
        ctx.close()


def test_cold_start_tour_deep_link(pw_browser, fresh_server):
    ctx, rec = new_context(pw_browser, viewport=(1280, 900))
    try:
        page = ctx.new_page()
        goto(page, fresh_server.url("/tour", "step=3"))
        shot(page, "cold-tour-step3")
        assert_clean(page, rec, "cold /tour?step=3")
        _assert_not_stub(page, "tour")
        assert "Step 3 of" in main_text(page)
    finally:
        ctx.close()


# --------------------------------------------------------------------------- 3. atlas


def test_atlas_map_renders(pw_browser, app_server):
    ctx, rec = new_context(pw_browser, viewport=(1600, 1000))
    try:
        page = ctx.new_page()
        goto(page, app_server.url("/atlas"))
        _assert_not_stub(page, "atlas")
        canvas = page.locator("[data-testid='stDeckGlJsonChart'] canvas").first
        canvas.wait_for(state="visible", timeout=TIMEOUT_MS)
        wait_drawn(page, timeout_ms=3 * TIMEOUT_MS)  # the map's canvas drawn, for the screenshot
        box = canvas.bounding_box()
        assert box and box["width"] > 100 and box["height"] > 100, box
        shot(page, "atlas")
        assert_clean(page, rec, "/atlas")
    finally:
        ctx.close()


def test_atlas_profile_from_url(pw_browser, app_server):
    ctx, rec = new_context(pw_browser, viewport=(1600, 1000))
    try:
        page = ctx.new_page()
        goto(page, app_server.url("/atlas", "org=DK_ODENSE_ROBOTICS"))
        shot(page, "atlas-profile", full_page=True)
        assert_clean(page, rec, "/atlas?org=DK_ODENSE_ROBOTICS")
        _assert_not_stub(page, "atlas")
        main = page.locator("[data-testid='stMain']")
        heads = main.locator("h1, h2, h3, h4, [data-testid='stExpander'] summary")
        head_text = " | ".join(heads.all_inner_texts())
        assert "Odense Robotics" in head_text, f"no profile heading for Odense Robotics in {head_text!r}"
        assert main.locator("a[href^='http']").count() >= 1, "profile shows no source link"
    finally:
        ctx.close()


def test_atlas_profile_by_choosing_from_the_list(pw_browser, app_server):
    """Selecting an organisation in the page (not via the URL) opens its sourced profile and puts it in the URL."""
    ctx, rec = new_context(pw_browser, viewport=(1600, 1000))
    try:
        page = ctx.new_page()
        goto(page, app_server.url("/atlas", "country=DK"))
        box = page.locator("[data-testid='stSelectbox']").filter(has_text="Open a profile")
        box.locator("input").click()
        page.keyboard.type("Odense Rob")
        page.get_by_role("option", name="Odense Robotics").first.click()
        page.wait_for_url("**org=DK_ODENSE_ROBOTICS**", timeout=TIMEOUT_MS)
        wait_content(page, "Unknown (no source found)")
        main = page.locator("[data-testid='stMain']")
        assert "Odense Robotics" in " | ".join(main.locator("h2, h3").all_inner_texts())
        assert main.locator("a[href^='http']").count() >= 1, "profile shows no source link"
        assert_clean(page, rec, "/atlas (profile chosen from the list)")
    finally:
        ctx.close()


# --------------------------------------------------------------------------- 4. tour walk


def _walk_tour(page, rec, base_url: str, present: bool, size: tuple[int, int]) -> int:
    tag = f"{size[0]}x{size[1]}{'-present' if present else ''}"
    goto(page, base_url + ("&present=1" if present else ""))
    _assert_not_stub(page, "tour")
    m = re.search(r"Step\s+1\s+of\s+(\d+)", main_text(page))
    assert m, "tour step 1 does not say 'Step 1 of N'"
    n = int(m.group(1))
    expected = _tour_steps_expected()
    if expected is not None:
        assert n == expected, f"tour says {n} steps, TOUR_STEPS has {expected}"
    for step in range(1, n + 1):
        where = f"/tour step {step} ({tag})"
        _wait_text(page, f"Step {step} of {n}")
        wait_idle(page)
        shot(page, f"tour-{tag}-step{step}")
        assert_clean(page, rec, where)
        sw, cw = no_horizontal_scroll(page)
        assert sw <= cw, f"{where}: horizontal scroll ({sw} > {cw})"
        # "Next" may be a page link or a button that rewrites ?step=.
        nxt = page.locator("[data-testid='stMain'] a, [data-testid='stMain'] button").filter(
            has_text=re.compile(r"Next"))
        if step < n:
            assert nxt.count() >= 1, f"{where}: no 'Next' link or button"
            nxt.first.click()
            page.wait_for_url(re.compile(rf"step={step + 1}(&|$)"), timeout=TIMEOUT_MS)
            if present:
                assert "present=1" in page.url, f"{where}: Next link dropped present=1 ({page.url})"
    return n


def test_tour_walk_cold(pw_browser, fresh_server):
    for size, present in (((1280, 720), False), ((1920, 1080), True)):
        ctx, rec = new_context(pw_browser, viewport=size)
        try:
            page = ctx.new_page()
            _walk_tour(page, rec, fresh_server.url("/tour", "step=1"), present, size)
        finally:
            ctx.close()


# --------------------------------------------------------------------------- 5. greenwich brief


def test_greenwich_brief_download_is_offline(pw_browser, app_server):
    ctx, rec = new_context(pw_browser, viewport=(1400, 1000), accept_downloads=True)
    try:
        page = ctx.new_page()
        goto(page, app_server.url("/greenwich"))
        assert_clean(page, rec, "/greenwich")
        _assert_not_stub(page, "greenwich")
        btn = page.locator("[data-testid='stDownloadButton'] button").filter(has_text=re.compile("brief", re.I))
        btn.first.wait_for(state="attached", timeout=TIMEOUT_MS)
        btn.first.scroll_into_view_if_needed()
        with page.expect_download(timeout=TIMEOUT_MS) as dl_info:
            btn.first.click()
        dl = dl_info.value
        out_dir = ARTIFACTS / "downloads"
        out_dir.mkdir(parents=True, exist_ok=True)
        target = out_dir / (dl.suggested_filename or "greenwich_brief.html")
        dl.save_as(str(target))
        assert target.stat().st_size > 0
        assert not rec.external, rec.external
    finally:
        ctx.close()

    file_url = target.resolve().as_uri()
    ctx2, rec2 = new_context(pw_browser, viewport=(1280, 900), only_file=file_url)
    try:
        page = ctx2.new_page()
        page.goto(file_url, wait_until="load", timeout=TIMEOUT_MS)
        page.evaluate("() => document.fonts.ready.then(() => true)")  # laid out with its fonts
        shot(page, "greenwich-brief", full_page=True)
        text = body_text(page)
        assert not rec2.external, f"the saved brief requests other resources: {rec2.external}"
        assert not rec2.dialogs, rec2.dialogs
        assert "Assumption" in text, "brief does not label assumptions"
        assert re.search(r"\bSources?\b", text), "brief lists no sources"
        assert page.locator("a[href^='http']").count() >= 1 or re.search(r"https?://", text), \
            "brief's source list has no links"
    finally:
        ctx2.close()


# --------------------------------------------------------------------------- 6. import round trip


def _upload(page, path: Path) -> None:
    inp = page.locator("[data-testid='stMain'] [data-testid='stFileUploaderDropzoneInput']")
    if inp.count() == 0:  # the import tab may need a click first
        tab = page.locator("[role='tab']").filter(has_text=re.compile("import", re.I))
        if tab.count():
            tab.first.click()
            wait_idle(page)
    inp.first.set_input_files(str(path))


def _imported_visible_on_atlas(page, name: str) -> bool:
    if name in main_content(page):
        return True
    # Tables are canvas-drawn; narrow the view with the atlas search box if there is one.
    search = page.locator("[data-testid='stMain'] [data-testid='stTextInput'] input").first
    if search.count():
        search.fill("Zz Test")
        search.press("Enter")
        wait_idle(page)
        if name in main_content(page):
            return True
    # Glide's accessibility table carries the visible cells.
    cells = page.locator("[data-testid='stMain'] [data-testid='stDataFrame'] td, "
                         "[data-testid='stMain'] [data-testid='stDataFrame'] [role='gridcell']")
    return any(name in t for t in cells.all_inner_texts())


def test_import_round_trip(pw_browser, app_server):
    ctx, rec = new_context(pw_browser, viewport=(1400, 1000))
    try:
        page = ctx.new_page()
        goto(page, app_server.url("/data", "tab=import"))
        assert_clean(page, rec, "/data?tab=import")
        _assert_not_stub(page, "data")

        # 1. valid file
        _upload(page, VALID_CSV)
        wait_content(page, IMPORTED_NAMES[0])
        wait_idle(page)
        shot(page, "import-valid", full_page=True)
        assert_clean(page, rec, "/data after valid upload")

        # 2. atlas (in-app navigation keeps the session)
        _sidebar_nav(page, "atlas", "Atlas")
        assert_clean(page, rec, "/atlas after import")
        _assert_not_stub(page, "atlas")
        assert page.get_by_text("Imported", exact=False).first.is_visible(), "no 'Imported' badge on atlas"
        assert _imported_visible_on_atlas(page, IMPORTED_NAMES[0]), "imported organisation not on the atlas"
        shot(page, "import-atlas")

        # 3. compare: the imported organisation is selectable
        _sidebar_nav(page, "compare", "Compare")
        assert_clean(page, rec, "/compare after import")
        sidebar = page.locator("[data-testid='stSidebar']").inner_text()
        assert "Imported" in sidebar, "sidebar lost the 'Imported' badge on compare"
        _assert_not_stub(page, "compare")
        box = page.locator("[data-testid='stMain'] [data-testid='stMultiSelect'] input").first
        box.click()
        box.type("Zz Test", delay=20)
        opt = page.locator("[role='option']").filter(has_text=IMPORTED_NAMES[0])
        opt.first.wait_for(state="visible", timeout=TIMEOUT_MS)
        page.keyboard.press("Escape")
        wait_idle(page)

        # 4. invalid file: shown as a row/column problem, never as an error element
        _sidebar_nav(page, "data", "Data")
        _upload(page, INVALID_CSV)
        wait_content(page, "Row 2")
        wait_idle(page)
        shot(page, "import-invalid", full_page=True)
        text = main_text(page)
        assert "lat" in text, "problem text does not name the column"
        assert not error_texts(page), (
            f"validation problems must be warnings/tables, not st.error: {error_texts(page)}")
        assert_clean(page, rec, "/data after invalid upload")
        _sidebar_nav(page, "greenwich", "Greenwich")
        assert_clean(page, rec, "/greenwich after invalid upload")

        # 5. clear → gone from the atlas
        _sidebar_nav(page, "data", "Data")
        clear = page.get_by_role("button", name=re.compile("Clear imported organisations", re.I))
        if clear.count() == 0:
            tab = page.locator("[role='tab']").filter(has_text=re.compile("import", re.I))
            if tab.count():
                tab.first.click()
                wait_idle(page)
        clear.first.click()
        wait_idle(page)
        _sidebar_nav(page, "atlas", "Atlas")
        assert_clean(page, rec, "/atlas after clearing")
        assert IMPORTED_NAMES[0] not in body_text(page)
        assert "Imported" not in page.locator("[data-testid='stSidebar']").inner_text()
    finally:
        ctx.close()


# --------------------------------------------------------------------------- 7. hostile query strings

HOSTILE = ("ids=%3Cscript%3Ealert(1)%3C/script%3E&step=99999999999&year=abc&country=%00"
           "&q=%27%22%3E%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E&peers=nope&tab=zzz&present=maybe"
           "&org=NOPE&ids=x&ids=y")


def test_hostile_query_strings(pw_browser, app_server):
    ctx, rec = new_context(pw_browser, viewport=(1280, 900))
    try:
        page = ctx.new_page()
        for key in PAGE_IDS:
            path = PAGE_PATH[key]
            goto(page, app_server.url(path, HOSTILE))
            page.wait_for_timeout(300)  # give any injected handler a chance to fire
            shot(page, f"hostile-{key}")
            assert_clean(page, rec, f"{path}?<hostile>")
            # the app's own scripts are reviewed constants and the only scripts allowed: the tour's keyboard
            # script (components.presenter) and the history script (components.history)
            injected = page.evaluate("""() => [...document.querySelectorAll(
                "[data-testid='stApp'] img[src='x'], [data-testid='stApp'] script")].filter(
                e => !(e.tagName === 'SCRIPT' && (e.textContent.includes('__clusterAtlasTourKeys')
                                                  || e.textContent.includes('__clusterAtlasHistory')))).length""")
            assert injected == 0, f"{path}: user text became markup"
    finally:
        ctx.close()


# --------------------------------------------------------------------------- server log (runs last)


def test_shared_server_log_has_no_tracebacks(app_server):
    """Everything above ran against this server: the frame's guard logs hidden exceptions here."""
    log = app_server.log_text()
    assert "unexpected error on page" not in log and "Traceback" not in log, log[-4000:]
