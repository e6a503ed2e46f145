"""One place for each threshold (cluster_data.settings): the code applies it and the Methods page quotes it."""
from __future__ import annotations

import inspect

from cluster_data import benchmark, compare, methods, metrics, settings


def _default(func, name):
    return inspect.signature(func).parameters[name].default


def test_the_code_applies_the_settings():
    assert _default(metrics.internationalisation_index, "min_coverage") == settings.INDEX_MIN_COVERAGE.value
    assert compare.DEFAULT_MIN_COVERAGE == settings.INDEX_MIN_COVERAGE.value
    assert _default(metrics.jobs_outlook, "min_peers") == settings.OUTLOOK_MIN_PEERS.value
    assert benchmark.SIMILAR_K == settings.SIMILAR_K.value == _default(metrics.nearest_peers, "k")
    assert metrics.SMALL_GROUP == settings.SMALL_GROUP.value


def test_the_methods_page_quotes_every_setting_with_its_help():
    m = methods.method("settings")
    assert m is not None
    for s in settings.ALL.values():
        assert f"{s.help} Now: {s.value}." in m["points"]
    text = " ".join(p for x in methods.METHODS for p in x["points"])
    assert f"at least {settings.INDEX_MIN_COVERAGE.value} components" in text
    assert f"fewer than {settings.OUTLOOK_MIN_PEERS.value} peers" in text
    assert f"by default {settings.SIMILAR_K.value}" in text
