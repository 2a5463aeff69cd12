"""The values `spur init` writes where a unit's own belong, so that one left unchanged is found and named.

reports/template.py writes them; the loader looks for them. A placeholder that is not a valid value (`ja/nej` for a
yes/no answer, `ÅÅÅÅ-MM-DD` for a date) is an error that says it comes from the template; one that is valid text
(`Enhetens namn`) is a warning naming its line, since the file grades but would report a unit called that.
"""

from __future__ import annotations

from typing import Any

from evidence.yamlsafe import Document, format_loc

BY_KIND = {"date": "ÅÅÅÅ-MM-DD", "bool": "ja/nej", "number": "tal", "str": "text", "list": "lista", "model": ""}
NAME_OR_NO = "namn | nej"  # a supervisor: a name from the list, or nej
CHOICE = " | "  # between the allowed words of a closed set: `ej påbörjat | planerat | pågående | genomfört`
# The template's example values for the unit and its people (key path -> what it writes, what to write instead).
EXAMPLES = {
    "enhet.namn": ("Enhetens namn", "enhetens namn"),
    "enhet.vardgivare": ("Vårdgivarens namn", "vårdgivarens namn"),
    "enhet.region": ("Region", "regionens namn, t.ex. Region Skåne"),
    "verksamhetschef.namn": ("Verksamhetschefens namn", "verksamhetschefens namn"),
    "studierektor.namn": ("Studierektorns namn", "studierektorns namn"),
}
NAMED = dict(EXAMPLES.values())
_WORDS = frozenset({*(v for v in BY_KIND.values() if v), NAME_OR_NO, *NAMED})


def is_placeholder(value: object) -> bool:
    """A value as `spur init` wrote it."""
    return isinstance(value, str) and (value.strip() in _WORDS or CHOICE in value)


def leftovers(doc: Document) -> list[str]:
    """`fil.yaml:7:9: enhet.namn: 'Enhetens namn' står kvar från mallen. Skriv enhetens namn.` for each value of
    the template still in a file that is otherwise valid."""
    lines = []
    for loc, value in _strings(doc.data, ()):
        if is_placeholder(value):
            instead = (
                f"Skriv {NAMED[value.strip()]}."
                if value.strip() in NAMED
                else "Skriv den riktiga uppgiften, eller ta bort raden."
            )
            lines.append(
                f"{doc.where(loc, value=True)}: {format_loc(loc)}: '{value.strip()}' står kvar från mallen (spur init). "
                f"{instead}"
            )
    return lines


def _strings(data: Any, loc: tuple[str | int, ...]) -> list[tuple[tuple[str | int, ...], str]]:
    if isinstance(data, str):
        return [(loc, data)]
    if isinstance(data, dict):
        return [found for key, value in data.items() for found in _strings(value, (*loc, key))]
    if isinstance(data, list):
        return [found for i, value in enumerate(data) for found in _strings(value, (*loc, i))]
    return []
