"""Build step for the sector × region employment layer (issue 13), called from ``cluster_data.build``.

Reads ``../shared/data/sectoral`` and writes, deterministically:
- ``sectoral/cells.parquet``: every published or suppressed cell kept (SBS persons employed and local
  units by NUTS 0/2 × NACE section/division; ONS BRES employment for GB NUTS 2 and UKI51; Eurostat
  nama_10r_3empers for Southern Denmark), each with its flag, source and, when missing, the reason.
- ``sectoral/sectors.csv``: NACE sections and divisions with labels; ``sectoral/regions.csv``: SBS region names
  and the NUTS versions each code is valid in.
- ``sectoral/metrics.parquet``: per SBS year × NUTS 2 region × basket (named and every division): LQ,
  shares, national share, strong-cluster and star flags, density (precomputed so pages stay fast).
- ``sectoral/relatedness.parquet``: φ between divisions per SBS year.
- ``sectoral_lq.csv``: the download, every NUTS 2 × division × SBS year (missing stays empty).
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from cluster_data import sectoral
from cluster_data.sector_baskets import NAMED_BASKETS

RAW_DIR = "sectoral"
SBS_FILE = "eurostat_sbs_r_nuts06_r2_2008_2015_long.csv"
SECTOR_LOOKUP = "eurostat_sbs_r_nuts06_r2_sector_lookup.csv"
REGION_LOOKUP = "eurostat_sbs_r_nuts06_r2_region_lookup.csv"
BRES_NUTS2 = "uk_bres_employment_gb_nuts2016_l2_sic2digit_2015_2021.csv"
BRES_UKI51 = "uk_bres_employment_uki51_bexley_greenwich_sic2digit_2015_2022.csv"
NAMA_DK = "eurostat_nama_10r_3empers_syddanmark_focus_2000_2017.csv"

#: source key → (producer table, measure label); the sources.csv rows use the same keys.
SOURCE_SBS, SOURCE_BRES, SOURCE_BRES_UKI51, SOURCE_NAMA = "R_EUROSTAT_SBS", "R_ONS_BRES", "R_ONS_BRES_UKI51", "R_EUROSTAT_NAMA_EMP"

SECTORAL_SOURCES = [
    {"source_id": SOURCE_SBS, "title": "Eurostat sbs_r_nuts06_r2, SBS data by NUTS 2 regions and NACE Rev.2 (persons employed V16110, local units V11210), 2008–2015, extracted mid-2017",
     "url": "https://github.com/kproductivity/creative-industries", "date": "2017-08", "retrieved_via": "kproductivity/creative-industries @ e7902e4e : data/sbs_r_nuts06_r2.tsv.gz (the Eurostat bulk TSV, committed 2017-08-01)", "publisher": "Eurostat", "kind": "statistics",
     "licence": "Source: Eurostat (reuse with acknowledgement)"},
    {"source_id": SOURCE_BRES, "title": "ONS Business Register and Employment Survey (BRES) open access, Employment by GB NUTS 2 region and SIC 2007 division, 2015–2021 (Nomis NM_189_1)",
     "url": "https://github.com/DanOlner/ukcompare", "date": "2023", "retrieved_via": "DanOlner/ukcompare @ 9fe83145 : data/sectors/ITL2_Employment_countandpercent2digitSIC_BRESopen15to21.rds (pulled from Nomis NM_189_1)", "publisher": "Office for National Statistics", "kind": "statistics",
     "licence": "Source: Office for National Statistics licensed under the Open Government Licence v.3.0"},
    {"source_id": SOURCE_BRES_UKI51, "title": "ONS BRES open access, Employment for NUTS 3 UKI51 Bexley and Greenwich by SIC 2007 division (summed from 5-digit), 2015–2022",
     "url": "https://github.com/DanOlner/RegionalEconomicTools", "date": "2024", "retrieved_via": "DanOlner/RegionalEconomicTools @ 6c20e71d : data/BRES/…/BRES_ALLYEARSWITHDATA_TYPE437_nuts2016level3_4_Employment_2015_2022_SIC_2DIGIT.csv (Bexley and Greenwich blocks)", "publisher": "Office for National Statistics", "kind": "statistics",
     "licence": "Source: Office for National Statistics licensed under the Open Government Licence v.3.0"},
    {"source_id": SOURCE_NAMA, "title": "Eurostat nama_10r_3empers, employment (regional accounts) by NACE A*10 for DK, DK03, DK031, DK032, 2000–2017",
     "url": "https://github.com/datacommonsorg/data", "date": "2020", "retrieved_via": "datacommonsorg/data @ cf373044 : scripts/eurostat/regional_statistics_by_nuts/ (employment by sector, DK and Syddanmark rows)", "publisher": "Eurostat", "kind": "statistics",
     "licence": "Source: Eurostat (reuse with acknowledgement)"},
]

FLAG_MEANING = {"c": "confidential", "u": "low reliability", "d": "definition differs", "b": "break in series",
                "p": "provisional", "i": "see Eurostat metadata", "r": "revised"}


def flag_reason(flag) -> str:
    """The reason a valueless SBS cell is missing, from its Eurostat flag."""
    f = flag if isinstance(flag, str) else ""
    if "c" in f:
        return sectoral.REASON_CONFIDENTIAL
    if f:
        return f"not published (Eurostat flag {f}: {', '.join(FLAG_MEANING.get(ch, ch) for ch in f)})"
    return sectoral.REASON_ABSENT


def _write_parquet(df: pd.DataFrame, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    table = pa.Table.from_pandas(df.reset_index(drop=True), preserve_index=False)
    pq.write_table(table.replace_schema_metadata(None), path, compression="zstd", compression_level=9,
                   use_dictionary=True, write_statistics=False)


# --------------------------------------------------------------------------- cells
def read_cells(raw: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(cells, sectors): the compact long table of every source, and the section/division lookup."""
    s = raw / RAW_DIR
    lk = pd.read_csv(s / SECTOR_LOOKUP, dtype=str)
    lk = lk[lk["sector_level"].isin(["section", "division"])]
    sbs = pd.read_csv(s / SBS_FILE, dtype={"region_code": str, "sector_code": str, "flag": str, "measure": str})
    sbs = sbs[sbs["nuts_level"].isin([0, 2]) & sbs["sector_code"].isin(set(lk["sector_code"]))
              & sbs["measure"].isin(["persons_employed_nr", "local_units_nr"])].copy()
    sbs["measure"] = sbs["measure"].map({"persons_employed_nr": "persons_employed", "local_units_nr": "local_units"})
    sbs["source_id"] = SOURCE_SBS
    sbs["reason"] = np.where(sbs["value"].isna(), sbs["flag"].map(flag_reason), "")

    bres = pd.read_csv(s / BRES_NUTS2, dtype=str)
    bres = pd.DataFrame({"region_code": bres["region_code"], "nuts_level": 2, "sector_code": bres["nace_division"],
                         "year": bres["year"].astype(int), "measure": "employment_bres",
                         "value": pd.to_numeric(bres["value"], errors="coerce"), "flag": "", "source_id": SOURCE_BRES})
    u = pd.read_csv(s / BRES_UKI51, dtype=str)
    u = pd.DataFrame({"region_code": u["region_code"], "nuts_level": 3, "sector_code": u["nace_division"],
                      "year": u["year"].astype(int), "measure": "employment_bres",
                      "value": pd.to_numeric(u["value"], errors="coerce"), "flag": "", "source_id": SOURCE_BRES_UKI51})
    n = pd.read_csv(s / NAMA_DK, dtype={"region_code": str, "sector_code": str})
    n = pd.DataFrame({"region_code": n["region_code"], "nuts_level": n["nuts_level"].astype(int), "sector_code": n["sector_code"],
                      "year": n["year"].astype(int), "measure": "employed_persons_nama",
                      "value": pd.to_numeric(n["value"], errors="coerce"), "flag": "", "source_id": SOURCE_NAMA})
    for d in (bres, u, n):
        d["reason"] = np.where(d["value"].isna(), sectoral.REASON_ABSENT, "")
    cols = ["source_id", "measure", "region_code", "nuts_level", "sector_code", "year", "value", "flag", "reason"]
    cells = pd.concat([sbs[cols], bres[cols], u[cols], n[cols]], ignore_index=True)
    cells["flag"] = cells["flag"].fillna("")
    cells["year"] = cells["year"].astype("int16")
    cells["nuts_level"] = cells["nuts_level"].astype("int8")
    cells = cells.sort_values(["source_id", "measure", "region_code", "sector_code", "year"], kind="mergesort")
    sectors = lk[["sector_code", "sector_level", "sector_label", "nace_section"]].sort_values("sector_code").reset_index(drop=True)
    return cells.reset_index(drop=True), sectors


# --------------------------------------------------------------------------- metrics
def _wide(cells: pd.DataFrame, measure: str, year: int, level: int, codes: list[str]):
    d = cells[(cells["source_id"] == SOURCE_SBS) & (cells["measure"] == measure) & (cells["year"] == year)
              & (cells["nuts_level"] == level)]
    vals = d.pivot(index="region_code", columns="sector_code", values="value").reindex(columns=codes)
    why = d.pivot(index="region_code", columns="sector_code", values="reason").reindex(columns=codes)
    why = why.astype(object).where(why.notna() & (why != ""), sectoral.REASON_ABSENT).where(vals.isna(), "")
    return vals, why


def year_metrics(cells: pd.DataFrame, sectors: pd.DataFrame, year: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """All baskets' LQs, flags and densities for one SBS year's NUTS 2 regions, plus φ between divisions.

    Regions are those with any SBS persons-employed cell that year; extra-regio codes (…ZZ) are left out."""
    codes = sectors["sector_code"].tolist()
    section_of = dict(zip(sectors.loc[sectors["sector_level"] == "division", "sector_code"],
                          sectors.loc[sectors["sector_level"] == "division", "nace_section"]))
    pe, pe_why = _wide(cells, "persons_employed", year, 2, codes)
    lu, lu_why = _wide(cells, "local_units", year, 2, codes)
    keep = [r for r in pe.index if not r.endswith("ZZ")]
    pe, pe_why, lu, lu_why = pe.loc[keep], pe_why.loc[keep], lu.reindex(keep), lu_why.reindex(keep).astype(object).fillna(sectoral.REASON_ABSENT)
    nat, nat_why = _wide(cells, "persons_employed", year, 0, codes)
    den, den_why = sectoral.denominator(pe, pe_why)
    frames = []
    for b in sectoral.all_baskets(sectors):
        v, why = sectoral.basket_values(pe, pe_why, b, section_of)
        units, _ = sectoral.basket_values(lu, lu_why, b, section_of)
        nv, _ = sectoral.basket_values(nat, nat_why, b, section_of)
        m = sectoral.location_quotients(v, why, den, den_why)
        m["local_units"] = units
        m["focus"] = m["share"]
        national = pd.Series([nv.get(r[:2], np.nan) for r in m.index], index=m.index)
        m["national_share"] = (m["employment"] / national).where(national > 0)
        m["strong"] = sectoral.apply_rule(m, sectoral.CLUSTER_MAPPING_RULE)
        for rule in sectoral.STAR_RULES:
            m[rule.key] = sectoral.apply_rule(m, rule)
        m["sector_code"] = b.key
        frames.append(m.rename_axis("region_code").reset_index())
    out = pd.concat(frames, ignore_index=True)
    divs = [b.key for b in sectoral.division_baskets(sectors)]
    lqw = out[out["sector_code"].isin(divs)].pivot(index="region_code", columns="sector_code", values="lq").reindex(columns=divs)
    rca = (lqw >= 1).astype(float).where(lqw.notna())
    phi = sectoral.proximity(rca)
    dens = sectoral.density(rca, phi).stack(future_stack=True).rename("density").reset_index()
    out = out.merge(dens, on=["region_code", "sector_code"], how="left")
    out.insert(0, "year", year)
    upper = phi.where(np.triu(np.ones(phi.shape, dtype=bool), k=1))
    upper.index.name, upper.columns.name = "sector_a", "sector_b"
    rel = upper.stack().rename("phi").reset_index()
    rel.insert(0, "year", year)
    return out, rel


def build_sectoral(raw: Path, out: Path) -> dict:
    """Write the sectoral derived files; return counts for the manifest."""
    cells, sectors = read_cells(raw)
    years = sorted(cells.loc[cells["source_id"] == SOURCE_SBS, "year"].unique())
    ms, rs = [], []
    for y in years:
        m, r = year_metrics(cells, sectors, int(y))
        ms.append(m)
        rs.append(r)
    metrics = pd.concat(ms, ignore_index=True)
    rel = pd.concat(rs, ignore_index=True)
    for c in ("share", "focus", "national_share"):
        metrics[c] = metrics[c].round(7)
    for c in ("lq", "density"):
        metrics[c] = metrics[c].round(4)
    rel["phi"] = rel["phi"].round(4)
    for c in ["strong"] + [r.key for r in sectoral.STAR_RULES]:
        metrics[c] = metrics[c].astype("boolean")
    metrics["year"] = metrics["year"].astype("int16")
    metrics = metrics.drop(columns=["focus"]).sort_values(["year", "sector_code", "region_code"], kind="mergesort")
    rel = rel.sort_values(["year", "sector_a", "sector_b"], kind="mergesort")

    d = out / "sectoral"
    _write_parquet(cells, d / "cells.parquet")
    _write_parquet(metrics, d / "metrics.parquet")
    _write_parquet(rel, d / "relatedness.parquet")
    sectors.to_csv(d / "sectors.csv", index=False, lineterminator="\n")
    reg = pd.read_csv(raw / RAW_DIR / REGION_LOOKUP, dtype=str)
    reg = reg[reg["nuts_level"].isin(["0", "2"])][["region_code", "nuts_level", "region_name_latest_version", "nuts_versions_valid"]]
    reg.rename(columns={"region_name_latest_version": "region_name"}).sort_values("region_code").to_csv(
        d / "regions.csv", index=False, lineterminator="\n")
    write_lq_csv(metrics, sectors, out / "sectoral_lq.csv")
    return {"sectoral_cells": int(len(cells)), "sectoral_metrics": int(len(metrics))}


def write_lq_csv(metrics: pd.DataFrame, sectors: pd.DataFrame, path: Path) -> None:
    """The download: every NUTS 2 region × NACE division × SBS year; a missing value stays empty and its
    reason is in ``missing_reason``."""
    divs = set(sectors.loc[sectors["sector_level"] == "division", "sector_code"])
    d = metrics[metrics["sector_code"].isin(divs)]
    csv = pd.DataFrame({
        "region_code": d["region_code"], "year": d["year"], "sector_code": d["sector_code"],
        "persons_employed": d["employment"].astype("Int64"), "local_units": d["local_units"].astype("Int64"),
        "lq": d["lq"], "strong_cluster": d["strong"].map({True: "yes", False: "no"}),
        "missing_reason": d["reason"],
    }).sort_values(["region_code", "year", "sector_code"], kind="mergesort")
    csv.to_csv(path, index=False, lineterminator="\n", float_format="%.4f")
