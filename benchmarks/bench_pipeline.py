"""Throughput of the default pipeline on the corpora, beside ftfy.fix_text on the same documents."""

from __future__ import annotations

import ftfy

from _common import best_of, documents, paragraphs, row

import zhclean


def run() -> list[dict]:
    docs = documents(paragraphs()) * 2
    mb = sum(len(d.encode("utf-8")) for d in docs) / 1e6
    pipe = zhclean.Pipeline()
    t_ours = best_of(lambda: [pipe(d) for d in docs], 2)
    t_ftfy = best_of(lambda: [ftfy.fix_text(d) for d in docs], 2)
    rows = [row("pipeline", f"default steps ({', '.join(pipe.names)}), {mb:.1f} MB",
                mb / t_ours, mb / t_ftfy, "ftfy.fix_text", "MB/s")]
    n = zhclean.Pipeline(["normalize"])
    t_norm = best_of(lambda: [n(d) for d in docs], 3)
    rows.append(row("pipeline", "normalize only", mb / t_norm, mb / t_ftfy, "ftfy.fix_text", "MB/s"))
    return rows
