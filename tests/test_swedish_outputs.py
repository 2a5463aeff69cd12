"""Everything the example units make the tool write reads as Swedish (issue 14, item 6): every text, Markdown and
HTML output, what goes to standard error, and the help of every command, with no English word from the deny-list
(tests/swedish.py) and no number-agreement error ('1 ej uppfyllda', 'Alla 2', '1 krav … kraven är')."""

from __future__ import annotations

import re
import shutil

import click
import pytest

import cli
from tests.conftest import EXAMPLES, ROOT
from tests.swedish import agreement_errors, english_words

PLAN = ROOT / "evidence" / "examples" / "handlingsplaner" / "vardcentralen_linden.yaml"


def _commands(group: click.Group, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    out = [prefix]
    for name, command in sorted(group.commands.items()):
        if isinstance(command, click.Group):
            out += _commands(command, (*prefix, name))
        else:
            out.append((*prefix, name))
    return out


def _readable(text: str) -> str:
    """What a reader sees: HTML without its style sheet, scripts and tags."""
    text = re.sub(r"<(style|script)\b.*?</\1>", " ", text, flags=re.S)
    return re.sub(r"<[^>]+>", " ", text)


@pytest.fixture(scope="module")
def outputs(tmp_path_factory) -> dict[str, str]:
    """name -> text, for every output of the example units and every command's help."""
    work = tmp_path_factory.mktemp("utdata")
    found: dict[str, str] = {}

    def spur(name: str, *argv: str) -> None:
        import contextlib
        import io

        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = cli.run(list(argv))
        assert code in (0, 1), (argv, err.getvalue())
        found[f"{name} (standard ut)"] = out.getvalue()
        found[f"{name} (standard fel)"] = err.getvalue()

    for example in EXAMPLES:
        unit = example.stem
        spur(f"{unit} grade", "grade", str(example))
        spur(f"{unit} grade markdown", "grade", str(example), "--format", "markdown")
        spur(f"{unit} validate", "validate", str(example))
        for suffix in ("html", "md"):
            spur(f"{unit} report {suffix}", "report", str(example), "-o", str(work / f"{unit}.{suffix}"))
        spur(f"{unit} plan", "plan", str(example), "-o", str(work / f"{unit}.plan.yaml"))
    linden = ROOT / "evidence" / "examples" / "vardcentralen_linden.yaml"
    plan = work / "linden_plan.yaml"
    shutil.copy(PLAN, plan)
    spur("linden re-plan", "plan", str(linden), "-o", str(plan))
    spur("linden grade --plan", "grade", str(linden), "--plan", str(plan))
    spur("linden report --plan", "report", str(linden), "--plan", str(plan), "-o", str(work / "linden.plan.html"))
    spur("linden report --plan md", "report", str(linden), "--plan", str(plan), "-o", str(work / "linden.plan.md"))
    for fmt in ("markdown", "html"):
        spur(f"show-plan {fmt}", "show-plan", str(plan), "--format", fmt, "-o", str(work / f"show.{fmt}"))
    spur("followup", "followup", str(plan), "--today", "2025-10-15")
    spur("followup within 1", "followup", str(plan), "--today", "2025-06-30", "--within", "1")
    spur("diff", "diff", str(EXAMPLES[0]), str(EXAMPLES[1]))
    spur(
        "batch",
        "batch",
        str(ROOT / "evidence" / "examples"),
        "--format",
        "html",
        "--reports",
        "-o",
        str(work / "batch"),
    )
    spur("batch csv", "batch", str(ROOT / "evidence" / "examples"), "--format", "csv")
    spur("init", "init")
    spur("rules list", "rules", "list")
    spur("rules lint", "rules", "lint")
    spur("rules test", "rules", "test")
    for command in _commands(cli.main):
        spur(f"spur {' '.join(command)} --help", *command, "--help")
    for path in sorted(work.rglob("*")):
        if path.suffix in (".html", ".md", ".yaml", ".csv"):
            found[path.relative_to(work).as_posix()] = path.read_text(encoding="utf-8")
    return found


def test_every_output_is_there(outputs) -> None:
    written = [name for name in outputs if not name.endswith(")")]
    print(f"{len(outputs)} utdata, varav {len(written)} filer")
    assert any(name.startswith("batch/") for name in written) and "show.html" in written
    assert any("spur rules show --help" in name for name in outputs)


def test_no_english_in_any_output(outputs) -> None:
    commands = {word for command in _commands(cli.main) for word in command}  # 'spur rules show' is a name
    found = {name: sorted(set(english_words(_readable(text))) - commands) for name, text in outputs.items()}
    assert {name: words for name, words in found.items() if words} == {}


def test_numbers_agree_in_every_output(outputs) -> None:
    found = {name: agreement_errors(_readable(text)) for name, text in outputs.items()}
    assert {name: errors for name, errors in found.items() if errors} == {}


def test_every_requirement_shown_in_swedish(catalog, capsys) -> None:
    """`spur rules show` for each requirement: kinds, confidence and the condition in words."""
    shown = 0
    for req in catalog.requirements:
        assert cli.run(["rules", "show", req.id]) == 0
        out = capsys.readouterr().out
        assert english_words(out) == [], (req.id, english_words(out))
        assert re.search(r"^Typ: (föreskrift|allmänt råd|kvalitetsindikator)", out, re.M), req.id
        assert re.search(r"säkerhet i klassningen: (hög|medel|låg)\)", out), req.id
        shown += 1
    print(f"{shown} krav visade")


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("föreskrifter: 1 ej uppfyllda", ["1 ej uppfyllda"]),
        ("Alla 2 ST-läkare uppfyller", ["Alla 2"]),
        (
            "Underlag saknas för 1 krav. Bästa fall, om underlaget visar att kraven är uppfyllda",
            ["1 krav. Bästa fall, om underlaget visar att kraven är"],
        ),
        ("1 av 8 betyg är preliminära", ["1 av 8 betyg är preliminära"]),
        ("3 enheter bedömda (5,7 s, 1 filer/s)", ["1 filer"]),
        ("Båda ST-läkarna uppfyller; 1 av 3 ST-läkare; 1 rad; 2 rader", []),
    ],
)
def test_the_agreement_check_finds_what_it_should(text: str, found: list[str]) -> None:
    assert agreement_errors(text) == found


def test_the_english_check_finds_library_english() -> None:
    said = english_words("enhet.yaml:3:1: YAML-syntaxfel: found character that cannot start any token.")
    assert {"found", "character", "cannot", "that", "token"} <= set(said)
    assert english_words("Usage: spur grade [OPTIONS] FIL\nError: Missing argument 'FIL'.") != []
    assert english_words("ogiltigt värde 'yes'. Tillåtna värden: 'ja', 'nej' eller 'ej tillämpligt'.") == []
