"""Unit tests for cluster_data.benchmark (peer groups, scenario model, outputs) and cluster_data.brief."""
from __future__ import annotations

import re

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cluster_data import benchmark as bm
from cluster_data import brief, load, metrics
from cluster_data import greenwich_view as gv


@pytest.fixture(scope="module")
def org() -> pd.DataFrame:
    return load.read_table("organisations.csv")


@pytest.fixture(scope="module")
def cs() -> pd.DataFrame:
    return load.read_table("case_studies.csv")


def base_values(**over) -> dict:
    v = {k: val for k, (val, _) in bm.ROUND_DEFAULTS.items()}
    v.update(over)
    return v


# ----------------------------------------------------------------- peer presets
def test_southern_denmark_preset_is_dk03_cluster_orgs(org):
    ids = bm.peer_ids(org, "southern_denmark")
    expected = sorted(org[(org["row_type"] == "cluster_org") & (org["nuts2_2016"] == "DK03")]["id"])
    assert ids == expected
    assert {"DK_ODENSE_ROBOTICS", "DK_WELFARE_TECH", "DK_OFFSHOREENERGY"} <= set(ids)
    assert "DK_SYDDANMARK_CLUSTERS" not in ids  # seed aggregate: a claim, not a peer


def test_valencia_preset_is_es52_cluster_orgs(org):
    ids = bm.peer_ids(org, "valencia")
    assert ids == sorted(org[(org["row_type"] == "cluster_org") & (org["nuts2_2016"] == "ES52")]["id"])
    assert "ES_AVAESEN" in ids and "ES_VLC_GREEN_SEED" not in ids


def test_milton_park_preset(org):
    ids = bm.peer_ids(org, "milton_park")
    assert {"UK_MILTON_PARK_LS", "UK_OBN"} <= set(ids)
    others = set(ids) - {"UK_MILTON_PARK_LS", "UK_OBN"}
    rows = org.set_index("id").loc[list(others)] if others else org.iloc[:0]
    assert (rows["nuts2_2016"] == "UKJ1").all() and (rows["sector"] == "life_sciences").all()


def test_digital_peers_and_all_clusters(org):
    dig = bm.peer_ids(org, "digital_peers")
    rows = org.set_index("id").loc[dig]
    assert set(rows["row_type"]) <= {"cluster_org", "network"}
    assert set(rows["sector"]) <= set(bm.DIGITAL_SECTORS)
    expected = org[org["row_type"].isin(["cluster_org", "network"]) & org["sector"].isin(bm.DIGITAL_SECTORS)]
    assert len(dig) == len(expected)
    assert "UK_SMLL" not in dig  # testbeds are left out (stated rule)
    allc = bm.peer_ids(org, "all_clusters")
    assert allc == sorted(org[org["row_type"] == "cluster_org"]["id"])


def test_no_preset_contains_excluded_row_types(org):
    types = org.set_index("id")["row_type"]
    v = base_values()
    for key in bm.FIXED_PRESETS + ["similar"]:
        ids = bm.peer_ids(org, key, values=v)
        assert not set(types.loc[ids]) & set(bm.EXCLUDED_ROW_TYPES), key
        assert bm.GREENWICH_ID not in ids


def test_manual_drops_unknown_and_excluded(org):
    ids = bm.peer_ids(org, "manual", manual=["UK_OBN", "NOPE", "DK_SYDDANMARK_CLUSTERS", bm.GREENWICH_ID, "ES_AVIA"])
    assert ids == ["UK_OBN", "ES_AVIA"]


def test_unknown_preset_raises(org):
    with pytest.raises(ValueError):
        bm.peer_ids(org, "atlantis")


# ----------------------------------------------------------------- similarity
def _toy_org() -> pd.DataFrame:
    return pd.DataFrame({
        "id": ["A", "B", "C", "D", "E"],
        "name": list("ABCDE"),
        "row_type": ["cluster_org"] * 4 + ["seed_aggregate"],
        "sector": ["cyber_security", "cyber_security", "agrifood", "smart_city", "cyber_security"],
        "members_total": [100, 1000, 100, 100, 100],
        "founded_year": [2020, 2020, 2020, 2000, 2020],
    })


def test_similarity_prefers_same_size_and_sector():
    toy = _toy_org()
    v = base_values(w_cav=0, w_urban=0, w_cyber=100, target_members=100)
    res = bm.similar_peers(toy, v, k=4)
    assert list(res.index)[0] == "A"  # same sector, same size, youngest
    assert "E" not in res.index  # seed aggregates are never candidates
    assert res["distance"].is_monotonic_increasing
    # putting all focus on urban innovation moves the smart-city org ahead of the agrifood one
    v2 = base_values(w_cav=0, w_urban=100, w_cyber=0, target_members=100)
    order = list(bm.similar_peers(toy, v2, k=4).index)
    assert order.index("D") < order.index("C")


def test_similar_features_weights_are_documented():
    assert set(bm.SIMILAR_WEIGHTS) == set(bm.SIMILAR_FEATURES)


# ----------------------------------------------------------------- defaults
def test_default_members_is_peer_median_of_cluster_orgs(org):
    ids = bm.peer_ids(org, "valencia")
    d = bm.default_values(org, ids)
    m = pd.to_numeric(org[org["id"].isin(ids) & (org["row_type"] == "cluster_org")]["members_total"]).dropna()
    assert d["target_members"][0] == round(m.median())
    assert f"peer median of {len(m)} peers" in d["target_members"][1]
    # fees are never peer-derived: stated round assumptions
    assert "not published" in d["fee_sme"][1]


def test_default_falls_back_to_round_assumption_without_data():
    toy = _toy_org().assign(members_total=[None] * 5, members_sme_share_pct=None, members_international=None,
                            countries_partnered=None, funding_public_share_pct=None)
    d = bm.default_values(toy, ["A", "B"])
    assert d["target_members"] == bm.ROUND_DEFAULTS["target_members"]
    assert "round assumption" in d["target_members"][1]


# ----------------------------------------------------------------- percentile ranks
def _rank_org(values: list[float | None]) -> pd.DataFrame:
    n = len(values)
    return pd.DataFrame({"id": [f"P{i}" for i in range(n)], "name": [f"P{i}" for i in range(n)],
                         "row_type": ["cluster_org"] * n, "members_total": values,
                         "members_total_lower_bound": [False] * n, "members_international": [None] * n,
                         "members_sme_share_pct": [None] * n, "countries_partnered": [None] * n,
                         "funding_public_share_pct": [None] * n})


def test_rank_hand_computed_with_ties_and_missing():
    toy = _rank_org([50, 100, 100, 200, None, 400])
    rt = bm.rank_table(toy, list(toy["id"]), base_values(target_members=100)).set_index("metric")
    r = rt.loc["members_total"]
    # 5 valid peers; 1 below, 2 equal → (1 + 0.5*2) / 5 = 40
    assert r["n_peers"] == 5 and r["percentile"] == pytest.approx(40.0)
    assert r["small_group"] is False or r["small_group"] == False  # noqa: E712 (5 is not small)
    assert r["median"] == 100 and r["top_quartile"] == 200
    assert r["gap_to_median"] == 0 and r["gap_to_top_quartile"] == 100
    # no peer has partner countries → no rank, not 0
    assert pd.isna(rt.loc["countries_partnered", "percentile"]) and rt.loc["countries_partnered", "n_peers"] == 0


def test_small_group_flag():
    toy = _rank_org([10, 20])
    rt = bm.rank_table(toy, ["P0", "P1"], base_values(target_members=15)).set_index("metric")
    assert rt.loc["members_total", "percentile"] == pytest.approx(50.0)
    assert bool(rt.loc["members_total", "small_group"])
    rob = bm.robustness(toy, {"a": ["P0", "P1"], "b": ["P0"]}, base_values(target_members=15))
    r = rob[(rob["metric"] == "members_total")].set_index("group")
    assert r.loc["a", "percentile"] == pytest.approx(50.0) and r.loc["b", "percentile"] == pytest.approx(100.0)
    assert r["small_group"].all()


def test_robustness_covers_every_group_and_metric(org):
    v = base_values()
    groups = bm.all_groups(org, v, manual=["UK_OBN"])
    rob = bm.robustness(org, groups, v)
    assert set(rob["group"]) == set(bm.FIXED_PRESETS) | {"similar", "manual"}
    assert len(rob) == len(groups) * len(bm.METRICS)
    # percentiles agree with metrics.percentile_rank on the sourced values
    sd = rob[(rob["group"] == "southern_denmark") & (rob["metric"] == "members_total")].iloc[0]
    vals = bm.peer_values(org, groups["southern_denmark"], "members_total")
    assert sd["percentile"] == pytest.approx(metrics.percentile_rank(v["target_members"], list(vals)))


# ----------------------------------------------------------------- gaps → text
def test_gap_text_is_computed():
    toy = _rank_org([50, 100, 150, 200, 300])
    rt = bm.rank_table(toy, list(toy["id"]), base_values(target_members=80)).set_index("metric")
    row = rt.loc["members_total"].to_dict()
    txt = bm.gap_text("members_total", row)
    # median 150 → 70 more; top quartile 200 → 120 more
    assert "≈ 70 more members" in txt and "≈ 120" in txt and "(150)" in txt and "(200)" in txt
    row_top = bm.rank_table(toy, list(toy["id"]), base_values(target_members=500)).set_index("metric").loc["members_total"]
    assert "already reaches the top quartile" in bm.gap_text("members_total", row_top.to_dict())
    none = rt.loc["countries_partnered"].to_dict()
    assert "no peer" in bm.gap_text("countries_partnered", none)


# ----------------------------------------------------------------- outlook
def test_outlook_refused_with_fewer_than_three_peers(org):
    v = base_values()
    ids = bm.peer_ids(org, "southern_denmark")
    n = len(bm.jobs_ratios(org, ids))
    assert n < 3
    o = bm.outlook(org, ids, v)
    assert o["ok"] is False and "at least 3" in o["reason"] and o["n_peers"] == n


def test_outlook_bands(org):
    v = base_values(start_members=10, target_members=100, years=5)
    ids = bm.peer_ids(org, "digital_peers")
    o = bm.outlook(org, ids, v)
    r = bm.jobs_ratios(org, ids)
    assert o["ok"] and o["n_peers"] == len(r) >= 3
    assert len(o["central"]) == 6 and o["members"][0] == 10 and o["members"][-1] == 100
    for lo, c, hi in zip(o["low"], o["central"], o["high"]):
        assert lo <= c <= hi
    assert o["central"][-1] == pytest.approx(100 * float(r["ratio"].median()))
    assert f"{len(r)} peers" in o["method"]


# ----------------------------------------------------------------- sustainability
def test_funding_model_hand_computed():
    v = base_values(target_members=100, sme_share=50, intl_share=10, fee_sme=1000, fee_large=5000, fee_intl=2000,
                    events=50_000, services=30_000, public=100_000, staff_fte=3, cost_per_fte=50_000,
                    overheads=40_000)
    fm = bm.funding_model(v)
    # avg fee = 0.5*1000 + 0.4*5000 + 0.1*2000 = 2700 → fees 270,000
    assert fm.average_fee == pytest.approx(2700)
    assert fm.fees == pytest.approx(270_000)
    assert fm.costs == pytest.approx(190_000)
    assert fm.self_funding_ratio == pytest.approx((270_000 + 80_000) / 190_000)
    assert fm.public_share_pct == pytest.approx(100 * 100_000 / 450_000)
    # break-even without public money: ceil((190,000 - 80,000) / 2700) = 41
    assert fm.break_even_members == 41


def test_member_mix_adjusts_over_100():
    mix = bm.member_mix({"sme_share": 90, "intl_share": 30})
    assert mix == {"sme": 70, "intl": 30, "large": 0, "adjusted": True}


def test_europe_benchmark_is_read_from_the_data(cs):
    eu = bm.europe_public_share(cs)
    assert eu is not None and eu["case"] == "europe_evidence"
    assert "public" in eu["unit"] and eu["source_id"]
    mp = bm.milton_park_model(cs)
    assert len(mp) and (mp["case"] == "milton_park").all() and (mp["topic"] == "business_model").all()
    assert bm.fee_not_published(cs) is not None


def test_anchors(org):
    a = bm.anchors(org)
    assert {"UK_DIGITAL_GREENWICH", "UK_SMLL"} <= set(a["id"])
    assert bm.GREENWICH_ID not in set(a["id"])


fees = st.integers(min_value=0, max_value=50_000)


@settings(max_examples=60, deadline=None)
@given(fee_sme=fees, fee_large=fees, fee_intl=fees, bump=st.integers(min_value=0, max_value=20_000),
       which=st.sampled_from(["fee_sme", "fee_large", "fee_intl"]), members=st.integers(min_value=1, max_value=2000),
       sme=st.integers(0, 100), intl=st.integers(0, 100))
def test_property_raising_fees_never_lowers_self_funding(fee_sme, fee_large, fee_intl, bump, which, members, sme, intl):
    v = base_values(fee_sme=fee_sme, fee_large=fee_large, fee_intl=fee_intl, target_members=members,
                    sme_share=sme, intl_share=intl)
    before = bm.funding_model(v)
    after = bm.funding_model({**v, which: v[which] + bump})
    assert after.self_funding_ratio >= before.self_funding_ratio - 1e-12
    if before.break_even_members is not None and after.break_even_members is not None:
        assert after.break_even_members <= before.break_even_members


@settings(max_examples=60, deadline=None)
@given(peers=st.lists(st.integers(0, 1000), min_size=1, max_size=30), value=st.integers(0, 1000),
       extra=st.integers(1, 500))
def test_property_adding_a_peer_above_never_raises_percentile(peers, value, extra):
    toy = _rank_org(peers)
    v = base_values(target_members=max(1, value))
    before = bm.rank_table(toy, list(toy["id"]), v).set_index("metric").loc["members_total", "percentile"]
    toy2 = _rank_org(peers + [max(1, value) + extra])
    after = bm.rank_table(toy2, list(toy2["id"]), v).set_index("metric").loc["members_total", "percentile"]
    assert after <= before + 1e-9


def test_clamp_values():
    out = bm.clamp_values({"years": 99, "fee_sme": -5, "target_members": "x"})
    assert out == {"years": 10, "fee_sme": 0}


# ----------------------------------------------------------------- brief
def _summary() -> "gv.Verdict":
    return gv.Verdict(question="Q?", answer=("Answer one.",), caveats=("Caveat one.",), median_notice=None,
                      figures=(gv.Headline("GVA share", "2.8%", gv.SOURCED, "ONS"),
                               gv.Headline("Rank", "49th percentile", gv.ASSUMPTION, "members"),
                               gv.Headline("Ratio", "1.02", gv.ASSUMPTION, "own ÷ costs")))


def _brief(**over) -> str:
    kw = dict(
        title="Brief <script>alert(1)</script>", generated="2026-01-01", summary=_summary(),
        jobs=gv.jobs_view({"ok": True, "basis": "employees", "years": [0, 1, 2], "low": [1.0, 2.0, 3.0],
                           "central": [2.0, 3.0, 4.0], "high": [3.0, 4.0, 5.0], "peers": [1, 2, 3]}),
        baseline=[{"label": "Population", "value": 536174.0, "year": 2021, "source": "ONS <b>pop</b>"}],
        assumptions=[{"label": "Annual fee, SME member", "value": 1000, "unit": "£ per year",
                      "rule": "round assumption"}],
        peer_group={"label": "Valencia", "rule": "ES52", "n": 1},
        peers=[{"id": "X", "name": "<script>alert('x')</script> Cluster", "row_type": "cluster_org", "country": "ES"}],
        ranks=[{"label": "Members", "scenario": 150.0, "n_peers": 2, "percentile": 75.0, "median": 120.0,
                "top_quartile": 140.0, "small": True}],
        convention=metrics.PERCENTILE_CONVENTION,
        robustness=[{"group_label": "Valencia", "label": "Members", "percentile": 75.0},
                    {"group_label": "All", "label": "Members", "percentile": None}],
        gaps=["Members: ≈ 10 more members"],
        outlook={"ok": True, "years": [0, 1, 2], "low": [1.0, 2.0, 3.0], "central": [2.0, 3.0, 4.0],
                 "high": [3.0, 4.0, 5.0], "method": "test method"},
        sustainability=[{"label": "Self-funding ratio", "value": 0.8, "how": "own ÷ costs"}],
        benchmarks=["European benchmark ≈ 45%"],
        sources=[{"source_id": "S1", "title": "A source", "url": "https://example.org/a", "date": "2020",
                  "publisher": "Pub"},
                 {"source_id": "S2", "title": "Bad", "url": "javascript:alert(1)", "date": None, "publisher": None}],
    )
    kw.update(over)
    return brief.build_brief(**kw)


def test_brief_contains_assumptions_and_sources():
    h = _brief()
    assert "Assumption" in h and "Annual fee, SME member" in h
    assert "A source" in h and "https://example.org/a" in h and "2020" in h
    assert "<svg" in h and "test method" in h and "European benchmark" in h


def test_brief_escapes_script():
    h = _brief()
    assert "<script>" not in h.lower()
    assert "&lt;script&gt;" in h
    assert "javascript:" not in re.findall(r"href='([^']*)'", h)[-1]
    assert not any(u.startswith("javascript") for u in re.findall(r"href=['\"]([^'\"]*)", h))


def test_brief_loads_nothing_external():
    h = _brief()
    for tag in re.findall(r"<(?:script|link|img|iframe)\b[^>]*>", h, flags=re.I):
        assert not re.search(r"(?:src|href)\s*=\s*['\"]?\s*(?:https?:)?//", tag, flags=re.I), tag
    assert "<script" not in h.lower() and "<link" not in h.lower() and "<img" not in h.lower()
    assert "@import" not in h and "url(" not in h


def test_brief_refused_outlook_shows_reason():
    h = _brief(outlook={"ok": False, "reason": "Only 1 peer cluster has the evidence", "method": "m"})
    assert "Only 1 peer cluster has the evidence" in h


def test_brief_missing_value_is_not_zero():
    h = _brief(ranks=[{"label": "Members", "scenario": 150.0, "n_peers": 0, "percentile": None, "median": None,
                       "top_quartile": None, "small": False}])
    assert "<td>150</td><td>0</td><td>no data</td><td>no data</td>" in h  # 0 peers; rank and median missing
