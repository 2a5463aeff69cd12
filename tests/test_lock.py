"""The lock files are not stale: every dependency pyproject.toml names is pinned there, at a version its range
allows, and the lock holds no direct dependency that pyproject.toml no longer names. `make lock` regenerates them."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
DIRECT = "spur (pyproject.toml)"


def pins(lock: Path) -> dict[str, tuple[str, list[str]]]:
    """name -> (version, the 'via' lines that follow it) for every `name==version` entry of a uv lock file."""
    found: dict[str, tuple[str, list[str]]] = {}
    name = ""
    for line in lock.read_text(encoding="utf-8").splitlines():
        m = re.match(r"^([A-Za-z0-9._-]+)==([^ ;\\]+)", line)
        if m:
            name = canonicalize_name(m.group(1))
            found[name] = (m.group(2), [])
        elif name and line.startswith("    #"):
            found[name][1].append(line.strip("# ").removeprefix("via ").strip())
    return found


def check(requirements: list[str], locked: dict[str, tuple[str, list[str]]]) -> list[str]:
    problems = []
    for text in requirements:
        req = Requirement(text)
        name = canonicalize_name(req.name)
        if name not in locked:
            problems.append(f"{req.name} saknas i låsfilen")
        elif not req.specifier.contains(locked[name][0], prereleases=True):
            problems.append(f"{req.name}=={locked[name][0]} uppfyller inte {text}")
    return problems


def test_runtime_and_dev_lock_matches_pyproject() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    wanted = project["dependencies"] + [r for extra in project["optional-dependencies"].values() for r in extra]
    locked = pins(ROOT / "requirements.lock")
    problems = check(wanted, locked)
    named = {canonicalize_name(Requirement(r).name) for r in wanted}
    direct = {name for name, (_, via) in locked.items() if DIRECT in via}
    problems += [
        f"{name} står kvar i låsfilen som direkt beroende men inte i pyproject.toml" for name in direct - named
    ]
    assert not problems, "requirements.lock är inaktuell (kör make lock): " + "; ".join(problems)


def test_build_lock_covers_the_build_system() -> None:
    build = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["build-system"]["requires"]
    problems = check([*build, "pip", "wheel"], pins(ROOT / "requirements-build.lock"))
    assert not problems, "requirements-build.lock är inaktuell (kör make lock): " + "; ".join(problems)


def test_every_pin_carries_hashes() -> None:
    for lock in ("requirements.lock", "requirements-build.lock"):
        entries = re.split(r"\n(?=[A-Za-z0-9])", (ROOT / lock).read_text(encoding="utf-8"))
        pinned = [e for e in entries if "==" in e.split("\n", 1)[0]]
        assert pinned, lock
        assert all("--hash=sha256:" in e for e in pinned), lock


def test_a_stale_lock_is_noticed() -> None:
    locked = {"pyyaml": ("6.0.2", [DIRECT])}
    assert check(["pyyaml>=6.0.3"], locked) == ["pyyaml==6.0.2 uppfyller inte pyyaml>=6.0.3"]
    assert check(["click>=8"], locked) == ["click saknas i låsfilen"]
