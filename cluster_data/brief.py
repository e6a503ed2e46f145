"""Self-contained HTML brief of a Greenwich scenario (pure Python, no network needed to open).

No external scripts, stylesheets, fonts or images: charts are inline SVG drawn
here. Every piece of text goes through :func:`html.escape`; links to sources are
plain anchors with http(s) URLs only.
"""
from __future__ import annotations

import html
import math
from typing import TYPE_CHECKING, Any, Iterable, Sequence

import pandas as pd

from cluster_data.display import MISSING, UNDEFINED, fmt_int, fmt_number, fmt_year, is_missing

from cluster_data.greenwich_view import approx

if TYPE_CHECKING:  # typed summary content (cluster_data.greenwich_view); imported for annotations only
    from cluster_data.greenwich_view import JobsView, Verdict

# The brief is cached with the page's results; its date is written when it is downloaded (see stamp()).
DATE_SLOT = "\u2063BRIEF-DATE\u2063"

CSS = """
body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,Arial,sans-serif;max-width:960px;margin:2rem auto;
padding:0 1rem;color:#111;line-height:1.45}
h1{font-size:1.8rem}h2{font-size:1.35rem;border-bottom:2px solid #0072b2;padding-bottom:.2rem;margin-top:2rem}
table{border-collapse:collapse;margin:.6rem 0;font-size:.9rem}th,td{border:1px solid #bbb;padding:.25rem .5rem;
text-align:left;vertical-align:top}th{background:#eef3f8}.assumption{background:#fff3d6;font-weight:600;
padding:0 .3rem;border-radius:3px}.note{color:#444;font-size:.9rem}.warn{color:#8a3b00}
svg text{font-family:inherit}code{word-break:break-all;white-space:normal}svg{max-width:100%;height:auto}
ol li{overflow-wrap:anywhere}.summary h2{border:none;font-size:1.1rem;margin:1rem 0 .3rem}
.figs{display:flex;gap:.6rem;margin:.8rem 0}.fig{flex:1;border:1px solid #bbb;border-radius:6px;padding:.5rem .6rem}
.fig .label{font-size:.85rem;color:#333}.fig .value{font-size:1.7rem;font-weight:700;margin:.2rem 0}
.fig .note{font-size:.78rem}.sourced{background:#dcebf7;font-weight:600;padding:0 .3rem;border-radius:3px}
.notice{border-left:4px solid #e69f00;padding:.3rem .6rem;background:#fff8e6}
@page{size:A4;margin:14mm 13mm}
@media print{body{max-width:none;margin:0;padding:0;font-size:10pt}h1{font-size:1.5rem}
.summary{break-after:page}h2,h3{break-after:avoid}tr,li,svg,.fig{break-inside:avoid}a{color:#000}}
"""


def esc(x: Any) -> str:
    """Escape any value for HTML text or attribute content (None/NaN → empty)."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return ""
    return html.escape(str(x), quote=True)


# Columns whose numbers read as whole numbers (counts and percentile ranks) or as years.
INT_KEYS = {"percentile", "n_peers", "low", "central", "high"}
YEAR_KEYS = {"year"}


def _cell(v: Any, key: str = "", missing: str = MISSING) -> str:
    """A table cell for reading: rounded through cluster_data.display (years plain, counts whole)."""
    if isinstance(v, bool):
        return "yes" if v else "no"
    if is_missing(v):
        return missing
    if isinstance(v, (int, float)):
        if key in YEAR_KEYS:
            return fmt_year(v)
        if key in INT_KEYS or float(v).is_integer():
            return fmt_int(v)
        return fmt_number(v)
    return str(v)


def stamp(html_text: str, date: str) -> str:
    """The brief dated ``date`` (the day it is downloaded, not the day it was cached)."""
    return html_text.replace(DATE_SLOT, esc(date))


def plain(text: Any, replace: dict[str, str] | None = None) -> str:
    """Text for a reader: internal codes (organisation ids, row-type codes) replaced by their names."""
    t = "" if text is None else str(text)
    for code, name in sorted((replace or {}).items(), key=lambda kv: -len(kv[0])):
        t = t.replace(code, name)
    return t


def table(rows: Sequence[dict] | pd.DataFrame, columns: dict[str, str] | None = None, missing: str = MISSING) -> str:
    """HTML table from records; ``columns`` maps key → header (default: all keys)."""
    if isinstance(rows, pd.DataFrame):
        rows = rows.to_dict("records")
    rows = list(rows)
    if not rows:
        return "<p class='note'>No rows.</p>"
    cols = columns or {k: k for k in rows[0]}
    head = "".join(f"<th>{esc(h)}</th>" for h in cols.values())
    body = "".join("<tr>" + "".join(f"<td>{esc(_cell(r.get(k), k, missing))}</td>" for k in cols) + "</tr>"
                   for r in rows)
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
    return (f"<svg width='{width}' height='{height}' viewBox='0 0 {width} {height}' role='img' "
            f"aria-label='{esc('Outlook fan: low, central and high')}'>{yt}"
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
    parts = [f"<svg width='{width}' height='{height}' viewBox='0 0 {width} {height}' role='img' "
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


def summary_html(summary: "Verdict", generated: str) -> str:
    """Page 1 of the brief: the question, the answer, three headline figures and the caveats."""
    figs = "".join(
        f"<div class='fig'><div class='label'>{esc(h.label)}</div><div class='value'>{esc(h.value)}</div>"
        f"<div><span class='{'sourced' if h.status == 'Sourced' else 'assumption'}'>{esc(h.status)}</span></div>"
        f"<div class='note'>{esc(h.note)}</div></div>" for h in summary.figures)
    notice = f"<p class='notice'>{esc(summary.median_notice)}</p>" if summary.median_notice else ""
    return (f"<h2>The question</h2><p>{esc(summary.question)}</p>"
            f"<h2>The answer</h2>{_list(summary.answer)}<div class='figs'>{figs}</div>{notice}"
            f"<h2>Caveats</h2>{_list(summary.caveats)}"
            f"<p class='note'>Dated {esc(generated)}. Figures from the data are sourced (appendix); every "
            f"scenario input is an <span class='assumption'>Assumption</span>.</p>")


def _robustness_html(robustness: Sequence[dict]) -> str:
    """Section 4's robustness heatmap: the scenario's percentile under each peer group, with its note."""
    groups = list(dict.fromkeys(r["group_label"] for r in robustness))
    mets = list(dict.fromkeys(r["label"] for r in robustness))
    vals = {(r["label"], r["group_label"]): r.get("percentile") for r in robustness}
    notes = {(r["label"], r["group_label"]): (f"(n={int(r['n_peers'])}{', small' if r.get('small_group') else ''})"
                                              if r.get("n_peers") is not None else "")
             for r in robustness}
    return ("<h3>Robustness: the rank under each peer group</h3>"
            + heatmap_svg(mets, groups, vals, notes=notes)
            + "<p class='note'>Each cell: the scenario's percentile within that peer group; n = peers with a "
              "sourced value; 'small' = fewer than the small-group threshold; grey = no sourced data.</p>")


def _outlook_html(jobs: "JobsView", outlook: dict) -> str:
    """Section 6: the outlook's fan chart and table, or why there is none, and its method."""
    out = [f"<h2>6. Outlook: {esc(jobs.axis)}</h2>",
           f"<p class='{'warn' if jobs.basis.claimed else 'note'}'>{esc(jobs.caveat)}</p>"]
    if outlook.get("ok"):
        out.append(fan_svg(outlook["years"], outlook["low"], outlook["central"], outlook["high"], ylabel=jobs.axis))
        out.append(f"<p>{esc(jobs.headline)}</p>")
        rows = [{"year": y, "low": approx(lo), "central": approx(c), "high": approx(hi)}
                for y, lo, c, hi in zip(outlook["years"], outlook["low"], outlook["central"], outlook["high"])]
        out.append(table(rows, {"year": "Year of the scenario", "low": "Low", "central": "Central", "high": "High"}))
    else:
        out.append(f"<p class='warn'>No outlook: {esc(outlook.get('reason'))}</p>")
    out.append(f"<p class='note'>Method: {esc(outlook.get('method'))}</p>")
    return "".join(out)


def build_brief(*, title: str, summary: "Verdict", jobs: "JobsView", baseline: Sequence[dict],
                assumptions: Sequence[dict], peer_group: dict, peers: Sequence[dict], ranks: Sequence[dict],
                convention: str, robustness: Sequence[dict], gaps: Sequence[str], outlook: dict,
                sustainability: Sequence[dict], benchmarks: Sequence[str], sources: Sequence[dict],
                generated: str = DATE_SLOT) -> str:
    """The whole brief as one HTML string: a one-page summary, the sections, the sources as an appendix.

    * summary: the page's verdict (question, answer, three figures, caveats); jobs: the outlook's labels
    * baseline: records with label, value, year, source
    * assumptions: records with label, value, unit, rule (each shown as "Assumption")
    * peer_group: {"label", "rule", "n"}; peers: records with name, row_type, country (no internal ids)
    * ranks: records with label, scenario, n_peers, percentile, median, top_quartile, small
    * robustness: records with group_label, label (metric), percentile
    * gaps: plain sentences; outlook: {"ok", "reason" or "years","low","central","high", "method"}
    * sustainability: records with label, value, how (a missing value is a ratio with a zero divisor)
    * sources: records with title, url, date, publisher
    * generated: the date; by default a slot that :func:`stamp` fills when the brief is downloaded
    """
    out = ["<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>",
           "<meta name='viewport' content='width=device-width, initial-scale=1'>",
           f"<title>{esc(title)}</title><style>{CSS}</style></head><body>",
           f"<section class='summary'><h1>{esc(title)}</h1>", summary_html(summary, generated), "</section>"]
    out.append("<h2>1. Baseline: what already exists in Greenwich (sourced)</h2>")
    out.append(table(baseline, {"label": "Figure", "value": "Value", "year": "Year", "source": "Source"}))
    out.append("<h2>2. The scenario: assumptions</h2>")
    out.append(table([{**a, "status": "Assumption"} for a in assumptions],
                     {"status": "Status", "label": "Input", "value": "Value", "unit": "Unit",
                      "rule": "How it was set"}))
    out.append("<h2>3. Peers</h2>")
    out.append(f"<p><strong>{esc(peer_group.get('label'))}</strong> — {esc(peer_group.get('rule'))} "
               f"({esc(peer_group.get('n'))} organisations).</p>")
    out.append(table(peers, {"name": "Name", "row_type": "Kind", "country": "Country"}))
    out.append("<h2>4. Percentile ranks</h2>")
    out.append(f"<p class='note'>{esc(convention)}</p>")
    out.append(table(ranks, {"label": "Metric", "scenario": "Scenario (Assumption)", "n_peers": "Peers with a value",
                             "percentile": "Percentile", "median": "Peer median",
                             "top_quartile": "Top quartile", "small": "Small group"}, missing="no data"))
    out.append(_robustness_html(robustness))
    out.append("<h2>5. Gaps to the peers: plain targets</h2>")
    out.append(_list(gaps))
    out.append(_outlook_html(jobs, outlook))
    out.append("<h2>7. Sustainability: the Clusters Dialectic</h2>")
    out.append(table(sustainability, {"label": "Measure", "value": "Value", "how": "How it is computed"},
                     missing=f"{UNDEFINED} (a divisor is 0)"))
    out.append(_list(benchmarks))
    out.append(f"<h2>Appendix: sources ({len(sources)})</h2>")
    out.append(source_list(sources))
    out.append("</body></html>")
    return "".join(out)
