"""The options several commands share (reports/click_sv.py): files or the store (--db, --region, --anvandare),
--version, and the batch options about files; each wrong combination is one Swedish line and exit code 2."""

from __future__ import annotations

import pytest

from cli import run

EXAMPLES = "evidence/examples"
PLAN = "evidence/examples/handlingsplaner/vardcentralen_linden.yaml"


@pytest.mark.parametrize(
    ("argv", "said"),
    [
        (["followup", PLAN, "--db"], "fel: --db läser från databasen: ange inga planfiler.\n"),
        (["batch", EXAMPLES, "--db"], "fel: --db läser från databasen: ange inga sökvägar.\n"),
        (["followup", PLAN, "--region", "X"], "fel: --region och --anvandare gäller bara med --db.\n"),
        (["batch", EXAMPLES, "--anvandare", "anna"], "fel: --region och --anvandare gäller bara med --db.\n"),
        (["followup"], "fel: ange planfiler, eller --db för databasen.\n"),
        (["batch"], "fel: ange sökvägar, eller --db för databasen.\n"),
        (
            ["batch", "--db", "--reports"],
            "fel: --db läser enheterna från databasen: --reports och --plan-dir gäller bara filer.\n",
        ),
        (
            ["batch", "--db", "--plan-dir", EXAMPLES],
            "fel: --db läser enheterna från databasen: --reports och --plan-dir gäller bara filer.\n",
        ),
        (["batch", EXAMPLES, "--reports"], "fel: --reports kräver -o UTKATALOG (en rapportfil per enhet).\n"),
        (["batch", EXAMPLES, "--plan-dir", "finns-inte"], "fel: --plan-dir: finns-inte är ingen katalog.\n"),
    ],
)
def test_files_or_the_store_never_both_nor_neither(argv, said, capsys):
    assert run(argv) == 2
    captured = capsys.readouterr()
    assert (captured.out, captured.err) == ("", said)


def test_the_batch_options_are_checked_before_the_output_directory_is_made(tmp_path, capsys):
    target = tmp_path / "ut"
    assert run(["batch", EXAMPLES, "--plan-dir", "finns-inte", "-o", str(target)]) == 2
    assert capsys.readouterr().err == "fel: --plan-dir: finns-inte är ingen katalog.\n"
    assert not target.exists()


def test_version_is_printed_before_anything_else_is_parsed(capsys):
    assert run(["--version", "grade"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("spur ") and out.count("\n") == 1


def test_the_shared_options_read_the_same_in_every_command(capsys):
    helps = {}
    for command in ("grade", "followup", "batch", "diff", "report"):
        assert run([command, "--help"]) == 0
        helps[command] = capsys.readouterr().out
    assert "--today DATUM" in helps["followup"] and "Dagens datum (ÅÅÅÅ-MM-DD); standard är i dag." in helps["followup"]
    assert "-j, --jobs N" in helps["batch"] and "Antal processer; standard är antalet kärnor." in helps["batch"]
    for command in ("followup", "batch"):
        assert "--db" in helps[command] and "--region REGION" in helps[command] and "--anvandare NAMN" in helps[command]
    for command in ("grade", "followup", "diff"):
        assert "-o, --output FIL" in helps[command] and "Skriv till fil i stället för standard ut." in helps[command]
