"""/atlas page (thin: state and rendering live in components.atlas)."""
from components import atlas
from components.frame import run_page

run_page("atlas", atlas.render)
