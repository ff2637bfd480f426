"""Script conversion: speed on >= 1 MB and correctness on OpenCC's testcases.json,
zhclean beside opencc-python-reimplemented (the `opencc` module it installs) in the same run.
C++ OpenCC's published 26-35M chars/s is quoted for scale, not measured here."""

from __future__ import annotations

from _common import best_of, paragraphs, row

from zhclean.filters.script import convert
from zhclean.opencc_engine import converter, testcases

CPP_OPENCC = {"t2s": 35e6, "s2t": 26e6}


def run() -> list[dict]:
    try:
        import opencc  # opencc-python-reimplemented: the `bench` extra
    except ImportError:
        print("bench_convert: skipped: pip install -e '.[bench]' for the opencc-python-reimplemented peer")
        return []

    rows = []
    simp = "\n".join(paragraphs("simplified"))
    trad = "\n".join(paragraphs("traditional"))
    while len(simp) < 1_000_000:
        simp += "\n" + simp
    while len(trad) < 1_000_000:
        trad += "\n" + trad
    for cfg, text in (("t2s", trad), ("s2t", simp), ("s2twp", simp)):
        conv = converter(cfg)
        conv(text[:1000])  # build tables outside the timing
        peer = opencc.OpenCC(cfg)
        t_ours = best_of(lambda: conv(text), 3)
        sample = text[:200_000]
        t_peer = best_of(lambda: peer.convert(sample), 1) * len(text) / len(sample)
        ours, theirs = len(text) / t_ours / 1e6, len(text) / t_peer / 1e6
        note = ""
        if cfg in CPP_OPENCC:
            note = f">=3 and >=4x peer; C++ OpenCC ~{CPP_OPENCC[cfg] / 1e6:.0f}M = {CPP_OPENCC[cfg] / 1e6 / ours:.1f}x ours"
        rows.append(row("convert speed", f"{cfg}, {len(text) / 1e6:.1f}M chars", ours, theirs,
                        "opencc-python-reimplemented", "M chars/s", target=note))
    cases = testcases()
    per: dict[str, list[int]] = {}
    for c in cases:
        for cfg, exp in c["expected"].items():
            r = per.setdefault(cfg, [0, 0, 0])
            r[2] += 1
            r[0] += convert(c["input"], cfg) == exp
            try:
                r[1] += opencc.OpenCC(cfg).convert(c["input"]) == exp
            except Exception:  # config missing in the reimplementation
                pass
    total = [sum(v[i] for v in per.values()) for i in range(3)]
    for cfg, (ours, theirs, n) in sorted(per.items()) + [("all", total)]:
        rows.append(row("convert testcases.json", f"{cfg} ({n} pairs)", 100 * ours / n, 100 * theirs / n,
                        "opencc-python-reimplemented", "% pass", target=">=99%"))
    return rows
