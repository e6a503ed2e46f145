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

from cluster_data import paths
from cluster_data.schema import (
    FIELD_UNITS,
    INDICATORS,
    NUMERIC_FIELDS,
    FOCUS_REGIONS,
    YEAR_COLUMNS,
)

CLUSTER_TABLES = [
    ("clusters_facts.csv", "clusters_facts_sources.csv"),
    ("clusters_more/west_central.csv", "clusters_more/west_central_sources.csv"),
    ("clusters_more/north_east_south.csv", "clusters_more/north_east_south_sources.csv"),
    ("clusters_more/greenwich_peers.csv", "clusters_more/greenwich_peers_sources.csv"),
]
ENRICHMENT = "clusters_more/enrichment_sources.csv"

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
    m = re.match(r"(\d{4})", date)
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
def build_clusters(raw: Path, geo):
    wides, evid = [], []
    for wide_f, src_f in CLUSTER_TABLES:
        w = pd.read_csv(raw / wide_f, dtype=str)
        w["origin_file"] = wide_f
        wides.append(w)
        s = pd.read_csv(raw / src_f, dtype=str)
        s["origin_file"] = src_f
        evid.append(s)
    e = pd.read_csv(raw / ENRICHMENT, dtype=str)
    e["origin_file"] = ENRICHMENT
    evid.append(e)
    wide = pd.concat(wides, ignore_index=True)
    ev = pd.concat(evid, ignore_index=True)
    if not wide["cluster_id"].is_unique:
        raise ValueError("duplicate cluster_id in raw cluster tables")
    ev = ev[ev["cluster_id"].isin(set(wide["cluster_id"]))].copy()
    ev["evidence_order"] = range(len(ev))

    # ---------------- sources
    ev["source_id"] = [_sid(u, t) for u, t in zip(ev["source_url"], ev["source_title"])]
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

    # ---------------- facts (long, master copy)
    ev["value_num"] = pd.to_numeric(ev["value"].str.replace(",", "", regex=False), errors="coerce")
    ev.loc[~ev["field"].isin(NUMERIC_FIELDS), "value_num"] = np.nan
    ev["lower_bound"] = [is_lower_bound(q, v) for q, v in zip(ev["quote"], ev["value_num"])]
    ev["unit"] = ev["field"].map(FIELD_UNITS).fillna("")
    ev["source_year"] = ev["source_date"].map(_year_of)

    # headline choice: the value the curated wide table holds; else the newest numeric row.
    ev["is_headline"] = False
    ev["ref_year"] = np.nan
    ev["year_basis"] = "source date"
    for (cid, field), grp in ev.groupby(["cluster_id", "field"], sort=False):
        wrow = wide.loc[wide["cluster_id"] == cid].iloc[0]
        chosen = None
        wv = wrow.get(field) if field in wide.columns else None
        if isinstance(wv, str) and wv.strip():
            if field in NUMERIC_FIELDS:
                try:
                    target = float(wv.replace(",", ""))
                    m = grp[np.isclose(grp["value_num"].astype(float), target, equal_nan=False)]
                    if len(m):
                        chosen = m.index[0]
                except ValueError:
                    pass
            if chosen is None:
                m = grp[grp["value"].str.strip().str.lower() == wv.strip().lower()]
                if len(m):
                    chosen = m.index[0]
        if chosen is None:
            cand = grp[grp["value_num"].notna()] if field in NUMERIC_FIELDS else grp
            if len(cand):
                chosen = cand.sort_values(["source_year", "evidence_order"], ascending=[False, True], na_position="last").index[0]
        if chosen is not None:
            ev.loc[chosen, "is_headline"] = True
            ycol = YEAR_COLUMNS.get(field)
            yv = wrow.get(ycol) if ycol else None
            if isinstance(yv, str) and yv.strip():
                ev.loc[chosen, "ref_year"] = float(yv)
                ev.loc[chosen, "year_basis"] = "stated"
    ev["period"] = ""
    per = wide.set_index("cluster_id")["jobs_created_period"]
    jm = (ev["field"] == "jobs_created") & ev["is_headline"]
    ev.loc[jm, "period"] = ev.loc[jm, "cluster_id"].map(per).fillna("")
    ev.loc[ev["year_basis"] == "source date", "ref_year"] = ev["source_year"]
    facts = ev.rename(columns={"cluster_id": "entity_id"})[
        ["entity_id", "field", "value", "value_num", "unit", "ref_year", "year_basis", "period",
         "lower_bound", "is_headline", "source_id", "quote", "origin_file"]
    ].copy()
    facts = facts.sort_values(["entity_id", "field", "source_id", "value"], kind="mergesort").reset_index(drop=True)
    facts.insert(0, "fact_id", [f"F{i:05d}" for i in range(1, len(facts) + 1)])

    # ---------------- organisations
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
    # headline numbers come from the long facts (wide derived from long)
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

    # NUTS 2016-compatible codes for joining regional statistics (codes, never names)
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
    org = org.sort_values("id").reset_index(drop=True)

    # sources used (including the curated-table headline source)
    src = src.sort_values("source_id").reset_index(drop=True)
    return org, facts, src


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
def build_regional(raw: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    r = raw / "regional"
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

    i = pd.read_csv(r / "eurostat_indicators_2020-12_nuts0_nuts2_long.csv", low_memory=False)
    gdp = i[(i["input_var_code"] == "tgs00003") & (i["unit"] == "MIO_EUR")][["geo", "time", "values"]].dropna()
    pop = i[(i["input_var_code"] == "tgs00096")]
    if "sex" in pop.columns:
        pop = pop[pop["sex"].isna() | (pop["sex"] == "T")]
    if "age" in pop.columns:
        pop = pop[pop["age"].isna() | (pop["age"] == "TOTAL")]
    pop = pop[["geo", "time", "values"]].dropna().drop_duplicates(["geo", "time"])
    gdp = gdp.drop_duplicates(["geo", "time"])
    frames.append(pd.DataFrame({"region": gdp["geo"], "indicator": "gdp_mio_eur", "year": gdp["time"].astype(int), "value": gdp["values"].astype(float)}))
    frames.append(pd.DataFrame({"region": pop["geo"], "indicator": "population", "year": pop["time"].astype(int), "value": pop["values"].astype(float)}))
    gp = gdp.merge(pop, on=["geo", "time"], suffixes=("_gdp", "_pop"))
    gp = gp[gp["values_pop"] > 0]
    frames.append(pd.DataFrame({"region": gp["geo"], "indicator": "gdp_per_head_eur", "year": gp["time"].astype(int),
                                "value": (gp["values_gdp"] * 1e6 / gp["values_pop"]).round(0)}))
    t = i[(i["input_var_code"] == "tsc00011") & (i["nace_r2"] == "KIS") & (i["geo"].isin(["EU28", "EU27_2020"]))]
    frames.append(pd.DataFrame({"region": t["geo"], "indicator": "kis_share", "year": t["time"].astype(int), "value": t["values"].astype(float)}))

    # ONS (UK): GVA by industry (ITL3), total GVA and population
    u = r / "uk"
    g3 = pd.read_csv(u / "ons_gva_itl3_by_industry_current_prices_gbp_m_1998_2022.csv", thousands=",", encoding="utf-8-sig")
    g3 = g3.rename(columns={g3.columns[0]: "code"})
    yrs = [c for c in g3.columns if c.isdigit()]
    for sic, ind in (("Total", "gva_total_gbp_m"), ("J (58-63)", "gva_j_gbp_m")):
        d = g3[g3["SIC07 code"] == sic].melt(id_vars=["code"], value_vars=yrs, var_name="year", value_name="value").dropna()
        frames.append(pd.DataFrame({"region": d["code"], "indicator": ind, "year": d["year"].astype(int), "value": pd.to_numeric(d["value"], errors="coerce")}).dropna())
    popu = pd.read_csv(u / "ons_population_itl_all_levels_1998_2022.csv", thousands=",", encoding="utf-8-sig")
    yrs = [c for c in popu.columns if c.isdigit()]
    popu = popu[popu["ITL code"].str.match(r"^(UK|TLI|TLI\d|TLI\d\d|TLJ1\d?)$")]
    d = popu.melt(id_vars=["ITL code"], value_vars=yrs, var_name="year", value_name="value").dropna()
    frames.append(pd.DataFrame({"region": d["ITL code"], "indicator": "population_ons", "year": d["year"].astype(int), "value": pd.to_numeric(d["value"], errors="coerce")}).dropna())

    ri = pd.concat(frames, ignore_index=True)
    ri["source_id"] = ri["indicator"].map({k: v["source_id"] for k, v in INDICATORS.items()})
    ri["source_id"] = [REGIONAL_ROW_SOURCES.get((i, g), s) for i, g, s in zip(ri["indicator"], ri["region"], ri["source_id"])]
    ri = ri.drop_duplicates(["region", "indicator", "year"]).sort_values(["indicator", "region", "year"]).reset_index(drop=True)
    meta = pd.DataFrame([{"indicator": k, **v} for k, v in INDICATORS.items()])
    return ri, meta


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
    org, facts, csrc = build_clusters(raw, geo)
    cases, case_src = build_case_studies(raw)
    ri, meta = build_regional(raw)
    regions = build_regions(geo, raw)
    sources = pd.concat([csrc, case_src, regional_sources(ri)], ignore_index=True)
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

    files = sorted(p for p in out.rglob("*") if p.is_file() and p.name != "manifest.json")
    manifest = {
        "built_from": "shared/data (see PROVENANCE.md there)",
        "vintage": {"cluster_sources_latest": str(sources.loc[(sources["kind"] == "web page") & sources["date"].fillna("").str.match(r"^\d{4}"), "date"].max()),
                    "regional_years": f"{int(ri['year'].min())}–{int(ri['year'].max())}"},
        "files": {str(p.relative_to(out)): hashlib.sha256(p.read_bytes()).hexdigest() for p in files},
        "counts": {"organisations": int(len(org)), "facts": int(len(facts)), "sources": int(len(sources)),
                   "regional_indicators": int(len(ri)), "case_studies": int(len(cases))},
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
    return 0


if __name__ == "__main__":
    sys.exit(main())
