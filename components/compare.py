"""/compare page: 2–8 organisations side by side on jobs, internationalisation,
business model and regional context. State lives in the URL (ids, metrics, ind)."""
from __future__ import annotations


import pandas as pd
import streamlit as st

from cluster_data import business_model as bmv
from cluster_data import compare as cmp
from cluster_data import overlay as ov
from cluster_data import display, regional, urlstate
from cluster_data.schema import FIELD_UNITS, ROW_TYPES
from components import compare_charts as charts
from components import business_model_view, chart_export, data, notes_view, sectoral_data
from components.frame import Frame
from components.ui import csv_download, md_escape, source_link, write_url

K_IDS, K_METRICS, K_IND = "cmp_ids", "cmp_metrics", "cmp_ind"
K_MINCOV = "cmp_min_cov"


def _w_key(c: str) -> str:
    return f"cmp_w_{c}"


# the page's tabs, bound to the URL as ``view`` (links name them: /compare?view=Business+model)
VIEWS = ("Jobs", "Internationalisation", "Business model", "Regional context")


def _raw(key: str):
    return st.query_params.get_all(key) if key in st.query_params else None


def _seed(fr: Frame, org: pd.DataFrame) -> None:
    """First run of the page in this session: take the selection from the URL."""
    if K_IDS not in st.session_state:
        raw = _raw("ids")
        ids, notice = urlstate.parse_list(raw, allowed=org["id"].tolist(), key="organisation ids")
        ids, n2 = cmp.clamp_selection(ids, org)
        if raw is not None and notice and not ids:
            n2 = None
        if notice:
            fr.notify(notice)
            if raw is not None and not urlstate.parse_list(raw, allowed=org["id"].tolist())[0]:
                fr.notify("No usable organisation ids in the link; showing the default selection.")
        if n2:
            fr.notify(n2)
        st.session_state[K_IDS] = ids
    if K_METRICS not in st.session_state:
        raw = _raw("metrics")
        m, notice = urlstate.parse_list(raw, allowed=cmp.METRIC_FIELDS, key="metrics")
        if notice:
            fr.notify(notice)
        st.session_state[K_METRICS] = m or list(cmp.DEFAULT_METRICS)
    if _w_key(next(iter(cmp.INDEX_COMPONENTS))) not in st.session_state:
        w, notice = cmp.parse_weights(urlstate.parse_text(_raw("w"), 200) or None)
        if notice:
            fr.notify(notice)
        for c, v in w.items():
            st.session_state[_w_key(c)] = float(v)
        mc, notice = urlstate.parse_int(_raw("min_cov"), cmp.DEFAULT_MIN_COVERAGE, 1, len(cmp.INDEX_COMPONENTS), key="minimum coverage")
        if notice:
            fr.notify(notice)
        st.session_state[K_MINCOV] = mc
    if K_IND not in st.session_state:
        ind, notice = urlstate.parse_choice(_raw("ind"), cmp.TS_INDICATORS, cmp.DEFAULT_IND, key="regional indicator")
        if notice:
            fr.notify(notice)
        st.session_state[K_IND] = ind


# ----------------------------------------------------------------- cached pieces (small hashable keys only)
@data.shared_cache
def _quick_picks() -> dict[str, list[str]]:
    org = data.shipped_organisations()
    return {k: cmp.quick_pick(org, k) for k in cmp.QUICK_PICKS}


@data.shared_cache
def _series(regions: tuple[str, ...], ind: str) -> pd.DataFrame:
    return cmp.series(data.regional_indicators(), list(regions), ind)


@data.shared_cache
def _region_rows(rows: tuple[tuple[str, str, str | None], ...]) -> tuple[pd.DataFrame, str]:
    mini = pd.DataFrame(list(rows), columns=["id", "name", "nuts2_2016"])
    ri = data.regional_indicators()
    rt = cmp.region_table(mini, ri, mini["id"].tolist())
    return rt, cmp.lq_note(ri, rt["htec_kis_lq_year"].dropna().tolist())


@data.shared_cache
def _index(weights: tuple[tuple[str, float], ...], min_cov: int, extra_ids: tuple[str, ...]) -> tuple[pd.DataFrame, pd.DataFrame]:
    org = data.shipped_organisations()
    ref = org[(org["row_type"] == "cluster_org") | org["id"].isin(extra_ids)]
    comps = cmp.intl_components(ref)
    return comps, cmp.index_table(comps, dict(weights), min_cov)


@data.shared_cache(max_entries=256)
def _long_for(ids: tuple[str, ...], dataset: str) -> pd.DataFrame:
    """Headline values of the chosen ids in the dataset ``dataset`` (data.dataset_key()) names: shipped rows,
    this session's imported organisations, and its overlay values filled into gaps (marked Imported)."""
    long = cmp.values_long(data.organisations(), data.facts(), data.sources(), list(ids), cmp.METRIC_FIELDS)
    return ov.apply_to_long(long, data.overlay())


@data.shared_cache(max_entries=256)
def _metric_chart_for(ids: tuple[str, ...], field: str, dataset: str) -> tuple:
    """(figure, table) for one chosen metric, built once per dataset (see _long_for) and shared read-only."""
    fig, table = _metric_chart(_long_for(ids, dataset), field)
    return data.PreparedFigure(fig), table


@data.shared_cache(max_entries=64)
def _business_models(ids: tuple[str, ...], dataset: str) -> list:
    """The business-model view-model of the chosen ids (cluster_data.business_model), per dataset."""
    return bmv.business_models(data.organisations(), list(ids), data.facts(), data.sources(), data.overlay())


def _metric_chart(long: pd.DataFrame, field: str) -> tuple:
    d = long[long["field"] == field]
    fig = chart_export.with_source(charts.dot_plot(d, "value", cmp.label(field), FIELD_UNITS.get(field, "")),
                                   cmp.source_line(d))  # issue 17 (13): the PNG names its sources
    return fig, cmp.display_long(d)


@data.shared_cache
def _benchmarks() -> pd.DataFrame:
    return cmp.funding_benchmarks(data.case_studies(), data.sources())


def _pick(org_ids: list[str]) -> None:
    st.session_state[K_IDS] = org_ids


def _sources_md(long: pd.DataFrame) -> tuple[int, str]:
    """(number of sourced values, one Markdown list of them with source links and exact quotes)."""
    have = long[long["value"].notna()]
    lines = [f"- **{md_escape(r['name'])}** — {md_escape(r['measure'])}: {md_escape(r['shown'])} "
             f"({md_escape(r['counts'])}); {source_link({'title': r['source'], 'url': r['url']})}  \n"
             f"  > {md_escape(r['quote'] or '')}" for r in have.to_dict("records")]
    return len(have), "\n".join(lines)


def _sources_expander(long: pd.DataFrame, title: str, prepared: tuple[int, str] | None = None) -> None:
    n, md = prepared if prepared is not None else _sources_md(long)
    with st.expander(f"Sources and exact quotes — {title} ({n} sourced values)"):
        st.markdown(md if n else "No source holds a value for these organisations.")


_COLS = {"Organisation": st.column_config.TextColumn(width="medium"),
         "id": st.column_config.TextColumn(width="small"),
         "Named international partners": st.column_config.TextColumn(width="large")}


def _table(df: pd.DataFrame, key: str | None = None) -> None:
    st.dataframe(df, hide_index=True, width="stretch", key=key,
                 column_config={k: v for k, v in _COLS.items() if k in df.columns})


def _chart_with_twin(fig, table: pd.DataFrame, filename: str, key: str, source: str | None = None) -> None:
    if source:  # a figure built here, not shared: its exported image carries the source line
        fig = chart_export.with_source(fig, source)
    st.plotly_chart(fig, width="stretch", config=chart_export.config(filename.rsplit(".", 1)[0], fig.layout.height),
                    key=f"fig_{key}")
    with st.expander("Table and download"):
        _table(table)
        csv_download(table, filename, key=f"dl_{key}")


def render(fr: Frame) -> None:
    org = data.organisations()
    facts, sources = data.facts(), data.sources()
    ri = data.regional_indicators()
    _seed(fr, org)

    names = dict(zip(org["id"], org["name"]))
    types = dict(zip(org["id"], org["row_type"]))
    valid = [i for i in st.session_state.get(K_IDS, []) if i in names]
    if valid != st.session_state.get(K_IDS):
        st.session_state[K_IDS] = valid

    st.markdown("Put **2–8** organisations side by side. Every number is a sourced headline value: "
                "figures from different sources count different things, so each says what it counts, its year and its source.")
    qp = st.columns(len(cmp.QUICK_PICKS))
    for col, (key, lbl) in zip(qp, cmp.QUICK_PICKS.items()):
        ids = [i for i in _quick_picks().get(key, []) if i in names]
        col.button(lbl, key=f"cmp_qp_{key}", on_click=_pick, args=(ids,), disabled=len(ids) < cmp.MIN_IDS,
                   help="Replaces the selection with: " + ", ".join(names[i] for i in ids), width="stretch")
    # issue 17 (10): typing matches names (substring, not a fuzzy subsequence, so "OBN" offers OBN), and there
    # is no "select all matches" action that adds unrelated organisations in one click
    st.multiselect("Organisations (type to search by name)", options=org["id"].tolist(), key=K_IDS,
                   max_selections=cmp.MAX_IDS, filter_mode="contains", select_all=False,
                   format_func=lambda i: f"{names.get(i, i)} · {ROW_TYPES.get(types.get(i), types.get(i))}")
    c1, c2 = st.columns([3, 2])
    c1.multiselect("Metrics to chart", options=cmp.METRIC_FIELDS, key=K_METRICS, format_func=cmp.label)
    c2.selectbox("Regional indicator for the time series", options=cmp.TS_INDICATORS, key=K_IND,
                 format_func=cmp.indicator_label)

    ids = list(st.session_state[K_IDS])
    metrics_sel = list(st.session_state[K_METRICS])
    ind = st.session_state[K_IND]
    weights = {c: float(st.session_state.get(_w_key(c), cmp.DEFAULT_WEIGHTS[c])) for c in cmp.INDEX_COMPONENTS}
    mc = int(st.session_state.get(K_MINCOV, cmp.DEFAULT_MIN_COVERAGE))
    write_url(cmp.url_params(ids, metrics_sel, ind, weights, mc, org))  # defaults stay out of the URL (Back works)

    if len(ids) < cmp.MIN_IDS:
        st.warning(f"Choose at least {cmp.MIN_IDS} organisations to compare.", icon=":material/info:")
        return

    st.markdown("**Profiles:**")
    pl = st.columns(min(len(ids), 4))
    for k, i in enumerate(ids):
        with pl[k % len(pl)]:
            fr.page_link("atlas", label=f"{names[i]}", params={"org": i}, icon=":material/open_in_new:")
    odd = [names[i] for i in ids if types.get(i) in ("seed_aggregate", "prospective")]
    if odd:
        st.caption("Note: " + md_escape(", ".join(odd)) + " — a regional aggregate claim or a prospective placeholder, "
                   "not an existing organisation's own figures.")

    dataset = data.dataset_key()  # shipped data + this session's imports and overlay: one cached path for both
    long = _long_for(tuple(ids), dataset)

    # ------------------------------------------------------------ chosen metric charts
    if metrics_sel:
        st.subheader("Chosen metrics")
        cols = st.columns(2 if len(metrics_sel) > 1 else 1)
        for k, f in enumerate(metrics_sel):
            fig, table = _metric_chart_for(tuple(ids), f, dataset)
            with cols[k % len(cols)]:
                _chart_with_twin(fig, table, f"compare_{f}.csv", f"m_{f}")

    # lazy tabs bound to the URL (`view`): only the open tab runs, and a link reopens it
    t_jobs, t_intl, t_biz, t_reg = st.tabs(list(VIEWS),
                                           key="view", bind="query-params")
    if t_jobs.open:
        with t_jobs:
            _jobs(long, org, ri, ids)
    if t_intl.open:
        with t_intl:
            notes_view.render("intl", ids, names, "What the sources say about internationalisation")  # issue 17 (10)
            _intl(long, org, ids)
    if t_biz.open:
        with t_biz:
            notes_view.render("business", ids, names, "How each organisation is funded, in the sources' words")
            _business(long, _benchmarks())
            business_model_view.render(_business_models(tuple(ids), dataset), key="cmp")
    if t_reg.open:
        with t_reg:
            _regional(org, ri, ids, ind)


def _jobs_view(long: pd.DataFrame) -> dict:
    """The jobs table, its CSV and its sources, prepared (cached for the shipped data)."""
    d = long[long["field"].isin(cmp.JOB_FIELDS)]
    return {"rows": d, "table": cmp.display_long(d), "csv": d.drop(columns=["quote"]), "sources": _sources_md(d)}


@data.shared_cache(max_entries=256)
def _jobs_view_for(ids: tuple[str, ...], dataset: str) -> dict:
    """The jobs view of the chosen ids in the dataset ``dataset`` (data.dataset_key()) names: one cached path for
    shipped and session-augmented data (imported organisations, overlay values filled into gaps)."""
    return _jobs_view(_long_for(ids, dataset))


def _norm_view(t: pd.DataFrame, field: str) -> dict:
    """The normalised-jobs table as shown, and which rows could not be normalised (and why)."""
    show = pd.DataFrame({
        "Organisation": t["name"],
        "Value": [cmp.fmt_number(v, field, lb) for v, lb in zip(t["value"], t["lower_bound"])],
        "Per member": [cmp.fmt_number(v, "", lb) if v == v else "—" for v, lb in zip(t["per_member"], t["lower_bound"])],
        "NUTS 2 region": t["region"].fillna("unknown"),
        "Population (year)": [f"{display.fmt_int(p)} ({display.fmt_year(y)})" if not display.is_missing(p) else display.NO_DATA
                              for p, y in zip(t["population"], t["population_year"])],
        "Per 100,000 inhabitants": [cmp.fmt_number(v, "", lb) if v == v else "—" for v, lb in zip(t["per_100k"], t["lower_bound"])],
        "Not normalised because": t["reason"],
    })
    bad = t[t["reason"] != ""]
    why = "; ".join(f"{n} ({r})" for n, r in zip(bad["name"], bad["reason"])) if not bad.empty else ""
    return {"t": t, "show": show, "why": why}


@data.shared_cache(max_entries=256)
def _norm_view_for(ids: tuple[str, ...], field: str, dataset: str) -> dict:
    """The normalised view of one figure for the chosen ids, per dataset (see _jobs_view_for)."""
    return _norm_view(cmp.normalised(data.organisations(), data.regional_indicators(), list(ids), field), field)


def _jobs(long: pd.DataFrame, org: pd.DataFrame, ri: pd.DataFrame, ids: list[str]) -> None:
    st.markdown("Members, SME members, employees in member firms and jobs created count **different things** "
                "(a press claim of jobs created is not an evaluation). Lower bounds are shown as “more than X”.")
    dataset = data.dataset_key()
    jv = _jobs_view_for(tuple(ids), dataset)
    _table(jv["table"], key="cmp_jobs_table")
    csv_download(jv["csv"], "compare_jobs.csv", key="dl_jobs")
    _sources_expander(jv["rows"], "jobs", prepared=jv["sources"])

    st.markdown("#### Normalised views")
    field = st.selectbox("Figure to normalise", [f for f in cmp.JOB_FIELDS], index=cmp.JOB_FIELDS.index("employees_in_members"),
                         format_func=cmp.label, key="cmp_norm_field")
    nv = _norm_view_for(tuple(ids), field, dataset)
    _table(nv["show"])
    csv_download(nv["t"], f"compare_normalised_{field}.csv", key="dl_norm")
    st.caption("Computed: per member = value ÷ headline member count; per 100,000 inhabitants = value ÷ population of the "
               "organisation's NUTS 2 (2016) region × 100,000, population from Eurostat tgs00096 for the latest year at or "
               "before the figure's year (the year is shown). A lower bound stays a lower bound after dividing. "
               "Source: Eurostat.")
    if nv["why"]:
        st.caption("Could not be normalised: " + md_escape(nv["why"]))


def _intl(long: pd.DataFrame, org: pd.DataFrame, ids: list[str]) -> None:
    types = dict(zip(org["id"], org["row_type"]))
    d = long[long["field"].isin(cmp.INTL_FIELDS)]
    rec = {r["id"]: r for r in org[org["id"].isin(ids)].to_dict("records")}

    def txt(i: str, col: str) -> str:
        v = rec[i].get(col)
        return v if isinstance(v, str) else cmp.MISSING

    extra = pd.DataFrame({
        "Organisation": [rec[i]["name"] for i in ids],
        "ESCA label": [txt(i, "esca_label") for i in ids],
        "Named international partners": [txt(i, "international_partners_named") for i in ids],
        "id": ids,
    })
    business_model_view.render_intl_measures(org, ids, int(st.session_state.get(K_MINCOV, cmp.DEFAULT_MIN_COVERAGE)),
                                             len(cmp.INDEX_COMPONENTS))  # issue 14: coverage n of N per measure
    _table(cmp.display_long(d), key="cmp_intl_table")
    _table(extra, key="cmp_intl_text")
    csv_download(d.drop(columns=["quote"]).merge(extra, on="id", how="left"), "compare_internationalisation.csv", key="dl_intl")
    _sources_expander(d, "internationalisation")

    st.markdown("#### Internationalisation index (computed)")
    st.caption("Each component is scaled 0–1 across all cluster organisations in the data that have a value "
               "(min–max), then averaged with the weights below over the components an organisation **has** — a "
               "missing component is left out, never counted as zero. Coverage says how many weighted components "
               "each organisation has data for; below the minimum it gets no score. ESCA label is used as an "
               "ordinal: bronze 1, silver 2, gold 3.")
    wc = st.columns(len(cmp.INDEX_COMPONENTS) + 1)
    weights = {}
    for col, (c, lbl) in zip(wc, cmp.INDEX_COMPONENTS.items()):
        weights[c] = col.slider(f"Weight: {lbl}", 0.0, 3.0, step=0.5, key=_w_key(c))
    min_cov = wc[-1].slider("Minimum coverage", 1, len(cmp.INDEX_COMPONENTS), step=1, key=K_MINCOV)
    if not any(w > 0 for w in weights.values()):
        st.warning("Give at least one component a positive weight.", icon=":material/info:")
        return
    shipped = set(data.shipped_organisations()["id"])
    extra = tuple(sorted(i for i in ids if i in shipped))
    comps, res = _index(tuple(sorted(weights.items())), int(min_cov), extra)
    missing_ids = [i for i in ids if i not in res.index]  # imported rows: no index components held
    if missing_ids:
        comps = pd.concat([comps, cmp.intl_components(org[org["id"].isin(missing_ids)])])
        n = int(res["n_components"].iloc[0]) if len(res) else 0
        add = pd.DataFrame({"score": float("nan"), "coverage": 0, "n_components": n, "eligible": False,
                            "status": f"excluded (0 of {n}; minimum {int(min_cov)})", "partial": False,
                            "rank": float("nan")}, index=missing_ids)
        res = pd.concat([res, add])
    ref_n = int((data.shipped_organisations()["row_type"] == "cluster_org").sum()) + len(
        [i for i in extra if types.get(i) != "cluster_org"])
    sel = res.loc[ids]
    csel = comps.loc[ids]
    tab = pd.DataFrame({
        "Organisation": [rec[i]["name"] for i in ids],
        "Index (0–100)": [f"{s:.0f}" if s == s else "not scored" for s in sel["score"]],
        "Status": sel["status"].tolist(),
        "Coverage": [f"{int(c)} of {int(n)}" for c, n in zip(sel["coverage"], sel["n_components"])],
        **{cmp.INDEX_COMPONENTS[c]: [cmp.fmt_number(v) for v in csel[c]] for c in cmp.INDEX_COMPONENTS},
        "id": ids,
    })
    _table(tab, key="cmp_index_table")
    csv_download(csel.join(sel).reset_index(), "compare_intl_index.csv", key="dl_index")
    st.caption(f"Reference group for scaling: {ref_n} organisations (all cluster organisations plus your selection). Partial = scored from fewer components than weighted (flagged).")

    sc = pd.DataFrame({"id": ids, "name": [rec[i]["name"] for i in ids],
                       "members_total": [rec[i].get("members_total") for i in ids],
                       "lower_bound": [cmp.truthy(rec[i].get("members_total_lower_bound")) for i in ids],
                       "score": sel["score"].to_numpy()})
    both = sc.dropna(subset=["members_total", "score"])
    missing = sc[~sc["id"].isin(both["id"])]
    xm = float(both["members_total"].median()) if not both.empty else None
    ym = float(both["score"].median()) if not both.empty else None
    _chart_with_twin(charts.size_vs_index(both, xm, ym), sc.assign(
        members_total=[cmp.fmt_number(v, "", lb) for v, lb in zip(sc["members_total"], sc["lower_bound"])],
        score=[f"{s:.0f}" if s == s else "not scored" for s in sc["score"]]), "compare_size_vs_index.csv", "scatter",
        source="Computed by Cluster Atlas from sourced member counts and internationalisation measures "
               "(each value's source is in the Internationalisation tables)")
    if not missing.empty:
        st.caption("Not on the scatter (no member count or no index score): " + md_escape(", ".join(missing["name"])))


def _business(long: pd.DataFrame, bench: pd.DataFrame) -> None:
    d = long[long["field"].isin(cmp.FUNDING_FIELDS)]
    ref = cmp.public_share_benchmark(bench)
    _table(cmp.display_long(d), key="cmp_biz_table")
    csv_download(d.drop(columns=["quote"]), "compare_business_model.csv", key="dl_biz")
    refline = None
    if ref:
        refline = {"value": ref["value"], "label": f"European benchmark ≈{ref['value']:g}% ({ref['year']})"}
    pub = d[d["field"] == "funding_public_share_pct"]
    _chart_with_twin(charts.dot_plot(pub, "value", "Public funding share of budget", "% of budget from public funding", refline),
                     cmp.display_long(pub), "compare_public_funding.csv", "pubfund", source=cmp.source_line(pub))
    _sources_expander(d, "business model")
    st.markdown("#### European benchmark (from the sources)")
    if bench.empty:
        st.markdown("No European benchmark is held in the data.")
    for _, r in bench.iterrows():
        st.markdown(f"- {md_escape(r['fact'])}  \n  Source: {source_link({'title': r['title'], 'url': r['url']})}  \n"
                    f"  > {md_escape(r['quote'])}")
    csv_download(bench, "compare_funding_benchmarks.csv", key="dl_bench")


def _regional(org: pd.DataFrame, ri: pd.DataFrame, ids: list[str], ind: str) -> None:
    rec = {r["id"]: r for r in org[org["id"].isin(ids)].to_dict("records")}
    rows = tuple((i, str(rec[i]["name"]), rec[i].get("nuts2_2016") if isinstance(rec[i].get("nuts2_2016"), str) else None)
                 for i in ids)
    rt, lqtxt = _region_rows(rows)
    fmt = {"htec_kis_share": lambda v: display.fmt_number(v, decimals=1, unit="%"), "htec_kis_lq": display.fmt_lq,
           "rd_gdp": lambda v: display.fmt_number(v, decimals=2, unit="%"), "gdp_per_head_eur": lambda v: "€" + display.fmt_int(v)}
    rnames = dict(zip(data.regions()["code"], data.regions()["name"]))
    show = pd.DataFrame({"Organisation": rt["name"],
                         "NUTS 2 region": [f"{r} {rnames.get(r, '')}".strip() if isinstance(r, str) else "unknown" for r in rt["region"]]})
    for c in cmp.REGION_INDICATORS:
        show[cmp.indicator_label(c)] = [(fmt[c](v) + f" ({display.fmt_year(y)})") if v == v and y is not None else display.NO_DATA
                                        for v, y in zip(rt[c], rt[c + "_year"])]
    show["LQ in its sector basket (Eurostat SBS)"] = sectoral_data.org_lq_column([rec[i] for i in ids])  # issue 13
    _table(show, key="cmp_region_table")
    csv_download(rt, "compare_regional_context.csv", key="dl_region")
    st.caption(md_escape(lqtxt))
    st.caption("Source: Eurostat (htec_emp_reg2, rd_e_gerdreg, tgs00003/tgs00096); GDP per head is computed as GDP ÷ population.")

    regions = sorted({r for r in rt["region"] if isinstance(r, str)})
    ts = _series(tuple(regions), ind)
    meta = regional.indicator_meta(ind)
    if ts.empty:
        st.markdown(f"No {md_escape(meta['label'])} values are held for these regions.")
        return
    labels = {}
    for reg in regions:
        labels[reg] = charts.chart_label(reg + ": " + ", ".join(rt.loc[rt["region"] == reg, "name"]), 60, 4)
    fig = charts.time_series(ts, labels, f"{meta['label']}, {int(ts['year'].min())}–{int(ts['year'].max())}", meta["unit"])
    _chart_with_twin(fig, ts, f"compare_timeseries_{ind}.csv", "ts",
                     source="Source: Eurostat. " + str(meta.get("description", "")))
    nodata = [r for r in regions if r not in set(ts["region"])]
    if nodata:
        st.caption("No data for: " + md_escape(", ".join(nodata)))
    st.caption("Source: Eurostat. " + md_escape(meta.get("description", "")))
