"""Issue 17, point 10: compare — search by name, names never cut, qualitative notes before the gaps."""
from __future__ import annotations

import re

import pytest

from cluster_data import load, qualitative
from components.compare_charts import chart_label, chart_labels, dot_plot
from tests.conftest import all_text, app_test, no_errors, plotly_specs

PAGE = "pages/2_compare.py"
TRIO = ["DK_ODENSE_ROBOTICS", "ES_AVAESEN", "UK_OBN"]


@pytest.fixture(scope="module")
def org():
    return load.load_organisations()


def _contains(label: str, q: str) -> bool:
    return q.lower() in label.lower()


def test_search_matches_names_by_substring_and_has_no_select_all(org):
    at = app_test(PAGE)
    no_errors(at)
    ms = at.multiselect(key="cmp_ids")
    assert ms.proto.filter_mode == 1  # MultiSelect.FILTER_MODE_CONTAINS   # not the fuzzy subsequence default
    assert ms.proto.select_all == 0                                  # no "Select all N matches" action
    labels = list(ms.options)
    hits = [lab for lab in labels if _contains(lab, "OBN")]
    assert len(hits) == 1 and hits[0].startswith("OBN")
    # the labels are names (what a person types), never ids
    assert not any(i in " ".join(labels) for i in ("UK_OBN", "ES_AVAESEN"))


def _tick_names(spec: dict) -> list[str]:
    return [t.replace("<br>", " ").replace("\u200b", "") for t in spec["layout"]["yaxis"].get("categoryarray", [])]


def test_chart_names_are_never_cut_and_full_names_on_hover(org):
    long_ids = org.loc[org["name"].str.len() > 60, "id"].head(4).tolist()
    ids = TRIO[:1] + long_ids
    at = app_test(PAGE, {"ids": ",".join(ids)})
    no_errors(at)
    names = dict(zip(org["id"], org["name"]))
    full = {names[i] for i in ids}
    specs = [s for s in plotly_specs(at) if s["layout"]["yaxis"].get("categoryarray")]
    assert specs
    for s in specs:
        for tick in _tick_names(s):
            assert "…" not in tick or any(n.startswith(tick.rstrip("…")) for n in full)
            # each tick is a whole name, or a whole name without its parenthesised aside
            assert any(tick == n or tick == n.split(" (")[0] for n in full) or tick.endswith("…"), tick
        hover = {c for tr in s["data"] for c in tr.get("customdata", [])}
        assert hover <= full and hover
        assert all("%{customdata}" in tr["hovertemplate"] for tr in s["data"])
    # the tables keep the full names
    table_names = {n for d in at.dataframe for n in d.value.get("Organisation", [])}
    assert full <= table_names or full & table_names


def test_chart_label_wraps_words_and_keeps_labels_distinct():
    lab = chart_label("Human.technology Styria GmbH (Styrian human technology / life science cluster)")
    assert "<br>" in lab and "…" not in lab
    assert chart_label("Odense Robotics") == "Odense Robotics"
    a, b = chart_labels(["ALP.Lab (one thing that is long enough to need cutting down a lot, really long)",
                         "ALP.Lab (another thing that is long enough to need cutting down a lot, really)"])
    assert a != b


def test_dot_plot_height_grows_with_wrapped_names():
    import pandas as pd
    short = dot_plot(pd.DataFrame({"name": ["A", "B"], "value": [1, 2]}), "value", "t", "x")
    longer = dot_plot(pd.DataFrame({"name": ["A long organisation name with many words in it", "B"], "value": [1, 2]}),
                      "value", "t", "x")
    assert longer.layout.height > short.layout.height


def _expected_notes(fields, words_only=()):
    facts = load.load_facts()
    f = facts[facts["entity_id"].isin(TRIO)]
    num = pd_num(f["value_num"])
    sel = f[f["field"].isin(fields) | (f["field"].isin(words_only) & num.isna())]
    return sel


def pd_num(s):
    import pandas as pd
    return pd.to_numeric(s, errors="coerce")


@pytest.mark.parametrize("view, fields, words_only", [
    ("Business model", qualitative.BUSINESS_NOTE_FIELDS, ()),
    ("Internationalisation", qualitative.INTL_NOTE_FIELDS, qualitative.INTL_WORDS_ONLY_FIELDS),
])
def test_qualitative_notes_shown_before_the_gaps(view, fields, words_only):
    at = app_test(PAGE, {"ids": ",".join(TRIO), "view": view})
    no_errors(at)
    md = [str(m.value) for m in at.markdown]
    text = "\n".join(md)
    exp = _expected_notes(fields, words_only)
    assert {"UK_OBN", "ES_AVAESEN"} <= set(exp.loc[exp["field"] == "funding_model_note", "entity_id"]) or view != "Business model"
    assert len(exp) >= 2
    for v in exp["value"]:
        assert " ".join(str(v).split())[:60] in text.replace("\\", ""), v
    # the notes come before the tables with their gaps
    head = next(k for k, m in enumerate(md) if m.startswith("#### ") and ("sources say" in m or "sources' words" in m))
    assert head <= 3
    assert "funding_model_note" not in all_text(at) and "_note" not in all_text(at)
