"""/tour?step=N: every step renders its own headline, progress, prev/next links, a link out, and
every number it shows is the data's value with a source caption."""
from __future__ import annotations

import json
from urllib.parse import parse_qs

import pytest

from cluster_data import atlas as A
from cluster_data import lessons as L
from cluster_data import load, provenance
from components.registry import PAGES
from components.ui import md_escape
from tests.conftest import app_test, no_errors, plotly_specs

M = len(L.TOUR_STEPS)
URLPATH = {p.key: p.url_path.strip("/") for p in PAGES}


@pytest.fixture(scope="module")
def tables():
    return {"cs": load.read_table("case_studies.csv"), "sources": load.read_table("sources.csv"),
            "orgs": load.read_table("organisations.csv"), "facts": load.read_table("facts.csv")}


@pytest.fixture(scope="module")
def steps():
    return {n: app_test("pages/5_tour.py", {"step": str(n)}) for n in range(1, M + 1)}


def _links(at):
    return [(l.proto.page, l.proto.label, parse_qs(l.proto.query_string)) for l in at.get("page_link")]


def _captions(at) -> str:
    return "\n".join(c.value for c in at.caption)


def test_tour_steps_contract():
    assert 6 <= M <= 10
    assert all("title" in s and s["title"] for s in L.TOUR_STEPS)
    assert len({s["title"] for s in L.TOUR_STEPS}) == M
    assert [s["key"] for s in L.TOUR_STEPS][0] == "question" and L.TOUR_STEPS[-1]["key"] == "lessons"
    for s in L.TOUR_STEPS:
        assert s["link"][0] in URLPATH


@pytest.mark.parametrize("n", range(1, M + 1))
def test_step_headline_progress_and_nav(steps, n):
    at = steps[n]
    no_errors(at)
    assert not at.warning, [w.value for w in at.warning]  # the error guard never fired
    assert [t.value for t in at.title] == [L.TOUR_STEPS[n - 1]["title"]]
    prog = at.get("progress")[0].proto
    assert prog.text == f"Step {n} of {M}"
    assert abs(prog.value - 100 * n / M) <= 1
    keys = {b.key for b in at.button}
    assert ("tour_prev" in keys) == (n > 1)
    assert ("tour_next" in keys) == (n < M)
    assert ("tour_restart" in keys) == (n == M)
    for b in at.button:  # each control names the step it goes to
        if b.key == "tour_prev":
            assert b.proto.help.startswith(f"Step {n - 1}:")
        if b.key == "tour_next":
            assert b.proto.help.startswith(f"Step {n + 1}:")
    # link out to the full interactive page with the same state
    page, params, label = L.TOUR_STEPS[n - 1]["link"]
    outs = [(p, q) for p, lbl, q in _links(at) if lbl == label]
    assert len(outs) == 1, (n, label)
    p, q = outs[0]
    assert p == URLPATH[page]
    assert {k: v[0] for k, v in q.items()} == {k: str(v) for k, v in params.items()}


def test_distinct_titles_across_rendered_steps(steps):
    titles = [steps[n].title[0].value for n in range(1, M + 1)]
    assert len(set(titles)) == M


def test_present_mode_kept_in_tour_links():
    at = app_test("pages/5_tour.py", {"step": "3", "present": "1"})
    no_errors(at)
    for p, lbl, q in _links(at):
        assert q.get("present") == ["1"], (p, lbl)


@pytest.mark.parametrize("key,start,target", [("tour_next", 3, 4), ("tour_prev", 3, 2), ("tour_restart", M, 1)])
def test_nav_buttons_move_one_step_and_write_url(key, start, target):
    at = app_test("pages/5_tour.py", {"step": str(start), "present": "1"})
    at.button(key=key).click().run()
    no_errors(at)
    assert at.title[0].value == L.TOUR_STEPS[target - 1]["title"]
    assert at.get("progress")[0].proto.text == f"Step {target} of {M}"
    assert at.query_params["step"] in (str(target), [str(target)])
    assert at.query_params["present"] in ("1", ["1"])


def test_walk_the_whole_tour_with_next():
    at = app_test("pages/5_tour.py", {"step": "1"})
    seen = [at.title[0].value]
    for _ in range(M - 1):
        at.button(key="tour_next").click().run()
        no_errors(at)
        seen.append(at.title[0].value)
    assert seen == [s["title"] for s in L.TOUR_STEPS]


@pytest.mark.parametrize("raw,expected", [("0", 1), ("99", M), ("abc", 1), ("-5", 1), ("", 1), ("2.0", 2)])
def test_step_out_of_range_clamped_with_notice(raw, expected):
    at = app_test("pages/5_tour.py", {"step": raw})
    no_errors(at)
    assert at.title[0].value == L.TOUR_STEPS[expected - 1]["title"]
    assert at.get("progress")[0].proto.text == f"Step {expected} of {M}"
    notices = [i.value for i in at.info]
    if raw in ("", "2.0"):
        assert not notices
    else:
        assert any("step" in x for x in notices)


def test_no_step_param_starts_at_one():
    at = app_test("pages/5_tour.py")
    no_errors(at)
    assert at.title[0].value == L.TOUR_STEPS[0]["title"]


# ----------------------------------------------------------------------------- numbers are sourced
def _step_n(key):
    return next(i + 1 for i, s in enumerate(L.TOUR_STEPS) if s["key"] == key)


@pytest.mark.parametrize("key", ["question", "valencia", "sustainability"])
def test_fact_metrics_equal_data_and_have_source(steps, tables, key):
    at = steps[_step_n(key)]
    rows = L.fact_rows(tables["cs"], tables["sources"], L.TOUR_FACTS[key])
    values = [m.value for m in at.metric]
    caps = _captions(at)
    assert len(values) == len(rows)
    for r in rows:
        assert L.fact_value_text(r) in values
        assert f"]({r['url']})" in caps


def test_southern_denmark_chart_values_and_sources(steps, tables):
    at = steps[_step_n("southern_denmark")]
    rows = L.fact_rows(tables["cs"], tables["sources"], L.TOUR_FACTS["southern_denmark"])
    spec = plotly_specs(at)
    assert len(spec) == 1
    trace = spec[0]["data"][0]
    texts = trace["text"]
    assert texts == [L.fact_number_text(r) for r in rows]
    assert _decode(trace["x"]) == [r["value_num"] for r in rows]
    caps = _captions(at)
    for r in rows:
        assert f"]({r['url']})" in caps
    assert "4,000" in caps and "1,568" in caps


def _decode(arr):
    import base64

    import numpy as np
    if isinstance(arr, dict) and "bdata" in arr:
        return list(np.frombuffer(base64.b64decode(arr["bdata"]), dtype=np.dtype(arr["dtype"])))
    return list(arr)


def test_map_step_counts_are_computed_from_data(steps, tables):
    """The map step shows the map (issue 17 point 6): a picture drawn from one point per placed cluster
    organisation, over the shipped land (no basemap to fetch), shown at once (issue 17 point 15)."""
    import io

    from PIL import Image

    from cluster_data import map_image
    from components import tour
    at = steps[_step_n("map")]
    orgs = tables["orgs"]
    co = orgs[orgs["row_type"] == "cluster_org"]
    vals = {m.label: m.value for m in at.metric}
    assert vals["Cluster organisations in the atlas"] == f"{len(co):,}"
    assert vals["Countries"] == f"{co['country'].nunique():,}"
    assert not plotly_specs(at)
    assert not at.get("deck_gl_json_chart")  # no WebGL map on a slide
    imgs = at.get("image")
    assert len(imgs) == 1
    points = tour.map_points()
    placed = co.dropna(subset=["lat", "lon"])
    assert sorted(p["id"] for p in points) == sorted(placed["id"])
    png = Image.open(io.BytesIO(tour._map_png())).convert("RGB")
    assert png.size == map_image.SLIDE_SIZE
    frame = map_image._Frame([p["lon"] for p in points], [p["lat"] for p in points],
                             map_image.slide_box(map_image.SLIDE_SIZE), map_image.SLIDE_PAD)
    off = [p["id"] for p in points if png.getpixel(tuple(int(v) for v in frame(p["lon"], p["lat"])))
           in (map_image.LAND, map_image.SEA)]
    assert not off, f"points not drawn: {off[:5]}"
    top = L.org_counts_by_country(orgs, "cluster_org", 3)
    caps = _captions(at)
    assert "Computed" in caps
    assert f"{len(placed):,} organisations with a sourced location drawn" in caps
    for _, r in top.iterrows():
        assert f"{r['country']} {r['count']:,}" in caps
    # a point with no sourced member count is drawn hollow, and the caption and alt text say so
    assert f"({A.HOLLOW_NOTE})" in caps and A.HOLLOW_NOTE in imgs[0].proto.imgs[0].alt


def test_compare_step_values_sourced_missing_not_zero(steps, tables):
    at = steps[_step_n("compare")]
    facts, sources = tables["facts"], tables["sources"]
    trace = plotly_specs(at)[0]["data"][0]
    xs = _decode(trace["x"])
    assert all(x > 0 for x in xs)  # no zero-height bars for missing values
    caps = _captions(at)
    known = 0
    for oid in L.TOUR_COMPARE_IDS:
        h = provenance.headline(facts, sources, oid, "employees_in_members")
        if h:
            known += 1
            assert h["value_num"] in xs
            assert f"]({h['url']})" in caps
    assert known == len(xs)
    assert "No source for:" in caps


def test_greenwich_step_share_computed(steps, tables):
    at = steps[_step_n("greenwich")]
    rows = L.fact_rows(tables["cs"], tables["sources"], L.TOUR_FACTS["greenwich"])
    share = 100 * rows[0]["value_num"] / rows[1]["value_num"]
    assert at.metric[0].value == f"{share:.1f}%"
    caps = _captions(at)
    assert "Computed:" in caps
    for r in rows:
        assert f"]({r['url']})" in caps


def test_lessons_step_count(steps, tables):
    at = steps[_step_n("lessons")]
    s = L.lessons_stats(tables["cs"])
    assert at.metric[0].value == f"{s.facts:,}"
    assert f"{s.sources:,} distinct sources" in _captions(at)


def test_headline_labels_travel_with_their_fact_ids(tables):
    """Code review §3 #4: each label is stored beside its fact id, so reordering or dropping a fact
    can never put one fact's number under another's label."""
    for key, pairs in L.TOUR_HEADLINES.items():
        facts = L.tour_facts(tables["cs"], tables["sources"], key)
        assert [(f.fact_id, f.label) for f in facts] == pairs
        for f in facts:
            assert f.row is not None and f.row["case_fact_id"] == f.fact_id
    # a missing fact keeps its label and shows as missing; the others keep theirs
    cs = tables["cs"][tables["cs"]["case_fact_id"] != "C0020"]
    facts = L.tour_facts(cs, tables["sources"], "southern_denmark")
    assert [f.row is None for f in facts] == [False, True, False]
    assert facts[2].row["case_fact_id"] == "C0025"


@pytest.mark.parametrize("present", ["0", "1"])
def test_present_switch_on_screen_rewrites_url(present):
    """Presentation mode can be switched on and off on screen; the state is held in the URL."""
    at = app_test("pages/5_tour.py", {"step": "2", "present": present})
    no_errors(at)
    at.button(key="tour_present").click().run()
    no_errors(at)
    now_present = at.query_params.get("present") in ("1", ["1"])
    assert now_present == (present == "0")
    assert at.query_params["step"] in ("2", ["2"])
    assert at.title[0].value == L.TOUR_STEPS[1]["title"]


def test_keyboard_script_presses_the_tour_buttons():
    """The key handler is in the page (st.html with JavaScript) and maps the clicker's keys to the
    same buttons a mouse presses."""
    from components import presenter
    at = app_test("pages/5_tour.py", {"step": "2"})
    bodies = [h.proto.body for h in at.get("html") if "__clusterAtlasTourKeys" in h.proto.body]
    assert len(bodies) == 1 and bodies[0].strip() == presenter.keys_script().strip()
    for key in ('"PageDown"', '"ArrowRight"', '" "', '"PageUp"', '"ArrowLeft"', '"tour_next"', '"tour_prev"'):
        assert key in bodies[0]
