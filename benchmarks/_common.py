"""Shared helpers for the benchmarks: corpora, timing and the result table."""

from __future__ import annotations

import json
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPORA = ROOT / "fixtures" / "corpora"


def paragraphs(which: str = "both") -> list[str]:
    names = {"simplified": ["cmrc2018_contexts.jsonl"], "traditional": ["drcd_contexts.jsonl"],
             "both": ["cmrc2018_contexts.jsonl", "drcd_contexts.jsonl"]}[which]
    out = []
    for n in names:
        with open(CORPORA / n, encoding="utf-8") as f:
            out += [json.loads(line)["text"] for line in f]
    return out


def documents(paras: list[str], per_doc: int = 8) -> list[str]:
    return ["\n\n".join(paras[i:i + per_doc]) + "\n" for i in range(0, len(paras), per_doc)]


def best_of(fn, repeat: int = 3) -> float:
    """Best wall time of ``repeat`` runs, in seconds."""
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def row(benchmark: str, case: str, ours: float, peer: float | None, peer_name: str, unit: str,
        higher_is_better: bool = True, target: str = "") -> dict:
    ratio = None
    if peer and ours:
        ratio = ours / peer if higher_is_better else peer / ours
    return {"benchmark": benchmark, "case": case, "zhclean": ours, "peer": peer, "peer_name": peer_name,
            "unit": unit, "ratio": ratio, "target": target}


def fmt(v) -> str:
    if v is None:
        return "-"
    if isinstance(v, str):
        return v
    if abs(v) >= 100:
        return f"{v:,.0f}"
    if abs(v) >= 1:
        return f"{v:.2f}"
    return f"{v:.3f}"


def table(rows: list[dict]) -> str:
    head = ["benchmark", "case", "zhclean", "peer", "peer name", "unit", "zhclean/peer", "target"]
    body = [[r["benchmark"], r["case"], fmt(r["zhclean"]), fmt(r["peer"]), r["peer_name"], r["unit"],
             (f"{r['ratio']:.2f}x" if r["ratio"] else "-"), r.get("target", "")] for r in rows]
    w = [max(len(x[i]) for x in [head] + body) for i in range(len(head))]
    lines = ["  ".join(h.ljust(w[i]) for i, h in enumerate(head)), "  ".join("-" * x for x in w)]
    lines += ["  ".join(c.ljust(w[i]) for i, c in enumerate(r)) for r in body]
    return "\n".join(lines)


def matrix(title: str, rows: list[str], cols: dict[str, dict[str, float]]) -> str:
    """A table of figures: one row per name in ``rows``, one column per key of ``cols``."""
    head = [title] + list(cols)
    body = [[r] + [fmt(c.get(r)) for c in cols.values()] for r in rows]
    w = [max(len(x[i]) for x in [head] + body) for i in range(len(head))]
    lines = ["  ".join(h.ljust(w[i]) if i == 0 else h.rjust(w[i]) for i, h in enumerate(head)),
             "  ".join("-" * x for x in w)]
    lines += ["  ".join(c.ljust(w[i]) if i == 0 else c.rjust(w[i]) for i, c in enumerate(r)) for r in body]
    return "\n".join(lines)
