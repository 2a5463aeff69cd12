"""The compiled rules are shared by the threads of one process (a test's clients, a threaded server): evaluating
from many threads at once gives each unit exactly its sequential result, never a duplicate-fact error or a crash."""

from __future__ import annotations

import threading

from tests.conftest import EXAMPLES


def test_many_threads_evaluate_one_ruleset_at_once(catalog, evaluator):
    from evidence.loader import load_evidence

    units = [load_evidence(str(path), catalog.known) for path in EXAMPLES]
    expected = [evaluator.evaluate(ev).to_json() for ev in units]
    results: dict[tuple[int, int], object] = {}
    start = threading.Barrier(8)

    def work(t: int) -> None:
        start.wait()
        for round_ in range(10):
            for i, ev in enumerate(units):
                try:
                    results[(t, round_ * 10 + i)] = (i, evaluator.evaluate(ev).to_json())
                except Exception as exc:  # any failure is what the test reports
                    results[(t, round_ * 10 + i)] = (i, exc)

    threads = [threading.Thread(target=work, args=(t,)) for t in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(results) == 8 * 10 * len(units)
    for i, got in results.values():
        assert got == expected[i]
