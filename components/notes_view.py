"""Lays out sourced qualitative notes (cluster_data.qualitative) on /compare; no maths here."""
from __future__ import annotations

import streamlit as st

from cluster_data import qualitative
from components import data, ui


@data.shared_cache(max_entries=128)
def _notes(kind: str, ids: tuple[str, ...], dataset: str) -> list:
    org, facts, sources = data.organisations(), data.facts(), data.sources()
    fn = qualitative.business_notes if kind == "business" else qualitative.intl_notes
    return fn(org, facts, sources, list(ids))


def render(kind: str, ids: list[str], names: dict[str, str], title: str) -> None:
    """What the evidence says in words for the chosen organisations, each with year and source, then who has none."""
    notes = _notes(kind, tuple(ids), data.dataset_key())
    st.markdown(f"#### {title}")
    if notes:
        lines = []
        for n in notes:
            src = ui.source_link({"title": n.source_title, "url": n.source_url}) if n.source_title else "source not named"
            lines.append(f"- **{ui.md_escape(n.org_name)}** — {ui.md_escape(n.label)}: {ui.md_escape(n.text)} "
                         f"({ui.md_escape(n.year_text)}; {src})")
        st.markdown("\n".join(lines))
        with st.expander(f"Exact quotes ({len(notes)} notes)"):
            st.markdown("\n".join(f"- **{ui.md_escape(n.org_name)}**, {ui.md_escape(n.label)}:  \n"
                                  f"  > {ui.md_escape(n.quote or n.text)}" for n in notes))
    rest = qualitative.without_notes(notes, ids, names)
    if rest:
        st.caption("No sourced note for: " + ui.md_escape(", ".join(rest)) + ".")
