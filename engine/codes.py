"""The codes the compiler (engine/compiler.py) gives the engine's rules and fact fields, and that the evaluator
(engine/evaluate.py), the reasons (engine/reasons.py) and the facts (engine/facts.py) read back.

Each is a plain string under a name (not an Enum, whose members cost an attribute lookup several times as slow
in the evaluator's inner loops): the rule names durable_rules sees and the fields of a fact are the codes."""

from __future__ import annotations

from typing import Final


class Pol:
    """What a literal of a rule term says of its condition (three-valued: true, false or unknown)."""

    TRUE: Final = "T"
    TRUE_EMPTY: Final = "T0"  # `all` over an empty list: true with no item
    FALSE: Final = "F"
    FALSE_EMPTY: Final = "F0"  # `any` over an empty list: false with no item
    UNKNOWN: Final = "U"  # the value is missing
    UNKNOWN_REF: Final = "UR"  # the value it is compared with (another field, `ref`) is missing
    NOT_APPLICABLE: Final = "N"  # attested 'ej tillämpligt'


# Literals of one condition with two of these cannot hold together: a term that has both never fires.
EXCLUSIVE = {Pol.TRUE, Pol.TRUE_EMPTY, Pol.FALSE, Pol.FALSE_EMPTY, Pol.UNKNOWN}


class Form:
    """Which form of a requirement's condition a rule fires on: a requirement is met when it is in scope and none
    of its F, U, N, I or IU rules fired."""

    FALSE: Final = "F"  # the condition is definitely false
    UNKNOWN: Final = "U"  # it may be unknown (F takes precedence, which makes it exact)
    SCOPE: Final = "S"  # a person is in a quantifier's scope (`where`)
    NOT_APPLICABLE: Final = "N"  # an attestation answered 'ej tillämpligt'
    INAPPLICABLE: Final = "I"  # `applies_when` is false
    APPLICABILITY_UNKNOWN: Final = "IU"  # `applies_when` is unknown


APPLIES_WHEN = -1  # the subcheck number of the rules for `applies_when` (subchecks count from 0)


class Encoding:
    """A value the engine compares in place of the evidence value: the suffix of its fact field."""

    VALUE: Final = ""  # the value itself
    MONTHS: Final = "__man"  # whole months from the date to the assessment date
    DAYS: Final = "__dag"  # days from the date to the assessment date
    COUNT: Final = "__antal"  # how many items the list has
