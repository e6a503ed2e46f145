"""Cached, read-only access to the sectoral tables and their view-models (issue 13).

Everything here is shared between sessions through ``data.shared_cache`` (no raw ``st.cache_*``): the
tables are read once, and each basket-year layer, region portfolio or Greenwich section is built once.
"""
from __future__ import annotations

import pandas as pd

from cluster_data import sectoral_load, sectoral_views
from components import data


@data.shared_cache
def _metrics(data_dir: str) -> pd.DataFrame:
    return sectoral_load.metrics()


@data.shared_cache
def _cells(data_dir: str) -> pd.DataFrame:
    return sectoral_load.cells()


@data.shared_cache
def _sectors(data_dir: str) -> pd.DataFrame:
    return sectoral_load.sectors()


@data.shared_cache
def _names(data_dir: str) -> dict[str, str]:
    """Region names: NUTS 2016 names first, then SBS's latest-version names for older codes."""
    reg = sectoral_load.regions()
    names = {c: n for c, n in zip(reg["region_code"], reg["region_name"]) if isinstance(n, str) and n}
    r16 = data.regions()
    names.update({c: n for c, n in zip(r16["code"], r16["name"]) if isinstance(n, str) and n})
    return names


def metrics() -> pd.DataFrame:
    return _metrics(data._dir())


def cells() -> pd.DataFrame:
    return _cells(data._dir())


def sectors() -> pd.DataFrame:
    return _sectors(data._dir())


def names() -> dict[str, str]:
    return _names(data._dir())


def years() -> list[int]:
    return _years(data._dir())


@data.shared_cache
def _years(data_dir: str) -> list[int]:
    return sectoral_views.sbs_years(metrics())


def region_codes() -> frozenset[str]:
    return _region_codes(data._dir())


@data.shared_cache
def _region_codes(data_dir: str) -> frozenset[str]:
    return sectoral_views.region_codes(metrics())


def basket_keys() -> list[str]:
    return _basket_keys(data._dir())


@data.shared_cache
def _basket_keys(data_dir: str) -> list[str]:
    return sectoral_views.basket_keys(sectors())


def basket_labels() -> dict[str, str]:
    return _basket_labels(data._dir())


@data.shared_cache
def _basket_labels(data_dir: str) -> dict[str, str]:
    return {k: sectoral_views.basket_by_key(k, sectors()).label for k in basket_keys()}


def layer(basket_key: str, year: int) -> sectoral_views.SpecialisationLayer:
    return _layer(basket_key, year, data._dir())


@data.shared_cache(max_entries=128)
def _layer(basket_key: str, year: int, data_dir: str) -> sectoral_views.SpecialisationLayer:
    b = sectoral_views.basket_by_key(basket_key, sectors())
    return sectoral_views.specialisation_layer(metrics(), b, year)


def region_view(code: str, year: int | None, notice: str | None) -> sectoral_views.RegionView:
    return _region_view(code, year, notice, data._dir())


@data.shared_cache(max_entries=256)
def _region_view(code: str, year: int | None, notice: str | None, data_dir: str) -> sectoral_views.RegionView:
    return sectoral_views.region_view(metrics(), sectors(), names(), data.shipped_organisations(), code, year, notice)


def digital_economy() -> sectoral_views.DigitalEconomy:
    return _digital_economy(data._dir())


@data.shared_cache
def _digital_economy(data_dir: str) -> sectoral_views.DigitalEconomy:
    return sectoral_views.digital_economy(cells(), metrics(), sectors(), names())


def org_basket_lq(nuts2: str | None, org_sector: str | None) -> sectoral_views.BasketLQ:
    return _org_basket_lq(nuts2, org_sector, data._dir())


@data.shared_cache(max_entries=512)
def _org_basket_lq(nuts2: str | None, org_sector: str | None, data_dir: str) -> sectoral_views.BasketLQ:
    return sectoral_views.org_basket_lq(metrics(), nuts2, org_sector)


def lq_csv_bytes() -> bytes:
    return _lq_csv_bytes(data._dir())


@data.shared_cache
def _lq_csv_bytes(data_dir: str) -> bytes:
    """The sectoral_lq.csv download as shipped (already plain CSV with empty cells for missing)."""
    return sectoral_load.lq_csv_path().read_bytes()


def org_lq_column(records: list[dict]) -> list[str]:
    """Per organisation record (nuts2_2016, sector): its region's LQ in its own sector basket, as text."""
    return [org_basket_lq(r.get("nuts2_2016") if isinstance(r.get("nuts2_2016"), str) else None, r.get("sector")).text()
            for r in records]
