"""Issue 14, point 4: the gap file and the session overlay's validation (no UI)."""
from __future__ import annotations

import io

import pandas as pd
import pytest

from cluster_data import load, overlay


@pytest.fixture(scope="module")
def org():
    return load.load_organisations()


def _csv(rows: list[dict]) -> bytes:
    return pd.DataFrame(rows, columns=list(overlay.COLUMNS)).to_csv(index=False).encode()


def test_gap_template_lists_only_missing_standard_fields(org):
    r = org.set_index("id", drop=False).loc["DK_ODENSE_ROBOTICS"]
    t = pd.read_csv(io.BytesIO(overlay.gap_template_bytes(r)), encoding="utf-8-sig")
    assert set(t["field"]) == set(overlay.missing_fields(r))
    assert "members_total" not in set(t["field"])  # sourced, so not a gap
    assert (t["id"] == "DK_ODENSE_ROBOTICS").all() and t["value"].isna().all()


def test_filled_gap_file_round_trips(org):
    r = org.set_index("id", drop=False).loc["DK_ODENSE_ROBOTICS"]
    t = pd.read_csv(io.BytesIO(overlay.gap_template_bytes(r)), encoding="utf-8-sig", dtype=str)
    t.loc[t["field"] == "budget_eur", ["value", "year", "source_title"]] = ["1200000", "2024", "Annual report 2024"]
    res = overlay.read_overlay("gaps.csv", t.to_csv(index=False).encode(), org["id"])
    assert res.problems == []
    assert len(res.valid) == 1 and res.skipped_blank == len(t) - 1
    v = res.valid.iloc[0]
    assert (v["entity_id"], v["field"], v["value_num"], v["ref_year"], v["source_title"]) == (
        "DK_ODENSE_ROBOTICS", "budget_eur", 1_200_000.0, 2024.0, "Annual report 2024")


def test_bad_rows_get_a_message_each_and_nothing_else_is_lost(org):
    good = {"id": "DK_ODENSE_ROBOTICS", "field": "staff_headcount", "value": "25", "source_title": "Team page"}
    rows = [
        good,
        {"id": "NOT_AN_ORG", "field": "budget_eur", "value": "10", "source_title": "x"},           # row 3
        {"id": "DK_ODENSE_ROBOTICS", "field": "budget_eur", "value": "lots", "source_title": "x"},  # row 4
        {"id": "DK_ODENSE_ROBOTICS", "field": "members_sme", "value": "12", "source_title": ""},   # row 5
        {"id": "DK_ODENSE_ROBOTICS", "field": "jobs_created", "value": "=SUM(A1:A9)", "source_title": "x"},  # row 6
        {"id": "DK_ODENSE_ROBOTICS", "field": "funding_public_share_pct", "value": "140", "source_title": "x"},  # row 7
        {"id": "ES_BIOCAT", "field": "staff_headcount", "value": "40", "source_title": "@cmd|calc"},  # row 8
        {"id": "ES_BIOCAT", "field": "members_countries", "value": "9", "source_title": "Members list", "year": "2023"},
    ]
    res = overlay.read_overlay("gaps.csv", _csv(rows), org["id"])
    by_row = {p.row: p for p in res.problems}
    assert set(by_row) == {3, 4, 5, 6, 7, 8}
    assert "not an organisation in the atlas" in by_row[3].message
    assert "'lots' is not a number" in by_row[4].message
    assert by_row[5].column == "source_title" and "blank" in by_row[5].message
    assert "formula" in by_row[6].message and by_row[6].column == "value"
    assert "between 0 and 100" in by_row[7].message
    assert "formula" in by_row[8].message and by_row[8].column == "source_title"
    assert all(p.message.startswith(f"Row {p.row},") for p in res.problems)
    assert sorted(res.valid["entity_id"] + "/" + res.valid["field"]) == [
        "DK_ODENSE_ROBOTICS/staff_headcount", "ES_BIOCAT/members_countries"]


def test_whole_file_problems_never_raise(org):
    assert overlay.read_overlay("x.pdf", b"%PDF", org["id"]).problems[0].row is None
    res = overlay.read_overlay("x.csv", b"id,value\nA,1\n", org["id"])
    assert "lacks column" in res.problems[0].message and res.valid.empty


def test_merge_replaces_same_field_and_fingerprint_changes(org):
    a = overlay.read_overlay("a.csv", _csv([{"id": "ES_BIOCAT", "field": "budget_eur", "value": "1", "source_title": "a"}]), org["id"]).valid
    b = overlay.read_overlay("b.csv", _csv([{"id": "ES_BIOCAT", "field": "budget_eur", "value": "2", "source_title": "b"}]), org["id"]).valid
    m = overlay.merge_overlay(a, b)
    assert len(m) == 1 and m["value_num"].iloc[0] == 2
    assert overlay.fingerprint(a) != overlay.fingerprint(b) and overlay.fingerprint(None) == "-"
