"""Cluster Atlas benchmark: one command, one machine, loopback only.

Usage (from the repository root)::

    .venv/bin/python -m bench                 # full run (~3 min on 2 cores; the soak and Chromium are most of it)
    .venv/bin/python -m bench --quick         # smoke run used by CI (tests/test_bench.py), < 90 s
    .venv/bin/python -m bench --out DIR       # write report.md + report.json to DIR
                                              # (default bench/results/, gitignored)
    .venv/bin/python -m bench --skip-browser  # no Chromium (browser section marked "not measured")
    .venv/bin/python -m bench --think-ms 500  # add think time between a session's reruns
    .venv/bin/python -m bench --skip-scale    # no 10x-organisations phase (bench/scale.py)
    .venv/bin/python -m bench --skip-replicas # no replicas-behind-HAProxy phase (bench/replicas.py)
    .venv/bin/python -m bench --no-quickack   # time through a plain socket (see bench/wsclient.py)
    .venv/bin/python -m bench.profile /compare   # pyinstrument: where a page's warm run spends time

What it does, in one run: starts the app (``streamlit run app.py``) and a bare one-line page
(``bench/bare_app.py``) on 127.0.0.1 with the repo's ``.streamlit/config.toml``, then measures

1. script time per page view, warm (median of repeated reruns over the app's websocket), next to
   the bare page measured the same way in the same run (the ratio is the figure that matters).
   The reference bare page runs with Streamlit's default runner settings (a full garbage
   collection after every run); the app turns that collection off (``runner.postScriptGC``), so
   the bare page is also timed under the app's own config and that ratio is reported beside it;
2. browser time to ready per page (headless /usr/bin/chromium via Playwright; non-loopback requests
   are blocked and counted): first visit and warm revisit;
3. bytes sent to the browser per page view (sum of ForwardMsg payloads of one fresh page run);
4. concurrency: N = 1, 5, 10, 20 sessions (quick: 1, 2) driving reruns back to back over the
   websocket: throughput, p50/p95 latency, errors, server RSS (process + children, psutil);
5. cold start: process start -> home page script finished over the websocket;
6. soak: after a warm-up to steady state (each session visits every view, then 1,000 more reruns),
   2,000 reruns across 10 long-lived sessions (quick: 100 across 5): errors and RSS growth, i.e. memory
   that a rerun leaves behind; then session churn (1,000 reruns, every session reconnecting every 50),
   reported beside it: Streamlit keeps a disconnected session for ``server.disconnectedSessionTTL``
   (120 s) so that a dropped tab can resume, and that memory is retained by design, not leaked,
8. scale: the atlas and compare views on a synthetic copy with 10x the organisations (bench/scale.py),
7. replicas: 20 sessions (quick: 2) through HAProxy with 1 and with 2 app replicas (bench/replicas.py),

and writes ``report.md`` (budget table with pass/fail, then details) and ``report.json``.
The exit status is 0 even when budgets fail (read the report); it is 2 if the benchmark itself broke.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

from . import load, replicas
from .report import budgets, write_markdown
from .server import REPO, Server
from .wsclient import Session

BARE_REPS = 3  # the bare page's visual complete is the median of this many measurements
REFERENCE = {"plotly": "one three-bar Plotly chart alone", "table": "one 20-row table alone"}  # bench/reference_app.py

# Extra views (beyond each page's default URL) exercising the URL contract; informational + budgeted.
VARIANTS = [
    ("atlas", "org=UK_OBN"),
    ("compare", "ids=DK_ODENSE_ROBOTICS,ES_AVAESEN,UK_OBN"),
    ("greenwich", "peers=valencia"),
    ("tour", "step=2"),
    ("home", "present=1"),
    ("atlas", "ind=specialisation&basket=digital&year=2014"),  # issue 13: the SBS specialisation layer
    ("regions", "region=DK03"),
    ("greenwich", "view=Digital+economy"),
]

QUICK = dict(warmup=1, reps=3, levels=[1, 2], reruns_per_session=4, level_time_s=15.0, cold_reps=1,
             soak_sessions=5, soak_total=100, soak_time_s=40.0, soak_settle=0, churn_total=20, reconnect_every=2,
             variants=False)
FULL = dict(warmup=2, reps=15, levels=[1, 5, 10, 20], reruns_per_session=20, level_time_s=90.0, cold_reps=3,
            soak_sessions=10, soak_total=2000, soak_time_s=600.0, soak_settle=1000, churn_total=1000,
            reconnect_every=50, variants=True)


PHASES: dict[str, float] = {}
_T = [0.0, ""]


def log(msg: str, phase: bool = True) -> None:
    now = time.perf_counter()
    if _T[1]:
        PHASES[_T[1]] = round(now - _T[0], 2)
    if phase:
        _T[0], _T[1] = now, msg
    print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def read_pages():
    """The app's pages (components.registry.PAGES: no Streamlit import, so reading it starts nothing)."""
    from components.registry import PAGES

    return list(PAGES)


def page_views(with_variants: bool) -> list[tuple[str, str, str, str]]:
    """(page key, label, url path, query) for every page in the registry (+ variants)."""
    pages = read_pages()

    views = [(p.key, p.url_path, p.url_path, "") for p in pages]
    if with_variants:
        paths = {p.key: p.url_path for p in pages}
        views += [(k, f"{paths[k]}?{q}", paths[k], q) for k, q in VARIANTS if k in paths]
    return views


def cold_start_once(srv: Server) -> tuple[float, float]:
    """Start ``srv``; return (ms to websocket accepted, ms to the home page's script_finished)."""
    srv.start()
    deadline = time.perf_counter() + 60
    s = Session(srv.ws_url, timeout=60)
    while True:
        try:
            s.connect()
            break
        except Exception:  # noqa: BLE001 - not listening yet
            if time.perf_counter() > deadline or srv.proc.poll() is not None:
                raise RuntimeError("cold start: server never accepted the websocket")
            time.sleep(0.02)
    listening = (time.perf_counter() - srv.t_start) * 1000
    r = s.run("")
    ready = (time.perf_counter() - srv.t_start) * 1000
    s.close()
    if r.errors:
        raise RuntimeError(f"cold start home run failed: {r.errors}")
    return listening, ready


def cold_start(reps: int, app: Server, logdir: Path) -> dict:
    """``reps`` fresh server processes; the last one is ``app`` (left running for the other phases)."""
    runs, health = [], []
    for i in range(reps):
        last = i == reps - 1
        srv = app if last else Server("app.py", log_path=logdir / "server-cold.log")
        try:
            h, r = cold_start_once(srv)
        finally:
            if not last:
                srv.stop()
        health.append(h)
        runs.append(r)
        log(f"cold start {i + 1}/{reps}: {r:.0f} ms", phase=False)
    return {"runs_ms": runs, "median_ms": statistics.median(runs), "listening_ms": health,
            "method": "new `streamlit run app.py` process; clock starts at process spawn and stops when the first "
                      "home-page run reports script_finished over the websocket (OS file cache warm; the last "
                      "cold-started process is the one the other phases measure)."}


def script_times(app: Server, bare: Server, views, warmup: int, reps: int, bare_cfg: Server | None = None) -> dict:
    """One websocket session per view; warm-up reruns, then `reps` interleaved rounds over all views."""
    sess = {"__bare__": Session(bare.ws_url).connect(),
            "__bare_plain__": Session(bare.ws_url, quickack=False).connect()}
    if bare_cfg is not None:
        sess["__bare_appcfg__"] = Session(bare_cfg.ws_url).connect()
    for _k, label, *_ in views:
        sess[label] = Session(app.ws_url).connect()
    times: dict[str, list[float]] = {k: [] for k in sess}
    errors: dict[str, list[str]] = {k: [] for k in sess}

    def one(label, path, query, keep):
        r = sess[label].run(path.strip("/"), query)
        if keep:
            times[label].append(r.ms)
        errors[label].extend(r.errors)

    for rnd in range(warmup + reps):
        keep = rnd >= warmup
        one("__bare__", "/", "", keep)
        one("__bare_plain__", "/", "", keep)
        if bare_cfg is not None:
            one("__bare_appcfg__", "/", "", keep)
        for _k, label, path, query in views:
            one(label, path, query, keep)
    for s in sess.values():
        s.close()

    def summary(v):
        return {"median_ms": statistics.median(v), "min_ms": min(v), "max_ms": max(v), "n": len(v), "runs_ms": v}

    bare_sum = summary(times["__bare__"]) | {"errors": sorted(set(errors["__bare__"]))}
    bare_plain = summary(times["__bare_plain__"])
    bare_app = summary(times["__bare_appcfg__"]) if bare_cfg is not None else None
    rows = []
    for k, label, path, query in views:
        row = {"page": k, "view": label, "path": path, "query": query, **summary(times[label]),
               "errors": sorted(set(errors[label]))}
        row["ratio_to_bare"] = row["median_ms"] / bare_sum["median_ms"] if bare_sum["median_ms"] else 0.0
        if bare_app and bare_app["median_ms"]:
            row["ratio_to_bare_appcfg"] = row["median_ms"] / bare_app["median_ms"]
        rows.append(row)
    ack = "client asks for TCP quick ACKs before each read" if Session.DEFAULT_QUICKACK else "default socket"
    return {"bare": bare_sum, "bare_default_socket": bare_plain, "bare_appcfg": bare_app, "views": rows,
            "method": f"websocket rerun request -> script_finished, same session per view ({ack}); {warmup} "
                      f"warm-up rerun(s) discarded, then median of {reps}; views and the bare page interleaved."}


def payloads(app: Server, bare: Server, views) -> dict:
    """Bytes of one page view: a fresh session (no cached messages), one run, trailing messages drained."""
    rows = []
    for srv, k, label, path, query in [(bare, "bare", "bare", "/", "")] + [(app, *v) for v in views]:
        s = Session(srv.ws_url).connect()
        r = s.run(path.strip("/"), query, drain=0.3)
        s.close()
        rows.append({"page": k, "view": label, "bytes": r.bytes, "messages": r.messages, "deltas": r.deltas,
                     "errors": r.errors})
    return {"views": rows,
            "method": "fresh websocket session (browser with empty message cache), one run of the view: sum of "
                      "ForwardMsg bytes received (uncompressed websocket payload), incl. session/status messages."}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="few repetitions, N=1,2, small soak (CI smoke run)")
    ap.add_argument("--out", type=Path, default=REPO / "bench" / "results", help="output directory")
    ap.add_argument("--skip-browser", action="store_true", help="skip the Chromium measurements")
    ap.add_argument("--no-quickack", action="store_true",
                    help="measure through a default socket (Linux delayed ACKs then add ~40-80 ms per run)")
    ap.add_argument("--skip-scale", action="store_true", help="skip the 10x-organisations phase")
    ap.add_argument("--skip-replicas", action="store_true", help="skip the replicas-behind-HAProxy phase")
    ap.add_argument("--think-ms", type=float, default=0.0, help="think time between reruns in load phases")
    args = ap.parse_args(argv)
    cfg = QUICK if args.quick else FULL
    Session.DEFAULT_QUICKACK = not args.no_quickack
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    t_all = time.perf_counter()
    views = page_views(cfg["variants"])
    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True,
                                text=True, timeout=5).stdout.strip()
    except Exception:  # noqa: BLE001
        commit = ""
    import psutil
    import streamlit

    res: dict = {"meta": {
        "mode": "quick" if args.quick else "full",
        "started_utc": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "git_commit": commit, "python": platform.python_version(), "streamlit": streamlit.__version__,
        "platform": platform.platform(), "cpu_count": psutil.cpu_count(), "cpu_count_physical":
            psutil.cpu_count(logical=False), "mem_total_mb": psutil.virtual_memory().total / 1e6,
        "think_ms": args.think_ms, "quickack": Session.DEFAULT_QUICKACK, "config": cfg, "loadavg_start": list(os.getloadavg()),
    }}
    res["pages"] = [v[0] for v in views if not v[3]]

    app = Server("app.py", log_path=out / "server-app.log")
    # the reference: a bare page as Streamlit ships it (post-run GC on); and the same page under the app's config
    bare = Server("bench/bare_app.py", log_path=out / "server-bare.log", extra_args=["--runner.postScriptGC", "true"])
    bare_cfg = Server("bench/bare_app.py", log_path=out / "server-bare-appcfg.log")
    try:
        log("cold start")
        res["cold_start"] = cold_start(cfg["cold_reps"], app, out)
        bare.start()
        bare_cfg.start()
        bare.wait_healthy()
        bare_cfg.wait_healthy()
        res["rss_mb_idle"] = {"app": app.rss_mb(), "bare": bare.rss_mb()}
        log("script time per view")
        res["script_time"] = script_times(app, bare, views, cfg["warmup"], cfg["reps"], bare_cfg=bare_cfg)
        log("bytes per page view")
        res["payload"] = payloads(app, bare, views)
        if not args.skip_scale:
            log("scale: 10x the organisations")
            from . import scale
            try:
                res["scale"] = scale.measure(out, factor=10, warmup=cfg["warmup"], reps=max(2, cfg["reps"] // 3))
            except Exception as exc:  # noqa: BLE001 - reported, the other phases go on
                res["scale"] = {"error": f"{type(exc).__name__}: {exc}"}
        if args.skip_browser:
            res["browser"] = {"views": [], "error": "skipped (--skip-browser)"}
        else:
            log("browser time to ready")
            from . import browser
            try:
                res["browser"] = browser.measure(app.base, [(label, path, q) for _k, label, path, q in views])
                for row, v in zip(res["browser"]["views"], views):
                    row["page"] = v[0]
                # visual complete is compared with a bare one-line page measured the same way in the same run:
                # three times (the median is the reference; one sample of it moved every ratio by ±0.3x)
                res["browser"]["bare"] = browser.median_view(
                    [browser.measure(bare.base, [("bare", "/", "")])["views"][0] for _ in range(BARE_REPS)])
                # what one chart or one table costs on its own, beside the same bare page (informational)
                with Server("bench/reference_app.py") as ref:
                    ref.wait_healthy()
                    res["browser"]["reference"] = browser.measure(
                        ref.base, [(REFERENCE[k], "/", f"kind={k}") for k in REFERENCE])["views"]
            except Exception as exc:  # noqa: BLE001
                res["browser"] = {"views": [], "error": f"{type(exc).__name__}: {exc}"}
        res["browser"]["method"] = ("headless /usr/bin/chromium (Playwright, software WebGL), 1366x900, new context "
                                    "per view; first visit = empty cache, warm = page.goto again in the same context "
                                    "once the first visit is idle; ready = from goto to stApp "
                                    "data-test-script-state=notRunning with >=1 element in stMain and no skeleton; "
                                    "settled = ready plus two animation frames (the main thread free again). "
                                    "Offline: Chromium resolves no host but loopback (--host-resolver-rules), and every "
                                    "request it attempts beyond loopback is recorded over CDP and counted (no "
                                    "Playwright route() interception: it added 0.4-1 s per view to the measurement).")
        res["concurrency"] = []
        for n in cfg["levels"]:
            log(f"concurrency N={n}")
            res["concurrency"].append(load.drive(app, views, n, cfg["reruns_per_session"], cfg["level_time_s"],
                                                 think_ms=args.think_ms))
        log(f"soak: {cfg['soak_total']} reruns across {cfg['soak_sessions']} sessions")
        warm = load.drive(app, views, cfg["soak_sessions"], max(1, len(views) if not args.quick else 1), 120,
                          think_ms=0)
        if cfg["soak_settle"]:
            settle = load.drive(app, views, cfg["soak_sessions"], cfg["soak_settle"] // cfg["soak_sessions"], 300,
                                think_ms=0)
            warm["reruns"] += settle["reruns"]
            warm["errors"] += settle["errors"]
        rss0 = app.rss_mb()
        soak = load.drive(app, views, cfg["soak_sessions"], cfg["soak_total"] // cfg["soak_sessions"],
                          cfg["soak_time_s"], think_ms=0)
        time.sleep(1.0)
        rss1 = app.rss_mb()
        log(f"session churn: {cfg['churn_total']} reruns, reconnecting every {cfg['reconnect_every']}")
        churn = load.drive(app, views, cfg["soak_sessions"], cfg["churn_total"] // cfg["soak_sessions"],
                           cfg["soak_time_s"], think_ms=0, reconnect_every=cfg["reconnect_every"])
        time.sleep(1.0)
        rss2 = app.rss_mb()
        soak.update({"warmup_reruns": warm["reruns"], "warmup_errors": warm["errors"],
                     "rss_mb_after_warmup": rss0, "rss_mb_final": rss1,
                     "rss_growth_pct": (rss1 - rss0) / rss0 * 100 if rss0 else 0.0,
                     "churn": {"reruns": churn["reruns"], "errors": churn["errors"],
                               "error_samples": churn["error_samples"], "reconnect_every": cfg["reconnect_every"],
                               "rss_mb_start": rss1, "rss_mb_end": rss2,
                               "rss_growth_pct": (rss2 - rss1) / rss1 * 100 if rss1 else 0.0},
                     "method": "warm-up to steady state (each session visits the views once, then "
                               f"{cfg['soak_settle']} more reruns), RSS read; then the soak (closed loop, the same "
                               "long-lived sessions); RSS read 1 s after the end. Then session churn: every session "
                               f"reconnects every {cfg['reconnect_every']} reruns (a new Streamlit session each time)."})
        soak["errors"] += churn["errors"]
        soak["error_samples"] = (soak["error_samples"] + churn["error_samples"])[:10]
        res["soak"] = soak
        res["rss_mb_end"] = {"app": app.rss_mb(), "bare": bare.rss_mb()}
    finally:
        app.stop()
        bare.stop()
        bare_cfg.stop()
    if args.skip_replicas:
        res["replicas"] = {"error": "skipped (--skip-replicas)"}
    else:  # after the single app has stopped: its own cluster of replicas behind HAProxy
        log("replicas behind HAProxy (1 and 2)")
        res["replicas"] = replicas.measure(views, quick=args.quick, think_ms=args.think_ms, logdir=out)
    log("report", phase=False)
    res["meta"]["duration_s"] = time.perf_counter() - t_all
    res["meta"]["loadavg_end"] = list(os.getloadavg())
    res["meta"]["phase_s"] = dict(PHASES)
    res["budgets"] = budgets(res)
    (out / "report.json").write_text(json.dumps(res, indent=2, default=str), encoding="utf-8")
    write_markdown(res, out / "report.md")
    failed = [b for b in res["budgets"] if b["pass"] is False]
    log(f"done in {res['meta']['duration_s']:.0f} s: {len(res['budgets']) - len(failed)} budget lines pass, "
        f"{len(failed)} fail -> {out / 'report.md'}")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        sys.exit(130)
    except Exception as exc:  # noqa: BLE001
        log(f"benchmark failed: {type(exc).__name__}: {exc}")
        raise SystemExit(2)
