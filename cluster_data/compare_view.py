"""View-models of the /compare page's tabs: typed, pure values (pandas + cluster_data only).

``components.compare`` lays these out and caches them; the shaping lives here. Every value comes from
:mod:`cluster_data.compare`'s tables and is written through :mod:`cluster_data.display`: missing stays
missing (``not sourced``, ``no data``, ``not scored``), never 0.

Names: :class:`SourcedTable` is one topic's sourced headline values (jobs, internationalisation, business
model), not :class:`cluster_data.greenwich_view.JobsView` (Greenwich's jobs outlook).
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import pandas as pd

from cluster_data import compare as cmp
from cluster_data import display

NOT_SCORED = "not scored"
RATIO_MISSING = "—"  # a per-member / per-100,000 cell that could not be computed (the reason is its own column)
LQ_COLUMN = "LQ in its sector basket (Eurostat SBS)"


def records(org: pd.DataFrame, ids: Iterable[str]) -> dict[str, dict]:
    """The selected organisations' rows as records, by id."""
    return {r["id"]: r for r in org[org["id"].isin(list(ids))].to_dict("records")}


def selection_records(org: pd.DataFrame, ids: Sequence[str]) -> list[dict]:
    """The selected organisations' records in the order of ``ids``."""
    rec = records(org, ids)
    return [rec[i] for i in ids]


def score_text(v) -> str:
    """An index score as shown: a whole number 0–100, or 'not scored' (never 0)."""
    return display.fmt_number(v, decimals=0, missing=NOT_SCORED)


def _text_or_missing(v) -> str:
    return v if isinstance(v, str) else cmp.MISSING


# ----------------------------------------------------------------- one topic's sourced values
@dataclass(frozen=True)
class SourcedTable:
    """One topic's headline values for the selection: its rows of ``cmp.values_long`` (with quotes, for the
    sources list), the table as shown, and the CSV (the rows without quotes)."""
    rows: pd.DataFrame
    table: pd.DataFrame
    csv: pd.DataFrame


def sourced_table(long: pd.DataFrame, fields: Sequence[str]) -> SourcedTable:
    d = long[long["field"].isin(list(fields))]
    return SourcedTable(rows=d, table=cmp.display_long(d), csv=d.drop(columns=["quote"]))


# ----------------------------------------------------------------- jobs: normalised views
@dataclass(frozen=True)
class NormalisedView:
    """One job figure per member and per 100,000 inhabitants of the organisation's NUTS 2 region."""
    data: pd.DataFrame   # cmp.normalised (the CSV)
    table: pd.DataFrame  # as shown
    why: str             # "name (reason); …" for each row that could not be normalised; "" when all could


def _ratio_texts(values: pd.Series, lower_bounds: pd.Series) -> list[str]:
    return [cmp.fmt_number(v, "", lb) if v == v else RATIO_MISSING for v, lb in zip(values, lower_bounds)]


def normalised_view(org: pd.DataFrame, ri: pd.DataFrame, ids: Sequence[str], field: str) -> NormalisedView:
    t = cmp.normalised(org, ri, list(ids), field)
    table = pd.DataFrame({
        "Organisation": t["name"],
        "Value": [cmp.fmt_number(v, field, lb) for v, lb in zip(t["value"], t["lower_bound"])],
        "Per member": _ratio_texts(t["per_member"], t["lower_bound"]),
        "NUTS 2 region": t["region"].fillna("unknown"),
        "Population (year)": [f"{display.fmt_int(p)} ({display.fmt_year(y)})" if not display.is_missing(p) else display.NO_DATA
                              for p, y in zip(t["population"], t["population_year"])],
        "Per 100,000 inhabitants": _ratio_texts(t["per_100k"], t["lower_bound"]),
        "Not normalised because": t["reason"],
    })
    bad = t[t["reason"] != ""]
    why = "; ".join(f"{n} ({r})" for n, r in zip(bad["name"], bad["reason"]))
    return NormalisedView(data=t, table=table, why=why)


# ----------------------------------------------------------------- internationalisation: sourced measures
@dataclass(frozen=True)
class IntlTables:
    """The internationalisation tab's sourced tables: the numeric measures, the text ones (ESCA label, named
    partners) and one CSV of both."""
    sourced: SourcedTable
    text: pd.DataFrame
    csv: pd.DataFrame


def intl_tables(long: pd.DataFrame, org: pd.DataFrame, ids: Sequence[str]) -> IntlTables:
    rec = records(org, ids)
    ids = list(ids)
    s = sourced_table(long, cmp.INTL_FIELDS)
    text = pd.DataFrame({
        "Organisation": [rec[i]["name"] for i in ids],
        "ESCA label": [_text_or_missing(rec[i].get("esca_label")) for i in ids],
        "Named international partners": [_text_or_missing(rec[i].get("international_partners_named")) for i in ids],
        "id": ids,
    })
    return IntlTables(sourced=s, text=text, csv=s.csv.merge(text, on="id", how="left"))


# ----------------------------------------------------------------- internationalisation index
@dataclass(frozen=True)
class ReferenceIndex:
    """The index over its reference group: every shipped cluster organisation plus the selection's shipped ids
    (min–max scaling is across this group)."""
    components: pd.DataFrame  # cmp.intl_components (index = id)
    scores: pd.DataFrame      # cmp.index_table
    size: int                 # organisations in the reference group


def reference_extra(shipped: pd.DataFrame, ids: Iterable[str]) -> tuple[str, ...]:
    """The selection's shipped ids (sorted): they join the reference group. Imported ids never do."""
    have = set(shipped["id"])
    return tuple(sorted(i for i in ids if i in have))


def reference_index(shipped: pd.DataFrame, extra_ids: Iterable[str], weights: dict[str, float],
                    min_cov: int) -> ReferenceIndex:
    extra = set(extra_ids)
    is_cluster = shipped["row_type"] == "cluster_org"
    ref = shipped[is_cluster | shipped["id"].isin(extra)]
    comps = cmp.intl_components(ref)
    size = int(is_cluster.sum()) + int((shipped["id"].isin(extra) & ~is_cluster).sum())
    return ReferenceIndex(components=comps, scores=cmp.index_table(comps, dict(weights), min_cov), size=size)


@dataclass(frozen=True)
class SizeIndexScatter:
    """Members against index score for the selection, quadrant lines at the medians of those on the chart."""
    points: pd.DataFrame        # id, name, members_total, lower_bound, score: organisations with both values
    table: pd.DataFrame         # every selected organisation, values as text (the chart's table and CSV)
    x_median: float | None      # None when no organisation has both
    y_median: float | None
    not_shown: tuple[str, ...]  # names without a member count or without an index score


@dataclass(frozen=True)
class IndexView:
    """The composite index of the selection as the page shows it."""
    table: pd.DataFrame   # index, status, coverage and component values, as text
    csv: pd.DataFrame     # components and scores, one row per selected organisation
    reference_size: int
    scatter: SizeIndexScatter


def _with_unindexed(ref: ReferenceIndex, org: pd.DataFrame, ids: Sequence[str],
                    min_cov: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Components and scores with a row for each selected id outside the reference group (an imported
    organisation): it holds no index components there, so it is excluded and says so."""
    comps, res = ref.components, ref.scores
    missing = [i for i in ids if i not in res.index]
    if not missing:
        return comps, res
    comps = pd.concat([comps, cmp.intl_components(org[org["id"].isin(missing)])])
    n = int(res["n_components"].iloc[0]) if len(res) else 0
    add = pd.DataFrame({"score": float("nan"), "coverage": 0, "n_components": n, "eligible": False,
                        "status": cmp.excluded_status(0, n, min_cov), "partial": False,
                        "rank": float("nan")}, index=missing)
    return comps, pd.concat([res, add])


def size_index_scatter(rec: dict[str, dict], ids: Sequence[str], scores: pd.Series) -> SizeIndexScatter:
    ids = list(ids)
    sc = pd.DataFrame({"id": ids, "name": [rec[i]["name"] for i in ids],
                       "members_total": [rec[i].get("members_total") for i in ids],
                       "lower_bound": [cmp.truthy(rec[i].get("members_total_lower_bound")) for i in ids],
                       "score": scores.to_numpy()})
    both = sc.dropna(subset=["members_total", "score"])
    missing = sc[~sc["id"].isin(both["id"])]
    table = sc.assign(members_total=[cmp.fmt_number(v, "", lb) for v, lb in zip(sc["members_total"], sc["lower_bound"])],
                      score=[score_text(s) for s in sc["score"]])
    return SizeIndexScatter(
        points=both, table=table,
        x_median=float(both["members_total"].median()) if not both.empty else None,
        y_median=float(both["score"].median()) if not both.empty else None,
        not_shown=tuple(str(n) for n in missing["name"]))


def index_view(ref: ReferenceIndex, org: pd.DataFrame, ids: Sequence[str], min_cov: int) -> IndexView:
    """The index table, its CSV and the size-against-index scatter of ``ids`` (from ``org``: shipped and
    imported rows)."""
    ids = list(ids)
    rec = records(org, ids)
    comps, res = _with_unindexed(ref, org, ids, int(min_cov))
    sel, csel = res.loc[ids], comps.loc[ids]
    table = pd.DataFrame({
        "Organisation": [rec[i]["name"] for i in ids],
        "Index (0–100)": [score_text(s) for s in sel["score"]],
        "Status": sel["status"].tolist(),
        "Coverage": [f"{int(c)} of {int(n)}" for c, n in zip(sel["coverage"], sel["n_components"])],
        **{cmp.INDEX_COMPONENTS[c]: [cmp.fmt_number(v) for v in csel[c]] for c in cmp.INDEX_COMPONENTS},
        "id": ids,
    })
    return IndexView(table=table, csv=csel.join(sel).reset_index(), reference_size=ref.size,
                     scatter=size_index_scatter(rec, ids, sel["score"]))


# ----------------------------------------------------------------- regional context
_REGION_FORMATS = {
    "htec_kis_share": lambda v: display.fmt_number(v, decimals=1, unit="%"),
    "htec_kis_lq": display.fmt_lq,
    "rd_gdp": lambda v: display.fmt_number(v, decimals=2, unit="%"),
    "gdp_per_head_eur": lambda v: "€" + display.fmt_int(v),
}


@dataclass(frozen=True)
class RegionalContext:
    """Each selected organisation's NUTS 2 region with its latest context indicators."""
    data: pd.DataFrame               # cmp.region_table (the CSV)
    table: pd.DataFrame              # as shown
    lq_note: str                     # what the LQ's denominator is for the years shown
    regions: tuple[str, ...]         # the selection's NUTS 2 codes, sorted
    region_members: tuple[str, ...]  # per region: "CODE: organisation, organisation" (the series' labels)

    def without_data(self, ts: pd.DataFrame) -> list[str]:
        """The selection's regions with no value in the time series ``ts``."""
        held = set(ts["region"])
        return [r for r in self.regions if r not in held]


def region_rows(org: pd.DataFrame, ids: Sequence[str]) -> tuple[tuple[str, str, str | None], ...]:
    """(id, name, NUTS 2 code or None) per selected organisation: a small hashable key for the regional view."""
    return tuple((str(r["id"]), str(r["name"]), r.get("nuts2_2016") if isinstance(r.get("nuts2_2016"), str) else None)
                 for r in selection_records(org, ids))


def _indicator_text(ind: str, v, year) -> str:
    return f"{_REGION_FORMATS[ind](v)} ({display.fmt_year(year)})" if v == v and year is not None else display.NO_DATA


def regional_context(rows: Sequence[tuple[str, str, str | None]], ri: pd.DataFrame, regions: pd.DataFrame,
                     lq_texts: Sequence[str]) -> RegionalContext:
    """``rows`` from :func:`region_rows`; ``regions`` the NUTS table (code, name); ``lq_texts`` each
    organisation's LQ in its sector basket, as text (in the order of ``rows``)."""
    mini = pd.DataFrame(list(rows), columns=["id", "name", "nuts2_2016"])
    rt = cmp.region_table(mini, ri, mini["id"].tolist())
    rnames = dict(zip(regions["code"], regions["name"]))
    show = pd.DataFrame({"Organisation": rt["name"],
                         "NUTS 2 region": [f"{r} {rnames.get(r, '')}".strip() if isinstance(r, str) else "unknown"
                                           for r in rt["region"]]})
    for c in cmp.REGION_INDICATORS:
        show[cmp.indicator_label(c)] = [_indicator_text(c, v, y) for v, y in zip(rt[c], rt[c + "_year"])]
    show[LQ_COLUMN] = list(lq_texts)
    codes = tuple(sorted({r for r in rt["region"] if isinstance(r, str)}))
    return RegionalContext(
        data=rt, table=show, lq_note=cmp.lq_note(ri, rt["htec_kis_lq_year"].dropna().tolist()), regions=codes,
        region_members=tuple(reg + ": " + ", ".join(rt.loc[rt["region"] == reg, "name"]) for reg in codes))
