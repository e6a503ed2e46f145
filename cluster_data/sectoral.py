"""Statistical clusters from employment by sector and region (issue 13): pure metrics, no Streamlit.

Every function takes plain frames and returns frames or numbers; a missing cell stays missing (NaN) and
carries a reason, it is never counted as 0. The Methods page (``cluster_data.methods``) reads the
constants here (denominator, rules, minimum overlap) so prose and code cannot drift apart.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from cluster_data.sector_baskets import NAMED_BASKETS, Basket

#: SBS sections summed for the LQ denominator. B, D and E are confidential in 10–20 % of regions and are
#: left out; SBS has no A, K or O–U at all.
DEFAULT_DENOMINATOR: tuple[str, ...] = ("C", "F", "G", "H", "I", "J", "L", "M", "N")
LEFT_OUT_SECTIONS = ("B", "D", "E")

#: Minimum number of divisions two regions must both have for a profile similarity.
MIN_SHARED_DIVISIONS = 20

REASON_CONFIDENTIAL = "confidential (Eurostat flag c)"
REASON_ABSENT = "not published for this region and year"
REASON_DENOMINATOR = "no LQ: the denominator is incomplete"
REASON_NO_REFERENCE = "no LQ: no reference share"


# --------------------------------------------------------------------------- baskets
def division_baskets(sectors: pd.DataFrame) -> list[Basket]:
    """One basket per NACE division in the sector lookup (columns sector_code, sector_level, sector_label)."""
    d = sectors[sectors["sector_level"] == "division"].sort_values("sector_code")
    return [Basket(c, f"{c} {lbl}", (c,)) for c, lbl in zip(d["sector_code"], d["sector_label"])]


def all_baskets(sectors: pd.DataFrame) -> list[Basket]:
    return list(NAMED_BASKETS) + division_baskets(sectors)


def basket_values(wide: pd.DataFrame, reasons: pd.DataFrame, basket: Basket,
                  section_of: dict[str, str] | None = None) -> tuple[pd.Series, pd.Series]:
    """A basket's value per region: the sum of its divisions, missing if any division is missing.

    ``wide``/``reasons``: region × sector code (values, NaN = missing; reason text). When the basket is
    exactly all divisions of one section (``section_of``: division → section) and the section value is
    published, the section value is used: Eurostat publishes it even where one division is confidential."""
    cols = [c for c in basket.divisions if c in wide.columns]
    if len(cols) < len(basket.divisions):
        vals = pd.Series(np.nan, index=wide.index)
        why = pd.Series(REASON_ABSENT, index=wide.index, dtype=object)
    else:
        sub = wide[cols].to_numpy(dtype=float)
        miss = np.isnan(sub)
        vals = pd.Series(np.where(miss.any(axis=1), np.nan, sub.sum(axis=1)), index=wide.index)
        rs = reasons[cols].to_numpy(dtype=object)
        first = rs[np.arange(len(rs)), miss.argmax(axis=1)] if len(rs) else np.array([], dtype=object)
        why = pd.Series(np.where(miss.any(axis=1), first, ""), index=wide.index, dtype=object)
    if section_of and len(basket.divisions) > 1:
        secs = {section_of.get(c) for c in basket.divisions}
        sec = secs.pop() if len(secs) == 1 else None
        if sec and sec in wide.columns and set(basket.divisions) == {d for d, s in section_of.items() if s == sec}:
            use = vals.isna() & wide[sec].notna()
            vals = vals.where(~use, wide[sec])
            why = why.where(~use, "")
    return vals, why.fillna(REASON_ABSENT)


# --------------------------------------------------------------------------- location quotients
def denominator(wide: pd.DataFrame, reasons: pd.DataFrame,
                sections: tuple[str, ...] = DEFAULT_DENOMINATOR) -> tuple[pd.Series, pd.Series]:
    """The region's persons employed summed over ``sections``; missing (with the sections named) when any
    section is missing."""
    cols = list(sections)
    sub = wide.reindex(columns=cols)
    total = sub.sum(axis=1, min_count=len(cols)).where(sub.notna().all(axis=1))
    miss = sub.isna()
    why = pd.Series("", index=wide.index, dtype=object)
    for r in wide.index[total.isna()]:
        names = [c for c in cols if miss.at[r, c]]
        kinds = {str(reasons.at[r, c]) if c in reasons.columns else REASON_ABSENT for c in names}
        why[r] = f"{REASON_DENOMINATOR} (section {', '.join(names)}: {'; '.join(sorted(kinds))})"
    return total, why


def location_quotients(values: pd.Series, value_reason: pd.Series, denom: pd.Series,
                       denom_reason: pd.Series) -> pd.DataFrame:
    """LQ of one sector in every region of one year.

    LQ_r = (E_r / D_r) / (Σ_ref E / Σ_ref D), the reference being every region with a complete
    denominator and a value for the sector. Returns columns employment, denominator, share, lq, reason."""
    ref = denom.notna() & values.notna() & (denom > 0)
    ref_share = values[ref].sum() / denom[ref].sum() if ref.any() else np.nan
    share = (values / denom).where(ref)
    ok = ref & (ref_share > 0) if not math.isnan(ref_share) else ref & False
    lq = (share / ref_share).where(ok)
    reason = pd.Series("", index=values.index, dtype=object)
    reason = reason.where(values.notna(), value_reason)
    reason = reason.where(~(values.notna() & denom.isna()), denom_reason)
    reason = reason.where(~(ref & ~ok), REASON_NO_REFERENCE)
    return pd.DataFrame({"employment": values, "denominator": denom, "share": share, "lq": lq,
                         "reason": reason.fillna("")})


def weighted_mean_lq(lq: pd.Series, denom: pd.Series) -> float:
    """Denominator-weighted mean LQ over the regions with an LQ (1 by construction)."""
    m = lq.notna() & denom.notna()
    return float((lq[m] * denom[m]).sum() / denom[m].sum())


# --------------------------------------------------------------------------- shares and growth
def national_share(region_value, national_value):
    """A region's share (0–1) of its country's employment in a sector; None when either is missing or
    the national value is 0."""
    from cluster_data.display import as_float

    r, n = as_float(region_value), as_float(national_value)
    if r is None or n is None or n <= 0:
        return None
    return r / n


def growth(start, end, years: int) -> tuple[float | None, float | None]:
    """(absolute change, CAGR) between two values of ONE source ``years`` apart; None where undefined.

    CAGR = (end / start)^(1 / years) − 1, defined only when both values are above 0 and years ≥ 1."""
    from cluster_data.display import as_float

    s, e = as_float(start), as_float(end)
    if s is None or e is None:
        return None, None
    change = e - s
    if years < 1 or s <= 0 or e <= 0:
        return change, None
    return change, (e / s) ** (1.0 / years) - 1.0


# --------------------------------------------------------------------------- strong clusters
@dataclass(frozen=True)
class Condition:
    measure: str     # "lq", "employment", "local_units" or "focus" (= the sector's share of the region)
    op: str          # ">=" or ">"
    kind: str        # "percentile" (of the regions in the group) or "value"
    threshold: float

    def text(self) -> str:
        what = {"lq": "LQ", "employment": "employment", "local_units": "local units",
                "focus": "the sector's share of the region's employment"}[self.measure]
        if self.kind == "percentile":
            return f"{what} {'≥' if self.op == '>=' else '>'} the {self.threshold:g}th percentile across regions"
        return f"{what} {'≥' if self.op == '>=' else '>'} {self.threshold:g}"


@dataclass(frozen=True)
class Rule:
    key: str
    label: str
    conditions: tuple[Condition, ...]
    note: str = ""

    def text(self) -> str:
        return "; ".join(c.text() for c in self.conditions)


CLUSTER_MAPPING_RULE = Rule(
    "strong", "Strong cluster (U.S. Cluster Mapping rule)",
    (Condition("lq", ">=", "percentile", 75), Condition("lq", ">=", "value", 1),
     Condition("employment", ">", "percentile", 25), Condition("local_units", ">", "percentile", 25)),
    "Percentiles are taken over the regions of the same year with employment above 0 and an LQ "
    "(numpy's linear interpolation).")

#: Star rules in the style of the European Cluster Observatory. Its exact thresholds could not be
#: confirmed, so these are configurable data, not a reproduction of its stars.
STAR_RULES: tuple[Rule, ...] = (
    Rule("star_size", "Size star", (Condition("employment", ">=", "percentile", 90),)),
    Rule("star_specialisation", "Specialisation star", (Condition("lq", ">=", "value", 2),)),
    Rule("star_focus", "Focus star", (Condition("focus", ">=", "percentile", 90),)),
)


def apply_rule(group: pd.DataFrame, rule: Rule) -> pd.Series:
    """Three-valued flag per row of one (year, sector) group: True, False, or NA when a needed value is
    missing and no other condition already fails. ``group`` has columns lq, employment, local_units, focus."""
    lq = pd.to_numeric(group["lq"], errors="coerce").to_numpy(dtype=float)
    emp = pd.to_numeric(group["employment"], errors="coerce").to_numpy(dtype=float)
    eligible = ~np.isnan(lq) & (np.nan_to_num(emp) > 0)
    fails = np.zeros(len(group), dtype=bool)
    unknown = np.zeros(len(group), dtype=bool)
    for c in rule.conditions:
        col = pd.to_numeric(group[c.measure], errors="coerce").to_numpy(dtype=float)
        thr = c.threshold
        if c.kind == "percentile":
            pool = col[eligible & ~np.isnan(col)]
            if not len(pool):
                unknown |= True
                continue
            thr = float(np.percentile(pool, c.threshold))
        known = ~np.isnan(col)
        with np.errstate(invalid="ignore"):
            ok = (col >= thr) if c.op == ">=" else (col > thr)
        unknown |= ~known
        fails |= known & ~ok
    out = pd.array(np.ones(len(group), dtype=bool), dtype="boolean")
    out[unknown] = pd.NA
    out[fails | ~eligible] = False
    out[np.isnan(lq)] = pd.NA
    return pd.Series(out, index=group.index)


# --------------------------------------------------------------------------- relatedness
def proximity(rca: pd.DataFrame) -> pd.DataFrame:
    """φ between sectors from co-location: region × sector frame of 1 (RCA ≥ 1), 0, or NaN (unknown).

    φ_ij = min(P(i | j), P(j | i)) over the regions where both are known. Symmetric, in [0, 1]."""
    known = rca.notna().astype(float).to_numpy()
    a = rca.fillna(0).astype(float).to_numpy()
    both = a.T @ a                      # [i, j]: regions with RCA ≥ 1 in both i and j
    n_i = a.T @ known                   # [i, j]: regions with RCA ≥ 1 in i where j is known
    with np.errstate(divide="ignore", invalid="ignore"):
        p1 = np.where(n_i > 0, both / n_i, 0.0)       # P(j | i)
        p2 = np.where(n_i.T > 0, both / n_i.T, 0.0)   # P(i | j)
    phi = np.minimum(p1, p2)
    return pd.DataFrame(phi, index=rca.columns, columns=rca.columns)


def density(rca: pd.DataFrame, phi: pd.DataFrame) -> pd.DataFrame:
    """Each region's density for each sector: d_rp = Σ_j M_rj φ_jp / Σ_j φ_jp over j ≠ p known in r.

    In [0, 1]: the share of the sector's related sectors the region is already specialised in."""
    m = rca.reindex(columns=phi.columns)
    known = m.notna().astype(float).to_numpy()
    a = m.fillna(0).astype(float).to_numpy()
    p = phi.to_numpy().copy()
    np.fill_diagonal(p, 0.0)
    num = a @ p
    den = known @ p
    with np.errstate(divide="ignore", invalid="ignore"):
        d = np.where(den > 0, num / den, np.nan)
    return pd.DataFrame(d, index=m.index, columns=phi.columns)


# --------------------------------------------------------------------------- similar regions
def similar_regions(shares: pd.DataFrame, region: str, k: int = 5,
                    min_shared: int = MIN_SHARED_DIVISIONS) -> pd.DataFrame:
    """The ``k`` regions whose sector profile (division shares of the region's employment) is closest to
    ``region`` by cosine similarity over the divisions both have; at least ``min_shared`` in common."""
    if region not in shares.index:
        return pd.DataFrame(columns=["region_code", "similarity", "shared"])
    others = shares.drop(index=region)
    x = others.to_numpy(dtype=float)
    t = shares.loc[region].to_numpy(dtype=float)
    both = ~np.isnan(x) & ~np.isnan(t)
    xz, tz = np.where(both, x, 0.0), np.where(both, t, 0.0)
    dot = (xz * tz).sum(axis=1)
    norm = np.sqrt((xz ** 2).sum(axis=1)) * np.sqrt((tz ** 2).sum(axis=1))
    shared = both.sum(axis=1)
    ok = (shared >= min_shared) & (norm > 0)
    rows = [(r, float(d / n), int(k)) for r, d, n, k, good in zip(others.index, dot, norm, shared, ok) if good]
    out = pd.DataFrame(rows, columns=["region_code", "similarity", "shared"])
    return out.sort_values(["similarity", "region_code"], ascending=[False, True]).head(k).reset_index(drop=True)
