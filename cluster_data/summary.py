"""Headline counts computed from the data (no hard-coded numbers)."""
from __future__ import annotations

import pandas as pd


def headline_numbers(org: pd.DataFrame, facts: pd.DataFrame) -> dict:
    co = org[org["row_type"] == "cluster_org"]
    known = int(co["members_total"].notna().sum())
    return {
        "all_rows": int(len(org)),
        "cluster_orgs": int(len(co)),
        "countries": int(org["country"].nunique()),
        "facts": int(len(facts)),
        "members_known": known,
        "members_coverage_pct": 100.0 * known / len(co) if len(co) else 0.0,
    }
