"""Resumable runs: ``zhclean clean ... --resume`` skips the inputs that are done.

An input is done when its output exists and is newer than the input and than the config file
(outputs are written atomically, so an output that exists is whole).  The report is kept for
the inputs that are done and its rows for every other input are dropped before the run
appends, so a file's rows never appear twice.
"""

from __future__ import annotations

import json
import os
from pathlib import Path


def _mtime(p) -> int | None:
    try:
        return os.stat(p).st_mtime_ns
    except OSError:
        return None


def done_inputs(files, outdir: str, config_path: Path | None) -> set[str]:
    """The input paths (as ``str(f.path)``) whose output is newer than them and than the config."""
    cfg_t = _mtime(config_path) if config_path else None
    done = set()
    for f in files:
        out_t = _mtime(Path(outdir) / f.rel)
        in_t = _mtime(f.path)
        if out_t is None or in_t is None:
            continue
        if out_t >= in_t and (cfg_t is None or out_t >= cfg_t):
            done.add(str(f.path))
    return done


def keep_report_rows(report: str | None, done: set[str]) -> None:
    """Rewrite ``report`` with only the rows of files in ``done`` (the others will be redone)."""
    if not report or not Path(report).exists():
        return
    from .io.formats import atomic_write

    kept = []
    with open(report, encoding="utf-8") as f:
        for line in f:
            try:
                row = json.loads(line)
            except ValueError:
                continue  # a line cut short by the kill
            if row.get("file") in done:
                kept.append(line if line.endswith("\n") else line + "\n")
    atomic_write(Path(report), "".join(kept).encode("utf-8"))
