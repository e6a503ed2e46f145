"""The atlas table twin as shown, and its download (issue 17, point 9). Pure Python, no Streamlit.

Plain headers a reader understands, counts and years as integers (never "2020.0"), and for each value its
year, whether it is a lower bound ("more than X") and the source it comes from (title and link, the
producer as the source). Missing stays empty, never 0.
"""
from __future__ import annotations

import pandas as pd

from cluster_data import compare, display
from cluster_data.schema import ROW_TYPES, SECTORS

#: The sourced values the CSV carries, each with year, lower bound and source columns: (field, header).
VALUE_COLUMNS: tuple[tuple[str, str], ...] = (
    ("members_total", "Members"),
    ("employees_in_members", "Employees in member firms"),
)
#: Descriptive columns (field, header); their source is the organisation's fact for that field.
TEXT_COLUMNS: tuple[tuple[str, str], ...] = (
    ("esca_label", "ESCA label"),
)
LOCATION_FIELD = "lat_lon"   # the fact behind latitude and longitude


def _ints(s: pd.Series) -> pd.Series:
    """Whole numbers as a nullable integer column; anything else left as it is."""
    v = pd.to_numeric(s, errors="coerce")
    known = v.dropna()
    if not known.empty and (known % 1 != 0).any():
        return v
    return v.round().astype("Int64")


def _source_cols(src: pd.DataFrame, ids: pd.Series, field: str, header: str) -> dict[str, list]:
    got = src[src["field"] == field].set_index("entity_id") if not src.empty else pd.DataFrame()
    title = [got["title"].get(i) if i in got.index else None for i in ids]
    url = [got["url"].get(i) if i in got.index else None for i in ids]
    return {f"{header}: source": title, f"{header}: source link": url}


def csv_table(shown: pd.DataFrame, facts: pd.DataFrame, sources: pd.DataFrame) -> pd.DataFrame:
    """The filtered organisations as a plain-header CSV frame with a source for each value."""
    ids = shown["id"].astype(str).tolist()
    fields = [f for f, _ in VALUE_COLUMNS] + [f for f, _ in TEXT_COLUMNS] + [LOCATION_FIELD]
    src = compare.headline_sources(facts, sources, ids, fields)
    imported = shown["imported"].fillna(False).astype(bool) if "imported" in shown.columns \
        else pd.Series(False, index=shown.index)
    out: dict[str, object] = {
        "Name": shown["name"].tolist(),
        "Type": shown["row_type"].map(ROW_TYPES).fillna(shown["row_type"]).tolist(),
        "Sector": shown["sector"].map(SECTORS).fillna(shown["sector"]).tolist(),
        "Country (ISO code)": shown["country"].tolist(),
        "City": shown["city"].tolist() if "city" in shown.columns else None,
        "NUTS 2 region (2016)": shown["nuts2_2016"].tolist() if "nuts2_2016" in shown.columns else None,
        "Latitude": shown["lat"].tolist(),
        "Longitude": shown["lon"].tolist(),
        **_source_cols(src, shown["id"], LOCATION_FIELD, "Location"),
    }
    for field, header in VALUE_COLUMNS:
        if field not in shown.columns:
            continue
        out[header] = _ints(shown[field]).tolist()
        out[f"{header}: year"] = _ints(shown.get(f"{field}_year", pd.Series(index=shown.index))).tolist()
        lb = shown.get(f"{field}_lower_bound", pd.Series(False, index=shown.index))
        out[f"{header}: lower bound (more than)"] = [
            ("yes" if str(b).strip().lower() in {"true", "1"} else "no") if pd.notna(v) else None
            for v, b in zip(shown[field], lb)]
        out.update(_source_cols(src, shown["id"], field, header))
    for field, header in TEXT_COLUMNS:
        if field in shown.columns:
            out[header] = shown[field].tolist()
            out.update(_source_cols(src, shown["id"], field, header))
    out["Imported by you (this session)"] = ["yes" if b else "no" for b in imported]
    if imported.any() and "import_source_title" in shown.columns:  # the source the user gave
        for col in [c for c in out if c.endswith(": source")]:
            out[col] = [shown["import_source_title"].iloc[k] if imported.iloc[k] else v
                        for k, v in enumerate(out[col])]
    out["Id"] = ids
    frame = pd.DataFrame({k: v for k, v in out.items() if v is not None})
    for _, header in VALUE_COLUMNS:  # counts and years as integers in the file (2020, not 2020.0)
        for col in (header, f"{header}: year"):
            if col in frame.columns:
                frame[col] = _ints(frame[col])
    return frame


def table_view(shown: pd.DataFrame, size_by: str, size_label: str) -> pd.DataFrame:
    """The table twin as the page shows it: names, type and sector in words, the size measure as a count
    ("more than X" for a lower bound, missing in words) with its year."""
    t = shown.copy()
    lbs = t.get(f"{size_by}_lower_bound", pd.Series(False, index=t.index))
    t["size_text"] = [display.fmt_int(v, lower_bound=bool(lb) and pd.notna(v)) for v, lb in zip(t[size_by], lbs)]
    t[f"{size_by}_year"] = [display.fmt_year(y, missing="") for y in t.get(f"{size_by}_year", pd.Series(index=t.index))]
    t["sector_label"] = t["sector"].map(SECTORS)
    t["type_label"] = t["row_type"].map(ROW_TYPES)
    cols = {"name": "Name", "type_label": "Type", "sector_label": "Sector", "country": "Country", "city": "City",
            "size_text": size_label, f"{size_by}_year": "Year", "esca_label": "ESCA label",
            "nuts2_2016": "NUTS 2 (2016)", "id": "Id"}
    return display.tidy_table(t, cols)
