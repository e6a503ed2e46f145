"""Budgets (pass/fail) and the Markdown report."""
from __future__ import annotations

from pathlib import Path

from . import scale
from . import replicas

MB = 1_000_000
SCRIPT_MS = 150.0
SCRIPT_RATIO = 3.0
BYTES = 1 * MB
WARM_READY_MS = 1500.0
COLD_MS = 5000.0
P95_MS = 1000.0
RSS_MB = 400.0
SOAK_GROWTH_PCT = 10.0
BUDGET_SESSIONS = 20


def _worst(rows, key):
    """Per page: the row with the largest value of `key` (over the page's default view and variants)."""
    out: dict[str, dict] = {}
    for r in rows:
        v = r.get(key)
        if v is None:
            continue
        if r["page"] not in out or v > out[r["page"]][key]:
            out[r["page"]] = r
    return out


VISUAL_RATIO = 2.0


def _visual_budgets(br: dict, add) -> None:
    """Warm visual complete (every chart, map and table drawn, two frames later) ≤ 2× the bare page's."""
    bare = (br.get("bare") or {}).get("warm_visual_ms")
    for r in br.get("views", []):
        if r.get("query"):
            continue
        ms = r.get("warm_visual_ms")
        ok = ms is not None and bare is not None and ms <= VISUAL_RATIO * bare and not r.get("error")
        add(f"warm visual complete in browser {r['path']} ≤ 2× bare", f"{VISUAL_RATIO * bare:.0f} ms" if bare else "2× bare",
            f"{ms:.0f} ms ({ms / bare:.1f}× bare)" if ms is not None and bare else "not reached", ok,
            f"bare page {bare:.0f} ms" if bare else (br.get("bare") or {}).get("error", "bare page not measured"))


def budgets(res: dict) -> list[dict]:
    b: list[dict] = []

    def add(name, limit, measured, ok, note=""):
        b.append({"budget": name, "limit": limit, "measured": measured, "pass": ok, "note": note})

    st = res.get("script_time", {})
    bare = st.get("bare", {}).get("median_ms", 0.0)
    for page, r in _worst(st.get("views", []), "median_ms").items():
        add(f"warm script time {page} ≤ {SCRIPT_MS:.0f} ms", f"{SCRIPT_MS:.0f} ms", f"{r['median_ms']:.1f} ms",
            r["median_ms"] <= SCRIPT_MS and not r["errors"], f"worst view {r['view']}" + (
                f"; errors: {r['errors'][:2]}" if r["errors"] else ""))
        add(f"warm script time {page} ≤ {SCRIPT_RATIO:.0f}× bare", f"{SCRIPT_RATIO * bare:.1f} ms "
            f"(bare {bare:.1f} ms)", f"{r['ratio_to_bare']:.1f}×", r["ratio_to_bare"] <= SCRIPT_RATIO,
            f"worst view {r['view']}")
    for page, r in _worst(res.get("payload", {}).get("views", []), "bytes").items():
        if page == "bare":
            continue
        add(f"bytes per page view {page} ≤ 1 MB", "1 MB", f"{r['bytes'] / 1000:.1f} kB", r["bytes"] <= BYTES,
            f"worst view {r['view']}")
    br = res.get("browser", {})
    if br.get("views"):
        for r in br["views"]:
            if r.get("query"):
                continue
            ms = r.get("warm_ready_ms")
            settled = r.get("warm_settled_ms")
            note = r.get("error", "") or (f"settled (two frames later) {settled:.0f} ms" if settled is not None else "")
            add(f"warm page ready in browser {r['path']} ≤ 1.5 s", "1500 ms",
                f"{ms:.0f} ms" if ms is not None else "not reached",
                ms is not None and ms <= WARM_READY_MS and not r.get("error"), note)
        add("offline: requests beyond loopback", "0", str(br.get("blocked_total", 0)), br.get("blocked_total", 0) == 0,
            ", ".join(br.get("blocked_urls", [])[:3]))
        _visual_budgets(br, add)
    else:
        add("warm page ready in browser ≤ 1.5 s", "1500 ms", "not measured", None, br.get("error", ""))
    cs = res.get("cold_start", {})
    add("cold start to home page ≤ 5 s", "5000 ms", f"{cs.get('median_ms', 0):.0f} ms",
        cs.get("median_ms", 1e9) <= COLD_MS, f"median of {len(cs.get('runs_ms', []))}")
    conc = res.get("concurrency", [])
    if conc:
        top = max(conc, key=lambda c: c["sessions"])
        note = "" if top["sessions"] >= BUDGET_SESSIONS else f"only N={top['sessions']} measured (quick mode)"
        add(f"p95 latency at {BUDGET_SESSIONS} sessions ≤ 1 s, no errors", "1000 ms, 0 errors",
            f"{top['p95_ms']:.0f} ms, {top['errors']} errors (N={top['sessions']})",
            top["p95_ms"] <= P95_MS and top["errors"] == 0, note)
        add(f"server RSS at {BUDGET_SESSIONS} sessions ≤ 400 MB", "400 MB",
            f"{top['rss_mb_max']:.0f} MB (N={top['sessions']})", top["rss_mb_max"] <= RSS_MB, note)
    so = res.get("soak")
    if so:
        add("soak RSS growth ≤ 10%, zero errors (incl. session churn)", "10%, 0 errors",
            f"{so['rss_growth_pct']:+.1f}%, {so['errors']} errors ({so['reruns']} of {so['planned_reruns']} reruns)",
            so["rss_growth_pct"] <= SOAK_GROWTH_PCT and so["errors"] == 0 and so["reruns"] > 0,
            "stopped at the time limit" if so.get("hit_time_limit") else "")
    b.extend(scale.budget_rows(res))
    return b


def _visual_table(br: dict, w) -> None:
    """Visual complete per view beside the bare page measured in the same run."""
    bare = br.get("bare") or {}
    b = bare.get("warm_visual_ms")
    w("\nVisual complete (script finished and every chart, map and table drawn, two frames later; "
      f"bare one-line page, same run: first {_f(bare.get('first_visual_ms'), '{:.0f}')} ms, warm {_f(b, '{:.0f}')} ms)\n")
    w("| View | First visit visual ms | Warm visual ms | Warm ÷ bare |\n|---|---|---|---|")
    for r in br.get("views", []):
        v = r.get("warm_visual_ms")
        w(f"| `{r['view']}` | {_f(r.get('first_visual_ms'), '{:.0f}')} | {_f(v, '{:.0f}')} | "
          f"{_f(v / b if v is not None and b else None)} |")
    if bare.get("warm_visual_samples_ms"):
        w("\nThe bare page's warm figure is the median of " + ", ".join(f"{x:.0f}" for x in bare["warm_visual_samples_ms"])
          + " ms.")
    ref = br.get("reference") or []
    if ref:
        w("\nReference pages, same run and browser (`bench/reference_app.py`): what one element costs on its own, "
          "with nothing else on the page. Informational; no budget.\n")
        w("| Reference page | Warm visual ms | Warm ÷ bare |\n|---|---|---|")
        for r in ref:
            v = r.get("warm_visual_ms")
            w(f"| {r['view']} | {_f(v, '{:.0f}')} | {_f(v / b if v is not None and b else None)} |"
              + (f" {r['error']}" if r.get("error") else ""))


def _f(v, fmt="{:.1f}"):
    return "–" if v is None else fmt.format(v)


def write_markdown(res: dict, path: Path) -> None:
    m = res["meta"]
    L: list[str] = []
    w = L.append
    w(f"# Cluster Atlas benchmark ({m['mode']} mode)\n")
    w(f"Run {m['started_utc']} on {m['platform']}, {m['cpu_count']} logical CPUs "
      f"({m.get('cpu_count_physical')} physical), {m['mem_total_mb'] / 1000:.1f} GB RAM; Python {m['python']}, "
      f"Streamlit {m['streamlit']}; commit `{m['git_commit']}`; took {m.get('duration_s', 0):.0f} s. "
      f"Everything runs on 127.0.0.1.\n")
    la0, la1 = m.get("loadavg_start", [0])[0], m.get("loadavg_end", [0])[0]
    w(f"Load average (1 min) at start {la0:.1f}, at end {la1:.1f} (the end figure includes the benchmark's own load "
      "and soak phases); phase durations (s): "
      + ", ".join(f"{k} {v:.0f}" for k, v in m.get("phase_s", {}).items()) + ".\n")
    if la0 > (m["cpu_count"] or 1):
        w(f"> **Warning: the machine was busy** (load average above {m['cpu_count']} CPUs before the run) — timings "
          "are inflated by other processes; rerun on an idle machine before judging the timing budgets.\n")
    if m["mode"] == "quick":
        w("> **Quick mode** only checks that the benchmark works (few repetitions, N=1,2). "
          "Do not read the budget table as a verdict; run `python -m bench` for real figures.\n")
    bud = res["budgets"]
    nfail = sum(1 for x in bud if x["pass"] is False)
    w(f"## Budgets — {len(bud) - nfail} pass, {nfail} fail\n")
    w("| Budget | Limit | Measured | Result | Note |\n|---|---|---|---|---|")
    for x in bud:
        r = {True: "pass", False: "**FAIL**", None: "not measured"}[x["pass"]]
        w(f"| {x['budget']} | {x['limit']} | {x['measured']} | {r} | {x['note']} |")
    w("")

    st = res["script_time"]
    w("## 1. Script time per page view (warm)\n")
    w(st["method"] + "\n")
    w(f"Bare one-line page (`bench/bare_app.py`), Streamlit's default runner settings (a full garbage collection "
      f"after every run): median **{st['bare']['median_ms']:.1f} ms** "
      f"(min {st['bare']['min_ms']:.1f}, max {st['bare']['max_ms']:.1f}, n={st['bare']['n']}). This is the "
      "reference of the ratio budget.\n")
    ba = st.get("bare_appcfg")
    if ba:
        w(f"The same bare page under the app's own `.streamlit/config.toml` (post-run collection off): median "
          f"**{ba['median_ms']:.1f} ms** (min {ba['min_ms']:.1f}, max {ba['max_ms']:.1f}). Against this floor — "
          "mostly the websocket round trip — the pages' ratios are in the last column; they are not the budget, "
          "and they are shown so the choice of reference is visible.\n")
    bp = st.get("bare_default_socket")
    if bp:
        w(f"The same bare page timed through a plain client socket (no quick ACKs): median {bp['median_ms']:.1f} ms "
          "(a transport check: a large difference would mean TCP delayed-ACK stalls on loopback rather than "
          "server work).\n")
    w("| View | Median ms | Min | Max | × bare | Errors | × bare under the app's config |\n"
      "|---|---|---|---|---|---|---|")
    for r in st["views"]:
        w(f"| `{r['view']}` | {r['median_ms']:.1f} | {r['min_ms']:.1f} | {r['max_ms']:.1f} | "
          f"{r['ratio_to_bare']:.1f} | {'; '.join(r['errors'][:2]) or 0} | "
          f"{_f(r.get('ratio_to_bare_appcfg'), '{:.1f}')} |")
    w("")

    w("## 2. Browser time to ready\n")
    br = res["browser"]
    w(br.get("method", "") + "\n")
    if br.get("error"):
        w(f"Browser measurement error: {br['error']}\n")
    if br.get("views"):
        w("| View | First visit ready ms | settled ms | Warm revisit ready ms | settled ms | WS bytes (first) | "
          "Requests beyond loopback | Error |\n|---|---|---|---|---|---|---|---|")
        for r in br["views"]:
            w(f"| `{r['view']}` | {_f(r.get('first_ready_ms'), '{:.0f}')} | {_f(r.get('first_settled_ms'), '{:.0f}')} | "
              f"{_f(r.get('warm_ready_ms'), '{:.0f}')} | {_f(r.get('warm_settled_ms'), '{:.0f}')} | "
              f"{_f(r.get('first_ws_bytes'), '{:,}')} | {r.get('blocked_requests', 0)} | {r.get('error', '')} |")
        _visual_table(br, w)
        w(f"\nRequests beyond loopback (blocked): **{br.get('blocked_total', 0)}**"
          + (f" — {', '.join(br['blocked_urls'][:10])}" if br.get("blocked_urls") else "") + "\n")

    w("## 3. Bytes sent to the browser per page view\n")
    w(res["payload"]["method"] + " The browser column in section 2 is the same quantity seen by Chromium "
      "(CDP websocket frames, after any permessage-deflate decompression).\n")
    w("| View | Bytes | Messages | Deltas |\n|---|---|---|---|")
    for r in res["payload"]["views"]:
        w(f"| `{r['view']}` | {r['bytes']:,} | {r['messages']} | {r['deltas']} |")
    w("")

    w("## 4. Concurrency\n")
    w("Each session is its own websocket connection (what a browser tab opens), cycling through the views "
      f"above back to back (think time {m['think_ms']:.0f} ms) — a closed-loop stress test, harsher than "
      "people reading pages. Latency = rerun request → script_finished. RSS = server process + children, "
      "sampled every 0.25 s.\n")
    w("| Sessions | Reruns | Errors | Throughput /s | p50 ms | p95 ms | max ms | RSS max MB | RSS end MB |\n"
      "|---|---|---|---|---|---|---|---|---|")
    for c in res["concurrency"]:
        w(f"| {c['sessions']} | {c['reruns']} | {c['errors']} | {c['throughput_rps']:.1f} | {c['p50_ms']:.0f} | "
          f"{c['p95_ms']:.0f} | {c['max_ms']:.0f} | {c['rss_mb_max']:.0f} | {c['rss_mb_end']:.0f} |")
    errs = [e for c in res["concurrency"] for e in c["error_samples"]]
    if errs:
        w("\nError samples: " + "; ".join(f"`{e[:150]}`" for e in errs[:5]))
    w("")

    cs = res["cold_start"]
    w("## 5. Cold start\n")
    w(cs["method"] + "\n")
    w(f"Median **{cs['median_ms']:.0f} ms** (runs: {', '.join(f'{x:.0f}' for x in cs['runs_ms'])} ms; "
      f"websocket accepted after {', '.join(f'{x:.0f}' for x in cs['listening_ms'])} ms).\n")

    so = res["soak"]
    w("## 6. Soak\n")
    w(so["method"] + "\n")
    w(f"{so['reruns']} reruns across {so['sessions']} sessions in {so['duration_s']:.0f} s "
      f"({so['throughput_rps']:.1f}/s), **{so['errors']} errors**, p50 {so['p50_ms']:.0f} ms, "
      f"p95 {so['p95_ms']:.0f} ms. RSS after warm-up {so['rss_mb_after_warmup']:.0f} MB → end "
      f"{so['rss_mb_final']:.0f} MB (**{so['rss_growth_pct']:+.1f}%**), peak {so['rss_mb_max']:.0f} MB.\n")
    ch = so.get("churn")
    if ch:
        w(f"Session churn: {ch['reruns']} reruns, each session reconnecting every {ch['reconnect_every']} reruns, "
          f"**{ch['errors']} errors**; RSS {ch['rss_mb_start']:.0f} → {ch['rss_mb_end']:.0f} MB "
          f"({ch['rss_growth_pct']:+.1f}%, not budgeted). Streamlit keeps each disconnected session for "
          "`server.disconnectedSessionTTL` (120 s) so a dropped tab can resume; that memory is held by design until "
          "the sessions expire.\n")
    if so["error_samples"]:
        w("Error samples: " + "; ".join(f"`{e[:150]}`" for e in so["error_samples"][:5]) + "\n")
    idle = res.get("rss_mb_idle", {})
    w(f"Server RSS idle after start: app {idle.get('app', 0):.0f} MB, bare {idle.get('bare', 0):.0f} MB; "
      f"at the end: app {res.get('rss_mb_end', {}).get('app', 0):.0f} MB.\n")
    L.extend(scale.markdown(res))
    L += replicas.markdown(res.get("replicas"))
    path.write_text("\n".join(L), encoding="utf-8")
