"""AppTest tests of the /greenwich page: scenario inputs, peer presets, deep links, labels, bad URLs."""
from __future__ import annotations

import pandas as pd
import pytest

from cluster_data import benchmark as bm
from cluster_data import load, regional
from tests.conftest import all_text, app_test, no_errors, plotly_specs

PAGE = "pages/3_greenwich.py"


@pytest.fixture(scope="module")
def org() -> pd.DataFrame:
    return load.read_table("organisations.csv")


def metric(at, label: str) -> str:
    for m in at.metric:
        if m.label == label:
            return m.value
    raise AssertionError(f"no metric {label!r}: {[m.label for m in at.metric]}")


def num(at, key: str):
    return next(w for w in at.number_input if w.key == "gw_" + key)


def frame_with(at, col: str) -> pd.DataFrame:
    for d in at.dataframe:
        v = d.value
        if col in v.columns:
            return v
    raise AssertionError(f"no dataframe with column {col!r}")


def scenario_params(**over) -> dict:
    p = {"peers": "digital_peers", "w_cav": "40", "w_urban": "30", "w_cyber": "30", "start_members": "25",
         "target_members": "180", "years": "7", "sme_share": "70", "intl_share": "15", "partner_countries": "8",
         "fee_sme": "1200", "fee_large": "6000", "fee_intl": "3000", "events": "80000", "services": "50000",
         "public": "200000", "staff_fte": "5", "cost_per_fte": "65000", "overheads": "70000"}
    p.update(over)
    return p


@pytest.fixture(scope="module")
def default_at():
    return app_test(PAGE)


SUS = {"view": "Sustainability"}
PEERS = {"view": "Peers"}


def test_default_page_opens_on_the_benchmark_with_the_brief(default_at):
    at = default_at
    no_errors(at)
    assert frame_with(at, "Percentile (0–100)") is not None  # the ranks table
    titles = [s.get("layout", {}).get("title", {}).get("text", "") for s in plotly_specs(at)]
    assert len(titles) >= 2
    # the brief is always one click away, whichever section is open
    assert any("brief" in str(b.proto.label).lower() for b in at.get("download_button"))
    # other sections are not run (lazy tabs): no sustainability metrics, no baseline metrics
    assert "Self-funding ratio" not in [m.label for m in at.metric]
    assert not any(m.label.startswith("Population, TLI51") for m in at.metric)


@pytest.mark.parametrize("view, marker", [("Baseline", "GVA SIC J (£m)"), ("Peers", "Row type"),
                                          ("Benchmark", "Percentile (0–100)"), ("Jobs outlook", None),
                                          ("Sustainability", None)])
def test_every_section_opens_from_its_url(view, marker):
    at = app_test(PAGE, {"view": view, "peers": "all_clusters"})
    no_errors(at)
    got = at.query_params.get("view")
    # a link to the section reopens it (the default section keeps the link short: no `view`)
    assert (got[0] if isinstance(got, list) else got) == (None if view == "Benchmark" else view)
    if marker:
        assert frame_with(at, marker) is not None
    if view == "Sustainability":
        assert "Self-funding ratio" in [m.label for m in at.metric]
    if view == "Jobs outlook":
        assert any("Outlook: people employed in member firms" in s.get("layout", {}).get("title", {}).get("text", "")
                   for s in plotly_specs(at))
    # the brief download and the scenario inputs are there in every section
    assert any("brief" in str(b.proto.label).lower() for b in at.get("download_button"))
    assert len(at.number_input) == len(bm.FIELDS)


def test_garbage_view_falls_back_to_the_benchmark():
    at = app_test(PAGE, {"view": "<img src=x onerror=alert(1)>"})
    no_errors(at)
    assert frame_with(at, "Percentile (0–100)") is not None


def test_baseline_section_is_sourced():
    at = app_test(PAGE, {"view": "Baseline"})
    no_errors(at)
    ri = load.load_regional_indicators()
    v, y = regional.latest_value(ri, "UKI5", "htec_kis_share")
    assert metric(at, f"High-tech KIS, % of employment (UKI5, {y})") == f"{v:.1f}%"
    pv, py = regional.latest_value(ri, "TLI51", "population_ons")
    assert metric(at, f"Population, TLI51 (ONS, {py})") == f"{pv:,.0f}"
    g = regional.gva_profile(ri, "TLI51")
    t = frame_with(at, "GVA SIC J (£m)")
    assert list(t["GVA SIC J (£m)"]) == pytest.approx(list(g["table"]["gva_j_gbp_m"]))
    lq, ylq = regional.latest_value(ri, "UKI5", "htec_kis_lq")
    assert metric(at, f"LQ, high-tech KIS (UKI5, {ylq})") == f"{lq:.2f}"
    txt = all_text(at).replace("\\", "")
    assert "LQ = (GVA_J,area" in txt  # formula shown
    assert "mean of" in txt  # LQ denominator stated
    # anchors present with their names
    assert "Smart Mobility" in txt or "SMLL" in txt or any("Greenwich" in t.label for t in at.tabs)


def test_query_params_carry_the_scenario(default_at):
    at = default_at
    qp = at.query_params
    assert qp["peers"] == ["digital_peers"] or qp["peers"] == "digital_peers"
    for f in bm.FIELDS:
        assert f.key in qp, f.key
        val = qp[f.key][0] if isinstance(qp[f.key], list) else qp[f.key]
        assert int(val) == num(at, f.key).value


def test_assumptions_are_labelled(default_at):
    at = default_at
    for f in bm.FIELDS:
        assert num(at, f.key).label.startswith("Assumption"), f.key
    assert "Assumption" in all_text(at)
    t = frame_with(at, "How the default is set")
    assert (t["Status"] == "Assumption").all() and len(t) == len(bm.FIELDS)
    assert any("peer median of" in r for r in t["How the default is set"])
    assert any("not published" in r for r in t["How the default is set"])


def test_default_target_members_is_peer_median(default_at, org):
    ids = bm.peer_ids(org, "digital_peers")
    d = bm.default_values(org, ids)["target_members"]
    assert num(default_at, "target_members").value == d[0]
    assert "peer median of" in (num(default_at, "target_members").help or "")


def test_fee_up_moves_outputs_the_right_way():
    at = app_test(PAGE, scenario_params(**SUS))
    no_errors(at)
    r0 = float(metric(at, "Self-funding ratio"))
    b0 = int(metric(at, "Break-even membership").replace(",", ""))
    num(at, "fee_sme").set_value(3000).run()
    no_errors(at)
    r1 = float(metric(at, "Self-funding ratio"))
    b1 = int(metric(at, "Break-even membership").replace(",", ""))
    assert r1 > r0 and b1 < b0
    qp = at.query_params["fee_sme"]
    assert (qp[0] if isinstance(qp, list) else qp) == "3000"


def test_fee_up_via_url():
    lo = app_test(PAGE, scenario_params(fee_large="4000", **SUS))
    hi = app_test(PAGE, scenario_params(fee_large="9000", **SUS))
    assert float(metric(hi, "Self-funding ratio")) > float(metric(lo, "Self-funding ratio"))
    assert int(metric(hi, "Break-even membership").replace(",", "")) < int(
        metric(lo, "Break-even membership").replace(",", ""))


@pytest.mark.parametrize("preset", bm.FIXED_PRESETS + ["similar"])
def test_each_preset_shows_its_members(preset, org):
    at = app_test(PAGE, {"peers": preset, **PEERS})
    no_errors(at)
    values = {f.key: num(at, f.key).value for f in bm.FIELDS}
    expected = bm.peer_ids(org, preset, values=values)
    t = frame_with(at, "Row type")
    assert sorted(t["Id"]) == sorted(expected)
    assert f"{len(expected)} peers" in all_text(at).replace("\\", "")


def test_manual_ids_deep_link(org):
    at = app_test(PAGE, {"ids": "UK_OBN,ES_AVIA,DK_ODENSE_ROBOTICS,NOT_AN_ID", **PEERS})
    no_errors(at)
    assert at.selectbox(key="gw_peers").value == "manual"
    t = frame_with(at, "Row type")
    assert sorted(t["Id"]) == ["DK_ODENSE_ROBOTICS", "ES_AVIA", "UK_OBN"]
    assert "NOT_AN_ID" in all_text(at).replace("\\", "")  # notice names the ignored id


def test_deep_link_reproduces_scenario_exactly():
    p = scenario_params(peers="valencia", **SUS)
    a = app_test(PAGE, p)
    no_errors(a)
    for f in bm.FIELDS:
        assert num(a, f.key).value == int(p[f.key]), f.key
    vals = {f.key: int(p[f.key]) for f in bm.FIELDS}
    fm = bm.funding_model(vals)
    assert metric(a, "Self-funding ratio") == f"{fm.self_funding_ratio:.2f}"
    assert metric(a, "Break-even membership") == f"{fm.break_even_members:,}"
    # URL after the run carries the same scenario
    for k, v in p.items():
        got = a.query_params[k]
        assert (got[0] if isinstance(got, list) else got) == v, k
    # a second session opened from the written URL shows the same outputs
    link = {k: (v[0] if isinstance(v, list) else v) for k, v in a.query_params.items()}
    b = app_test(PAGE, link)
    assert [m.value for m in b.metric] == [m.value for m in a.metric]
    pa, pb = app_test(PAGE, {**link, **PEERS}), app_test(PAGE, {**p, **PEERS})
    assert frame_with(pb, "Row type")["Id"].tolist() == frame_with(pa, "Row type")["Id"].tolist()


def test_garbage_params_fall_back_to_defaults_with_notice(default_at):
    at = app_test(PAGE, {"peers": "<script>x</script>", "fee_sme": "lots", "years": "999", "target_members": "nan",
                         "ids": "';DROP", "basis": "bogus", "w_cav": "-5"})
    no_errors(at)
    assert at.selectbox(key="gw_peers").value == "digital_peers"
    assert num(at, "fee_sme").value == bm.ROUND_DEFAULTS["fee_sme"][0]
    assert num(at, "years").value == 10  # clamped into range
    assert num(at, "w_cav").value == 0
    assert num(at, "target_members").value == num(default_at, "target_members").value
    notices = " ".join(i.value for i in at.info)
    assert "Ignored" in notices and "lots" in notices
    assert "<script>" not in " ".join(m.value for m in at.markdown)


def test_outlook_refused_for_small_evidence_and_shown_otherwise(org):
    at = app_test(PAGE, {"peers": "southern_denmark", "view": "Jobs outlook"})
    no_errors(at)
    assert any("at least 3" in i.value for i in at.info)
    ids = bm.peer_ids(org, "southern_denmark")
    assert "flagged small" in all_text(app_test(PAGE, {"peers": "southern_denmark"})) or len(ids) >= 5
    at2 = app_test(PAGE, {"peers": "all_clusters", "view": "Jobs outlook"})
    titles = [s.get("layout", {}).get("title", {}).get("text", "") for s in plotly_specs(at2)]
    assert any(t.startswith("Outlook:") for t in titles)


def test_european_benchmark_comes_from_the_data():
    cs = load.read_table("case_studies.csv")
    eu = bm.europe_public_share(cs)
    at = app_test(PAGE, SUS)
    txt = all_text(at)
    assert f"≈ {eu['value_num']:.0f}% of European cluster organisations" in txt.replace("\\", "")


def test_present_mode_renders():
    at = app_test(PAGE, {"present": "1", "peers": "milton_park", **SUS})
    no_errors(at)
    assert "Self-funding ratio" in [m.label for m in at.metric]


def test_reset_restores_group_defaults(org):
    at = app_test(PAGE, {"peers": "valencia", "target_members": "999"})
    assert num(at, "target_members").value == 999
    at.button(key="gw_reset").click().run()
    no_errors(at)
    expected = bm.default_values(org, bm.peer_ids(org, "valencia"))["target_members"][0]
    assert num(at, "target_members").value == expected


def test_switching_peer_group_keeps_the_scenario(org):
    at = app_test(PAGE, scenario_params(peers="valencia", **PEERS))
    at.selectbox(key="gw_peers").set_value("milton_park").run()
    no_errors(at)
    assert num(at, "target_members").value == 180
    assert sorted(frame_with(at, "Row type")["Id"]) == sorted(bm.peer_ids(org, "milton_park"))
    qp = at.query_params["peers"]
    assert (qp[0] if isinstance(qp, list) else qp) == "milton_park"


def test_degenerate_scenario_shows_undefined_not_zero():
    at = app_test(PAGE, scenario_params(staff_fte="0", overheads="0", fee_sme="0", fee_large="0", fee_intl="0",
                                        events="0", services="0", public="0", **SUS))
    no_errors(at)
    assert metric(at, "Self-funding ratio").startswith("undefined")
    assert metric(at, "Public share of income").startswith("undefined")


def test_manual_without_ids_asks_for_picks():
    at = app_test(PAGE, {"peers": "manual"})
    no_errors(at)
    assert any("Pick at least one" in i.value for i in at.info)


def test_page_brief_escapes_names_and_lists_sources(org):
    import re

    evil = org.copy()
    evil.loc[evil["id"] == "UK_OBN", "name"] = "<script>alert(1)</script> OBN"
    res = _brief_res(evil, "milton_park", "employees")
    h = res.brief
    assert "<script" not in h.lower() and "&lt;script&gt;alert(1)&lt;/script&gt; OBN" in h
    assert res.n_sources > 5 and h.count("<li><a href=") >= 5
    import html as _html

    for f in bm.FIELDS:
        assert _html.escape(f.label) in h
    assert "Assumption" in h
    for tag in re.findall(r"<(?:script|link|img|iframe)\b[^>]*>", h, flags=re.I):
        raise AssertionError(tag)


# ----------------------------------------------------------------- issue 17: the answer first (points 1–4, 11)
from cluster_data import brief as brief_mod  # noqa: E402
from cluster_data import display  # noqa: E402
from cluster_data import greenwich_view as gv  # noqa: E402


def _walk(node, out: list) -> list:
    """Every element of the page in screen order: (type, key or label, node)."""
    for child in getattr(node, "children", {}).values():
        out.append((getattr(child, "type", ""), getattr(child, "key", None) or getattr(child, "label", None), child))
        _walk(child, out)
    return out


def _order(at) -> list:
    return _walk(at.main, [])


@pytest.fixture(scope="module")
def sources() -> pd.DataFrame:
    return load.read_table("sources.csv")


@pytest.fixture(scope="module")
def facts() -> pd.DataFrame:
    return load.read_table("facts.csv")


def test_answer_block_comes_first_with_source_and_assumption_labels(default_at, sources):
    at = default_at
    no_errors(at)
    order = _order(at)
    kinds = [k for k, _, _ in order]
    first_input = kinds.index("number_input")
    answer_at = next(i for i, (_, _, n) in enumerate(order) if "The answer." in str(getattr(n, "value", "")))
    assert answer_at < first_input, "the answer must come before the scenario inputs"
    # three headline figures, before any input, each labelled Sourced (with its source) or Assumption
    heads = [m.label for m in at.metric][:3]
    b = gv.baseline_facts(load.load_regional_indicators(), sources)
    assert heads == [f"ICT share of GVA ({b.gva_year})", "Size among the peers", "Own income ÷ costs"]
    assert metric(at, heads[0]) == display.fmt_pct(b.gva_share, decimals=1)
    caps = [c.value for c in at.caption]
    assert any(c.startswith(":blue-badge[Sourced]") and "Office for National Statistics" in c for c in caps)
    assert sum(c.startswith(":orange-badge[Assumption]") for c in caps) >= 2
    # the sentences answer the three parts of the question
    answer = next(m.value for m in at.markdown if "The answer." in m.value)
    # the default scenario is the peer median by construction, and the answer says so (issue 17, point 2)
    assert "GVA in Bexley and Greenwich" in answer and "exactly at the median" in answer and "costs" in answer
    # the inputs sit in a collapsed panel
    panel = next(e for e in at.expander if "Scenario inputs" in e.label)
    assert panel.proto.expanded is False
    # the brief download is in the answer block
    assert any("brief" in str(b.proto.label).lower() for b in at.get("download_button"))


def test_median_notice_when_the_scenario_sits_on_the_median(default_at, org):
    notices = [w.value.replace("\\", "") for w in default_at.warning if "peer median" in w.value]
    ranks = bm.rank_table(org, bm.peer_ids(org, "digital_peers"), {f.key: num(default_at, f.key).value
                                                                    for f in bm.FIELDS})
    on = [r["label"] for _, r in ranks.iterrows() if gv._on_median(r)]
    assert on, "the defaults are peer medians: some metric sits on the median"
    assert len(notices) == 1 and all(label in notices[0] for label in on)
    assert "says nothing" in notices[0]
    # a scenario away from every median gets no notice
    at = app_test(PAGE, scenario_params(target_members="400", partner_countries="20", public="50000"))
    no_errors(at)
    assert not [w.value for w in at.warning if "peer median" in w.value]


def test_starting_points_are_labelled_from_peers_found_by_id(org, facts, sources):
    at = app_test(PAGE)
    no_errors(at)
    base = {f.key: num(at, f.key).value for f in bm.FIELDS}
    expected = {p.key: p for p in gv.starting_points(org, facts, sources, base)}
    assert {"mature", "young"} <= set(expected)
    names = dict(zip(org["id"], org["name"]))
    for key, _kind, oid in gv.STARTING_POINTS:
        if key in expected:
            b = at.button(key=f"gw_start_{key}")
            assert b.label == expected[key].label and names[oid].split(" (")[0] in b.label
            assert all(r.startswith("Assumption based on") for r in expected[key].rules.values())
    odense = expected["mature"]
    assert "Odense Robotics" in odense.label
    at.button(key="gw_start_mature").click().run()
    no_errors(at)
    for k, v in odense.values.items():
        assert num(at, k).value == v, k
    members = provenance_headline(facts, sources, "DK_ODENSE_ROBOTICS", "members_total")
    assert num(at, "target_members").value == int(members["value_num"])
    qp = at.query_params["start"]
    assert (qp[0] if isinstance(qp, list) else qp) == "mature"
    t = frame_with(at, "How the default is set")
    row = t[t["Input"] == bm.FIELD_BY_KEY["target_members"].label].iloc[0]
    assert row["How the default is set"].startswith("Assumption based on Odense Robotics: members more than 130")
    assert "Odense Robotics" in all_text(at)  # the caveat / caption names the peer
    # the link reopens the same starting point's labels
    link = {k: (v[0] if isinstance(v, list) else v) for k, v in at.query_params.items()}
    again = app_test(PAGE, link)
    assert "Starting point in use: " + odense.label in all_text(again).replace("\\", "")
    bad = app_test(PAGE, {"start": "<b>bogus</b>"})
    no_errors(bad)
    assert any("bogus" in i.value for i in bad.info)


def provenance_headline(facts, sources, oid, field):
    from cluster_data import provenance

    return provenance.headline(facts, sources, oid, field)


def test_jobs_outlook_labels_each_basis_and_defaults_to_the_honest_one(org):
    at = app_test(PAGE, {"peers": "all_clusters", "view": "Jobs outlook"})
    no_errors(at)
    sc = at.get("button_group")[0]
    assert bm.DEFAULT_JOBS_BASIS == "employees" and not bm.JOBS_BASIS["employees"].claimed
    qp = at.query_params["basis"]
    assert (qp[0] if isinstance(qp, list) else qp) == "employees"
    n_claims = len(bm.jobs_ratios(org, bm.peer_ids(org, "all_clusters"), "jobs_created"))
    labels = [o.content for o in sc.proto.options]
    assert labels[0].startswith("People employed in member firms") and "not jobs created" in labels[0]
    assert f"claims, {n_claims} peers" in labels[1]
    txt = all_text(at)
    assert "people employed in member firms" in txt and "not jobs the cluster created" in txt
    assert not any(m.value.strip().endswith("jobs (central") or " jobs (central" in m.value for m in at.markdown)
    titles = [s.get("layout", {}).get("title", {}).get("text", "") for s in plotly_specs(at)]
    fan = next(s for s in plotly_specs(at) if s["layout"]["title"]["text"].startswith("Outlook:"))
    assert fan["layout"]["yaxis"]["title"]["text"] == "people employed in member firms", titles
    # the claimed basis only with its caveat and its peer count
    claimed = app_test(PAGE, {"peers": "all_clusters", "view": "Jobs outlook", "basis": "jobs_created"})
    no_errors(claimed)
    warn = " ".join(w.value for w in claimed.warning)
    assert "claims" in warn and f"Only {n_claims} peers" in warn


def _brief_res(org, preset="milton_park", basis="employees", start=None):
    """The page's results for a scenario at the round defaults, built by the pure view-model (no Streamlit)."""
    from cluster_data import greenwich_model as gm

    values = {k: v for k, (v, _) in bm.ROUND_DEFAULTS.items()}
    shipped = load.read_table("organisations.csv")
    ctx = gm.context(shipped, load.read_table("facts.csv"), load.read_table("sources.csv"),
                     load.read_table("case_studies.csv"), load.load_regional_indicators(), preset, ())
    return gm.compute(org, gm.Scenario(values=values, preset=preset, basis=basis, start=start), ctx)


def test_brief_opens_with_a_summary_and_reads_for_a_council_leader(org, sources):
    import re

    res = _brief_res(org, "digital_peers")
    h = res.brief
    body = h[h.index("<body>"):]
    # a one-page summary first: question, answer, three figures, caveats; then the sections; sources last
    pos = [body.index(t) for t in ("The question", "The answer", "class='figs'", "Caveats", "1. Baseline",
                                   "Appendix: sources")]
    assert pos == sorted(pos)
    assert body.index("</section>") < body.index("1. Baseline")
    assert body.count("class='fig'") == 3
    assert "Sourced" in body[:body.index("</section>")] and "Assumption" in body[:body.index("</section>")]
    # no internal ids (organisation ids, source ids) and no relative links
    ids = [i for i in org["id"].astype(str) if re.search(rf"\b{re.escape(i)}\b", h)]
    assert not ids, ids[:5]
    assert not [s for s in sources["source_id"].astype(str) if s in h]
    assert "/greenwich?" not in h and not re.findall(r"href=['\"](?!https?://)", h)
    assert "cluster_org" not in h
    # numbers rounded for reading: no long decimals, no year with a separator, missing is one word
    text = re.sub(r"<[^>]+>", " ", body[:body.index("Appendix: sources")])  # source titles are quoted as given
    assert not re.findall(r"\d\.\d{3,}", text), re.findall(r"\d\.\d{3,}", text)[:5]
    years = re.findall(r"(?:[Ff]ounded|[Yy]ear)[^0-9<]{0,40}\d,\d{3}\b", text)
    assert not years, years[:5]  # "Founded: 2,015" read as a count
    assert "Founded" in text
    assert not re.search(r"\bno source\b", text)
    # the jobs outlook is never headlined as jobs; the method says what the ratio is
    assert "jobs in member firms" not in h and "Outlook: people employed in member firms" in h


def test_brief_claimed_basis_carries_its_caveat(org):
    res = _brief_res(org, "all_clusters", basis="jobs_created")
    h = res.brief
    n = len(bm.jobs_ratios(org, bm.peer_ids(org, "all_clusters"), "jobs_created"))
    assert "Outlook: jobs created, as claimed" in h and f"Only {n} peers" in h and "claims" in h


def test_brief_is_dated_when_downloaded_not_when_cached(org):
    res = _brief_res(org)
    h = res.brief
    assert brief_mod.DATE_SLOT in h  # the cached brief carries no date
    dated = brief_mod.stamp(h, "2031-05-06")
    assert "Dated 2031-05-06" in dated and brief_mod.DATE_SLOT not in dated


def test_brief_download_is_stamped_at_click_time(monkeypatch, org):
    import datetime as dt

    from components import greenwich

    captured = {}
    monkeypatch.setattr(greenwich.st, "download_button", lambda *a, **k: captured.update(k))
    greenwich._brief_button(_brief_res(org))
    assert callable(captured["data"])  # generated when the user clicks, not when the page was cached

    class Later(dt.date):
        @classmethod
        def today(cls):
            return dt.date(2031, 5, 6)

    monkeypatch.setattr(greenwich._dt, "date", Later)
    assert "Dated 2031-05-06" in captured["data"]()
