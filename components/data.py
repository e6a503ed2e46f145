"""Cached access to the derived data: the only home of st.cache_data / st.cache_resource.

Caches are keyed on small arguments (table names, indicator ids, years); no
GeoDataFrame or DataFrame is ever passed *into* a cached function.
"""
from __future__ import annotations

import pandas as pd
import streamlit as st

from cluster_data import exports, load, paths, regional
from cluster_data.load import DataFileError  # re-exported for pages

__all__ = ["DataFileError", "organisations", "shipped_organisations", "facts", "sources", "regions",
           "regional_indicators", "case_studies", "geojson", "manifest", "nuts2_values", "imported"]

IMPORT_KEY = "imported_orgs"


def _dir() -> str:
    """The data directory is part of every cache key, so a test (or an admin) pointing
    CLUSTER_ATLAS_DATA_DIR elsewhere never sees another directory's cached tables."""
    return str(paths.data_dir())


@st.cache_data(show_spinner=False)
def _cached_table(name: str, data_dir: str) -> pd.DataFrame:
    return load.read_table(name)


@st.cache_resource(show_spinner=False)
def _cached_geojson(name: str, data_dir: str) -> dict:
    # cache_resource: the (read-only) geometry is shared, not copied on every rerun
    return load.read_geojson(name)


@st.cache_data(show_spinner=False)
def _cached_manifest(data_dir: str) -> dict:
    return load.read_manifest()


@st.cache_data(show_spinner=False)
def _cached_regional(data_dir: str) -> pd.DataFrame:
    return load.load_regional_indicators()


def _table(name: str) -> pd.DataFrame:
    return _cached_table(name, _dir())


def geojson(name: str) -> dict:
    return _cached_geojson(name, _dir())


def manifest() -> dict:
    return _cached_manifest(_dir())


def shipped_organisations() -> pd.DataFrame:
    return _table("organisations.csv")


def facts() -> pd.DataFrame:
    return _table("facts.csv")


def sources() -> pd.DataFrame:
    return _table("sources.csv")


def regions() -> pd.DataFrame:
    return _table("regions.csv")


def regional_indicators() -> pd.DataFrame:
    return _cached_regional(_dir())


def case_studies() -> pd.DataFrame:
    return _table("case_studies.csv")


@st.cache_data(show_spinner=False)
def _cached_nuts2_values(indicator: str, year: int, data_dir: str) -> pd.DataFrame:
    return regional.nuts2_values(regional_indicators(), indicator, year)


def nuts2_values(indicator: str, year: int) -> pd.DataFrame:
    return _cached_nuts2_values(indicator, year, _dir())


@st.cache_data(show_spinner=False)
def _cached_context_table(data_dir: str) -> pd.DataFrame:
    return regional.context_table(regional_indicators(), shipped_organisations())


def context_table() -> pd.DataFrame:
    return _cached_context_table(_dir())


@st.cache_resource(show_spinner=False)
def _cached_facts_by_entity(data_dir: str) -> dict[str, pd.DataFrame]:
    return {k: g for k, g in facts().groupby("entity_id", sort=False)}


def facts_for(entity_id: str) -> pd.DataFrame:
    """The sourced facts of one entity (read-only, shared between sessions)."""
    m = _cached_facts_by_entity(_dir())
    return m.get(entity_id, facts().iloc[0:0])


@st.cache_resource(show_spinner=False)
def _cached_sources_indexed(data_dir: str) -> pd.DataFrame:
    return sources().set_index("source_id", drop=False)


def sources_indexed() -> pd.DataFrame:
    """sources.csv indexed by source_id (read-only, shared)."""
    return _cached_sources_indexed(_dir())


def imported() -> pd.DataFrame | None:
    """Organisations the user imported in this browser session (never written to disk)."""
    df = st.session_state.get(IMPORT_KEY)
    return df if isinstance(df, pd.DataFrame) and not df.empty else None


def organisations() -> pd.DataFrame:
    """Shipped organisations plus this session's imported ones (flagged ``imported``)."""
    org = shipped_organisations()
    imp = imported()
    if imp is None:
        out = org.copy()
        out["imported"] = False
        return out
    add = exports.imported_organisation_rows(imp).drop(columns=["imported"])
    out = pd.concat([org.assign(imported=False), add.assign(imported=True)], ignore_index=True)
    return out
