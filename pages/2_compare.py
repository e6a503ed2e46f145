"""/compare page (thin: state and rendering live in components.compare)."""
from components import compare
from components.frame import run_page

run_page("compare", compare.render)
