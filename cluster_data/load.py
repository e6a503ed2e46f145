"""Loaders for the derived data, validated on every load.

Every loader raises :class:`DataFileError` (never a bare traceback-worthy
exception) when a file is missing, unreadable, truncated or off-schema. The
message names the file, what is wrong and how to rebuild it.
"""
from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pandera.errors as pa_errors

from cluster_data import paths
from cluster_data.schema import TABLE_SCHEMAS


class DataFileError(RuntimeError):
    """A derived data file is missing, unreadable or fails its schema."""

    def __init__(self, file: str, problem: str):
        self.file = file
        self.problem = problem
        super().__init__(f"The data file `cluster_data/derived/{file}` {problem}. {paths.REBUILD_HINT}")


def _path(name: str) -> Path:
    return paths.data_dir() / name


def read_table(name: str) -> pd.DataFrame:
    """Read one derived CSV and validate it against its schema."""
    p = _path(name)
    if not p.exists():
        raise DataFileError(name, "is missing")
    try:
        dtypes = {"id": str, "entity_id": str, "source_id": str, "region": str, "code": str, "value": str, "year": str}
        if name == "regional_indicators.csv":
            dtypes.update(year="Int64", value=float)
        df = pd.read_csv(p, dtype=dtypes if name != "indicators.csv" else None)
    except PermissionError:
        raise DataFileError(name, "cannot be read (permission denied)") from None
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError, ValueError, OSError) as exc:
        raise DataFileError(name, f"is unreadable or truncated ({type(exc).__name__})") from None
    if df.empty:
        raise DataFileError(name, "is empty")
    schema = TABLE_SCHEMAS.get(name)
    if schema is not None:
        try:
            df = schema.validate(df, lazy=True)
        except pa_errors.SchemaErrors as exc:
            fc = exc.failure_cases
            parts = []
            for (col, check), grp in fc.groupby(["column", "check"], dropna=False, sort=False):
                if str(check) == "column_in_dataframe":
                    missing = ", ".join(f"'{c}'" for c in grp["failure_case"].astype(str).tolist())
                    parts.append(f"required column {missing} is missing")
                    continue
                # spreadsheet row numbers: header is row 1, first data row is row 2
                rows = [int(i) + 2 for i in grp["index"].dropna().tolist()[:5]] if "index" in grp else []
                where = f" (rows {', '.join(map(str, rows))})" if rows else ""
                parts.append(f"column '{col}' fails {check}{where}")
                if len(parts) >= 4:
                    break
            raise DataFileError(name, "does not match its schema: " + "; ".join(parts)) from None
        except pa_errors.SchemaError as exc:  # pragma: no cover - lazy=True raises SchemaErrors
            raise DataFileError(name, f"does not match its schema: {exc}") from None
    return df


def read_geojson(name: str) -> dict:
    rel = f"geo/{name}"
    p = _path(rel)
    if not p.exists():
        raise DataFileError(rel, "is missing")
    try:
        data = json.loads(p.read_text(encoding="utf-8"))
    except PermissionError:
        raise DataFileError(rel, "cannot be read (permission denied)") from None
    except (ValueError, OSError, UnicodeDecodeError) as exc:
        raise DataFileError(rel, f"is unreadable or truncated ({type(exc).__name__})") from None
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection" or not isinstance(data.get("features"), list):
        raise DataFileError(rel, "is not a GeoJSON FeatureCollection")
    return data


def read_manifest() -> dict:
    p = _path("manifest.json")
    if not p.exists():
        raise DataFileError("manifest.json", "is missing")
    try:
        return json.loads(p.read_text(encoding="utf-8"))
    except (ValueError, OSError) as exc:
        raise DataFileError("manifest.json", f"is unreadable ({type(exc).__name__})") from None


def load_organisations() -> pd.DataFrame:
    return read_table("organisations.csv")


def load_facts() -> pd.DataFrame:
    return read_table("facts.csv")


def load_sources() -> pd.DataFrame:
    return read_table("sources.csv")


def load_regions() -> pd.DataFrame:
    return read_table("regions.csv")


def load_regional_indicators() -> pd.DataFrame:
    df = read_table("regional_indicators.csv")
    df["year"] = df["year"].astype(int)
    return df
