"""Issue 17 point 14: axe-core (npm package, installed locally by scripts/test.sh into tools/axe) on every
page and view, normal and presentation mode: zero serious or critical WCAG 2 A/AA violations."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from cluster_data import lessons as L
from tests.browser_harness import app_server, assert_clean, goto, new_context, pw_browser, shot  # noqa: F401

pytestmark = pytest.mark.browser

AXE = Path(__file__).resolve().parents[1] / "tools" / "axe" / "node_modules" / "axe-core" / "axe.min.js"
SERIOUS = ("serious", "critical")
VIEWS = [
    "/", "/atlas", "/atlas?org=ES_AVAESEN", "/atlas?ind=population", "/compare", "/greenwich",
    "/greenwich?view=Baseline", "/greenwich?view=Peers", "/greenwich?view=Jobs+outlook",
    "/greenwich?view=Sustainability", "/lessons", "/lessons?case=valencia",
    "/lessons?view=Playbook%3A+the+cases+side+by+side&pquotes=true", "/lessons?quotes=true", "/data", "/data?tab=coverage",
    "/data?tab=sources", "/data?tab=downloads", "/data?tab=import",
] + [f"/tour?step={n}" for n in range(1, len(L.TOUR_STEPS) + 1)]
PRESENT_VIEWS = ["/", "/atlas", "/compare", "/greenwich", "/lessons", "/data", "/tour?step=2", "/tour?step=3"]

_RUN = """async () => {
  const r = await axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']},
                                     resultTypes: ['violations']});
  return r.violations.filter(v => %s.includes(v.impact)).map(v => ({id: v.id, impact: v.impact,
    nodes: v.nodes.slice(0, 3).map(n => n.target.join(' ') + ' :: ' + (n.failureSummary || '').slice(0, 200))}));
}""" % json.dumps(list(SERIOUS))


@pytest.fixture(scope="module")
def axe_page(pw_browser):
    if not AXE.exists():
        pytest.skip("axe-core not installed (scripts/test.sh installs it with npm into tools/axe)")
    ctx, rec = new_context(pw_browser, viewport=(1280, 900))
    try:
        yield ctx.new_page(), rec
    finally:
        ctx.close()


def _check(page, rec, url: str, name: str) -> None:
    goto(page, url)
    assert_clean(page, rec, url)
    page.add_script_tag(path=str(AXE))  # a local file: no request leaves the machine
    violations = page.evaluate(_RUN)
    if violations:
        shot(page, f"a11y-{name}")
    assert not violations, f"{url}: serious/critical accessibility violations: {json.dumps(violations, indent=1)}"


@pytest.mark.parametrize("path", VIEWS)
def test_no_serious_accessibility_violations(axe_page, app_server, path):
    page, rec = axe_page
    _check(page, rec, app_server.base + path, path.strip("/").replace("?", "-").replace("=", "-") or "home")


@pytest.mark.parametrize("path", PRESENT_VIEWS)
def test_no_serious_accessibility_violations_present(axe_page, app_server, path):
    page, rec = axe_page
    url = app_server.base + path + ("&" if "?" in path else "?") + "present=1"
    _check(page, rec, url, "present-" + (path.strip("/").replace("?", "-").replace("=", "-") or "home"))
