"""Scale phase: the atlas and compare pages with 10× the organisations (issue 17, point 16).

A synthetic copy of the shipped data is written to a temporary folder (never to ``cluster_data/derived``):
every cluster organisation is repeated ``factor`` times with a new id (``<id>_X<k>``), a name marked
"(synthetic copy k)" and its point moved by a small deterministic offset, and its evidence rows are repeated
with it, so every page code path (filters, points, table twin, profiles, compare look-ups) sees ``factor``× the
rows. A server is started on that folder (``CLUSTER_ATLAS_DATA_DIR``) next to one on the shipped data, and
the same views are timed over the websocket (warm median script time) and weighed (bytes of one fresh page
view). Nothing here is shown in the app; the rows exist only for the benchmark's run.
"""
from __future__ import annotations

import csv
import os
import shutil
import statistics
import tempfile
from pathlib import Path

from .server import REPO, Server
from .wsclient import Session

SCALE_VIEWS = [("atlas", "/atlas", ""), ("compare", "/compare", "")]


def _rows(path: Path) -> tuple[list[str], list[dict]]:
    with path.open(newline="", encoding="utf-8") as fh:
        rd = csv.DictReader(fh)
        return list(rd.fieldnames or []), list(rd)


def _write(path: Path, fields: list[str], rows: list[dict]) -> None:
    with path.open("w", newline="", encoding="utf-8") as fh:
        wr = csv.DictWriter(fh, fieldnames=fields)
        wr.writeheader()
        wr.writerows(rows)


def _shift(value: str, k: int, step: float, lo: float, hi: float) -> str:
    """A deterministic offset of ``k`` steps, kept inside the schema's bounds; blank stays blank."""
    if not value:
        return value
    v = float(value) + step * (((k % 5) - 2) or 1)
    return f"{min(hi, max(lo, v)):.4f}"


def make_scaled_dataset(src: Path, dst: Path, factor: int) -> int:
    """Copy ``src`` to ``dst`` with every cluster organisation repeated ``factor`` times; return the count."""
    shutil.copytree(src, dst, dirs_exist_ok=True)
    fields, orgs = _rows(src / "organisations.csv")
    ffields, facts = _rows(src / "facts.csv")
    by_entity: dict[str, list[dict]] = {}
    for f in facts:
        by_entity.setdefault(f["entity_id"], []).append(f)
    out_orgs, out_facts = list(orgs), list(facts)
    for k in range(1, factor):
        for o in orgs:
            if o.get("row_type") != "cluster_org":
                continue
            new_id = f"{o['id']}_X{k}"
            out_orgs.append(o | {"id": new_id, "name": f"{o['name']} (synthetic copy {k})",
                                 "lat": _shift(o.get("lat", ""), k, 0.07, 27, 72),
                                 "lon": _shift(o.get("lon", ""), k, 0.11, -32, 46)})
            out_facts += [f | {"fact_id": f"{f['fact_id']}_X{k}", "entity_id": new_id}
                          for f in by_entity.get(o["id"], [])]
    _write(dst / "organisations.csv", fields, out_orgs)
    _write(dst / "facts.csv", ffields, out_facts)
    return sum(1 for o in out_orgs if o.get("row_type") == "cluster_org")


def _measure(srv: Server, warmup: int, reps: int) -> list[dict]:
    rows = []
    for key, path, query in SCALE_VIEWS:
        fresh = Session(srv.ws_url).connect()
        first = fresh.run(path.strip("/"), query, drain=0.3)
        fresh.close()
        s = Session(srv.ws_url).connect()
        times, errors = [], list(first.errors)
        for i in range(warmup + reps):
            r = s.run(path.strip("/"), query)
            errors += r.errors
            if i >= warmup:
                times.append(r.ms)
        s.close()
        rows.append({"page": key, "view": path + (f"?{query}" if query else ""), "bytes": first.bytes,
                     "median_ms": statistics.median(times), "errors": sorted(set(errors))})
    return rows


def _start(data_dir: Path | None, log_path: Path) -> Server:
    """A server whose process sees ``CLUSTER_ATLAS_DATA_DIR`` (the child inherits the environment)."""
    srv = Server("app.py", log_path=log_path)
    old = os.environ.get("CLUSTER_ATLAS_DATA_DIR")
    try:
        if data_dir is not None:
            os.environ["CLUSTER_ATLAS_DATA_DIR"] = str(data_dir)
        srv.start()
    finally:
        if old is None:
            os.environ.pop("CLUSTER_ATLAS_DATA_DIR", None)
        else:
            os.environ["CLUSTER_ATLAS_DATA_DIR"] = old
    srv.wait_healthy()
    return srv


def measure(out: Path, factor: int = 10, warmup: int = 2, reps: int = 5) -> dict:
    """Shipped data vs ``factor``× the organisations, the same views, one run."""
    levels = []
    with tempfile.TemporaryDirectory(prefix="atlas-scale-") as tmp:
        scaled = Path(tmp) / "derived"
        n_scaled = make_scaled_dataset(REPO / "cluster_data" / "derived", scaled, factor)
        for label, data_dir in (("1×", None), (f"{factor}×", scaled)):
            srv = _start(data_dir, out / f"server-scale-{factor if data_dir else 1}.log")
            try:
                levels.append({"scale": label, "views": _measure(srv, warmup, reps)})
            finally:
                srv.stop()
    _, shipped = _rows(REPO / "cluster_data" / "derived" / "organisations.csv")
    levels[0]["organisations"] = sum(1 for o in shipped if o.get("row_type") == "cluster_org")
    levels[1]["organisations"] = n_scaled
    return {"factor": factor, "levels": levels,
            "method": f"synthetic copy of the shipped data in a temporary folder with every cluster organisation "
                      f"repeated {factor}× (new ids, names marked synthetic, points offset; evidence rows repeated); "
                      f"a server on each data folder; bytes of one fresh view; warm median script time over "
                      f"{reps} reruns after {warmup} warm-up. Never shipped."}


BYTES_AT_SCALE = 1_000_000  # the atlas view stays ≤ 1 MB at 10× (issue 17, point 16)


def budget_rows(res: dict) -> list[dict]:
    """The scale budget: the atlas view at ``factor``× stays ≤ 1 MB and every scaled view runs without error."""
    sc = res.get("scale")
    if not sc or len(sc.get("levels", [])) < 2:
        return []
    big = sc["levels"][-1]
    atlas = next((v for v in big["views"] if v["page"] == "atlas"), None)
    if atlas is None:
        return []
    errs = [e for v in big["views"] for e in v["errors"]]
    return [{"budget": f"atlas view at {sc['factor']}× the organisations ≤ 1 MB, no errors", "limit": "1 MB, 0 errors",
             "measured": f"{atlas['bytes'] / 1000:.1f} kB, {len(errs)} errors ({big['organisations']} organisations)",
             "pass": atlas["bytes"] <= BYTES_AT_SCALE and not errs, "note": "; ".join(errs[:2])}]


def markdown(res: dict) -> list[str]:
    """The report's scale section: payload and script time at 1× and ``factor``×, and how they grow."""
    sc = res.get("scale")
    if not sc:
        return []
    if sc.get("error"):
        return ["## Scale\n", f"Not measured: {sc['error']}\n"]
    lv = sc["levels"]
    out = ["## Scale: 10× the organisations\n", sc["method"] + "\n",
           "| view | " + " | ".join(f"{x['scale']} ({x['organisations']} orgs) bytes / script ms" for x in lv)
           + " | growth bytes / ms |", "|---|" + "---|" * (len(lv) + 1)]
    for i, v in enumerate(lv[0]["views"]):
        cells = [f"{x['views'][i]['bytes'] / 1000:.1f} kB / {x['views'][i]['median_ms']:.0f} ms" for x in lv]
        a, b = lv[0]["views"][i], lv[-1]["views"][i]
        growth = (f"{b['bytes'] / a['bytes']:.1f}× / {b['median_ms'] / a['median_ms']:.1f}×"
                  if a["bytes"] and a["median_ms"] else "–")
        out.append(f"| {v['view']} | " + " | ".join(cells) + f" | {growth} |")
    return out + [""]
