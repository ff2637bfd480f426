"""decode beside charset-normalizer on the same bytes, in the same run.

- speed on GBK and Big5 documents (8 corpus paragraphs each) and on 60-character records (MB/s and
  records/s; zhclean/peer ratio);
- accuracy (exact text) by encoding and length (12, 30, 80, 400 characters), on the same samples
  for both tools;
- the one-byte-lost set (tests/decode_sets.py, dev and test halves): lines within 2 characters of
  the original.
"""

from __future__ import annotations

import random
import sys
import time

import charset_normalizer

from _common import ROOT, documents, paragraphs, row

sys.path.insert(0, str(ROOT / "tests"))

from decode_sets import lost_byte_cases, near  # noqa: E402

from zhclean import decode  # noqa: E402


def _cn(b: bytes) -> str | None:
    best = charset_normalizer.from_bytes(b).best()
    return None if best is None else str(best)


def _best_times(items, repeat: int = 3) -> tuple[float, float]:
    """Best wall time of decode and of charset-normalizer over all ``items``, the two timed in
    turn ``repeat`` times so that a change in machine load hits both."""
    ours = peer = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        for x in items:
            decode(x)
        t1 = time.perf_counter()
        for x in items:
            _cn(x)
        t2 = time.perf_counter()
        ours, peer = min(ours, t1 - t0), min(peer, t2 - t1)
    return ours, peer


def speed_rows() -> list[dict]:
    rows = []
    simp, trad = paragraphs("simplified"), paragraphs("traditional")
    rng = random.Random(7)
    sets = []
    for enc, pool in (("gbk", simp), ("big5", trad)):
        docs = [d.encode(enc, errors="ignore") for d in documents(pool)]
        recs = []
        for p in rng.sample(pool, 600):
            if len(p) >= 60:
                i = rng.randrange(0, len(p) - 59)
                recs.append(p[i:i + 60].encode(enc, errors="ignore"))
        sets.append((enc, "documents", docs))
        sets.append((enc, "60-char records", recs))
    decode(sets[0][2][0])  # load the character model outside the timing
    for enc, kind, items in sets:
        t_z, t_c = _best_times(items)
        mb = sum(map(len, items)) / 1e6
        mb_z, mb_c, n_z, n_c = mb / t_z, mb / t_c, len(items), len(items)
        rows.append(row("decode speed", f"{enc.upper()} {kind} ({len(items)})", mb_z, mb_c, "charset-normalizer",
                        "MB/s", target=">=1.0x"))
        rows.append(row("decode speed", f"{enc.upper()} {kind} ({len(items)})", n_z / t_z, n_c / t_c,
                        "charset-normalizer", "items/s", target=">=1.0x"))
    return rows


def accuracy_rows() -> list[dict]:
    rows = []
    rng = random.Random(1)
    simp, trad = paragraphs("simplified"), paragraphs("traditional")
    for enc, pool in (("gb18030", simp), ("gbk", simp), ("big5", trad), ("utf-8", simp + trad),
                      ("utf-16-le", simp + trad), ("utf-16-be", simp + trad)):
        for L in (12, 30, 80, 400):
            ok = ok_cn = n = 0
            for _ in range(200):
                p = rng.choice(pool)
                if len(p) < L:
                    continue
                i = rng.randrange(0, len(p) - L + 1)
                t = p[i:i + L]
                try:
                    b = t.encode(enc)
                except UnicodeEncodeError:
                    continue
                n += 1
                try:
                    ok += decode(b) == t
                except Exception:
                    pass
                ok_cn += _cn(b) == t
            if n:
                rows.append(row("decode accuracy", f"{enc}, {L} chars ({n} samples)", 100 * ok / n, 100 * ok_cn / n,
                                "charset-normalizer", "% exact", target=">=99%"))
    return rows


def lost_byte_rows() -> list[dict]:
    rows = []
    for half in ("dev", "test"):
        cs = lost_byte_cases(half)
        ok = sum(near(decode(b), t) for b, t in cs)
        ok_cn = sum(near(_cn(b) or "", t) for b, t in cs)
        one = sum(near(decode(b), t, chars=1) for b, t in cs)  # only the lost character marked
        rows.append(row("decode, one GBK byte lost", f"{half}: {len(cs)} lines, within 2 chars", 100 * ok / len(cs),
                        100 * ok_cn / len(cs), "charset-normalizer", "%"))
        rows.append(row("decode, one GBK byte lost", f"{half}: within 1 char (the lost one)", 100 * one / len(cs), None,
                        "", "%"))
    return rows


def run() -> list[dict]:
    return speed_rows() + accuracy_rows() + lost_byte_rows()
