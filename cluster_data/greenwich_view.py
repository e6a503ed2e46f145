"""The Greenwich page's answer, as typed values built by pure functions (issue 17, points 1–3).

* :func:`baseline_facts` — where Greenwich's digital economy stands, from the sourced regional statistics.
* :func:`verdict` — the first screen: the question, plain answer sentences, three headline figures (each
  marked "Sourced" with its source, or "Assumption"), the caveats and the median notice.
* :func:`median_notice` — says so when the scenario sits on the peer median (the defaults are peer medians,
  so there the benchmark says nothing).
* :func:`starting_points` — labelled starting points built from one peer's sourced values (found by
  organisation id), each an Assumption based on that peer.

Pure Python (pandas only; never streamlit). Numbers are written through :mod:`cluster_data.display`.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

import pandas as pd

from cluster_data import benchmark as bm
from cluster_data import metrics, provenance, regional
from cluster_data.display import fmt_int, fmt_lq, fmt_number, fmt_pct, fmt_year, is_missing
from cluster_data.schema import GREENWICH

SOURCED = "Sourced"
ASSUMPTION = "Assumption"
QUESTION = ("Where does Greenwich's digital economy stand, how would a Greenwich Digital Cluster measure up "
            "against its peers, and would its business model pay its way?")


# ----------------------------------------------------------------- typed content
@dataclass(frozen=True)
class Headline:
    """One headline figure of the answer."""
    label: str
    value: str
    status: str     # SOURCED or ASSUMPTION
    note: str       # the source line (Sourced) or how it is computed from the Assumptions


@dataclass(frozen=True)
class Verdict:
    question: str
    answer: tuple[str, ...]        # plain sentences, baseline → benchmark → business model
    figures: tuple[Headline, ...]  # three headline figures
    caveats: tuple[str, ...]
    median_notice: str | None      # set when the scenario sits on the peer median


@dataclass(frozen=True)
class Baseline:
    """The sourced baseline the answer quotes (None = not in the data)."""
    gva_share: float | None        # SIC J share of GVA, Bexley and Greenwich (%)
    gva_share_uk: float | None     # the same share for the UK (%)
    gva_lq_uk: float | None
    gva_year: int | None
    gva_source: str
    htec_share: float | None       # high-tech KIS share of employment, NUTS 2 UKI5 (%)
    htec_year: int | None
    htec_source: str


@dataclass(frozen=True)
class StartingPoint:
    """A scenario start based on one peer's sourced values; every value it sets is an Assumption."""
    key: str
    label: str                     # "A mature cluster like Odense Robotics'"
    org_id: str
    values: dict[str, int] = field(default_factory=dict)   # scenario field key → value
    rules: dict[str, str] = field(default_factory=dict)    # scenario field key → "Assumption based on …"


# ----------------------------------------------------------------- baseline
def baseline_facts(ri: pd.DataFrame, sources: pd.DataFrame) -> Baseline:
    """Greenwich's sourced digital-economy baseline (ONS GVA for ITL3 TLI51, Eurostat high-tech KIS for UKI5)."""
    g = regional.gva_profile(ri, GREENWICH["itl3"])
    share = share_uk = lq = year = None
    if g.get("ok"):
        t = g["table"]
        share, share_uk = float(t.iloc[0]["share_pct"]), float(t.iloc[-1]["share_pct"])
        lq, year = float(g["lq_vs_uk"]), g["year"]
    hv, hy = regional.latest_value(ri, GREENWICH["nuts2"], "htec_kis_share")
    return Baseline(gva_share=share, gva_share_uk=share_uk, gva_lq_uk=lq, gva_year=year,
                    gva_source=provenance.source_line(provenance.indicator_source(sources, "gva_j_gbp_m")),
                    htec_share=hv, htec_year=hy,
                    htec_source=provenance.source_line(provenance.indicator_source(sources, "htec_kis_share")))


def _baseline_sentence(b: Baseline) -> str:
    if b.gva_share is None:
        return "Greenwich's digital economy: the data hold no GVA figure for Bexley and Greenwich."
    side = "below" if (b.gva_lq_uk or 0) < 1 else "above"
    s = (f"Greenwich's digital economy is {side} the UK average today: information & communication is "
         f"{fmt_pct(b.gva_share, decimals=1)} of GVA in Bexley and Greenwich ({fmt_year(b.gva_year)}), against "
         f"{fmt_pct(b.gva_share_uk, decimals=1)} for the UK (location quotient {fmt_lq(b.gva_lq_uk)}; ONS).")
    if b.htec_share is not None:
        s += (f" In its wider NUTS 2 region ({GREENWICH['nuts2']}), {fmt_pct(b.htec_share, decimals=1)} of "
              f"employment is in high-tech knowledge-intensive services ({fmt_year(b.htec_year)}; Eurostat).")
    return s


# ----------------------------------------------------------------- benchmark
def ordinal(n: float) -> str:
    k = int(round(n))
    suffix = "th" if 10 <= k % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(k % 10, "th")
    return f"{k}{suffix}"


def _on_median(row) -> bool:
    med, sc = row.get("median"), row.get("scenario")
    if is_missing(med) or is_missing(sc) or int(row.get("n_peers") or 0) == 0:
        return False
    return math.isclose(float(sc), float(med), abs_tol=0.5)


def median_notice(ranks: pd.DataFrame) -> str | None:
    """A plain notice when the scenario equals the peer median on one or more metrics (else None)."""
    on = [str(r["label"]) for _, r in ranks.iterrows() if _on_median(r)]
    if not on:
        return None
    what = ", ".join(on)
    return (f"The scenario sits exactly on the peer median for {what}. The default inputs are the peer medians, so "
            f"on {'this measure' if len(on) == 1 else 'these measures'} the benchmark says nothing yet: start from "
            f"a peer-based starting point or change the inputs.")


def _members_row(ranks: pd.DataFrame):
    m = ranks[ranks["metric"] == "members_total"]
    return None if m.empty else m.iloc[0]


def _benchmark_sentence(ranks: pd.DataFrame, peer_label: str) -> str:
    r = _members_row(ranks)
    if r is None or int(r["n_peers"]) == 0 or is_missing(r["percentile"]):
        return (f"Among {peer_label}, no peer has a sourced member count, so the scenario cannot be placed on size.")
    n = int(r["n_peers"])
    small = f" (a small group of {n}: read with care)" if n < metrics.SMALL_GROUP else ""
    where = ("exactly at the median — the default, so this says nothing yet" if _on_median(r)
             else f"at the {ordinal(r['percentile'])} percentile")
    return (f"A cluster of {fmt_int(r['scenario'])} members (Assumption) would sit {where} of the {n} peers in "
            f"'{peer_label}' with a sourced member count (peer median {fmt_number(r['median'])}){small}.")


# ----------------------------------------------------------------- business model
def _business_sentence(fm: bm.FundingModel) -> str:
    ratio = fm.self_funding_ratio
    if ratio is None:
        return "Whether its business model pays its way is undefined: the assumed costs are 0."
    cover = fmt_pct(ratio, share=True)
    be = fm.break_even_members
    be_txt = (f"it would break even without public money at {fmt_int(be)} members" if be is not None
              else "no member count breaks even while fees are 0")
    if ratio >= 1:
        return (f"Its business model would pay its way (Assumptions): fees, events and services would cover "
                f"{cover} of its costs without public money; {be_txt}.")
    gap = max(0.0, float(fm.costs) - float(fm.own_income))
    return (f"Its business model would not pay its way on its own income (Assumptions): fees, events and services "
            f"would cover {cover} of its costs, leaving £{fmt_int(gap)} a year for public funding or more members; "
            f"{be_txt}.")


# ----------------------------------------------------------------- the verdict
def verdict(*, baseline: Baseline, ranks: pd.DataFrame, fm: bm.FundingModel, peer_label: str,
            start_label: str | None = None) -> Verdict:
    """The first screen's answer: sentences, three headline figures, caveats and the median notice."""
    r = _members_row(ranks)
    members_value = (f"{ordinal(r['percentile'])} percentile" if r is not None and not is_missing(r["percentile"])
                     else "no rank")
    members_note = (f"{fmt_int(r['scenario'])} members (Assumption) against {int(r['n_peers'])} peers' sourced "
                    f"member counts, median {fmt_number(r['median'])}" if r is not None and int(r["n_peers"])
                    else "no peer in this group has a sourced member count")
    ratio = fm.self_funding_ratio
    figures = (
        Headline(f"ICT share of GVA ({fmt_year(baseline.gva_year)})", fmt_pct(baseline.gva_share, decimals=1), SOURCED,
                 f"Information & communication, Bexley and Greenwich; UK {fmt_pct(baseline.gva_share_uk, decimals=1)}"
                 f", location quotient {fmt_lq(baseline.gva_lq_uk)}. Source: {baseline.gva_source}"),
        Headline("Size among the peers", members_value, ASSUMPTION, f"{members_note} ('{peer_label}')"),
        Headline("Own income ÷ costs",
                 "undefined (costs are 0)" if ratio is None else fmt_number(ratio, decimals=2), ASSUMPTION,
                 "The self-funding ratio: (fees + events + services) ÷ costs, from the scenario's Assumptions; 1.00 pays its way"),
    )
    caveats = [
        "Every scenario figure is computed from Assumptions (the inputs below), not a forecast or a sourced fact.",
        "Peer values are what the sources state; some are lower bounds ('more than') and coverage is uneven.",
        "The jobs outlook counts people employed in member firms, not jobs the cluster would create.",
    ]
    if start_label:
        caveats.insert(0, f"Starting point: {start_label} — an Assumption based on that peer's sourced values.")
    return Verdict(question=QUESTION,
                   answer=(_baseline_sentence(baseline), _benchmark_sentence(ranks, peer_label),
                           _business_sentence(fm)),
                   figures=figures, caveats=tuple(caveats), median_notice=median_notice(ranks))


# ----------------------------------------------------------------- starting points
# (key, kind, organisation id): the label is built from the organisation's name in the data, the values
# from its sourced facts, both found by id. A peer without sourced values offers no starting point.
STARTING_POINTS: tuple[tuple[str, str, str], ...] = (
    ("young", "A young digital cluster like", "AT_SILICON_ALPS"),
    ("cyber", "A cyber-security cluster like", "NL_HSD"),
    ("mature", "A mature cluster like", "DK_ODENSE_ROBOTICS"),
)
# scenario field ← the organisation field it is based on
_START_FIELDS = {"target_members": "members_total", "sme_share": "members_sme_share_pct",
                 "partner_countries": "countries_partnered"}


def _short_name(name: str) -> str:
    return name.split(" (")[0].strip()


def _possessive(name: str) -> str:
    return name + ("'" if name.endswith("s") else "'s")


def _based_on(name: str, field_: str, item: dict) -> str:
    lb = bool(item.get("lower_bound"))
    return (f"Assumption based on {name}: {provenance.field_label(field_).lower()} "
            f"{fmt_number(item.get('value_num'), lower_bound=lb)} ({fmt_year(item.get('ref_year'), missing='no year')}"
            f"; {provenance.source_line(item)})")


def starting_point(org: pd.DataFrame, facts: pd.DataFrame, sources: pd.DataFrame, key: str, kind: str,
                   org_id: str, base: dict) -> StartingPoint | None:
    """One starting point from ``org_id``'s sourced headline values (None if the peer is not in the data)."""
    row = org[org["id"] == org_id]
    if row.empty:
        return None
    name = _short_name(str(row.iloc[0]["name"]))
    values, rules = {}, {}
    for fkey, ofield in _START_FIELDS.items():
        item = provenance.headline(facts, sources, org_id, ofield)
        if item and not is_missing(item.get("value_num")):
            f = bm.FIELD_BY_KEY[fkey]
            values[fkey] = int(min(max(round(float(item["value_num"])), f.lo), f.hi))
            rules[fkey] = _based_on(name, ofield, item)
    item = provenance.headline(facts, sources, org_id, "funding_public_share_pct")
    if item and not is_missing(item.get("value_num")) and float(item["value_num"]) < 100:
        share = float(item["value_num"])
        own = bm.funding_model({**base, **values}).own_income
        values["public"] = int(round(own * share / (100 - share) / 10_000) * 10_000)
        rules["public"] = _based_on(name, "funding_public_share_pct", item) + " — the amount that makes public " \
                                                                              "funding that share of income"
    if not values:
        return None
    founded = row.iloc[0].get("founded_year")
    since = "" if is_missing(founded) else f" (founded {fmt_year(founded)})"
    return StartingPoint(key=key, label=f"{kind} {_possessive(name)}{since}", org_id=org_id, values=values,
                         rules=rules)


def starting_points(org: pd.DataFrame, facts: pd.DataFrame, sources: pd.DataFrame, base: dict) -> list[StartingPoint]:
    """The labelled starting points available in this data (see :data:`STARTING_POINTS`)."""
    out = [starting_point(org, facts, sources, k, kind, oid, base) for k, kind, oid in STARTING_POINTS]
    return [p for p in out if p is not None]


def input_rule(key: str, value: int, default: tuple[int, str], start: StartingPoint | None) -> str:
    """How an input's current value was set: the starting point, the default rule, or the user's own."""
    if start is not None and start.values.get(key) == value:
        return start.rules[key]
    if value == default[0]:
        return default[1]
    return "your own Assumption (changed from the default)"


# ----------------------------------------------------------------- jobs outlook
def approx(v: float, figures: int = 3) -> float:
    """An outlook value rounded for reading: three significant figures (45,333 → 45,300)."""
    f = float(v)
    if f == 0 or not math.isfinite(f):
        return f
    return round(f, -int(math.floor(math.log10(abs(f)))) + figures - 1)


@dataclass(frozen=True)
class JobsView:
    """The jobs outlook as the page and the brief state it: labelled by what it counts, never as 'jobs'."""
    basis: bm.JobsBasis
    ok: bool
    headline: str        # the sentence under the chart (or why there is no outlook)
    axis: str            # the chart's y-axis title
    title: str           # the chart's title
    caveat: str          # always shown; for a claimed basis it names the peer count
    n_peers: int
    source: str = ""     # the source line inside the chart's image


def jobs_basis_label(key: str, n_peers: int | None = None) -> str:
    """The option label of a basis: what it counts; a claimed basis says so and how many peers have one."""
    b = bm.JOBS_BASIS[key]
    if not b.claimed:
        return "People employed in member firms (size of the member base, not jobs created)"
    n = "" if n_peers is None else f", {n_peers} peer{'s' if n_peers != 1 else ''}"
    return f"Jobs created as claimed by peers' sources (claims{n})"


def jobs_view(outlook: dict) -> JobsView:
    b = bm.JOBS_BASIS[outlook.get("basis") or bm.DEFAULT_JOBS_BASIS]
    n = int(len(outlook.get("peers", [])))
    caveat = b.caveat + (f" Only {n} peer{'s' if n != 1 else ''} in this group state such a claim." if b.claimed
                         else "")
    basis = f"{ASSUMPTION}s and {n} peers' sourced ratios ({b.ratio})"
    if outlook.get("ok"):
        last = len(outlook["years"]) - 1
        headline = (f"By year {outlook['years'][last]} of the scenario: ≈ {fmt_int(approx(outlook['low'][last]))} – "
                    f"{fmt_int(approx(outlook['high'][last]))} {b.counts} "
                    f"(central ≈ {fmt_int(approx(outlook['central'][last]))}). "
                    f"Computed from {basis}; not a forecast.")
    else:
        headline = f"No outlook for this peer group: {outlook.get('reason', '')}"
    return JobsView(basis=b, ok=bool(outlook.get("ok")), headline=headline, axis=b.counts,
                    title=f"Outlook: {b.counts} (from the Assumptions and peers' ratios)", caveat=caveat, n_peers=n,
                    source=f"Computed by Cluster Atlas from {basis}; peers' values: {provenance.SOURCED_FACTS}")


def chart_sources(jobs: JobsView | None = None) -> dict[str, str]:
    """The source line inside each of the page's charts (chart key -> line): the peers' values are sourced
    facts, every scenario value is an Assumption."""
    out = {"strip": f"Sources: peers' member counts, {provenance.SOURCED_FACTS}; the scenario line is an {ASSUMPTION}",
           "heat": f"Computed by Cluster Atlas: the scenario ({ASSUMPTION}s) ranked among each group's peers with "
                   f"a sourced value ({provenance.SOURCED_FACTS})",
           "funding": f"Computed by Cluster Atlas from the scenario's {ASSUMPTION}s alone (no sourced figure)"}
    if jobs is not None and jobs.source:
        out["fan"] = jobs.source
    return out
