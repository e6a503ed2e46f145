"""A session's own additions, kept in its state mapping (Streamlit's session state, or a dict in tests).

Two kinds, handled the same way: new organisations (``cluster_data.imports``) and values for existing
organisations' gaps (``cluster_data.overlay``). Each upload is validated, merged into the session's table and
summarised once: the same file (same uploader id, name and bytes) returns its stored summary on later reruns.
Nothing here writes to disk; the shipped data are never touched. Pure Python (no Streamlit).
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Callable, MutableMapping

import pandas as pd

from cluster_data import imports, overlay


@dataclass(frozen=True)
class Kind:
    """Where one kind of addition lives in the session state."""
    table_key: str        # the session's merged rows
    processed_key: str    # {upload key: summary} — each upload processed once
    nonce_key: str        # bumped by "clear" so the uploader widget starts empty


ORGANISATIONS = Kind("imported_orgs", "datapage_processed_uploads", "datapage_uploader_nonce")
OVERLAY = Kind("overlay_facts", "overlay_processed", "overlay_nonce")


def upload_key(name: str, content: bytes, file_id: str | None = None) -> str:
    return f"{file_id or ''}:{name}:{hashlib.sha256(content).hexdigest()}"


def table(state: MutableMapping, kind: Kind) -> pd.DataFrame | None:
    """The session's rows of this kind, or None when it has none."""
    df = state.get(kind.table_key) if hasattr(state, "get") else None
    return df if isinstance(df, pd.DataFrame) and not df.empty else None


def is_new(state: MutableMapping, kind: Kind, name: str, content: bytes, file_id: str | None = None) -> bool:
    """True when this upload has not been processed in this session yet."""
    return upload_key(name, content, file_id) not in (state.get(kind.processed_key) or {})


def _once(state: MutableMapping, kind: Kind, key: str, process: Callable[[], dict]) -> dict:
    """``process()`` once per upload key; later calls return the stored summary."""
    processed = state.get(kind.processed_key)
    if not isinstance(processed, dict):
        processed = {}
    if key not in processed:
        processed[key] = process()
        state[kind.processed_key] = processed
    return processed[key]


def add_organisations(name: str, content: bytes, state: MutableMapping, shipped_ids, file_id: str | None = None) -> dict:
    """Validate one uploaded file of organisations and add its valid rows to the session's imports.

    Rows whose id was already imported this session are skipped (listed in ``skipped``). Returns
    ``{"file", "n_rows", "added", "added_names", "skipped", "problems" (list of (row, column, message)), "notes"}``."""
    def process() -> dict:
        res = imports.read_upload(name, content, existing_ids=set(map(str, shipped_ids)))
        current = table(state, ORGANISATIONS)
        already = set(current["id"].astype(str)) if current is not None else set()
        is_dup = res.valid["id"].astype(str).isin(already)
        new = res.valid[~is_dup]
        if not new.empty:
            merged = new if current is None else pd.concat([current, new], ignore_index=True)
            state[ORGANISATIONS.table_key] = merged.reset_index(drop=True)
        return {"file": name, "n_rows": res.n_rows, "added": new["id"].astype(str).tolist(),
                "added_names": new["name"].astype(str).tolist(),
                "skipped": res.valid.loc[is_dup, "id"].astype(str).tolist(),
                "problems": [(p.row, p.column, p.message) for p in res.problems], "notes": list(res.notes)}
    return _once(state, ORGANISATIONS, upload_key(name, content, file_id), process)


def add_overlay(name: str, content: bytes, state: MutableMapping, org_ids, file_id: str | None = None) -> dict:
    """Validate a filled gap file and merge its valid rows into the session's overlay.

    Returns ``{file, n_rows, added (list of "id/field"), skipped_blank, problems (list of (row, column, message))}``."""
    def process() -> dict:
        res = overlay.read_overlay(name, content, org_ids)
        if not res.valid.empty:
            state[OVERLAY.table_key] = overlay.merge_overlay(table(state, OVERLAY), res.valid)
        return {"file": name, "n_rows": res.n_rows, "skipped_blank": res.skipped_blank,
                "added": (res.valid["entity_id"] + "/" + res.valid["field"]).tolist(),
                "problems": [(p.row, p.column, p.message) for p in res.problems]}
    return _once(state, OVERLAY, upload_key(name, content, file_id), process)


def clear(state: MutableMapping, kind: Kind) -> None:
    """Forget the session's rows of this kind and empty its uploader."""
    if kind.table_key in state:
        del state[kind.table_key]
    state[kind.nonce_key] = int(state.get(kind.nonce_key, 0) or 0) + 1


def problems_table(problems: list) -> pd.DataFrame:
    """An upload summary's problems as the page lists them: row (or "whole file"), column, what is wrong."""
    rows = [{"Row": "whole file" if row is None else str(row), "Column": col or "", "Problem": msg}
            for row, col, msg in problems]
    return pd.DataFrame(rows, columns=["Row", "Column", "Problem"])
