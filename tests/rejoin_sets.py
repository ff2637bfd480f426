"""A rejoin set built from the corpora (fixtures/corpora), not from text the rules were written on.

Splits: one corpus paragraph cut in two at a place that does not end its sentence, of five kinds
(after a comma, after a colon, after an opening bracket or quote, after a number, mid-word between
two Han characters inside a clause); the two halves are separated by a blank line, as a page break
leaves them.  Negatives, which must stay as they are: a heading (a DRCD article title) before its
paragraph, list items (the items of an enumeration 甲、乙、丙 of one paragraph, one per line), and two whole paragraphs.
Everything is chosen by a seeded generator, so the set is the same every run.
"""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

CORPORA = Path(__file__).resolve().parent.parent / "fixtures" / "corpora"
_HAN = re.compile(r"[\u3400-\u9fff]")


def _paragraphs():
    out = []
    for name in ("cmrc2018_contexts.jsonl", "drcd_contexts.jsonl"):
        with open(CORPORA / name, encoding="utf-8") as f:
            for ln in f:
                d = json.loads(ln)
                out.append((d.get("title", ""), d["text"].strip()))
    return out


def _cut(text: str, kind: str, rng: random.Random) -> int | None:
    """A cut position (first half = text[:pos]) of the given kind, at least 10 characters in from both ends."""
    if kind == "comma":
        pos = [m.end() for m in re.finditer(r"[，、]", text)]
    elif kind == "colon":
        pos = [m.end() for m in re.finditer(r"[：:]", text)]
    elif kind == "bracket":
        pos = [m.end() for m in re.finditer(r"[（(「『《“]", text)]
    elif kind == "number":
        pos = [m.end() for m in re.finditer(r"\d(?=[\u3400-\u9fff])", text)]
    else:  # mid-word: between two Han characters, inside a clause
        pos = [i for i in range(1, len(text)) if _HAN.match(text[i - 1]) and _HAN.match(text[i])]
    pos = [p for p in pos if 10 <= p <= len(text) - 10]
    return rng.choice(pos) if pos else None


KINDS = ("comma", "colon", "bracket", "number", "midword")


def rejoin_set(per_kind: int = 60, negatives: int = 80, seed: int = 11):
    """(splits, negatives): splits are (split text, joined text); negatives are texts that must not change."""
    rng = random.Random(seed)
    paras = _paragraphs()
    order = list(range(len(paras)))
    rng.shuffle(order)
    splits: list[tuple[str, str]] = []
    it = iter(order)
    for kind in KINDS:
        got = 0
        for k in it:
            text = paras[k][1]
            if len(text) < 60 or "\n" in text:
                continue
            p = _cut(text, kind, rng)
            if p is None:
                continue
            a, b = text[:p], text[p:]
            if a != a.rstrip() or b != b.lstrip():
                continue
            splits.append((a + "\n\n" + b + "\n", text + "\n"))
            got += 1
            if got == per_kind:
                break
    neg: list[str] = []
    # headings: a DRCD title before its paragraph
    titled = [paras[k] for k in order if paras[k][0] and len(paras[k][1]) >= 60]
    for title, text in titled[:negatives]:
        neg.append(title + "\n\n" + text + "\n")
    # list items: an enumeration (甲、乙、丙) of one paragraph, one item per line
    got = 0
    for k in order:
        m = re.search(r"(?:[\u3400-\u9fff]{2,12}、){2,}[\u3400-\u9fff]{2,12}", paras[k][1])
        if m:
            neg.append("\n".join(m.group(0).split("、")) + "\n")
            got += 1
            if got == negatives:
                break
    # whole paragraphs, one after the other (the first ends its sentence)
    got = 0
    for a, b in zip(order[::2], order[1::2]):
        ta, tb = paras[a][1], paras[b][1]
        if ta.endswith(("。", "！", "？", "」", "”")) and len(ta) >= 40 and len(tb) >= 40:
            neg.append(ta + "\n\n" + tb + "\n")
            got += 1
            if got == negatives:
                break
    return splits, neg
