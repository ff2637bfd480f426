"""--resume: a run killed half way is finished by redoing only the unfinished files."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from zhclean.cli import main

ROOT = Path(__file__).resolve().parent.parent


def _corpus(d: Path, n: int) -> None:
    d.mkdir()
    for i in range(n):
        recs = [{"id": j, "text": f"第{i}个文件的第{j}条记录\u200b，" + "内容，" * 30} for j in range(400)]
        (d / f"f{i:03d}.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in recs),
                                          encoding="utf-8")


def test_resume_after_a_kill_redoes_only_unfinished_files(tmp_path, capsys):
    src, out, rep = tmp_path / "in", tmp_path / "out", tmp_path / "r.jsonl"
    _corpus(src, 12)
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    p = subprocess.Popen([sys.executable, "-m", "zhclean", "clean", str(src), "-o", str(out), "--report", str(rep),
                          "-q"], env=env)
    deadline = time.time() + 120
    while time.time() < deadline and len(list(out.glob("*.jsonl"))) < 3 and p.poll() is None:
        time.sleep(0.02)
    p.send_signal(signal.SIGKILL)
    p.wait()
    finished = {f.name: f.stat().st_mtime_ns for f in out.glob("*.jsonl")}
    assert 3 <= len(finished) < 12, "the kill came too late to test anything"
    time.sleep(0.01)
    assert main(["clean", str(src), "-o", str(out), "--report", str(rep), "--resume"]) == 0
    err = capsys.readouterr().err
    assert f"{len(finished)} file(s) skipped as done" in err
    assert sorted(f.name for f in out.glob("*.jsonl")) == [f"f{i:03d}.jsonl" for i in range(12)]
    for name, t in finished.items():  # done files were not redone
        assert (out / name).stat().st_mtime_ns == t
    # every file's rows are in the report once: 400 records each, one change per record
    rows = [json.loads(x) for x in rep.read_text(encoding="utf-8").splitlines()]
    per = {}
    for r in rows:
        per[(r["file"], r["record"], r["rule"])] = per.get((r["file"], r["record"], r["rule"]), 0) + 1
    assert max(per.values()) == 1
    files = {r["file"] for r in rows}
    unfinished = [f"f{i:03d}.jsonl" for i in range(12) if f"f{i:03d}.jsonl" not in finished]
    assert {str(src / n) for n in unfinished} <= files
    # and the outputs are what a fresh run writes
    fresh = tmp_path / "fresh"
    assert main(["clean", str(src), "-o", str(fresh), "-q"]) == 0
    for f in fresh.glob("*.jsonl"):
        assert (out / f.name).read_bytes() == f.read_bytes()


def test_resume_redoes_inputs_newer_than_their_output(tmp_path, capsys):
    src, out = tmp_path / "in", tmp_path / "out"
    src.mkdir()
    (src / "a.txt").write_text("第一段\u200b。\n", encoding="utf-8")
    (src / "b.txt").write_text("第二段\u200b。\n", encoding="utf-8")
    assert main(["clean", str(src), "-o", str(out), "-q"]) == 0
    time.sleep(0.01)
    (src / "b.txt").write_text("第二段改了\u200b。\n", encoding="utf-8")
    assert main(["clean", str(src), "-o", str(out), "--resume"]) == 0
    assert "1 file(s) skipped as done" in capsys.readouterr().err
    assert (out / "b.txt").read_text(encoding="utf-8") == "第二段改了。\n"


def test_resume_redoes_everything_after_the_config_changed(tmp_path, monkeypatch, capsys):
    src, out = tmp_path / "in", tmp_path / "out"
    src.mkdir()
    (src / "a.txt").write_text("第一段\u200b。\n", encoding="utf-8")
    (src / "b.txt").write_text("第二段\u200b。\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert main(["clean", str(src), "-o", str(out), "-q"]) == 0
    assert main(["clean", str(src), "-o", str(out), "--resume"]) == 0
    assert "2 file(s) skipped as done" in capsys.readouterr().err
    time.sleep(0.01)
    (tmp_path / "zhclean.toml").write_text('skip = ["dedup_paragraphs"]\n', encoding="utf-8")
    before = (out / "a.txt").stat().st_mtime_ns
    assert main(["clean", str(src), "-o", str(out), "--resume"]) == 0
    assert "skipped as done" not in capsys.readouterr().err
    assert (out / "a.txt").stat().st_mtime_ns > before


def test_resume_with_parquet_outputs(tmp_path, capsys):
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    src, out = tmp_path / "in", tmp_path / "out"
    src.mkdir()
    for n in ("a", "b"):
        pq.write_table(pa.Table.from_pylist([{"text": f"{n}段\u200b。", "k": 1}]), src / f"{n}.parquet")
    assert main(["clean", str(src / "a.parquet"), "-o", str(out), "-q"]) == 0
    assert main(["clean", str(src), "-o", str(out), "--resume"]) == 0
    assert "1 file(s) skipped as done" in capsys.readouterr().err
    assert pq.read_table(out / "b.parquet").to_pylist() == [{"text": "b段。", "k": 1}]
