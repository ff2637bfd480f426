"""Corpus dedup on Spark local[2] beside the local engine (-j 2), same corpus, wall times.

Spark pays for its JVM, its shuffles and its Python workers; on one machine the local engine
is faster.  Spark is for corpora that do not fit one machine; this says what it costs here.
Set ZHCLEAN_BENCH_SPARK_N for the number of paragraphs (default 20,000)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import row


def run() -> list[dict]:
    try:
        import pyspark  # noqa: F401
    except ImportError:
        return [row("spark dedup", "pyspark not installed", None, None, "", "seconds")]
    if shutil.which("java") is None:
        return [row("spark dedup", "no Java on this machine", None, None, "", "seconds")]
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
    from corpus_sets import planted_corpus

    n = int(os.environ.get("ZHCLEAN_BENCH_SPARK_N", "20000"))
    units = planted_corpus(n, seed=3)
    exe = str(Path(sys.executable).parent / "zhclean")
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        (tmp / "in").mkdir()
        with open(tmp / "in" / "a.jsonl", "w", encoding="utf-8") as f:
            for i in range(0, n, 4):
                f.write(json.dumps({"id": i, "text": "\n".join(units[i:i + 4])}, ensure_ascii=False) + "\n")
        t0 = time.perf_counter()
        subprocess.run([exe, "dedup", str(tmp / "in"), "-o", str(tmp / "local"), "-j", "2", "-q"], check=True)
        t_local = time.perf_counter() - t0
        t0 = time.perf_counter()
        subprocess.run([exe, "dedup", str(tmp / "in"), "-o", str(tmp / "spark"), "--engine", "spark",
                        "--master", "local[2]", "-q"], check=True, capture_output=True)
        t_spark = time.perf_counter() - t0
    return [row("spark dedup", f"{n:,} paragraphs, Spark local[2] (incl. JVM start)", t_spark, t_local,
                "zhclean local engine -j 2", "seconds", higher_is_better=False)]
