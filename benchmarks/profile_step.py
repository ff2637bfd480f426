"""Where one step's time goes: cProfile's top entries for a step of the default pipeline.

    python benchmarks/profile_step.py STEP [--input corpus|pages|damaged|lines] [--to simplified] [--top 25]

STEP is a step name (``normalize``, ``dedup_paragraphs``, ``convert`` with ``--to``, ...) or
``pipeline`` for the whole chain.  The step is given what the steps before it produce, as in
real use; only the step itself runs under the profiler.  ``--input lines`` is one document of
``--lines`` short lines (issue 14's scaling case).
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import zhclean  # noqa: E402
from zhclean.pipeline import run_step  # noqa: E402


def load(which: str, lines: int) -> list[str]:
    import bench_pipeline as bp

    if which == "lines":
        from scale import short_lines

        return [short_lines(lines)]
    docs = {"corpus": bp.corpus_documents, "pages": bp.page_dumps, "damaged": bp.damaged_documents}[which]()
    if not docs:
        sys.exit(f"no {which} input found (looked for {bp.SHARED_PAGES} and {bp.FIXTURE_PAGES})")
    return docs


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("step")
    ap.add_argument("--input", choices=["corpus", "pages", "damaged", "lines"], default="corpus")
    ap.add_argument("--lines", type=int, default=100_000, help="lines of the --input lines document")
    ap.add_argument("--to", default="", help="conversion target (adds the convert step)")
    ap.add_argument("--top", type=int, default=25)
    ap.add_argument("--sort", default="tottime", choices=["tottime", "cumulative", "ncalls"])
    ap.add_argument("--cold", action="store_true",
                    help="profile the first run (imports, tables built on first use); by default a first run warms up")
    a = ap.parse_args(argv)
    docs = load(a.input, a.lines)
    mb = sum(len(d.encode("utf-8", "surrogatepass")) for d in docs) / 1e6

    def make_work():
        """The work on a new pipeline: steps that remember what they looked at start empty."""
        pipe = zhclean.Pipeline(options={"to": a.to} if a.to else None)
        if a.step == "pipeline":
            return lambda: [pipe(d) for d in docs]
        if a.step not in pipe.names:
            sys.exit(f'"{a.step}" is not a step of this pipeline: {", ".join(pipe.names)}')
        k = pipe.names.index(a.step)
        before = zhclean.Pipeline(pipe.steps[:k]) if k else None
        inputs = [before(d) for d in docs] if before else docs
        f = pipe.steps[k]
        return lambda: [run_step(f, d) for d in inputs]

    if not a.cold:
        make_work()()
    work = make_work()
    prof = cProfile.Profile()
    prof.enable()
    work()
    prof.disable()
    st = pstats.Stats(prof)
    total = st.total_tt
    print(f"{a.step} on {a.input} ({len(docs)} documents, {mb:.2f} MB): {total:.2f} s under the profiler, "
          f"{mb / total:.1f} MB/s (the profiler slows Python-level code; see make bench for real speeds)")
    st.sort_stats(a.sort).print_stats(a.top)
    return 0


if __name__ == "__main__":
    sys.exit(main())
