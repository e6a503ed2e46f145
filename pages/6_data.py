"""/data page (thin: state and rendering live in components.datapage)."""
from components import datapage
from components.frame import run_page

run_page("data", datapage.render)
