"""The commands the README shows still work (with its placeholder file names mapped to the bundled examples)."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

from cli import run

README = Path(__file__).resolve().parent.parent / "README.md"
EXAMPLE = "evidence/examples/vardcentralen_linden.yaml"


def readme_commands() -> list[str]:
    return [m.group(1).strip() for m in re.finditer(r"^\.venv/bin/spur (.+?)(?:\s+#.*)?$", README.read_text(), re.M)]


def test_readme_first_screen_has_the_two_commands():
    head = "\n".join(README.read_text(encoding="utf-8").splitlines()[:20])
    assert "make demo" in head and "make test" in head


def test_readme_commands_run(tmp_path, capsys):
    commands = readme_commands()
    assert len(commands) >= 9
    ran = []
    for command in commands:
        command = command.split(" > ")[0]
        args = []
        for word in shlex.split(command):
            if word in ("enhet.yaml", "enheter/*.yaml"):
                word = EXAMPLE
            elif word == "planer/*.yaml":
                word = str(tmp_path / "handlingsplan.yaml")
            elif word.endswith((".yaml", ".md", ".json", ".html", ".ics", ".pdf", ".docx")) and not word.startswith("evidence/"):
                word = str(tmp_path / word)
            args.append(word)
        code = run(args)
        out = capsys.readouterr()
        ran.append(f"spur {' '.join(args)} -> {code}")
        assert code in (0, 1), (command, out.err)
        assert "Traceback" not in out.err
    print("\n".join(ran))


def test_how_it_works_lists_every_module_and_no_module_that_is_gone():
    """README › How it works › The tree: one line per module of cli.py, evidence/, engine/ and reports/."""
    root = README.parent
    text = README.read_text(encoding="utf-8")
    tree = text[text.index("### The tree") : text.index("### `spur grade")]
    block = tree[tree.index("```\n") + 4 : tree.index("\n```", tree.index("```\n") + 4)]
    listed: dict[str, set[str]] = {}
    package = ""
    for line in block.splitlines():
        name = line.split()[0]
        if not line.startswith(" "):
            package = name.rstrip("/") if name.endswith("/") else ""
        elif package and name.endswith(".py"):
            listed.setdefault(package, set()).add(name)
    for package in ("evidence", "engine", "reports"):
        modules = {p.name for p in (root / package).glob("*.py") if p.name != "__init__.py"}
        assert listed.get(package) == modules, package
    assert "cli.py" in block.split()
