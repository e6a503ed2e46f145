"""Browser time-to-ready with headless Debian Chromium driven by Playwright (python).

Ready = the app root reports ``data-test-script-state="notRunning"`` *and* the main area holds at
least one rendered element (so an empty first paint does not count). Settled = ready, then two
animation frames have run (the main thread is free again). It does not prove a map's WebGL frame is
on screen: in headless Chromium WebGL is software-rendered, and a trace showed the atlas's first
frame can still be rasterising after "settled" (about 0.8-1.1 s per frame with the LineLayer outlines).

Offline without slowing the page: Chromium's own resolver maps every host except loopback to
"not found" (``--host-resolver-rules``), and every request Chromium attempts beyond loopback is
recorded over CDP and counted. Playwright's ``route()`` interception is *not* used here: it sends
every request (Streamlit loads dozens of script chunks) through the driver and added 0.4-1 s to
each page view - overhead of the measurement, not of the app. (The browser tests, which measure
nothing, still abort through ``route()``.)
"""
from __future__ import annotations

import base64
import time
from urllib.parse import urlsplit

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
                 "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost"]
LOOPBACK = {"127.0.0.1", "localhost", "::1", "[::1]"}
READY_JS = """() => {
  const app = document.querySelector("[data-testid='stApp']");
  if (!app || app.getAttribute('data-test-script-state') !== 'notRunning') return false;
  const main = document.querySelector("[data-testid='stMain']") || app;
  return main.querySelectorAll("[data-testid='stElementContainer']").length > 0
      && !document.querySelector("[data-testid='stSkeleton']");
}"""
SETTLE_JS = "() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => r(true))))"
# Visual complete = ready, and every chart, map and table drawn: each plotly chart laid out with its SVG
# (Plotly sets _fullLayout once newPlot has drawn), each deck.gl map and data grid with a sized canvas, a
# data grid's 2D canvas holding painted pixels, each Vega-Lite chart with its SVG or canvas laid out; then two animation frames (SETTLE_JS). A WebGL canvas
# cannot be read back (no preserveDrawingBuffer), so for the map "drawn" is its sized canvas plus the
# two frames in which deck.gl renders. Only what a person can see counts: a table inside a collapsed
# expander is mounted with a zero-size canvas and is never painted until opened.
VISUAL_JS = """() => {
  const main = document.querySelector("[data-testid='stMain']");
  if (!main) return false;
  const seen = (sel) => [...main.querySelectorAll(sel)].filter(c => c.checkVisibility());
  for (const c of seen("[data-testid='stPlotlyChart']")) {
    const p = c.querySelector('.js-plotly-plot');
    if (!p || !p._fullLayout || !p.querySelector('svg.main-svg')) return false;
  }
  for (const c of seen("[data-testid='stVegaLiteChart']")) {
    const g = c.querySelector('canvas, svg.marks');
    if (!g || !g.getBoundingClientRect().width) return false;
  }
  for (const c of seen("[data-testid='stDeckGlJsonChart']")) {
    const cv = c.querySelector('canvas');
    if (!cv || !cv.width || !cv.height) return false;
  }
  for (const c of seen("[data-testid='stDataFrame']")) {
    const cv = c.querySelector('canvas');
    if (!cv || !cv.width || !cv.height) return false;
    const ctx = cv.getContext('2d');
    if (ctx) {
      const d = ctx.getImageData(0, 0, Math.min(cv.width, 200), Math.min(cv.height, 60)).data;
      let painted = false;
      for (let i = 3; i < d.length; i += 4) { if (d[i] !== 0) { painted = true; break; } }
      if (!painted) return false;
    }
  }
  return true;
}"""


def visual_complete(page, t0: float, timeout_s: float) -> float:
    """Milliseconds from ``t0`` to visual complete (call once the page is ready)."""
    page.wait_for_function(VISUAL_JS, timeout=timeout_s * 1000, polling=20)
    page.evaluate(SETTLE_JS)
    return (time.perf_counter() - t0) * 1000


def median_view(rows: list[dict]) -> dict:
    """One view measured several times: each timing the median of the samples (the samples kept beside it)."""
    import statistics
    out = dict(rows[0])
    for k in [k for k in out if k.endswith("_ms")]:
        vals = [r[k] for r in rows if r.get(k) is not None]
        out[k] = statistics.median(vals) if vals else None
        out[k.replace("_ms", "_samples_ms")] = vals
    errors = [r["error"] for r in rows if r.get("error")]
    if errors:
        out["error"] = errors[0]
    return out


def _ws_frame_bytes(payload: str, opcode: int) -> int:
    if opcode == 2:  # binary frames arrive base64-encoded in CDP
        try:
            return len(base64.b64decode(payload))
        except Exception:  # noqa: BLE001
            return len(payload) * 3 // 4
    return len(payload.encode())


def measure(base_url: str, views: list[tuple[str, str, str]], timeout_s: float = 30.0,
            viewport=(1366, 900)) -> dict:
    """For each (label, path, query): first visit in a fresh browser context, then a warm revisit
    (same context: HTTP cache warm; server caches warm). Returns per-view timings and blocked requests."""
    from playwright.sync_api import sync_playwright

    out: dict = {"views": [], "blocked_total": 0, "blocked_urls": [], "error": None}
    blocked: list[str] = []

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            for label, path, query in views:
                url = base_url + path + (("?" + query) if query else "")
                ctx = browser.new_context(viewport={"width": viewport[0], "height": viewport[1]},
                                          service_workers="block")
                page = ctx.new_page()
                ws_urls: list[str] = []
                page.on("websocket", lambda w: ws_urls.append(w.url))
                cdp = ctx.new_cdp_session(page)
                cdp.send("Network.enable")
                seen: list[str] = []  # every request Chromium attempted beyond loopback
                cdp.on("Network.requestWillBeSent", lambda e: seen.append(e["request"]["url"]) if (
                    urlsplit(e["request"]["url"]).scheme in ("http", "https", "ws", "wss")
                    and (urlsplit(e["request"]["url"]).hostname or "") not in LOOPBACK) else None)
                frames = {"bytes": 0}
                cdp.on("Network.webSocketFrameReceived",
                       lambda e: frames.__setitem__("bytes", frames["bytes"] + _ws_frame_bytes(
                           e["response"]["payloadData"], e["response"]["opcode"])))
                row = {"view": label, "path": path, "query": query}
                try:
                    for visit in ("first", "warm"):
                        frames["bytes"] = 0
                        t0 = time.perf_counter()
                        page.goto(url, wait_until="commit", timeout=timeout_s * 1000)
                        page.wait_for_function(READY_JS, timeout=timeout_s * 1000, polling=20)
                        row[f"{visit}_ready_ms"] = (time.perf_counter() - t0) * 1000
                        page.evaluate(SETTLE_JS)
                        row[f"{visit}_settled_ms"] = (time.perf_counter() - t0) * 1000
                        row[f"{visit}_visual_ms"] = visual_complete(page, t0, timeout_s)
                        # trailing frames arrive, and the warm revisit starts on an idle page (not while the first
                        # visit's map is still being drawn)
                        page.wait_for_timeout(500)
                        page.evaluate(SETTLE_JS)
                        row[f"{visit}_ws_bytes"] = frames["bytes"]
                    row["exceptions_shown"] = page.locator("[data-testid='stException']").count()
                except Exception as exc:  # noqa: BLE001
                    row["error"] = f"{type(exc).__name__}: {str(exc).splitlines()[0][:200]}"
                foreign = [u for u in ws_urls if (urlsplit(u).hostname or "") not in LOOPBACK] + seen
                row["blocked_requests"] = len(foreign)
                blocked.extend(foreign)
                out["views"].append(row)
                ctx.close()
        finally:
            browser.close()
    out["blocked_total"] = len(blocked)
    out["blocked_urls"] = sorted(set(blocked))[:50]
    return out
