"""/lessons: case studies of Southern Denmark, Valencia and Milton Park, and the side-by-side playbook.

Every figure is a case fact from case_studies.csv shown with its source (title linked
to URL) in the same block; exact quotes sit in expanders. The take-aways are our
qualitative reading and carry no figures.
"""
from __future__ import annotations

import pandas as pd
import streamlit as st

from cluster_data import lessons as L
from cluster_data import urlstate
from components import data, ui
from components.frame import Frame

WIDGET_KEY = "lessons_case"
VIEWS = ("The case in depth", "Playbook: the cases side by side")


# ----------------------------------------------------------------------------- cached tables
@data.shared_cache
def _case_rows(case: str) -> list[dict]:
    return L.case_facts(data.case_studies(), data.sources(), case).to_dict("records")


@data.shared_cache
def _caveats(case: str) -> list[L.Caveat]:
    return L.caveats(data.case_studies(), data.sources(), case, data.shipped_organisations())


@data.shared_cache
def _playbook_cells() -> list[L.PlaybookCell]:
    return L.playbook_cells(data.case_studies(), data.sources())


@data.shared_cache
def _playbook_table() -> pd.DataFrame:
    return L.playbook_table(data.case_studies(), data.sources())


# ----------------------------------------------------------------------------- markdown helpers
def title_link(row: dict) -> str:
    """Source title linked to its URL (escaped); 'no source' when the row has none."""
    if not row or not row.get("source_id"):
        return "no source"
    return ui.source_link({"title": row.get("title"), "url": row.get("url")})


def fact_md(row: dict, bullet: str = "- ") -> str:
    """One fact with its source right next to it."""
    return f"{bullet}{ui.md_escape(row.get('fact'))}  \n  Source: {ui.source_link(row)}"


def quotes_md(rows: list[dict]) -> str:
    parts = []
    for r in rows:
        q = r.get("quote")
        q = q if isinstance(q, str) and q.strip() else "(no quote stored)"
        parts.append(f"- **{ui.md_escape(r.get('case_fact_id'))}** {ui.md_escape(r.get('fact'))}  \n"
                     f"  > “{ui.md_escape(q)}”  \n  Source: {ui.source_link(r)}")
    return "\n".join(parts)


# ----------------------------------------------------------------------------- sections
def _topic_blocks(rows: list[dict], topics: list[str]) -> None:
    for t in topics:
        sub = [r for r in rows if r.get("topic") == t]
        if not sub:
            continue
        st.markdown(f"**{ui.md_escape(L.TOPIC_LABELS.get(t, t))}**")
        st.markdown("\n".join(fact_md(r) for r in sub))


CAVEATS_LABEL = "Where the sources disagree or are missing"


def _caveat_blocks(case: str) -> None:
    st.subheader(CAVEATS_LABEL)
    for c in _caveats(case):
        lines = [f"**{ui.md_escape(c.headline)}**", "", ui.md_escape(c.note)]
        if c.claim_row:
            lines += ["", "Claim: " + fact_md(c.claim_row, bullet="")]
        for r in c.evidence_rows:
            lines += ["", "Evidence: " + fact_md(r, bullet="")]
        if c.org_note:
            lines += ["", f"Data note on the atlas record “{ui.md_escape(c.org_name or '')}”: {ui.md_escape(c.org_note)}"]
        st.warning("\n".join(lines), icon=":material/report:")


def _case_view(fr: Frame, case: str) -> None:
    rows = _case_rows(case)
    st.header(L.CASES[case])
    st.caption("Facts are quoted or closely paraphrased from the linked sources; each figure is shown as its "
               "source gives it (\"more than\" marks a lower bound).")
    heads = [c.headline for c in _caveats(case)]
    if heads:
        st.warning("**Read with care:**  \n" + "  \n".join(f"- {ui.md_escape(h)}" for h in heads)
                   + f"  \nDetails and sources are under *{CAVEATS_LABEL}*.",
                   icon=":material/report:")
    left, right = st.columns(2, gap="large")
    with left:
        st.subheader("What it did")
        _topic_blocks(rows, L.DID_TOPICS)
    with right:
        st.subheader("Outcomes")
        _topic_blocks(rows, L.OUTCOME_TOPICS)
        _caveat_blocks(case)
    st.subheader("What Greenwich can take from it")
    st.caption("Our plain-language reading of the sourced facts above — not itself a sourced fact.")
    st.markdown("\n".join(f"- {ui.md_escape(t)}" for t in L.TAKEAWAYS.get(case, [])))
    _quotes(f"Exact quotes behind {L.CASES[case]} ({len(rows)} facts)", rows, "quotes")
    ids = L.CASE_ORGS.get(case, [])
    c1, c2, c3 = st.columns(3)
    with c1:
        fr.page_link("compare", "Compare these organisations", {"ids": urlstate.join_list(ids)},
                     icon=":material/compare_arrows:")
    with c2:
        fr.page_link("greenwich", "Benchmark Greenwich against them",
                     {"peers": L.CASE_PEER_PRESET[case]}, icon=":material/target:")
    with c3:
        if ids:
            fr.page_link("atlas", "Show on the map", {"org": ids[0], "types": "cluster_org"},
                         icon=":material/map:")


def _quotes(label: str, rows: list[dict], key: str) -> None:
    """Quotes on demand: a lazy expander held in the URL (``key=true`` when open); its text is built and sent only when open."""
    box = st.expander(label, key=key, on_change="rerun", bind="query-params")
    if box.open:
        with box:
            st.markdown(quotes_md(rows))


def playbook_markdown(cells: list[L.PlaybookCell]) -> str:
    cases = list(L.CASES)
    by = {(c.row, c.case): c.facts for c in cells}
    head = "| Topic | " + " | ".join(ui.md_escape(L.CASES[c]) for c in cases) + " |"
    sep = "|" + "---|" * (len(cases) + 1)
    lines = [head, sep]
    for row, _ in L.PLAYBOOK:
        out = [f"**{ui.md_escape(row)}**"]
        for c in cases:
            facts = by.get((row, c), [])
            if facts:
                out.append(" · ".join(f"{ui.md_escape(f['fact'])} (Source: {title_link(f)})" for f in facts))
            else:
                out.append(f"*{ui.md_escape(L.NO_SOURCE_CELL)}*")
        lines.append("| " + " | ".join(out) + " |")
    return "\n".join(lines)


def _playbook() -> None:
    st.header("Playbook: the cases side by side")
    st.caption("Rows are topics, columns are cases. Every cell is a sourced fact with its source linked; "
               "an empty cell says no source read covers it.")
    cells = _playbook_cells()
    st.markdown(playbook_markdown(cells))
    used = [f for c in cells for f in c.facts]
    _quotes(f"Exact quotes behind the playbook ({len(used)} facts)", used, "pquotes")
    ui.csv_download(_playbook_table(), "cluster_playbook.csv", "Download the playbook (CSV)", key="lessons_playbook_csv")


def render(fr: Frame) -> None:
    st.caption("What Southern Denmark, Valencia and Milton Park did, what came of it according to the sources, "
               "where the evidence is thin, and what a Greenwich Digital Cluster can take from each.")
    # Lazy tabs bound to the URL (`view`): one case in depth, or the cases side by side; only the open one runs.
    t_case, t_play = st.tabs(list(VIEWS), key="view", bind="query-params")
    if t_case.open:
        with t_case:
            _case_view(fr, _case_picker(fr))
    if t_play.open:
        with t_play:
            _playbook()


def _case_picker(fr: Frame) -> str:
    """The case in focus, from the URL's ``case`` (a notice for one that is unknown); the picker writes it back."""
    params = [urlstate.choice("case", WIDGET_KEY, list(L.CASES), L.DEFAULT_CASE, "case")]
    ui.seed_params(params, fr.notify)
    if st.session_state.get(WIDGET_KEY) not in L.CASES:
        st.session_state[WIDGET_KEY] = L.DEFAULT_CASE
    case = st.selectbox("Focus on a case", list(L.CASES), format_func=lambda k: L.CASES[k], key=WIDGET_KEY)
    ui.write_url(ui.url_values(params))  # the default stays out (Back works)
    return case
