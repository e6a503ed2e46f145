"""Issue 14, point 1: the build reads clusters_more/ by pattern and names what it cannot use."""
from __future__ import annotations

import json
import math

import pandas as pd
import pytest

from cluster_data import build, load, paths
from cluster_data.schema import NUMERIC_FIELDS

RAW = paths.DEFAULT_RAW_DIR
needs_raw = pytest.mark.skipif(not (RAW / "PROVENANCE.md").exists(), reason="../shared/data not beside the repo")


def test_259_cluster_organisations_in_34_countries():
    org = load.load_organisations()
    co = org[org["row_type"] == "cluster_org"]
    assert len(co) >= 259
    assert co["country"].nunique() >= 34


def test_every_headline_value_has_its_fact_source_and_quote():
    org = load.load_organisations().set_index("id")
    facts = load.load_facts()
    src = load.load_sources().set_index("source_id")
    head = facts[facts["is_headline"]].set_index(["entity_id", "field"])
    walked = 0
    for field in [f for f in NUMERIC_FIELDS if f in org.columns] + ["esca_label"]:
        for oid, v in org[field].dropna().items():
            f = head.loc[(oid, field)]
            if field == "esca_label":
                assert str(f["value"]).lower() == v
            else:
                assert math.isclose(float(f["value_num"]), float(v)), (oid, field)
            s = src.loc[f["source_id"]]
            assert isinstance(s["url"], str) and s["url"].startswith("http") or isinstance(s["title"], str), (oid, field)
            assert isinstance(f["quote"], str) and f["quote"].strip(), (oid, field)
            walked += 1
    assert walked > 700


def test_no_seat_no_coordinates():
    org = load.load_organisations()
    no_seat = org[org["city_basis"].isna() & (org["origin_file"] == "clusters_more/europe_wide.csv")]
    assert len(no_seat) == 38
    assert no_seat["lat"].isna().all() and no_seat["lon"].isna().all()


def test_manifest_names_every_unusable_row():
    rep = json.loads((paths.DEFAULT_DATA_DIR / "manifest.json").read_text())["build_report"]
    assert rep["unusable_rows_count"] == len(rep["unusable_rows"]) > 0
    assert all(r["file"] and r["row"] and r["problem"] for r in rep["unusable_rows"])
    assert "clusters_more/enrichment2_sources.csv" in rep["files_read"]


def _raw_copy(tmp_path):
    """A raw folder of symlinks to ../shared/data with its own clusters_more/ to add files to."""
    raw = tmp_path / "raw"
    raw.mkdir()
    for p in RAW.iterdir():
        if p.name != "clusters_more":
            (raw / p.name).symlink_to(p)
    more = raw / "clusters_more"
    more.mkdir()
    for p in (RAW / "clusters_more").iterdir():
        (more / p.name).symlink_to(p)
    return raw, more


@needs_raw
def test_new_table_pair_and_enrichment_arrive_without_code_change(tmp_path, capsys):
    raw, more = _raw_copy(tmp_path)
    cols = pd.read_csv(RAW / "clusters_more/europe_wide.csv", nrows=0).columns
    row = {c: "" for c in cols}
    row.update(cluster_id="XX_TEST_CLUSTER", name="Test Cluster", row_type="cluster_org", country_iso2="FI",
               city="", city_basis="", sector="digital_ict", members_total="42")
    pd.DataFrame([row], columns=cols).to_csv(more / "zz_extra.csv", index=False)
    ev = pd.DataFrame([
        {"cluster_id": "XX_TEST_CLUSTER", "field": "members_total", "value": "42", "source_url": "https://example.org/a",
         "source_title": "Test page", "source_date": "2025-01-01", "quote": "The cluster has 42 members."},
    ])
    ev.to_csv(more / "zz_extra_sources.csv", index=False)
    enr = pd.DataFrame([
        {"cluster_id": "XX_TEST_CLUSTER", "field": "widgets_made", "value": "7", "source_url": "https://example.org/b",
         "source_title": "Widgets", "source_date": "2025", "quote": "Seven widgets."},
        {"cluster_id": "DK_ODENSE_ROBOTICS", "field": "staff_headcount", "value": "31", "source_url": "https://example.org/c",
         "source_title": "Staff page", "source_date": "2025", "quote": "31 people work here."},
        {"cluster_id": "NO_SUCH_ORG", "field": "budget_eur", "value": "1000", "source_url": "https://example.org/d",
         "source_title": "Ghost", "source_date": "2025", "quote": "A budget of 1000."},
    ])
    enr.to_csv(more / "enrichment9_sources.csv", index=False)
    out = tmp_path / "out"
    build.main(["--raw", str(raw), "--out", str(out)])
    log = capsys.readouterr().err
    org = pd.read_csv(out / "organisations.csv", dtype={"id": str}).set_index("id")
    facts = pd.read_csv(out / "facts.csv", dtype={"entity_id": str, "value": str})
    assert org.loc["XX_TEST_CLUSTER", "members_total"] == 42
    assert pd.isna(org.loc["XX_TEST_CLUSTER", "lat"])  # no seat, no coordinates
    assert org.loc["DK_ODENSE_ROBOTICS", "staff_headcount"] == 31
    kept = facts[(facts["entity_id"] == "XX_TEST_CLUSTER") & (facts["field"] == "widgets_made")]
    assert len(kept) == 1 and kept["value"].iloc[0] == "7"  # an unknown field is kept, not dropped
    rep = json.loads((out / "manifest.json").read_text())["build_report"]
    ghost = [r for r in rep["unusable_rows"] if r["cluster_id"] == "NO_SUCH_ORG"]
    assert ghost == [{"file": "clusters_more/enrichment9_sources.csv", "row": 4, "cluster_id": "NO_SUCH_ORG",
                      "field": "budget_eur", "problem": "cluster_id is in no cluster table"}]
    assert rep["unknown_fields_kept"].get("widgets_made") == 1
    assert "enrichment9_sources.csv row 4 (NO_SUCH_ORG / budget_eur)" in log
    assert "clusters_more/zz_extra_sources.csv" in rep["files_read"]


@needs_raw
def test_duplicates_and_stray_files_are_reported(tmp_path):
    raw, more = _raw_copy(tmp_path)
    e = pd.read_csv(RAW / "clusters_more/enrichment2_sources.csv", dtype=str).head(2)
    pd.concat([e, e.head(1)]).to_csv(more / "enrichment8_sources.csv", index=False)
    (more / "lonely.csv").write_text("cluster_id,name\nX,Y\n")
    rep = build.BuildReport()
    geo = build.load_geo(raw)
    build.build_clusters(raw, geo, rep)
    d = rep.as_dict()
    assert {"file": "clusters_more/lonely.csv", "problem": "a table with no matching <name>_sources.csv evidence file"} in d["unusable_files"]
    dups = [r for r in d["unusable_rows"] if r["file"] == "clusters_more/enrichment8_sources.csv"]
    # the copy repeats rows already in enrichment2 (two) and itself (one): all three reported
    assert len(dups) == 3 and all(r["problem"].startswith("duplicate evidence row") for r in dups)
