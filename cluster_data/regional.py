"""Regional context: indicator look-ups, location quotients, Greenwich's GVA profile.

Joins are always on codes (NUTS 2016 / ITL), never on names.
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd

from cluster_data.metrics import gva_location_quotient, location_quotient
from cluster_data.schema import INDICATORS

# Indicators computed here from sourced rows (each states its denominator).
DERIVED_INDICATORS = {
    "htec_kis_lq": {
        "label": "Location quotient: high-tech knowledge-intensive services",
        "unit": "LQ (1 = average)",
        "base": "htec_kis_share",
        "description": "The region's share of employment in high-tech knowledge-intensive services divided by the "
                       "unweighted mean of that share over all NUTS 2 regions with data in the same year "
                       "(the data hold no EU-wide value for this sector, nor regional employment counts to weight by).",
    },
    "kis_lq": {
        "label": "Location quotient: knowledge-intensive services (vs EU28)",
        "unit": "LQ (1 = EU28)",
        "base": "kis_share",
        "description": "The region's share of employment in knowledge-intensive services divided by the EU28 share "
                       "in the same year (Eurostat tsc00011).",
    },
}

MAP_INDICATORS = ["htec_kis_share", "htec_kis_lq", "kis_share", "kis_lq", "rd_gdp", "gdp_per_head_eur", "population"]


def indicator_meta(ind: str) -> dict:
    if ind in DERIVED_INDICATORS:
        d = DERIVED_INDICATORS[ind]
        base = INDICATORS[d["base"]]
        return {"label": d["label"], "unit": d["unit"], "source_id": base["source_id"], "description": d["description"]}
    return INDICATORS[ind]


def available_years(ri: pd.DataFrame, ind: str) -> list[int]:
    base = DERIVED_INDICATORS.get(ind, {}).get("base", ind)
    yrs = ri.loc[(ri["indicator"] == base) & (ri["region"].str.len() == 4), "year"].unique()
    return sorted(int(y) for y in yrs)


def lq_reference(ri: pd.DataFrame, ind: str, year: int) -> tuple[float, str]:
    """Denominator of a derived LQ indicator for ``year`` and a sentence saying what it is."""
    d = DERIVED_INDICATORS[ind]
    base = d["base"]
    if ind == "kis_lq":
        m = ri[(ri["indicator"] == base) & (ri["region"] == "EU28") & (ri["year"] == year)]
        if m.empty:
            return math.nan, f"no EU28 value for {year}"
        return float(m["value"].iloc[0]), f"EU28 = {m['value'].iloc[0]:.1f}% ({year}, Eurostat tsc00011)"
    vals = ri[(ri["indicator"] == base) & (ri["region"].str.len() == 4) & (ri["year"] == year)]["value"]
    if vals.empty:
        return math.nan, f"no regional values for {year}"
    return float(vals.mean()), f"mean of {len(vals)} NUTS 2 regions = {vals.mean():.2f}% ({year})"


def nuts2_values(ri: pd.DataFrame, ind: str, year: int) -> pd.DataFrame:
    """Values of ``ind`` for every NUTS 2 region in ``year``: columns region, value."""
    base = DERIVED_INDICATORS.get(ind, {}).get("base", ind)
    d = ri[(ri["indicator"] == base) & (ri["year"] == year) & (ri["region"].str.len() == 4)][["region", "value"]].copy()
    if ind in DERIVED_INDICATORS:
        ref, _ = lq_reference(ri, ind, year)
        d["value"] = [location_quotient(v, ref) for v in d["value"]]
    return d.reset_index(drop=True)


def latest_value(ri: pd.DataFrame, region: str, ind: str, year: int | None = None) -> tuple[float | None, int | None]:
    """(value, year) for the latest year at or before ``year`` (None, None when absent)."""
    if not isinstance(region, str):
        return None, None
    base = DERIVED_INDICATORS.get(ind, {}).get("base", ind)
    d = ri[(ri["indicator"] == base) & (ri["region"] == region)]
    if year is not None:
        d = d[d["year"] <= year]
    if d.empty:
        return None, None
    r = d.sort_values("year").iloc[-1]
    y = int(r["year"])
    v = float(r["value"])
    if ind in DERIVED_INDICATORS:
        ref, _ = lq_reference(ri, ind, y)
        v = location_quotient(v, ref)
        if v is None or (isinstance(v, float) and math.isnan(v)):
            return None, None
    return v, y


CONTEXT_INDICATORS = ["htec_kis_share", "htec_kis_lq", "rd_gdp", "gdp_per_head_eur", "population"]


def region_context(ri: pd.DataFrame, nuts2: str | None) -> pd.DataFrame:
    """Context figures for one NUTS 2 region: indicator, label, value, year, unit, source_id."""
    rows = []
    for ind in CONTEXT_INDICATORS:
        v, y = latest_value(ri, nuts2, ind) if nuts2 else (None, None)
        m = indicator_meta(ind)
        rows.append({"indicator": ind, "label": m["label"], "value": v, "year": y, "unit": m["unit"], "source_id": m["source_id"]})
    return pd.DataFrame(rows)


def time_series(ri: pd.DataFrame, regions: list[str], ind: str) -> pd.DataFrame:
    base = DERIVED_INDICATORS.get(ind, {}).get("base", ind)
    d = ri[(ri["indicator"] == base) & (ri["region"].isin(regions))][["region", "year", "value"]].copy()
    if ind in DERIVED_INDICATORS:
        d["value"] = [location_quotient(v, lq_reference(ri, ind, int(y))[0]) for v, y in zip(d["value"], d["year"])]
    return d.sort_values(["region", "year"]).reset_index(drop=True)


def gva_profile(ri: pd.DataFrame, itl3: str = "TLI51", year: int | None = None) -> dict:
    """Information & communication (SIC J) GVA: the ITL3 area vs London and the UK.

    London and UK totals are sums over their ITL3 areas (balanced GVA is additive);
    London = ITL3 codes starting 'TLI'. Returns the table and both GVA LQs.
    """
    g = ri[ri["indicator"].isin(["gva_j_gbp_m", "gva_total_gbp_m"]) & ri["region"].str.startswith("TL")]
    if year is None:
        year = int(g["year"].max())
    g = g[g["year"] == year]
    piv = g.pivot_table(index="region", columns="indicator", values="value", aggfunc="first")
    if itl3 not in piv.index:
        return {"ok": False, "year": year}
    area = piv.loc[itl3]
    lon = piv[piv.index.str.startswith("TLI")].sum()
    uk = piv.sum()
    rows = []
    for name, s, n in (("Bexley and Greenwich (ITL3 " + itl3 + ")", area, 1), ("London (sum of ITL3 areas)", lon, int(piv.index.str.startswith("TLI").sum())),
                       ("United Kingdom (sum of ITL3 areas)", uk, len(piv))):
        rows.append({"area": name, "gva_j_gbp_m": float(s["gva_j_gbp_m"]), "gva_total_gbp_m": float(s["gva_total_gbp_m"]),
                     "share_pct": 100 * float(s["gva_j_gbp_m"]) / float(s["gva_total_gbp_m"]), "n_itl3": n})
    table = pd.DataFrame(rows)
    return {
        "ok": True,
        "year": year,
        "table": table,
        "lq_vs_london": gva_location_quotient(area["gva_j_gbp_m"], area["gva_total_gbp_m"], lon["gva_j_gbp_m"], lon["gva_total_gbp_m"]),
        "lq_vs_uk": gva_location_quotient(area["gva_j_gbp_m"], area["gva_total_gbp_m"], uk["gva_j_gbp_m"], uk["gva_total_gbp_m"]),
        "formula": "LQ = (GVA_J,area / GVA_total,area) ÷ (GVA_J,ref / GVA_total,ref)",
    }
