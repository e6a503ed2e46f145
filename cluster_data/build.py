"""Build step: derive the project's own data from ../shared/data.

Run ``python -m cluster_data.build [--raw DIR] [--out DIR]``. It is deterministic:
the same input gives byte-identical output (sorted rows, fixed float formatting,
rounded coordinates, no timestamps). The app and the tests only ever read the
output under ``cluster_data/derived``.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import math
import re
import sys
from pathlib import Path
from urllib.parse import urlparse

import numpy as np
import pandas as pd

from cluster_data import build_sectoral, paths
from cluster_data.build_report import BuildReport, log_lines
from cluster_data.schema import (
    FIELD_LABELS,
    FIELD_UNITS,
    ROW_TYPES,
    SECTORS,
    is_numeric_field,
    INDICATORS,
    NUMERIC_FIELDS,
    FOCUS_REGIONS,
    YEAR_COLUMNS,
)

BASE_TABLE = ("clusters_facts.csv", "clusters_facts_sources.csv")
MORE_DIR = "clusters_more"
WIDE_REQUIRED = ("cluster_id", "name", "row_type", "country_iso2", "city", "city_basis", "lat", "lon",
                 "nuts2_code", "nuts_version", "sector")
EVIDENCE_REQUIRED = ("cluster_id", "field", "value", "source_url", "source_title", "source_date", "quote")

# Map extent used to clip the basemap (lon_min, lat_min, lon_max, lat_max).
MAP_BOX = (-25.0, 33.0, 45.0, 72.0)

LOWER_BOUND_RE = re.compile(
    r"(?:more than|over|above|at least|in excess of|upwards of|mere end|más de|mas de|plus de|"
    r"mehr als|über|oltre|mais de|ruim|meer dan|>)\s*(?:EUR|€|£|\$|DKK)?\s*(\d[\d,.\u00a0\u202f ]*\d|\d)"
    r"|(\d[\d,.\u00a0\u202f]*\d|\d)\s*\+",
    re.IGNORECASE,
)


def is_lower_bound(quote, value) -> bool:
    """True when the quote says "more than X" (or "X+") for this very value X."""
    if not isinstance(quote, str) or value is None or (isinstance(value, float) and math.isnan(value)):
        return False
    for m in LOWER_BOUND_RE.finditer(quote):
        num = (m.group(1) or m.group(2) or "").strip()
        digits = re.sub(r"[,.\u00a0\u202f ]", "", num)
        if digits.isdigit() and float(digits) == float(value):
            return True
    return False


# --------------------------------------------------------------------------- helpers
def _sid(url: str | float, title: str | float) -> str:
    key = f"{'' if pd.isna(url) else url}|{'' if pd.isna(title) else title}"
    return "S" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:10]


def _publisher(url) -> str:
    if not isinstance(url, str) or not url.startswith("http"):
        return ""
    host = urlparse(url).netloc.lower()
    return host[4:] if host.startswith("www.") else host


def _year_of(date) -> float:
    if not isinstance(date, str):
        return np.nan
    # "2017-05", "c. 2009", "exercice ending March 2025": the first year the date text states
    m = re.search(r"(?<!\d)((?:19|20)\d{2})(?!\d)", date)
    return float(m.group(1)) if m else np.nan


def _write_csv(df: pd.DataFrame, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    df.to_csv(path, index=False, lineterminator="\n", float_format="%.6g")


def _round_coords(obj, nd: int):
    if isinstance(obj, float):
        return round(obj, nd)
    if isinstance(obj, (list, tuple)):
        return [_round_coords(o, nd) for o in obj]
    return obj


def _write_geojson(gdf, path: Path, props: list[str], tolerance: float, nd: int) -> None:
    """Simplify (topology-preserving per polygon), round and write compact GeoJSON."""
    from shapely.geometry import mapping

    gdf = gdf.copy()
    gdf["geometry"] = gdf.geometry.make_valid().simplify(tolerance, preserve_topology=True)
    gdf = gdf[~gdf.geometry.is_empty]
    feats = []
    for _, row in gdf.sort_values(props[0]).iterrows():
        geom = mapping(row.geometry)
        if geom["type"] == "GeometryCollection":
            polys = [g for g in row.geometry.geoms if g.geom_type in ("Polygon", "MultiPolygon")]
            if not polys:
                continue
            from shapely.ops import unary_union

            geom = mapping(unary_union(polys))
        geom = {"type": geom["type"], "coordinates": _round_coords(json.loads(json.dumps(geom["coordinates"])), nd)}
        feats.append({"type": "Feature", "properties": {p: (None if pd.isna(row[p]) else row[p]) for p in props}, "geometry": geom})
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"type": "FeatureCollection", "features": feats}, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")


# --------------------------------------------------------------------------- clusters
# The cluster evidence is read by pattern (issue 14): the base pair, every `<name>.csv` + `<name>_sources.csv`
# pair in clusters_more/ and every `enrichment*_sources.csv` there, so a new sourced file needs no code change.
def discover_cluster_files(raw: Path, report: "BuildReport") -> tuple[list[tuple[str, str]], list[str]]:
    """(table pairs, evidence-only files), relative to ``raw``, in a fixed order. Strays are reported."""
    pairs = [BASE_TABLE] if (raw / BASE_TABLE[0]).exists() else []
    enrich: list[str] = []
    more = raw / MORE_DIR
    names = sorted(p.name for p in more.glob("*.csv")) if more.is_dir() else []
    for n in names:
        rel = f"{MORE_DIR}/{n}"
        if n.endswith("_sources.csv"):
            if n.startswith("enrichment"):
                enrich.append(rel)
            elif n[: -len("_sources.csv")] + ".csv" not in names:
                report.file(rel, "an evidence file with no table of the same name and not named enrichment*_sources.csv")
        elif n[:-4] + "_sources.csv" in names:
            pairs.append((rel, f"{MORE_DIR}/{n[:-4]}_sources.csv"))
        else:
            report.file(rel, "a table with no matching <name>_sources.csv evidence file")
    return pairs, enrich


def _read_raw(raw: Path, rel: str, required: tuple[str, ...], report: "BuildReport") -> pd.DataFrame | None:
    try:
        d = pd.read_csv(raw / rel, dtype=str)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError, OSError) as exc:
        report.file(rel, f"unreadable ({type(exc).__name__})")
        return None
    missing = [c for c in required if c not in d.columns]
    if missing:
        report.file(rel, "lacks column(s) " + ", ".join(missing))
        return None
    d["origin_file"] = rel
    d["origin_row"] = range(2, len(d) + 2)  # spreadsheet row numbers (header = row 1)
    return d


def read_cluster_tables(raw: Path, pairs, report: "BuildReport") -> pd.DataFrame:
    """The wide tables stacked; a row without id, name, known row type or sector, or a repeated id, is reported."""
    frames = [d for d in (_read_raw(raw, w, WIDE_REQUIRED, report) for w, _ in pairs) if d is not None]
    wide = pd.concat(frames, ignore_index=True)
    ok = pd.Series(True, index=wide.index)
    for _, r in wide.iterrows():
        problem = None
        if not isinstance(r["cluster_id"], str) or not re.match(r"^[A-Za-z0-9_\-]+$", r["cluster_id"]):
            problem = "cluster_id is empty or not made of letters, digits, _ and -"
        elif not isinstance(r["name"], str) or not r["name"].strip():
            problem = "name is empty"
        elif r["row_type"] not in ROW_TYPES:
            problem = f"row_type {r['row_type']!r} is not one of the known row types"
        elif r["sector"] not in SECTORS:
            problem = f"sector {r['sector']!r} is not one of the known sectors"
        elif not isinstance(r["country_iso2"], str) or len(r["country_iso2"].strip()) != 2:
            problem = f"country_iso2 {r['country_iso2']!r} is not a two-letter code"
        if problem:
            ok[_] = False
            report.row(r, problem)
    wide = wide[ok]
    dup = wide["cluster_id"].duplicated(keep="first")
    for _, r in wide[dup].iterrows():
        report.row(r, "duplicate cluster_id (the first table's row is kept)")
    return wide[~dup].reset_index(drop=True)


def read_evidence(raw: Path, files: list[str], ids: set, report: "BuildReport") -> pd.DataFrame:
    """Every evidence row of the given files; unusable rows are reported by file, row and id, then left out."""
    frames = [d for d in (_read_raw(raw, f, EVIDENCE_REQUIRED, report) for f in files) if d is not None]
    ev = pd.concat(frames, ignore_index=True)
    keep = pd.Series(True, index=ev.index)
    blank = lambda v: not isinstance(v, str) or not v.strip()  # noqa: E731
    for i, r in ev.iterrows():
        problem = None
        if blank(r["cluster_id"]) or blank(r["field"]):
            problem = "cluster_id or field is empty"
        elif r["cluster_id"] not in ids:
            problem = "cluster_id is in no cluster table"
        elif blank(r["value"]):
            problem = "value is empty"
        elif blank(r["source_url"]) and blank(r["source_title"]):
            problem = "no source (neither source_url nor source_title)"
        if problem:
            keep[i] = False
            report.row(r, problem)
    ev = ev[keep]
    dup = ev.duplicated(["cluster_id", "field", "value", "source_url", "source_title", "quote"], keep="first")
    for _, r in ev[dup].iterrows():
        report.row(r, "duplicate evidence row (same id, field, value, source and quote; the first is kept)")
    ev = ev[~dup].copy()
    num = ev["field"].map(is_numeric_field)
    vnum = pd.to_numeric(ev["value"].str.replace(",", "", regex=False), errors="coerce")
    for _, r in ev[num & vnum.isna()].iterrows():
        report.note(r, "value of a numeric field is not a number (kept as text, never a headline)")
    ev["value_num"] = vnum.where(num)
    known = set(FIELD_LABELS) | set(FIELD_UNITS) | {"note"}
    for f, n in ev.loc[~ev["field"].isin(known), "field"].value_counts().sort_index().items():
        report.unknown_fields[str(f)] = int(n)
    report.files_read = sorted(set(ev["origin_file"]))
    return ev.reset_index(drop=True)


def build_source_table(ev: pd.DataFrame) -> pd.DataFrame:
    """One row per (url, title): publisher, kind (web page / derived / editor assignment) and licence."""
    src = ev[["source_id", "source_title", "source_url", "source_date"]].drop_duplicates("source_id").copy()
    src["publisher"] = src["source_url"].map(_publisher)
    derived = src["source_title"].fillna("").str.lower().str.startswith(("derived", "eurostat gisco", "geonames"))
    editor = src["source_title"].fillna("").str.lower().str.startswith("editor assignment")
    src["kind"] = np.where(editor, "editor assignment (unverified)", np.where(derived, "derived", "web page"))
    src["licence"] = np.where(
        src["kind"] == "web page",
        "Quoted for reference; © the publisher",
        np.where(src["source_title"].fillna("").str.contains("GeoNames"), "GeoNames, CC BY 4.0",
                 np.where(src["source_title"].fillna("").str.contains("GISCO"), "© EuroGeographics for the administrative boundaries", "")),
    )
    src = src.rename(columns={"source_title": "title", "source_url": "url", "source_date": "date"})
    return src.sort_values("source_id").reset_index(drop=True)


def _headline_index(grp: pd.DataFrame, field: str, wv) -> int | None:
    """The row the curated wide table holds (numeric match, else same text); else the newest numeric row."""
    if isinstance(wv, str) and wv.strip():
        if is_numeric_field(field):
            try:
                target = float(wv.replace(",", ""))
                m = grp[np.isclose(grp["value_num"].astype(float), target, equal_nan=False)]
                if len(m):
                    return m.index[0]
            except ValueError:
                pass
        m = grp[grp["value"].str.strip().str.lower() == wv.strip().lower()]
        if len(m):
            return m.index[0]
    cand = grp[grp["value_num"].notna()] if is_numeric_field(field) else grp
    if len(cand):
        return cand.sort_values(["source_year", "evidence_order"], ascending=[False, True], na_position="last").index[0]
    return None


def build_facts(ev: pd.DataFrame, wide: pd.DataFrame) -> pd.DataFrame:
    """The long master copy: unit, reference year, lower bound and the headline choice per (id, field)."""
    ev = ev.copy()
    ev["evidence_order"] = range(len(ev))
    ev["lower_bound"] = [is_lower_bound(q, v) for q, v in zip(ev["quote"], ev["value_num"])]
    ev["unit"] = ev["field"].map(FIELD_UNITS).fillna("")
    ev["source_year"] = ev["source_date"].map(_year_of)
    ev["is_headline"] = False
    ev["ref_year"] = np.nan
    ev["year_basis"] = "source date"
    wide_i = wide.set_index("cluster_id")
    for (cid, field), grp in ev.groupby(["cluster_id", "field"], sort=False):
        wrow = wide_i.loc[cid]
        chosen = _headline_index(grp, field, wrow.get(field) if field in wide_i.columns else None)
        if chosen is not None:
            ev.loc[chosen, "is_headline"] = True
            ycol = YEAR_COLUMNS.get(field)
            yv = wrow.get(ycol) if ycol else None
            if isinstance(yv, str) and yv.strip():
                ev.loc[chosen, "ref_year"] = float(yv)
                ev.loc[chosen, "year_basis"] = "stated"
    ev["period"] = ""
    jm = (ev["field"] == "jobs_created") & ev["is_headline"]
    ev.loc[jm, "period"] = ev.loc[jm, "cluster_id"].map(wide_i["jobs_created_period"]).fillna("")
    ev.loc[ev["year_basis"] == "source date", "ref_year"] = ev["source_year"]
    facts = ev.rename(columns={"cluster_id": "entity_id"})[
        ["entity_id", "field", "value", "value_num", "unit", "ref_year", "year_basis", "period",
         "lower_bound", "is_headline", "source_id", "quote", "origin_file"]
    ].copy()
    facts = facts.sort_values(["entity_id", "field", "source_id", "value"], kind="mergesort").reset_index(drop=True)
    facts.insert(0, "fact_id", [f"F{i:05d}" for i in range(1, len(facts) + 1)])
    return facts


def build_clusters(raw: Path, geo, report: "BuildReport | None" = None):
    """Organisations, facts and sources from every cluster table and evidence file (see discover_cluster_files)."""
    report = report if report is not None else BuildReport()
    pairs, enrich = discover_cluster_files(raw, report)
    wide = read_cluster_tables(raw, pairs, report)
    ev = read_evidence(raw, [s for _, s in pairs] + enrich, set(wide["cluster_id"]), report)
    ev["source_id"] = [_sid(u, t) for u, t in zip(ev["source_url"], ev["source_title"])]
    src = build_source_table(ev)
    facts = build_facts(ev, wide)
    org = build_org_table(raw, wide, facts, geo)
    return org, facts, src


def build_org_table(raw: Path, wide: pd.DataFrame, facts: pd.DataFrame, geo) -> pd.DataFrame:
    """One row per organisation: the curated descriptive columns, headline numbers from the facts, NUTS codes."""
    # Coordinates only where the table gives them (a sourced or proxy seat); a blank seat stays blank.
    org = pd.DataFrame({
        "id": wide["cluster_id"],
        "name": wide["name"],
        "row_type": wide["row_type"],
        "country": wide["country_iso2"],
        "city": wide["city"],
        "city_basis": wide["city_basis"],
        "lat": pd.to_numeric(wide["lat"], errors="coerce").round(5),
        "lon": pd.to_numeric(wide["lon"], errors="coerce").round(5),
        "nuts2_code": wide["nuts2_code"],
        "nuts_version": wide["nuts_version"].str.replace("NUTS ", "", regex=False),
        "sector": wide["sector"],
        "sector_detail": wide["sector_detail"],
        "website": wide["website"],
        "international_partners_named": wide["international_partners"],
        "funding_model_note": wide["funding_model_note"],
        "public_funding_note": wide["public_funding_note"],
        "note": wide["notes"].fillna(wide["note"]),
        "origin_file": wide["origin_file"],
    })
    _add_headline_numbers(org, facts)
    _add_nuts2016_codes(org, raw, geo)
    return org.sort_values("id").reset_index(drop=True)


def _add_headline_numbers(org: pd.DataFrame, facts: pd.DataFrame) -> None:
    """Add the headline numbers (value, year, lower bound) to org in place, from the long facts (wide derived from long)."""
    head = facts[facts["is_headline"]]
    for f in NUMERIC_FIELDS:
        m = head[head["field"] == f].set_index("entity_id")
        org[f] = org["id"].map(m["value_num"])
        if f in ("founded_year", "label_year"):
            continue
        org[f + "_year"] = org["id"].map(m["ref_year"])
        org[f + "_lower_bound"] = org["id"].map(m["lower_bound"]).eq(True)
    m = head[head["field"] == "esca_label"].set_index("entity_id")
    org["esca_label"] = org["id"].map(m["value"].str.lower())
    org["esca_label_year"] = org["id"].map(m["ref_year"])


def _add_nuts2016_codes(org: pd.DataFrame, raw: Path, geo) -> None:
    """Add NUTS 2016-compatible codes to org in place, for joining regional statistics (codes, never names)."""
    n2_2016 = set(geo["nuts2"]["NUTS_ID"])
    changes = pd.read_csv(raw / "regional/nuts_code_changes_1999_2021.csv", dtype=str)
    c21 = changes.dropna(subset=["code_2021", "code_2016"])
    c21 = c21[c21["code_2021"].str.len() == 4]
    map21 = dict(zip(c21["code_2021"], c21["code_2016"]))
    import geopandas as gpd

    pts = gpd.GeoDataFrame(org[["id"]], geometry=gpd.points_from_xy(org["lon"], org["lat"]), crs=4326)
    pip2 = gpd.sjoin(pts, geo["nuts2"][["NUTS_ID", "geometry"]], how="left", predicate="within").drop_duplicates("id").set_index("id")["NUTS_ID"]
    pip3 = gpd.sjoin(pts, geo["nuts3"][["NUTS_ID", "geometry"]], how="left", predicate="within").drop_duplicates("id").set_index("id")["NUTS_ID"]
    codes, methods = [], []
    for _, r in org.iterrows():
        c = r["nuts2_code"]
        if isinstance(c, str) and r["nuts_version"] == "2016" and c in n2_2016:
            codes.append(c); methods.append("as given (NUTS 2016)")
        elif isinstance(c, str) and c in n2_2016:
            codes.append(c); methods.append("same code in NUTS 2016")
        elif isinstance(c, str) and map21.get(c) in n2_2016:
            codes.append(map21[c]); methods.append("Eurostat NUTS 2021→2016 code history")
        elif isinstance(pip2.get(r["id"]), str):
            codes.append(pip2[r["id"]]); methods.append("point in NUTS 2016 polygon")
        else:
            codes.append(None); methods.append("unknown")
    org["nuts2_2016"] = codes
    org["nuts2_2016_method"] = methods
    org["nuts3_2016"] = org["id"].map(pip3)


# --------------------------------------------------------------------------- geo
def load_geo(raw: Path):
    import geopandas as gpd

    g = raw / "geo"
    out = {
        "nuts0": gpd.read_file(g / "nuts2016_20m_4326_lvl0.geojson"),
        "nuts1": gpd.read_file(g / "nuts2016_20m_4326_lvl1.geojson"),
        "nuts2": gpd.read_file(g / "nuts2016_20m_4326_lvl2.geojson"),
        "nuts3": gpd.read_file(g / "nuts2016_20m_4326_lvl3.geojson"),
        "countries": gpd.read_file(g / "ne_50m_admin0_countries_europe.geojson"),
        "nuts2021_2": gpd.read_file(g / "nuts2021_20m_4326_lvl2.geojson"),
    }
    return out


def build_geometry(geo, out: Path) -> None:
    from shapely.geometry import box

    gdir = out / "geo"
    clip = box(*MAP_BOX)
    c = geo["countries"].copy()
    c["geometry"] = c.geometry.make_valid().intersection(clip)
    c = c[~c.geometry.is_empty]
    c["iso_a2"] = c["ISO_A2"]
    c["name"] = c["NAME"]
    _write_geojson(c, gdir / "countries.geojson", ["name", "iso_a2"], tolerance=0.05, nd=3)

    for lvl, tol in (("nuts0", 0.03), ("nuts1", 0.03), ("nuts2", 0.02)):
        gdf = geo[lvl].copy()
        gdf["geometry"] = gdf.geometry.make_valid().intersection(clip)
        gdf["name"] = gdf["NAME_LATN"].str.strip()
        _write_geojson(gdf, gdir / f"{lvl}_2016.geojson", ["NUTS_ID", "name", "CNTR_CODE"], tolerance=tol, nd=3)
    n3 = geo["nuts3"]
    n3 = n3[n3["CNTR_CODE"].isin(["UK", "DK", "ES"])].copy()
    n3["geometry"] = n3.geometry.make_valid().intersection(clip)
    n3["name"] = n3["NAME_LATN"].str.strip()
    _write_geojson(n3, gdir / "nuts3_2016_uk_dk_es.geojson", ["NUTS_ID", "name", "CNTR_CODE"], tolerance=0.005, nd=4)


def build_regions(geo, raw: Path) -> pd.DataFrame:
    rows = []
    for lvl in (0, 1, 2, 3):
        g = geo[f"nuts{lvl}"]
        for _, r in g.iterrows():
            rows.append({"code": r["NUTS_ID"], "level": lvl, "name": str(r["NAME_LATN"]).strip(), "country": r["CNTR_CODE"], "in_2016": True})
    reg = pd.DataFrame(rows)
    labels = pd.read_csv(raw / "regional/nuts2021_codes_labels.csv", dtype=str)
    code_col = "ref_area" if "ref_area" in labels.columns else labels.columns[2]
    c21 = set(labels[code_col])
    reg["in_2021"] = reg["code"].isin(c21)
    reg["versions"] = np.where(reg["in_2021"], "2016;2021", "2016")
    reg = reg.drop(columns=["in_2021", "in_2016"])
    reg["focus"] = reg["code"].map({k: v["label"] for k, v in FOCUS_REGIONS.items()}).fillna("")
    # ITL3 (ONS) codes for UK NUTS3: TL + code[2:] (the ONS rule; exceptions noted in PROVENANCE)
    reg["itl_code"] = np.where((reg["country"] == "UK") & (reg["level"] == 3), "TL" + reg["code"].str[2:], "")
    return reg.sort_values(["level", "code"]).reset_index(drop=True)


# --------------------------------------------------------------------------- regional statistics
def _count_drop(report: BuildReport | None, what: str, n) -> None:
    """Regional rows the build leaves out are counted in the build report (never dropped silently)."""
    if report is not None:
        report.regional_rows_dropped[what] = report.regional_rows_dropped.get(what, 0) + int(n)


def build_regional(raw: Path, report: BuildReport | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    r = raw / "regional"
    frames = _honti_frames(r) + _eurostat_indicator_frames(r, report) + _ons_frames(r / "uk", report)
    ri = pd.concat(frames, ignore_index=True)
    ri["source_id"] = ri["indicator"].map({k: v["source_id"] for k, v in INDICATORS.items()})
    ri["source_id"] = [REGIONAL_ROW_SOURCES.get((i, g), s) for i, g, s in zip(ri["indicator"], ri["region"], ri["source_id"])]
    _count_drop(report, "regional indicators: repeated (region, indicator, year) rows, first kept",
                ri.duplicated(["region", "indicator", "year"]).sum())
    ri = ri.drop_duplicates(["region", "indicator", "year"]).sort_values(["indicator", "region", "year"]).reset_index(drop=True)
    meta = pd.DataFrame([{"indicator": k, **v} for k, v in INDICATORS.items()])
    return ri, meta


def _honti_frames(r: Path) -> list[pd.DataFrame]:
    """Eurostat technology, knowledge-intensive and R&D shares by NUTS 2 (the Honti 2020 extract)."""
    frames = []
    h = pd.read_csv(r / "eurostat_htec_rd_hrst_edu_nuts2_2008_2019_honti2020.csv")
    cols = {
        "htec_kis_share": "htec_emp_reg2_NACE_R2_KIS_HTC_UNIT_PC_EMP_SEX_T",
        "kis_share": "htec_emp_reg2_NACE_R2_KIS_UNIT_PC_EMP_SEX_T",
        "htc_share": "htec_emp_reg2_NACE_R2_HTC_UNIT_PC_EMP_SEX_T",
        "rd_gdp": "rd_e_gerdreg_SECTPERF_TOTAL_UNIT_PC_GDP",
    }
    for ind, col in cols.items():
        d = h[["NUTS_ID", "YEAR", col]].dropna()
        frames.append(pd.DataFrame({"region": d["NUTS_ID"], "indicator": ind, "year": d["YEAR"].astype(int), "value": d[col].astype(float)}))
    return frames


def _eurostat_indicator_frames(r: Path, report: BuildReport | None) -> list[pd.DataFrame]:
    """Eurostat GDP, population, GDP per head and the EU knowledge-intensive share (2020-12 long extract)."""
    frames = []
    i = pd.read_csv(r / "eurostat_indicators_2020-12_nuts0_nuts2_long.csv", low_memory=False)
    gdp = i[(i["input_var_code"] == "tgs00003") & (i["unit"] == "MIO_EUR")][["geo", "time", "values"]].dropna()
    pop = i[(i["input_var_code"] == "tgs00096")]
    if "sex" in pop.columns:
        pop = pop[pop["sex"].isna() | (pop["sex"] == "T")]
    if "age" in pop.columns:
        pop = pop[pop["age"].isna() | (pop["age"] == "TOTAL")]
    pop = pop[["geo", "time", "values"]].dropna()
    _count_drop(report, "Eurostat tgs00096 population: repeated (region, year) rows, first kept", pop.duplicated(["geo", "time"]).sum())
    _count_drop(report, "Eurostat tgs00003 GDP: repeated (region, year) rows, first kept", gdp.duplicated(["geo", "time"]).sum())
    pop = pop.drop_duplicates(["geo", "time"])
    gdp = gdp.drop_duplicates(["geo", "time"])
    frames.append(pd.DataFrame({"region": gdp["geo"], "indicator": "gdp_mio_eur", "year": gdp["time"].astype(int), "value": gdp["values"].astype(float)}))
    frames.append(pd.DataFrame({"region": pop["geo"], "indicator": "population", "year": pop["time"].astype(int), "value": pop["values"].astype(float)}))
    gp = gdp.merge(pop, on=["geo", "time"], suffixes=("_gdp", "_pop"))
    gp = gp[gp["values_pop"] > 0]
    frames.append(pd.DataFrame({"region": gp["geo"], "indicator": "gdp_per_head_eur", "year": gp["time"].astype(int),
                                "value": (gp["values_gdp"] * 1e6 / gp["values_pop"]).round(0)}))
    t = i[(i["input_var_code"] == "tsc00011") & (i["nace_r2"] == "KIS") & (i["geo"].isin(["EU28", "EU27_2020"]))]
    frames.append(pd.DataFrame({"region": t["geo"], "indicator": "kis_share", "year": t["time"].astype(int), "value": t["values"].astype(float)}))
    return frames


def _ons_frames(u: Path, report: BuildReport | None) -> list[pd.DataFrame]:
    """ONS (UK): GVA by industry (ITL3), total GVA and population."""
    frames = []
    g3 = pd.read_csv(u / "ons_gva_itl3_by_industry_current_prices_gbp_m_1998_2022.csv", thousands=",", encoding="utf-8-sig")
    g3 = g3.rename(columns={g3.columns[0]: "code"})
    yrs = [c for c in g3.columns if c.isdigit()]
    for sic, ind in (("Total", "gva_total_gbp_m"), ("J (58-63)", "gva_j_gbp_m")):
        d = g3[g3["SIC07 code"] == sic].melt(id_vars=["code"], value_vars=yrs, var_name="year", value_name="value").dropna()
        vals = pd.to_numeric(d["value"], errors="coerce")
        _count_drop(report, f"ONS GVA {sic}: cells that are not numbers", vals.isna().sum())
        frames.append(pd.DataFrame({"region": d["code"], "indicator": ind, "year": d["year"].astype(int), "value": vals}).dropna())
    popu = pd.read_csv(u / "ons_population_itl_all_levels_1998_2022.csv", thousands=",", encoding="utf-8-sig")
    yrs = [c for c in popu.columns if c.isdigit()]
    popu = popu[popu["ITL code"].str.match(r"^(UK|TLI|TLI\d|TLI\d\d|TLJ1\d?)$")]
    d = popu.melt(id_vars=["ITL code"], value_vars=yrs, var_name="year", value_name="value").dropna()
    vals = pd.to_numeric(d["value"], errors="coerce")
    _count_drop(report, "ONS population: cells that are not numbers", vals.isna().sum())
    frames.append(pd.DataFrame({"region": d["ITL code"], "indicator": "population_ons", "year": d["year"].astype(int), "value": vals}).dropna())
    return frames


# One source per producer table: the producer and table code are the source (derived from
# ../shared/data/PROVENANCE.md); the repository snapshot the file came from is "retrieved via".
# The newest year each table holds is added from the data in the build (newest_year).
_EUROSTAT = "Source: Eurostat (reuse with acknowledgement)"
_OGL = "Source: Office for National Statistics licensed under the Open Government Licence v.3.0"
REGIONAL_SOURCES = [
    {"source_id": "R_EUROSTAT_HONTI", "title": "Eurostat, htec_emp_reg2 Employment in technology and knowledge-intensive "
                                               "sectors by NUTS 2 region (% of total employment)",
     "url": "https://github.com/paezha/edashop/blob/de0aba9389c614791e3ad33896d9420898f4abff/data/i40_index_db.rda",
     "date": "2020", "publisher": "Eurostat", "kind": "statistics",
     "retrieved_via": "paezha/edashop @ de0aba93 : data/i40_index_db.rda (NUTS 2 panel compiled by Honti, Czvetkó & "
                      "Abonyi (2020), Data in Brief 33:106464, CC BY 4.0)",
     "licence": _EUROSTAT + "; compilation CC BY 4.0"},
    {"source_id": "R_EUROSTAT_GERD", "title": "Eurostat, rd_e_gerdreg Intramural R&D expenditure (GERD) by sector of "
                                              "performance and NUTS 2 region (% of GDP)",
     "url": "https://github.com/paezha/edashop/blob/de0aba9389c614791e3ad33896d9420898f4abff/data/i40_index_db.rda",
     "date": "2020", "publisher": "Eurostat", "kind": "statistics",
     "retrieved_via": "paezha/edashop @ de0aba93 : data/i40_index_db.rda (NUTS 2 panel compiled by Honti, Czvetkó & "
                      "Abonyi (2020), Data in Brief 33:106464, CC BY 4.0)",
     "licence": _EUROSTAT + "; compilation CC BY 4.0"},
    {"source_id": "R_EUROSTAT_TGS", "title": "Eurostat, tgs00003 Regional gross domestic product (million EUR) by NUTS 2 "
                                             "region, extracted 2020-12",
     "url": "https://github.com/andrea-ballatore/open-geo-data-education/blob/23ba5d1fc96a242bd69444cd98d1be31a2d326ad/"
            "datasets/eu_eurostat_indicators_2005_2020/eu_all_geo_data.rds",
     "date": "2020-12", "publisher": "Eurostat", "kind": "statistics",
     "retrieved_via": "andrea-ballatore/open-geo-data-education @ 23ba5d1f : "
                      "datasets/eu_eurostat_indicators_2005_2020/eu_all_geo_data.rds",
     "licence": _EUROSTAT},
    {"source_id": "R_EUROSTAT_POP", "title": "Eurostat, tgs00096 Population on 1 January by NUTS 2 region, extracted 2020-12",
     "url": "https://github.com/andrea-ballatore/open-geo-data-education/blob/23ba5d1fc96a242bd69444cd98d1be31a2d326ad/"
            "datasets/eu_eurostat_indicators_2005_2020/eu_all_geo_data.rds",
     "date": "2020-12", "publisher": "Eurostat", "kind": "statistics",
     "retrieved_via": "andrea-ballatore/open-geo-data-education @ 23ba5d1f : "
                      "datasets/eu_eurostat_indicators_2005_2020/eu_all_geo_data.rds",
     "licence": _EUROSTAT},
    {"source_id": "R_EUROSTAT_KIS_EU", "title": "Eurostat, tsc00011 Employment in high-tech sectors and knowledge-intensive "
                                                "services, EU total (% of total employment), extracted 2020-12",
     "url": "https://github.com/andrea-ballatore/open-geo-data-education/blob/23ba5d1fc96a242bd69444cd98d1be31a2d326ad/"
            "datasets/eu_eurostat_indicators_2005_2020/eu_all_geo_data.rds",
     "date": "2020-12", "publisher": "Eurostat", "kind": "statistics",
     "retrieved_via": "andrea-ballatore/open-geo-data-education @ 23ba5d1f : "
                      "datasets/eu_eurostat_indicators_2005_2020/eu_all_geo_data.rds",
     "licence": _EUROSTAT},
    {"source_id": "R_ONS_GVA", "title": "ONS, Regional gross value added (balanced) by industry, ITL3 current prices "
                                        "(Table 3c), April 2024",
     "url": "https://github.com/DanOlner/RegionalEconomicToolsWeb/blob/b7640d3a2a339f647c48891e707066dddd6ebaa1/data/"
            "Table%203c%20ITL3%20current%20price%20estimates%20pounds%20million%202024.csv",
     "date": "2024-04", "publisher": "Office for National Statistics", "kind": "statistics",
     "retrieved_via": "DanOlner/RegionalEconomicToolsWeb @ b7640d3a : "
                      "data/Table 3c ITL3 current price estimates pounds million 2024.csv",
     "licence": _OGL},
    {"source_id": "R_ONS_POP", "title": "ONS, Regional gross value added (balanced), Table 6 Total resident population, "
                                        "April 2024",
     "url": "https://github.com/DanOlner/RegionalEconomicToolsWeb/blob/f507e95a83da8dcf212cd6bfa87921a88376063a/data/"
            "Table%206%20Total%20resident%20population%20numbers%20persons%20Apr2024.csv",
     "date": "2024-04", "publisher": "Office for National Statistics", "kind": "statistics",
     "retrieved_via": "DanOlner/RegionalEconomicToolsWeb @ f507e95a : "
                      "data/Table 6 Total resident population numbers persons Apr2024.csv",
     "licence": _OGL},
    {"source_id": "R_GISCO_NUTS2016", "title": "Eurostat GISCO, NUTS 2016 boundaries, 1:20 million (simplified for this app)",
     "url": "https://github.com/rOpenGov/giscoR/blob/a022d861226c0b2d33fd23a532c348fe081aa442/devel/NUTS_RG_20M_2016_4326.geojson",
     "date": "2020-09-25", "publisher": "Eurostat GISCO", "kind": "boundaries",
     "retrieved_via": "rOpenGov/giscoR @ a022d861 : devel/NUTS_RG_20M_2016_4326.geojson",
     "licence": "© EuroGeographics for the administrative boundaries"},
    {"source_id": "R_NATURAL_EARTH", "title": "Natural Earth, 1:50m admin-0 countries (clipped to Europe, simplified)",
     "url": "https://github.com/martynafford/natural-earth-geojson/tree/90266457d82d3717e47313e72a921e31a087d2c4/50m/cultural",
     "date": "2017-11-09", "publisher": "Natural Earth", "kind": "boundaries",
     "retrieved_via": "martynafford/natural-earth-geojson @ 90266457 : 50m/cultural/ne_50m_admin_0_countries.7z",
     "licence": "Made with Natural Earth (public domain)"},
]
# Regional rows whose table differs from their indicator's usual source (the EU reference of kis_share).
REGIONAL_ROW_SOURCES = {("kis_share", "EU28"): "R_EUROSTAT_KIS_EU", ("kis_share", "EU27_2020"): "R_EUROSTAT_KIS_EU"}
_LOCAL_COPY = re.compile(r"\s*;?\s*(?:local (?:byte )?copy|copy in|(excerpt) in)\s+shared/data/[^);]*")


def regional_sources(ri: pd.DataFrame) -> pd.DataFrame:
    """REGIONAL_SOURCES with the newest year each table holds in the shipped regional statistics."""
    src = pd.DataFrame(REGIONAL_SOURCES)
    newest = ri.groupby("source_id")["year"].max()
    src["newest_year"] = src["source_id"].map(newest).astype("Int64")
    return src


def public_title(title) -> str:
    """A source title without the project's local file paths ("local copy shared/data/…")."""
    if not isinstance(title, str):
        return title
    t = _LOCAL_COPY.sub(lambda m: " excerpt" if m.group(1) else "", title)
    return re.sub(r"\s*\(\s*\)", "", t).replace("( excerpt)", "(excerpt)").strip()


# --------------------------------------------------------------------------- case studies
def build_case_studies(raw: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    c = pd.read_csv(raw / "case_studies.csv", dtype=str)
    c["source_id"] = [_sid(u, t) for u, t in zip(c["source_url"], c["source_title"])]
    c["value_num"] = pd.to_numeric(c["value"], errors="coerce")
    c["lower_bound"] = c["unit"].fillna("").str.contains("lower bound")
    src = c[["source_id", "source_title", "source_url", "source_date"]].drop_duplicates("source_id").rename(
        columns={"source_title": "title", "source_url": "url", "source_date": "date"})
    src["publisher"] = src["url"].map(_publisher)
    src["kind"] = "web page"
    src["licence"] = "Quoted for reference; © the publisher"
    c = c.reset_index(drop=True)
    c.insert(0, "case_fact_id", [f"C{i:04d}" for i in range(1, len(c) + 1)])
    out = c[["case_fact_id", "case", "topic", "fact", "value", "value_num", "unit", "year", "lower_bound", "source_id", "quote"]]
    return out, src


# --------------------------------------------------------------------------- main
def build(raw: Path, out: Path) -> dict:
    raw, out = Path(raw), Path(out)
    if not (raw / "PROVENANCE.md").exists():
        raise SystemExit(f"Raw data not found at {raw} (expected PROVENANCE.md). Put ../shared beside the repo or pass --raw.")
    geo = load_geo(raw)
    report = BuildReport()
    org, facts, csrc = build_clusters(raw, geo, report)
    cases, case_src = build_case_studies(raw)
    ri, meta = build_regional(raw, report)
    regions = build_regions(geo, raw)
    sources = pd.concat([csrc, case_src, regional_sources(ri), pd.DataFrame(build_sectoral.SECTORAL_SOURCES)],
                        ignore_index=True)
    sources = sources.drop_duplicates("source_id").sort_values("source_id").reset_index(drop=True)
    sources["title"] = sources["title"].map(public_title)
    sources = sources[["source_id", "title", "url", "publisher", "date", "kind", "licence", "retrieved_via", "newest_year"]]

    out.mkdir(parents=True, exist_ok=True)
    _write_csv(org, out / "organisations.csv")
    _write_csv(facts, out / "facts.csv")
    _write_csv(sources, out / "sources.csv")
    _write_csv(regions, out / "regions.csv")
    _write_csv(ri, out / "regional_indicators.csv")
    _write_csv(meta, out / "indicators.csv")
    _write_csv(cases, out / "case_studies.csv")
    build_geometry(geo, out)
    sectoral_counts = build_sectoral.build_sectoral(raw, out)  # issue 13: sector × region employment

    files = sorted(p for p in out.rglob("*") if p.is_file() and p.name != "manifest.json")
    manifest = {
        "built_from": "shared/data (see PROVENANCE.md there)",
        "vintage": {"cluster_sources_latest": str(sources.loc[(sources["kind"] == "web page") & sources["date"].fillna("").str.match(r"^\d{4}"), "date"].max()),
                    "regional_years": f"{int(ri['year'].min())}–{int(ri['year'].max())}"},
        "files": {str(p.relative_to(out)): hashlib.sha256(p.read_bytes()).hexdigest() for p in files},
        "counts": {"organisations": int(len(org)), "facts": int(len(facts)), "sources": int(len(sources)),
                   "regional_indicators": int(len(ri)), "case_studies": int(len(cases)), **sectoral_counts},
        "build_report": report.as_dict(),
    }
    (out / "manifest.json").write_text(json.dumps(manifest, indent=1, ensure_ascii=False, sort_keys=True) + "\n", encoding="utf-8")
    return manifest


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--raw", default=str(paths.DEFAULT_RAW_DIR))
    ap.add_argument("--out", default=str(paths.DEFAULT_DATA_DIR))
    a = ap.parse_args(argv)
    m = build(Path(a.raw), Path(a.out))
    print(json.dumps(m["counts"]))
    for line in log_lines(m["build_report"]):
        print(line, file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
