"""Greenwich Digital Cluster benchmark page: baseline, scenario (assumptions), peers, ranks,
gaps, jobs outlook, sustainability and a downloadable offline HTML brief.

Every scenario input lives in the URL (keys = cluster_data.benchmark.FIELDS keys, plus
``peers``, ``ids`` and ``basis``).
"""
from __future__ import annotations

import datetime as _dt
import math

import pandas as pd
import pyarrow as pa
import streamlit as st

from cluster_data import benchmark as bm
from cluster_data import brief as brief_mod
from cluster_data import greenwich_model as gm
from cluster_data import greenwich_view as gv
from cluster_data import metrics, urlstate
from cluster_data.display import MISSING, fmt_int, fmt_number, fmt_pct
from components import chart_export, data, ui
from components import greenwich_charts as charts
from components import business_model_view, greenwich_digital
from components.frame import Frame

PREFIX = "gw_"
DEFAULT_PRESET = "digital_peers"
SOURCE_PX = {False: 11, True: 15}  # a chart's source line (px), normal and presentation mode


# ----------------------------------------------------------------- cached pieces
@data.shared_cache
def _baseline() -> dict:
    return gm.baseline_stats(data.regional_indicators())


@data.shared_cache
def _anchor_evidence() -> list[dict]:
    return gm.anchor_evidence(data.shipped_organisations(), data.facts(), data.sources())


@data.shared_cache
def _case_rows(case: str, topic: str | None = None) -> pd.DataFrame:
    return gm.case_rows(data.case_studies(), data.sources(), case, topic)


@data.shared_cache
def _peerable_ids() -> list[str]:
    return sorted(bm.peerable(data.shipped_organisations())["id"].astype(str))


@data.shared_cache(max_entries=64, protect=False)
def _context(preset: str, ids: tuple[str, ...]) -> gm.Context:
    """The page's context for one peer group (shipped tables only, so shared by every session). Handed out
    as it is: every caller only reads it, and protecting its evidence lists cost milliseconds a rerun."""
    return gm.context(data.shipped_organisations(), data.facts(), data.sources(), data.case_studies(),
                      data.regional_indicators(), preset, ids)


@data.shared_cache(max_entries=64)
def _result(key: tuple, dataset: str) -> gm.Result:
    """One scenario's results in the dataset ``dataset`` (data.dataset_key()): one cached path for shipped and
    session-augmented data (imported organisations join the peers)."""
    sc = gm.Scenario.from_key(key)
    return gm.compute(data.organisations(), sc, _context(sc.preset, sc.ids))


@data.shared_cache(max_entries=64)
def _figures(key: tuple, big: bool, dataset: str) -> dict[str, data.PreparedFigure]:
    """The page's charts for one scenario, each naming its sources in its saved image (issue 17, point 13)."""
    sc, res = gm.Scenario.from_key(key), _result(key, dataset)
    figs = {"heat": charts.robustness_heatmap(res.robustness, big=big), "funding": charts.funding_bars(res.fm, big=big)}
    if len(res.peer_members):
        org = data.organisations()
        names = dict(zip(org["id"], org["name"]))
        figs["strip"] = charts.peer_strip(res.peer_members, names, sc.values["target_members"], "Members", big=big)
    o = res.outlook
    if o["ok"]:
        figs["fan"] = charts.outlook_fan(o["years"], o["low"], o["central"], o["high"], res.jobs.axis, big=big,
                                         title=res.jobs.title)
    sources = gv.chart_sources(res.jobs)
    return {k: data.PreparedFigure(chart_export.with_source(f, sources[k], size=SOURCE_PX[big])) for k, f in figs.items()}


# ----------------------------------------------------------------- helpers
def _src_item(row) -> dict:
    return {k: (None if (isinstance(row.get(k), float) and math.isnan(row.get(k))) else row.get(k))
            for k in ("title", "url", "date", "publisher")}


def _parse_preset(raw_peers, raw_ids):
    if raw_peers is None and raw_ids:
        return "manual", None
    return urlstate.parse_choice(raw_peers, bm.PRESET_KEYS, DEFAULT_PRESET, key="peers")


def _seed_state(fr: Frame) -> None:
    qp = st.query_params
    if PREFIX + "peers" not in st.session_state:
        raw_ids = qp.get_all("ids") if "ids" in qp else None
        preset, notice = _parse_preset(qp.get_all("peers") if "peers" in qp else None, raw_ids)
        st.session_state[PREFIX + "peers"] = preset
        fr.notify(notice)
    ui.seed_params([urlstate.listing("ids", PREFIX + "ids", _peerable_ids(), "peer id"),
                    urlstate.choice("basis", PREFIX + "basis", list(bm.OUTLOOK_BASES), bm.DEFAULT_JOBS_BASIS, "basis"),
                    urlstate.Param("start", PREFIX + "start", _parse_start)], fr.notify)
    defaults = _defaults(st.session_state[PREFIX + "peers"], tuple(st.session_state[PREFIX + "ids"]))
    # the Assumptions' defaults depend on the peer group, so their parameters are declared once it is known
    ui.seed_params([urlstate.integer(f.key, PREFIX + f.key, defaults[f.key][0], f.lo, f.hi, f.key) for f in bm.FIELDS],
                   fr.notify)


def _reset_defaults() -> None:
    defaults = _defaults(st.session_state[PREFIX + "peers"], tuple(st.session_state.get(PREFIX + "ids") or ()))
    for f in bm.FIELDS:
        st.session_state[PREFIX + f.key] = defaults[f.key][0]


# ----------------------------------------------------------------- sections
@data.shared_cache
def _baseline_view() -> gm.BaselineView:
    """Everything the Baseline section shows, prepared once (it depends on the shipped data only)."""
    return gm.baseline_view(_baseline(), gm.baseline_sources(data.sources()), _anchor_evidence(), _case_rows("greenwich"))


def _section_baseline(fr: Frame) -> None:
    st.subheader("What already exists (sourced)")
    view = _baseline_view()
    hon, pop_src, gva_src = view.sources
    for col, f in zip(st.columns(3), view.figures):
        col.metric(f.label, f.value, help=f.help)
    st.caption(f"UKI5 = NUTS 2 'Outer London – East and North East', the NUTS 2 region containing Greenwich "
               f"(NUTS 3 UKI51 Bexley and Greenwich). LQ denominator: {ui.md_escape(view.lq_reference or 'n/a')} — "
               f"{ui.md_escape(view.lq_description)}")
    st.markdown(f"Sources: {ui.source_link(hon)}; {ui.source_link(pop_src)}")

    st.markdown("#### Information & communication (SIC J) in the economy")
    if view.gva is not None:
        g = view.gva
        st.dataframe(g.table, hide_index=True,
                     column_config={"SIC J share of GVA (%)": st.column_config.NumberColumn(format="%.1f"),
                                    "GVA SIC J (£m)": st.column_config.NumberColumn(format="localized"),
                                    "GVA all industries (£m)": st.column_config.NumberColumn(format="localized")})
        st.markdown(f"**Year {g.year}.** Share = GVA SIC J ÷ GVA all industries × 100. LQ vs London = "
                    f"**{g.lq_vs_london}**, LQ vs UK = **{g.lq_vs_uk}** — formula: {ui.md_escape(g.formula)}.  \n"
                    f"Source: {ui.source_link(gva_src)}")
    else:
        st.markdown("GVA for Bexley & Greenwich: no source in the data.")
    _anchors(fr, view)


def _anchors(fr: Frame, view: gm.BaselineView) -> None:
    st.markdown("#### Existing anchor initiatives in Greenwich")
    st.caption("Organisations in NUTS 3 UKI51 / NUTS 2 UKI5 in the data (the prospective cluster itself excluded). "
               "Each figure shows its source; open the evidence for exact quotes.")
    if view.anchors:
        for tab, a in zip(st.tabs([a.name[:40] for a in view.anchors]), view.anchors):
            with tab:
                st.markdown(f"**{ui.md_escape(a.name)}** · {ui.md_escape(a.kind)} · {ui.md_escape(a.sector)}\n\n"
                            + ui.evidence_summary_md(a.evidence))
                quotes = ui.evidence_quotes_md(a.evidence)
                if quotes and not fr.present:
                    with st.expander(f"Evidence: exact quotes ({a.n_items} sourced values)"):
                        st.markdown(quotes)
    if view.case_table is not None:
        with st.expander(f"Greenwich case-study facts ({len(view.case_table)}, each with its source)"):
            st.dataframe(view.case_table, hide_index=True, column_config={"Link": st.column_config.LinkColumn()})


def _section_peers(fr: Frame, res: gm.Result, figs: dict, sc: gm.Scenario) -> None:
    st.subheader("Who Greenwich is compared with")
    st.markdown(f"**{ui.md_escape(bm.PRESETS[sc.preset]['label'])}** — {ui.md_escape(_context(sc.preset, sc.ids).plain_rule)}")
    peers = res.peers
    n = len(peers)
    if n < metrics.SMALL_GROUP:
        st.warning(f"Small peer group: {n} organisation(s), fewer than {metrics.SMALL_GROUP}. Ranks in a group this "
                   f"small move a lot with one peer; compare with the other groups below.", icon=":material/group:")
    st.caption(f"{n} peers. '{MISSING}' = no source in the data holds that value (never counted as 0).")
    st.dataframe(res.tables.peer_view, hide_index=True, height=min(420, 40 + 35 * max(n, 1)), key="gw_peer_table")
    if sc.preset == "similar":
        st.markdown("**How 'similar' is chosen** (metrics.nearest_peers; features standardised over the candidates; "
                    "distance = √(Σ w·d² / Σ w) over the features both have):")
        st.dataframe(pd.DataFrame([{"feature": k, "weight": bm.SIMILAR_WEIGHTS[k], "meaning": v}
                                   for k, v in bm.SIMILAR_FEATURES.items()]), hide_index=True)
        st.dataframe(res.similar.reset_index(), hide_index=True)
    ui.csv_download(res.tables.peer_csv, "greenwich_peers.csv", "Download the peer table (CSV)", key="gw_dl_peers")


@data.shared_cache
def _fee_caption() -> str | None:
    """The sourced statement that fee levels are not published (why the fee defaults are round assumptions)."""
    fee_fact = bm.fee_not_published(data.case_studies())
    if not fee_fact:
        return None
    s = data.sources()
    m = s[s["source_id"] == fee_fact["source_id"]]
    link = ui.source_link(m.iloc[0].to_dict()) if len(m) else "no source"
    return f"Fee levels: {ui.md_escape(fee_fact['fact'])} ({link}) — so the fee defaults are round assumptions."


def _section_scenario(fr: Frame, defaults: dict) -> None:
    st.markdown(":orange-badge[Assumption] Every input below is an **Assumption**, not a sourced fact. Each says how "
                "its default was set: a peer median of the chosen group where the data has one, otherwise a stated "
                "round assumption. All inputs are kept in the page link. Changing the peer group keeps "
                "your assumptions; press *Reset* to take the new group's defaults.")
    fee = _fee_caption()
    if fee:
        st.caption(fee)
    groups = [("focus", "Sector focus"), ("members", "Members"), ("income", "Income"), ("costs", "Costs")]
    with st.expander(f"Scenario inputs ({len(bm.FIELDS)} Assumptions) — open to change them", expanded=False):
        cols = st.columns(len(groups))
        for col, (g, title) in zip(cols, groups):
            with col:
                st.markdown(f"**{title}**")
                for f in [f for f in bm.FIELDS if f.group == g]:
                    st.number_input(f"Assumption: {f.label} ({f.unit})", min_value=f.lo, max_value=f.hi, step=f.step,
                                    key=PREFIX + f.key, help=defaults[f.key][1])
        st.button("Reset the assumptions to this peer group's defaults", on_click=_reset_defaults,
                  key="gw_reset", icon=":material/restart_alt:")


@data.shared_cache(max_entries=64)
def _assumptions_arrow(key: tuple) -> pa.Table:
    """The scenario's inputs and how each default was set, as the table shows them (converted once)."""
    sc = gm.Scenario.from_key(key)
    return pa.Table.from_pandas(gm.assumptions_table(sc, _context(sc.preset, sc.ids)), preserve_index=False)


@data.shared_cache(max_entries=64)
def _ranks_arrow(key: tuple, dataset: str) -> pa.Table:
    """The ranks table as shown, converted once per scenario and dataset."""
    return pa.Table.from_pandas(_result(key, dataset).tables.ranks_view, preserve_index=False)


def _section_assumptions(fr: Frame, sc: gm.Scenario) -> None:
    with st.expander("How each input was set (Assumptions)", expanded=False):
        st.dataframe(_assumptions_arrow(sc.key()), hide_index=True, key="gw_assumptions",
                     height=min(400, 40 + 35 * len(bm.FIELDS)) if fr.present else "auto")


def _chart(fig, key: str) -> None:
    """One of the page's charts, its camera button saving a presentation-size PNG."""
    st.plotly_chart(fig, key=f"gw_{key}", config=chart_export.config(f"greenwich_{key}", fig.layout.height))


def _section_benchmark(fr: Frame, res: gm.Result, figs: dict, sc: gm.Scenario) -> None:
    st.subheader("Where the scenario would sit among its peers")
    st.caption(ui.md_escape(metrics.PERCENTILE_CONVENTION))
    st.dataframe(_ranks_arrow(sc.key(), data.dataset_key()), hide_index=True, key="gw_ranks")
    st.caption(ui.md_escape(bm.NOT_IN_SCENARIO["employees_in_members"]) + " Public funding share: a higher "
               "percentile means more reliance on public money, not a better score.")
    if "strip" in figs:
        _chart(figs["strip"], "strip")

    st.markdown("#### Robustness: does the conclusion depend on the choice of peers?")
    _chart(figs["heat"], "heat")
    st.dataframe(res.tables.rob_view, key="gw_rob_table")
    st.caption(f"Cells: percentile of the scenario within that group (n = peers with a sourced value). Groups with "
               f"fewer than {metrics.SMALL_GROUP} values are flagged small.")

    st.markdown("#### Gaps to the peer median and top quartile")
    st.markdown("\n".join(f"- {ui.md_escape(t)}" for t in res.gaps))
    st.caption("Computed with metrics.gap_targets (median and 75th percentile, linear interpolation) over peers with "
               "a sourced value; some peer values are lower bounds ('more than …').")


def _section_outlook(fr: Frame, res: gm.Result, figs: dict, sc: gm.Scenario) -> None:
    jv: gv.JobsView = res.jobs
    st.subheader("Jobs outlook: what each basis counts")
    n_claims = res.n_claimed_jobs
    st.segmented_control("What the outlook counts", list(bm.OUTLOOK_BASES), key=PREFIX + "basis",
                         format_func=lambda k: gv.jobs_basis_label(k, n_claims))
    o = res.outlook
    (st.warning if jv.basis.claimed else st.caption)(ui.md_escape(jv.caveat))
    if o["ok"]:
        _chart(figs["fan"], "fan")
        st.markdown(ui.md_escape(jv.headline))
    else:
        st.info(f"No outlook for this peer group. {ui.md_escape(o['reason'])} Try a larger peer group.",
                icon=":material/block:")
    st.caption(ui.md_escape(o["method"]))
    if len(o["peers"]):
        with st.expander(f"Peers used for the ratio ({len(o['peers'])})"):
            st.dataframe(o["peers"], hide_index=True)


@data.shared_cache
def _sustainability_static() -> dict:
    """Sourced case-study lines for the Sustainability section (shipped data only, so prepared once)."""
    return {"greenwich": [f"{ui.md_escape(r['fact'])} — {ui.source_link(_src_item(r))}"
                          for _, r in _case_rows("greenwich", "business_model").iterrows()],
            "milton_park": [f"- {ui.md_escape(r['fact'])} — {ui.source_link(_src_item(r))}"
                            for _, r in _case_rows("milton_park", "business_model").iterrows()]}


def _section_sustainability(fr: Frame, res: gm.Result, figs: dict, sc: gm.Scenario) -> None:
    st.subheader("Sustainability: the Clusters Dialectic")
    static = _sustainability_static()
    for line in static["greenwich"]:
        st.caption(line)
    fm = res.fm
    c1, c2, c3 = st.columns(3)
    c1.metric("Self-funding ratio", fmt_number(fm.self_funding_ratio, decimals=2, missing="undefined (costs are 0)"))
    c2.metric("Break-even membership", fmt_int(fm.break_even_members) if fm.break_even_members is not None
              else "not reachable (fees are 0)")
    c3.metric("Public share of income", fmt_pct(fm.public_share_pct, decimals=1, missing="undefined (no income)"))
    st.caption(f"Self-funding ratio = (fees + events + services) ÷ costs = (£{fm.fees:,.0f} + £{fm.events:,.0f} + "
               f"£{fm.services:,.0f}) ÷ £{fm.costs:,.0f}. Fees = {fm.members:,.0f} members × average fee "
               f"£{fm.average_fee:,.0f} (member mix: SME {fm.mix['sme']:.0f}%, large {fm.mix['large']:.0f}%, "
               f"international {fm.mix['intl']:.0f}%). Break-even membership = fewest members whose fees plus "
               f"events and services cover the costs without public funding. Public share = public ÷ total income. "
               f"All inputs are Assumptions.")
    if fm.mix["adjusted"]:
        st.caption("SME and international shares added up to more than 100%: the SME share was reduced.")
    _chart(figs["funding"], "funding")
    eu = res.sustainability.eu
    if eu:
        st.markdown(f"- {ui.md_escape(eu['text'])} Source: {ui.source_link(eu['item'])}")
        with st.expander("Exact quote (European benchmark)"):
            st.markdown(f"> {ui.md_escape(eu['quote'])}")
    else:
        st.markdown("- European benchmark of the public funding share: no source in the data.")
    st.markdown(f"- {ui.md_escape(res.sustainability.benchmarks[1])}")
    business_model_view.render_peers(res.peers, key="gw")  # issue 14: every sourced peer figure
    st.markdown("#### Where Milton Park's fee-and-conference model sits")
    if static["milton_park"]:
        st.markdown("\n".join(static["milton_park"]))
    with st.expander("Year-by-year funding path (Assumption-based)"):
        st.dataframe(res.path.round(2), hide_index=True)


# ----------------------------------------------------------------- the answer (issue 17, points 1–3)
# The first screen: the verdict (gv.Verdict), the median notice and the labelled starting points. Kept in
# these functions so the sections below stay as they were.
def _parse_start(raw) -> tuple[str | None, str | None]:
    keys = [k for k, _, _ in gv.STARTING_POINTS]
    value, notice = urlstate.parse_choice(raw, keys, "", key="starting point")
    return (value or None), (notice.replace("; showing ''", "") if notice else None)


def _defaults(preset: str, ids: tuple[str, ...]) -> dict:
    return _context(preset, ids).defaults


def _start_points(preset: str, ids: tuple[str, ...]) -> dict[str, gv.StartingPoint]:
    return _context(preset, ids).start_points


def _active_start() -> gv.StartingPoint | None:
    key = st.session_state.get(PREFIX + "start")
    if not key:
        return None
    return _start_points(st.session_state[PREFIX + "peers"], tuple(st.session_state.get(PREFIX + "ids") or ())).get(key)


def _apply_start(key: str) -> None:
    """Button callback: set the inputs a starting point is based on (the others keep their values)."""
    point = _start_points(st.session_state[PREFIX + "peers"],
                          tuple(st.session_state.get(PREFIX + "ids") or ())).get(key)
    if point is None:
        return
    st.session_state[PREFIX + "start"] = key
    for k, v in point.values.items():
        st.session_state[PREFIX + k] = v


def _section_starts(preset: str, ids: tuple[str, ...]) -> None:
    points = _start_points(preset, ids)
    if not points:
        return
    st.markdown("**Starting points** — each sets the inputs below from one peer's sourced values "
                "(:orange-badge[Assumption] based on that peer):")
    cols = st.columns(len(points))
    for col, p in zip(cols, points.values()):
        col.button(p.label, key=f"gw_start_{p.key}", on_click=_apply_start, args=(p.key,),
                   help="; ".join(p.rules.values()), width="stretch", wrap=True)
    active = _active_start()
    if active is not None:
        st.caption("Starting point in use: " + ui.md_escape(active.label) + " — "
                   + ui.md_escape("; ".join(active.rules.values())))


def _section_answer(fr: Frame, res: gm.Result | None) -> None:
    """The answer block: question, plain sentences, three headline figures with their labels, the brief."""
    with st.container(key="gw_answer", border=True):
        st.markdown(f"**The question.** {ui.md_escape(gv.QUESTION)}")
        if res is None:
            st.info("Pick at least one organisation under 'Manual peer picks' to benchmark against your own "
                    "selection.", icon=":material/touch_app:")
            return
        v: gv.Verdict = res.verdict
        st.markdown("**The answer.**\n\n" + "\n".join(f"- {ui.md_escape(t)}" for t in v.answer))
        for col, h in zip(st.columns(len(v.figures)), v.figures):
            badge = ":blue-badge[Sourced]" if h.status == gv.SOURCED else ":orange-badge[Assumption]"
            col.metric(h.label, h.value)
            col.caption(f"{badge} {ui.md_escape(h.note)}")
        st.caption("Caveats: " + " ".join(ui.md_escape(c) for c in v.caveats))
        if v.median_notice:
            st.warning(ui.md_escape(v.median_notice), icon=":material/balance:")
        c1, c2 = st.columns([1, 3])
        with c1:
            _brief_button(res)
        c2.caption(f"The brief opens with this answer on one page, then every section below and its "
                   f"{res.n_sources} sources; it is dated the day you download it.")


def _brief_button(res: gm.Result) -> None:
    html = res.brief
    st.download_button("Download the HTML brief", data=lambda: brief_mod.stamp(html, _dt.date.today().isoformat()),
                       file_name="greenwich_brief.html", mime="text/html", key="gw_brief",
                       icon=":material/description:", on_click="ignore",
                       help="One self-contained HTML file (opens offline, prints to A4): a one-page summary, then "
                            "baseline, assumptions, peers, ranks, gaps, outlook, sustainability and every source.")


# ----------------------------------------------------------------- page
def render(fr: Frame) -> None:
    org = data.organisations()
    _seed_state(fr)
    st.markdown("A prospective **Greenwich Digital Cluster** (connected & autonomous vehicles, urban innovation, "
                "cyber security) benchmarked against its peers. Sourced facts and **Assumptions** are kept apart.")
    answer_box = st.container()  # filled below, once the inputs are read: the answer comes first on screen

    st.header("The scenario: what Greenwich would build")
    labels = {k: v["label"] for k, v in bm.PRESETS.items()}
    c1, c2 = st.columns([1, 2])
    with c1:
        st.selectbox("Peer group", bm.PRESET_KEYS, key=PREFIX + "peers", format_func=lambda k: labels[k])
    with c2:
        names = dict(zip(org["id"], org["name"]))
        st.multiselect("Manual peer picks (used by 'Manual picks')", _peerable_ids(), key=PREFIX + "ids",
                       format_func=lambda i: f"{names.get(i, i)} ({i})")
    preset = st.session_state[PREFIX + "peers"]
    ids = tuple(st.session_state[PREFIX + "ids"])
    defaults = _defaults(preset, ids)

    _section_starts(preset, ids)
    _section_scenario(fr, defaults)
    sc = gm.Scenario(values={f.key: int(st.session_state[PREFIX + f.key]) for f in bm.FIELDS}, preset=preset, ids=ids,
                     basis=st.session_state.get(PREFIX + "basis") or bm.DEFAULT_JOBS_BASIS,
                     start=st.session_state.get(PREFIX + "start"))
    _section_assumptions(fr, sc)
    ui.write_url(sc.url_params())

    res = figs = None
    if not (preset == "manual" and not ids):  # without picks the answer block asks for them
        dataset = data.dataset_key()  # shipped data + this session's imports: one cached path for both
        res, figs = _result(sc.key(), dataset), _figures(sc.key(), fr.present, dataset)
    with answer_box:
        _section_answer(fr, res)

    # Lazy tabs bound to the URL (`view`): only the open section runs and is sent, and a link reopens it.
    tabs = st.tabs(list(SECTIONS), default=DEFAULT_SECTION, key="view", bind="query-params")
    for tab, name in zip(tabs, SECTIONS):
        if not tab.open:
            continue
        with tab:
            if name == "Baseline":
                _section_baseline(fr)
            elif name == greenwich_digital.TAB:  # issue 13: sourced BRES/SBS figures, no scenario needed
                greenwich_digital.render(fr)
            elif res is None:
                st.info("Pick at least one organisation under 'Manual peer picks' first.", icon=":material/touch_app:")
            else:
                SECTIONS[name](fr, res, figs, sc)


# Sections after the scenario, in story order; the page opens on the benchmark (the question it answers).
SECTIONS = {"Baseline": None, "Peers": _section_peers, "Benchmark": _section_benchmark,
            "Jobs outlook": _section_outlook, "Sustainability": _section_sustainability,
            greenwich_digital.TAB: greenwich_digital.render}
DEFAULT_SECTION = "Benchmark"
