"""/data page: methods, coverage tables, sources, downloads (exports) and session-only import."""
from __future__ import annotations

import csv
import io
import json
import zipfile

import pandas as pd
import pytest

from cluster_data import coverage, exports, imports, load, methods, metrics, regional
from cluster_data.safety import TRIGGER_CHARS, is_plain_number
from tests.conftest import all_text, app_test, no_errors

PAGE = "pages/6_data.py"
IMPORT_KEY = "imported_orgs"  # components.data.IMPORT_KEY (checked below)


@pytest.fixture(scope="module")
def shipped():
    return {n: load.read_table(n) for n in exports.DATASETS}


@pytest.fixture(scope="module")
def org():
    return load.load_organisations()


def _upload_csv(rows: list[dict]) -> bytes:
    return pd.DataFrame(rows, columns=imports.TEMPLATE_COLUMNS).to_csv(index=False).encode("utf-8")


GOOD_ROWS = [
    {"id": "MY_CLUSTER_A", "name": "My Cluster A", "country_iso2": "DE", "city": "Kassel", "lat": 51.3, "lon": 9.5,
     "sector": "digital_ict", "members_total": 55, "members_total_year": 2024, "employees_in_members": 900,
     "source_title": "Annual report 2024", "source_url": "https://example.org/a"},
    {"id": "MY_CLUSTER_B", "name": "=HYPERLINK(\"http://x\")", "country_iso2": "FR", "city": "Lyon", "lat": 45.76,
     "lon": 4.83, "sector": "", "members_total": "", "members_total_year": "", "employees_in_members": "",
     "source_title": "+ my notes", "source_url": ""},
]


def _valid_import(org) -> pd.DataFrame:
    res = imports.read_upload("mine.csv", _upload_csv(GOOD_ROWS), existing_ids=set(org["id"]))
    assert res.ok, res.problems
    return res.valid


# ----------------------------------------------------------------- methods
def test_methods_define_every_required_method():
    required = {"location-quotient", "percentile-rank", "internationalisation-index", "peer-similarity",
                "jobs-outlook", "self-funding-ratio", "break-even-membership"}
    assert required <= set(methods.METHOD_KEYS)
    assert len(set(methods.METHOD_KEYS)) == len(methods.METHOD_KEYS)
    for m in methods.METHODS:
        assert m["key"].replace("-", "").isalnum() and m["key"] == m["key"].lower()
        assert m["title"] and m["summary"]
        assert methods.anchor(m["key"]) == "#" + m["key"]
    assert methods.method("percentile-rank")["summary"] == metrics.PERCENTILE_CONVENTION
    lq_text = " ".join(methods.method("location-quotient")["points"])
    for d in regional.DERIVED_INDICATORS.values():
        assert d["description"] in lq_text  # denominators stated exactly as the code computes them
    intl = " ".join(methods.method("internationalisation-index")["points"])
    assert "renormalised" in intl and "at least 2 components" in intl
    assert "fewer than 3 peers" in " ".join(methods.method("jobs-outlook")["points"])


def test_gva_formula_text_matches_code():
    ri = load.load_regional_indicators()
    prof = regional.gva_profile(ri)
    assert prof["ok"]
    assert prof["formula"] == methods.GVA_LQ_FORMULA


# ----------------------------------------------------------------- coverage
def test_coverage_by_country_equals_direct_counts(org):
    table = coverage.coverage_by(org, "country")
    rows = org[org["row_type"] == "cluster_org"]
    assert table[coverage.TOTAL_COL].sum() == len(rows)
    for country, grp in rows.groupby("country"):
        assert table.loc[country, coverage.TOTAL_COL] == len(grp)
        for f in coverage.fields_in(org):
            assert table.loc[country, f] == grp[f].notna().sum(), (country, f)
    # every listed field is a real column, missing values are never counted
    assert list(table.columns) == [coverage.TOTAL_COL] + coverage.fields_in(org)
    assert (table.drop(columns=coverage.TOTAL_COL).le(table[coverage.TOTAL_COL], axis=0)).all().all()


def test_coverage_by_sector_row_types_and_summary(org):
    all_rows = coverage.coverage_by(org, "sector", row_types=None)
    assert all_rows[coverage.TOTAL_COL].sum() == len(org)
    assert all_rows.loc["digital_ict", "members_total"] == org.loc[org["sector"] == "digital_ict", "members_total"].notna().sum()
    tb = coverage.coverage_by(org, "sector", row_types=["testbed"])
    assert tb[coverage.TOTAL_COL].sum() == (org["row_type"] == "testbed").sum()
    summ = coverage.coverage_summary(org).set_index("field")
    co = org[org["row_type"] == "cluster_org"]
    for f in coverage.fields_in(org):
        assert summ.loc[f, "with_value"] == co[f].notna().sum()
        assert summ.loc[f, "organisations"] == len(co)
    with pytest.raises(ValueError):
        coverage.coverage_by(org, "planet")


def test_coverage_treats_blank_text_and_nan_as_missing():
    df = pd.DataFrame({"row_type": ["cluster_org"] * 3, "country": ["DE", "DE", None], "sector": ["x", "x", "y"],
                       "members_total": [10.0, None, 0.0], "esca_label": ["gold", "  ", None]})
    t = coverage.coverage_by(df, "country")
    assert t.loc["DE", "members_total"] == 1 and t.loc["unknown", "members_total"] == 1  # 0 is a real value
    assert t.loc["DE", "esca_label"] == 1 and t.loc["unknown", "esca_label"] == 0
    long = coverage.coverage_long(t)
    assert set(long.columns) == {"group", "field", "count", "organisations", "share_pct"}


# ----------------------------------------------------------------- exports
def _csv_cells(raw: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))


def test_zip_has_every_dataset_readme_bom_and_safe_cells(shipped, org):
    imp = _valid_import(org)
    before = {n: df.copy() for n, df in shipped.items()}
    tables = exports.export_tables(shipped, imp)
    blob = exports.zip_bytes(tables, exports.readme_text(tables, load.read_manifest(), len(imp)))
    zf = zipfile.ZipFile(io.BytesIO(blob))
    names = set(zf.namelist())
    assert names == set(exports.DATASETS) | {exports.IMPORTED_FILE, "README.txt"}
    readme = zf.read("README.txt").decode("utf-8")
    for needle in ("© EuroGeographics for the administrative boundaries", "Source: Eurostat", "Open Government Licence v3.0",
                   "GLA", "Natural Earth", "NUTS 2016", "imported = True"):
        assert needle in readme
    for name in names - {"README.txt"}:
        raw = zf.read(name)
        assert raw.startswith(b"\xef\xbb\xbf"), name
        df = pd.read_csv(io.BytesIO(raw), encoding="utf-8-sig", low_memory=False)
        assert len(df) == len(tables[name]), name
        for row in _csv_cells(raw):
            for cell in row:
                assert not (cell.startswith(TRIGGER_CHARS) and not is_plain_number(cell)), (name, cell)
    # shipped tables untouched
    for n, df in shipped.items():
        pd.testing.assert_frame_equal(df, before[n])


def test_export_marks_imported_rows_with_their_source(shipped, org):
    imp = _valid_import(org)
    t = exports.export_tables(shipped, imp)
    o = t["organisations.csv"]
    assert len(o) == len(org) + len(imp)
    assert o["imported"].sum() == len(imp) and not o.loc[~o["imported"], "id"].isin(imp["id"]).any()
    a = o[o["id"] == "MY_CLUSTER_A"].iloc[0]
    assert a["import_source_title"] == "Annual report 2024" and a["members_total"] == 55 and a["country"] == "DE"
    f = t["facts.csv"]
    fa = f[f["entity_id"] == "MY_CLUSTER_A"].set_index("field")
    assert fa.loc["members_total", "value_num"] == 55 and fa.loc["members_total", "ref_year"] == 2024
    assert bool(fa.loc["members_total", "imported"])
    assert f[f["entity_id"] == "MY_CLUSTER_B"].empty  # no values given -> no facts invented
    s = t["sources.csv"]
    assert set(s.loc[s["imported"], "source_id"]) == set(imp["source_id"])
    assert len(s) == len(shipped["sources.csv"]) + imp["source_id"].nunique()
    # no imports: plain copies with imported == False
    t0 = exports.export_tables(shipped, None)
    assert exports.IMPORTED_FILE not in t0 and not t0["organisations.csv"]["imported"].any()
    assert len(t0["sources.csv"]) == len(shipped["sources.csv"])


def test_exported_organisations_reimport_cleanly(shipped, org):
    imp = _valid_import(org)
    t = exports.export_tables(shipped, imp)
    raw = exports.csv_bytes(t["organisations.csv"])
    back = pd.read_csv(io.BytesIO(raw), encoding="utf-8-sig", dtype=str, keep_default_na=False)
    mine = back[back["imported"] == "True"].rename(columns={"country": "country_iso2", "import_source_title": "source_title",
                                                            "import_source_url": "source_url"})
    # formula-like text was neutralised in the file
    assert mine.loc[mine["id"] == "MY_CLUSTER_B", "name"].iloc[0].startswith("'=")
    for payload in (exports.csv_bytes(mine[imports.TEMPLATE_COLUMNS]), exports.csv_bytes(t[exports.IMPORTED_FILE])):
        res = imports.read_upload("again.csv", payload, existing_ids=set(org["id"]))
        assert res.ok, res.problems
        pd.testing.assert_frame_equal(res.valid[imports.TEMPLATE_COLUMNS].reset_index(drop=True),
                                      imp[imports.TEMPLATE_COLUMNS].reset_index(drop=True))


# ----------------------------------------------------------------- import handling (fake session state)
def test_handle_upload_adds_once_skips_duplicates_and_clears(org):
    from components import data, datapage

    assert data.IMPORT_KEY == IMPORT_KEY
    state: dict = {}
    good = _upload_csv(GOOD_ROWS)
    s1 = datapage.handle_upload("mine.csv", good, state, org["id"], file_id="f1")
    assert s1["added"] == ["MY_CLUSTER_A", "MY_CLUSTER_B"] and not s1["problems"]
    assert list(state[IMPORT_KEY]["id"]) == ["MY_CLUSTER_A", "MY_CLUSTER_B"]
    # the same upload on a rerun is not processed again
    s1b = datapage.handle_upload("mine.csv", good, state, org["id"], file_id="f1")
    assert s1b is s1 and len(state[IMPORT_KEY]) == 2
    # a new upload of overlapping rows: known ids are skipped, new ones appended
    more = _upload_csv([GOOD_ROWS[0], {**GOOD_ROWS[0], "id": "MY_CLUSTER_C", "name": "C"}])
    s2 = datapage.handle_upload("more.csv", more, state, org["id"], file_id="f2")
    assert s2["skipped"] == ["MY_CLUSTER_A"] and s2["added"] == ["MY_CLUSTER_C"]
    assert list(state[IMPORT_KEY]["id"]) == ["MY_CLUSTER_A", "MY_CLUSTER_B", "MY_CLUSTER_C"]
    datapage.clear_imports(state)
    assert IMPORT_KEY not in state and state[datapage.NONCE_KEY] == 1


def test_handle_upload_reports_problems_by_row_and_column(org):
    from components import datapage

    shipped_id = str(org["id"].iloc[0])
    bad = _upload_csv([
        GOOD_ROWS[0],
        {**GOOD_ROWS[0], "id": "BAD_LAT", "lat": 91},
        {**GOOD_ROWS[0], "id": shipped_id},
        {**GOOD_ROWS[0], "id": "NO_SOURCE", "source_title": ""},
    ])
    state: dict = {}
    s = datapage.handle_upload("bad.csv", bad, state, org["id"], file_id="x")
    assert s["added"] == ["MY_CLUSTER_A"]
    table = datapage.problems_table(s["problems"])
    by = {(r.Row, r.Column): r.Problem for r in table.itertuples()}
    assert "not a latitude inside Europe" in by[("3", "lat")]
    assert "already used by an organisation in the built-in dataset" in by[("4", "id")]
    assert "required value is blank" in by[("5", "source_title")]
    # a file that is not a spreadsheet: one whole-file problem, nothing imported
    s2 = datapage.handle_upload("pic.csv", b"\x89PNG\r\n\x1a\n\x00\x00", state, org["id"], file_id="y")
    assert s2["added"] == [] and s2["problems"][0][0] is None
    assert datapage.problems_table(s2["problems"]).iloc[0]["Row"] == "whole file"
    assert list(state[IMPORT_KEY]["id"]) == ["MY_CLUSTER_A"]


def test_data_organisations_include_session_imports(org):
    from streamlit.testing.v1 import AppTest

    def script():
        import json

        import streamlit as st
        from components import data
        o = data.organisations()
        st.text(json.dumps({"n": len(o), "imported": o.loc[o["imported"], "id"].tolist()}))

    at = AppTest.from_function(script, default_timeout=60)
    at.run()
    out = json.loads(at.text[0].value)
    assert out == {"n": len(org), "imported": []}
    at.session_state[IMPORT_KEY] = _valid_import(org)
    at.run()
    out = json.loads(at.text[0].value)
    assert out == {"n": len(org) + 2, "imported": ["MY_CLUSTER_A", "MY_CLUSTER_B"]}


# ----------------------------------------------------------------- the page (AppTest)
def _df_with(at, column: str) -> pd.DataFrame:
    for d in at.dataframe:
        v = d.value
        if column in v.columns or column == v.index.name:
            return v
    raise AssertionError(f"no dataframe with column {column!r}")


def test_methods_tab_lists_every_method():
    at = app_test(PAGE, {"tab": "methods"})
    no_errors(at)
    heads = [h.value for h in at.subheader]
    for m in methods.METHODS:
        assert m["title"] in heads
    assert len(at.get("latex")) >= sum(len(m["formulas"]) for m in methods.METHODS)
    assert metrics.PERCENTILE_CONVENTION in all_text(at)


def test_invalid_tab_shows_notice_and_methods():
    at = app_test(PAGE, {"tab": "<script>"})
    no_errors(at)
    assert any("Ignored unknown tab" in i.value for i in at.info)
    assert methods.METHODS[0]["title"] in [h.value for h in at.subheader]


@pytest.mark.parametrize("by,col", [("country", "Country"), ("sector", "Sector")])
def test_coverage_tab_counts_equal_organisations_csv(org, by, col):
    at = app_test(PAGE, {"tab": "coverage", "by": by})
    no_errors(at)
    tables = [d.value for d in at.dataframe if d.value.index.name == col or col in d.value.columns]
    t = tables[0]
    if col in t.columns:
        t = t.set_index(col)
    rows = org[org["row_type"] == "cluster_org"]
    from cluster_data.schema import SECTORS
    label_of = (lambda g: SECTORS.get(g, g)) if by == "sector" else (lambda g: g)
    for g, grp in rows.groupby(by):
        assert t.loc[label_of(g), "Organisations"] == len(grp)
        assert t.loc[label_of(g), coverage.field_label("members_total")] == grp["members_total"].notna().sum()
        assert t.loc[label_of(g), coverage.field_label("founded_year")] == grp["founded_year"].notna().sum()
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    hm = spec["data"][0]
    assert hm["type"] == "heatmap"
    direct = coverage.coverage_by(org, by)
    assert [list(map(int, r)) for r in hm["text"]] == direct.drop(columns=coverage.TOTAL_COL).to_numpy().tolist()


def test_coverage_row_type_filter_from_url(org):
    at = app_test(PAGE, {"tab": "coverage", "types": "testbed,programme,nonsense"})
    no_errors(at)
    assert any("row type" in i.value for i in at.info)
    t = [d.value for d in at.dataframe if d.value.index.name == "Country"][0]
    assert t["Organisations"].sum() == org["row_type"].isin(["testbed", "programme"]).sum()


def test_sources_tab_lists_every_source_and_search_filters():
    src = load.load_sources()
    at = app_test(PAGE, {"tab": "sources"})
    no_errors(at)
    table = _df_with(at, "source_id")
    assert len(table) == len(src)
    text = all_text(at)
    for needle in ("NUTS 2016", "nuts2_2016_method", "EuroGeographics", "Source: Eurostat", "OGL v3", "Natural Earth",
                   "Data vintage"):
        assert needle in text, needle
    at2 = app_test(PAGE, {"tab": "sources", "q": "GeoNames"})
    t2 = _df_with(at2, "source_id")
    assert 0 < len(t2) < len(src) and t2["title"].str.contains("GeoNames").all()


def test_downloads_tab_has_a_button_per_dataset_and_zip():
    at = app_test(PAGE, {"tab": "downloads"})
    no_errors(at)
    labels = [b.proto.label for b in at.get("download_button")]
    for name in exports.DATASETS:
        assert name in labels
    assert "All datasets (ZIP with README)" in labels


def test_import_tab_upload_invalid_then_valid_then_clear(org):
    at = app_test(PAGE, {"tab": "import"})
    no_errors(at)
    up = at.file_uploader[0]
    assert up.label == "Upload your cluster organisations (CSV or XLSX)"
    assert set(up.allowed_type) >= {".csv", ".xlsx"}
    # invalid file: problems table with the specific messages, page keeps working
    bad = _upload_csv([{**GOOD_ROWS[0], "lat": 95}])
    up.set_value(("bad.csv", bad, "text/csv"))
    at.run()
    no_errors(at)
    probs = _df_with(at, "Problem")
    assert "Row 2, column 'lat': '95' is not a latitude inside Europe" in probs["Problem"].iloc[0]
    assert IMPORT_KEY not in at.session_state
    # valid file
    at.file_uploader[0].set_value(("mine.csv", _upload_csv(GOOD_ROWS), "text/csv"))
    at.run()
    no_errors(at)
    assert list(at.session_state[IMPORT_KEY]["id"]) == ["MY_CLUSTER_A", "MY_CLUSTER_B"]
    assert "2 imported" in all_text(at)
    at.run()  # rerun with the same file still in the uploader: not imported twice
    assert len(at.session_state[IMPORT_KEY]) == 2
    shown = _df_with(at, "source_title")
    assert list(shown["id"]) == ["MY_CLUSTER_A", "MY_CLUSTER_B"]
    # clear
    at.button(key="clear_imports").click()
    at.run()
    no_errors(at)
    assert IMPORT_KEY not in at.session_state
    assert "2 imported" not in all_text(at)


def test_page_shows_imports_from_session_state_and_downloads_include_them(org):
    at = app_test(PAGE, {"tab": "downloads"}, run=False)
    at.session_state[IMPORT_KEY] = _valid_import(org)
    at.run()
    no_errors(at)
    assert "2 imported" in all_text(at)
    labels = [b.proto.label for b in at.get("download_button")]
    assert exports.IMPORTED_FILE in labels


def test_coverage_with_imported_rows_then_cleared(org):
    at = app_test(PAGE, {"tab": "coverage", "types": "cluster_org,imported_org"}, run=False)
    at.session_state[IMPORT_KEY] = _valid_import(org)
    at.run()
    no_errors(at)
    t = [d.value for d in at.dataframe if d.value.index.name == "Country"][0]
    assert t["Organisations"].sum() == (org["row_type"] == "cluster_org").sum() + 2
    del at.session_state[IMPORT_KEY]
    at.run()
    no_errors(at)
    t = [d.value for d in at.dataframe if d.value.index.name == "Country"][0]
    assert t["Organisations"].sum() == (org["row_type"] == "cluster_org").sum()


def test_present_mode_renders_every_tab():
    for tab in TABS_FOR_PRESENT:
        at = app_test(PAGE, {"tab": tab, "present": "1"})
        no_errors(at)
        assert not at.warning or all("Something went wrong" not in w.value for w in at.warning)


TABS_FOR_PRESENT = ["methods", "coverage", "sources", "downloads", "import"]


def test_sources_tab_lists_imported_sources_marked(org):
    src = load.load_sources()
    imp = _valid_import(org)
    at = app_test(PAGE, {"tab": "sources"}, run=False)
    at.session_state[IMPORT_KEY] = imp
    at.run()
    no_errors(at)
    table = _df_with(at, "source_id")
    assert len(table) == len(src) + imp["source_id"].nunique()
    mine = table[table["imported"] == True]  # noqa: E712
    assert set(mine["title"]) == {"Annual report 2024", "+ my notes"}
