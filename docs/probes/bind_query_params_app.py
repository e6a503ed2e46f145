import streamlit as st
v = st.multiselect("Tags", ["A", "B", "C"], key="tags", bind="query-params")
c = st.selectbox("Ind", ["jobs", "members", "age"], key="ind", bind="query-params")
n = st.number_input("N", 0, 100, 5, key="n", bind="query-params")
st.write(f"VALUE tags={v} ind={c} n={n}")
