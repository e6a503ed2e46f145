"""Issue 17, point 11: numbers read right on atlas, compare, lessons, tour and data (not /greenwich or the brief).

One walk over every text a page shows — Markdown, captions, notices, metrics, table cells, chart text — with
four rules: no year with a thousands separator ("Founded: 2,020"), no integer with ".0", one word for a
missing value ("not sourced"; "no data" for a statistic a producer did not publish), and no internal field
name in a notice or caption.
"""
from __future__ import annotations

import json
import re

import pandas as pd
import pytest

from cluster_data.schema import FIELD_LABELS
from components.datapage import TABS
from components.tour import N_STEPS
from tests.conftest import app_test, no_errors

VIEWS = ["Jobs", "Internationalisation", "Business model", "Regional context"]
RUNS = ([("pages/1_atlas.py", {}), ("pages/1_atlas.py", {"org": "ES_AVAESEN"}),
         ("pages/1_atlas.py", {"org": "UK_OBN", "ind": "htec_kis_lq"}),
         ("pages/4_lessons.py", {})]
        + [("pages/2_compare.py", {"view": v}) for v in VIEWS]
        + [("pages/5_tour.py", {"step": str(k)}) for k in range(1, N_STEPS + 1)]
        + [("pages/6_data.py", {"tab": t}) for t in TABS if t != "import"])

YEAR_WITH_SEPARATOR = re.compile(r"(?:[Ff]ounded|[Yy]ear|[Ss]ince|[Ll]abel(?:led)?|\bin)\W{0,3}(?:1|2),\d{3}\b"
                                 r"|\(\s*(?:19|20)\d{2}\.0\s*\)|\(\s*[12],\d{3}\s*\)")
POINT_ZERO = re.compile(r"(?<![\w.])\d[\d,]*\.0(?![\d])")
# not numbers a reader reads as quantities: licence and software versions, and the methods' definition of a
# ratio's threshold ("1.0 means own income exactly covers costs")
LICENCES = re.compile(r"(CC BY(?:-SA)? \d\.\d|[Ll]icen[cs]e v?\d\.\d|v\d\.\d|\d+\.\d+\.\d+|\b1\.0 means)")
OTHER_MISSING = {"no source", "unknown", "unknown (no source)", "nan", "None", "<NA>", "NaN", "n/a"}
FIELDS = re.compile(r"\b(" + "|".join(sorted((f for f in FIELD_LABELS if "_" in f), key=len, reverse=True)) + r")\b")


def _texts(at) -> tuple[list[str], list[str], list[pd.DataFrame], list[str]]:
    """(prose, notices/captions, tables, chart texts) of one run."""
    prose = [str(e.value) for k in ("markdown", "title", "header", "subheader") for e in getattr(at, k)]
    notes = [str(e.value) for k in ("caption", "info", "warning", "success", "toast") for e in getattr(at, k, [])]
    prose += [f"{m.label} {m.value}" for m in at.metric]
    tables = [d.value for d in at.dataframe] + [t.value for t in at.table]
    charts = []
    for c in at.get("plotly_chart"):
        spec = json.loads(c.proto.spec)
        for tr in spec.get("data", []):
            for k in ("text", "y", "x"):
                v = tr.get(k)
                if isinstance(v, list):
                    charts += [str(x) for x in v if isinstance(x, str)]
        for a in spec.get("layout", {}).get("annotations", []):
            charts.append(str(a.get("text", "")))
        charts.append(str(spec.get("layout", {}).get("title", {}).get("text", "")))
    return prose, notes, tables, charts


@pytest.mark.parametrize("page, params", RUNS, ids=[f"{p.split('_', 1)[1][:-3]}-{'-'.join(v.values()) or 'default'}"
                                                    for p, v in RUNS])
def test_numbers_read_right(page, params):
    at = app_test(page, params)
    no_errors(at)
    prose, notes, tables, charts = _texts(at)
    words = [LICENCES.sub("", t) for t in prose + notes + charts]
    bad_years = [m.group(0) for t in words for m in YEAR_WITH_SEPARATOR.finditer(t)]
    assert not bad_years, bad_years
    bad_zero = [(m.group(0), t[max(0, m.start() - 40): m.end() + 20]) for t in words for m in POINT_ZERO.finditer(t)]
    assert not bad_zero, bad_zero
    for df in tables:
        for col in df.columns:
            s = df[col]
            if any(w in str(col).lower() for w in ("title", "url", "quote", "source", "link", "derived")):
                continue  # verbatim source titles ("Industry 4.0", "Viable Cities 2.0"), links, method categories
            if s.dtype == object or str(s.dtype) in ("string", "str"):
                vals = s.dropna().astype(str)
                assert not vals.isin(OTHER_MISSING).any(), (col, sorted(set(vals[vals.isin(OTHER_MISSING)])))
                assert not vals.map(lambda v: bool(POINT_ZERO.search(LICENCES.sub("", v)))).any(), \
                    (col, vals[vals.map(lambda v: bool(POINT_ZERO.search(LICENCES.sub("", v))))].head(3).tolist())
                if "year" in str(col).lower():
                    assert not vals.str.contains(r"^[12],\d{3}$").any(), col
            elif "year" in str(col).lower() and pd.api.types.is_float_dtype(s):
                # a float year column would print "2020.0": years are integers or text
                assert s.dropna().empty, col
    named = sorted({m.group(0) for t in notes for m in FIELDS.finditer(t)})
    assert not named, named
