#!/usr/bin/env bash
# Install what the tests need and run the whole suite (unit, AppTest, browser, deploy).
# Used verbatim by the README and by .ci/run.
set -euo pipefail
cd "$(dirname "$0")/.."
# Debian packages the suite drives for real, installed only when missing:
#   chromium      — the offline browser suite (Playwright's executable_path)
#   poppler-utils — the brief's A4 PDF rendered to PNG pages (pdftoppm) and read back (pdftotext)
#   haproxy       — the load balancer of tests/test_deploy.py (deploy/haproxy.cfg)
#   npm           — installs axe-core (below) for the accessibility tests
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v pdftoppm >/dev/null 2>&1 || need+=(poppler-utils)
[ -x /usr/sbin/haproxy ] || need+=(haproxy)
command -v npm >/dev/null 2>&1 || need+=(npm)
if [ ${#need[@]} -gt 0 ]; then
  SUDO=""; if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi
# axe-core for the accessibility browser tests (tests/test_browser_a11y.py), a local copy: never fetched at run time
[ -f tools/axe/node_modules/axe-core/axe.min.js ] || \
  npm install --prefix tools/axe --no-save --no-audit --no-fund --silent axe-core@4.11.0 >/dev/null
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/pip install -q --disable-pip-version-check -r requirements-dev.txt
.venv/bin/python -m pytest -q -p no:cacheprovider "$@"
