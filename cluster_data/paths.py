"""Where the project's derived data lives (inside the repo, never ../shared)."""
from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
REPO_DIR = PACKAGE_DIR.parent

# The committed, derived data. Tests may point CLUSTER_ATLAS_DATA_DIR elsewhere
# to simulate missing or corrupt files.
DEFAULT_DATA_DIR = PACKAGE_DIR / "derived"


def data_dir() -> Path:
    override = os.environ.get("CLUSTER_ATLAS_DATA_DIR")
    return Path(override) if override else DEFAULT_DATA_DIR


# The raw material, read ONLY by the build step.
DEFAULT_RAW_DIR = REPO_DIR.parent / "shared" / "data"

REBUILD_HINT = "Rebuild it with `python -m cluster_data.build` (needs ../shared/data beside the repo), or restore it with `git checkout -- cluster_data/derived`."
