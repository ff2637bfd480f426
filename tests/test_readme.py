"""The README's snippets, run as a new user would run them."""

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def blocks(lang: str) -> list[str]:
    return re.findall(rf"```{lang}\n(.*?)```", README, flags=re.S)


def test_python_snippets_run(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "corpus.jsonl").write_text('{"text": "第一段\\u200b内容。"}\n{"text": "第二段。"}\n', encoding="utf-8")
    prelude = ("text = '第一段\\u200b内容&nbsp;。\\n\\n第二段。'\n"
               "raw_bytes = '简体中文'.encode('gbk')\n"
               "def my_filter(t):\n    return t\n")
    ran = 0
    for code in blocks("python"):
        if "datasets" in code:
            try:
                import datasets  # noqa: F401
            except ImportError:
                continue  # not a dependency; the snippet runs where it is installed
        if "pyspark" in code or "spark" in code.lower():
            continue  # run by tests/test_spark.py's README examples where Java is present
        exec(compile(prelude + code, "README.md", "exec"), {})
        ran += 1
    assert ran >= 1


@pytest.mark.parametrize("where", ["pyproject.toml", "zhclean.toml"])
def test_config_snippets_load_in_both_files(tmp_path, where):
    from zhclean.config import load

    tomls = blocks("toml")
    tool = [t for t in tomls if t.lstrip().startswith("[tool.zhclean]")]
    bare = [t for t in tomls if not t.lstrip().startswith("[")]
    assert tool and bare
    for text in tool + (bare if where == "zhclean.toml" else []):
        (tmp_path / where).write_text(text, encoding="utf-8")
        cfg = load(start=tmp_path)
        assert cfg.source == tmp_path / where
        assert "dedup_paragraphs" in cfg.skip or cfg.options or cfg.steps


def test_pre_commit_snippet_names_a_rev_that_exists():
    yaml_blocks = [b for b in blocks("yaml") if "repos:" in b]
    assert yaml_blocks
    rev = re.search(r"rev:\s*(\S+)", yaml_blocks[0]).group(1)
    ok = subprocess.run(["git", "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}"], cwd=ROOT,
                        capture_output=True)
    if ok.returncode != 0 and not (ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    assert ok.returncode == 0, f"rev {rev!r} does not exist in this repository"
    hooks = re.findall(r"id:\s*(\S+)", yaml_blocks[0])
    manifest = (ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8")
    for h in hooks:
        assert f"id: {h}" in manifest


def test_cli_snippets_parse():
    from zhclean.cli import parse_args

    lines = [ln.split("#")[0].strip() for b in blocks("sh") for ln in b.splitlines()]
    cmds = [ln for ln in lines if ln.startswith("zhclean ") and "<" not in ln and "|" not in ln]
    assert len(cmds) >= 5
    for c in cmds:
        c = re.sub(r"(?<=\s)\[[^\]]*\]", "", c)  # optional parts: [--report r.jsonl]
        argv = ["x.txt" if a.rstrip(".") in ("INPUT", "FILE") else a for a in c.split()[1:]]
        if "-o" in argv and argv[argv.index("-o") + 1] == "OUTDIR":
            argv[argv.index("-o") + 1] = "out"
        try:
            parse_args(argv)
        except SystemExit as e:
            pytest.fail(f"README command does not parse: {c} ({e})")


def test_demo_hint_uses_color():
    make = (ROOT / "Makefile").read_text(encoding="utf-8")
    hint = [ln for ln in make.splitlines() if "less -R" in ln]
    assert hint and all("--color" in ln for ln in hint)


def test_explain_color_flag_colours_a_pipe(tmp_path):
    f = tmp_path / "a.txt"
    f.write_text("第一段\u200b内容。\n", encoding="utf-8")
    p = subprocess.run([sys.executable, "-m", "zhclean.cli", "explain", "--color", str(f)], capture_output=True,
                       text=True, env={"PYTHONPATH": str(ROOT / "src"), "PATH": "/usr/bin:/bin"})
    assert "\033[" in p.stdout
