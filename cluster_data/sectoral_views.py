"""View-models of the sectoral layer (issue 13): typed content built by pure functions, laid out by
``components``. Numbers are formatted through :mod:`cluster_data.display`; missing stays missing.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from cluster_data import display, sectoral
from cluster_data.build_sectoral import SOURCE_BRES, SOURCE_BRES_UKI51, SOURCE_NAMA, SOURCE_SBS
from cluster_data.schema import GREENWICH, ROW_TYPES, SECTORS
from cluster_data.sector_baskets import DEFAULT_BASKET, NAMED_BASKETS, Basket

SBS_SOURCE_TEXT = "Eurostat SBS sbs_r_nuts06_r2, persons employed"
BRES_SOURCE_TEXT = "ONS BRES open access, employment (employees + working owners)"
NAMA_SOURCE_TEXT = "Eurostat nama_10r_3empers, employment (regional accounts)"
DENOMINATOR_TEXT = ("persons employed in SBS sections " + ", ".join(sectoral.DEFAULT_DENOMINATOR)
                    + " (the business economy without B, D and E)")
STRONG_MARK = "★"

#: LQ classes of the Specialisation map: (lower bound, upper bound, label). Fixed, so a colour means the
#: same LQ in every basket and year.
LQ_CLASSES: tuple[tuple[float, float, str], ...] = (
    (0.0, 0.8, "below 0.8"), (0.8, 1.25, "0.8–1.25 (near the European share)"),
    (1.25, 2.0, "1.25–2"), (2.0, math.inf, "2 or more"))

#: One-click regions of the region page.
SHORTCUT_REGIONS: tuple[tuple[str, str], ...] = (
    ("DK03", "Southern Denmark"), ("ES52", "Valencia"), ("UKJ1", "Oxfordshire"), ("UKI5", "London (Greenwich's NUTS 2)"))
DEFAULT_REGION = GREENWICH["nuts2"]
#: SBS's most complete year (283 NUTS 2 regions; 2015 lacks 12 countries): the default of the atlas layer and
#: the region page, so LQs are read against the fullest European reference.
DEFAULT_SBS_YEAR = 2014


def basket_by_key(key: str, sectors: pd.DataFrame) -> Basket | None:
    return next((b for b in sectoral.all_baskets(sectors) if b.key == key), None)


def basket_keys(sectors: pd.DataFrame) -> list[str]:
    return [b.key for b in sectoral.all_baskets(sectors)]


def lq_class(lq) -> int | None:
    f = display.as_float(lq)
    if f is None:
        return None
    return next(i for i, (lo, hi, _) in enumerate(LQ_CLASSES) if f < hi)


def sbs_years(metrics: pd.DataFrame) -> list[int]:
    return sorted(int(y) for y in metrics["year"].unique())


def flag_text(v) -> str:
    return "unknown" if v is pd.NA or v is None or (isinstance(v, float) and math.isnan(v)) else ("yes" if bool(v) else "no")


# --------------------------------------------------------------------------- atlas layer
@dataclass(frozen=True)
class SpecialisationLayer:
    basket: Basket
    year: int
    rows: pd.DataFrame          # region_code, lq, employment, local_units, strong, reason, cls, detail
    legend_title: str
    source: str
    n_strong: int
    n_with_lq: int


def specialisation_layer(metrics: pd.DataFrame, basket: Basket, year: int) -> SpecialisationLayer:
    d = metrics[(metrics["sector_code"] == basket.key) & (metrics["year"] == year)].copy()
    d["cls"] = d["lq"].map(lq_class)
    d["detail"] = [_layer_detail(basket, year, r) for r in d.itertuples()]
    rows = d[["region_code", "lq", "employment", "local_units", "strong", "reason", "cls", "detail"]].reset_index(drop=True)
    return SpecialisationLayer(
        basket, year, rows,
        legend_title=f"Specialisation (LQ): {basket.label}, {display.fmt_year(year)}",
        source=f"Source: {SBS_SOURCE_TEXT}, {display.fmt_year(year)}. LQ denominator: {DENOMINATOR_TEXT}; "
               "reference: all NUTS 2 regions of that year with a complete denominator.",
        n_strong=int((rows["strong"] == True).sum()),  # noqa: E712 - nullable boolean
        n_with_lq=int(rows["lq"].notna().sum()))


def _layer_detail(basket: Basket, year: int, r) -> str:
    if display.is_missing(r.lq):
        return f"{basket.label}, {year}: {display.NO_DATA} — {r.reason or sectoral.REASON_ABSENT}"
    txt = (f"{basket.label}, {year}: LQ {display.fmt_lq(r.lq)} · "
           f"{display.fmt_int(r.employment, missing=display.NO_DATA)} persons employed (SBS)")
    if r.strong is True or (r.strong is not pd.NA and r.strong is not None and bool(r.strong)):
        txt += f"\n{STRONG_MARK} Strong cluster ({sectoral.CLUSTER_MAPPING_RULE.label.split('(')[-1].rstrip(')')})"
    return txt


def not_covered_reason(code: str, year: int, sbs_codes: set[str]) -> str:
    """Why a NUTS 2016 region on the map has no SBS row in ``year``."""
    if code[:2] in {c[:2] for c in sbs_codes}:
        return (f"not in SBS {year} under this code (the region's NUTS code differs in that year's "
                "version, or Eurostat published nothing for it)")
    return "not covered: SBS by NUTS 2 covers the EU28 and Norway"


def layer_table(layer: SpecialisationLayer, names: dict[str, str]) -> pd.DataFrame:
    """The table twin of the map: one row per region with its LQ, employment, strong flag and reason."""
    r = layer.rows.sort_values(["lq", "region_code"], ascending=[False, True], na_position="last")
    return pd.DataFrame({
        "Region": [f"{names.get(c, c)} ({c})" for c in r["region_code"]],
        "LQ": [display.fmt_lq(v) for v in r["lq"]],
        "Persons employed (SBS)": [display.fmt_int(v, missing=display.NO_DATA) for v in r["employment"]],
        "Strong cluster": [flag_text(v) for v in r["strong"]],
        "Why no value": r["reason"].fillna("").tolist(),
    })


# --------------------------------------------------------------------------- region page
@dataclass(frozen=True)
class RegionView:
    code: str
    name: str
    year: int
    years: list[int]
    notice: str | None
    baskets: pd.DataFrame        # the named baskets: label, LQ, persons employed, strong
    top: pd.DataFrame            # top specialisations (divisions)
    strong: pd.DataFrame         # strong clusters (divisions)
    grow_next: pd.DataFrame      # related divisions it is not yet specialised in, by density
    similar: pd.DataFrame        # nearest regions by sector profile
    organisations: pd.DataFrame  # cluster organisations located there (nuts2_2016)
    source: str
    caveats: list[str] = field(default_factory=list)


def region_codes(metrics: pd.DataFrame) -> frozenset[str]:
    return frozenset(metrics["region_code"].unique())


def parse_region(raw_code: str | None, codes: frozenset[str]) -> tuple[str, str | None]:
    """A NUTS 2 code present in SBS (``codes``: :func:`region_codes`), or the default with a plain notice."""
    code = (raw_code or "").strip().upper()
    if not code:
        return DEFAULT_REGION, None
    if code in codes:
        return code, None
    shown = "".join(ch for ch in code[:12] if ch.isalnum())
    return DEFAULT_REGION, (f"'{shown}' is not a NUTS 2 region with SBS data; showing {DEFAULT_REGION}. "
                            "Use a NUTS 2 code such as DK03, ES52, UKJ1 or UKI5.")


def _growth_cols(metrics: pd.DataFrame, code: str, year: int, divisions: list[str]) -> pd.DataFrame:
    d = metrics[(metrics["region_code"] == code) & metrics["sector_code"].isin(divisions) & (metrics["year"] <= year)]
    d = d[d["employment"].notna()].sort_values(["sector_code", "year"])
    firsts = d.drop_duplicates("sector_code", keep="first").set_index("sector_code")
    ends = d[d["year"] == year].set_index("sector_code")["employment"]
    rows = []
    for sec, end in ends.items():
        fy = int(firsts.at[sec, "year"])
        if fy == year:
            rows.append((sec, None, None, ""))
            continue
        ch, cagr = sectoral.growth(firsts.at[sec, "employment"], end, int(year - fy))
        rows.append((sec, ch, cagr, f"{fy}–{year}"))
    return pd.DataFrame(rows, columns=["sector_code", "change", "cagr", "window"])


def region_view(metrics: pd.DataFrame, sectors: pd.DataFrame, names: dict[str, str], orgs: pd.DataFrame,
                code: str, year: int | None, notice: str | None, top_n: int = 10) -> RegionView:
    """The region's cluster portfolio in one SBS year (default: its latest year with LQs)."""
    here = metrics[metrics["region_code"] == code]
    years = sorted(int(y) for y in here.loc[here["lq"].notna(), "year"].unique()) or sorted(int(y) for y in here["year"].unique())
    if year not in years:
        year = DEFAULT_SBS_YEAR if DEFAULT_SBS_YEAR in years else years[-1]
    labels = dict(zip(sectors["sector_code"], sectors["sector_label"]))
    divs = sectors.loc[sectors["sector_level"] == "division", "sector_code"].tolist()
    y = here[here["year"] == year].set_index("sector_code")
    dv = y.loc[y.index.intersection(divs)].reset_index()
    dv = dv.merge(_growth_cols(metrics, code, year, divs), on="sector_code", how="left")

    def fmt(df: pd.DataFrame, extra: dict | None = None) -> pd.DataFrame:
        out = pd.DataFrame({
            "Division": [f"{s} {labels.get(s, '')}" for s in df["sector_code"]],
            "LQ": [display.fmt_lq(v) for v in df["lq"]],
            "Persons employed": [display.fmt_int(v, missing=display.NO_DATA) for v in df["employment"]],
        })
        for k, f in (extra or {}).items():
            out[k] = f(df)
        return out

    growth_cols = {
        "Change": lambda df: [display.fmt_change(v) for v in df["change"]],
        "Growth a year (CAGR)": lambda df: [display.fmt_pct(v, decimals=1, share=True, missing=display.NO_DATA) for v in df["cagr"]],
        "Window": lambda df: df["window"].fillna("").tolist(),
        "Strong cluster": lambda df: [flag_text(v) for v in df["strong"]],
    }
    top = dv[dv["lq"].notna() & (dv["employment"] > 0)].sort_values(["lq", "sector_code"], ascending=[False, True]).head(top_n)
    strong = dv[dv["strong"] == True].sort_values(["lq", "sector_code"], ascending=[False, True])  # noqa: E712
    nxt = dv[dv["lq"].notna() & (dv["lq"] < 1) & dv["density"].notna()].sort_values(
        ["density", "sector_code"], ascending=[False, True]).head(top_n)
    named = y.loc[y.index.intersection([b.key for b in NAMED_BASKETS])]
    baskets = pd.DataFrame({
        "Sector basket": [b.label for b in NAMED_BASKETS if b.key in named.index],
        "LQ": [display.fmt_lq(named.at[b.key, "lq"]) for b in NAMED_BASKETS if b.key in named.index],
        "Persons employed": [display.fmt_int(named.at[b.key, "employment"], missing=display.NO_DATA) for b in NAMED_BASKETS if b.key in named.index],
        "Strong cluster": [flag_text(named.at[b.key, "strong"]) for b in NAMED_BASKETS if b.key in named.index],
        "Why no value": [named.at[b.key, "reason"] for b in NAMED_BASKETS if b.key in named.index],
    })
    shares = metrics[(metrics["year"] == year) & metrics["sector_code"].isin(divs)].pivot(
        index="region_code", columns="sector_code", values="share")
    sim = sectoral.similar_regions(shares, code)
    similar = pd.DataFrame({"Region": [f"{names.get(c, c)} ({c})" for c in sim["region_code"]],
                            "Similarity (cosine, 0–1)": [display.fmt_number(v, decimals=3) for v in sim["similarity"]],
                            "Divisions compared": sim["shared"].tolist(), "code": sim["region_code"].tolist()})
    o = orgs[orgs["nuts2_2016"] == code] if "nuts2_2016" in orgs else orgs.iloc[0:0]
    o = o.sort_values(["row_type", "name"])[["id", "name", "row_type", "sector", "city", "country"]]
    caveats = []
    if code.startswith("UK"):
        caveats.append("UK regions appear in SBS until 2015; ONS BRES (a different survey) is used on /greenwich.")
    if dv["lq"].isna().all():
        caveats.append(f"No LQ in {year}: " + (dv["reason"].dropna().iloc[0] if dv["reason"].notna().any() else sectoral.REASON_ABSENT))
    return RegionView(
        code=code, name=names.get(code, code), year=int(year), years=years, notice=notice, baskets=baskets,
        top=fmt(top, growth_cols), strong=fmt(strong, {"Local units": lambda df: [display.fmt_int(v, missing=display.NO_DATA) for v in df["local_units"]]}),
        grow_next=fmt(nxt, {"Density (0–1)": lambda df: [display.fmt_number(v, decimals=2) for v in df["density"]]}),
        similar=similar, organisations=o.reset_index(drop=True),
        source=f"Source: {SBS_SOURCE_TEXT}, {year}. LQ denominator: {DENOMINATOR_TEXT}.", caveats=caveats)


@dataclass(frozen=True)
class RegionTables:
    """The region page's tables as shown (the page converts each to Arrow once)."""
    baskets: pd.DataFrame
    top: pd.DataFrame
    strong: pd.DataFrame
    grow_next: pd.DataFrame
    similar: pd.DataFrame        # without the link codes
    organisations: pd.DataFrame  # name, type and sector labels, city


def region_tables(v: RegionView) -> RegionTables:
    o = v.organisations
    orgs = o.assign(row_type=o["row_type"].map(lambda t: ROW_TYPES.get(t, t)), sector=o["sector"].map(lambda s: SECTORS.get(s, s)))
    return RegionTables(
        baskets=v.baskets, top=v.top, strong=v.strong, grow_next=v.grow_next, similar=v.similar.drop(columns=["code"]),
        organisations=display.tidy_table(orgs, {"name": "Name", "row_type": "Type", "sector": "Sector", "city": "City"}))


# --------------------------------------------------------------------------- compare
@dataclass(frozen=True)
class BasketLQ:
    basket: Basket | None
    year: int | None
    lq: float | None
    employment: float | None
    strong: object
    reason: str

    def text(self) -> str:
        if self.basket is None:
            return f"{display.NO_DATA} (no sector basket for this organisation's sector)"
        if self.lq is None:
            return f"{display.NO_DATA} — {self.reason}"
        star = f" {STRONG_MARK} strong cluster" if self.strong is True else ""
        return f"{display.fmt_lq(self.lq)} ({self.basket.label}, SBS {self.year}){star}"


def org_basket_lq(metrics: pd.DataFrame, nuts2: str | None, org_sector: str | None) -> BasketLQ:
    """The region's LQ in the basket that stands for the organisation's sector, latest SBS year with one."""
    basket = next((b for b in NAMED_BASKETS if org_sector in b.org_sectors), None)
    if basket is None or display.is_missing(nuts2):
        return BasketLQ(basket, None, None, None, None, "region unknown" if basket else "")
    d = metrics[(metrics["region_code"] == nuts2) & (metrics["sector_code"] == basket.key)].sort_values("year")
    ok = d[d["lq"].notna()]
    if ok.empty:
        return BasketLQ(basket, None, None, None, None,
                        d["reason"].iloc[-1] if len(d) else "region not in SBS under this NUTS 2016 code")
    r = ok.iloc[-1]
    return BasketLQ(basket, int(r["year"]), float(r["lq"]), display.as_float(r["employment"]),
                    True if r["strong"] is True or (r["strong"] is not pd.NA and bool(r["strong"])) else False, "")


# --------------------------------------------------------------------------- Greenwich digital economy
DIGITAL_DIVISIONS = next(b for b in NAMED_BASKETS if b.key == DEFAULT_BASKET).divisions
#: divisions related to the digital economy shown beside J58–J63 (BRES, Bexley and Greenwich).
RELATED_DIVISIONS = ("C26", "M71", "M72")
LONDON_NUTS2 = ("UKI3", "UKI4", "UKI5", "UKI6", "UKI7")


@dataclass(frozen=True)
class DigitalEconomy:
    employment: pd.DataFrame     # UKI51 BRES employment by division × year (formatted)
    lq: pd.DataFrame             # UKI51 LQ vs London and GB, BRES, by division, one year
    lq_year: int
    growth: pd.DataFrame         # UKI51 change and CAGR, BRES first → last year
    growth_window: str
    peers: pd.DataFrame          # DK03, ES52 (and UKI5) on SBS, latest common year
    peers_year: int | None
    peers_window: str
    nama_dk03: pd.DataFrame      # Southern Denmark section J from regional accounts
    statements: list[str]
    sources: list[str]


def _bres_lq(cells: pd.DataFrame, year: int, divisions: tuple[str, ...]) -> pd.DataFrame:
    """UKI51's BRES LQ against London (UKI3–UKI7) and GB (all 40 NUTS 2), same denominator sections."""
    secs = set(sectoral.DEFAULT_DENOMINATOR)
    u = cells[(cells["source_id"] == SOURCE_BRES_UKI51) & (cells["year"] == year)].set_index("sector_code")["value"]
    n2 = cells[(cells["source_id"] == SOURCE_BRES) & (cells["year"] == year)]
    lon = n2[n2["region_code"].isin(LONDON_NUTS2)].groupby("sector_code")["value"].sum(min_count=1)
    gb = n2.groupby("sector_code")["value"].sum(min_count=1)

    def den(s: pd.Series) -> float:
        return float(s[[c for c in s.index if c[0] in secs]].sum())

    du, dl, dg = den(u), den(lon), den(gb) if len(gb) else np.nan
    rows = []
    for dvs in divisions:
        e = u.get(dvs, np.nan)
        sh = e / du if du > 0 and not pd.isna(e) else np.nan
        sl = lon.get(dvs, np.nan) / dl if dl > 0 else np.nan
        sg = gb.get(dvs, np.nan) / dg if dg > 0 else np.nan
        rows.append((dvs, e, sh, sh / sl if sl and sl > 0 else np.nan, sh / sg if sg and sg > 0 else np.nan))
    return pd.DataFrame(rows, columns=["sector_code", "employment", "share", "lq_london", "lq_gb"])


def digital_economy(cells: pd.DataFrame, metrics: pd.DataFrame, sectors: pd.DataFrame, names: dict[str, str]) -> DigitalEconomy:
    """Greenwich's digital economy on BRES, and Southern Denmark and Valencia on SBS: never spliced."""
    labels = dict(zip(sectors["sector_code"], sectors["sector_label"]))
    divs = tuple(DIGITAL_DIVISIONS) + RELATED_DIVISIONS
    u = cells[(cells["source_id"] == SOURCE_BRES_UKI51) & cells["sector_code"].isin(divs)]
    piv = u.pivot(index="sector_code", columns="year", values="value").reindex(list(divs))
    years = [int(c) for c in piv.columns]
    emp = pd.DataFrame({"Division": [f"{s} {labels.get(s, '')}" for s in piv.index]})
    for y in years:
        emp[str(y)] = [display.fmt_int(v, missing=display.NO_DATA) for v in piv[y]]
    digital_total = piv.loc[list(DIGITAL_DIVISIONS)].sum(min_count=len(DIGITAL_DIVISIONS))
    total_row = pd.DataFrame([["Digital total (J58–J63)"] + [display.fmt_int(digital_total[y], missing=display.NO_DATA) for y in years]],
                             columns=emp.columns)
    k = len(DIGITAL_DIVISIONS)  # the total sits right under its divisions, before the related ones
    emp = pd.concat([emp.iloc[:k], total_row, emp.iloc[k:]], ignore_index=True)

    gy = [c for c in piv.columns]
    first, last = gy[0], gy[-1]
    grow = []
    for s in list(piv.index) + ["digital"]:
        a, b = (digital_total[first], digital_total[last]) if s == "digital" else (piv.at[s, first], piv.at[s, last])
        ch, cagr = sectoral.growth(a, b, int(last - first))
        grow.append(("Digital total (J58–J63)" if s == "digital" else f"{s} {labels.get(s, '')}",
                     display.fmt_int(a, missing=display.NO_DATA), display.fmt_int(b, missing=display.NO_DATA),
                     display.fmt_change(ch), display.fmt_pct(cagr, decimals=1, share=True, missing=display.NO_DATA)))
    growth = pd.DataFrame(grow, columns=["Division", str(first), str(last), "Change", "Growth a year (CAGR)"])

    n2_years = sorted(int(y) for y in cells.loc[cells["source_id"] == SOURCE_BRES, "year"].unique())
    lq_year = max(set(n2_years) & set(years))
    lq = _bres_lq(cells, lq_year, divs)
    lq_view = pd.DataFrame({
        "Division": [f"{s} {labels.get(s, '')}" for s in lq["sector_code"]],
        "Employment (BRES)": [display.fmt_int(v, missing=display.NO_DATA) for v in lq["employment"]],
        "Share of business-economy employment": [display.fmt_pct(v, decimals=1, share=True, missing=display.NO_DATA) for v in lq["share"]],
        "LQ vs London": [display.fmt_lq(v) for v in lq["lq_london"]],
        "LQ vs Great Britain": [display.fmt_lq(v) for v in lq["lq_gb"]],
    })

    peers, peers_year, window = _sbs_peers(metrics, labels, names)
    nama = cells[(cells["source_id"] == SOURCE_NAMA) & (cells["sector_code"] == "J") & (cells["region_code"].isin(["DK03", "DK"]))]
    nama_v = nama.pivot(index="year", columns="region_code", values="value").reset_index()
    nama_view = pd.DataFrame({"Year": [display.fmt_year(y) for y in nama_v["year"]],
                              "Southern Denmark (DK03), section J": [display.fmt_int(v, missing=display.NO_DATA) for v in nama_v.get("DK03", [])],
                              "Denmark, section J": [display.fmt_int(v, missing=display.NO_DATA) for v in nama_v.get("DK", [])]})
    statements = [
        f"Greenwich here means NUTS 3 {GREENWICH['nuts3']} (ITL3 {GREENWICH['itl3']}), **Bexley and Greenwich**: ONS "
        "publishes no Greenwich-only series in this release, so Bexley is included.",
        "**J62 (computer programming and consultancy) stands in for cyber security**: no official classification has a "
        "cyber-security sector, so J62 also counts software and IT consultancy in general.",
        "BRES *employment* (ONS) and SBS *persons employed* (Eurostat) are close but different concepts and years: the two "
        "tables are never joined into one series, and each figure names its source.",
        f"The LQs use the same denominator in both sources: employment in sections {', '.join(sectoral.DEFAULT_DENOMINATOR)}.",
    ]
    sources = [f"Bexley and Greenwich: {BRES_SOURCE_TEXT}, NUTS 3 {GREENWICH['nuts3']}, divisions summed from 5-digit "
               f"open-access counts, {years[0]}–{years[-1]}. London and GB: the same survey by NUTS 2, {n2_years[0]}–{n2_years[-1]}.",
               f"Southern Denmark, Valencia and London NUTS 2: {SBS_SOURCE_TEXT}.",
               f"Southern Denmark section J over time: {NAMA_SOURCE_TEXT}, published in whole thousands."]
    return DigitalEconomy(emp, lq_view, lq_year, growth, f"{first}–{last}", peers, peers_year, window, nama_view,
                          statements, sources)


def _sbs_peers(metrics: pd.DataFrame, labels: dict[str, str], names: dict[str, str]) -> tuple[pd.DataFrame, int | None, str]:
    regions = ("DK03", "ES52", GREENWICH["nuts2"])
    secs = ["digital"] + list(DIGITAL_DIVISIONS)
    d = metrics[metrics["region_code"].isin(regions) & metrics["sector_code"].isin(secs)]
    has = d[(d["sector_code"] == "digital") & d["lq"].notna()]
    common = set.intersection(*[set(has.loc[has["region_code"] == r, "year"]) for r in ("DK03", "ES52")]) if len(has) else set()
    if not common:
        return pd.DataFrame(), None, ""
    year = int(max(common))
    first = int(min(set.intersection(*[set(d.loc[(d["region_code"] == r) & d["employment"].notna(), "year"]) for r in ("DK03", "ES52")])))
    rows = []
    for r in regions:
        for s in secs:
            cur = d[(d["region_code"] == r) & (d["sector_code"] == s) & (d["year"] == year)]
            start = d[(d["region_code"] == r) & (d["sector_code"] == s) & (d["year"] == first)]
            if cur.empty:
                continue
            c = cur.iloc[0]
            ch, cagr = sectoral.growth(start["employment"].iloc[0] if len(start) else None, c["employment"], year - first)
            rows.append({
                "Region": f"{names.get(r, r)} ({r})",
                "Division": "Digital total (J58–J63)" if s == "digital" else f"{s} {labels.get(s, '')}",
                "Persons employed (SBS)": display.fmt_int(c["employment"], missing=display.NO_DATA),
                "LQ vs European NUTS 2": display.fmt_lq(c["lq"]),
                "National share": display.fmt_pct(c["national_share"], decimals=1, share=True, missing=display.NO_DATA),
                f"Change {first}–{year}": display.fmt_change(ch),
                "Growth a year (CAGR)": display.fmt_pct(cagr, decimals=1, share=True, missing=display.NO_DATA),
                "Why no value": c["reason"] or "",
            })
    return pd.DataFrame(rows), year, f"{first}–{year}"
