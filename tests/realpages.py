"""The real page dumps of fixtures/realpages, their hand labels, and the dev/test split by site.

The split was fixed before any tuning: the 14 sites in alphabetical order, alternately to dev
and to test.  Rules and thresholds are tuned on dev only; test is reported, never tuned on.
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

REALPAGES = Path(__file__).resolve().parent.parent / "fixtures" / "realpages"
# a second set, from other sites (fixtures/realpages2/README.md): never tuned on, reported whole
REALPAGES2 = REALPAGES.parent / "realpages2"
REALPAGES3 = REALPAGES.parent / "realpages3"
REALPAGES4 = REALPAGES.parent / "realpages4"
REALPAGES5 = REALPAGES.parent / "realpages5"
REALPAGES6 = REALPAGES.parent / "realpages6"
REALPAGES7 = REALPAGES.parent / "realpages7"


def pages(root: Path = REALPAGES) -> dict[str, tuple[str, list[str]]]:
    """file -> (site, labels by line) ; the text is read from the .txt file."""
    labels: dict[str, dict[int, str]] = defaultdict(dict)
    with open(root / "labels.jsonl", encoding="utf-8") as f:
        for line in f:
            r = json.loads(line)
            labels[r["file"]][r["line"]] = r["label"]
    out = {}
    for name, by_line in sorted(labels.items()):
        out[name] = (name.split("__")[0], [by_line[i] for i in range(len(by_line))])
    return out


def text(name: str, root: Path = REALPAGES) -> str:
    return (root / name).read_text(encoding="utf-8")


SITES = sorted({site for site, _ in pages().values()})
DEV = SITES[0::2]
TEST = SITES[1::2]


def c4_keep(line: str) -> bool:
    """The C4-style filter: keep a line only if it has >= 5 characters and ends in terminal punctuation."""
    s = line.strip()
    return len(s) >= 5 and s[-1:] in "。！？!?”」』…"


def removed_lines(filter_apply, page_text: str) -> set[int]:
    """0-based indices of the page's lines that a filter's ``apply(text, explain=True)`` removed."""
    res = filter_apply(page_text)
    return {c.line - 1 for c in res.changes if not c.flag and c.after == "" and c.line}


def score(pred: dict[str, set[int]], which: list[str] | None = None, root: Path = REALPAGES) -> dict:
    """Precision and recall of "remove" over the pages of the given sites (all by default)."""
    tp = fp = fn = 0
    for name, (site, labels) in pages(root).items():
        if which is not None and site not in which:
            continue
        p = pred[name]
        for i, lab in enumerate(labels):
            if i in p and lab == "remove":
                tp += 1
            elif i in p:
                fp += 1
            elif lab == "remove":
                fn += 1
    return {"precision": tp / (tp + fp) if tp + fp else 1.0, "recall": tp / (tp + fn) if tp + fn else 1.0,
            "tp": tp, "fp": fp, "fn": fn}
