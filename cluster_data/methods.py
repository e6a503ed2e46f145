"""Plain-language definitions of every method the app computes (pure data, no UI).

Each method has a stable ``key`` that is also its heading anchor on the
/data page (``/data?tab=methods``, heading ``#<key>``), so other pages can point
to it. The wording restates, without changing, what the code in
:mod:`cluster_data.metrics` and :mod:`cluster_data.regional` does; the numbers
quoted (minimum coverage, minimum peers, small-group size) are read from those
modules so the text cannot drift from the code.
"""
from __future__ import annotations

from cluster_data import display, metrics, regional, settings
from cluster_data.sectoral_methods import SECTORAL_METHODS

__all__ = ["METHODS", "METHOD_KEYS", "METHOD_TITLES", "GVA_LQ_FORMULA", "method", "anchor"]


# the numbers the text quotes are the settings the code applies (cluster_data.settings), never restated
MIN_COVERAGE = settings.INDEX_MIN_COVERAGE.value
MIN_PEERS = settings.OUTLOOK_MIN_PEERS.value
DEFAULT_K = settings.SIMILAR_K.value

#: Same text as ``regional.gva_profile(...)["formula"]`` (a test checks they match).
GVA_LQ_FORMULA = "LQ = (GVA_J,area / GVA_total,area) ÷ (GVA_J,ref / GVA_total,ref)"

_HTEC = regional.DERIVED_INDICATORS["htec_kis_lq"]
_KIS = regional.DERIVED_INDICATORS["kis_lq"]

METHODS: list[dict] = [
    {
        "key": "location-quotient",
        "title": "Location quotient (specialisation)",
        "summary": "A location quotient (LQ) compares how important a sector is in a region with how important it is "
                   "in a reference area. 1 means 'as common as in the reference'; 2 means twice as common; "
                   "0.5 means half as common.",
        "formulas": [r"\mathrm{LQ} = \dfrac{\text{region's share of employment in the sector}}"
                     r"{\text{reference share}}",
                     r"\mathrm{LQ}_{\mathrm{GVA}} = \dfrac{\mathrm{GVA}_{J,\,\mathrm{area}} / \mathrm{GVA}_{\mathrm{total},\,\mathrm{area}}}"
                     r"{\mathrm{GVA}_{J,\,\mathrm{ref}} / \mathrm{GVA}_{\mathrm{total},\,\mathrm{ref}}}"],
        "points": [
            f"**{_HTEC['label']}** — {_HTEC['description']}",
            f"**{_KIS['label']}** — {_KIS['description']}",
            "**Greenwich's digital GVA profile** — gross value added of Information & communication (SIC J) as a "
            "share of all-industry GVA in Bexley and Greenwich (ITL3 TLI51), divided by the same share for London "
            "(the sum of London's ITL3 areas) or for the UK (the sum of all ITL3 areas), same year, ONS balanced GVA. "
            f"Formula: {GVA_LQ_FORMULA}.",
            "If the reference share is missing or zero the LQ is not shown (never set to 0).",
        ],
        "code": "metrics.location_quotient, metrics.gva_location_quotient, regional.lq_reference, regional.gva_profile",
    },
    {
        "key": "percentile-rank",
        "title": "Percentile rank within a comparison group",
        "summary": metrics.PERCENTILE_CONVENTION,
        "formulas": [r"P = 100 \times \dfrac{\#\{\text{peers below}\} + \tfrac12\,\#\{\text{peers equal}\}}"
                     r"{\#\{\text{peers with a value}\}}"],
        "points": [
            "Peers without a sourced value are left out of the group; they are never counted as 0.",
            f"Groups with fewer than {metrics.SMALL_GROUP} peers are flagged as small: a percentile of a tiny group "
            "says little.",
            "If the organisation itself has no sourced value, no percentile is shown.",
        ],
        "code": "metrics.percentile_rank, metrics.PERCENTILE_CONVENTION, metrics.SMALL_GROUP",
    },
    {
        "key": "internationalisation-index",
        "title": "Internationalisation index (composite, 0–100)",
        "summary": "A single 0–100 score that summarises several sourced internationalisation indicators. It is a "
                   "relative score within the organisations compared, not an absolute measure.",
        "formulas": [r"s_{i,c} = \dfrac{x_{i,c} - \min_c}{\max_c - \min_c}",
                     r"\text{score}_i = 100 \times \dfrac{\sum_{c \in A_i} w_c\, s_{i,c}}{\sum_{c \in A_i} w_c}"],
        "points": [
            "Each component is min–max scaled to 0–1 across the organisations that have a value for it "
            "(if all those values are equal, they all get 1).",
            "A_i is the set of components organisation i actually has: the weights are renormalised over the "
            "available components, so a missing component is left out — never counted as 0.",
            f"Coverage minimum: a score is shown only when at least {MIN_COVERAGE} components have a sourced value; "
            "otherwise the organisation is listed as 'not enough data'.",
            "The components and their weights are shown next to every score; components with weight 0 are ignored.",
        ],
        "code": "metrics.internationalisation_index",
    },
    {
        "key": "peer-similarity",
        "title": "Peer similarity (nearest peers)",
        "summary": "To suggest peers that resemble an organisation, each feature is put on a common scale and the "
                   "'distance' between organisations is measured only on the features both of them have.",
        "formulas": [r"z_{c} = \dfrac{x_{c} - \bar{x}_c}{\mathrm{sd}_c}",
                     r"d(t, j) = \sqrt{\dfrac{\sum_{c \in S} w_c\,(z_{t,c} - z_{j,c})^2}{\sum_{c \in S} w_c}}"],
        "points": [
            "z-scores use the mean and sample standard deviation of all candidate organisations; a feature with no "
            "spread counts as 0 wherever present.",
            "S is the set of features where both the target and the candidate have a value, so missing data "
            "neither helps nor hurts. Candidates sharing no feature are excluded; an organisation is never its own peer.",
            f"The closest organisations are listed (by default {DEFAULT_K}), ties broken by id; the number of shared "
            "features is shown with each.",
        ],
        "code": "metrics.standardise, metrics.nearest_peers",
    },
    {
        "key": "benchmark-gaps",
        "title": "Benchmark gaps (median and top quartile)",
        "summary": "The gap to a peer group's median and to its top quartile (75th percentile) — how far a value "
                   "would need to rise to reach them.",
        "formulas": [r"\text{gap} = \max(0,\ \text{benchmark} - \text{value})"],
        "points": ["Percentiles use linear interpolation between peer values (numpy's default).",
                   "Peers without a sourced value are left out."],
        "code": "metrics.gap_targets",
    },
    {
        "key": "jobs-outlook",
        "title": "Jobs outlook (scenario range)",
        "summary": "A scenario, not a forecast: a range of jobs associated with a membership path, based on how many "
                   "jobs per member peer clusters report.",
        "formulas": [r"m_t = m_0 \left(\dfrac{m_T}{m_0}\right)^{t/T}",
                     r"\text{low}_t = m_t \cdot Q_{25},\quad \text{central}_t = m_t \cdot Q_{50},\quad "
                     r"\text{high}_t = m_t \cdot Q_{75}"],
        "points": [
            "Peer ratio = a sourced jobs figure ÷ sourced members for each peer (for example employees in member firms "
            "÷ members). Q25, Q50 (median) and Q75 are the quartiles of those ratios.",
            "The member path m_t grows at a constant rate from the starting member count m_0 to the target m_T over "
            "T years (linearly when starting from 0). Scenario inputs are labelled 'Assumption'.",
            f"With fewer than {MIN_PEERS} peers that have both figures, no range is shown.",
        ],
        "code": "metrics.members_path, metrics.jobs_outlook",
    },
    {
        "key": "self-funding-ratio",
        "title": "Self-funding ratio and funding mix",
        "summary": "How much of a cluster organisation's yearly running costs its own income covers.",
        "formulas": [r"\text{self-funding ratio} = \dfrac{\text{fees} + \text{events} + \text{services}}{\text{costs}}",
                     r"\text{public share} = 100 \times \dfrac{\text{public funding}}{\text{total income}}"],
        "points": [
            "1.0 means own income exactly covers costs; below 1 the gap must be covered by public funding or other income.",
            "Surplus = total income (own income + public funding) − costs.",
            "Yearly costs = staff (FTE) × cost per FTE + overheads. All inputs are scenario assumptions and are labelled so.",
        ],
        "code": "metrics.sustainability, metrics.annual_costs",
    },
    {
        "key": "break-even-membership",
        "title": "Break-even membership",
        "summary": "The smallest whole number of paying members at which income covers yearly costs.",
        "formulas": [r"m^{*} = \min\{\,m \ge 0 : m \cdot \text{fee} + \text{other own income} + \text{public} \ge \text{costs}\,\}"],
        "points": [
            "0 means costs are already covered without members' fees.",
            "If the fee is zero and costs are not covered, there is no break-even point (shown as 'not reachable').",
        ],
        "code": "metrics.break_even_members",
    },
    {
        "key": "missing-values",
        "title": "Missing values, sources and years",
        "summary": "Every number shown comes from a source row that the user can open (title, link and the exact quote). "
                   f"A value no source gives is shown as '{display.MISSING}' (a statistic the producer did not publish: "
                   f"'{display.NO_DATA}') — never as 0 and never as a zero-height bar.",
        "formulas": [],
        "points": [
            "Where a source gives a minimum ('more than 200 members') the value is flagged as a lower bound.",
            "Each value carries its reference year; values from different years are compared only with the years shown.",
            "Values per member or per inhabitant are computed only when both numbers are sourced and the denominator is above 0.",
        ],
        "code": "metrics.normalise, provenance.evidence",
    },
    {
        "key": "settings",
        "title": "Thresholds and defaults",
        "summary": "The fixed numbers the app applies, each in one place (cluster_data.settings) that the code and this "
                   "page both read.",
        "formulas": [],
        "points": [f"{s.help} Now: {s.value}." for s in settings.ALL.values()],
        "code": "cluster_data.settings",
    },
]

METHODS += SECTORAL_METHODS  # issue 13: sector × region employment (rules read from cluster_data.sectoral)

METHOD_KEYS: list[str] = [m["key"] for m in METHODS]
METHOD_TITLES: dict[str, str] = {m["key"]: m["title"] for m in METHODS}


def method(key: str) -> dict | None:
    return next((m for m in METHODS if m["key"] == key), None)


def anchor(key: str) -> str:
    """In-page anchor of a method heading on /data?tab=methods (e.g. ``#percentile-rank``)."""
    if key not in METHOD_TITLES:
        raise KeyError(key)
    return "#" + key
