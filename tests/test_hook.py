"""The pre-commit hook, run by the real pre-commit tool on a temporary repository.

pre-commit installs this repository's committed HEAD into its own environment, so commit
before running this test locally (CI runs on a clean clone, where HEAD is everything).
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from zhclean.cli import main

ROOT = Path(__file__).resolve().parent.parent
PRE_COMMIT = Path(sys.executable).parent / "pre-commit"

P_OLD = "江门正深入推进港澳融合工程，全面参与粤港澳大湾区建设，推动江门上下在新一轮发展中奋勇争先。"
DIRTY = "第一段\u200b内容,写得很随意!\n责任编辑：王芳\n"
FIXED = "第一段内容，写得很随意！\n"


def git(repo, *args):
    return subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, text=True).stdout


def run(repo, *args, env):
    return subprocess.run([str(PRE_COMMIT), *args], cwd=repo, capture_output=True, text=True, env=env, timeout=900)


@pytest.fixture(scope="module")
def hook_env(tmp_path_factory):
    if not PRE_COMMIT.exists():
        pytest.skip("pre-commit is not installed (pip install -e .[hook])")
    home = tmp_path_factory.mktemp("pre-commit-home")
    env = dict(os.environ, PRE_COMMIT_HOME=str(home), GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@t",
               GIT_COMMITTER_NAME="t", GIT_COMMITTER_EMAIL="t@t")
    env.pop("VIRTUAL_ENV", None)
    return env


def make_repo(path: Path, env) -> Path:
    repo = path / "corpus"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    git(repo, "config", "user.email", "t@t")
    git(repo, "config", "user.name", "t")
    rev = git(ROOT, "rev-parse", "HEAD").strip()
    (repo / ".pre-commit-config.yaml").write_text(
        f"repos:\n- repo: {ROOT}\n  rev: {rev}\n  hooks:\n  - id: zhclean\n  - id: zhclean-check\n", encoding="utf-8")
    (repo / ".zhcleanignore").write_text("raw/\n", encoding="utf-8")
    (repo / "old.txt").write_text(P_OLD + "\n", encoding="utf-8")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "init")
    return repo


@pytest.mark.slow
def test_pre_commit_hooks(tmp_path, hook_env):
    repo = make_repo(tmp_path, hook_env)
    (repo / "raw").mkdir()
    (repo / "new.txt").write_text(DIRTY, encoding="utf-8")
    (repo / "raw" / "scrape.txt").write_text(DIRTY, encoding="utf-8")
    git(repo, "add", "-A")

    # check hook: fails, changes nothing
    r = run(repo, "run", "zhclean-check", "--files", "new.txt", "raw/scrape.txt", env=hook_env)
    assert r.returncode == 1, r.stdout + r.stderr
    assert "would fix new.txt" in r.stdout
    assert (repo / "new.txt").read_text(encoding="utf-8") == DIRTY

    # fix hook: fails and fixes the first time, passes the second; the ignored file is untouched
    r = run(repo, "run", "zhclean", "--files", "new.txt", "raw/scrape.txt", env=hook_env)
    assert r.returncode == 1, r.stdout + r.stderr
    assert "Fixing new.txt" in r.stdout
    assert (repo / "new.txt").read_text(encoding="utf-8") == FIXED
    assert (repo / "raw" / "scrape.txt").read_text(encoding="utf-8") == DIRTY
    git(repo, "add", "-A")
    r = run(repo, "run", "zhclean", "--files", "new.txt", "raw/scrape.txt", env=hook_env)
    assert r.returncode == 0, r.stdout + r.stderr

    # a paragraph duplicated from a file committed earlier is reported
    (repo / "dup.txt").write_text("一段全新的文字，之前从未出现过。\n" + P_OLD.replace("，", ",") + "\n", encoding="utf-8")
    git(repo, "add", "dup.txt")
    r = run(repo, "run", "zhclean-check", "--files", "dup.txt", env=hook_env)
    assert r.returncode == 1
    assert "dup.txt:2: line duplicates old.txt:1" in r.stdout, r.stdout


def test_hook_mode_in_process(tmp_path, monkeypatch, capsys):
    """The same behaviour through main(argv), and split-independence of the cross-file check."""
    repo = tmp_path / "r"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    git(repo, "config", "user.email", "t@t")
    git(repo, "config", "user.name", "t")
    (repo / "old.txt").write_text(P_OLD + "\n", encoding="utf-8")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "init")
    shared = "两份新文件共享的段落，内容足够长，可以被检测出来是重复的。"
    (repo / "a.txt").write_text(shared + "\n", encoding="utf-8")
    (repo / "b.txt").write_text("开头不同。\n" + shared + "\n" + P_OLD + "\n", encoding="utf-8")
    (repo / ".zhcleanignore").write_text("*.skip.txt\n", encoding="utf-8")
    (repo / "x.skip.txt").write_text(DIRTY, encoding="utf-8")
    git(repo, "add", "-A")
    monkeypatch.chdir(repo)
    assert main(["check", "--hook", "a.txt", "b.txt", "x.skip.txt"]) == 1
    together = capsys.readouterr().out
    assert main(["check", "--hook", "b.txt"]) == 1
    split_b = capsys.readouterr().out
    assert main(["check", "--hook", "a.txt"]) == 0
    split_a = capsys.readouterr().out
    assert sorted(together.splitlines()) == sorted((split_a + split_b).splitlines())
    assert "b.txt:2: line duplicates a.txt:1" in together and "b.txt:3: line duplicates old.txt:1" in together
    assert "x.skip.txt" not in together
    assert (repo / ".zhclean" / "index.sqlite").exists()


def test_inline_markers_protect_lines_and_blocks(tmp_path):
    f = tmp_path / "a.txt"
    text = ("正文\u200b一。\n"
            "保留\u200b这一行 <!-- zhclean: skip -->\n"
            "<!-- zhclean: off -->\n责任编辑：王芳\n块内\u200b文字,不改!\n<!-- zhclean: on -->\n"
            "正文\u200b二。\n")
    f.write_text(text, encoding="utf-8")
    assert main(["fix", str(f), "-q"]) == 1
    assert f.read_text(encoding="utf-8") == text.replace("正文\u200b一", "正文一").replace("正文\u200b二", "正文二")


def test_hook_never_empties_a_file(tmp_path, monkeypatch, capsys):
    """The pre-commit hook leaves a file that would lose all its text as it is, says so, exits 1;
    --allow-empty lets it empty the file (issue 11)."""
    repo = tmp_path / "r"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    (repo / "short.txt").write_text("ok\n", encoding="utf-8")
    git(repo, "add", "-A")
    monkeypatch.chdir(repo)
    assert main(["fix", "--hook", "short.txt"]) == 1
    assert (repo / "short.txt").read_text(encoding="utf-8") == "ok\n"
    assert "short.txt" in capsys.readouterr().err
    assert main(["check", "--hook", "short.txt"]) == 1
    assert main(["fix", "--hook", "short.txt", "--allow-empty", "-q"]) == 1
    assert (repo / "short.txt").read_text(encoding="utf-8") == ""
