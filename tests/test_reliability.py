"""Regression tests for the defects found by bad input, faults and fuzzing (issue 14).

Each test reproduces one reported defect: data loss, a crash or a hang.  Every one of them
failed on the code before the fix.
"""

import gzip
import json
import os
import signal
import subprocess
import sys
import threading
import time

import pytest
import zstandard

import zhclean
from zhclean.cli import main
from zhclean.io import formats

GOOD = "第一段内容，写得很完整。\n"
DIRTY = "第一段\u200b内容。  \r\n\r\n\r\n\r\n第二段</p>\n"


# ---- data loss -------------------------------------------------------------------------------

def test_fix_on_error_skip_writes_bad_record_back(tmp_path, capsys):
    src = tmp_path / "c.jsonl"
    src.write_text('{"text": "甲\u200b"}\n{"text": 乙}\n{"text": "丙"}\n', encoding="utf-8")
    rep = tmp_path / "r.jsonl"
    code = main(["fix", str(src), "--on-error", "skip", "--report", str(rep)])
    assert code == 2  # input was skipped
    lines = src.read_text(encoding="utf-8").splitlines()
    assert lines == ['{"text": "甲"}', '{"text": 乙}', '{"text": "丙"}']
    rows = [json.loads(x) for x in rep.read_text(encoding="utf-8").splitlines()]
    assert any(r["rule"] == "malformed_record" and r["record"] == 2 for r in rows)


@pytest.mark.parametrize("content", ["ok", "No", "12", "2023", "hi", "ok\n"])
def test_fix_never_empties_a_file(tmp_path, capsys, content):
    f = tmp_path / "short.txt"
    f.write_text(content, encoding="utf-8")
    code = main(["fix", str(f)])
    assert f.read_text(encoding="utf-8") == content
    assert code == 1
    err = capsys.readouterr().err
    assert str(f) in err and "--allow-empty" in err


def test_allow_empty_flag_empties(tmp_path):
    f = tmp_path / "short.txt"
    f.write_text("ok", encoding="utf-8")
    assert main(["fix", str(f), "--allow-empty", "-q"]) == 1
    assert f.read_text(encoding="utf-8") == ""


def test_clean_and_check_agree_with_fix_on_files_that_would_empty(tmp_path):
    f = tmp_path / "short.txt"
    f.write_text("ok", encoding="utf-8")
    assert main(["clean", str(f), "-o", str(tmp_path / "o"), "-q"]) == 1
    assert (tmp_path / "o" / "short.txt").read_text(encoding="utf-8") == "ok"
    assert main(["check", str(f), "-q"]) == 1


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_fix_never_empties_a_jsonl_record(tmp_path, capsys, monkeypatch, jobs):
    """A record whose text would all go is written back as it was, reported as guard/would_empty, and
    the run exits 1, as a file that would be emptied is; --allow-empty empties it.  Past the first batch
    (which the parent cleans) with -j 2, so a worker's batch counts too.  (The file, 0.8 MB, is under
    SPLIT_MIN_BYTES: without the smaller limits below, -j 2 cleaned it whole in this process.)"""
    from zhclean.engines import local

    monkeypatch.setattr(local, "SPLIT_MIN_BYTES", 1)
    monkeypatch.setattr(local, "BATCH_BYTES", 64 << 10)
    monkeypatch.setattr(local, "FIRST_BATCH_BYTES", 16 << 10)
    body = "".join(json.dumps({"id": i, "text": f"第{i}条记录，内容足够长。" * 5}, ensure_ascii=False) + "\n"
                   for i in range(4000))
    src = tmp_path / "c.jsonl"
    text = '{"id": "a", "text": "ok"}\n' + body + '{"id": "b", "text": "2024"}\n'
    src.write_text(text, encoding="utf-8")
    rep = tmp_path / "r.jsonl"
    assert main(["fix", str(src), "-j", jobs, "--report", str(rep), "-q"]) == 1
    assert src.read_text(encoding="utf-8") == text
    rows = [json.loads(x) for x in rep.read_text(encoding="utf-8").splitlines()]
    assert sorted(r["record"] for r in rows if r["rule"] == "would_empty") == [1, 4002]
    assert "2 record(s) would lose all their text" in capsys.readouterr().err
    assert main(["fix", str(src), "-j", jobs, "--allow-empty", "-q"]) == 1
    out = [json.loads(x) for x in src.read_text(encoding="utf-8").splitlines()]
    assert out[0]["text"] == "" and out[-1]["text"] == ""


def test_clean_jsonl_from_stdin_keeps_a_record_that_would_empty(monkeypatch, capsysbinary):
    import io

    data = '{"text": "ok"}\n{"text": "正文内容。"}\n'.encode()
    monkeypatch.setattr(sys, "stdin", type("S", (), {"buffer": io.BytesIO(data)})())
    assert main(["clean", "--format", "jsonl", "-"]) == 1
    cap = capsysbinary.readouterr()
    assert cap.out == data and b"<stdin>: 1 record(s) would lose all their text" in cap.err


def _zst(data: bytes) -> bytes:
    return zstandard.ZstdCompressor().compress(data)


@pytest.mark.parametrize("cut", [0.5, 0.9])
def test_truncated_zst_is_an_error_naming_the_file(tmp_path, capsys, cut):
    recs = "".join(json.dumps({"text": f"第{i}条记录，内容足够长。" * 5}, ensure_ascii=False) + "\n" for i in range(3000))
    blob = _zst(recs.encode())
    f = tmp_path / "big.jsonl.zst"
    f.write_bytes(blob[: int(len(blob) * cut)])
    code = main(["clean", str(f), "-o", str(tmp_path / "o"), "--on-error", "skip"])
    err = capsys.readouterr().err
    assert code == 2
    assert str(f) in err and "truncated" in err
    assert not (tmp_path / "o" / "big.jsonl.zst").exists()


def test_a_file_that_fails_half_way_writes_back_no_bad_records(tmp_path, capsys):
    """A cut .gz, split across the workers (-j 2, over SPLIT_MIN_BYTES), gives some bad records
    (--on-error skip) before it fails: the file is left out whole, so neither the file's line nor
    the summary says they were "written back unchanged"."""
    import random

    rnd = random.Random(3)
    han = [chr(c) for c in range(0x4E00, 0x4E00 + 3000)]
    recs = "".join(("not json\n" if i % 100 == 0 else json.dumps(
        {"text": "".join(rnd.choice(han) for _ in range(100)) + "。"}, ensure_ascii=False) + "\n") for i in range(30000))
    blob = gzip.compress(recs.encode(), mtime=0)
    f = tmp_path / "big.jsonl.gz"
    f.write_bytes(blob[: len(blob) * 9 // 10])
    assert main(["clean", str(f), "-o", str(tmp_path / "o"), "--on-error", "skip", "-j", "2"]) == 2
    err = capsys.readouterr().err
    assert "truncated" in err and "written back unchanged" not in err
    assert not (tmp_path / "o" / "big.jsonl.gz").exists()


def test_small_truncated_zst_text(tmp_path, capsys):
    f = tmp_path / "a.txt.zst"
    blob = _zst("".join(f"第{i}段正文内容。\n" for i in range(5000)).encode())
    f.write_bytes(blob[: len(blob) // 2])
    assert main(["clean", str(f), "-o", str(tmp_path / "o")]) == 2
    assert "truncated" in capsys.readouterr().err


def test_zst_round_trip_streams(tmp_path):
    recs = "".join(json.dumps({"text": f"第{i}条\u200b记录。", "id": i}, ensure_ascii=False) + "\n" for i in range(500))
    f = tmp_path / "a.jsonl.zst"
    f.write_bytes(_zst(recs.encode()))
    assert main(["clean", str(f), "-o", str(tmp_path / "o"), "-q"]) == 0
    out = zstandard.ZstdDecompressor().decompressobj().decompress((tmp_path / "o" / "a.jsonl.zst").read_bytes())
    got = [json.loads(x) for x in out.decode().splitlines()]
    assert [r["id"] for r in got] == list(range(500)) and "\u200b" not in got[0]["text"]


def test_summary_counts_skipped_records(tmp_path, capsys):
    src = tmp_path / "c.jsonl"
    src.write_text('{"text": "甲"}\n{"text": 乙}\nnot json\n', encoding="utf-8")
    code = main(["clean", str(src), "-o", str(tmp_path / "o"), "--on-error", "skip"])
    err = capsys.readouterr().err
    assert code == 2
    assert "2 bad record(s) skipped" in err


def test_writes_started_early_leave_the_output_whole(tmp_path, monkeypatch):
    """AtomicWriter starts the disk writes of every WRITEBACK_BYTES as it goes (commit's fsync then
    has little left to wait for); the file is the same, and a run that aborts leaves nothing."""
    monkeypatch.setattr(formats, "WRITEBACK_BYTES", 7)
    w = formats.AtomicWriter(tmp_path / "a.txt")
    for i in range(50):
        w.write(f"第{i}行\n".encode())
    assert w.started > 0
    w.commit()
    assert (tmp_path / "a.txt").read_text(encoding="utf-8") == "".join(f"第{i}行\n" for i in range(50))
    w = formats.AtomicWriter(tmp_path / "b.txt")
    w.write(b"x" * 20)
    w.abort()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt"]


def test_fix_leaves_a_file_changed_meanwhile(tmp_path):
    f = tmp_path / "a.txt"
    f.write_text(DIRTY, encoding="utf-8")
    st = os.stat(f)
    with open(f, "a", encoding="utf-8") as h:  # another writer appends after zhclean read the file
        h.write("追加的一行。\n")
    with pytest.raises(formats.ChangedMeanwhile):
        formats.atomic_write(f, b"cleaned\n", expect=(st.st_size, st.st_mtime_ns))
    assert f.read_text(encoding="utf-8").endswith("追加的一行。\n")
    assert not list(tmp_path.glob("*.zhclean-tmp"))


def test_fix_names_a_file_changed_during_the_run(tmp_path, capsys, monkeypatch):
    f = tmp_path / "a.txt"
    f.write_text(DIRTY, encoding="utf-8")
    from zhclean.engines import local

    real = local.process_text

    def slow(*a, **k):
        out = real(*a, **k)
        with open(f, "a", encoding="utf-8") as h:
            h.write("另一个程序写的一行。\n")
        return out

    monkeypatch.setattr(local, "process_text", slow)
    assert main(["fix", str(f)]) == 2
    assert "changed on disk" in capsys.readouterr().err
    assert f.read_text(encoding="utf-8").endswith("另一个程序写的一行。\n")


def test_stale_temp_file_of_a_killed_run_is_removed(tmp_path, capsys):
    f = tmp_path / "work.txt"
    f.write_text(DIRTY, encoding="utf-8")
    # a process that is surely gone: a child that has exited
    p = subprocess.Popen([sys.executable, "-c", "pass"])
    p.wait()
    stale = tmp_path / f".work.txt.{p.pid}.abc123.zhclean-tmp"
    stale.write_bytes(b"x" * 1000)
    assert main(["fix", str(f)]) == 1
    assert not stale.exists()
    assert str(stale) in capsys.readouterr().err


def test_sigkill_during_fix_then_next_run_cleans_up(tmp_path):
    f = tmp_path / "work.jsonl"
    f.write_text("".join(json.dumps({"text": f"第{i}条\u200b记录，" * 20}, ensure_ascii=False) + "\n"
                         for i in range(20000)), encoding="utf-8")
    before = f.read_bytes()
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path))
    p = subprocess.Popen([sys.executable, "-m", "zhclean.cli", "fix", str(f), "-q"], env=env)
    deadline = time.time() + 60
    while time.time() < deadline and not list(tmp_path.glob(".*.zhclean-tmp")):
        time.sleep(0.02)
    p.send_signal(signal.SIGKILL)
    p.wait()
    assert f.read_bytes() == before  # the old file is whole
    assert main(["fix", str(f), "-q"]) == 1
    assert not list(tmp_path.glob(".*.zhclean-tmp"))


def test_fix_on_a_symlink_fixes_the_target_and_keeps_the_link(tmp_path):
    target = tmp_path / "real.txt"
    target.write_text(DIRTY, encoding="utf-8")
    link = tmp_path / "link.txt"
    link.symlink_to(target)
    assert main(["fix", str(link), "-q"]) == 1
    assert link.is_symlink()
    assert "\u200b" not in target.read_text(encoding="utf-8")


def test_new_outputs_get_the_usual_mode(tmp_path):
    f = tmp_path / "a.txt"
    f.write_text(DIRTY, encoding="utf-8")
    old = os.umask(0o022)
    try:
        assert main(["clean", str(f), "-o", str(tmp_path / "o"), "-q"]) == 0
    finally:
        os.umask(old)
    assert (os.stat(tmp_path / "o" / "a.txt").st_mode & 0o777) == 0o644


# ---- crashes and hangs -------------------------------------------------------------------------

def test_lone_surrogate_in_a_record_is_kept_as_its_escape(tmp_path, capsys):
    # it used to raise UnicodeEncodeError and abort the run, without naming the file
    src = tmp_path / "s.jsonl"
    src.write_text('{"text": "好"}\n{"text": "a\\ud800b\u200b"}\n{"text": "坏\u200b"}\n', encoding="utf-8")
    assert main(["clean", str(src), "-o", str(tmp_path / "o"), "-q"]) == 0
    out = (tmp_path / "o" / "s.jsonl").read_text(encoding="utf-8").splitlines()
    assert out == ['{"text": "好"}', '{"text": "a\\ud800b"}', '{"text": "坏"}']
    assert json.loads(out[1])["text"] == "a\ud800b"


def test_lone_surrogate_does_not_abort_the_run(tmp_path, capsys):
    d = tmp_path / "in"
    d.mkdir()
    (d / "a.jsonl").write_text('{"text": "a\\udc00\u200b"}\n', encoding="utf-8")
    (d / "b.jsonl").write_text('{"text": "好\u200b"}\n', encoding="utf-8")
    assert main(["fix", str(d / "a.jsonl"), str(d / "b.jsonl"), "-q"]) == 1
    assert (d / "a.jsonl").read_text(encoding="utf-8") == '{"text": "a\\udc00"}\n'
    assert (d / "b.jsonl").read_text(encoding="utf-8") == '{"text": "好"}\n'


def test_dangling_and_looping_symlinks_are_reported(tmp_path, capsys):
    d = tmp_path / "in"
    d.mkdir()
    (d / "ok.txt").write_text(DIRTY, encoding="utf-8")
    (d / "dangling.txt").symlink_to(d / "missing.txt")
    (d / "l1.txt").symlink_to(d / "l2.txt")
    (d / "l2.txt").symlink_to(d / "l1.txt")
    code = main(["clean", str(d), "-o", str(tmp_path / "o")])
    err = capsys.readouterr().err
    assert code == 2
    assert "dangling.txt" in err and "does not exist" in err
    assert "l1.txt" in err and "loop" in err
    assert (tmp_path / "o" / "ok.txt").exists()


def test_fifo_is_not_read(tmp_path, capsys):
    d = tmp_path / "in"
    d.mkdir()
    os.mkfifo(d / "pipe.txt")
    (d / "ok.txt").write_text(DIRTY, encoding="utf-8")
    result = {}
    t = threading.Thread(target=lambda: result.setdefault("code", main(["clean", str(d), "-o", str(tmp_path / "o")])))
    t.start()
    t.join(30)
    if t.is_alive():  # unblock the reader so the test process can end, then fail
        with open(d / "pipe.txt", "w"):
            pass
        t.join()
        pytest.fail("zhclean hung reading a FIFO")
    assert result["code"] == 2
    assert "FIFO" in capsys.readouterr().err


def test_report_on_a_read_only_path(tmp_path, capsys):
    f = tmp_path / "a.txt"
    f.write_text(DIRTY, encoding="utf-8")
    ro = tmp_path / "ro"
    ro.mkdir()
    os.chmod(ro, 0o500)
    try:
        if os.access(ro, os.W_OK):
            pytest.skip("running as a user who can write anywhere")
        code = main(["clean", str(f), "-o", str(tmp_path / "o"), "--report", str(ro / "r.jsonl")])
    finally:
        os.chmod(ro, 0o700)
    assert code == 2
    assert "--report" in capsys.readouterr().err


def test_report_where_even_root_cannot_write(tmp_path, capsys):
    """--report on a path nobody can write (root included: /proc) is a clear error, not a traceback."""
    f = tmp_path / "a.txt"
    f.write_text("第一段\u200b内容。\n", encoding="utf-8")
    for rep in ("/proc/zhclean-report.jsonl", "/proc/zhclean/r.jsonl"):
        assert main(["clean", str(f), "-o", str(tmp_path / "o"), "--report", rep]) == 2
        err = capsys.readouterr().err
        assert "--report" in err and rep in err and "Traceback" not in err


def test_report_on_a_directory(tmp_path, capsys):
    f = tmp_path / "a.txt"
    f.write_text(DIRTY, encoding="utf-8")
    code = main(["clean", str(f), "-o", str(tmp_path / "o"), "--report", str(tmp_path)])
    assert code == 2
    assert "--report" in capsys.readouterr().err


@pytest.mark.parametrize("argv,needle", [
    (["dedup", "IN", "-o", "OUT", "--num-perm", "0"], "num_perm"),
    (["dedup", "IN", "-o", "OUT", "--shingle", "0"], "shingle"),
    (["clean", "IN", "-o", "OUT", "-j", "0"], "-j"),
    (["clean", "IN", "-o", "OUT", "--set", "normalize.tags=maybe"], "normalize.tags"),
    (["clean", "IN", "-o", "OUT", "--set", "dedup_paragraphs.num_perm=0"], "num_perm"),
])
def test_bad_options_are_clear_errors(tmp_path, capsys, argv, needle):
    f = tmp_path / "a.txt"
    f.write_text(GOOD, encoding="utf-8")
    argv = [str(f) if a == "IN" else str(tmp_path / "o") if a == "OUT" else a for a in argv]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert needle in err and "Traceback" not in err


def test_api_errors_are_clear():
    with pytest.raises(TypeError, match="str"):
        zhclean.convert(None, "s2t")
    with pytest.raises(TypeError, match="str"):
        zhclean.clean(None)
    assert zhclean.clean("第一段\u200b。", steps="normalize") == "第一段。"
    assert zhclean.clean("第一段\u200b。", steps=["normalize"]) == "第一段。"
    with pytest.raises(zhclean.ConfigError, match="normalize"):
        zhclean.clean("第一段。", normalize="x")
    with pytest.raises(zhclean.ConfigError, match="nomalize"):
        zhclean.clean("第一段。", steps="nomalize")


def test_a_crash_in_fix_or_check_exits_2(tmp_path, capsys, monkeypatch):
    f = tmp_path / "a.txt"
    f.write_text(DIRTY, encoding="utf-8")
    from zhclean.engines import local

    def boom(*a, **k):
        raise RuntimeError("simulated bug")

    monkeypatch.setattr(local, "process_text", boom)
    for cmd in ("fix", "check"):
        assert main([cmd, str(f)]) == 2
        err = capsys.readouterr().err
        assert str(f) in err and "internal error" in err
    assert f.read_bytes() == DIRTY.encode("utf-8")


def test_gzip_truncated_still_named(tmp_path, capsys):
    f = tmp_path / "a.jsonl.gz"
    f.write_bytes(gzip.compress(('{"text": "好"}\n' * 5000).encode())[:100])
    assert main(["clean", str(f), "-o", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err
    assert str(f) in err and "truncated" in err


def test_spark_engine_refuses_zst_by_name(tmp_path):
    from zhclean.errors import ConfigError
    from zhclean.spark.cli import input_files

    (tmp_path / "a.jsonl").write_text('{"text": "好"}\n', encoding="utf-8")
    (tmp_path / "b.jsonl.zst").write_bytes(_zst(b'{"text": "\\u597d"}\n'))
    with pytest.raises(ConfigError, match="b.jsonl.zst"):
        input_files([str(tmp_path)])
    (tmp_path / "b.jsonl.zst").unlink()
    assert input_files([str(tmp_path)]) == ([str(tmp_path / "a.jsonl")], [])


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_clean_jsonl_file_keeps_its_layout(tmp_path, jobs):
    """CRLF endings, blank lines and a missing final newline are the file's own: check finds nothing
    to fix in a clean file, and a changed record keeps its line's ending.  (They used to be rewritten,
    unexplained: check said 'would fix' while explain listed no change.)"""
    clean_rec = '{"id": 1, "text": "正文内容，写得完整。"}'
    f = tmp_path / "c.jsonl"
    data = (clean_rec + "\r\n\r\n" + clean_rec + "\n\n" + clean_rec).encode()
    f.write_bytes(data)
    assert main(["check", str(f), "-j", jobs, "-q"]) == 0
    assert main(["explain", str(f), "-q"]) == 0
    assert main(["fix", str(f), "-j", jobs, "-q"]) == 0 and f.read_bytes() == data
    f.write_bytes(data.replace("完整".encode(), "完\u200b整".encode(), 1))
    assert main(["fix", str(f), "-j", jobs, "-q"]) == 1
    # (the record is written as json.dumps writes it, which is how clean_rec is written: its CRLF stays)
    assert f.read_bytes() == data
