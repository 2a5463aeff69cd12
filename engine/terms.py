"""The domain's closed sets, each named once: requirement kinds, outcomes, roles and areas."""

from __future__ import annotations

from typing import Literal

Kind = Literal["foreskrift", "allmant_rad", "kvalitetsindikator"]
Role = Literal["verksamhetschef", "studierektor", "huvudhandledare", "vardgivare"]
Outcome = Literal["met", "unmet", "unknown", "not_applicable"]
AREAS = "ABCDEFGH"
