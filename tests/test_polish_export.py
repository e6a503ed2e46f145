"""Issue 17, point 13: chart PNGs at presentation size with title and source inside; the map as an image."""
from __future__ import annotations

import io
import json

import pytest
from PIL import Image

from cluster_data import atlas, load, map_image
from cluster_data.paths import data_dir
from components import chart_export, maps
from tests.conftest import app_test, no_errors

COMPARE = "pages/2_compare.py"


def _charts(at) -> list[tuple[dict, dict]]:
    return [(json.loads(c.proto.spec), json.loads(c.proto.config)) for c in at.get("plotly_chart")]


@pytest.mark.parametrize("view", ["Jobs", "Internationalisation", "Business model", "Regional context"])
def test_compare_chart_png_export_is_presentation_size_with_title_and_source(view):
    at = app_test(COMPARE, {"view": view})
    no_errors(at)
    charts = _charts(at)
    assert charts
    for spec, cfg in charts:
        opts = cfg["toImageButtonOptions"]
        assert opts["format"] == "png" and opts["width"] * opts.get("scale", 1) >= 1600
        assert opts["height"] >= 380 and opts["filename"]
        lay = spec["layout"]
        assert lay["title"]["text"].strip()                                   # the title is in the image
        assert chart_export.source_text(spec).startswith(("Source", "Sources", "Computed")), lay["title"]  # and its source
        assert cfg.get("displayModeBar", True) is not False                   # the camera button is offered


def test_map_download_offered_on_the_atlas():
    at = app_test("pages/1_atlas.py")
    no_errors(at)
    labels = [b.proto.label for b in at.get("download_button")]
    assert "Download the map as an image (PNG)" in labels


def test_map_png_is_presentation_size_and_shows_the_points():
    org = load.load_organisations()
    org["imported"] = False
    shown = atlas.filter_orgs(org, atlas.AtlasFilters(countries=["DK"]))
    pts = maps.point_records(shown, "members_total", "Members", scale_max=atlas.radius_scale_max(org, "members_total"))
    countries = json.loads((data_dir() / "geo" / "countries.geojson").read_text())
    meta = map_image.MapImage("Denmark's cluster organisations", "sub", "Source: test", (((0, 114, 178), "Digital"),))
    png = map_image.render_png(countries, None, pts, meta)
    img = Image.open(io.BytesIO(png))
    assert img.format == "PNG" and img.size[0] >= 1600
    rgb = img.convert("RGB")
    # every point is drawn: its centre pixel has the point's fill colour
    frame = map_image._Frame([p["lon"] for p in pts], [p["lat"] for p in pts],
                             (30, map_image.TITLE_H, map_image.WIDTH - 30, map_image.HEIGHT - map_image.FOOT_H))
    known = [p for p in pts if p["fill"][3] > 200]
    assert known
    hits = sum(1 for p in known if rgb.getpixel(tuple(int(v) for v in frame(p["lon"], p["lat"]))) != map_image.LAND)
    assert hits >= len(known) * 0.8
    # title block and footer carry text (non-white pixels)
    top = rgb.crop((0, 0, 800, map_image.TITLE_H - 10))
    assert any(px != (255, 255, 255) for px in top.getdata())
