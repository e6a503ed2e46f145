"""Lays out the business-model view-model (cluster_data.business_model); no maths here."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from cluster_data import business_model as bmv
from components import data, ui


def render(models: list[bmv.OrgBusinessModel], key: str, collapse_empty: bool = False) -> None:
    """Every sourced business-model figure per organisation; one line for each organisation with none."""
    st.markdown("#### Every sourced business-model figure")
    st.caption("Each figure in the source's own category (a private share is not a membership share), with its "
               "year, source and exact quote. Where sources give two years, the change is shown. "
               + bmv.coverage_line(models))
    for m in models:
        if not m.measures:
            continue
        st.markdown(f"**{ui.md_escape(m.name)}**")
        lines = []
        for ms in m.measures:
            vals = "; ".join(
                (f":orange-badge[{bmv.IMPORTED}] " if v.imported else "") + f"{ui.md_escape(v.text)} ({v.year_text}"
                + (f", source you gave: {ui.md_escape(v.source_title)}" if v.imported else "") + ")"
                for v in ms.values)
            lines.append(f"- {ui.md_escape(ms.label)}: {vals}" + (f"  \n  Change: {ui.md_escape(ms.change)}" if ms.change else ""))
        st.markdown("\n".join(lines))
    empty = [m.empty_line for m in models if m.empty_line]
    if empty and collapse_empty and len(empty) > 8:  # a large peer group: one line each, folded away
        with st.expander(f"{len(empty)} organisations with no sourced business-model figure"):
            st.markdown("\n".join(f"- {ui.md_escape(t)}" for t in empty))
    elif empty:
        st.markdown("\n".join(f"- {ui.md_escape(t)}" for t in empty))
    rows = bmv.table_rows(models)
    if rows:
        df = pd.DataFrame(rows)
        with st.expander("Sources and exact quotes (table)"):
            st.dataframe(df.drop(columns=["id", "field"]), hide_index=True, width="stretch")
        ui.csv_download(df, "business_model_evidence.csv", "Download these figures (CSV)", key=f"{key}_bm_csv")


@data.shared_cache(max_entries=64)
def _peer_view(ids: tuple[str, ...], dataset: str) -> tuple[list[str], list]:
    """(coverage lines per field, per-peer view-models) for a peer group, per dataset (data.dataset_key())."""
    from cluster_data import benchmark as bm

    org = data.organisations()
    lines = bmv.peer_summary_lines(bm.peer_business_summary(org, list(ids)))
    return lines, bmv.business_models(org, list(ids), data.facts(), data.sources(), data.overlay())


def render_peers(peer_ids: list[str], key: str) -> None:
    """The Greenwich sustainability section's evidence: what the peers' sourced business models say."""
    lines, models = _peer_view(tuple(peer_ids), data.dataset_key())
    st.markdown("#### What the peers' own business models show (sourced)")
    st.markdown("\n".join(f"- {ui.md_escape(t)}" for t in lines))
    render(models, key=key, collapse_empty=True)


def render_intl_measures(org: pd.DataFrame, ids: list[str], min_cov: int, n_components: int) -> None:
    """Compare's internationalisation tab, first: each sourced measure with its coverage (n of N)."""
    from cluster_data import intl_view

    st.markdown("#### Internationalisation, measure by measure")
    cov = intl_view.intl_coverage(org, ids)
    st.markdown("\n".join(f"- {ui.md_escape(c.line)}" for c in cov))
    if not any(c.field == "members_countries" and c.n_all for c in cov):
        st.caption("Countries members come from (members_countries): no source in the evidence states it yet.")
    st.caption(intl_view.index_rule(min_cov, n_components))
