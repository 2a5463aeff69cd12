"""The catalogue cache that keeps process start (spur grade, every batch) cheap: evidence/diskcache.py's entries
for engine/catalog.py, kept between runs, only the newest, and never one that others can write."""

from __future__ import annotations

import os
import shutil

from engine.evaluate import Evaluator
from tests.conftest import ROOT

LINDEN = ROOT / "evidence" / "examples" / "vardcentralen_linden.yaml"


def test_catalog_cache_round_trip(tmp_path, monkeypatch, evaluator):
    from engine import catalog as cat

    rules = tmp_path / "rules"
    shutil.copytree(cat.default_rules_dir(), rules, ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    monkeypatch.setenv("SPUR_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(cat, "_CACHE", {})
    fresh = cat.load_catalog(rules)
    [cached_file] = (tmp_path / "cache").iterdir()
    assert cached_file.stat().st_mode & 0o077 == 0
    monkeypatch.setattr(cat, "_CACHE", {})
    cached = cat.load_catalog(rules)
    assert cached is not fresh and cached == fresh
    assert [r.where for r in cached.requirements] == [r.where for r in fresh.requirements]
    from evidence.loader import load_evidence

    evidence = load_evidence(LINDEN, fresh.known)
    assert Evaluator(cached).evaluate(evidence).to_json() == Evaluator(fresh).evaluate(evidence).to_json()
    # a changed rule file is a different cache entry; an empty SPUR_CACHE_DIR turns the cache off
    grading = rules / "grading.yaml"
    grading.write_text(
        grading.read_text(encoding="utf-8").replace("external_review_years: 5", "external_review_years: 6")
    )
    monkeypatch.setattr(cat, "_CACHE", {})
    assert cat.load_catalog(rules).setting("external_review_years") == 6
    assert len(list((tmp_path / "cache").iterdir())) == 2
    monkeypatch.setenv("SPUR_CACHE_DIR", "")
    monkeypatch.setattr(cat, "_CACHE", {})
    assert cat.load_catalog(rules).setting("external_review_years") == 6


def test_catalog_cache_keeps_only_the_newest_entries(tmp_path, monkeypatch):
    from engine import catalog as cat
    from evidence.diskcache import KEEP

    monkeypatch.setenv("SPUR_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(cat, "_CACHE", {})
    stale = []
    for i in range(KEEP + 3):
        old = tmp_path / f"catalog-{i:032x}.pickle"
        old.write_bytes(b"left by an earlier version")
        os.utime(old, ns=(1_000_000_000 * (i + 1), 1_000_000_000 * (i + 1)))
        stale.append(old)
    (tmp_path / "unrelated.txt").write_text("not ours")
    cat.load_catalog()
    kept = sorted(p.name for p in tmp_path.glob("catalog-*.pickle"))
    written = [p for p in tmp_path.glob("catalog-*.pickle") if p not in stale]
    print(f"{len(stale) + 1} entries, {len(kept)} kept")
    assert len(kept) == KEEP and len(written) == 1
    assert [p.name for p in stale[-(KEEP - 1) :]] == sorted(set(kept) - {written[0].name})
    assert (tmp_path / "unrelated.txt").exists()


def test_catalog_cache_ignores_files_others_can_write(tmp_path, monkeypatch):
    from engine import catalog as cat

    monkeypatch.setenv("SPUR_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(cat, "_CACHE", {})
    good = cat.load_catalog()
    [cached_file] = tmp_path.iterdir()
    cached_file.chmod(0o666)
    assert cat._read_cached(cached_file) is None
    cached_file.chmod(0o600)
    assert cat._read_cached(cached_file) == good
    cached_file.write_bytes(b"not a pickle")
    monkeypatch.setattr(cat, "_CACHE", {})
    assert cat.load_catalog() == good  # a broken cache file is rebuilt
