"""Sourced qualitative notes: what the evidence says in words where it gives no number (issue 17, point 10).

A funding-model note ("membership- and event-based model"), a public-funding note, named international
partners, or an internationalisation fact stated without a count ("partners from Germany and France (count
not given)"). Chosen by field and by the fact having no number — never by wording. Each note keeps its
year, source and exact quote. Pure and typed; no Streamlit.
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from cluster_data import display
from cluster_data.schema import FIELD_LABELS

#: Business-model notes (text fields of the evidence).
BUSINESS_NOTE_FIELDS: tuple[str, ...] = ("funding_model_note", "public_funding_note")
#: Internationalisation: the named partners (text), and the measures when a source states them in words only.
INTL_NOTE_FIELDS: tuple[str, ...] = ("international_partners",)
INTL_WORDS_ONLY_FIELDS: tuple[str, ...] = ("members_international", "members_countries", "countries_partnered",
                                           "eu_cluster_partnerships")


@dataclass(frozen=True)
class QualitativeNote:
    org_id: str
    org_name: str
    field: str
    label: str
    text: str
    year: int | None
    source_title: str
    source_url: str
    quote: str

    @property
    def year_text(self) -> str:
        return display.fmt_year(self.year, missing="year not stated")


def notes(org: pd.DataFrame, facts: pd.DataFrame, sources: pd.DataFrame, ids: list[str],
          note_fields: tuple[str, ...], words_only_fields: tuple[str, ...] = ()) -> list[QualitativeNote]:
    """The text facts of ``note_fields``, and facts of ``words_only_fields`` that carry no number, for ``ids``
    (in that order), newest first within an organisation and field; one note per distinct text."""
    names = dict(zip(org["id"], org["name"]))
    f = facts[facts["entity_id"].isin(ids)]
    num = pd.to_numeric(f.get("value_num"), errors="coerce") if "value_num" in f.columns else pd.Series(float("nan"), index=f.index)
    keep = f["field"].isin(note_fields) | (f["field"].isin(words_only_fields) & num.isna())
    f = f[keep & ~f["value"].map(display.is_missing)]
    if f.empty:
        return []
    src = sources.set_index("source_id") if "source_id" in sources.columns else pd.DataFrame()
    order = {i: k for k, i in enumerate(ids)}
    fields = list(note_fields) + [x for x in words_only_fields if x not in note_fields]
    f = f.assign(_o=f["entity_id"].map(order), _f=f["field"].map({x: k for k, x in enumerate(fields)}))
    f = f.sort_values(["_o", "_f", "ref_year"], ascending=[True, True, False], na_position="last")
    out: list[QualitativeNote] = []
    seen: set[tuple[str, str, str]] = set()
    for r in f.to_dict("records"):
        text = " ".join(str(r["value"]).split())
        key = (r["entity_id"], r["field"], text.lower())
        if key in seen:
            continue
        seen.add(key)
        s = src.loc[r["source_id"]] if r.get("source_id") in src.index else {}
        year = display.as_float(r.get("ref_year"))
        out.append(QualitativeNote(
            str(r["entity_id"]), str(names.get(r["entity_id"], r["entity_id"])), str(r["field"]),
            FIELD_LABELS.get(r["field"], str(r["field"]).replace("_", " ").capitalize()), text,
            int(year) if year is not None else None,
            "" if display.is_missing(s.get("title")) else str(s.get("title")),
            "" if display.is_missing(s.get("url")) else str(s.get("url")),
            "" if display.is_missing(r.get("quote")) else str(r.get("quote"))))
    return out


def business_notes(org, facts, sources, ids) -> list[QualitativeNote]:
    return notes(org, facts, sources, ids, BUSINESS_NOTE_FIELDS)


def intl_notes(org, facts, sources, ids) -> list[QualitativeNote]:
    return notes(org, facts, sources, ids, INTL_NOTE_FIELDS, INTL_WORDS_ONLY_FIELDS)


def without_notes(notes_: list[QualitativeNote], ids: list[str], names: dict[str, str]) -> list[str]:
    """Names of the chosen organisations no note covers (the gap, stated after what the evidence has)."""
    have = {n.org_id for n in notes_}
    return [str(names.get(i, i)) for i in ids if i not in have]
