from __future__ import annotations

import atexit
import os
import shutil
import sys
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# The store's tests (tests/store/) run on a database of their own: SQLite in a temporary directory, or the server
# SPUR_TEST_DATABASE_URL names (.ci/postgres runs them again on a throwaway PostgreSQL server). Nothing the
# developer has in SPUR_DATABASE_URL or ~/.local/share/spur is touched. pytest-django creates and drops the test
# database; Django is configured here, before pytest-django looks for it.
_STORE_TMP = tempfile.mkdtemp(prefix="spur-test-store-")
atexit.register(shutil.rmtree, _STORE_TMP, ignore_errors=True)
os.environ["SPUR_DATABASE_URL"] = os.environ.get("SPUR_TEST_DATABASE_URL") or f"sqlite:///{_STORE_TMP}/spur.sqlite3"
os.environ["SPUR_SECRET_KEY"] = "only-for-tests"
os.environ["XDG_DATA_HOME"] = _STORE_TMP
os.environ["DJANGO_SETTINGS_MODULE"] = "web.settings"
from django.conf import settings as _django_settings  # noqa: E402

_django_settings.DATABASES  # noqa: B018 - loads the settings, so that pytest-django sets Django up
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
