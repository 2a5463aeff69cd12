"""JSON Schema of the evidence file, with the rule catalogue's requirement ids filled in for editors."""

from __future__ import annotations

from typing import Any

from engine.catalog import Catalog
from engine.conditions import attestation_of
from evidence.model import Evidens


def json_schema(catalog: Catalog) -> dict[str, Any]:
    schema = Evidens.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "SPUR-evidens"
    attested = [r.id for r in catalog.requirements if attestation_of(r.check)]
    props = schema["properties"]
    props["intyganden"]["propertyNames"] = {"enum": attested}
    props["inspektorsbedomningar"]["propertyNames"] = {"enum": [r.id for r in catalog.requirements]}
    return schema
