"""The only module that imports durable_rules: its low-level C module, with rules as JSON data.

One live session per ruleset at a time, asserted in one batch, drained, and deleted in `finally`, so no state
leaks between units and neither the 1,024-session cap nor 32-bit sid collisions can be reached.
"""

from __future__ import annotations

import json
from typing import Any

import durable_rules_engine as _dre

from evidence.errors import SpurError

_SID = "unit"
_NOT_FOUND = "309"


class EngineError(SpurError):
    exit_code = 4


class DurableRuleset:
    def __init__(self, name: str, rules: dict[str, Any]) -> None:
        self.name = name
        self._handle = _dre.create_ruleset(name, json.dumps(rules, ensure_ascii=False, sort_keys=True))

    def fire(self, facts: list[dict[str, Any]]) -> list[tuple[str, str]]:
        """Assert all facts of one unit, return the (rule name, fact id) of every activation, sorted."""
        if not facts:
            return []
        payload = json.dumps([{**f, "sid": _SID} for f in facts], ensure_ascii=False)
        fired: set[tuple[str, str]] = set()
        try:
            code, state = _dre.assert_facts(self._handle, payload)
            if code == 2:
                raise EngineError("durable_rules avvisade en fakta-post som dubblett (hash-kollision i fakta-id).")
            result = _dre.start_action_for_state(self._handle, state)
            message = result[1] if result else None
            while message:
                for rule, bound in json.loads(message).items():
                    fired.add((rule, bound["m"]["id"]))
                message = _dre.complete_and_start_action(self._handle, state)
        except _dre.error as exc:
            raise EngineError(f"durable_rules: {exc}") from None
        finally:
            try:
                _dre.delete_state(self._handle, _SID)
            except _dre.error as exc:
                if _NOT_FOUND not in str(exc):
                    raise
        return sorted(fired)

    def close(self) -> None:
        if self._handle is not None:
            _dre.delete_ruleset(self._handle)
            self._handle = None
