"""/greenwich page (thin: state and rendering live in components.greenwich)."""
from components import greenwich
from components.frame import run_page

run_page("greenwich", greenwich.render)
