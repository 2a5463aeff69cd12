"""Fields the file format still reads but no rule uses any more: a warning naming the line and what to write instead,
so that an older evidence file keeps validating and nothing it says is dropped without a word."""

from __future__ import annotations

from evidence.yamlsafe import Document, format_loc

# person collection -> field -> what to write instead
SUPERSEDED: dict[str, dict[str, str]] = {
    "st_lakare": {
        "senaste_kompetensbedomning": (
            "ett enstaka datum visar inte att bedömningen är fortlöpande och läses inte längre (E-04, E-12). "
            "Ange kompetensbedomningar: datum och metod för varje dokumenterad bedömning."
        ),
    },
}


def superseded(doc: Document) -> list[str]:
    """`fil.yaml:58:5: st_lakare[1].senaste_kompetensbedomning: … Ange kompetensbedomningar …` per superseded field."""
    lines = []
    data = doc.data if isinstance(doc.data, dict) else {}
    for collection, fields in SUPERSEDED.items():
        people = data.get(collection)
        for i, person in enumerate(people if isinstance(people, list) else []):
            for name, instead in fields.items():
                if isinstance(person, dict) and name in person:
                    loc = (collection, i, name)
                    lines.append(f"{doc.where(loc)}: {format_loc(loc)}: {instead}")
    return lines
