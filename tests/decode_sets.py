"""Recipe for the decode "one byte lost" set (issue 12, point 4).

A 120-character line of Simplified Chinese from fixtures/corpora/cmrc2018_contexts.jsonl is encoded
as GBK and one byte is removed at a random position (a lead byte, a trail byte or an ASCII byte).
A third of the lines are drawn from windows with Latin letters or digits in them.  Paragraphs with
an even index (in file order) give the dev half, odd ones the test half, so no paragraph is in both.
Fixed seed: the same cases every time.
"""

from __future__ import annotations

import difflib
import json
import random
import re
from pathlib import Path

CORPUS = Path(__file__).resolve().parent.parent / "fixtures" / "corpora" / "cmrc2018_contexts.jsonl"
_LATIN = re.compile(r"[A-Za-z0-9]{2,}")


def lost_byte_cases(half: str, n: int = 150, length: int = 120, seed: int = 1213) -> list[tuple[bytes, str]]:
    """(damaged bytes, original line) pairs; ``half`` is "dev" or "test"."""
    with open(CORPUS, encoding="utf-8") as f:
        paras = [json.loads(line)["text"] for line in f]
    parity = {"dev": 0, "test": 1}[half]
    pool = [p.replace("\n", " ") for i, p in enumerate(paras) if i % 2 == parity and len(p) >= length]
    rng = random.Random(f"{seed}-{half}")
    out = []
    while len(out) < n:
        p = rng.choice(pool)
        want_latin = len(out) % 3 == 0
        starts = list(range(len(p) - length + 1))
        rng.shuffle(starts)
        line = None
        for s in starts[:50]:
            w = p[s:s + length]
            if bool(_LATIN.search(w)) == want_latin:
                line = w
                break
        if line is None:
            continue
        try:
            b = line.encode("gbk")
        except UnicodeEncodeError:
            continue
        k = rng.randrange(len(b))
        out.append((b[:k] + b[k + 1:], line))
    return out


def near(got: str, want: str, chars: int = 2) -> bool:
    """``got`` differs from ``want`` by at most ``chars`` characters (replaced, lost or added)."""
    sm = difflib.SequenceMatcher(None, got, want, autojunk=False)
    return sum(max(i2 - i1, j2 - j1) for t, i1, i2, j1, j2 in sm.get_opcodes() if t != "equal") <= chars
