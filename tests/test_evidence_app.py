"""Issue 14 through the real entry point (AppTest): new organisations, business model, gaps, overlay."""
from __future__ import annotations

import pandas as pd

from cluster_data import load
from components import data
from components.overlay_view import handle_overlay_upload
from tests.conftest import all_text, app_test, no_errors

ATLAS, COMPARE, DATA = "pages/1_atlas.py", "pages/2_compare.py", "pages/6_data.py"
NEW_PLACED, NEW_UNPLACED = "AT_ACVR", "BE_LSEC"  # from clusters_more/europe_wide.csv
EIGHT = ["DK_ODENSE_ROBOTICS", "ES_AVAESEN", "UK_OBN", "FR_AEROSPACE_VALLEY", "ES_BIOCAT", "ES_AVIA", NEW_PLACED, NEW_UNPLACED]
GAP_ORG = "DK_ODENSE_ROBOTICS"


def _overlay_state() -> dict:
    """The session state an upload of a filled gap file leaves (the real handler)."""
    csv = pd.DataFrame([{"id": GAP_ORG, "field": "budget_eur", "value": "1234567", "year": "2024",
                         "source_title": "Odense Robotics annual report 2024 (test)", "source_url": "https://example.org/ar"}])
    state: dict = {}
    s = handle_overlay_upload("gaps.csv", csv.to_csv(index=False).encode(), state, load.load_organisations()["id"])
    assert s["added"] == [f"{GAP_ORG}/budget_eur"] and not s["problems"]
    return state


def _with_state(page, params, state):
    at = app_test(page, params, run=False)
    for k, v in state.items():
        at.session_state[k] = v
    at.run()
    return at


def test_new_organisation_profile_opens_from_the_url():
    for oid in (NEW_PLACED, NEW_UNPLACED):
        at = app_test(ATLAS, {"org": oid})
        no_errors(at)
        text = all_text(at)
        name = load.load_organisations().set_index("id").loc[oid, "name"]
        assert name in text and "Gaps:" in text and "standard fields sourced" in text
        assert at.query_params["org"] in (oid, [oid])


def test_atlas_lists_organisations_without_a_seat():
    at = app_test(ATLAS)
    no_errors(at)
    assert "Not on the map: no sourced location" in all_text(at)
    off = [d.value for d in at.dataframe if "Why" in getattr(d.value, "columns", [])]
    assert off and NEW_UNPLACED in set(off[0]["Id"])


def test_compare_eight_with_two_new_and_business_model():
    at = app_test(COMPARE, {"ids": ",".join(EIGHT), "view": "Business model"})
    no_errors(at)
    text = all_text(at).replace("\\", "")
    assert "Every sourced business-model figure" in text
    assert "Private share (%): 39% (2011); 62% (2017)" in text and "+23 percentage points" in text
    assert "no business-model figure is sourced" in text  # one line for an organisation with nothing


def test_overlay_shows_imported_on_profile_and_compare_and_a_new_session_forgets_it():
    state = _overlay_state()
    at = _with_state(ATLAS, {"org": GAP_ORG}, state)
    no_errors(at)
    text = all_text(at).replace("\\", "")
    assert ":orange-badge[Imported] **Budget (EUR):** EUR 1,234,567 (2024)" in text
    assert "Odense Robotics annual report 2024 (test)" in text
    at = _with_state(COMPARE, {"ids": ",".join(EIGHT), "view": "Business model"}, state)
    no_errors(at)
    text = all_text(at).replace("\\", "")
    assert ":orange-badge[Imported] EUR 1,234,567 (2024, source you gave: Odense Robotics annual report 2024 (test))" in text
    fresh = app_test(ATLAS, {"org": GAP_ORG})  # a reload is a new session: the overlay is gone
    assert "Imported" not in all_text(fresh).replace("imported by you", "")
    assert data.OVERLAY_KEY not in fresh.session_state


def test_overlay_fills_a_compare_metric_gap_marked_imported():
    csv = pd.DataFrame([{"id": GAP_ORG, "field": "funding_public_share_pct", "value": "35", "year": "2023",
                         "source_title": "Board minutes 2023 (test)"}])
    state: dict = {}
    handle_overlay_upload("g.csv", csv.to_csv(index=False).encode(), state, load.load_organisations()["id"])
    at = _with_state(COMPARE, {"ids": ",".join(EIGHT[:3]), "view": "Business model"}, state)
    no_errors(at)
    tables = [d.value for d in at.dataframe if "Source" in getattr(d.value, "columns", []) and "Measure" in d.value.columns]
    hit = pd.concat(tables)
    row = hit[(hit["id"] == GAP_ORG) & (hit["Measure"] == "Public funding share (%)")]
    assert (row["Value"] == "35% (Imported)").any()
    assert row["Source"].str.startswith("Imported: Board minutes 2023 (test)").any()


def test_bad_overlay_rows_reported_on_the_import_tab():
    csv = pd.DataFrame([
        {"id": "NOPE", "field": "budget_eur", "value": "1", "source_title": "x"},
        {"id": GAP_ORG, "field": "budget_eur", "value": "=1+1", "source_title": "x"},
        {"id": GAP_ORG, "field": "staff_headcount", "value": "12", "source_title": "Team page"},
    ])
    state: dict = {}
    s = handle_overlay_upload("g.csv", csv.to_csv(index=False).encode(), state, load.load_organisations()["id"])
    assert [p[0] for p in s["problems"]] == [2, 3] and s["added"] == [f"{GAP_ORG}/staff_headcount"]
    at = _with_state(DATA, {"tab": "import"}, state)
    no_errors(at)
    text = all_text(at).replace("\\", "")
    assert "Fill in your organisation's gaps" in text
    t = [d.value for d in at.dataframe if "Source you gave" in getattr(d.value, "columns", [])]
    assert t and list(t[0]["Field"]) == ["Staff (headcount)"]


def test_coverage_per_organisation_on_the_data_page():
    at = app_test(DATA, {"tab": "coverage"})
    no_errors(at)
    m = [d.value for d in at.dataframe if "Sourced fields" in getattr(d.value, "columns", [])]
    assert m and len(m[0]) >= 259
    assert "Budget (EUR)" in m[0].columns and set(m[0]["Budget (EUR)"]) <= {"sourced", "—", "Imported"}


def test_greenwich_sustainability_shows_every_sourced_peer_figure():
    at = app_test("pages/3_greenwich.py", {"view": "Sustainability", "peers": "all_clusters"})
    no_errors(at)
    text = all_text(at).replace("\\", "")
    assert "What the peers' own business models show (sourced)" in text
    assert "Budget (EUR):" in text and "peers sourced, median EUR" in text
    assert "Private share (%): 39% (2011); 62% (2017)" in text
    assert "organisations with no sourced business-model figure" in text  # folded, one line each


def test_internationalisation_measures_one_by_one_with_coverage():
    at = app_test(COMPARE, {"ids": ",".join(EIGHT), "view": "Internationalisation"})
    no_errors(at)
    text = all_text(at).replace("\\", "")
    assert "Internationalisation, measure by measure" in text
    assert "Partner countries: " in text and " of 8 selected organisations sourced (" in text
    assert "of 259 cluster organisations in the atlas" in text
    assert "scored only for organisations with at least 2 of its 4 components" in text


def test_overlay_fills_the_jobs_table_of_shipped_organisations():
    """An imported value for a shipped organisation reaches compare's Jobs table too (one cached path for shipped
    and session data: before, a selection of shipped organisations read a shipped-only cache and dropped it)."""
    csv = pd.DataFrame([{"id": "UK_OBN", "field": "employees_in_members", "value": "4321", "year": "2024",
                         "source_title": "OBN members survey 2024 (test)"}])
    state: dict = {}
    handle_overlay_upload("g.csv", csv.to_csv(index=False).encode(), state, load.load_organisations()["id"])
    at = _with_state(COMPARE, {"ids": "DK_ODENSE_ROBOTICS,ES_AVAESEN,UK_OBN", "view": "Jobs"}, state)
    no_errors(at)
    text = all_text(at).replace("\\", "")
    assert "4,321" in text and "OBN members survey 2024 (test)" in text
    fresh = app_test(COMPARE, {"ids": "DK_ODENSE_ROBOTICS,ES_AVAESEN,UK_OBN", "view": "Jobs"})
    assert "4,321" not in all_text(fresh)  # another session never sees it
