"""evidence/messages.py: the closest match to a mistyped word and the hint that offers it."""

from __future__ import annotations

import pytest

from evidence.messages import closest, did_you_mean


def test_closest_ignores_case_and_gives_the_option_as_written():
    assert closest("a-03", ["A-01", "A-03", "B-03"]) == ["A-03"]
    assert closest("enhett", ["enhet", "bedomning"]) == ["enhet"]


def test_closest_finds_nothing_far_off_and_never_compares_a_word_far_longer_than_every_option():
    assert closest("xyz", ["enhet", "bedomning"]) == []
    assert closest("enhet" * 100, ["enhet"]) == []
    assert closest("enhet", []) == []


def test_did_you_mean_offers_each_option_quoted_or_says_what_else_to_do():
    assert did_you_mean(["A-03"]) == " Menade du 'A-03'?"
    assert did_you_mean(["A-03"], quote="") == " Menade du A-03?"
    assert did_you_mean(["'Linden'", "'Eken'"], quote="") == " Menade du 'Linden', 'Eken'?"
    assert did_you_mean([], " Se 'spur rules list'.") == " Se 'spur rules list'."
    assert did_you_mean([]) == ""


def test_a_validation_error_reads_as_what_is_wrong_and_how_to_fix_it():
    from pydantic import ValidationError

    from evidence.messages import message
    from evidence.model import Evidens

    with pytest.raises(ValidationError) as caught:
        Evidens.model_validate({"version": 1, "enhett": {}})
    said = {err["loc"]: message(err, err["loc"], Evidens) for err in caught.value.errors()}
    assert said[("enhett",)] == "okänd nyckel 'enhett'. Menade du 'enhet'?"
    assert said[("enhet",)] == "obligatoriskt fält saknas. Lägg till 'enhet:'."
