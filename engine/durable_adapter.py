"""The only module that imports durable_rules: its low-level C module, with rules as JSON data.

One live session per ruleset at a time, asserted in one batch, drained, and deleted in `finally`, so no state
leaks between units and neither the 1,024-session cap nor 32-bit sid collisions can be reached. Threads that share
an evaluator (the store's, in a threaded server) take turns: two sessions of the same id at once crashed the
process (SIGSEGV, in tests/store/test_versions.py's two saving clients).

durable_rules 2.0.28 crashes (SIGSEGV) in `delete_state` when the facts of a session activated no rule at all, as
for a unit whose every requirement in scope is met and that has no handledare. So every session also holds one
fact that activates one rule of its own; its activation is not reported.
"""

from __future__ import annotations

import json
import threading
from typing import Any

import durable_rules_engine as _dre

from evidence.errors import SpurError

_SID = "unit"
_NOT_FOUND = "309"
# The fact and rule that make every session activate at least one rule (the facts' kinds are never this).
_ALWAYS = "spur.alltid"
_ALWAYS_FACT = {"id": _ALWAYS, "t": _ALWAYS, "sid": _SID}


class EngineError(SpurError):
    exit_code = 4


class DurableRuleset:
    def __init__(self, name: str, rules: dict[str, Any]) -> None:
        self.name = name
        rules = {**rules, _ALWAYS: {"all": [{"m": {"t": _ALWAYS}}]}}
        self._handle = _dre.create_ruleset(name, json.dumps(rules, ensure_ascii=False, sort_keys=True))
        self._turn = threading.Lock()  # one session at a time

    def fire(self, facts: list[dict[str, Any]]) -> list[tuple[str, str]]:
        """Assert all facts of one unit, return the (rule name, fact id) of every activation, sorted."""
        payload = json.dumps([*({**f, "sid": _SID} for f in facts), _ALWAYS_FACT], ensure_ascii=False)
        fired: set[tuple[str, str]] = set()
        with self._turn:
            self._fire(payload, fired)
        return sorted(fired)

    def _fire(self, payload: str, fired: set[tuple[str, str]]) -> None:
        try:
            code, state = _dre.assert_facts(self._handle, payload)
            if code == 2:
                raise EngineError("durable_rules avvisade en fakta-post som dubblett (hash-kollision i fakta-id).")
            result = _dre.start_action_for_state(self._handle, state)
            message = result[1] if result else None
            while message:
                for rule, bound in json.loads(message).items():
                    if rule != _ALWAYS:
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

    def close(self) -> None:
        if self._handle is not None:
            _dre.delete_ruleset(self._handle)
            self._handle = None
