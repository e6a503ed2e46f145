"""The /data page: methods, evidence coverage, sources, downloads and import of the user's own clusters.

URL: ``tab`` ∈ methods | coverage | sources | downloads | import (invalid → notice + methods);
coverage also keeps ``types`` (row types) and ``by`` (country|sector); sources keeps ``q`` (search).
"""
from __future__ import annotations

import math
from typing import Any, Callable, MutableMapping

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from cluster_data import coverage, exports, imports, methods, paths, regional_provenance, urlstate
from cluster_data import session_imports as si
from cluster_data.schema import ROW_TYPES
from components import chart_export, data, overlay_view, replica_notice, specialisation, ui
from components.frame import Frame

TABS: dict[str, str] = {
    "methods": "Methods",
    "coverage": "Coverage",
    "sources": "Sources",
    "downloads": "Downloads",
    "import": "Import your clusters",
}
DEFAULT_TAB = "methods"
UPLOAD_LABEL = "Upload your cluster organisations (CSV or XLSX)"
CLEAR_LABEL = "Clear imported organisations"
TICK_EM = 0.6  # average width of a tick label's character (em), for the room above the heatmap
PROCESSED_KEY = si.ORGANISATIONS.processed_key  # {upload key: summary dict}
NONCE_KEY = si.ORGANISATIONS.nonce_key          # bumped by "clear" to empty the uploader
TAB_KEY = "data_tab"
LAST_TAB_KEY = "datapage_last_tab"  # plain (non-widget) key: survives visits to other pages
ZIP_NAME = "cluster_atlas_data.zip"

NUTS_NOTE = (
    "**NUTS versions.** Regions are joined on codes, never on names. Regional statistics and boundaries use "
    "**NUTS 2016** codes. The UK is in NUTS 2016 and NUTS 2021 but not in NUTS 2024, so UK regions keep their "
    "2016 codes (e.g. UKI5, Outer London – East and North East; Bexley and Greenwich is NUTS 3 UKI51, which ONS "
    "statistics call ITL3 TLI51). Each organisation's NUTS 2016 code was derived as stated in the column "
    "`nuts2_2016_method` of organisations.csv (counts below)."
)
ATTRIBUTION_MD = [
    "© EuroGeographics for the administrative boundaries (Eurostat GISCO NUTS 2016).",
    "Source: Eurostat (regional statistics; reuse with acknowledgement).",
    "ONS and GLA data: Source: Office for National Statistics / GLA London Datastore, licensed under the "
    "Open Government Licence v3.0 (OGL v3).",
    "Made with Natural Earth (public-domain country outlines).",
    "City coordinates partly from GeoNames (CC BY 4.0).",
    "Cluster facts: quoted from the public web pages listed below (© their publishers).",
]


# ------------------------------------------------------------------ import handling (cluster_data.session_imports)
handle_upload = si.add_organisations  # testable without a UI: a dict stands in for the session state


def clear_imports(state: MutableMapping) -> None:
    """Remove this session's imported organisations and empty the uploader."""
    si.clear(state, si.ORGANISATIONS)


problems_table = si.problems_table


# ------------------------------------------------------------------ figure builders (no st calls)
def coverage_heatmap(table: pd.DataFrame, by: str, present: bool = False, source: str = "") -> go.Figure:
    """Heatmap: colour = % of the group's organisations with a sourced value, text = count; its title and
    ``source`` line in the image (issue 17, point 13)."""
    flds = [c for c in table.columns if c != coverage.TOTAL_COL]
    n = table[coverage.TOTAL_COL].to_numpy()
    counts = table[flds].to_numpy()
    share = counts / n[:, None] * 100.0
    ylab = [f"{coverage.group_label(by, g)} (n={int(k)})" for g, k in zip(table.index, n)]
    xlab = [coverage.field_label(f) for f in flds]
    fig = go.Figure(go.Heatmap(
        z=share.round(1).tolist(), x=xlab, y=ylab, text=counts.astype(int).tolist(), texttemplate="%{text}", zmin=0, zmax=100,
        colorscale="Blues", colorbar=dict(title=dict(text="% with a<br>sourced value")),
        customdata=[[int(k)] * len(flds) for k in n],
        hovertemplate="%{y}<br>%{x}: %{text} of %{customdata} organisations have a sourced value (%{z:.0f}%)<extra></extra>",
        xgap=1, ygap=1,
    ))
    size = 18 if present else 12
    # the field names stand above the plot at -35°: keep room for the longest under the source line
    ticks = math.ceil(TICK_EM * size * max((len(x) for x in xlab), default=1) * math.sin(math.radians(35)) + size)
    fig.update_layout(
        title={"text": f"Organisations with a sourced value, by {coverage.DIMENSIONS[by][1].lower()}",
               "font": {"size": size + 4}},
        height=max(320, 90 + 26 * len(ylab)), margin=dict(l=10, r=10, t=30, b=10),
        font=dict(size=size), xaxis=dict(side="top", tickangle=-35), yaxis=dict(autorange="reversed"),
    )
    return chart_export.with_source(fig, source, size=max(11, size - 2), keep=ticks)


# ------------------------------------------------------------------ cached bytes
def _shipped_table(name: str) -> pd.DataFrame:
    loaders: dict[str, Callable[[], pd.DataFrame]] = {
        "organisations.csv": data.shipped_organisations, "facts.csv": data.facts, "sources.csv": data.sources,
        "regional_indicators.csv": data.regional_indicators, "indicators.csv": lambda: data._table("indicators.csv"),
        "regions.csv": data.regions, "case_studies.csv": data.case_studies,
    }
    return loaders[name]()


def _shipped_tables() -> dict[str, pd.DataFrame]:
    return {n: _shipped_table(n) for n in exports.DATASETS}


@data.shared_cache
def _cached_shipped_csv(name: str, data_dir: str) -> bytes:
    return exports.csv_bytes(exports.export_tables({name: _shipped_table(name)})[name])


def _shipped_csv(name: str) -> bytes:
    # the data directory is part of the cache key (as in components.data)
    return _cached_shipped_csv(name, str(paths.data_dir()))


@data.shared_cache
def _template(kind: str) -> bytes:
    return imports.template_xlsx_bytes() if kind == "xlsx" else imports.template_csv_bytes()


# ------------------------------------------------------------------ page
def render(fr: Frame) -> None:
    # Back on /data without a tab in the link (e.g. via the sidebar): reopen the tab used last in this session.
    if TAB_KEY not in st.session_state and "tab" not in st.query_params and st.session_state.get(LAST_TAB_KEY) in TABS:
        st.session_state[TAB_KEY] = st.session_state[LAST_TAB_KEY]
    ui.seed_params([urlstate.choice("tab", TAB_KEY, list(TABS), DEFAULT_TAB, "tab")], fr.notify)
    if st.session_state.get(TAB_KEY) not in TABS:
        st.session_state[TAB_KEY] = DEFAULT_TAB
    tab = st.segmented_control("Section", options=list(TABS), format_func=lambda k: TABS.get(k, k),
                               key=TAB_KEY, required=True, label_visibility="collapsed") or DEFAULT_TAB
    st.session_state[LAST_TAB_KEY] = tab
    ui.write_url({"tab": None if tab == DEFAULT_TAB else tab})

    imp = data.imported()
    if imp is not None:
        st.markdown(f":orange-badge[Imported] **{len(imp)} imported** organisation(s) in this browser session "
                    "(not checked by Cluster Atlas; never saved). Manage them under *Import your clusters*.")

    {"methods": _methods, "coverage": _coverage, "sources": _sources,
     "downloads": _downloads, "import": _import}[tab](fr)
    if tab == "import":
        overlay_view.render(fr)  # issue 14: fill an existing organisation's gaps (session-only overlay)
    elif tab == "coverage":
        overlay_view.coverage_by_organisation()  # issue 14: per organisation × field, what is sourced


def _methods(fr: Frame) -> None:
    st.markdown("How every computed number in the app is made. Each heading has a fixed link "
                "(`/data?tab=methods`, then the heading's anchor) that other pages point to.")
    st.markdown("  \n".join(f"- [{m['title']}](#{m['key']})" for m in methods.METHODS))
    for m in methods.METHODS:
        st.subheader(m["title"], anchor=m["key"])
        st.markdown(m["summary"])
        for f in m["formulas"]:
            st.latex(f)
        if m["points"]:
            st.markdown("\n".join(f"- {p}" for p in m["points"]))
        st.caption(f"In the code: `{m['code']}`")


def _coverage(fr: Frame) -> None:
    org = data.organisations()
    present_types = [t for t in ROW_TYPES if t in set(org["row_type"])]
    params = (urlstate.listing("types", "data_cov_types", present_types, "row type", default=["cluster_org"]),
              urlstate.choice("by", "data_cov_by", list(coverage.DIMENSIONS), "country", "by"))
    ui.seed_params(params, fr.notify)
    kept = st.session_state.get("data_cov_types")
    if isinstance(kept, list) and any(t not in present_types for t in kept):  # e.g. imports were cleared
        st.session_state["data_cov_types"] = [t for t in kept if t in present_types] or ["cluster_org"]
    st.markdown("How many organisations have a **sourced value** for each field. A count of 0 means no source "
                "gives that figure for any organisation in the group — the evidence is thin there.")
    c1, c2 = st.columns([3, 1])
    with c1:
        types = st.multiselect("Row types", present_types, key="data_cov_types",
                               format_func=lambda t: ROW_TYPES.get(t, t))
    with c2:
        by = st.segmented_control("Group by", list(coverage.DIMENSIONS), key="data_cov_by", required=True,
                                  format_func=lambda k: coverage.DIMENSIONS[k][1]) or "country"
    ui.write_url(ui.url_values(params))
    if not types:
        st.info("Choose at least one row type to see coverage.")
        return
    rows = coverage.filter_rows(org, types)
    summary = coverage.coverage_summary(org, types)
    st.markdown(f"**{len(rows)} organisations** selected ({', '.join(ROW_TYPES.get(t, t) for t in types)}).")
    st.dataframe(
        summary.drop(columns=["field"]).rename(columns={"label": "Field", "with_value": "With a sourced value",
                                                        "organisations": "Organisations", "share_pct": "Share"}),
        hide_index=True, width="stretch", height=36 * (len(summary) + 1) + 4,
        column_config={"Share": st.column_config.ProgressColumn("Share (%)", min_value=0, max_value=100, format="%.0f%%")},
    )
    table = coverage.coverage_by(org, by, types)
    label = coverage.DIMENSIONS[by][1].lower()
    st.subheader(f"Coverage by {label}")
    fig = coverage_heatmap(table, by, fr.present, coverage.chart_source(rows))
    # the camera button is offered: a policy maker saves this picture of where the evidence is thin
    st.plotly_chart(fig, config=chart_export.config(f"coverage_by_{by}", fig.layout.height), key="cov_heatmap")
    st.caption("Numbers are counts of organisations with a sourced value; colour is that count as a share of the "
               f"{label}'s organisations (n). Table version below.")
    twin = table.rename(columns={c: coverage.field_label(c) for c in table.columns if c != coverage.TOTAL_COL}
                        | {coverage.TOTAL_COL: "Organisations"})
    twin.index = [coverage.group_label(by, g) for g in twin.index]
    twin.index.name = coverage.DIMENSIONS[by][1]
    st.dataframe(twin, width="stretch", key="cov_table")
    ui.csv_download(table.reset_index(), f"coverage_by_{by}.csv", "Download this table (CSV)", key="dl_cov")


def _sources(fr: Frame) -> None:
    src = data.sources()
    imp = data.imported()
    table = src if imp is None else pd.concat([src.assign(imported=False), exports.imported_source_rows(imp)],
                                              ignore_index=True)
    try:
        m = data.manifest()
    except data.DataFileError as exc:
        m = {}
        st.caption(str(exc))
    v = m.get("vintage", {})
    if v:
        st.markdown(f"**Data vintage.** Cluster sources up to: {ui.md_escape(v.get('cluster_sources_latest', 'unknown'))}. "
                    f"Regional statistics: {ui.md_escape(v.get('regional_years', 'unknown'))}.")
    ui.seed_params([urlstate.text("q", "data_src_q")], fr.notify)
    q = st.text_input("Search sources (title, publisher, kind, licence or id)", key="data_src_q")
    ui.write_url({"q": q.strip() or None})
    view = table
    if q.strip():
        needle = q.strip().lower()
        hay = table[["source_id", "title", "publisher", "kind", "licence", "url"]].fillna("").astype(str).agg(" ".join, axis=1)
        view = table[hay.str.lower().str.contains(needle, regex=False)]
    regional_sources_table(src)
    st.caption(f"{len(view):,} of {len(table):,} sources shown.")
    cols = ["source_id", "title", "publisher", "date", "url", "kind", "licence"] + (["imported"] if "imported" in view else [])
    cols += [c for c in ("retrieved_via", "newest_year") if c in view.columns]
    if "newest_year" in view.columns:  # a year is an integer, never "2016.0" (missing stays missing)
        view = view.assign(newest_year=pd.to_numeric(view["newest_year"], errors="coerce").astype("Int64"))
    st.dataframe(
        view[cols], hide_index=True, width="stretch", key="sources_table",
        column_config={
            "source_id": st.column_config.TextColumn("Id"), "title": st.column_config.TextColumn("Title", width="large"),
            "publisher": "Publisher", "date": "Date", "url": st.column_config.LinkColumn("Link", display_text=r"https?://(?:www\.)?([^/?#]+)"),
            "kind": "Kind", "licence": st.column_config.TextColumn("Licence / attribution"),
            "retrieved_via": st.column_config.TextColumn("Retrieved via"),
            "newest_year": st.column_config.NumberColumn("Newest year", format="%d"),
        },
    )
    st.markdown(NUTS_NOTE)
    org = data.shipped_organisations()
    if "nuts2_2016_method" in org:
        counts = org["nuts2_2016_method"].fillna("unknown").value_counts().rename_axis("How the NUTS 2016 code was derived")
        st.dataframe(counts.rename("Organisations").reset_index(), hide_index=True)
    st.markdown("**Attributions**\n\n" + "\n".join(f"- {a}" for a in ATTRIBUTION_MD))


def _downloads(fr: Frame) -> None:
    imp = data.imported()
    st.markdown("Every dataset behind the app, as CSV (UTF-8 with BOM, opens in Excel). Cells that a spreadsheet "
                "could run as a formula are neutralised with a leading apostrophe. An empty cell means *no source* "
                "(not zero).")
    if imp is not None:
        st.markdown(f"Your **{len(imp)} imported** organisation(s) are included in organisations, facts and sources "
                    "with `imported = True` and their stated source, and on their own in "
                    f"`{exports.IMPORTED_FILE}` (upload it again to restore them).")
    merged: dict[str, pd.DataFrame] = {}
    if imp is not None:
        merged = exports.export_tables({n: _shipped_table(n) for n in ("organisations.csv", "facts.csv", "sources.csv")}, imp)
    names = list(exports.DATASETS) + ([exports.IMPORTED_FILE] if imp is not None else [])
    for name in names:
        c1, c2 = st.columns([1, 3])
        if name in merged:
            df = merged[name]
            payload = exports.csv_bytes(df)
            n = len(df)
        else:
            payload = _shipped_csv(name)
            n = len(_shipped_table(name))
        desc = exports.DATASETS.get(name, "Organisations you imported, in the upload-template format.")
        with c1:
            st.download_button(name, data=payload, file_name=name, mime="text/csv", key=f"dl_{name}",
                               icon=":material/download:", on_click="ignore", width="stretch")
        with c2:
            st.caption(f"{n:,} rows. {desc}")
    specialisation.lq_download()  # issue 13: sector × region LQs
    shipped = _shipped_tables()
    try:
        manifest = data.manifest()
    except data.DataFileError:
        manifest = {}

    def make_zip() -> bytes:
        tables = exports.export_tables(shipped, imp)
        return exports.zip_bytes(tables, exports.readme_text(tables, manifest, 0 if imp is None else len(imp)))

    st.download_button("All datasets (ZIP with README)", data=make_zip, file_name=ZIP_NAME, mime="application/zip",
                       key="dl_zip", icon=":material/folder_zip:", on_click="ignore", type="primary")
    st.caption("The ZIP holds every file above plus README.txt (contents, conventions, vintage and attributions).")


def _import(fr: Frame) -> None:
    st.markdown(
        "Add your own cluster organisations to the atlas and comparisons **for this browser session only**. "
        "Nothing is uploaded anywhere or saved: close the tab and they are gone; the app's own data are never changed. "
        "Each row needs an id, name, two-letter country code, latitude/longitude inside Europe and the title of the "
        "source you took it from. Rows with a problem are listed and left out; the other rows are added."
    )
    replica_notice.render(data.imported())  # what a lost server means for imports, and a backup
    c1, c2 = st.columns(2)
    with c1:
        st.download_button("Template (CSV)", data=_template("csv"), file_name="cluster_import_template.csv",
                           mime="text/csv", key="dl_tpl_csv", icon=":material/download:", on_click="ignore")
    with c2:
        st.download_button("Template (Excel .xlsx)", data=_template("xlsx"), file_name="cluster_import_template.xlsx",
                           mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                           key="dl_tpl_xlsx", icon=":material/download:", on_click="ignore")
    nonce = int(st.session_state.get(NONCE_KEY, 0) or 0)
    up = st.file_uploader(UPLOAD_LABEL, type=["csv", "xlsx"], key=f"data_upload_{nonce}",
                          help=f"At most {imports.MAX_ROWS:,} rows and {imports.MAX_BYTES // 1_000_000} MB.")
    if up is not None:
        content = up.getvalue()
        fid = getattr(up, "file_id", None)
        fresh = si.is_new(st.session_state, si.ORGANISATIONS, up.name, content, fid)
        summary = handle_upload(up.name, content, st.session_state,
                                data.shipped_organisations()["id"].astype(str), fid)
        if fresh and summary["added"]:
            st.rerun()  # so the sidebar badge (drawn before this body) shows the new imports at once
        _show_summary(summary)
    imp = data.imported()
    st.subheader("Imported organisations")
    if imp is None:
        st.caption("None yet in this session.")
        return
    st.markdown(f"**{len(imp)} imported** organisation(s) appear on every page, marked *Imported*.")
    cols = [c for c in imports.TEMPLATE_COLUMNS if c in imp.columns]
    st.dataframe(imp[cols], hide_index=True, width="stretch", key="imported_table",
                 column_config={"source_url": st.column_config.LinkColumn("source_url")})
    b1, b2, b3 = st.columns(3)
    with b1:
        fr.page_link("atlas", "See them on the atlas", {"types": "cluster_org,imported_org"}, icon=":material/map:")
    with b2:
        ids = imp["id"].astype(str).tolist()[:8]
        if len(ids) >= 2:
            fr.page_link("compare", "Compare them", {"ids": ",".join(ids)}, icon=":material/compare_arrows:")
    with b3:
        st.button(CLEAR_LABEL, key="clear_imports", on_click=clear_imports, args=(st.session_state,),
                  icon=":material/delete:")


def _show_summary(s: dict[str, Any]) -> None:
    name = ui.md_escape(s["file"])
    added, skipped, probs = s["added"], s["skipped"], s["problems"]
    if added:
        names = s.get("added_names") or added
        listed = ", ".join(ui.md_escape(n) for n in names[:10]) + (" …" if len(names) > 10 else "")
        st.success(f"Added {len(added)} organisation(s) from {name}: {listed}.", icon=":material/check_circle:")
    if skipped:
        st.info(f"{len(skipped)} row(s) skipped because their id was already imported this session: "
                + ui.md_escape(", ".join(skipped[:10])) + (" …" if len(skipped) > 10 else ""))
    for note in s["notes"]:
        st.info(ui.md_escape(note))
    if probs:
        rows_with = {r for r, _, _ in probs if r is not None}
        head = (f"{len(probs)} problem(s) in {name}" + (f" on {len(rows_with)} row(s); those rows were left out." if rows_with
                                                        else "; nothing could be imported."))
        shown = [f"- {ui.md_escape(m)}" for _, _, m in probs[:5]]
        more = f"\n\n…and {len(probs) - 5} more in the table below." if len(probs) > 5 else ""
        st.warning(head + "\n\n" + "\n".join(shown) + more, icon=":material/report:")
        st.dataframe(problems_table(probs), hide_index=True, width="stretch", key="import_problems",
                     column_config={"Problem": st.column_config.TextColumn("Problem", width="large")})
    elif not added and not skipped:
        st.info(f"{name} has no rows to import.")


def regional_sources_table(src: pd.DataFrame) -> None:
    """The regional statistics' sources: the producer's table, the repository it was retrieved via, and
    the newest year each table holds (cluster_data.regional_provenance)."""
    rows = regional_provenance.regional_sources(src)
    if not rows:
        return
    st.markdown("**Regional statistics and boundaries.** Each is cited by the producer's table; the "
                "repository snapshot the file was taken from is given as *retrieved via*.")
    lines = ["| Source | Newest year | Retrieved via |", "| --- | --- | --- |"]
    for r in rows:
        lines.append(f"| {ui.md_escape(r.source)} | {r.newest_year or '—'} | {ui.md_escape(r.retrieved_via)} |")
    st.markdown("\n".join(lines))
