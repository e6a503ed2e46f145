"""Gaps and the session overlay (issue 14, point 4). Pure Python.

* :func:`missing_fields` — which standard fields an organisation has no sourced value for.
* :func:`gap_template_bytes` — a CSV of one organisation's missing fields, for its staff to fill in with sources.
* :func:`read_overlay` — validates the filled file back, row by row (table-driven, never raises): unknown id,
  unknown field, a value of the wrong type, a missing source title or a formula in a cell each get a message
  naming the row; every other row is kept.

The accepted rows are an **overlay**: held in the user's session only, shown marked "Imported" with the source
title the user gave, never written to the shipped data.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any, Callable

import pandas as pd

from cluster_data import display
from cluster_data.imports import FileProblem, MAX_ROWS, Problem, _cell_text, _norm_header, _parse_float, _show, read_rows
from cluster_data.safety import TRIGGER_CHARS, is_plain_number, safe_csv_bytes, strip_neutralisation
from cluster_data.schema import FIELD_LABELS, FIELD_UNITS

#: The standard fields every profile reports as known or unknown (coverage view and gap file use them too).
STANDARD_FIELDS: tuple[str, ...] = (
    "members_total", "members_sme", "members_international", "members_countries", "employees_in_members",
    "jobs_created", "countries_partnered", "eu_cluster_partnerships", "funding_public_share_pct",
    "funding_membership_share_pct", "funding_self_financing_share_pct", "budget_eur", "staff_headcount",
    "founded_year",
)
PCT_FIELDS = frozenset(f for f in STANDARD_FIELDS if f.endswith("_pct"))
YEAR_FIELDS = frozenset({"founded_year"})
COLUMNS: tuple[str, ...] = ("id", "name", "field", "label", "value", "year", "source_title", "source_url", "quote")
REQUIRED: tuple[str, ...] = ("id", "field", "value", "source_title")
OVERLAY_COLUMNS = ["entity_id", "field", "value", "value_num", "ref_year", "source_title", "source_url", "quote"]
_MAX_TEXT = 1000


def field_label(f: str) -> str:
    return FIELD_LABELS.get(f, f.replace("_", " ").capitalize())


def _has(v) -> bool:
    return not display.is_missing(v)


def missing_fields(row: pd.Series | dict) -> list[str]:
    """Standard fields with no sourced headline value for this organisation (a column that is empty)."""
    return [f for f in STANDARD_FIELDS if not _has(row.get(f))]


def known_matrix(org: pd.DataFrame, fields: tuple[str, ...] = STANDARD_FIELDS) -> pd.DataFrame:
    """Per organisation × field: True where a sourced value exists (the coverage view's cells)."""
    cols = [f for f in fields if f in org.columns]
    return pd.DataFrame({f: org[f].map(_has) for f in cols}, index=org["id"].values)


def gap_template_bytes(row: pd.Series | dict) -> bytes:
    """One row per missing standard field, value/year/source left blank (CSV, formula-safe)."""
    recs = [{"id": row["id"], "name": row["name"], "field": f, "label": field_label(f), "value": "", "year": "",
             "source_title": "", "source_url": "", "quote": ""} for f in missing_fields(row)]
    return safe_csv_bytes(pd.DataFrame(recs, columns=list(COLUMNS)))


@dataclass
class OverlayResult:
    valid: pd.DataFrame                       # OVERLAY_COLUMNS
    problems: list[Problem] = field(default_factory=list)
    n_rows: int = 0
    skipped_blank: int = 0                    # template rows left without a value (not an error)


# ------------------------------------------------------------------ cell rules (table-driven)
def _rule_id(text: str, ids: set) -> tuple[Any, str | None]:
    if text not in ids:
        return None, (f"{_show(text)} is not an organisation in the atlas. Use the id from the gap file you downloaded "
                      "(a new organisation goes through 'Import your clusters').")
    return text, None


def _rule_field(text: str, _ids) -> tuple[Any, str | None]:
    if text not in STANDARD_FIELDS:
        return None, f"{_show(text)} is not one of the fields you can fill in: {', '.join(STANDARD_FIELDS)}."
    return text, None


def _rule_year(text: str, _ids) -> tuple[Any, str | None]:
    v = _parse_float(text, allow_decimal_comma=False)
    if v is None or not v.is_integer() or not 1900 <= v <= 2100:
        return None, f"{_show(text)} is not a year between 1900 and 2100."
    return int(v), None


def _rule_url(text: str, _ids) -> tuple[Any, str | None]:
    if not text.lower().startswith(("http://", "https://")) or any(c.isspace() for c in text):
        return None, f"{_show(text)} is not a web address starting with http:// or https://."
    return text, None


def _rule_text(text: str, _ids) -> tuple[Any, str | None]:
    if len(text) > _MAX_TEXT:
        return None, f"the text is too long ({len(text):,} characters; the maximum is {_MAX_TEXT:,})."
    return text, None


RULES: dict[str, Callable[[str, set], tuple[Any, str | None]]] = {
    "id": _rule_id, "field": _rule_field, "year": _rule_year, "source_url": _rule_url,
    "source_title": _rule_text, "quote": _rule_text, "name": _rule_text, "label": _rule_text,
}


def _check_value(text: str, fld: str | None) -> tuple[float | None, str | None]:
    """The value's type depends on the row's field: a share 0–100, a year, or a count/amount ≥ 0."""
    v = _parse_float(text, allow_decimal_comma=False)
    if v is None:
        return None, f"{_show(text)} is not a number" + (f" ({field_label(fld)} needs a number)." if fld else ".")
    if fld in PCT_FIELDS and not 0 <= v <= 100:
        return None, f"{_show(text)} is not a percentage between 0 and 100."
    if fld in YEAR_FIELDS and (not v.is_integer() or not 1800 <= v <= 2100):
        return None, f"{_show(text)} is not a year."
    if v < 0:
        return None, f"{_show(text)} cannot be negative."
    return v, None


def _is_formula(text: str) -> bool:
    return text.startswith(TRIGGER_CHARS) and not is_plain_number(text)


def _check_row(row_no: int, raws: dict[str, Any], ids: set) -> tuple[dict | None, list[Problem]]:
    probs: list[Problem] = []
    rec: dict[str, Any] = {}

    def bad(col: str, msg: str) -> None:
        probs.append(Problem(row_no, col, f"Row {row_no}, column '{col}': {msg}"))

    for col in COLUMNS:
        text = _cell_text(raws.get(col))
        if _is_formula(text):
            bad(col, f"{_show(text)} looks like a spreadsheet formula; type the value itself, not a formula.")
            continue
        text = strip_neutralisation(text)
        if not text:
            if col in REQUIRED:
                bad(col, "this required value is blank" + (": say where the value comes from." if col == "source_title" else "."))
            continue
        if col == "value":
            continue  # checked below, once the row's field is known
        val, msg = RULES[col](text, ids)
        if msg:
            bad(col, msg)
        else:
            rec[col] = val
    vtext = strip_neutralisation(_cell_text(raws.get("value")))
    if vtext and not _is_formula(_cell_text(raws.get("value"))):
        v, msg = _check_value(vtext, rec.get("field"))
        if msg:
            bad("value", msg)
        else:
            rec["value"] = v
    return (None if probs else rec), probs


def read_overlay(name: str, data: Any, org_ids) -> OverlayResult:
    """Validate a filled gap file. Never raises: file problems and row problems become messages."""
    ids = {str(i) for i in org_ids}
    try:
        header_row, header, rows = read_rows(str(name or "upload"), data)
    except FileProblem as exc:
        return OverlayResult(_frame([]), [Problem(None, None, str(exc))])
    except Exception as exc:  # never crash the app on user input
        return OverlayResult(_frame([]), [Problem(None, None, f"The file could not be read ({type(exc).__name__}).")])
    if len(rows) > MAX_ROWS:
        return OverlayResult(_frame([]), [Problem(None, None, f"The file has more than {MAX_ROWS:,} rows.")], len(rows))
    pos = {}
    for i, h in enumerate(header):
        k = _norm_header(h)
        if k in COLUMNS and k not in pos:
            pos[k] = i
    missing = [c for c in REQUIRED if c not in pos]
    if missing:
        return OverlayResult(_frame([]), [Problem(None, None, f"The header row (row {header_row}) lacks column(s) "
                                                  f"{', '.join(missing)}. Download the gap file to see the format.")], len(rows))
    recs, probs, blank = [], [], 0
    seen: dict[tuple, int] = {}
    for row_no, cells in rows:
        raws = {c: (cells[i] if i < len(cells) else None) for c, i in pos.items()}
        if not _cell_text(raws.get("value")) and not _cell_text(raws.get("source_title")):
            blank += 1  # a gap left unfilled
            continue
        rec, p = _check_row(row_no, raws, ids)
        if rec is not None:
            key = (rec["id"], rec["field"])
            if key in seen:
                p = [Problem(row_no, "field", f"Row {row_no}, column 'field': {field_label(rec['field'])} for this "
                                              f"organisation is already given in row {seen[key]}; keep one.")]
                rec = None
            else:
                seen[key] = row_no
        probs.extend(p)
        if rec is not None:
            recs.append(rec)
    return OverlayResult(_frame(recs), probs, len(rows), blank)


def _frame(recs: list[dict]) -> pd.DataFrame:
    out = pd.DataFrame({
        "entity_id": [r["id"] for r in recs],
        "field": [r["field"] for r in recs],
        "value": [display.fmt_number(r["value"]) for r in recs],
        "value_num": [float(r["value"]) for r in recs],
        "ref_year": [float(r["year"]) if r.get("year") is not None else float("nan") for r in recs],
        "source_title": [r["source_title"] for r in recs],
        "source_url": [r.get("source_url") or "" for r in recs],
        "quote": [r.get("quote") or "" for r in recs],
    }, columns=OVERLAY_COLUMNS)
    return out


def merge_overlay(current: pd.DataFrame | None, new: pd.DataFrame) -> pd.DataFrame:
    """This session's overlay after an upload: a new value for the same (id, field) replaces the old one."""
    if current is None or current.empty:
        return new.reset_index(drop=True)
    keep = current.merge(new[["entity_id", "field"]], how="left", indicator=True)
    keep = current[(keep["_merge"] == "left_only").to_numpy()]
    return pd.concat([keep, new], ignore_index=True)


def overlay_for(overlay: pd.DataFrame | None, entity_id: str) -> pd.DataFrame:
    if overlay is None or overlay.empty:
        return pd.DataFrame(columns=OVERLAY_COLUMNS)
    return overlay[overlay["entity_id"] == entity_id]


def fingerprint(frame: pd.DataFrame | None) -> str:
    """A short, stable hash of a session frame (imported rows or the overlay): part of a cache key."""
    if frame is None or frame.empty:
        return "-"
    return hashlib.sha1(pd.util.hash_pandas_object(frame, index=False).values.tobytes()).hexdigest()[:16]


# ------------------------------------------------------------------ the profile's gaps section
#: Facts already shown elsewhere on a profile (header, map, notes) or in the standard blocks.
DESCRIPTIVE_FIELDS = frozenset({"note", "lat_lon", "nuts2_code", "city", "website", "label_year", "jobs_created_period",
                                "name", "country_iso2", "sector", "row_type", "region_name", "coord_source"})


@dataclass(frozen=True)
class ImportedValue:
    field: str
    label: str
    text: str          # "EUR 1,200,000 (2024)"
    source_title: str
    source_url: str


@dataclass(frozen=True)
class ProfileGaps:
    unknown: tuple[str, ...]         # standard fields with no sourced value and nothing imported (labels)
    imported: tuple[ImportedValue, ...]
    extra_fields: tuple[str, ...]    # sourced fields outside the standard blocks (shown as sourced facts)
    n_standard: int

    @property
    def summary(self) -> str:
        k = self.n_standard - len(self.unknown) - len(self.imported)
        return f"{k} of {self.n_standard} standard fields sourced" + (
            f", {len(self.imported)} imported by you (this session only)" if self.imported else "")


def profile_gaps(row: pd.Series | dict, entity_facts: pd.DataFrame, overlay_rows: pd.DataFrame | None,
                 shown_fields: tuple[str, ...] = ()) -> ProfileGaps:
    """What a profile says about its gaps: unknown standard fields, this session's imported values, and
    sourced fields that no standard block shows (kept by the build, e.g. a new evidence file's field)."""
    from cluster_data.business_model import format_business_value

    ov = overlay_rows if overlay_rows is not None else pd.DataFrame(columns=OVERLAY_COLUMNS)
    imp_fields = set(ov["field"])
    unknown = tuple(field_label(f) for f in missing_fields(row) if f not in imp_fields)
    imported = tuple(
        ImportedValue(r["field"], field_label(r["field"]),
                      format_business_value(r["field"], r["value_num"])
                      + (f" ({display.fmt_year(r['ref_year'])})" if not display.is_missing(r["ref_year"]) else ""),
                      str(r["source_title"]), str(r["source_url"] or ""))
        for _, r in ov.sort_values("field").iterrows())
    fields = [] if entity_facts is None or entity_facts.empty else entity_facts["field"].unique().tolist()
    extra = tuple(sorted(f for f in fields if f not in shown_fields and f not in DESCRIPTIVE_FIELDS))
    return ProfileGaps(unknown, imported, extra, len(STANDARD_FIELDS))


def not_on_map(shown: pd.DataFrame) -> pd.DataFrame:
    """Organisations without coordinates (no sourced seat): name, country, why, id."""
    mask = (shown["lat"].isna() | shown["lon"].isna()).to_numpy()
    rows = sorted(zip(map(str, shown["country"].to_numpy()[mask]), map(str, shown["name"].to_numpy()[mask]),
                      map(str, shown["id"].to_numpy()[mask])))  # by country, then name (a warm rerun path)
    return pd.DataFrame({"Name": [r[1] for r in rows], "Country": [r[0] for r in rows],
                         "Why": "no sourced location", "Id": [r[2] for r in rows]}, columns=["Name", "Country", "Why", "Id"])


SOURCED, IMPORTED_MARK, GAP = "sourced", "Imported", "—"


def coverage_matrix(org: pd.DataFrame, overlay_rows: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per organisation, one column per standard field: sourced, Imported (this session) or — (gap)."""
    known = known_matrix(org)
    out = pd.DataFrame({c: [SOURCED if b else GAP for b in known[c]] for c in known.columns}, index=known.index, dtype=object)
    if overlay_rows is not None and not overlay_rows.empty:
        for _, r in overlay_rows.iterrows():
            if r["entity_id"] in out.index and r["field"] in out.columns and out.loc[r["entity_id"], r["field"]] == GAP:
                out.loc[r["entity_id"], r["field"]] = IMPORTED_MARK
    out.columns = [field_label(c) for c in out.columns]
    n = known.sum(axis=1)
    out.insert(0, "Sourced fields", [f"{int(k)} of {known.shape[1]}" for k in n])
    out.insert(0, "Country", org["country"].to_numpy())
    out.insert(0, "Organisation", org["name"].to_numpy())
    out["id"] = out.index
    return out.sort_values(["Country", "Organisation"]).reset_index(drop=True)


def coverage_caption(matrix: pd.DataFrame) -> str:
    fields = [c for c in matrix.columns if c not in ("Organisation", "Country", "Sourced fields", "id")]
    parts = [f"{c}: {int((matrix[c] == SOURCED).sum())} of {len(matrix)}" for c in fields]
    return ("Each cell says whether a source holds a value (sourced), you imported one this session (Imported) or it is "
            "a gap (—). Cluster organisations only. Sourced per field: " + "; ".join(parts) + ".")


def apply_to_long(long: pd.DataFrame, overlay_rows: pd.DataFrame | None) -> pd.DataFrame:
    """compare's long table with this session's imported values filled into its gaps, marked Imported.

    Only a gap is filled (a sourced headline is never replaced); the row's source names the user's title."""
    if overlay_rows is None or overlay_rows.empty or long.empty:
        return long
    from cluster_data.business_model import format_business_value

    out = long.copy()
    idx = overlay_rows.set_index(["entity_id", "field"])
    for i, r in out.iterrows():
        key = (r["id"], r["field"])
        if key not in idx.index or not display.is_missing(r["value"]):
            continue
        o = idx.loc[key]
        out.at[i, "value"] = float(o["value_num"])
        out.at[i, "year"] = None if display.is_missing(o["ref_year"]) else int(o["ref_year"])
        out.at[i, "shown"] = f"{format_business_value(r['field'], o['value_num'])} ({IMPORTED_MARK})"
        out.at[i, "source"] = f"{IMPORTED_MARK}: {o['source_title']} (your source, this session only)"
        out.at[i, "url"] = o["source_url"] or None
        out.at[i, "quote"] = o["quote"] or None
    return out


def imported_values_view(ov: pd.DataFrame, names: dict[str, str]) -> pd.DataFrame:
    """The session's imported values as the page lists them, each marked Imported with the source the user gave."""
    return pd.DataFrame({"Status": "Imported", "Organisation": ov["entity_id"].map(names),
                         "Field": ov["field"].map(field_label), "Value": ov["value"],
                         "Year": ov["ref_year"].map(lambda y: display.fmt_year(y, missing="")),
                         "Source you gave": ov["source_title"], "Link": ov["source_url"], "id": ov["entity_id"]})
