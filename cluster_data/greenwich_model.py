"""The Greenwich page's results, as one typed value built by a pure function.

``compute(org, scenario, ctx)`` turns the organisations (shipped, plus any a session imported), the scenario
(the page's URL state: Assumptions, peer group, jobs basis, starting point) and the page's context (the shipped
facts, sources, case studies and the pieces prepared from them once) into a :class:`Result`: peers, ranks,
robustness, funding model, outlook, the tables as shown, the sustainability lines, the answer and the brief.
The component (``components/greenwich.py``) caches it per scenario and dataset, draws the charts from it and
lays it out; it does no maths.

Pure Python (pandas only; never streamlit). Numbers are written through :mod:`cluster_data.display`.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace

import pandas as pd

from cluster_data import benchmark as bm
from cluster_data import brief as brief_mod
from cluster_data import greenwich_view as gv
from cluster_data import metrics, provenance, regional
from cluster_data.display import MISSING, NO_DATA, fmt_int, fmt_lq, fmt_number, fmt_pct, tidy_table
from cluster_data.provenance import source_line
from cluster_data.schema import GREENWICH, ROW_TYPES, SECTORS

SKIP_FIELDS = {"lat_lon", "nuts2_code"}  # an anchor's fields that are locations, not evidence to show

# The regional statistics every brief cites (the baseline's producers' tables), by source id.
BASELINE_SOURCE_IDS = ("R_EUROSTAT_HONTI", "R_ONS_GVA", "R_ONS_POP")
PEER_COLUMNS = {"id": "Id", "name": "Name", "row_type": "Row type", "country": "Country", "sector": "Sector",
                "members_total": "Members", "countries_partnered": "Partner countries",
                "funding_public_share_pct": "Public funding share (%)"}
RANK_COLUMNS = {"label": "Metric", "scenario": "Scenario (Assumption)", "n_peers": "Peers with a sourced value",
                "percentile": "Percentile (0–100)", "small": "Small group", "median": "Peer median",
                "top_quartile": "Top quartile", "n_lower_bounds": "Peer values that are lower bounds"}


@dataclass(frozen=True)
class Scenario:
    """The page's URL state: every input is an Assumption."""
    values: dict[str, int]
    preset: str
    ids: tuple[str, ...] = ()
    basis: str = bm.DEFAULT_JOBS_BASIS
    start: str | None = None

    def key(self) -> tuple:
        """A small hashable form (a cache key)."""
        return tuple(sorted(self.values.items())), self.preset, tuple(self.ids), self.basis, self.start

    @classmethod
    def from_key(cls, key: tuple) -> "Scenario":
        values, preset, ids, basis, start = key
        return cls(values=dict(values), preset=preset, ids=tuple(ids), basis=basis, start=start)

    def url_params(self) -> dict:
        """The view's query parameters (empty values are left out of the URL by the writer)."""
        return {"peers": self.preset, "ids": list(self.ids) or None, "basis": self.basis, **self.values,
                "start": self.start}


@dataclass(frozen=True)
class Context:
    """What the page reads besides the organisations: shipped tables and the pieces prepared from them once."""
    facts: pd.DataFrame
    sources: pd.DataFrame
    case_studies: pd.DataFrame
    baseline: gv.Baseline
    baseline_rows: list[dict]
    anchor_evidence: list[dict]
    defaults: dict                       # field key -> (default value, how it was set), for this peer group
    start_points: dict[str, gv.StartingPoint]
    plain_rule: str                      # the peer group's rule with ids and codes replaced by names


@dataclass(frozen=True)
class Tables:
    """The tables the Peers and Benchmark sections show, as shown (missing values in words)."""
    peer_view: pd.DataFrame
    peer_csv: pd.DataFrame
    ranks_view: pd.DataFrame
    rob_view: pd.DataFrame


@dataclass(frozen=True)
class Sustainability:
    """The business-model lines: the figures for the brief, the benchmarks and the sourced European share."""
    figures: list[dict]
    benchmarks: list[str]
    eu: dict | None                      # the European benchmark fact, its text and its source row


@dataclass(frozen=True)
class Result:
    peers: list[str]
    similar: pd.DataFrame
    ranks: pd.DataFrame
    robustness: pd.DataFrame
    fm: bm.FundingModel
    path: pd.DataFrame
    outlook: dict
    gaps: list[str]
    peer_table: pd.DataFrame
    tables: Tables
    sustainability: Sustainability
    verdict: gv.Verdict
    jobs: gv.JobsView
    n_claimed_jobs: int
    peer_members: pd.Series              # sourced member counts of the peers (the strip chart)
    brief: str = field(repr=False, default="")
    n_sources: int = 0


# ----------------------------------------------------------------- the context (shipped data, per peer group)
def baseline_stats(ri: pd.DataFrame) -> dict:
    """Greenwich's sourced regional statistics: (value, year) of the high-tech KIS share and LQ (NUTS 2 UKI5),
    the LQ's denominator, the ONS population (ITL3 TLI51) and the SIC J GVA profile."""
    share, lq = (regional.latest_value(ri, GREENWICH["nuts2"], i) for i in ("htec_kis_share", "htec_kis_lq"))
    return {"htec": share, "htec_lq": lq,
            "htec_lq_ref": regional.lq_reference(ri, "htec_kis_lq", lq[1])[1] if lq[1] else None,
            "pop": regional.latest_value(ri, GREENWICH["itl3"], "population_ons"),
            "gva": regional.gva_profile(ri, GREENWICH["itl3"])}


def baseline_sources(sources: pd.DataFrame) -> tuple[dict | None, dict | None, dict | None]:
    """The sources of the baseline's three statistics: Eurostat high-tech KIS, ONS population, ONS GVA."""
    return tuple(provenance.indicator_source(sources, i) for i in ("htec_kis_share", "population_ons", "gva_j_gbp_m"))


def anchor_evidence(org: pd.DataFrame, facts: pd.DataFrame, sources: pd.DataFrame) -> list[dict]:
    """Greenwich's existing anchor initiatives, each with the evidence of every sourced field."""
    out = []
    for _, a in bm.anchors(org).iterrows():
        fields = [f for f in dict.fromkeys(facts.loc[facts["entity_id"] == a["id"], "field"]) if f not in SKIP_FIELDS]
        out.append({"id": a["id"], "name": a["name"], "row_type": a["row_type"], "sector": a["sector"],
                    "evidence": {f: provenance.evidence(facts, sources, a["id"], f) for f in fields}})
    return out


def baseline_rows(stats: dict, srcs: tuple, anchors: list[dict]) -> list[dict]:
    """The brief's baseline table: each sourced statistic and anchor fact with its year and source line."""
    hon, pop_src, gva_src = srcs
    (v, y), (lq, ylq), (pv, py) = stats["htec"], stats["htec_lq"], stats["pop"]
    rows = [{"label": "High-tech KIS share of employment, UKI5 (%)", "value": v, "year": y, "source": source_line(hon)},
            {"label": f"LQ high-tech KIS, UKI5 (denominator: {stats['htec_lq_ref']})", "value": lq, "year": ylq,
             "source": source_line(hon)},
            {"label": "Population, ITL3 TLI51 (ONS)", "value": pv, "year": py, "source": source_line(pop_src)}]
    g = stats["gva"]
    if g.get("ok"):
        for _, r in g["table"].iterrows():
            rows.append({"label": f"SIC J share of GVA — {r['area']} (%)", "value": round(float(r["share_pct"]), 2),
                         "year": g["year"], "source": source_line(gva_src)})
        rows.append({"label": "GVA LQ, SIC J, TLI51 vs UK", "value": round(float(g["lq_vs_uk"]), 2),
                     "year": g["year"], "source": source_line(gva_src)})
    for a in anchors:
        for f, items in a["evidence"].items():
            for it in items[:1]:
                rows.append({"label": f"{a['name']}: {provenance.field_label(f)}",
                             "value": provenance.format_value(it, f), "year": it.get("ref_year"),
                             "source": source_line(it)})
    return rows


def defaults(org: pd.DataFrame, preset: str, ids: tuple[str, ...]) -> dict:
    """Each input's default for a peer group: (value, how it was set) — a peer median or a round Assumption."""
    base = {k: v for k, (v, _) in bm.ROUND_DEFAULTS.items()}
    return bm.default_values(org, bm.peer_ids(org, preset, manual=list(ids), values=base))


def plain_rule(org: pd.DataFrame, preset: str) -> str:
    """A peer group's rule for a reader: organisation ids and row-type codes replaced by their names."""
    names = {**dict(zip(org["id"].astype(str), org["name"].astype(str))), **ROW_TYPES}
    return brief_mod.plain(bm.PRESETS[preset]["rule"], names)


def context(org: pd.DataFrame, facts: pd.DataFrame, sources: pd.DataFrame, case_studies: pd.DataFrame,
            ri: pd.DataFrame, preset: str, ids: tuple[str, ...]) -> Context:
    """The page's context for one peer group, from the shipped tables."""
    anchors = anchor_evidence(org, facts, sources)
    base = defaults(org, preset, ids)
    points = gv.starting_points(org, facts, sources, {k: v for k, (v, _) in base.items()})
    return Context(facts=facts, sources=sources, case_studies=case_studies,
                   baseline=gv.baseline_facts(ri, sources),
                   baseline_rows=baseline_rows(baseline_stats(ri), baseline_sources(sources), anchors),
                   anchor_evidence=anchors, defaults=base, start_points={p.key: p for p in points},
                   plain_rule=plain_rule(org, preset))


# ----------------------------------------------------------------- the Baseline tab
@dataclass(frozen=True)
class BaselineFigure:
    label: str
    value: str           # as shown (missing in words)
    help: str


@dataclass(frozen=True)
class Anchor:
    """An existing anchor initiative in Greenwich and the evidence of each of its sourced fields."""
    name: str
    kind: str            # its row type, in words
    sector: str          # its sector, in words
    evidence: dict[str, list[dict]]

    @property
    def n_items(self) -> int:
        return sum(len(v) for v in self.evidence.values())


@dataclass(frozen=True)
class Gva:
    year: int
    table: pd.DataFrame  # SIC J GVA by area, columns as shown
    lq_vs_london: str
    lq_vs_uk: str
    formula: str


@dataclass(frozen=True)
class BaselineView:
    """What already exists in Greenwich, sourced: three headline statistics, the SIC J GVA profile, the anchor
    initiatives and the Greenwich case-study facts."""
    figures: list[BaselineFigure]
    lq_reference: str | None     # the LQ's denominator (which area the share is compared with)
    lq_description: str
    sources: tuple               # (Eurostat high-tech KIS, ONS population, ONS GVA) source rows
    gva: Gva | None
    anchors: list[Anchor]
    case_table: pd.DataFrame | None


GVA_COLUMNS = {"area": "Area", "gva_j_gbp_m": "GVA SIC J (£m)", "gva_total_gbp_m": "GVA all industries (£m)",
               "share_pct": "SIC J share of GVA (%)", "n_itl3": "ITL3 areas summed"}
CASE_COLUMNS = {"topic": "Topic", "fact": "Fact", "value_num": "Value", "unit": "Unit", "title": "Source", "url": "Link"}


def baseline_view(stats: dict, srcs: tuple, anchors: list[dict], greenwich_cases: pd.DataFrame) -> BaselineView:
    """The Baseline tab from Greenwich's sourced statistics (``baseline_stats``), their sources, the anchors'
    evidence and the Greenwich case-study rows (``case_rows(..., "greenwich")``)."""
    (v, y), (lq, ylq), (pv, py) = stats["htec"], stats["htec_lq"], stats["pop"]
    figures = [
        BaselineFigure(f"High-tech KIS, % of employment (UKI5, {y or 'no year'})", fmt_pct(v, decimals=1),
                       "Employment in high-tech knowledge-intensive services as a share of all employment (Eurostat)."),
        BaselineFigure(f"LQ, high-tech KIS (UKI5, {ylq or 'no year'})", fmt_lq(lq, missing=MISSING),
                       "Location quotient: the share divided by the denominator stated below (1 = average)."),
        BaselineFigure(f"Population, TLI51 (ONS, {py or 'no year'})", fmt_int(pv),
                       "ONS resident population of ITL3 TLI51 Bexley and Greenwich (a combined area)."),
    ]
    g = stats["gva"]
    gva = Gva(year=g["year"], table=tidy_table(g["table"], GVA_COLUMNS), lq_vs_london=fmt_lq(g["lq_vs_london"], missing=MISSING),
              lq_vs_uk=fmt_lq(g["lq_vs_uk"], missing=MISSING), formula=str(g["formula"])) if g.get("ok") else None
    return BaselineView(
        figures=figures, lq_reference=stats["htec_lq_ref"],
        lq_description=regional.DERIVED_INDICATORS["htec_kis_lq"]["description"], sources=srcs, gva=gva,
        anchors=[Anchor(name=a["name"], kind=ROW_TYPES.get(a["row_type"], a["row_type"]),
                        sector=SECTORS.get(a["sector"], a["sector"]), evidence=a["evidence"]) for a in anchors],
        case_table=tidy_table(shown(greenwich_cases, ["value_num"], "—"), CASE_COLUMNS) if len(greenwich_cases) else None)


# ----------------------------------------------------------------- the results
def case_rows(case_studies: pd.DataFrame, sources: pd.DataFrame, case: str, topic: str | None = None) -> pd.DataFrame:
    """One case study's facts (optionally one topic) with their sources' title, link, date and publisher."""
    d = case_studies[case_studies["case"] == case]
    if topic:
        d = d[d["topic"] == topic]
    return d.merge(sources[["source_id", "title", "url", "date", "publisher"]], on="source_id", how="left")


def peer_table(org: pd.DataFrame, peers: list[str]) -> pd.DataFrame:
    """The peers' rows in the peer group's order."""
    table = org[org["id"].isin(peers)][["id", "name", "row_type", "country", "sector", "members_total",
                                        "countries_partnered", "funding_public_share_pct"]]
    order = {i: k for k, i in enumerate(peers)}
    return table.assign(_o=table["id"].map(order)).sort_values("_o").drop(columns="_o").reset_index(drop=True)


def shown(df: pd.DataFrame, cols: list[str], unknown: str = MISSING) -> pd.DataFrame:
    """Display copy: numeric columns as text, a missing value as ``unknown`` (never blank, never 0)."""
    out = df.copy()
    for c in cols:
        if c in out.columns:
            out[c] = [fmt_number(v, missing=unknown) for v in out[c]]
    return out


def display_tables(table: pd.DataFrame, ranks: pd.DataFrame, robustness: pd.DataFrame) -> Tables:
    """The peer table, the ranks and the robustness grid as the page shows them."""
    table = table.assign(sector=table["sector"].map(lambda v: SECTORS.get(v, v)),
                         row_type=table["row_type"].map(lambda v: ROW_TYPES.get(v, v)))
    peer_view = tidy_table(shown(table, ["members_total", "countries_partnered", "funding_public_share_pct"]),
                           PEER_COLUMNS)
    rt = ranks.copy()
    rt["small"] = rt["n_peers"].lt(metrics.SMALL_GROUP)
    show = shown(rt.assign(scenario=rt["scenario"].round(1)), ["percentile", "median", "top_quartile"], NO_DATA)
    rob = robustness
    cells = [(NO_DATA if pd.isna(p) else f"{p:.0f}") + (f" (n={n}, small)" if n < metrics.SMALL_GROUP else f" (n={n})")
             for p, n in zip(rob["percentile"], rob["n_peers"])]
    piv = rob.assign(cell=cells).pivot(index="group_label", columns="label", values="cell")
    piv = piv.reindex(list(dict.fromkeys(rob["group_label"])))
    piv.index.name = "Peer group"
    return Tables(peer_view=peer_view, peer_csv=table, ranks_view=tidy_table(show, RANK_COLUMNS), rob_view=piv)


def _europe_benchmark(fm: bm.FundingModel, ctx: Context) -> tuple[str, dict | None]:
    """The sourced European public-funding share beside the scenario's (a line, and the fact with its source)."""
    eu = bm.europe_public_share(ctx.case_studies)
    if not eu:
        return "European benchmark of the public funding share: no source in the data.", None
    m = ctx.sources[ctx.sources["source_id"] == eu["source_id"]]
    item = m.iloc[0].to_dict() if len(m) else None
    txt = (f"European benchmark: public funding ≈ {eu['value_num']:.0f}% of European cluster organisations' budgets "
           f"({eu['year']}) — scenario {fmt_pct(fm.public_share_pct, decimals=1)}.")
    return txt + f" Source: {source_line(item)}", {**eu, "text": txt, "item": item}


def sustainability(org: pd.DataFrame, peers: list[str], fm: bm.FundingModel, ctx: Context) -> Sustainability:
    """The Clusters Dialectic lines: the scenario's funding figures and what the evidence says beside them."""
    eu_line, eu = _europe_benchmark(fm, ctx)
    bench = [eu_line]
    pv = bm.peer_values(org, peers, "funding_public_share_pct")
    if len(pv):
        bench.append(f"Peers' sourced public funding share: median {pv.median():.0f}% over {len(pv)} peers "
                     f"(range {pv.min():.0f}–{pv.max():.0f}%).")
    else:
        bench.append("Peers' public funding share: no peer in this group has a sourced value.")
    for _, r in case_rows(ctx.case_studies, ctx.sources, "milton_park", "business_model").iterrows():
        bench.append(f"Milton Park / OBN: {r['fact']} (Source: {r.get('title')})")
    ratio = fm.self_funding_ratio
    figures = [
        {"label": "Self-funding ratio", "value": None if ratio is None else round(ratio, 2),
         "how": "(fees + events + services) ÷ costs"},
        {"label": "Break-even membership", "value": fm.break_even_members,
         "how": "fewest members whose fees + events + services cover costs (no public funding)"},
        {"label": "Public share of income (%)", "value": fm.public_share_pct, "how": "public ÷ total income"},
        {"label": "Own income (£/yr)", "value": fm.own_income, "how": "fees + events + services"},
        {"label": "Costs (£/yr)", "value": fm.costs, "how": "staff FTE × cost per FTE + overheads"},
    ]
    return Sustainability(figures=figures, benchmarks=bench, eu=eu)


def brief_sources(ctx: Context, org_ids: list[str], extra_source_ids: list[str]) -> list[dict]:
    """Every source the brief cites, once, in order: the baseline's tables, the peers' facts, the anchors'
    evidence, then the case-study facts it quotes."""
    facts = ctx.facts
    f = facts[facts["entity_id"].isin(org_ids)
              & facts["field"].isin(list(bm.METRICS) + ["employees_in_members", "jobs_created"])]
    ids = list(BASELINE_SOURCE_IDS) + list(f["source_id"])
    for a in ctx.anchor_evidence:
        for items in a["evidence"].values():
            ids += [it.get("source_id") for it in items]
    ids += extra_source_ids
    ids = [i for i in dict.fromkeys(ids) if isinstance(i, str)]
    m = ctx.sources.set_index("source_id")
    return [{"source_id": i, **{k: m.at[i, k] for k in ("title", "url", "date", "publisher")}}
            for i in ids if i in m.index]


def assumptions(sc: Scenario, ctx: Context) -> list[dict]:
    """Every scenario input (an Assumption): label, value, unit and how its default was set."""
    start = ctx.start_points.get(sc.start or "")
    return [{"label": f.label, "value": sc.values[f.key], "unit": f.unit,
             "rule": gv.input_rule(f.key, sc.values[f.key], ctx.defaults[f.key], start)} for f in bm.FIELDS]


def assumptions_table(sc: Scenario, ctx: Context) -> pd.DataFrame:
    """The inputs as the page lists them, each marked Assumption."""
    return pd.DataFrame([{"Status": "Assumption", "Input": a["label"], "Value": fmt_int(a["value"]), "Unit": a["unit"],
                          "How the default is set": a["rule"]} for a in assumptions(sc, ctx)])


def brief_html(sc: Scenario, res: Result, ctx: Context) -> tuple[str, int]:
    """The downloadable brief (undated: ``brief.stamp`` dates it on download) and how many sources it lists."""
    assumptions_ = assumptions(sc, ctx)
    peers_rows = [{**r, "row_type": ROW_TYPES.get(r["row_type"], r["row_type"])}
                  for r in res.peer_table[["name", "row_type", "country"]].to_dict("records")]
    ranks = [{"label": r["label"], "scenario": r["scenario"], "n_peers": r["n_peers"], "percentile": r["percentile"],
              "median": r["median"], "top_quartile": r["top_quartile"], "small": r["n_peers"] < metrics.SMALL_GROUP}
             for _, r in res.ranks.iterrows()]
    case_ids = list(case_rows(ctx.case_studies, ctx.sources, "milton_park", "business_model")["source_id"])
    if res.sustainability.eu:
        case_ids.append(res.sustainability.eu["source_id"])
    sources = brief_sources(ctx, res.peers, case_ids)
    html = brief_mod.build_brief(
        title="Greenwich Digital Cluster — scenario brief", summary=res.verdict, jobs=res.jobs,
        baseline=ctx.baseline_rows, assumptions=assumptions_,
        peer_group={"label": bm.PRESETS[sc.preset]["label"], "rule": ctx.plain_rule, "n": len(res.peers)},
        peers=peers_rows, ranks=ranks, convention=metrics.PERCENTILE_CONVENTION,
        robustness=res.robustness.to_dict("records"), gaps=res.gaps, outlook=res.outlook,
        sustainability=res.sustainability.figures, benchmarks=res.sustainability.benchmarks, sources=sources)
    return html, len(sources)


def compute(org: pd.DataFrame, sc: Scenario, ctx: Context) -> Result:
    """Everything the page shows below the inputs, for one scenario, as one typed value (brief included)."""
    values, manual = sc.values, list(sc.ids)
    peers = bm.peer_ids(org, sc.preset, manual=manual, values=values)
    groups = bm.all_groups(org, values, manual=manual or None)
    ranks, robustness = bm.rank_table(org, peers, values), bm.robustness(org, groups, values)
    fm, outlook = bm.funding_model(values), bm.outlook(org, peers, values, sc.basis)
    point = ctx.start_points.get(sc.start) if sc.start else None
    verdict = gv.verdict(baseline=ctx.baseline, ranks=ranks, fm=fm, peer_label=bm.PRESETS[sc.preset]["label"],
                         start_label=point.label if point else None)
    table = peer_table(org, peers)
    res = Result(
        peers=peers, similar=bm.similar_peers(org, values), ranks=ranks, robustness=robustness, fm=fm,
        path=bm.funding_path(values), outlook=outlook,
        gaps=[bm.gap_text(r["metric"], r) for _, r in ranks.iterrows()],
        peer_table=table, tables=display_tables(table, ranks, robustness),
        sustainability=sustainability(org, peers, fm, ctx), verdict=verdict, jobs=gv.jobs_view(outlook),
        n_claimed_jobs=len(bm.jobs_ratios(org, peers, "jobs_created")),
        peer_members=bm.peer_values(org, peers, "members_total"))
    html, n_sources = brief_html(sc, res, ctx)
    return replace(res, brief=html, n_sources=n_sources)
