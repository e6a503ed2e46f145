"""The page frame shared by every page: config, navigation, presentation mode,
notices, error guard, vintage and attributions.

Pages call ``run_page(key, body)``; ``body(frame)`` renders the page. Every page
is a function of its URL query parameters.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Callable

import streamlit as st

from cluster_data import urlstate
from cluster_data.load import DataFileError
from components import data, history, internals, presenter
from components.registry import BY_KEY, PAGES
from components.ui import md_escape

log = logging.getLogger("cluster_atlas")

# What the error guard shows instead of a traceback. Tests import these to fail on a guarded crash.
GUARD_DATA_TEXT = "This view needs data that could not be loaded."
GUARD_ERROR_TEXT = "Something went wrong drawing this part of the page."
GUARD_TEXTS = (GUARD_DATA_TEXT, GUARD_ERROR_TEXT)


ATTRIBUTIONS = {
    "nuts": "© EuroGeographics for the administrative boundaries (Eurostat GISCO, NUTS 2016).",
    "eurostat": "Source: Eurostat.",
    "ons": "Source: Office for National Statistics licensed under the Open Government Licence v.3.0; "
           "GLA London Datastore data under the OGL v3.0. Contains OS data © Crown copyright and database right.",
    "ne": "Made with Natural Earth (public-domain country outlines).",
    "web": "Cluster facts: quoted from the public web pages listed with each value (© their publishers).",
}

PRESENT_CSS = """
<style>
html, body, [data-testid="stAppViewContainer"] { font-size: 21px; }
[data-testid="stAppViewContainer"] p, [data-testid="stAppViewContainer"] li { font-size: 1.15rem; line-height: 1.5; }
h1 { font-size: 2.6rem !important; } h2 { font-size: 2.0rem !important; } h3 { font-size: 1.6rem !important; }
[data-testid="stMetricValue"], [data-testid="stMetricValue"] * { font-size: 2.6rem !important; color: #000 !important; font-weight: 700 !important; }
[data-testid="stMetricLabel"] p { font-size: 1.2rem !important; color: #111 !important; }
[data-testid="stSidebar"], [data-testid="stExpandSidebarButton"], [data-testid="stToolbar"],
[data-testid="stStatusWidget"], header[data-testid="stHeader"] { display: none !important; }
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] * { color: #222 !important; opacity: 1 !important; }
.stCaption, .stCaption * { color: #222 !important; opacity: 1 !important; }
/* a caption's container pulls the next element up by 1rem, which its paragraph's bottom margin makes up
   for; at present size that margin is lost, and in a column (half the gap) a two-line caption ran into
   the line below it */
[data-testid="stColumn"] [data-testid="stElementContainer"]:not(:last-child) [data-testid="stCaptionContainer"] p:last-child { margin-bottom: 0.75rem !important; }
.block-container { padding-top: 1.2rem !important; max-width: 100% !important; }
</style>
"""

BASE_CSS = """
<style>
.block-container { max-width: 1400px; }
html, body { overflow-x: hidden; }
</style>
"""


# Accessibility (axe-core, WCAG 2 AA): Streamlit's caption grey (#828180) is 3.9:1 on white, under the
# 4.5:1 AA minimum; formulas (KaTeX) sit in a horizontally scrollable box that a keyboard cannot focus.
A11Y_CSS = """
<style>
[data-testid="stElementContainer"]:has(script) { display: none; } /* the app's scripts take no room */
[data-testid="stCaptionContainer"] { opacity: 1 !important; }
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] * { color: #5c5b57; }
[data-testid="stSidebar"] [data-testid="stCaptionContainer"], [data-testid="stSidebar"] [data-testid="stCaptionContainer"] * { color: #4d4c48; }
[data-testid="stCaptionContainer"] a { color: #0b5cad; }
.katex-display { overflow: visible !important; }
</style>
"""


@dataclass
class Frame:
    key: str
    present: bool
    notices: list[str] = field(default_factory=list)

    def notify(self, msg: str | None) -> None:
        """Show a short notice. The text is escaped: notices quote URL input, which must never
        become markdown (an image in a link would make the browser fetch it)."""
        if msg:
            self.notices.append(msg)
            st.info(md_escape(msg), icon=":material/info:")

    def link_params(self, extra: dict | None = None) -> dict:
        """Query params for an in-app link, keeping presentation mode."""
        p = {"present": "1"} if self.present else {}
        if extra:
            p.update({k: v for k, v in extra.items() if v not in (None, "")})
        return p

    def page_link(self, key: str, label: str | None = None, params: dict | None = None, icon: str | None = None):
        lbl = label or BY_KEY[key].label
        st.page_link(BY_KEY[key].script, label=lbl, icon=icon, query_params=self.link_params(params) or None)


def _sidebar(fr: Frame) -> None:
    with st.sidebar:
        st.markdown("### Cluster Atlas")
        for p in PAGES:
            st.page_link(p.script, label=p.label, icon=p.icon, query_params=fr.link_params() or None)
        st.divider()
        imp = data.imported()
        if imp is not None:
            st.markdown(f":orange-badge[Imported] {len(imp)} organisation(s) you added this session appear on every page.")
        try:
            m = data.manifest()
            v = m.get("vintage", {})
            st.caption(f"Data vintage: cluster sources up to {v.get('cluster_sources_latest', '?')}; "
                       f"regional statistics {v.get('regional_years', '?')}. Built from the project's sourced raw files.")
        except DataFileError as exc:
            st.caption(str(exc))
        presenter.present_switch(False, key="frame_present")


def footer(kinds: tuple[str, ...] = ("nuts", "eurostat", "ons", "ne", "web")) -> None:
    st.divider()
    st.caption("  \n".join(ATTRIBUTIONS[k] for k in kinds if k in ATTRIBUTIONS))


def run_page(key: str, body: Callable[[Frame], None], attributions: tuple[str, ...] = ("nuts", "eurostat", "ons", "ne", "web")) -> None:
    present = urlstate.parse_bool(st.query_params.get("present"))
    page = BY_KEY[key]
    label, title = page.label, page.title
    st.set_page_config(page_title=f"{label} · Cluster Atlas", layout="wide",
                       initial_sidebar_state="collapsed" if present else "auto")
    st.html(PRESENT_CSS if present else BASE_CSS)
    st.html(A11Y_CSS)
    history.install()  # a URL write nobody made (a page's arrival) makes no history entry
    fr = Frame(key=key, present=present)
    if not present:
        _sidebar(fr)
    if title:
        st.title(title)
    history.sync_with_url(key)
    try:
        body(fr)
    # Streamlit's rerun/stop/page-switch signals derive from BaseException, so they pass through.
    except DataFileError as exc:
        log.error("data file problem on %s: %s", key, exc)
        st.warning(f"**{GUARD_DATA_TEXT}** {exc}", icon=":material/database:")
    except Exception:  # noqa: BLE001 - viewers never see a traceback
        log.exception("unexpected error on page %s", key)
        st.warning(f"{GUARD_ERROR_TEXT} The rest of the app still works; "
                   "try another view or reload. (Details are in the server log.)", icon=":material/warning:")
    if present:
        nav = st.columns(len(PAGES))
        for col, p in zip(nav, PAGES):
            with col:
                st.page_link(p.script, label=p.label, icon=p.icon, query_params={"present": "1"})
        if key != "tour":  # the tour has its own switch beside each step
            presenter.present_switch(True, key="frame_present")
    footer(attributions)
    history.remember(key)
    internals.freeze_heap_once(key)
