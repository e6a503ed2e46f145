"""Back and Forward keep the screen and the URL in step.

Streamlit 1.67 pushes a browser-history entry whenever a script writes new query params, and on Back or
Forward it reruns the page with that entry's query string (``is_history_navigation``). But a widget keeps
its session value, and every page seeds its widgets from the URL only when the widget has no value yet —
so after Back the URL said one thing and the screen another (and the next URL write undid the Back).

``sync_with_url`` runs before a page's body: on a history navigation within the same page (or whenever the
URL differs from what this page's last run left in it) it drops the page's URL-bound widget state, so the
page's own seeding reads the view from the URL again. Every view is a function of its URL, so nothing is
lost: the URL holds all of it.
"""
from __future__ import annotations

import streamlit as st

from components import internals

# Session-state keys that hold a page's URL-bound view (by prefix). Non-view state — imported rows,
# processed uploads, the last /data tab — uses other prefixes and is never touched.
URL_STATE_PREFIXES: dict[str, tuple[str, ...]] = {
    "atlas": ("f_", "atlas_"),
    "compare": ("cmp_",),
    "greenwich": ("gw_",),
    "lessons": ("lessons_",),
    "data": ("data_", "datapage_last_tab"),
}
LAST_VIEW_KEY = "_history_last_view"

# A URL write that no person caused makes no history entry. Streamlit pushes an entry for every query
# change, including a page's first run writing its own view into the URL (its defaults, the tour's step):
# Back then landed on the same page again, which rewrote the URL - a trap. This script (installed once per
# tab) turns a push to the same page into a replace unless the person pointed, typed or pressed a key since
# the current entry was made; moving to another page, and every change a person makes, still push - including
# a person's pick of a URL-bound widget, whose write Streamlit makes as a replace (see the replaceState hook).
SCRIPT = """
<script>
(function () {
  if (window.__clusterAtlasHistory) { return; }
  window.__clusterAtlasHistory = true;
  const h = window.history, push = h.pushState.bind(h), replace = h.replaceState.bind(h);
  let touched = false, onBound = false;
  // the widgets bound to the URL (bind="query-params"): the view tabs and the lazy expanders
  const BOUND = "[role='tab'], [data-testid='stExpander'] summary";
  for (const t of ["pointerdown", "keydown", "input", "change"]) {
    document.addEventListener(t, function (e) {
      touched = true;
      if (t === "pointerdown" || t === "keydown") {
        onBound = !!(e.target && e.target.closest && e.target.closest(BOUND));
      }
    }, true);
  }
  window.addEventListener("popstate", function () { touched = false; onBound = false; });
  h.pushState = function (state, title, url) {
    try {
      if (url != null && new URL(url, location.href).pathname === location.pathname && !touched) {
        return replace(state, title, url);
      }
    } catch (e) { /* an unparsable URL: the browser's own push decides */ }
    touched = false;
    onBound = false;
    return push(state, title, url);
  };
  // A widget bound to the URL (the view tabs, the lazy expanders) writes its value with a replace: a tab a
  // person picked then made no entry, and Back left the page. A replace of this page's query string right
  // after a person picked such a widget is made a push (the view they left stays one Back away); every other
  // replace - Streamlit's own, on arrival or on a page switch - stays one.
  h.replaceState = function (state, title, url) {
    try {
      const to = url == null ? null : new URL(url, location.href);
      if (touched && onBound && to && to.pathname === location.pathname && to.search !== location.search) {
        touched = false;
        onBound = false;
        return push(state, title, url);
      }
    } catch (e) { /* an unparsable URL: the browser's own replace decides */ }
    return replace(state, title, url);
  };
})();
</script>
"""


def install() -> None:
    """The history script, on every page (it installs itself once per browser tab)."""
    st.html(SCRIPT, unsafe_allow_javascript=True)


def _signature() -> tuple:
    qp = st.query_params
    return tuple(sorted((k, tuple(qp.get_all(k))) for k in qp))


def sync_with_url(page: str) -> bool:
    """Drop the page's view state when the URL changed under it; returns True when it did."""
    last = st.session_state.get(LAST_VIEW_KEY)
    same_page_moved = bool(last) and last[0] == page and last[1] != _signature()
    if not (internals.is_history_navigation() or same_page_moved):
        return False  # an ordinary rerun (the widgets are ahead of the URL) or a first visit
    prefixes = URL_STATE_PREFIXES.get(page, ())
    dropped = [k for k in list(st.session_state.keys()) if isinstance(k, str) and k.startswith(prefixes)]
    for k in dropped:
        del st.session_state[k]
    return bool(dropped)


def remember(page: str) -> None:
    """After a page's run: the URL it left (what a later run compares against)."""
    st.session_state[LAST_VIEW_KEY] = (page, _signature())
