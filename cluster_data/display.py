"""One place for how a value reads: missing or not, and how a number, year, share or LQ is written.

Every page, the brief, the tour and the exports format through these functions, so one value reads the
same everywhere (issue 15, point 4; issue 17, point 11). Pure Python, no Streamlit.

Rules:
- Missing (None, NaN, pandas NA, empty string) is never 0: it reads ``MISSING`` ("not sourced") for a
  sourced-evidence field, or ``NO_DATA`` ("no data") for a statistical cell a producer did not publish.
- Integers never show ".0"; years never get a thousands separator.
- A "more than X" evidence value (a lower bound) reads "more than X".
"""
from __future__ import annotations

import math
from typing import Any

MISSING = "not sourced"      # a field no source states
NO_DATA = "no data"          # a statistical cell the producer did not publish (absent or confidential)
CONFIDENTIAL = "confidential"  # Eurostat flag c
UNDEFINED = "undefined"      # a ratio whose denominator is 0


def is_missing(v: Any) -> bool:
    """True for None, NaN, pandas NA/NaT, and blank strings. 0 is a value, not missing."""
    if v is None:
        return True
    if isinstance(v, str):
        return v.strip() == "" or v.strip().lower() in {"nan", "none", "<na>"}
    try:
        import pandas as pd  # local: keep the module importable in a bare interpreter

        if v is pd.NA or v is pd.NaT:
            return True
    except ImportError:  # pragma: no cover
        pass
    try:
        return bool(math.isnan(float(v)))
    except (TypeError, ValueError):
        return False


def as_float(v: Any) -> float | None:
    """A finite float, or None when the value is missing or not a number."""
    if is_missing(v) or isinstance(v, bool):
        return None
    try:
        f = float(v)
    except (TypeError, ValueError):
        return None
    return f if math.isfinite(f) else None


def fmt_number(v: Any, *, decimals: int | None = None, lower_bound: bool = False,
               missing: str = MISSING, unit: str = "") -> str:
    """'4,000', '12.5', 'more than 130', '45%' (unit='%'); ``missing`` for a missing value.

    Without ``decimals``: integers as integers, values ≥ 100 rounded to whole numbers, others to one
    decimal (two significant figures below 1)."""
    f = as_float(v)
    if f is None:
        return missing
    if decimals is not None:
        txt = f"{f:,.{decimals}f}"
    elif f.is_integer() or abs(f) >= 100:
        txt = f"{f:,.0f}"
    elif abs(f) >= 1:
        txt = f"{f:,.1f}"
    else:
        txt = f"{f:.2g}"
    if unit:
        txt += unit if unit == "%" else f" {unit}"
    return f"more than {txt}" if lower_bound else txt


def fmt_int(v: Any, *, missing: str = MISSING, lower_bound: bool = False) -> str:
    """A count: '1,568'; rounds a non-integer to the nearest whole number."""
    f = as_float(v)
    if f is None:
        return missing
    txt = f"{round(f):,d}"
    return f"more than {txt}" if lower_bound else txt


def fmt_year(v: Any, *, missing: str = MISSING) -> str:
    """A year: '2020', never '2,020' or '2020.0'."""
    f = as_float(v)
    if f is None:
        return missing
    return str(int(round(f)))


def fmt_pct(v: Any, *, decimals: int = 0, missing: str = MISSING, share: bool = False) -> str:
    """A percentage. ``v`` is in percent (45 → '45%'), or a 0–1 share when ``share=True``."""
    f = as_float(v)
    if f is None:
        return missing
    if share:
        f *= 100
    return f"{f:,.{decimals}f}%"


def fmt_lq(v: Any, *, missing: str = NO_DATA) -> str:
    """A location quotient to two decimals ('1.37')."""
    f = as_float(v)
    if f is None:
        return missing
    return f"{f:.2f}"


def fmt_change(v: Any, *, decimals: int = 0, missing: str = NO_DATA, unit: str = "") -> str:
    """A signed change: '+1,200', '−35' (true minus sign)."""
    f = as_float(v)
    if f is None:
        return missing
    txt = f"{abs(f):,.{decimals}f}"
    if unit:
        txt += unit if unit == "%" else f" {unit}"
    return ("+" if f > 0 else "−" if f < 0 else "±") + txt


def tidy_table(df, columns: dict[str, str]):
    """Select and rename a frame's columns for display, in ``columns``' order (absent columns are skipped)."""
    cols = [c for c in columns if c in df.columns]
    return df[cols].rename(columns=columns)
