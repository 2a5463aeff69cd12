"""One direction of dependency: evidence/ → engine/ → reports/ → cli.py and web/, with no cycle between modules.

Every import counts, wherever it stands (module level, inside a function, under TYPE_CHECKING): a lazy import is
still an arrow, and a cycle that only a lazy import closes is still a cycle.
"""

from __future__ import annotations

import ast
from pathlib import Path

from tests.conftest import ROOT

PACKAGES = ("evidence", "engine", "reports", "web")
# What each part may import besides itself.
ALLOWED = {
    "evidence": set(),
    "engine": {"evidence"},
    "reports": {"evidence", "engine"},
    "web": {"evidence", "engine", "reports"},
    "cli": {"evidence", "engine", "reports", "web"},
}
# Libraries only one place may import.
ONLY_IN = {"durable_rules": {"engine.durable_adapter"}, "durable_rules_engine": {"engine.durable_adapter"}}
NOT_IN = {"django": {"evidence", "engine", "reports"}}


def modules() -> dict[str, Path]:
    found = {"cli": ROOT / "cli.py"}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")) if (ROOT / package).is_dir() else []:
            if "migrations" in path.parts:
                continue
            parts = path.relative_to(ROOT).with_suffix("").parts
            found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


def imports(path: Path, name: str, known: set[str]) -> set[str]:
    """The modules `path` imports: our own modules by their dotted names, others by their top-level name."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            out.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parts, base] if base else parts)
            out.add(base)
            out.update(f"{base}.{alias.name}" for alias in node.names if f"{base}.{alias.name}" in known)
    resolved = set()
    for target in out:
        while target not in known and "." in target and target.split(".")[0] in known:
            target = target.rpartition(".")[0]
        resolved.add(target if target in known else target.split(".")[0])
    return resolved


def graph() -> dict[str, set[str]]:
    found = modules()
    known = set(found)
    return {name: imports(path, name, known) - {name} for name, path in found.items()}


def part(module: str) -> str:
    return module.split(".")[0]


def test_no_upward_arrow():
    wrong = []
    for module, targets in graph().items():
        for target in targets:
            if part(target) in ALLOWED and part(target) != part(module) and part(target) not in ALLOWED[part(module)]:
                wrong.append(f"{module} imports {target}")
    assert not wrong, "\n".join(sorted(wrong))


def test_libraries_stay_where_they_belong():
    wrong = []
    for module, targets in graph().items():
        for library, allowed in ONLY_IN.items():
            if library in targets and module not in allowed:
                wrong.append(f"{module} imports {library} (only {', '.join(sorted(allowed))} may)")
        for library, parts in NOT_IN.items():
            if library in targets and part(module) in parts:
                wrong.append(f"{module} imports {library}")
    assert not wrong, "\n".join(sorted(wrong))


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(edges.get(node, ())):
            if target not in edges:
                continue
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                out.append(sorted(component))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return out


def test_no_cycle_between_modules():
    found = cycles(graph())
    assert not found, "\n".join(" ↔ ".join(c) for c in found)


def test_the_checks_can_fail():
    """The walk sees lazy imports and the cycle finder finds a cycle, so the tests above can fail."""
    assert "engine.regrade" in graph()["engine.usecases"]  # imported inside a function
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_the_command_line_stays_thin():
    """cli.py parses, calls one use case, writes and picks the exit code; what grows it belongs in engine/usecases.py
    or reports/ (issue 16: under 350 lines)."""
    lines = (ROOT / "cli.py").read_text(encoding="utf-8").count("\n")
    assert lines < 350, f"cli.py has {lines} lines"
