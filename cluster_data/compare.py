"""Tables behind the /compare page (pure Python: pandas + cluster_data only).

Every value in these tables comes from organisations.csv (headline values),
facts.csv/sources.csv (their sources), regional_indicators.csv or
case_studies.csv. Missing values stay NaN/None and are rendered as "no source";
they are never filled with zero.
"""
from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from cluster_data import benchmark, display, metrics, regional, settings
from cluster_data.schema import FIELD_LABELS, FIELD_UNITS, INDICATORS

MIN_IDS, MAX_IDS = 2, 8
MISSING = display.MISSING  # one word for missing (issue 17, point 11)

JOB_FIELDS = ["members_total", "members_sme", "employees_in_members", "jobs_created"]
INTL_FIELDS = ["members_international", "countries_partnered", "eu_cluster_partnerships"]
FUNDING_FIELDS = ["funding_public_share_pct", "funding_membership_share_pct", "funding_self_financing_share_pct"]
METRIC_FIELDS = JOB_FIELDS + INTL_FIELDS + FUNDING_FIELDS
DEFAULT_METRICS = ["members_total", "employees_in_members", "countries_partnered"]

DEFAULT_IDS = ["DK_ODENSE_ROBOTICS", "ES_AVAESEN", "UK_OBN"]

TS_INDICATORS = ["htec_kis_share", "htec_kis_lq", "kis_share", "kis_lq", "rd_gdp", "gdp_per_head_eur", "population"]
DEFAULT_IND = "htec_kis_share"
REGION_INDICATORS = ["htec_kis_share", "htec_kis_lq", "rd_gdp", "gdp_per_head_eur"]

# ESCA cluster-management label as an ordinal component of the index (computed, not a sourced number).
ESCA_SCORE = {"bronze": 1.0, "silver": 2.0, "gold": 3.0}
INDEX_COMPONENTS = {
    "members_international": "International members",
    "countries_partnered": "Partner countries",
    "eu_cluster_partnerships": "European cluster partnerships",
    "esca_score": "ESCA label (bronze 1, silver 2, gold 3)",
}
DEFAULT_WEIGHTS = {c: 1.0 for c in INDEX_COMPONENTS}
DEFAULT_MIN_COVERAGE = settings.INDEX_MIN_COVERAGE.value

QUICK_PICKS = {
    "southern_denmark": "Southern Denmark's clusters",
    "valencia": "Valencia's clusters",
    "milton_park": "Milton Park / OBN",
    "greenwich": "Greenwich initiatives",
}


# ----------------------------------------------------------------- helpers
_num = metrics.finite_float  # one definition of 'a number or missing'


def truthy(v: Any) -> bool:
    if isinstance(v, str):
        return v.strip().lower() in {"true", "1", "yes"}
    try:
        return bool(v) and not (isinstance(v, float) and math.isnan(v))
    except (TypeError, ValueError):
        return False


def fmt_number(v: Any, field: str = "", lower_bound: bool = False) -> str:
    """'more than 130', '45%', or MISSING for a missing value (never '0'); cluster_data.display's rules."""
    return display.fmt_number(v, lower_bound=bool(lower_bound), missing=MISSING,
                              unit="%" if field.endswith("_pct") else "")


def label(field: str) -> str:
    return FIELD_LABELS.get(field, INDEX_COMPONENTS.get(field, field.replace("_", " ").capitalize()))


# ----------------------------------------------------------------- selection
def default_ids(org: pd.DataFrame) -> list[str]:
    ids = [i for i in DEFAULT_IDS if i in set(org["id"])]
    if len(ids) >= MIN_IDS:
        return ids
    extra = org.loc[(org["row_type"] == "cluster_org") & org["members_total"].notna(), "id"].tolist()
    return (ids + [i for i in extra if i not in ids])[:3]


def quick_pick(org: pd.DataFrame, key: str) -> list[str]:
    """Ids for a named quick pick (at most MAX_IDS), taken from the data. The three case groups are
    the Greenwich benchmark's peer presets (one definition), ordered by how many metrics they hold."""
    if key in ("southern_denmark", "valencia", "milton_park"):
        m = org["id"].isin(benchmark.peer_ids(org, key))
    elif key == "greenwich":
        m = (org["nuts2_2016"] == "UKI5") & (org["row_type"] != "prospective")
    else:
        return []
    sub = org[m].copy()
    sub["_has"] = sub[METRIC_FIELDS].notna().sum(axis=1)
    sub = sub.sort_values(["_has", "id"], ascending=[False, True])
    return sub["id"].head(MAX_IDS).tolist()


def clamp_selection(ids: list[str], org: pd.DataFrame) -> tuple[list[str], str | None]:
    """Keep 2–8 ids; fall back to the defaults when fewer than 2 remain."""
    if len(ids) > MAX_IDS:
        return ids[:MAX_IDS], f"At most {MAX_IDS} organisations can be compared; the first {MAX_IDS} from the link are shown."
    if len(ids) < MIN_IDS:
        return default_ids(org), (None if not ids else
                                  f"Comparing needs at least {MIN_IDS} organisations; showing the default selection.")
    return ids, None


# ----------------------------------------------------------------- sourced values
def headline_sources(facts: pd.DataFrame, sources: pd.DataFrame, ids: list[str], fields: list[str]) -> pd.DataFrame:
    """One row per (entity_id, field) headline fact: period, quote, source title/url."""
    f = facts[facts["entity_id"].isin(ids) & facts["field"].isin(fields)]
    f = f.sort_values(["is_headline", "ref_year"], ascending=[False, False], na_position="last")
    f = f.drop_duplicates(["entity_id", "field"])
    cols = ["entity_id", "field", "period", "ref_year", "year_basis", "quote", "source_id"]
    f = f[[c for c in cols if c in f.columns]]
    s = sources[["source_id", "title", "url", "publisher", "date"]]
    return f.merge(s, on="source_id", how="left")


def values_long(org: pd.DataFrame, facts: pd.DataFrame, sources: pd.DataFrame, ids: list[str],
                fields: list[str]) -> pd.DataFrame:
    """Headline values of ``fields`` for ``ids`` in long form, with what they count, year and source.

    Columns: id, name, field, measure, counts, value (NaN = no source), lower_bound,
    year, period, shown (text), source, url, quote.
    """
    sub = org.set_index("id")
    src = headline_sources(facts, sources, ids, fields).set_index(["entity_id", "field"])
    rows = []
    for i in ids:
        if i not in sub.index:
            continue
        r = sub.loc[i]
        for f in fields:
            v = _num(r.get(f))
            lb = truthy(r.get(f + "_lower_bound")) and not math.isnan(v)
            yr = _num(r.get(f + "_year"))
            s = src.loc[(i, f)] if (i, f) in src.index else None
            if s is not None and math.isnan(yr):
                yr = _num(s.get("ref_year"))
            period = None
            if s is not None and isinstance(s.get("period"), str) and s.get("period"):
                period = s.get("period")
            has = not math.isnan(v)
            title = s.get("title") if (s is not None and has) else None
            if has and not isinstance(title, str) and r.get("imported") is True:
                title = r.get("import_source_title")
            rows.append({
                "id": i, "name": r.get("name"), "field": f, "measure": label(f), "counts": FIELD_UNITS.get(f, ""),
                "value": v, "lower_bound": lb,
                "year": (None if (not has or math.isnan(yr)) else int(yr)),
                "period": period if has else None,
                "year_basis": (s.get("year_basis") if (s is not None and has and isinstance(s.get("year_basis"), str)) else None),
                "shown": fmt_number(v, f, lb),
                "source": title if isinstance(title, str) else (None if not has else "source not recorded"),
                "url": (s.get("url") if (s is not None and has) else None),
                "quote": (s.get("quote") if (s is not None and has) else None),
            })
    return pd.DataFrame(rows, columns=["id", "name", "field", "measure", "counts", "value", "lower_bound", "year",
                                       "period", "year_basis", "shown", "source", "url", "quote"])


def _when(period, year, basis) -> str:
    if isinstance(period, str) and period:
        return period
    if year is None or year != year:
        return ""
    txt = str(int(year))
    if basis == "source date":
        txt += " (date of source)"
    elif isinstance(basis, str) and basis:
        txt += f" ({basis})"
    return txt


def parse_weights(raw: str | None) -> tuple[dict[str, float], str | None]:
    """Index weights from the URL (``w=1,1,0.5,2`` in INDEX_COMPONENTS order, each 0–3 in steps of 0.5)."""
    if raw is None or str(raw).strip() == "":
        return dict(DEFAULT_WEIGHTS), None
    parts = [p.strip() for p in str(raw)[:200].split(",")]
    out = {}
    try:
        if len(parts) != len(INDEX_COMPONENTS):
            raise ValueError
        for c, p in zip(INDEX_COMPONENTS, parts):
            v = float(p)
            if not math.isfinite(v) or v < 0 or v > 3:
                raise ValueError
            out[c] = round(v * 2) / 2
    except ValueError:
        return dict(DEFAULT_WEIGHTS), "Ignored the index weights in the link (expected four numbers from 0 to 3); using equal weights."
    return out, None


def weights_param(weights: dict[str, float]) -> str | None:
    """URL value for the weights; None when they are the defaults (keeps links short)."""
    if all(float(weights.get(c, 1.0)) == DEFAULT_WEIGHTS[c] for c in INDEX_COMPONENTS):
        return None
    return ",".join(f"{float(weights.get(c, 1.0)):g}" for c in INDEX_COMPONENTS)


def url_params(ids: list[str], metrics: list[str], ind: str, weights: dict[str, float], min_cov: int,
               org: pd.DataFrame) -> dict:
    """The view's state for the URL, each default left out (None): the plain /compare link *is* the default view.

    Writing a default into the URL on a first visit made a new history entry, so Back from /compare landed on
    /compare again instead of the page before it (issue 17, point 8)."""
    return {"ids": None if list(ids) == default_ids(org) else list(ids),
            "metrics": None if list(metrics) == DEFAULT_METRICS else list(metrics),
            "ind": None if ind == DEFAULT_IND else ind, "w": weights_param(weights),
            "min_cov": None if min_cov == DEFAULT_MIN_COVERAGE else min_cov}


def display_long(long: pd.DataFrame) -> pd.DataFrame:
    """Table twin for the page: text cells, missing shown as 'no source'."""
    out = pd.DataFrame({
        "Organisation": long["name"],
        "Measure": long["measure"],
        "Value": long["shown"],
        "Year / period": [_when(p, y, b) for p, y, b in zip(long["period"], long["year"], long["year_basis"])],
        "What it counts": long["counts"],
        "Source": long["source"].fillna(MISSING),
        "id": long["id"],
    })
    return out.reset_index(drop=True)


# ----------------------------------------------------------------- normalisation
def normalised(org: pd.DataFrame, ri: pd.DataFrame, ids: list[str], field: str) -> pd.DataFrame:
    """``field`` per member and per 100,000 inhabitants of the NUTS 2 region.

    Population: Eurostat tgs00096 for the cluster's NUTS 2 (2016) region, the latest
    year at or before the figure's year (else the earliest held). Rows that cannot be
    normalised say why in ``reason``.
    """
    sub = org.set_index("id")
    rows = []
    for i in ids:
        if i not in sub.index:
            continue
        r = sub.loc[i]
        v = _num(r.get(field))
        yr = _num(r.get(field + "_year"))
        mem = _num(r.get("members_total"))
        region = r.get("nuts2_2016") if isinstance(r.get("nuts2_2016"), str) else None
        pop, pop_year = (None, None)
        if region:
            pop, pop_year = regional.latest_value(ri, region, "population", None if math.isnan(yr) else int(yr))
            if pop is None:
                pop, pop_year = regional.latest_value(ri, region, "population")
                if pop is not None:  # only later years held: take the earliest one
                    d = ri[(ri["indicator"] == "population") & (ri["region"] == region)].sort_values("year")
                    pop, pop_year = float(d["value"].iloc[0]), int(d["year"].iloc[0])
        reasons = []
        if math.isnan(v):
            reasons.append("no sourced value")
        else:
            if field != "members_total" and math.isnan(mem):
                reasons.append("no member count")
            if pop is None:
                reasons.append("no population for the region" if region else "no NUTS 2 region")
        rows.append({"id": i, "name": r.get("name"), "value": v,
                     "lower_bound": truthy(r.get(field + "_lower_bound")) and not math.isnan(v),
                     "year": None if math.isnan(yr) else int(yr), "members_total": mem, "region": region,
                     "population": np.nan if pop is None else pop, "population_year": pop_year,
                     "reason": "; ".join(reasons)})
    t = pd.DataFrame(rows, columns=["id", "name", "value", "lower_bound", "year", "members_total", "region",
                                    "population", "population_year", "reason"])
    if field == "members_total":
        t["per_member"] = np.nan
    else:
        t["per_member"] = metrics.normalise(t["value"], t["members_total"]).to_numpy()
    t["per_100k"] = metrics.normalise(t["value"], t["population"], per=100_000).to_numpy()
    return t


# ----------------------------------------------------------------- internationalisation index
def intl_components(org: pd.DataFrame) -> pd.DataFrame:
    """Index components per organisation (index = id); NaN = no source."""
    out = pd.DataFrame(index=org["id"].to_numpy())
    for c in ("members_international", "countries_partnered", "eu_cluster_partnerships"):
        out[c] = pd.to_numeric(org[c], errors="coerce").to_numpy() if c in org else np.nan
    esca = org["esca_label"] if "esca_label" in org else pd.Series([None] * len(org))
    out["esca_score"] = [ESCA_SCORE.get(str(v).strip().lower(), np.nan) if isinstance(v, str) else np.nan
                         for v in esca]
    out.index.name = "id"
    return out


def excluded_status(coverage: int, n_components: int, min_coverage: int) -> str:
    """The index status of a row with too few components: 'excluded (k of n; minimum m)'."""
    return f"excluded ({coverage} of {n_components}; minimum {min_coverage})"


def index_table(components: pd.DataFrame, weights: dict[str, float], min_coverage: int = DEFAULT_MIN_COVERAGE) -> pd.DataFrame:
    """Composite internationalisation index with coverage and a status flag per row.

    Uses :func:`cluster_data.metrics.internationalisation_index` (min-max scaling over
    the rows given, weighted mean of the components a row *has*; missing is never
    zero). Adds ``status``: "complete" (all weighted components), "partial (k of n)"
    (scored from fewer components: flagged) or "excluded (k of n; minimum m)".
    Components with zero weight are left out of coverage. ``rank`` is 1 = highest score.
    """
    w = {c: float(weights.get(c, 0.0)) for c in components.columns}
    used = [c for c, v in w.items() if v > 0]
    if not used:
        out = pd.DataFrame(index=components.index)
        out["score"], out["coverage"], out["n_components"] = np.nan, 0, 0
        out["eligible"], out["status"], out["rank"] = False, "excluded (no component weighted)", np.nan
        return out
    res = metrics.internationalisation_index(components[used], {c: w[c] for c in used}, min_coverage=min_coverage)
    n = len(used)
    status = []
    for cov, ok in zip(res["coverage"], res["eligible"]):
        if not ok:
            status.append(excluded_status(cov, n, min_coverage))
        elif cov < n:
            status.append(f"partial ({cov} of {n})")
        else:
            status.append("complete")
    res["status"] = status
    res["partial"] = res["eligible"] & (res["coverage"] < n)
    res["rank"] = res["score"].rank(ascending=False, method="min")
    return res


# ----------------------------------------------------------------- business model benchmark
def funding_benchmarks(cases: pd.DataFrame, sources: pd.DataFrame) -> pd.DataFrame:
    """European evidence on cluster organisations' funding, with sources (from case_studies.csv)."""
    c = cases[(cases["case"] == "europe_evidence") & cases["topic"].isin(["funding", "business_model"])].copy()
    c = c.merge(sources[["source_id", "title", "url"]], on="source_id", how="left")
    return c[["case_fact_id", "topic", "fact", "value_num", "unit", "year", "quote", "source_id", "title", "url"]].reset_index(drop=True)


def public_share_benchmark(bench: pd.DataFrame) -> dict | None:
    """The benchmark row giving a % of public funding (for a reference line), if any."""
    m = bench[bench["unit"].astype(str).str.contains("public", case=False, na=False) & bench["value_num"].notna()
              & bench["unit"].astype(str).str.contains("%", na=False)]
    if m.empty:
        return None
    r = m.iloc[0]
    return {"value": float(r["value_num"]), "year": r["year"], "unit": r["unit"], "fact": r["fact"],
            "title": r["title"], "url": r["url"], "quote": r["quote"]}


# ----------------------------------------------------------------- regional context
def region_table(org: pd.DataFrame, ri: pd.DataFrame, ids: list[str]) -> pd.DataFrame:
    """Per selected organisation: its NUTS 2 region and latest value + year of each context indicator."""
    sub = org.set_index("id")
    rows = []
    for i in ids:
        if i not in sub.index:
            continue
        code = sub.loc[i].get("nuts2_2016")
        code = code if isinstance(code, str) else None
        row = {"id": i, "name": sub.loc[i].get("name"), "region": code}
        for ind in REGION_INDICATORS:
            v, y = regional.latest_value(ri, code, ind) if code else (None, None)
            row[ind] = np.nan if v is None else v
            row[ind + "_year"] = y
        rows.append(row)
    return pd.DataFrame(rows)


def lq_note(ri: pd.DataFrame, years: list[int]) -> str:
    """What the htec_kis_lq denominator is for the years shown."""
    parts = []
    for y in sorted({int(y) for y in years if y is not None and y == y}):
        _, txt = regional.lq_reference(ri, "htec_kis_lq", y)
        parts.append(txt)
    return regional.DERIVED_INDICATORS["htec_kis_lq"]["description"] + (" Denominator: " + "; ".join(parts) + "." if parts else "")


def series(ri: pd.DataFrame, regions: list[str], ind: str) -> pd.DataFrame:
    return regional.time_series(ri, [r for r in regions if isinstance(r, str)], ind)


def indicator_label(ind: str) -> str:
    return regional.indicator_meta(ind)["label"] if (ind in INDICATORS or ind in regional.DERIVED_INDICATORS) else ind


# ----------------------------------------------------------------- export (issue 17, point 13)
def source_line(d: pd.DataFrame, max_titles: int = 2) -> str:
    """The source line printed inside a chart's image: the documents its sourced values come from."""
    have = d[d["value"].notna()] if "value" in d.columns else d
    titles = [t for t in dict.fromkeys(have.get("source", pd.Series(dtype=str)).dropna().astype(str)) if t.strip()]
    if not titles:
        return "Source: no sourced value for these organisations · Cluster Atlas"
    shown = "; ".join(titles[:max_titles]) + (f"; and {len(titles) - max_titles} more" if len(titles) > max_titles else "")
    return f"Sources: {shown} (every value's source is in the table and CSV) · Cluster Atlas"
