"""No library English reaches a user (issue 14, item 2): click's messages, pydantic-core's and the operating
system's are given in Swedish. (YAML's are in tests/test_yamlerrors.py.)"""

from __future__ import annotations

import ast
import errno
import re
import typing
from pathlib import Path

import click
import pytest
from pydantic_core.core_schema import ErrorType

import cli
from evidence.errors import os_reason
from evidence.messages import message
from reports import click_sv
from tests.swedish import english_words


def _click_messages() -> list[tuple[str, ...]]:
    """Every string click looks up through gettext: _("…") and ngettext("…", "…", n)."""
    found = []
    for path in sorted(Path(click.__file__).parent.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("_", "ngettext"):
                texts = tuple(a.value for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str))
                if texts:
                    found.append(texts[:2] if node.func.id == "ngettext" else texts[:1])
    return found


def test_every_click_message_a_user_can_meet_is_swedish() -> None:
    messages = _click_messages()
    print(f"{len(messages)} meddelanden i click")
    assert len(messages) > 50
    untranslated = [
        m
        for m in messages
        if m[0] not in click_sv.NOT_FOR_USERS
        and not (m in click_sv.SV_PLURAL if len(m) == 2 else m[0] in click_sv.SV)
        and not (len(m) == 2 and m[0] in click_sv.SV and m[1] in click_sv.SV)
    ]
    assert untranslated == []
    for swedish in [*click_sv.SV.values(), *(s for pair in click_sv.SV_PLURAL.values() for s in pair)]:
        assert english_words(re.sub(r"\{[^}]*\}|%\(\w+\)s", "", swedish)) == [], swedish


USAGE_MISTAKES = [
    ["grade", "--bogus", "x.yaml"],
    ["grade"],
    ["grade", "a.yaml", "b.yaml"],
    ["frob"],
    ["grade", "x.yaml", "--format", "yaml"],
    ["grade", "--format"],
    ["followup", "p.yaml", "--within", "-1"],
    ["followup", "p.yaml", "--within", "x"],
    ["batch", "x", "-j", "0"],
    ["rules", "show", "Q-99"],
    ["rules", "list", "--area", "Z"],
    ["plan", str(Path(__file__).parent / "data" / "good_unit.yaml"), "--plan-date", "2025-13-01"],
    ["--regler"],
    ["show-plan"],
]


@pytest.mark.parametrize("argv", USAGE_MISTAKES, ids=[" ".join(a) for a in USAGE_MISTAKES])
def test_usage_mistakes_are_told_in_swedish(argv: list[str], capsys, tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert cli.run(argv) == 2
    err = capsys.readouterr().err
    print(err)
    assert english_words(err) == []
    assert next(line for line in err.splitlines() if "fel" in line.lower()).startswith("fel: ")


def test_help_ranges_are_in_words(capsys) -> None:
    """click writes a range as 'x>=1' and '0<=x<=3650'."""
    assert cli.run(["batch", "--help"]) == 0
    assert cli.run(["followup", "--help"]) == 0
    out = capsys.readouterr().out
    assert "[minst 1]" in out and "[0–3650]" in out and "x>=" not in out and "<=x" not in out


def _context(kind: str) -> dict[str, object]:
    return {
        "error": "ett eget fel",
        "expected": "'ja' or 'nej'",
        "ge": 0,
        "le": 10,
        "gt": 0,
        "lt": 10,
        "min_length": 1,
        "max_length": 2,
        "multiple_of": 5,
        "pattern": "^a$",
        "actual_length": 3,
        "field_type": "Value",
        "tag": "x",
        "expected_tags": "'a'",
        "discriminator": "'kind'",
        "class_name": "X",
        "class": "X",
        "max_digits": 3,
        "decimal_places": 2,
        "whole_digits": 1,
        "expected_plural": "values",
        "reason": "input is too short",
        "type": kind,
        "attribute": "x",
        "version": 4,
        "expected_schemes": "'https'",
    }


@pytest.mark.parametrize("kind", typing.get_args(ErrorType))
def test_every_pydantic_core_error_is_told_in_swedish(kind: str) -> None:
    """pydantic-core's own text ('Input should be a valid string' …) is English; message() never passes it on."""
    from evidence.model import Evidens

    err = {
        "type": kind,
        "loc": ("enhet", "namn"),
        "msg": "Input should be a valid thing",
        "input": "x",
        "ctx": _context(kind),
    }
    said = message(err, ("enhet", "namn"), Evidens)
    print(said)
    assert english_words(said) == [] and "Input should" not in said


@pytest.mark.parametrize("code", sorted(errno.errorcode.values()))
def test_every_operating_system_error_is_told_in_swedish(code: str) -> None:
    said = os_reason(OSError(getattr(errno, code), "Operation not permitted by the system"))
    assert english_words(said) == [] and "Operation" not in said, said
