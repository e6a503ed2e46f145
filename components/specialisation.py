"""The atlas "Specialisation" layer (issue 13): a NUTS 2 choropleth of SBS location quotients by sector
basket and year, strong clusters marked in the tooltip, legend and table twin.

Hooked into ``components.atlas`` with a few lines: the layer's choice in the regional-layer select is
``IND``; once a basket is picked the layer id is ``lq:<basket>`` (so the atlas's deck cache key holds it).
URL: ``ind=specialisation&basket=<key>&year=<SBS year>``.
"""
from __future__ import annotations

import html

import pandas as pd
import pyarrow as pa
import streamlit as st

from cluster_data import atlas, sectoral, sectoral_views, urlstate
from cluster_data.sector_baskets import DEFAULT_BASKET
from components import data, maps, sectoral_data, ui
from components.frame import Frame

IND = "specialisation"
LABEL = "Specialisation: LQ by sector (Eurostat SBS)"
PREFIX = "lq:"
DEFAULT_YEAR = sectoral_views.DEFAULT_SBS_YEAR
CLASS_COLOURS = [atlas.CLASS_COLOURS[i] for i in (0, 1, 3, 4)]
STRONG_LINE = (200, 0, 110)


def is_layer(ind: str | None) -> bool:
    return isinstance(ind, str) and ind.startswith(PREFIX)


def basket_of(ind: str) -> str:
    return ind[len(PREFIX):]


def controls(fr: Frame) -> tuple[str, int]:
    """Basket and year widgets, seeded from the URL; returns the layer id and the SBS year."""
    keys, labels, years = sectoral_data.basket_keys(), sectoral_data.basket_labels(), sectoral_data.years()
    default = DEFAULT_YEAR if DEFAULT_YEAR in years else years[-1]

    def parse_year(raw):
        y, notice = urlstate.parse_int(raw, default, years[0], years[-1], "year")
        return (y, notice) if y in years else (default, notice)
    ui.seed_params([urlstate.choice("basket", "f_spec_basket", keys, DEFAULT_BASKET, "sector basket"),
                    urlstate.Param("year", "f_spec_year", parse_year, default)], fr.notify)
    c1, c2 = st.columns([3, 2])
    c1.selectbox("Sector basket", keys, format_func=labels.get, key="f_spec_basket",
                 help="Named baskets first, then every NACE division. Definitions: Data & methods → Methods.")
    c2.select_slider("SBS year", options=years, key="f_spec_year",
                     help="Eurostat SBS by NUTS 2 covers 2008–2015; 2014 is the most complete year, 2015 lacks 12 countries.")
    return PREFIX + st.session_state["f_spec_basket"], int(st.session_state["f_spec_year"])


def url_params(ind: str) -> dict:
    return {"ind": IND, "basket": basket_of(ind)} if is_layer(ind) else {"basket": None}


def features(ind: str, year: int) -> dict:
    """NUTS 2016 level-2 features coloured by LQ class; grey with the reason where there is no value."""
    return features_from(data.geojson("nuts2_2016.geojson"), sectoral_data.layer(basket_of(ind), year), year)


def features_from(nuts2: dict, layer: sectoral_views.SpecialisationLayer, year: int) -> dict:
    """:func:`features` from its inputs (no cache calls: the map image builds it off-script)."""
    rows = {r.region_code: r for r in layer.rows.itertuples()}
    sbs_codes = set(rows)
    feats = []
    for f in nuts2["features"]:
        p = f["properties"]
        r = rows.get(p["NUTS_ID"])
        cls = None if r is None else r.cls
        if cls is None or cls != cls:  # NaN class = no LQ
            detail = (r.detail if r is not None else
                      f"{layer.basket.label}, {year}: no data — {sectoral_views.not_covered_reason(p['NUTS_ID'], year, sbs_codes)}")
            fill = [*atlas.NO_DATA_COLOUR, 110]
        else:
            detail, fill = r.detail, [*CLASS_COLOURS[int(cls)], 190]
        feats.append({"type": "Feature", "geometry": maps.rounded(f["geometry"]), "properties": {
            "id": p["NUTS_ID"], "n": f"{p['name']} ({p['NUTS_ID']})", "d": detail, "fill": fill}})
    return {"type": "FeatureCollection", "features": feats}


def legend(ind: str, year: int) -> None:
    layer = sectoral_data.layer(basket_of(ind), year)
    cells = "".join(
        f'<span style="display:inline-flex;align-items:center;margin-right:8px">'
        f'<span style="width:18px;height:12px;background:rgb{tuple(c)};border:1px solid #999;margin-right:4px"></span>{lbl}</span>'
        for c, (_, _, lbl) in zip(CLASS_COLOURS, sectoral_views.LQ_CLASSES))
    cells += ('<span style="display:inline-flex;align-items:center"><span style="width:18px;height:12px;'
              'background:rgb(215,215,215);border:1px solid #999;margin-right:4px"></span>no data (confidential, not published or not covered: hover for the reason)</span>')
    # labels come from the code's basket registry and LQ classes, not from user input
    st.html(f'<div style="font-size:0.85rem"><b>{html.escape(layer.legend_title)}</b>: {cells}</div>')
    st.caption(f"{sectoral_views.STRONG_MARK} {layer.n_strong} of {layer.n_with_lq} regions with an LQ are strong "
               f"clusters ({sectoral.CLUSTER_MAPPING_RULE.text()}); hover a region or see the table below. {layer.source}"
               + (f" {layer.basket.note}" if layer.basket.note else ""))


def map_image_parts(ind: str, year: int):
    """For the atlas's PNG download: a callable building the region features, the subtitle and the legend."""
    nuts2, layer = data.geojson("nuts2_2016.geojson"), sectoral_data.layer(basket_of(ind), year)
    legend = tuple((tuple(c), f"LQ {lbl}") for c, (_, _, lbl) in zip(CLASS_COLOURS, sectoral_views.LQ_CLASSES))
    legend += ((atlas.NO_DATA_COLOUR, "no data (confidential, not published or not covered)"),)
    # the image font has no en dash
    legend = tuple((c, t.replace("–", "-")) for c, t in legend)
    title = f"{layer.legend_title}, Eurostat SBS, NUTS 2 regions; ".replace("–", "-")
    return (lambda: features_from(nuts2, layer, year)), title, legend


def table(ind: str, year: int) -> None:
    """The table twin of the map, with a CSV of the same rows."""
    layer = sectoral_data.layer(basket_of(ind), year)
    view, arrow = _twin(basket_of(ind), year, data._dir())
    with st.expander(f"Table: {layer.legend_title} ({len(view)} regions)"):
        st.dataframe(arrow, hide_index=True, width="stretch", height=360)
        ui.csv_download(view, f"specialisation_{basket_of(ind)}_{year}.csv", "Download this table (CSV)", key="atlas_spec_csv")
        st.caption(layer.source)


@data.shared_cache(max_entries=128)
def _twin(basket_key: str, year: int, data_dir: str) -> tuple[pd.DataFrame, pa.Table]:
    """The table twin, built and converted to Arrow once per basket and year."""
    view = sectoral_views.layer_table(sectoral_data.layer(basket_key, year), sectoral_data.names())
    return view, pa.Table.from_pandas(view, preserve_index=False)


def lq_download() -> None:
    """/data → Downloads: the sector × region LQ table (issue 13), one row per NUTS 2 × division × SBS year."""
    c1, c2 = st.columns([1, 3])
    with c1:
        st.download_button("sectoral_lq.csv", data=sectoral_data.lq_csv_bytes(), file_name="sectoral_lq.csv",
                           mime="text/csv", key="dl_sectoral_lq", icon=":material/download:", on_click="ignore", width="stretch")
    with c2:
        st.caption("Every NUTS 2 region × NACE division × SBS year (2008–2015): persons employed and local units "
                   "(Eurostat SBS sbs_r_nuts06_r2), the location quotient, the strong-cluster flag. An empty cell is "
                   "missing (confidential or not published; `missing_reason` says which), never zero.")
