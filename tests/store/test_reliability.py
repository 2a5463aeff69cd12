"""Reliability: an import killed at any moment leaves whole files or none; migrations run forward from the first
one on a database the first release made; `spur grade` never loads Django."""

from __future__ import annotations

import hashlib
import os
import random
import signal
import subprocess
import sys
import time

import pytest
from django.db import connection

from tests.conftest import ROOT


def _url() -> str:
    s = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{s['NAME']}"
    return f"postgresql://{s['USER']}@/{s['NAME']}?host={s['HOST']}"


def _check_whole(sources: dict[str, str]) -> int:
    """Every assessment has its versions 1..n, each the exact text of a source file with its audit event."""
    from web.store.models import Assessment, AssessmentVersion, AuditEvent, Unit

    texts = set(sources.values())
    versions = list(AssessmentVersion.objects.all())
    for v in versions:
        assert v.text in texts and v.sha256 == hashlib.sha256(v.text.encode()).hexdigest()
        assert v.result["areas"] and v.data["enhet"]["namn"]
    for a in Assessment.objects.all():
        assert a.current is not None and a.version == a.versions.count() == 1, a
        assert a.grades and len(a.grades) == 8
    assert Unit.objects.filter(assessments__isnull=True).count() == 0  # no unit left without its assessment
    assert AuditEvent.objects.filter(object_kind="bedömning").count() == len(versions)
    return len(versions)


@pytest.mark.django_db(transaction=True)
def test_import_killed_at_random_moments_leaves_whole_files(tmp_path):
    from benchmarks.generate import generate

    n = 150  # more than one transaction's worth (web/store/importing.py: Commits)
    files = generate(tmp_path / "enheter", n, seed=7)
    sources = {str(f): f.read_text(encoding="utf-8") for f in files}
    env = {**os.environ, "SPUR_DATABASE_URL": _url()}
    rng = random.Random(int(os.environ.get("SPUR_KILL_SEED", "18")))
    command = [sys.executable, str(ROOT / "cli.py"), "db", "import", str(tmp_path / "enheter"), "--jobs", "1"]
    seen, kills = [], 0
    from web.store.models import AssessmentVersion

    for _ in range(6):
        before = AssessmentVersion.objects.count()
        proc = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=ROOT)
        deadline = time.monotonic() + 60
        while AssessmentVersion.objects.count() == before and time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.02)
        time.sleep(rng.uniform(0.0, 0.5))  # somewhere in the middle of the next files
        kills += proc.poll() is None
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        seen.append(_check_whole(sources))
        if seen[-1] == n:
            break
    assert kills, "every import finished before it was killed; nothing was tested"
    print(f"{connection.vendor}: {kills} imports killed, after {seen} of {n} files; every assessment whole")
    done = subprocess.run(command, env=env, capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert _check_whole(sources) == n


@pytest.mark.django_db(transaction=True)
def test_migrations_run_forward_from_the_first_release():
    """Unapply the store, apply only its first migration, fill it as the first release would, then migrate to the
    latest and read it with today's code."""
    from datetime import date

    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    leaves = [n for n in executor.loader.graph.leaf_nodes() if n[0] == "store"]
    first = ("store", "0001_initial")
    executor.migrate([("store", None)])
    executor = MigrationExecutor(connection)
    executor.migrate([first])
    old = executor.loader.project_state([first]).apps
    region = old.get_model("store", "Region").objects.create(name="Region Ett")
    provider = old.get_model("store", "CareProvider").objects.create(region=region, name="P1")
    unit = old.get_model("store", "Unit").objects.create(care_provider=provider, name="Enhet Ett", specialty="x")
    assessment = old.get_model("store", "Assessment").objects.create(
        unit=unit, date=date(2025, 3, 14), kind="förbedömning", version=1, grades="AAADCAAD", engine_grades="AAADCAAD"
    )
    text = (ROOT / "evidence" / "examples" / "vardcentralen_linden.yaml").read_text(encoding="utf-8")
    version = old.get_model("store", "AssessmentVersion").objects.create(
        assessment=assessment, number=1, text=text, sha256=hashlib.sha256(text.encode()).hexdigest(), data={},
        result={}, rules_version="", author="t",
    )  # fmt: skip
    assessment.current = version
    assessment.save()
    executor = MigrationExecutor(connection)
    executor.migrate(leaves)
    from web.store.models import Assessment
    from web.store.queries import batch_result

    assert Assessment.objects.get().current.text == text
    assert [r.grades for r in batch_result(None).rows] == ["AAADCAAD"]


def test_spur_grade_never_imports_django():
    # cli.py attaches the store's commands (web/commands.py, click only); nothing of Django or the store loads
    code = (
        "import sys, cli; code = cli.run(['grade', 'evidence/examples/vardcentralen_linden.yaml', '-o', '/dev/null']);"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('django', 'psycopg')"
        " or m.startswith(('web.store', 'web.ui', 'web.settings')));"
        "print(code, bad); sys.exit(1 if code or bad else 0)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stdout + done.stderr


def test_engine_evidence_and_reports_never_import_the_store():
    for package in ("engine", "evidence", "reports"):
        for path in (ROOT / package).rglob("*.py"):
            text = path.read_text(encoding="utf-8")
            assert "import web" not in text and "from web" not in text and "django" not in text, path
