"""The character model: Han character frequencies and common bigrams from real text.

Built by ``tools/build_char_model.py`` from the CMRC 2018 and DRCD contexts (Simplified and
Traditional Wikipedia text, CC BY-SA).  Used to judge how plausible a decoding is and whether
a line break falls inside a word.
"""

from __future__ import annotations

import math
from functools import lru_cache
from importlib import resources


@lru_cache(maxsize=1)
def char_counts() -> dict[str, int]:
    out = {}
    text = (resources.files("zhclean") / "data" / "zh_chars.tsv").read_text(encoding="utf-8")
    for line in text.splitlines():
        if line.startswith("#") or "\t" not in line:
            continue
        c, n = line.split("\t")
        out[c] = int(n)
    return out


@lru_cache(maxsize=1)
def bigrams() -> frozenset[str]:
    text = (resources.files("zhclean") / "data" / "zh_bigrams.txt").read_text(encoding="utf-8")
    out = set()
    for line in text.splitlines():
        if line.startswith("#"):
            continue
        out.update(line[i:i + 2] for i in range(0, len(line), 2))
    return frozenset(out)


@lru_cache(maxsize=1)
def log_probs() -> tuple[dict[str, float], float]:
    """log10 probability of each seen character, and the floor for an unseen one."""
    counts = char_counts()
    total = sum(counts.values())
    lp = {c: math.log10(n / total) for c, n in counts.items()}
    return lp, math.log10(0.5 / total)


@lru_cache(maxsize=1)
def bigram_counts() -> dict[str, int]:
    """How often each known bigram was seen (2 for those zh_bigram_counts.txt does not list).  Loaded
    only when a lost byte is guessed."""
    out = dict.fromkeys(bigrams(), 2)
    text = (resources.files("zhclean") / "data" / "zh_bigram_counts.txt").read_text(encoding="utf-8")
    for line in text.splitlines():
        if line.startswith("#") or "\t" not in line:
            continue
        n, pairs = line.split("\t")
        k = int(n)
        for i in range(0, len(pairs), 2):
            out[pairs[i:i + 2]] = k
    return out
