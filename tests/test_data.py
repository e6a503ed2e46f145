"""Unit tests of the derived data and its loaders (no UI)."""
from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

from cluster_data import build, load, paths, provenance, regional
from cluster_data.schema import FOCUS_REGIONS, NUMERIC_FIELDS

DERIVED = paths.DEFAULT_DATA_DIR


@pytest.fixture(scope="module")
def org():
    return load.load_organisations()


@pytest.fixture(scope="module")
def facts():
    return load.load_facts()


@pytest.fixture(scope="module")
def sources():
    return load.load_sources()


def test_every_table_loads_and_validates():
    for name in ("organisations.csv", "facts.csv", "sources.csv", "regions.csv", "regional_indicators.csv", "case_studies.csv"):
        assert len(load.read_table(name)) > 0


def test_ids_unique_and_row_types_kept(org):
    assert org["id"].is_unique
    assert {"cluster_org", "seed_aggregate", "prospective", "programme"} <= set(org["row_type"])
    assert (org["row_type"] == "cluster_org").sum() >= 100


def test_every_numeric_fact_has_a_source_url_and_quote(facts, sources):
    num = facts[facts["field"].isin(NUMERIC_FIELDS) & facts["value_num"].notna()]
    assert len(num) > 300
    s = sources.set_index("source_id")
    assert num["source_id"].isin(s.index).all()
    urls = s.loc[num["source_id"], "url"]
    assert urls.notna().all() and urls.str.startswith("http").all()
    assert num["quote"].notna().all() and (num["quote"].str.len() > 10).all()


def test_headline_values_come_from_the_long_facts(org, facts):
    head = facts[facts["is_headline"] & (facts["field"] == "members_total")].set_index("entity_id")["value_num"]
    m = org.set_index("id")["members_total"].dropna()
    assert len(m) > 50
    assert (head.loc[m.index] == m).all()


def test_lower_bounds_are_flagged_from_the_quote(facts):
    f = facts[(facts["entity_id"] == "DK_ODENSE_ROBOTICS") & (facts["field"] == "members_total") & (facts["value_num"] == 130)]
    assert f["lower_bound"].all()


def test_coordinates_inside_europe(org):
    c = org.dropna(subset=["lat", "lon"])
    assert c["lat"].between(27, 72).all() and c["lon"].between(-32, 46).all()


def test_missing_values_stay_missing(org):
    # no zero-filling: unknown members are NaN, never 0
    assert org["members_total"].isna().sum() > 20
    assert not (org["members_total"] == 0).any()


def test_every_nuts_code_exists_in_the_boundaries(org):
    geo = load.read_geojson("nuts2_2016.geojson")
    codes = {f["properties"]["NUTS_ID"] for f in geo["features"]}
    used = set(org["nuts2_2016"].dropna())
    assert used and used <= codes
    n3 = {f["properties"]["NUTS_ID"] for f in load.read_geojson("nuts3_2016_uk_dk_es.geojson")["features"]}
    assert "UKI51" in n3 and "DK031" in n3 and "ES523" in n3


def test_focus_regions_present_and_flagged():
    reg = load.load_regions().set_index("code")
    for code in FOCUS_REGIONS:
        assert code in reg.index, code
        assert reg.loc[code, "focus"]
    assert reg.loc["UKI51", "itl_code"] == "TLI51"


def test_greenwich_joins_on_codes(org):
    g = org.set_index("id").loc["UK_GREENWICH_DIGITAL_CLUSTER"]
    assert g["nuts2_2016"] == "UKI5" and g["nuts3_2016"] == "UKI51"


def test_regional_indicators_cover_focus_regions():
    ri = load.load_regional_indicators()
    for code in ("UKI5", "DK03", "ES52", "UKJ1"):
        v, y = regional.latest_value(ri, code, "htec_kis_share")
        assert v is not None and 2015 <= y <= 2019
    v, y = regional.latest_value(ri, "EU28", "kis_share")
    assert v is not None


def test_gva_profile_for_greenwich():
    ri = load.load_regional_indicators()
    g = regional.gva_profile(ri, "TLI51")
    assert g["ok"] and g["year"] == 2022
    t = g["table"].set_index("area")
    row = t.iloc[0]
    raw_j = ri[(ri.region == "TLI51") & (ri.indicator == "gva_j_gbp_m") & (ri.year == 2022)]["value"].iloc[0]
    assert row["gva_j_gbp_m"] == raw_j
    assert g["lq_vs_uk"] == pytest.approx((row["share_pct"]) / t.iloc[2]["share_pct"])


def test_provenance_answers_for_any_entity_field(facts, sources):
    ev = provenance.evidence(facts, sources, "DK_ODENSE_ROBOTICS", "employees_in_members")
    assert len(ev) >= 2  # alternatives kept visible, never averaged
    assert ev[0]["is_headline"] and ev[0]["url"].startswith("http") and ev[0]["quote"]
    assert provenance.evidence(facts, sources, "DK_ODENSE_ROBOTICS", "no_such_field") == []
    assert provenance.format_value(None) == "not sourced"


def test_geometry_is_small_and_rounded():
    total = 0
    for p in (DERIVED / "geo").glob("*.geojson"):
        total += p.stat().st_size
        assert p.stat().st_size < 400_000, p.name
    assert total < 700_000


def test_manifest_hashes_match_files():
    m = json.loads((DERIVED / "manifest.json").read_text())
    for rel, digest in m["files"].items():
        assert hashlib.sha256((DERIVED / rel).read_bytes()).hexdigest() == digest, rel


@pytest.mark.skipif(not (paths.DEFAULT_RAW_DIR / "PROVENANCE.md").exists(), reason="../shared/data not beside the repo")
def test_build_is_deterministic_and_committed_output_is_current(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    build.build(paths.DEFAULT_RAW_DIR, a)
    build.build(paths.DEFAULT_RAW_DIR, b)
    fa = sorted(p.relative_to(a) for p in a.rglob("*") if p.is_file())
    assert fa == sorted(p.relative_to(b) for p in b.rglob("*") if p.is_file())
    for rel in fa:
        assert (a / rel).read_bytes() == (b / rel).read_bytes(), f"{rel} differs between two builds"
        assert (a / rel).read_bytes() == (DERIVED / rel).read_bytes(), f"committed {rel} is stale: rerun the build"


# ----------------------------------------------------------------- faults
@pytest.fixture
def data_copy(tmp_path, monkeypatch):
    d = tmp_path / "derived"
    shutil.copytree(DERIVED, d)
    monkeypatch.setenv("CLUSTER_ATLAS_DATA_DIR", str(d))
    return d


def test_missing_file_names_file_and_fix(data_copy):
    (data_copy / "organisations.csv").unlink()
    with pytest.raises(load.DataFileError) as e:
        load.load_organisations()
    msg = str(e.value)
    assert "organisations.csv" in msg and "missing" in msg and "python -m cluster_data.build" in msg


def test_truncated_file(data_copy):
    p = data_copy / "facts.csv"
    p.write_bytes(p.read_bytes()[:5000])
    with pytest.raises(load.DataFileError) as e:
        load.load_facts()
    assert "facts.csv" in str(e.value)


def test_binary_garbage_file(data_copy):
    (data_copy / "sources.csv").write_bytes(b"\x00\xff\xfe" * 100)
    with pytest.raises(load.DataFileError) as e:
        load.load_sources()
    assert "sources.csv" in str(e.value)


def test_wrong_schema_names_column_and_rows(data_copy):
    p = data_copy / "organisations.csv"
    df = pd.read_csv(p)
    df.loc[3, "lat"] = 95.0
    df.to_csv(p, index=False)
    with pytest.raises(load.DataFileError) as e:
        load.load_organisations()
    msg = str(e.value)
    assert "schema" in msg and "'lat'" in msg and "5" in msg


def test_corrupt_geojson(data_copy):
    (data_copy / "geo" / "nuts2_2016.geojson").write_text('{"type": "Feat')
    with pytest.raises(load.DataFileError) as e:
        load.read_geojson("nuts2_2016.geojson")
    assert "geo/nuts2_2016.geojson" in str(e.value)
