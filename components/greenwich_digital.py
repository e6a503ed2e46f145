"""/greenwich "Digital economy" tab (issue 13): Bexley and Greenwich on ONS BRES, Southern Denmark and
Valencia on Eurostat SBS, each labelled with its source and never spliced. Lays out
:class:`cluster_data.sectoral_views.DigitalEconomy`; no maths here.
"""
from __future__ import annotations

import pyarrow as pa
import streamlit as st

from cluster_data import display
from components import data, sectoral_data
from components.frame import Frame

TAB = "Digital economy"
TABLES = ("employment", "growth", "lq", "peers", "nama_dk03")


@data.shared_cache
def _arrow_tables(data_dir: str) -> dict[str, pa.Table]:
    """The section's tables converted to Arrow once (st.dataframe would convert each on every rerun)."""
    v = sectoral_data.digital_economy()
    return {k: pa.Table.from_pandas(getattr(v, k), preserve_index=False) for k in TABLES}


def render(fr: Frame, *_args) -> None:
    v = sectoral_data.digital_economy()
    t = _arrow_tables(data._dir())
    for s in v.statements:
        st.markdown(f"- {s}")
    st.subheader("Bexley and Greenwich (UKI51): employment in digital and related divisions")
    st.caption("Source: ONS BRES open access, employment (employees + working owners), NUTS 3 UKI51, "
               "rounded by ONS; divisions summed from 5-digit counts.")
    st.dataframe(t["employment"], hide_index=True, width="stretch")
    st.markdown(f"**Growth {v.growth_window}** (BRES, same source at both ends)")
    st.dataframe(t["growth"], hide_index=True, width="stretch")
    st.markdown(f"**Location quotient against London and Great Britain, {display.fmt_year(v.lq_year)}** "
                "(BRES; the latest year both the NUTS 3 and the NUTS 2 files hold)")
    st.dataframe(t["lq"], hide_index=True, width="stretch")
    st.subheader("Southern Denmark and Valencia on the same measures, from another source")
    if v.peers_year is None:
        st.markdown(f"{display.NO_DATA}: no SBS year holds both regions.")
    else:
        st.caption(f"Source: Eurostat SBS sbs_r_nuts06_r2, persons employed, {v.peers_year} (the latest year both regions "
                   f"have); growth {v.peers_window}. London's NUTS 2 region UKI5 is shown on the same source for "
                   "reference. These are persons employed (SBS), not BRES employment: compare levels with care. SBS 2015 lacks "
                   "12 countries, so that year's European reference is narrower than 2014's (see /regions for 2014).")
        st.dataframe(t["peers"], hide_index=True, width="stretch")
    with st.expander("Southern Denmark's section J over time (Eurostat regional accounts, a third source)"):
        st.dataframe(t["nama_dk03"], hide_index=True, width="stretch")
        st.caption("Eurostat nama_10r_3empers, employment (domestic concept), published in whole thousands.")
    st.caption("Sources: " + " ".join(v.sources))
    fr.page_link("regions", label="Southern Denmark's full sector portfolio", params={"region": "DK03"}, icon=":material/location_city:")
    fr.page_link("regions", label="Valencia's full sector portfolio", params={"region": "ES52"}, icon=":material/location_city:")
