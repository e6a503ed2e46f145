"""Home page: the question, headline numbers computed from the data, entry points."""
from __future__ import annotations

import streamlit as st

from cluster_data import summary
from components import data
from components.frame import Frame

QUESTION = ("What can a prospective **Greenwich Digital Cluster** (connected & autonomous vehicles, urban innovation, "
            "cyber security) learn from Southern Denmark, Valencia, Milton Park and Europe's other clusters — "
            "and how would it measure up?")


def render(fr: Frame) -> None:
    st.markdown(QUESTION)
    org = data.organisations()
    s = summary.headline_numbers(org, data.facts())
    c = st.columns(4)
    c[0].metric("Cluster organisations", f"{s['cluster_orgs']:,}", help=f"{s['all_rows']:,} rows in all, incl. programmes, testbeds, campuses and regional aggregates (never ranked together).")
    c[1].metric("Countries", f"{s['countries']}")
    c[2].metric("Sourced facts", f"{s['facts']:,}", help="Each value is backed by a web page, a date and the exact quote.")
    c[3].metric("Members known", f"{s['members_coverage_pct']:.0f}%", help=f"Share of cluster organisations with a sourced member count ({s['members_known']} of {s['cluster_orgs']}).")
    st.caption("All four numbers are counted live from the shipped data; see **Data & methods** for coverage by field.")

    st.subheader("Where to go")
    cols = st.columns(3)
    entries = [
        ("atlas", "Map Europe's clusters and regions; open any organisation's sourced profile."),
        ("compare", "Put 2–8 clusters side by side on jobs, internationalisation and business model."),
        ("greenwich", "Benchmark a prospective Greenwich Digital Cluster against peer groups you choose."),
        ("lessons", "Southern Denmark, Valencia and Milton Park: what they did and what the evidence says."),
        ("tour", "A guided story for a live audience, step by step."),
        ("data", "Methods, sources, coverage, downloads — and import your own clusters."),
    ]
    for i, (key, text) in enumerate(entries):
        with cols[i % 3]:
            with st.container(border=True):
                fr.page_link(key)
                st.caption(text)
