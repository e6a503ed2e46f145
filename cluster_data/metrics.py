"""Metrics for Cluster Atlas: specialisation, benchmarking, indices, peers and planning.

Pure Python (math / numpy / pandas only; never streamlit).

Conventions used throughout:

* Missing values are ``None`` or ``NaN`` (``pd.NA`` is also recognised). A missing
  value is **never** treated as zero: it is either dropped (e.g. from a peer group)
  or makes the result missing (``NaN`` / ``None``).
* Functions that take a single number return ``NaN`` (float-valued metrics) or
  ``None`` (values meant for display, "not available") as documented per function.
* Percentiles of peer groups use numpy's default ("linear") interpolation.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from cluster_data import settings

__all__ = [
    "PERCENTILE_CONVENTION",
    "SMALL_GROUP",
    "annual_costs",
    "break_even_members",
    "cagr",
    "gap_targets",
    "gva_location_quotient",
    "internationalisation_index",
    "jobs_outlook",
    "location_quotient",
    "members_path",
    "nearest_peers",
    "normalise",
    "percentile_rank",
    "standardise",
    "sustainability",
]

#: Peer groups with fewer members than this are flagged as "small" in the UI.
SMALL_GROUP: int = settings.SMALL_GROUP.value

#: Plain-language description of how :func:`percentile_rank` works.
PERCENTILE_CONVENTION: str = (
    "The percentile is the share of the comparison group that lies below this value, "
    "with ties counted as half, where the value itself is not part of the group and "
    f"groups of fewer than {SMALL_GROUP} are flagged as small."
)


# ---------------------------------------------------------------------------
# helpers
# ---------------------------------------------------------------------------


def _is_missing(x: Any) -> bool:
    """True if ``x`` is None, NaN, pd.NA/NaT or cannot be read as a number."""
    if x is None:
        return True
    try:
        if pd.isna(x):
            return True
    except (TypeError, ValueError):  # array-likes etc. are not scalars
        return True
    try:
        float(x)
    except (TypeError, ValueError):
        return True
    return False


def _to_float(x: Any) -> float:
    """Convert to float, mapping any missing value to NaN."""
    return math.nan if _is_missing(x) else float(x)


def finite_float(x: Any) -> float:
    """A float, or NaN for anything missing, unreadable or infinite (never 0)."""
    f = _to_float(x)
    return f if math.isfinite(f) else math.nan


def _valid_values(values: Sequence[Any] | None) -> np.ndarray:
    """Finite float values of ``values`` with missing/non-finite entries dropped."""
    if values is None:
        return np.array([], dtype=float)
    arr = np.array([_to_float(v) for v in values], dtype=float)
    return arr[np.isfinite(arr)]


def _require_non_negative(**kwargs: Any) -> dict[str, float]:
    """Return the inputs as floats, raising ValueError if any is missing or negative."""
    out: dict[str, float] = {}
    for name, value in kwargs.items():
        if _is_missing(value):
            raise ValueError(f"{name} is missing; a value is required (missing is not zero).")
        f = float(value)
        if not math.isfinite(f):
            raise ValueError(f"{name} must be a finite number, got {value!r}.")
        if f < 0:
            raise ValueError(f"{name} must be zero or positive, got {value!r}.")
        out[name] = f
    return out


def _check_weights(weights: dict[str, float]) -> dict[str, float]:
    """Validate weights (finite, non-negative) and return them as floats."""
    checked: dict[str, float] = {}
    for name, w in weights.items():
        if _is_missing(w) or not math.isfinite(float(w)):
            raise ValueError(f"Weight for {name!r} must be a finite number, got {w!r}.")
        if float(w) < 0:
            raise ValueError(f"Weight for {name!r} must not be negative, got {w!r}.")
        checked[name] = float(w)
    return checked


# ---------------------------------------------------------------------------
# 1. location quotients
# ---------------------------------------------------------------------------


def location_quotient(region_share: float, reference_share: float) -> float:
    """Location quotient from two shares expressed in the same unit (e.g. %).

    ``LQ = region_share / reference_share``. An LQ above 1 means the sector is more
    prominent in the region than in the reference area.

    Returns NaN if either share is missing or ``reference_share <= 0``.
    """
    r = _to_float(region_share)
    ref = _to_float(reference_share)
    if math.isnan(r) or math.isnan(ref) or ref <= 0:
        return math.nan
    return r / ref


def gva_location_quotient(
    sector_r: float, total_r: float, sector_ref: float, total_ref: float
) -> float:
    """Location quotient from absolute values (e.g. gross value added or employment).

    ``LQ = (sector_r / total_r) / (sector_ref / total_ref)``.

    Returns NaN if any input is missing, or if a denominator (``total_r``,
    ``sector_ref``, ``total_ref``) is zero or negative. A regional sector value of
    exactly 0 is a genuine observation and gives an LQ of 0.0.
    """
    s_r, t_r, s_ref, t_ref = (_to_float(v) for v in (sector_r, total_r, sector_ref, total_ref))
    if any(math.isnan(v) for v in (s_r, t_r, s_ref, t_ref)):
        return math.nan
    if t_r <= 0 or s_ref <= 0 or t_ref <= 0:
        return math.nan
    return (s_r / t_r) / (s_ref / t_ref)


# ---------------------------------------------------------------------------
# 2. percentile rank
# ---------------------------------------------------------------------------


def percentile_rank(value: float, peers: Sequence[float]) -> float | None:
    """Mid-rank percentile of ``value`` within ``peers`` (0..100).

    ``100 * (count(peers < value) + 0.5 * count(peers == value)) / len(peers)``
    where missing peers are dropped first and ``value`` itself is *not* part of
    ``peers``. See :data:`PERCENTILE_CONVENTION`; callers should flag groups with
    fewer than :data:`SMALL_GROUP` peers as small.

    Returns None if ``value`` is missing or there are no valid peers.
    """
    v = _to_float(value)
    if math.isnan(v) or math.isinf(v):
        return None
    arr = _valid_values(peers)
    if arr.size == 0:
        return None
    below = int(np.count_nonzero(arr < v))
    equal = int(np.count_nonzero(arr == v))
    return 100.0 * (below + 0.5 * equal) / arr.size


# ---------------------------------------------------------------------------
# 3. normalisation
# ---------------------------------------------------------------------------


def normalise(values: pd.Series, denominators: pd.Series, per: float = 1.0) -> pd.Series:
    """``values / denominators * per`` (e.g. per member, or per 100,000 inhabitants).

    The two Series are aligned on their index. The result is NaN wherever either
    side is missing or the denominator is zero or negative.
    """
    v = pd.to_numeric(pd.Series(values), errors="coerce").astype(float)
    d = pd.to_numeric(pd.Series(denominators), errors="coerce").astype(float)
    v, d = v.align(d)
    ok = v.notna() & d.notna() & (d > 0)
    out = pd.Series(np.nan, index=v.index, dtype=float, name=v.name)
    out[ok] = v[ok] / d[ok] * float(per)
    return out


# ---------------------------------------------------------------------------
# 4. internationalisation index
# ---------------------------------------------------------------------------


def _reject_unknown(w: dict[str, float], known, what: str) -> None:
    """Raise ValueError when a weight names a column not in the data (a typo must not become "missing")."""
    unknown = [c for c in w if c not in known]
    if unknown:
        raise ValueError(f"Weights given for {what} not in the data: {unknown}.")


def _minmax_scaled(df: pd.DataFrame, used: list[str]) -> pd.DataFrame:
    """Each used column of ``df`` min-max scaled to 0..1 over its values (all equal: 1.0); missing stays NaN."""
    scaled = pd.DataFrame(index=df.index, columns=used, dtype=float)
    for c in used:
        col = pd.to_numeric(df[c], errors="coerce").astype(float)
        col = col.where(np.isfinite(col))  # +/-inf treated as missing
        present = col.notna()
        if not present.any():
            continue
        lo, hi = col[present].min(), col[present].max()
        if hi > lo:
            scaled[c] = (col - lo) / (hi - lo)
        else:
            scaled[c] = col.where(~present, 1.0)
    return scaled


def internationalisation_index(
    df: pd.DataFrame, weights: dict[str, float], min_coverage: int = settings.INDEX_MIN_COVERAGE.value
) -> pd.DataFrame:
    """Composite 0..100 internationalisation score with explicit coverage.

    Parameters
    ----------
    df:
        Index = entity ids, columns = component names (numeric; NaN = missing).
    weights:
        Component name -> non-negative weight. Only components with a positive
        weight are used; columns of ``df`` not named in ``weights`` are ignored.
        A weight naming a column that is not in ``df`` raises ValueError (a typo
        must not silently become "missing data").
    min_coverage:
        Minimum number of components a row must have for a score to be shown.

    Method
    ------
    Each component is min-max scaled to 0..1 across the rows that have a value
    (if all those values are equal they all get 1.0). A row's score is the
    weighted mean of the scaled components it *has* (weights renormalised over
    those components) times 100. Missing components are left out, never counted
    as zero.

    Returns
    -------
    DataFrame indexed like ``df`` with columns ``score`` (NaN when not eligible),
    ``coverage`` (int), ``n_components`` (int) and ``eligible`` (bool,
    ``coverage >= min_coverage`` and at least one component present).
    """
    w = _check_weights(weights)
    _reject_unknown(w, df.columns, "components")
    used = [c for c, wt in w.items() if wt > 0]
    if not used:
        raise ValueError("At least one component needs a positive weight.")

    scaled = _minmax_scaled(df, used)
    w_vec = pd.Series({c: w[c] for c in used}, dtype=float)
    has = scaled.notna()
    coverage = has.sum(axis=1).astype(int)
    weight_available = has.mul(w_vec, axis=1).sum(axis=1)
    weighted_sum = scaled.fillna(0.0).mul(w_vec, axis=1).sum(axis=1)  # fill only for the sum;
    # rows' missing components are excluded from the denominator above.
    eligible = (coverage >= min_coverage) & (coverage > 0)
    score = pd.Series(np.nan, index=df.index, dtype=float)
    score[eligible] = 100.0 * weighted_sum[eligible] / weight_available[eligible]

    return pd.DataFrame(
        {
            "score": score,
            "coverage": coverage.astype(int),
            "n_components": pd.Series(len(used), index=df.index, dtype=int),
            "eligible": eligible.astype(bool),
        },
        index=df.index,
    )


# ---------------------------------------------------------------------------
# 5. standardisation and nearest peers
# ---------------------------------------------------------------------------


def _column_stats(features: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """Mean and sample std (ddof=1) per column; std is NaN where it cannot scale."""
    mean = features.mean(axis=0, skipna=True)
    std = features.std(axis=0, skipna=True, ddof=1)
    std = std.where(std.notna() & (std > 0) & np.isfinite(std))
    return mean, std


def _zscore(frame: pd.DataFrame, mean: pd.Series, std: pd.Series) -> pd.DataFrame:
    """z-score ``frame`` with given stats; unscalable columns become 0.0 where present."""
    out = (frame - mean) / std
    degenerate = std.isna()
    for c in frame.columns[degenerate.reindex(frame.columns).fillna(True).to_numpy()]:
        out[c] = frame[c].where(frame[c].isna(), 0.0)
    return out.astype(float)


def _numeric_frame(df: pd.DataFrame) -> pd.DataFrame:
    out = df.apply(pd.to_numeric, errors="coerce").astype(float)
    return out.where(np.isfinite(out))


def standardise(df: pd.DataFrame) -> pd.DataFrame:
    """Column-wise z-scores ``(x - mean) / std`` (sample std, ddof=1).

    Missing values stay missing. A column with fewer than two values, or with zero
    spread, becomes 0.0 wherever it has a value.
    """
    num = _numeric_frame(df)
    mean, std = _column_stats(num)
    return _zscore(num, mean, std)


def nearest_peers(
    features: pd.DataFrame,
    target: pd.Series,
    k: int = settings.SIMILAR_K.value,
    weights: dict[str, float] | None = None,
) -> pd.DataFrame:
    """The ``k`` entities most similar to ``target`` on standardised features.

    * ``features``: index = entity id, numeric columns. ``target`` has the same
      columns (it may have NaN; extra entries are ignored, absent ones are NaN).
    * Target and candidates are standardised with the *features'* mean and std.
    * ``weights``: column -> non-negative weight. ``None`` means weight 1 for every
      column; otherwise only listed columns with a positive weight are used.
    * Distance = ``sqrt(sum(w * d**2) / sum(w))`` over the columns where both the
      target and the candidate have a value, so missing data neither helps nor
      hurts. Candidates sharing no feature with the target are excluded.
    * If ``target.name`` is an id in ``features`` that row is excluded (an entity
      is not its own peer).

    Returns a DataFrame (index = entity id) with ``distance`` and
    ``shared_features`` sorted by distance, ties broken by id, at most ``k`` rows.
    """
    if k < 0:
        raise ValueError("k must be zero or positive.")
    num = _numeric_frame(features)
    cols = list(num.columns)
    if weights is None:
        w = {c: 1.0 for c in cols}
    else:
        w = _check_weights(weights)
        _reject_unknown(w, cols, "features")
    used = [c for c in cols if w.get(c, 0.0) > 0]
    if not used or k == 0:
        return _no_peers(features.index.name)

    mean, std = _column_stats(num[used])
    z_feat = _zscore(num[used], mean, std)
    tgt = pd.to_numeric(pd.Series(target).reindex(used), errors="coerce").astype(float)
    tgt = tgt.where(np.isfinite(tgt))
    z_tgt = _zscore(tgt.to_frame().T.reset_index(drop=True), mean, std).iloc[0]

    num_sum, w_sum, shared = _weighted_squares(z_feat, z_tgt, pd.Series({c: w[c] for c in used}, dtype=float))
    keep = shared >= 1
    if target.name is not None and target.name in z_feat.index:
        keep &= z_feat.index != target.name
    if not keep.any():
        return _no_peers(features.index.name)

    res = pd.DataFrame(
        {
            "distance": np.sqrt(num_sum[keep] / w_sum[keep]),
            "shared_features": shared[keep].astype(int),
        }
    )
    return _closest(res, k, features.index.name)


def _weighted_squares(z_feat: pd.DataFrame, z_tgt: pd.Series, w_vec: pd.Series) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Per candidate: the weighted sum of squared differences, the sum of weights and the count of
    features, all over the features both the candidate and the target have."""
    both = z_feat.notna() & z_tgt.notna().to_numpy()[None, :]
    sq = (z_feat - z_tgt) ** 2
    num_sum = sq.where(both, 0.0).mul(w_vec, axis=1).sum(axis=1)
    w_sum = both.mul(w_vec, axis=1).sum(axis=1)
    shared = both.sum(axis=1).astype(int)
    return num_sum, w_sum, shared


def _no_peers(index_name) -> pd.DataFrame:
    """The empty result of :func:`nearest_peers` (its columns and dtypes, the features' index name)."""
    empty = pd.DataFrame(
        {"distance": pd.Series(dtype=float), "shared_features": pd.Series(dtype=int)}
    )
    empty.index.name = index_name
    return empty


def _closest(res: pd.DataFrame, k: int, index_name) -> pd.DataFrame:
    """The ``k`` rows of ``res`` with the smallest distance, ties broken by id (by its text if ids are mixed)."""
    ids = pd.Series(res.index, index=res.index)
    try:
        order = sorted(range(len(res)), key=lambda i: (res["distance"].iat[i], ids.iat[i]))
    except TypeError:  # ids of mixed types: tie-break on their text
        order = sorted(range(len(res)), key=lambda i: (res["distance"].iat[i], str(ids.iat[i])))
    res = res.iloc[order[:k]]
    res.index.name = index_name
    return res


# ---------------------------------------------------------------------------
# 6. gap targets
# ---------------------------------------------------------------------------


def gap_targets(value: float, peers: Sequence[float]) -> dict:
    """Median and top-quartile benchmarks of a peer group and the gaps to them.

    Returns ``{"median", "top_quartile", "gap_to_median", "gap_to_top_quartile", "n"}``.
    ``top_quartile`` is the 75th percentile (numpy linear). Gaps are
    ``max(0, benchmark - value)``. With no valid peers all values are None
    (``n`` = 0); if ``value`` is missing the gaps are None but the benchmarks are
    still given.
    """
    arr = _valid_values(peers)
    out: dict[str, Any] = {
        "median": None,
        "top_quartile": None,
        "gap_to_median": None,
        "gap_to_top_quartile": None,
        "n": int(arr.size),
    }
    if arr.size == 0:
        return out
    med = float(np.percentile(arr, 50))
    q75 = float(np.percentile(arr, 75))
    out["median"], out["top_quartile"] = med, q75
    v = _to_float(value)
    if math.isfinite(v):
        out["gap_to_median"] = max(0.0, med - v)
        out["gap_to_top_quartile"] = max(0.0, q75 - v)
    return out


# ---------------------------------------------------------------------------
# 7-8. membership path and jobs outlook
# ---------------------------------------------------------------------------


def members_path(start_members: float, target_members: float, years: int) -> list[float]:
    """Member counts for years 0..``years`` growing from start to target.

    Compound (constant-rate) growth when both start and target are positive;
    linear when ``start_members`` is 0 (or when ``target_members`` is 0, where a
    constant rate is undefined). The first element is the start and the last is
    exactly the target. ValueError on missing/negative inputs or ``years < 1``.
    """
    vals = _require_non_negative(start_members=start_members, target_members=target_members)
    start, target = vals["start_members"], vals["target_members"]
    if _is_missing(years) or float(years) != int(years) or int(years) < 1:
        raise ValueError("years must be a whole number of at least 1.")
    n = int(years)
    if start > 0 and target > 0:
        ratio = target / start
        path = [start * ratio ** (t / n) for t in range(n + 1)]
    else:
        path = [start + (target - start) * t / n for t in range(n + 1)]
    path[0], path[-1] = start, target
    return path


def jobs_outlook(
    members_by_year: Sequence[float], jobs_per_member: Sequence[float],
    min_peers: int = settings.OUTLOOK_MIN_PEERS.value
) -> dict:
    """Low / central / high jobs ranges from peer jobs-per-member ratios.

    ``jobs_per_member`` are peer ratios (e.g. employees in member firms ÷ members,
    or jobs created ÷ members); missing and non-finite ratios are dropped. With
    fewer than ``min_peers`` valid ratios no range is given::

        {"ok": False, "reason": "...", "n_peers": N}

    Otherwise ``{"ok": True, "n_peers", "low", "central", "high", "ratios"}`` where
    the bands are ``members_by_year`` times the 25th percentile, median and 75th
    percentile of the ratios (numpy linear) and ``ratios`` is that triple.
    A missing member count gives a missing (NaN) band value for that year.
    """
    arr = _valid_values(jobs_per_member)
    n = int(arr.size)
    if n < min_peers:
        peers_word = "peer cluster has" if n == 1 else "peer clusters have"
        return {
            "ok": False,
            "reason": (
                f"Only {n} {peers_word} the evidence needed for a jobs estimate; "
                f"at least {min_peers} are needed."
            ),
            "n_peers": n,
        }
    q25, med, q75 = (float(np.percentile(arr, p)) for p in (25, 50, 75))
    members = [_to_float(m) for m in members_by_year]
    return {
        "ok": True,
        "n_peers": n,
        "low": [m * q25 for m in members],
        "central": [m * med for m in members],
        "high": [m * q75 for m in members],
        "ratios": (q25, med, q75),
    }


# ---------------------------------------------------------------------------
# 9. financial sustainability
# ---------------------------------------------------------------------------


def sustainability(
    fees: float, events: float, services: float, public: float, costs: float
) -> dict:
    """Funding mix of a cluster organisation (all amounts per year, same currency).

    Returns ``self_funding_ratio`` (own income ÷ costs; None if costs are 0),
    ``public_share_pct`` (public funding as % of total income; None if there is no
    income), ``surplus`` (total income − costs) and ``total_income``.
    ValueError if any input is missing or negative.
    """
    v = _require_non_negative(fees=fees, events=events, services=services, public=public,
                              costs=costs)
    income_self = v["fees"] + v["events"] + v["services"]
    total = income_self + v["public"]
    return {
        "self_funding_ratio": income_self / v["costs"] if v["costs"] > 0 else None,
        "public_share_pct": 100.0 * v["public"] / total if total > 0 else None,
        "surplus": total - v["costs"],
        "total_income": total,
    }


def break_even_members(
    fee_per_member: float, other_self_income: float, costs: float, public: float = 0.0
) -> int | None:
    """Smallest whole number of members ``m >= 0`` with ``m*fee + other + public >= costs``.

    Returns 0 when costs are already covered, None when the fee is zero or negative
    and costs are not covered. ValueError if ``other_self_income``, ``costs`` or
    ``public`` is negative, or any input is missing. The result is an ``int``.
    """
    v = _require_non_negative(other_self_income=other_self_income, costs=costs, public=public)
    if _is_missing(fee_per_member) or not math.isfinite(float(fee_per_member)):
        raise ValueError("fee_per_member must be a finite number.")
    fee = float(fee_per_member)
    other, c, pub = v["other_self_income"], v["costs"], v["public"]

    def covered(m: int) -> bool:
        return m * fee + other + pub >= c

    if covered(0):
        return 0
    if fee <= 0:
        return None
    m = max(0, math.ceil((c - other - pub) / fee))
    # guard against floating-point rounding in the division above
    while not covered(m):
        m += 1
    while m > 0 and covered(m - 1):
        m -= 1
    return m


def annual_costs(staff_fte: float, cost_per_fte: float, overheads: float) -> float:
    """Yearly running costs: ``staff_fte * cost_per_fte + overheads``.

    ValueError if any input is missing or negative.
    """
    v = _require_non_negative(staff_fte=staff_fte, cost_per_fte=cost_per_fte, overheads=overheads)
    return v["staff_fte"] * v["cost_per_fte"] + v["overheads"]


# ---------------------------------------------------------------------------
# 10. growth
# ---------------------------------------------------------------------------


def cagr(start: float, end: float, years: float) -> float | None:
    """Compound annual growth rate ``(end / start) ** (1 / years) - 1``.

    None if any input is missing or not positive.
    """
    s, e, y = _to_float(start), _to_float(end), _to_float(years)
    if not all(math.isfinite(x) and x > 0 for x in (s, e, y)):
        return None
    return (e / s) ** (1.0 / y) - 1.0
