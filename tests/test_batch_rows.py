"""engine/batch_rows.py: a run's rows in a temporary file, read back in order as often as the views ask; the run's
paths packed, given to the workers in order a few chunks at a time."""

from __future__ import annotations

import concurrent.futures

import pytest

import engine.batch as batch
import engine.batch_rows as batch_rows
from engine.batch import UnitRow
from engine.batch_rows import PackedPaths, RowFile, Selection


def rows(n: int) -> list[UnitRow]:
    return [
        UnitRow(f"enheter/enhet-{i:05d}.yaml", unit=f"Vårdcentralen {i}", grades="ABCD"[i % 4] * 8, errors=(str(i),) * (i % 3))
        for i in range(n)
    ]


def test_rows_come_back_in_order_across_blocks_as_often_as_read():
    expected = rows(batch_rows.BLOCK * 2 + 7)
    stored = RowFile(UnitRow)
    for row in expected:
        stored.append(row)
    assert len(stored) == len(expected)
    assert list(stored) == expected
    assert list(stored) == expected  # a second pass reads the same


def test_interleaved_passes_each_keep_their_place():
    expected = rows(batch_rows.BLOCK * 3)
    stored = RowFile(UnitRow)
    for row in expected:
        stored.append(row)
    first, second = iter(stored), iter(stored)
    pairs = [(next(first), next(second)) for _ in range(batch_rows.BLOCK + 1)]
    assert [a for a, _ in pairs] == [b for _, b in pairs] == expected[: batch_rows.BLOCK + 1]
    assert list(second) == expected[batch_rows.BLOCK + 1 :]


def test_rows_appended_after_a_pass_are_read_by_the_next():
    stored = RowFile(UnitRow)
    stored.append(UnitRow("a.yaml"))
    assert [r.file for r in stored] == ["a.yaml"]
    stored.append(UnitRow("b.yaml"))
    assert [r.file for r in stored] == ["a.yaml", "b.yaml"]


def test_a_path_that_is_not_utf8_survives_the_file():
    odd = UnitRow("enheter/enhet_\udce5.yaml", problem="invalid", errors=("enheter/enhet_\udce5.yaml: fel",))
    stored = RowFile(UnitRow)
    for row in (UnitRow("a.yaml"), odd, UnitRow("c.yaml")):
        stored.append(row)
    assert list(stored) == [UnitRow("a.yaml"), odd, UnitRow("c.yaml")]


def test_a_selection_reads_its_source_on_each_pass_and_counts_once():
    reads = []

    class Source:
        def __iter__(self):
            reads.append(1)
            return iter(range(10))

    even = Selection(Source(), lambda n: n % 2 == 0)
    assert list(even) == list(even) == [0, 2, 4, 6, 8]
    assert len(even) == 5 and len(even) == 5 and even
    assert len(reads) == 3  # two passes and one count
    assert list(Selection(Source(), lambda n: True, count=0)) == [] and len(reads) == 3  # known empty: not read
    assert len(Selection(Source(), lambda n: True, count=4)) == 4 and len(reads) == 3  # count given: not read


def test_packed_paths_give_back_the_strings_packed():
    paths = ["enheter/a.yaml", "enheter/Åre östra.yml", "enheter/enhet_\udce5.yaml", "", "x" * 300, "e/\U0001f600.yaml"]
    packed = PackedPaths(paths)
    assert len(packed) == len(paths) and list(packed) == paths
    assert [packed[i] for i in range(len(paths))] == paths and packed[-1] == paths[-1]
    assert packed[1:3] == paths[1:3] and packed[4:] == paths[4:] and packed[9:] == []
    assert "enheter/Åre östra.yml" in packed and packed.index("") == 3
    with pytest.raises(IndexError):
        packed[len(paths)]
    assert list(PackedPaths([])) == []


def _shout(path: str) -> str:
    return path.upper()


def test_parallel_gives_the_pool_a_few_chunks_at_a_time_in_order(monkeypatch):
    """Every file's result in input order, however the chunks fall, with at most AHEAD chunks per worker given to the
    pool at once (Executor.map would make all of them, with their futures, before the first result)."""
    submitted, most = [], [0]
    real_submit = concurrent.futures.ProcessPoolExecutor.submit

    def submit(self, fn, *args):
        future = real_submit(self, fn, *args)
        submitted.append(future)
        most[0] = max(most[0], sum(not f.done() for f in submitted))
        return future

    monkeypatch.setattr(concurrent.futures.ProcessPoolExecutor, "submit", submit)
    files = PackedPaths(f"enhet-{i:04d}.yaml" for i in range(1001))
    assert list(batch.parallel(files, 2, _shout)) == [f.upper() for f in files]
    size = batch._chunksize(len(files), 2)
    assert len(submitted) == -(-len(files) // size)
    assert most[0] <= batch.AHEAD * 2
