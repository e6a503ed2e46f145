"""Case studies, the side-by-side playbook and the presenter-tour steps (pure, no Streamlit).

Everything numeric here comes from ``case_studies.csv`` (one row per sourced case
fact) or ``organisations.csv``/``facts.csv``; this module only *selects* rows and
joins them to ``sources.csv``. The only hand-written text is:

* ``TAKEAWAYS`` – our plain-language reading for Greenwich. It is qualitative and
  contains no figures (a unit test checks that it has no digits);
* ``CAVEAT_NOTES`` / tour sentences – framing sentences without figures;
  any figure in a caveat is pulled from a case-fact row at render time.
"""
from __future__ import annotations

from cluster_data import display, provenance

import math
import re
from dataclasses import dataclass

import pandas as pd

CASES: dict[str, str] = {
    "southern_denmark": "Southern Denmark",
    "valencia": "Valencia",
    "milton_park": "Milton Park / OBN",
}
DEFAULT_CASE = "southern_denmark"

TOPIC_LABELS: dict[str, str] = {
    "policy": "Policy and strategy",
    "governance": "Governance",
    "funding": "Funding",
    "business_model": "Business model",
    "internationalisation": "Internationalisation",
    "jobs": "Jobs",
    "productivity": "Productivity and growth",
    "baseline": "Context",
}
DID_TOPICS = ["policy", "governance", "funding", "business_model", "internationalisation"]
OUTCOME_TOPICS = ["jobs", "productivity", "baseline"]

# Peer organisations for each case (ids in organisations.csv), for links out to /compare and /atlas.
CASE_ORGS: dict[str, list[str]] = {
    "southern_denmark": ["DK_ODENSE_ROBOTICS", "DK_WELFARE_TECH", "DK_OFFSHOREENERGY"],
    "valencia": ["ES_AVAESEN", "ES_AVIA", "ES_CLUSTER_ENERGIA_CV"],
    "milton_park": ["UK_OBN", "UK_MILTON_PARK_LS", "UK_HARWELL"],
}
CASE_PEER_PRESET = {"southern_denmark": "southern_denmark", "valencia": "valencia", "milton_park": "milton_park"}

# Our plain-language take-aways (qualitative: NO figures; see module docstring).
TAKEAWAYS: dict[str, list[str]] = {
    "southern_denmark": [
        "Put one regional partnership of business, universities, unions and councils in charge of choosing "
        "strongholds, and keep the choice stable across strategy periods.",
        "Attach conditions to public cluster money: real services to firms and openness to firms from outside "
        "the borough.",
        "Root each cluster in an independent organisation and ask firms to co-finance it.",
        "Measure jobs against a control group from the start; the headline claim that travels furthest is the "
        "one with the weakest evidence.",
    ],
    "valencia": [
        "Do not rely on one public funder: AVAESEN's regional money stopped abruptly, and it survived by "
        "selling services that generate business for its members.",
        "Use European events and programmes (GROW your REGIOn, accelerators, EU projects) as a door to "
        "international partners rather than as the business model.",
        "Name the organisation behind every success claim; an unnamed cluster cannot be benchmarked.",
    ],
    "milton_park": [
        "A landlord or anchor institution willing to invest in specialist space early can seed a cluster "
        "before public programmes arrive.",
        "A membership network funded by fees and events can grow well beyond its home site, which suits a "
        "Greenwich cluster that wants members across London.",
        "Treat self-reported investment figures as claims and say so when quoting them.",
    ],
}

# Caveat framing per case: text without figures + the case facts whose sourced values are the evidence.
CAVEATS: dict[str, list[dict]] = {
    "southern_denmark": [{
        "kind": "discrepancy",
        "headline": "The Southern Denmark jobs claim rests on a single source; independent evaluations find far "
                    "fewer net jobs.",
        "claim": "C0001",
        "evidence": ["C0020", "C0025", "C0028"],
        "note": "Only the seed blog gives the Southern Denmark figure, with no period or method. The independent "
                "evaluations count net jobs against a control group; the nearest published figure to the "
                "claim covers all Danish regions, not Southern Denmark alone. The evaluations overlap and "
                "cannot be added together.",
    }, {
        "kind": "missing",
        "headline": "The Growth Forum's claim that cluster firms are more efficient cites no study.",
        "claim": "C0017",
        "evidence": ["C0029"],
        "note": "The page that makes the claim cites no study; the effect measurement with Statistics Denmark "
                "is the only sourced comparison with a control group.",
    }],
    "valencia": [{
        "kind": "unidentified",
        "headline": "No source names the seed's Valencia \"Green\" cluster; AVAESEN is the likeliest match, "
                    "but that is unconfirmed.",
        "claim": "C0051",
        "evidence": ["C0057", "C0064", "C0075"],
        "note": "The seed blog does not name the organisation. Candidates are AVAESEN (the Valencian "
                "energy/cleantech cluster) or the Energy Cluster of the Comunitat Valenciana; no source read "
                "confirms either. The AVAESEN figures below count staff of member firms, not jobs the "
                "cluster created, and the European Green Capital award came years later.",
        "org_note": "ES_VLC_GREEN_SEED",
    }, {
        "kind": "missing",
        "headline": "No independent evaluation of jobs created was found for Valencia.",
        "claim": None,
        "evidence": ["C0067"],
        "note": "The only other jobs figure for AVAESEN's members is a projection, not a result.",
    }],
    "milton_park": [{
        "kind": "missing",
        "headline": "OBN's fee levels are not published, and its investment figure is its own claim.",
        "claim": None,
        "evidence": ["C0079", "C0086", "C0095"],
        "note": "The terms page does not show fee amounts, so the fee-funded model cannot be costed. The "
                "investment figures are OBN's own claim and a Wikipedia figure citing the park.",
    }, {
        "kind": "missing",
        "headline": "No source gives jobs created by the Milton Park cluster.",
        "claim": None,
        "evidence": ["C0093", "C0094"],
        "note": "The sources give the number of people working on the park and an enterprise-zone target, "
                "neither of which is a count of jobs the cluster created.",
    }],
}

# The playbook: rows are topics, columns are cases, each cell is a list of case_fact_ids.
# An empty list means no source read covers the topic for that case (shown as such).
PLAYBOOK: list[tuple[str, dict[str, list[str]]]] = [
    ("Strategy and policy", {"southern_denmark": ["C0005", "C0007"], "valencia": ["C0073"],
                             "milton_park": ["C0094"]}),
    ("Governance", {"southern_denmark": ["C0002", "C0016"], "valencia": ["C0070"],
                    "milton_park": ["C0096", "C0078"]}),
    ("Public funding", {"southern_denmark": ["C0006"], "valencia": ["C0055", "C0057"],
                        "milton_park": ["C0092"]}),
    ("Business model and self-financing", {"southern_denmark": ["C0046", "C0047"], "valencia": ["C0058", "C0060"],
                                           "milton_park": ["C0081", "C0079"]}),
    ("Internationalisation", {"southern_denmark": ["C0013", "C0036"], "valencia": ["C0062", "C0066"],
                              "milton_park": ["C0085", "C0088"]}),
    ("Jobs: headline claim", {"southern_denmark": ["C0001"], "valencia": ["C0051"], "milton_park": []}),
    ("Jobs: evaluated or counted", {"southern_denmark": ["C0025", "C0020"], "valencia": ["C0064"],
                                    "milton_park": ["C0093"]}),
    ("Other outcome evidence", {"southern_denmark": ["C0029"], "valencia": ["C0063"],
                                "milton_park": ["C0095"]}),
]
NO_SOURCE_CELL = "No source read covers this."

SOURCE_COLS = ["title", "url", "publisher", "date"]


# ----------------------------------------------------------------------------- tables
def with_sources(cs: pd.DataFrame, sources: pd.DataFrame) -> pd.DataFrame:
    """Case facts joined to their sources (title, url, publisher, date); order kept."""
    src = sources[["source_id"] + [c for c in SOURCE_COLS if c in sources.columns]].drop_duplicates("source_id")
    return cs.merge(src, on="source_id", how="left")


def case_facts(cs: pd.DataFrame, sources: pd.DataFrame, case: str, topics: list[str] | None = None) -> pd.DataFrame:
    """One case's facts with sources, ordered by topic (in ``topics`` order) then fact id."""
    df = with_sources(cs[cs["case"] == case], sources)
    order = topics or list(TOPIC_LABELS)
    df = df[df["topic"].isin(order)].copy()
    df["_t"] = df["topic"].map({t: i for i, t in enumerate(order)})
    return df.sort_values(["_t", "case_fact_id"]).drop(columns="_t").reset_index(drop=True)


def fact_rows(cs: pd.DataFrame, sources: pd.DataFrame, ids: list[str]) -> list[dict]:
    """The given case facts (in the given order) as dicts with their source; unknown ids are skipped."""
    if not ids:
        return []
    df = with_sources(cs[cs["case_fact_id"].isin(ids)], sources).set_index("case_fact_id")
    return [dict(df.loc[i].to_dict(), case_fact_id=i) for i in ids if i in df.index]


def has_figure(row: dict) -> bool:
    """True when a fact carries a number (value_num) or its text contains a digit."""
    v = row.get("value_num")
    num = v is not None and not (isinstance(v, float) and math.isnan(v))
    return num or bool(re.search(r"\d", str(row.get("fact") or "")))


@dataclass(frozen=True)
class PlaybookCell:
    """One cell of the playbook: a topic (row) for one case, and the sourced facts it holds (maybe none)."""
    row: str
    case: str
    facts: list[dict]


def playbook_cells(cs: pd.DataFrame, sources: pd.DataFrame) -> list[PlaybookCell]:
    """Long form of the playbook: one cell per (row, case) with its facts (each with source)."""
    return [PlaybookCell(row=row, case=case, facts=fact_rows(cs, sources, cells.get(case, [])))
            for row, cells in PLAYBOOK for case in CASES]


def playbook_table(cs: pd.DataFrame, sources: pd.DataFrame) -> pd.DataFrame:
    """Plain-text playbook for download: rows = topics, columns = cases.

    Each cell: the fact text(s), each followed by "[source: title, url; case fact id]".
    """
    data: dict[str, dict[str, str]] = {}
    for cell in playbook_cells(cs, sources):
        if cell.facts:
            txt = "\n".join(f"{f['fact']} [source: {f.get('title')}, {f.get('url')}; {f['case_fact_id']}]"
                            for f in cell.facts)
        else:
            txt = NO_SOURCE_CELL
        data.setdefault(cell.row, {})[CASES[cell.case]] = txt
    df = pd.DataFrame.from_dict(data, orient="index")[list(CASES.values())]
    df.index.name = "Topic"
    return df.reset_index()


@dataclass(frozen=True)
class Caveat:
    """Where the sources disagree or are missing: the headline, the note, the claim and the evidence rows
    (each with its source), and the atlas record's own data note when the caveat names one."""
    kind: str
    headline: str
    note: str
    claim_row: dict | None
    evidence_rows: list[dict]
    org_id: str | None = None    # for the link to the record's atlas profile; never shown
    org_note: str | None = None
    org_name: str | None = None


def org_note(orgs: pd.DataFrame, org_id: str) -> str | None:
    """An organisation's editor's note in the shipped data, if it has one, with every record id it
    mentions ("see ES_AVAESEN") given as the organisation's name: a reader sees no internal id."""
    m = orgs[orgs["id"] == org_id]
    if m.empty or "note" not in m.columns:
        return None
    v = m.iloc[0]["note"]
    if not (isinstance(v, str) and v.strip()):
        return None
    names = dict(zip(orgs["id"], orgs["name"]))
    return re.sub(r"\b[A-Z]{2}_[A-Z0-9_]+\b", lambda t: names.get(t.group(0), t.group(0)), v)


def org_name(orgs: pd.DataFrame, org_id: str) -> str | None:
    m = orgs[orgs["id"] == org_id]
    return None if m.empty else str(m.iloc[0]["name"])


def caveats(cs: pd.DataFrame, sources: pd.DataFrame, case: str, orgs: pd.DataFrame | None = None) -> list[Caveat]:
    """Each caveat with its claim row and evidence rows (sourced) resolved, and the named record's note."""
    out = []
    for c in CAVEATS.get(case, []):
        claim = fact_rows(cs, sources, [c["claim"]]) if c.get("claim") else []
        oid = c.get("org_note")
        out.append(Caveat(kind=c.get("kind", ""), headline=c["headline"], note=c["note"],
                          claim_row=claim[0] if claim else None, evidence_rows=fact_rows(cs, sources, c["evidence"]),
                          org_id=oid, org_note=org_note(orgs, oid) if (oid and orgs is not None) else None,
                          org_name=org_name(orgs, oid) if (oid and orgs is not None) else None))
    return out


# ----------------------------------------------------------------------------- tour
# Each step: key, title (distinct, no figures), sentence (no figures), link (page key, params, label).
TOUR_STEPS: list[dict] = [
    {"key": "question", "title": "The question: could Greenwich grow a digital cluster?",
     "sentence": "A Digital Greenwich blog held up Southern Denmark and Valencia as cluster success stories; "
                 "this tour checks the claims and asks what a Greenwich Digital Cluster for connected vehicles, "
                 "urban innovation and cyber security could learn.",
     "link": ("home", {}, "Open the home page")},
    {"key": "map", "title": "Europe's clusters on the map",
     "sentence": "The atlas places sourced cluster organisations across Europe; digital, mobility and "
                 "smart-city organisations are the closest peers for Greenwich.",
     "link": ("atlas", {"types": "cluster_org"}, "Open the atlas")},
    {"key": "southern_denmark", "title": "Southern Denmark: what the jobs claim rests on",
     "sentence": "The famous jobs figure comes from one blog; evaluations against a control group find far "
                 "fewer jobs, which is still a real result.",
     "link": ("lessons", {"case": "southern_denmark"}, "Open the Southern Denmark case study")},
    {"key": "valencia", "title": "Valencia: from subsidy to self-financing",
     "sentence": "When regional cluster funding stopped, the Valencian cleantech cluster AVAESEN rebuilt itself "
                 "as a self-financing service provider for its members.",
     "link": ("atlas", {"org": "ES_AVAESEN", "types": "cluster_org"}, "Open AVAESEN in the atlas")},
    {"key": "compare", "title": "Comparing peers on jobs and internationalisation",
     "sentence": "Peers differ enormously in size, and many publish no comparable figures at all; gaps are "
                 "shown as gaps, not as zero.",
     "link": ("compare", {"ids": "DK_ODENSE_ROBOTICS,DK_WELFARE_TECH,ES_AVAESEN,ES_AVIA,UK_OBN,UK_HARWELL"},
              "Open this comparison")},
    {"key": "greenwich", "title": "The Greenwich benchmark",
     "sentence": "The Greenwich Digital Cluster does not exist yet, so the benchmark starts from the local "
                 "economy, where information and communication is still a small part of output.",
     "link": ("greenwich", {"peers": "southern_denmark"}, "Open the Greenwich benchmark")},
    {"key": "sustainability", "title": "Sustainability: the Clusters Dialectic",
     "sentence": "The seed's warning is a cluster-management industry that lives on grants; Europe's clusters "
                 "have been shifting from public money towards membership fees, as the fee-funded OBN network "
                 "shows.",
     "link": ("greenwich", {"peers": "milton_park"}, "Explore funding models on the Greenwich benchmark")},
    {"key": "lessons", "title": "Lessons for Greenwich",
     "sentence": "Choose stable strengths with a broad partnership, fund services rather than structures, "
                 "measure jobs honestly, and use Europe as a door to partners.",
     "link": ("lessons", {}, "Open the lessons and playbook")},
]

# Case facts behind each tour step's headline, each id next to the label it is shown under (rendered with
# their sources). Pairing them here, not by position in the renderer, keeps a label on its own fact.
TOUR_HEADLINES: dict[str, list[tuple[str, str]]] = {
    "question": [("C0001", "Jobs claimed for Southern Denmark's clusters"),
                 ("C0051", "Jobs claimed for Valencia's \"Green\" cluster")],
    "southern_denmark": [("C0001", "Seed blog claim"), ("C0020", "Counterfactual evaluation (lower bound)"),
                         ("C0025", "COWI evaluation, net")],
    "valencia": [("C0060", "AVAESEN's debt when the new director took over"),
                 ("C0062", "SMEs AVAESEN says it helped internationalise")],
    "greenwich": [("C0128", "Information and communication GVA"), ("C0129", "All industries GVA")],
    "sustainability": [("C0147", "Public share of European cluster organisations' funding"),
                       ("C0081", "OBN member companies (fee-funded network)")],
}
TOUR_FACTS: dict[str, list[str]] = {k: [i for i, _ in v] for k, v in TOUR_HEADLINES.items()}
# The Greenwich step's share: (part, whole) by case-fact id.
TOUR_GREENWICH_SHARE = ("C0128", "C0129")


@dataclass(frozen=True)
class TourFact:
    """One headline of a tour step: the label it is shown under and its case fact (with source), or None
    when the case-study table no longer holds that fact (shown as "unknown (no source)")."""
    fact_id: str
    label: str
    row: dict | None


def tour_facts(cs: pd.DataFrame, sources: pd.DataFrame, key: str) -> list[TourFact]:
    """The step's headline facts, each looked up by its own id (never paired by position)."""
    pairs = TOUR_HEADLINES.get(key, [])
    rows = {r["case_fact_id"]: r for r in fact_rows(cs, sources, [i for i, _ in pairs])}
    return [TourFact(i, label, rows.get(i)) for i, label in pairs]


TOUR_COMPARE_IDS = ["DK_ODENSE_ROBOTICS", "DK_WELFARE_TECH", "ES_AVAESEN", "ES_AVIA", "UK_OBN", "UK_HARWELL"]


def share_pct(part: float, whole: float) -> float | None:
    """part / whole × 100, or None when either is missing or whole is not positive."""
    try:
        p, w = float(part), float(whole)
    except (TypeError, ValueError):
        return None
    if math.isnan(p) or math.isnan(w) or w <= 0:
        return None
    return 100.0 * p / w


def org_counts_by_country(orgs: pd.DataFrame, row_type: str = "cluster_org", top: int = 10) -> pd.DataFrame:
    """Number of organisations of ``row_type`` per country (largest first, ties by code)."""
    o = orgs[orgs["row_type"] == row_type]
    c = o.groupby("country").size().rename("count").reset_index()
    return c.sort_values(["count", "country"], ascending=[False, True]).head(top).reset_index(drop=True)


@dataclass(frozen=True)
class LessonsStats:
    """How many sourced case facts and distinct sources the peer cases hold (the tour's lessons slide)."""
    facts: int
    sources: int
    cases: int


def lessons_stats(cs: pd.DataFrame) -> LessonsStats:
    """How many sourced case facts and distinct sources the three peer cases hold."""
    c = cs[cs["case"].isin(list(CASES))]
    return LessonsStats(facts=int(len(c)), sources=int(c["source_id"].nunique()), cases=int(c["case"].nunique()))


@dataclass(frozen=True)
class MapSlide:
    """The tour's map slide: what the atlas holds (all counted from the shipped data)."""
    n: int                 # cluster organisations
    countries: int
    sources: int           # distinct sources behind their facts
    top: pd.DataFrame      # the three countries with most organisations (country, count)
    drawn: int             # organisations with a sourced location


def map_slide(orgs: pd.DataFrame, facts: pd.DataFrame) -> MapSlide:
    co = orgs[orgs["row_type"] == "cluster_org"]
    return MapSlide(n=int(len(co)), countries=int(co["country"].nunique()),
                    sources=int(facts[facts["entity_id"].isin(co["id"])]["source_id"].nunique()),
                    top=org_counts_by_country(orgs, "cluster_org", top=3),
                    drawn=int(co[["lat", "lon"]].notna().all(axis=1).sum()))


@dataclass(frozen=True)
class SlideValue:
    """One organisation's sourced value on a slide: short label, number, text as the source gives it, source."""
    label: str
    field: str
    value: float | None
    text: str
    item: dict | None      # the headline evidence row (None: no source holds it)


@dataclass(frozen=True)
class CompareSlide:
    rows: list[SlideValue]   # employees in member firms, one per tour organisation (missing stays missing)
    intl: list[SlideValue]   # internationalisation values, only where a source gives one


def compare_slide(orgs: pd.DataFrame, facts: pd.DataFrame, sources: pd.DataFrame,
                  ids: tuple[str, ...] | None = None) -> CompareSlide:
    """The tour's compare slide for ``ids`` (default: TOUR_COMPARE_IDS), every value by organisation id."""
    names = dict(zip(orgs["id"].astype(str), orgs["name"].astype(str)))
    rows, intl = [], []

    def value(oid: str, fld: str) -> SlideValue:
        h = provenance.headline(facts, sources, oid, fld)
        return SlideValue(label=short_name(names.get(oid, oid)), field=fld, value=h.get("value_num") if h else None,
                          text=provenance.format_value(h, fld) if h else display.MISSING, item=h or None)

    for oid in (ids or TOUR_COMPARE_IDS):
        rows.append(value(oid, "employees_in_members"))
        intl += [v for v in (value(oid, f) for f in ("countries_partnered", "eu_cluster_partnerships"))
                 if v.item and v.value is not None]
    return CompareSlide(rows=rows, intl=intl)


def fact_value_text(row: dict | None) -> str:
    """A case fact's number as the source gives it: "more than 4,000 jobs"; display.MISSING if absent.
    Through cluster_data.display, keeping the source's decimals (up to two)."""
    if not row:
        return display.MISSING
    v = display.as_float(row.get("value_num"))
    if v is None:
        return display.MISSING
    decimals = 0 if v.is_integer() else (1 if round(v, 1) == v else 2)
    txt = display.fmt_number(v, decimals=decimals)
    unit = str(row.get("unit") or "")
    unit = unit.replace("(lower bound)", "").strip()
    unit = re.sub(r"\s+", " ", unit)
    lb = row.get("lower_bound")
    prefix = "more than " if (lb is True or str(lb).lower() == "true") else ""
    sep = "" if unit.startswith("%") else " "
    return f"{prefix}{txt}{sep}{unit}".strip()


def short_name(name: str, max_len: int = 60) -> str:
    """Short display name for chart axes: text before ' (' or ' - ', trimmed to max_len (the chart wraps
    it: a name on a slide is never cut, issue 17 points 5 and 10)."""
    s = str(name or "")
    for sep in (" (", " - ", " – "):
        if sep in s:
            s = s.split(sep, 1)[0]
    s = s.strip()
    return s if len(s) <= max_len else s[: max_len - 1].rstrip() + "…"


def fact_number_text(row: dict | None) -> str:
    """Just the number of a case fact ("more than 4,000"), for chart labels; the unit goes on the axis."""
    if not row:
        return display.MISSING
    return fact_value_text({k: row.get(k) for k in ("value_num", "lower_bound")} | {"unit": ""})
