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
    assert metric(a, "Self-funding ratio") == f"{fm['self_funding_ratio']:.2f}"
    assert metric(a, "Break-even membership") == f"{fm['break_even_members']:,}"
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

    from components import greenwich

    evil = org.copy()
    evil.loc[evil["id"] == "UK_OBN", "name"] = "<script>alert(1)</script> OBN"
    values = {k: v for k, (v, _) in bm.ROUND_DEFAULTS.items()}
    res = greenwich._compute(evil, values, "milton_park", (), "employees", False)
    h = res["brief"]
    assert "<script" not in h.lower() and "&lt;script&gt;alert(1)&lt;/script&gt; OBN" in h
    assert res["n_sources"] > 5 and h.count("<li><a href=") >= 5
    import html as _html

    for f in bm.FIELDS:
        assert _html.escape(f.label) in h
    assert "Assumption" in h
    for tag in re.findall(r"<(?:script|link|img|iframe)\b[^>]*>", h, flags=re.I):
        raise AssertionError(tag)
