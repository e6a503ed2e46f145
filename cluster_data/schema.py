"""Schemas and vocabularies of the derived data.

Each derived table has a pandera schema, checked every time it is loaded; a
violation raises :class:`cluster_data.load.DataFileError` naming the file,
column and rows.
"""
from __future__ import annotations

import pandera.pandas as pa
from pandera.pandas import Check, Column, DataFrameSchema

# ----------------------------------------------------------------- vocabularies
ROW_TYPES = {
    "cluster_org": "Cluster organisation",
    "testbed": "Testbed",
    "programme": "Programme",
    "public_programme": "Public programme",
    "campus": "Campus",
    "network": "Network",
    "company": "Company",
    "project": "Project",
    "seed_aggregate": "Regional aggregate (seed claim)",
    "place_cluster": "Place-based cluster",
    "prospective": "Prospective (not yet existing)",
    "imported_org": "Imported by you (this session only)",
}

SECTORS = {
    "digital_ict": "Digital & ICT",
    "cyber_security": "Cyber security",
    "smart_city": "Smart city & urban innovation",
    "mobility_automotive": "Mobility & automotive",
    "energy_green": "Energy & green tech",
    "life_sciences": "Life sciences",
    "manufacturing": "Manufacturing",
    "agrifood": "Agri-food",
    "creative": "Creative industries",
    "other": "Other",
}

# Okabe–Ito colour-blind-safe palette (+ greys), RGB.
SECTOR_COLOURS = {
    "digital_ict": (0, 114, 178),
    "cyber_security": (213, 94, 0),
    "smart_city": (0, 158, 115),
    "mobility_automotive": (230, 159, 0),
    "energy_green": (86, 180, 233),
    "life_sciences": (204, 121, 167),
    "manufacturing": (240, 228, 66),
    "agrifood": (120, 94, 60),
    "creative": (150, 150, 150),
    "other": (90, 90, 90),
}

ESCA_LABELS = ["gold", "silver", "bronze"]

# Numeric fields of the evidence files and what each one counts.
FIELD_UNITS = {
    "members_total": "members of the organisation",
    "members_sme": "SME members",
    "members_sme_share_pct": "% of members that are SMEs",
    "members_international": "international members",
    "employees_in_members": "employees in member firms",
    "ecosystem_firms": "firms in the wider ecosystem (not members)",
    "ecosystem_employment": "jobs in the wider ecosystem (not members)",
    "jobs_created": "jobs created (as claimed by the source)",
    "countries_partnered": "partner countries",
    "eu_cluster_partnerships": "European cluster partnerships",
    "funding_public_share_pct": "% of budget from public funding",
    "funding_membership_share_pct": "% of budget from membership fees",
    "funding_self_financing_share_pct": "% of budget self-financed",
    "founded_year": "year founded",
    "label_year": "year of label",
    "participants": "participants",
    # business model (issue 14): the field name says what the source states
    "members_countries": "countries members come from",
    "budget_eur": "EUR, stated annual budget",
    "staff_headcount": "staff (people, not FTE)",
    "staff_fte": "staff (full-time equivalents)",
    "funding_private_share_pct": "% of budget from private sources",
    "funding_services_share_pct": "% of budget from services sold",
    "funding_subsidies_share_pct": "% of budget from subsidies",
    "funding_private_share_pct_target": "% of budget from private sources (a target)",
    "membership_fee_share_from_public_members_pct": "% of membership fees paid by public members",
    "operating_income_eur": "EUR, operating income",
    "activity_income_eur": "EUR, income from activities",
    "membership_fee_income_eur": "EUR, membership-fee income",
    "public_funding_eur": "EUR, public funding",
    "public_funding_state_eur": "EUR, public funding from the state",
}
NUMERIC_FIELDS = list(FIELD_UNITS)

#: A field outside the vocabulary is numeric when its name says so (a new evidence file needs no code change).
NUMERIC_SUFFIXES = ("_pct", "_eur", "_headcount", "_fte", "_count", "_year")


def is_numeric_field(field) -> bool:
    """True for the vocabulary's numeric fields and for a new field whose name ends in a numeric suffix."""
    return isinstance(field, str) and (field in FIELD_UNITS or field.endswith(NUMERIC_SUFFIXES))

FIELD_LABELS = {
    "members_total": "Members",
    "members_sme": "SME members",
    "members_sme_share_pct": "SME share of members (%)",
    "members_international": "International members",
    "employees_in_members": "Employees in member firms",
    "ecosystem_firms": "Firms in the ecosystem",
    "ecosystem_employment": "Jobs in the ecosystem",
    "jobs_created": "Jobs created (claimed)",
    "countries_partnered": "Partner countries",
    "eu_cluster_partnerships": "European cluster partnerships",
    "funding_public_share_pct": "Public funding share (%)",
    "funding_membership_share_pct": "Membership-fee share (%)",
    "funding_self_financing_share_pct": "Self-financed share (%)",
    "founded_year": "Founded",
    "label_year": "Label year",
    "participants": "Participants",
    "members_countries": "Countries members come from",
    "budget_eur": "Budget (EUR)",
    "staff_headcount": "Staff (headcount)",
    "staff_fte": "Staff (FTE)",
    "funding_private_share_pct": "Private share (%)",
    "funding_services_share_pct": "Services share (%)",
    "funding_subsidies_share_pct": "Subsidies share (%)",
    "funding_private_share_pct_target": "Private share, target (%)",
    "membership_fee_share_from_public_members_pct": "Fees paid by public members (%)",
    "operating_income_eur": "Operating income (EUR)",
    "activity_income_eur": "Income from activities (EUR)",
    "membership_fee_income_eur": "Membership-fee income (EUR)",
    "public_funding_eur": "Public funding (EUR)",
    "public_funding_state_eur": "Public funding from the state (EUR)",
    "esca_label": "ESCA label",
    "website": "Website",
    "international_partners": "Named international partners",
    "city": "City",
    "lat_lon": "Coordinates",
    "nuts2_code": "NUTS 2 region",
    "note": "Note",
    "funding_model_note": "Funding model",
    "public_funding_note": "Public funding",
    "jobs_created_period": "Jobs created: period",
}

# Year columns of the curated wide tables that date a headline value.
YEAR_COLUMNS = {
    "members_total": "members_total_year",
    "ecosystem_firms": "ecosystem_firms_year",
    "ecosystem_employment": "ecosystem_employment_year",
    "esca_label": "label_year",
}

FOCUS_REGIONS = {
    "UKI51": {"label": "Greenwich (Bexley and Greenwich)", "level": 3},
    "UKI5": {"label": "Greenwich (Outer London – East and North East)", "level": 2},
    "DK03": {"label": "Southern Denmark (Syddanmark)", "level": 2},
    "ES52": {"label": "Valencia (Comunitat Valenciana)", "level": 2},
    "UKJ14": {"label": "Oxfordshire (Milton Park)", "level": 3},
    "UKJ1": {"label": "Oxfordshire (Berks, Bucks & Oxon)", "level": 2},
}
GREENWICH = {"nuts3": "UKI51", "nuts2": "UKI5", "itl3": "TLI51", "gss": "E09000011"}

INDICATORS = {
    "htec_kis_share": {"label": "High-tech knowledge-intensive services, % of employment", "unit": "% of total employment",
                       "source_id": "R_EUROSTAT_HONTI", "level": 2,
                       "description": "Eurostat htec_emp_reg2, NACE KIS_HTC: share of all employed people working in high-tech knowledge-intensive services."},
    "kis_share": {"label": "Knowledge-intensive services, % of employment", "unit": "% of total employment",
                  "source_id": "R_EUROSTAT_HONTI", "level": 2,
                  "description": "Eurostat htec_emp_reg2, NACE KIS (EU28 value from tsc00011)."},
    "htc_share": {"label": "High-tech sectors (manufacturing + services), % of employment", "unit": "% of total employment",
                  "source_id": "R_EUROSTAT_HONTI", "level": 2, "description": "Eurostat htec_emp_reg2, NACE HTC."},
    "rd_gdp": {"label": "R&D expenditure, % of GDP", "unit": "% of GDP", "source_id": "R_EUROSTAT_GERD", "level": 2,
               "description": "Eurostat rd_e_gerdreg, all sectors (GERD)."},
    "gdp_mio_eur": {"label": "GDP, million EUR", "unit": "million EUR", "source_id": "R_EUROSTAT_TGS", "level": 2,
                    "description": "Eurostat tgs00003, current market prices."},
    "population": {"label": "Population (1 January)", "unit": "persons", "source_id": "R_EUROSTAT_POP", "level": 2,
                   "description": "Eurostat tgs00096."},
    "gdp_per_head_eur": {"label": "GDP per head, EUR", "unit": "EUR per inhabitant", "source_id": "R_EUROSTAT_TGS", "level": 2,
                         "description": "Computed in the build step: tgs00003 GDP (million EUR) × 1,000,000 ÷ tgs00096 population, same region and year."},
    "gva_total_gbp_m": {"label": "GVA, all industries, £ million", "unit": "£ million, current prices", "source_id": "R_ONS_GVA", "level": 3,
                        "description": "ONS balanced regional GVA, ITL3."},
    "gva_j_gbp_m": {"label": "GVA, Information & communication (SIC J), £ million", "unit": "£ million, current prices",
                    "source_id": "R_ONS_GVA", "level": 3, "description": "ONS balanced regional GVA, ITL3, SIC07 section J (58–63)."},
    "population_ons": {"label": "Population (ONS)", "unit": "persons", "source_id": "R_ONS_POP", "level": 3,
                       "description": "ONS total resident population."},
}

# ----------------------------------------------------------------- pandera schemas
_nullable_num = dict(nullable=True, coerce=True)

ORGANISATIONS = DataFrameSchema(
    {
        "id": Column(str, unique=True, nullable=False, checks=Check.str_matches(r"^[A-Za-z0-9_\-]+$")),
        "name": Column(str, nullable=False),
        "row_type": Column(str, Check.isin(list(ROW_TYPES))),
        "country": Column(str, Check.str_length(2, 2)),
        "lat": Column(float, Check.in_range(27, 72), **_nullable_num),
        "lon": Column(float, Check.in_range(-32, 46), **_nullable_num),
        "sector": Column(str, Check.isin(list(SECTORS))),
        "nuts2_2016": Column(str, nullable=True),
        "members_total": Column(float, Check.ge(0), **_nullable_num),
        "employees_in_members": Column(float, Check.ge(0), **_nullable_num),
        "jobs_created": Column(float, Check.ge(0), **_nullable_num),
        "funding_public_share_pct": Column(float, Check.in_range(0, 100), **_nullable_num),
        "esca_label": Column(str, Check.isin(ESCA_LABELS), nullable=True),
    },
    strict=False,
    name="organisations",
)

FACTS = DataFrameSchema(
    {
        "fact_id": Column(str, unique=True),
        "entity_id": Column(str),
        "field": Column(str),
        "value": Column(str, nullable=True, coerce=True),
        "value_num": Column(float, **_nullable_num),
        "lower_bound": Column(bool, coerce=True),
        "is_headline": Column(bool, coerce=True),
        "source_id": Column(str),
        "quote": Column(str, nullable=True),
    },
    strict=False,
    name="facts",
)

SOURCES = DataFrameSchema(
    {
        "source_id": Column(str, unique=True),
        "title": Column(str, nullable=True),
        "url": Column(str, nullable=True),
        "kind": Column(str),
    },
    strict=False,
    name="sources",
)

REGIONS = DataFrameSchema(
    {
        "code": Column(str, unique=True),
        "level": Column(int, Check.isin([0, 1, 2, 3]), coerce=True),
        "name": Column(str),
        "country": Column(str),
    },
    strict=False,
    name="regions",
)

REGIONAL_INDICATORS = DataFrameSchema(
    {
        "region": Column(str),
        "indicator": Column(str, Check.isin(list(INDICATORS))),
        "year": Column(int, Check.in_range(1990, 2030), coerce=True),
        "value": Column(float, coerce=True),
        "source_id": Column(str),
    },
    strict=False,
    unique=["region", "indicator", "year"],
    name="regional_indicators",
)

CASE_STUDIES = DataFrameSchema(
    {
        "case_fact_id": Column(str, unique=True),
        "case": Column(str),
        "topic": Column(str),
        "fact": Column(str),
        "value_num": Column(float, **_nullable_num),
        "source_id": Column(str),
        "quote": Column(str),
    },
    strict=False,
    name="case_studies",
)

TABLE_SCHEMAS = {
    "organisations.csv": ORGANISATIONS,
    "facts.csv": FACTS,
    "sources.csv": SOURCES,
    "regions.csv": REGIONS,
    "regional_indicators.csv": REGIONAL_INDICATORS,
    "case_studies.csv": CASE_STUDIES,
    "indicators.csv": None,
}
