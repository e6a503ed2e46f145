"""Profile gaps, imported values and extra sourced facts (issue 14, point 4); lays out cluster_data.overlay."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from cluster_data import atlas, overlay, provenance
from components import data, ui
from components.frame import Frame


def profile_gaps(fr: Frame, row: pd.Series) -> None:
    """Below a profile's standard blocks: other sourced facts, this session's imported values, the gaps."""
    oid = str(row["id"])
    g = overlay.profile_gaps(row, data.facts_for(oid), overlay.overlay_for(data.overlay(), oid), tuple(atlas.PROFILE_FIELDS))
    if g.extra_fields:
        st.markdown("**More sourced facts**")
        cols = st.columns(2)
        for i, fld in enumerate(g.extra_fields):
            with cols[i % 2]:
                ui.evidence_block(provenance.evidence(data.facts_for(oid), data.sources_indexed(), oid, fld), fld)
    for v in g.imported:
        st.markdown(f":orange-badge[Imported] **{ui.md_escape(v.label)}:** {ui.md_escape(v.text)} — source you gave: "
                    f"{ui.md_escape(v.source_title)} {ui.md_escape(v.source_url)} (this session only, not in the shipped data)")
    st.markdown(f"**Gaps:** {ui.md_escape(g.summary)}." + (
        " Unknown (no source found): " + ", ".join(ui.md_escape(u) for u in g.unknown) + "." if g.unknown else ""))
    if g.unknown:
        c1, c2 = st.columns([2, 3])
        c1.download_button("Download this organisation's gaps (CSV)", data=lambda: overlay.gap_template_bytes(row),
                           on_click="ignore",
                           file_name=f"gaps_{oid}.csv", mime="text/csv", key=f"gaps_dl_{oid}",
                           icon=":material/download:")
        with c2:
            fr.page_link("data", label="Fill them in with sources and import them back (Data → Import)",
                         params={"tab": "import"}, icon=":material/upload:")


def not_on_map(shown: pd.DataFrame) -> None:
    """The organisations of the current filter that have no sourced seat: listed, never placed by guess."""
    off = overlay.not_on_map(shown)
    if off.empty:
        return
    st.markdown(f"**Not on the map: no sourced location** ({len(off)} of {len(shown)} organisations)")
    st.caption("No source states where these organisations are based, so they are not drawn; they are in the "
               "table above, in search and in compare.")
    cut = atlas.list_cut_note(min(len(off), atlas.LIST_MAX), len(off))
    if cut:
        st.caption(cut)
    off = off.iloc[:atlas.LIST_MAX]
    st.dataframe(off, hide_index=True, width="stretch", height=min(300, 38 + 35 * len(off)), key="atlas_off_map")
