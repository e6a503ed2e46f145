"""Small shared widgets: sourced values, source lists, safe downloads, URL-bound state.

Nothing here writes raw HTML from data: text goes through Markdown-escaping or
Streamlit's own text elements.
"""
from __future__ import annotations

import re
from typing import Callable

import pandas as pd
import streamlit as st

from cluster_data import display, provenance, urlstate
from cluster_data.display import tidy_table  # noqa: F401 - re-exported for the components
from cluster_data.safety import safe_csv_bytes

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")


def md_escape(text) -> str:
    """Escape text for st.markdown so data can never inject markup, links or HTML."""
    if text is None or (isinstance(text, float) and text != text):
        return ""
    return _MD_SPECIAL.sub(r"\\\1", str(text))


def source_link(item: dict | None) -> str:
    """Markdown for a source: escaped title linked to its URL (http/https only)."""
    if not item:
        return "no source"
    title = md_escape(item.get("title") or "source")
    url = item.get("url")
    pub = md_escape(item.get("publisher") or "")
    date = md_escape(item.get("date") or "")
    tail = ", ".join(x for x in (pub, date) if x)
    if isinstance(url, str) and url.startswith(("http://", "https://")) and " " not in url and ")" not in url:
        return f"[{title}]({url})" + (f" — {tail}" if tail else "")
    return title + (f" — {tail}" if tail else "")


def evidence_block(items: list[dict], field: str, show_quotes: bool = True) -> None:
    """Render one field's evidence: headline value + source, alternatives, exact quotes on demand."""
    label = provenance.field_label(field)
    if not items:
        st.markdown(f"**{md_escape(label)}:** {display.MISSING} — no source holds a value.")
        return
    head = items[0]
    st.markdown(f"**{md_escape(label)}:** {md_escape(provenance.format_value(head, field))}  \n"
                f"Source: {source_link(head)}")
    if show_quotes:
        with st.expander(f"Evidence for {label.lower()} ({len(items)} source{'s' if len(items) > 1 else ''})"):
            for it in items:
                tag = "headline" if it.get("is_headline") else "alternative"
                st.markdown(f"- *{tag}* — {md_escape(provenance.format_value(it, field))}: {source_link(it)}  \n"
                            f"  > {md_escape(it.get('quote') or '')}")


def evidence_summary_md(evidence: dict[str, list[dict]]) -> str:
    """One Markdown block: each field's headline value and its source (fields without a value say so)."""
    lines = []
    for field, items in evidence.items():
        label = md_escape(provenance.field_label(field))
        if not items:
            lines.append(f"- **{label}:** {display.MISSING} — no source holds a value.")
        else:
            head = items[0]
            lines.append(f"- **{label}:** {md_escape(provenance.format_value(head, field))} — "
                         f"Source: {source_link(head)}")
    return "\n".join(lines)


def evidence_quotes_md(evidence: dict[str, list[dict]]) -> str:
    """One Markdown block with every sourced value, headline or alternative, and its exact quote."""
    lines = []
    for field, items in evidence.items():
        for it in items:
            tag = "headline" if it.get("is_headline") else "alternative"
            lines.append(f"- **{md_escape(provenance.field_label(field))}** ({tag}) — "
                         f"{md_escape(provenance.format_value(it, field))}: {source_link(it)}  \n"
                         f"  > {md_escape(it.get('quote') or '')}")
    return "\n".join(lines)


def csv_download(df: pd.DataFrame, filename: str, label: str = "Download CSV", key: str | None = None,
                 help: str | None = None) -> None:
    """CSV download that Excel opens (UTF-8 BOM) with formula-injection-safe cells.

    The bytes are produced only when the button is clicked, keeping reruns fast. A shallow copy holds the rows
    for the click: pandas ≥ 3 copies on write, so nothing done to ``df`` later reaches it."""
    frame = df.copy(deep=False)
    st.download_button(label, data=lambda: safe_csv_bytes(frame), file_name=filename, mime="text/csv", key=key,
                       help=help or "UTF-8 CSV; cells that could run as spreadsheet formulas are neutralised.",
                       icon=":material/download:", on_click="ignore")


# ----------------------------------------------------------------- URL-bound widget state
def seed_from_url(key: str, parse: Callable[[object], tuple[object, str | None]], notify: Callable[[str | None], None],
                  url_key: str | None = None) -> None:
    """On a page's first run (widget key not yet in session), seed the widget from the URL."""
    url_key = url_key or key
    if key not in st.session_state:
        value, notice = parse(st.query_params.get_all(url_key) if url_key in st.query_params else None)
        st.session_state[key] = value
        notify(notice)


def seed_params(params, notify: Callable[[str | None], None]) -> None:
    """Seed every declared URL parameter's widget (``urlstate.Param``) on the page's first run."""
    for p in params:
        seed_from_url(p.key, p.parse, notify, p.url)


def url_values(params) -> dict:
    """The declared parameters' current widget values for ``write_url`` (defaults left out)."""
    return {p.url: p.encode(st.session_state.get(p.key)) for p in params}


def write_url(params: dict) -> None:
    """Write the view's state to the URL (only keys that changed); drop empty values."""
    for k, v in params.items():
        if isinstance(v, (list, tuple)):
            v = urlstate.join_list(str(x) for x in v)
        if v is None or v == "" or v is False:
            if k in st.query_params:
                del st.query_params[k]
            continue
        if v is True:
            v = "1"
        v = str(v)
        if st.query_params.get(k) != v:
            st.query_params[k] = v
