"""Browser time-to-ready with headless Debian Chromium driven by Playwright (python).

Ready = the app root reports ``data-test-script-state="notRunning"`` *and* the main area holds at
least one rendered element (so an empty first paint does not count). Every request to a host
other than loopback is aborted and counted (the app must work fully offline).
"""
from __future__ import annotations

import base64
import time
from urllib.parse import urlsplit

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]
LOOPBACK = {"127.0.0.1", "localhost", "::1", "[::1]"}
READY_JS = """() => {
  const app = document.querySelector("[data-testid='stApp']");
  if (!app || app.getAttribute('data-test-script-state') !== 'notRunning') return false;
  const main = document.querySelector("[data-testid='stMain']") || app;
  return main.querySelectorAll("[data-testid='stElementContainer']").length > 0
      && !document.querySelector("[data-testid='stSkeleton']");
}"""


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

    def route(r):
        host = urlsplit(r.request.url).hostname or ""
        if host in LOOPBACK or r.request.url.startswith(("data:", "blob:")):
            r.continue_()
        else:
            blocked.append(r.request.url)
            r.abort()

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            for label, path, query in views:
                url = base_url + path + (("?" + query) if query else "")
                ctx = browser.new_context(viewport={"width": viewport[0], "height": viewport[1]},
                                          service_workers="block")
                ctx.route("**/*", route)
                page = ctx.new_page()
                ws_urls: list[str] = []
                page.on("websocket", lambda w: ws_urls.append(w.url))
                cdp = ctx.new_cdp_session(page)
                cdp.send("Network.enable")
                seen: list[str] = []  # requests Chromium attempted beyond loopback (even ones route() misses)
                cdp.on("Network.requestWillBeSent", lambda e: seen.append(e["request"]["url"]) if (
                    urlsplit(e["request"]["url"]).scheme in ("http", "https", "ws", "wss")
                    and (urlsplit(e["request"]["url"]).hostname or "") not in LOOPBACK) else None)
                frames = {"bytes": 0}
                cdp.on("Network.webSocketFrameReceived",
                       lambda e: frames.__setitem__("bytes", frames["bytes"] + _ws_frame_bytes(
                           e["response"]["payloadData"], e["response"]["opcode"])))
                before = len(blocked)
                row = {"view": label, "path": path, "query": query}
                try:
                    for visit in ("first", "warm"):
                        frames["bytes"] = 0
                        t0 = time.perf_counter()
                        page.goto(url, wait_until="commit", timeout=timeout_s * 1000)
                        page.wait_for_function(READY_JS, timeout=timeout_s * 1000, polling=20)
                        row[f"{visit}_ready_ms"] = (time.perf_counter() - t0) * 1000
                        page.wait_for_timeout(100)  # let trailing frames arrive before reading the count
                        row[f"{visit}_ws_bytes"] = frames["bytes"]
                    row["exceptions_shown"] = page.locator("[data-testid='stException']").count()
                except Exception as exc:  # noqa: BLE001
                    row["error"] = f"{type(exc).__name__}: {str(exc).splitlines()[0][:200]}"
                foreign_ws = [u for u in ws_urls if (urlsplit(u).hostname or "") not in LOOPBACK]
                foreign_ws += [u for u in seen if u not in blocked[before:]]
                row["blocked_requests"] = len(blocked) - before + len(foreign_ws)
                blocked.extend(foreign_ws)
                out["views"].append(row)
                ctx.close()
        finally:
            browser.close()
    out["blocked_total"] = len(blocked)
    out["blocked_urls"] = sorted(set(blocked))[:50]
    return out
