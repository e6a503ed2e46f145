"""/regions?region=CODE: a NUTS 2 region's cluster portfolio from SBS employment (issue 13).

Lays out :class:`cluster_data.sectoral_views.RegionView`; no maths here. URL: ``region`` (NUTS 2 code;
unknown → notice + default) and ``year`` (an SBS year; default: the region's latest year with LQs).
"""
from __future__ import annotations

import dataclasses

import pyarrow as pa
import streamlit as st

from cluster_data import sectoral, sectoral_views, urlstate
from components import data, sectoral_data
from components.frame import Frame


@data.shared_cache(max_entries=256)
def _arrow_tables(code: str, year: int | None, data_dir: str) -> dict[str, pa.Table]:
    """The view's tables converted to Arrow once (st.dataframe would convert each frame on every rerun)."""
    t = sectoral_views.region_tables(sectoral_data.region_view(code, year, None))
    return {f.name: pa.Table.from_pandas(getattr(t, f.name), preserve_index=False) for f in dataclasses.fields(t)}


def _location(fr: Frame) -> tuple[str, int | None]:
    """The region code and SBS year from the URL (a notice for each that cannot be used)."""
    raw = urlstate.parse_text(st.query_params.get("region"), 12)
    code, notice = sectoral_views.parse_region(raw, sectoral_data.region_codes())
    fr.notify(notice)
    yraw = st.query_params.get("year")
    year, ynotice = urlstate.parse_int(yraw, None, 2000, 2100, "year") if yraw else (None, None)
    fr.notify(ynotice)
    return code, year


def render(fr: Frame) -> None:
    code, year = _location(fr)
    cols = st.columns(len(sectoral_views.SHORTCUT_REGIONS))
    for col, (c, label) in zip(cols, sectoral_views.SHORTCUT_REGIONS):
        with col:
            fr.page_link("regions", label=f"{label} ({c})", params={"region": c}, icon=":material/location_on:")

    v = sectoral_data.region_view(code, year, None)
    if year is not None and year != v.year:
        fr.notify(f"No SBS data for {code} in {year}; showing {v.year}.")
    _heading(v)
    t = _arrow_tables(code, year, data._dir())
    _specialisations(v, t)
    _neighbours_and_organisations(fr, v, t)
    fr.page_link("data", label="How these measures are computed (Methods)", params={"tab": "methods"}, icon=":material/functions:")


def _heading(v: sectoral_views.RegionView) -> None:
    """The region's name, the SBS year slider (bound to the URL's ``year``), the source and the caveats."""
    st.header(f"{v.name} ({v.code})")
    c1, c2 = st.columns([2, 3])
    with c1:
        if len(v.years) > 1:
            picked = st.select_slider("SBS year", options=v.years, value=v.year, key=f"reg_year_{v.code}")
            if picked != v.year:
                st.query_params["year"] = str(picked)
                st.rerun()
    with c2:
        st.caption(v.source)
    for c in v.caveats:
        st.caption(c)


def _specialisations(v: sectoral_views.RegionView, t: dict[str, pa.Table]) -> None:
    st.subheader("Named sector baskets")
    st.dataframe(t["baskets"], hide_index=True, width="stretch")
    st.subheader(f"Top specialisations, {v.year}")
    st.caption("Divisions with the highest location quotient (LQ) and employment above 0. Growth is within SBS, "
               "from the first year with a value under this region code.")
    st.dataframe(t["top"], hide_index=True, width="stretch")
    st.subheader("Strong clusters")
    st.caption(f"{sectoral.CLUSTER_MAPPING_RULE.label}: {sectoral.CLUSTER_MAPPING_RULE.text()}.")
    if v.strong.empty:
        st.markdown("No division meets the rule in this year.")
    else:
        st.dataframe(t["strong"], hide_index=True, width="stretch")
    st.subheader("Related sectors it could grow next")
    st.caption("Divisions where the region is not yet specialised (LQ below 1), ranked by density: the share of the "
               "related divisions (by co-location across European regions) it is already specialised in, 0–1.")
    st.dataframe(t["grow_next"], hide_index=True, width="stretch")


def _neighbours_and_organisations(fr: Frame, v: sectoral_views.RegionView, t: dict[str, pa.Table]) -> None:
    st.subheader("Regions with the most similar sector profile")
    if v.similar.empty:
        st.markdown("Not enough published divisions to compare.")
    else:
        st.dataframe(t["similar"], hide_index=True, width="stretch")
        links = st.columns(min(len(v.similar), 5))
        for col, c in zip(links, v.similar["code"]):
            with col:
                fr.page_link("regions", label=c, params={"region": c, "year": v.year})
    st.subheader("Cluster organisations located here")
    o = v.organisations
    if o.empty:
        st.markdown("No cluster organisation in the app's tables is located in this region.")
    else:
        st.dataframe(t["organisations"], hide_index=True, width="stretch")
        fr.page_link("atlas", label="Show them on the atlas", params={"country": ",".join(sorted(o["country"].dropna().unique()))}, icon=":material/map:")
