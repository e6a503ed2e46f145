"""/compare: pure tables (normalisation, index, sourced values) and the page via AppTest."""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cluster_data import compare as cmp
from cluster_data import compare_view as cv
from cluster_data import load
from tests.conftest import all_text, app_test, no_errors, plotly_specs

PAGE = "pages/2_compare.py"
TRIO = ["DK_ODENSE_ROBOTICS", "ES_AVAESEN", "UK_OBN"]


@pytest.fixture(scope="module")
def org():
    return load.read_table("organisations.csv")


@pytest.fixture(scope="module")
def tables():
    return {n: load.read_table(n + ".csv") for n in ("facts", "sources", "case_studies")}


def _expected_text(v, lb: bool, field: str = "") -> str:
    """Independent formatting of a headline value as the page must show it."""
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "not sourced"
    v = float(v)
    t = f"{v:,.0f}" if v.is_integer() or abs(v) >= 100 else f"{v:,.1f}"
    if field.endswith("_pct"):
        t += "%"
    return ("more than " + t) if lb else t


# ----------------------------------------------------------------- formatting
def test_fmt_number_lower_bound_missing_and_pct():
    assert cmp.fmt_number(130, "members_total", True) == "more than 130"
    assert cmp.fmt_number(13900) == "13,900"
    assert cmp.fmt_number(float("nan")) == "not sourced"
    assert cmp.fmt_number(None) == "not sourced"
    assert cmp.fmt_number(45, "funding_public_share_pct") == "45%"
    assert cmp.fmt_number(0) == "0"  # a genuine zero stays a zero; only missing is "no source"


# ----------------------------------------------------------------- normalisation
def _toy_org():
    return pd.DataFrame({
        "id": ["A", "B", "C", "D"],
        "name": ["Alpha", "Beta", "Gamma", "Delta"],
        "row_type": "cluster_org",
        "nuts2_2016": ["XX01", "XX01", None, "XX02"],
        "members_total": [50.0, np.nan, 10.0, 20.0],
        "members_total_lower_bound": [False, False, False, True],
        "employees_in_members": [1000.0, 300.0, 40.0, np.nan],
        "employees_in_members_year": [2018.0, 2019.0, 2018.0, np.nan],
        "employees_in_members_lower_bound": [True, False, False, False],
    })


def _toy_ri():
    return pd.DataFrame({
        "region": ["XX01", "XX01", "XX02"],
        "indicator": ["population"] * 3,
        "year": [2017, 2019, 2019],
        "value": [200_000.0, 400_000.0, 1_000_000.0],
        "source_id": "R_EUROSTAT_TGS",
    })


def test_normalised_hand_computed():
    t = cmp.normalised(_toy_org(), _toy_ri(), ["A", "B", "C", "D"], "employees_in_members").set_index("id")
    # A: 1000 / 50 members = 20; population for 2018 = latest at or before 2018 = 2017 (200,000)
    assert t.loc["A", "per_member"] == pytest.approx(20.0)
    assert t.loc["A", "population_year"] == 2017
    assert t.loc["A", "per_100k"] == pytest.approx(1000 / 200_000 * 100_000)  # 500
    assert bool(t.loc["A", "lower_bound"]) is True  # a lower bound stays a lower bound
    # B: 300 in 2019, no member count -> no per-member value, says why; population 2019 = 400,000
    assert math.isnan(t.loc["B", "per_member"])
    assert "no member count" in t.loc["B", "reason"]
    assert t.loc["B", "per_100k"] == pytest.approx(75.0)
    # C: no region -> cannot be normalised by population, says why
    assert math.isnan(t.loc["C", "per_100k"]) and "no NUTS 2 region" in t.loc["C", "reason"]
    assert t.loc["C", "per_member"] == pytest.approx(4.0)
    # D: no value -> nothing computed, never 0
    assert math.isnan(t.loc["D", "per_member"]) and math.isnan(t.loc["D", "per_100k"])
    assert t.loc["D", "reason"] == "no sourced value"


def test_normalised_members_per_member_not_computed_but_per_100k_is():
    t = cmp.normalised(_toy_org(), _toy_ri(), ["A", "D"], "members_total").set_index("id")
    assert t["per_member"].isna().all()
    assert t.loc["D", "per_100k"] == pytest.approx(20 / 1_000_000 * 100_000)


def test_normalised_on_real_data_uses_eurostat_population(org):
    ri = load.load_regional_indicators()
    t = cmp.normalised(org, ri, ["DK_ODENSE_ROBOTICS"], "employees_in_members").iloc[0]
    pop = ri[(ri.region == "DK03") & (ri.indicator == "population") & (ri.year == t["population_year"])]["value"].iloc[0]
    val = org.set_index("id").loc["DK_ODENSE_ROBOTICS", "employees_in_members"]
    assert t["per_100k"] == pytest.approx(val / pop * 100_000)
    assert t["per_member"] == pytest.approx(val / org.set_index("id").loc["DK_ODENSE_ROBOTICS", "members_total"])


# ----------------------------------------------------------------- composite index
def _comps():
    return pd.DataFrame({"c1": [0.0, 10.0, 5.0], "c2": [10.0, 0.0, np.nan]}, index=["a", "b", "c"])


def test_index_hand_computed_equal_weights():
    r = cmp.index_table(_comps(), {"c1": 1, "c2": 1}, min_coverage=1)
    assert r.loc["a", "score"] == pytest.approx(50.0)  # (0 + 1) / 2
    assert r.loc["b", "score"] == pytest.approx(50.0)  # (1 + 0) / 2
    # c has c1 only (scaled 0.5): 50, not 25 -> the missing c2 is not a zero
    assert r.loc["c", "score"] == pytest.approx(50.0)
    assert r.loc["c", "coverage"] == 1 and r.loc["c", "status"] == "partial (1 of 2)" and bool(r.loc["c", "partial"])
    assert r.loc["a", "status"] == "complete"


def test_index_weight_change():
    r = cmp.index_table(_comps(), {"c1": 3, "c2": 1}, min_coverage=1)
    assert r.loc["a", "score"] == pytest.approx(25.0)  # (0*3 + 1*1) / 4
    assert r.loc["b", "score"] == pytest.approx(75.0)  # (1*3 + 0*1) / 4
    assert r.loc["b", "rank"] == 1
    # zero weight drops a component from the index and from coverage
    r0 = cmp.index_table(_comps(), {"c1": 1, "c2": 0}, min_coverage=1)
    assert (r0["n_components"] == 1).all() and r0.loc["c", "status"] == "complete"
    assert r0.loc["b", "score"] == pytest.approx(100.0)


def test_index_minimum_coverage_excludes_and_says_so():
    r = cmp.index_table(_comps(), {"c1": 1, "c2": 1}, min_coverage=2)
    assert math.isnan(r.loc["c", "score"])
    assert r.loc["c", "status"] == "excluded (1 of 2; minimum 2)"
    assert not r.loc["c", "eligible"]


def test_index_no_weight_scores_nothing():
    r = cmp.index_table(_comps(), {"c1": 0, "c2": 0})
    assert r["score"].isna().all() and (r["status"].str.startswith("excluded")).all()


def test_intl_components_from_data(org):
    c = cmp.intl_components(org)
    o = org.set_index("id")
    assert c.loc["DK_WELFARE_TECH", "countries_partnered"] == o.loc["DK_WELFARE_TECH", "countries_partnered"]
    assert c.loc["DK_WELFARE_TECH", "esca_score"] == 3.0  # gold
    assert math.isnan(c.loc["ES_AVAESEN", "esca_score"])  # no label -> missing, not 0


comp_value = st.one_of(st.none(), st.floats(min_value=0, max_value=1000, allow_nan=False))


@st.composite
def comp_frames(draw):
    n = draw(st.integers(min_value=2, max_value=8))
    cols = ["c1", "c2", "c3"]
    data = {c: [draw(comp_value) for _ in range(n)] for c in cols}
    df = pd.DataFrame(data, index=[f"r{i}" for i in range(n)], dtype=float)
    weights = {c: draw(st.floats(min_value=0.1, max_value=5)) for c in cols}
    return df, weights


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(comp_frames(), st.floats(min_value=0.01, max_value=100), st.integers(min_value=1, max_value=3))
def test_property_scaling_weights_keeps_scores_and_ranking(fw, k, min_cov):
    df, w = fw
    a = cmp.index_table(df, w, min_cov)
    b = cmp.index_table(df, {c: v * k for c, v in w.items()}, min_cov)
    assert (a["eligible"] == b["eligible"]).all()
    assert np.allclose(a["score"].fillna(-1), b["score"].fillna(-1), atol=1e-7)
    order_a = a["score"].dropna().round(6).rank(method="min")
    order_b = b["score"].dropna().round(6).rank(method="min")
    assert (order_a == order_b).all()


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(comp_frames())
def test_property_missing_component_is_left_out_not_zero_and_flagged(fw):
    df, w = fw
    r = cmp.index_table(df, w, 1)
    for rid in df.index:
        have = [c for c in df.columns if not math.isnan(df.loc[rid, c])]
        if not have:
            assert math.isnan(r.loc[rid, "score"]) and not r.loc[rid, "eligible"]
            continue
        if len(have) < len(df.columns):
            # flagged, never silently complete
            assert r.loc[rid, "partial"] and r.loc[rid, "status"].startswith("partial")
        # the score equals the index computed from only the components the row has
        only = cmp.index_table(df[have], {c: w[c] for c in have}, 1)
        assert r.loc[rid, "score"] == pytest.approx(only.loc[rid, "score"], abs=1e-7)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(comp_frames(), st.floats(min_value=0, max_value=1000, allow_nan=False), st.data())
def test_property_filling_a_gap_never_silently_lowers_a_score(fw, new_value, data):
    df, w = fw
    gaps = [(rid, c) for rid in df.index for c in df.columns if math.isnan(df.loc[rid, c])]
    if not gaps:
        return
    rid, c = data.draw(st.sampled_from(gaps))
    before = cmp.index_table(df, w, 1)
    filled = df.copy()
    filled.loc[rid, c] = new_value
    after = cmp.index_table(filled, w, 1)
    b, a = before.loc[rid, "score"], after.loc[rid, "score"]
    if not math.isnan(b) and a < b - 1e-9:
        # a lower score after filling is only possible for a row that was flagged as partial
        assert before.loc[rid, "partial"]
    assert after.loc[rid, "coverage"] == before.loc[rid, "coverage"] + 1


# ----------------------------------------------------------------- sourced values and benchmarks
def test_values_long_matches_headline_values(org, tables):
    long = cmp.values_long(org, tables["facts"], tables["sources"], TRIO, cmp.JOB_FIELDS)
    o = org.set_index("id")
    for _, r in long.iterrows():
        v = o.loc[r["id"], r["field"]]
        lb = bool(o.loc[r["id"], r["field"] + "_lower_bound"]) and not pd.isna(v)
        assert r["shown"] == _expected_text(None if pd.isna(v) else float(v), lb)
        if pd.isna(v):
            assert pd.isna(r["value"]) and pd.isna(r["source"])
        else:
            assert r["value"] == float(v) and isinstance(r["source"], str)
    assert set(long["counts"]) <= set(cmp.FIELD_UNITS.values())


def test_funding_benchmark_comes_from_case_studies(tables):
    bench = cmp.funding_benchmarks(tables["case_studies"], tables["sources"])
    cs = tables["case_studies"]
    ev = cs[(cs["case"] == "europe_evidence") & (cs["topic"] == "funding")]
    assert set(ev["case_fact_id"]) <= set(bench["case_fact_id"])
    ref = cmp.public_share_benchmark(bench)
    assert ref is not None
    row = cs[cs["case_fact_id"].isin(bench["case_fact_id"]) & (cs["value_num"] == ref["value"])]
    assert not row.empty and isinstance(ref["title"], str) and ref["quote"]


def test_quick_picks_come_from_the_data(org):
    dk = cmp.quick_pick(org, "southern_denmark")
    assert 2 <= len(dk) <= 8 and set(org.set_index("id").loc[dk, "nuts2_2016"]) == {"DK03"}
    assert set(cmp.quick_pick(org, "milton_park")) == {"UK_MILTON_PARK_LS", "UK_OBN"}
    assert "UK_GREENWICH_DIGITAL_CLUSTER" not in cmp.quick_pick(org, "greenwich")
    assert cmp.quick_pick(org, "nope") == []


def test_default_ids_exist(org):
    ids = cmp.default_ids(org)
    assert ids == TRIO and set(ids) <= set(org["id"])


# ----------------------------------------------------------------- view-models (cluster_data.compare_view)
def test_normalised_view_says_why_a_row_could_not_be_normalised():
    v = cv.normalised_view(_toy_org(), _toy_ri(), ["A", "B", "C", "D"], "employees_in_members")
    assert v.why == "Beta (no member count); Gamma (no NUTS 2 region); Delta (no sourced value)"
    t = v.table.set_index("Organisation")
    assert t.loc["Alpha", "Not normalised because"] == ""
    assert t.loc["Alpha", "Value"] == "more than 1,000" and t.loc["Alpha", "Per member"] == "more than 20"
    assert t.loc["Alpha", "Population (year)"] == "200,000 (2017)"
    assert t.loc["Beta", "Per member"] == "—" and t.loc["Beta", "Per 100,000 inhabitants"] == "75"
    assert t.loc["Gamma", "Population (year)"] == "no data" and t.loc["Gamma", "NUTS 2 region"] == "unknown"
    assert t.loc["Delta", "Value"] == "not sourced"
    assert t.loc["Delta", "Per member"] == "—" and t.loc["Delta", "Per 100,000 inhabitants"] == "—"  # never 0
    assert list(v.data["id"]) == ["A", "B", "C", "D"]  # the CSV is the computed table


def test_normalised_view_of_rows_that_all_normalise_has_no_reason():
    v = cv.normalised_view(_toy_org(), _toy_ri(), ["A"], "employees_in_members")
    assert v.why == ""


def _toy_intl_shipped() -> pd.DataFrame:
    return pd.DataFrame({
        "id": ["S1", "S2", "S3", "P"],
        "name": ["Alpha", "Beta", "Gamma", "Plan"],
        "row_type": ["cluster_org", "cluster_org", "cluster_org", "prospective"],
        "members_international": [10.0, 20.0, np.nan, 5.0],
        "countries_partnered": [5.0, 15.0, 10.0, np.nan],
        "eu_cluster_partnerships": [1.0, 3.0, 2.0, np.nan],
        "esca_label": ["gold", "bronze", None, None],
        "members_total": [100.0, np.nan, 40.0, 10.0],
        "members_total_lower_bound": [True, False, False, False],
    })


def _toy_intl_org() -> pd.DataFrame:
    """The shipped rows plus one imported organisation that holds no index component."""
    imp = pd.DataFrame({"id": ["IMP"], "name": ["Imported"], "row_type": ["cluster_org"], "members_total": [30.0],
                        "members_total_lower_bound": [False]})
    return pd.concat([_toy_intl_shipped(), imp], ignore_index=True)


def _toy_index_view(ids, min_cov=2):
    shipped = _toy_intl_shipped()
    ref = cv.reference_index(shipped, cv.reference_extra(shipped, ids), dict(cmp.DEFAULT_WEIGHTS), min_cov)
    return ref, cv.index_view(ref, _toy_intl_org(), ids, min_cov)


def test_imported_id_without_components_is_listed_as_excluded():
    ids = ["S1", "S2", "S3", "IMP"]
    ref, v = _toy_index_view(ids)
    assert "IMP" not in ref.scores.index  # imported rows never join the reference group
    t = v.table.set_index("id")
    assert list(t.index) == ids
    assert t.loc["IMP", "Status"] == "excluded (0 of 4; minimum 2)"
    assert t.loc["IMP", "Index (0–100)"] == "not scored" and t.loc["IMP", "Coverage"] == "0 of 4"
    assert t.loc["IMP", "Partner countries"] == "not sourced"  # missing, never 0
    # hand-computed min–max over S1–S3: S1 (0+0+0+1)/4, S2 (1+1+1+0)/4, S3 (0.5+0.5)/2 from 2 of 4 components
    assert t.loc["S1", "Index (0–100)"] == "25" and t.loc["S2", "Index (0–100)"] == "75"
    assert t.loc["S3", "Index (0–100)"] == "50" and t.loc["S3", "Status"] == "partial (2 of 4)"
    assert t.loc["S1", "ESCA label (bronze 1, silver 2, gold 3)"] == "3"
    csv = v.csv.set_index("id")
    assert list(csv.index) == ids and math.isnan(csv.loc["IMP", "score"]) and csv.loc["IMP", "coverage"] == 0
    assert v.reference_size == 3


def test_reference_group_is_cluster_organisations_plus_the_selections_shipped_ids():
    shipped = _toy_intl_shipped()
    assert cv.reference_extra(shipped, ["S2", "IMP", "P"]) == ("P", "S2")
    ref, v = _toy_index_view(["S1", "P"], min_cov=1)
    assert ref.size == v.reference_size == 4 and set(ref.scores.index) == {"S1", "S2", "S3", "P"}
    # P's international members (5) is now the minimum: S1's scales to 1/3, not 0
    assert v.table.set_index("id").loc["S1", "Index (0–100)"] == "33"


def test_scatter_leaves_out_and_names_organisations_without_members_or_score():
    _, v = _toy_index_view(["S1", "S2", "S3", "IMP"])
    sc = v.scatter
    assert list(sc.points["id"]) == ["S1", "S3"]
    assert sc.not_shown == ("Beta", "Imported")  # Beta: no member count; Imported: no index score
    assert sc.x_median == pytest.approx(70.0) and sc.y_median == pytest.approx(37.5)  # medians of (100, 40), (25, 50)
    t = sc.table.set_index("id")
    assert t.loc["S1", "members_total"] == "more than 100" and t.loc["S2", "members_total"] == "not sourced"
    assert t.loc["IMP", "score"] == "not scored" and t.loc["S3", "score"] == "50"


def test_scatter_without_any_complete_row_has_no_medians():
    _, v = _toy_index_view(["S2", "IMP"])
    assert v.scatter.points.empty and v.scatter.x_median is None and v.scatter.y_median is None
    assert v.scatter.not_shown == ("Beta", "Imported")


def test_intl_tables_show_missing_text_as_not_sourced_and_join_the_csv(org, tables):
    ids = ["DK_WELFARE_TECH", "ES_AVAESEN"]
    long = cmp.values_long(org, tables["facts"], tables["sources"], ids, cmp.METRIC_FIELDS)
    it = cv.intl_tables(long, org, ids)
    assert set(it.sourced.rows["field"]) == set(cmp.INTL_FIELDS)
    text = it.text.set_index("id")
    o = org.set_index("id")
    assert text.loc["DK_WELFARE_TECH", "ESCA label"] == o.loc["DK_WELFARE_TECH", "esca_label"]
    assert pd.isna(o.loc["ES_AVAESEN", "esca_label"]) and text.loc["ES_AVAESEN", "ESCA label"] == "not sourced"
    assert "quote" not in it.csv.columns and "quote" in it.sourced.rows.columns
    assert len(it.csv) == len(it.sourced.rows) and it.csv["ESCA label"].notna().all()


def test_sourced_table_keeps_one_topic_and_drops_quotes_from_the_csv(org, tables):
    long = cmp.values_long(org, tables["facts"], tables["sources"], TRIO, cmp.METRIC_FIELDS)
    s = cv.sourced_table(long, cmp.JOB_FIELDS)
    assert set(s.rows["field"]) == set(cmp.JOB_FIELDS) and len(s.rows) == len(TRIO) * len(cmp.JOB_FIELDS)
    assert list(s.table["Value"]) == list(s.rows["shown"])
    assert "quote" not in s.csv.columns


def test_regional_context_names_regions_and_keeps_missing_as_no_data():
    rows = (("A", "Alpha", "XX01"), ("B", "Beta", "XX01"), ("C", "Gamma", None))
    regions = pd.DataFrame({"code": ["XX01"], "name": ["Testland"]})
    rc = cv.regional_context(rows, _toy_ri(), regions, ["lq a", "lq b", "lq c"])
    t = rc.table.set_index("Organisation")
    assert t.loc["Alpha", "NUTS 2 region"] == "XX01 Testland" and t.loc["Gamma", "NUTS 2 region"] == "unknown"
    assert (t[cmp.indicator_label("rd_gdp")] == "no data").all()  # no R&D values held: never 0
    assert list(t[cv.LQ_COLUMN]) == ["lq a", "lq b", "lq c"]
    assert rc.regions == ("XX01",) and rc.region_members == ("XX01: Alpha, Beta",)
    assert rc.without_data(pd.DataFrame({"region": ["XX02"]})) == ["XX01"]
    assert rc.without_data(pd.DataFrame({"region": ["XX01"]})) == []


def test_region_rows_are_a_small_key_in_selection_order(org):
    rows = cv.region_rows(org, ["UK_OBN", "DK_ODENSE_ROBOTICS"])
    o = org.set_index("id")
    assert rows == (("UK_OBN", o.loc["UK_OBN", "name"], o.loc["UK_OBN", "nuts2_2016"]),
                    ("DK_ODENSE_ROBOTICS", o.loc["DK_ODENSE_ROBOTICS", "name"], "DK03"))


# ----------------------------------------------------------------- AppTest
VIEWS = ["Jobs", "Internationalisation", "Business model", "Regional context"]


class AllViews:
    """The compare page's tabs are lazy (only the open one runs): run it once per tab, bound to the
    URL key `view`, and look at everything the tabs show together."""

    def __init__(self, params: dict):
        self.runs = [app_test(PAGE, {**params, "view": v}) for v in VIEWS]
        self.first = self.runs[0]

    @property
    def dataframe(self):
        return [d for at in self.runs for d in at.dataframe]

    def specs(self):
        return [s for at in self.runs for s in plotly_specs(at)]

    def text(self):
        return "\n".join(all_text(at) for at in self.runs)


def _tables_with(at, column: str) -> list[pd.DataFrame]:
    return [d.value for d in at.dataframe if column in d.value.columns]


def _jobs_table(at) -> pd.DataFrame:
    for d in _tables_with(at, "Measure"):
        if set(d["Measure"]) >= {cmp.label(f) for f in cmp.JOB_FIELDS}:
            return d
    raise AssertionError("jobs table not found")


def test_page_shows_exactly_the_sourced_values(org):
    views = AllViews({"ids": ",".join(TRIO)})
    at = views.first
    for v, run in zip(VIEWS, views.runs):
        no_errors(run)
        if v != VIEWS[0]:  # the open tab is in the URL (the default one is left out)
            assert run.query_params["view"] in (v, [v])
    assert at.multiselect[0].value == TRIO
    jobs = _jobs_table(at)
    o = org.set_index("id")
    assert list(dict.fromkeys(jobs["id"])) == TRIO
    for _, r in jobs.iterrows():
        field = next(f for f in cmp.JOB_FIELDS if cmp.label(f) == r["Measure"])
        v = o.loc[r["id"], field]
        lb = bool(o.loc[r["id"], field + "_lower_bound"]) and not pd.isna(v)
        assert r["Value"] == _expected_text(None if pd.isna(v) else float(v), lb), (r["id"], field)
        assert r["What it counts"] == cmp.FIELD_UNITS[field]
    # Odense's member count is a lower bound in the data: shown as "more than"
    odense = jobs[(jobs["id"] == "DK_ODENSE_ROBOTICS") & (jobs["Measure"] == "Members")]["Value"].iloc[0]
    assert odense == f"more than {o.loc['DK_ODENSE_ROBOTICS', 'members_total']:,.0f}"
    # missing values render as "no source", never 0
    assert pd.isna(o.loc["ES_AVAESEN", "jobs_created"])
    aj = jobs[(jobs["id"] == "ES_AVAESEN") & (jobs["Measure"] == cmp.label("jobs_created"))]["Value"].iloc[0]
    assert aj == "not sourced"
    for d in _tables_with(views, "Value"):
        assert "0" not in set(d["Value"])
    # chart gaps are annotated, not drawn as zero
    specs = views.specs()
    assert any("not sourced" in str(a.get("text", "")) for s in specs for a in s.get("layout", {}).get("annotations", []))
    for s in specs:
        for tr in s["data"]:
            assert tr.get("type") != "bar"
    # each organisation links to its atlas profile
    links = [str(p.proto) for p in at.get("page_link")]
    for i in TRIO:
        assert any(f"org={i}" in l for l in links), i
    txt = views.text()
    assert "Source: Eurostat" in txt
    # normalised view: per 100,000 inhabitants uses the region's Eurostat population (year shown)
    ri = load.load_regional_indicators()
    norm = _tables_with(at, "Per 100,000 inhabitants")[0].set_index("Organisation")
    ode = norm.loc[o.loc["DK_ODENSE_ROBOTICS", "name"]]
    pop_year = int(ode["Population (year)"].split("(")[1].rstrip(")"))
    pop = ri[(ri.region == "DK03") & (ri.indicator == "population") & (ri.year == pop_year)]["value"].iloc[0]
    per = o.loc['DK_ODENSE_ROBOTICS', 'employees_in_members'] / pop * 100_000
    assert ode["Per 100,000 inhabitants"] == (f"{per:,.0f}" if per >= 100 else f"{per:,.1f}")  # display.fmt_number
    assert "no sourced value" in norm.loc[o.loc["UK_OBN", "name"], "Not normalised because"]
    # time series of the chosen indicator for the selected clusters' regions, values from the data
    ts = _tables_with(views, "year")[-1]
    assert set(ts["region"]) == {"DK03", "ES52", "UKJ1"}
    want = ri[(ri.indicator == "htec_kis_share") & ri.region.isin(["DK03", "ES52", "UKJ1"])]
    got = ts.merge(want, on=["region", "year"], suffixes=("", "_data"))
    assert len(got) == len(ts) and np.allclose(got["value"], got["value_data"])
    assert any(len(s["data"]) == 3 and all(t.get("mode") == "lines+markers" for t in s["data"]) for s in specs)


def test_url_reproduces_selection_and_metrics():
    params = {"ids": "DK_WELFARE_TECH,ES_AVIA,FR_SCS", "metrics": "members_total,countries_partnered", "ind": "rd_gdp"}
    at = app_test(PAGE, params)
    no_errors(at)
    assert at.query_params["ids"] == ["DK_WELFARE_TECH,ES_AVIA,FR_SCS"] or at.query_params["ids"] == "DK_WELFARE_TECH,ES_AVIA,FR_SCS"
    qp = {k: (v[0] if isinstance(v, list) else v) for k, v in dict(at.query_params).items()}
    assert qp["ids"] == params["ids"] and qp["metrics"] == params["metrics"] and qp["ind"] == "rd_gdp"
    at2 = app_test(PAGE, qp)
    no_errors(at2)
    assert at2.multiselect[0].value == at.multiselect[0].value == params["ids"].split(",")
    assert at2.multiselect[1].value == at.multiselect[1].value == ["members_total", "countries_partnered"]
    assert at2.selectbox[0].value == "rd_gdp"
    pd.testing.assert_frame_equal(_jobs_table(at), _jobs_table(at2))


def test_quick_pick_updates_selection_and_url(org):
    at = app_test(PAGE, {})
    no_errors(at)
    assert at.multiselect[0].value == TRIO  # sensible sourced default
    btn = next(b for b in at.button if b.label == cmp.QUICK_PICKS["valencia"])
    btn.click().run()
    no_errors(at)
    sel = at.multiselect[0].value
    assert len(sel) >= 2 and set(org.set_index("id").loc[sel, "nuts2_2016"]) == {"ES52"}
    qp = at.query_params["ids"]
    assert (qp[0] if isinstance(qp, list) else qp) == ",".join(sel)


def test_unknown_id_is_ignored_with_notice():
    at = app_test(PAGE, {"ids": "DK_ODENSE_ROBOTICS,NOTANORG99,UK_OBN"})
    no_errors(at)
    assert any("NOTANORG99" in str(i.value) for i in at.info)
    assert at.multiselect[0].value == ["DK_ODENSE_ROBOTICS", "UK_OBN"]


def test_garbage_params_show_defaults_and_notice():
    at = app_test(PAGE, {"ids": "<script>,,,", "ind": "zzz", "metrics": "';drop"})
    no_errors(at)
    assert at.multiselect[0].value == TRIO
    assert at.multiselect[1].value == cmp.DEFAULT_METRICS
    assert at.selectbox[0].value == cmp.DEFAULT_IND
    infos = " ".join(str(i.value) for i in at.info)
    assert "default" in infos and "zzz" in infos
    assert "Something went wrong" not in all_text(at)


def test_too_few_and_too_many_ids():
    at = app_test(PAGE, {"ids": "UK_OBN"})
    no_errors(at)
    assert at.multiselect[0].value == TRIO
    assert any("at least 2" in str(i.value) for i in at.info)
    many = "DK_ODENSE_ROBOTICS,ES_AVAESEN,UK_OBN,DK_WELFARE_TECH,ES_AVIA,FR_SCS,FR_MOVEO,DE_SILICON_SAXONY,PT_TICE"
    at = app_test(PAGE, {"ids": many})
    no_errors(at)
    assert at.multiselect[0].value == many.split(",")[:8]


def test_index_table_on_page_never_scores_missing_as_zero(org):
    at = app_test(PAGE, {"ids": "DK_WELFARE_TECH,ES_AVAESEN,FR_SCS", "view": "Internationalisation"})
    no_errors(at)
    idx = _tables_with(at, "Coverage")[0].set_index("id")
    assert idx.loc["ES_AVAESEN", "Index (0–100)"] == "not scored"
    assert idx.loc["ES_AVAESEN", "Status"].startswith("excluded")
    assert idx.loc["DK_WELFARE_TECH", "Partner countries"] == _expected_text(
        float(org.set_index("id").loc["DK_WELFARE_TECH", "countries_partnered"]), False)
    # moving a weight slider changes the index but not coverage
    before = idx.loc["FR_SCS", "Index (0–100)"]
    at.slider(key="cmp_w_eu_cluster_partnerships").set_value(3.0).run()
    no_errors(at)
    after = _tables_with(at, "Coverage")[0].set_index("id")
    assert after.loc["FR_SCS", "Coverage"] == idx.loc["FR_SCS", "Coverage"]
    assert after.loc["FR_SCS", "Index (0–100)"] != before


def test_parse_weights_and_param_round_trip():
    w, n = cmp.parse_weights("1,0.5,3,0")
    assert n is None and w == dict(zip(cmp.INDEX_COMPONENTS, [1.0, 0.5, 3.0, 0.0]))
    assert cmp.weights_param(w) == "1,0.5,3,0"
    assert cmp.weights_param(dict(cmp.DEFAULT_WEIGHTS)) is None
    for bad in ("1,2", "a,b,c,d", "1,1,1,9", "nan,1,1,1", "-1,1,1,1"):
        w, n = cmp.parse_weights(bad)
        assert w == cmp.DEFAULT_WEIGHTS and n


def test_weights_live_in_the_url_and_reopen():
    at = app_test(PAGE, {"ids": "DK_WELFARE_TECH,FR_SCS,ES_AVIA", "w": "0,1,3,1", "min_cov": "1", "view": "Internationalisation"})
    no_errors(at)
    assert at.slider(key="cmp_w_members_international").value == 0.0
    assert at.slider(key="cmp_w_eu_cluster_partnerships").value == 3.0
    assert at.slider(key="cmp_min_cov").value == 1
    idx = _tables_with(at, "Coverage")[0].set_index("id")
    assert idx.loc["ES_AVIA", "Status"].startswith("complete") or idx.loc["ES_AVIA", "Status"].startswith("partial")
    at.slider(key="cmp_w_countries_partnered").set_value(2.0).run()
    qp = at.query_params["w"]
    assert (qp[0] if isinstance(qp, list) else qp) == "0,2,3,1"
    bad = app_test(PAGE, {"w": "x,y", "min_cov": "99", "view": "Internationalisation"})
    no_errors(bad)
    assert bad.slider(key="cmp_min_cov").value == len(cmp.INDEX_COMPONENTS)
    assert any("weights" in str(i.value) for i in bad.info)


def test_default_view_writes_nothing_into_the_url(org):
    """The plain /compare link is the default view: writing the defaults made a history entry on arrival, so
    Back from /compare landed on /compare (issue 17, point 8)."""
    at = app_test(PAGE, {})
    no_errors(at)
    assert at.multiselect[0].value == cmp.default_ids(org)
    assert not {"ids", "metrics", "ind", "w", "min_cov"} & set(dict(at.query_params))
    assert all(v is None for v in cmp.url_params(cmp.default_ids(org), cmp.DEFAULT_METRICS, cmp.DEFAULT_IND,
                                                 dict(cmp.DEFAULT_WEIGHTS), cmp.DEFAULT_MIN_COVERAGE, org).values())
