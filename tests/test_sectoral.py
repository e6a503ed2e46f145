"""Issue 13: sector × region metrics (properties on synthetic data) and the shipped sectoral tables."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cluster_data import sectoral, sectoral_load
from cluster_data.sector_baskets import Basket, NAMED_BASKETS

SECTIONS = sectoral.DEFAULT_DENOMINATOR


def _frame(values: list[list[float | None]], cols: list[str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    wide = pd.DataFrame(values, columns=cols, index=[f"R{i}" for i in range(len(values))], dtype=float)
    why = pd.DataFrame("", index=wide.index, columns=cols, dtype=object).where(wide.notna(), sectoral.REASON_CONFIDENTIAL)
    return wide, why


region_rows = st.lists(st.lists(st.one_of(st.none(), st.integers(0, 50_000)), min_size=len(SECTIONS) + 1,
                                max_size=len(SECTIONS) + 1), min_size=2, max_size=12)


@settings(max_examples=60, deadline=None)
@given(region_rows)
def test_weighted_mean_lq_is_one_over_the_reference_regions(rows):
    wide, why = _frame(rows, list(SECTIONS) + ["X99"])
    den, den_why = sectoral.denominator(wide, why)
    m = sectoral.location_quotients(wide["X99"], why["X99"], den, den_why)
    if m["lq"].notna().any():
        assert sectoral.weighted_mean_lq(m["lq"], m["denominator"]) == pytest.approx(1.0)
    # a region lacking a denominator section gets no LQ, with that reason
    for r in wide.index[den.isna() & wide["X99"].notna()]:
        assert pd.isna(m.at[r, "lq"]) and m.at[r, "reason"].startswith(sectoral.REASON_DENOMINATOR)
    # a missing cell is never 0
    assert m.loc[wide["X99"].isna(), "lq"].isna().all()
    assert (m.loc[wide["X99"].isna(), "reason"] != "").all()


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(0, 10_000), min_size=1, max_size=10))
def test_national_shares_sum_to_one(values):
    total = sum(values)
    shares = [sectoral.national_share(v, total) for v in values]
    if total == 0:
        assert all(s is None for s in shares)
    else:
        assert sum(shares) == pytest.approx(1.0)
    assert sectoral.national_share(None, 10) is None and sectoral.national_share(5, None) is None


rca_frames = st.integers(2, 9).flatmap(lambda n: st.lists(
    st.lists(st.sampled_from([0.0, 1.0, np.nan]), min_size=n, max_size=n), min_size=1, max_size=15))


@settings(max_examples=80, deadline=None)
@given(rca_frames)
def test_phi_symmetric_in_unit_interval_and_density_in_unit_interval(rows):
    rca = pd.DataFrame(rows, columns=[f"S{i}" for i in range(len(rows[0]))])
    phi = sectoral.proximity(rca)
    assert np.allclose(phi.to_numpy(), phi.to_numpy().T)
    assert ((phi.to_numpy() >= 0) & (phi.to_numpy() <= 1)).all()
    d = sectoral.density(rca, phi).to_numpy()
    d = d[~np.isnan(d)]
    assert ((d >= 0) & (d <= 1 + 1e-12)).all()


def test_phi_worked_by_hand():
    # S0 specialised in R0, R1; S1 in R1, R2: P(S1|S0) = 1/2, P(S0|S1) = 1/2 → φ = 0.5
    rca = pd.DataFrame({"S0": [1, 1, 0, 0], "S1": [0, 1, 1, 0], "S2": [1, 1, 0, np.nan]}, dtype=float)
    phi = sectoral.proximity(rca)
    assert phi.at["S0", "S1"] == pytest.approx(0.5)
    assert phi.at["S0", "S2"] == pytest.approx(1.0)  # R3 (S2 unknown) is left out
    d = sectoral.density(rca, phi)
    # R2 has S1 only: density for S0 = (0·φ_22 + 1·φ_10) / (φ_10 + φ_20) with j over S1, S2 (S0 excluded)
    assert d.at[2, "S0"] == pytest.approx(0.5 / (0.5 + 1.0))


def test_strong_flags_match_the_rule_worked_by_hand():
    g = pd.DataFrame({"lq": [0.5, 1.0, 1.5, 2.0, 3.0, np.nan], "employment": [10, 20, 30, 40, 50, 60],
                      "local_units": [1, 2, 3, 4, 5, 6]}, dtype=float)
    g["focus"] = g["lq"] / 10
    # P75(LQ over 5 regions with an LQ) = 2.0; P25(employment) = 20; P25(local units) = 2
    flags = sectoral.apply_rule(g, sectoral.CLUSTER_MAPPING_RULE)
    assert flags.iloc[:5].tolist() == [False, False, False, True, True]
    assert pd.isna(flags.iloc[5])  # no LQ: unknown, never "not strong"
    spec = sectoral.apply_rule(g, next(r for r in sectoral.STAR_RULES if r.key == "star_specialisation"))
    assert spec.iloc[:5].tolist() == [False, False, False, True, True]
    size = sectoral.apply_rule(g, next(r for r in sectoral.STAR_RULES if r.key == "star_size"))
    assert size.iloc[:5].tolist() == [False, False, False, False, True]  # P90(employment) = 46
    # a missing local-units cell makes the flag unknown unless another condition already fails
    g2 = g.copy()
    g2.loc[4, "local_units"] = np.nan
    f2 = sectoral.apply_rule(g2, sectoral.CLUSTER_MAPPING_RULE)
    assert pd.isna(f2.iloc[4]) and not f2.iloc[0] and f2.iloc[3]


def test_growth_and_cagr():
    assert sectoral.growth(100, 121, 2) == (21, pytest.approx(0.1))
    assert sectoral.growth(None, 121, 2) == (None, None)
    assert sectoral.growth(0, 10, 2) == (10, None)


def test_basket_uses_section_when_a_division_is_confidential():
    wide, why = _frame([[1, None, 3, 10]], ["J58", "J59", "J61", "J"])
    b = Basket("x", "x", ("J58", "J59", "J61"))
    v, r = sectoral.basket_values(wide, why, b, {"J58": "J", "J59": "J", "J61": "J"})
    assert v.iloc[0] == 10 and r.iloc[0] == ""
    v, r = sectoral.basket_values(wide, why, b, None)
    assert pd.isna(v.iloc[0]) and r.iloc[0] == sectoral.REASON_CONFIDENTIAL


def test_similar_regions_needs_overlap():
    shares = pd.DataFrame({f"D{i}": [0.1, 0.1, 0.5, np.nan] for i in range(25)}, index=["A", "B", "C", "E"])
    out = sectoral.similar_regions(shares, "A", k=3)
    assert out["region_code"].tolist()[:2] == ["B", "C"] and "E" not in out["region_code"].tolist()


# ----------------------------------------------------------------- the shipped tables
@pytest.fixture(scope="module")
def metrics():
    return sectoral_load.metrics()


def test_shipped_lq_weighted_mean_is_one(metrics):
    for (y, s), g in metrics[metrics["sector_code"].isin(["J62", "digital", "C29"])].groupby(["year", "sector_code"]):
        assert sectoral.weighted_mean_lq(g["lq"], g["denominator"]) == pytest.approx(1.0, abs=1e-3), (y, s)


def test_uki5_j62_2015_matches_the_raw_sbs_row(metrics):
    # raw: eurostat_sbs_r_nuts06_r2_2008_2015_long.csv  "UKI5,2,J62,2015,persons_employed_nr,10908,"
    row = metrics[(metrics["region_code"] == "UKI5") & (metrics["year"] == 2015) & (metrics["sector_code"] == "J62")]
    assert row["employment"].iloc[0] == 10908
    cells = sectoral_load.cells()
    c = cells[(cells["source_id"] == "R_EUROSTAT_SBS") & (cells["region_code"] == "UKI5") & (cells["sector_code"] == "J62")
              & (cells["year"] == 2015) & (cells["measure"] == "persons_employed")]
    assert c["value"].iloc[0] == 10908


def test_bres_uki51_j62_matches_the_raw_row():
    # raw: uk_bres_employment_uki51_bexley_greenwich_sic2digit_2015_2022.csv, J62 2019: 3965
    cells = sectoral_load.cells()
    c = cells[(cells["source_id"] == "R_ONS_BRES_UKI51") & (cells["sector_code"] == "J62") & (cells["year"] == 2019)]
    assert len(c) == 1 and c["value"].iloc[0] == 3965


def test_confidential_cells_stay_missing_in_the_download():
    csv = pd.read_csv(sectoral_load.lq_csv_path(), dtype={"region_code": str, "sector_code": str})
    assert {"region_code", "year", "sector_code", "persons_employed", "lq"} <= set(csv.columns)
    conf = csv[csv["missing_reason"].fillna("").str.startswith("confidential")]
    assert len(conf) > 1000
    assert conf["persons_employed"].isna().all() and conf["lq"].isna().all()
    cells = sectoral_load.cells()
    c = cells[cells["flag"].str.contains("c") & cells["value"].isna()]
    assert len(c) > 1000 and (c["reason"] == sectoral.REASON_CONFIDENTIAL).all()


def test_shipped_sectoral_data_is_small():
    from cluster_data import paths

    d = paths.DEFAULT_DATA_DIR
    total = sum(p.stat().st_size for p in (d / "sectoral").glob("*")) + (d / "sectoral_lq.csv").stat().st_size
    assert total < 10_000_000


def test_named_baskets_cover_the_issue_list():
    keys = {b.key: b.divisions for b in NAMED_BASKETS}
    assert keys["digital"] == ("J58", "J59", "J60", "J61", "J62", "J63")
    assert keys["computer_programming"] == ("J62",) and "cyber" in next(b.note for b in NAMED_BASKETS if b.key == "computer_programming")
    for k, d in (("telecom", "J61"), ("automotive", "C29"), ("electronics", "C26"), ("machinery", "C28"),
                 ("scientific_rd", "M72"), ("architecture_engineering", "M71")):
        assert keys[k] == (d,)
