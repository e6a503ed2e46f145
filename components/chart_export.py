"""Chart export settings (issue 17, point 13): the camera button saves a presentation-size PNG that
carries its own title and source line. Figure in, figure out; no maths."""
from __future__ import annotations

import re
import textwrap

import plotly.graph_objects as go

EXPORT_WIDTH = 1000   # layout width (px) of the exported image, before scaling
EXPORT_SCALE = 2      # -> 2000 px wide: presentation resolution, text scaled with it


def config(filename: str, height: int | None = None) -> dict:
    """``st.plotly_chart`` config: PNG download at EXPORT_WIDTH × EXPORT_SCALE px, the figure's own height."""
    safe = re.sub(r"[^A-Za-z0-9_-]+", "_", filename).strip("_") or "chart"
    return {"displaylogo": False,
            "toImageButtonOptions": {"format": "png", "filename": safe, "width": EXPORT_WIDTH,
                                     "height": max(int(height or 450), 380), "scale": EXPORT_SCALE}}


def with_source(fig: go.Figure, source: str, width: int = 52) -> go.Figure:
    """The figure with its source line as the title's subtitle (so a saved PNG says where its numbers come
    from). The title block is placed on the whole figure, not the plot area, so long axis labels never push
    the line off the picture; it is wrapped short enough for a 390 px phone."""
    lines = textwrap.wrap(source, width) or [source]
    title = fig.layout.title.text or ""
    if "<br>" not in title:  # a long title wraps too, so it fits a phone
        t_lines = textwrap.wrap(title, 40) or [title]
        title = "<br>".join(t_lines)
    m = fig.layout.margin
    extra = 15 * len(lines) + 20 * title.count("<br>")
    fig.update_layout(
        title={"text": title, "x": 0.01, "xanchor": "left", "xref": "container", "yref": "container",
               "y": 1, "yanchor": "top", "pad": {"t": 12},
               "subtitle": {"text": "<br>".join(lines), "font": {"size": 11, "color": "rgb(80,80,80)"}}},
        margin={"t": int(m.t or 50) + extra + 8}, height=int(fig.layout.height or 450) + extra + 8)
    return fig


def source_text(spec: dict) -> str:
    """The source line of a figure spec (for tests and readers of the JSON)."""
    return str(((spec.get("layout", {}).get("title") or {}).get("subtitle") or {}).get("text", ""))
