"""Plotly figure builders for /compare (DataFrame in, figure out; no Streamlit calls).

Missing values are never drawn as zero: a row without a sourced value gets an
annotated "no source" gap instead of a marker.
"""
from __future__ import annotations

import math

import pandas as pd
import plotly.graph_objects as go

from cluster_data.display import MISSING

BLUE = "rgb(0,114,178)"
ORANGE = "rgb(213,94,0)"
GREY = "rgb(110,110,110)"
PALETTE = ["rgb(0,114,178)", "rgb(213,94,0)", "rgb(0,158,115)", "rgb(230,159,0)", "rgb(204,121,167)",
           "rgb(86,180,233)", "rgb(120,94,60)", "rgb(90,90,90)"]


def _short(name: str, n: int = 38) -> str:
    name = str(name)
    return name if len(name) <= n else name[: n - 1] + "…"


def chart_label(name: str, width: int = 26, max_lines: int = 3) -> str:
    """A name as a chart axis or legend shows it: wrapped onto lines of about ``width`` characters
    (plotly ``<br>``), never cut mid-word. A name too long for ``max_lines`` drops its parenthesised
    aside ("OBN (formerly Oxfordshire Bioscience Network)" -> "OBN"); the full name is on hover and in
    the table. Only as a last resort is the final line shortened with "…"."""
    import textwrap

    full = " ".join(str(name).split())
    lines = textwrap.wrap(full, width) or [full]
    if len(lines) > max_lines and " (" in full:
        lines = textwrap.wrap(full.split(" (")[0], width) or lines
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = lines[-1].rstrip(" ,;/") + "…"
    return "<br>".join(lines)


def chart_labels(names, width: int = 26, max_lines: int = 3) -> list[str]:
    """``chart_label`` for each name, kept distinct (a category axis merges equal labels)."""
    out: list[str] = []
    for n in names:
        lab = chart_label(n, width, max_lines)
        while lab in out:
            lab += "\u200b"  # invisible, keeps two organisations with one short name apart
        out.append(lab)
    return out


def _base_layout(title: str, height: int) -> dict:
    return {"title": {"text": title, "font": {"size": 16}}, "height": height,
            "margin": {"l": 10, "r": 30, "t": 50, "b": 40}, "plot_bgcolor": "white", "font": {"size": 14},
            "showlegend": False,
            "xaxis": {"showgrid": True, "gridcolor": "rgb(230,230,230)", "zeroline": False},
            "yaxis": {}, "annotations": [], "shapes": []}


def _vline(layout: dict, x: float, text: str, colour: str, dash: str, xanchor: str = "center") -> None:
    layout["shapes"].append({"type": "line", "xref": "x", "yref": "paper", "x0": x, "x1": x, "y0": 0, "y1": 1,
                             "line": {"color": colour, "dash": dash, "width": 2}})
    layout["annotations"].append({"x": x, "xref": "x", "y": 1, "yref": "paper", "yanchor": "bottom", "text": text,
                                  "xanchor": xanchor,
                                  "showarrow": False, "font": {"color": colour, "size": 12}})


def _hline(layout: dict, y: float, text: str, colour: str, dash: str) -> None:
    layout["shapes"].append({"type": "line", "xref": "paper", "yref": "y", "x0": 0, "x1": 1, "y0": y, "y1": y,
                             "line": {"color": colour, "dash": dash, "width": 2}})
    layout["annotations"].append({"x": 1, "xref": "paper", "y": y, "yref": "y", "xanchor": "right", "yanchor": "bottom",
                                  "text": text, "showarrow": False, "font": {"color": colour, "size": 12}})


def _fig(traces: list[dict], layout: dict) -> go.Figure:
    # one-shot construction (much faster than incremental update_* calls)
    return go.Figure({"data": traces, "layout": layout})


def dot_plot(df: pd.DataFrame, value_col: str, title: str, x_title: str, reference: dict | None = None) -> go.Figure:
    """Horizontal dot plot: one row per organisation (column ``name``).

    ``lower_bound`` rows use a right-pointing triangle ("more than"); missing values are
    an annotated "no source" gap (no marker, no bar). ``reference`` = {"value", "label"}
    draws a dashed benchmark line.
    """
    names = chart_labels(df["name"])
    full = [str(n) for n in df["name"]]
    vals = [None if (v is None or v != v) else float(v) for v in pd.to_numeric(df[value_col], errors="coerce")]
    lbs = [bool(b) for b in df["lower_bound"]] if "lower_bound" in df else [False] * len(names)
    layout = _base_layout(title, 90 + 22 * sum(n.count("<br>") + 1 for n in names) + 20 * max(len(names), 2))
    # room for the longest label line, set explicitly: the PNG export re-lays out the figure and its
    # automargin alone left the first letters of a wrapped name outside the image
    longest = max((len(part) for n in names for part in n.split("<br>")), default=10)
    layout["margin"]["l"] = min(8 * longest + 16, 200)
    traces = []
    for is_lb, sym, nm in ((False, "circle", "value"), (True, "triangle-right", "more than (lower bound)")):
        idx = [i for i, v in enumerate(vals) if v is not None and lbs[i] == is_lb]
        if idx:
            traces.append({"type": "scatter", "mode": "markers", "name": nm, "x": [vals[i] for i in idx],
                           "y": [names[i] for i in idx], "customdata": [full[i] for i in idx],
                           "marker": {"size": 16, "symbol": sym, "color": BLUE, "line": {"width": 1, "color": "black"}},
                           "hovertemplate": "%{customdata}: " + ("more than " if is_lb else "") + "%{x:,}<extra></extra>"})
    gaps = [i for i, v in enumerate(vals) if v is None]
    for i in gaps:
        layout["annotations"].append({"x": 0.01, "xref": "paper", "y": names[i], "yref": "y", "xanchor": "left",
                                      "text": "◌ " + MISSING + " (gap)", "showarrow": False,
                                      "font": {"color": GREY, "size": 13}})
    # keep every organisation on the axis, including the gaps
    layout["yaxis"].update({"type": "category", "categoryorder": "array", "categoryarray": list(reversed(names)),
                            "range": [-0.5, len(names) - 0.5], "automargin": True})
    present = [v for v in vals if v is not None]
    ref = reference.get("value") if reference else None
    if ref is not None:
        # the label sits on the side of the line with room (a phone has no margin to spare)
        side = "right" if float(ref) >= 0.5 * max(present + [float(ref)]) else "left"
        _vline(layout, float(ref), reference.get("label", "benchmark"), ORANGE, "dash", xanchor=side)
    hi = max(present + ([float(ref)] if ref is not None else []), default=None)
    lo = min(present, default=0.0)
    x = layout["xaxis"]
    x["title"] = {"text": chart_label(x_title, 22, 3)}  # wrapped: fits beside long names on a phone
    if hi is not None:
        x["range"] = [min(0.0, lo), hi * 1.12 if hi > 0 else 1]
    else:
        x["range"] = [0, 1]
        x["showticklabels"] = False
    return _fig(traces, layout)


def size_vs_index(df: pd.DataFrame, x_med: float | None, y_med: float | None) -> go.Figure:
    """Scatter of members (x) against the index score (y); quadrant lines at the selection's medians.

    ``df`` columns: name, members_total, score, lower_bound (members are "more than").
    """
    layout = _base_layout("Size against internationalisation", 460)
    traces = []
    if not df.empty:
        lb = [bool(b) for b in df["lower_bound"]]
        traces.append({"type": "scatter", "mode": "markers+text", "x": [float(v) for v in df["members_total"]],
                       "y": [float(v) for v in df["score"]], "text": chart_labels(df["name"], 22, 2),
                       "customdata": [str(n) for n in df["name"]], "textposition": "top center",
                       "marker": {"size": 16, "color": BLUE, "symbol": ["triangle-right" if b else "circle" for b in lb],
                                  "line": {"width": 1, "color": "black"}},
                       "hovertemplate": "%{customdata}<br>members %{x:,}<br>index %{y:.0f}<extra></extra>"})
    if x_med is not None and not math.isnan(x_med):
        _vline(layout, x_med, "median members", GREY, "dot")
    if y_med is not None and not math.isnan(y_med):
        _hline(layout, y_med, "median index", GREY, "dot")
    layout["xaxis"]["title"] = {"text": "Members (headline; ▸ = 'more than')"}
    if not df.empty:
        lo, hi = float(df["members_total"].min()), float(df["members_total"].max())
        pad = max((hi - lo) * 0.25, hi * 0.15, 1.0)
        layout["xaxis"]["range"] = [max(lo - pad, 0.0) if lo >= 0 else lo - pad, hi + pad]
    layout["yaxis"].update({"title": {"text": "Internationalisation index (0–100)"}, "range": [-5, 110]})
    return _fig(traces, layout)


def height_for_legend(base: int, names: list[str]) -> int:
    """Room below the plot for a horizontal legend whose entries may wrap onto several lines."""
    return base + 18 * sum(str(n).count("<br>") + 1 for n in names)


def time_series(ts: pd.DataFrame, labels: dict[str, str], title: str, y_title: str) -> go.Figure:
    """One line per region (columns region, year, value); missing years stay gaps."""
    layout = _base_layout(title, 440)
    traces = []
    for k, (reg, d) in enumerate(ts.groupby("region", sort=True)):
        got = dict(zip(d["year"].astype(int), d["value"]))
        years = list(range(int(d["year"].min()), int(d["year"].max()) + 1))
        traces.append({"type": "scatter", "mode": "lines+markers", "name": labels.get(reg, reg), "x": years,
                       "hovertemplate": "%{fullData.name}<br>%{x}: %{y:,}<extra></extra>",
                       "y": [None if (got.get(y) is None or got.get(y) != got.get(y)) else float(got[y]) for y in years],
                       "line": {"color": PALETTE[k % len(PALETTE)], "width": 3}, "connectgaps": False})
    layout["xaxis"].update({"title": {"text": "Year"}, "dtick": 1})
    layout["yaxis"]["title"] = {"text": y_title}
    layout["showlegend"] = True
    layout["legend"] = {"orientation": "h", "y": -0.2, "yanchor": "top"}
    layout["height"] = height_for_legend(440, [t["name"] for t in traces])
    return _fig(traces, layout)
