"""Atlas page: pure filter logic and AppTest on the real entry point."""
from __future__ import annotations

import json

import pandas as pd
import pytest

from cluster_data import atlas, load
from tests.conftest import all_text, app_test, deck_points, deck_spec, no_errors

PAGE = "pages/1_atlas.py"


@pytest.fixture(scope="module")
def org():
    o = load.load_organisations()
    o["imported"] = False
    return o


def _points(at):
    spec = deck_spec(at)
    layers = {l["id"]: l for l in spec["layers"]}
    # organisations are drawn in two layers (sourced sizes filled, unknown sizes hollow); "points" = both
    layers["sized"], layers["unsized"] = layers["points"], layers["points_unsized"]
    layers["points"] = {**layers["points"], "data": deck_points(at)}
    return spec, layers


def test_default_view_has_outline_region_and_point_layers_and_no_basemap(org):
    at = app_test(PAGE)
    no_errors(at)
    spec, layers = _points(at)
    assert {"land", "regions", "borders", "focus", "points"} <= set(layers)
    # no basemap: no provider, and Streamlit's own "no style" sentinel (without it the frontend
    # silently falls back to a Carto style request)
    assert spec.get("mapProvider") is None
    assert spec.get("mapStyle") == "__MAP_STYLE__"
    raw = json.dumps(spec)
    assert "cartocdn" not in raw and "mapbox" not in raw and "http" not in raw.split('"points"')[0]
    expected = org[org["row_type"] == "cluster_org"].dropna(subset=["lat", "lon"])
    assert len(layers["points"]["data"]) == len(expected)
    assert {p["id"] for p in layers["points"]["data"]} == set(expected["id"])
    # focus regions outlined
    assert {seg["id"] for seg in layers["focus"]["data"]} >= {"UKI5", "UKI51", "DK03", "ES52", "UKJ14"}
    # outlines are LineLayer segments, never stroked polygons (PathLayer: slow first frame without a GPU)
    assert layers["borders"]["@@type"] == layers["focus"]["@@type"] == "LineLayer"
    assert not any(l.get("stroked") for l in spec["layers"] if l["@@type"] == "GeoJsonLayer")
    assert len(layers["borders"]["data"]) > 1000 and all(set(seg) >= {"s", "t"} for seg in layers["borders"]["data"])


@pytest.mark.parametrize("params", [
    {"country": "DK"},
    {"sector": "cyber_security", "types": "cluster_org,network"},
    {"esca": "gold"},
    {"min_size": "100"},
    {"q": "valencia", "types": "cluster_org,seed_aggregate"},
    {"country": "ES,GB", "sector": "mobility_automotive,smart_city", "size_by": "employees_in_members"},
])
def test_points_equal_matching_organisations(org, params):
    at = app_test(PAGE, params)
    no_errors(at)
    _, layers = _points(at)
    f = atlas.AtlasFilters(
        sectors=params.get("sector", "").split(",") if params.get("sector") else [],
        countries=params.get("country", "").split(",") if params.get("country") else [],
        esca=params.get("esca", "").split(",") if params.get("esca") else [],
        types=params.get("types", "cluster_org").split(","),
        min_size=int(params.get("min_size", 0)),
        size_by=params.get("size_by", "members_total"),
        q=params.get("q", ""),
    )
    expected = atlas.filter_orgs(org, f)
    assert len(expected) > 0
    assert {p["id"] for p in layers["points"]["data"]} == set(expected.dropna(subset=["lat", "lon"])["id"])
    # the table twin lists the same organisations
    df = at.dataframe[-1].value
    assert set(df["Id"]) == set(expected["id"])
    # the filters were reproduced from the deep link and written back to the URL
    for k, v in params.items():
        assert at.query_params[k] == [v] or at.query_params[k] == v


def test_unknown_sizes_drawn_hollow_at_minimum_never_zero(org):
    at = app_test(PAGE)
    _, layers = _points(at)
    pts = {p["id"]: p for p in layers["unsized"]["data"]}
    unknown = org[(org["row_type"] == "cluster_org") & org["members_total"].isna() & org["lat"].notna()]
    assert len(unknown) > 5 and set(unknown["id"]) == set(pts)
    assert layers["unsized"]["getFillColor"][3] < 100  # hollow
    for i in unknown["id"]:
        assert pts[i]["r"] == 4.0 and "size unknown" in pts[i]["d"]


def test_profile_deep_link_shows_sourced_values_and_unknowns():
    at = app_test(PAGE, {"org": "DK_ODENSE_ROBOTICS"})
    no_errors(at)
    text = all_text(at)
    assert "Odense Robotics" in text
    assert "Source: [" in text and "https://" in text
    assert "Unknown (no source found)" in text
    assert at.query_params["org"] in ("DK_ODENSE_ROBOTICS", ["DK_ODENSE_ROBOTICS"])
    links = [p.proto.page for p in at.get("page_link")]
    assert any("compare" in l for l in links)


def test_regional_layer_indicator_and_year_from_url():
    at = app_test(PAGE, {"ind": "htec_kis_lq", "year": "2015"})
    no_errors(at)
    _, layers = _points(at)
    feats = layers["regions"]["data"]["features"]
    from cluster_data import regional
    valued = set(regional.nuts2_values(load.load_regional_indicators(), "htec_kis_lq", 2015).dropna(subset=["value"])["region"])
    assert valued, "the test needs regions with a 2015 value"
    for f in feats:  # a region with a value shows it; every other region says "no data" (never 0)
        p = f["properties"]
        assert ("no data" in p["d"]) == (p["id"] not in valued), (p["id"], p["d"])
    assert "denominator" in all_text(at)
    assert at.query_params["year"] in ("2015", ["2015"])


def test_garbage_url_falls_back_with_notice():
    at = app_test(PAGE, {"country": "ZZ,<script>", "year": "abc", "ind": "nope", "org": "NOPE", "min_size": "-5e99"})
    no_errors(at)
    info = " ".join(i.value for i in at.info)
    assert "country" in info and "indicator" in info and "NOPE" in info
    _, layers = _points(at)
    assert len(layers["points"]["data"]) > 50


def test_filter_orgs_unit(org):
    f = atlas.AtlasFilters(countries=["DK"])
    d = atlas.filter_orgs(org, f)
    assert set(d["country"]) == {"DK"} and set(d["row_type"]) == {"cluster_org"}
    f = atlas.AtlasFilters(min_size=100)
    d = atlas.filter_orgs(org, f)
    assert d["members_total"].notna().all() and (d["members_total"] >= 100).all()


def test_point_radius_sqrt_and_unknown_minimum():
    r = atlas.point_radius(pd.Series([None, 0, 100, 400]))
    assert r.iloc[0] == 4.0 and r.iloc[1] == 4.0 and r.iloc[3] == 22.0
    assert r.iloc[2] == pytest.approx(4 + 0.5 * 18)


def test_quantile_classes():
    b = atlas.quantile_breaks(pd.Series([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]))
    assert b[-1] == 10 and len(b) == 5
    assert atlas.class_of(None, b) is None and atlas.class_of(1, b) == 0 and atlas.class_of(10, b) == 4


def test_outline_segments_draw_a_shared_border_once_and_keep_ids():
    from cluster_data.atlas import outline_segments

    def square(x0, fid):
        ring = [[x0, 0], [x0 + 1, 0], [x0 + 1, 1], [x0, 1], [x0, 0]]
        return {"type": "Feature", "properties": {"id": fid}, "geometry": {"type": "Polygon", "coordinates": [ring]}}

    fc = {"type": "FeatureCollection", "features": [square(0, "A"), square(1, "B")]}
    segs = outline_segments(fc)
    assert len(segs) == 7  # 2 squares × 4 edges, the shared edge x=1 drawn once
    assert {tuple(map(tuple, sorted([s["s"], s["t"]]))) for s in segs} >= {((1, 0), (1, 1))}
    kept = outline_segments(fc, keep=("id",))
    assert len(kept) == 8 and {s["id"] for s in kept} == {"A", "B"}  # per feature: nothing merged across ids
    multi = {"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {},
             "geometry": {"type": "MultiPolygon", "coordinates": [[square(0, "")["geometry"]["coordinates"][0]]]}},
             {"type": "Feature", "properties": {}, "geometry": None}]}
    assert len(outline_segments(multi)) == 4


def test_map_spec_stays_small_at_scale():
    """Issue 17 (16): above POINT_DETAIL_MAX points the hover carries names only; geometry is rounded to
    COORD_DECIMALS without breaking a ring, and positions keep ~100 m."""
    from components import maps

    rec = {"id": "X", "name": "N", "detail": "Sector · City, AT\nMembers: 40 (2020)", "lon": 15.51234, "lat": 47.03339,
           "r": 6.0, "fill": [1, 2, 3, 235], "line": maps.HALO}
    few, _ = maps.deck_points([rec] * 10)
    many, _ = maps.deck_points([rec] * (maps.POINT_DETAIL_MAX + 1))
    assert few[0]["d"] == rec["detail"] and few[0]["n"] == "N" and few[0]["p"] == [15.512, 47.033]
    assert all(p["d"] == "" for p in many)
    ring = [[0.001, 0.001], [1.0049, 0.0], [1.0051, 0.0], [1.0, 1.0], [0.001, 0.001]]
    g = maps.rounded({"type": "Polygon", "coordinates": [ring]})
    out = g["coordinates"][0]
    assert out[0] == out[-1] and len(out) >= 4
    assert all(round(v, maps.COORD_DECIMALS) == v for pt in out for v in pt)
