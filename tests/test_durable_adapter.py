"""engine/durable_adapter.py: threads that share one evaluator (the store's, in a threaded server) take turns with
the engine's session; two sessions of one ruleset at once crashed the process (SIGSEGV) before they did."""

from __future__ import annotations

import threading

from evidence.loader import load_evidence
from tests.conftest import EXAMPLES


def test_threads_sharing_an_evaluator_get_the_results_one_thread_gets(evaluator):
    units = [load_evidence(path, evaluator.catalog.known) for path in EXAMPLES]
    expected = [evaluator.evaluate(unit).to_json() for unit in units]
    got: list[list[dict]] = [[], []]

    def grade(n: int) -> None:
        for _ in range(40):
            got[n].extend(evaluator.evaluate(unit).to_json() for unit in units)

    threads = [threading.Thread(target=grade, args=(n,)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert got[0] == got[1] == expected * 40
