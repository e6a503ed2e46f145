"""Every framework detail the app relies on that is not public API, in one module.

Each entry says why it is needed and what would break if it moved. ``tests/test_internals.py`` checks each one
against the installed Streamlit, pydeck and plotly and fails loudly (with the name of the entry) when an upgrade
moves it, so an upgrade is a test run, not a research task. At run time nothing here raises: a moved detail
degrades one behaviour (named below) and is logged, and viewers never see a traceback.

1. **History navigation** (``is_history_navigation``): Streamlit 1.67 marks a rerun caused by the browser's Back
   or Forward on the script run's context (``is_history_navigation``); no public API exposes it. Used by
   ``components.history`` to re-read a page's view from the URL after Back/Forward. If it moves, the URL
   comparison in ``history.sync_with_url`` still catches most same-page moves.
2. **No basemap** (``NO_BASEMAP``): Streamlit's deck.gl frontend loads a Carto basemap (a network request)
   whenever a spec has no ``mapStyle``, even with ``map_provider=None``; its own "no style" sentinel string
   disables that. If renamed, the offline browser tests see the map's request to Carto.
3. **pydeck's serialiser** (``deck_default``): ``pydeck.bindings.json_tools.default_serialize`` turns a Deck into
   JSON; ``components.maps.CompactDeck`` calls it to write the spec without indentation (a third of the size).
4. **Who serialises a chart**: ``st.pydeck_chart`` calls ``Deck.to_json()`` and ``st.plotly_chart`` calls
   ``Figure.to_dict()``; ``maps.PrebuiltDeck`` and ``data.PreparedFigure`` override them to hand over a spec built
   once. If Streamlit stopped calling them, the map or chart would be drawn from an empty spec.
5. **CSS on ``data-testid``** (``components.frame`` and ``components.presenter`` style sheets): there is no public
   hook for caption contrast, metric size in present mode or hiding the sidebar on a projector.
   ``tests/test_internals.py`` scans the installed frontend bundle for every test id the CSS names and fails when
   one is gone (on 1.67 it found two dead selectors, ``stDecoration`` and ``stSidebarCollapsedControl``).
6. **Garbage collection** (``freeze_heap_once``): not a framework internal but process-wide, so it lives here too.
"""
from __future__ import annotations

import gc
import logging

from components import data

log = logging.getLogger("cluster_atlas")

# 1. the script run's context (a private module path)
try:
    from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx as _get_ctx
except ImportError:  # pragma: no cover - tests/test_internals.py fails loudly on this
    _get_ctx = None
    log.error("streamlit moved get_script_run_ctx: Back/Forward falls back to comparing URLs")


def is_history_navigation() -> bool:
    """Is this rerun the browser's Back or Forward (Streamlit's script-run context says so)?"""
    ctx = _get_ctx() if _get_ctx else None
    return bool(getattr(ctx, "is_history_navigation", False))


# 2. the deck.gl frontend's "no map style" sentinel
NO_BASEMAP = "__MAP_STYLE__"

# 3. pydeck's JSON serialiser (a private module path)
from pydeck.bindings.json_tools import default_serialize as deck_default  # noqa: E402

# 6. garbage collection
def freeze_heap_once(key: str) -> None:
    """Move the long-lived heap (modules, cached data, figure classes) out of the garbage collector's
    sight once each page has run for the first time in this process.

    Measured with ``python -m bench``: without it every rerun paid ~30-60 ms for full collections that
    walked pandas/plotly/pydeck objects which never die; with it a bare rerun costs ~6 ms.
    Bounded: at most one freeze per page per process (the cache below remembers which pages froze)."""
    _freeze_for(key)


@data.shared_cache
def _freeze_for(key: str) -> bool:
    gc.collect()
    gc.freeze()
    return True
