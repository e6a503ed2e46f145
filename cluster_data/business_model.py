"""Business model made visible (issue 14, point 3: the "Clusters Dialectic").

A pure, typed view-model: for each organisation, every sourced business-model figure (funding shares in
the source's own categories, budget, income, staff), each value with its year, source and exact quote,
and the change where a source gives two years. Nothing sourced → one line for that organisation.
A session overlay (values a user imported for an existing organisation) is shown beside the shipped
evidence, marked Imported with the user's source title. No Streamlit here.
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from cluster_data import display
from cluster_data.schema import FIELD_LABELS, FIELD_UNITS

#: The standard business-model fields, in display order. Any other ``funding_*`` field, any ``*_eur``
#: amount and any ``staff_*`` count in the evidence is shown too (a source's own category is kept).
BUSINESS_FIELDS: tuple[str, ...] = (
    "funding_public_share_pct", "funding_membership_share_pct", "funding_self_financing_share_pct",
    "funding_private_share_pct", "funding_services_share_pct", "funding_subsidies_share_pct",
    "funding_private_share_pct_target", "membership_fee_share_from_public_members_pct",
    "budget_eur", "operating_income_eur", "activity_income_eur", "membership_fee_income_eur",
    "public_funding_eur", "public_funding_state_eur", "staff_headcount", "staff_fte",
)
IMPORTED = "Imported"


def is_business_field(field: str) -> bool:
    if field in BUSINESS_FIELDS:
        return True
    if field.endswith("_note"):
        return False
    return field.startswith(("funding_", "staff_")) or field.endswith("_eur")


def field_label(field: str) -> str:
    return FIELD_LABELS.get(field, field.replace("_", " ").capitalize())


def _order(field: str) -> tuple[int, str]:
    return (BUSINESS_FIELDS.index(field) if field in BUSINESS_FIELDS else len(BUSINESS_FIELDS), field)


def format_business_value(field: str, value, lower_bound: bool = False) -> str:
    if field.endswith("_pct") or "_pct_" in field:
        txt = display.fmt_number(value, unit="%")
        return f"more than {txt}" if lower_bound and txt != display.MISSING else txt
    if field.endswith("_eur"):
        return "EUR " + display.fmt_int(value, lower_bound=lower_bound)
    return display.fmt_int(value, lower_bound=lower_bound)


@dataclass(frozen=True)
class SourcedValue:
    text: str                  # "41%", "EUR 2,400,000"
    value: float | None
    year: int | None
    quote: str
    source_title: str
    source_url: str
    imported: bool = False     # a session-only value the user imported

    @property
    def year_text(self) -> str:
        return display.fmt_year(self.year, missing="year not stated")


@dataclass(frozen=True)
class Measure:
    field: str
    label: str
    unit: str
    values: tuple[SourcedValue, ...]   # oldest first; same-year values from different sources are all kept
    change: str | None                 # "41% (2015) → 28% (2023): −13 percentage points"


@dataclass(frozen=True)
class OrgBusinessModel:
    org_id: str
    name: str
    measures: tuple[Measure, ...]

    @property
    def empty_line(self) -> str | None:
        """The one line shown for an organisation with nothing sourced (None when something is)."""
        return None if self.measures else f"{self.name}: no business-model figure is sourced."


def _change(field: str, vals: list[SourcedValue]) -> str | None:
    """Earliest → latest when the sourced values span two or more years (the change says the unit)."""
    dated = [v for v in vals if v.year is not None and v.value is not None and not v.imported]
    if len({v.year for v in dated}) < 2:
        return None
    a, b = dated[0], dated[-1]
    diff = b.value - a.value
    if field.endswith("_pct") or "_pct_" in field:
        delta = display.fmt_change(diff, decimals=1 if not float(diff).is_integer() else 0) + " percentage points"
    elif a.value:
        delta = display.fmt_change(100 * diff / a.value, unit="%")
    else:
        delta = display.fmt_change(diff)
    return f"{a.text} ({a.year}) → {b.text} ({b.year}): {delta}"


def _year(v) -> int | None:
    f = display.as_float(v)
    return None if f is None else int(f)


def org_business_model(org_id: str, name: str, facts: pd.DataFrame, sources: pd.DataFrame,
                       overlay: pd.DataFrame | None = None) -> OrgBusinessModel:
    """One organisation's business-model evidence. ``facts`` may hold other entities and fields.

    ``overlay`` (optional): this session's imported values, columns entity_id, field, value_num, ref_year,
    source_title, source_url, quote."""
    src = sources if sources.index.name == "source_id" else sources.set_index("source_id")
    f = facts[(facts["entity_id"] == org_id) & facts["field"].map(is_business_field)]
    f = f[f["value_num"].notna()]
    by_field: dict[str, list[SourcedValue]] = {}
    for _, r in f.iterrows():
        s = src.loc[r["source_id"]] if r["source_id"] in src.index else None
        title = str(s["title"]) if s is not None and isinstance(s.get("title"), str) else "untitled source"
        url = str(s["url"]) if s is not None and isinstance(s.get("url"), str) else ""
        lb = bool(r.get("lower_bound")) if not display.is_missing(r.get("lower_bound")) else False
        by_field.setdefault(r["field"], []).append(SourcedValue(
            format_business_value(r["field"], r["value_num"], lb), float(r["value_num"]), _year(r.get("ref_year")),
            str(r.get("quote") or ""), title, url))
    if overlay is not None and len(overlay):
        o = overlay[(overlay["entity_id"] == org_id) & overlay["field"].map(is_business_field)]
        for _, r in o.iterrows():
            by_field.setdefault(r["field"], []).append(SourcedValue(
                format_business_value(r["field"], r["value_num"]), display.as_float(r["value_num"]),
                _year(r.get("ref_year")), str(r.get("quote") or ""), str(r.get("source_title") or ""),
                str(r.get("source_url") or ""), imported=True))
    measures = []
    for field in sorted(by_field, key=_order):
        vals = sorted(by_field[field], key=lambda v: (v.imported, v.year is None, v.year or 0, v.source_title, v.text))
        measures.append(Measure(field, field_label(field), FIELD_UNITS.get(field, ""), tuple(vals), _change(field, vals)))
    return OrgBusinessModel(org_id, name, tuple(measures))


def business_models(org: pd.DataFrame, ids: list[str], facts: pd.DataFrame, sources: pd.DataFrame,
                    overlay: pd.DataFrame | None = None) -> list[OrgBusinessModel]:
    """The view-model for several organisations, in the order given (unknown ids skipped)."""
    names = dict(zip(org["id"], org["name"]))
    return [org_business_model(i, str(names[i]), facts, sources, overlay) for i in ids if i in names]


def coverage_line(models: list[OrgBusinessModel]) -> str:
    """'3 of 8 organisations have a sourced business-model figure.'"""
    n = sum(1 for m in models if m.measures)
    return f"{n} of {len(models)} organisations have a sourced business-model figure."


def table_rows(models: list[OrgBusinessModel]) -> list[dict]:
    """One row per sourced (or imported) value: the table twin and the CSV download of the view."""
    rows = []
    for m in models:
        for ms in m.measures:
            for v in ms.values:
                rows.append({"Organisation": m.name, "Measure": ms.label, "Value": v.text, "Year": v.year_text,
                             "Status": IMPORTED if v.imported else "Sourced", "Source": v.source_title,
                             "Link": v.source_url, "Quote": v.quote, "id": m.org_id, "field": ms.field})
    return rows


def peer_summary_lines(summary: pd.DataFrame) -> list[str]:
    """'Public funding share (%): 3 of 12 peers sourced, median 41% (range 0%–87%).' per field."""
    out = []
    for _, r in summary.iterrows():
        head = f"{field_label(r['field'])}: {int(r['n'])} of {int(r['of'])} peers sourced"
        if r["n"]:
            med = format_business_value(r["field"], r["median"])
            rng = (f" (range {format_business_value(r['field'], r['low'])} to {format_business_value(r['field'], r['high'])})"
                   if r["n"] > 1 else "")
            head += f", median {med}{rng}"
        out.append(head + ".")
    return out
