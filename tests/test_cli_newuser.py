"""What a new user met when cleaning a folder of mixed files and a JSONL corpus for the first time:
messages that name the problem as the user wrote it, summaries that count what happened, and no
record lost by `dedup --on-error skip`."""

import codecs
import json

import pytest

from zhclean.cli import main

CMRC = "《战国无双3》是由光荣和ω-force开发的战国无双系列的正统第三续作。本作以三大故事为主轴。"
DRCD = "在歐洲，梵語的學術研究，由德國學者陸特和漢斯雷頓開創。後來威廉·瓊斯發現印歐語系。"


def _rows(path):
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_bad_record_types_are_named_as_json_names_them(tmp_path):
    f = tmp_path / "d.jsonl"
    lines = [{"id": 1, "text": None}, {"id": 2, "text": 123}, [1, 2], {"id": 4, "text": ["a"]}, {"text": True}]
    f.write_text("".join(json.dumps(x) + "\n" for x in lines), encoding="utf-8")
    rep = tmp_path / "r.jsonl"
    assert main(["clean", str(f), "-o", str(tmp_path / "o"), "--on-error", "skip", "--report", str(rep), "-q"]) == 2
    reasons = [r["reason"] for r in _rows(rep)]
    assert reasons[0].startswith('"text" is null, not a string')
    assert reasons[1].startswith('"text" is a number, not a string')
    assert reasons[2].startswith("a record must be a JSON object, not an array")
    assert reasons[3].startswith('"text" is an array, not a string')
    assert reasons[4].startswith('"text" is a boolean, not a string')
    assert not any("NoneType" in r or "int" in r.split(",")[0] or "list" in r for r in reasons)


def test_skipped_records_message_does_not_point_at_a_missing_report(tmp_path, capsys):
    f = tmp_path / "d.jsonl"
    f.write_text(json.dumps({"text": CMRC}, ensure_ascii=False) + "\n{bad\n", encoding="utf-8")
    assert main(["clean", str(f), "-o", str(tmp_path / "o"), "--on-error", "skip", "-q"]) == 2
    err = capsys.readouterr().err
    assert "1 bad record(s) skipped" in err and "listed in the report" not in err
    assert "--report" in err
    rep = tmp_path / "r.jsonl"
    assert main(["clean", str(f), "-o", str(tmp_path / "o2"), "--on-error", "skip", "-q", "--report", str(rep)]) == 2
    assert f"listed in {rep}" in capsys.readouterr().err


def test_fix_summary_does_not_count_a_file_left_whole_as_fixed(tmp_path, capsys):
    # strip_boilerplate removes a lone Latin word; the guard keeps the file as it is
    ok, clean = tmp_path / "ok.txt", tmp_path / "clean.txt"
    ok.write_text("ok", encoding="utf-8")
    clean.write_text(CMRC + "\n", encoding="utf-8")
    assert main(["fix", str(ok), str(clean)]) == 1
    err = capsys.readouterr().err
    assert ok.read_text(encoding="utf-8") == "ok"
    assert "fixed" not in err
    assert "1 file left unchanged, 1 file left whole" in err
    assert main(["check", str(ok), str(clean)]) == 1
    err = capsys.readouterr().err
    assert "would be fixed" not in err and "1 file would be left whole" in err


def test_fix_check_and_explain_help_say_what_file_may_be(capsys):
    for cmd in ("fix", "check", "explain"):
        assert main([cmd, "--help"]) == 0
        assert "files or directories" in capsys.readouterr().out


def test_removed_utf8_bom_is_explained_and_reported(tmp_path, capsys):
    f = tmp_path / "bom.txt"
    f.write_bytes(codecs.BOM_UTF8 + (CMRC + "\n").encode("utf-8"))
    rep = tmp_path / "r.jsonl"
    assert main(["clean", str(f), "-o", str(tmp_path / "o"), "--report", str(rep), "-q"]) == 0
    assert (tmp_path / "o" / "bom.txt").read_bytes() == (CMRC + "\n").encode("utf-8")
    rows = _rows(rep)
    assert [(r["filter"], r["rule"]) for r in rows] == [("decode", "bom")]
    capsys.readouterr()
    # check, explain and fix agree: one change, and explain exits 1 as check does
    assert main(["check", "--diff", str(f)]) == 1
    out = capsys.readouterr().out
    assert "(decode: 1)" in out and "byte order mark: removed" in out
    assert main(["explain", str(f)]) == 1
    assert "[decode/bom]" in capsys.readouterr().out
    assert main(["fix", str(f)]) == 1
    assert "(decode: 1)" in capsys.readouterr().out
    assert main(["explain", str(f)]) == 0


def test_dedup_on_error_skip_writes_bad_records_back(tmp_path, capsys):
    f = tmp_path / "d.jsonl"
    good = [json.dumps({"id": i, "text": t}, ensure_ascii=False) for i, t in enumerate([CMRC, DRCD, CMRC])]
    bad = [b'{"id": "cut", "text": "\xe6\x9c\xaa', b'{"id": 5}', b'{"text": null}', b'[1]', b'{"text": "\xff\xfe"']
    data = b"\n".join([good[0].encode(), bad[0], bad[1], good[1].encode(), bad[2], bad[3], good[2].encode(), bad[4]])
    f.write_bytes(data + b"\n")
    rep = tmp_path / "r.jsonl"
    code = main(["dedup", str(f), "-o", str(tmp_path / "o"), "--on-error", "skip", "--report", str(rep), "-q"])
    out = (tmp_path / "o" / "d.jsonl").read_bytes().split(b"\n")
    # the third record duplicates the first and goes; every bad line stays, byte for byte, in its place
    assert out == [good[0].encode(), bad[0], bad[1], good[1].encode(), bad[2], bad[3], bad[4], b""]
    assert code == 2, "records that could not be processed make the run exit 2, as for clean"
    assert "5 bad record(s) skipped and written back unchanged" in capsys.readouterr().err
    rows = _rows(rep)
    assert sorted(r["record"] for r in rows if r["rule"] == "malformed_record") == [2, 3, 5, 6, 8]
    assert [r["record"] for r in rows if r["filter"] == "dedup"] == [7]


@pytest.mark.parametrize("final_newline", [True, False])
def test_dedup_keeps_the_jsonl_layout(tmp_path, final_newline):
    """Records dedup leaves alone are written back byte for byte (their spacing and escapes), blank
    lines and CRLF endings stay, and so does the final newline or its absence: only the dropped
    record, which the report names, is gone."""
    f = tmp_path / "d.jsonl"
    lines = [b'{"id":1,"text":"' + json.dumps(CMRC)[1:-1].encode() + b'"}\r',  # \uXXXX escapes, no spaces
             b"",
             b'{"id": 2, "text": "' + DRCD.encode() + b'"}\r',
             b"   ",
             json.dumps({"id": 3, "text": CMRC}, ensure_ascii=False).encode() + b"\r",
             b'{"id": 4,  "text": ' + json.dumps(DRCD + "\n新的一段，写在后面。", ensure_ascii=False).encode() + b"}"]
    data = b"\n".join(lines) + (b"\n" if final_newline else b"")
    f.write_bytes(data)
    assert main(["dedup", str(f), "-o", str(tmp_path / "o"), "-q"]) == 0
    out = (tmp_path / "o" / "d.jsonl").read_bytes()
    # record 3 duplicates record 1 and goes; record 4 loses its first paragraph (a duplicate of record 2)
    rec4 = json.dumps({"id": 4, "text": "新的一段，写在后面。"}, ensure_ascii=False).encode()
    assert out == b"\n".join(lines[:4] + [rec4]) + (b"\n" if final_newline else b"")


def test_dedup_names_an_unreadable_file(tmp_path, capsys):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text(CMRC + "\n", encoding="utf-8")
    (tmp_path / "in" / "bin.txt").write_bytes(bytes(range(256)) * 4)
    rep = tmp_path / "r.jsonl"
    assert main(["dedup", str(tmp_path / "in"), "-o", str(tmp_path / "o"), "-q", "--report", str(rep)]) == 2
    err = capsys.readouterr().err
    assert f"skipped {tmp_path / 'in' / 'bin.txt'}: binary data" in err
    assert [(r["file"], r["rule"]) for r in _rows(rep)] == [(str(tmp_path / "in" / "bin.txt"), "unreadable")]


def test_output_folder_inside_the_input_folder_is_not_read_again(tmp_path, capsys):
    src = tmp_path / "corpus"
    src.mkdir()
    (src / "a.txt").write_text(CMRC + "\n", encoding="utf-8")
    out = src / "cleaned"
    for _ in range(2):
        assert main(["clean", str(src), "-o", str(out), "-q"]) == 0
    assert sorted(p.relative_to(src).as_posix() for p in src.rglob("*")) == ["a.txt", "cleaned", "cleaned/a.txt"]
    assert main(["dedup", str(src), "-o", str(out)]) == 0
    assert "left out 1 file(s) inside the output folder" in capsys.readouterr().err
    assert not (out / "cleaned").exists()


def test_input_folder_inside_the_output_folder_is_still_read(tmp_path, capsys):
    # clean data/raw -o data: every input lies inside the output folder, but none is an output of an
    # earlier run; leaving them out cleaned nothing and exited 0
    out = tmp_path / "data"
    src = out / "raw"
    src.mkdir(parents=True)
    (src / "a.txt").write_text(CMRC + "\u200b\n", encoding="utf-8")
    assert main(["clean", str(src), "-o", str(out), "-q"]) == 0
    assert (out / "a.txt").read_text(encoding="utf-8") == CMRC + "\n"
    assert "left out" not in capsys.readouterr().err
    assert main(["dedup", str(src), "-o", str(tmp_path), "-q"]) == 0
    assert (tmp_path / "a.txt").exists()


def test_stdin_problems_are_said_and_name_stdin(capsys, monkeypatch):
    import io
    import sys

    def run(data: bytes, *extra):
        out = io.BytesIO()
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
        monkeypatch.setattr(sys, "stdout", io.TextIOWrapper(out, write_through=True))
        code = main(["clean", "-", *extra])
        sys.stdout.flush()
        return code, out.getvalue(), capsys.readouterr().err

    code, out, err = run(b"ok")
    assert (code, out) == (1, b"ok") and "<stdin>: every line would be removed" in err
    code, out, err = run(bytes(range(256)))
    assert code == 2 and out == b"" and "error: <stdin>: binary data" in err
    code, out, err = run(b'{"text": null}\n', "--format", "jsonl", "--on-error", "skip")
    assert code == 2 and out == b'{"text": null}\n' and "pass --report FILE.jsonl" in err


def test_the_report_inside_an_input_folder_is_not_read_as_a_corpus(tmp_path):
    src = tmp_path / "corpus"
    src.mkdir()
    (src / "a.txt").write_text(CMRC + "\n", encoding="utf-8")
    rep = src / "report.jsonl"
    for k in range(2):
        assert main(["clean", str(src), "-o", str(tmp_path / f"o{k}"), "--report", str(rep), "-q"]) == 0
    assert sorted(p.name for p in (tmp_path / "o1").iterdir()) == ["a.txt"]
    assert main(["dedup", str(src), "-o", str(tmp_path / "d"), "--report", str(rep), "-q"]) == 0
    assert sorted(p.name for p in (tmp_path / "d").iterdir()) == ["a.txt"]


@pytest.mark.parametrize("on_error", ["fail", "skip"])
def test_dedup_keeps_a_parquet_row_with_null_text(tmp_path, capsys, on_error):
    """A null text in Parquet is a missing value: dedup passes the row through in its place, as clean
    does, instead of refusing the file."""
    pa = pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq

    src = tmp_path / "a.parquet"
    pq.write_table(pa.table({"id": [1, 2, 3, 4], "content": [CMRC, None, DRCD, CMRC]}), src, row_group_size=2)
    code = main(["dedup", str(src), "-o", str(tmp_path / "o"), "--text-key", "content", "--level", "document",
                 "--on-error", on_error, "-q"])
    t = pq.read_table(tmp_path / "o" / "a.parquet")
    assert t.column("id").to_pylist() == [1, 2, 3] and t.column("content").to_pylist() == [CMRC, None, DRCD]
    assert code == 0 and "bad record" not in capsys.readouterr().err
    assert main(["clean", str(src), "-o", str(tmp_path / "c"), "--text-key", "content", "-q"]) == 0
    assert pq.read_table(tmp_path / "c" / "a.parquet").column("content").to_pylist()[1] is None


def test_explain_exits_2_for_bad_records_as_check_does(tmp_path, capsys):
    f = tmp_path / "d.jsonl"
    f.write_text(json.dumps({"text": CMRC}, ensure_ascii=False) + '\n{"text": null}\n', encoding="utf-8")
    assert main(["check", str(f), "--on-error", "skip"]) == 2
    assert main(["explain", str(f), "--on-error", "skip"]) == 2
    assert "1 bad record(s) skipped" in capsys.readouterr().err


def test_dedup_help_explains_engine_and_keep(capsys):
    assert main(["dedup", "--help"]) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert "--engine {local,spark} spark:" in out and "(default first" in out


def test_config_file_step_errors_name_the_file(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.txt").write_text(CMRC + "\n", encoding="utf-8")
    (tmp_path / "zhclean.toml").write_text('skip = ["dedup_paragraph"]\n', encoding="utf-8")
    assert main(["check", "a.txt"]) == 2
    err = capsys.readouterr().err
    assert "zhclean.toml: skip: unknown step" in err and 'Did you mean "dedup_paragraphs"' in err
    (tmp_path / "zhclean.toml").write_text('exclude = "raw/**"\n', encoding="utf-8")
    assert main(["check", "a.txt"]) == 2
    assert 'write exclude = ["raw/**"]' in capsys.readouterr().err


def test_utf16_jsonl_is_named_as_such_on_its_first_line(tmp_path, capsys):
    f = tmp_path / "u.jsonl"
    f.write_bytes("".join(json.dumps({"text": t}, ensure_ascii=False) + "\n" for t in (CMRC, DRCD)).encode("utf-16"))
    assert main(["check", str(f)]) == 2
    err = capsys.readouterr().err
    assert f"{f}:1: not UTF-8" in err and "UTF-16" in err and "Expecting value" not in err


def test_a_bad_line_says_the_whole_file_is_left_out(tmp_path, capsys):
    f = tmp_path / "d.jsonl"
    f.write_text(json.dumps({"text": CMRC}, ensure_ascii=False) + "\n{cut\n", encoding="utf-8")
    assert main(["clean", str(f), "-o", str(tmp_path / "o"), "-q"]) == 2
    assert not (tmp_path / "o" / "d.jsonl").exists()
    err = capsys.readouterr().err
    assert f"{f}:2: not valid JSON" in err and "whole file is left out" in err and "write bad records back" in err


def test_dedup_writes_no_empty_text_file(tmp_path):
    """A text file whose every paragraph duplicates another file's is not written empty (at paragraph
    level, as at document level); dedup into the input folder leaves it whole."""
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text(CMRC + "\n" + DRCD + "\n", encoding="utf-8")
    (tmp_path / "in" / "b.txt").write_text(DRCD + "\n" + CMRC + "\n", encoding="utf-8")
    rep = tmp_path / "r.jsonl"
    assert main(["dedup", str(tmp_path / "in"), "-o", str(tmp_path / "o"), "-q", "--report", str(rep)]) == 0
    assert sorted(p.name for p in (tmp_path / "o").iterdir()) == ["a.txt"]
    assert [(r["file"].endswith("b.txt"), r["rule"]) for r in _rows(rep)] == [(True, "corpus_paragraph")] * 2
    assert main(["dedup", str(tmp_path / "in"), "-o", str(tmp_path / "in"), "-q"]) == 0
    assert (tmp_path / "in" / "b.txt").read_text(encoding="utf-8") == DRCD + "\n" + CMRC + "\n"
