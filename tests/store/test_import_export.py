"""`spur db import` and `spur db export`: validated as the CLI validates, one bad file never stops the run, the same
file twice gives nothing new, and the export is byte for byte what was imported."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.store.conftest import EXAMPLES, plan_text, unit_text
from web.store.importing import export, import_paths
from web.store.models import Assessment, AssessmentVersion, Plan

pytestmark = pytest.mark.django_db


def _copy_examples(tmp_path: Path) -> Path:
    src = tmp_path / "in"
    shutil.copytree(EXAMPLES, src)
    return src


def test_import_then_export_is_byte_identical(tmp_path):
    src = _copy_examples(tmp_path)
    # awkward but valid bytes must survive too: a byte-order mark, CRLF line ends, a decomposed å
    odd = unit_text("Enhet Å").replace("\n", "\r\n")
    (src / "udda.yaml").write_bytes(b"\xef\xbb\xbf" + odd.replace("Å", "A\u030a").encode("utf-8"))
    run = import_paths((str(src),), None)
    assert run.exit_code() == 0, [f.errors for f in run.files]
    assert run.counts()["new"] == 4 and run.counts()["plan"] == 1
    out = tmp_path / "ut"
    written = export(out, None)
    assert len(written) == 5
    originals = sorted(p.read_bytes() for p in src.rglob("*.yaml"))
    assert sorted(Path(p).read_bytes() for p in written) == originals
    assert (out / "handlingsplaner" / "vardcentralen-linden.yaml").read_bytes() == (
        src / "handlingsplaner" / "vardcentralen_linden.yaml"
    ).read_bytes()
    # importing the export (or the same files) again creates nothing new
    again = import_paths((str(out), str(src)), None)
    assert set(again.counts()) == {"same"} and len(again.files) == 10
    assert AssessmentVersion.objects.count() == 4


def test_one_bad_file_never_stops_the_run(tmp_path):
    src = _copy_examples(tmp_path)
    (src / "trasig.yaml").write_text("enhet: [\n", encoding="utf-8")
    (src / "fel.yaml").write_text(
        (EXAMPLES / "vardcentralen_eken.yaml")
        .read_text(encoding="utf-8")
        .replace("typ: förbedömning", "typ: granskning"),
        encoding="utf-8",
    )
    (src / "handlingsplaner" / "foraldralos.yaml").write_text(plan_text("Okänd enhet"), encoding="utf-8")
    run = import_paths((str(src),), None)
    assert run.exit_code() == 3
    by_name = {Path(f.path).name: f for f in run.files}
    assert by_name["trasig.yaml"].status == "invalid" and "YAML-syntaxfel" in by_name["trasig.yaml"].errors[0]
    assert by_name["fel.yaml"].errors[0].startswith(f"{src}/fel.yaml:")
    assert "bedomning.typ" in by_name["fel.yaml"].errors[0]
    assert "ingen bedömning av 'Okänd enhet'" in by_name["foraldralos.yaml"].errors[0]
    assert Assessment.objects.count() == 3 and Plan.objects.count() == 1


def test_a_changed_file_becomes_a_new_version(tmp_path):
    f = tmp_path / "enhet.yaml"
    f.write_text(unit_text("Enhet Ett"), encoding="utf-8")
    import_paths((str(f),), None)
    f.write_text(unit_text("Enhet Ett") + "# ändrad\n", encoding="utf-8")
    run = import_paths((str(f),), None)
    assert [x.status for x in run.files] == ["new_version"]
    assert Assessment.objects.get().version == 2


def test_two_versions_of_one_assessment_in_one_run(tmp_path):
    """Two files of the same assessment (unit, date, kind), saved in one transaction: the second is a new version
    of the first (its grades compared with the first version's, read back from the store)."""
    (tmp_path / "a.yaml").write_text(unit_text("Enhet Ett"), encoding="utf-8")
    (tmp_path / "b.yaml").write_text(unit_text("Enhet Ett") + "# ändrad\n", encoding="utf-8")
    run = import_paths((str(tmp_path),), None, jobs=2)
    assert [x.status for x in run.files] == ["new", "new_version"], [x.errors for x in run.files]
    assert Assessment.objects.get().version == 2


def test_parallel_import_equals_serial(tmp_path):
    """Graded in two forked processes, as spur batch grades, with the same outcome as in one; the data and result
    the workers encoded read back as what grading the stored text gives."""
    from web.store import engine_calls

    src = _copy_examples(tmp_path)
    run = import_paths((str(src),), None, jobs=2)
    assert run.exit_code() == 0 and run.counts()["new"] == 3
    assert sorted(Assessment.objects.values_list("grades", flat=True)) == sorted(["AAACCAAD", "AAAAAABA", "BDDDDDDD"])
    for version in AssessmentVersion.objects.all():
        graded = engine_calls.grade_text(version.text, "bedömning")
        assert version.result == graded.result and version.data == graded.data


def test_s1_export_replaces_a_planted_link_and_refuses_a_linked_plan_directory(tmp_path):
    """Issue 15, S1: the files `spur db export` names inside UTKATALOG never follow a link out of it."""
    from evidence.errors import UsageError

    assert import_paths((str(_copy_examples(tmp_path)),), None).exit_code() == 0
    out = tmp_path / "delad"
    out.mkdir()
    victim = tmp_path / "offrets_fil"
    victim.write_text("offrets data", encoding="utf-8")
    (out / "vardcentralen-eken.yaml").symlink_to(victim)
    elsewhere = tmp_path / "annanstans"
    elsewhere.mkdir()
    (out / "handlingsplaner").symlink_to(elsewhere)
    with pytest.raises(UsageError, match="handlingsplaner: är en symbolisk länk"):
        export(out, None)
    assert victim.read_text(encoding="utf-8") == "offrets data" and not (out / "vardcentralen-eken.yaml").is_symlink()
    assert list(elsewhere.iterdir()) == []
