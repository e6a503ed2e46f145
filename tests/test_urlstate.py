"""A page's URL state, declared (cluster_data.urlstate.Param): how a link's value is read, what notice an
unusable one gets, and what is left out of the URL."""
from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from cluster_data import urlstate

SECTORS = ["digital", "health", "energy"]


def test_a_list_reads_comma_lists_and_repeated_parameters_alike():
    p = urlstate.listing("sector", "f_sector", SECTORS, "sector")
    assert p.parse("digital,health") == (["digital", "health"], None)
    assert p.parse(["digital", "health"]) == (["digital", "health"], None)
    assert p.parse(["digital,health", "energy"]) == (["digital", "health", "energy"], None)


def test_unusable_values_fall_back_with_a_notice_that_names_them():
    p = urlstate.listing("types", "f_types", ["cluster_org", "programme"], "row type", default=["cluster_org"])
    value, notice = p.parse("nonsense")
    assert value == ["cluster_org"] and "nonsense" in notice and "row type" in notice
    c = urlstate.choice("ind", "f_ind", ["jobs", "members"], "jobs", "regional indicator")
    assert c.parse("zzz") == ("jobs", "Ignored unknown regional indicator 'zzz' in the link; showing 'jobs'.")
    i = urlstate.integer("min_size", "f_min", 0, 0, 100, "minimum size")
    assert i.parse("500") == (100, "minimum size in the link was outside 0–100; using 100.")
    assert i.parse("abc")[0] == 0 and "not a whole number" in i.parse("abc")[1]


def test_defaults_and_empty_values_stay_out_of_the_url():
    lst = urlstate.listing("types", "f_types", ["cluster_org", "programme"], "row type", default=["cluster_org"])
    assert lst.encode(["cluster_org"]) is None and lst.encode([]) is None
    assert lst.encode(["programme"]) == ["programme"]
    assert urlstate.integer("min_size", "f_min", 0, 0, 100, "minimum size").encode(0) is None
    assert urlstate.text("q", "f_q").encode("") is None and urlstate.text("q", "f_q").encode("odense") == "odense"


@given(st.one_of(st.none(), st.text(max_size=300), st.lists(st.text(max_size=50), max_size=5)))
def test_parsers_never_raise_and_return_allowed_values(raw):
    p = urlstate.listing("sector", "f_sector", SECTORS, "sector")
    value, notice = p.parse(raw)
    assert set(value) <= set(SECTORS) and (notice is None or isinstance(notice, str))
    c = urlstate.choice("ind", "f_ind", ["jobs", "members"], "jobs", "indicator")
    assert c.parse(raw)[0] in ("jobs", "members")
