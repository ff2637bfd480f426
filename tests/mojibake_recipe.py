"""Issue 12's recipe: damaged cases built from whole paragraph windows, split dev/test by paragraph.

Independent of ``mojibake_sets.py`` (which damages single sentences): here the damage covers
100-220-character windows of real paragraphs, so Latin words, digits, 《》 titles and lists sit
inside the damaged runs, as on real pages.  A paragraph goes to dev or test by the parity of a
CRC32 of its text (fixed; no tuning on test).  Run it to print the repair rates:

    PYTHONPATH=src python tests/mojibake_recipe.py
"""

from __future__ import annotations

import difflib
import random
import re
import sys
import zlib
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from helpers import corpus  # noqa: E402

SEED = 12
ASCII_PUNCT = str.maketrans({"，": ",", "。": ".", "：": ":", "；": ";", "！": "!", "？": "?", "（": "(", "）": ")"})


def half(text: str) -> str:
    return "test" if zlib.crc32(text.encode("utf-8")) % 2 else "dev"


def _windows(paras, rng, lo=100, hi=220, want_ascii=False):
    out = []
    for p in paras:
        if len(p) < lo:
            continue
        n = rng.randint(lo, min(hi, len(p)))
        starts = list(range(0, len(p) - n + 1, 17)) or [0]
        if want_ascii:  # prefer a window holding Latin letters or digits, when the paragraph has one
            mixed = [s for s in starts if re.search(r"[A-Za-z0-9]{2,}", p[s:s + n])]
            starts = mixed or starts
        s = rng.choice(starts)
        out.append((p, p[s:s + n]))
    return out


def _list_text(paras, rng):
    """A numbered list and a 《》 title line, made from clauses of one paragraph."""
    out = []
    for p in paras:
        parts = [x for x in re.split(r"[，。；]", p) if 4 <= len(x) <= 30]
        if len(parts) < 4:
            continue
        k = rng.randint(3, min(6, len(parts)))
        items = [f"{i + 1}. {x}" for i, x in enumerate(parts[:k])]
        title = "《" + parts[k - 1][:8] + "》第" + str(rng.randint(1, 30)) + "卷（" + str(rng.randint(1990, 2024)) + "年）"
        out.append((p, title + "\n" + "\n".join(items)))
    return out


def _reencode(text, src, dst):
    try:
        return text.encode(src).decode(dst)
    except (UnicodeEncodeError, UnicodeDecodeError):
        return None


def _shift(text, rng):
    """One GBK lead byte lost in the first half; ASCII punctuation; decoded with errors ignored."""
    folded = text.translate(ASCII_PUNCT)
    try:
        b = folded.encode("gbk")
    except UnicodeEncodeError:
        return None
    leads, i = [], 0
    while i < len(b) // 2:
        if b[i] >= 0x80:
            leads.append(i)
            i += 2
        else:
            i += 1
    leads = [k for k in leads if k >= 4]
    if not leads:
        return None
    k = rng.choice(leads)
    return (b[:k] + b[k + 1:]).decode("gbk", errors="ignore"), folded


def cases():
    """(kind, half, damaged, original) for every kind of issue 12."""
    rng = random.Random(SEED)
    simp = corpus("cmrc2018_contexts.jsonl")
    trad = corpus("drcd_contexts.jsonl")
    out = []
    ws = _windows(simp, rng, want_ascii=True)
    wt = _windows(trad, rng, want_ascii=True)
    lists = _list_text(simp, rng)
    for p, w in ws + lists:
        for src in rng.sample(("latin-1", "cp1252"), 2):
            d = _reencode(w, "gbk", src)
            if d and d != w:
                out.append(("gbk_as_" + src.replace("-", ""), half(p), d, w))
                break
    for p, w in wt:
        src = rng.choice(("latin-1", "cp1252"))
        d = _reencode(w, "big5", src) or _reencode(w, "big5", "latin-1")
        if d and d != w:
            out.append(("big5_as_latin1", half(p), d, w))
    for p in trad:  # a strict misreading survives only on short runs: one run inside its sentence
        sents = re.findall(r"[^。！？]{10,80}[。！？]", p)
        if not sents:
            continue
        x = rng.choice(sents)
        d = _utf8_run_as_big5(x, rng, 30)
        if d:
            out.append(("utf8_as_big5", half(p), d, x))
    for p, w in _windows(simp[::2], rng):
        r = _shift(w, rng)
        if r and r[0] != r[1]:
            out.append(("shifted_gbk", half(p), r[0], r[1]))
    out += _more_utf8_as_big5(simp, trad)
    return out


def _more_utf8_as_big5(simp, trad):
    """More UTF-8 runs read as Big5 (the first loop gives 50): runs in sentences of Simplified and
    Traditional paragraphs, with a generator of their own so that the other kinds stay as they were."""
    rng = random.Random(SEED + 1)
    out = []
    for p in simp + trad:
        sents = re.findall(r"[^。！？]{10,80}[。！？]", p)
        if not sents:
            continue
        for x in rng.sample(sents, min(2, len(sents))):  # up to two sentences of each paragraph
            d = _utf8_run_as_big5(x, rng, 60)
            if d:
                out.append(("utf8_as_big5", half(p), d, x))
    return out


def _utf8_run_as_big5(x: str, rng, tries: int) -> str | None:
    """``x`` with a run of 3-10 characters that survives a strict Big5 reading of its UTF-8 bytes
    read so, or None when ``tries`` random runs all fail."""
    for _ in range(tries):
        a = rng.randrange(len(x) - 3)
        b = min(len(x), a + rng.randint(3, 10))
        d = _reencode(x[a:b], "utf-8", "big5")
        if d and d != x[a:b]:
            return x[:a] + d + x[b:]
    return None


def near(a: str, b: str, k: int = 2) -> bool:
    sm = difflib.SequenceMatcher(None, a, b, autojunk=False)
    return sum(max(i2 - i1, j2 - j1) for tag, i1, i2, j1, j2 in sm.get_opcodes() if tag != "equal") <= k


def negatives():
    """All 3,104 corpus paragraphs: clean text that must not change."""
    return corpus("cmrc2018_contexts.jsonl") + corpus("drcd_contexts.jsonl")


def rates(fix=None):
    if fix is None:
        from zhclean.filters.mojibake import fix_mojibake as fix
    n, exact, close = Counter(), Counter(), Counter()
    misses = []
    for kind, h, d, o in cases():
        got = fix(d)
        n[kind, h] += 1
        exact[kind, h] += got == o
        close[kind, h] += near(got, o)
        if got != o:
            misses.append((kind, h, d, got, o))
    return n, exact, close, misses


if __name__ == "__main__":
    n, exact, close, misses = rates()
    for key in sorted(n):
        print(f"{key[0]:16} {key[1]:4} {n[key]:5}  exact {exact[key] / n[key]:6.1%}  within2 {close[key] / n[key]:6.1%}")
    if "-v" in sys.argv:
        for kind, h, d, got, o in misses:
            if h == "dev":
                print(kind, "\n  D", d[:120], "\n  G", got[:120], "\n  O", o[:120])
