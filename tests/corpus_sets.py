"""A corpus with planted near-duplicates, and brute-force ground truth (exact, by prefix filtering)."""

from __future__ import annotations

import math
import random

from dedup_sets import edit
from helpers import corpus
from zhclean.dedup.minhash import shingles, view


def planted_corpus(n: int = 20_000, dup_share: float = 0.15, seed: int = 1, length: int = 200):
    """n paragraphs of about ``length`` characters: windows of the corpora, then copies edited at
    0-10% of characters (some exact, some in punctuation only) in place of a share of them."""
    rng = random.Random(seed)
    src = corpus("cmrc2018_contexts.jsonl") + corpus("drcd_contexts.jsonl")
    base = []
    for p in src:
        for i in range(0, max(1, len(p) - length + 1), length):
            base.append(p[i:i + length])
    rng.shuffle(base)
    n_orig = int(n * (1 - dup_share))
    units = base[:n_orig]
    alphabet = "".join(sorted(set("".join(units[:300])) - set("，。：；（）、 ")))
    while len(units) < n:
        s = rng.choice(units[:n_orig])
        units.append(edit(s, rng.uniform(0.0, 0.10), rng, alphabet) if rng.random() < 0.9 else s)
    order = list(range(len(units)))
    rng.shuffle(order)
    return [units[i] for i in order]


def true_pairs(units: list[str], threshold: float, n: int = 3) -> dict[tuple[int, int], float]:
    """All pairs with Jaccard >= threshold of character n-gram sets of the views, exactly.

    AllPairs prefix filtering: order shingles rarest first; two sets with Jaccard >= t must share a
    shingle among the first |x| - ceil(t|x|) + 1 of each, so only those pairs are compared."""
    sets = [shingles(view(u), n) for u in units]
    freq: dict[str, int] = {}
    for s in sets:
        for g in s:
            freq[g] = freq.get(g, 0) + 1
    index: dict[str, list[int]] = {}
    cands = set()
    for i, s in enumerate(sets):
        if not s:
            continue
        toks = sorted(s, key=lambda g: (freq[g], g))
        k = len(toks) - math.ceil(threshold * len(toks)) + 1
        for g in toks[:k]:
            for j in index.get(g, ()):
                cands.add((j, i))
            index.setdefault(g, []).append(i)
    out = {}
    for a, b in cands:
        sa, sb = sets[a], sets[b]
        jac = len(sa & sb) / len(sa | sb)
        if jac >= threshold:
            out[(a, b)] = jac
    return out
