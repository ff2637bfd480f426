"""Run the standing fuzzer (tests/fuzz_props.py) at scale and count failures by property.

    python tools/fuzz.py [--examples 100000] [--jobs 2] [--seed 0]

The examples are shared among the properties by their weights (the CLI properties run the
command on temporary files, so they get a smaller share).  Each property runs in chunks of
examples with their own seeds, spread over worker processes; a failing example is counted
and kept (not shrunk), so the count is the number of failing examples, not of runs.
Exit 1 if any property failed.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import zlib
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "tests"), str(ROOT / "src")]

CHUNK = 2000


def _run_chunk(args):
    name, n, seed = args
    from hypothesis import HealthCheck, Phase, given, settings
    from hypothesis import seed as hseed
    from hypothesis import strategies as st

    import fuzz_props

    fn, strategies = fuzz_props.PROPERTIES[name]
    failures = []

    def recording(args):
        try:
            fn(*args)
        except Exception as e:  # count it, keep the first few, go on
            failures.append(f"{type(e).__name__}: {str(e)[:300]} <- {args!r}"[:600])

    run = settings(max_examples=n, deadline=None, database=None, phases=[Phase.generate],
                   suppress_health_check=list(HealthCheck))(given(st.tuples(*strategies))(recording))
    run = hseed(seed)(run)
    run()
    return name, n, len(failures), failures[:3]


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--examples", type=int, default=100_000)
    p.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    p.add_argument("--seed", type=int, default=0)
    a = p.parse_args(argv)
    import fuzz_props

    weights = {k: fuzz_props.WEIGHTS.get(k, 1.0) for k in fuzz_props.PROPERTIES}
    total_w = sum(weights.values())
    tasks = []
    for k, w in sorted(weights.items()):
        n = round(a.examples * w / total_w)
        i = 0
        while n > 0:
            m = min(CHUNK, n)
            tasks.append((k, m, a.seed * 1_000_003 + zlib.crc32(k.encode()) % 100_000 * 1000 + i))
            n -= m
            i += 1
    t0 = time.perf_counter()
    counts = {k: [0, 0, []] for k in weights}
    with ProcessPoolExecutor(max_workers=max(1, a.jobs)) as ex:
        for name, n, bad, examples in ex.map(_run_chunk, tasks):
            c = counts[name]
            c[0] += n
            c[1] += bad
            c[2].extend(examples)
    el = time.perf_counter() - t0
    print(f"{'property':<26}{'examples':>10}{'failures':>10}")
    for k, (n, bad, _) in counts.items():
        print(f"{k:<26}{n:>10}{bad:>10}")
    ran = sum(c[0] for c in counts.values())
    failed = sum(c[1] for c in counts.values())
    print(f"{'total':<26}{ran:>10}{failed:>10}   ({el:.0f} s, {a.jobs} process(es))")
    for k, (_, _, ex_) in counts.items():
        for e in ex_[:3]:
            print(f"  {k}: {e}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
