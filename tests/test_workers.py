"""-j N on one big JSONL file: its batches of lines are cleaned by the workers side by side (issue 13),
and the output, the report, the counts and the errors are the same as with one process."""

import json
import os
import time

import pytest

from zhclean.cli import main
from zhclean.config import Config
from zhclean.engines import local

# records of every kind: clean, dirty, malformed, blank lines between them, a lone surrogate escape
KINDS = [
    '{"id": %d, "text": "第一段内容，写得很完整。"}',
    '{"id": %d, "text": "第一段\\u200b内容。  \\r\\n\\r\\n\\r\\n第二段</p>"}',
    '{"id": %d, "text": 乙}',
    '',
    '{"id": %d, "text": "半个\\ud800字符\\u200b"}',
    '{"id": %d, "body": "no text field"}',
]


def corpus(n: int, final_newline: bool = False) -> bytes:
    lines = [(KINDS[i % len(KINDS)] % i) if "%d" in KINDS[i % len(KINDS)] else "" for i in range(n)]
    return ("\r\n".join(lines[: n // 2]) + "\r\n" + "\n".join(lines[n // 2:])
            + ("\n" if final_newline else "")).encode("utf-8")


@pytest.fixture
def small_batches(monkeypatch):
    """Split even a small file, in batches of a few lines, so that the test stays fast."""
    monkeypatch.setattr(local, "SPLIT_MIN_BYTES", 1)
    monkeypatch.setattr(local, "BATCH_BYTES", 300)
    monkeypatch.setattr(local, "FIRST_BATCH_BYTES", 100)


SPY_LOG = None
_ORIG = local._jsonl_batch_job


def _spy(*args):
    with open(SPY_LOG, "a") as f:
        f.write(f"{os.getpid()}\n")
    time.sleep(0.02)  # so that both workers get batches
    return _ORIG(*args)


@pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="-j is capped at the number of cores")
def test_one_jsonl_file_is_split_across_the_workers(tmp_path, small_batches, monkeypatch):
    global SPY_LOG
    SPY_LOG = str(tmp_path / "pids")
    monkeypatch.setattr(local, "_jsonl_batch_job", _spy)
    src = tmp_path / "in" / "big.jsonl"
    src.parent.mkdir()
    src.write_bytes(corpus(400, final_newline=True))
    assert main(["clean", str(src), "-o", str(tmp_path / "out"), "-j", "2", "-q", "--on-error", "skip"]) == 2
    pids = open(SPY_LOG).read().split()
    assert len(pids) > 10  # batches
    assert str(os.getpid()) not in pids
    assert len(set(pids)) == 2


BATCH_LOG = None
_ORIG_BATCH = local._jsonl_batch


def _batch_spy(lines, first, *args):
    with open(BATCH_LOG, "a") as f:
        f.write(f"{first} {os.getpid()}\n")
    return _ORIG_BATCH(lines, first, *args)


@pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="-j is capped at the number of cores")
def test_the_first_batch_is_cleaned_before_the_workers_fork(tmp_path, small_batches, monkeypatch):
    """The tables the records need are built once, by the parent's first batch, and shared with the
    workers forked after it (each worker building its own cost ~0.8 CPU s on the corpus paragraphs)."""
    global BATCH_LOG
    BATCH_LOG = str(tmp_path / "batches")
    monkeypatch.setattr(local, "_jsonl_batch", _batch_spy)
    src = tmp_path / "big.jsonl"
    src.write_bytes(corpus(200, final_newline=True))
    assert main(["clean", str(src), "-o", str(tmp_path / "out"), "-j", "2", "-q", "--on-error", "skip"]) == 2
    where = dict(line.split() for line in open(BATCH_LOG))
    assert where.pop("1") == str(os.getpid())
    assert len(where) > 10 and str(os.getpid()) not in where.values()


@pytest.mark.parametrize("final_newline", [True, False])
def test_split_output_report_and_counts_equal_one_process(tmp_path, small_batches, final_newline):
    src = tmp_path / "in" / "big.jsonl"
    src.parent.mkdir()
    src.write_bytes(corpus(200, final_newline))
    outs = {}
    for j in ("1", "2"):
        rep = tmp_path / f"r{j}.jsonl"
        code = main(["clean", str(src), "-o", str(tmp_path / f"o{j}"), "-j", j, "-q", "--on-error", "skip",
                     "--report", str(rep)])
        assert code == 2  # bad records were skipped
        outs[j] = ((tmp_path / f"o{j}" / "big.jsonl").read_bytes(), rep.read_text(encoding="utf-8"))
    assert outs["1"] == outs["2"]
    out, rep = outs["2"]
    # nothing lost: every input line has its output line, malformed ones unchanged; and the layout
    # stays (CRLF endings, blank lines, the final newline or its absence), a changed record's too
    data = src.read_bytes()
    assert len(out.splitlines()) == len(data.splitlines())
    assert out.count(b"\r\n") == data.count(b"\r\n") and out.endswith(b"\n") == final_newline
    assert [not ln.strip() for ln in out.split(b"\n")] == [not ln.strip() for ln in data.split(b"\n")]
    assert b'{"id": 2, "text": \xe4\xb9\x99}' in out
    rows = [json.loads(x) for x in rep.splitlines()]
    skipped = sorted(r["record"] for r in rows if r["rule"] == "malformed_record")
    assert skipped == sorted(i + 1 for i in range(200) if i % len(KINDS) in (2, 5))


def test_split_tail_batches_are_small_and_output_equal_one_process(tmp_path, small_batches, monkeypatch):
    """The batches of a split file's last 2 x N x BATCH_BYTES are TAIL_BATCH_BYTES (so the workers
    finish together); every line is in one batch, in order, and the output is -j 1's."""
    monkeypatch.setattr(local, "TAIL_BATCH_BYTES", 120)
    src = tmp_path / "in" / "big.jsonl"
    src.parent.mkdir()
    src.write_bytes(corpus(300, True))
    size = src.stat().st_size
    batches = list(local._batches(src, 100, (size, 2 * 2 * local.BATCH_BYTES)))
    assert [ln for _, lines, _ in batches for ln in lines] == src.read_bytes().split(b"\n")[:-1]
    assert [f for f, _, _ in batches] == [1] + [1 + sum(len(b[1]) for b in batches[:i]) for i in range(1, len(batches))]
    done, small = 0, 0
    for i, (_, lines, _) in enumerate(batches):
        n = sum(len(x) + 1 for x in lines)
        if i and size - done <= 4 * local.BATCH_BYTES:
            assert n < 120 + max(map(len, lines)) + 1
            small += 1
        done += n
    assert small > 5 and done == size
    outs = []
    for j in ("1", "2"):
        main(["clean", str(src), "-o", str(tmp_path / f"o{j}"), "-j", j, "-q", "--on-error", "skip"])
        outs.append((tmp_path / f"o{j}" / "big.jsonl").read_bytes())
    assert outs[0] == outs[1]


@pytest.mark.parametrize("ending", [b"\n", b"", b"\n\n", b"\r\n"])
def test_byte_ranges_hold_the_lines_of_the_batches(tmp_path, small_batches, monkeypatch, ending):
    """With -j N, the parent sends each batch as a byte range of the file and the worker reads its lines:
    every line is in one range, in order, with its line number, whatever the line lengths (lines longer
    than a batch, blank lines, CRLF) and however the file ends; a batch is about BATCH_BYTES, the
    first FIRST_BATCH_BYTES, the tail's TAIL_BATCH_BYTES."""
    import random

    monkeypatch.setattr(local, "TAIL_BATCH_BYTES", 120)
    monkeypatch.setattr(local, "RANGE_PROBE", 64)
    rng = random.Random(len(ending))
    lines = [b"x" * rng.choice([0, 1, 5, 40, 299, 300, 301, 700]) + rng.choice([b"", b"\r"]) for _ in range(400)]
    data = b"\n".join(lines) + ending
    src = tmp_path / "c.jsonl"
    src.write_bytes(data)
    with open(src, "rb", buffering=0) as f:
        ranges = list(local._ranges(f, 100, (len(data), 4 * local.BATCH_BYTES)))
    st = os.stat(src)
    got, firsts = [], []
    for first, where, last in ranges:
        assert last == (where is ranges[-1][1] and not data.endswith(b"\n"))
        firsts.append(first)
        got += local._range_lines(str(src), (st.st_dev, st.st_ino), where, last)
    local._close_range_file()
    pieces = data.split(b"\n")
    assert got == (pieces[:-1] if data.endswith(b"\n") else pieces)
    assert [w[0] for _, w, _ in ranges] == [0] + [sum(ranges[i][1]) for i in range(len(ranges) - 1)]
    assert firsts == [1] + [1 + data[:w[0]].count(b"\n") for _, w, _ in ranges[1:]]
    longest = max(map(len, lines)) + 2
    assert ranges[0][1][1] < 100 + longest
    assert all(w[1] < local.BATCH_BYTES + longest for _, w, _ in ranges)
    assert any(w[1] < 120 + longest for _, w, _ in ranges[1:-1])


@pytest.mark.parametrize("kind", ["gz", "zst", "no pread"])
def test_split_compressed_or_without_pread_sends_lines_and_equals_one_process(tmp_path, small_batches, monkeypatch,
                                                                              kind):
    """A compressed file cannot be read at an offset (nor can any file without os.pread): its batches
    go to the workers as lines, and the output is -j 1's."""
    import gzip

    import zstandard

    data = corpus(200, final_newline=False)
    if kind == "gz":
        src, data = tmp_path / "in" / "c.jsonl.gz", gzip.compress(data, mtime=0)
    elif kind == "zst":
        src, data = tmp_path / "in" / "c.jsonl.zst", zstandard.ZstdCompressor().compress(data)
    else:
        src = tmp_path / "in" / "c.jsonl"
        monkeypatch.delattr(os, "pread")
    src.parent.mkdir()
    src.write_bytes(data)
    outs = []
    for j in ("1", "2"):
        assert main(["clean", str(src), "-o", str(tmp_path / f"o{j}"), "-j", j, "-q", "--on-error", "skip"]) == 2
        outs.append((tmp_path / f"o{j}" / src.name).read_bytes())
    assert outs[0] == outs[1]


def test_a_file_replaced_while_split_is_an_error_not_another_files_lines(tmp_path):
    src = tmp_path / "c.jsonl"
    src.write_bytes(b'{"text": "a"}\n' * 10)
    st = os.stat(src)
    ident = (st.st_dev, st.st_ino)
    assert local._range_lines(str(src), ident, (0, 28), False) == [b'{"text": "a"}'] * 2
    local._close_range_file()
    new = tmp_path / "new.jsonl"
    new.write_bytes(b'{"text": "b"}\n' * 10)
    os.replace(new, src)
    with pytest.raises(local.InputError, match="replaced by another file"):
        local._range_lines(str(src), ident, (0, 28), False)


def test_split_counts_equal_one_process(tmp_path, small_batches):
    src = tmp_path / "big.jsonl"
    src.write_bytes(corpus(150, True))
    cfg = Config()
    cfg.on_error = "skip"
    task = local.Task(str(src), "big.jsonl", "check", None, True)
    (one,) = local.run([task], cfg, 1)
    (two,) = local.run([task], cfg, 2)
    for r in (one, two):
        for s in r.stats.values():
            s.pop("seconds")
    assert (one.status, one.records, one.records_skipped, one.counts, one.stats, one.rows) == \
           (two.status, two.records, two.records_skipped, two.counts, two.stats, two.rows)
    assert one.records_skipped == 50 and one.status == "changed"


def test_split_fix_and_check_diff_equal_one_process(tmp_path, small_batches, capsys):
    data = corpus(120, True)
    diffs = {}
    for j in ("1", "2"):
        f = tmp_path / j / "c.jsonl"
        f.parent.mkdir()
        f.write_bytes(data)
        assert main(["check", str(f), "--diff", "-j", j, "--on-error", "skip"]) == 2
        diffs[j] = capsys.readouterr().out.replace(str(f), "C")
        assert main(["fix", str(f), "-j", j, "--on-error", "skip", "-q"]) == 2
    assert diffs["1"] == diffs["2"] and "+{" in diffs["1"]
    assert (tmp_path / "1" / "c.jsonl").read_bytes() == (tmp_path / "2" / "c.jsonl").read_bytes()
    assert main(["clean", str(tmp_path / "2" / "c.jsonl"), "-o", str(tmp_path / "o"), "-q", "--on-error", "skip"]) == 2
    assert (tmp_path / "o" / "c.jsonl").read_bytes() == (tmp_path / "2" / "c.jsonl").read_bytes()


def test_split_bad_record_names_its_line(tmp_path, small_batches, capsys):
    lines = ['{"text": "第%d行。"}' % i for i in range(300)]
    lines[250] = '{"text": 乙}'
    src = tmp_path / "c.jsonl"
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    before = src.read_bytes()
    assert main(["fix", str(src), "-j", "2"]) == 2
    assert f"{src}:251: not valid JSON" in capsys.readouterr().err
    assert src.read_bytes() == before
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".zhclean-tmp")]


def test_small_and_big_files_together_keep_their_order(tmp_path, small_batches):
    d = tmp_path / "in"
    d.mkdir()
    (d / "a.txt").write_text("第一段\u200b内容。\n", encoding="utf-8")
    (d / "b.jsonl").write_bytes(corpus(60, True))
    (d / "c.txt").write_text("第二段内容。\n", encoding="utf-8")
    cfg = Config()
    cfg.on_error = "skip"
    tasks = [local.Task(str(d / n), n, "check", None, False) for n in ("a.txt", "b.jsonl", "c.txt")]
    assert [(r.path, r.status) for r in local.run(tasks, cfg, 2)] == \
           [(str(d / "a.txt"), "changed"), (str(d / "b.jsonl"), "changed"), (str(d / "c.txt"), "unchanged")]


_TABLES_AFTER_WARM_UP = r"""
import functools, json, sys
from zhclean.config import Config
from zhclean.engines import local

def built():
    # the whole tables: zhclean's lru_caches of one or two entries that hold something
    out = set()
    for name, m in list(sys.modules.items()):
        if name.startswith("zhclean"):
            for attr, f in list(vars(m).items()):
                if (isinstance(f, functools._lru_cache_wrapper) and f.cache_parameters()["maxsize"] in (1, 2)
                        and f.cache_info().currsize):
                    out.add(f"{name}.{attr}")
    return out

local._warm(Config())
before = built()
pipe = Config().pipeline()
for line in open(sys.argv[1], encoding="utf-8"):
    pipe.run(json.loads(line)["text"])
print(json.dumps(sorted(built() - before)))
"""


def test_warm_up_leaves_no_whole_table_for_the_workers_to_build(tmp_path):
    """What the parent builds before it forks the workers (_warm, _share_tables) covers every whole
    table that typical text needs: a worker then builds none of its own.  In a fresh interpreter,
    so that no other test has built them already."""
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    paras = root / "fixtures" / "corpora" / "cmrc2018_contexts.jsonl"
    sample = tmp_path / "sample.jsonl"
    with open(paras, encoding="utf-8") as f:
        sample.write_text("".join(line for _, line in zip(range(1500), f)), encoding="utf-8")
    env = dict(os.environ, PYTHONPATH=str(root / "src"))
    out = subprocess.run([sys.executable, "-c", _TABLES_AFTER_WARM_UP, str(sample)], env=env,
                         capture_output=True, text=True, check=True).stdout
    assert json.loads(out) == []
