"""Output safety helpers: spreadsheet formula injection and HTML escaping.

Pure Python (no UI framework imports).

Spreadsheet programs treat a cell that begins with ``=``, ``+``, ``-``, ``@``,
tab or carriage return as a formula.  Following the OWASP "CSV injection"
advice, :func:`neutralise_cell` prefixes such text with a single quote so it is
shown as text.  Plain numbers such as ``-12.5`` or ``+44`` are left alone so
that negative numbers survive a round trip.  :func:`strip_neutralisation` is the
inverse used when our own exports are uploaded again.
"""

from __future__ import annotations

import html
import math
import re
from typing import Any

import pandas as pd

__all__ = [
    "TRIGGER_CHARS",
    "neutralise_cell",
    "safe_csv_bytes",
    "html_escape",
    "strip_neutralisation",
    "is_plain_number",
]

#: Characters that make a spreadsheet cell start a formula.
TRIGGER_CHARS: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r")

# A plain decimal number: optional sign, digits with optional fraction, optional
# exponent.  Deliberately excludes "inf", "nan", "1_000", spaces and the like.
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def is_plain_number(text: str) -> bool:
    """True if ``text`` is exactly a plain decimal number such as ``-12.5``."""
    return bool(_PLAIN_NUMBER.fullmatch(text))


def neutralise_cell(value: Any) -> Any:
    """Prefix formula-like text with ``'``; return everything else unchanged."""
    if isinstance(value, str) and value.startswith(TRIGGER_CHARS):
        if is_plain_number(value):
            return value
        return "'" + value
    return value


def strip_neutralisation(value: Any) -> Any:
    """Inverse of :func:`neutralise_cell` for re-imported text.

    Drops a leading ``'`` only when it is followed by a trigger character.
    """
    if isinstance(value, str) and len(value) >= 2 and value[0] == "'" and value[1] in TRIGGER_CHARS:
        return value[1:]
    return value


def _is_text_like(series: pd.Series) -> bool:
    dtype = series.dtype
    return not (
        pd.api.types.is_numeric_dtype(dtype)
        or pd.api.types.is_bool_dtype(dtype)
        or pd.api.types.is_datetime64_any_dtype(dtype)
        or pd.api.types.is_timedelta64_dtype(dtype)
    )


def safe_csv_bytes(df: pd.DataFrame) -> bytes:
    """CSV bytes (UTF-8 with BOM, no index) with every text cell and column
    name neutralised.  Numeric, boolean and datetime columns are untouched."""
    out = df.copy()
    for i in range(out.shape[1]):
        col = out.iloc[:, i]
        if _is_text_like(col):
            out.isetitem(i, col.astype(object).map(neutralise_cell))
    out.columns = [neutralise_cell(c) for c in out.columns]
    return out.to_csv(index=False).encode("utf-8-sig")


def html_escape(text: Any) -> str:
    """``html.escape(str(text), quote=True)``; ``None`` / NaN / NA become ``""``."""
    if text is None or text is pd.NA or text is pd.NaT:
        return ""
    if isinstance(text, float) and math.isnan(text):
        return ""
    return html.escape(str(text), quote=True)
