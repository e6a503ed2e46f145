"""Every link made before keeps working, on a freshly started server (issue 15, acceptance): for each page of
the registry, a cold deep link first (the request that reaches a restarted or failed-over replica), then every
value of the page's view parameter (``view`` tabs, ``tab``, ``step``, ``case``) and the older link forms
(comma lists, country names) on the same server. Each opens offline with no error element and shows the view
the link names.
"""
from __future__ import annotations

from urllib.parse import quote_plus

import pytest
from playwright.sync_api import expect

from cluster_data import lessons as L
from components import compare, datapage, greenwich
from components import lessons as lessons_page
from components.registry import PAGES
from tests.browser_harness import (TIMEOUT_MS, StreamlitServer, assert_clean, goto, main_text,  # noqa: F401
                                   new_context, pw_browser, shot)


def _tab(label: str):
    """A tab bar's selected tab reads ``label``."""
    def check(page):
        expect(page.locator("[data-testid='stMain'] [role='tab'][aria-selected='true']").first).to_have_text(
            label, timeout=TIMEOUT_MS)
    return check


def _text(fragment: str):
    def check(page):
        expect(page.locator("[data-testid='stMain']").first).to_contain_text(fragment, timeout=TIMEOUT_MS)
    return check


def _segment(label: str):
    def check(page):
        expect(page.locator("[data-testid='stMain'] [role='radio'][aria-checked='true']").first).to_have_text(
            label, timeout=TIMEOUT_MS)
    return check


# page key -> [(query, check)]; the first entry is the cold deep link
LINKS: dict[str, list[tuple[str, object]]] = {
    "home": [("present=1", _text("Greenwich")), ("", _text("Greenwich"))],
    "atlas": [("country=United+Kingdom,DK&sector=digital_ict,cyber_security", _text("organisations match the filters")),
              ("org=UK_OBN", _text("Oxfordshire Bioscience Network")),
              ("ind=specialisation&basket=digital&year=2014", _text("organisations match the filters")),
              ("ind=none&types=cluster_org,network", _text("organisations match the filters"))],
    "regions": [("region=DK03", _text("DK03")), ("region=UKI5&year=2014", _text("UKI5"))],
    "compare": [("ids=DK_ODENSE_ROBOTICS,ES_AVAESEN,UK_OBN&view=" + quote_plus(compare.VIEWS[1]), _tab(compare.VIEWS[1]))]
    + [("view=" + quote_plus(v), _tab(v)) for v in compare.VIEWS],
    "greenwich": [("view=" + quote_plus(list(greenwich.SECTIONS)[0]), _tab(list(greenwich.SECTIONS)[0]))]
    + [("view=" + quote_plus(v), _tab(v)) for v in greenwich.SECTIONS] + [("peers=valencia", _tab(greenwich.DEFAULT_SECTION))],
    "lessons": [(f"case={k}", _text(v.split(" / ")[0].split(" (")[0])) for k, v in L.CASES.items()]
    + [("view=" + quote_plus(v), _tab(v)) for v in lessons_page.VIEWS] + [("quotes=true", _text("“"))],
    "tour": [(f"step={n}", _text(f"Step {n} of {len(L.TOUR_STEPS)}")) for n in range(len(L.TOUR_STEPS), 0, -1)]
    + [(f"step=2&present=1", _text(f"Step 2 of {len(L.TOUR_STEPS)}"))],
    "data": [(f"tab={k}", _segment(v)) for k, v in reversed(list(datapage.TABS.items()))],
}


def test_every_page_has_links_to_check():
    assert set(LINKS) == {p.key for p in PAGES}


@pytest.mark.parametrize("key", [p.key for p in PAGES])
def test_old_links_open_on_a_fresh_server(pw_browser, key):
    path = next(p.url_path for p in PAGES if p.key == key)
    srv = StreamlitServer(f"server-oldurls-{key}").start()
    ctx, rec = new_context(pw_browser, viewport=(1280, 900))
    try:
        page = ctx.new_page()
        for i, (query, check) in enumerate(LINKS[key]):
            goto(page, srv.url(path, query))
            check(page)
            if i == 0:
                shot(page, f"oldurl-cold-{key}")
            assert_clean(page, rec, f"{path}?{query}" + (" (cold)" if i == 0 else ""))
        assert "Traceback" not in srv.log_text()
    finally:
        ctx.close()
        srv.stop()
