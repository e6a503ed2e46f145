"""Chart export settings (issue 17, point 13): the camera button saves a presentation-size PNG that
carries its own title and source line. Figure in, figure out; no data maths (only the title block's layout)."""
from __future__ import annotations

import math
import re
import textwrap

import plotly.graph_objects as go

EXPORT_WIDTH = 1000   # layout width (px) of the exported image, before scaling
EXPORT_SCALE = 2      # -> 2000 px wide: presentation resolution, text scaled with it
# The title block's geometry as plotly.js draws it (measured in Chromium), in px or em of the font:
LINE = 1.3            # line spacing (em)
TITLE_PAD = 12        # above the title (px)
MULTILINE_LIFT = 0.75  # text of two or more lines is drawn about this much higher (em of its font)
SUBTITLE_GAP = 1.3    # from the title to the top of the source line, at most (em of the source font)
MIN_GAP = 12          # at least this much between the source line and the plot (px)


def config(filename: str, height: int | None = None) -> dict:
    """``st.plotly_chart`` config: PNG download at EXPORT_WIDTH × EXPORT_SCALE px, the figure's own height."""
    safe = re.sub(r"[^A-Za-z0-9_-]+", "_", filename).strip("_") or "chart"
    return {"displaylogo": False,
            "toImageButtonOptions": {"format": "png", "filename": safe, "width": EXPORT_WIDTH,
                                     "height": max(int(height or 450), 380), "scale": EXPORT_SCALE}}


def with_source(fig: go.Figure, source: str, width: int = 52, size: int = 11, keep: int | None = None,
                title_width: int = 40) -> go.Figure:
    """The figure with its source line as the title's subtitle (so a saved PNG says where its numbers come
    from). The title block is placed on the whole figure, not the plot area, so long axis labels never push
    the line off the picture; it is wrapped short enough for a 390 px phone (``width`` characters of the
    source line, at ``size`` px; ``title_width`` of a title without line breaks of its own).

    The figure's own top margin is read as room for a one-line title plus what it keeps above its plot
    (annotations, top tick labels); the top margin and the height grow by the extra title lines and the
    source lines, so the plot area keeps its size. ``keep`` (px) sets the room between the source line and the
    plot instead (a figure without a title of its own, whose top tick labels need it)."""
    lines = textwrap.wrap(source, width) or [source]
    title = fig.layout.title.text or ""
    if "<br>" not in title:  # a long title wraps too, so it fits a phone
        t_lines = textwrap.wrap(title, title_width) or [title]
        title = "<br>".join(t_lines)
    n_title = title.count("<br>") + 1 if title.strip() else 0  # no title: the source line stands alone
    fs = fig.layout.title.font.size or round(1.4 * (fig.layout.font.size or 12))  # plotly's default title size
    # plotly lifts a title of two or more lines by about its cap height: move it down again, or its first
    # line sticks out of the top of the chart
    pad = TITLE_PAD + (math.ceil(MULTILINE_LIFT * fs) if n_title > 1 else 0)
    m_t = int(fig.layout.margin.t if fig.layout.margin.t is not None else 50)
    kept = max(m_t - (TITLE_PAD + LINE * fs) if keep is None else keep, MIN_GAP)  # room above the plot
    # the source line's top: below the title, or (no title) where plotly puts a lone subtitle; a source of
    # two or more lines is lifted like a title
    sub_top = pad + (LINE * fs * n_title + SUBTITLE_GAP * size if n_title else LINE * size - TITLE_PAD)
    if len(lines) > 1:
        sub_top -= MULTILINE_LIFT * size
    block = sub_top + LINE * size * len(lines)
    top = math.ceil(block + kept)
    fig.update_layout(
        title={"text": title, "x": 0.01, "xanchor": "left", "xref": "container", "yref": "container",
               "y": 1, "yanchor": "top", "pad": {"t": pad},
               "subtitle": {"text": "<br>".join(lines), "font": {"size": size, "color": "rgb(80,80,80)"}}},
        margin={"t": top}, height=int(fig.layout.height or 450) + top - m_t)
    return fig


def source_text(spec: dict) -> str:
    """The source line of a figure spec (for tests and readers of the JSON)."""
    return str(((spec.get("layout", {}).get("title") or {}).get("subtitle") or {}).get("text", ""))
