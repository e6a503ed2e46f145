"""The benchmark's 10× data set: synthetic, valid against the shipped schema, and never written to the repo."""
from __future__ import annotations

import hashlib

from bench.scale import budget_rows, make_scaled_dataset, markdown
from cluster_data import load, paths


def _digest(folder):
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.glob("*.csv"))}


def test_scaled_dataset_is_valid_and_tenfold(tmp_path, monkeypatch):
    shipped = paths.DEFAULT_DATA_DIR
    before = _digest(shipped)
    shipped_orgs = load.load_organisations()
    n_shipped = int((shipped_orgs["row_type"] == "cluster_org").sum())
    n = make_scaled_dataset(shipped, tmp_path / "derived", 10)
    assert n == 10 * n_shipped
    monkeypatch.setenv("CLUSTER_ATLAS_DATA_DIR", str(tmp_path / "derived"))
    orgs = load.load_organisations()  # validated by the same pandera schema as the shipped table
    facts = load.load_facts()
    assert int((orgs["row_type"] == "cluster_org").sum()) == n
    assert orgs["id"].is_unique and facts["fact_id"].is_unique
    copies = orgs[~orgs["id"].isin(shipped_orgs["id"])]
    assert len(copies) == n - n_shipped
    assert copies["name"].str.contains("synthetic copy").all()
    assert set(facts["entity_id"]) <= set(orgs["id"])
    assert _digest(shipped) == before  # nothing written to the shipped data


def test_scale_budget_reads_the_atlas_view_at_ten_times():
    res = {"scale": {"factor": 10, "method": "m", "levels": [
        {"scale": "1×", "organisations": 10, "views": [{"page": "atlas", "view": "/atlas", "bytes": 500_000,
                                                         "median_ms": 30.0, "errors": []}]},
        {"scale": "10×", "organisations": 100, "views": [{"page": "atlas", "view": "/atlas", "bytes": 1_200_000,
                                                           "median_ms": 90.0, "errors": []}]}]}}
    (row,) = budget_rows(res)
    assert row["pass"] is False and "1200.0 kB" in row["measured"]
    assert any("2.4× / 3.0×" in line for line in markdown(res))


def test_atlas_lists_at_most_list_max_rows_and_says_where_the_rest_are(tmp_path, monkeypatch):
    """At 2× the organisations (more than atlas.LIST_MAX match) the table twin and the profile picker show the
    first LIST_MAX and say so; the map still draws every placed organisation."""
    from cluster_data import atlas
    from tests.conftest import all_text, app_test, deck_points, no_errors

    make_scaled_dataset(paths.DEFAULT_DATA_DIR, tmp_path / "derived", 2)
    monkeypatch.setenv("CLUSTER_ATLAS_DATA_DIR", str(tmp_path / "derived"))
    orgs = load.load_organisations()
    clusters = orgs[orgs["row_type"] == "cluster_org"]
    assert len(clusters) > atlas.LIST_MAX
    at = app_test("pages/1_atlas.py", {"ind": "none"})
    no_errors(at)
    assert len(deck_points(at)) == int(clusters[["lat", "lon"]].notna().all(axis=1).sum())
    table = at.dataframe[-1].value
    assert len(table) == atlas.LIST_MAX
    assert len(at.selectbox(key="atlas_org").options) == atlas.LIST_MAX + 1  # + "choose an organisation"
    text = all_text(at)
    assert f"Showing the first 300 of {len(clusters):,}" in text and "the CSV download holds all" in text
