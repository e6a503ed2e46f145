"""Country names for codes, and codes for names (issue 17, point 9). Pure Python, no Streamlit.

The table is read from the shipped geometry, never typed by hand:

- Natural Earth's country outlines (``countries.geojson``: English ``name``, ISO ``iso_a2``);
- NUTS 2016 level 0 (``nuts0_2016.geojson``: Eurostat's country code ``NUTS_ID`` and its national name).

Organisations carry ISO 3166-1 codes (GB, GR). Eurostat writes two countries differently (UK, EL); that
code convention is the one constant here. Natural Earth gives some countries no ISO code (-99, e.g. France,
Norway): those are joined to the NUTS country whose outline holds their representative point (geometry,
never names).
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass

#: Eurostat's country codes that differ from ISO 3166-1 alpha-2 (NUTS code -> ISO code).
NUTS_TO_ISO = {"EL": "GR", "UK": "GB"}


@dataclass(frozen=True)
class Country:
    code: str                  # ISO 3166-1 alpha-2, as in organisations.csv
    name: str                  # English name (Natural Earth), or the NUTS name when Natural Earth has none
    aliases: tuple[str, ...]   # every other name or code that finds it (NUTS code, national name)

    @property
    def label(self) -> str:
        return f"{self.name} ({self.code})"


def _norm(s: str) -> str:
    s = unicodedata.normalize("NFKD", str(s)).encode("ascii", "ignore").decode()
    return " ".join(s.lower().replace(".", " ").split())


def _shape(feature: dict):
    from shapely.geometry import shape  # local: geometry only when a -99 outline needs joining

    try:
        return shape(feature.get("geometry") or {})
    except (ValueError, TypeError, AttributeError):
        return None


def country_table(natural_earth: dict, nuts0: dict) -> dict[str, Country]:
    """ISO code -> Country, from the two shipped geometry files."""
    names: dict[str, str] = {}
    aliases: dict[str, set[str]] = {}
    nuts_feats = []
    for f in nuts0.get("features", []):
        p = f.get("properties") or {}
        nuts = str(p.get("NUTS_ID") or "")
        if not nuts:
            continue
        iso = NUTS_TO_ISO.get(nuts, nuts)
        aliases.setdefault(iso, set()).update({nuts, str(p.get("name") or "").strip()})
        nuts_feats.append((iso, f))
    unmatched = []
    for f in natural_earth.get("features", []):
        p = f.get("properties") or {}
        iso, name = str(p.get("iso_a2") or ""), str(p.get("name") or "").strip()
        if len(iso) == 2 and iso.isalpha():
            names[iso] = name
        elif name:
            unmatched.append((name, f))
    if unmatched:  # Natural Earth's -99 outlines: join on geometry
        shapes = [(iso, _shape(f)) for iso, f in nuts_feats if iso not in names]
        for name, f in unmatched:
            g = _shape(f)
            if g is None or g.is_empty:
                continue
            pt = g.representative_point()
            for iso, ng in shapes:
                if ng is not None and iso not in names and ng.contains(pt):
                    names[iso] = name
                    break
    out = {}
    for iso in sorted(set(names) | set(aliases)):
        name = names.get(iso) or next(iter(sorted(aliases.get(iso, {iso})))).title()
        al = tuple(sorted({a for a in aliases.get(iso, set()) if a and a != name} | {iso}))
        out[iso] = Country(iso, name, al)
    return out


def _keys(c: Country) -> set[str]:
    return {_norm(c.name), *(_norm(a) for a in c.aliases)}


def resolve(text: str, table: dict[str, Country]) -> str | None:
    """The ISO code a code or name stands for ('UK', 'United Kingdom', 'Danmark' -> GB, GB, DK), or None."""
    t = _norm(text)
    if not t:
        return None
    for c in table.values():
        if t in _keys(c):
            return c.code
    return None


def matching(text: str, table: dict[str, Country], min_len: int = 4) -> list[str]:
    """Codes whose name matches ``text``: exactly by code or name, or by a name starting with it
    (at least ``min_len`` letters, so 'den' does not find Denmark but 'denm' does)."""
    exact = resolve(text, table)
    if exact:
        return [exact]
    t = _norm(text)
    if len(t) < min_len:
        return []
    return [c.code for c in table.values() if any(k.startswith(t) for k in _keys(c) if len(k) > 2)]


def label(code: str, table: dict[str, Country]) -> str:
    """'United Kingdom (GB)'; the code itself when the table does not know it."""
    c = table.get(code)
    return c.label if c else str(code)


def search_label(code: str, table: dict[str, Country]) -> str:
    """The label a country picker shows and searches: name, code and the NUTS code when it differs
    ('United Kingdom (GB, also UK)')."""
    c = table.get(code)
    if not c:
        return str(code)
    extra = [a for a in c.aliases if len(a) == 2 and a != c.code]
    return c.label[:-1] + (", also " + ", ".join(extra) if extra else "") + ")"
