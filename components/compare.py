"""/compare page: 2–8 organisations side by side on jobs, internationalisation,
business model and regional context. State lives in the URL (ids, metrics, ind)."""
from __future__ import annotations


import pandas as pd
import pyarrow as pa
import streamlit as st

from cluster_data import business_model as bmv
from cluster_data import compare as cmp
from cluster_data import compare_view as cv
from cluster_data import overlay as ov
from cluster_data import regional, urlstate
from cluster_data.schema import FIELD_UNITS, ROW_TYPES
from components import compare_charts as charts
from components import business_model_view, chart_export, data, notes_view, sectoral_data
from components.frame import Frame
from components.ui import csv_download, md_escape, seed_params, source_link, write_url

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
    seed_params([urlstate.listing("metrics", K_METRICS, cmp.METRIC_FIELDS, "metrics", default=cmp.DEFAULT_METRICS),
                    urlstate.choice("ind", K_IND, cmp.TS_INDICATORS, cmp.DEFAULT_IND, "regional indicator")], fr.notify)
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


# ----------------------------------------------------------------- cached pieces (small hashable keys only)
@data.shared_cache
def _quick_picks() -> dict[str, list[str]]:
    org = data.shipped_organisations()
    return {k: cmp.quick_pick(org, k) for k in cmp.QUICK_PICKS}


@data.shared_cache
def _series(regions: tuple[str, ...], ind: str) -> pd.DataFrame:
    return cmp.series(data.regional_indicators(), list(regions), ind)


@data.shared_cache
def _regional_context(rows: tuple[tuple[str, str, str | None], ...], lq: tuple[str, ...]) -> cv.RegionalContext:
    """The regional context of the selection's (id, name, NUTS 2) rows, with each one's sector-basket LQ text."""
    return cv.regional_context(rows, data.regional_indicators(), data.regions(), lq)


@data.shared_cache
def _index(weights: tuple[tuple[str, float], ...], min_cov: int, extra_ids: tuple[str, ...]) -> cv.ReferenceIndex:
    """The index over the shipped reference group (cluster organisations plus ``extra_ids``)."""
    return cv.reference_index(data.shipped_organisations(), extra_ids, dict(weights), min_cov)


@data.shared_cache(max_entries=256)
def _long_for(ids: tuple[str, ...], dataset: str) -> pd.DataFrame:
    """Headline values of the chosen ids in the dataset ``dataset`` (data.dataset_key()) names: shipped rows,
    this session's imported organisations, and its overlay values filled into gaps (marked Imported)."""
    long = cmp.values_long(data.organisations(), data.facts(), data.sources(), list(ids), cmp.METRIC_FIELDS)
    return ov.apply_to_long(long, data.overlay())


@data.shared_cache(max_entries=256)
def _metric_chart_for(ids: tuple[str, ...], field: str, dataset: str) -> tuple:
    """(figure, table, the table as Arrow) for one chosen metric, built once per dataset (see _long_for) and
    shared read-only (st.dataframe converted the frame to Arrow on every rerun)."""
    fig, table = _metric_chart(_long_for(ids, dataset), field)
    return data.PreparedFigure(fig), table, _arrow(table)


def _arrow(df: pd.DataFrame) -> pa.Table:
    return pa.Table.from_pandas(df, preserve_index=False)


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


def _table(df: pd.DataFrame, key: str | None = None, arrow: pa.Table | None = None) -> None:
    """A table twin; ``arrow`` is the same table already converted (cached with it)."""
    st.dataframe(df if arrow is None else arrow, hide_index=True, width="stretch", key=key,
                 column_config={k: v for k, v in _COLS.items() if k in df.columns})


def _chart_with_twin(fig, table: pd.DataFrame, filename: str, key: str, source: str | None = None,
                     arrow: pa.Table | None = None) -> None:
    if source:  # a figure built here, not shared: its exported image carries the source line
        fig = chart_export.with_source(fig, source)
    st.plotly_chart(fig, width="stretch", config=chart_export.config(filename.rsplit(".", 1)[0], fig.layout.height),
                    key=f"fig_{key}")
    with st.expander("Table and download"):
        _table(table, arrow=arrow)
        csv_download(table, filename, key=f"dl_{key}")


# ----------------------------------------------------------------- the page
def render(fr: Frame) -> None:
    org = data.organisations()
    _seed(fr, org)
    names = dict(zip(org["id"], org["name"]))
    types = dict(zip(org["id"], org["row_type"]))
    valid = [i for i in st.session_state.get(K_IDS, []) if i in names]
    if valid != st.session_state.get(K_IDS):
        st.session_state[K_IDS] = valid

    st.markdown("Put **2–8** organisations side by side. Every number is a sourced headline value: "
                "figures from different sources count different things, so each says what it counts, its year and its source.")
    _selection_controls(org, names, types)

    ids = list(st.session_state[K_IDS])
    metrics_sel = list(st.session_state[K_METRICS])
    ind = st.session_state[K_IND]
    weights = {c: float(st.session_state.get(_w_key(c), cmp.DEFAULT_WEIGHTS[c])) for c in cmp.INDEX_COMPONENTS}
    mc = int(st.session_state.get(K_MINCOV, cmp.DEFAULT_MIN_COVERAGE))
    write_url(cmp.url_params(ids, metrics_sel, ind, weights, mc, org))  # defaults stay out of the URL (Back works)

    if len(ids) < cmp.MIN_IDS:
        st.warning(f"Choose at least {cmp.MIN_IDS} organisations to compare.", icon=":material/info:")
        return

    _profile_links(fr, ids, names, types)
    dataset = data.dataset_key()  # shipped data + this session's imports and overlay: one cached path for both
    _metric_charts(ids, metrics_sel, dataset)
    _views(org, ids, names, ind, dataset)


def _selection_controls(org: pd.DataFrame, names: dict, types: dict) -> None:
    """Quick picks, the organisation search, the metrics and the regional indicator (all bound to the URL)."""
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


def _profile_links(fr: Frame, ids: list[str], names: dict, types: dict) -> None:
    st.markdown("**Profiles:**")
    pl = st.columns(min(len(ids), 4))
    for k, i in enumerate(ids):
        with pl[k % len(pl)]:
            fr.page_link("atlas", label=f"{names[i]}", params={"org": i}, icon=":material/open_in_new:")
    odd = [names[i] for i in ids if types.get(i) in ("seed_aggregate", "prospective")]
    if odd:
        st.caption("Note: " + md_escape(", ".join(odd)) + " — a regional aggregate claim or a prospective placeholder, "
                   "not an existing organisation's own figures.")


def _metric_charts(ids: list[str], metrics_sel: list[str], dataset: str) -> None:
    if not metrics_sel:
        return
    st.subheader("Chosen metrics")
    cols = st.columns(2 if len(metrics_sel) > 1 else 1)
    for k, f in enumerate(metrics_sel):
        fig, table, arrow = _metric_chart_for(tuple(ids), f, dataset)
        with cols[k % len(cols)]:
            _chart_with_twin(fig, table, f"compare_{f}.csv", f"m_{f}", arrow=arrow)


def _views(org: pd.DataFrame, ids: list[str], names: dict, ind: str, dataset: str) -> None:
    """Lazy tabs bound to the URL (`view`): only the open tab runs, and a link reopens it."""
    t_jobs, t_intl, t_biz, t_reg = st.tabs(list(VIEWS),
                                           key="view", bind="query-params")
    if t_jobs.open:
        with t_jobs:
            _jobs(ids, dataset)
    if t_intl.open:
        with t_intl:
            notes_view.render("intl", ids, names, "What the sources say about internationalisation")  # issue 17 (10)
            _intl(org, ids, dataset)
    if t_biz.open:
        with t_biz:
            notes_view.render("business", ids, names, "How each organisation is funded, in the sources' words")
            _business(_long_for(tuple(ids), dataset), _benchmarks())
            business_model_view.render(_business_models(tuple(ids), dataset), key="cmp")
    if t_reg.open:
        with t_reg:
            _regional(org, ids, ind)


# ----------------------------------------------------------------- Jobs
@data.shared_cache(max_entries=256)
def _jobs_view_for(ids: tuple[str, ...], dataset: str) -> tuple[cv.SourcedTable, tuple[int, str], pa.Table]:
    """The jobs table, its CSV and its sources of the chosen ids in the dataset ``dataset`` (data.dataset_key())
    names: one cached path for shipped and session-augmented data (imported organisations, overlay values)."""
    jv = cv.sourced_table(_long_for(ids, dataset), cmp.JOB_FIELDS)
    return jv, _sources_md(jv.rows), _arrow(jv.table)


@data.shared_cache(max_entries=256)
def _norm_view_for(ids: tuple[str, ...], field: str, dataset: str) -> cv.NormalisedView:
    """The normalised view of one figure for the chosen ids, per dataset (see _jobs_view_for)."""
    return cv.normalised_view(data.organisations(), data.regional_indicators(), list(ids), field)


def _jobs(ids: list[str], dataset: str) -> None:
    st.markdown("Members, SME members, employees in member firms and jobs created count **different things** "
                "(a press claim of jobs created is not an evaluation). Lower bounds are shown as “more than X”.")
    jv, sources, arrow = _jobs_view_for(tuple(ids), dataset)
    _table(jv.table, key="cmp_jobs_table", arrow=arrow)
    csv_download(jv.csv, "compare_jobs.csv", key="dl_jobs")
    _sources_expander(jv.rows, "jobs", prepared=sources)

    st.markdown("#### Normalised views")
    field = st.selectbox("Figure to normalise", [f for f in cmp.JOB_FIELDS], index=cmp.JOB_FIELDS.index("employees_in_members"),
                         format_func=cmp.label, key="cmp_norm_field")
    nv = _norm_view_for(tuple(ids), field, dataset)
    _table(nv.table)
    csv_download(nv.data, f"compare_normalised_{field}.csv", key="dl_norm")
    st.caption("Computed: per member = value ÷ headline member count; per 100,000 inhabitants = value ÷ population of the "
               "organisation's NUTS 2 (2016) region × 100,000, population from Eurostat tgs00096 for the latest year at or "
               "before the figure's year (the year is shown). A lower bound stays a lower bound after dividing. "
               "Source: Eurostat.")
    if nv.why:
        st.caption("Could not be normalised: " + md_escape(nv.why))


# ----------------------------------------------------------------- Internationalisation
@data.shared_cache(max_entries=256)
def _intl_tables_for(ids: tuple[str, ...], dataset: str) -> tuple[cv.IntlTables, tuple[int, str]]:
    """The sourced internationalisation tables and their sources, per dataset (see _jobs_view_for)."""
    it = cv.intl_tables(_long_for(ids, dataset), data.organisations(), list(ids))
    return it, _sources_md(it.sourced.rows)


@data.shared_cache(max_entries=256)
def _index_view_for(ids: tuple[str, ...], weights: tuple[tuple[str, float], ...], min_cov: int,
                    dataset: str) -> cv.IndexView:
    """The index table and scatter of the chosen ids, per dataset: imported ids are listed, never scaled."""
    ref = _index(weights, min_cov, cv.reference_extra(data.shipped_organisations(), ids))
    return cv.index_view(ref, data.organisations(), list(ids), min_cov)


def _intl(org: pd.DataFrame, ids: list[str], dataset: str) -> None:
    business_model_view.render_intl_measures(org, ids, int(st.session_state.get(K_MINCOV, cmp.DEFAULT_MIN_COVERAGE)),
                                             len(cmp.INDEX_COMPONENTS))  # issue 14: coverage n of N per measure
    it, sources = _intl_tables_for(tuple(ids), dataset)
    _table(it.sourced.table, key="cmp_intl_table")
    _table(it.text, key="cmp_intl_text")
    csv_download(it.csv, "compare_internationalisation.csv", key="dl_intl")
    _sources_expander(it.sourced.rows, "internationalisation", prepared=sources)

    weights, min_cov = _index_controls()
    if not any(w > 0 for w in weights.values()):
        st.warning("Give at least one component a positive weight.", icon=":material/info:")
        return
    _index_section(_index_view_for(tuple(ids), tuple(sorted(weights.items())), min_cov, dataset))


def _index_controls() -> tuple[dict[str, float], int]:
    """The index's explanation, one weight slider per component and the minimum coverage (bound to the URL)."""
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
    return weights, int(min_cov)


def _index_section(iv: cv.IndexView) -> None:
    _table(iv.table, key="cmp_index_table")
    csv_download(iv.csv, "compare_intl_index.csv", key="dl_index")
    st.caption(f"Reference group for scaling: {iv.reference_size} organisations (all cluster organisations plus your selection). Partial = scored from fewer components than weighted (flagged).")
    sc = iv.scatter
    _chart_with_twin(charts.size_vs_index(sc.points, sc.x_median, sc.y_median), sc.table, "compare_size_vs_index.csv",
                     "scatter", source="Computed by Cluster Atlas from sourced member counts and internationalisation measures "
                                       "(each value's source is in the Internationalisation tables)")
    if sc.not_shown:
        st.caption("Not on the scatter (no member count or no index score): " + md_escape(", ".join(sc.not_shown)))


# ----------------------------------------------------------------- Business model
def _business(long: pd.DataFrame, bench: pd.DataFrame) -> None:
    biz = cv.sourced_table(long, cmp.FUNDING_FIELDS)
    ref = cmp.public_share_benchmark(bench)
    _table(biz.table, key="cmp_biz_table")
    csv_download(biz.csv, "compare_business_model.csv", key="dl_biz")
    refline = None
    if ref:
        refline = {"value": ref["value"], "label": f"European benchmark ≈{ref['value']:g}% ({ref['year']})"}
    pub = cv.sourced_table(long, ["funding_public_share_pct"])
    _chart_with_twin(charts.dot_plot(pub.rows, "value", "Public funding share of budget", "% of budget from public funding", refline),
                     pub.table, "compare_public_funding.csv", "pubfund", source=cmp.source_line(pub.rows))
    _sources_expander(biz.rows, "business model")
    st.markdown("#### European benchmark (from the sources)")
    if bench.empty:
        st.markdown("No European benchmark is held in the data.")
    for _, r in bench.iterrows():
        st.markdown(f"- {md_escape(r['fact'])}  \n  Source: {source_link({'title': r['title'], 'url': r['url']})}  \n"
                    f"  > {md_escape(r['quote'])}")
    csv_download(bench, "compare_funding_benchmarks.csv", key="dl_bench")


# ----------------------------------------------------------------- Regional context
def _regional(org: pd.DataFrame, ids: list[str], ind: str) -> None:
    lq = tuple(sectoral_data.org_lq_column(cv.selection_records(org, ids)))  # issue 13
    rc = _regional_context(cv.region_rows(org, ids), lq)
    _table(rc.table, key="cmp_region_table")
    csv_download(rc.data, "compare_regional_context.csv", key="dl_region")
    st.caption(md_escape(rc.lq_note))
    st.caption("Source: Eurostat (htec_emp_reg2, rd_e_gerdreg, tgs00003/tgs00096); GDP per head is computed as GDP ÷ population.")

    ts = _series(rc.regions, ind)
    meta = regional.indicator_meta(ind)
    if ts.empty:
        st.markdown(f"No {md_escape(meta['label'])} values are held for these regions.")
        return
    labels = {reg: charts.chart_label(txt, 60, 4) for reg, txt in zip(rc.regions, rc.region_members)}
    fig = charts.time_series(ts, labels, f"{meta['label']}, {int(ts['year'].min())}–{int(ts['year'].max())}", meta["unit"])
    _chart_with_twin(fig, ts, f"compare_timeseries_{ind}.csv", "ts",
                     source="Source: Eurostat. " + str(meta.get("description", "")))
    nodata = rc.without_data(ts)
    if nodata:
        st.caption("No data for: " + md_escape(", ".join(nodata)))
    st.caption("Source: Eurostat. " + md_escape(meta.get("description", "")))
