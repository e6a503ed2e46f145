"""Greenwich Digital Cluster benchmark page (being built)."""
from __future__ import annotations

import streamlit as st

from components.frame import Frame


def render(fr: Frame) -> None:
    st.info("This page is coming: it is being built and shows no numbers yet.", icon=":material/construction:")
