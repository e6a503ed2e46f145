"""Cluster Atlas — home page (entry point: `streamlit run app.py`)."""
from components import home
from components.frame import run_page

run_page("home", home.render)
