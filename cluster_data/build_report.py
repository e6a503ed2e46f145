"""What the build step could not use, by name (issue 14): nothing is dropped silently.

The build collects one :class:`BuildReport`; ``build`` prints it (the build log) and stores it in
``manifest.json`` under ``build_report``. Pure Python.
"""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class BuildReport:
    #: rows left out, each {file, row, cluster_id, field, problem}
    unusable_rows: list[dict] = field(default_factory=list)
    #: rows kept with a caveat (e.g. a numeric field whose value is text)
    notes: list[dict] = field(default_factory=list)
    #: whole files the build could not use: {file, problem}
    unusable_files: list[dict] = field(default_factory=list)
    #: fields outside the standard vocabulary, kept as sourced facts: field -> rows
    unknown_fields: dict[str, int] = field(default_factory=dict)
    files_read: list[str] = field(default_factory=list)

    @staticmethod
    def _where(r) -> dict:
        def s(k):
            v = r.get(k) if hasattr(r, "get") else None
            return v if isinstance(v, str) else ""
        row = r.get("origin_row") if hasattr(r, "get") else None
        return {"file": s("origin_file"), "row": int(row) if row is not None else None,
                "cluster_id": s("cluster_id"), "field": s("field")}

    def row(self, r, problem: str) -> None:
        self.unusable_rows.append({**self._where(r), "problem": problem})

    def note(self, r, problem: str) -> None:
        self.notes.append({**self._where(r), "problem": problem})

    def file(self, rel: str, problem: str) -> None:
        self.unusable_files.append({"file": rel, "problem": problem})

    def as_dict(self) -> dict:
        by_problem: dict[str, int] = {}
        for r in self.unusable_rows:
            by_problem[r["problem"]] = by_problem.get(r["problem"], 0) + 1
        key = lambda r: (r["file"], r["row"] or 0, r.get("problem", ""))  # noqa: E731
        return {
            "files_read": list(self.files_read),
            "unusable_files": sorted(self.unusable_files, key=lambda r: r["file"]),
            "unusable_rows_count": len(self.unusable_rows),
            "unusable_rows_by_problem": dict(sorted(by_problem.items())),
            "unusable_rows": sorted(self.unusable_rows, key=key),
            "kept_with_caveat": sorted(self.notes, key=key),
            "unknown_fields_kept": dict(sorted(self.unknown_fields.items())),
        }

    def log_lines(self) -> list[str]:
        return log_lines(self.as_dict())


def log_lines(d: dict) -> list[str]:
    """The build log's lines for a report as stored in the manifest."""
    out = [f"read {len(d['files_read'])} evidence files"]
    for f in d["unusable_files"]:
        out.append(f"UNUSABLE FILE {f['file']}: {f['problem']}")
    out.append(f"{d['unusable_rows_count']} unusable rows")
    for r in d["unusable_rows"]:
        out.append(f"  {r['file']} row {r['row']} ({r['cluster_id'] or '?'} / {r['field'] or '-'}): {r['problem']}")
    for r in d["kept_with_caveat"]:
        out.append(f"  kept: {r['file']} row {r['row']} ({r['cluster_id']} / {r['field']}): {r['problem']}")
    if d["unknown_fields_kept"]:
        out.append("fields outside the standard vocabulary, kept as sourced facts: "
                   + ", ".join(f"{k} ({v})" for k, v in d["unknown_fields_kept"].items()))
    return out
