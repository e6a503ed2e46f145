"""Shared test helpers. AppTest paths are absolute (AppTest resolves against the test file)."""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from hypothesis import settings

from components.frame import GUARD_TEXTS

# CI explores the same inputs every run (a red CI run must be reproducible); locally hypothesis keeps
# exploring new ones. `HYPOTHESIS_PROFILE=ci` selects the CI profile anywhere.
settings.register_profile("ci", derandomize=True, print_blob=True)
settings.register_profile("dev")
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") else "dev"))

REPO = Path(__file__).resolve().parents[1]
APP = str(REPO / "app.py")


def app_test(page: str | None = None, params: dict | None = None, run: bool = True):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(APP, default_timeout=60)
    if page:
        at.switch_page(page)
    for k, v in (params or {}).items():
        at.query_params[k] = v
    if run:
        at.run()
    return at


def deck_spec(at, i: int = 0) -> dict:
    return json.loads(at.get("deck_gl_json_chart")[i].proto.json)


def deck_points(at, i: int = 0) -> list[dict]:
    """Every organisation point of the map (components.maps.POINT_LAYERS: sourced sizes, then unknown sizes),
    its compact keys spelled out: ``n`` → name, ``d`` → detail, ``p`` → lon, lat."""
    from components.maps import POINT_LAYERS

    layers = {l["id"]: l for l in deck_spec(at, i)["layers"]}
    return [{**p, "name": p["n"], "detail": p["d"], "lon": p["p"][0], "lat": p["p"][1]}
            for lyr in POINT_LAYERS for p in layers.get(lyr, {}).get("data", [])]


def plotly_specs(at) -> list[dict]:
    return [json.loads(c.proto.spec) for c in at.get("plotly_chart")]


def all_text(at) -> str:
    """Every markdown/caption/text/info/warning/metric value on the page, joined."""
    parts = []
    for kind in ("markdown", "caption", "text", "info", "warning", "success", "title", "header", "subheader", "error"):
        parts.extend(str(e.value) for e in getattr(at, kind))
    for m in at.metric:
        parts.append(f"{m.label} {m.value}")
    for e in at.expander:
        parts.append(str(getattr(e, "label", "")))
    return "\n".join(parts)


def guard_warnings(at) -> list[str]:
    """The error guard's messages on the page (a section that crashed or lacked its data)."""
    return [w.value for w in at.warning if any(g in str(w.value) for g in GUARD_TEXTS)]


def no_errors(at) -> None:
    """No exception, no error element, and no error-guard warning (a crash the guard turned into a notice)."""
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    assert not guard_warnings(at), guard_warnings(at)


@pytest.fixture
def apptest():
    return app_test
