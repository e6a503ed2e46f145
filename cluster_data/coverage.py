"""Evidence coverage: how many organisations have a sourced value for each field.

Pure pandas. Every value in ``organisations.csv`` is the headline of at least one
sourced fact (the build step guarantees it), so "has a sourced value" means the
organisation's column is not empty. Counts never treat a missing value as 0.
"""
from __future__ import annotations

from typing import Iterable, Sequence

import pandas as pd

from cluster_data.provenance import SOURCED_FACTS
from cluster_data.schema import FIELD_LABELS, SECTORS

__all__ = ["COVERAGE_FIELDS", "DIMENSIONS", "fields_in", "filter_rows", "coverage_by", "coverage_summary",
           "coverage_long", "field_label", "chart_source"]

#: Fields whose coverage is reported, in display order.
COVERAGE_FIELDS: list[str] = [
    "members_total", "members_sme", "members_sme_share_pct", "members_international", "employees_in_members",
    "ecosystem_firms", "ecosystem_employment", "jobs_created", "countries_partnered", "eu_cluster_partnerships",
    "funding_public_share_pct", "funding_membership_share_pct", "funding_self_financing_share_pct",
    "esca_label", "founded_year",
]

#: Grouping dimensions: key -> (column, label).
DIMENSIONS: dict[str, tuple[str, str]] = {"country": ("country", "Country"), "sector": ("sector", "Sector")}

TOTAL_COL = "organisations"


def field_label(field: str) -> str:
    return FIELD_LABELS.get(field, field.replace("_", " "))


def fields_in(org: pd.DataFrame, fields: Sequence[str] | None = None) -> list[str]:
    """The coverage fields present as columns of ``org`` (order kept)."""
    return [f for f in (fields or COVERAGE_FIELDS) if f in org.columns]


def filter_rows(org: pd.DataFrame, row_types: Iterable[str] | None = ("cluster_org",)) -> pd.DataFrame:
    """Rows of the given row types (None or empty = all rows)."""
    types = list(row_types or [])
    if not types:
        return org
    return org[org["row_type"].isin(types)]


def _has_value(col: pd.Series) -> pd.Series:
    s = col
    if s.dtype == object or pd.api.types.is_string_dtype(s):
        return s.notna() & (s.astype(str).str.strip() != "")
    return s.notna()


def coverage_by(org: pd.DataFrame, by: str = "country", row_types: Iterable[str] | None = ("cluster_org",),
                fields: Sequence[str] | None = None) -> pd.DataFrame:
    """Counts of organisations with a sourced value, per group and field.

    Index = group value (country code or sector key; a missing group is "unknown"),
    columns = ``organisations`` (rows in the group) followed by one column per
    field. Groups are ordered by number of organisations (descending), then name.
    """
    if by not in DIMENSIONS:
        raise ValueError(f"Unknown coverage dimension {by!r}; use one of {list(DIMENSIONS)}.")
    col = DIMENSIONS[by][0]
    rows = filter_rows(org, row_types)
    flds = fields_in(org, fields)
    keys = rows[col].astype(object).where(rows[col].notna(), "unknown").astype(str)
    table = pd.DataFrame({f: _has_value(rows[f]).astype(int) for f in flds}, index=rows.index)
    table[TOTAL_COL] = 1
    out = table.groupby(keys.values).sum()
    out = out[[TOTAL_COL] + flds]
    out.index.name = col
    out = out.reset_index().sort_values([TOTAL_COL, col], ascending=[False, True]).set_index(col)
    return out.astype(int)


def coverage_summary(org: pd.DataFrame, row_types: Iterable[str] | None = ("cluster_org",),
                     fields: Sequence[str] | None = None) -> pd.DataFrame:
    """One row per field: ``field``, ``label``, ``with_value``, ``organisations``, ``share_pct``."""
    rows = filter_rows(org, row_types)
    n = len(rows)
    recs = []
    for f in fields_in(org, fields):
        k = int(_has_value(rows[f]).sum())
        recs.append({"field": f, "label": field_label(f), "with_value": k, "organisations": n,
                     "share_pct": (100.0 * k / n) if n else float("nan")})
    return pd.DataFrame(recs, columns=["field", "label", "with_value", "organisations", "share_pct"])


def coverage_long(table: pd.DataFrame) -> pd.DataFrame:
    """Long form of :func:`coverage_by`: group, field, count, organisations, share_pct."""
    flds = [c for c in table.columns if c != TOTAL_COL]
    recs = []
    for g, row in table.iterrows():
        n = int(row[TOTAL_COL])
        for f in flds:
            k = int(row[f])
            recs.append({"group": g, "field": f, "count": k, "organisations": n,
                         "share_pct": 100.0 * k / n if n else float("nan")})
    return pd.DataFrame(recs, columns=["group", "field", "count", "organisations", "share_pct"])


def group_label(by: str, value: str) -> str:
    if by == "sector":
        return SECTORS.get(value, value)
    return value


def chart_source(rows: pd.DataFrame) -> str:
    """The source line inside the coverage chart's image; ``rows`` are the organisations counted (any of this
    session's imported ones, flagged ``imported``, are named as such: nobody checked their values)."""
    line = f"Computed by Cluster Atlas: organisations with a sourced value for each field ({SOURCED_FACTS})"
    if "imported" in rows.columns and rows["imported"].eq(True).any():
        line += "; includes this session's imported organisations (not checked)"
    return line
