"""Issue 13 AppTests: the /regions page, the atlas Specialisation layer, the Greenwich digital tab,
the compare regional LQ and the /data download."""
from __future__ import annotations

import pandas as pd

from cluster_data import sectoral_load
from tests.conftest import all_text, app_test, deck_spec, no_errors

REGIONS = "pages/7_regions.py"
ATLAS = "pages/1_atlas.py"


def _frames(at) -> list[pd.DataFrame]:
    return [d.value for d in at.dataframe]


def test_region_page_dk03_shows_portfolio_with_sources():
    at = app_test(REGIONS, {"region": "DK03"})
    no_errors(at)
    txt = all_text(at)
    assert "Syddanmark" in txt and "(DK03)" in txt
    assert "Eurostat SBS" in txt and "Strong cluster" in txt
    frames = _frames(at)
    assert len(frames) >= 5
    baskets = frames[0]
    assert "Digital (J58–J63)" in baskets["Sector basket"].tolist()
    # the digital LQ shown equals the shipped metric of the default year (SBS 2014, the most complete)
    m = sectoral_load.metrics()
    row = m[(m.region_code == "DK03") & (m.sector_code == "digital") & (m.year == 2014)].iloc[0]
    assert baskets.loc[baskets["Sector basket"] == "Digital (J58–J63)", "LQ"].iloc[0] == f"{row['lq']:.2f}"
    links = [p.proto.page for p in at.get("page_link")]
    assert links.count("regions") >= 4  # the one-click regions


def test_region_page_unknown_code_notice_and_default():
    at = app_test(REGIONS, {"region": "<b>ZZ99</b>", "year": "abc"})
    no_errors(at)
    txt = all_text(at)
    assert "not a NUTS 2 region with SBS data" in txt and "(UKI5)" in txt


def test_region_page_lists_organisations_located_there():
    org = pd.read_csv("cluster_data/derived/organisations.csv")
    names = set(org.loc[org["nuts2_2016"] == "DK03", "name"])
    at = app_test(REGIONS, {"region": "DK03"})
    shown = set(_frames(at)[-1]["Name"])
    assert names and names == shown


def test_atlas_specialisation_layer_from_url_marks_strong_and_never_draws_missing_as_zero():
    at = app_test(ATLAS, {"ind": "specialisation", "basket": "computer_programming", "year": "2014"})
    no_errors(at)
    spec = deck_spec(at)
    layers = {l["id"]: l for l in spec["layers"]}
    feats = layers["regions"]["data"]["features"]
    details = {f["properties"]["id"]: f["properties"]["d"] for f in feats}
    assert "LQ" in details["UKI5"] and "J62" in details["UKI5"]
    assert any("★ Strong cluster" in d for d in details.values())
    grey = [f for f in feats if "no data" in f["properties"]["d"]]
    assert grey and all(f["properties"]["fill"][:3] == [215, 215, 215] for f in grey)
    assert all("LQ 0.00" not in f["properties"]["d"] for f in grey)
    assert any("not covered" in f["properties"]["d"] for f in grey)  # e.g. Switzerland
    txt = all_text(at)
    assert "Eurostat SBS" in txt and "2014" in txt and "strong" in txt
    assert at.query_params["basket"] in ("computer_programming", ["computer_programming"])
    assert at.query_params["ind"] in ("specialisation", ["specialisation"])
    twin = _frames(at)[-1]
    assert {"Region", "LQ", "Strong cluster", "Why no value"} <= set(twin.columns)


def test_atlas_specialisation_garbage_basket_falls_back_with_notice():
    at = app_test(ATLAS, {"ind": "specialisation", "basket": "nope", "year": "1999"})
    no_errors(at)
    assert "sector basket" in all_text(at)


def test_greenwich_digital_tab():
    at = app_test("pages/3_greenwich.py", {"view": "Digital economy"})
    no_errors(at)
    txt = all_text(at)
    assert "Bexley" in txt and "J62" in txt and "cyber security" in txt
    assert "ONS BRES" in txt and "Eurostat SBS" in txt
    frames = _frames(at)
    emp = next(f for f in frames if "2019" in f.columns and "2022" in f.columns and len(f.columns) > 6)
    cells = sectoral_load.cells()
    raw = cells[(cells.source_id == "R_ONS_BRES_UKI51") & (cells.sector_code == "J62") & (cells.year == 2019)]["value"].iloc[0]
    assert emp.loc[emp["Division"].str.startswith("J62"), "2019"].iloc[0] == f"{int(raw):,}"
    peers = next(f for f in frames if "Persons employed (SBS)" in f.columns)
    assert peers["Region"].str.contains("DK03").any() and peers["Region"].str.contains("ES52").any()


def test_compare_regional_context_has_basket_lq():
    at = app_test("pages/2_compare.py", {"ids": "DK_ODENSE_ROBOTICS,UK_GREENWICH_DIGITAL_CLUSTER", "view": "Regional context"})
    no_errors(at)
    t = next(d.value for d in at.dataframe if "LQ in its sector basket (Eurostat SBS)" in d.value.columns)
    assert t["LQ in its sector basket (Eurostat SBS)"].str.contains("SBS|no data").all()


def test_data_downloads_offer_sectoral_lq():
    at = app_test("pages/6_data.py", {"tab": "downloads"})
    no_errors(at)
    assert "sectoral_lq.csv" in [b.proto.label for b in at.get("download_button")]
