"""Loaders for the shipped sectoral tables (issue 13): Parquet under ``derived/sectoral``.

Like :mod:`cluster_data.load`, every loader raises :class:`DataFileError` with the file and the fix,
never a bare exception. The app never reads ``../shared``.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from cluster_data import paths
from cluster_data.load import DataFileError

LQ_CSV = "sectoral_lq.csv"
BOOL_COLUMNS = ("strong", "star_size", "star_specialisation", "star_focus")


def _read(name: str, columns: tuple[str, ...]) -> pd.DataFrame:
    rel = f"sectoral/{name}"
    p = paths.data_dir() / rel
    if not p.exists():
        raise DataFileError(rel, "is missing")
    try:
        df = pd.read_csv(p, dtype=str) if name.endswith(".csv") else pd.read_parquet(p)
    except PermissionError:
        raise DataFileError(rel, "cannot be read (permission denied)") from None
    except Exception as exc:  # noqa: BLE001 - pyarrow raises many types for a corrupt file
        raise DataFileError(rel, f"is unreadable or truncated ({type(exc).__name__})") from None
    missing = [c for c in columns if c not in df.columns]
    if missing or df.empty:
        raise DataFileError(rel, f"does not match its schema (missing {', '.join(missing) or 'rows'})")
    return df


def cells() -> pd.DataFrame:
    """Every cell of every sectoral source, with flag, source id and the reason a value is missing."""
    return _read("cells.parquet", ("source_id", "measure", "region_code", "nuts_level", "sector_code", "year",
                                   "value", "flag", "reason"))


def metrics() -> pd.DataFrame:
    """SBS year × NUTS 2 region × basket: employment, LQ, flags, national share, density."""
    df = _read("metrics.parquet", ("year", "region_code", "sector_code", "employment", "denominator", "share",
                                   "lq", "reason", "local_units", "national_share", "density") + BOOL_COLUMNS)
    for c in BOOL_COLUMNS:
        df[c] = df[c].astype("boolean")
    return df


def relatedness() -> pd.DataFrame:
    return _read("relatedness.parquet", ("year", "sector_a", "sector_b", "phi"))


def sectors() -> pd.DataFrame:
    return _read("sectors.csv", ("sector_code", "sector_level", "sector_label", "nace_section"))


def regions() -> pd.DataFrame:
    """SBS NUTS 0/2 codes with their latest name and the NUTS versions they are valid in."""
    return _read("regions.csv", ("region_code", "nuts_level", "region_name", "nuts_versions_valid"))


def lq_csv_path() -> Path:
    return paths.data_dir() / LQ_CSV
