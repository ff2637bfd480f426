"""Parquet through the local engine: clean and dedup keep every other column and the row order."""

import json

import pytest

from pathlib import Path

from zhclean.cli import main

ROOT = Path(__file__).resolve().parent.parent

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")

P1 = "江门正深入推进港澳融合工程，全面参与粤港澳大湾区建设，推动江门上下在新一轮发展中奋勇争先。"
P2 = "第二段内容完全不同，讲的是另外一件事情，和第一段没有关系，篇幅也足够长。"


def _table(n=10):
    rows = []
    for i in range(n):
        text = (P1 if i % 3 == 0 else P2 + str(i)) + ("\u200b" if i % 2 else "")
        rows.append({"id": i, "content": text, "url": f"https://example.com/{i}", "score": i / 10,
                     "tags": ["a", "b"][: i % 3]})
    return pa.Table.from_pylist(rows)


def test_clean_round_trip_keeps_columns_and_order(tmp_path):
    src = tmp_path / "in" / "part-0.parquet"
    src.parent.mkdir()
    pq.write_table(_table(), src, row_group_size=3)  # several row groups
    rep = tmp_path / "r.jsonl"
    assert main(["clean", str(src.parent), "-o", str(tmp_path / "out"), "--text-key", "content",
                 "--report", str(rep), "-q"]) == 0
    out = pq.read_table(tmp_path / "out" / "part-0.parquet")
    inp = pq.read_table(src)
    assert out.schema == inp.schema
    assert out.num_rows == inp.num_rows
    for col in ("id", "url", "score", "tags"):
        assert out.column(col).to_pylist() == inp.column(col).to_pylist()
    texts = out.column("content").to_pylist()
    assert all("\u200b" not in t for t in texts)
    assert texts == [t.replace("\u200b", "") for t in inp.column("content").to_pylist()]
    rows = [json.loads(x) for x in rep.read_text(encoding="utf-8").splitlines()]
    assert {r["record"] for r in rows} == {i + 1 for i in range(10) if i % 2}


def test_dedup_round_trip_keeps_columns_and_order(tmp_path):
    src = tmp_path / "in" / "d.parquet"
    src.parent.mkdir()
    pq.write_table(_table(), src, row_group_size=4)
    assert main(["dedup", str(src.parent), "-o", str(tmp_path / "out"), "--text-key", "content",
                 "--level", "document", "-q"]) == 0
    out = pq.read_table(tmp_path / "out" / "d.parquet")
    inp = pq.read_table(src)
    assert out.schema == inp.schema
    ids = out.column("id").to_pylist()
    assert ids == sorted(ids) and ids[0] == 0  # the first copy stays, order kept
    kept_p1 = [t for t in out.column("content").to_pylist() if t.startswith(P1[:10])]
    assert len(kept_p1) == 1  # rows 0, 3, 6, 9 are copies of one document
    by_id = {r["id"]: r for r in inp.to_pylist()}
    for r in out.to_pylist():
        assert r == by_id[r["id"]]


def test_fix_and_check_on_parquet(tmp_path):
    f = tmp_path / "a.parquet"
    pq.write_table(_table(4), f)
    assert main(["check", str(f), "--text-key", "content", "-q"]) == 1
    assert main(["fix", str(f), "--text-key", "content", "-q"]) == 1
    assert main(["check", str(f), "--text-key", "content", "-q"]) == 0
    assert pq.read_table(f).column("id").to_pylist() == [0, 1, 2, 3]


def test_wrong_text_column_is_a_clear_error(tmp_path, capsys):
    f = tmp_path / "a.parquet"
    pq.write_table(_table(2), f)
    assert main(["clean", str(f), "-o", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err
    assert str(f) in err and "--text-key" in err and "content" in err


def test_truncated_parquet_is_named(tmp_path, capsys):
    f = tmp_path / "a.parquet"
    pq.write_table(_table(50), f)
    data = f.read_bytes()
    f.write_bytes(data[: len(data) // 2])
    assert main(["clean", str(f), "-o", str(tmp_path / "o"), "--text-key", "content"]) == 2
    assert str(f) in capsys.readouterr().err


@pytest.mark.parametrize("cmd", ["clean", "dedup"])
def test_one_row_group_at_a_time(tmp_path, monkeypatch, cmd):
    """Neither command reads a whole Parquet file, nor writes more than a row group at once."""
    src = tmp_path / "in" / "p.parquet"
    src.parent.mkdir()
    with open(ROOT / "fixtures" / "corpora" / "cmrc2018_contexts.jsonl", encoding="utf-8") as f:
        texts = [json.loads(next(f))["text"] for _ in range(30)]
    rows = [{"id": i, "content": texts[i % 30] if i % 4 else texts[i // 4]} for i in range(40)]
    pq.write_table(pa.Table.from_pylist(rows), src, row_group_size=4)
    reads, writes = [], []
    real_read, real_write = pq.ParquetFile.read_row_group, pq.ParquetWriter.write_table

    def read_row_group(self, i, *a, **k):
        reads.append(i)
        return real_read(self, i, *a, **k)

    def write_table(self, table, *a, **k):
        writes.append(table.num_rows)
        return real_write(self, table, *a, **k)

    def whole(*a, **k):
        raise AssertionError("a whole Parquet file was read")

    monkeypatch.setattr(pq.ParquetFile, "read_row_group", read_row_group)
    monkeypatch.setattr(pq.ParquetWriter, "write_table", write_table)
    monkeypatch.setattr(pq.ParquetFile, "read", whole)
    monkeypatch.setattr(pq, "read_table", whole)
    argv = [cmd, str(src.parent), "-o", str(tmp_path / "out"), "--text-key", "content", "-q"]
    assert main(argv + (["--level", "document"] if cmd == "dedup" else [])) == 0
    assert sorted(set(reads)) == list(range(10))
    assert len(writes) > 1 and max(writes) <= 4
    monkeypatch.undo()
    out = pq.read_table(tmp_path / "out" / "p.parquet")
    kept = [i for i in range(40) if all(r["content"] != rows[i]["content"] for r in rows[:i])]  # first copies
    assert len(kept) == 25  # 15 rows repeat earlier ones
    assert out.column("id").to_pylist() == (list(range(40)) if cmd == "clean" else kept)


def _peak_mb(tmp, mb: int) -> tuple[float, float]:
    """`zhclean clean` on one Parquet file of about ``mb`` MB of text in 1 MB row groups: the peak of
    Python's own allocations (tracemalloc, after the imports) and of pyarrow's memory pool, in MB."""
    import os
    import subprocess
    import sys

    d = tmp / f"in{mb}"
    d.mkdir()
    with open(ROOT / "fixtures" / "corpora" / "cmrc2018_contexts.jsonl", encoding="utf-8") as f:
        texts = [json.loads(x)["text"] for x in f]
    w = pq.ParquetWriter(str(d / "big.parquet"), pa.schema([("id", pa.int64()), ("text", pa.string())]))
    rows, size, i = [], 0, 0
    while size < mb * 1_000_000:
        t = texts[i % len(texts)] + f"（{i}）"
        rows.append({"id": i, "text": t})
        size += len(t.encode())
        i += 1
        if len(rows) == 700:  # about 1 MB of text
            w.write_table(pa.Table.from_pylist(rows))
            rows = []
    w.write_table(pa.Table.from_pylist(rows))
    w.close()
    code = ("import sys, tracemalloc, pyarrow as pa, pyarrow.parquet; from zhclean.cli import main; "
            "import zhclean.io.parquet, zhclean.engines.local; tracemalloc.start(); "
            f"rc = main(['clean', {str(d)!r}, '-o', {str(tmp / f'out{mb}')!r}, '--steps', 'normalize', '-q']); "
            "print(tracemalloc.get_traced_memory()[1] / 1e6, pa.default_memory_pool().max_memory() / 1e6); "
            "sys.exit(rc)")
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                       env=dict(os.environ, PYTHONPATH=str(ROOT / "src")))
    assert p.returncode == 0, p.stderr
    assert pq.read_table(tmp / f"out{mb}" / "big.parquet").num_rows == i
    py, arrow = map(float, p.stdout.split()[-2:])
    return py, arrow


@pytest.mark.slow
def test_memory_is_bounded_by_the_row_group(tmp_path):
    """Four times the text (8 -> 32 MB, 1 MB row groups) leaves the peak of what `clean` holds, in Python
    objects and in pyarrow buffers, where it was: memory follows the row group, not the file.  (Process RSS
    also grows somewhat, by what the allocators keep after freeing: 8 -> 32 MB, about +50 MB.)"""
    (py_s, ar_s), (py_b, ar_b) = _peak_mb(tmp_path, 8), _peak_mb(tmp_path, 32)
    assert py_b - py_s < 3 and ar_b - ar_s < 3, ((py_s, ar_s), (py_b, ar_b))


def test_fix_never_empties_a_parquet_row(tmp_path):
    f = tmp_path / "a.parquet"
    pq.write_table(pa.table({"id": [0, 1], "content": ["ok", "正文内容，写得完整。"]}), f)
    rep = tmp_path / "r.jsonl"
    assert main(["fix", str(f), "--text-key", "content", "--report", str(rep), "-q"]) == 1
    assert pq.read_table(f).column("content").to_pylist() == ["ok", "正文内容，写得完整。"]
    rows = [json.loads(x) for x in rep.read_text(encoding="utf-8").splitlines()]
    assert [(r["record"], r["rule"]) for r in rows] == [(1, "would_empty")]  # rows are numbered from 1
    assert main(["fix", str(f), "--text-key", "content", "--allow-empty", "-q"]) == 1
    assert pq.read_table(f).column("content").to_pylist() == ["", "正文内容，写得完整。"]
