import gzip
import io
import json
import os
import stat
import sys

import pytest

from helpers import SEEDS
from zhclean.cli import main

DIRTY = "第一段\u200b内容。  \r\n\r\n\r\n\r\n第二段</p>\n"
CLEAN = "第一段内容。\n\n第二段\n"


def test_clean_seeds_writes_outputs_and_report(tmp_path):
    out, rep = tmp_path / "out", tmp_path / "r.jsonl"
    assert main(["clean", str(SEEDS), "-o", str(out), "--report", str(rep), "-q"]) == 0
    outs = sorted(p.name for p in out.iterdir())
    assert outs == sorted(p.name for p in SEEDS.glob("*.txt")) and len(outs) == 5
    rows = [json.loads(line) for line in rep.read_text(encoding="utf-8").splitlines()]
    assert rows, "the seeds need changes, so the report cannot be empty"
    for r in rows:
        assert {"file", "record", "line", "filter", "rule", "reason", "before", "after", "kind"} <= set(r)
    # every seed that changed appears in the report, and the input is untouched
    assert {r["file"] for r in rows} <= {str(p) for p in SEEDS.glob("*.txt")}


def test_summary_table_printed(tmp_path, capsys):
    (tmp_path / "a.txt").write_text(DIRTY, encoding="utf-8")
    assert main(["clean", str(tmp_path / "a.txt"), "-o", str(tmp_path / "o")]) == 0
    err = capsys.readouterr().err
    assert "normalize" in err and "1 file(s), 1 changed, 0 skipped" in err


def test_check_and_fix(tmp_path, capsys):
    dirty, clean = tmp_path / "dirty.txt", tmp_path / "clean.txt"
    dirty.write_bytes(DIRTY.encode())
    clean.write_bytes(CLEAN.encode())
    os.chmod(dirty, 0o640)
    assert main(["check", str(dirty)]) == 1
    assert main(["check", str(clean)]) == 0
    assert dirty.read_bytes() == DIRTY.encode() and clean.read_bytes() == CLEAN.encode()
    capsys.readouterr()
    assert main(["check", "--diff", str(dirty)]) == 1
    out = capsys.readouterr().out
    assert "would fix" in out and "-第一段\u200b内容。" in out and "+第一段内容。" in out
    assert main(["fix", str(dirty), str(clean)]) == 1
    out = capsys.readouterr().out
    assert f"Fixing {dirty}" in out and "normalize:" in out and str(clean) not in out
    assert dirty.read_text(encoding="utf-8") == CLEAN
    assert stat.S_IMODE(os.stat(dirty).st_mode) == 0o640
    assert not [p for p in tmp_path.iterdir() if "zhclean-tmp" in p.name]
    assert main(["fix", str(dirty)]) == 0


def test_fix_is_atomic_when_writing_fails(tmp_path, monkeypatch):
    f = tmp_path / "a.txt"
    f.write_bytes(DIRTY.encode())
    import zhclean.io.formats as formats

    def boom(*a, **k):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(formats.os, "replace", boom)
    assert main(["fix", str(f)]) == 2
    assert f.read_bytes() == DIRTY.encode()
    assert [p.name for p in tmp_path.iterdir()] == ["a.txt"]


def test_jsonl_round_trip_keeps_records_order_and_fields(tmp_path):
    recs = [{"id": i, "text": f"第{i}条\u200b记录。 ", "meta": {"src": "x", "n": [1, 2]}, "title": "标题"}
            for i in range(50)]
    recs[7]["text"] = "已经干净。"
    src = tmp_path / "in" / "part.jsonl"
    src.parent.mkdir()
    src.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in recs), encoding="utf-8")
    assert main(["clean", str(tmp_path / "in"), "-o", str(tmp_path / "out"), "-q"]) == 0
    got = [json.loads(x) for x in (tmp_path / "out" / "part.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in got] == list(range(50))
    for a, b in zip(recs, got):
        assert {k: v for k, v in a.items() if k != "text"} == {k: v for k, v in b.items() if k != "text"}
    assert got[3]["text"] == "第3条记录。" and got[7]["text"] == "已经干净。"


def test_text_key_option(tmp_path):
    src = tmp_path / "a.jsonl"
    src.write_text(json.dumps({"content": "甲\u200b"}, ensure_ascii=False) + "\n", encoding="utf-8")
    assert main(["clean", str(src), "-o", str(tmp_path / "o"), "--text-key", "content", "-q"]) == 0
    assert json.loads((tmp_path / "o" / "a.jsonl").read_text(encoding="utf-8"))["content"] == "甲"
    assert main(["clean", str(src), "-o", str(tmp_path / "o2"), "-q"]) == 2  # no "text" field


def test_compressed_inputs_mirror_format(tmp_path):
    import zstandard

    d = tmp_path / "in"
    (d / "sub").mkdir(parents=True)
    (d / "sub" / "a.txt.gz").write_bytes(gzip.compress(DIRTY.encode()))
    line = json.dumps({"text": DIRTY}, ensure_ascii=False) + "\n"
    (d / "b.jsonl.zst").write_bytes(zstandard.ZstdCompressor().compress(line.encode()))
    (d / "ignored.bin").write_bytes(b"\x00\x01")
    assert main(["clean", str(d), "-o", str(tmp_path / "o"), "-q"]) == 0
    assert gzip.decompress((tmp_path / "o" / "sub" / "a.txt.gz").read_bytes()).decode() == CLEAN
    raw = zstandard.ZstdDecompressor().decompressobj().decompress((tmp_path / "o" / "b.jsonl.zst").read_bytes())
    assert json.loads(raw)["text"] == CLEAN
    assert not (tmp_path / "o" / "ignored.bin").exists()


def test_include_and_exclude(tmp_path):
    d = tmp_path / "in"
    (d / "keep").mkdir(parents=True)
    (d / "skip").mkdir()
    (d / "keep" / "a.txt").write_text("甲", encoding="utf-8")
    (d / "skip" / "b.txt").write_text("乙", encoding="utf-8")
    (d / "c.md").write_text("丙", encoding="utf-8")
    assert main(["clean", str(d), "-o", str(tmp_path / "o"), "--exclude", "skip", "--include", "*.txt", "-q"]) == 0
    got = sorted(p.relative_to(tmp_path / "o").as_posix() for p in (tmp_path / "o").rglob("*") if p.is_file())
    assert got == ["keep/a.txt"]


def test_stdin_to_stdout(monkeypatch, capsysbinary):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(DIRTY.encode())))
    assert main(["clean", "-"]) == 0
    assert capsysbinary.readouterr().out.decode() == CLEAN


def test_binary_file_is_skipped_and_named(tmp_path, capsys):
    (tmp_path / "good.txt").write_text(DIRTY, encoding="utf-8")
    (tmp_path / "bad.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00")
    code = main(["clean", str(tmp_path / "bad.txt"), str(tmp_path / "good.txt"), "-o", str(tmp_path / "o"),
                 "--report", str(tmp_path / "r.jsonl")])
    err = capsys.readouterr().err
    assert code == 2
    assert "bad.txt" in err and "skipped" in err
    assert (tmp_path / "o" / "good.txt").read_text(encoding="utf-8") == CLEAN
    rows = [json.loads(x) for x in (tmp_path / "r.jsonl").read_text().splitlines()]
    assert any(r["rule"] == "unreadable" and r["file"].endswith("bad.txt") for r in rows)


def test_malformed_jsonl_names_file_and_line(tmp_path, capsys):
    src = tmp_path / "c.jsonl"
    src.write_text('{"text": "甲"}\n{"text": 乙}\n{"text": "丙\u200b"}\n', encoding="utf-8")
    assert main(["clean", str(src), "-o", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err
    assert f"{src}:2:" in err and "--on-error skip" in err
    rep = tmp_path / "r.jsonl"
    # skipped input is said by the exit code; the bad record is written back unchanged, never dropped
    assert main(["clean", str(src), "-o", str(tmp_path / "o"), "--on-error", "skip", "--report", str(rep), "-q"]) == 2
    got = (tmp_path / "o" / "c.jsonl").read_text(encoding="utf-8").splitlines()
    assert got == ['{"text": "甲"}', '{"text": 乙}', '{"text": "丙"}']
    rows = [json.loads(x) for x in rep.read_text(encoding="utf-8").splitlines()]
    skipped = [r for r in rows if r["rule"] == "malformed_record"]
    assert len(skipped) == 1 and skipped[0]["record"] == 2 and skipped[0]["before"] == '{"text": 乙}'


def test_empty_files_are_fine(tmp_path):
    (tmp_path / "e.txt").write_bytes(b"")
    (tmp_path / "e.jsonl").write_bytes(b"")
    assert main(["clean", str(tmp_path / "e.txt"), str(tmp_path / "e.jsonl"), "-o", str(tmp_path / "o"), "-q"]) == 0
    assert (tmp_path / "o" / "e.txt").read_bytes() == b""
    assert main(["check", str(tmp_path / "e.txt")]) == 0


def test_missing_path_exits_2(tmp_path, capsys):
    assert main(["check", str(tmp_path / "nope.txt")]) == 2
    assert "nope.txt: no such file or directory" in capsys.readouterr().err


def test_usage_errors_exit_2(capsys):
    assert main([]) == 2
    assert main(["clean", "x"]) == 2  # missing path before -o
    assert main(["frobnicate"]) == 2


def test_clean_never_overwrites_input(tmp_path, capsys):
    f = tmp_path / "a.txt"
    f.write_bytes(DIRTY.encode())
    assert main(["clean", str(f), "-o", str(tmp_path)]) == 2
    assert "fix" in capsys.readouterr().err
    assert f.read_bytes() == DIRTY.encode()


def test_parallel_workers_give_same_output_and_stats(tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    for i in range(6):
        (d / f"{i}.txt").write_text(DIRTY * (i + 1), encoding="utf-8")
    r1, r2 = tmp_path / "r1.jsonl", tmp_path / "r2.jsonl"
    assert main(["clean", str(d), "-o", str(tmp_path / "o1"), "--report", str(r1), "-q"]) == 0
    assert main(["clean", str(d), "-o", str(tmp_path / "o2"), "--report", str(r2), "-q", "-j", "2"]) == 0
    for i in range(6):
        assert (tmp_path / "o1" / f"{i}.txt").read_bytes() == (tmp_path / "o2" / f"{i}.txt").read_bytes()
    assert r1.read_text() == r2.read_text()


def test_explain_labels_changes(tmp_path, capsys):
    f = tmp_path / "a.txt"
    f.write_bytes(DIRTY.encode())
    assert main(["explain", str(f), "--no-color"]) == 1
    out = capsys.readouterr().out
    assert "[normalize/invisible]" in out and "[normalize/trailing_space]" in out
    assert main(["explain", str(f), "--color"]) == 1
    assert "\033[31m" in capsys.readouterr().out
    assert f.read_bytes() == DIRTY.encode()


def test_config_file_and_flag_override(tmp_path, monkeypatch, capsys):
    (tmp_path / "pyproject.toml").write_text('[tool.zhclean]\nsteps = ["normalize"]\n\n'
                                             '[tool.zhclean.normalize]\ninvisible = false\n', encoding="utf-8")
    sub = tmp_path / "deep" / "er"
    sub.mkdir(parents=True)
    f = sub / "a.txt"
    f.write_text("甲\u200b乙", encoding="utf-8")
    monkeypatch.chdir(sub)
    assert main(["check", "a.txt"]) == 0  # config found upward turns the rule off
    assert main(["check", "a.txt", "--set", "normalize.invisible=true"]) == 1  # the flag wins


def test_zhclean_toml_and_unknown_key(tmp_path, monkeypatch, capsys):
    (tmp_path / "zhclean.toml").write_text('stepz = ["normalize"]\n', encoding="utf-8")
    (tmp_path / "a.txt").write_text("甲", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert main(["check", "a.txt"]) == 2
    err = capsys.readouterr().err
    assert "zhclean.toml" in err and 'unknown key "stepz"' in err and 'Did you mean "steps"' in err
    (tmp_path / "zhclean.toml").write_text('[normalize]\nblank_line = false\n', encoding="utf-8")
    assert main(["check", "a.txt"]) == 2
    assert 'Did you mean "blank_lines"' in capsys.readouterr().err


def test_unknown_step_on_command_line(tmp_path, capsys):
    (tmp_path / "a.txt").write_text("甲", encoding="utf-8")
    assert main(["check", str(tmp_path / "a.txt"), "--steps", "normalise"]) == 2
    assert 'Did you mean "normalize"' in capsys.readouterr().err


def test_progress_bar(tmp_path, capsys):
    (tmp_path / "a.txt").write_text(DIRTY, encoding="utf-8")
    assert main(["clean", str(tmp_path / "a.txt"), "-o", str(tmp_path / "o"), "--progress"]) == 0
    err = capsys.readouterr().err
    assert "files 1/1" in err and "MB/s" in err and "ETA" in err


def test_gbk_file_is_written_as_utf8(tmp_path):
    f = tmp_path / "g.txt"
    f.write_bytes("这是一段用国标码保存的中文文本，内容足够长以便识别编码。".encode("gbk"))
    assert main(["fix", str(f), "-q"]) == 1
    assert f.read_text(encoding="utf-8") == "这是一段用国标码保存的中文文本，内容足够长以便识别编码。"


def test_check_diff_no_final_newline_and_file_wide_changes(tmp_path, capsys):
    f = tmp_path / "a.txt"
    f.write_bytes("第一段内容。\r\n\r\n\r\n\r\n第二段\u3000\u3000内容。  ".encode("gb18030"))
    g = tmp_path / "b.txt"
    g.write_bytes("另一个文件\u200b。\n".encode("utf-8"))
    assert main(["check", "--diff", str(f), str(g)]) == 1
    out = capsys.readouterr().out
    assert "encoding: GB18030 → UTF-8" in out
    assert "line endings: CRLF → LF" in out
    assert "\ufffd" not in out and "\x00" not in out
    # the last line had no newline: its - and + lines and the next file's message stay apart
    assert "-第二段\u3000\u3000内容。  \n+第二段\u3000\u3000内容。\n" in out
    assert f"\nwould fix {g}" in out


def test_check_utf16_diff_is_decoded(tmp_path, capsys):
    f = tmp_path / "u.txt"
    f.write_bytes("第一段\u200b内容。\n".encode("utf-16"))
    assert main(["check", "--diff", str(f)]) == 1
    out = capsys.readouterr().out
    assert "-第一段\u200b内容。" in out and "+第一段内容。" in out and "\x00" not in out


def test_check_prints_a_black_style_summary(tmp_path, capsys):
    (tmp_path / "a.txt").write_text("干净的一段。\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text("另一段，也很干净。\n", encoding="utf-8")
    assert main(["check", str(tmp_path / "a.txt"), str(tmp_path / "b.txt")]) == 0
    assert "2 files would be left unchanged." in capsys.readouterr().err


def test_to_help_lists_twp(capsys):
    main(["clean", "--help"])
    assert "twp" in capsys.readouterr().out


def test_tool_zhclean_table_in_zhclean_toml(tmp_path, monkeypatch):
    from zhclean.config import load

    (tmp_path / "zhclean.toml").write_text('[tool.zhclean]\nto = "simplified"\nskip = ["dedup_paragraphs"]\n',
                                           encoding="utf-8")
    cfg = load(start=tmp_path)
    assert cfg.options["to"] == "simplified" and cfg.skip == ["dedup_paragraphs"]
    (tmp_path / "zhclean.toml").write_text('to = "simplified"\n', encoding="utf-8")
    assert load(start=tmp_path).options["to"] == "simplified"
