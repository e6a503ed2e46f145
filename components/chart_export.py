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


def with_source(fig: go.Figure, source: str, width: int = 110) -> go.Figure:
    """The figure with its source line under the plot (so a saved PNG says where its numbers come from)."""
    lines = textwrap.wrap(source, width) or [source]
    fig.add_annotation(text="<br>".join(lines), xref="paper", yref="paper", x=0, y=0, xanchor="left",
                       yanchor="top", yshift=-44, showarrow=False, align="left",
                       font={"size": 11, "color": "rgb(80,80,80)"})
    m = fig.layout.margin
    fig.update_layout(margin={"b": max(int(m.b or 40), 60 + 14 * len(lines))},
                      height=int(fig.layout.height or 450) + 14 * len(lines))
    return fig
