"""Tests for cluster_data.imports (user uploads) and cluster_data.safety.

Fixture corpus: tests/fixtures/imports/ (regenerate with make_fixtures.py there).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cluster_data.imports import (
    EUROPEAN_COUNTRIES,
    MAX_BYTES,
    MAX_ROWS,
    REQUIRED_COLUMNS,
    SECTORS,
    TEMPLATE_COLUMNS,
    ImportResult,
    Problem,
    read_upload,
    template_csv_bytes,
    template_xlsx_bytes,
)
from cluster_data.safety import (
    TRIGGER_CHARS,
    html_escape,
    is_plain_number,
    neutralise_cell,
    safe_csv_bytes,
    strip_neutralisation,
)

FIXTURES = Path(__file__).parent / "fixtures" / "imports"
HEADER = ",".join(TEMPLATE_COLUMNS) + "\n"
ROW = "{id},Cluster {id},DE,Berlin,52.52,13.4,digital_ict,10,2023,100,Report,https://example.org/\n"


def load(name: str, existing_ids=()) -> ImportResult:
    return read_upload(name, (FIXTURES / name).read_bytes(), existing_ids)


# --------------------------------------------------------------------------- corpus

# (fixture, row, column, message fragment). row/column None = whole-file problem.
CORPUS = [
    ("empty.csv", None, None, "is empty (0 bytes)"),
    ("blank_lines_only.csv", None, None, "is empty"),
    ("header_only.csv", None, None, "has no data rows"),
    ("nul_bytes.csv", None, None, "contains binary data"),
    ("image_renamed.csv", None, None, "looks like a PNG image"),
    ("garbage.xlsx", None, None, "is not a valid Excel .xlsx workbook"),
    ("zip_not_xlsx.xlsx", None, None, "could not be opened as an Excel workbook"),
    ("old_format.xlsx", None, None, "old-style .xls or a password-protected workbook"),
    ("bad_encoding.csv", None, None, "'CSV UTF-8'"),
    ("data.txt", None, None, "unsupported type ('.txt')"),
    ("legacy.xls", None, None, "Old .xls files must be re-saved as .xlsx"),
    ("missing_columns.csv", None, None, "missing required column(s): 'lat', 'lon'"),
    ("wrong_types.csv", 2, "lat", "Row 2, column 'lat': 'north' is not a number."),
    ("wrong_types.csv", 2, "members_total", "Row 2, column 'members_total': 'lots' is not a number."),
    ("negative_counts.csv", 2, "members_total", "'-5' cannot be negative"),
    ("negative_counts.csv", 2, "employees_in_members", "'12.5' is not a whole number"),
    ("year_range.csv", 2, "members_total_year", "'1850' is not a year between 1900 and 2100"),
    ("year_range.csv", 3, "members_total_year", "'2200' is not a year between 1900 and 2100"),
    ("unknown_country.csv", 2, "country_iso2", "'US' is not a recognised European country code"),
    ("unknown_country.csv", 3, "country_iso2", "'Germany' is not a two-letter country code"),
    ("outside_europe.csv", 2, "lat", "Row 2, column 'lat': '91' is not a latitude inside Europe (27 to 72)."),
    ("outside_europe.csv", 3, "lon", "'-74.0' is not a longitude inside Europe (-32 to 46)"),
    ("duplicate_ids.csv", 4, "id", "'A' is a duplicate of the id in row 2"),
    ("duplicate_ids.csv", 5, "id", "'A' is a duplicate of the id in row 2"),
    ("blank_required.csv", 2, "name", "Row 2, column 'name': this required value is blank."),
    ("blank_required.csv", 2, "source_title", "this required value is blank"),
    ("bad_url.csv", 2, "source_url", "'javascript:alert(1)' is not a web address starting with http:// or https://"),
    ("bad_url.csv", 3, "source_url", "'ftp://example.org/x' is not a web address"),
    ("bad_sector.csv", 2, "sector", "'rocket science' is not a recognised sector. Use one of: digital_ict"),
    ("mixed.csv", 3, "lat", "'not-a-lat' is not a number"),
    ("mixed.csv", 6, "country_iso2", "'XX' is not a recognised European country code"),
]


@pytest.mark.parametrize(
    "fixture,row,column,fragment", CORPUS, ids=[f"{c[0]}-{c[1]}-{c[2]}" for c in CORPUS]
)
def test_corpus_problem(fixture, row, column, fragment):
    result = load(fixture)
    assert not result.ok
    matching = [p for p in result.problems if fragment in p.message]
    assert matching, f"{fragment!r} not in {[p.message for p in result.problems]}"
    assert any(p.row == row and p.column == column for p in matching), matching
    if row is not None:
        assert all(p.message.startswith(f"Row {p.row}, column '{p.column}': ") for p in result.problems)
        # invalid rows never reach `valid`
        assert not (result.valid["id"] == _id_at_row(fixture, row)).any() or fixture == "duplicate_ids.csv"
    else:
        assert result.valid.empty


def _id_at_row(fixture: str, row: int) -> str:
    records = list(csv.reader(io.StringIO((FIXTURES / fixture).read_text("utf-8"))))
    return records[row - 1][0]


def test_duplicate_ids_only_later_rows_reported():
    result = load("duplicate_ids.csv")
    assert [(p.row, p.column) for p in result.problems] == [(4, "id"), (5, "id")]
    assert list(result.valid["id"]) == ["A", "B"]


def test_all_fixtures_are_small_and_never_raise():
    files = [p for p in FIXTURES.iterdir() if p.suffix != ".py"]
    assert len(files) >= 25
    for path in files:
        assert path.stat().st_size < 10_000
        result = read_upload(path.name, path.read_bytes())
        assert isinstance(result, ImportResult)
        assert all(isinstance(p, Problem) and p.message for p in result.problems)
        assert list(result.valid.columns[: len(TEMPLATE_COLUMNS)]) == TEMPLATE_COLUMNS


# --------------------------------------------------------------------------- generated cases


def test_oversize_states_limit_in_mb():
    data = (HEADER + ROW.format(id="A")).encode() + b" " * MAX_BYTES
    result = read_upload("big.csv", data)
    assert len(result.problems) == 1
    msg = result.problems[0].message
    assert "too large" in msg and "maximum upload size is 2 MB" in msg


def test_too_many_rows():
    data = (HEADER + "".join(ROW.format(id=f"R{i}") for i in range(MAX_ROWS + 1))).encode()
    assert len(data) < MAX_BYTES
    result = read_upload("many.csv", data)
    assert result.problems[0].row is None
    assert "5,001 data rows; the maximum is 5,000" in result.problems[0].message
    assert result.valid.empty

    ok = read_upload("limit.csv", (HEADER + "".join(ROW.format(id=f"R{i}") for i in range(MAX_ROWS))).encode())
    assert ok.ok and ok.n_rows == MAX_ROWS == len(ok.valid)


def test_collision_with_existing_ids():
    result = load("mixed.csv", existing_ids=["OK2", "something_else"])
    clash = [p for p in result.problems if p.column == "id"]
    assert [p.row for p in clash] == [5]  # the blank line (row 4) still counts as a spreadsheet row
    assert "already used by an organisation in the built-in dataset" in clash[0].message
    assert "OK2" not in set(result.valid["id"])


def test_header_matching_is_forgiving_and_extras_noted():
    header = " ID ,NAME,Country_ISO2 ,lat,LON,Source_Title,Notes\n"
    result = read_upload("h.csv", (header + "A,Alpha,de,52.5,13.4,Report,whatever\n").encode())
    assert result.ok, result.problems
    assert result.valid.loc[0, "country_iso2"] == "DE"
    assert result.valid.loc[0, "sector"] == "other"  # blank/missing sector -> other
    assert any("'Notes'" in n for n in result.notes)


def test_duplicate_header_column():
    result = read_upload("d.csv", b"id,name,name,country_iso2,lat,lon,source_title\nA,x,y,DE,52,13,R\n")
    assert [p.column for p in result.problems] == ["name"]
    assert "appears more than once" in result.problems[0].message


# --------------------------------------------------------------------------- valid imports


def test_mixed_file_imports_valid_subset():
    result = load("mixed.csv")
    assert result.n_rows == 5
    assert list(result.valid["id"]) == ["OK1", "OK2", "OK3"]
    assert {p.row for p in result.problems} == {3, 6}
    v = result.valid
    assert (v["row_type"] == "imported_org").all() and v["imported"].all()
    assert v["source_id"].str.match(r"^import:[0-9a-f]{10}$").all()
    assert v.loc[2, "sector"] == "other"
    assert pd.isna(v.loc[2, "members_total"])
    assert v["lat"].dtype == "float64" and str(v["members_total"].dtype) == "Int64"


def test_aliases_uk_and_el():
    result = load("unknown_country.csv")
    assert dict(zip(result.valid["id"], result.valid["country_iso2"])) == {"C": "GB", "D": "GR"}
    assert "GB" in EUROPEAN_COUNTRIES and "US" not in EUROPEAN_COUNTRIES and "CN" not in EUROPEAN_COUNTRIES


def test_cp1252_fallback_is_silent():
    result = load("cp1252.csv")
    assert result.ok
    assert result.valid.loc[0, "city"] == "Zürich"
    assert result.valid.loc[0, "source_title"] == "Bericht – 2024"


def test_semicolon_and_decimal_comma():
    result = load("semicolon_decimal_comma.csv")
    assert result.ok, result.problems
    row = result.valid.iloc[0]
    assert (row["lat"], row["lon"], row["members_total"]) == (48.21, 16.37, 7)
    assert pd.isna(row["employees_in_members"])


def test_valid_xlsx_imports():
    result = load("valid.xlsx")
    assert result.ok, result.problems
    v = result.valid
    assert list(v["id"]) == ["X1", "1002"]
    assert v["id"].map(type).eq(str).all()
    assert list(v["country_iso2"]) == ["NL", "PL"]
    assert v.loc[1, "members_total"] == 3 and v.loc[1, "members_total_year"] == 2021
    assert v.loc[1, "sector"] == "other"


@pytest.mark.parametrize("maker,name", [(template_csv_bytes, "t.csv"), (template_xlsx_bytes, "t.xlsx")])
def test_template_imports_cleanly(maker, name):
    data = maker()
    if name.endswith(".csv"):
        assert data.startswith(b"\xef\xbb\xbf")
    result = read_upload(name, data)
    assert result.ok, result.problems
    assert result.n_rows == 1
    assert result.valid.loc[0, "id"] == "EXAMPLE_1"
    assert "delete this row" in result.valid.loc[0, "name"]
    assert list(result.valid.columns[: len(TEMPLATE_COLUMNS)]) == TEMPLATE_COLUMNS


def test_constants():
    assert TEMPLATE_COLUMNS[0] == "id" and len(TEMPLATE_COLUMNS) == 12
    assert set(REQUIRED_COLUMNS) <= set(TEMPLATE_COLUMNS)
    assert SECTORS[-1] == "other"


# --------------------------------------------------------------------------- safety


def test_html_names_kept_as_plain_text():
    result = load("html_names.csv")
    assert result.ok
    names = list(result.valid["name"])
    assert names == ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>"]
    assert result.valid.loc[1, "city"] == "<b>Bold</b> & co"
    assert html_escape(names[0]) == "&lt;script&gt;alert(1)&lt;/script&gt;"
    assert "<" not in html_escape(names[1]) and '"' not in html_escape('a"b')
    assert html_escape(None) == "" and html_escape(float("nan")) == "" and html_escape(3) == "3"


def test_formula_injection_accepted_as_text_but_neutralised_on_export():
    result = load("formula_injection.csv")
    assert result.ok, result.problems
    v = result.valid
    assert v.loc[0, "name"] == '=HYPERLINK("http://evil.example","click")'
    assert v.loc[1, "name"] == "@SUM(1)"
    out = safe_csv_bytes(v[TEMPLATE_COLUMNS])
    assert out.startswith(b"\xef\xbb\xbf")
    records = list(csv.reader(io.StringIO(out.decode("utf-8-sig"))))
    cells = [c for rec in records for c in rec]
    for cell in cells:
        assert not cell.startswith(TRIGGER_CHARS) or is_plain_number(cell), cell
    assert "'=HYPERLINK(\"http://evil.example\",\"click\")" in cells
    assert "'@SUM(1)" in cells and "'+cmd|' /C calc'!A0" in cells and "'-2+3" in cells
    assert "-12.5" in cells  # numeric-looking text is left alone
    assert "'=1+1" in cells


def test_round_trip_of_export():
    parts = [load(n).valid for n in ("mixed.csv", "formula_injection.csv", "html_names.csv", "cp1252.csv", "valid.xlsx")]
    original = pd.concat(parts, ignore_index=True)
    data = safe_csv_bytes(original[TEMPLATE_COLUMNS])
    again = read_upload("export.csv", data)
    assert again.ok, again.problems
    pd.testing.assert_frame_equal(again.valid, original)


def test_safe_csv_bytes_neutralises_column_names_and_keeps_numbers():
    df = pd.DataFrame({"=evil": ["-5", "+x"], "n": [-1.5, 2.0], "k": pd.array([-3, None], dtype="Int64")})
    text = safe_csv_bytes(df).decode("utf-8-sig")
    assert text.splitlines() == ["'=evil,n,k", "-5,-1.5,-3", "'+x,2.0,"]


@pytest.mark.parametrize(
    "value,expected",
    [
        ("=1+2", "'=1+2"),
        ("+44", "+44"),
        ("-12.5", "-12.5"),
        ("-", "'-"),
        ("@SUM(1)", "'@SUM(1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("-inf", "'-inf"),
        ("+1e5", "+1e5"),
        ("plain", "plain"),
        (5, 5),
        (None, None),
    ],
)
def test_neutralise_cell_examples(value, expected):
    assert neutralise_cell(value) == expected
    assert strip_neutralisation(neutralise_cell(value)) == value


def test_strip_neutralisation_only_drops_quote_before_trigger():
    assert strip_neutralisation("'=x") == "=x"
    assert strip_neutralisation("'hello") == "'hello"
    assert strip_neutralisation("'") == "'"
    assert strip_neutralisation(7) == 7


# --------------------------------------------------------------------------- properties


@settings(max_examples=100, deadline=None)
@given(data=st.binary(max_size=2000), ext=st.sampled_from([".csv", ".xlsx", ".txt", ""]))
def test_read_upload_never_raises_on_arbitrary_bytes(data, ext):
    result = read_upload("fuzz" + ext, data)
    assert isinstance(result, ImportResult)
    assert all(isinstance(p.message, str) and p.message for p in result.problems)


@settings(max_examples=100, deadline=None)
@given(
    rows=st.lists(
        st.lists(st.text(max_size=12), min_size=len(TEMPLATE_COLUMNS), max_size=len(TEMPLATE_COLUMNS)),
        max_size=5,
    )
)
def test_read_upload_never_raises_on_arbitrary_csv_text(rows):
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(TEMPLATE_COLUMNS)
    writer.writerows(rows)
    result = read_upload("fuzz.csv", buf.getvalue().encode("utf-8"))
    assert isinstance(result, ImportResult)
    assert len(result.valid) <= result.n_rows


@settings(max_examples=100, deadline=None)
@given(st.text())
def test_neutralise_cell_property(text):
    out = neutralise_cell(text)
    assert not out.startswith(TRIGGER_CHARS) or is_plain_number(out)
    if not (text[:1] == "'" and text[1:2] in TRIGGER_CHARS and text[1:2]):
        # (text that already looks neutralised is the one ambiguous case)
        assert strip_neutralisation(out) == text
