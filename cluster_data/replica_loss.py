"""What happens to imported organisations when the app server holding a session is lost (pure Python).

Deployed behind a load balancer (``deploy/``), each browser session lives in one replica's memory. Every
view is a function of its URL, so a browser whose replica dies reconnects to another and shows the same
view; imported organisations are the one thing that lives only in the session. The import tab states this
(:data:`STATEMENT`, also quoted in the README's "Deploy" section) and offers the session's imported rows
as a download in the upload-template format, which the same tab imports again.
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from cluster_data import exports
from cluster_data.display import fmt_int

__all__ = ["STATEMENT", "ImportBackup", "import_backup"]

#: The plain statement shown on the import tab (and quoted in the README).
STATEMENT = ("Imported organisations are kept only in the memory of the app server that holds this browser "
             "session. If that server is lost (restarted, updated, scaled down or crashed), your browser "
             "reconnects to another server and shows the same page from its link, but the imported "
             "organisations are gone. Keep a copy: download them below, and upload that file here again to "
             "restore them.")


@dataclass(frozen=True)
class ImportBackup:
    """The import tab's replica-loss notice: the statement and, when there are imports, their download."""
    statement: str
    n_rows: int
    file_name: str
    label: str
    csv: bytes | None  # None: nothing imported in this session


def import_backup(imported: pd.DataFrame | None) -> ImportBackup:
    """The notice for this session's imports (``None`` or empty: the statement alone)."""
    tables = exports.export_tables({}, imported)
    rows = tables.get(exports.IMPORTED_FILE)
    if rows is None:
        return ImportBackup(STATEMENT, 0, exports.IMPORTED_FILE, "", None)
    label = f"Download your {fmt_int(len(rows))} imported organisation(s) ({exports.IMPORTED_FILE})"
    return ImportBackup(STATEMENT, len(rows), exports.IMPORTED_FILE, label, exports.csv_bytes(rows))
