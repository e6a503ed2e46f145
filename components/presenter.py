"""Presenter controls: the on-screen presentation-mode switch, keyboard and clicker navigation, and the
tour's slide styling.

Presentation mode lives in the URL (``present=1``); the switch only rewrites that parameter, so a view
reopened from its address looks the same. Keyboard navigation is a few lines of JavaScript in the page
(``st.html(..., unsafe_allow_javascript=True)`` runs in the app's own document, not an iframe): the keys
press the tour's own Previous/Next buttons, so the step changes through the same callback and URL write
as a mouse click, and Back/Forward follow the same history entries.
"""
from __future__ import annotations

import json

import streamlit as st

# A clicker sends PageDown/PageUp; a keyboard presenter uses the arrows or Space.
NEXT_KEYS = ("ArrowRight", "PageDown", " ")
PREV_KEYS = ("ArrowLeft", "PageUp")
# Streamlit gives a keyed widget's container the class st-key-<key>.
NEXT_BUTTONS = ("tour_next",)
PREV_BUTTONS = ("tour_prev",)

_KEYS_JS = """
<script>
(function () {
  if (window.__clusterAtlasTourKeys) { return; }
  window.__clusterAtlasTourKeys = true;
  const NEXT = %(next)s, PREV = %(prev)s, NEXT_B = %(next_b)s, PREV_B = %(prev_b)s;
  function typing(el) {
    if (!el || !el.tagName) { return false; }
    const t = el.tagName.toLowerCase();
    if (t === "input" || t === "textarea" || t === "select" || el.isContentEditable) { return true; }
    return !!(el.closest && el.closest("[role=listbox],[role=combobox],[role=slider],[role=grid],[data-baseweb=select]"));
  }
  function onTour() { return !!document.querySelector(NEXT_B.concat(PREV_B).map(k => ".st-key-" + k).join(",")); }
  function press(keys) {
    for (const k of keys) {
      const b = document.querySelector(".st-key-" + k + " button");
      if (b && !b.disabled) { b.click(); return; }
    }
  }
  document.addEventListener("keydown", function (e) {
    if (e.altKey || e.ctrlKey || e.metaKey || e.shiftKey || typing(e.target) || !onTour()) { return; }
    const dir = NEXT.includes(e.key) ? NEXT_B : (PREV.includes(e.key) ? PREV_B : null);
    if (!dir) { return; }
    e.preventDefault();
    e.stopPropagation();
    if (!e.repeat) { press(dir); }
  }, true);
  // Space on a focused button would also "click" it on keyup: the key is ours on the tour.
  document.addEventListener("keyup", function (e) {
    if (e.key === " " && !typing(e.target) && onTour()) { e.preventDefault(); e.stopPropagation(); }
  }, true);
})();
</script>
"""


def keys_script() -> str:
    return _KEYS_JS % {"next": json.dumps(list(NEXT_KEYS)), "prev": json.dumps(list(PREV_KEYS)),
                       "next_b": json.dumps(list(NEXT_BUTTONS)), "prev_b": json.dumps(list(PREV_BUTTONS))}


def keyboard_navigation() -> None:
    """Install the tour's key handler once per browser tab (it checks for the tour's buttons on each key)."""
    st.html(keys_script(), unsafe_allow_javascript=True)


def _set_present(on: bool) -> None:
    """Button callback: presentation mode on or off, written to the URL (the URL is the state)."""
    if on:
        st.query_params["present"] = "1"
    elif "present" in st.query_params:
        del st.query_params["present"]


def present_switch(present: bool, key: str) -> None:
    """The on-screen switch for presentation mode (large type, no sidebar); state stays in ``present=1``."""
    if present:
        st.button("Exit presentation", key=key, icon=":material/close_fullscreen:", on_click=_set_present,
                  args=(False,), help="Normal type and the sidebar again (removes present=1 from the address)")
    else:
        st.button("Presentation mode", key=key, icon=":material/slideshow:", on_click=_set_present, args=(True,),
                  help="Large type for a projector, no sidebar (adds present=1 to the address)")


# The tour is a slide deck: each step must fit a 1280×720 projector without scrolling, and a headline
# number must wrap rather than be cut with an ellipsis.
_TOUR_CSS = """
<style>
.block-container { padding-top: %(top)s !important; padding-bottom: 1rem !important; }
[data-testid="stMain"] h1 { font-size: %(h1)s !important; padding: 0.1rem 0 0.2rem 0 !important; line-height: 1.2 !important; }
[data-testid="stMetricValue"], [data-testid="stMetricValue"] * { white-space: normal !important;
  overflow: visible !important; text-overflow: clip !important; line-height: 1.15 !important; }
[data-testid="stMetricValue"] { font-size: %(metric)s !important; }
[data-testid="stMetricValue"] * { font-size: inherit !important; }
[data-testid="stMetricLabel"], [data-testid="stMetricLabel"] * { white-space: normal !important; overflow: visible !important; }
.st-key-tour_slide [data-testid="stVerticalBlock"] { gap: 0.5rem; }
.st-key-tour_slide [data-testid="stCaptionContainer"] p { margin-bottom: 0; }
.st-key-tour_slide [data-testid="stCaptionContainer"], .st-key-tour_slide [data-testid="stCaptionContainer"] p,
.st-key-tour_slide [data-testid="stCaptionContainer"] li { font-size: %(caption)s !important; }
.st-key-tour_slide [data-testid="stMetricLabel"] p { font-size: %(label)s !important; }
</style>
"""


def tour_css(present: bool) -> str:
    return _TOUR_CSS % ({"top": "0.8rem", "h1": "2.1rem", "metric": "2.3rem",
                                  "caption": "0.82rem", "label": "1.0rem"} if present
                        else {"top": "3.6rem", "h1": "1.75rem", "metric": "1.9rem",
                                  "caption": "0.875rem", "label": "0.95rem"})
