"""Bench phase: the same closed-loop load through HAProxy with 1 and with 2 app replicas, in one run.

One cluster (``bench.cluster``: HAProxy + 2 replicas on 127.0.0.1) serves both levels; for the 1-replica
level the second replica is put in maintenance through HAProxy's runtime API, so both levels go through the
same balancer, config and processes. Each replica is warmed first (every view once, over its own port).
The load is ``bench.load.drive`` (N websocket sessions, reruns back to back, latency = rerun request ->
script_finished); CPU seconds used by the load generator (this process), the replicas and HAProxy are read
with psutil, so the report can say where the machine's cores went.
"""
from __future__ import annotations

import time
from pathlib import Path

import psutil

from . import load
from .cluster import Cluster, haproxy_binary
from .wsclient import Session

FULL = dict(sessions=20, reruns_per_session=30, time_limit_s=90.0)
QUICK = dict(sessions=2, reruns_per_session=4, time_limit_s=15.0)
REPLICA_COUNTS = (1, 2)


def _cpu_s(proc) -> float:
    """User + system CPU seconds of a process and its children (0 if gone)."""
    try:
        p = psutil.Process(proc.pid) if not isinstance(proc, psutil.Process) else proc
        procs = [p] + p.children(recursive=True)
    except (psutil.Error, AttributeError):
        return 0.0
    total = 0.0
    for q in procs:
        try:
            t = q.cpu_times()
            total += t.user + t.system
        except psutil.Error:
            pass
    return total


def _cpu_snapshot(cl: Cluster) -> dict[str, float]:
    snap = {name: _cpu_s(s.proc) for name, s in cl.replicas.items()}
    snap["haproxy"] = _cpu_s(cl.haproxy)
    me = psutil.Process().cpu_times()
    snap["load_generator"] = me.user + me.system
    return snap


def _warm(cl: Cluster, views) -> None:
    """Every view once on every replica, directly (first runs fill each process's caches)."""
    for srv in cl.replicas.values():
        s = Session(srv.ws_url, timeout=60).connect()
        try:
            for *_k, path, query in views:
                s.run(path.strip("/"), query)
        finally:
            s.close()


def measure(views, quick: bool = False, think_ms: float = 0.0, logdir: Path | None = None) -> dict:
    """Throughput and latency at ``sessions`` through HAProxy with 1 and 2 replicas (never raises)."""
    cfg = QUICK if quick else FULL
    res: dict = {"config": cfg, "levels": [], "cpu_count": psutil.cpu_count(), "method": (
        f"{cfg['sessions']} closed-loop websocket sessions (bench.load.drive, think time {think_ms:.0f} ms) through "
        "HAProxy (deploy/haproxy.cfg run locally by bench.cluster, balance leastconn) to 1 and then 2 Streamlit "
        "replicas on 127.0.0.1; for the 1-replica level the second replica is in maintenance (HAProxy runtime "
        "API), so both levels use the same balancer and processes. Every replica is warmed first (each view "
        "once). Latency = rerun request -> script_finished; RSS = all replicas. CPU seconds per process from "
        "psutil over each level.")}
    if haproxy_binary() is None:
        res["error"] = "HAProxy not installed (apt-get install haproxy): not measured"
        return res
    try:
        with Cluster(max(REPLICA_COUNTS), logdir=logdir) as cl:
            _warm(cl, views)
            names = list(cl.replicas)
            for n in REPLICA_COUNTS:
                for i, name in enumerate(names):
                    cl.set_enabled(name, i < n)
                cl.wait_status({name: ("UP" if i < n else "MAINT") for i, name in enumerate(names)}, timeout=30)
                time.sleep(0.5)
                stot0, cpu0 = cl.connections(), _cpu_snapshot(cl)
                row = load.drive(cl, views, cfg["sessions"], cfg["reruns_per_session"], cfg["time_limit_s"],
                                 think_ms=think_ms)
                stot1, cpu1 = cl.connections(), _cpu_snapshot(cl)
                row["replicas"] = n
                row["connections_per_replica"] = {k: stot1[k] - stot0.get(k, 0) for k in stot1}
                row["cpu_s"] = {k: round(cpu1[k] - cpu0.get(k, 0.0), 2) for k in cpu1}
                res["levels"].append(row)
            for name in names:
                cl.set_enabled(name, True)
    except Exception as exc:  # noqa: BLE001 - the phase reports its failure; the rest of the bench stands
        res["error"] = f"{type(exc).__name__}: {exc}"
    return res


def markdown(rep: dict | None) -> list[str]:
    """The report's section for this phase."""
    L = ["## 7. Replicas behind HAProxy (1 and 2 replicas, same run)\n"]
    if not rep:
        return L + ["Not measured.\n"]
    L.append(rep.get("method", "") + "\n")
    if rep.get("error"):
        L.append(f"Error: {rep['error']}\n")
    rows = rep.get("levels") or []
    if not rows:
        return L
    L.append("| Replicas | Sessions | Reruns | Errors | Throughput /s | p50 ms | p95 ms | max ms | RSS max MB (all) | "
             "Connections per replica | CPU s: load generator / replicas / HAProxy | Wall s |")
    L.append("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        cpu = r.get("cpu_s", {})
        reps = " + ".join(f"{cpu.get(k, 0):.1f}" for k in sorted(r.get("connections_per_replica", {})))
        conns = ", ".join(f"{k} {v}" for k, v in sorted(r.get("connections_per_replica", {}).items()))
        L.append(f"| {r['replicas']} | {r['sessions']} | {r['reruns']} | {r['errors']} | {r['throughput_rps']:.1f} | "
                 f"{r['p50_ms']:.0f} | {r['p95_ms']:.0f} | {r['max_ms']:.0f} | {r['rss_mb_max']:.0f} | {conns} | "
                 f"{cpu.get('load_generator', 0):.1f} / {reps} / {cpu.get('haproxy', 0):.1f} | "
                 f"{r['duration_s']:.1f} |")
    L.append("")
    L.append(f"How to read it: this machine has {rep.get('cpu_count')} logical CPUs, and the load generator (this "
             "process: one thread per session, parsing every message), HAProxy and the replicas all share them. "
             "One replica is one Python interpreter and uses at most about one core; a second replica can only use "
             "what the load generator and HAProxy leave of the second core (the CPU column shows where the time "
             "went). So the 2-replica figure is what two processes on one 2-core machine give, not what two "
             "machines would give; it does not measure scaling across machines.\n")
    errs = [e for r in rows for e in r.get("error_samples", [])]
    if errs:
        L.append("Error samples: " + "; ".join(f"`{e[:150]}`" for e in errs[:5]) + "\n")
    return L
