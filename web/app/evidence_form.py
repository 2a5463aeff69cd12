"""The self-assessment form, generated from the evidence model (evidence/model.py) and the rule catalogue (rules/):
no page is written by hand per requirement, so a new rule or a new field appears without new HTML.

Every input is named by its key path as the CLI's messages show it (`st_lakare[2].iup.senast_reviderad`,
`intyganden.A-03.svar`), so a validation message of `spur grade` lands at its field, and a posted form becomes
key-path changes to the YAML text (comments and key order kept). The form holds no domain rule: what is valid is
decided by the same loader the CLI uses, when the changed text is saved.
"""

from __future__ import annotations

import io
import re
import typing
from dataclasses import dataclass, field
from datetime import date
from functools import cache, lru_cache
from typing import Any

from engine.catalog import Catalog, Requirement
from engine.compiler import subchecks_of
from engine.conditions import Attestation, Items, Leaf, Quantifier, leaves
from evidence.shape import kind_of, unwrap
from web.app import shared

Loc = tuple[str | int, ...]

# The people lists of the evidence, in the order the people page shows them.
PEOPLE = ("handledare", "st_lakare", "bt_lakare", "vantar_pa_st")
# Sections of the file a self-assessment's area pages never edit (the inspectors' own parts, the file's header).
NOT_ON_AREA_PAGES = ("version", "bedomning", "inspektorsbedomningar", "observationer", "sammanfattning")
SVAR = ("ja", "nej", "ej tillämpligt")


def shown(loc: Loc) -> str:
    """A key path as the CLI's messages show it: list positions from 1."""
    out = ""
    for part in loc:
        out += f"[{part + 1}]" if isinstance(part, int) else ("." if out else "") + str(part)
    return out


_NAME = re.compile(r"[^.\[\]\s]+(?:\[[1-9]\d{0,5}\]|\.[^.\[\]\s]+)*")
_PART = re.compile(r"\[(\d+)\]|\.?([^.\[\]\s]+)")


def parse_name(name: str) -> Loc | None:
    """The 0-based key path of an input's name; None for a name that is not one."""
    if not _NAME.fullmatch(name):
        return None
    return tuple(int(m.group(1)) - 1 if m.group(1) else m.group(2) for m in _PART.finditer(name))


# --- the model's fields ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Spec:
    """One field of the evidence model: how it is entered."""

    key: str
    kind: str  # date | bool | number | str | choice | list | model | svar
    title: str
    help: str
    required: bool
    choices: tuple[str, ...] = ()
    model: Any = None  # the model of a model field or of a list's items


@cache
def model_specs(model: Any) -> tuple[Spec, ...]:
    out = []
    for key, info in model.model_fields.items():
        annotation, optional = unwrap(info.annotation)
        kind, sub = kind_of(annotation)
        choices: tuple[str, ...] = ()
        if typing.get_origin(annotation) is typing.Literal:
            kind, choices = "choice", tuple(str(a) for a in typing.get_args(annotation))
            if choices == SVAR:
                kind = "svar"
        out.append(
            Spec(
                key, kind, info.title or key, info.description or "", info.is_required() and not optional, choices, sub
            )
        )
    return tuple(out)


def _dict_models() -> dict[str, Any]:
    """The file's mappings keyed by requirement id or area (intyganden.A-03, inspektorsbedomningar.E-10 …)."""
    from evidence.model import Inspektorsbedomning, Intyg, Observation

    return {"intyganden": Intyg, "inspektorsbedomningar": Inspektorsbedomning, "observationer": Observation}


def spec_at(loc: Loc, root: Any = None) -> Spec | None:
    """The spec of the field at a key path of the evidence file (or of a file of the `root` model)."""
    from evidence.model import Evidens

    model: Any = root or Evidens
    if root is None and len(loc) >= 3 and loc[0] in _dict_models():
        model, loc = _dict_models()[str(loc[0])], loc[2:]
    found = None
    for part in loc:
        if isinstance(part, int):
            if found is None or found.kind != "list":
                return None
            continue
        if model is None:
            return None
        found = next((s for s in model_specs(model) if s.key == part), None)
        if found is None:
            return None
        model = found.model
    return found


# --- values ------------------------------------------------------------------------------------------------------


def show_value(value: Any) -> str:
    if value is None:
        return ""
    if value is True:
        return "ja"
    if value is False:
        return "nej"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def typed(kind: str, text: str) -> Any:
    """The value to write for what was typed: a date or number where it is one, else the text as typed, which the
    loader then judges with the CLI's message."""
    text = text.strip()
    if kind == "date":
        try:
            return date.fromisoformat(text)
        except ValueError:
            return text
    if kind == "number":
        if re.fullmatch(r"-?\d+", text):
            return int(text)
        try:
            return float(text.replace(",", "."))
        except ValueError:
            return text
    return text


def get(data: Any, loc: Loc) -> Any:
    for part in loc:
        if isinstance(part, int):
            if not isinstance(data, list) or part >= len(data):
                return None
        elif not isinstance(data, dict) or part not in data:
            return None
        data = data[part]
    return data


# --- the form as the page shows it ---------------------------------------------------------------------------------


@dataclass
class Input:
    """One input (or fieldset) of the page."""

    name: str  # the shown key path; the input's name and (prefixed) id
    spec: Spec
    value: str = ""
    errors: list[str] = field(default_factory=list)
    children: list[Input] = field(default_factory=list)  # a model's fields, or a list's items
    label: str = ""  # the label shown; the spec's title unless the context needs more
    new: bool = False  # the blank item at the end of a list, for adding one
    removable: bool = False  # an item of a list: a 'ta bort' box

    @property
    def id(self) -> str:
        return _input_id(self.name)

    @property
    def error_id(self) -> str:
        return self.id + "-fel"


@lru_cache(maxsize=8192)
def _input_id(name: str) -> str:
    """An input's id (the template asks for it several times per input; the names recur from page to page)."""
    return "f-" + re.sub(r"[^A-Za-z0-9_-]", "-", name)


def build(data: Any, loc: Loc, spec: Spec, label: str = "", depth: int = 0) -> Input:
    """The input for the field at `loc`, with its children (a model's fields, a list's items and one blank item)."""
    value = get(data, loc)
    node = Input(shown(loc), spec, label=label or spec.title)
    if spec.kind == "model":
        node.children = [build(data, (*loc, s.key), s, depth=depth + 1) for s in model_specs(spec.model)]
    elif spec.kind == "list" and spec.model is not None:
        items = value if isinstance(value, list) else []
        for i in range(len(items) + 1):
            item = Input(shown((*loc, i)), Spec(str(i), "model", "", "", False, model=spec.model))
            item.new = i == len(items)
            item.removable = not item.new
            name = get(data, (*loc, i, "namn")) or get(data, (*loc, i, "titel")) or get(data, (*loc, i, "datum"))
            item.label = (
                f"Ny post i {spec.title}"
                if item.new
                else f"{spec.title} {i + 1}" + (f": {show_value(name)}" if name else "")
            )
            item.children = [build(data, (*loc, i, s.key), s, depth=depth + 1) for s in model_specs(spec.model)]
            node.children.append(item)
    elif spec.kind == "list":  # a list of texts (bedömare, styrkor …): one per line
        node.value = "\n".join(show_value(v) for v in value) if isinstance(value, list) else ""
    else:
        node.value = show_value(value)
    return node


@dataclass
class Question:
    """One requirement on its area's page: its text and underlag, and the inputs its rule reads."""

    req: Requirement
    inputs: list[Input]
    people: list[str]  # the people lists whose entries it reads (edited here, per person, and on the people page)
    lists: list[str]  # lists inside a person's entry it reads (edited on the people page)
    elsewhere: list[tuple[str, str]]  # (label, requirement id) of inputs shown under an earlier requirement


def _reads(req: Requirement) -> tuple[bool, list[tuple[str, str, bool]]]:
    """(has an attestation, [(entity, field path, is an Items leaf)]): what the rule reads, in the order written.
    The entity is 'enhet' (the file's root) or a people list."""
    attestation = False
    read: list[tuple[str, str, bool]] = []
    for cond in (req.applies_when, *subchecks_of(req)[0]):
        entity = cond.collection if isinstance(cond, Quantifier) else "enhet"
        for leaf in leaves(cond):
            if isinstance(leaf, Attestation):
                attestation = True
            elif isinstance(leaf, (Leaf, Items)) and (entity, leaf.field, isinstance(leaf, Items)) not in read:
                read.append((entity, leaf.field, isinstance(leaf, Items)))
    return attestation, read


def area_questions(catalog: Catalog, letter: str, data: Any) -> list[Question]:
    """The questions of one area, in report order, with the current values of `data` (the YAML document)."""
    from evidence.model import Evidens, Intyg

    area = next(a for a in catalog.areas if a.letter == letter)
    placed: dict[str, str] = {}  # input name -> the requirement it is shown under
    questions = []
    for req in area.requirements:
        attestation, read = _reads(req)
        inputs: list[Input] = []
        people: list[str] = []
        lists: list[str] = []
        elsewhere: list[tuple[str, str]] = []

        def place(node: Input, req_id: str = req.id, inputs: list[Input] = inputs, elsewhere: list = elsewhere) -> None:
            if node.name in placed:
                elsewhere.append((node.label, placed[node.name]))
            else:
                placed[node.name] = req_id
                inputs.append(node)

        for entity, path, is_items in read:
            if entity == "enhet":
                loc = tuple(path.split("."))
                if loc[0] in PEOPLE:  # 'st_lakare' counted: the people list itself, edited on the people page
                    if loc[0] not in people:
                        people.append(loc[0])
                    continue
                spec = spec_at(loc)
                if spec is None or loc[0] in NOT_ON_AREA_PAGES:
                    continue
                if spec.kind == "model":  # a whole document entry: its fields
                    for s in model_specs(spec.model):
                        place(build(data, (*loc, s.key), s, _field_label(loc, s)))
                else:
                    place(build(data, loc, spec, _field_label(loc[:-1], spec)))
                continue
            if entity not in people:
                people.append(entity)
            item_model = next(s.model for s in model_specs(Evidens) if s.key == entity)
            sub = tuple(path.split("."))
            spec = _spec_in(item_model, sub)
            if spec is None:
                continue
            if is_items or spec.kind in ("list", "model"):
                lists.append(f"{_entity_title(entity)}: {spec.title}")
                continue
            entries = get(data, (entity,))
            for i in range(len(entries) if isinstance(entries, list) else 0):
                who = show_value(get(data, (entity, i, "namn"))) or f"{_entity_title(entity)} {i + 1}"
                place(build(data, (entity, i, *sub), spec, f"{who} – {spec.title}"))
        if attestation:
            for s in model_specs(Intyg):
                place(build(data, ("intyganden", req.id, s.key), s, f"{req.id} – {s.title}"))
        questions.append(Question(req, inputs, people, lists, elsewhere))
    return questions


def _spec_in(model: Any, path: Loc) -> Spec | None:
    spec = None
    for part in path:
        if model is None:
            return None
        spec = next((s for s in model_specs(model) if s.key == part), None)
        if spec is None:
            return None
        model = spec.model
    return spec


def _field_label(parent: Loc, spec: Spec) -> str:
    from engine.fields import label, resolve
    from evidence.shape import ROOT

    found = resolve(ROOT, ".".join(str(p) for p in (*parent, spec.key)))
    return label(found) if found else spec.title


def _entity_title(entity: str) -> str:
    from evidence.model import Evidens

    titles = {"handledare": "Handledare"}
    spec = next(s for s in model_specs(Evidens) if s.key == entity)
    return titles.get(entity, spec.title[:1].upper() + spec.title[1:])


def people_inputs(data: Any) -> list[Input]:
    """The people lists, each with every field of the model, for the people page."""
    from evidence.model import Evidens

    specs = {s.key: s for s in model_specs(Evidens)}
    out = []
    for key in PEOPLE:
        node = build(data, (key,), specs[key], _entity_title(key))
        out.append(node)
    return out


def unit_inputs(data: Any) -> list[Input]:
    """The unit's own details (enhet, bedömning, verksamhetschef, studierektor)."""
    from evidence.model import Evidens

    specs = {s.key: s for s in model_specs(Evidens)}
    return [build(data, (key,), specs[key], label) for key, label in UNIT_SECTIONS.items()]


# The sections of the unit's page, by their Swedish names: the file's keys have no title (and no å, ä, ö).
UNIT_SECTIONS = {"enhet": "enheten", "bedomning": "bedömningen", "verksamhetschef": "verksamhetschefen",
                 "studierektor": "studierektorn"}  # fmt: skip


def observation_inputs(data: Any, letter: str) -> list[Input]:
    """The inspectors' observations of one area (the report's prose): each field of the model."""
    from evidence.model import Observation

    return [build(data, ("observationer", letter, s.key), s) for s in model_specs(Observation)]


def walk(nodes: list[Input]) -> typing.Iterator[Input]:
    for node in nodes:
        yield node
        yield from walk(node.children)


# --- from a posted form to the YAML text ---------------------------------------------------------------------------

REMOVE = "__ta_bort"


def changes_from(post: Any, data: Any, root: Any = None) -> tuple[list[tuple[Loc, Any]], list[Loc]]:
    """The (key path, value) changes a posted form makes to `data` (value None: remove the key), and the list items
    to remove. Only fields whose value differs are changed; a blank new list item adds nothing."""
    changes: list[tuple[Loc, Any]] = []
    removals: list[Loc] = []
    for name in post:
        if name.endswith("." + REMOVE):
            loc = parse_name(name[: -len(REMOVE) - 1])
            if loc and isinstance(loc[-1], int) and post.get(name):
                removals.append(loc)
            continue
        loc = parse_name(name)
        if loc is None or loc[0] in ("version",):
            continue
        spec = spec_at(loc, root)
        if spec is None or spec.kind in ("model",):
            continue
        text = post.get(name, "")
        current = get(data, loc)
        if spec.kind == "list":  # one text per line
            new = [line.strip() for line in text.splitlines() if line.strip()]
            if new != [show_value(v) for v in (current or [])] and (new or current is not None):
                changes.append((loc, new))
            continue
        if text.strip() == show_value(current).strip():
            continue
        changes.append((loc, typed(spec.kind, text) if text.strip() else None))
    return changes, removals


def apply(text: str, changes: list[tuple[Loc, Any]], removals: list[Loc]) -> str:
    """`text` with the changes made (missing mappings and a new list item created on the way), the items removed,
    everything else kept as written."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    from web.store import engine_calls

    quick = _replace_scalars(engine_calls.normalise(text), changes) if not removals else None
    if quick is not None:
        return quick
    yaml = engine_calls.round_trip_yaml()
    doc = yaml.load(engine_calls.normalise(text))
    for loc, value in sorted(changes, key=lambda c: [str(p) if isinstance(p, str) else f"{p:06d}" for p in c[0]]):
        parent = doc
        for n, part in enumerate(loc[:-1]):
            following = loc[n + 1]
            if isinstance(part, int):
                while len(parent) <= part:
                    if value is None:
                        break
                    parent.append(CommentedMap())
                if len(parent) <= part:
                    parent = None
                    break
                parent = parent[part]
                continue
            child = parent.get(part) if isinstance(parent, dict) else None
            if child is None or not isinstance(child, (dict, list)):
                if value is None:
                    parent = None
                    break
                child = CommentedSeq() if isinstance(following, int) else CommentedMap()
                parent[part] = child
            parent = child
        if parent is None:
            continue
        key = loc[-1]
        if value is None:
            if isinstance(parent, dict) and key in parent:
                del parent[key]
                _prune(doc, loc[:-1])
        elif isinstance(key, int):
            while len(parent) <= key:
                parent.append(None)
            parent[key] = value
        else:
            if isinstance(value, list):
                seq = CommentedSeq(value)
                seq.fa.set_flow_style()
                value = seq
            parent[key] = value
    for loc in sorted(removals, key=lambda r: r[-1], reverse=True):
        seq = get(doc, loc[:-1])
        if isinstance(seq, list) and loc[-1] < len(seq):
            del seq[loc[-1]]
    out = io.StringIO()
    yaml.dump(doc, out)
    return out.getvalue()


def _replace_scalars(text: str, changes: list[tuple[Loc, Any]]) -> str | None:
    """The common save, new values for values already written: each replaced where it stands in the text (found
    with PyYAML's C parser), which keeps everything else byte for byte and takes a millisecond where the round-trip
    loader takes a tenth of a second. None when some change is more than that (a new key, a removal, a list)."""
    import yaml

    where = POSITIONS.get((text,), lambda: _positions(text))
    edits = []
    for loc, value in changes:
        if value is None or isinstance(value, (list, dict)) or loc not in where:
            return None
        written = yaml.safe_dump([value], default_flow_style=True, allow_unicode=True, width=10**9).strip()
        edits.append((*where[loc], written[1:-1]))
    for start, end, written in sorted(edits, reverse=True):
        text = text[:start] + written + text[end:]
    return text


def _positions(text: str) -> dict[Loc, tuple[int, int]]:
    import yaml

    from web.store.engine_calls import FastSafeLoader

    try:
        root = yaml.compose(text, Loader=FastSafeLoader)
    except yaml.YAMLError:
        return {}
    return scalar_positions(root)


def scalar_positions(root: Any) -> dict[Loc, tuple[int, int]]:
    """(start, end) in the text of every value written as a non-empty scalar other than null, by key path (a key
    written twice: its first value, as a key path finds it)."""
    import yaml

    out: dict[Loc, tuple[int, int]] = {}
    pending: list[tuple[Any, Loc]] = [(root, ())] if root is not None else []
    while pending:
        node, loc = pending.pop()
        if isinstance(node, yaml.MappingNode):
            seen: set[str] = set()
            for k, v in node.value:
                if isinstance(k, yaml.ScalarNode) and k.value not in seen:
                    seen.add(k.value)
                    pending.append((v, (*loc, k.value)))
        elif isinstance(node, yaml.SequenceNode):
            pending += [(v, (*loc, i)) for i, v in enumerate(node.value)]
        elif (
            isinstance(node, yaml.ScalarNode)
            and not node.tag.endswith(":null")
            and node.start_mark.index < node.end_mark.index
        ):
            out[loc] = (node.start_mark.index, node.end_mark.index)
    return out


# Where the values of a stored text stand (the save after the next finds them without parsing the text again).
POSITIONS = shared.Kept("positions", 64)


def keep_parsed(text: str, root: Any) -> None:
    """What the form needs of a text just saved, from the node tree its grading parsed it into (`text` as parsed):
    its values for the page the save redirects to, and where they stand for the save after it."""
    import yaml

    STORED.put((text,), yaml.constructor.SafeConstructor().construct_document(root))
    POSITIONS.put((text,), scalar_positions(root))


def _prune(doc: Any, loc: Loc) -> None:
    """Remove mappings left empty by a removal (an override whose utfall and motivering were cleared)."""
    while len(loc) > 1 and isinstance(loc[-1], str):
        node, parent = get(doc, loc), get(doc, loc[:-1])
        if not (isinstance(node, dict) and not node and isinstance(parent, dict)):
            return
        del parent[loc[-1]]
        loc = loc[:-1]


def stored(text: str) -> Any:
    """`load` for the text of a stored version, kept for the next page that shows it (the form before a save, the
    form the save changes), in this process and for the other workers of `spur serve`: shared, so never to be
    changed by its reader."""
    return STORED.get((text,), lambda: load(text))


STORED = shared.Kept("stored", 64)


def load(text: str) -> Any:
    """The values of a YAML text (one that failed validation, to show what was typed), read with PyYAML's safe
    loader: the round-trip loader is needed only to write (`apply`), and is ten times slower."""
    import yaml

    from web.store import engine_calls

    return yaml.load(engine_calls.normalise(text), Loader=engine_calls.FastSafeLoader)


_ERROR = re.compile(r"^[^\n]*?:\d+:\d+: (?P<path>[^\s:][^:]*?): (?P<message>.*)$")


def located(line: str) -> tuple[str, str] | None:
    """(key path, message) of a CLI line 'FILE:LINE:COLUMN: st_lakare[1].regelverk: …'; None for another line."""
    m = _ERROR.match(line)
    return (m.group("path"), m.group("message")) if m else None


# The CLI's advice for a missing field names the YAML key to add; at the form's field it says what to do there.
_REQUIRED = re.compile(r"obligatoriskt fält saknas\. Lägg till '[^']*:'\.")


def field_errors(lines: typing.Iterable[str]) -> dict[str, list[str]]:
    """The CLI's error lines by the key path they name (`st_lakare[1].regelverk`); '' for the others."""
    out: dict[str, list[str]] = {}
    for line in lines:
        found = located(line)
        key, message = (found[0], _REQUIRED.sub("måste fyllas i.", found[1])) if found else ("", line)
        out.setdefault(key, []).append(message)
    return out
