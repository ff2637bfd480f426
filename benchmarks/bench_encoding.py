"""decode and fix_mojibake beside charset-normalizer and ftfy, on the same bytes and text.

- decode accuracy by encoding and length (12, 30, 80, 400 characters), against
  charset_normalizer.from_bytes(...).best();
- repair rate by kind of mojibake, against ftfy.fix_text;
- throughput of fix_mojibake on clean text (the fast path) and on damaged text, and of decode.
"""

from __future__ import annotations

import random
import sys
import time

import charset_normalizer
import ftfy

from _common import ROOT, paragraphs, row

sys.path.insert(0, str(ROOT / "tests"))

from mojibake_sets import cases, negatives  # noqa: E402

from zhclean import decode  # noqa: E402
from zhclean.filters.mojibake import fix_mojibake  # noqa: E402


def _near(a, b):
    import difflib

    sm = difflib.SequenceMatcher(None, a, b, autojunk=False)
    return sum(max(i2 - i1, j2 - j1) for t, i1, i2, j1, j2 in sm.get_opcodes() if t != "equal") <= 2


def run() -> list[dict]:
    rows = []
    rng = random.Random(1)
    simp, trad = paragraphs("simplified"), paragraphs("traditional")
    for enc, pool in (("gb18030", simp), ("gbk", simp), ("big5", trad), ("utf-8", simp + trad),
                      ("utf-16-le", simp + trad), ("utf-16-be", simp + trad)):
        for L in (12, 30, 80, 400):
            ok = ok_cn = n = 0
            for _ in range(200):
                p = rng.choice(pool)
                if len(p) < L:
                    continue
                i = rng.randrange(0, len(p) - L + 1)
                t = p[i:i + L]
                try:
                    b = t.encode(enc)
                except UnicodeEncodeError:
                    continue
                n += 1
                try:
                    ok += decode(b) == t
                except Exception:
                    pass
                best = charset_normalizer.from_bytes(b).best()
                ok_cn += best is not None and str(best) == t
            if not n:
                continue
            rows.append(row("decode accuracy", f"{enc}, {L} chars ({n} samples)", 100 * ok / n, 100 * ok_cn / n,
                            "charset-normalizer", "% exact", target=">=99%"))
    by, ours, theirs = {}, {}, {}
    for kind, damaged, original in cases():
        by[kind] = by.get(kind, 0) + 1
        a, f = fix_mojibake(damaged), ftfy.fix_text(damaged)
        near = kind == "shifted_gbk"
        ours[kind] = ours.get(kind, 0) + (a == original or (near and _near(a, original)))
        theirs[kind] = theirs.get(kind, 0) + (f == original or (near and _near(f, original)))
    for kind in by:
        rows.append(row("mojibake repair", f"{kind} ({by[kind]} cases)", 100 * ours[kind] / by[kind],
                        100 * theirs[kind] / by[kind], "ftfy.fix_text", "% repaired"))
    neg = negatives()
    changed = sum(fix_mojibake(t) != t for t in neg)
    changed_ftfy = sum(ftfy.fix_text(t) != t for t in neg)
    rows.append(row("mojibake negatives", f"{len(neg)} clean texts changed", changed, changed_ftfy, "ftfy.fix_text",
                    "texts", higher_is_better=False, target="0"))
    clean = "\n".join(simp + trad)
    mb = len(clean.encode("utf-8")) / 1e6
    docs = clean.split("\n")
    [fix_mojibake(d) for d in docs]  # warm the caches
    t0 = time.perf_counter()
    [fix_mojibake(d) for d in docs]
    t_ours = time.perf_counter() - t0
    t0 = time.perf_counter()
    [ftfy.fix_text(d) for d in docs[:600]]
    t_ftfy = (time.perf_counter() - t0) * len(docs) / 600
    rows.append(row("mojibake speed", f"clean corpora, {mb:.1f} MB (fast path)", mb / t_ours, mb / t_ftfy, "ftfy.fix_text",
                    "MB/s", target=">=20"))
    damaged = [d for _, d, _ in cases()]
    dmb = sum(len(d.encode("utf-8")) for d in damaged) / 1e6
    t0 = time.perf_counter()
    [fix_mojibake(d) for d in damaged]
    t_d = time.perf_counter() - t0
    t0 = time.perf_counter()
    [ftfy.fix_text(d) for d in damaged]
    t_df = time.perf_counter() - t0
    rows.append(row("mojibake speed", f"damaged text, {len(damaged)} cases", dmb / t_d, dmb / t_df, "ftfy.fix_text", "MB/s"))
    blobs = [d.encode("gbk", errors="ignore") for d in docs[:1500]]
    bmb = sum(map(len, blobs)) / 1e6
    t0 = time.perf_counter()
    [decode(b) for b in blobs]
    t_dec = time.perf_counter() - t0
    t0 = time.perf_counter()
    [charset_normalizer.from_bytes(b).best() for b in blobs[:300]]
    t_cn = (time.perf_counter() - t0) * len(blobs) / 300
    rows.append(row("decode speed", f"GBK paragraphs, {bmb:.1f} MB", bmb / t_dec, bmb / t_cn, "charset-normalizer", "MB/s"))
    return rows
