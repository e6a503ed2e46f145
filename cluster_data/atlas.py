"""Atlas logic (pure): filtering organisations, map classes, point sizes, compare suggestions."""
from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from cluster_data import display, provenance, regional

SIZE_MEASURES = {
    "members_total": "Members",
    "employees_in_members": "Employees in member firms",
}
HOLLOW_NOTE = "hollow = size not sourced"  # how a point with no sourced size measure is drawn, in every legend

# ColorBrewer YlGnBu, 5 classes (colour-blind safe, prints in greyscale)
CLASS_COLOURS = [(255, 255, 204), (161, 218, 180), (65, 182, 196), (44, 127, 184), (37, 52, 148)]
NO_DATA_COLOUR = (215, 215, 215)


@dataclass
class AtlasFilters:
    sectors: list[str] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)
    esca: list[str] = field(default_factory=list)
    types: list[str] = field(default_factory=lambda: ["cluster_org"])
    min_size: int = 0
    size_by: str = "members_total"
    q: str = ""


# The longest list the page itself draws (the table twin, the profile picker, the not-on-the-map list). A filter
# matching more shows the first LIST_MAX rows and says so; the CSV download always holds every matching row.
# (The shipped data has 259 organisations: at its size nothing is cut. At 10x it keeps the page under 1 MB.)
LIST_MAX = 300


def list_cut_note(n_shown: int, n_all: int, noun: str = "organisations") -> str:
    """'' when nothing is cut; otherwise what is shown and where the rest are."""
    if n_all <= n_shown:
        return ""
    return (f"Showing the first {display.fmt_int(n_shown)} of {display.fmt_int(n_all)} {noun}. Narrow the filters "
            f"to list the others here; the CSV download holds all {display.fmt_int(n_all)}.")


def filter_orgs(org: pd.DataFrame, f: AtlasFilters, q_countries: tuple[str, ...] = ()) -> pd.DataFrame:
    """Organisations matching every filter. ``min_size`` > 0 keeps only orgs whose
    size measure is known and at least that large (unknown sizes can't pass a minimum).
    ``q_countries``: country codes the search text names (``countries.matching``), so searching
    "Denmark" or "UK" finds the organisations in DK or GB as well as names and cities containing it."""
    d = org
    if f.types:
        d = d[d["row_type"].isin(f.types) | (d.get("imported", False) == True)]  # noqa: E712 - imports always shown
    if f.sectors:
        d = d[d["sector"].isin(f.sectors)]
    if f.countries:
        d = d[d["country"].isin(f.countries)]
    if f.esca:
        d = d[d["esca_label"].isin(f.esca)]
    if f.min_size and f.min_size > 0:
        d = d[d[f.size_by].notna() & (d[f.size_by] >= f.min_size)]
    if f.q:
        q = f.q.strip().lower()
        if q:
            hay = d["name"].fillna("").str.lower() + " " + d["city"].fillna("").str.lower()
            hit = hay.str.contains(q, regex=False)
            if q_countries:
                hit = hit | d["country"].isin(list(q_countries))
            d = d[hit]
    return d


def point_radius(values: pd.Series, min_px: float = 4.0, max_px: float = 22.0,
                 scale_max: float | None = None) -> pd.Series:
    """Pixel radius ∝ sqrt(value) scaled to [min_px, max_px]; unknown → min_px (drawn hollow).

    ``scale_max``: the value drawn at ``max_px`` — pass ``radius_scale_max`` of the whole dataset so a point's
    size never depends on the filter (a 55-member cluster stays small when it is the largest one shown)."""
    v = pd.to_numeric(values, errors="coerce")
    known = v.dropna()
    if known.empty:
        return pd.Series(min_px, index=values.index)
    top = math.sqrt(max(float(scale_max if scale_max is not None else known.max()), float(known.max()), 1.0))
    r = min_px + (np.sqrt(v.clip(lower=0)) / top) * (max_px - min_px)
    return r.fillna(min_px).round(2)


def radius_scale_max(org: pd.DataFrame, size_by: str) -> float | None:
    """The largest sourced value of ``size_by`` in the whole dataset (all rows, before any filter)."""
    if size_by not in org.columns:
        return None
    v = pd.to_numeric(org[size_by], errors="coerce").dropna()
    return float(v.max()) if not v.empty else None


@dataclass(frozen=True)
class MapView:
    latitude: float
    longitude: float
    zoom: float


#: The whole of Europe (no organisation shown, or the filter spans the continent).
EUROPE = MapView(52.0, 12.0, 3.0)


def fit_view(lats, lons, width_px: int = 900, height_px: int = 560, min_zoom: float = 2.5,
             max_zoom: float = 7.0, pad: float = 0.15) -> MapView:
    """The Web-Mercator view (centre and zoom) that shows every point, with ``pad`` margin each side.

    Zoom z shows 256·2^z px per 360° of longitude; latitude spans are measured in Mercator y.
    One point (or several at one place) gets ``max_zoom``; none gets the whole of Europe."""
    pts = [(float(a), float(b)) for a, b in zip(lats, lons) if a == a and b == b]
    if not pts:
        return EUROPE
    la = [p[0] for p in pts]
    lo = [p[1] for p in pts]

    def merc(lat: float) -> float:
        lat = max(min(lat, 85.0), -85.0)
        return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))

    y0, y1 = merc(min(la)), merc(max(la))
    lon_span = max(lo) - min(lo)
    lat_span_rad = y1 - y0
    usable_w, usable_h = width_px * (1 - 2 * pad), height_px * (1 - 2 * pad)
    zooms = [max_zoom]
    if lon_span > 0:
        zooms.append(math.log2(usable_w * 360.0 / (256.0 * lon_span)))
    if lat_span_rad > 0:
        zooms.append(math.log2(usable_h * 2 * math.pi / (256.0 * lat_span_rad)))
    zoom = max(min_zoom, min(zooms))
    ymid = (y0 + y1) / 2
    lat_c = math.degrees(2 * math.atan(math.exp(ymid)) - math.pi / 2)
    return MapView(round(lat_c, 4), round((max(lo) + min(lo)) / 2, 4), round(zoom, 2))


def indicator_text(ind: str, unit: str, v) -> str:
    """A regional indicator's value as the map, legend and profile write it (cluster_data.display):
    a location quotient to two decimals, a percentage to one, anything else a whole number."""
    if "lq" in ind:
        return display.fmt_lq(v)
    if str(unit).startswith("%"):
        return display.fmt_number(v, missing=display.NO_DATA)
    return display.fmt_int(v, missing=display.NO_DATA)


def quantile_breaks(values: pd.Series, k: int = 5) -> list[float]:
    """Upper bounds of k quantile classes (deduplicated)."""
    v = pd.to_numeric(values, errors="coerce").dropna()
    if v.empty:
        return []
    qs = [float(v.quantile(i / k)) for i in range(1, k + 1)]
    out: list[float] = []
    for q in qs:
        if not out or q > out[-1]:
            out.append(q)
    return out


def class_of(value, breaks: list[float]) -> int | None:
    if value is None or (isinstance(value, float) and math.isnan(value)) or not breaks:
        return None
    for i, b in enumerate(breaks):
        if value <= b:
            return i
    return len(breaks) - 1


def class_colour(idx: int | None, n: int) -> tuple[int, int, int]:
    if idx is None:
        return NO_DATA_COLOUR
    if n <= 1:
        return CLASS_COLOURS[2]
    pos = round(idx * (len(CLASS_COLOURS) - 1) / (n - 1))
    return CLASS_COLOURS[pos]


def legend_classes(breaks: list[float], values: pd.Series) -> list[dict]:
    v = pd.to_numeric(values, errors="coerce").dropna()
    lo = float(v.min()) if not v.empty else None
    out = []
    prev = lo
    for i, b in enumerate(breaks):
        out.append({"from": prev, "to": b, "colour": class_colour(i, len(breaks))})
        prev = b
    return out


def compare_suggestion(org: pd.DataFrame, org_id: str, n: int = 2) -> list[str]:
    """The organisation plus up to ``n`` same-sector cluster organisations in other countries
    with the largest sourced member counts (a starting point for /compare)."""
    row = org[org["id"] == org_id]
    if row.empty:
        return []
    r = row.iloc[0]
    peers = org[(org["sector"] == r["sector"]) & (org["row_type"] == "cluster_org") & (org["id"] != org_id)
                & (org["country"] != r["country"]) & org["members_total"].notna()]
    peers = peers.sort_values(["members_total", "id"], ascending=[False, True]).head(n)
    return [org_id] + peers["id"].tolist()


PROFILE_FIELDS = [
    "members_total", "members_sme", "members_sme_share_pct", "members_international", "employees_in_members",
    "ecosystem_firms", "ecosystem_employment", "jobs_created", "countries_partnered", "eu_cluster_partnerships",
    "international_partners", "esca_label", "funding_public_share_pct", "funding_membership_share_pct",
    "funding_self_financing_share_pct", "funding_model_note", "public_funding_note", "founded_year",
]


def outline_segments(fc: dict, keep: tuple[str, ...] = (), shared_once: bool = True) -> list[dict]:
    """The polygon outlines of a GeoJSON FeatureCollection as straight segments ``{"s": [x, y], "t": [x, y]}``.

    Drawn with deck.gl's LineLayer instead of a stroked GeoJsonLayer: the PathLayer shader behind polygon
    strokes costs a browser without a GPU (software WebGL) about 0.8 s to compile on the first frame.
    ``shared_once``: a border two features share is drawn once. ``keep``: feature properties copied
    onto each segment (a segment then belongs to one feature; nothing is merged across features)."""
    out: list[dict] = []
    seen: set = set()
    for f in fc.get("features", []):
        g = f.get("geometry") or {}
        polys = g.get("coordinates") or []
        if g.get("type") == "Polygon":
            polys = [polys]
        elif g.get("type") != "MultiPolygon":
            continue
        props = {k: (f.get("properties") or {}).get(k) for k in keep}
        for poly in polys:
            for ring in poly:
                for a, b in zip(ring, ring[1:]):
                    a, b = (a[0], a[1]), (b[0], b[1])
                    if a == b:
                        continue
                    key = (min(a, b), max(a, b)) if not keep else (props.get(keep[0]), min(a, b), max(a, b))
                    if shared_once and key in seen:
                        continue
                    seen.add(key)
                    out.append({"s": list(a), "t": list(b), **props})
    return out


@dataclass(frozen=True)
class Profile:
    """A shipped organisation's profile: evidence per profile field (those with a source, those without),
    its NUTS 2 region's statistics (each with its source) and the peers to compare it with."""
    known: list          # [(field, evidence rows)] for fields a source holds
    unknown: list        # [(field, [])] for the fields no source holds
    context: pd.DataFrame
    compare_ids: list[str]


def profile(org: pd.DataFrame, org_facts: pd.DataFrame, sources: pd.DataFrame, ri: pd.DataFrame, org_id: str) -> Profile:
    """The profile of ``org_id`` from its facts, the sources (indexed by source_id) and the regional indicators."""
    known, unknown = [], []
    for fld in PROFILE_FIELDS:
        ev = provenance.evidence(org_facts, sources, org_id, fld)
        (known if ev else unknown).append((fld, ev))
    r = org[org["id"] == org_id].iloc[0]
    ctx = regional.region_context(ri, r.get("nuts2_2016") if pd.notna(r.get("nuts2_2016")) else None)
    rows = [{"Indicator": c["label"], "Value": indicator_text(c["indicator"], c["unit"], c["value"]), "Unit": c["unit"],
             "Year": display.fmt_year(c["year"], missing=""),
             "Source": (provenance.indicator_source(sources, c["indicator"]) or {}).get("title", "")}
            for _, c in ctx.iterrows()]
    return Profile(known=known, unknown=unknown, context=pd.DataFrame(rows), compare_ids=compare_suggestion(org, org_id))
