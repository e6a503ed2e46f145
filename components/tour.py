"""/tour?step=N: a guided presenter story through the app's real views.

Each step shows one headline number or small chart computed from the data, with its
source caption, one sentence, a progress indicator, previous/next links (keeping
present=1) and a link out to the full interactive page in the same state.
"""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from cluster_data import lessons as L
from cluster_data import provenance, urlstate
from cluster_data.schema import FIELD_LABELS
from components import data, ui
from components.frame import Frame

N_STEPS = len(L.TOUR_STEPS)
BAR_COLOUR = "#0072B2"  # Okabe-Ito blue
CLAIM_COLOUR = "#E69F00"  # Okabe-Ito orange


# ----------------------------------------------------------------------------- figure builder (no st calls)
def bar_figure(df: pd.DataFrame, x_title: str, colours: list[str] | None = None, height: int | None = None,
               text_position: str = "auto") -> go.Figure:
    """Small horizontal bar chart: df has columns label, value, text. Rows with a missing value are dropped
    (the caller lists them as "no source" — never drawn as a zero bar)."""
    d = df.dropna(subset=["value"])
    labels = [str(x) for x in d["label"]]
    fig = go.Figure(go.Bar(
        x=d["value"], y=labels, orientation="h", text=d["text"], textposition=text_position, textangle=0,
        textfont=dict(size=16), cliponaxis=False, marker_color=colours[: len(d)] if colours else BAR_COLOUR,
        hovertemplate="%{y}: %{text}<extra></extra>",
    ))
    fig.update_layout(height=height or 80 + 42 * max(len(d), 1), margin=dict(l=10, r=40, t=10, b=30),
                      xaxis_title=x_title, showlegend=False, font=dict(size=14),
                      yaxis=dict(autorange="reversed", type="category", tickmode="array", tickvals=labels,
                                 ticktext=labels))
    return fig


# ----------------------------------------------------------------------------- step content (cached by key)
@data.shared_cache
def _facts(key: str) -> list[dict]:
    return L.fact_rows(data.case_studies(), data.sources(), L.TOUR_FACTS.get(key, []))


@data.shared_cache
def _map_content() -> dict:
    orgs = data.shipped_organisations()
    co = orgs[orgs["row_type"] == "cluster_org"]
    facts = data.facts()
    n_src = int(facts[facts["entity_id"].isin(co["id"])]["source_id"].nunique())
    top = L.org_counts_by_country(orgs, "cluster_org", top=10)
    return {"n": int(len(co)), "countries": int(co["country"].nunique()), "sources": n_src, "top": top}


@data.shared_cache
def _compare_content() -> dict:
    orgs = data.shipped_organisations().set_index("id")
    facts, sources = data.facts(), data.sources()
    rows, intl = [], []
    for oid in L.TOUR_COMPARE_IDS:
        name = str(orgs.loc[oid, "name"]) if oid in orgs.index else oid
        h = provenance.headline(facts, sources, oid, "employees_in_members")
        rows.append({"id": oid, "label": L.short_name(name), "value": h.get("value_num") if h else None,
                     "text": provenance.format_value(h, "employees_in_members") if h else "no source", "item": h})
        for fld in ("countries_partnered", "eu_cluster_partnerships"):
            hi = provenance.headline(facts, sources, oid, fld)
            if hi and hi.get("value_num") is not None:
                intl.append({"label": L.short_name(name), "field": fld, "text": provenance.format_value(hi, fld), "item": hi})
    return {"rows": rows, "intl": intl}


@data.shared_cache
def _lessons_stats() -> dict:
    return L.lessons_stats(data.case_studies())


# ----------------------------------------------------------------------------- rendering helpers
def _source_caption(rows: list[dict], prefix: str = "Source") -> None:
    for r in rows:
        st.caption(f"{prefix}: {ui.source_link(r)}")


def _quotes(rows: list[dict]) -> None:
    with st.expander("Exact quotes"):
        for r in rows:
            q = r.get("quote") or "(no quote stored)"
            st.markdown(f"> “{ui.md_escape(q)}”  \n{ui.source_link(r)}")


def _fact_metric(row: dict | None, label: str) -> None:
    st.metric(label, L.fact_value_text(row))
    if row:
        st.caption(f"{ui.md_escape(row.get('fact'))}  \nSource: {ui.source_link(row)}")
    else:
        st.caption("No source holds this value.")


def _plot(fig: go.Figure) -> None:
    st.plotly_chart(fig, width="stretch", config={"displayModeBar": False, "staticPlot": False})


# ----------------------------------------------------------------------------- steps
def _step_question() -> None:
    rows = _facts("question")
    cols = st.columns(len(rows) or 1)
    labels = ["Jobs claimed for Southern Denmark's clusters", "Jobs claimed for Valencia's \"Green\" cluster"]
    for col, r, lab in zip(cols, rows, labels):
        with col:
            _fact_metric(r, lab)
    _quotes(rows)


def _step_map() -> None:
    c = _map_content()
    left, right = st.columns([1, 2])
    with left:
        st.metric("Cluster organisations in the atlas", f"{c['n']:,}")
        st.metric("Countries", f"{c['countries']:,}")
    with right:
        top = c["top"].assign(label=lambda d: d["country"], value=lambda d: d["count"],
                              text=lambda d: d["count"].map(lambda v: f"{v:,}"))
        _plot(bar_figure(top, "Cluster organisations (top 10 countries)", text_position="outside"))
    st.caption(f"Computed: count of organisations of type 'cluster organisation' in the atlas's data, by country "
               f"(the atlas's organisations table). Each organisation's facts cite their own sources — "
               f"{c['sources']:,} distinct sources for these organisations; see the Atlas profiles or Data & methods.")


def _step_southern_denmark() -> None:
    rows = _facts("southern_denmark")
    labels = ["Seed blog claim", "Counterfactual evaluation (lower bound)", "COWI evaluation, net"]
    df = pd.DataFrame([{"label": lab, "value": r.get("value_num"), "text": L.fact_number_text(r)}
                       for lab, r in zip(labels, rows)])
    _plot(bar_figure(df, "Jobs", colours=[CLAIM_COLOUR, BAR_COLOUR, BAR_COLOUR]))
    for lab, r in zip(labels, rows):
        st.caption(f"**{ui.md_escape(lab)}:** {ui.md_escape(L.fact_value_text(r))} — {ui.md_escape(r.get('fact'))}  \n"
                   f"Source: {ui.source_link(r)}")
    _quotes(rows)


def _step_valencia() -> None:
    rows = _facts("valencia")
    cols = st.columns(len(rows) or 1)
    labels = ["AVAESEN's debt when the new director took over", "SMEs AVAESEN says it helped internationalise"]
    for col, r, lab in zip(cols, rows, labels):
        with col:
            _fact_metric(r, lab)
    _quotes(rows)


def _step_compare() -> None:
    c = _compare_content()
    df = pd.DataFrame(c["rows"])
    _plot(bar_figure(df, FIELD_LABELS.get("employees_in_members", "Employees in member firms")))
    known = [r for r in c["rows"] if r["item"]]
    missing = [r["label"] for r in c["rows"] if not r["item"]]
    lines = [f"- {ui.md_escape(r['label'])}: {ui.md_escape(r['text'])} — {ui.source_link(r['item'])}" for r in known]
    st.caption("Employees in member firms (each organisation's headline value):  \n" + "  \n".join(lines))
    if missing:
        st.caption("No source for: " + ui.md_escape(", ".join(missing)) + " (shown as missing, not zero).")
    if c["intl"]:
        il = [f"- {ui.md_escape(r['label'])}: {ui.md_escape(provenance.field_label(r['field']).lower())} "
              f"{ui.md_escape(r['text'])} — {ui.source_link(r['item'])}" for r in c["intl"]]
        st.caption("Internationalisation, where a source gives it:  \n" + "  \n".join(il))


def _step_greenwich() -> None:
    rows = _facts("greenwich")
    if len(rows) == 2:
        share = L.share_pct(rows[0].get("value_num"), rows[1].get("value_num"))
    else:
        share = None
    st.metric("Information and communication share of GVA, Bexley and Greenwich",
              "unknown (no source)" if share is None else f"{share:.1f}%")
    if share is not None:
        st.caption(f"Computed: {ui.md_escape(L.fact_value_text(rows[0]))} ÷ {ui.md_escape(L.fact_value_text(rows[1]))}"
                   f" (ONS, ITL3 area combining Bexley and Greenwich).")
    _source_caption(rows)
    st.caption("The Greenwich Digital Cluster itself is a placeholder: no member, job or funding figures exist yet.")
    _quotes(rows)


def _step_sustainability() -> None:
    rows = _facts("sustainability")
    cols = st.columns(len(rows) or 1)
    labels = ["Public share of European cluster organisations' funding", "OBN member companies (fee-funded network)"]
    for col, r, lab in zip(cols, rows, labels):
        with col:
            _fact_metric(r, lab)
    _quotes(rows)


def _step_lessons() -> None:
    s = _lessons_stats()
    st.metric("Sourced case facts behind the lessons", f"{s['facts']:,}")
    st.caption(f"Computed: count of case-study facts for the {s['cases']} peer cases in the app's case-study table, "
               f"drawn from {s['sources']:,} distinct sources; each is shown with its source link on the Lessons page.")
    st.markdown("\n".join(f"- {ui.md_escape(L.TAKEAWAYS[c][0])}" for c in L.CASES))
    st.caption("Our plain-language reading of the case facts — not itself a sourced fact.")


STEP_RENDERERS = {
    "question": _step_question, "map": _step_map, "southern_denmark": _step_southern_denmark,
    "valencia": _step_valencia, "compare": _step_compare, "greenwich": _step_greenwich,
    "sustainability": _step_sustainability, "lessons": _step_lessons,
}


def _go(step: int) -> None:
    """Button callback: move the tour to ``step`` (the URL is the state; present=1 and other params stay)."""
    st.query_params["step"] = str(step)


def _nav(fr: Frame, n: int) -> None:
    """Previous/next controls. Buttons that rewrite ?step= (a page_link to the same page changes the view
    but leaves the browser address bar on the old step, so the view would not reopen from its URL)."""
    prev_col, _, next_col = st.columns([1, 1, 1])
    with prev_col:
        if n > 1:
            st.button("Previous step", key="tour_prev", icon=":material/arrow_back:", on_click=_go, args=(n - 1,),
                      help=f"Step {n - 1}: {L.TOUR_STEPS[n - 2]['title']}")
    with next_col:
        if n < N_STEPS:
            st.button("Next step", key="tour_next", icon=":material/arrow_forward:", on_click=_go, args=(n + 1,),
                      help=f"Step {n + 1}: {L.TOUR_STEPS[n]['title']}")
        else:
            st.button("Back to the start of the tour", key="tour_restart", icon=":material/replay:", on_click=_go,
                      args=(1,), help=f"Step 1: {L.TOUR_STEPS[0]['title']}")


def _link_out(fr: Frame, n: int) -> None:
    page, params, label = L.TOUR_STEPS[n - 1]["link"]
    fr.page_link(page, label, params, icon=":material/open_in_new:")


def render(fr: Frame) -> None:
    n, notice = urlstate.parse_int(st.query_params.get("step"), 1, 1, N_STEPS, key="step")
    n = int(n or 1)
    fr.notify(notice)
    # Always (re)write the step: a page_link to this same page changes the script's params but the browser
    # address bar keeps the old ones unless the script writes them back.
    st.query_params["step"] = str(n)
    step = L.TOUR_STEPS[n - 1]
    st.progress(n / N_STEPS, text=f"Step {n} of {N_STEPS}")
    _nav(fr, n)
    st.title(step["title"])
    st.markdown(ui.md_escape(step["sentence"]))
    STEP_RENDERERS[step["key"]]()
    _link_out(fr, n)
