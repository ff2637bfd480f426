"""The installed `zhclean` command, end to end, in a subprocess."""

import shutil
import subprocess
import sys
from pathlib import Path

from helpers import SEEDS


def _cmd():
    exe = Path(sys.executable).parent / "zhclean"
    return str(exe) if exe.exists() else shutil.which("zhclean")


def test_installed_command(tmp_path):
    exe = _cmd()
    assert exe, "the zhclean console script is not installed"
    r = subprocess.run([exe, "clean", str(SEEDS), "-o", str(tmp_path / "out"), "--report", str(tmp_path / "r.jsonl")],
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    assert len(list((tmp_path / "out").iterdir())) == 5
    assert "5 file(s)" in r.stderr
    v = subprocess.run([exe, "--version"], capture_output=True, text=True)
    assert v.returncode == 0 and v.stdout.startswith("zhclean ")
    bad = subprocess.run([exe, "check", str(tmp_path / "missing.txt")], capture_output=True, text=True)
    assert bad.returncode == 2 and "missing.txt" in bad.stderr
