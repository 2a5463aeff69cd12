"""Number agreement in Swedish, in one place: '1 rad' but '2 rader', 'Båda ST-läkarna' but 'Alla 3 ST-läkarna'.

Every count a user reads goes through these functions; the words for the people in the evidence come from
rules/vocabulary.yaml (`collections`: singular, plural and the definite plural).
"""

from __future__ import annotations


def agree(n: int, one: str, many: str) -> str:
    """The form of a word that agrees with `n`."""
    return one if n == 1 else many


def count(n: int, one: str, many: str) -> str:
    """`n` with the word that agrees: '1 rad', '0 rader', '3 rader'."""
    return f"{n} {agree(n, one, many)}"


def everyone(n: int, words: dict[str, str]) -> str:
    """All of a group of `n` ≥ 2 people, for the start of a sentence: 'Båda ST-läkarna', 'Alla 3 ST-läkarna'."""
    return f"Båda {words['definite']}" if n == 2 else f"Alla {n} {words['definite']}"


def none_of(n: int, words: dict[str, str]) -> str:
    """None of a group of `n` ≥ 2 people: 'Ingen av de 2 ST-läkarna'."""
    return f"Ingen av de {n} {words['definite']}"


def some_of(k: int, n: int, words: dict[str, str]) -> str:
    """`k` of `n` people: '1 av 3 ST-läkare'."""
    return f"{k} av {n} {words['plural']}"


def capital(text: str) -> str:
    """`text` as the start of a sentence: 'handledare Eva Sjö' → 'Handledare Eva Sjö' (the rest as written)."""
    return text[:1].upper() + text[1:]


def lower_first(text: str) -> str:
    """`text` inside a sentence: 'Båda ST-läkarna' → 'båda ST-läkarna' (the rest as written)."""
    return text[:1].lower() + text[1:]
