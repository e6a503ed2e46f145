"""Where does a page's warm script time go? pyinstrument on an AppTest run.

    .venv/bin/python -m bench.profile /compare              # warm run of pages/2_compare.py
    .venv/bin/python -m bench.profile "/greenwich?peers=valencia" --html out.html

Runs the app switched to the page once to warm the caches, then profiles a second run. AppTest runs
scripts in a thread of its own and pyinstrument samples only the thread it was started on, so the
profiler is started inside the script: AppTest is pointed at a temporary copy of the app's layout
(app.py and pages/*.py) whose files are small wrappers that start pyinstrument, run the real script
and save the session to a file, which is read back here. No Streamlit internals are
touched; the profile covers the page script, not Streamlit's own work before and after it.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

from .__main__ import REPO, read_pages

WRAPPER = """\
# Written by bench.profile: runs {script!r} under pyinstrument in the script thread.
from pyinstrument import Profiler

with open({script!r}, encoding="utf-8") as _f:
    _code = compile(_f.read(), {script!r}, "exec")
_profiler = Profiler(interval=0.0005)
_profiler.start()
try:
    exec(_code, {{"__name__": "__main__", "__file__": {script!r}}})
finally:
    _profiler.stop()
    _profiler.last_session.save({session!r})
"""


def _wrapped_app(tmp: Path, session: Path) -> Path:
    """A copy of the app's layout in ``tmp`` (main script beside ``pages/``) made of profiling wrappers.

    Streamlit finds the pages next to the main script, so every page gets a wrapper of the same name:
    page links and ``AppTest.switch_page`` resolve as they do in the real app."""
    (tmp / "pages").mkdir()
    for real in [REPO / "app.py", *sorted((REPO / "pages").glob("*.py"))]:
        wrapper = tmp / real.relative_to(REPO)
        wrapper.write_text(WRAPPER.format(script=str(real), session=str(session)), encoding="utf-8")
    return tmp / "app.py"


def profile(view: str, html: str | None = None, show_all: bool = False) -> str:
    from pyinstrument.renderers import ConsoleRenderer, HTMLRenderer
    from pyinstrument.session import Session
    from streamlit.testing.v1 import AppTest

    parts = urlsplit(view)
    script = {p.url_path: p.script for p in read_pages()}[parts.path or "/"]
    sys.path.insert(0, str(REPO))
    with tempfile.TemporaryDirectory(prefix="bench-profile-") as tmp:
        session_file = Path(tmp) / "run.pyisession"
        app_dir = Path(tmp) / "app"
        app_dir.mkdir()
        at = AppTest.from_file(str(_wrapped_app(app_dir, session_file)), default_timeout=120)
        if script != "app.py":
            at.switch_page(script)
        for k, v in parse_qsl(parts.query):
            at.query_params[k] = v
        at.run()  # warm the caches
        session_file.unlink()
        at.run()  # the profiled run: its wrapper saves the session again
        session = Session.load(str(session_file))
    if html:
        with open(html, "w", encoding="utf-8") as f:
            f.write(HTMLRenderer().render(session))
    return ConsoleRenderer(unicode=True, color=False, show_all=show_all).render(session)


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
