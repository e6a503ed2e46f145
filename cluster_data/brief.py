"""Self-contained HTML brief of a Greenwich scenario (pure Python, no network needed to open).

No external scripts, stylesheets, fonts or images: charts are inline SVG drawn
here. Every piece of text goes through :func:`html.escape`; links to sources are
plain anchors with http(s) URLs only.
"""
from __future__ import annotations

import html
import math
from typing import Any, Iterable, Sequence

import pandas as pd

CSS = """
body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,Arial,sans-serif;max-width:960px;margin:2rem auto;
padding:0 1rem;color:#111;line-height:1.45}
h1{font-size:1.8rem}h2{font-size:1.35rem;border-bottom:2px solid #0072b2;padding-bottom:.2rem;margin-top:2rem}
table{border-collapse:collapse;margin:.6rem 0;font-size:.9rem}th,td{border:1px solid #bbb;padding:.25rem .5rem;
text-align:left;vertical-align:top}th{background:#eef3f8}.assumption{background:#fff3d6;font-weight:600;
padding:0 .3rem;border-radius:3px}.note{color:#444;font-size:.9rem}.warn{color:#8a3b00}
svg text{font-family:inherit}code{word-break:break-all;white-space:normal}
"""


def esc(x: Any) -> str:
    """Escape any value for HTML text or attribute content (None/NaN → empty)."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return ""
    return html.escape(str(x), quote=True)


def _cell(v: Any, key: str = "") -> str:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "no source"
    if isinstance(v, bool):
        return "yes" if v else "no"
    if key == "year" and isinstance(v, (int, float)):
        return str(int(v))
    if isinstance(v, float):
        if abs(v) >= 100 or v.is_integer():
            return f"{v:,.0f}"
        return f"{v:,.2f}".rstrip("0").rstrip(".")
    if isinstance(v, int):
        return f"{v:,}"
    return str(v)


def table(rows: Sequence[dict] | pd.DataFrame, columns: dict[str, str] | None = None) -> str:
    """HTML table from records; ``columns`` maps key → header (default: all keys)."""
    if isinstance(rows, pd.DataFrame):
        rows = rows.to_dict("records")
    rows = list(rows)
    if not rows:
        return "<p class='note'>No rows.</p>"
    cols = columns or {k: k for k in rows[0]}
    head = "".join(f"<th>{esc(h)}</th>" for h in cols.values())
    body = "".join("<tr>" + "".join(f"<td>{esc(_cell(r.get(k), k))}</td>" for k in cols) + "</tr>" for r in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _safe_url(url: Any) -> str | None:
    if isinstance(url, str) and url.startswith(("http://", "https://")) and not any(c in url for c in " \"'<>"):
        return url
    return None


# ----------------------------------------------------------------- inline SVG charts
def fan_svg(years: Sequence[int], low: Sequence[float], central: Sequence[float], high: Sequence[float],
            width: int = 640, height: int = 280, ylabel: str = "jobs") -> str:
    """Inline SVG fan chart (band low–high, line central)."""
    pts = [(y, lo, c, hi) for y, lo, c, hi in zip(years, low, central, high)
           if all(isinstance(v, (int, float)) and math.isfinite(v) for v in (lo, c, hi))]
    if len(pts) < 2:
        return "<p class='note'>No chart: not enough values.</p>"
    ml, mr, mt, mb = 70, 20, 34, 40
    x0, x1 = min(p[0] for p in pts), max(p[0] for p in pts)
    ymax = max(p[3] for p in pts) or 1.0

    def sx(x: float) -> float:
        return ml + (x - x0) / ((x1 - x0) or 1) * (width - ml - mr)

    def sy(y: float) -> float:
        return height - mb - y / ymax * (height - mt - mb)

    band = " ".join(f"{sx(p[0]):.1f},{sy(p[3]):.1f}" for p in pts) + " " + \
        " ".join(f"{sx(p[0]):.1f},{sy(p[1]):.1f}" for p in reversed(pts))
    line = " ".join(f"{sx(p[0]):.1f},{sy(p[2]):.1f}" for p in pts)
    ticks = "".join(
        f"<text x='{sx(p[0]):.1f}' y='{height - mb + 18}' text-anchor='middle' font-size='12'>{esc(p[0])}</text>"
        for p in pts)
    yt = "".join(
        f"<line x1='{ml}' x2='{width - mr}' y1='{sy(v):.1f}' y2='{sy(v):.1f}' stroke='#ddd'/>"
        f"<text x='{ml - 6}' y='{sy(v) + 4:.1f}' text-anchor='end' font-size='12'>{esc(f'{v:,.0f}')}</text>"
        for v in (0, ymax / 2, ymax))
    return (f"<svg width='{width}' height='{height}' role='img' "
            f"aria-label='{esc('Jobs outlook fan: low, central and high')}'>{yt}"
            f"<polygon points='{band}' fill='#56b4e9' fill-opacity='0.35' stroke='none'/>"
            f"<polyline points='{line}' fill='none' stroke='#0072b2' stroke-width='3'/>{ticks}"
            f"<text x='{ml}' y='{height - 6}' font-size='12'>{esc('year of the scenario')}</text>"
            f"<text x='12' y='14' font-size='12'>{esc(ylabel)}</text></svg>")


def _wrap(text: str, width: int) -> list[str]:
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines or [""]


def heatmap_svg(rows: Sequence[str], cols: Sequence[str], values: dict[tuple[str, str], float | None],
                cell_w: int = 120, cell_h: int = 30, label_w: int = 230,
                notes: dict[tuple[str, str], str] | None = None) -> str:
    """Inline SVG table-heatmap of percentiles (0–100); missing cells are grey with 'no data'."""
    width = label_w + cell_w * len(cols) + 10
    height = 52 + cell_h * len(rows) + 10
    parts = [f"<svg width='{width}' height='{height}' role='img' "
             f"aria-label='{esc('Percentile rank by peer group')}'>"]
    for j, c in enumerate(cols):
        lines = _wrap(str(c), 18)[:3]
        cx = label_w + j * cell_w + cell_w / 2
        spans = "".join(f"<tspan x='{cx}' y='{16 + 12 * k}'>{esc(t)}</tspan>" for k, t in enumerate(lines))
        parts.append(f"<text text-anchor='middle' font-size='11'>{spans}</text>")
    for i, r in enumerate(rows):
        y = 52 + i * cell_h
        parts.append(f"<text x='4' y='{y + cell_h / 2 + 4}' font-size='12'>{esc(r)}</text>")
        for j, c in enumerate(cols):
            v = values.get((r, c))
            x = label_w + j * cell_w
            if v is None or (isinstance(v, float) and math.isnan(v)):
                fill, txt, col = "#e6e6e6", "no data", "#333"
            else:
                t = max(0.0, min(1.0, float(v) / 100))
                # white → Okabe–Ito blue
                rgb = tuple(int(255 + (b - 255) * t) for b in (0, 114, 178))
                fill = f"rgb({rgb[0]},{rgb[1]},{rgb[2]})"
                txt, col = f"{float(v):.0f}", "#fff" if t > 0.55 else "#000"
                if notes and notes.get((r, c)):
                    txt += " " + notes[(r, c)]
            parts.append(f"<rect x='{x}' y='{y}' width='{cell_w - 2}' height='{cell_h - 2}' fill='{fill}'/>"
                         f"<text x='{x + cell_w / 2}' y='{y + cell_h / 2 + 4}' text-anchor='middle' "
                         f"font-size='12' fill='{col}'>{esc(txt)}</text>")
    parts.append("</svg>")
    return "".join(parts)


# ----------------------------------------------------------------- the brief
def _list(items: Iterable[str]) -> str:
    lis = "".join(f"<li>{esc(t)}</li>" for t in items)
    return f"<ul>{lis}</ul>" if lis else "<p class='note'>None.</p>"


def source_list(sources: Sequence[dict]) -> str:
    lis = []
    seen = set()
    for s in sources:
        key = s.get("source_id") or (s.get("title"), s.get("url"))
        if key in seen:
            continue
        seen.add(key)
        title = esc(s.get("title") or "untitled source")
        url = _safe_url(s.get("url"))
        link = f"<a href='{esc(url)}'>{title}</a> — {esc(url)}" if url else f"{title} (no link)"
        bits = [esc(s.get(k)) for k in ("publisher", "date") if s.get(k)]
        lis.append(f"<li>{link}{(' — ' + ', '.join(bits)) if bits else ''}</li>")
    return f"<ol>{''.join(lis)}</ol>" if lis else "<p class='note'>No sources.</p>"


def build_brief(*, title: str, generated: str, link: str | None, baseline: Sequence[dict],
                assumptions: Sequence[dict], peer_group: dict, peers: Sequence[dict], ranks: Sequence[dict],
                convention: str, robustness: Sequence[dict], gaps: Sequence[str], outlook: dict,
                sustainability: Sequence[dict], benchmarks: Sequence[str], sources: Sequence[dict]) -> str:
    """The whole brief as one HTML string.

    * baseline: records with label, value, year, source
    * assumptions: records with label, value, unit, rule (each shown as "Assumption")
    * peer_group: {"label", "rule", "n"}; peers: records with id, name, row_type, country
    * ranks: records with label, scenario, n_peers, percentile, median, top_quartile, small
    * robustness: records with group_label, label (metric), percentile
    * gaps: plain sentences; outlook: {"ok", "reason" or "years","low","central","high", "method"}
    * sustainability: records with label, value, how; benchmarks: plain sentences
    * sources: records with title, url, date, publisher
    """
    out = ["<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>",
           "<meta name='viewport' content='width=device-width, initial-scale=1'>",
           f"<title>{esc(title)}</title><style>{CSS}</style></head><body>",
           f"<h1>{esc(title)}</h1>",
           f"<p class='note'>Generated {esc(generated)} by Cluster Atlas. Figures from the data are sourced "
           f"(see Sources); every scenario input is an <span class='assumption'>Assumption</span>.</p>"]
    if link:
        out.append(f"<p class='note'>Scenario settings (relative app link): <code>{esc(link)}</code></p>")
    out.append("<h2>1. Baseline: what already exists in Greenwich (sourced)</h2>")
    out.append(table(baseline, {"label": "Figure", "value": "Value", "year": "Year", "source": "Source"}))
    out.append("<h2>2. The scenario: assumptions</h2>")
    out.append(table([{**a, "status": "Assumption"} for a in assumptions],
                     {"status": "Status", "label": "Input", "value": "Value", "unit": "Unit",
                      "rule": "How the default was set"}))
    out.append("<h2>3. Peers</h2>")
    out.append(f"<p><strong>{esc(peer_group.get('label'))}</strong> — {esc(peer_group.get('rule'))} "
               f"({esc(peer_group.get('n'))} organisations).</p>")
    out.append(table(peers, {"id": "Id", "name": "Name", "row_type": "Row type", "country": "Country"}))
    out.append("<h2>4. Percentile ranks</h2>")
    out.append(f"<p class='note'>{esc(convention)}</p>")
    out.append(table(ranks, {"label": "Metric", "scenario": "Scenario", "n_peers": "Peers with a value",
                             "percentile": "Percentile", "median": "Peer median",
                             "top_quartile": "Top quartile", "small": "Small group"}))
    groups = list(dict.fromkeys(r["group_label"] for r in robustness))
    mets = list(dict.fromkeys(r["label"] for r in robustness))
    vals = {(r["label"], r["group_label"]): r.get("percentile") for r in robustness}
    notes = {(r["label"], r["group_label"]): (f"(n={int(r['n_peers'])}{', small' if r.get('small_group') else ''})"
                                              if r.get("n_peers") is not None else "")
             for r in robustness}
    out.append("<h3>Robustness: the rank under each peer group</h3>")
    out.append(heatmap_svg(mets, groups, vals, notes=notes))
    out.append("<p class='note'>Each cell: the scenario's percentile within that peer group; n = peers with a "
               "sourced value; 'small' = fewer than the small-group threshold; grey = no sourced data.</p>")
    out.append("<h2>5. Gaps to the peers: plain targets</h2>")
    out.append(_list(gaps))
    out.append("<h2>6. Jobs outlook</h2>")
    if outlook.get("ok"):
        out.append(fan_svg(outlook["years"], outlook["low"], outlook["central"], outlook["high"],
                           ylabel="jobs in member firms"))
        rows = [{"year": y, "low": lo, "central": c, "high": hi}
                for y, lo, c, hi in zip(outlook["years"], outlook["low"], outlook["central"], outlook["high"])]
        out.append(table(rows, {"year": "Year", "low": "Low", "central": "Central", "high": "High"}))
    else:
        out.append(f"<p class='warn'>No outlook: {esc(outlook.get('reason'))}</p>")
    out.append(f"<p class='note'>Method: {esc(outlook.get('method'))}</p>")
    out.append("<h2>7. Sustainability: the Clusters Dialectic</h2>")
    out.append(table(sustainability, {"label": "Measure", "value": "Value", "how": "How it is computed"}))
    out.append(_list(benchmarks))
    out.append("<h2>Sources</h2>")
    out.append(source_list(sources))
    out.append("</body></html>")
    return "".join(out)
