"""The rows of a `spur batch` run kept in a temporary file rather than in memory, and the views' selections of them.

A run of 30,000 units held ~0.4 KB a row in the parent until the output was written. `RowFile` writes the rows, in
file order, to an unnamed temporary file as MessagePack blocks of `BLOCK` rows (pickled, the rare block with a string
UTF-8 cannot encode: a path's undecodable bytes as surrogates); each pass of a view reads them back a block at a time. `Selection` is the rows that pass a test, read again on each iteration, with its length counted once;
`Tally` counts everything the views and the summary ask for in one pass.
"""

from __future__ import annotations

import pickle
import tempfile
import weakref
from collections.abc import Callable, Iterable, Iterator
from typing import Generic, Protocol, TypeVar

import msgspec

BLOCK = 256  # rows per block: ~40 KB encoded, a fraction of a millisecond to decode
_LENGTH = 4  # bytes of the little-endian length before each block, then one byte: how it is encoded
_MSGPACK, _PICKLE = b"m", b"p"

T = TypeVar("T")
T_co = TypeVar("T_co", covariant=True)


class RowSource(Protocol[T_co]):
    """What a BatchResult's rows are: a list (the store's `spur batch --db`) or a RowFile, read in order, many times."""

    def __iter__(self) -> Iterator[T_co]: ...

    def __len__(self) -> int: ...


class RowFile(Generic[T]):
    """Rows appended in order and read back in that order, as often as needed; each iterator reads the file at its own
    offset, so passes may interleave. The file is deleted when closed, at the latest when the object is collected."""

    def __init__(self, row_type: type[T]) -> None:
        self._file = tempfile.TemporaryFile(prefix="spur-batch-")  # noqa: SIM115 - lives as long as the object
        self._close = weakref.finalize(self, self._file.close)
        self._encoder = msgspec.msgpack.Encoder()
        self._decoder = msgspec.msgpack.Decoder(list[row_type])
        self._pending: list[T] = []
        self._size = 0  # bytes written
        self._count = 0

    def append(self, row: T) -> None:
        self._pending.append(row)
        self._count += 1
        if len(self._pending) >= BLOCK:
            self._flush()

    def _flush(self) -> None:
        if not self._pending:
            return
        try:
            block = _MSGPACK + self._encoder.encode(self._pending)
        except UnicodeEncodeError:
            block = _PICKLE + pickle.dumps(self._pending, pickle.HIGHEST_PROTOCOL)
        self._file.seek(self._size)
        self._file.write(len(block).to_bytes(_LENGTH, "little"))
        self._file.write(block)
        self._size += _LENGTH + len(block)
        self._pending.clear()

    def __len__(self) -> int:
        return self._count

    def __iter__(self) -> Iterator[T]:
        self._flush()
        return self._read(self._size)

    def _read(self, end: int) -> Iterator[T]:
        offset = 0
        while offset < end:
            self._file.seek(offset)
            size = int.from_bytes(self._file.read(_LENGTH), "little")
            block = memoryview(self._file.read(size))
            offset += _LENGTH + size
            yield from self._decoder.decode(block[1:]) if block[:1] == _MSGPACK else pickle.loads(block[1:])

    def close(self) -> None:
        self._close()


class Selection(Generic[T]):
    """The items of `source` that pass `test`, read from `source` each time it is iterated. `count`, when the caller
    knows it, saves the pass that len() would make; a selection known to be empty reads nothing."""

    __slots__ = ("_count", "_source", "_test")

    def __init__(self, source: Iterable[T], test: Callable[[T], bool], count: int | None = None) -> None:
        self._source = source
        self._test = test
        self._count = count

    def __iter__(self) -> Iterator[T]:
        if self._count == 0:
            return iter(())
        return filter(self._test, self._source)

    def __len__(self) -> int:
        if self._count is None:
            self._count = sum(1 for _ in self)
        return self._count

    def __bool__(self) -> bool:
        return len(self) > 0
