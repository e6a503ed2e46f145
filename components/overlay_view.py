"""Data page: fill an existing organisation's gaps (session-only overlay) and coverage per organisation.

Lays out cluster_data.overlay; the upload handler is testable without a UI (``handle_overlay_upload``)."""
from __future__ import annotations

from typing import MutableMapping

import pandas as pd
import streamlit as st

from cluster_data import overlay
from cluster_data import session_imports as si
from components import data, ui
from components.frame import Frame

PROCESSED_KEY = si.OVERLAY.processed_key
NONCE_KEY = si.OVERLAY.nonce_key
UPLOAD_LABEL = "Upload your filled gap file (CSV or Excel .xlsx)"
CLEAR_LABEL = "Clear imported values"


handle_overlay_upload = si.add_overlay  # testable without a UI: a dict stands in for the session state


def clear_overlay(state: MutableMapping) -> None:
    si.clear(state, si.OVERLAY)


def render(fr: Frame) -> None:
    st.divider()
    st.subheader("Fill in your organisation's gaps")
    st.markdown(
        "Work for a cluster organisation already in the atlas? Open its profile, download **its gaps** (a CSV of the "
        "standard fields no source holds), fill in values **with the title of your source**, and upload it here. "
        "The values appear on the profile and in compare marked **Imported**, with your source, **for this browser "
        "session only**: they are never written to the app's data, and a new session forgets them.")
    org = data.shipped_organisations()
    nonce = int(st.session_state.get(NONCE_KEY, 0) or 0)
    up = st.file_uploader(UPLOAD_LABEL, type=["csv", "xlsx"], key=f"overlay_upload_{nonce}")
    if up is not None:
        s = handle_overlay_upload(up.name, up.getvalue(), st.session_state, org["id"].astype(str), getattr(up, "file_id", None))
        if s["added"]:
            st.success(f"Imported {len(s['added'])} value(s) from {ui.md_escape(s['file'])}.", icon=":material/check_circle:")
        if s["skipped_blank"]:
            st.caption(f"{s['skipped_blank']} row(s) had no value and were skipped (gaps left open).")
        if s["problems"]:
            st.warning(f"{len(s['problems'])} row(s) could not be used; every other row was imported.", icon=":material/report:")
            st.dataframe(si.problems_table(s["problems"]), hide_index=True, width="stretch", key="overlay_problems")
    ov = data.overlay()
    if ov is None:
        st.caption("No imported values in this session.")
        return
    names = dict(zip(org["id"], org["name"]))
    st.dataframe(overlay.imported_values_view(ov, names), hide_index=True, width="stretch", key="overlay_table")
    c1, c2 = st.columns(2)
    with c1:
        first = str(ov["entity_id"].iloc[0])
        fr.page_link("atlas", f"Open {names.get(first, first)}"[:60], {"org": first}, icon=":material/open_in_new:")
    with c2:
        st.button(CLEAR_LABEL, key="clear_overlay", on_click=clear_overlay, args=(st.session_state,), icon=":material/delete:")


@data.shared_cache(max_entries=8)
def _matrix(key: str) -> pd.DataFrame:
    """Organisation × standard field: 'sourced' / 'imported' / '—' (keyed on the session's dataset)."""
    org = data.shipped_organisations()
    org = org[org["row_type"] == "cluster_org"]
    return overlay.coverage_matrix(org, data.overlay())


def coverage_by_organisation() -> None:
    st.subheader("Coverage per organisation")
    m = _matrix(data.dataset_key())
    st.caption(overlay.coverage_caption(m))
    st.dataframe(m, hide_index=True, width="stretch", height=420, key="cov_per_org")
    ui.csv_download(m, "coverage_per_organisation.csv", "Download coverage per organisation (CSV)", key="cov_org_csv")
