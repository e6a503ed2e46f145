"""Internationalisation measure by measure, each with its coverage (issue 14, point 5). Pure, typed.

The composite index (cluster_data.compare) is only scored where an organisation has at least the minimum
number of components; this view shows the sourced measures themselves first, so a reader sees how thin the
evidence is before any index."""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from cluster_data import display
from cluster_data.schema import FIELD_LABELS

#: The sourced internationalisation measures, in display order (members_countries when the evidence has it).
INTL_MEASURES: tuple[str, ...] = ("members_international", "members_countries", "countries_partnered",
                                  "eu_cluster_partnerships", "esca_label", "international_partners_named")
_LABELS = {"international_partners_named": "Named international partners", "esca_label": "ESCA label"}


@dataclass(frozen=True)
class MeasureCoverage:
    field: str
    label: str
    n_selected: int     # selected organisations with a sourced value
    of_selected: int
    n_all: int          # all cluster organisations with a sourced value
    of_all: int
    values: tuple[tuple[str, str], ...]   # (organisation name, value text) for the selection; MISSING when none

    @property
    def line(self) -> str:
        return (f"{self.label}: {self.n_selected} of {self.of_selected} selected organisations sourced "
                f"({self.n_all} of {self.of_all} cluster organisations in the atlas).")


def _has(v) -> bool:
    return not display.is_missing(v)


def _text(field: str, row: pd.Series) -> str:
    v = row.get(field)
    if not _has(v):
        return display.MISSING
    if isinstance(v, str):
        return v.capitalize() if field == "esca_label" else v
    return display.fmt_int(v, lower_bound=bool(row.get(f"{field}_lower_bound") is True))


def intl_coverage(org: pd.DataFrame, ids: list[str]) -> list[MeasureCoverage]:
    """One entry per measure present in ``org``: coverage in the selection and among all cluster organisations."""
    all_co = org[org["row_type"] == "cluster_org"]
    sel = org.set_index("id", drop=False)
    sel = sel.loc[[i for i in ids if i in sel.index]]
    out = []
    for f in INTL_MEASURES:
        if f not in org.columns:
            continue
        out.append(MeasureCoverage(
            f, _LABELS.get(f, FIELD_LABELS.get(f, f)), int(sel[f].map(_has).sum()), len(sel),
            int(all_co[f].map(_has).sum()), len(all_co),
            tuple((str(r["name"]), _text(f, r)) for _, r in sel.iterrows())))
    return out


def index_rule(min_cov: int, n_components: int) -> str:
    return (f"The composite index is scored only for organisations with at least {min_cov} of its {n_components} "
            "components sourced; the others are shown as 'not scored', never as 0.")
