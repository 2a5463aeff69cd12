"""What the workers of `spur serve` share (web/app/shared.py): values by a digest of their inputs, written whole,
pruned to the newest, and nothing at all without a directory."""

from __future__ import annotations

from web.app import shared


def test_values_are_shared_through_the_directory_only_while_there_is_one(tmp_path, monkeypatch):
    kept = shared.Kept("test", 2)
    computed = []

    def compute(value: str):
        computed.append(value)
        return {"value": value}

    try:
        assert kept.get(("a",), lambda: compute("a")) == {"value": "a"}
        shared.use(tmp_path)
        assert kept.get(("a",), lambda: compute("again")) == {"value": "a"}  # this process's own
        kept.put(("b",), {"value": "b"})
        kept.clear()  # as another worker: only the directory
        assert kept.get(("b",), lambda: compute("b")) == {"value": "b"}
        assert computed == ["a"]
        assert shared.key("test", "a", "b") != shared.key("test", "ab") != shared.key("other", "a", "b")
        assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no half-written files left
        monkeypatch.setattr(shared, "KEEP", 4)
        for n in range(10):
            shared.put(f"test-{n}", n)
        shared._prune(tmp_path)
        assert len(list(tmp_path.iterdir())) == 3 and shared.get("test-9") == 9 and shared.get("test-0") is None
    finally:
        shared.use(None)
    kept.clear()
    assert kept.get(("b",), lambda: compute("b")) == {"value": "b"} and computed == ["a", "b"]
