from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
EXAMPLES = sorted((ROOT / "evidence" / "examples").glob("*.yaml"))


@pytest.fixture(scope="session")
def catalog():
    from engine.catalog import load_catalog

    return load_catalog()


@pytest.fixture(scope="session")
def evaluator(catalog):
    from engine.evaluate import Evaluator

    return Evaluator(catalog)


def assert_golden(golden: Path, out: str) -> None:
    """Compare with a reviewed golden file; SPUR_UPDATE_GOLDEN=1 rewrites it (review the diff before committing)."""
    if os.environ.get("SPUR_UPDATE_GOLDEN"):
        golden.write_text(out, encoding="utf-8")
    assert out == golden.read_text(encoding="utf-8")
    print(f"{golden.name}: {len(out.splitlines())} rader identiska")
