"""Issue 14 in the real browser, offline: new organisations, eight-way compare, the overlay import."""
from __future__ import annotations

import re

import pandas as pd
import pytest

from tests.browser_harness import (  # noqa: F401  (fixtures are used by name)
    wait_drawn,
    wait_idle,
    app_server,
    assert_clean,
    main_content,
    main_text,
    new_context,
    pw_browser,
    shot,
    wait_content,
)

pytestmark = pytest.mark.browser

NEW = ["AT_ACVR", "BE_LSEC"]  # clusters_more/europe_wide.csv (BE_LSEC has no sourced seat)
EIGHT = ["DK_ODENSE_ROBOTICS", "ES_AVAESEN", "UK_OBN", "FR_AEROSPACE_VALLEY", "ES_BIOCAT", "ES_AVIA"] + NEW
GAP_ORG, TITLE = "DK_ODENSE_ROBOTICS", "Odense Robotics annual report 2024 (browser test)"
COLD_MS = 120_000  # a first visit to a page on a shared 2-core machine can take longer than TIMEOUT_MS


def _open(page, url: str) -> None:
    """goto, allowing a cold page (first run of its script on this server) more time to finish."""
    page.goto(url, wait_until="domcontentloaded", timeout=COLD_MS)
    page.wait_for_selector("[data-testid='stMain'] h1", state="attached", timeout=COLD_MS)
    _settle(page)


def _settle(page) -> None:
    """Script finished and the page drawn: on a loaded machine software rendering can block for 20 s."""
    wait_idle(page, timeout_ms=COLD_MS)
    wait_drawn(page, timeout_ms=COLD_MS)


def _shot_at(page, text: str, name: str) -> None:
    """A screenshot with ``text`` scrolled into view (the app scrolls inside its own container)."""
    page.get_by_text(text, exact=False).first.scroll_into_view_if_needed(timeout=COLD_MS)
    wait_drawn(page, timeout_ms=COLD_MS)  # what scrolled into view is drawn
    shot(page, name)


def _wait_text(page, text: str) -> None:
    wait_content(page, text, timeout=COLD_MS)


def test_new_organisation_profile_from_url(pw_browser, app_server):
    ctx, rec = new_context(pw_browser, viewport=(1400, 1000))
    try:
        page = ctx.new_page()
        _open(page, app_server.url("/atlas", "org=BE_LSEC"))
        _wait_text(page, "LSEC - Leaders in Security")
        _wait_text(page, "Gaps:")
        _settle(page)
        assert "Not on the map: no sourced location" in main_content(page)
        _shot_at(page, "Gaps:", "evidence-new-org-profile")
        assert_clean(page, rec, "/atlas?org=BE_LSEC")
    finally:
        ctx.close()


def test_compare_eight_with_two_new(pw_browser, app_server):
    ctx, rec = new_context(pw_browser, viewport=(1400, 1000))
    try:
        page = ctx.new_page()
        _open(page, app_server.url("/compare", "ids=" + ",".join(EIGHT) + "&view=Business%20model"))
        _wait_text(page, "Every sourced business-model figure")
        _settle(page)
        text = main_text(page)
        assert "Automotive Cluster Vienna Region" in text and "LSEC" in text
        assert "+23 percentage points" in text
        _shot_at(page, "Every sourced business-model figure", "evidence-compare-eight-business-model")
        assert_clean(page, rec, "/compare with eight")
    finally:
        ctx.close()


def test_overlay_import_marked_imported_and_forgotten_on_reload(pw_browser, app_server, tmp_path):
    f = tmp_path / "gaps_DK_ODENSE_ROBOTICS.csv"
    pd.DataFrame([
        {"id": GAP_ORG, "field": "budget_eur", "value": "1234567", "year": "2024", "source_title": TITLE},
        {"id": "NO_SUCH_ORG", "field": "budget_eur", "value": "5", "source_title": "x"},
        {"id": GAP_ORG, "field": "staff_headcount", "value": "many", "source_title": "x"},
        {"id": GAP_ORG, "field": "members_sme", "value": "5", "source_title": ""},
        {"id": GAP_ORG, "field": "jobs_created", "value": "=HYPERLINK(\"x\")", "source_title": "x"},
    ]).to_csv(f, index=False)
    ctx, rec = new_context(pw_browser, viewport=(1400, 1000))
    try:
        page = ctx.new_page()
        _open(page, app_server.url("/data", "tab=import"))
        _wait_text(page, "Fill in your organisation's gaps")
        page.locator("[data-testid='stMain'] [data-testid='stFileUploaderDropzoneInput']").nth(1).set_input_files(str(f))
        _wait_text(page, "Imported 1 value(s)")
        _wait_text(page, "4 row(s) could not be used")
        _settle(page)
        _shot_at(page, "row(s) could not be used", "evidence-overlay-import")
        assert_clean(page, rec, "/data overlay upload")

        # profile, same session (in-app link)
        page.get_by_role("link", name=re.compile("Open Odense Robotics")).first.click()
        page.wait_for_url(re.compile(r"/atlas\?"), timeout=COLD_MS)
        _wait_text(page, TITLE)
        _settle(page)
        assert "EUR 1,234,567 (2024)" in main_text(page)
        page.get_by_text("Imported", exact=True).first.wait_for(timeout=COLD_MS)
        _shot_at(page, TITLE, "evidence-overlay-profile")

        # compare, same session
        link = page.get_by_role("link", name=re.compile("Compare it with"))
        link.first.wait_for(timeout=COLD_MS)
        link.first.click()
        page.wait_for_url(re.compile(r"/compare\?"), timeout=COLD_MS)
        tab = page.locator("[role='tab']").filter(has_text="Business model")
        tab.first.wait_for(timeout=COLD_MS)
        _settle(page)
        tab.first.click(timeout=COLD_MS)
        _wait_text(page, TITLE)
        _settle(page)
        assert "source you gave" in main_text(page)
        _shot_at(page, "source you gave", "evidence-overlay-compare")
        assert_clean(page, rec, "/compare with overlay")

        # a reload is a new session: the overlay is gone
        page.reload()
        _wait_text(page, "Every sourced business-model figure")
        _settle(page)
        assert TITLE not in main_text(page)
    finally:
        ctx.close()
