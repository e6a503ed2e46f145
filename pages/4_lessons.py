"""/lessons page (thin: state and rendering live in components.lessons)."""
from components import lessons
from components.frame import run_page

run_page("lessons", lessons.render)
