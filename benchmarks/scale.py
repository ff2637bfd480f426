"""Resources that grow with the input, not faster (issue 14).

- one document of N short lines through the default pipeline: time at 10k ... 1M lines;
- `zhclean clean` on one large JSONL file in a child process: peak memory (ru_maxrss);
- `zhclean clean` on a single-line text file of 50 MB: peak memory;
- `zhclean clean -j 2` against `-j 1` on one large JSONL file (issue 13: its batches go to the workers).

    python benchmarks/scale.py   (not part of `make bench`: it takes minutes and GBs of disk) [--lines 1000000] [--jsonl-mb 2048] [--steps normalize]

The JSONL file is built from the corpus paragraphs (repeated, each record numbered), so it
costs disk space of its size under a temporary folder, removed afterwards.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import ROOT, paragraphs  # noqa: E402


def short_lines(n: int, seed: int = 1) -> str:
    clauses = [c for p in paragraphs() for c in re.split(r"[，。！？]", p) if 4 <= len(c) <= 30]
    rng = random.Random(seed)
    return "\n".join(rng.choice(clauses) + "。" for _ in range(n)) + "\n"


def bench_lines(sizes) -> list[tuple[int, float]]:
    import zhclean

    out = []
    for n in sizes:
        text = short_lines(n)
        t0 = time.perf_counter()
        zhclean.clean(text)
        out.append((n, time.perf_counter() - t0))
        print(f"  {n:>9,} short lines, default pipeline: {out[-1][1]:7.1f} s  "
              f"({out[-1][1] / n * 1e6:.1f} µs/line)", flush=True)
    return out


def _child_peak(argv) -> tuple[float, float, int]:
    """(seconds, peak RSS in MB, exit code) of ``zhclean`` run as a child process."""
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    t0 = time.perf_counter()
    p = subprocess.run([sys.executable, "-c", "import sys; from zhclean.cli import main; sys.exit(main(sys.argv[1:]))",
                        *argv], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    el = time.perf_counter() - t0
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # KB on Linux
    if p.returncode not in (0, 1):
        print(p.stderr.decode()[-2000:])
    return el, peak, p.returncode


def write_jsonl(src: Path, mb: float) -> tuple[int, int]:
    """A JSONL file of about ``mb`` MB from the corpus paragraphs; (bytes, records)."""
    paras = paragraphs()
    size, i = 0, 0
    with open(src, "w", encoding="utf-8") as f:
        while size < mb * 1_000_000:
            line = json.dumps({"id": i, "text": paras[i % len(paras)] + "\u200b"}, ensure_ascii=False) + "\n"
            f.write(line)
            size += len(line.encode("utf-8"))
            i += 1
    return size, i


def bench_jsonl(mb: int, steps: str | None) -> None:
    with tempfile.TemporaryDirectory() as d:
        src = Path(d, "big.jsonl")
        size, i = write_jsonl(src, mb)
        argv = ["clean", str(src), "-o", str(Path(d, "out")), "-q"] + (["--steps", steps] if steps else [])
        el, peak, code = _child_peak(argv)
        out_lines = sum(1 for _ in open(Path(d, "out", "big.jsonl"), "rb"))
        print(f"  JSONL {size / 1e6:,.0f} MB ({i:,} records), steps {steps or 'default'}: {el:.0f} s, "
              f"{size / 1e6 / el:.1f} MB/s, peak RSS {peak:,.0f} MB, exit {code}, records out {out_lines:,}", flush=True)


def bench_jobs(mb: int, jobs: int = 2) -> None:
    """Wall time of ``clean -j 1`` and ``clean -j N`` on one JSONL file, default pipeline, same run."""
    with tempfile.TemporaryDirectory() as d:
        src = Path(d, "big.jsonl")
        size, n = write_jsonl(src, mb)
        times, outs = {}, {}
        cpu = {}
        for j in (1, jobs, 1, jobs):  # alternated, best of two, so that a busy moment hits both
            out = Path(d, f"out{j}")
            c0 = resource.getrusage(resource.RUSAGE_CHILDREN)
            el, _, code = _child_peak(["clean", str(src), "-o", str(out), "-q", "-j", str(j)])
            c1 = resource.getrusage(resource.RUSAGE_CHILDREN)
            if el < times.get(j, float("inf")):
                times[j] = el
                cpu[j] = c1.ru_utime + c1.ru_stime - c0.ru_utime - c0.ru_stime  # the run and its workers
            outs[j] = (out / "big.jsonl").read_bytes()
        same = outs[1] == outs[jobs]
        load = os.getloadavg()[0]
        print(f"  JSONL {size / 1e6:,.0f} MB ({n:,} records), default pipeline: -j 1 {times[1]:.1f} s "
              f"({size / 1e6 / times[1]:.1f} MB/s, {cpu[1]:.1f} CPU s), -j {jobs} {times[jobs]:.1f} s "
              f"({size / 1e6 / times[jobs]:.1f} MB/s, {cpu[jobs]:.1f} CPU s): {times[1] / times[jobs]:.2f}x on "
              f"{os.cpu_count()} cores (load average {load:.1f}), same output: {same}", flush=True)


def bench_single_line(mb: int) -> None:
    paras = paragraphs()
    with tempfile.TemporaryDirectory() as d:
        src = Path(d, "one.txt")
        with open(src, "w", encoding="utf-8") as f:
            size, i = 0, 0
            while size < mb * 1_000_000:
                p = paras[i % len(paras)].replace("\n", "")  # (a few corpus paragraphs hold a newline)
                f.write(p)
                size += len(p.encode("utf-8"))
                i += 1
            f.write("\n")
        el, peak, code = _child_peak(["clean", str(src), "-o", str(Path(d, "out")), "-q"])
        assert src.read_bytes().count(b"\n") == 1
        print(f"  single line of {size / 1e6:,.0f} MB, default pipeline: {el:.0f} s, peak RSS {peak:,.0f} MB, "
              f"exit {code}", flush=True)


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--lines", type=int, default=1_000_000)
    ap.add_argument("--jsonl-mb", type=int, default=2048)
    ap.add_argument("--steps", default="normalize", help="steps for the large JSONL run (default: normalize)")
    ap.add_argument("--single-line-mb", type=int, default=50)
    ap.add_argument("--jobs-mb", type=int, default=160,
                    help="size of the JSONL file for -j 1 against -j 2 (large enough that start-up, ~0.35 s, is not the figure)")
    ap.add_argument("--only", choices=["lines", "jsonl", "single", "jobs"], action="append")
    a = ap.parse_args(argv)
    only = set(a.only or ["lines", "jsonl", "single", "jobs"])
    if "lines" in only:
        print("one document of short lines:")
        sizes = [s for s in (10_000, 100_000, a.lines) if s <= a.lines]
        bench_lines(sorted(set(sizes)))
    if "jsonl" in only:
        print("one large JSONL file (streamed record by record):")
        bench_jsonl(a.jsonl_mb, a.steps or None)
    if "single" in only:
        print("one line of text:")
        bench_single_line(a.single_line_mb)
    if "jobs" in only:
        print("one JSONL file split across workers:")
        bench_jobs(a.jobs_mb)


if __name__ == "__main__":
    main()
