from __future__ import annotations

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
