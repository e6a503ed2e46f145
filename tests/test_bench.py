"""The benchmark command still works: `python -m bench --quick` writes a report covering every page.

No timing assertions (timings depend on the machine); only that each measurement produced a
positive number for every page and that the report files exist.
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def quick_report(tmp_path_factory):
    out = tmp_path_factory.mktemp("bench")
    proc = subprocess.run([sys.executable, "-m", "bench", "--quick", "--out", str(out)], cwd=REPO,
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return out


def _pages():
    from bench.__main__ import read_pages

    return read_pages()


def test_report_files_exist_and_cover_every_page(quick_report):
    md = (quick_report / "report.md").read_text(encoding="utf-8")
    res = json.loads((quick_report / "report.json").read_text(encoding="utf-8"))
    pages = _pages()
    assert {k for k, *_ in pages} >= {"home", "atlas", "compare", "greenwich", "lessons", "tour", "data"}
    for key, url in ((p.key, p.url_path) for p in pages):
        assert f"`{url}`" in md, url
        assert key in res["pages"]
        assert any(r["page"] == key for r in res["script_time"]["views"]), key
        assert any(r["page"] == key for r in res["payload"]["views"]), key
        assert any(r.get("path") == url for r in res["browser"]["views"]), url
    assert "## Budgets" in md
    assert "Reference pages, same run and browser" in md and "one three-bar Plotly chart alone" in md


def test_every_number_is_positive(quick_report):
    res = json.loads((quick_report / "report.json").read_text(encoding="utf-8"))
    assert res["script_time"]["bare"]["median_ms"] > 0
    for r in res["script_time"]["views"]:
        assert r["median_ms"] > 0 and r["ratio_to_bare"] > 0 and r["n"] >= 1, r["view"]
    for r in res["payload"]["views"]:
        assert r["bytes"] > 0 and r["messages"] > 0, r["view"]
    for r in res["browser"]["views"]:
        assert "error" not in r, r
        assert r["first_ready_ms"] > 0 and r["warm_ready_ms"] > 0 and r["first_ws_bytes"] > 0, r["view"]
    bare = res["browser"]["bare"]  # the median of several measurements of the bare page, samples kept
    assert len(bare["warm_visual_samples_ms"]) >= 3 and bare["warm_visual_ms"] == sorted(
        bare["warm_visual_samples_ms"])[len(bare["warm_visual_samples_ms"]) // 2]
    ref = {r["query"]: r for r in res["browser"]["reference"]}  # one chart / one table alone, beside bare
    assert set(ref) == {"kind=plotly", "kind=table"}
    for r in ref.values():
        assert "error" not in r and r["warm_visual_ms"] > 0, r
    assert res["cold_start"]["median_ms"] > 0
    assert [c["sessions"] for c in res["concurrency"]] == [1, 2]
    for c in res["concurrency"]:
        assert c["reruns"] > 0 and c["throughput_rps"] > 0 and c["p95_ms"] > 0 and c["rss_mb_max"] > 0
    assert res["soak"]["reruns"] > 0 and res["soak"]["rss_mb_final"] > 0


def test_budget_table_has_a_verdict_per_line(quick_report):
    res = json.loads((quick_report / "report.json").read_text(encoding="utf-8"))
    names = [b["budget"] for b in res["budgets"]]
    for key, *_ in _pages():
        assert any(n.startswith(f"warm script time {key} ") for n in names), key
        assert any(n.startswith(f"bytes per page view {key} ") for n in names), key
    assert any(n.startswith("cold start") for n in names)
    assert any(n.startswith("soak") for n in names)
