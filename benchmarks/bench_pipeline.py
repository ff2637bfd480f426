"""Throughput of the default pipeline, step by step, beside ftfy.fix_text on the same documents.

Three inputs:

- corpus documents: the corpus paragraphs as documents of 8 paragraphs;
- real page dumps: the crawled pages of ``../shared/realpages`` (or ``fixtures/realpages``);
- damaged text: mojibake of every kind (tests/mojibake_sets.py) as documents of 8 paragraphs.

Each step is timed inside the pipeline (its ``Stats`` seconds: the step sees what the steps
before it produced, as in real use), and its MB/s is the input's size over that time, so the
steps' times add up to the pipeline's.  "pipeline overhead" is what the driver itself costs.

    python benchmarks/bench_pipeline.py      (prints the per-step table; make bench runs it too)
"""

from __future__ import annotations

import sys

import ftfy

from _common import ROOT, best_of, documents, matrix, paragraphs, row

import zhclean

SHARED_PAGES = ROOT.parent / "shared" / "realpages"
FIXTURE_PAGES = ROOT / "fixtures" / "realpages"


def corpus_documents() -> list[str]:
    return documents(paragraphs())


def page_dumps() -> list[str]:
    """The real page dumps, from the shared folder or the fixtures copy (empty when neither exists)."""
    for folder in (SHARED_PAGES, FIXTURE_PAGES, ROOT.parent.parent / "shared" / "realpages"):
        files = sorted(folder.glob("*.txt")) if folder.is_dir() else []
        if files:
            return [f.read_text(encoding="utf-8") for f in files]
    return []


def damaged_documents() -> list[str]:
    """Mojibake of every kind the tests know, 5 damaged sentences a paragraph, 8 paragraphs a document."""
    sys.path.insert(0, str(ROOT / "tests"))
    from mojibake_sets import cases

    bad = [d for _, d, _ in cases()]
    paras = ["".join(bad[i:i + 5]) for i in range(0, len(bad), 5)]
    return documents(paras)


def inputs() -> dict[str, list[str]]:
    out = {"corpus documents": corpus_documents(), "real page dumps": page_dumps(),
           "damaged text": damaged_documents()}
    return {k: v for k, v in out.items() if v}


def size_mb(docs: list[str]) -> float:
    return sum(len(d.encode("utf-8", "surrogatepass")) for d in docs) / 1e6


def step_speeds(pipe_options: dict | None, docs: list[str], repeat: int = 3) -> tuple[dict[str, float], float]:
    """({step: MB/s inside the pipeline, "pipeline overhead": MB/s}, whole pipeline MB/s), best of ``repeat``."""
    mb = size_mb(docs)
    best_total, best_steps = float("inf"), None
    for _ in range(repeat):
        pipe = zhclean.Pipeline(options=pipe_options)
        t = best_of(lambda: [pipe(d) for d in docs], 1)
        if t < best_total:
            best_total, best_steps = t, {s.name: s.seconds for s in pipe.stats}
    speeds = {name: mb / sec if sec else float("inf") for name, sec in best_steps.items()}
    overhead = best_total - sum(best_steps.values())
    speeds["pipeline overhead"] = mb / overhead if overhead > 0 else float("inf")
    return speeds, mb / best_total


STEP_TABLE: list[str] = []


def run() -> list[dict]:
    rows, cols = [], {}
    for label, docs in inputs().items():
        mb = size_mb(docs)
        speeds, total = step_speeds(None, docs)
        t_ftfy = best_of(lambda: [ftfy.fix_text(d) for d in docs], 3)
        rows.append(row("pipeline", f"default steps, {label}, {mb:.2f} MB", total, mb / t_ftfy, "ftfy.fix_text",
                        "MB/s", target=">=10 MB/s and >=5x"))
        if label == "corpus documents":
            # the library function as a user calls it, one document at a time: it builds its pipeline
            # on each call, so what building a pipeline costs shows here (a Pipeline object reused does not)
            t_fn = best_of(lambda: [zhclean.clean(d) for d in docs], 2)
            rows.append(row("pipeline", f"zhclean.clean(text) per document, {label}", mb / t_fn, mb / t_ftfy,
                            "ftfy.fix_text", "MB/s", target=">=10 MB/s and >=5x"))
        simp, total_simp = step_speeds({"to": "simplified"}, docs, 2)
        rows.append(row("pipeline", f'clean(to="simplified"), {label}', total_simp, mb / t_ftfy, "ftfy.fix_text",
                        "MB/s", target=">=8 MB/s"))
        speeds["convert (to=simplified)"] = simp.get("convert", float("nan"))
        speeds["ftfy.fix_text (peer)"] = mb / t_ftfy
        speeds["whole pipeline"] = total
        speeds['whole clean(to="simplified")'] = total_simp
        cols[label] = speeds
    names = list(dict.fromkeys(n for c in cols.values() for n in c))
    STEP_TABLE[:] = [matrix("per step, MB/s of input (time inside the pipeline)", names, cols)]
    return rows


def tables() -> list[str]:
    """Extra tables printed by benchmarks/run.py after the main one."""
    return STEP_TABLE


if __name__ == "__main__":
    from _common import table

    r = run()
    print(table(r))
    print()
    print("\n\n".join(tables()))
