"""The app's named settings: each value once, with its help text, read by the code that applies it and by the
Methods page that explains it (so the two cannot drift). Pure Python, no Streamlit."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Setting:
    value: int
    help: str


INDEX_MIN_COVERAGE = Setting(2, "An organisation gets an internationalisation score only when at least this many of "
                                "the weighted components have a sourced value (the compare page's default minimum).")
OUTLOOK_MIN_PEERS = Setting(3, "The jobs outlook shows a range only when at least this many peers have both a member "
                               "count and the figure the outlook counts.")
SIMILAR_K = Setting(8, "How many of the closest organisations the 'similar' peer group takes.")
SMALL_GROUP = Setting(5, "A peer group with fewer sourced values than this is flagged small: its ranks move a lot "
                         "with one peer.")

ALL = {"index_min_coverage": INDEX_MIN_COVERAGE, "outlook_min_peers": OUTLOOK_MIN_PEERS, "similar_k": SIMILAR_K,
       "small_group": SMALL_GROUP}
