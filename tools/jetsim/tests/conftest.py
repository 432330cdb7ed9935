"""Shared fixtures: a tiny freshly generated set of files, and the committed sample."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

TOOL_DIR = Path(__file__).resolve().parents[1]
REPO_ROOT = TOOL_DIR.parents[1]
SAMPLE_DIR = REPO_ROOT / "data" / "jetclass-sample"

# The tests run from the repository root without installing the package.
if str(TOOL_DIR) not in sys.path:
    sys.path.insert(0, str(TOOL_DIR))

from jetsim import generate  # noqa: E402
from jetsim.processes import PROCESSES  # noqa: E402

TINY_JETS = 3
TINY_SEED = 7


@pytest.fixture(scope="session")
def tiny_dir(tmp_path_factory) -> Path:
    """Three jets of each of the ten classes, generated in this process."""
    out = tmp_path_factory.mktemp("tiny")
    for name in PROCESSES:
        task = generate.ChunkTask(process=name, chunk=0, n_jets=TINY_JETS,
                                  master_seed=TINY_SEED, out_dir=str(out))
        generate.generate_chunk(task)
    return out


@pytest.fixture(scope="session")
def sample_dir() -> Path:
    if not (SAMPLE_DIR / "manifest.json").exists():
        pytest.fail(f"the bundled sample is missing from {SAMPLE_DIR}")
    return SAMPLE_DIR
