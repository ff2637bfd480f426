"""Corpus-wide near-duplicate removal: paragraphs or documents, across files and JSONL records.

The run is three passes:

1. **Sign**: every unit (paragraph = non-empty line, or whole document) gets a MinHash signature,
   computed in vectorised batches (:func:`zhclean.dedup.minhash.signatures`, datasketch's
   affine32 permutations), optionally in worker processes.  Signatures stream to a file on
   disk and are read back through a memory map, so memory stays bounded by the band keys.
2. **Link**: LSH banding with ``(bands, rows)`` chosen for the threshold, weighted toward
   false negatives; items that share a band key are candidates; each candidate pair is
   screened by signature Jaccard (the share of equal values) and, by default, verified by
   the exact Jaccard of its shingle sets (views are kept on disk for this), so no pair below
   the threshold is linked.  Verified pairs are joined into clusters (connected components).
   Recall stays approximate: a pair at the threshold becomes a candidate with probability
   ``1 - (1 - J**rows)**bands`` (98% at 0.8 with the defaults).
3. **Write**: in each cluster the first item seen (input order) is kept, or the longest with
   ``keep="longest"``; the others are dropped from the mirrored output and listed in the report.
"""

from __future__ import annotations

import json
import mmap
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .lsh import band_keys, candidate_pairs, optimal_params
from .minhash import signatures


@dataclass(frozen=True)
class CorpusSettings:
    """``threshold`` on estimated Jaccard of character ``shingle``-grams of the comparison view."""

    threshold: float = 0.8
    num_perm: int = 128
    shingle: int = 3
    seed: int = 1
    level: str = "paragraph"
    keep: str = "first"
    normalize: bool = True
    min_chars: int = 1
    batch: int = 20_000
    exact: bool = True
    screen_margin: float = 0.15

    def __post_init__(self):
        if self.level not in ("paragraph", "document"):
            raise ValueError('level must be "paragraph" or "document"')
        if self.keep not in ("first", "longest"):
            raise ValueError('keep must be "first" or "longest"')
        if not 0 < self.threshold <= 1:
            raise ValueError("threshold must be in (0, 1]")

    @property
    def params(self) -> tuple[int, int]:
        return optimal_params(self.threshold, self.num_perm)


def _sign_job(args):
    """Signatures and comparison views of a batch (run in a worker process)."""
    texts, s = args
    from .minhash import _view_lut, _views_numpy, view

    # (raw views: a NUL, which separates the views in the store, is read as U+FFFE, for the
    # signatures and the exact check alike; the normalized views hold none)
    views = _views_numpy(texts, _view_lut()) if s.normalize else [
        t.replace("\x00", "\ufffe") if "\x00" in t else t for t in texts]
    sigs = signatures(views, s.shingle, s.num_perm, s.seed)
    # (surrogatepass: a lone surrogate, from a \\ud800 escape in JSON, is kept as it is)
    blob = "\u0000".join(views).encode("utf-8", "surrogatepass")
    return sigs, blob, len(views)


class SignatureStore:
    """Signatures and views appended to files on disk, read back through memory maps.

    Signatures form an ``(n, num_perm)`` uint32 array; views (for exact verification of
    candidate pairs) are UTF-8 text, NUL-separated, with an offsets array in memory.
    """

    def __init__(self, num_perm: int, directory: str | None = None):
        self.num_perm = num_perm
        fd, self.path = tempfile.mkstemp(prefix="zhclean-sigs-", suffix=".u32", dir=directory)
        self.f = os.fdopen(fd, "wb")
        fd2, self.vpath = tempfile.mkstemp(prefix="zhclean-views-", suffix=".txt", dir=directory)
        self.vf = os.fdopen(fd2, "wb")
        self.offsets = [0]
        self.n = 0
        self._views = None

    def append(self, result) -> None:
        sigs, blob, count = result
        self.f.write(np.ascontiguousarray(sigs, dtype=np.uint32).tobytes())
        self.n += len(sigs)
        base = self.offsets[-1]
        parts = blob.split(b"\x00") if count else []
        pos = base
        for p in parts:
            pos += len(p) + 1
            self.offsets.append(pos)
        self.vf.write(blob + (b"\x00" if count else b""))

    def truncate(self, n: int) -> None:
        """Forget every item from the ``n``-th on (those of an input file that failed half-way)."""
        if n >= self.n:
            return
        self.f.flush()
        self.f.truncate(n * self.num_perm * 4)
        self.f.seek(0, os.SEEK_END)
        del self.offsets[n + 1:]
        self.vf.flush()
        self.vf.truncate(self.offsets[-1])
        self.vf.seek(0, os.SEEK_END)
        self.n = n

    def array(self) -> np.ndarray:
        self.f.flush()
        if self.n == 0:
            return np.zeros((0, self.num_perm), dtype=np.uint32)
        return np.memmap(self.path, dtype=np.uint32, mode="r", shape=(self.n, self.num_perm))

    def view(self, i: int) -> str:
        if self._views is None:
            self.vf.flush()
            # an mmap slice is bytes at once (a numpy memmap slice is an array object to build first)
            if self.offsets[-1]:
                with open(self.vpath, "rb") as fh:
                    self._views = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
            else:
                self._views = b""
        a, b = self.offsets[i], self.offsets[i + 1] - 1
        return self._views[a:b].decode("utf-8", "surrogatepass")

    def close(self) -> None:
        for fh in (self.f, self.vf):
            try:
                fh.close()
            except Exception:
                pass
        if isinstance(self._views, mmap.mmap):
            self._views.close()
        self._views = None
        for p in (self.path, self.vpath):
            try:
                os.unlink(p)
            except FileNotFoundError:
                pass


CACHE_SHINGLES = 1_000_000  # shingle sets kept for verifying pairs: at most about this many shingles (~100 MB)


def link(sigs: np.ndarray, s: CorpusSettings, chunk: int = 200_000, view_of=None) -> tuple[np.ndarray, np.ndarray]:
    """Verified duplicate pairs ``(m, 2)`` and their similarities.

    Candidates (pairs sharing a band) are screened by signature Jaccard; with ``view_of`` (item ->
    comparison view) those that pass ``threshold - screen_margin`` are verified by their exact
    shingle Jaccard, which is what is returned.  Without it the signature estimate decides.
    """
    b, r = s.params
    n = len(sigs)
    keys = np.empty((n, b), dtype=np.uint64)
    for i in range(0, n, chunk):
        keys[i:i + chunk] = band_keys(np.asarray(sigs[i:i + chunk]), b, r)
    pairs = candidate_pairs(keys)
    del keys
    if not len(pairs):
        return pairs, np.zeros(0)
    sims = np.empty(len(pairs))
    for i in range(0, len(pairs), chunk):
        p = pairs[i:i + chunk]
        sims[i:i + chunk] = (np.asarray(sigs[p[:, 0]]) == np.asarray(sigs[p[:, 1]])).mean(axis=1)
    if view_of is None:
        ok = sims >= s.threshold
        return pairs[ok], sims[ok]
    from .minhash import shingles

    near = np.flatnonzero(sims >= s.threshold - s.screen_margin)
    # pairs come sorted by their first item, so a small cache of shingle sets is enough
    # bounded by the shingles it holds, not only by its sets: at document level one set can hold
    # tens of thousands of shingles (5,000 such sets took 3.6 GB)
    cache: dict[int, set] = {}
    held = 0

    def sh(i: int) -> set:
        nonlocal held
        x = cache.get(i)
        if x is None:
            x = shingles(view_of(i), s.shingle)
            if len(cache) >= 5_000 or held + len(x) > CACHE_SHINGLES:
                cache.clear()
                held = 0
            cache[i] = x
            held += len(x)
        return x

    exact = np.zeros(len(pairs))
    first, va = -1, ""
    for k in near.tolist():
        a, b = int(pairs[k, 0]), int(pairs[k, 1])
        if a != first:
            first, va = a, view_of(a)
        if va and view_of(b) == va:
            exact[k] = 1.0  # one view: the same shingles, Jaccard 1 (copies are the usual duplicate)
            continue
        sa, sb = sh(a), sh(b)
        if sa or sb:
            exact[k] = len(sa & sb) / len(sa | sb)
    ok = exact >= s.threshold
    return pairs[ok], exact[ok]


def clusters(n: int, pairs: np.ndarray, lengths: np.ndarray | None, keep: str) -> tuple[np.ndarray, np.ndarray]:
    """(component label per item, keeper per item).  The keeper of a component is its first item
    (smallest id), or its longest (ties to the first) with ``keep="longest"``."""
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    if n == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    g = coo_matrix((np.ones(len(pairs), dtype=np.int8), (pairs[:, 0], pairs[:, 1])), shape=(n, n)) if len(pairs) \
        else coo_matrix((n, n), dtype=np.int8)
    _, labels = connected_components(g, directed=False)
    ids = np.arange(n)
    if keep == "longest" and lengths is not None:
        # sort by (label, -length, id): the first of each label is its keeper
        order = np.lexsort((ids, -lengths, labels))
    else:
        order = np.lexsort((ids, labels))
    first_of = np.empty(labels.max() + 1, dtype=np.int64)
    sl = labels[order]
    starts = np.flatnonzero(np.diff(sl, prepend=-1))
    first_of[sl[starts]] = order[starts]
    return labels, first_of[labels]


def dedup_texts(units: list[str], settings: CorpusSettings | None = None) -> tuple[np.ndarray, np.ndarray, dict]:
    """In-memory corpus dedup of a list of units.  Returns (keep mask, keeper id per unit, similarity
    of each dropped unit to its keeper when it was linked directly, else the cluster's best)."""
    s = settings or CorpusSettings()
    sigs, blob, _ = _sign_job((units, s))
    views = blob.decode("utf-8", "surrogatepass").split("\u0000") if units else []
    pairs, sims = link(sigs, s, view_of=views.__getitem__ if s.exact else None)
    lengths = np.fromiter((len(u) for u in units), dtype=np.int64, count=len(units))
    _, keeper = clusters(len(units), pairs, lengths, s.keep)
    keep = keeper == np.arange(len(units))
    best = {}
    for (a, b), sim in zip(pairs.tolist(), sims.tolist()):
        for x in (a, b):
            if not keep[x]:
                best[x] = max(best.get(x, 0.0), sim)
    return keep, keeper, best


def write_clusters(path: Path, labels: np.ndarray, keeper: np.ndarray, describe) -> int:
    """One JSON line per cluster of two or more items: the kept item and every member."""
    order = np.argsort(labels, kind="stable")
    sl = labels[order]
    bounds = np.flatnonzero(np.diff(sl, prepend=-1)).tolist() + [len(sl)]
    count = 0
    with open(path, "w", encoding="utf-8") as f:
        for a, b in zip(bounds, bounds[1:]):
            members = order[a:b]
            if len(members) < 2:
                continue
            count += 1
            k = int(keeper[members[0]])
            f.write(json.dumps({"cluster": count, "size": len(members), "kept": describe(k),
                                "members": [describe(int(m)) for m in members]}, ensure_ascii=False) + "\n")
    return count
