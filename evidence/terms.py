"""Closed sets of the evidence file that the rules name too, each written once."""

from __future__ import annotations

from typing import Literal, get_args

Regulation = Literal["SOSFS 2015:8", "HSLF-FS 2021:8"]  # the regulations an ST-läkare follows
REGULATIONS: tuple[str, ...] = get_args(Regulation)
Area = Literal["A", "B", "C", "D", "E", "F", "G", "H"]  # the report's areas, in report order
AREAS = "".join(get_args(Area))
COLLECTIONS = ("st_lakare", "handledare", "bt_lakare", "vantar_pa_st")  # the lists of people in the evidence
SVAR = ("ja", "nej", "ej tillämpligt")  # the answers to an attestation (intyganden)
ASSESSMENT_KINDS = ("självvärdering", "förbedömning", "inspektion")  # bedomning.typ, in the order they come
