"""MinHash signatures and corpus dedup.

1. Signatures per second on 200-character paragraphs, 128 permutations: zhclean's vectorised
   signer against datasketch used plainly (``MinHash.update`` per shingle, ``MinHash.bulk``) and
   rensa if it is installed; plus a check that zhclean's signatures are bit-identical to
   datasketch's for the same shingles and hash function.
2. End-to-end ``zhclean dedup -j 2`` over N paragraphs (default 1,000,000; set ZHCLEAN_BENCH_N),
   built by perturbing the corpora, with planted near-duplicates: wall time and peak memory.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from datasketch import MinHash

from _common import ROOT, paragraphs, row

from zhclean.dedup.minhash import shingle_hash, shingles, signatures, view


def _windows(length=200):
    out = []
    for p in paragraphs():
        for i in range(0, max(1, len(p) - length + 1), length):
            out.append(p[i:i + length])
    return out


def bench_signatures() -> list[dict]:
    units = _windows()[:3000]
    views = [view(u) for u in units]
    sh = [sorted(shingles(v, 3)) for v in views]
    t0 = time.perf_counter()
    ours = signatures(units * 10, 3, 128, 1, normalize=True)
    t_raw = (time.perf_counter() - t0) / 10
    # the peers below are handed ready-made shingle lists; zhclean is handed the views (it shingles itself)
    t0 = time.perf_counter()
    signatures(views * 10, 3, 128, 1)
    t_ours = (time.perf_counter() - t0) / 10
    sub = sh[:300]
    t0 = time.perf_counter()
    for s in sub:
        m = MinHash(num_perm=128)
        for g in s:
            m.update(g.encode("utf-8"))
    t_update = (time.perf_counter() - t0) * len(units) / len(sub)
    enc = [[g.encode("utf-8") for g in s] for s in sh]
    t0 = time.perf_counter()
    MinHash.bulk(enc, num_perm=128)
    t_bulk = time.perf_counter() - t0
    # bit-identical: datasketch with zhclean's shingle hash gives the same hash values
    identical = all(np.array_equal(MinHash(num_perm=128, hashfunc=shingle_hash).__class__.bulk([s], num_perm=128,
                                                                                             hashfunc=shingle_hash)[0].hashvalues,
                                   ours[i]) for i, s in enumerate(sh[:200]))
    rows = [
        row("minhash signatures", "raw paragraphs incl. normalised view (zhclean alone)", len(units) / t_raw, None, "",
            "paragraphs/s"),
        row("minhash signatures", f"{len(units)} x 200-char paragraphs, 128 perms", len(units) / t_ours,
            len(units) / t_bulk, "datasketch MinHash.bulk", "paragraphs/s"),
        row("minhash signatures", "same run", len(units) / t_ours, len(units) / t_update,
            "datasketch MinHash.update per shingle", "paragraphs/s"),
        row("minhash signatures", "bit-identical to datasketch (200 checked)", 1.0 if identical else 0.0, None, "", "yes=1"),
    ]
    try:
        import rensa  # noqa: F401

        t0 = time.perf_counter()
        for s in sh:
            m = rensa.RMinHash(num_perm=128, seed=1)
            m.update(s)
        t_r = time.perf_counter() - t0
        rows.append(row("minhash signatures", "same run", len(units) / t_ours, len(units) / t_r, "rensa RMinHash",
                        "paragraphs/s"))
    except ImportError:
        rows.append(row("minhash signatures", "rensa not installed", len(units) / t_ours, None, "rensa", "paragraphs/s"))
    return rows


def make_corpus(directory: Path, n: int, seed: int = 7, dup_share: float = 0.1, shards: int = 8) -> None:
    """n paragraphs of ~200 characters: corpus windows with 30% of characters replaced (so they
    are distinct), and a share of near-copies of earlier ones (0-8% edited)."""
    rng = np.random.default_rng(seed)
    base = _windows()
    base_cp = [np.frombuffer(w.encode("utf-32-le"), dtype=np.uint32) for w in base]
    alphabet = np.unique(np.concatenate(base_cp[:500]))
    alphabet = alphabet[alphabet > 0x3000]
    per = n // shards
    made = []
    for k in range(shards):
        with open(directory / f"shard{k:02d}.jsonl", "w", encoding="utf-8") as f:
            for i in range(per):
                if made and rng.random() < dup_share:
                    src = made[int(rng.integers(len(made)))]
                    rate = rng.uniform(0.0, 0.08)
                else:
                    src = base_cp[int(rng.integers(len(base_cp)))]
                    rate = 0.3
                cp = src.copy()
                hit = rng.random(len(cp)) < rate
                cp[hit] = alphabet[rng.integers(len(alphabet), size=int(hit.sum()))]
                if len(made) < 50_000:
                    made.append(cp)
                elif rng.random() < 0.05:
                    made[int(rng.integers(len(made)))] = cp
                f.write(json.dumps({"id": f"{k}-{i}", "text": cp.tobytes().decode("utf-32-le")}, ensure_ascii=False))
                f.write("\n")


def bench_end_to_end() -> list[dict]:
    n = int(os.environ.get("ZHCLEAN_BENCH_N", "1000000"))
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        (tmp / "in").mkdir()
        t0 = time.perf_counter()
        make_corpus(tmp / "in", n)
        t_make = time.perf_counter() - t0
        exe = str(Path(sys.executable).parent / "zhclean")
        t0 = time.perf_counter()
        r = subprocess.run([exe, "dedup", str(tmp / "in"), "-o", str(tmp / "out"), "-j", "2"],
                           capture_output=True, text=True)
        wall = time.perf_counter() - t0
        if r.returncode != 0:
            raise RuntimeError(r.stderr)
        peak_children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        summary = r.stderr.strip().splitlines()
        print(f"  corpus of {n} paragraphs made in {t_make:.1f} s; {' | '.join(summary)}", file=sys.stderr)
        mb = sum(p.stat().st_size for p in (tmp / "in").iterdir()) / 1e6
    return [
        row("corpus dedup", f"{n:,} paragraphs (~200 chars, {mb:.0f} MB JSONL), -j 2", wall, None, "", "seconds",
            higher_is_better=False, target="<=120"),
        row("corpus dedup", "peak memory (largest process)", peak_children, None, "", "MB", higher_is_better=False,
            target="<=4096"),
    ]


def run() -> list[dict]:
    return bench_signatures() + bench_end_to_end()
