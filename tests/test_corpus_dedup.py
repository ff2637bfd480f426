"""Corpus-wide dedup: against brute force, through the CLI, and as a pipeline step."""

import json

import numpy as np
import pytest

from corpus_sets import planted_corpus, true_pairs
from zhclean import Pipeline
from zhclean.cli import main
from zhclean.dedup.corpus import CorpusSettings, _sign_job, clusters, dedup_texts, link


@pytest.mark.slow
def test_20k_paragraphs_against_brute_force():
    units = planted_corpus(20_000)
    s = CorpusSettings()
    truth = set(true_pairs(units, s.threshold, s.shingle))
    assert len(truth) > 1000
    sigs, blob, _ = _sign_job((units, s))
    views = blob.decode("utf-8").split("\u0000")
    pairs, sims = link(sigs, s, view_of=views.__getitem__)
    predicted = {tuple(p) for p in pairs.tolist()}
    precision = len(predicted & truth) / len(predicted)
    labels, _ = clusters(len(units), pairs, None, "first")
    recall = sum(labels[a] == labels[b] for a, b in truth) / len(truth)
    assert precision >= 0.99, precision
    assert recall >= 0.95, recall


def test_keep_first_and_longest():
    a = "这是一个用来测试语料去重的段落，内容足够长，能够产生许多字符三元组。"
    units = [a, "完全不同的一段文字，与其他段落毫无关系，只是占位而已。", a + "多"]
    keep, keeper, _ = dedup_texts(units)
    assert keep.tolist() == [True, True, False] and keeper[2] == 0
    keep, keeper, _ = dedup_texts(units, CorpusSettings(keep="longest"))
    assert keep.tolist() == [False, True, True] and keeper[0] == 2


def _write(path, recs):
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in recs), encoding="utf-8")


P = ["江门正深入推进港澳融合工程，全面参与粤港澳大湾区建设，推动江门上下在新一轮发展中奋勇争先。",
     "今年是黄茅海跨海通道建设的冲刺之年，项目将迎来大桥主塔封顶、钢箱梁架设等一系列挑战。",
     "曹坤表示，在接下来的工作中，他们将团结奋斗、不懈努力，把图纸上的长龙变为现实。"]


def test_cli_dedups_across_files_and_records(tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    _write(d / "a.jsonl", [{"id": 1, "text": P[0] + "\n" + P[1]}, {"id": 2, "text": P[2]}])
    _write(d / "b.jsonl", [{"id": 3, "text": P[1].replace("，", ",") + "\n新的内容，与前面的都不一样，足够长的一句话。"},
                           {"id": 4, "text": P[2]}])
    (d / "c.txt").write_text(P[0] + "\n独立的文本文件里的新段落，没有重复。\n", encoding="utf-8")
    out, rep, cl = tmp_path / "out", tmp_path / "r.jsonl", tmp_path / "c.jsonl"
    assert main(["dedup", str(d), "-o", str(out), "--report", str(rep), "--clusters", str(cl), "-q"]) == 0
    a = [json.loads(x) for x in (out / "a.jsonl").read_text(encoding="utf-8").splitlines()]
    b = [json.loads(x) for x in (out / "b.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in a] == [1, 2] and a[0]["text"] == P[0] + "\n" + P[1]
    assert [r["id"] for r in b] == [3]  # record 4 was only a duplicate: dropped, and reported
    assert b[0]["text"] == "新的内容，与前面的都不一样，足够长的一句话。"
    assert (out / "c.txt").read_text(encoding="utf-8") == "独立的文本文件里的新段落，没有重复。\n"
    rows = [json.loads(x) for x in rep.read_text(encoding="utf-8").splitlines()]
    assert len(rows) == 3 and all(r["filter"] == "dedup" and "duplicate of" in r["reason"] for r in rows)
    clusters_ = [json.loads(x) for x in cl.read_text(encoding="utf-8").splitlines()]
    assert sorted(c["size"] for c in clusters_) == [2, 2, 2]


def test_cli_document_level(tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    _write(d / "a.jsonl", [{"id": i, "text": P[i % 2] + "\n" + P[2]} for i in range(4)])
    assert main(["dedup", str(d), "-o", str(tmp_path / "o"), "--level", "document", "-q"]) == 0
    got = [json.loads(x)["id"] for x in (tmp_path / "o" / "a.jsonl").read_text(encoding="utf-8").splitlines()]
    assert got == [0, 1]


def test_cli_parallel_signing_matches(tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    units = planted_corpus(2000, seed=4)
    for k in range(4):
        _write(d / f"{k}.jsonl", [{"text": u} for u in units[k * 500:(k + 1) * 500]])
    assert main(["dedup", str(d), "-o", str(tmp_path / "o1"), "-q"]) == 0
    assert main(["dedup", str(d), "-o", str(tmp_path / "o2"), "-q", "-j", "2", "--set", "normalize.tags=true"]) == 0
    for k in range(4):
        assert (tmp_path / "o1" / f"{k}.jsonl").read_bytes() == (tmp_path / "o2" / f"{k}.jsonl").read_bytes()


def test_cli_bad_record_is_named(tmp_path, capsys):
    d = tmp_path / "a.jsonl"
    d.write_text('{"text": "甲"}\n{oops\n', encoding="utf-8")
    assert main(["dedup", str(d), "-o", str(tmp_path / "o")]) == 2
    assert f"{d}:2:" in capsys.readouterr().err


def test_pipeline_step_across_documents():
    p = Pipeline(["dedup_corpus"])
    assert p(P[0] + "\n" + P[1]) == P[0] + "\n" + P[1]
    assert p("新的段落，前所未见，内容也足够长，保留。\n" + P[1]) == "新的段落，前所未见，内容也足够长，保留。"
    assert p.stats["dedup_corpus"].paragraphs_dropped == 1


@pytest.mark.parametrize("storage", [None, {"type": "dict"}])
def test_persistent_index(tmp_path, storage):
    """New text is checked against everything indexed before, across opens, without recomputing it."""
    from zhclean.dedup.index import ParagraphIndex

    path = tmp_path / ".zhclean" / "index.sqlite"
    ix = ParagraphIndex(path, lsh_storage=storage)
    ix.add("a.txt@1", P[0] + "\n" + P[1])
    ix.add("b.txt@1", P[2])
    assert "a.txt@1" in ix and ix.sources() == ["a.txt@1", "b.txt@1"]
    matches = ix.query("全新的段落，不在索引里，也不重复任何内容。\n" + P[1].replace("，", ","))
    assert [(m.line, m.source, m.source_line) for m in matches] == [(2, "a.txt@1", 2)]
    assert ix.query(P[2], allowed={"a.txt@1"}) == []
    ix.remove("b.txt@1")
    assert ix.query(P[2]) == []
    ix.close()
    assert (path.parent / ".gitignore").read_text() == "*\n"
    if storage is None:  # SQLite persists: a new process sees the same index
        again = ParagraphIndex(path)
        assert again.query(P[0])[0].source == "a.txt@1"
        from zhclean import ConfigError

        with pytest.raises(ConfigError, match="built with"):
            ParagraphIndex(path, CorpusSettings(threshold=0.9))


@pytest.mark.parametrize("batch", [3, 20_000])
def test_a_file_that_fails_half_way_contributes_no_units(tmp_path, monkeypatch, capsys, batch):
    """Files are read as streams, so a file can fail after some of its units were signed (and, with
    small batches, stored): those units are taken back, and nothing is dropped as their duplicate."""
    import dataclasses
    import gzip
    import random

    import zhclean.dedup.cli as dc

    orig = dc.settings_from
    monkeypatch.setattr(dc, "settings_from", lambda a, c: dataclasses.replace(orig(a, c), batch=batch))
    rnd = random.Random(7)
    han = [chr(c) for c in range(0x4E00, 0x4E00 + 3000)]
    texts = ["".join(rnd.choice(han) for _ in range(300)) + "。" for _ in range(2_000)]  # about 1.8 MB
    body = "".join(json.dumps({"id": i, "text": t}, ensure_ascii=False) + "\n" for i, t in enumerate(texts))
    gz = gzip.compress(body.encode("utf-8"), mtime=0)
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.jsonl.gz").write_bytes(gz[: len(gz) * 4 // 5])  # cut: fails after the first MB
    # b.jsonl: copies of a's first ten records, then a duplicate of its own first record
    (tmp_path / "in" / "b.jsonl").write_text("".join(
        json.dumps({"id": 100 + i, "text": texts[i % 10]}, ensure_ascii=False) + "\n" for i in range(11)),
        encoding="utf-8")
    assert main(["dedup", str(tmp_path / "in"), "-o", str(tmp_path / "o"), "-q"]) == 2
    assert "a.jsonl.gz: cannot gzip-decompress" in capsys.readouterr().err
    out = (tmp_path / "o" / "b.jsonl").read_text(encoding="utf-8").splitlines()
    # none dropped as a duplicate of a.jsonl.gz; b's own duplicate dropped
    assert [json.loads(x)["text"] for x in out] == texts[:10]
    assert not (tmp_path / "o" / "a.jsonl.gz").exists()


def test_a_file_that_fails_half_way_reports_no_bad_records(tmp_path, capsys):
    """With --on-error skip, a file read as a stream can give bad records before it fails (a cut
    gzip): the file is left out whole, so its bad records are not "written back unchanged"; the
    report names the file as unreadable and nothing else of it."""
    import gzip
    import random

    rnd = random.Random(5)
    han = [chr(c) for c in range(0x4E00, 0x4E00 + 3000)]
    lines = ["{bad json"] + [json.dumps({"text": "".join(rnd.choice(han) for _ in range(300))}, ensure_ascii=False)
                             for _ in range(5_000)]
    gz = gzip.compress(("\n".join(lines) + "\n").encode("utf-8"), mtime=0)
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.jsonl.gz").write_bytes(gz[: len(gz) // 2])
    rep = tmp_path / "rep.jsonl"
    assert main(["dedup", str(tmp_path / "in"), "-o", str(tmp_path / "o"), "-q", "--on-error", "skip",
                 "--report", str(rep)]) == 2
    err = capsys.readouterr().err
    assert "cannot gzip-decompress" in err
    assert "written back unchanged" not in err
    rows = [json.loads(x) for x in rep.read_text(encoding="utf-8").splitlines()]
    assert [r["rule"] for r in rows] == ["unreadable"]
    assert not (tmp_path / "o" / "a.jsonl.gz").exists()


def test_raw_views_with_nul_or_a_lone_surrogate(tmp_path):
    """With normalize = false the views are the raw text, which may hold a NUL (the view store's
    separator) or a lone surrogate (a JSON \\ud800 escape).  A NUL split one view in two, so every
    later view was read as its predecessor's and exact verification compared the wrong units (a
    plain copy was missed; a pair of different units whose predecessors were copies would be
    linked); a lone surrogate crashed the run."""
    import random

    rnd = random.Random(2)
    han = [chr(c) for c in range(0x4E00, 0x4E00 + 3000)]
    p, q = ("".join(rnd.choice(han) for _ in range(60)) for _ in range(2))
    keep, _, _ = dedup_texts(["x\x00y", p, q, p], CorpusSettings(normalize=False))
    assert keep.tolist() == [True, True, True, False]
    units = ["x\x00y", p, q, p, "abc\ud800def" + q[:20], "abc\ud800def" + q[:20]]
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.jsonl").write_text("".join(json.dumps({"id": i, "text": u}) + "\n"
                                                     for i, u in enumerate(units)), encoding="utf-8")
    (tmp_path / "zhclean.toml").write_text("[dedup]\nnormalize = false\n", encoding="utf-8")
    assert main(["dedup", str(tmp_path / "in"), "-o", str(tmp_path / "o"), "-q",
                 "--config", str(tmp_path / "zhclean.toml")]) == 0
    out = (tmp_path / "o" / "a.jsonl").read_text(encoding="utf-8").splitlines()
    assert [json.loads(x)["id"] for x in out] == [0, 1, 2, 4]
