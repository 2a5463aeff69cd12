"""Closed sets of the evidence file that the rules name too, each written once."""

from __future__ import annotations

from typing import Literal, get_args

Regulation = Literal["SOSFS 2015:8", "HSLF-FS 2021:8"]  # the regulations an ST-läkare follows
REGULATIONS: tuple[str, ...] = get_args(Regulation)
