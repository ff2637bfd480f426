"""Run every property of tests/test_properties.py for a large budget and count failures by property.

    python tools/fuzz.py                      # 100,000 examples in all, over 2 processes
    python tools/fuzz.py -n 5000 -j 1 -k cli  # a quick look at the CLI properties

Unlike pytest, which stops a property at its first failure and shrinks it, each property here runs
its whole share of the budget (shared by weight: the CLI properties are slower) and counts every
failing example; the smallest failing inputs seen are printed under the table.  Each process draws
with its own seed, so two processes explore different examples.  Exit 1 if anything failed.
"""

from __future__ import annotations

import argparse
import sys
import time
import traceback
import zlib
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "src"), str(ROOT / "tests")]


def _load():
    import importlib.util

    spec = importlib.util.spec_from_file_location("zhclean_properties", ROOT / "tests" / "test_properties.py")
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod
    spec.loader.exec_module(mod)
    return mod.PROPERTIES


def _budget(props, total: int) -> dict[str, int]:
    w = sum(p.weight for p in props.values())
    return {name: max(1, round(total * p.weight / w)) for name, p in props.items()}


def _counting(check, rec: dict):
    """``check`` as a test body that counts failing examples instead of stopping at the first."""

    def body(x):
        rec["examples"] += 1
        try:
            check(x)
        except Exception as e:  # a failing example: count it, keep the smallest few, go on
            rec["failures"] += 1
            msg = (str(e).splitlines() or [""])[0][:100]
            if not msg:  # a bare assert: name the line that failed
                msg = (traceback.extract_tb(e.__traceback__)[-1].line or "")[:100]
            kind = type(e).__name__ + ": " + msg
            rec["kinds"][kind] = rec["kinds"].get(kind, 0) + 1
            r = repr(x)
            rec["samples"] = sorted(set(rec["samples"]) | {(len(r), r[:300], kind)})[:3]

    return body


def run_share(args) -> dict[str, dict]:
    """Run each named property for its number of examples in this process; return the counts."""
    shares, seed = args
    from hypothesis import HealthCheck, Phase, given
    from hypothesis import seed as hseed
    from hypothesis import settings

    props = _load()
    out = {}
    for name, n in shares.items():
        p = props[name]
        rec = {"examples": 0, "failures": 0, "seconds": 0.0, "samples": [], "kinds": {}}

        body = _counting(p.check, rec)
        test = settings(max_examples=n, deadline=None, database=None, derandomize=False,
                        phases=[Phase.generate], suppress_health_check=list(HealthCheck))(given(p.strategy)(body))
        test = hseed(seed * 1_000_003 + zlib.crc32(name.encode()) % 1000)(test)
        t0 = time.perf_counter()
        try:
            test()
        except Exception:  # the runner itself failed (a strategy that cannot draw, say)
            rec["failures"] += 1
            rec["kinds"]["runner error: " + traceback.format_exc(limit=4)] = 1
        rec["seconds"] = time.perf_counter() - t0
        out[name] = rec
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-n", "--examples", type=int, default=100_000, help="examples in all (default 100000)")
    ap.add_argument("-j", "--jobs", type=int, default=2, help="processes (default 2)")
    ap.add_argument("-k", metavar="TEXT", help="only properties whose name contains TEXT")
    ap.add_argument("--seed", type=int, default=int(time.time()), help="base seed (default: the time)")
    args = ap.parse_args(argv)
    props = _load()
    if args.k:
        props = {n: p for n, p in props.items() if args.k in n}
    budget = _budget(props, args.examples)
    jobs = max(1, args.jobs)
    # each process runs every property for its part of the examples, with its own seed
    parts = [{n: b // jobs + (1 if i < b % jobs else 0) for n, b in budget.items()} for i in range(jobs)]
    parts = [({n: k for n, k in part.items() if k}, args.seed + i) for i, part in enumerate(parts)]
    t0 = time.perf_counter()
    if jobs == 1:
        results = [run_share(parts[0])]
    else:
        with ProcessPoolExecutor(max_workers=jobs) as ex:
            results = list(ex.map(run_share, parts))
    wall = time.perf_counter() - t0
    total = {n: {"examples": 0, "failures": 0, "seconds": 0.0, "samples": [], "kinds": {}} for n in budget}
    for res in results:
        for n, r in res.items():
            t = total[n]
            t["examples"] += r["examples"]
            t["failures"] += r["failures"]
            t["seconds"] += r["seconds"]
            t["samples"] = sorted(set(t["samples"] + r["samples"]))[:3]
            for k, v in r["kinds"].items():
                t["kinds"][k] = t["kinds"].get(k, 0) + v
    width = max(len(n) for n in total)
    print(f"{'property':<{width}}  {'examples':>8}  {'failures':>8}  {'cpu s':>7}  note")
    print(f"{'-' * width}  {'-' * 8}  {'-' * 8}  {'-' * 7}  ----")
    for n, t in total.items():
        note = f"xfail in CI: {props[n].xfail[:60]}" if props[n].xfail else ""
        print(f"{n:<{width}}  {t['examples']:>8}  {t['failures']:>8}  {t['seconds']:>7.1f}  {note}")
    ex = sum(t["examples"] for t in total.values())
    bad = sum(t["failures"] for t in total.values())
    print(f"{'total':<{width}}  {ex:>8}  {bad:>8}  {sum(t['seconds'] for t in total.values()):>7.1f}  "
          f"wall {wall:.1f} s on {jobs} process(es), seed {args.seed}")
    for n, t in total.items():
        if not t["failures"]:
            continue
        print(f"\n{n}: {t['failures']} failure(s)")
        for k, v in sorted(t["kinds"].items(), key=lambda kv: -kv[1])[:5]:
            print(f"  {v:>6} x {k}")
        for _, r, kind in t["samples"]:
            print(f"  e.g. {r}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
