"""fix_mojibake beside ftfy, on the same text (decode beside charset-normalizer: bench_decode.py).

- repair rate by kind of mojibake, against ftfy.fix_text;
- throughput of fix_mojibake on clean text (the fast path) and on damaged text.
"""

from __future__ import annotations

import sys
import time

import ftfy

from _common import ROOT, paragraphs, row

sys.path.insert(0, str(ROOT / "tests"))

from mojibake_recipe import cases as recipe_cases, near as recipe_near  # noqa: E402
from mojibake_sets import cases, negatives  # noqa: E402

from zhclean.filters.mojibake import FixMojibake, fix_mojibake  # noqa: E402


def _near(a, b):
    import difflib

    sm = difflib.SequenceMatcher(None, a, b, autojunk=False)
    return sum(max(i2 - i1, j2 - j1) for t, i1, i2, j1, j2 in sm.get_opcodes() if t != "equal") <= 2


def run() -> list[dict]:
    rows = []
    simp, trad = paragraphs("simplified"), paragraphs("traditional")
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
    [fix_mojibake(d) for d in docs]  # warm the tables (the character model, the regexes)
    fresh = FixMojibake()  # (a new instance: no line it has looked at before; lines it found quiet are remembered)
    t0 = time.perf_counter()
    [fresh(d) for d in docs]
    t_ours = time.perf_counter() - t0
    t0 = time.perf_counter()
    [ftfy.fix_text(d) for d in docs[:600]]
    t_ftfy = (time.perf_counter() - t0) * len(docs) / 600
    rows.append(row("mojibake speed", f"clean corpora, {mb:.1f} MB (fast path)", mb / t_ours, mb / t_ftfy, "ftfy.fix_text",
                    "MB/s", target=">=20"))
    damaged = [d for _, d, _ in cases()]
    dmb = sum(len(d.encode("utf-8")) for d in damaged) / 1e6
    fresh = FixMojibake()
    t0 = time.perf_counter()
    [fresh(d) for d in damaged]
    t_d = time.perf_counter() - t0
    t0 = time.perf_counter()
    [ftfy.fix_text(d) for d in damaged]
    t_df = time.perf_counter() - t0
    rows.append(row("mojibake speed", f"damaged text, {len(damaged)} cases", dmb / t_d, dmb / t_df, "ftfy.fix_text", "MB/s"))
    rows += _recipe_rows()
    return rows


def _recipe_rows() -> list[dict]:
    """Issue 12's recipe (paragraph windows, dev/test halves): exact repairs (within two characters for
    shifted GBK) beside ftfy, and repair speed on the damaged paragraphs."""
    rows, n, ours, theirs = [], {}, {}, {}
    t_ours = t_ftfy = size = 0.0
    for kind, half, damaged, original in recipe_cases():
        key = (kind, half)
        t0 = time.perf_counter()
        a = fix_mojibake(damaged)
        t1 = time.perf_counter()
        f = ftfy.fix_text(damaged)
        t_ours, t_ftfy = t_ours + t1 - t0, t_ftfy + time.perf_counter() - t1
        size += len(damaged.encode("utf-8")) / 1e6
        ok = recipe_near if kind == "shifted_gbk" else str.__eq__
        n[key] = n.get(key, 0) + 1
        ours[key] = ours.get(key, 0) + ok(a, original)
        theirs[key] = theirs.get(key, 0) + ok(f, original)
    for key in sorted(n):
        what = "within 2 chars" if key[0] == "shifted_gbk" else "exact"
        rows.append(row("mojibake recipe", f"{key[0]} {key[1]} ({n[key]} cases, {what})", 100 * ours[key] / n[key],
                        100 * theirs[key] / n[key], "ftfy.fix_text", "% repaired"))
    rows.append(row("mojibake speed", f"recipe damaged paragraphs, {size:.1f} MB", size / t_ours, size / t_ftfy,
                    "ftfy.fix_text", "MB/s"))
    return rows
