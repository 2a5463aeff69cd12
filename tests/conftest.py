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


def improved_linden(tmp_path: Path) -> Path:
    """The Linden example a year on: D-07 now met (IUP revised), E-12 a new deficiency."""
    text = (ROOT / "evidence" / "examples" / "vardcentralen_linden.yaml").read_text(encoding="utf-8")
    text = text.replace("senast_reviderad: 2023-09-15", "senast_reviderad: 2024-09-15")
    text = text.replace("E-12: {svar: ja,", "E-12: {svar: nej,")
    path = tmp_path / "linden.yaml"
    path.write_text(text, encoding="utf-8")
    return path


# The goldens hold this mark where the output shows the catalogue's digest, so that a rule edit changes only the
# goldens whose content changed; tests/test_golden.py checks the digest shown against the rule files once.
DIGEST_MARK = "<digest>"


def rules_digest() -> str:
    """The 12 hex digits `spur` shows after the catalogue's name (Regelversion), as the catalogue computes them."""
    from engine.catalog import load_catalog

    digest = load_catalog().version.rpartition("(")[2].rstrip(")")
    assert len(digest) == 12, digest
    return digest


def assert_golden(golden: Path, out: str) -> None:
    """Compare with a reviewed golden file, the catalogue's digest masked; SPUR_UPDATE_GOLDEN=1 rewrites it (review
    the diff before committing)."""
    digest = rules_digest()
    assert DIGEST_MARK not in out
    out = out.replace(f"({digest})", f"({DIGEST_MARK})")
    if os.environ.get("SPUR_UPDATE_GOLDEN"):
        golden.write_text(out, encoding="utf-8")
    assert out == golden.read_text(encoding="utf-8")
    print(f"{golden.name}: {len(out.splitlines())} rader identiska")
