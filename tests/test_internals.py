"""The framework details the app relies on that are not public API (components/internals.py), each checked
against the installed packages: an upgrade that moves one fails here, by name, instead of silently degrading
Back/Forward, the offline map, a chart or the present-mode styling."""
from __future__ import annotations

import re
from pathlib import Path

import streamlit

from components import internals

REPO = Path(__file__).resolve().parents[1]
STATIC_JS = Path(streamlit.__file__).parent / "static" / "static" / "js"


def _bundle() -> str:
    return "\n".join(p.read_text(encoding="utf-8", errors="ignore") for p in STATIC_JS.glob("*.js"))


def test_history_navigation_flag_is_on_the_script_run_context():
    from streamlit.runtime.scriptrunner_utils.script_run_context import ScriptRunContext, get_script_run_ctx

    assert internals._get_ctx is get_script_run_ctx
    assert "is_history_navigation" in ScriptRunContext.__dataclass_fields__
    assert internals.is_history_navigation() is False  # outside a script run: no context, no navigation


def test_no_basemap_sentinel_is_what_the_deck_frontend_checks():
    deck_js = [p for p in STATIC_JS.glob("DeckGlJsonChart*.js")]
    assert deck_js, "Streamlit's deck.gl chunk was renamed"
    assert any(internals.NO_BASEMAP in p.read_text(encoding="utf-8", errors="ignore") for p in deck_js)


def test_pydeck_serialiser_writes_a_deck():
    import json

    import pydeck as pdk

    spec = json.loads(json.dumps(pdk.Deck(layers=[], map_provider=None), default=internals.deck_default))
    assert "initialViewState" in spec or "views" in spec


def test_streamlit_serialises_charts_through_the_overridden_methods():
    """st.pydeck_chart reads Deck.to_json() and st.plotly_chart reads Figure.to_dict(): the prepared specs
    (maps.PrebuiltDeck, data.PreparedFigure) depend on it."""
    from streamlit.testing.v1 import AppTest

    def script():
        import json

        import plotly.graph_objects as go
        import streamlit as st

        from components import data, maps

        fig = data.PreparedFigure(go.Figure(go.Bar(x=["a"], y=[1])))
        fig._prepared = {**fig._prepared, "layout": {**fig._prepared.get("layout", {}), "title": {"text": "PREPARED"}}}
        st.plotly_chart(fig)
        deck = maps.CompactDeck(layers=[])
        st.pydeck_chart(maps.PrebuiltDeck(json.dumps({**json.loads(deck.to_json()), "description": "PREBUILT"})))

    at = AppTest.from_function(script, default_timeout=30).run()
    assert not at.exception
    protos = [e.proto for e in at.main if hasattr(e, "proto")]
    text = " ".join(str(p) for p in protos)
    assert "PREPARED" in text, "st.plotly_chart no longer reads Figure.to_dict()"
    assert "PREBUILT" in text, "st.pydeck_chart no longer reads Deck.to_json()"


def _css_testids() -> set[str]:
    ids: set[str] = set()
    for p in (REPO / "components").glob("*.py"):
        ids |= set(re.findall(r'data-testid="(\w+)"', p.read_text(encoding="utf-8")))
    return ids


def test_every_test_id_the_css_targets_exists_in_the_frontend():
    ids = _css_testids()
    assert {"stCaptionContainer", "stMetricValue", "stSidebar"} <= ids  # the scan sees the style sheets
    bundle = _bundle()
    quoted = set(re.findall(r"[\"'`](st[A-Z]\w+)[\"'`]", bundle))  # string literals in the minified bundle
    gone = sorted(ids - quoted)
    assert not gone, f"Streamlit's frontend no longer has these data-testid values the app's CSS targets: {gone}"
