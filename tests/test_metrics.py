"""Tests for cluster_data.metrics: hand-computed cases, missing data and properties."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from cluster_data import metrics as m
from cluster_data.metrics import (
    PERCENTILE_CONVENTION,
    SMALL_GROUP,
    annual_costs,
    break_even_members,
    cagr,
    gap_targets,
    gva_location_quotient,
    internationalisation_index,
    jobs_outlook,
    location_quotient,
    members_path,
    nearest_peers,
    normalise,
    percentile_rank,
    standardise,
    sustainability,
)

PROP = settings(max_examples=50, deadline=None)

finite = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False)
money = st.floats(min_value=0, max_value=1e7, allow_nan=False, allow_infinity=False)
maybe_nan = st.one_of(finite, st.just(math.nan))


# ---------------------------------------------------------------------------
# location quotients
# ---------------------------------------------------------------------------


class TestLocationQuotient:
    def test_hand_computed(self):
        assert location_quotient(6.0, 3.0) == pytest.approx(2.0)
        assert location_quotient(1.5, 3.0) == pytest.approx(0.5)
        assert location_quotient(0.0, 3.0) == 0.0

    @pytest.mark.parametrize(
        "r, ref", [(None, 3.0), (math.nan, 3.0), (2.0, None), (2.0, math.nan), (2.0, 0.0), (2.0, -1.0)]
    )
    def test_missing_or_invalid_reference_is_nan(self, r, ref):
        assert math.isnan(location_quotient(r, ref))

    def test_gva_hand_computed(self):
        # region: 20/100 = 0.2; reference: 50/1000 = 0.05 -> LQ 4
        assert gva_location_quotient(20, 100, 50, 1000) == pytest.approx(4.0)
        assert gva_location_quotient(0, 100, 50, 1000) == 0.0

    @pytest.mark.parametrize(
        "args",
        [
            (None, 100, 50, 1000),
            (20, math.nan, 50, 1000),
            (20, 0, 50, 1000),
            (20, 100, 0, 1000),
            (20, 100, 50, 0),
            (20, 100, None, 1000),
        ],
    )
    def test_gva_missing_or_zero_is_nan(self, args):
        assert math.isnan(gva_location_quotient(*args))


# ---------------------------------------------------------------------------
# percentile rank
# ---------------------------------------------------------------------------


class TestPercentileRank:
    def test_the_convention_text_states_the_rule_the_code_uses(self):
        # the Methods page prints this text: it must name the small-group threshold the code applies
        text = PERCENTILE_CONVENTION.lower()
        assert "half" in text and "not part of the group" in text
        assert f"fewer than {SMALL_GROUP} are flagged as small" in text

    def test_hand_computed(self):
        # 2 of 4 below -> 50
        assert percentile_rank(5, [1, 2, 8, 9]) == pytest.approx(50.0)
        assert percentile_rank(10, [1, 2, 3]) == pytest.approx(100.0)
        assert percentile_rank(0, [1, 2, 3]) == pytest.approx(0.0)

    def test_ties_count_half(self):
        # below: 1 (1), equal: 2 (5,5), total 4 -> 100*(1+1)/4 = 50
        assert percentile_rank(5, [1, 5, 5, 9]) == pytest.approx(50.0)
        # all equal -> 50
        assert percentile_rank(3, [3, 3, 3]) == pytest.approx(50.0)

    def test_small_group(self):
        assert percentile_rank(2, [1]) == pytest.approx(100.0)
        assert percentile_rank(1, [1]) == pytest.approx(50.0)

    def test_nan_peers_dropped_not_zero(self):
        # if NaN were zero, 5 would be above it and rank would be 2/3*100
        assert percentile_rank(5, [1, 9, math.nan, None]) == pytest.approx(50.0)

    def test_missing_value_or_no_peers(self):
        assert percentile_rank(math.nan, [1, 2]) is None
        assert percentile_rank(None, [1, 2]) is None
        assert percentile_rank(1, []) is None
        assert percentile_rank(1, [math.nan, None]) is None

    @PROP
    @given(value=finite, peers=st.lists(maybe_nan, max_size=20))
    def test_range(self, value, peers):
        r = percentile_rank(value, peers)
        if r is not None:
            assert 0.0 <= r <= 100.0

    @PROP
    @given(value=finite, peers=st.lists(finite, min_size=1, max_size=20), bump=st.floats(0.001, 1e6))
    def test_adding_peer_above_never_raises_rank(self, value, peers, bump):
        assume(value + bump > value)
        before = percentile_rank(value, peers)
        after = percentile_rank(value, peers + [value + bump])
        assert after <= before + 1e-12


# ---------------------------------------------------------------------------
# normalise
# ---------------------------------------------------------------------------


class TestNormalise:
    def test_hand_computed(self):
        v = pd.Series([10.0, 20.0, 5.0, None, 3.0], index=list("abcde"))
        d = pd.Series([2.0, 0.0, 50_000.0, 4.0, None], index=list("abcde"))
        out = normalise(v, d)
        assert out["a"] == pytest.approx(5.0)
        assert out[["b", "d", "e"]].isna().all()
        per = normalise(v, d, per=100_000)
        assert per["c"] == pytest.approx(10.0)

    def test_negative_denominator_nan(self):
        out = normalise(pd.Series([1.0]), pd.Series([-2.0]))
        assert out.isna().all()

    def test_aligns_on_index(self):
        v = pd.Series([10.0, 20.0], index=["x", "y"])
        d = pd.Series([5.0, 2.0], index=["y", "x"])
        out = normalise(v, d)
        assert out["x"] == pytest.approx(5.0) and out["y"] == pytest.approx(4.0)


# ---------------------------------------------------------------------------
# internationalisation index
# ---------------------------------------------------------------------------


def _frame():
    return pd.DataFrame(
        {
            "exports": [0.0, 50.0, 100.0, np.nan],
            "projects": [2.0, np.nan, 4.0, 6.0],
            "partners": [1.0, 1.0, np.nan, np.nan],
        },
        index=["A", "B", "C", "D"],
    )


class TestInternationalisationIndex:
    def test_hand_computed(self):
        out = internationalisation_index(_frame(), {"exports": 1, "projects": 1, "partners": 2})
        # scaled: exports A0 B.5 C1 ; projects A0 C.5 D1 ; partners all equal -> A1 B1
        # A: (0*1 + 0*1 + 1*2)/4 = 0.5 -> 50
        # B: (0.5*1 + 1*2)/3 = 0.8333 -> 83.33
        # C: (1 + 0.5)/2 = 0.75 -> 75
        # D: coverage 1 < 2 -> NaN
        assert out.loc["A", "score"] == pytest.approx(50.0)
        assert out.loc["B", "score"] == pytest.approx(250 / 3)
        assert out.loc["C", "score"] == pytest.approx(75.0)
        assert math.isnan(out.loc["D", "score"])
        assert list(out["coverage"]) == [3, 2, 2, 1]
        assert list(out["n_components"]) == [3, 3, 3, 3]
        assert list(out["eligible"]) == [True, True, True, False]
        assert list(out.columns) == ["score", "coverage", "n_components", "eligible"]
        assert list(out.index) == list(_frame().index)

    def test_min_coverage_one(self):
        out = internationalisation_index(_frame(), {"exports": 1, "projects": 1}, min_coverage=1)
        assert out.loc["D", "score"] == pytest.approx(100.0)
        assert bool(out.loc["D", "eligible"])

    def test_weight_change_changes_score(self):
        a = internationalisation_index(_frame(), {"exports": 1, "projects": 1})
        b = internationalisation_index(_frame(), {"exports": 3, "projects": 1})
        # C: exports 1, projects .5 -> equal weights .75, 3:1 -> (3+.5)/4 = .875
        assert a.loc["C", "score"] == pytest.approx(75.0)
        assert b.loc["C", "score"] == pytest.approx(87.5)

    def test_zero_weight_component_ignored(self):
        out = internationalisation_index(_frame(), {"exports": 1, "projects": 1, "partners": 0})
        assert list(out["n_components"]) == [2, 2, 2, 2]
        assert list(out["coverage"]) == [2, 1, 2, 1]
        assert out.loc["A", "score"] == pytest.approx(0.0)

    def test_all_equal_component_scores_one(self):
        df = pd.DataFrame({"x": [3.0, 3.0], "y": [7.0, 7.0]}, index=["p", "q"])
        out = internationalisation_index(df, {"x": 1, "y": 1})
        assert (out["score"] == 100.0).all()

    @pytest.mark.parametrize(
        "weights",
        [{"exports": -1, "projects": 1}, {"exports": 0, "projects": 0}, {}, {"nope": 1}],
    )
    def test_invalid_weights(self, weights):
        with pytest.raises(ValueError):
            internationalisation_index(_frame(), weights)

    @PROP
    @given(
        data=st.lists(st.lists(maybe_nan, min_size=3, max_size=3), min_size=1, max_size=8),
        weights=st.lists(st.floats(0.01, 100), min_size=3, max_size=3),
        factor=st.floats(0.01, 1000),
    )
    def test_scaling_weights_leaves_scores_unchanged(self, data, weights, factor):
        df = pd.DataFrame(data, columns=["a", "b", "c"])
        w = dict(zip(df.columns, weights))
        w2 = {k: v * factor for k, v in w.items()}
        a = internationalisation_index(df, w)
        b = internationalisation_index(df, w2)
        pd.testing.assert_series_equal(a["score"], b["score"], rtol=1e-9, atol=1e-9)
        assert (a["coverage"] == b["coverage"]).all()
        # rankings identical: any clear ordering under w is kept under w2
        sa, sb = a["score"].to_numpy(), b["score"].to_numpy()
        for i in range(len(sa)):
            for j in range(len(sa)):
                if sa[i] < sa[j] - 1e-6:
                    assert sb[i] < sb[j]

    @PROP
    @given(
        data=st.lists(st.lists(maybe_nan, min_size=3, max_size=3), min_size=1, max_size=8),
        row=st.integers(0, 7),
        col=st.integers(0, 2),
        fill=finite,
    )
    def test_filling_missing_never_drops_coverage(self, data, row, col, fill):
        df = pd.DataFrame(data, columns=["a", "b", "c"])
        row = row % len(df)
        assume(math.isnan(df.iat[row, col]))
        filled = df.copy()
        filled.iat[row, col] = fill
        w = {"a": 1.0, "b": 2.0, "c": 1.0}
        before = internationalisation_index(df, w)
        after = internationalisation_index(filled, w)
        assert after["coverage"].iat[row] == before["coverage"].iat[row] + 1
        assert (after["coverage"] >= before["coverage"]).all()

    @PROP
    @given(
        others=st.lists(st.floats(0.0, 1e6), min_size=2, max_size=2),
        column_c=st.lists(st.floats(0.1, 1e6), min_size=1, max_size=5),
        rest=st.lists(st.lists(st.floats(0.0, 1e6), min_size=2, max_size=2), min_size=1, max_size=5),
    )
    def test_nan_is_not_zero(self, others, column_c, rest):
        # row 0 has a, b and missing c; other rows have data incl. positive c.
        n = max(len(column_c), len(rest))
        rows = [[others[0], others[1], math.nan]]
        for i in range(n):
            ab = rest[i % len(rest)]
            rows.append([ab[0], ab[1], column_c[i % len(column_c)]])
        df = pd.DataFrame(rows, columns=["a", "b", "c"])
        zero = df.copy()
        zero.iat[0, 2] = 0.0
        w = {"a": 1.0, "b": 1.0, "c": 1.0}
        with_nan = internationalisation_index(df, w, min_coverage=1)
        with_zero = internationalisation_index(zero, w, min_coverage=1)
        assert with_nan["coverage"].iat[0] == 2
        assert with_zero["coverage"].iat[0] == 3
        # reference: weighted mean of the row's own scaled a, b only
        scaled = []
        for c in ["a", "b"]:
            col = df[c]
            lo, hi = col.min(), col.max()
            scaled.append(1.0 if hi == lo else (col.iat[0] - lo) / (hi - lo))
        expected = 100 * sum(scaled) / 2
        assert with_nan["score"].iat[0] == pytest.approx(expected, abs=1e-9)
        # explicit 0 is the column minimum -> scaled 0 -> a strictly lower score
        # whenever the row has any positive scaled value
        if expected > 1e-9:
            assert with_zero["score"].iat[0] < with_nan["score"].iat[0]


# ---------------------------------------------------------------------------
# standardise / nearest peers
# ---------------------------------------------------------------------------


class TestStandardise:
    def test_hand_computed(self):
        df = pd.DataFrame({"x": [1.0, 2.0, 3.0, np.nan], "k": [4.0, 4.0, 4.0, 4.0], "s": [np.nan, 9.0, np.nan, np.nan]})
        z = standardise(df)
        # mean 2, sample std 1
        assert list(z["x"].iloc[:3]) == pytest.approx([-1.0, 0.0, 1.0])
        assert math.isnan(z["x"].iat[3])
        assert (z["k"] == 0.0).all()
        assert z["s"].iat[1] == 0.0 and z["s"].isna().sum() == 3


def _features():
    return pd.DataFrame(
        {
            "size": [1.0, 2.0, 3.0, 10.0, np.nan],
            "age": [5.0, 5.0, 6.0, 20.0, np.nan],
        },
        index=["p1", "p2", "p3", "p4", "none"],
    )


class TestNearestPeers:
    def test_hand_computed(self):
        f = pd.DataFrame({"x": [0.0, 1.0, 2.0, 3.0, 4.0]}, index=list("abcde"))
        # std (ddof=1) = sqrt(2.5); target 2 -> z 0
        out = nearest_peers(f, pd.Series({"x": 2.0}), k=3)
        s = math.sqrt(2.5)
        assert list(out.index) == ["c", "b", "d"]  # b/d tie broken by id
        assert list(out["distance"]) == pytest.approx([0.0, 1 / s, 1 / s])
        assert list(out["shared_features"]) == [1, 1, 1]
        assert list(out.columns) == ["distance", "shared_features"]

    def test_missing_target_feature_uses_shared_only(self):
        f = _features()
        out = nearest_peers(f, pd.Series({"size": 2.0, "age": np.nan}), k=10)
        assert "none" not in out.index
        assert (out["shared_features"] == 1).all()
        assert out.index[0] == "p2"

    def test_excludes_target_itself(self):
        f = _features()
        target = f.loc["p2"].copy()
        out = nearest_peers(f, target, k=10)
        assert "p2" not in out.index and "none" not in out.index
        assert len(out) == 3

    def test_weights_change_order(self):
        f = pd.DataFrame({"a": [0.0, 1.0, 0.0, 1.0], "b": [1.0, 0.0, 0.0, 1.0]}, index=["u", "v", "w", "x"])
        t = pd.Series({"a": 0.0, "b": 0.0})
        only_a = nearest_peers(f, t, k=2, weights={"a": 1.0, "b": 0.0})
        assert set(only_a.index) == {"u", "w"}
        only_b = nearest_peers(f, t, k=2, weights={"a": 0.0, "b": 1.0})
        assert set(only_b.index) == {"v", "w"}

    def test_bad_weights(self):
        with pytest.raises(ValueError):
            nearest_peers(_features(), pd.Series({"size": 1.0}), weights={"size": -1.0})

    def test_no_overlap_returns_empty(self):
        out = nearest_peers(_features(), pd.Series({"size": np.nan, "age": np.nan}))
        assert out.empty and list(out.columns) == ["distance", "shared_features"]

    @PROP
    @given(
        data=st.lists(st.lists(maybe_nan, min_size=3, max_size=3), min_size=1, max_size=12),
        target=st.lists(maybe_nan, min_size=3, max_size=3),
        k=st.integers(0, 10),
    )
    def test_never_returns_no_overlap_and_at_most_k(self, data, target, k):
        cols = ["a", "b", "c"]
        f = pd.DataFrame(data, columns=cols, index=[f"id{i:02d}" for i in range(len(data))])
        t = pd.Series(dict(zip(cols, target)))
        out = nearest_peers(f, t, k=k)
        assert len(out) <= k
        t_has = t.notna()
        for idx in out.index:
            shared = int((f.loc[idx].notna() & t_has).sum())
            assert shared >= 1
            assert out.loc[idx, "shared_features"] == shared
        assert out["distance"].is_monotonic_increasing
        assert (out["distance"] >= 0).all()
        # every row with overlap not returned is no closer than the last returned
        eligible = [i for i in f.index if int((f.loc[i].notna() & t_has).sum()) >= 1]
        assert len(out) == min(k, len(eligible))


# ---------------------------------------------------------------------------
# gap targets
# ---------------------------------------------------------------------------


class TestGapTargets:
    def test_hand_computed(self):
        g = gap_targets(2.0, [1.0, 2.0, 3.0, 4.0, 5.0])
        assert g["median"] == pytest.approx(3.0)
        assert g["top_quartile"] == pytest.approx(4.0)
        assert g["gap_to_median"] == pytest.approx(1.0)
        assert g["gap_to_top_quartile"] == pytest.approx(2.0)
        assert g["n"] == 5

    def test_above_benchmarks_zero_gap(self):
        g = gap_targets(10.0, [1.0, 2.0, None, math.nan])
        assert g["n"] == 2
        assert g["median"] == pytest.approx(1.5)
        assert g["top_quartile"] == pytest.approx(1.75)
        assert g["gap_to_median"] == 0.0 and g["gap_to_top_quartile"] == 0.0

    def test_missing_value(self):
        g = gap_targets(math.nan, [1.0, 3.0])
        assert g["median"] == pytest.approx(2.0)
        assert g["gap_to_median"] is None and g["gap_to_top_quartile"] is None

    def test_no_peers(self):
        g = gap_targets(1.0, [None, math.nan])
        assert g == {
            "median": None,
            "top_quartile": None,
            "gap_to_median": None,
            "gap_to_top_quartile": None,
            "n": 0,
        }


# ---------------------------------------------------------------------------
# members path / jobs outlook
# ---------------------------------------------------------------------------


class TestMembersPath:
    def test_compound(self):
        p = members_path(100, 400, 2)
        assert p == pytest.approx([100.0, 200.0, 400.0])

    def test_linear_from_zero(self):
        assert members_path(0, 30, 3) == pytest.approx([0.0, 10.0, 20.0, 30.0])

    def test_length_and_endpoints(self):
        p = members_path(37, 81, 7)
        assert len(p) == 8 and p[0] == 37 and p[-1] == 81

    @pytest.mark.parametrize("args", [(-1, 10, 3), (10, -1, 3), (10, 20, 0), (10, 20, -2), (None, 20, 3)])
    def test_invalid(self, args):
        with pytest.raises(ValueError):
            members_path(*args)


class TestJobsOutlook:
    def test_too_few_peers(self):
        out = jobs_outlook([10, 20], [2.0, math.nan, None])
        assert out["ok"] is False and out["n_peers"] == 1
        assert "1" in out["reason"] and "3" in out["reason"]
        assert set(out) == {"ok", "reason", "n_peers"}

    def test_hand_computed(self):
        out = jobs_outlook([10, 20], [1.0, 2.0, 3.0, math.nan])
        assert out["ok"] is True and out["n_peers"] == 3
        assert out["ratios"] == pytest.approx((1.5, 2.0, 2.5))
        assert out["low"] == pytest.approx([15.0, 30.0])
        assert out["central"] == pytest.approx([20.0, 40.0])
        assert out["high"] == pytest.approx([25.0, 50.0])

    def test_min_peers_param(self):
        assert jobs_outlook([1], [5.0], min_peers=1)["ok"] is True
        assert jobs_outlook([1], [5.0, 6.0], min_peers=5)["ok"] is False


# ---------------------------------------------------------------------------
# sustainability / break-even / costs
# ---------------------------------------------------------------------------


class TestSustainability:
    def test_hand_computed(self):
        s = sustainability(fees=50, events=20, services=30, public=100, costs=250)
        assert s["self_funding_ratio"] == pytest.approx(0.4)
        assert s["public_share_pct"] == pytest.approx(50.0)
        assert s["surplus"] == pytest.approx(-50.0)
        assert s["total_income"] == pytest.approx(200.0)

    def test_zero_costs_and_income(self):
        s = sustainability(0, 0, 0, 0, 0)
        assert s["self_funding_ratio"] is None and s["public_share_pct"] is None
        assert s["surplus"] == 0.0

    @pytest.mark.parametrize("bad", [-1.0, math.nan, None])
    def test_invalid(self, bad):
        with pytest.raises(ValueError):
            sustainability(bad, 0, 0, 0, 10)
        with pytest.raises(ValueError):
            sustainability(1, 0, 0, 0, bad)

    @PROP
    @given(fees=money, extra=money, events=money, services=money, public=money, costs=st.floats(0.01, 1e7))
    def test_raising_fees_never_lowers_ratio(self, fees, extra, events, services, public, costs):
        a = sustainability(fees, events, services, public, costs)["self_funding_ratio"]
        b = sustainability(fees + extra, events, services, public, costs)["self_funding_ratio"]
        assert b >= a


class TestBreakEven:
    def test_hand_computed(self):
        # need 100 - 5 - 3 = 92 from fees of 10 -> 9.2 -> 10 members
        assert break_even_members(10, 5, 100, 3) == 10
        assert break_even_members(10, 0, 100) == 10
        assert break_even_members(10, 0, 101) == 11

    def test_already_covered(self):
        assert break_even_members(10, 60, 100, public=40) == 0
        assert break_even_members(0, 100, 100) == 0

    def test_impossible(self):
        assert break_even_members(0, 10, 100) is None
        assert break_even_members(-5, 10, 100) is None

    def test_invalid(self):
        with pytest.raises(ValueError):
            break_even_members(10, -1, 100)
        with pytest.raises(ValueError):
            break_even_members(10, 0, math.nan)

    @PROP
    @given(fee=st.floats(0.01, 1e5), other=money, costs=money, public=money)
    def test_result_is_minimal(self, fee, other, costs, public):
        b = break_even_members(fee, other, costs, public)
        assert b is not None and b >= 0 and b == int(b)
        assert b * fee + other + public >= costs
        if b > 0:
            assert (b - 1) * fee + other + public < costs


class TestAnnualCosts:
    def test_hand_computed(self):
        assert annual_costs(2.5, 60_000, 30_000) == pytest.approx(180_000)

    @pytest.mark.parametrize("args", [(-1, 1, 1), (1, -1, 1), (1, 1, -1), (None, 1, 1)])
    def test_invalid(self, args):
        with pytest.raises(ValueError):
            annual_costs(*args)


# ---------------------------------------------------------------------------
# CAGR
# ---------------------------------------------------------------------------


class TestCagr:
    def test_hand_computed(self):
        assert cagr(100, 121, 2) == pytest.approx(0.1)
        assert cagr(100, 100, 5) == pytest.approx(0.0)
        assert cagr(100, 50, 1) == pytest.approx(-0.5)

    @pytest.mark.parametrize(
        "args", [(0, 10, 1), (10, 0, 1), (10, 20, 0), (-1, 10, 1), (None, 10, 1), (10, math.nan, 2)]
    )
    def test_none(self, args):
        assert cagr(*args) is None
