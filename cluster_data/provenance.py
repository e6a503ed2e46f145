"""One way to ask "where does this number come from?" for any (entity, field)."""
from __future__ import annotations

import math

import pandas as pd

from cluster_data.schema import FIELD_LABELS, FIELD_UNITS, INDICATORS
from cluster_data.display import MISSING, fmt_number, fmt_year

# The app's own table of sourced facts (each with its document, date and exact quote), as a chart's source
# line names it when the values behind the chart come from many documents.
SOURCED_FACTS = "Cluster Atlas sourced facts"


def _clean(v):
    if v is None:
        return None
    if isinstance(v, float) and math.isnan(v):
        return None
    return v


def evidence(facts: pd.DataFrame, sources: pd.DataFrame, entity_id: str, field: str) -> list[dict]:
    """Every sourced value of ``field`` for ``entity_id``; the headline value first.

    Each item: value, value_num, unit, ref_year, year_basis, period, lower_bound,
    is_headline, quote, source_id, title, url, date, publisher, licence.
    An empty list means: no source holds a value (show it as unknown).
    """
    f = facts[(facts["entity_id"] == entity_id) & (facts["field"] == field)]
    if f.empty:
        return []
    f = f.sort_values(["is_headline", "ref_year"], ascending=[False, False], na_position="last")
    src = sources if sources.index.name == "source_id" else sources.set_index("source_id")
    out = []
    for _, r in f.iterrows():
        s = src.loc[r["source_id"]] if r["source_id"] in src.index else None
        item = {k: _clean(r.get(k)) for k in ("value", "value_num", "unit", "ref_year", "year_basis", "period",
                                               "lower_bound", "is_headline", "quote", "source_id", "fact_id")}
        for k in ("title", "url", "date", "publisher", "licence", "kind"):
            item[k] = _clean(s[k]) if s is not None and k in s else None
        out.append(item)
    return out


def headline(facts: pd.DataFrame, sources: pd.DataFrame, entity_id: str, field: str) -> dict | None:
    ev = evidence(facts, sources, entity_id, field)
    return ev[0] if ev else None


YEAR_FIELDS = ("founded_year", "label_year")


def format_value(item: dict | None, field: str | None = None) -> str:
    """Human text for one evidence item ("more than 130 members (2021)"); display.MISSING if None.
    Numbers read through cluster_data.display (integers without ".0", years without separators)."""
    if not item:
        return MISSING
    v = item.get("value_num")
    if v is None:
        txt = str(item.get("value") or "")
    else:
        txt = fmt_number(v)
        if field in YEAR_FIELDS:  # a year never gets a thousands separator (issue 17, point 11)
            txt = fmt_year(v)
        if field and field.endswith("_pct"):
            txt += "%"
    if item.get("lower_bound"):
        txt = "more than " + txt
    yr = item.get("ref_year")
    if item.get("period"):
        txt += f" ({item['period']})"
    elif yr and field not in YEAR_FIELDS:
        txt += f" ({fmt_year(yr)})"
    return txt


def field_label(field: str) -> str:
    return FIELD_LABELS.get(field, field.replace("_", " ").capitalize())


def source_line(item: dict | None) -> str:
    """Short citation: 'Title — publisher, date'."""
    if not item:
        return "no source"
    bits = [str(item.get("title") or "untitled source")]
    if item.get("publisher"):
        bits.append(str(item["publisher"]))
    if item.get("date"):
        bits.append(str(item["date"]))
    return " — ".join(bits)


def indicator_source(sources: pd.DataFrame, indicator: str) -> dict | None:
    sid = INDICATORS.get(indicator, {}).get("source_id")
    m = sources[sources["source_id"] == sid]
    return None if m.empty else {k: _clean(v) for k, v in m.iloc[0].to_dict().items()}
