"""The store commands the README shows work, in order (placeholder paths mapped to the bundled examples)."""

from __future__ import annotations

import re
import shlex

import pytest

from cli import run
from tests.conftest import ROOT

pytestmark = pytest.mark.django_db


def store_commands() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = text[text.index("## The store") :]
    block = block[block.index("```sh") + 5 : block.index("```", block.index("```sh") + 5)]
    return [m.group(1).strip() for m in re.finditer(r"^spur (.+?)(?:\s+#.*)?$", block, re.M)]


def test_readme_store_commands_run(tmp_path, capsys):
    commands = store_commands()
    assert len(commands) == 9
    for command in commands:
        args = []
        for word in shlex.split(command):
            if word in ("enheter/", "planer/"):
                word = "evidence/examples"
            elif word.endswith(("/", ".html")):
                word = str(tmp_path / word)
            args.append(word)
        code = run(args)
        out = capsys.readouterr()
        assert code in (0, 1), (command, out.err)
        assert "Traceback" not in out.err and "internt fel" not in out.err
    assert (tmp_path / "region-2025.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
