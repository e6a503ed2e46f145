"""Greenwich Digital Cluster benchmark: peer groups, the scenario model and its outputs.

Pure Python (pandas / numpy / cluster_data.metrics only; never streamlit).

* Peer groups (:data:`PRESETS`, :func:`peer_ids`) never include unlike row types
  that are not organisations: seed aggregates (a claim about a region) and the
  prospective Greenwich row itself are always excluded (:data:`EXCLUDED_ROW_TYPES`).
* The scenario is a set of **assumptions** (:data:`FIELDS`). Each default is either
  a peer median (stated as "default = peer median of N peers") or a stated round
  assumption (:func:`default_values`).
* Outputs: percentile ranks within peer groups (:func:`rank_table`,
  :func:`robustness`), gap targets turned into text (:func:`gap_text`), a jobs
  outlook fan (:func:`outlook`) and the funding model (:func:`funding_model`).
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from cluster_data import metrics, settings

EXCLUDED_ROW_TYPES = ("seed_aggregate", "prospective")
GREENWICH_ID = "UK_GREENWICH_DIGITAL_CLUSTER"
DIGITAL_SECTORS = ("digital_ict", "cyber_security", "mobility_automotive", "smart_city")
FOCUS_SECTORS = {"cav": "mobility_automotive", "urban": "smart_city", "cyber": "cyber_security"}

PRESETS: dict[str, dict[str, str]] = {
    "southern_denmark": {
        "label": "Southern Denmark",
        "rule": "Cluster organisations (row type cluster_org) in NUTS 2 region DK03 (Syddanmark). "
                "The regional seed aggregate is a claim, not an organisation, and is left out.",
    },
    "valencia": {
        "label": "Valencia",
        "rule": "Cluster organisations (row type cluster_org) in NUTS 2 region ES52 (Comunitat Valenciana).",
    },
    "milton_park": {
        "label": "Milton Park / OBN",
        "rule": "UK_MILTON_PARK_LS (campus) and UK_OBN (cluster organisation), plus any other life-sciences "
                "organisation in NUTS 2 region UKJ1. Note: this group mixes a campus with a membership network.",
    },
    "digital_peers": {
        "label": "Digital, cyber, mobility & smart-city peers",
        "rule": "Cluster organisations and networks with sector digital & ICT, cyber security, mobility & "
                "automotive or smart city. Testbeds, programmes and projects are left out: they are facilities "
                "or funded projects without a membership model, so they are unlike a cluster organisation.",
    },
    "all_clusters": {
        "label": "All cluster organisations",
        "rule": "Every row of type cluster_org in the data.",
    },
    "similar": {
        "label": "Most similar (automatic)",
        "rule": "The 8 cluster organisations (with a sourced member count) nearest to the scenario on "
                "standardised features (see the feature table).",
    },
    "manual": {
        "label": "Manual picks",
        "rule": "The organisations you pick (seed aggregates and the prospective Greenwich row are not allowed).",
    },
}
PRESET_KEYS = list(PRESETS)
FIXED_PRESETS = ["southern_denmark", "valencia", "milton_park", "digital_peers", "all_clusters"]
SIMILAR_K = settings.SIMILAR_K.value


# ----------------------------------------------------------------- helpers
_num = metrics.finite_float  # one definition of 'a number or missing'


def peerable(org: pd.DataFrame) -> pd.DataFrame:
    """Rows that may be peers: everything except seed aggregates and the prospective row."""
    return org[~org["row_type"].isin(EXCLUDED_ROW_TYPES)]


# ----------------------------------------------------------------- similarity
SIMILAR_WEIGHTS = {
    "log_members": 1.0,
    "founded_year": 0.5,
    "sector_match": 2.0,
}
SIMILAR_FEATURES = {
    "log_members": "log10(members) — scenario: log10(target members)",
    "founded_year": "year founded — scenario: the latest founding year among the candidates (a new organisation)",
    "sector_match": "the scenario's focus weight on the candidate's sector ÷ the largest focus weight "
                    "(CAV ↔ mobility & automotive, urban innovation ↔ smart city, cyber ↔ cyber security; "
                    "0 for other sectors) — scenario: 1",
}


def _focus_weights(values: dict) -> dict[str, float]:
    w = {FOCUS_SECTORS[k]: max(0.0, _num(values.get(f"w_{k}", 0)) or 0.0) for k in FOCUS_SECTORS}
    return {s: (0.0 if math.isnan(v) else v) for s, v in w.items()}


def similarity_features(org: pd.DataFrame, values: dict | None = None) -> pd.DataFrame:
    """Feature table of the candidate peers: cluster organisations with a sourced member count (index = id)."""
    c = org[(org["row_type"] == "cluster_org") & pd.to_numeric(org["members_total"], errors="coerce").gt(0)]
    c = c.set_index("id")
    m = pd.to_numeric(c["members_total"], errors="coerce")
    feats = pd.DataFrame(index=c.index)
    feats["log_members"] = np.log10(m.where(m > 0))
    feats["founded_year"] = pd.to_numeric(c["founded_year"], errors="coerce")
    w = _focus_weights(values or {})
    top = max(w.values()) if w else 0.0
    feats["sector_match"] = [(w.get(s, 0.0) / top) if top > 0 else 0.0 for s in c["sector"]]
    return feats


def similarity_target(values: dict, feats: pd.DataFrame) -> pd.Series:
    m1 = _num(values.get("target_members"))
    top = max(_focus_weights(values).values())
    return pd.Series({
        "log_members": math.log10(m1) if m1 > 0 else math.nan,
        "founded_year": float(feats["founded_year"].max()) if feats["founded_year"].notna().any() else math.nan,
        "sector_match": 1.0 if top > 0 else math.nan,
    }, name="scenario")


def similar_peers(org: pd.DataFrame, values: dict, k: int = SIMILAR_K) -> pd.DataFrame:
    """The k nearest cluster organisations to the scenario (metrics.nearest_peers)."""
    feats = similarity_features(org, values)
    tgt = similarity_target(values, feats)
    res = metrics.nearest_peers(feats, tgt, k=k, weights=SIMILAR_WEIGHTS)
    return res.join(feats)


# ----------------------------------------------------------------- peer groups
def peer_ids(org: pd.DataFrame, preset: str, manual: list[str] | None = None,
             values: dict | None = None) -> list[str]:
    """Ids of a peer group (sorted, except 'similar' which is ordered by distance)."""
    p = peerable(org)
    if preset == "southern_denmark":
        d = p[(p["row_type"] == "cluster_org") & (p["nuts2_2016"] == "DK03")]
    elif preset == "valencia":
        d = p[(p["row_type"] == "cluster_org") & (p["nuts2_2016"] == "ES52")]
    elif preset == "milton_park":
        d = p[p["id"].isin(["UK_MILTON_PARK_LS", "UK_OBN"])
              | ((p["nuts2_2016"] == "UKJ1") & (p["sector"] == "life_sciences"))]
    elif preset == "digital_peers":
        d = p[p["row_type"].isin(["cluster_org", "network"]) & p["sector"].isin(DIGITAL_SECTORS)]
    elif preset == "all_clusters":
        d = p[p["row_type"] == "cluster_org"]
    elif preset == "similar":
        return list(similar_peers(org, values or {}).index)
    elif preset == "manual":
        want = list(manual or [])
        ok = set(p["id"])
        return [i for i in want if i in ok]
    else:
        raise ValueError(f"unknown peer preset {preset!r}")
    return sorted(d["id"].astype(str))


def all_groups(org: pd.DataFrame, values: dict, manual: list[str] | None = None) -> dict[str, list[str]]:
    groups = {k: peer_ids(org, k, values=values) for k in FIXED_PRESETS + ["similar"]}
    if manual:
        groups["manual"] = peer_ids(org, "manual", manual=manual)
    return groups


# ----------------------------------------------------------------- scenario fields
@dataclass(frozen=True)
class Field:
    key: str        # URL key and scenario dict key
    label: str
    lo: int
    hi: int
    step: int
    unit: str
    group: str


FIELDS: list[Field] = [
    Field("w_cav", "Sector focus: connected & autonomous vehicles", 0, 100, 5, "weight (0–100)", "focus"),
    Field("w_urban", "Sector focus: urban innovation", 0, 100, 5, "weight (0–100)", "focus"),
    Field("w_cyber", "Sector focus: cyber security", 0, 100, 5, "weight (0–100)", "focus"),
    Field("start_members", "Members at launch", 0, 5000, 5, "members", "members"),
    Field("target_members", "Target members", 1, 5000, 10, "members", "members"),
    Field("years", "Years to reach the target", 5, 10, 1, "years", "members"),
    Field("sme_share", "SME share of members", 0, 100, 5, "%", "members"),
    Field("intl_share", "International share of members", 0, 100, 5, "%", "members"),
    Field("partner_countries", "Partner countries", 0, 100, 1, "countries", "members"),
    Field("fee_sme", "Annual fee, SME member", 0, 100_000, 100, "£ per year", "income"),
    Field("fee_large", "Annual fee, large member", 0, 500_000, 500, "£ per year", "income"),
    Field("fee_intl", "Annual fee, international member", 0, 500_000, 100, "£ per year", "income"),
    Field("events", "Events & conference income", 0, 10_000_000, 5_000, "£ per year", "income"),
    Field("services", "Services income", 0, 10_000_000, 5_000, "£ per year", "income"),
    Field("public", "Public funding", 0, 20_000_000, 10_000, "£ per year", "income"),
    Field("staff_fte", "Staff (full-time equivalents)", 0, 200, 1, "FTE", "costs"),
    Field("cost_per_fte", "Cost per FTE", 0, 500_000, 1_000, "£ per year", "costs"),
    Field("overheads", "Overheads", 0, 10_000_000, 5_000, "£ per year", "costs"),
]
FIELD_BY_KEY = {f.key: f for f in FIELDS}

# Stated round assumptions used when the peer data hold no value (all labelled "Assumption").
ROUND_DEFAULTS: dict[str, tuple[int, str]] = {
    "w_cav": (35, "round assumption: roughly equal focus on the three themes"),
    "w_urban": (35, "round assumption: roughly equal focus on the three themes"),
    "w_cyber": (30, "round assumption: roughly equal focus on the three themes"),
    "start_members": (20, "round assumption (a founding group)"),
    "target_members": (150, "round assumption (the peer group has no sourced member counts)"),
    "years": (5, "round assumption"),
    "sme_share": (80, "round assumption (the peer group has no sourced SME shares)"),
    "intl_share": (10, "round assumption (the peer group has no sourced international-member counts)"),
    "partner_countries": (5, "round assumption (the peer group has no sourced partner-country counts)"),
    "fee_sme": (1_000, "round assumption — fee levels of peers such as OBN are not published"),
    "fee_large": (5_000, "round assumption — fee levels of peers such as OBN are not published"),
    "fee_intl": (2_500, "round assumption — fee levels of peers such as OBN are not published"),
    "events": (60_000, "round assumption (no peer publishes event income in the data)"),
    "services": (40_000, "round assumption (no peer publishes services income in the data)"),
    "public": (150_000, "round assumption (the peer group has no sourced public-funding share)"),
    "staff_fte": (4, "round assumption"),
    "cost_per_fte": (60_000, "round assumption (salary plus on-costs)"),
    "overheads": (60_000, "round assumption (premises, IT, marketing)"),
}


def _peer_rows(org: pd.DataFrame, ids: list[str]) -> pd.DataFrame:
    return org[org["id"].isin(ids)]


def _median(series: pd.Series) -> tuple[float | None, int]:
    s = pd.to_numeric(series, errors="coerce").dropna()
    s = s[np.isfinite(s)]
    return (float(s.median()), int(len(s))) if len(s) else (None, 0)


def default_values(org: pd.DataFrame, ids: list[str]) -> dict[str, tuple[int, str]]:
    """Default for every scenario field: ``key -> (value, rule text)``.

    Peer medians are used where the chosen group has values: target members
    (median members_total), SME share (median members_sme_share_pct), international
    share (median members_international ÷ members_total), partner countries (median
    countries_partnered) and public funding (the amount that makes public funding
    the peers' median funding_public_share_pct of income), each over the group's
    cluster_org rows with a sourced value. Otherwise the stated round assumption in
    :data:`ROUND_DEFAULTS` applies.
    """
    out = dict(ROUND_DEFAULTS)
    rows = _peer_rows(org, ids)
    rows = rows[rows["row_type"] == "cluster_org"]
    med, n = _median(rows["members_total"]) if len(rows) else (None, 0)
    if med is not None:
        out["target_members"] = (max(1, int(round(med))), f"default = peer median of {n} peers (members of the group's cluster organisations)")
    med, n = _median(rows["members_sme_share_pct"]) if len(rows) else (None, 0)
    if med is not None:
        out["sme_share"] = (int(round(med)), f"default = peer median SME share of {n} peers")
    if len(rows):
        mt = pd.to_numeric(rows["members_total"], errors="coerce")
        mi = pd.to_numeric(rows["members_international"], errors="coerce")
        ratio = (100 * mi / mt.where(mt > 0)).dropna()
        if len(ratio):
            out["intl_share"] = (int(round(float(ratio.median()))),
                                 f"default = peer median of international ÷ all members, {len(ratio)} peers")
    med, n = _median(rows["countries_partnered"]) if len(rows) else (None, 0)
    if med is not None:
        out["partner_countries"] = (int(round(med)), f"default = peer median partner countries of {n} peers")
    med, n = _median(rows["funding_public_share_pct"]) if len(rows) else (None, 0)
    if med is not None and med < 100:
        vals = {k: v for k, (v, _) in out.items()}
        own = funding_model(vals).own_income
        pub = own * med / (100 - med)
        pub = int(round(pub / 10_000) * 10_000)
        out["public"] = (pub, f"default = the amount that makes public funding {med:.0f}% of income, "
                              f"the peer median public share of {n} peers")
    return out


def clamp_values(values: dict) -> dict:
    """Clamp every field into its range (missing fields are left out)."""
    out = {}
    for f in FIELDS:
        if f.key in values and values[f.key] is not None:
            v = _num(values[f.key])
            if math.isnan(v):
                continue
            out[f.key] = int(min(max(round(v), f.lo), f.hi))
    return out


# ----------------------------------------------------------------- funding model
def member_mix(values: dict) -> dict:
    """SME / large / international shares (%) of members; international wins over SME.

    Members are split into three fee types: SME, international and large
    (= the rest). If the SME and international shares add up to more than 100 the
    SME share is reduced (and ``adjusted`` is True).
    """
    sme = max(0.0, min(100.0, _num(values.get("sme_share", 0))))
    intl = max(0.0, min(100.0, _num(values.get("intl_share", 0))))
    adjusted = False
    if sme + intl > 100:
        sme = 100 - intl
        adjusted = True
    return {"sme": sme, "intl": intl, "large": 100 - sme - intl, "adjusted": adjusted}


def average_fee(values: dict) -> float:
    mix = member_mix(values)
    return (mix["sme"] * _num(values["fee_sme"]) + mix["large"] * _num(values["fee_large"])
            + mix["intl"] * _num(values["fee_intl"])) / 100.0


@dataclass(frozen=True)
class FundingModel:
    """A scenario's income, costs, self-funding ratio and break-even membership (all from Assumptions)."""
    members: float
    average_fee: float
    fees: float
    events: float
    services: float
    public: float
    own_income: float
    costs: float
    self_funding_ratio: float | None     # None: costs are 0
    public_share_pct: float | None       # None: no income
    surplus: float
    total_income: float
    break_even_members: int | None       # None: not reachable (fees are 0)
    break_even_members_with_public: int | None
    mix: dict                            # member mix shares (sme, large, intl) and whether SME was reduced


def funding_model(values: dict, members: float | None = None) -> FundingModel:
    """The 'Clusters Dialectic': income, costs, self-funding ratio and break-even.

    * fees = members (default: target members) × average fee over the member mix
    * own income = fees + events + services
    * costs = staff FTE × cost per FTE + overheads (metrics.annual_costs)
    * self-funding ratio = own income ÷ costs (metrics.sustainability)
    * break-even members = smallest member count whose fees plus events and services
      cover the costs without public funding (metrics.break_even_members)
    """
    m = _num(values["target_members"]) if members is None else _num(members)
    fee = average_fee(values)
    fees = m * fee
    events, services, public = (_num(values[k]) for k in ("events", "services", "public"))
    costs = metrics.annual_costs(values["staff_fte"], values["cost_per_fte"], values["overheads"])
    s = metrics.sustainability(fees=fees, events=events, services=services, public=public, costs=costs)
    be = metrics.break_even_members(fee, events + services, costs, public=0.0)
    be_pub = metrics.break_even_members(fee, events + services, costs, public=public)
    return FundingModel(members=m, average_fee=fee, fees=fees, events=events, services=services, public=public,
                        own_income=fees + events + services, costs=costs, self_funding_ratio=s["self_funding_ratio"],
                        public_share_pct=s["public_share_pct"], surplus=s["surplus"], total_income=s["total_income"],
                        break_even_members=be, break_even_members_with_public=be_pub, mix=member_mix(values))


def funding_path(values: dict) -> pd.DataFrame:
    """Year-by-year members (metrics.members_path) and the funding model for each year."""
    path = metrics.members_path(values["start_members"], values["target_members"], int(values["years"]))
    rows = []
    for t, m in enumerate(path):
        fm = funding_model(values, members=m)
        rows.append({"year": t, "members": m, "fees": fm.fees, "own_income": fm.own_income,
                     "public": fm.public, "costs": fm.costs, "self_funding_ratio": fm.self_funding_ratio})
    return pd.DataFrame(rows)


# ----------------------------------------------------------------- ranks and gaps
METRICS: dict[str, dict[str, str]] = {
    "members_total": {"label": "Members", "scenario": "target members",
                      "higher": "larger"},
    "members_international": {"label": "International members", "scenario": "target members × international share",
                              "higher": "more international members"},
    "members_sme_share_pct": {"label": "SME share of members (%)", "scenario": "SME share",
                              "higher": "a larger SME share"},
    "countries_partnered": {"label": "Partner countries", "scenario": "partner countries",
                            "higher": "more partner countries"},
    "funding_public_share_pct": {"label": "Public funding share (%)", "scenario": "public funding ÷ total income",
                                 "higher": "more reliant on public money (not 'better')"},
}
NOT_IN_SCENARIO = {"employees_in_members": "Employees in member firms: the scenario has no such figure, so no rank."}


def scenario_metric_values(values: dict) -> dict[str, float | None]:
    fm = funding_model(values)
    mix = fm.mix
    return {
        "members_total": float(values["target_members"]),
        "members_international": float(values["target_members"]) * mix["intl"] / 100.0,
        "members_sme_share_pct": mix["sme"],
        "countries_partnered": float(values["partner_countries"]),
        "funding_public_share_pct": fm.public_share_pct,
    }


def peer_values(org: pd.DataFrame, ids: list[str], field: str) -> pd.Series:
    """Sourced peer values of ``field`` (index = id; missing values dropped)."""
    rows = _peer_rows(org, ids).set_index("id")
    s = pd.to_numeric(rows[field], errors="coerce")
    return s[s.notna() & np.isfinite(s)]


def rank_table(org: pd.DataFrame, ids: list[str], values: dict) -> pd.DataFrame:
    """One row per metric: scenario value, percentile rank, peer median/top quartile, gaps."""
    sv = scenario_metric_values(values)
    rows = []
    for field, meta in METRICS.items():
        pv = peer_values(org, ids, field)
        lb_col = f"{field}_lower_bound"
        n_lb = 0
        if lb_col in org.columns and len(pv):
            lb = org.set_index("id").loc[pv.index, lb_col]
            n_lb = int(lb.astype(str).str.lower().isin(["true", "1"]).sum())
        pct = metrics.percentile_rank(sv[field], list(pv))
        g = metrics.gap_targets(sv[field], list(pv))
        rows.append({
            "metric": field, "label": meta["label"], "scenario": sv[field], "n_peers": int(len(pv)),
            "percentile": pct, "small_group": 0 < len(pv) < metrics.SMALL_GROUP,
            "median": g["median"], "top_quartile": g["top_quartile"],
            "gap_to_median": g["gap_to_median"], "gap_to_top_quartile": g["gap_to_top_quartile"],
            "n_lower_bounds": n_lb,
        })
    return pd.DataFrame(rows)


def robustness(org: pd.DataFrame, groups: dict[str, list[str]], values: dict) -> pd.DataFrame:
    """Long table: group × metric → percentile, number of peers with a value, small flag."""
    rows = []
    for g, ids in groups.items():
        rt = rank_table(org, ids, values)
        for _, r in rt.iterrows():
            rows.append({"group": g, "group_label": PRESETS.get(g, {}).get("label", g), "group_size": len(ids),
                         "metric": r["metric"], "label": r["label"], "percentile": r["percentile"],
                         "n_peers": r["n_peers"], "small_group": bool(r["n_peers"] < metrics.SMALL_GROUP)})
    return pd.DataFrame(rows)


_GAP_UNITS = {
    "members_total": ("more members", "members"),
    "members_international": ("more international members", "international members"),
    "members_sme_share_pct": ("percentage points more SME share", "% SME share"),
    "countries_partnered": ("more partner countries", "partner countries"),
    "funding_public_share_pct": ("percentage points more public funding share", "% public share"),
}


def _fmt(v: float) -> str:
    return f"{v:,.0f}" if abs(v) >= 10 or float(v).is_integer() else f"{v:,.1f}"


def gap_text(metric: str, row: dict | pd.Series) -> str:
    """Plain target sentence from a rank_table row (computed, never hand-written)."""
    more, unit = _GAP_UNITS.get(metric, ("more", ""))
    label = METRICS.get(metric, {}).get("label", metric)
    n = int(row.get("n_peers") or 0)
    if n == 0 or row.get("median") is None or (isinstance(row.get("median"), float) and math.isnan(row["median"])):
        return f"{label}: no peer in this group has a sourced value, so there is no target."
    med, q75 = float(row["median"]), float(row["top_quartile"])
    g_med, g_q = row.get("gap_to_median"), row.get("gap_to_top_quartile")
    if g_med is None or g_q is None or (isinstance(g_med, float) and math.isnan(g_med)):
        return f"{label}: peer median {_fmt(med)} {unit}, top quartile {_fmt(q75)} (scenario value unknown)."
    small = " (small group: read with care)" if n < metrics.SMALL_GROUP else ""
    peers_w = f"{n} peer" if n == 1 else f"{n} peers"
    if metric == "funding_public_share_pct":
        return (f"{label}: the scenario's public share is {_fmt(float(row['scenario']))}% against a peer median of "
                f"{_fmt(med)}% and top quartile of {_fmt(q75)}% ({peers_w}){small}. A higher share is more "
                f"dependence on public money, not a target.")
    if g_med == 0 and g_q == 0:
        return f"{label}: the scenario already reaches the top quartile of {_fmt(q75)} {unit} ({peers_w}){small}."
    if g_med == 0:
        return (f"{label}: at or above the peer median ({_fmt(med)}); ≈ {_fmt(float(g_q))} {more} to reach the "
                f"top quartile ({_fmt(q75)}) — {peers_w}{small}.")
    return (f"{label}: ≈ {_fmt(float(g_med))} {more} to reach the peer median ({_fmt(med)}) and ≈ "
            f"{_fmt(float(g_q))} to reach the top quartile ({_fmt(q75)}) — {peers_w}{small}.")


# ----------------------------------------------------------------- jobs outlook
@dataclass(frozen=True)
class JobsBasis:
    """One basis of the jobs outlook, labelled by what it counts (issue 17, point 3)."""
    key: str        # URL value of ``basis``
    field: str      # the organisations.csv column of the numerator
    counts: str     # what the outlook counts, used as the axis and headline noun
    ratio: str      # the peers' ratio, as the method line states it
    caveat: str     # what a reader must know before quoting it
    claimed: bool   # True: the numerator is a claim, shown only with its caveat and peer count


JOBS_BASES: tuple[JobsBasis, ...] = (
    JobsBasis("employees", "employees_in_members", "people employed in member firms",
              "employees in member firms ÷ members",
              "This counts everyone employed by the member firms, most of whom worked there before they joined: "
              "it measures the size of the member base, not jobs the cluster created.", False),
    JobsBasis("jobs_created", "jobs_created", "jobs created, as claimed by peers' sources",
              "jobs created (as claimed) ÷ members",
              "Jobs-created figures are claims by the cluster or its region, not evaluations; some cover a whole "
              "regional ecosystem rather than the members, and some are lower bounds ('more than').", True),
)
JOBS_BASIS = {b.key: b for b in JOBS_BASES}
DEFAULT_JOBS_BASIS = "employees"  # the honest default: it says what it counts and is not a claim
OUTLOOK_BASES = {b.key: (b.field, b.ratio) for b in JOBS_BASES}


def jobs_ratios(org: pd.DataFrame, ids: list[str], basis: str = "employees") -> pd.DataFrame:
    """Peers with both a sourced numerator and member count: id, name, numerator, members, ratio."""
    num_field, _ = OUTLOOK_BASES[basis]
    rows = _peer_rows(org, ids)
    num = pd.to_numeric(rows[num_field], errors="coerce")
    den = pd.to_numeric(rows["members_total"], errors="coerce")
    ok = num.notna() & den.notna() & (den > 0)
    out = pd.DataFrame({"id": rows["id"], "name": rows["name"], num_field: num, "members_total": den})[ok]
    out["ratio"] = out[num_field] / out["members_total"]
    return out.reset_index(drop=True)


def outlook(org: pd.DataFrame, ids: list[str], values: dict, basis: str = "employees") -> dict:
    """Jobs fan over the scenario years from peers' jobs-per-member ratios (metrics.jobs_outlook)."""
    ratios = jobs_ratios(org, ids, basis)
    path = metrics.members_path(values["start_members"], values["target_members"], int(values["years"]))
    res = metrics.jobs_outlook(path, list(ratios["ratio"]), min_peers=settings.OUTLOOK_MIN_PEERS.value)
    res["members"] = path
    res["years"] = list(range(len(path)))
    res["peers"] = ratios
    res["basis"] = basis
    res["method"] = (f"Members path from {values['start_members']} to {values['target_members']} over "
                     f"{values['years']} years (constant growth rate); each year's members × the 25th percentile, "
                     f"median and 75th percentile of peers' {OUTLOOK_BASES[basis][1]} "
                     f"({len(ratios)} peers with both figures sourced).")
    return res


# ----------------------------------------------------------------- sourced benchmarks
def europe_public_share(cs: pd.DataFrame) -> dict | None:
    """The sourced European benchmark: public funding share of cluster organisations' budgets."""
    d = cs[(cs["case"] == "europe_evidence") & (cs["topic"] == "funding")]
    d = d[d["unit"].astype(str).str.contains("public", case=False) & d["unit"].astype(str).str.contains("%")]
    d = d[pd.to_numeric(d["value_num"], errors="coerce").notna()]
    if d.empty:
        return None
    return d.iloc[0].to_dict()


def milton_park_model(cs: pd.DataFrame) -> pd.DataFrame:
    """Milton Park / OBN business-model facts (case_studies case == 'milton_park', topic business_model)."""
    return cs[(cs["case"] == "milton_park") & (cs["topic"] == "business_model")].reset_index(drop=True)


def fee_not_published(cs: pd.DataFrame) -> dict | None:
    """The case-study fact saying OBN's fee levels are not published (if present)."""
    d = cs[(cs["case"] == "milton_park") & cs["fact"].astype(str).str.contains("fee amounts are not", case=False)]
    return None if d.empty else d.iloc[0].to_dict()


def anchors(org: pd.DataFrame) -> pd.DataFrame:
    """Existing Greenwich initiatives: NUTS3 UKI51 or NUTS2 UKI5 or named ids (not the prospective row)."""
    named = {"UK_DIGITAL_GREENWICH", "UK_SMLL", "UK_GATEWAY", "UK_SHARING_CITIES"}
    d = org[(org["nuts3_2016"] == "UKI51") | (org["nuts2_2016"] == "UKI5") | org["id"].isin(named)]
    d = d[d["row_type"] != "prospective"]
    return d.sort_values("id").reset_index(drop=True)


# ----------------------------------------------------------------- peers' sourced business models (issue 14)
PEER_BUSINESS_FIELDS = ["funding_public_share_pct", "funding_membership_share_pct", "funding_self_financing_share_pct",
                        "funding_private_share_pct", "funding_services_share_pct", "funding_subsidies_share_pct",
                        "budget_eur", "staff_headcount", "staff_fte"]


def peer_business_summary(org: pd.DataFrame, ids: list[str]) -> pd.DataFrame:
    """Per business-model field: how many of the peers have a sourced headline value (n of N), median and range.

    Each field keeps its source's own category (a private share is not a membership share); a peer without
    a value is left out, never counted as 0. Columns: field, n, of, median, low, high."""
    rows = []
    for f in PEER_BUSINESS_FIELDS:
        v = peer_values(org, ids, f) if f in org.columns else pd.Series(dtype=float)
        rows.append({"field": f, "n": int(len(v)), "of": len(ids),
                     "median": float(v.median()) if len(v) else None,
                     "low": float(v.min()) if len(v) else None, "high": float(v.max()) if len(v) else None})
    return pd.DataFrame(rows, columns=["field", "n", "of", "median", "low", "high"])
