"""Test sets for paragraph dedup, built from the corpora with a fixed seed."""

from __future__ import annotations

import random
import re

from helpers import corpus
from zhclean.dedup.minhash import view

PUNCT_SWAP = {"，": ",", "。": ".", "：": ":", "；": ";", "（": "(", "）": ")", "、": ","}
SENT = re.compile(r"[^。！？]*[。！？]")
CLAUSE = re.compile(r"[^，。！？；、,;!?]{12,}")


def paragraphs(min_len=80, max_len=400):
    out = [p for p in corpus("cmrc2018_contexts.jsonl") + corpus("drcd_contexts.jsonl")
           if min_len <= len(p) <= max_len and "\n" not in p]
    # leave out paragraphs that repeat a clause inside themselves: their ground truth is unclear
    return [p for p in out if len(CLAUSE.findall(p)) == len(set(CLAUSE.findall(p)))]


def pick_distinct(pool, k, rng, avoid=()):
    """k paragraphs that share no clause of 12+ characters with each other (the corpora hold
    templated Wikipedia sentences, and those are real repeats, not distinct text)."""
    chosen, seen = [], set()
    for p in avoid:
        seen.update(CLAUSE.findall(p))
    while len(chosen) < k:
        p = rng.choice(pool)
        cl = set(CLAUSE.findall(p))
        if p in chosen or cl & seen:
            continue
        chosen.append(p)
        seen |= cl
    return chosen


def edit(p: str, rate: float, rng: random.Random, alphabet: str) -> str:
    chars = list(p)
    k = max(1, round(len(chars) * rate))
    for i in rng.sample(range(len(chars)), k):
        op = rng.random()
        if op < 0.5:
            chars[i] = rng.choice(alphabet)
        elif op < 0.75:
            chars[i] = ""
        else:
            chars[i] = chars[i] + rng.choice(alphabet)
    return "".join(chars)


def sentences(p: str) -> list[str]:
    return [s for s in SENT.findall(p) if s]


def in_document_set(n_docs: int = 120, seed: int = 11):
    """Documents with planted duplicates.  Each item: (text, dup_lines, spliced) where dup_lines are
    the 1-based lines that must go and spliced maps a line to the sentence that must be cut from it."""
    rng = random.Random(seed)
    pool = paragraphs()
    alphabet = "".join(sorted(set("".join(pool[:200])) - set("，。：；（）、 ")))
    docs = []
    for d in range(n_docs):
        base = pick_distinct(pool, 6, rng)
        lines, dups, spliced, kinds = list(base), [], {}, {}
        kind = ["exact", "edit", "punct", "split", "splice", "distinct"][d % 6]
        src = base[rng.randrange(3)]
        if kind == "exact":
            lines.append(src)
            dups.append(len(lines))
        elif kind == "edit":
            lines.append(edit(src, rng.uniform(0.01, 0.06), rng, alphabet))
            dups.append(len(lines))
        elif kind == "punct":
            lines.append("".join(PUNCT_SWAP.get(c, c) for c in src))
            dups.append(len(lines))
        elif kind == "split":
            ss = sentences(src)
            if len(ss) >= 2:
                cut = rng.randrange(1, len(ss))
                for part in ("".join(ss[:cut]), "".join(ss[cut:])):
                    lines.append(part)
                    dups.append(len(lines))
        elif kind == "splice":
            ss = [s for s in sentences(src) if len(view(s)) >= 30]
            host = pick_distinct(pool, 1, rng, avoid=base)[0]
            hs = sentences(host)
            if ss and len(hs) >= 2:
                s = rng.choice(ss)
                at = rng.randrange(1, len(hs))
                lines.append("".join(hs[:at]) + s + "".join(hs[at:]))
                spliced[len(lines)] = s
        else:  # near but distinct: a third of the characters rewritten, or another paragraph on the same topic
            lines.append(edit(src, 0.35, rng, alphabet))
        docs.append(("\n".join(lines) + "\n", dups, spliced, kind))
    return docs
