"""LSH banding, parameter choice and union-find: the pieces corpus and document dedup share."""

from __future__ import annotations

from functools import lru_cache

import numpy as np


@lru_cache(maxsize=None)
def optimal_params(threshold: float, num_perm: int, fp_weight: float = 0.1, fn_weight: float = 0.9) -> tuple[int, int]:
    """(bands, rows) minimising the weighted false-positive and false-negative probabilities.

    datasketch's own optimiser.  With its default weights (0.5, 0.5) only about 40% of pairs
    that sit exactly at the threshold share a band; weighting false negatives (0.1, 0.9), and
    verifying candidates by signature afterwards, catches most of them.
    """
    from datasketch.lsh import _optimal_param

    return _optimal_param(threshold, num_perm, fp_weight, fn_weight)


def band_keys(sigs: np.ndarray, bands: int, rows: int) -> np.ndarray:
    """A 64-bit key per (item, band): ``(n, bands)`` uint64, equal keys mean equal band values."""
    n = sigs.shape[0]
    keys = np.empty((n, bands), dtype=np.uint64)
    mult = np.uint64(0x9E3779B97F4A7C15)
    for bi in range(bands):
        part = sigs[:, bi * rows:(bi + 1) * rows].astype(np.uint64)
        h = np.full(n, np.uint64(((bi + 1) * 0xC2B2AE3D27D4EB4F) & 0xFFFFFFFFFFFFFFFF), dtype=np.uint64)
        for c in range(rows):
            h = (h ^ part[:, c]) * mult
            h ^= h >> np.uint64(29)
        keys[:, bi] = h
    return keys


def candidate_pairs(keys: np.ndarray) -> np.ndarray:
    """Pairs (i, j), i < j, that share a band key: each item is paired with the first item of
    its bucket.  Returns an ``(m, 2)`` int64 array without duplicates."""
    n, bands = keys.shape
    out = []
    ids = np.arange(n, dtype=np.int64)
    for bi in range(bands):
        k = keys[:, bi]
        order = np.argsort(k, kind="stable")
        ks = k[order]
        new = np.empty(n, dtype=bool)
        if n:
            new[0] = True
            new[1:] = ks[1:] != ks[:-1]
        head = np.maximum.accumulate(np.where(new, np.arange(n), 0))
        first = ids[order][head]
        mask = ~new
        if mask.any():
            out.append(np.stack([first[mask], ids[order][mask]], axis=1))
    if not out:
        return np.zeros((0, 2), dtype=np.int64)
    pairs = np.concatenate(out)
    pairs.sort(axis=1)
    return np.unique(pairs, axis=0)


class UnionFind:
    """Union-find over 0..n-1 with path halving; the root of a set is its smallest member."""

    def __init__(self, n: int):
        self.parent = list(range(n))

    def find(self, x: int) -> int:
        p = self.parent
        while p[x] != x:
            p[x] = p[p[x]]
            x = p[x]
        return x

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            if ra < rb:
                self.parent[rb] = ra
            else:
                self.parent[ra] = rb
