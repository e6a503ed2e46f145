"""Methods-page entries for the sectoral layer (issue 13), in the format of ``cluster_data.methods``.

Every rule, threshold, denominator and basket is read from its one definition
(:mod:`cluster_data.sectoral`, :mod:`cluster_data.sector_baskets`), never restated.
"""
from __future__ import annotations

from cluster_data import sectoral
from cluster_data.sector_baskets import NAMED_BASKETS

_DEN = ", ".join(sectoral.DEFAULT_DENOMINATOR)
_LEFT = ", ".join(sectoral.LEFT_OUT_SECTIONS)

SECTORAL_METHODS: list[dict] = [
    {
        "key": "sector-location-quotient",
        "title": "Sector location quotient (Eurostat SBS, NUTS 2)",
        "summary": "How concentrated a sector (a NACE division or a named basket) is in a NUTS 2 region, compared "
                   "with all European NUTS 2 regions of the same year, from Eurostat SBS persons employed.",
        "formulas": [r"\mathrm{LQ}_{r,s} = \dfrac{E_{r,s} / D_r}{\sum_{q \in \mathrm{ref}} E_{q,s} \,/\, \sum_{q \in \mathrm{ref}} D_q}",
                     r"D_r = \sum_{k \in \{" + _DEN + r"\}} E_{r,k}"],
        "points": [
            f"Denominator D: the region's persons employed summed over SBS sections {_DEN}. Sections {_LEFT} are "
            "confidential in 10–20 % of regions and are left out; SBS has no agriculture (A), finance (K) or public "
            "sector (O–U) at all. The denominator is a parameter of the code.",
            "Reference: every NUTS 2 region of the same year with a complete denominator and a value for the sector. "
            "So the denominator-weighted mean LQ over the reference regions is exactly 1.",
            f"A region missing a denominator section gets no LQ, with the reason '{sectoral.REASON_DENOMINATOR} "
            "(section …)'. A confidential cell (Eurostat flag c) or an unpublished one stays missing with its reason; "
            "it is never drawn or exported as 0.",
            "A basket's employment is the sum of its divisions, missing if any is missing — except when the basket "
            "is exactly one section (Digital = section J), where Eurostat's published section value is used.",
            "NUTS codes are those of each SBS year (London is UKI1/UKI2 before 2013). The map joins on codes only: a "
            "region whose code differs from NUTS 2016 that year is grey with that reason.",
            "Small regions inflate LQs: employment is shown beside every LQ.",
        ],
        "code": "sectoral.denominator, sectoral.basket_values, sectoral.location_quotients, sectoral.DEFAULT_DENOMINATOR",
    },
    {
        "key": "national-share-growth",
        "title": "National share, change and growth rate",
        "summary": "A region's share of its country's employment in the sector, and how its employment changed.",
        "formulas": [r"\text{national share}_{r,s} = E_{r,s} / E_{\mathrm{country},s}",
                     r"\text{change} = E_{\mathrm{end}} - E_{\mathrm{start}}, \quad "
                     r"\mathrm{CAGR} = \left(E_{\mathrm{end}} / E_{\mathrm{start}}\right)^{1/\text{years}} - 1"],
        "points": [
            "The national total is Eurostat's own NUTS 0 value in SBS; if it is missing, no share is shown.",
            "Growth is only ever computed within ONE source and one region code: SBS persons employed and ONS BRES "
            "employment are never spliced into one series.",
            "CAGR needs both ends above 0; otherwise only the change is shown.",
        ],
        "code": "sectoral.national_share, sectoral.growth",
    },
    {
        "key": "strong-clusters",
        "title": "Strong clusters and stars",
        "summary": "Which regional concentrations count as strong clusters. The rules are data in the code and are "
                   "printed here from it.",
        "formulas": [],
        "points": [f"**{sectoral.CLUSTER_MAPPING_RULE.label}**: {sectoral.CLUSTER_MAPPING_RULE.text()}. "
                   f"{sectoral.CLUSTER_MAPPING_RULE.note}"]
        + [f"**{r.label}** (in the style of the European Cluster Observatory): {r.text()}." for r in sectoral.STAR_RULES]
        + ["The European Cluster Observatory's exact star thresholds could not be confirmed, so the star rules are "
           "configurable and are not a reproduction of its published stars.",
           "A flag is 'unknown' (never 'no') when a value the rule needs is missing and no other condition already fails."],
        "code": "sectoral.CLUSTER_MAPPING_RULE, sectoral.STAR_RULES, sectoral.apply_rule",
    },
    {
        "key": "relatedness-density",
        "title": "Relatedness between sectors and density (what a region could grow next)",
        "summary": "Two sectors are related when regions specialised in one tend to be specialised in the other "
                   "(co-location, as in the Harvard Growth Lab's Atlas).",
        "formulas": [r"M_{r,s} = 1 \text{ if } \mathrm{LQ}_{r,s} \ge 1 \text{ else } 0",
                     r"\varphi_{ij} = \min\left(P(M_i = 1 \mid M_j = 1),\ P(M_j = 1 \mid M_i = 1)\right)",
                     r"d_{r,p} = \dfrac{\sum_{j \ne p} M_{r,j}\,\varphi_{jp}}{\sum_{j \ne p} \varphi_{jp}}"],
        "points": [
            "Computed over NACE divisions and the NUTS 2 regions of one SBS year; a pair is counted only in regions "
            "where both LQs are known. φ is symmetric and between 0 and 1.",
            "Density (0–1) is the share of a division's related divisions the region is already specialised in; the "
            "region page lists divisions with LQ below 1 ranked by density.",
        ],
        "code": "sectoral.proximity, sectoral.density",
    },
    {
        "key": "similar-regions",
        "title": "Similar regions by sector profile",
        "summary": "Automatic peer regions: regions whose employment is spread over the divisions in a similar way.",
        "formulas": [r"\cos(a, b) = \dfrac{\sum_s x_{a,s}\,x_{b,s}}{\lVert x_a \rVert\,\lVert x_b \rVert}, \quad x_{r,s} = E_{r,s} / D_r"],
        "points": [f"Only divisions both regions have count; at least {sectoral.MIN_SHARED_DIVISIONS} are needed.",
                   "Ties are broken by region code."],
        "code": "sectoral.similar_regions",
    },
    {
        "key": "sector-baskets",
        "title": "Sector baskets",
        "summary": "Every NACE division is a basket of its own; the named baskets below answer the Greenwich question.",
        "formulas": [r"E_{r,\mathrm{basket}} = \sum_{d \in \mathrm{basket}} E_{r,d}"],
        "points": [f"**{b.label}**: divisions {', '.join(b.divisions)}." + (f" {b.note}" if b.note else "")
                   for b in NAMED_BASKETS],
        "code": "sector_baskets.NAMED_BASKETS, sectoral.all_baskets",
    },
]
