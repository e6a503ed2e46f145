"""Dataset downloads: per-table CSV bytes and one ZIP with a README (pure Python).

Every CSV goes through :func:`cluster_data.safety.safe_csv_bytes` (UTF-8 with BOM,
formula-like text cells neutralised). Organisations the user imported in their
session are added to ``organisations.csv``, ``facts.csv`` and ``sources.csv``
with ``imported = True`` and their stated source; the shipped tables are never
modified (copies are returned). When there are imports, ``imported_organisations.csv``
holds them in the upload-template format so they can be uploaded again.
"""
from __future__ import annotations

import io
import zipfile
from datetime import datetime, timezone
from typing import Mapping

import pandas as pd

from cluster_data.imports import TEMPLATE_COLUMNS
from cluster_data.safety import safe_csv_bytes
from cluster_data.schema import FIELD_UNITS

__all__ = ["DATASETS", "ATTRIBUTIONS", "IMPORTED_FILE", "imported_organisation_rows", "imported_fact_rows",
           "imported_source_rows", "export_tables", "csv_bytes", "readme_text", "zip_bytes"]

#: Shipped datasets offered for download: file name -> plain description.
DATASETS: dict[str, str] = {
    "organisations.csv": "One row per organisation with its headline (sourced) values; each numeric field F has "
                         "F_year (reference year) and F_lower_bound (the source gives a minimum).",
    "facts.csv": "Every sourced value (headline and alternatives) with its source_id and the exact quote.",
    "sources.csv": "Every source: title, link, publisher, date, kind and licence/attribution.",
    "regional_indicators.csv": "Regional statistics (Eurostat NUTS 2016 regions; ONS ITL3 areas): region, indicator, year, value, source_id.",
    "indicators.csv": "What each regional indicator measures, its unit and source.",
    "regions.csv": "Region codes and names (NUTS 2016 / ITL) used for joins.",
    "case_studies.csv": "Sourced facts for the case studies (Southern Denmark, Valencia, Milton Park, Greenwich, European evidence).",
}
IMPORTED_FILE = "imported_organisations.csv"

ATTRIBUTIONS: list[str] = [
    "© EuroGeographics for the administrative boundaries (Eurostat GISCO, NUTS 2016).",
    "Source: Eurostat (regional statistics; reuse with acknowledgement).",
    "Source: Office for National Statistics licensed under the Open Government Licence v3.0; "
    "GLA London Datastore data under the Open Government Licence v3.0.",
    "Made with Natural Earth (public-domain country outlines).",
    "GeoNames (CC BY 4.0) for some city coordinates.",
    "Cluster facts: quoted from the public web pages listed in sources.csv (© their publishers).",
]

_IMPORT_KIND = "imported by the user (this session; not checked by Cluster Atlas)"


def _imp_ok(imported: pd.DataFrame | None) -> bool:
    return isinstance(imported, pd.DataFrame) and not imported.empty


def imported_organisation_rows(imported: pd.DataFrame) -> pd.DataFrame:
    """Imported rows (``imports.read_upload(...).valid``) in organisations.csv's columns."""
    imp = imported.reset_index(drop=True)
    return pd.DataFrame({
        "id": imp["id"].astype(str),
        "name": imp["name"],
        "row_type": "imported_org",
        "country": imp["country_iso2"],
        "city": imp.get("city"),
        "lat": pd.to_numeric(imp["lat"], errors="coerce"),
        "lon": pd.to_numeric(imp["lon"], errors="coerce"),
        "sector": imp.get("sector"),
        "website": imp.get("source_url"),
        "note": "Imported by the user in their session; values as stated in the user's source.",
        "members_total": pd.to_numeric(imp.get("members_total"), errors="coerce"),
        "members_total_year": pd.to_numeric(imp.get("members_total_year"), errors="coerce"),
        "employees_in_members": pd.to_numeric(imp.get("employees_in_members"), errors="coerce"),
        "imported": True,
        "import_source_id": imp.get("source_id"),
        "import_source_title": imp["source_title"],
        "import_source_url": imp.get("source_url"),
    })


def imported_fact_rows(imported: pd.DataFrame) -> pd.DataFrame:
    """One fact row per imported numeric value (no quote: the user's file gives none)."""
    recs = []
    for _, r in imported.iterrows():
        for f in ("members_total", "employees_in_members"):
            v = r.get(f)
            if v is None or pd.isna(v):
                continue
            year = r.get("members_total_year") if f == "members_total" else None
            recs.append({
                "fact_id": f"import:{r['id']}:{f}", "entity_id": str(r["id"]), "field": f, "value": str(int(v)),
                "value_num": float(v), "unit": FIELD_UNITS.get(f, ""),
                "ref_year": None if year is None or pd.isna(year) else int(year),
                "is_headline": True, "lower_bound": False, "source_id": r.get("source_id"),
                "quote": "", "imported": True,
            })
    return pd.DataFrame(recs)


def imported_source_rows(imported: pd.DataFrame) -> pd.DataFrame:
    """One source row per distinct stated source of the imported rows."""
    cols = ["source_id", "title", "url", "publisher", "date", "kind", "licence", "imported"]
    if not _imp_ok(imported):
        return pd.DataFrame(columns=cols)
    d = imported.drop_duplicates("source_id")
    return pd.DataFrame({
        "source_id": d["source_id"].astype(str).to_numpy(),
        "title": d["source_title"].to_numpy(),
        "url": d["source_url"].to_numpy() if "source_url" in d else None,
        "publisher": None, "date": None, "kind": _IMPORT_KIND,
        "licence": "as stated by the user", "imported": True,
    }, columns=cols)


def _with_flag(df: pd.DataFrame) -> pd.DataFrame:
    return df.assign(imported=False)


def export_tables(shipped: Mapping[str, pd.DataFrame], imported: pd.DataFrame | None = None) -> dict[str, pd.DataFrame]:
    """The tables to download, keyed by file name (copies; inputs untouched).

    ``shipped`` maps file names (keys of :data:`DATASETS`; missing ones are
    skipped) to the shipped tables. ``organisations``, ``facts`` and ``sources``
    get an ``imported`` column; imported rows are appended to them and, if any,
    ``imported_organisations.csv`` (template format) is added.
    """
    out: dict[str, pd.DataFrame] = {}
    has_imp = _imp_ok(imported)
    for name in DATASETS:
        if name not in shipped:
            continue
        df = shipped[name].copy()
        if name == "organisations.csv":
            df = _with_flag(df)
            if has_imp:
                df = pd.concat([df, imported_organisation_rows(imported)], ignore_index=True)
        elif name == "facts.csv":
            df = _with_flag(df)
            if has_imp:
                add = imported_fact_rows(imported)
                if not add.empty:
                    df = pd.concat([df, add], ignore_index=True)
        elif name == "sources.csv":
            df = _with_flag(df)
            if has_imp:
                df = pd.concat([df, imported_source_rows(imported)], ignore_index=True)
        out[name] = df
    if has_imp:
        out[IMPORTED_FILE] = imported[TEMPLATE_COLUMNS].copy()
    return out


def csv_bytes(df: pd.DataFrame) -> bytes:
    """Formula-safe CSV, UTF-8 with BOM (see :func:`cluster_data.safety.safe_csv_bytes`)."""
    return safe_csv_bytes(df)


def readme_text(tables: Mapping[str, pd.DataFrame], manifest: Mapping | None = None, n_imported: int = 0) -> str:
    """README.txt for the ZIP: contents, vintage, conventions and attributions."""
    lines = ["Cluster Atlas — data download", "=" * 30, ""]
    v = (manifest or {}).get("vintage", {}) if isinstance(manifest, Mapping) else {}
    if v:
        lines += [f"Data vintage: cluster sources up to {v.get('cluster_sources_latest', 'unknown')}; "
                  f"regional statistics {v.get('regional_years', 'unknown')}.", ""]
    lines += ["Files (CSV, UTF-8 with BOM; cells that a spreadsheet could run as a formula start with an apostrophe):"]
    for name, df in tables.items():
        desc = DATASETS.get(name) or ("Organisations you imported in your session, in the upload-template format "
                                      "(upload this file again to restore them)." if name == IMPORTED_FILE else "")
        lines.append(f"- {name} ({len(df):,} rows): {desc}")
    lines += [
        "",
        "Conventions:",
        "- An empty cell means no source gives that value (it is NOT zero).",
        "- Every value in organisations.csv is the headline of a sourced row in facts.csv (source_id -> sources.csv, with the exact quote).",
        "- Regional joins use NUTS 2016 codes (the UK is in NUTS 2016/2021, not 2024); organisations.nuts2_2016_method says how each code was derived.",
    ]
    if n_imported:
        lines += [f"- {n_imported} organisation(s) were imported by the user in this session: they have imported = True "
                  "and their stated source (import_source_title / import_source_url); Cluster Atlas has not checked them."]
    lines += ["", "Attributions:"] + [f"- {a}" for a in ATTRIBUTIONS]
    lines += ["", f"Generated {datetime.now(timezone.utc).strftime('%Y-%m-%d %H:%M UTC')}."]
    return "\n".join(lines) + "\n"


def zip_bytes(tables: Mapping[str, pd.DataFrame], readme: str) -> bytes:
    """A ZIP with every table as a formula-safe CSV plus README.txt."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as zf:
        zf.writestr("README.txt", readme.encode("utf-8"))
        for name, df in tables.items():
            zf.writestr(name, csv_bytes(df))
    return buf.getvalue()


