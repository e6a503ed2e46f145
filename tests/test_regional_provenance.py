"""Issue 17 point 12: regional statistics cite the producer's table as the source, the repository as
"retrieved via", and the newest year each table holds."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from cluster_data import load, regional_provenance as RP
from cluster_data.schema import INDICATORS
from components.ui import md_escape
from tests.conftest import all_text, app_test, no_errors

PROVENANCE = Path(__file__).resolve().parents[2] / "shared" / "data" / "PROVENANCE.md"


@pytest.fixture(scope="module")
def sources():
    return load.read_table("sources.csv")


@pytest.fixture(scope="module")
def ri():
    return load.read_table("regional_indicators.csv")


def test_each_indicator_cites_a_producer_table(sources, ri):
    rows = {r.source_id: r for r in RP.regional_sources(sources)}
    for ind, meta in INDICATORS.items():
        r = rows[meta["source_id"]]
        assert re.match(r"^(Eurostat, [a-z_]+\d*[a-z0-9_]* |ONS, )", r.source), (ind, r.source)
        assert " @ " in r.retrieved_via and " : " in r.retrieved_via  # repository @ commit : path
        assert r.newest_year == str(int(ri.loc[ri["source_id"] == meta["source_id"], "year"].max()))


def test_table_codes_come_from_provenance(sources):
    """Every Eurostat table code cited is one PROVENANCE.md names (never guessed)."""
    if not PROVENANCE.exists():
        pytest.skip("shared data not beside the repo")
    text = PROVENANCE.read_text()
    for r in RP.regional_sources(sources):
        m = re.match(r"^Eurostat, ([a-z_0-9]+) ", r.source)
        if m:
            assert m.group(1) in text, r.source
        repo = r.retrieved_via.split(" @ ")[0]
        assert repo in text, r.retrieved_via


def test_example_citations(sources):
    pop = RP.citation_for(sources, "R_EUROSTAT_POP")
    assert pop.startswith("Source: Eurostat, tgs00096 Population on 1 January by NUTS 2 region, extracted 2020-12")
    assert "retrieved via andrea-ballatore/open-geo-data-education" in pop
    gva = RP.citation_for(sources, "R_ONS_GVA")
    assert gva.startswith("Source: ONS, Regional gross value added (balanced) by industry") and "April 2024" in gva
    assert "(newest year 2022)" in gva and "retrieved via DanOlner/RegionalEconomicToolsWeb" in gva


def test_no_local_paths_in_source_titles(sources):
    assert not sources["title"].fillna("").str.contains("shared/data|local copy", regex=True).any()


def test_data_page_lists_regional_sources(sources):
    at = app_test("pages/6_data.py", {"tab": "sources"})
    no_errors(at)
    text = all_text(at)
    for r in RP.regional_sources(sources):
        assert md_escape(r.source) in text and md_escape(r.retrieved_via) in text
    assert "Retrieved via" in text


def test_atlas_layer_cites_its_table(sources):
    at = app_test("pages/1_atlas.py", {"ind": "population"})
    no_errors(at)
    caps = "\n".join(c.value for c in at.caption)
    assert "tgs00096" in caps and "retrieved via" in caps
