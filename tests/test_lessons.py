"""/lessons: case studies and playbook. Unit tests of cluster_data.lessons + AppTest of the page."""
from __future__ import annotations

import re

import pandas as pd
import pytest

from cluster_data import lessons as L
from cluster_data import load
from components import lessons as LP
from components.ui import md_escape
from tests.conftest import all_text, app_test, no_errors


@pytest.fixture(scope="module")
def cs():
    return load.read_table("case_studies.csv")


@pytest.fixture(scope="module")
def sources():
    return load.read_table("sources.csv")


@pytest.fixture(scope="module")
def orgs():
    return load.read_table("organisations.csv")


# ----------------------------------------------------------------------------- pure module
def test_every_referenced_case_fact_exists_and_has_a_source(cs, sources):
    ids = set(cs["case_fact_id"])
    src = set(sources["source_id"])
    referenced = {i for _, cells in L.PLAYBOOK for v in cells.values() for i in v}
    for c in L.CAVEATS.values():
        for cav in c:
            referenced |= set(cav["evidence"]) | ({cav["claim"]} if cav.get("claim") else set())
    referenced |= {i for v in L.TOUR_FACTS.values() for i in v}
    assert referenced and referenced <= ids, referenced - ids
    used = cs[cs["case_fact_id"].isin(referenced)]
    assert used["source_id"].isin(src).all()


def test_playbook_cells_belong_to_their_case_and_carry_source(cs, sources):
    by_id = cs.set_index("case_fact_id")
    for row, cells in L.PLAYBOOK:
        assert set(cells) <= set(L.CASES), row
        for case, ids in cells.items():
            for i in ids:
                assert by_id.loc[i, "case"] == case, (row, case, i)


def test_playbook_table_shape_and_traceability(cs, sources):
    t = L.playbook_table(cs, sources)
    assert list(t.columns) == ["Topic"] + list(L.CASES.values())
    assert list(t["Topic"]) == [r for r, _ in L.PLAYBOOK]
    assert t.shape == (len(L.PLAYBOOK), len(L.CASES) + 1)
    url = sources.set_index("source_id")["url"]
    for (row, cells), (_, trow) in zip(L.PLAYBOOK, t.iterrows()):
        for case, label in L.CASES.items():
            cell = trow[label]
            ids = cells.get(case, [])
            if not ids:
                assert cell == L.NO_SOURCE_CELL
                continue
            for i in ids:
                f = cs[cs["case_fact_id"] == i].iloc[0]
                assert i in cell and f["fact"] in cell and url[f["source_id"]] in cell
            # every fact-id mentioned in the cell is one of the configured ids
            assert set(re.findall(r"C\d{4}", cell)) == set(ids)


def test_playbook_cells_long_form(cs, sources):
    cells = L.playbook_cells(cs, sources)
    assert len(cells) == len(L.PLAYBOOK) * len(L.CASES)
    for c in cells:
        for f in c.facts:
            assert f["source_id"] and isinstance(f["url"], str) and f["url"].startswith("http")
            assert f["case"] == c.case
    # the Milton Park jobs-claim cell is honestly empty (no source gives one)
    empty = [c for c in cells if not c.facts]
    assert ("Jobs: headline claim", "milton_park") in {(c.row, c.case) for c in empty}


def test_handwritten_text_has_no_figures():
    texts = [t for v in L.TAKEAWAYS.values() for t in v]
    texts += [c["headline"] for v in L.CAVEATS.values() for c in v] + [c["note"] for v in L.CAVEATS.values() for c in v]
    texts += [s["title"] for s in L.TOUR_STEPS] + [s["sentence"] for s in L.TOUR_STEPS]
    for t in texts:
        assert not re.search(r"\d", t), t


def test_case_facts_order_and_filter(cs, sources):
    df = L.case_facts(cs, sources, "valencia", L.DID_TOPICS)
    assert set(df["case"]) == {"valencia"} and set(df["topic"]) <= set(L.DID_TOPICS)
    order = [L.DID_TOPICS.index(t) for t in df["topic"]]
    assert order == sorted(order)
    assert df["title"].notna().all()


def test_caveats_resolve_discrepancy_rows(cs, sources):
    sd = L.caveats(cs, sources, "southern_denmark")[0]
    assert sd.claim_row["value_num"] == 4000 and sd.claim_row["source_id"] == "S5c4224c248"
    ev = {r["case_fact_id"]: r["value_num"] for r in sd.evidence_rows}
    assert ev["C0020"] == 1600 and ev["C0025"] == 1568
    vl = L.caveats(cs, sources, "valencia")[0]
    assert "AVAESEN" in vl.headline and "unconfirmed" in vl.headline


def test_fact_value_text_and_share():
    assert L.fact_value_text({"value_num": 4000.0, "unit": "jobs (lower bound)", "lower_bound": True}) == "more than 4,000 jobs"
    assert L.fact_value_text({"value_num": 7.56, "unit": "%", "lower_bound": False}) == "7.56%"
    assert L.fact_value_text({"value_num": float("nan"), "unit": "x"}) == "not sourced"
    assert L.fact_value_text(None) == "not sourced"
    assert L.fact_number_text({"value_num": 4000.0, "unit": "jobs (lower bound)", "lower_bound": True}) == "more than 4,000"
    assert L.fact_number_text({"value_num": 1568.0, "unit": "private jobs", "lower_bound": False}) == "1,568"
    assert L.share_pct(331, 12008) == pytest.approx(100 * 331 / 12008)
    assert L.share_pct(1, 0) is None and L.share_pct(None, 5) is None


def test_org_counts_by_country(orgs):
    t = L.org_counts_by_country(orgs, "cluster_org", top=5)
    assert len(t) == 5 and list(t["count"]) == sorted(t["count"], reverse=True)
    full = orgs[orgs["row_type"] == "cluster_org"].groupby("country").size()
    for _, r in t.iterrows():
        assert full[r["country"]] == r["count"]


def test_lessons_stats(cs):
    s = L.lessons_stats(cs)
    c = cs[cs["case"].isin(list(L.CASES))]
    assert (s.facts, s.sources, s.cases) == (len(c), c["source_id"].nunique(), 3)


# ----------------------------------------------------------------------------- page
def _markdown_blocks(at) -> list[str]:
    out = []
    for kind in ("markdown", "caption", "warning", "info"):
        out.extend(str(e.value) for e in getattr(at, kind))
    return out


def _assert_figures_sourced(at, cs, sources, case):
    blocks = _markdown_blocks(at)
    src = sources.set_index("source_id")
    shown = 0
    for _, f in cs[cs["case"].isin([case])].iterrows():
        if not L.has_figure(f.to_dict()):
            continue
        esc = md_escape(f["fact"])
        holders = [b for b in blocks if esc in b]
        assert holders, f"{f['case_fact_id']} not shown"
        url = src.loc[f["source_id"], "url"]
        for b in holders:  # every block showing the figure also shows its source link
            assert f"]({url})" in b, (f["case_fact_id"], b[:200])
        shown += 1
    assert shown > 5


@pytest.fixture(scope="module")
def page_default():
    return app_test("pages/4_lessons.py")


@pytest.fixture(scope="module")
def page_valencia():
    return app_test("pages/4_lessons.py", {"case": "valencia"})


def test_default_page_southern_denmark_sourced(page_default, cs, sources):
    at = page_default
    no_errors(at)
    assert at.selectbox[0].value == "southern_denmark"
    _assert_figures_sourced(at, cs, sources, "southern_denmark")


def test_southern_denmark_discrepancy_stated(page_default, cs, sources):
    warn = "\n".join(w.value for w in page_default.warning)
    assert "single source" in warn
    src = sources.set_index("source_id")
    for cid in ("C0001", "C0020", "C0025"):
        f = cs[cs["case_fact_id"] == cid].iloc[0]
        assert md_escape(f["fact"]) in warn and src.loc[f["source_id"], "url"] in warn
    assert "4,000" in warn and "1,600" in warn and "1,568" in warn


def test_valencia_focus_and_green_uncertainty(page_valencia, cs, sources):
    at = page_valencia
    no_errors(at)
    assert at.selectbox[0].value == "valencia"
    assert any(h.value == "Valencia" for h in at.header)
    warn = "\n".join(w.value for w in at.warning)
    assert "AVAESEN" in warn and "unconfirmed" in warn and "Green" in warn
    # the atlas data note is quoted under the record's name, and ids it mentions read as names (issue 17, 6/11)
    assert "Data note on the atlas record “Valencia \"Green\" cluster" in warn.replace("\\", "")
    assert "AVAESEN" in warn.split("Data note", 1)[1]
    assert not re.search(r"[A-Z]{2}\\?_[A-Z0-9]", warn), "an internal record id in the Valencia caveats"
    _assert_figures_sourced(at, cs, sources, "valencia")
    # Southern Denmark's case facts are not in focus (only its playbook cells appear)
    assert not any(h.value == "Southern Denmark" for h in at.header)


def test_milton_park_case_sourced(cs, sources):
    at = app_test("pages/4_lessons.py", {"case": "milton_park"})
    no_errors(at)
    _assert_figures_sourced(at, cs, sources, "milton_park")


@pytest.fixture(scope="module")
def page_playbook():
    return app_test("pages/4_lessons.py", {"view": LP.VIEWS[1]})


def test_playbook_rendered_with_sources(page_playbook, cs, sources):
    no_errors(page_playbook)
    md = [m.value for m in page_playbook.markdown if m.value.startswith("| Topic |")]
    assert len(md) == 1
    table = md[0]
    assert table.count("\n") == len(L.PLAYBOOK) + 1
    src = sources.set_index("source_id")
    for _, cells in L.PLAYBOOK:
        for ids in cells.values():
            for i in ids:
                f = cs[cs["case_fact_id"] == i].iloc[0]
                assert md_escape(f["fact"]) in table and f"]({src.loc[f['source_id'], 'url']})" in table
    assert md_escape(L.NO_SOURCE_CELL) in table
    # quotes on demand: the expander is there, its text is sent only when it is opened (held in the URL)
    labels = [e.label for e in page_playbook.expander]
    assert any("Exact quotes behind the playbook" in l for l in labels)
    assert not any("“" in m.value for e in page_playbook.expander for m in e.markdown)


def test_playbook_is_a_tab_held_in_the_url(page_default, page_playbook):
    """The case in depth is the default view; the playbook is one click (or one link) away, and only the open
    view runs: the case's facts are not sent with the playbook, nor the playbook with the case."""
    assert page_default.tabs[0].label == LP.VIEWS[0] and page_default.tabs[1].label == LP.VIEWS[1]
    assert not any(m.value.startswith("| Topic |") for m in page_default.markdown)
    assert any(h.value == "Southern Denmark" for h in page_default.header)
    assert not any(h.value == "Southern Denmark" for h in page_playbook.header)
    assert page_playbook.query_params.get("view") in (LP.VIEWS[1], [LP.VIEWS[1]])


@pytest.mark.parametrize("view,key,label", [(LP.VIEWS[0], "quotes", "Exact quotes behind Southern Denmark"),
                                            (LP.VIEWS[1], "pquotes", "Exact quotes behind the playbook")])
def test_exact_quotes_on_demand(cs, sources, view, key, label):
    closed = app_test("pages/4_lessons.py", {"view": view})
    box = [e for e in closed.expander if e.label.startswith(label)]
    assert len(box) == 1 and not box[0].markdown, "quotes are built and sent only when the expander is open"
    at = app_test("pages/4_lessons.py", {"view": view, key: "true"})
    no_errors(at)
    box = [e for e in at.expander if e.label.startswith(label)]
    text = "\n".join(m.value for m in box[0].markdown)
    n = int(re.search(r"\((\d+) facts\)", box[0].label).group(1))
    assert text.count("> “") == n, "one exact quote per fact"
    src = sources.set_index("source_id")
    shown = cs[cs["quote"].notna()].head(50)
    hits = [r for _, r in shown.iterrows() if md_escape(r["quote"]) in text]
    assert hits and all(f"]({src.loc[r['source_id'], 'url']})" in text for r in hits)


def test_takeaways_labelled_as_our_reading(page_default):
    txt = all_text(page_default)
    assert "What Greenwich can take from it" in txt
    assert "not itself a sourced fact" in txt
    assert md_escape(L.TAKEAWAYS["southern_denmark"][0]) in txt


@pytest.mark.parametrize("bad", ["garbage", "<script>", "", "VALENCIA"])
def test_bad_case_param(bad):
    at = app_test("pages/4_lessons.py", {"case": bad})
    no_errors(at)
    if bad == "VALENCIA":
        assert at.selectbox[0].value == "valencia"
        return
    assert at.selectbox[0].value == L.DEFAULT_CASE
    if bad:
        assert any("Ignored unknown case" in i.value for i in at.info)
        assert "<script>" not in all_text(at).replace("Ignored unknown case '<script>'", "")


def test_selectbox_change_updates_url(page_default):
    at = app_test("pages/4_lessons.py")
    at.selectbox[0].set_value("milton_park").run()
    no_errors(at)
    assert at.query_params.get("case") in ("milton_park", ["milton_park"])
    assert any(h.value == "Milton Park / OBN" for h in at.header)


def test_links_out_keep_present_mode():
    at = app_test("pages/4_lessons.py", {"case": "valencia", "present": "1"})
    no_errors(at)
    links = {(l.proto.page, l.proto.query_string) for l in at.get("page_link")}
    assert any(p == "compare" and "ES_AVAESEN" in q and "present=1" in q for p, q in links)
    assert any(p == "greenwich" and "peers=valencia" in q for p, q in links)
