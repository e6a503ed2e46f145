"""Where does a page's warm script time go? pyinstrument on an AppTest run.

    .venv/bin/python -m bench.profile /compare              # warm run of pages/2_compare.py
    .venv/bin/python -m bench.profile "/greenwich?peers=valencia" --html out.html

Runs app.py switched to the page once to warm the caches, then profiles a second run inside the script thread
(AppTest runs scripts in a thread of its own, so the profiler is started there).
"""
from __future__ import annotations

import argparse
import sys
from urllib.parse import parse_qsl, urlsplit

from .__main__ import REPO, read_pages


def profile(view: str, html: str | None = None, show_all: bool = False) -> str:
    from pyinstrument import Profiler
    from streamlit.testing.v1 import AppTest
    from streamlit.testing.v1 import local_script_runner as lsr

    parts = urlsplit(view)
    script = {p.url_path: p.script for p in read_pages()}[parts.path or "/"]
    sys.path.insert(0, str(REPO))
    holder: dict = {}
    orig = lsr.LocalScriptRunner._run_script_thread

    def wrapped(self):
        if not holder.get("on"):
            return orig(self)
        prof = Profiler(interval=0.0005)
        prof.start()
        try:
            return orig(self)
        finally:
            prof.stop()
            holder["prof"] = prof

    lsr.LocalScriptRunner._run_script_thread = wrapped
    try:
        at = AppTest.from_file(str(REPO / "app.py"), default_timeout=120)
        if script != "app.py":
            at.switch_page(script)
        for k, v in parse_qsl(parts.query):
            at.query_params[k] = v
        at.run()  # warm the caches
        holder["on"] = True
        at.run()
    finally:
        lsr.LocalScriptRunner._run_script_thread = orig
    prof = holder["prof"]
    if html:
        with open(html, "w", encoding="utf-8") as f:
            f.write(prof.output_html())
    return prof.output_text(unicode=True, color=False, show_all=show_all)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.profile")
    ap.add_argument("view", help='URL path with optional query, e.g. "/compare?ids=A,B"')
    ap.add_argument("--html", help="also write pyinstrument's HTML report here")
    ap.add_argument("--all", action="store_true", help="show library frames too")
    args = ap.parse_args(argv)
    print(profile(args.view, args.html, args.all))
    return 0


if __name__ == "__main__":
    sys.exit(main())
