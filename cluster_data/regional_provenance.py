"""How the regional statistics are cited: the producer's table is the source, the repository snapshot the
file came from is "retrieved via", and each table says the newest year it holds (pure, no Streamlit).

The rows come from ``sources.csv`` (built from ``build.REGIONAL_SOURCES``); nothing here is typed in.
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from cluster_data.display import fmt_year, is_missing

REGIONAL_KINDS = ("statistics", "boundaries")


@dataclass(frozen=True)
class RegionalSource:
    source_id: str
    source: str  # producer, table code and title, e.g. "Eurostat, tgs00096 Population on 1 January …"
    retrieved_via: str  # repository @ commit : path
    newest_year: str  # "2019", or "" for boundaries (no reference year)
    licence: str
    url: str


def _text(v) -> str:
    return "" if is_missing(v) else str(v)


def regional_sources(sources: pd.DataFrame) -> list[RegionalSource]:
    """The regional statistics' and boundaries' sources, statistics first, in id order."""
    if "retrieved_via" not in sources.columns:
        return []
    d = sources[sources["kind"].isin(REGIONAL_KINDS) & sources["retrieved_via"].notna()].copy()
    d["_k"] = d["kind"].map({k: i for i, k in enumerate(REGIONAL_KINDS)})
    d = d.sort_values(["_k", "source_id"])
    return [RegionalSource(str(r["source_id"]), _text(r["title"]), _text(r["retrieved_via"]),
                           fmt_year(r.get("newest_year"), missing=""),
                           _text(r.get("licence")), _text(r.get("url")))
            for _, r in d.iterrows()]


def citation(rs: RegionalSource) -> str:
    """One line: 'Source: <table> (newest year 2019); retrieved via <repo @ commit : path>'."""
    newest = f" (newest year {rs.newest_year})" if rs.newest_year else ""
    return f"Source: {rs.source}{newest}; retrieved via {rs.retrieved_via}"


def citation_for(sources: pd.DataFrame, source_id: str) -> str | None:
    """The citation line of one regional source, or None when the id is not a regional source."""
    return next((citation(r) for r in regional_sources(sources) if r.source_id == source_id), None)
