"""Validate user-uploaded cluster organisations (CSV or XLSX).

Pure Python (no UI framework imports).  The entry point is :func:`read_upload`, which never
raises for bad input: every problem becomes a :class:`Problem` whose message a
non-programmer can act on.

Message format
--------------
* Cell problems:  ``"Row 5, column 'lat': '91' is not a latitude inside Europe (27 to 72)."``
  (``Problem.row`` is the spreadsheet row number the user sees: header = row 1,
  first data row = 2; ``Problem.column`` is the template column name.)
* Whole-file problems (``row is None``): a plain sentence such as
  ``"The file 'x.csv' has no data rows (only a header row)."``

Reading rules
-------------
* Only ``.csv`` and ``.xlsx`` (first worksheet) are accepted; at most
  :data:`MAX_BYTES` bytes and :data:`MAX_ROWS` data rows.
* CSV text is decoded as UTF-8 (with or without BOM), UTF-16 if it has a UTF-16
  BOM, otherwise Windows-1252 (what older Excel versions write).  The
  fallback is silent.  Bytes that are none of these give a problem.
* CSV delimiter is ``,``, ``;`` or tab, whichever occurs most in the header.
* Header names match case-insensitively, ignoring surrounding whitespace
  (inner spaces/hyphens are treated as ``_``).  Unknown columns are ignored and
  listed in :attr:`ImportResult.notes`.  Blank rows are skipped.
* Text cells are stripped and a leading neutralisation quote (see
  :mod:`cluster_data.safety`) is removed so our own exports round-trip.  HTML is
  kept as plain text; escaping is the display layer's job.
* A row with any problem is left out of ``valid``; other rows are kept.
"""

from __future__ import annotations

import csv
import hashlib
import io
import math
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import PurePath
from typing import Any, Iterable
from urllib.parse import urlparse

import pandas as pd

from .safety import is_plain_number, safe_csv_bytes, strip_neutralisation

__all__ = [
    "TEMPLATE_COLUMNS",
    "REQUIRED_COLUMNS",
    "SECTORS",
    "EUROPEAN_COUNTRIES",
    "COUNTRY_ALIASES",
    "EUROPE_BOUNDS",
    "MAX_BYTES",
    "MAX_ROWS",
    "Problem",
    "ImportResult",
    "read_upload",
    "make_source_id",
    "template_csv_bytes",
    "template_xlsx_bytes",
]

TEMPLATE_COLUMNS: list[str] = [
    "id",
    "name",
    "country_iso2",
    "city",
    "lat",
    "lon",
    "sector",
    "members_total",
    "members_total_year",
    "employees_in_members",
    "source_title",
    "source_url",
]
REQUIRED_COLUMNS: list[str] = ["id", "name", "country_iso2", "lat", "lon", "source_title"]
SECTORS: list[str] = [
    "digital_ict",
    "cyber_security",
    "smart_city",
    "mobility_automotive",
    "energy_green",
    "life_sciences",
    "manufacturing",
    "agrifood",
    "creative",
    "other",
]

_EU27 = {
    "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE",
    "IT", "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE",
}  # fmt: skip
_EFTA_UK = {"GB", "NO", "IS", "CH", "LI"}
_OTHER_EUROPE = {
    "AL", "BA", "ME", "MK", "RS", "XK", "TR", "UA", "MD", "BY", "GE", "AM", "AZ",
    "AD", "MC", "SM", "VA", "FO", "GI", "IM", "JE", "GG", "AX",
}  # fmt: skip
#: ISO 3166-1 alpha-2 codes accepted as European (plus XK for Kosovo).
EUROPEAN_COUNTRIES: frozenset[str] = frozenset(_EU27 | _EFTA_UK | _OTHER_EUROPE)
#: Common non-ISO spellings mapped to ISO codes.
COUNTRY_ALIASES: dict[str, str] = {"UK": "GB", "EL": "GR"}

#: (min_lon, min_lat, max_lon, max_lat)
EUROPE_BOUNDS: tuple[float, float, float, float] = (-32.0, 27.0, 46.0, 72.0)
MAX_BYTES = 2_000_000
MAX_ROWS = 5000

_MAX_TEXT_LEN = 1000
_MAX_COUNT = 1_000_000_000
_YEAR_RANGE = (1900, 2100)
_MAX_XLSX_UNCOMPRESSED = 100_000_000
_MAX_COLUMNS = 200

_TEXT_COLUMNS = ["id", "name", "country_iso2", "city", "sector", "source_title", "source_url"]
_INT_COLUMNS = ["members_total", "members_total_year", "employees_in_members"]


@dataclass(frozen=True)
class Problem:
    row: int | None  # spreadsheet row (header = 1); None = whole file
    column: str | None
    message: str


@dataclass
class ImportResult:
    valid: pd.DataFrame
    problems: list[Problem]
    n_rows: int
    notes: list[str] = field(default_factory=list)  # informational, not problems

    @property
    def ok(self) -> bool:
        return not self.problems


class _FileProblem(Exception):
    """Internal: a whole-file problem with a user-facing message."""


# --------------------------------------------------------------------------- helpers


def _mb(n: int | float) -> str:
    return f"{n / 1_000_000:.1f}".rstrip("0").rstrip(".") + " MB"


def _show(raw: Any) -> str:
    """Quote a raw cell value for a message (shortened)."""
    text = raw if isinstance(raw, str) else _cell_text(raw)
    text = text.replace("\r", " ").replace("\n", " ")
    if len(text) > 60:
        text = text[:57] + "..."
    return f"'{text}'"


def _cell_text(value: Any) -> str:
    """Any cell value (CSV str or XLSX value) as stripped text."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        if math.isnan(value):
            return ""
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    if isinstance(value, (datetime, date, time)):
        return value.isoformat()
    return str(value).strip()


def _norm_header(value: Any) -> str:
    text = strip_neutralisation(_cell_text(value)).strip().lower()
    return re.sub(r"[\s\-]+", "_", text)


def make_source_id(source_url: str | None, source_title: str | None) -> str:
    """Stable id for an imported source: ``import:`` + 10 hex chars of SHA-1."""
    key = f"{source_url or ''}|{source_title or ''}"
    return "import:" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:10]


def _empty_result(problems: list[Problem], n_rows: int = 0, notes: list[str] | None = None) -> ImportResult:
    return ImportResult(_build_frame([]), problems, n_rows, notes or [])


def _build_frame(records: list[dict[str, Any]]) -> pd.DataFrame:
    cols: dict[str, pd.Series] = {}
    for c in TEMPLATE_COLUMNS:
        values = [r[c] for r in records]
        if c in ("lat", "lon"):
            cols[c] = pd.Series(values, dtype="float64")
        elif c in _INT_COLUMNS:
            cols[c] = pd.Series(values, dtype="Int64")
        else:
            cols[c] = pd.Series(values, dtype="str")
    cols["row_type"] = pd.Series(["imported_org"] * len(records), dtype="str")
    cols["imported"] = pd.Series([True] * len(records), dtype="bool")
    cols["source_id"] = pd.Series(
        [make_source_id(r["source_url"], r["source_title"]) for r in records], dtype="str"
    )
    return pd.DataFrame(cols)


# --------------------------------------------------------------------------- reading

_BINARY_SIGNATURES = {
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"%PDF": "a PDF document",
    b"PK\x03\x04": "a ZIP archive or Excel workbook (.xlsx)",
    b"\xd0\xcf\x11\xe0": "an old Excel .xls workbook",
}


def _decode_csv(name: str, data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise _FileProblem(
                f"The file '{name}' could not be read as text. Please save it as 'CSV UTF-8' and try again."
            ) from None
    for sig, what in _BINARY_SIGNATURES.items():
        if data.startswith(sig):
            hint = (
                " If it is an Excel workbook, upload it with the .xlsx extension or save it as 'CSV UTF-8'."
                if sig.startswith(b"PK") or sig.startswith(b"\xd0")
                else ""
            )
            raise _FileProblem(
                f"The file '{name}' is not a CSV text file: it looks like {what}.{hint}"
            )
    control = sum(1 for b in data[:10_000] if b < 32 and b not in (9, 10, 13))
    if b"\x00" in data or control > max(2, len(data[:10_000]) // 100):
        raise _FileProblem(
            f"The file '{name}' is not a CSV text file: it contains binary data. "
            "Please upload a spreadsheet saved as CSV (UTF-8) or .xlsx."
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        raise _FileProblem(
            f"The file '{name}' is not in a text encoding we can read. "
            "Please save it from your spreadsheet program as 'CSV UTF-8' and try again."
        ) from None


def _pick_delimiter(text: str) -> str:
    first = text.lstrip("\r\n").split("\n", 1)[0]
    counts = {d: first.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] > 0 else ","


def _csv_rows(name: str, data: bytes) -> list[tuple[int, list[Any]]]:
    text = _decode_csv(name, data)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_pick_delimiter(text))
    rows: list[tuple[int, list[Any]]] = []
    try:
        for i, record in enumerate(reader, start=1):
            rows.append((i, record[:_MAX_COLUMNS]))
            if len(rows) > MAX_ROWS + 50_000:  # absurd number of (blank) lines
                break
    except csv.Error as exc:
        raise _FileProblem(
            f"The file '{name}' is not a well-formed CSV file (near row {len(rows) + 1}: {exc}). "
            "Check for unbalanced quote marks."
        ) from None
    return rows


def _xlsx_rows(name: str, data: bytes) -> list[tuple[int, list[Any]]]:
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise _FileProblem(
            f"The file '{name}' is an old-style .xls or a password-protected workbook. "
            "Please remove any password and save it as .xlsx (Excel Workbook) or as CSV."
        )
    if not data.startswith(b"PK\x03\x04"):
        raise _FileProblem(
            f"The file '{name}' is not a valid Excel .xlsx workbook. "
            "Please save it from Excel as 'Excel Workbook (.xlsx)' or as CSV."
        )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            uncompressed = sum(info.file_size for info in zf.infolist())
    except Exception:
        raise _FileProblem(
            f"The file '{name}' is damaged or is not a valid Excel .xlsx workbook."
        ) from None
    if uncompressed > _MAX_XLSX_UNCOMPRESSED:
        raise _FileProblem(
            f"The workbook '{name}' is too large when unpacked ({_mb(uncompressed)}). "
            "Please upload only the cluster sheet, or save it as CSV."
        )

    import openpyxl  # local import: only needed for workbooks

    try:
        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:
        raise _FileProblem(
            f"The file '{name}' could not be opened as an Excel workbook "
            "(it may be damaged or not really an .xlsx file). Please re-save it as .xlsx or CSV."
        ) from None
    try:
        if not wb.worksheets:
            raise _FileProblem(f"The workbook '{name}' contains no worksheets.")
        ws = wb.worksheets[0]
        if hasattr(ws, "reset_dimensions"):
            ws.reset_dimensions()  # don't trust a stored (possibly wrong) sheet size
        rows: list[tuple[int, list[Any]]] = []
        nonblank = 0
        for i, values in enumerate(ws.iter_rows(values_only=True), start=1):
            record = list(values[:_MAX_COLUMNS])
            rows.append((i, record))
            if any(_cell_text(v) for v in record):
                nonblank += 1
            if nonblank > MAX_ROWS + 1 or len(rows) > MAX_ROWS + 50_000:
                break  # enough to report "too many rows"
        return rows
    except _FileProblem:
        raise
    except Exception:
        raise _FileProblem(
            f"The workbook '{name}' could not be read (the first worksheet seems damaged)."
        ) from None
    finally:
        wb.close()


# --------------------------------------------------------------------------- cell checks


def _cell(row: int, col: str, detail: str) -> Problem:
    return Problem(row, col, f"Row {row}, column '{col}': {detail}")


def _parse_float(raw: Any, allow_decimal_comma: bool) -> float | None:
    """Return a finite float, or None if ``raw`` is not a plain number."""
    if isinstance(raw, bool):
        return None
    if isinstance(raw, (int, float)):
        value = float(raw)
        return value if math.isfinite(value) else None
    text = _cell_text(raw)
    if allow_decimal_comma and re.fullmatch(r"[+-]?\d+,\d+", text):
        text = text.replace(",", ".")
    if not is_plain_number(text):
        return None
    value = float(text)
    return value if math.isfinite(value) else None


def _check_coordinate(row: int, col: str, raw: Any, problems: list[Problem]) -> float | None:
    value = _parse_float(raw, allow_decimal_comma=True)
    if value is None:
        problems.append(_cell(row, col, f"{_show(raw)} is not a number."))
        return None
    min_lon, min_lat, max_lon, max_lat = EUROPE_BOUNDS
    lo, hi, what = (min_lat, max_lat, "latitude") if col == "lat" else (min_lon, max_lon, "longitude")
    if not lo <= value <= hi:
        problems.append(
            _cell(row, col, f"{_show(raw)} is not a {what} inside Europe ({lo:g} to {hi:g}).")
        )
        return None
    return value


def _check_int(row: int, col: str, raw: Any, problems: list[Problem]) -> int | None:
    value = _parse_float(raw, allow_decimal_comma=False)
    if value is None:
        problems.append(_cell(row, col, f"{_show(raw)} is not a number."))
        return None
    if not value.is_integer():
        problems.append(_cell(row, col, f"{_show(raw)} is not a whole number."))
        return None
    if col == "members_total_year":
        lo, hi = _YEAR_RANGE
        if not lo <= value <= hi:
            problems.append(_cell(row, col, f"{_show(raw)} is not a year between {lo} and {hi}."))
            return None
        return int(value)
    if value < 0:
        problems.append(_cell(row, col, f"{_show(raw)} cannot be negative."))
        return None
    if value > _MAX_COUNT:
        problems.append(
            _cell(row, col, f"{_show(raw)} is implausibly large (maximum {_MAX_COUNT:,}).")
        )
        return None
    return int(value)


def _check_country(row: int, raw: str, problems: list[Problem]) -> str | None:
    code = raw.upper()
    code = COUNTRY_ALIASES.get(code, code)
    if not re.fullmatch(r"[A-Z]{2}", code):
        problems.append(
            _cell(row, "country_iso2", f"{_show(raw)} is not a two-letter country code (for example DE, FR or GB).")
        )
        return None
    if code not in EUROPEAN_COUNTRIES:
        problems.append(
            _cell(row, "country_iso2", f"{_show(raw)} is not a recognised European country code (for example DE, FR or GB).")
        )
        return None
    return code


def _check_sector(row: int, raw: str, problems: list[Problem]) -> str | None:
    if not raw:
        return "other"
    sector = re.sub(r"[\s\-/&]+", "_", raw.lower())
    if sector not in SECTORS:
        problems.append(
            _cell(row, "sector", f"{_show(raw)} is not a recognised sector. Use one of: {', '.join(SECTORS)} (or leave it blank).")
        )
        return None
    return sector


def _check_url(row: int, raw: str, problems: list[Problem]) -> str | None:
    if not raw:
        return None
    parsed = urlparse(raw)
    if parsed.scheme.lower() not in ("http", "https") or not parsed.netloc or any(c.isspace() for c in raw):
        problems.append(
            _cell(row, "source_url", f"{_show(raw)} is not a web address starting with http:// or https://.")
        )
        return None
    return raw


# --------------------------------------------------------------------------- main


def read_upload(name: str, data: bytes, existing_ids: Iterable[str] = ()) -> ImportResult:
    """Read and validate an uploaded ``.csv`` / ``.xlsx`` file.  Never raises."""
    shown = str(name or "upload")
    try:
        return _read_upload(shown, data, existing_ids)
    except _FileProblem as exc:
        return _empty_result([Problem(None, None, str(exc))])
    except Exception as exc:  # last resort: never crash the app on user input
        return _empty_result(
            [
                Problem(
                    None,
                    None,
                    f"The file '{shown}' could not be read because of an unexpected error "
                    f"({type(exc).__name__}). Please check it matches the template and try again.",
                )
            ]
        )


def read_rows(name: str, data: Any) -> tuple[int, list[Any], list[tuple[int, list[Any]]]]:
    """(header row number, header cells, non-blank data rows) of an upload; raises :class:`FileProblem`.

    The file-level checks (type, size, encoding, workbook safety, blank rows) shared by every
    upload of the app: the organisation import here and the gap overlay (cluster_data.overlay)."""
    if hasattr(data, "getvalue"):
        data = data.getvalue()
    data = bytes(data or b"")
    ext = PurePath(name).suffix.lower()
    if ext not in (".csv", ".xlsx"):
        what = f"'{ext}'" if ext else "without an extension"
        extra = " Old .xls files must be re-saved as .xlsx." if ext == ".xls" else ""
        raise _FileProblem(
            f"The file '{name}' has an unsupported type ({what}). Please upload a .csv or .xlsx file.{extra}"
        )
    if not data:
        raise _FileProblem(f"The file '{name}' is empty (0 bytes).")
    if len(data) > MAX_BYTES:
        raise _FileProblem(
            f"The file '{name}' is too large ({_mb(len(data))}); the maximum upload size is {_mb(MAX_BYTES)}."
        )

    raw_rows = _csv_rows(name, data) if ext == ".csv" else _xlsx_rows(name, data)
    raw_rows = [(n, r) for n, r in raw_rows if any(_cell_text(v) for v in r)]
    if not raw_rows:
        raise _FileProblem(f"The file '{name}' is empty (no header row or data found).")

    header_row, header = raw_rows[0]
    data_rows = raw_rows[1:]
    if not data_rows:
        raise _FileProblem(f"The file '{name}' has no data rows (only a header row).")
    return header_row, header, data_rows


FileProblem = _FileProblem  # public name for callers of read_rows


def _read_upload(name: str, data: Any, existing_ids: Iterable[str]) -> ImportResult:
    ext = PurePath(name).suffix.lower()
    header_row, header, data_rows = read_rows(name, data)
    n_rows = len(data_rows)
    if n_rows > MAX_ROWS:
        count = f"{n_rows:,}" if ext == ".csv" else f"more than {MAX_ROWS:,}"
        return _empty_result(
            [
                Problem(
                    None,
                    None,
                    f"The file '{name}' has {count} data rows; the maximum is {MAX_ROWS:,} rows per upload. "
                    "Please split it into smaller files.",
                )
            ],
            n_rows,
        )
    positions, problems, notes = _read_header(name, header_row, header)
    if problems:
        return _empty_result(problems, n_rows, notes)
    records, problems = _read_data_rows(data_rows, positions, existing_ids)
    return ImportResult(_build_frame(records), problems, n_rows, notes)


def _read_header(name: str, header_row: int, header: list[Any]) -> tuple[dict[str, int], list[Problem], list[str]]:
    """(template column → position, header problems, notes on ignored columns) of the header row."""
    positions: dict[str, int] = {}
    unknown: list[str] = []
    problems: list[Problem] = []
    for idx, raw in enumerate(header):
        key = _norm_header(raw)
        if key in TEMPLATE_COLUMNS:
            if key in positions:
                problems.append(
                    Problem(None, key, f"The column '{key}' appears more than once in the header row; keep only one.")
                )
            else:
                positions[key] = idx
        elif key:
            unknown.append(_cell_text(raw))
    missing = [c for c in REQUIRED_COLUMNS if c not in positions]
    if missing:
        listed = ", ".join(f"'{c}'" for c in missing)
        problems.append(
            Problem(
                None,
                None,
                f"The file '{name}' is missing required column(s): {listed}. "
                f"The header row (row {header_row}) must contain: {', '.join(REQUIRED_COLUMNS)}. "
                "Download the template to see the expected format.",
            )
        )
    notes = []
    if unknown:
        notes.append("These columns are not part of the template and were ignored: " + ", ".join(f"'{u}'" for u in unknown) + ".")
    return positions, problems, notes


def _read_data_rows(data_rows: list[tuple[int, list[Any]]], positions: dict[str, int],
                    existing_ids: Iterable[str]) -> tuple[list[dict[str, Any]], list[Problem]]:
    """(valid records, problems) of the data rows; an id must be unique in the file and new to the dataset."""
    existing = {_cell_text(x) for x in existing_ids}
    first_seen: dict[str, int] = {}
    records: list[dict[str, Any]] = []
    problems: list[Problem] = []
    for row_no, record in data_rows:
        raws = {c: (record[i] if i < len(record) else None) for c, i in positions.items()}
        rec, row_problems = _validate_row(row_no, raws)
        rid = rec.get("id")
        if rid:
            if rid in first_seen:
                row_problems.append(_cell(row_no, "id", f"{_show(rid)} is a duplicate of the id in row {first_seen[rid]}; every id must be unique."))
            else:
                first_seen[rid] = row_no
                if rid in existing:
                    row_problems.append(_cell(row_no, "id", f"{_show(rid)} is already used by an organisation in the built-in dataset; please choose a different id."))
        if row_problems:
            problems.extend(row_problems)
        else:
            records.append(rec)
    return records, problems


def _validate_row(row: int, raws: dict[str, Any]) -> tuple[dict[str, Any], list[Problem]]:
    problems: list[Problem] = []
    rec: dict[str, Any] = {c: None for c in TEMPLATE_COLUMNS}
    for col in TEMPLATE_COLUMNS:
        raw = raws.get(col)
        text = strip_neutralisation(_cell_text(raw))
        if not text:
            if col in REQUIRED_COLUMNS:
                problems.append(_cell(row, col, "this required value is blank."))
            elif col == "sector":
                rec[col] = "other"
            continue
        if col in _TEXT_COLUMNS and len(text) > _MAX_TEXT_LEN:
            problems.append(_cell(row, col, f"the text is too long ({len(text):,} characters; the maximum is {_MAX_TEXT_LEN:,})."))
            continue
        if col in ("lat", "lon"):
            rec[col] = _check_coordinate(row, col, raw if not isinstance(raw, str) else text, problems)
        elif col in _INT_COLUMNS:
            rec[col] = _check_int(row, col, raw if not isinstance(raw, str) else text, problems)
        elif col == "country_iso2":
            rec[col] = _check_country(row, text, problems)
        elif col == "sector":
            rec[col] = _check_sector(row, text, problems)
        elif col == "source_url":
            rec[col] = _check_url(row, text, problems)
        else:
            rec[col] = text
    return rec, problems


# --------------------------------------------------------------------------- templates

_EXAMPLE_ROW: dict[str, Any] = {
    "id": "EXAMPLE_1",
    "name": "Example Cluster (delete this row)",
    "country_iso2": "DE",
    "city": "Exampletown",
    "lat": 50.0,
    "lon": 10.0,
    "sector": "digital_ict",
    "members_total": 42,
    "members_total_year": 2024,
    "employees_in_members": 1200,
    "source_title": "Example source (replace with your own)",
    "source_url": "https://example.org/",
}


def template_csv_bytes() -> bytes:
    """The upload template as CSV (UTF-8 with BOM): header + one example row."""
    return safe_csv_bytes(pd.DataFrame([_EXAMPLE_ROW], columns=TEMPLATE_COLUMNS))


def template_xlsx_bytes() -> bytes:
    """The upload template as XLSX: sheet 'clusters' (header + example row) and
    a second 'instructions' sheet.  Only the first sheet is read on upload."""
    import openpyxl
    from openpyxl.styles import Font

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "clusters"
    ws.append(TEMPLATE_COLUMNS)
    ws.append([_EXAMPLE_ROW[c] for c in TEMPLATE_COLUMNS])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for i, col in enumerate(TEMPLATE_COLUMNS, start=1):
        ws.column_dimensions[openpyxl.utils.get_column_letter(i)].width = max(12, len(col) + 2)

    info = wb.create_sheet("instructions")
    lines = [
        "One organisation per row on the 'clusters' sheet. Delete the example row.",
        "Required columns: " + ", ".join(REQUIRED_COLUMNS),
        "country_iso2: two-letter code such as DE, FR, GB (UK and EL are also accepted).",
        f"lat / lon: decimal degrees inside Europe (lat {EUROPE_BOUNDS[1]:g} to {EUROPE_BOUNDS[3]:g}, "
        f"lon {EUROPE_BOUNDS[0]:g} to {EUROPE_BOUNDS[2]:g}).",
        "sector (optional, blank = other): " + ", ".join(SECTORS),
        "members_total, employees_in_members: whole numbers, 0 or more.",
        f"members_total_year: a year between {_YEAR_RANGE[0]} and {_YEAR_RANGE[1]}.",
        "source_url (optional): must start with http:// or https://",
        f"Limits: {MAX_ROWS:,} rows and {_mb(MAX_BYTES)} per file.",
    ]
    for line in lines:
        info.append([line])
    info.column_dimensions["A"].width = 100

    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
