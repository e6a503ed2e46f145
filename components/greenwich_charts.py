"""Plotly figure builders for the /greenwich page (data in → figure out; no Streamlit calls)."""
from __future__ import annotations

import math

import pandas as pd
import plotly.graph_objects as go

from cluster_data import benchmark as bm

BLUE = "rgb(0,114,178)"
SKY = "rgba(86,180,233,0.35)"
ORANGE = "rgb(230,159,0)"
VERMILION = "rgb(213,94,0)"
GREEN = "rgb(0,158,115)"
GREY = "rgb(150,150,150)"


def _layout(fig: go.Figure, title: str, height: int = 380, big: bool = False) -> go.Figure:
    fs = 18 if big else 13
    fig.update_layout(title={"text": title, "font": {"size": fs + 3}}, height=height, font={"size": fs},
                      margin={"l": 10, "r": 10, "t": 60, "b": 10}, template="none",
                      plot_bgcolor="white", paper_bgcolor="white",
                      legend={"orientation": "h", "y": -0.15})
    # a light explicit style instead of a full template: keeps figures small and fast to send
    fig.update_xaxes(gridcolor="#e5e5e5", linecolor="#888", automargin=True)
    fig.update_yaxes(gridcolor="#e5e5e5", linecolor="#888", automargin=True)
    return fig


def robustness_heatmap(rob: pd.DataFrame, big: bool = False) -> go.Figure:
    """Percentile rank (0–100) by metric (rows) × peer group (columns); no-data cells stay blank."""
    groups = list(dict.fromkeys(rob["group_label"]))
    mets = list(dict.fromkeys(rob["label"]))
    z, text = [], []
    for m in mets:
        zr, tr = [], []
        for g in groups:
            r = rob[(rob["label"] == m) & (rob["group_label"] == g)]
            v = r["percentile"].iloc[0] if len(r) else None
            n = int(r["n_peers"].iloc[0]) if len(r) else 0
            ok = v is not None and not (isinstance(v, float) and math.isnan(v))
            zr.append(float(v) if ok else None)
            tr.append(f"{float(v):.0f}" + (" (small, n=%d)" % n if n < 5 else f" (n={n})") if ok else "no data")
        z.append(zr)
        text.append(tr)
    fig = go.Figure(go.Heatmap(z=z, x=groups, y=mets, text=text, texttemplate="%{text}", zmin=0, zmax=100,
                               colorscale=[[0, "rgb(222,235,247)"], [1, BLUE]],
                               colorbar={"title": "percentile"}, hoverongaps=False,
                               hovertemplate="%{y}<br>%{x}: %{text}<extra></extra>"))
    fig.update_yaxes(autorange="reversed", showgrid=False)
    fig.update_xaxes(showgrid=False)
    fig = _layout(fig, "Scenario's percentile rank under each peer group (grey = no sourced data)",
                  height=160 + 55 * len(mets), big=big)
    fig.update_layout(plot_bgcolor="rgb(225,225,225)")
    return fig


def outlook_fan(years: list[int], low: list[float], central: list[float], high: list[float],
                ylabel: str, big: bool = False, title: str | None = None) -> go.Figure:
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=years, y=high, mode="lines", line={"width": 0}, name="high (75th pct ratio)",
                             hovertemplate="year %{x}: %{y:,.0f}<extra>high</extra>"))
    fig.add_trace(go.Scatter(x=years, y=low, mode="lines", line={"width": 0}, fill="tonexty", fillcolor=SKY,
                             name="low (25th pct ratio)", hovertemplate="year %{x}: %{y:,.0f}<extra>low</extra>"))
    fig.add_trace(go.Scatter(x=years, y=central, mode="lines+markers", line={"color": BLUE, "width": 3},
                             name="central (median ratio)",
                             hovertemplate="year %{x}: %{y:,.0f}<extra>central</extra>"))
    fig.update_xaxes(title="year of the scenario", dtick=1)
    fig.update_yaxes(title=ylabel, rangemode="tozero")
    fig = _layout(fig, title or "Jobs outlook (computed from the assumptions and peers' sourced ratios)", big=big)
    fig.update_layout(legend={"y": -0.25})  # below the x-axis title, not on it
    return fig


def funding_bars(fm: bm.FundingModel, big: bool = False) -> go.Figure:
    """Income by source (stacked) against costs, for the target year (all values are Assumption-driven)."""
    fig = go.Figure()
    for key, label, col in (("fees", "membership fees", BLUE), ("events", "events & conferences", GREEN),
                            ("services", "services", ORANGE), ("public", "public funding", GREY)):
        fig.add_trace(go.Bar(x=["Income"], y=[getattr(fm, key)], name=label, marker_color=col,
                             hovertemplate=f"{label}: £%{{y:,.0f}}<extra></extra>"))
    fig.add_trace(go.Bar(x=["Costs"], y=[fm.costs], name="costs (staff + overheads)", marker_color=VERMILION,
                         hovertemplate="costs: £%{y:,.0f}<extra></extra>"))
    fig.update_layout(barmode="stack")
    fig.update_yaxes(title="£ per year", tickformat=",.0f")
    return _layout(fig, "Income and costs at the target membership (Assumption-based)", big=big)


def peer_strip(values: pd.Series, names: dict, scenario: float, label: str, big: bool = False) -> go.Figure:
    """Each peer's sourced value as a dot with the scenario value as a line (missing peers are not drawn)."""
    v = values.dropna().sort_values()
    fig = go.Figure(go.Scatter(x=list(v.values), y=[label] * len(v), mode="markers",
                               marker={"size": 12, "color": BLUE, "opacity": 0.7},
                               text=[names.get(i, i) for i in v.index],
                               hovertemplate="%{text}: %{x:,.0f}<extra></extra>", name="peers (sourced)"))
    fig.add_vline(x=scenario, line_color=VERMILION, line_width=3, annotation_text="scenario (Assumption)")
    return _layout(fig, f"{label}: peers vs the scenario", height=220, big=big)
