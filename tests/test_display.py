"""The one display module: missing is never 0, integers without '.0', years without separators."""
import math

import pandas as pd
import pytest

from cluster_data import display as d


@pytest.mark.parametrize("v", [None, float("nan"), pd.NA, "", "  ", "nan"])
def test_missing_reads_missing_never_zero(v):
    assert d.is_missing(v)
    assert d.fmt_number(v) == d.MISSING
    assert d.fmt_int(v) == d.MISSING
    assert d.fmt_year(v) == d.MISSING
    assert d.fmt_lq(v) == d.NO_DATA


def test_zero_is_a_value():
    assert not d.is_missing(0)
    assert d.fmt_number(0) == "0"


def test_numbers_read_right():
    assert d.fmt_number(4000.0) == "4,000"
    assert d.fmt_number(12.5) == "12.5"
    assert d.fmt_number(130, lower_bound=True) == "more than 130"
    assert d.fmt_number(45, unit="%") == "45%"
    assert d.fmt_year(2020.0) == "2020"
    assert d.fmt_int(1567.6) == "1,568"
    assert d.fmt_pct(0.451, share=True) == "45%"
    assert d.fmt_lq(1.234) == "1.23"
    assert d.fmt_change(-35) == "−35" and d.fmt_change(1200) == "+1,200"
    assert d.as_float("x") is None and d.as_float(math.inf) is None
