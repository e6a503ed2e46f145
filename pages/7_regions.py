"""/regions page (thin: the region portfolio lives in components.regions)."""
from components import regions
from components.frame import run_page

run_page("regions", regions.render)
