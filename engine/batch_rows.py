"""The rows of a `spur batch` run kept in a temporary file rather than in memory, and the views' selections of them.

A run of 30,000 units held ~0.4 KB a row in the parent until the output was written. `RowFile` writes the rows, in
file order, to an unnamed temporary file as MessagePack blocks of `BLOCK` rows (pickled, the rare block with a string
UTF-8 cannot encode: a path's undecodable bytes as surrogates); each pass of a view reads them back a block at a time.
`Selection` is the rows that pass a test, read again on each iteration, with its length counted once (engine/batch.py's
`Tally` counts them all in one pass). `PackedPaths` is the run's list of files, held by the parent and, forked, by
every worker: one bytes object, about half the memory of a string per path.
"""

from __future__ import annotations

import pickle
import tempfile
import weakref
from array import array
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Generic, Protocol, TypeVar, overload

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


class PackedPaths(Sequence[str]):
    """Strings (a run's file paths, 30,000 of them or more) packed into one bytes object with the offset where each
    ends: about 50 bytes for a 45-character path, where a string of its own takes 96 (and 30,000 of them, freed at
    different times, would leave the heap fragmented). Each item comes back as a new string equal to the one packed:
    UTF-8 with surrogatepass, so a path's undecodable bytes (surrogates) come back too."""

    __slots__ = ("_data", "_ends")

    def __init__(self, items: Iterable[str]) -> None:
        data = bytearray()
        ends = array("Q")
        for item in items:
            data += item.encode("utf-8", "surrogatepass")
            ends.append(len(data))
        self._data = bytes(data)
        self._ends = ends

    def __len__(self) -> int:
        return len(self._ends)

    def _item(self, i: int) -> str:
        start = self._ends[i - 1] if i else 0
        return self._data[start : self._ends[i]].decode("utf-8", "surrogatepass")

    @overload
    def __getitem__(self, index: int) -> str: ...

    @overload
    def __getitem__(self, index: slice) -> list[str]: ...

    def __getitem__(self, index: int | slice) -> str | list[str]:
        if isinstance(index, slice):
            return [self._item(i) for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError("PackedPaths index out of range")
        return self._item(index)

    def __iter__(self) -> Iterator[str]:
        return map(self._item, range(len(self)))
