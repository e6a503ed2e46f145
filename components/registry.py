"""The page registry: one typed list of the app's pages, imported by the frame, the tests and the benchmark.

Plain ``pages/`` discovery stays (with ``st.navigation`` a cold deep link to a freshly started server skips
``app.py``, so the frame would be skipped); each page script calls ``components.frame.run_page(key, render)``
and everything else about the page is read from here. No Streamlit import: ``python -m bench`` reads it
without starting the app.
"""
from __future__ import annotations

from typing import NamedTuple


class Page(NamedTuple):
    key: str
    script: str     # relative to the repository root (what st.page_link and AppTest.switch_page take)
    label: str      # the navigation label
    icon: str
    url_path: str   # what the browser shows
    title: str      # the page heading; "" when the page draws its own (the tour, one heading per step)


PAGES: tuple[Page, ...] = (
    Page("home", "app.py", "Home", ":material/home:", "/", "Cluster Atlas"),
    Page("atlas", "pages/1_atlas.py", "Atlas", ":material/map:", "/atlas", "Atlas of Europe's clusters"),
    Page("regions", "pages/7_regions.py", "Regions", ":material/location_city:", "/regions",
         "Regions: sector specialisation"),
    Page("compare", "pages/2_compare.py", "Compare", ":material/compare_arrows:", "/compare", "Compare clusters"),
    Page("greenwich", "pages/3_greenwich.py", "Greenwich benchmark", ":material/target:", "/greenwich",
         "Greenwich Digital Cluster benchmark"),
    Page("lessons", "pages/4_lessons.py", "Lessons", ":material/menu_book:", "/lessons",
         "Lessons from Southern Denmark, Valencia and Milton Park"),
    Page("tour", "pages/5_tour.py", "Presenter tour", ":material/slideshow:", "/tour", ""),
    Page("data", "pages/6_data.py", "Data & methods", ":material/dataset:", "/data", "Data, methods and sources"),
)
BY_KEY: dict[str, Page] = {p.key: p for p in PAGES}
