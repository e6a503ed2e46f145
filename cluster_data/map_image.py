"""A static PNG of the atlas map, drawn server-side (issue 17, point 13). Pure Python + Pillow, no network.

Streamlit 1.67's deck.gl chart has no image export, and deck.gl's canvas can only be read in the browser;
so the same layers (land, the NUTS 2 choropleth, country borders, the organisations) are drawn again here
from the same shipped geometry and point records, in Web Mercator, at presentation width, with a title,
a legend and the source line in the image. Offered as a download; nothing leaves the machine.
"""
from __future__ import annotations

import io
import math
from dataclasses import dataclass

from PIL import Image, ImageDraw, ImageFont

WIDTH, HEIGHT = 1800, 1200
TITLE_H, FOOT_H = 90, 120
# A slide's map (the tour): drawn at about twice the size it is shown, so it stays sharp on a projector.
# Its shape is Europe's (the points' extent), so the map fills the picture rather than the sea beside it.
SLIDE_SIZE = (1000, 800)
SLIDE_POINT_SCALE = 2.0
SLIDE_PAD = 0.04  # margin around the points' extent, as a share of it
LAND = (238, 236, 230)
SEA = (250, 251, 252)
BORDER = (90, 90, 90)
FOCUS = (200, 0, 110)  # the focus regions' outline, as on the interactive map


def slide_box(size: tuple[int, int]) -> tuple[int, int, int, int]:
    """The map area of a slide picture: all of it but a thin margin."""
    return (6, 6, size[0] - 6, size[1] - 6)


@dataclass(frozen=True)
class MapImage:
    title: str
    subtitle: str
    source: str
    legend: tuple[tuple[tuple[int, int, int], str], ...] = ()   # (colour, label)


def _font(size: int):
    try:
        return ImageFont.load_default(size=size)
    except (TypeError, OSError):  # Pillow without FreeType: the bitmap font
        return ImageFont.load_default()


def _merc(lon: float, lat: float) -> tuple[float, float]:
    lat = max(min(lat, 85.0), -85.0)
    return math.radians(lon), math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))


class _Frame:
    """Lon/lat -> pixel, fitted to the points (or Europe) with a margin, aspect preserved."""

    def __init__(self, lons: list[float], lats: list[float], box: tuple[int, int, int, int], pad: float = 0.12):
        if not lons:
            lons, lats = [-11.0, 32.0], [35.0, 66.0]
        x0, y0 = _merc(min(lons), min(lats))
        x1, y1 = _merc(max(lons), max(lats))
        pad_x = max((x1 - x0) * pad, 0.06)
        pad_y = max((y1 - y0) * pad, 0.05)
        x0, x1, y0, y1 = x0 - pad_x, x1 + pad_x, y0 - pad_y, y1 + pad_y
        l, t, r, b = box
        s = min((r - l) / (x1 - x0), (b - t) / (y1 - y0))
        self.s, self.cx, self.cy = s, (x0 + x1) / 2, (y0 + y1) / 2
        self.px, self.py = (l + r) / 2, (t + b) / 2

    def __call__(self, lon: float, lat: float) -> tuple[float, float]:
        x, y = _merc(lon, lat)
        return self.px + (x - self.cx) * self.s, self.py - (y - self.cy) * self.s


def _rings(geom: dict):
    g = geom or {}
    polys = g.get("coordinates") or []
    if g.get("type") == "Polygon":
        polys = [polys]
    elif g.get("type") != "MultiPolygon":
        return
    for poly in polys:
        for k, ring in enumerate(poly):
            yield k == 0, ring


def _draw_fc(d: ImageDraw.ImageDraw, fc: dict | None, frame: _Frame, fill_of, outline=None, width: int = 1) -> None:
    for f in (fc or {}).get("features", []):
        fill = fill_of(f)
        for outer, ring in _rings(f.get("geometry")):
            pts = [frame(x, y) for x, y in ring]
            if len(pts) >= 3:
                d.polygon(pts, fill=fill if outer else None, outline=outline, width=width)


def _draw_map(d: ImageDraw.ImageDraw, countries: dict, regions: dict | None, points: list[dict],
              box: tuple[int, int, int, int], scale: float, focus: dict | None = None, pad: float = 0.12) -> None:
    """Land, choropleth, borders, focus outlines and the points (big ones first, so small ones stay
    visible on top)."""
    frame = _Frame([p["lon"] for p in points], [p["lat"] for p in points], box, pad)
    _draw_fc(d, countries, frame, lambda f: LAND)
    if regions:
        _draw_fc(d, regions, frame, lambda f: tuple((f.get("properties") or {}).get("fill") or LAND))
    _draw_fc(d, countries, frame, lambda f: None, outline=BORDER)
    if focus:
        _draw_fc(d, focus, frame, lambda f: None, outline=FOCUS, width=max(2, round(2.5 * scale / 1.3)))
    halo = 2 * scale / 1.3
    for p in sorted(points, key=lambda p: -p["r"]):
        x, y = frame(p["lon"], p["lat"])
        r = p["r"] * scale
        d.ellipse([x - r - halo, y - r - halo, x + r + halo, y + r + halo], fill=tuple(p["line"]))
        d.ellipse([x - r, y - r, x + r, y + r], fill=tuple(p["fill"]))


def _png(img: Image.Image) -> bytes:
    out = io.BytesIO()
    img.save(out, format="PNG", optimize=True)
    return out.getvalue()


def render_slide_png(countries: dict, points: list[dict], focus: dict | None = None,
                     size: tuple[int, int] = SLIDE_SIZE, scale: float = SLIDE_POINT_SCALE) -> bytes:
    """The map alone, edge to edge, for a slide whose heading, legend and source line are page text
    (readable at any zoom, not shrunk with the picture). ``scale``: image pixels per on-screen pixel
    of a point's radius (the picture is drawn at about twice the size it is shown, for a sharp projector)."""
    img = Image.new("RGB", size, SEA)
    _draw_map(ImageDraw.Draw(img, "RGBA"), countries, None, points, slide_box(size), scale, focus, SLIDE_PAD)
    return _png(img)


def render_png(countries: dict, regions: dict | None, points: list[dict], meta: MapImage) -> bytes:
    """PNG bytes (WIDTH × HEIGHT) of the map: land, choropleth, borders and the organisations' points
    (``maps.point_records`` records: lon, lat, r, fill, line), with title, legend and source line."""
    img = Image.new("RGB", (WIDTH, HEIGHT), SEA)
    d = ImageDraw.Draw(img, "RGBA")
    # points a little larger than on the 900 px interactive map, as the image is twice as wide
    _draw_map(d, countries, regions, points, (30, TITLE_H, WIDTH - 30, HEIGHT - FOOT_H), 1.3)
    # frame around the map area, title block and footer (drawn last: nothing overlaps them)
    d.rectangle([0, 0, WIDTH, TITLE_H - 4], fill=(255, 255, 255))
    d.rectangle([0, HEIGHT - FOOT_H + 4, WIDTH, HEIGHT], fill=(255, 255, 255))
    d.text((30, 16), meta.title, fill=(20, 20, 20), font=_font(34))
    d.text((30, 58), meta.subtitle, fill=(70, 70, 70), font=_font(20))
    x = 30
    y = HEIGHT - FOOT_H + 16
    for colour, label in meta.legend:
        d.rectangle([x, y + 2, x + 22, y + 20], fill=tuple(colour), outline=(120, 120, 120))
        d.text((x + 28, y), label, fill=(30, 30, 30), font=_font(18))
        x += 40 + int(d.textlength(label, font=_font(18)))
        if x > WIDTH - 260:
            x, y = 30, y + 28
    d.text((30, HEIGHT - 40), meta.source, fill=(70, 70, 70), font=_font(17))
    return _png(img)
