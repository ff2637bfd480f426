"""Memory that grows with the batch or the block, not with the input (issue 14)."""

import json
import os
import tracemalloc

import numpy as np

from zhclean.cli import main
from zhclean.dedup import minhash
from zhclean.engines import local
from zhclean.io.formats import iter_chunks, iter_lines

TEXT = "".join(chr(0x4E00 + (i * 7919) % 20000) for i in range(400_000))


def test_a_long_view_is_signed_in_windows_with_the_same_signature():
    views = [TEXT, TEXT[:8195], TEXT[:8196], TEXT[:20_000], "短", ""]
    for n in (1, 3, 5):
        whole = minhash.signatures(views, n, block=1_000_000)  # every view signed in one piece
        assert np.array_equal(minhash.signatures(views, n), whole)


def test_signing_a_long_view_does_not_take_memory_per_character_and_permutation():
    tracemalloc.start()
    try:
        minhash.signatures([TEXT], 3, 128)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 40e6  # one (128 x len) array would be 205 MB


def test_jsonl_batches_are_bounded(tmp_path, monkeypatch):
    monkeypatch.setattr(local, "BATCH_BYTES", 10_000)
    f = tmp_path / "big.jsonl"
    line = b'{"text": "' + "字".encode() * 300 + b'"}'
    f.write_bytes(b"\n".join([line] * 2000) + b"\n")
    sizes = [sum(len(x) + 1 for x in lines) for _, lines, _ in local._batches(f)]
    assert sum(sizes) == f.stat().st_size
    assert max(sizes) < 10_000 + len(line) + 1
    assert len(list(iter_lines(iter_chunks(f)))) == 2001


def _report(tmp_path, name, argv):
    rep = tmp_path / name
    code = main(argv + ["--report", str(rep), "-q"])
    return code, [json.loads(x) for x in rep.read_text(encoding="utf-8").splitlines()]


def test_report_rows_of_a_big_jsonl_file_are_not_held_in_memory(tmp_path, monkeypatch):
    """With --report, a JSONL file's rows go to a temporary file batch by batch, and the report
    is the same as when the rows are held (a file cleaned by a worker of -j 2)."""
    monkeypatch.setattr(local, "BATCH_BYTES", 500)
    monkeypatch.setattr(local, "SPLIT_MIN_BYTES", 1 << 40)  # -j 2: each file whole in a worker
    d = tmp_path / "in"
    d.mkdir()
    (d / "a.jsonl").write_text("".join('{"id": %d, "text": "第%d段\\u200b内容\\ud800。"}\n' % (i, i)
                                       for i in range(300)) + "{bad}\n", encoding="utf-8")
    (d / "b.txt").write_text("第一段\u200b内容。\n", encoding="utf-8")
    held = []
    real = local.FileResult.drop_rows

    def spy(self):
        held.append((self.path, len(self.rows), self.rows_file))
        real(self)

    monkeypatch.setattr(local.FileResult, "drop_rows", spy)
    code1, rows1 = _report(tmp_path, "r1.jsonl", ["clean", str(d), "-o", str(tmp_path / "o1"), "--on-error", "skip"])
    code2, rows2 = _report(tmp_path, "r2.jsonl", ["clean", str(d), "-o", str(tmp_path / "o2"), "--on-error", "skip",
                                                  "-j", "2"])
    assert code1 == code2 == 2
    assert rows1 == rows2 and len(rows1) == 302
    assert any(r["rule"] == "malformed_record" and r["record"] == 301 for r in rows1)
    spooled = [(n, f) for p, n, f in held if p.endswith("a.jsonl") and f]
    assert spooled and all(n == 0 for n, _ in spooled)  # one process: none held, all in the file
    assert not any(os.path.exists(f) for _, f in spooled)  # and the file is gone


def test_spooled_rows_of_a_file_that_failed_are_not_reported(tmp_path, monkeypatch):
    monkeypatch.setattr(local, "BATCH_BYTES", 200)
    f = tmp_path / "a.jsonl"
    f.write_text("".join('{"text": "第%d段\\u200b。"}\n' % i for i in range(100)) + "{bad}\n", encoding="utf-8")
    code, rows = _report(tmp_path, "r.jsonl", ["clean", str(f), "-o", str(tmp_path / "o")])
    assert code == 2
    assert [r["rule"] for r in rows] == ["unreadable"] and ":101:" in rows[0]["reason"]


def test_dedup_holds_one_long_lines_shingles_at_a_time():
    """A document of a few huge distinct lines: dedup_paragraphs does not hold every line's
    shingle set at once (74 MB before, 48 MB after on these 240,000 characters)."""
    import random

    from zhclean.filters.dedup import DedupParagraphs

    rng = random.Random(5)
    text = "\n".join("".join(chr(0x4E00 + rng.randrange(20000)) for _ in range(20000)) for _ in range(12)) + "\n"
    tracemalloc.start()
    try:
        out = DedupParagraphs().apply(text)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert out.text == text
    assert peak < 60e6


def test_corpus_dedup_verification_cache_is_bounded_by_shingles(monkeypatch):
    """link() keeps shingle sets for verifying candidate pairs up to CACHE_SHINGLES shingles, not 5,000
    sets: at document level a set holds thousands (3,000 documents of 8,000 characters took 3.6 GB
    before, 0.58 GB after, same output). The pairs and similarities do not depend on the bound."""
    import random

    import zhclean.dedup.corpus as corpus

    rng = random.Random(9)
    han = [chr(c) for c in range(0x4E00, 0x4E00 + 3000)]
    bases = ["".join(rng.choice(han) for _ in range(4000)) for _ in range(20)]
    docs = []
    for i in range(200):  # ten near copies of each base: none is an exact copy
        d = list(bases[i % 20])
        for _ in range(40):
            d[rng.randrange(len(d))] = rng.choice(han)
        docs.append("".join(d))
    s = corpus.CorpusSettings(level="document")
    sigs, blob, _ = corpus._sign_job((docs, s))
    views = blob.decode("utf-8").split("\u0000")

    def run(bound):
        monkeypatch.setattr(corpus, "CACHE_SHINGLES", bound)
        tracemalloc.start()
        try:
            pairs, sims = corpus.link(sigs, s, view_of=views.__getitem__)
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
        return pairs.tolist(), sims.tolist(), peak

    p_big, s_big, peak_big = run(10**9)
    p_small, s_small, peak_small = run(20_000)
    assert len(p_big) > 500 and (p_small, s_small) == (p_big, s_big)
    assert peak_big > 40e6 and peak_small < 12e6, (peak_big, peak_small)


def test_corpus_dedup_signs_in_batches_bounded_by_characters(tmp_path, monkeypatch):
    """At document level a unit is a whole document, so a batch of 20,000 units could hold gigabytes:
    a batch is also cut at BATCH_CHARS characters (3,000 documents of 8,000 characters: peak RSS
    583 -> 318 MB, same output). The output does not depend on where batches are cut."""
    import json
    import random

    import zhclean.dedup.cli as dc
    from zhclean.cli import main

    rng = random.Random(4)
    han = [chr(c) for c in range(0x4E00, 0x4E00 + 3000)]
    docs = ["".join(rng.choice(han) for _ in range(2000)) for _ in range(30)]
    docs += [d[:1990] + "补充的一句话。" for d in docs[:10]]
    src = tmp_path / "a.jsonl"
    src.write_text("".join(json.dumps({"id": i, "text": d}, ensure_ascii=False) + "\n" for i, d in enumerate(docs)),
                   encoding="utf-8")
    sizes = []
    real = dc._sign_job
    monkeypatch.setattr(dc, "_sign_job", lambda job: sizes.append(sum(map(len, job[0]))) or real(job))
    outs = []
    for bound in (10**9, 9_000):
        sizes.clear()
        monkeypatch.setattr(dc, "BATCH_CHARS", bound)
        assert main(["dedup", str(src), "-o", str(tmp_path / f"o{bound}"), "--level", "document", "-q"]) == 0
        outs.append((tmp_path / f"o{bound}" / "a.jsonl").read_bytes())
        batches = list(sizes)
    assert outs[0] == outs[1] and outs[0].count(b"\n") == 30
    assert len(batches) >= 8 and max(batches) < 9_000 + 2_000
