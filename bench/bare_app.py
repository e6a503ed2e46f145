import streamlit as st; st.write("bare")  # noqa: E702 - the one-line baseline page for `python -m bench`
