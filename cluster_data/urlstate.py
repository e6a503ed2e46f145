"""Parse URL query values defensively (pure, no Streamlit).

Every parser takes the raw value as Streamlit gives it (a str, or a list of str
for repeated keys, or None) and returns ``(value, notice)`` where ``notice`` is a
short plain sentence when the raw value was unusable (None otherwise). Parsers
never raise.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Sequence

MAX_RAW = 2000  # characters of one query value we are willing to look at
MAX_ITEMS = 50


def _as_text(raw) -> str | None:
    if raw is None:
        return None
    if isinstance(raw, (list, tuple)):
        raw = raw[-1] if raw else None
        if raw is None:
            return None
    return str(raw)[:MAX_RAW]


def short(raw, n: int = 40) -> str:
    t = _as_text(raw) or ""
    t = "".join(ch if ch.isprintable() else "?" for ch in t)
    return t if len(t) <= n else t[: n - 1] + "…"


def parse_list(raw, allowed: Sequence[str] | None = None, key: str = "value",
               max_items: int = MAX_ITEMS, case_insensitive: bool = True) -> tuple[list[str], str | None]:
    """Comma-separated list. Unknown items are dropped (and named in the notice)."""
    if raw is None:
        return [], None
    parts: list[str] = []
    items = raw if isinstance(raw, (list, tuple)) else [raw]
    for it in items:
        parts.extend(p.strip() for p in str(it)[:MAX_RAW].split(","))
    parts = [p for p in parts if p]
    out: list[str] = []
    dropped: list[str] = []
    lookup = None
    if allowed is not None:
        lookup = {(a.lower() if case_insensitive else a): a for a in allowed}
    for p in parts:
        if lookup is None:
            v = p
        else:
            v = lookup.get(p.lower() if case_insensitive else p)
        if v is None:
            dropped.append(p)
        elif v not in out:
            out.append(v)
    notice = None
    if len(out) > max_items:
        out = out[:max_items]
        notice = f"Only the first {max_items} {key} values in the link were used."
    if dropped:
        shown = ", ".join(short(d, 24) for d in dropped[:3]) + (" …" if len(dropped) > 3 else "")
        notice = f"Ignored unknown {key} in the link: {shown}."
    return out, notice


def parse_choice(raw, allowed: Sequence[str], default: str, key: str = "value") -> tuple[str, str | None]:
    t = _as_text(raw)
    if t is None or t == "":
        return default, None
    for a in allowed:
        if t.strip().lower() == a.lower():
            return a, None
    return default, f"Ignored unknown {key} '{short(t)}' in the link; showing '{default}'."


def parse_int(raw, default: int | None, lo: int, hi: int, key: str = "value") -> tuple[int | None, str | None]:
    t = _as_text(raw)
    if t is None or t.strip() == "":
        return default, None
    try:
        f = float(t.strip())
        if math.isnan(f) or math.isinf(f):
            raise ValueError
        v = int(round(f))
    except (ValueError, OverflowError):
        return default, f"Ignored '{short(t)}' for {key} in the link (not a whole number)."
    if v < lo or v > hi:
        c = min(max(v, lo), hi)
        return c, f"{key} in the link was outside {lo}–{hi}; using {c}."
    return v, None


def parse_bool(raw, default: bool = False) -> bool:
    t = _as_text(raw)
    if t is None:
        return default
    return t.strip().lower() in {"1", "true", "yes", "on"}


def parse_text(raw, max_len: int = 80) -> str:
    t = _as_text(raw) or ""
    t = "".join(ch for ch in t if ch.isprintable())
    return t[:max_len].strip()


def join_list(items: Iterable[str]) -> str:
    return ",".join(items)


# ----------------------------------------------------------------- a page's URL state, declared
@dataclass(frozen=True)
class Param:
    """One query parameter that holds one widget's value, declared once per page.

    The URL layer (``components.ui.seed_params`` / ``url_values``) seeds the widget from ``url`` on the page's
    first run (``parse`` gives the value and, for an unusable one, the friendly notice) and writes the widget's
    value back, leaving it out of the URL while it equals ``default`` (so a plain link *is* the default view
    and a page's arrival makes no history entry). Old comma-list links parse like repeated parameters."""
    url: str
    key: str
    parse: Callable[[Any], tuple[Any, str | None]]
    default: Any = None

    def encode(self, value: Any) -> Any:
        """The value for the URL writer: None (left out) for the default or an empty value."""
        if value is None or value == self.default or (isinstance(value, (str, list, tuple)) and len(value) == 0):
            return None
        return value


def choice(url: str, key: str, allowed: Sequence[str], default: str, label: str) -> Param:
    return Param(url, key, lambda raw: parse_choice(raw, allowed, default, key=label), default)


def listing(url: str, key: str, allowed: Sequence[str] | None, label: str, default: Sequence[str] = ()) -> Param:
    """A multi-choice; an empty or wholly unusable value falls back to ``default``."""
    def parse(raw):
        value, notice = parse_list(raw, allowed, key=label)
        return (value or list(default)), notice
    return Param(url, key, parse, list(default))


def integer(url: str, key: str, default: int, lo: int, hi: int, label: str) -> Param:
    return Param(url, key, lambda raw: parse_int(raw, default, lo, hi, key=label), default)


def text(url: str, key: str, max_len: int = 80) -> Param:
    return Param(url, key, lambda raw: (parse_text(raw, max_len), None), "")
