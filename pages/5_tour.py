"""/tour page (thin: state and rendering live in components.tour)."""
from components import tour
from components.frame import run_page

run_page("tour", tour.render)
