"""Load rules/ into an immutable catalogue, with file:line errors for broken rule data."""

from __future__ import annotations

import functools
import hashlib
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

import msgspec
from msgspec import Struct, field

from engine.conditions import Check, Cond, ConditionError, attestation_of, parse_check, parse_condition
from engine.terms import AREAS, Kind
from evidence import diskcache
from evidence.errors import InputError
from evidence.known import KnownRequirements
from evidence.yamlsafe import Document, format_loc, load

if TYPE_CHECKING:
    from pydantic import BaseModel

    from engine.rule_model import Example, Grading, Header, PlanDefaults, Reference


class Requirement(Struct, frozen=True):
    id: str
    area: str
    kind: Kind | dict[str, Kind]
    confidence: str
    text: str
    references: tuple[Reference, ...]
    responsible: str | dict[str, str]
    underlag: str
    remediation: str
    applies_when: Cond | None
    check: Check
    examples: tuple[Example, ...]
    where: str  # file:line of the requirement, for error messages
    source: dict[str, Any] = field(default_factory=dict)  # check/applies_when as written

    def kind_for(self, regulations: set[str], strictness: list[str], default: str) -> str:
        if isinstance(self.kind, str):
            return self.kind
        regs = regulations or {default}
        kinds = [self.kind[r] for r in regs if r in self.kind] or list(self.kind.values())
        return min(kinds, key=strictness.index)

    @property
    def kinds(self) -> set[str]:
        return {self.kind} if isinstance(self.kind, str) else set(self.kind.values())


class Area(Struct, frozen=True):
    letter: str
    title: str
    group: str
    scale: dict[str, str]
    header: Header | None
    requirements: tuple[Requirement, ...]

    def has_kind(self, kind: str) -> bool:
        return any(kind in r.kinds for r in self.requirements)


class Catalog(Struct, frozen=True):
    name: str
    version: str
    root: Path
    areas: tuple[Area, ...]
    grading: Grading
    vocabulary: dict[str, Any]
    example_base: dict[str, Any]
    by_id: dict[str, Requirement]
    known: KnownRequirements  # what the evidence and plan loaders need of the catalogue
    plan_defaults: PlanDefaults | None = None

    @property
    def requirements(self) -> tuple[Requirement, ...]:
        return tuple(r for a in self.areas for r in a.requirements)

    def setting(self, name: str) -> int | float:
        return self.grading.settings[name]


@functools.cache
def default_rules_dir() -> Path:
    """rules/ as installed (looked up once per process: every load_catalog() call starts here)."""
    return Path(str(resources.files("rules"))).resolve()


def _validate(model: type[BaseModel], doc: Document) -> Any:
    """The rule file's data as records (see engine/rule_model.py), or an InputError with every problem."""
    from pydantic import ValidationError

    from evidence.records import freeze

    try:
        return freeze(model.model_validate(doc.data))
    except ValidationError as exc:
        from evidence.messages import error_lines

        raise InputError(error_lines(doc, exc, model, "regelfel: ")) from None


_CACHE: dict[Path, Catalog] = {}
# The code that shapes a Catalog object: a change in any of these files invalidates the on-disk cache.
_CODE = (
    "engine/catalog.py",
    "engine/rule_model.py",
    "engine/conditions.py",
    "engine/terms.py",
    "evidence/yamlsafe.py",
    "evidence/known.py",
    "evidence/records.py",
    "evidence/terms.py",
)


def _disk_cache(rules_digest: str, root: Path) -> Path | None:
    """Where the loaded catalogue for these exact rule files (and this code) is kept between runs: parsing and
    validating the rule YAML is most of a `spur grade` run's own work (~35 ms); unpickling the result takes ~4 ms."""
    versions = (diskcache.pydantic_version(), msgspec.__version__.encode())
    return diskcache.entry("catalog", (rules_digest.encode(), str(root).encode(), *versions), _CODE)


def _read_cached(path: Path | None) -> Catalog | None:
    catalog = diskcache.read(path)
    return catalog if isinstance(catalog, Catalog) else None


def _area(doc: Document, grading: Grading, by_id: dict[str, Requirement]) -> Area:
    """One areas/*.yaml file; its requirements are added to `by_id`. Every problem in the file is reported at once."""
    from engine.rule_model import _RawArea

    raw = _validate(_RawArea, doc)
    reqs = []
    problems = []
    for i, rr in enumerate(raw.requirements):
        loc: tuple[str | int, ...] = ("requirements", i)
        if rr.id in by_id:
            problems.append(f"{doc.where((*loc, 'id'))}: krav-id {rr.id} finns redan ({by_id[rr.id].where}).")
            continue
        try:
            check = parse_check(rr.check, (*loc, "check"))
            applies = parse_condition(rr.applies_when, (*loc, "applies_when")) if rr.applies_when is not None else None
        except ConditionError as exc:
            problems.append(f"{doc.where(exc.loc)}: {format_loc(exc.loc)}: regelfel: {exc}")
            continue
        req = Requirement(
            rr.id,
            raw.area,
            rr.kind if isinstance(rr.kind, str) else dict(rr.kind),
            rr.confidence,
            rr.text,
            tuple(rr.references),
            rr.responsible if isinstance(rr.responsible, str) else dict(rr.responsible),
            rr.underlag,
            rr.remediation,
            applies,
            check,
            tuple(rr.examples),
            doc.where(loc),
            {k: v for k, v in (("applies_when", rr.applies_when), ("check", rr.check)) if v is not None},
        )
        by_id[req.id] = req
        reqs.append(req)
    if raw.scale not in grading.scales:
        problems.append(
            f"{doc.where(('scale',))}: scale: okänd skala '{raw.scale}' (finns: {', '.join(grading.scales)})."
        )
    if problems:
        raise InputError(problems)
    return Area(raw.area, raw.title, raw.group, dict(grading.scales[raw.scale]), raw.header, tuple(reqs))


def _known(by_id: dict[str, Requirement]) -> KnownRequirements:
    attested = {}
    for req_id, req in by_id.items():
        attestation = attestation_of(req.check)
        if attestation is not None:
            attested[req_id] = attestation.not_applicable
    return KnownRequirements(tuple(by_id), attested)


def load_catalog(root: Path | None = None) -> Catalog:
    root = (root or default_rules_dir()).resolve()
    if root in _CACHE:
        return _CACHE[root]
    digest = hashlib.sha256()
    area_files = sorted((root / "areas").glob("*.yaml"))
    files = [
        root / "grading.yaml",
        root / "vocabulary.yaml",
        root / "example_base.yaml",
        root / "handlingsplan.yaml",
        *area_files,
    ]
    for path in files:
        try:
            digest.update(path.name.encode() + b"\0" + path.read_bytes())
        except OSError:
            break  # load() below reports the missing or unreadable file
    else:
        cache = _disk_cache(digest.hexdigest(), root)
        cached = _read_cached(cache)
        if cached is not None and cached.root == root:
            _CACHE[root] = cached
            return cached
    from engine.rule_model import Grading, PlanDefaults, Vocabulary

    docs = {path: load(path) for path in files}
    grading = _validate(Grading, docs[root / "grading.yaml"])
    _validate(Vocabulary, docs[root / "vocabulary.yaml"])  # kept as the plain mapping it was read as
    areas = []
    by_id: dict[str, Requirement] = {}
    problems: list[str] = []
    for path in area_files:
        try:
            areas.append(_area(docs[path], grading, by_id))
        except InputError as exc:
            problems.extend(exc.lines)
    if problems:
        raise InputError(problems)
    areas.sort(key=lambda a: AREAS.index(a.letter) if a.letter in AREAS else 99)
    catalog = Catalog(
        grading.name,
        f"{grading.name} ({digest.hexdigest()[:12]})",
        root,
        tuple(areas),
        grading,
        docs[root / "vocabulary.yaml"].data,
        docs[root / "example_base.yaml"].data,
        by_id,
        _known(by_id),
        _validate(PlanDefaults, docs[root / "handlingsplan.yaml"]),
    )
    _CACHE[root] = catalog
    diskcache.write(_disk_cache(digest.hexdigest(), root), catalog)
    return catalog
