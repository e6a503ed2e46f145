"""Home page: the question, headline numbers counted from the data, entry points to every page."""
from __future__ import annotations

from cluster_data import load
from components.registry import PAGES
from tests.conftest import all_text, app_test, no_errors


def test_home_states_the_question_and_counts_from_the_data():
    at = app_test(None)
    no_errors(at)
    text = all_text(at)
    assert "Greenwich Digital Cluster" in text and "Southern Denmark" in text and "Valencia" in text
    org = load.load_organisations()
    facts = load.load_facts()
    metrics = {m.label: m.value for m in at.metric}
    co = org[org["row_type"] == "cluster_org"]
    assert metrics["Cluster organisations"] == f"{len(co):,}"
    assert metrics["Countries"] == str(org["country"].nunique())
    assert metrics["Sourced facts"] == f"{len(facts):,}"
    assert metrics["Members known"] == f"{100 * co['members_total'].notna().sum() / len(co):.0f}%"


def test_home_links_to_every_page_and_shows_attributions():
    at = app_test(None)
    targets = {p.proto.page for p in at.get("page_link")}
    for key, path, *_ in PAGES:
        if key != "home":
            assert any(path.split("/")[-1] in t or key in t for t in targets), key
    captions = " ".join(c.value for c in at.caption)
    for needle in ("© EuroGeographics for the administrative boundaries", "Source: Eurostat", "Open Government Licence v.3.0",
                   "Natural Earth"):
        assert needle in captions


def test_present_mode_hides_sidebar_and_keeps_flag_in_links():
    at = app_test(None, {"present": "1"})
    no_errors(at)
    assert len(at.sidebar.children) == 0 or not any(True for _ in at.sidebar.get("page_link"))
    links = [p.proto for p in at.get("page_link")]
    assert links and all("present=1" in str(l.query_string) for l in links)
