"""Reference pages for the visual-complete comparison (``python -m bench``), one per ``?kind=`` (the kinds and their labels: ``bench.__main__.REFERENCE``).

Each holds one element and nothing else, so that the benchmark can report what that element costs on its own
beside the bare one-line page (``bench/bare_app.py``): ``plotly`` = one three-bar Plotly chart, ``table`` = one
20-row ``st.dataframe``. The numbers are placeholders of the benchmark, never shown in the app.
"""
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

kind = st.query_params.get("kind", "plotly")
st.write("reference")
if kind == "table":
    st.dataframe(pd.DataFrame({"a": range(20), "b": range(20)}))
else:
    st.plotly_chart(go.Figure(go.Bar(x=["a", "b", "c"], y=[1, 2, 3])), config={"displayModeBar": False})
