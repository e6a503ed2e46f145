"""Cached access to the derived data: the only home of st.cache_data / st.cache_resource.

Caches are keyed on small arguments (table names, indicator ids, years); no
GeoDataFrame or DataFrame is ever passed *into* a cached function.

Read-only tables live in ``st.cache_resource`` (one shared object, never unpickled per
rerun: with ``cache_data`` every call deserialised the whole frame, which cost every page
run milliseconds and most of the allocation churn under load). Callers get a shallow copy
(``_protect``): under pandas' copy-on-write, nothing a caller does to it reaches the shared frame.
"""
from __future__ import annotations

import dataclasses
import functools
import hashlib
import json

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from cluster_data import exports, load, paths, regional
from cluster_data import session_imports as si
from cluster_data.load import DataFileError  # re-exported for pages

__all__ = ["DataFileError", "organisations", "shipped_organisations", "facts", "sources", "regions",
           "regional_indicators", "case_studies", "geojson", "manifest", "nuts2_values", "imported"]

IMPORT_KEY = si.ORGANISATIONS.table_key  # where a session keeps its imported organisations


def _dir() -> str:
    """The data directory is part of every cache key, so a test (or an admin) pointing
    CLUSTER_ATLAS_DATA_DIR elsewhere never sees another directory's cached tables."""
    return str(paths.data_dir())


def _protect(value):
    """A caller's own containers around shared values: frames shallow-copied (copy-on-write),
    dicts, lists, tuples and dataclasses (the view-models) rebuilt, so a caller's edits never reach the cached object.
    Plotly figures and other objects are handed out as they are (treated as read-only)."""
    if isinstance(value, (pd.DataFrame, pd.Series)):
        return value.copy(deep=False)
    if isinstance(value, dict):
        return {k: _protect(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_protect(v) for v in value]
    if isinstance(value, tuple):
        return tuple(_protect(v) for v in value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):  # a typed view-model: protect its fields
        return dataclasses.replace(value, **{f.name: _protect(getattr(value, f.name))
                                             for f in dataclasses.fields(value) if f.init})
    return value


class PreparedFigure(go.Figure):
    """A finished plotly figure for a shared cache: its dict is built once.

    ``st.plotly_chart`` calls ``to_dict()`` - a deep copy of every trace - on each rerun; for a figure
    that never changes that copy is the same every time. Do not change the figure after wrapping it."""

    def __init__(self, fig: go.Figure):
        super().__init__(fig)
        self._prepared = super().to_dict()

    def to_dict(self) -> dict:
        return self._prepared


def shared_cache(fn=None, *, max_entries: int | None = None, protect: bool = True):
    """``st.cache_resource`` for derived, read-only results shared between sessions: the app's one cache
    decorator (``_cached_*`` loaders below are its base layer).

    ``st.cache_data`` unpickles its value on every call: for frames and plotly figures that was
    most of a page's rerun time. Here one object is kept and each caller gets ``_protect``-ed
    containers around it. Keys stay small and hashable (no DataFrame ever goes in).
    ``protect=False`` hands out the object itself: only for geometry and map parts that every caller
    treats as read-only and that are too large to rebuild on each call (a GeoJSON's feature dicts)."""
    def deco(f):
        cached = st.cache_resource(show_spinner=False, max_entries=max_entries)(f)

        @functools.wraps(f)
        def wrapper(*args, **kwargs):
            value = cached(*args, **kwargs)
            return _protect(value) if protect else value
        wrapper.clear = cached.clear
        return wrapper
    return deco(fn) if fn is not None else deco


@st.cache_resource(show_spinner=False)
def _cached_table(name: str, data_dir: str) -> pd.DataFrame:
    return load.read_table(name)


@st.cache_resource(show_spinner=False)
def _cached_geojson(name: str, data_dir: str) -> dict:
    # cache_resource: the (read-only) geometry is shared, not copied on every rerun
    return load.read_geojson(name)


@st.cache_data(show_spinner=False)
def _cached_manifest(data_dir: str) -> dict:
    return load.read_manifest()


@st.cache_resource(show_spinner=False)
def _cached_regional(data_dir: str) -> pd.DataFrame:
    return load.load_regional_indicators()


def _table(name: str) -> pd.DataFrame:
    return _protect(_cached_table(name, _dir()))


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
    return _protect(_cached_regional(_dir()))


def case_studies() -> pd.DataFrame:
    return _table("case_studies.csv")


@st.cache_resource(show_spinner=False)
def _cached_nuts2_values(indicator: str, year: int, data_dir: str) -> pd.DataFrame:
    return regional.nuts2_values(regional_indicators(), indicator, year)


def nuts2_values(indicator: str, year: int) -> pd.DataFrame:
    return _protect(_cached_nuts2_values(indicator, year, _dir()))


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
    """Shipped organisations plus this session's imported ones (flagged ``imported``), built once per dataset
    (``dataset_key``: equal keys mean equal rows) and handed out as a protected copy."""
    return _protect(_cached_organisations(dataset_key()))


@st.cache_resource(show_spinner=False, max_entries=64)
def _cached_organisations(dataset: str) -> pd.DataFrame:
    org = shipped_organisations()
    imp = imported()
    if imp is None:
        return org.assign(imported=False)
    add = exports.imported_organisation_rows(imp).drop(columns=["imported"])
    return pd.concat([org.assign(imported=False), add.assign(imported=True)], ignore_index=True)


# ------------------------------------------------------------------ session overlay (issue 14)
OVERLAY_KEY = si.OVERLAY.table_key  # and the values it filled into existing organisations' gaps


def overlay() -> pd.DataFrame | None:
    """Values this session imported for EXISTING organisations (cluster_data.overlay); never on disk."""
    df = st.session_state.get(OVERLAY_KEY)
    return df if isinstance(df, pd.DataFrame) and not df.empty else None


def dataset_key() -> str:
    """The dataset this session sees, as a small cache key: the shipped files' manifest hash plus a hash
    of the session's imported rows and overlay. One cached code path then serves shipped-only and
    session-augmented views (no `_shipped` twin): equal keys mean equal data."""
    from cluster_data import overlay as ov

    return f"{_dir()}|{_shipped_fingerprint(_dir())}|{ov.fingerprint(imported())}|{ov.fingerprint(overlay())}"


@st.cache_resource(show_spinner=False)
def _shipped_fingerprint(data_dir: str) -> str:
    """The shipped files' manifest hash (the files do not change while the server runs)."""
    return hashlib.sha1(json.dumps(manifest().get("files", {}), sort_keys=True).encode()).hexdigest()[:12]
