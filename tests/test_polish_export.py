"""Issue 17, point 13: chart PNGs at presentation size with title and source inside; the map as an image."""
from __future__ import annotations

import io
import json

import pandas as pd
import pytest
from PIL import Image

from cluster_data import atlas, coverage, load, map_image
from cluster_data import lessons as L
from cluster_data.paths import data_dir
from components import chart_export, maps
from components.registry import BY_KEY, PAGES
from tests.conftest import app_test, no_errors

TOUR_CHART_STEPS = ("southern_denmark", "compare")  # the tour's steps that draw a chart
SD_STEP = str([s["key"] for s in L.TOUR_STEPS].index("southern_denmark") + 1)
# Every page, and each view of it that draws charts: (page key, query, at least this many charts).
CHART_VIEWS = [
    ("home", {}, 0), ("atlas", {}, 0), ("regions", {}, 0), ("lessons", {}, 0),
    ("compare", {"view": "Jobs"}, 3), ("compare", {"view": "Internationalisation"}, 4),
    ("compare", {"view": "Business model"}, 4), ("compare", {"view": "Regional context"}, 4),
    ("greenwich", {}, 2), ("greenwich", {"view": "Jobs outlook"}, 1), ("greenwich", {"view": "Sustainability"}, 1),
    ("greenwich", {"present": "1"}, 2),
    *[("tour", {"step": str(n)}, int(s["key"] in TOUR_CHART_STEPS)) for n, s in enumerate(L.TOUR_STEPS, 1)],
    ("tour", {"step": SD_STEP, "present": "1"}, 1),
    ("data", {"tab": "coverage"}, 1), ("data", {"tab": "coverage", "by": "sector", "present": "1"}, 1),
]


def _charts(at) -> list[tuple[dict, dict]]:
    return [(json.loads(c.proto.spec), json.loads(c.proto.config)) for c in at.get("plotly_chart")]


def test_every_page_is_checked_for_chart_export():
    assert {k for k, _, _ in CHART_VIEWS} == {p.key for p in PAGES}


@pytest.mark.parametrize("key, params, n_min", CHART_VIEWS,
                         ids=[k + ("?" + "&".join(f"{a}={b}" for a, b in q.items()) if q else "") for k, q, _ in CHART_VIEWS])
def test_every_chart_names_its_source_and_exports_at_presentation_size(key, params, n_min):
    """Issue 17 (13): each chart carries its source line (a saved PNG says where its numbers come from);
    where the camera button is offered it saves >= 1600 px with the title in the image. The tour keeps the
    mode bar off on purpose (it would float over a projector slide) and still carries its source line."""
    at = app_test(BY_KEY[key].script, params)
    no_errors(at)
    charts = _charts(at)
    assert len(charts) >= n_min, (key, params, len(charts))
    for spec, cfg in charts:
        lay = spec["layout"]
        assert chart_export.source_text(spec).strip(), (key, params, lay.get("title"))
        if cfg.get("displayModeBar", True) is False:
            assert key == "tour", (key, params, "the camera button is switched off")
            continue
        opts = cfg["toImageButtonOptions"]
        assert opts["format"] == "png" and opts["width"] * opts.get("scale", 1) >= 1600
        assert opts["height"] >= 380 and opts["filename"]
        assert lay["title"]["text"].strip()                                   # the title is in the image
        assert chart_export.source_text(spec).startswith(("Source", "Sources", "Computed")), lay["title"]  # and its source


def test_source_lines_name_the_page_s_producers():
    """The lines reuse the producers the pages already cite: sourced facts, Assumptions, Eurostat."""
    from cluster_data import greenwich_view as gv
    from cluster_data import provenance

    lines = gv.chart_sources()
    assert provenance.SOURCED_FACTS in lines["strip"] and gv.ASSUMPTION in lines["strip"]
    assert provenance.SOURCED_FACTS in lines["heat"] and gv.ASSUMPTION in lines["funding"]
    shipped = pd.DataFrame({"imported": [False, False]})
    assert provenance.SOURCED_FACTS in coverage.chart_source(shipped) and "imported" not in coverage.chart_source(shipped)
    assert "imported organisations (not checked)" in coverage.chart_source(shipped.assign(imported=[False, True]))
    at = app_test(BY_KEY["greenwich"].script, {"view": "Jobs outlook"})
    fan = [s for s, _ in _charts(at)][0]
    assert provenance.SOURCED_FACTS in chart_export.source_text(fan).replace("<br>", " ")
    at = app_test(BY_KEY["compare"].script, {"view": "Regional context"})
    assert any(chart_export.source_text(s).startswith("Source: Eurostat") for s, _ in _charts(at))


def test_a_long_title_and_source_stay_inside_the_figure():
    """with_source wraps both for a 390 px phone and grows the top margin and height by the lines it adds."""
    import plotly.graph_objects as go

    fig = go.Figure(layout={"title": {"text": "A title long enough to need two lines on a phone screen",
                                      "font": {"size": 16}}, "height": 400, "margin": {"t": 50}})
    out = chart_export.with_source(fig, "Source: " + "words " * 20)
    lay = out.layout
    assert lay.title.text.count("<br>") == 1 and lay.title.subtitle.text.count("<br>") >= 2
    assert lay.margin.t > 50 + 2 * 14 and lay.height - lay.margin.t == 400 - 50   # the plot keeps its height
    assert lay.title.pad.t > chart_export.TITLE_PAD                             # plotly's lift of a 2-line title


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
    assert any(px != (255, 255, 255) for px in top.get_flattened_data())
