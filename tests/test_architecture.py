"""The import direction pages → components → cluster_data holds; no maths in pages."""
from __future__ import annotations

import ast
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    mods = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            mods.update(a.name.split(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            mods.add(node.module.split(".")[0])
    return mods


def test_cluster_data_never_imports_streamlit_components_or_pages():
    for p in (REPO / "cluster_data").rglob("*.py"):
        bad = _imports(p) & {"streamlit", "components", "pages", "pydeck", "plotly"}
        assert not bad, f"{p.name} imports {bad}"


def test_components_never_import_pages():
    for p in (REPO / "components").rglob("*.py"):
        assert "pages" not in _imports(p), p.name


def test_pages_are_thin_and_only_use_components():
    for p in list((REPO / "pages").glob("*.py")) + [REPO / "app.py"]:
        mods = _imports(p)
        assert mods <= {"components", "__future__"}, f"{p.name} imports {mods}"
        assert len(p.read_text(encoding="utf-8").splitlines()) <= 12, f"{p.name} is not thin"


def test_cache_decorators_live_only_in_components():
    for p in list((REPO / "cluster_data").rglob("*.py")) + list((REPO / "pages").glob("*.py")) + [REPO / "app.py"]:
        txt = p.read_text(encoding="utf-8")
        assert "cache_data" not in txt and "cache_resource" not in txt, p.name


def test_every_url_path_has_a_page():
    from components.registry import PAGES

    for key, path, *_ in PAGES:
        assert (REPO / path).exists(), path
    assert {k for k, *_ in PAGES} >= {"home", "atlas", "compare", "greenwich", "lessons", "data", "tour"}


def test_one_cache_decorator():
    """Streamlit's caches are called in components/data.py only; every other module uses data.shared_cache
    (one decorator, one protection rule, keys that name the dataset where session data can change the result)."""
    for p in (REPO / "components").glob("*.py"):
        if p.name == "data.py":
            continue
        src = p.read_text(encoding="utf-8")
        assert "st.cache_resource" not in src and "st.cache_data" not in src, f"{p.name}: use data.shared_cache"
