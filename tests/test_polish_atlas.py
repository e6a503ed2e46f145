"""Issue 17, point 9: atlas UX — countries by name, fitted view, fixed size scale, readable dots, the CSV."""
from __future__ import annotations

import io
import math

import pandas as pd
import pytest

from cluster_data import atlas, atlas_table, countries, load
from cluster_data.safety import safe_csv_bytes
from tests.conftest import all_text, app_test, deck_points, deck_spec, no_errors

PAGE = "pages/1_atlas.py"


@pytest.fixture(scope="module")
def org():
    o = load.load_organisations()
    o["imported"] = False
    return o


def _points(at) -> list[dict]:
    return deck_points(at)


def _view(at) -> dict:
    return deck_spec(at)["initialViewState"]


# ------------------------------------------------------------------ countries by name as well as code
@pytest.mark.parametrize("country, want", [("United Kingdom", {"GB"}), ("UK", {"GB"}), ("Denmark", {"DK"}),
                                           ("United Kingdom,Denmark", {"GB", "DK"}), ("GB,DK", {"GB", "DK"})])
def test_country_link_takes_names_and_codes(org, country, want):
    at = app_test(PAGE, {"country": country})
    no_errors(at)
    assert set(at.session_state["f_country"]) == want
    ids = {p["id"] for p in _points(at)}
    expected = org[(org["row_type"] == "cluster_org") & org["country"].isin(want)].dropna(subset=["lat", "lon"])
    assert ids == set(expected["id"]) and ids
    assert "Ignored unknown country" not in all_text(at)


@pytest.mark.parametrize("q, code", [("Denmark", "DK"), ("UK", "GB"), ("United Kingdom", "GB")])
def test_search_box_finds_a_country_by_name(org, q, code):
    at = app_test(PAGE, {"q": q})
    no_errors(at)
    ids = {p["id"] for p in _points(at)}
    in_country = set(org[(org["row_type"] == "cluster_org") & (org["country"] == code)].dropna(subset=["lat", "lon"])["id"])
    assert in_country and in_country <= ids


def test_country_picker_shows_and_searches_names():
    at = app_test(PAGE)
    ms = at.multiselect(key="f_country")
    labels = list(ms.options)
    assert "United Kingdom (GB, also UK)" in labels and "Denmark (DK)" in labels
    assert ms.proto.filter_mode == 1  # MultiSelect.FILTER_MODE_CONTAINS  # substring, not a fuzzy subsequence


def test_country_table_comes_from_shipped_geometry():
    import json
    from cluster_data.paths import data_dir
    d = data_dir() / "geo"
    t = countries.country_table(json.loads((d / "countries.geojson").read_text()),
                                json.loads((d / "nuts0_2016.geojson").read_text()))
    assert t["GB"].name == "United Kingdom" and "UK" in t["GB"].aliases
    assert t["GR"].name == "Greece" and "EL" in t["GR"].aliases
    # Natural Earth gives France and Norway no ISO code: joined to NUTS 0 on geometry
    assert t["FR"].name == "France" and t["NO"].name == "Norway"
    assert countries.resolve("denmark", t) == "DK" and countries.resolve("xyz", t) is None


# ------------------------------------------------------------------ the view fits the organisations shown
def _inside(view: dict, lat: float, lon: float, w: int = 900, h: int = 560) -> bool:
    scale = 256 * 2 ** view["zoom"]
    def merc(la):
        return math.log(math.tan(math.pi / 4 + math.radians(la) / 2))
    dx = (lon - view["longitude"]) / 360 * scale
    dy = (merc(lat) - merc(view["latitude"])) / (2 * math.pi) * scale
    return abs(dx) <= w / 2 and abs(dy) <= h / 2


@pytest.mark.parametrize("params", [{"country": "DK"}, {"country": "ES"}, {"q": "valencia"}, {}])
def test_initial_view_fits_the_filtered_organisations(params):
    at = app_test(PAGE, params)
    no_errors(at)
    pts, view = _points(at), _view(at)
    assert pts
    assert all(_inside(view, p["lat"], p["lon"]) for p in pts)
    if params:  # a filter narrows the view below the whole-of-Europe zoom
        assert view["zoom"] > 3.5


def test_fit_view_edge_cases():
    assert atlas.fit_view([], []) == atlas.EUROPE
    one = atlas.fit_view([55.4], [10.4])
    assert one.zoom == 7.0 and one.latitude == pytest.approx(55.4, abs=1e-3)


# ------------------------------------------------------------------ size scale fixed by the whole dataset
def test_radius_does_not_depend_on_the_filter(org):
    sid = "ES_CYBERMAD"  # a 55-member cluster
    assert org.set_index("id").loc[sid, "members_total"] == 55
    full = {p["id"]: p["r"] for p in _points(app_test(PAGE))}
    at = app_test(PAGE, {"q": "cybermad"})
    pts = {p["id"]: p["r"] for p in _points(at)}
    assert sid in pts and pts[sid] == full[sid]
    biggest = max(full.values())
    assert pts[sid] < biggest * 0.5  # still a small bubble when it is the only one shown
    # every point shared by the two views has the same radius
    at2 = app_test(PAGE, {"country": "ES"})
    assert all(full[i] == r for i, r in ((p["id"], p["r"]) for p in _points(at2)))


def test_point_radius_scale_max_is_used():
    s = pd.Series([55.0])
    assert atlas.point_radius(s, scale_max=1500.0).iloc[0] < atlas.point_radius(s).iloc[0]


# ------------------------------------------------------------------ dots readable over the choropleth
def test_dots_have_a_halo_over_the_choropleth():
    at = app_test(PAGE)  # the default view has a regional layer
    layers = {l["id"]: l for l in deck_spec(at)["layers"]}
    assert "regions" in layers
    pl = layers["points"]
    assert pl["lineWidthMinPixels"] >= 1.5 and pl["stroked"]
    # sourced sizes: an opaque sector-coloured fill with a white halo; unknown sizes: hollow, sector-coloured ring
    assert pl["data"] and all(p["c"][3] > 200 for p in pl["data"]) and pl["getLineColor"][:3] == [255, 255, 255]
    hollow = layers["points_unsized"]
    assert hollow["getFillColor"][3] < 100 and hollow["getLineColor"] == "@@=c" or hollow["getLineColor"] == "c"


# ------------------------------------------------------------------ the table twin and its CSV
def test_table_twin_columns_sized_and_years_plain():
    at = app_test(PAGE)
    no_errors(at)
    df = at.dataframe[-1].value
    assert "Year" in df.columns and not df["Year"].astype(str).str.contains(r",|\.0$").any()
    assert at.get("download_button")


def test_csv_plain_headers_integers_and_sources(org):
    shown = atlas.filter_orgs(org, atlas.AtlasFilters())
    facts, sources = load.load_facts(), load.load_sources()
    t = atlas_table.csv_table(shown, facts, sources)
    assert not any("_" in c for c in t.columns), [c for c in t.columns if "_" in c]
    for c in ("Members", "Members: year", "Employees in member firms", "Employees in member firms: year"):
        assert str(t[c].dtype) == "Int64"
    text = safe_csv_bytes(t).decode("utf-8-sig")
    back = pd.read_csv(io.StringIO(text), dtype=str)
    assert not back["Members"].dropna().str.contains(r"\.").any()
    assert not back["Members: year"].dropna().str.contains(r"\.|,").any()
    # a source for each value: every sourced count has its source title and link
    for c in ("Members", "Employees in member firms"):
        have = back[back[c].notna()]
        assert len(have) > 10
        assert have[f"{c}: source"].notna().all() and have[f"{c}: source link"].notna().all()
        assert back.loc[back[c].isna(), f"{c}: source"].isna().all()  # nothing sourced, no source named
    placed = back[back["Latitude"].notna()]
    assert len(placed) > 100 and placed["Location: source"].notna().all()
