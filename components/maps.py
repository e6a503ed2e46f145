"""pydeck figure builders (data in → Deck out; no `st` calls, no network).

The basemap is drawn from shipped geometry: ``map_provider=None`` and no map
style, so deck.gl asks no tile or style server for anything.
"""
from __future__ import annotations

import json

import pandas as pd
import pydeck as pdk

from cluster_data import atlas, display, map_image
from cluster_data.schema import FOCUS_REGIONS, SECTOR_COLOURS, SECTORS
from components.internals import NO_BASEMAP, deck_default  # framework details, checked by tests/test_internals.py


class CompactDeck(pdk.Deck):
    """A Deck that asks no basemap server for anything, serialised without indentation
    (pydeck indents by 2, which tripled the payload)."""

    def __init__(self, *args, **kwargs):
        kwargs["map_provider"] = None
        kwargs["map_style"] = None
        super().__init__(*args, **kwargs)
        self.map_style = NO_BASEMAP

    def to_json(self):
        return json.dumps(self, sort_keys=True, default=deck_default, separators=(",", ":"))


# Every pickable feature carries its hover text in two short keys, ``n`` (name) and ``d`` (detail): the one
# tooltip template serves points and regions, and short keys keep the spec small at scale (issue 17, point 16).
TOOLTIP = {"text": "{n}\n{d}"}
POINT_DETAIL_MAX = 1000  # above this many points the hover shows names only (the list and profile have the rest)
COORD_DECIMALS = 2       # map geometry to 0.01° (≤ 0.6 km), finer than its build-time simplification (0.02–0.05°)


class PrebuiltDeck(CompactDeck):
    """A deck whose JSON was built (and cached) earlier: serialising the map is the costly part."""

    def __init__(self, spec_json: str):
        super().__init__(layers=[], tooltip=TOOLTIP)
        self._spec_json = spec_json

    def to_json(self):
        return self._spec_json


EUROPE_VIEW = pdk.ViewState(latitude=52.0, longitude=12.0, zoom=3.0, min_zoom=2.5, max_zoom=10)


def region_features(nuts2: dict, values: pd.DataFrame, label: str, unit: str, fmt) -> tuple[dict, list[float]]:
    """NUTS 2 features with value, colour and tooltip text set; returns (geojson, breaks)."""
    vals = dict(zip(values["region"], values["value"]))
    breaks = atlas.quantile_breaks(values["value"])
    feats = []
    for f in nuts2["features"]:
        p = f["properties"]
        v = vals.get(p["NUTS_ID"])
        idx = atlas.class_of(v, breaks)
        col = atlas.class_colour(idx, len(breaks))
        vtxt = "no data" if idx is None else ((fmt(v) if callable(fmt) else fmt.format(v)) + f" {unit}")
        feats.append({"type": "Feature", "geometry": rounded(f["geometry"]), "properties": {
            "id": p["NUTS_ID"], "n": f"{p['name']} ({p['NUTS_ID']})", "d": f"{label}: {vtxt}",
            "fill": [*col, 170 if idx is not None else 110],
        }})
    return {"type": "FeatureCollection", "features": feats}, breaks


def rounded(geometry: dict, nd: int = COORD_DECIMALS) -> dict:
    """A GeoJSON geometry with its coordinates rounded to ``nd`` decimals (consecutive repeats dropped)."""
    def ring(coords):
        out = []
        for x, y in coords:
            pt = [round(x, nd), round(y, nd)]
            if not out or out[-1] != pt:
                out.append(pt)
        return out if len(out) >= 4 else [[round(x, nd), round(y, nd)] for x, y in coords]

    t, c = geometry["type"], geometry["coordinates"]
    if t == "Polygon":
        return {"type": t, "coordinates": [ring(r) for r in c]}
    if t == "MultiPolygon":
        return {"type": t, "coordinates": [[ring(r) for r in poly] for poly in c]}
    return geometry


def land(countries: dict) -> dict:
    """The land layer's features: outlines only (rounded), no properties the map does not use."""
    return {"type": "FeatureCollection",
            "features": [{"type": "Feature", "geometry": rounded(f["geometry"]), "properties": {}}
                         for f in countries["features"]]}


def focus_features(nuts2: dict, nuts3: dict) -> dict:
    feats = []
    for src in (nuts2, nuts3):
        for f in src["features"]:
            code = f["properties"]["NUTS_ID"]
            if code in FOCUS_REGIONS:
                feats.append({"type": "Feature", "geometry": f["geometry"],
                              "properties": {"id": code, "n": FOCUS_REGIONS[code]["label"],
                                             "d": f"Focus region {code}"}})
    return {"type": "FeatureCollection", "features": feats}


POINT_LAYERS = ("points", "points_unsized")  # the pickable organisation layers (a map click names one of them)
HALO, HOLLOW = [255, 255, 255, 255], [255, 255, 255, 90]


def point_records(orgs: pd.DataFrame, size_by: str, size_label: str, scale_max: float | None = None) -> list[dict]:
    """One record per placed organisation. ``scale_max`` (atlas.radius_scale_max of the whole dataset) fixes
    the size scale so a point's radius never depends on the filter."""
    d = orgs.dropna(subset=["lat", "lon"])
    radius = atlas.point_radius(d[size_by], scale_max=scale_max)
    recs = []
    for (_, r), rad in zip(d.iterrows(), radius):
        v = r.get(size_by)
        known = pd.notna(v)
        yr = r.get(f"{size_by}_year")
        lb = bool(r.get(f"{size_by}_lower_bound")) if known else False
        size_txt = (display.fmt_int(v, lower_bound=lb) + (f" ({display.fmt_year(yr)})" if pd.notna(yr) else "")) if known else "size unknown"
        col = SECTOR_COLOURS.get(r.get("sector"), SECTOR_COLOURS["other"])
        recs.append({
            "kind": "org", "id": r["id"], "name": str(r["name"]),
            "detail": f"{SECTORS.get(r.get('sector'), 'Other')} · {r.get('city') if pd.notna(r.get('city')) else 'city unknown'}, {r['country']}\n"
                      f"{size_label}: {size_txt}" + ("\nImported by you (this session)" if r.get("imported") == True else ""),
            "lon": round(float(r["lon"]), 4), "lat": round(float(r["lat"]), 4),
            "r": float(rad),
            # readable over the choropleth: an opaque fill with a white halo; unknown sizes hollow (white
            # fill, sector-coloured ring) so they still show on the darkest class
            "fill": [*col, 235] if known else HOLLOW,
            "line": HALO if known else [*col, 255],
        })
    return recs


def deck_points(points: list[dict]) -> tuple[list[dict], list[dict]]:
    """``point_records`` split for the map: (sourced sizes, unknown sizes), each record with one colour ``c``.

    The map needs only what it draws and shows on hover: id, name ``n``, detail ``d`` (empty above
    POINT_DETAIL_MAX points), position ``p`` (3 decimals, ~100 m), radius and colour; the record's two colours
    become one, as the layer holds the other. That keeps the map spec small at scale."""
    sized, unsized = [], []
    with_detail = len(points) <= POINT_DETAIL_MAX
    for p in points:
        known = p["fill"] != HOLLOW
        rec = {"id": p["id"], "n": p["name"], "d": p["detail"] if with_detail else "",
               "p": [round(p["lon"], 3), round(p["lat"], 3)], "r": round(p["r"], 1), "c": p["fill"] if known else p["line"]}
        (sized if known else unsized).append(rec)
    return sized, unsized


def atlas_deck(countries: dict, regions_fc: dict | None, focus_fc: dict, points: list[dict],
               selected: str | None = None, borders: list[dict] | None = None, land_fc: dict | None = None,
               focus_lines: list[dict] | None = None, view: "atlas.MapView | None" = None) -> pdk.Deck:
    """Land, the NUTS 2 choropleth, borders, focus outlines and the organisations, all from shipped geometry.

    Outlines are LineLayer segments (``atlas.outline_segments``), not polygon strokes: a stroked GeoJsonLayer
    draws with the PathLayer, whose shader took software WebGL (a laptop or VM without a GPU, headless
    Chromium) ~0.8 s to compile before the map's first frame."""
    land_fc = land(countries) if land_fc is None else land_fc  # prepared once by the caller where it can be
    borders = atlas.outline_segments(land_fc) if borders is None else borders
    focus_lines = atlas.outline_segments(focus_fc, keep=("id",)) if focus_lines is None else focus_lines
    layers = [
        pdk.Layer("GeoJsonLayer", data=land_fc, id="land", stroked=False, filled=True,
                  get_fill_color=[238, 236, 230], pickable=False),
    ]
    if regions_fc is not None:
        layers.append(pdk.Layer("GeoJsonLayer", data=regions_fc, id="regions", stroked=False, filled=True,
                                get_fill_color="properties.fill", pickable=True, auto_highlight=True))
    layers.append(pdk.Layer("LineLayer", data=borders, id="borders", get_source_position="s",
                            get_target_position="t", get_color=[90, 90, 90], get_width=0.8, pickable=False))
    layers.append(pdk.Layer("LineLayer", data=focus_lines, id="focus", get_source_position="s",
                            get_target_position="t", get_color=list(map_image.FOCUS), get_width=2.5, pickable=False))
    sized, unsized = deck_points(points)
    # two layers, one colour per point: sourced sizes filled in the sector colour with a white halo; unknown
    # sizes hollow (white fill, sector-coloured ring). Each record then carries one colour, not two.
    layers.append(pdk.Layer("ScatterplotLayer", data=sized, id=POINT_LAYERS[0], get_position="p",
                            get_radius="r", radius_units='"pixels"', get_fill_color="c", get_line_color=HALO,
                            stroked=True, line_width_min_pixels=1.6, pickable=True, auto_highlight=True))
    layers.append(pdk.Layer("ScatterplotLayer", data=unsized, id=POINT_LAYERS[1], get_position="p",
                            get_radius="r", radius_units='"pixels"', get_fill_color=HOLLOW, get_line_color="c",
                            stroked=True, line_width_min_pixels=1.6, pickable=True, auto_highlight=True))
    if selected:
        sel = [p for p in points if p["id"] == selected]
        if sel:
            ring = [{"lon": sel[0]["lon"], "lat": sel[0]["lat"]}]
            layers.append(pdk.Layer("ScatterplotLayer", data=ring, id="selected", get_position=["lon", "lat"],
                                    get_radius=28, radius_units='"pixels"', filled=False, stroked=True,
                                    get_line_color=[0, 0, 0, 255], line_width_min_pixels=3, pickable=False))
    vs = EUROPE_VIEW if view is None else pdk.ViewState(latitude=view.latitude, longitude=view.longitude,
                                                        zoom=view.zoom, min_zoom=2.5, max_zoom=10)
    return CompactDeck(layers=layers, initial_view_state=vs,
                    tooltip=TOOLTIP)
