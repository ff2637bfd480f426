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


# the command run as a child process; it also reports its own CPU time (without its workers') on stderr
_CHILD = ("import resource, sys; from zhclean.cli import main; code = main(sys.argv[1:]); "
          "r = resource.getrusage(resource.RUSAGE_SELF); "
          "sys.stderr.write(f'\\nzhclean-own-cpu {r.ru_utime + r.ru_stime:.3f}\\n'); sys.exit(code)")


def _child_run(argv) -> tuple[float, float, int, float, float]:
    """(seconds, peak RSS in MB, exit code, CPU seconds of the run and its workers, CPU seconds of
    the run's own process) of ``zhclean`` run as a child process."""
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    c0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    p = subprocess.run([sys.executable, "-c", _CHILD, *argv], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    el = time.perf_counter() - t0
    c1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    peak = c1.ru_maxrss / 1024  # KB on Linux
    err = p.stderr.decode(errors="replace")
    own = float(err.rsplit("zhclean-own-cpu ", 1)[1].split()[0]) if "zhclean-own-cpu " in err else float("nan")
    if p.returncode not in (0, 1):
        print(err[-2000:])
    return el, peak, p.returncode, c1.ru_utime + c1.ru_stime - c0.ru_utime - c0.ru_stime, own


def _child_peak(argv) -> tuple[float, float, int]:
    """(seconds, peak RSS in MB, exit code) of ``zhclean`` run as a child process."""
    return _child_run(argv)[:3]


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


def _load() -> float:
    return os.getloadavg()[0]


def bench_jobs(mb: int, jobs: int = 2, rounds: int = 2) -> None:
    """Wall time of ``clean -j 1`` and ``clean -j N`` on one JSONL file, default pipeline: the two
    alternated, ``rounds`` times, so that a busy moment of a shared machine hits both.  Each pair's
    ratio is printed with the load average (1 minute) before its -j 1 run and after its -j N run, and
    the CPU seconds of each run: all of it, and the -j N run's own process (reading, handing out
    batches, writing), which competes with its workers for the cores."""
    with tempfile.TemporaryDirectory() as d:
        src = Path(d, "big.jsonl")
        size, n = write_jsonl(src, mb)
        print(f"  JSONL {size / 1e6:,.0f} MB ({n:,} records), default pipeline, {os.cpu_count()} cores:", flush=True)
        outs, ratios, best = {}, [], {}
        for r in range(rounds):
            load0 = _load()
            run = {}
            for j in (1, jobs):
                out = Path(d, f"out{j}")
                el, _, code, cpu, own = _child_run(["clean", str(src), "-o", str(out), "-q", "-j", str(j)])
                run[j] = (el, cpu, own)
                best[j] = min(best.get(j, el), el)
                outs[j] = (out / "big.jsonl").read_bytes()
            ratios.append(run[1][0] / run[jobs][0])
            same = outs[1] == outs[jobs]
            print(f"    round {r + 1}: -j 1 {run[1][0]:.1f} s ({size / 1e6 / run[1][0]:.1f} MB/s, {run[1][1]:.1f} CPU s), "
                  f"-j {jobs} {run[jobs][0]:.1f} s ({size / 1e6 / run[jobs][0]:.1f} MB/s, {run[jobs][1]:.1f} CPU s, "
                  f"its own process {run[jobs][2]:.2f}): {ratios[-1]:.2f}x, load average {load0:.1f} before, "
                  f"{_load():.1f} after; same output: {same}", flush=True)
        print(f"  -j {jobs} against -j 1: {', '.join(f'{x:.2f}x' for x in ratios)} by round; best times "
              f"{best[1]:.1f} s and {best[jobs]:.1f} s: {best[1] / best[jobs]:.2f}x", flush=True)


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
                    help="size of the JSONL file for -j 1 against -j 2 (large enough that start-up, ~0.8 s before the "
                         "workers start, is not the whole figure)")
    ap.add_argument("--jobs-rounds", type=int, default=2, help="pairs of -j 1 and -j 2 runs, alternated (default 2)")
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
        bench_jobs(a.jobs_mb, rounds=a.jobs_rounds)


if __name__ == "__main__":
    main()
