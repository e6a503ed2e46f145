"""Sector baskets as data: the named groups of NACE Rev.2 divisions the app measures (issue 13).

Every NACE division is also a basket of its own (built from the shipped sector lookup, see
:func:`cluster_data.sectoral.all_baskets`); the named baskets below answer the Greenwich question.
Pure data: code and prose (the Methods page, the atlas legend) read these records, never restate them.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Basket:
    key: str                       # URL value and table key, e.g. "digital"
    label: str                     # plain name shown to users
    divisions: tuple[str, ...]     # NACE Rev.2 divisions summed (SBS sector_code / BRES nace_division)
    note: str = ""                 # a caveat shown wherever the basket is shown
    org_sectors: tuple[str, ...] = ()  # cluster-organisation sectors (schema.SECTORS) this basket stands for


NAMED_BASKETS: tuple[Basket, ...] = (
    Basket("digital", "Digital (J58–J63)", ("J58", "J59", "J60", "J61", "J62", "J63"),
           "Section J, Information and communication: publishing, film and broadcasting, telecoms, "
           "computer programming and information services.", ("digital_ict", "smart_city", "creative")),
    Basket("computer_programming", "Computer programming and consultancy (J62)", ("J62",),
           "J62 is the closest published proxy for cyber security: no statistical classification has a "
           "cyber-security sector, so this basket also counts software and IT consultancy in general.",
           ("cyber_security",)),
    Basket("telecom", "Telecommunications (J61)", ("J61",)),
    Basket("automotive", "Automotive (C29)", ("C29",), "Manufacture of motor vehicles, trailers and semi-trailers.",
           ("mobility_automotive",)),
    Basket("electronics", "Electronics (C26)", ("C26",), "Manufacture of computer, electronic and optical products."),
    Basket("machinery", "Machinery (C28)", ("C28",), "Manufacture of machinery and equipment n.e.c.", ("manufacturing",)),
    Basket("scientific_rd", "Scientific research and development (M72)", ("M72",),
           "Used as the nearest basket for life-science cluster organisations (pharmaceutical manufacturing, "
           "C21, is often confidential).", ("life_sciences",)),
    Basket("architecture_engineering", "Architecture and engineering (M71)", ("M71",),
           "Architectural and engineering activities; technical testing and analysis."),
)

#: Default basket of the atlas layer and the region page.
DEFAULT_BASKET = "digital"
