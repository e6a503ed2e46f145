"""Live-server + Debian Chromium harness for the Playwright browser tests.

* :class:`StreamlitServer` starts ``streamlit run app.py`` on a free loopback port
  and stops it again (terminate, then kill).  Server output goes to
  ``test-artifacts/server-<name>.log``.
* :func:`new_context` opens a browser context whose every request is routed:
  loopback hosts continue, everything else is aborted and *recorded* (plus
  websockets, popups and JS dialogs), so a test can assert "zero requests
  beyond localhost" and "no alert() fired".
* :func:`wait_app`, :func:`assert_clean`, :func:`shot` are the per-page helpers.

Fixtures (import them into the test module): ``pw_browser`` (session),
``app_server`` (session, shared), ``fresh_server`` (function, cold start).
"""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

import pytest

REPO = Path(__file__).resolve().parents[1]
ARTIFACTS = REPO / "test-artifacts"
SHOTS = ARTIFACTS / "screenshots"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
LOOPBACK = {"127.0.0.1", "localhost", "::1", "[::1]"}
LOCAL_SCHEMES = {"data", "blob", "about", "chrome-error", "chrome"}
TIMEOUT_MS = 30_000
from components.frame import GUARD_TEXTS  # noqa: E402  (one definition of the guard's words)
ERROR_SELECTOR = "[data-testid='stException'], [data-testid='stAlertContentError']"


# --------------------------------------------------------------------------- server


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class StreamlitServer:
    def __init__(self, name: str = "server") -> None:
        self.name = name
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen | None = None
        self._log = None

    def start(self, timeout: float = 60.0) -> "StreamlitServer":
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        self._log = open(ARTIFACTS / f"{self.name}.log", "wb")
        env = dict(os.environ, PYTHONUNBUFFERED="1")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "app.py",
             "--server.port", str(self.port), "--server.address", "127.0.0.1",
             "--server.headless", "true"],
            cwd=REPO, stdout=self._log, stderr=subprocess.STDOUT, env=env,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"streamlit exited early (rc={self.proc.returncode}); see {self._log.name}")
            try:
                with urllib.request.urlopen(self.base + "/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        return self
            except (urllib.error.URLError, ConnectionError, OSError):
                pass
            time.sleep(0.25)
        self.stop()
        raise RuntimeError(f"streamlit did not become healthy within {timeout}s")

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
        if self._log:
            self._log.close()
            self._log = None

    def url(self, path: str = "/", query: str = "") -> str:
        q = query.lstrip("?")
        return f"{self.base}{path}" + (f"?{q}" if q else "")

    def log_text(self) -> str:
        p = ARTIFACTS / f"{self.name}.log"
        return p.read_text(errors="replace") if p.exists() else ""


# --------------------------------------------------------------------------- browser


@dataclass
class Recorder:
    """Everything the page tried that a presenter offline must never see."""
    external: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    popups: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)

    def reset(self) -> None:
        self.external.clear()
        self.dialogs.clear()
        self.popups.clear()
        self.console_errors.clear()


# Debugging aid only (default off): a regex of external URLs to tolerate, so other failures
# can be seen while a known leak is being fixed.  Never set it in CI.
def is_local(url: str, allow_file: bool = False) -> bool:
    u = urlparse(url)
    if u.scheme in LOCAL_SCHEMES:
        return True
    if u.scheme == "file":
        return allow_file
    return (u.hostname or "") in LOOPBACK


def new_context(browser, *, viewport=(1280, 900), allow_file: bool = False, accept_downloads: bool = False,
                only_file: str | None = None):
    """A routed context. ``only_file``: block *everything* except that exact file URL."""
    rec = Recorder()
    ctx = browser.new_context(viewport={"width": viewport[0], "height": viewport[1]},
                              accept_downloads=accept_downloads, service_workers="block")
    ctx.set_default_timeout(TIMEOUT_MS)

    def allowed(url: str) -> bool:
        if only_file is not None:
            return url == only_file
        return is_local(url, allow_file)

    def route(r):
        url = r.request.url
        if allowed(url):
            r.continue_()
        else:
            if url not in rec.external:
                rec.external.append(url)
            r.abort()

    ctx.route("**/*", route)

    def on_request(req):
        url = req.url
        if not allowed(url) and url not in rec.external:
            rec.external.append(url)

    ctx.on("request", on_request)

    def on_page(page):
        page.on("websocket", lambda ws: None if allowed(ws.url) else rec.external.append("ws:" + ws.url))

        def on_dialog(d):
            rec.dialogs.append(f"{d.type}: {d.message}")
            try:
                d.dismiss()
            except Exception:
                pass

        page.on("dialog", on_dialog)
        page.on("console", lambda m: rec.console_errors.append(m.text) if m.type == "error" else None)
        page.on("popup", lambda p: rec.popups.append(p.url))

    ctx.on("page", on_page)
    return ctx, rec


APP_CONTENT = ("[data-testid='stMain'] h1, [data-testid='stMain'] [data-testid='stMarkdown'], "
               "[data-testid='stMain'] [data-testid='stAlert'], [data-testid='stMain'] [data-testid='stException']")


def wait_idle(page, quiet_ms: int = 500, timeout_ms: int = TIMEOUT_MS) -> None:
    """Wait, by Playwright's own polling (no fixed sleep), until the script is not running, nothing is stale or
    a skeleton, and the main area's elements and text have not changed for ``quiet_ms`` (the browser may still
    be laying out a heavy page after the server finished; a rerun starting meanwhile resets the clock)."""
    sel = "[data-testid='stApp'][data-test-script-state='notRunning']"
    page.wait_for_selector(sel, state="attached", timeout=timeout_ms)
    wait_dom_stable(page, quiet_ms, timeout_ms)


_RESTART_QUIET_JS = "() => { if (window.__testQuiet) { window.__testQuiet.last = performance.now(); } }"


# A MutationObserver keeps the time of the page's last element or text change; the predicate is true once the
# app is idle and that change is ``quiet`` ms old. (Attribute changes do not count: a map's canvas or a hover
# style may change them forever.) The observer lives in the document, so a new page load starts it afresh.
_QUIET_JS = """(quiet) => {
  const w = window;
  if (!w.__testQuiet) {
    w.__testQuiet = {last: performance.now()};
    const touch = () => { w.__testQuiet.last = performance.now(); };
    new MutationObserver(touch).observe(document.documentElement, {subtree: true, childList: true, characterData: true});
    const app = document.querySelector("[data-testid='stApp']");
    if (app) { new MutationObserver(touch).observe(app, {attributes: true, attributeFilter: ['data-test-script-state']}); }
  }
  const a = document.querySelector("[data-testid='stApp']");
  if (!a || a.getAttribute('data-test-script-state') !== 'notRunning') { w.__testQuiet.last = performance.now(); return false; }
  const m = document.querySelector("[data-testid='stMain']");
  if (m && m.querySelector("[data-stale='true'], [data-testid='stSkeleton']")) { w.__testQuiet.last = performance.now(); return false; }
  return performance.now() - w.__testQuiet.last >= quiet;
}"""


def wait_dom_stable(page, quiet_ms: int = 500, timeout_ms: int = TIMEOUT_MS) -> None:
    """The quiet period starts now (a click's rerun may not have started yet), as the old polling loop did."""
    page.evaluate(_RESTART_QUIET_JS)
    try:
        page.wait_for_function(_QUIET_JS, arg=quiet_ms, timeout=timeout_ms, polling=100)
    except Exception as exc:  # noqa: BLE001 - Playwright's TimeoutError, said in the test's words
        raise AssertionError(f"page never settled within {timeout_ms} ms: {exc}") from exc


def wait_drawn(page, timeout_ms: int = TIMEOUT_MS) -> None:
    """Every visible chart, map and table drawn, then two animation frames (the benchmark's visual-complete
    test, bench.browser.VISUAL_JS): for screenshots that must show the map, not a blank canvas."""
    from bench.browser import SETTLE_JS, VISUAL_JS

    page.wait_for_function(VISUAL_JS, timeout=timeout_ms, polling=100)
    page.evaluate(SETTLE_JS)


def wait_app(page) -> None:
    page.wait_for_selector(APP_CONTENT, state="attached", timeout=TIMEOUT_MS)
    wait_idle(page)


def goto(page, url: str) -> None:
    page.goto(url, wait_until="domcontentloaded", timeout=TIMEOUT_MS)
    wait_app(page)


def main_content(page) -> str:
    """textContent of the main area (includes cells of canvas-drawn tables' hidden a11y grid), without the
    app's own scripts and styles."""
    return page.locator("[data-testid='stMain']").evaluate(
        "e => { const c = e.cloneNode(true); c.querySelectorAll('script, style').forEach(x => x.remove());"
        " return c.textContent; }", timeout=TIMEOUT_MS) or ""


def wait_content(page, text: str, timeout: int = TIMEOUT_MS) -> None:
    page.wait_for_function(
        "t => (document.querySelector(\"[data-testid='stMain']\") || {textContent: ''}).textContent.includes(t)",
        arg=text, timeout=timeout)


def main_text(page) -> str:
    return page.locator("[data-testid='stMain']").inner_text(timeout=TIMEOUT_MS)


def body_text(page) -> str:
    return page.locator("body").inner_text(timeout=TIMEOUT_MS)


def error_texts(page) -> list[str]:
    loc = page.locator(ERROR_SELECTOR)
    return [loc.nth(i).inner_text() for i in range(loc.count())]


def assert_clean(page, rec: Recorder, where: str = "") -> None:
    """No error elements, no traceback, no request beyond loopback, no JS dialog."""
    where = where or page.url
    errs = error_texts(page)
    assert not errs, f"{where}: error elements on page: {errs}"
    text = body_text(page)
    assert "Traceback" not in text, f"{where}: traceback shown"
    for guard in GUARD_TEXTS:  # the frame's error guard turns exceptions into warnings
        assert guard not in text, f"{where}: the page's error guard fired ({guard!r}); see the server log"
    assert not rec.external, f"{where}: non-loopback requests attempted: {rec.external}"
    assert not rec.dialogs, f"{where}: JS dialogs fired: {rec.dialogs}"


def shot(page, name: str, full_page: bool = False) -> Path:
    SHOTS.mkdir(parents=True, exist_ok=True)
    p = SHOTS / f"{name}.png"
    page.screenshot(path=str(p), full_page=full_page)
    return p


def h1_text(page) -> str:
    loc = page.locator("[data-testid='stMain'] h1")
    return " | ".join(loc.nth(i).inner_text() for i in range(loc.count()))


def is_stub(page) -> bool:
    """True while the page still shows the 'This page is coming' placeholder."""
    return "This page is coming" in main_text(page)


def no_horizontal_scroll(page) -> tuple[int, int]:
    return page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]")


# --------------------------------------------------------------------------- fixtures


# One Playwright driver and browser per test process, however many test modules import the fixture
# (each importing module registers its own session fixture; two sync drivers at once cannot run).
_SHARED: dict = {"users": 0}


@pytest.fixture(scope="session")
def pw_browser():
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian chromium not installed")
    from playwright.sync_api import sync_playwright

    if _SHARED["users"] == 0:
        _SHARED["driver"] = sync_playwright().start()
        _SHARED["browser"] = _SHARED["driver"].chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS,
                                                               headless=True)
    _SHARED["users"] += 1
    try:
        yield _SHARED["browser"]
    finally:
        _SHARED["users"] -= 1
        if _SHARED["users"] == 0:
            _SHARED.pop("browser").close()
            _SHARED.pop("driver").stop()


@pytest.fixture(scope="session")
def app_server():
    srv = StreamlitServer("server").start()
    try:
        yield srv
    finally:
        srv.stop()


@pytest.fixture
def fresh_server(request):
    srv = StreamlitServer(f"server-cold-{request.node.name}".replace("[", "-").replace("]", "")
                          .replace("/", "_").replace("?", "_")).start()
    try:
        yield srv
    finally:
        srv.stop()


@pytest.fixture
def ctx_page(pw_browser):
    """A fresh routed context + page (1280x900) for one test; closed afterwards."""
    ctx, rec = new_context(pw_browser)
    page = ctx.new_page()
    try:
        yield page, rec
    finally:
        ctx.close()
