"""strip_boilerplate: line-level precision and recall on the labelled set, beside a C4-style
terminal-punctuation line filter; and throughput on the corpora."""

from __future__ import annotations

import re
import sys

from _common import ROOT, best_of, documents, paragraphs, row

sys.path.insert(0, str(ROOT / "tests"))

from boilerplate_sets import labelled_documents  # noqa: E402
from test_boilerplate import line_scores, seed_docs, zh_kept  # noqa: E402

from zhclean.filters.boilerplate import RejoinParagraphs, StripBoilerplate  # noqa: E402

_TERMINAL = re.compile(r"[。！？!?.”\"」』…]\s*$")


def c4_kept(lines):
    """C4's rule, for Chinese: keep a line only if it ends in terminal punctuation."""
    return {i for i, l in enumerate(lines) if _TERMINAL.search(l)}


def run() -> list[dict]:
    docs = labelled_documents() + seed_docs()
    n_lines = sum(len(d) for d in docs)
    p_ours, r_ours = line_scores(docs, zh_kept)
    p_c4, r_c4 = line_scores(docs, c4_kept)
    rows = [
        row("boilerplate lines", f"precision, {len(docs)} docs / {n_lines} lines", p_ours, p_c4, "C4-style line filter",
            "share", target=">=0.99"),
        row("boilerplate lines", "recall", r_ours, r_c4, "C4-style line filter", "share", target=">=0.95"),
    ]
    text = "".join(documents(paragraphs(), 8)) * 2
    mb = len(text.encode("utf-8")) / 1e6
    f, j = StripBoilerplate(), RejoinParagraphs()
    docs_text = text.split("\n\n\n")
    t_ours = best_of(lambda: [g(d) for g in [StripBoilerplate()] for d in docs_text], 3)
    t_rejoin = best_of(lambda: [j(d) for d in docs_text], 3)
    t_c4 = best_of(lambda: ["\n".join(l for l in d.split("\n") if _TERMINAL.search(l)) for d in docs_text], 3)
    rows.append(row("boilerplate speed", f"strip_boilerplate, corpora {mb:.1f} MB", mb / t_ours, mb / t_c4,
                    "C4-style line filter", "MB/s", target=">=20"))
    rows.append(row("boilerplate speed", "rejoin_paragraphs", mb / t_rejoin, None, "", "MB/s"))
    # real page dumps, labelled by hand: line precision and recall on each half of each set, beside C4
    import realpages as rp

    f = StripBoilerplate()
    for root in (rp.REALPAGES, rp.REALPAGES2, rp.REALPAGES3, rp.REALPAGES4, rp.REALPAGES5, rp.REALPAGES6,
                 rp.REALPAGES7):
        labelled = rp.pages(root)
        sites = sorted({site for site, _ in labelled.values()})
        ours, c4 = {}, {}
        for name, (site, labels) in labelled.items():
            t = rp.text(name, root)
            ours[name] = rp.removed_lines(lambda x: f.apply(x, explain=True), t)
            c4[name] = {i for i, ln in enumerate(t.split("\n")) if i < len(labels) and not rp.c4_keep(ln)}
        for half, which in (("dev", sites[0::2]), ("test", sites[1::2])):
            a, b = rp.score(ours, which, root), rp.score(c4, which, root)
            case = f"{root.name} {half} half ({len(which)} sites)"
            rows.append(row("real pages", f"{case}, precision", a["precision"], b["precision"], "C4-style line filter",
                            "share", target=">=0.99"))
            rows.append(row("real pages", f"{case}, recall", a["recall"], b["recall"], "C4-style line filter",
                            "share", target=">=0.97"))
    # speed on real page dumps (fixtures/realpages): the case the target is set on
    pages = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "fixtures" / "realpages").glob("*.txt"))]
    pages2 = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "fixtures" / "realpages2").glob("*.txt"))]
    pages3 = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "fixtures" / "realpages3").glob("*.txt"))]
    pages456 = [p.read_text(encoding="utf-8") for k in (4, 5, 6)
               for p in sorted((ROOT / "fixtures" / f"realpages{k}").glob("*.txt"))]
    pages7 = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "fixtures" / "realpages7").glob("*.txt"))]
    for label, sel in (("all pages", pages), ("without the 423k-char SEO line", [d for d in pages if len(d) < 100_000]),
                       ("second set (realpages2)", pages2), ("third set (realpages3)", pages3),
                       ("fourth to sixth sets (not only news)", pages456),
                       ("seventh set (realpages7, mostly Hong Kong news)", pages7)):
        mb = sum(len(d.encode("utf-8")) for d in sel) / 1e6
        # a new instance for each timed pass: one instance remembers the lines it has judged, and a
        # second pass over the same pages would time the memo (one pass over a corpus shares it, as here)
        t_ours = best_of(lambda: [g(d) for g in [StripBoilerplate()] for d in sel], 3)
        t_c4 = best_of(lambda: ["\n".join(l for l in d.split("\n") if _TERMINAL.search(l)) for d in sel], 3)
        rows.append(row("boilerplate speed", f"strip_boilerplate, real pages, {label}, {mb:.2f} MB", mb / t_ours,
                        mb / t_c4, "C4-style line filter", "MB/s", target=">=20"))
    return rows
