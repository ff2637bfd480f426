"""zhclean's OpenCC engine beside the official C++ OpenCC, every config, in the same run.

The official binding (the ``opencc`` wheel) cannot share an environment with
opencc-python-reimplemented, which installs a package under the same import name, so this
benchmark creates a virtual environment of its own (``benchmarks/.venv-opencc-cpp``), installs
``opencc==1.4.2`` there and runs it in a child process on the same paragraphs.  It skips, with a
message, when the wheel cannot be installed.

For each of the 16 configs: speed in M chars/s (best of 5, the whole corpus as one text per
paragraph list, in CPU time of the converting process on both sides, ``time.process_time``, so
that other work on a shared machine counts against neither), the ratio zhclean / C++, and how
many of the 3,104 corpus paragraphs come out identical.

    python benchmarks/bench_opencc_cpp.py
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
import venv
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import paragraphs, row  # noqa: E402

CPP_VERSION = "1.4.2"
VENV = Path(__file__).resolve().parent / ".venv-opencc-cpp"

_CHILD = r"""
import json, sys, time
import opencc
paras = json.load(open(sys.argv[1], encoding="utf-8"))
out = {}
for cfg in sys.argv[3].split(","):
    c = opencc.OpenCC(cfg + ".json")
    res = [c.convert(p) for p in paras]
    best = float("inf")
    for _ in range(5):
        t0 = time.process_time()
        for p in paras:
            c.convert(p)
        best = min(best, time.process_time() - t0)
    out[cfg] = {"seconds": best, "out": res}
json.dump(out, open(sys.argv[2], "w", encoding="utf-8"), ensure_ascii=False)
"""


def _cpp_python() -> Path | None:
    py = VENV / "bin" / "python"
    if py.exists():
        ok = subprocess.run([str(py), "-c", f"import opencc, importlib.metadata as m; "
                             f"assert m.version('opencc') == '{CPP_VERSION}'"], capture_output=True)
        if ok.returncode == 0:
            return py
    try:
        venv.create(VENV, with_pip=True, clear=True)
        r = subprocess.run([str(py), "-m", "pip", "install", "--quiet", f"opencc=={CPP_VERSION}"],
                           capture_output=True, text=True, timeout=600)
    except Exception as e:  # no venv module, no network, ...
        print(f"bench_opencc_cpp: skipped: cannot create the C++ OpenCC environment ({e})")
        return None
    if r.returncode != 0:
        print(f"bench_opencc_cpp: skipped: cannot install opencc=={CPP_VERSION} ({r.stderr.strip()[-300:]})")
        return None
    return py


def run() -> list[dict]:
    from zhclean.opencc_engine import CONFIGS, converter

    py = _cpp_python()
    if py is None:
        return []
    paras = paragraphs()
    chars = sum(len(p) for p in paras)
    rows = []
    d = tempfile.TemporaryDirectory()
    src, dst = Path(d.name, "in.json"), Path(d.name, "out.json")
    src.write_text(json.dumps(paras, ensure_ascii=False), encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH",)}
    for cfg in CONFIGS:
        # C++ and zhclean one config after the other, so a shared machine's load shifts both alike
        subprocess.run([str(py), "-c", _CHILD, str(src), str(dst), cfg], check=True, env=env)
        cpp = json.loads(dst.read_text(encoding="utf-8"))
        conv = converter(cfg)
        ours_out = [conv(p) for p in paras]
        best = float("inf")
        for _ in range(5):
            t0 = time.process_time()
            for p in paras:
                conv(p)
            best = min(best, time.process_time() - t0)
        same = sum(a == b for a, b in zip(ours_out, cpp[cfg]["out"]))
        ours, theirs = chars / best / 1e6, chars / cpp[cfg]["seconds"] / 1e6
        rows.append(row("OpenCC vs C++ OpenCC", f"{cfg}: identical {same}/{len(paras)}", ours, theirs,
                        f"C++ OpenCC {CPP_VERSION}", "M chars/s", target=">=1.0x, identical"))
    d.cleanup()
    return rows


if __name__ == "__main__":
    from _common import table

    print(table(run()))
