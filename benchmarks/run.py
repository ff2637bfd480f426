"""Run every benchmarks/bench_*.py (each defines run() -> rows) and print one table.

    .venv/bin/python benchmarks/run.py [name-filter]

Figures are from this run only; ratios compare zhclean with the peer a user would otherwise pick,
measured in the same process on the same input.  Results are also written to
benchmarks/results/latest.json.
"""

from __future__ import annotations

import importlib
import json
import platform
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from _common import table  # noqa: E402


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    pattern = argv[0] if argv else ""
    rows, failed, extra = [], [], []
    for script in sorted(HERE.glob("bench_*.py")):
        if pattern not in script.stem:
            continue
        t0 = time.perf_counter()
        print(f"running {script.name} ...", file=sys.stderr, flush=True)
        try:
            mod = importlib.import_module(script.stem)
            rows += mod.run()
            extra += getattr(mod, "tables", list)()  # a module's own tables (bench_pipeline: per step)
        except Exception as e:  # a broken benchmark is reported, not hidden
            failed.append(f"{script.name}: {type(e).__name__}: {e}")
        print(f"  {script.name} took {time.perf_counter() - t0:.1f} s", file=sys.stderr, flush=True)
    print(f"zhclean benchmarks on {platform.python_implementation()} {platform.python_version()}, "
          f"{platform.machine()}")
    print(table(rows))
    for t in extra:
        print()
        print(t)
    out = HERE / "results"
    out.mkdir(exist_ok=True)
    (out / "latest.json").write_text(json.dumps(rows, indent=1, ensure_ascii=False), encoding="utf-8")
    for f in failed:
        print("FAILED", f)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
