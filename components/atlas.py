"""/atlas: an offline map of Europe's clusters and regions, with sourced profiles.

State lives in the URL: sector, country, esca, types, min_size, size_by, q, ind, year, org.
"""
from __future__ import annotations

import pandas as pd
import pyarrow as pa
import streamlit as st

from cluster_data import atlas, atlas_table, display, map_image, regional, regional_provenance, urlstate
from cluster_data.safety import safe_csv_bytes
from cluster_data import countries as countries_tbl
from cluster_data.schema import ESCA_LABELS, FOCUS_REGIONS, ROW_TYPES, SECTOR_COLOURS, SECTORS
from components import data, evidence_view, maps, specialisation, ui
from components.frame import Frame

NO_LAYER = "none"


def _region_layer(ind: str, year: int) -> tuple[dict, list[float], list[dict], str]:
    return _cached_region_layer(ind, year, data._dir())


@data.shared_cache(protect=False, max_entries=32)
def _cached_region_layer(ind: str, year: int, data_dir: str) -> tuple[dict, list[float], list[dict], str]:
    meta = regional.indicator_meta(ind)
    vals = data.nuts2_values(ind, year)
    fmt = lambda v: atlas.indicator_text(ind, meta["unit"], v)  # noqa: E731 - one display rule (display.py)
    fc, breaks = maps.region_features(data.geojson("nuts2_2016.geojson"), vals, meta["label"], "" if "lq" in ind else meta["unit"], fmt)
    legend = atlas.legend_classes(breaks, vals["value"])
    denom = regional.lq_reference(data.regional_indicators(), ind, year)[1] if ind in regional.DERIVED_INDICATORS else ""
    return fc, breaks, legend, denom


def _focus_layer() -> dict:
    return _cached_focus_layer(data._dir())


@data.shared_cache(protect=False)
def _cached_focus_layer(data_dir: str) -> dict:
    return maps.focus_features(data.geojson("nuts2_2016.geojson"), data.geojson("nuts3_2016_uk_dk_es.geojson"))


@data.shared_cache(protect=False, max_entries=64)
def _cached_deck_json(key: tuple, dataset: str) -> str:
    """The whole map spec for one view (filters, layer, year, selection) of one dataset (data.dataset_key():
    the shipped rows plus this session's imported ones): one cached path for both."""
    sectors, countries, esca, types, min_size, size_by, q, ind, year, selected = key
    f = atlas.AtlasFilters(list(sectors), list(countries), list(esca), list(types), min_size, size_by, q)
    return _build_deck(atlas.filter_orgs(data.organisations(), f, _q_countries(q)), size_by, ind, year, selected).to_json()


def _build_deck(shown: pd.DataFrame, size_by: str, ind: str, year: int | None, selected: str | None):
    # issue 17 (9): size on the whole dataset's scale; the view fits the organisations shown
    points = maps.point_records(shown, size_by, atlas.SIZE_MEASURES[size_by],
                                scale_max=atlas.radius_scale_max(data.organisations(), size_by))
    region_fc = None
    if specialisation.is_layer(ind) and year is not None:  # issue 13: the SBS specialisation layer
        region_fc = specialisation.features(ind, int(year))
    elif ind != NO_LAYER and year is not None:
        region_fc = _region_layer(ind, int(year))[0]
    return maps.atlas_deck(data.geojson("countries.geojson"), region_fc, _focus_layer(), points, selected=selected,
                           land_fc=_outlines()["land"], borders=_outlines()["borders"], focus_lines=_outlines()["focus"],
                           view=atlas.fit_view([p["lat"] for p in points], [p["lon"] for p in points]))


@data.shared_cache(protect=False)
def _cached_outlines(data_dir: str) -> dict:
    land = maps.land(data.geojson("countries.geojson"))
    return {"land": land, "borders": atlas.outline_segments(land),
            "focus": atlas.outline_segments(_focus_layer(), keep=("id",))}


def _outlines() -> dict:
    """Country borders and focus-region outlines as line segments (read-only, shared)."""
    return _cached_outlines(data._dir())


def _deck(f: atlas.AtlasFilters, ind: str, year: int | None, selected: str | None):
    key = (tuple(f.sectors), tuple(f.countries), tuple(f.esca), tuple(f.types), f.min_size, f.size_by, f.q,
           ind, year, selected)
    return _prebuilt_deck(key, data.dataset_key())


@data.shared_cache(protect=False, max_entries=64)
def _prebuilt_deck(key: tuple, dataset: str) -> maps.PrebuiltDeck:
    """The map object itself, shared read-only: st.pydeck_chart only reads its prebuilt JSON and tooltip
    (building a pydeck Deck cost ~5 ms a rerun)."""
    return maps.PrebuiltDeck(_cached_deck_json(key, dataset))


@data.shared_cache
def _country_table() -> dict:
    """ISO code -> countries.Country, from the shipped Natural Earth and NUTS 0 geometry (read-only)."""
    return countries_tbl.country_table(data.geojson("countries.geojson"), data.geojson("nuts0_2016.geojson"))


@data.shared_cache
def _country_labels(codes: tuple[str, ...], data_dir: str) -> dict:
    """Each country option's label ('United Kingdom (GB, UK)'): built once, not per option per rerun."""
    table = _country_table()
    return {c: countries_tbl.search_label(c, table) for c in codes}


@data.shared_cache(max_entries=64)
def _available_years(ind: str, data_dir: str) -> list[int]:
    return regional.available_years(data.regional_indicators(), ind)


@data.shared_cache(max_entries=64)
def _citation(source_id: str, data_dir: str) -> str | None:
    return regional_provenance.citation_for(data.sources(), source_id)


def _q_countries(q: str) -> tuple[str, ...]:
    """Countries the search text names ('Denmark', 'UK', 'United Kingdom')."""
    return tuple(countries_tbl.matching(q or "", _country_table()))


def _parse_countries(raw, codes: list[str]):
    """The country filter from a link: codes or names ('country=United Kingdom,DK')."""
    if raw is None:
        return urlstate.parse_list(raw, codes, "country")
    items = raw if isinstance(raw, (list, tuple)) else [raw]
    parts = [p.strip() for it in items for p in str(it)[:2000].split(",") if p.strip()]
    mapped = [countries_tbl.resolve(p, _country_table()) or p for p in parts]
    return urlstate.parse_list(mapped, codes, "country")


def _ind_options() -> list[str]:
    return [NO_LAYER] + regional.MAP_INDICATORS + [specialisation.IND]


def _ind_label(ind: str) -> str:
    if ind == specialisation.IND:
        return specialisation.LABEL
    return "No regional layer" if ind == NO_LAYER else regional.indicator_meta(ind)["label"]


def _params(countries: list[str]) -> tuple[urlstate.Param, ...]:
    """The atlas's filters in the URL: each query key, its widget, how a link's value is read, its default."""
    return (
        urlstate.listing("sector", "f_sector", list(SECTORS), "sector"),
        urlstate.Param("country", "f_country", lambda raw: _parse_countries(raw, countries), []),
        urlstate.listing("esca", "f_esca", ESCA_LABELS, "ESCA label"),
        urlstate.listing("types", "f_types", list(ROW_TYPES), "row type", default=["cluster_org"]),
        urlstate.integer("min_size", "f_min", 0, 0, 1_000_000, "minimum size"),
        urlstate.choice("size_by", "f_size_by", list(atlas.SIZE_MEASURES), "members_total", "point size"),
        urlstate.text("q", "f_q"),
        urlstate.choice("ind", "f_ind", _ind_options(), "htec_kis_share", "regional indicator"),
    )


def _filters(fr: Frame, countries: list[str], params) -> tuple[atlas.AtlasFilters, str, int | None]:
    ui.seed_params(params, fr.notify)
    with st.container(border=True):
        c1, c2, c3, c4 = st.columns([3, 2, 2, 2])
        c1.multiselect("Sector", list(SECTORS), format_func=SECTORS.get, key="f_sector", placeholder="All sectors")
        c2.multiselect("Country", countries, key="f_country", placeholder="All countries", filter_mode="contains",
                       format_func=_country_labels(tuple(countries), data._dir()).get,
                       help="Type a country's name or code (United Kingdom, UK, GB; Denmark, DK).")
        c3.multiselect("ESCA label", ESCA_LABELS, format_func=str.capitalize, key="f_esca", placeholder="Any or none")
        c4.multiselect("Row type", list(ROW_TYPES), format_func=ROW_TYPES.get, key="f_types",
                       help="Cluster organisations by default. Programmes, testbeds, places and regional aggregates are different things and are never ranked together.")
        d1, d2, d3, d4 = st.columns([3, 2, 2, 2])
        d1.text_input("Search name, city or country", key="f_q", max_chars=80)
        d2.selectbox("Point size", list(atlas.SIZE_MEASURES), format_func=atlas.SIZE_MEASURES.get, key="f_size_by")
        d3.number_input("Minimum size", min_value=0, max_value=1_000_000, step=10, key="f_min",
                        help="Only organisations whose size measure is sourced and at least this large. 0 = no minimum (unknown sizes included).")
        d4.selectbox("Regional layer (NUTS 2)", _ind_options(), format_func=_ind_label, key="f_ind")

    ind = st.session_state["f_ind"]
    year = None
    if ind == specialisation.IND:
        ind, year = specialisation.controls(fr)
    elif ind != NO_LAYER:
        years = _available_years(ind, data._dir())
        if years:
            if "f_year" not in st.session_state or st.session_state["f_year"] not in years:
                raw = st.query_params.get("year")
                y, notice = urlstate.parse_int(raw, years[-1], years[0], years[-1], "year")
                if y not in years:
                    y = years[-1]
                st.session_state["f_year"] = y
                fr.notify(notice)
            if len(years) > 1:
                st.select_slider("Year of the regional statistics", options=years, key="f_year")
            year = st.session_state["f_year"]
    f = atlas.AtlasFilters(
        sectors=st.session_state["f_sector"], countries=st.session_state["f_country"], esca=st.session_state["f_esca"],
        types=st.session_state["f_types"], min_size=int(st.session_state["f_min"] or 0),
        size_by=st.session_state["f_size_by"], q=st.session_state["f_q"] or "",
    )
    return f, ind, year


def _legend(ind: str, year: int | None, legend: list[dict], denom: str) -> None:
    sw = "".join(
        f'<span style="display:inline-flex;align-items:center;margin-right:10px">'
        f'<span style="width:12px;height:12px;border-radius:50%;background:rgb{SECTOR_COLOURS[k]};display:inline-block;margin-right:4px"></span>{v}</span>'
        for k, v in SECTORS.items())
    # sector labels and colours are constants of the code, not data: safe to render as HTML
    st.html(f'<div style="font-size:0.85rem;line-height:1.8">{sw}'
            f'<span style="margin-left:6px">○ {atlas.HOLLOW_NOTE}</span>'
            f'<span style="margin-left:10px;border:2px solid rgb(200,0,110);padding:0 4px">focus regions</span></div>')
    if specialisation.is_layer(ind) and year is not None:
        specialisation.legend(ind, year)
    elif ind != NO_LAYER and legend:
        meta = regional.indicator_meta(ind)
        cells = "".join(
            f'<span style="display:inline-flex;align-items:center;margin-right:8px">'
            f'<span style="width:18px;height:12px;background:rgb{tuple(c["colour"])};border:1px solid #999;margin-right:4px"></span>'
            f'{atlas.indicator_text(ind, meta["unit"], c["from"])}–{atlas.indicator_text(ind, meta["unit"], c["to"])}</span>'
            for c in legend)
        cells += ('<span style="display:inline-flex;align-items:center"><span style="width:18px;height:12px;'
                  'background:rgb(215,215,215);border:1px solid #999;margin-right:4px"></span>no data</span>')
        st.html(f'<div style="font-size:0.85rem"><b>{meta["label"]}</b> ({meta["unit"]}), {year}: {cells}</div>')
        _layer_source(meta["source_id"])
        if denom:
            st.caption(f"Location quotient denominator: {denom}. {regional.indicator_meta(ind)['description']}")


def _layer_source(source_id: str) -> None:
    """The regional layer's producer table, newest year and the repository it was retrieved via."""
    line = _citation(source_id, data._dir())
    if line:
        st.caption(ui.md_escape(line))


def render(fr: Frame) -> None:
    org = data.organisations()
    countries = sorted(org["country"].dropna().unique())
    params = _params(countries)  # declared once per run: seeded here, written back below
    f, ind, year = _filters(fr, countries, params)
    shown = atlas.filter_orgs(org, f, _q_countries(f.q))

    ui.seed_from_url("atlas_org", lambda raw: _parse_org(raw, org), fr.notify, "org")

    legend, denom = [], ""
    if ind != NO_LAYER and year is not None and not specialisation.is_layer(ind):
        _, _, legend, denom = _region_layer(ind, int(year))
    deck = _deck(f, ind, year, st.session_state.get("atlas_org") or None)
    n_unplaced = int(shown[["lat", "lon"]].isna().any(axis=1).sum())
    st.markdown(f"**{len(shown)}** organisations match the filters" +
                (f" ({n_unplaced} without coordinates are listed in the table but not drawn)" if n_unplaced else "") + ".")
    event = st.pydeck_chart(deck, height=560 if not fr.present else 520, on_select="rerun",
                            selection_mode="single-object", key="atlas_map")
    _legend(ind, year, legend, denom)
    st.caption("© EuroGeographics for the administrative boundaries · Made with Natural Earth · Source: Eurostat (regional statistics). "
               "Click a point for its profile, or choose one below. Points use a colour-blind-safe palette (Okabe–Ito).")
    if len(shown) - n_unplaced > maps.POINT_DETAIL_MAX:  # issue 17 (16): the map stays small at scale
        st.caption(f"With more than {display.fmt_int(maps.POINT_DETAIL_MAX)} organisations on the map, hovering shows "
                   "names only; the table below and each profile give the details. Narrow the filters for more.")

    _map_download(shown, f.size_by, ind, year, legend)  # issue 17 (13): the map as an image
    picked = _picked(event)
    if picked and picked != st.session_state.get("atlas_org"):
        st.session_state["atlas_org"] = picked
        st.rerun()

    ids = [""] + shown["id"].tolist()[:atlas.LIST_MAX]  # a longer filter result: narrow it (the note under the table)
    cur = st.session_state.get("atlas_org") or ""
    if cur and cur not in ids:
        ids.append(cur)
    names = dict(zip(org["id"], org["name"]))
    st.selectbox("Open a profile", ids, key="atlas_org",
                 format_func=lambda i: "— choose an organisation —" if not i else str(names.get(i, i)))

    ui.write_url({**ui.url_values(params), "year": year,
                  "org": st.session_state.get("atlas_org") or None, **specialisation.url_params(ind)})

    sel = st.session_state.get("atlas_org")
    if sel:
        _profile(fr, org, sel)

    evidence_view.not_on_map(shown)  # issue 14: no sourced seat → listed, never placed by guess
    _table(shown, f.size_by)
    if specialisation.is_layer(ind) and year is not None:
        specialisation.table(ind, int(year))


MAP_SOURCE = ("© EuroGeographics for the administrative boundaries · Made with Natural Earth · Source: Eurostat "
              "(regional statistics); organisations: sourced values in Cluster Atlas")


def _map_download(shown: pd.DataFrame, size_by: str, ind: str, year: int | None, legend: list[dict]) -> None:
    """A static PNG of the same layers (cluster_data.map_image), drawn only when the button is clicked.

    deck.gl's canvas cannot be saved from Streamlit 1.67's chart, so the image is drawn server-side from the
    same geometry and point records; everything it needs is captured here (the callable runs off-script)."""
    countries_fc = data.geojson("countries.geojson")
    if specialisation.is_layer(ind) and year is not None:  # issue 13: the SBS layer builds its own parts
        spec_fc, spec_title, spec_legend = specialisation.map_image_parts(ind, int(year))
        ind = NO_LAYER
    else:
        spec_fc, spec_title, spec_legend = None, "", ()
    region_fc = _region_layer(ind, int(year))[0] if ind != NO_LAYER and year is not None else None
    scale_max = atlas.radius_scale_max(data.organisations(), size_by)
    frame = shown.copy(deep=False)
    keys = [f"{atlas.indicator_text(ind, regional.indicator_meta(ind)['unit'], c['from'])} to "
            f"{atlas.indicator_text(ind, regional.indicator_meta(ind)['unit'], c['to'])}" for c in legend] if legend else []
    meta = map_image.MapImage(
        title=f"{len(shown)} organisations matching the filters · Cluster Atlas",
        subtitle=spec_title + (f"{regional.indicator_meta(ind)['label']} ({regional.indicator_meta(ind)['unit']}), {year}, NUTS 2 regions; "
                  if region_fc else "") + f"points sized by {atlas.SIZE_MEASURES[size_by].lower()} ({atlas.HOLLOW_NOTE})",
        source=MAP_SOURCE,
        legend=spec_legend + tuple((tuple(c["colour"]), k) for c, k in zip(legend, keys))
        + tuple((SECTOR_COLOURS[s], lbl) for s, lbl in SECTORS.items()))

    def png() -> bytes:
        pts = maps.point_records(frame, size_by, atlas.SIZE_MEASURES[size_by], scale_max=scale_max)
        return map_image.render_png(countries_fc, spec_fc() if spec_fc else region_fc, pts, meta)

    st.download_button("Download the map as an image (PNG)", data=png, file_name="cluster_atlas_map.png",
                       mime="image/png", key="atlas_map_png", icon=":material/image:", on_click="ignore",
                       help="A 1,800 × 1,200 px picture of these layers and points, with legend and sources, "
                            "drawn on this computer (the interactive map itself cannot be saved as an image).")


def _parse_org(raw, org: pd.DataFrame):
    t = urlstate.parse_text(raw, 120)
    if not t:
        return "", None
    if t in set(org["id"]):
        return t, None
    return "", f"Ignored unknown organisation '{urlstate.short(t)}' in the link."


def _picked(event) -> str | None:
    try:
        objs = [o for lyr in maps.POINT_LAYERS for o in (event.selection.objects.get(lyr) or [])]  # type: ignore[union-attr]
        if objs:
            return objs[0].get("id")
    except AttributeError:
        return None
    return None


def _profile(fr: Frame, org: pd.DataFrame, org_id: str) -> None:
    row = org[org["id"] == org_id]
    if row.empty:
        return
    r = row.iloc[0]
    with st.container(border=True):
        st.subheader(str(r["name"]))
        meta = [ROW_TYPES.get(r["row_type"], r["row_type"]), SECTORS.get(r["sector"], r["sector"]),
                f"{r['city'] if pd.notna(r.get('city')) else 'city unknown'}, {r['country']}"]
        if pd.notna(r.get("nuts2_2016")):
            meta.append(f"NUTS 2016 region {r['nuts2_2016']}" + (f" / {r['nuts3_2016']}" if pd.notna(r.get("nuts3_2016")) else ""))
        st.markdown(" · ".join(ui.md_escape(m) for m in meta))
        if r.get("imported") == True:  # noqa: E712 - numpy bools are not `is True`
            st.markdown(f":orange-badge[Imported] Your data, this session only. Source you gave: "
                        f"{ui.md_escape(r.get('import_source_title'))} {ui.md_escape(r.get('import_source_url') or '')}")
            return
        if r["row_type"] in ("seed_aggregate", "prospective"):
            st.info("This row is not a cluster organisation: it records a claim or a prospective cluster, so it is never ranked with organisations.",
                    icon=":material/info:")
        if isinstance(r.get("website"), str) and r["website"]:
            st.caption(f"Website: {ui.md_escape(r['website'])}")
        prof = _profile_content(org_id, data._dir())
        known, ctx_rows, ids = prof.known, prof.context, prof.compare_ids
        cols = st.columns(2)
        for i, (fld, ev) in enumerate(known):
            with cols[i % 2]:
                ui.evidence_block(ev, fld)
        evidence_view.profile_gaps(fr, r)  # more sourced facts, imported values, unknown fields, the gap file
        note = r.get("note")
        if isinstance(note, str) and note:
            with st.expander("Editor's notes on this organisation's data"):
                st.markdown(ui.md_escape(note))

        st.markdown("**Regional context** (NUTS 2 region " + ui.md_escape(r.get("nuts2_2016") or "unknown") + ")")
        st.dataframe(ctx_rows, hide_index=True, width="stretch")
        if len(ids) >= 2:
            fr.page_link("compare", label="Compare it with the largest same-sector peers", params={"ids": ",".join(ids)},
                         icon=":material/compare_arrows:")


@data.shared_cache(max_entries=256)
def _profile_content(org_id: str, data_dir: str) -> atlas.Profile:
    """Evidence per profile field, regional context rows and compare suggestion for a shipped organisation."""
    return atlas.profile(data.shipped_organisations(), data.facts_for(org_id), data.sources_indexed(),
                         data.regional_indicators(), org_id)


@data.shared_cache(max_entries=128)
def _table_view_for(ids: tuple[str, ...], size_by: str, dataset: str) -> pa.Table:
    """The table twin as an Arrow table, built and converted once per filter result and dataset (data.dataset_key():
    the shipped rows plus this session's imported ones), so shipped and imported views take one path."""
    org = data.organisations()
    shown = org.set_index("id", drop=False).loc[list(ids)]
    return pa.Table.from_pandas(atlas_table.table_view(shown, size_by, atlas.SIZE_MEASURES[size_by]), preserve_index=False)


def _table(shown: pd.DataFrame, size_by: str) -> None:
    st.subheader("Table of the organisations on the map")
    head = shown.iloc[:atlas.LIST_MAX]
    view = _table_view_for(tuple(head["id"]), size_by, data.dataset_key())
    cut = atlas.list_cut_note(len(head), len(shown))
    if cut:
        st.caption(cut)
    st.dataframe(view, hide_index=True, width="stretch", height=min(420, 38 + 35 * max(len(view), 1)),
                 column_config=_TABLE_COLUMNS)
    frame = shown.copy(deep=False)  # issue 17 (9): plain headers, integers, a source column for each value (built on click)
    facts, sources = data.facts(), data.sources()
    st.download_button("Download this table (CSV)", key="atlas_csv", file_name="cluster_atlas_organisations_filtered.csv",
                       data=lambda: safe_csv_bytes(atlas_table.csv_table(frame, facts, sources)), mime="text/csv",
                       help="UTF-8 CSV; cells that could run as spreadsheet formulas are neutralised.",
                       icon=":material/download:", on_click="ignore")
    st.caption("Every value has a source: the CSV gives each value's year, whether it is a lower bound and its "
               "source (title and link); open a profile for the exact quotes, or see Data & methods.")


# the table twin's columns sized to what they hold, so the row fits the page (issue 17, point 9)
_TABLE_COLUMNS = {
    "Name": st.column_config.TextColumn(width="large"), "Type": st.column_config.TextColumn(width="small"),
    "Sector": st.column_config.TextColumn(width="medium"), "Country": st.column_config.TextColumn(width="small"),
    "City": st.column_config.TextColumn(width="small"), "Year": st.column_config.TextColumn(width="small"),
    "ESCA label": st.column_config.TextColumn(width="small"), "NUTS 2 (2016)": st.column_config.TextColumn(width="small"),
    "Id": st.column_config.TextColumn(width="small"),
}
