"""The local engine: one process, or N worker processes, over files.

Each file is one task.  A worker decodes the file, runs the pipeline over its
documents (the whole file for text, one record per line for JSONL), writes the
output (``clean``: a mirror under the output directory; ``fix``: the file itself,
atomically) and sends back its stats, its report rows and any error.  The parent
merges stats and writes the report in input order, whatever the worker count.
"""

from __future__ import annotations

import difflib
import json
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from ..config import Config
from ..encoding import decode_with_info
from ..errors import ZhcleanError
from ..io.documents import bad_record, parse_jsonl
from ..io.files import InputFile
from ..io.formats import atomic_write, compress, compression_of, read_bytes
from ..pipeline import Pipeline, Stats
from ..protect import mask


@dataclass
class FileResult:
    path: str
    status: str = "unchanged"  # unchanged | changed | skipped
    message: str = ""
    records: int = 0
    bytes_in: int = 0
    stats: dict = field(default_factory=dict)
    rows: list = field(default_factory=list)
    diff: str = ""
    counts: dict = field(default_factory=dict)  # filter -> number of changes
    output: str | None = None


@dataclass
class Task:
    path: str
    rel: str
    mode: str  # clean | fix | check | explain
    outdir: str | None
    explain: bool
    diff: bool = False


_PIPELINES: dict[str, Pipeline] = {}


def _pipeline(cfg: Config) -> Pipeline:
    key = json.dumps(cfg.to_dict(), sort_keys=True, default=str)
    p = _PIPELINES.get(key)
    if p is None:
        p = _PIPELINES[key] = cfg.pipeline()
    return p


def _rows(path: str, record: int | None, changes) -> list[dict]:
    rows = []
    for c in changes:
        d = {"file": path, "record": record}
        d.update(c.to_dict())
        rows.append(d)
    return rows


def _count(res: FileResult, rows) -> None:
    for r in rows:
        res.counts[r["filter"]] = res.counts.get(r["filter"], 0) + 1


def process_text(data: bytes, path: str, pipe: Pipeline, explain: bool, res: FileResult) -> bytes:
    dec = decode_with_info(data)
    res.records = 1
    masked, restore = mask(dec.text)
    result = pipe.run(masked, explain=explain)
    result.text = restore(result.text)
    rows = _rows(path, None, result.changes)
    out = result.text.encode("utf-8")
    if dec.encoding not in ("utf-8", "ascii") and explain:
        rows.insert(0, {"file": path, "record": None, "filter": "decode", "rule": "reencode",
                        "before": dec.encoding, "after": "utf-8", "line": None, "kind": "change",
                        "reason": f"file was {dec.encoding} (confidence {dec.confidence:.2f}); written as UTF-8"})
    res.rows.extend(rows)
    return out


def process_jsonl(data: bytes, path: str, pipe: Pipeline, cfg: Config, explain: bool, res: FileResult) -> bytes:
    key = cfg.text_key
    out_lines: list[bytes] = []
    for lineno, raw, rec, problem in parse_jsonl(data, key):
        if problem:
            if cfg.on_error != "skip":
                raise bad_record(path, lineno, problem)
            res.rows.append({"file": path, "record": lineno, "line": None, "filter": "read", "rule": "malformed_record",
                             "kind": "skipped", "reason": problem, "before": raw.decode("utf-8", "replace"), "after": ""})
            res.counts["read"] = res.counts.get("read", 0) + 1
            continue
        res.records += 1
        masked, restore = mask(rec[key])
        result = pipe.run(masked, explain=explain)
        result.text = restore(result.text)
        if result.text == rec[key]:
            out_lines.append(raw.rstrip(b"\r"))
            continue
        res.rows.extend(_rows(path, lineno, result.changes))
        rec[key] = result.text
        out_lines.append(json.dumps(rec, ensure_ascii=False).encode("utf-8"))
    return b"".join(line + b"\n" for line in out_lines)


def process(task: Task, cfg_dict: dict) -> FileResult:
    """Process one file.  Never raises for bad input: the result says what went wrong."""
    cfg = Config.from_dict(cfg_dict)
    pipe = _pipeline(cfg)
    pipe.stats = Stats(pipe.names)  # this file's counts only; the caller merges
    res = FileResult(task.path)
    path = Path(task.path)
    try:
        raw = path.read_bytes()
        res.bytes_in = len(raw)
        kind = compression_of(path)
        data = read_bytes(path) if kind else raw
        fmt = "jsonl" if InputFile(path, Path(task.rel)).format == "jsonl" else "text"
        explain = task.explain or task.mode in ("fix", "check", "explain")
        if fmt == "jsonl":
            out = process_jsonl(data, task.path, pipe, cfg, explain, res)
        else:
            out = process_text(data, task.path, pipe, explain, res)
        _count(res, [r for r in res.rows if r["filter"] != "read"])
        changed = out != data
        res.status = "changed" if changed else "unchanged"
        if task.mode == "clean":
            dest = Path(task.outdir) / task.rel
            atomic_write(dest, compress(out, kind))
            res.output = str(dest)
        elif task.mode == "fix" and changed:
            atomic_write(path, compress(out, kind), keep_mode_of=path)
        if task.diff and changed:
            a = data.decode("utf-8", "replace").splitlines(keepends=True)
            b = out.decode("utf-8").splitlines(keepends=True)
            res.diff = "".join(difflib.unified_diff(a, b, f"{task.path}", f"{task.path} (cleaned)"))
    except ZhcleanError as e:
        msg = str(e)
        res.status, res.message = "skipped", msg if msg.startswith(task.path) else f"{task.path}: {msg}"
        res.rows = []
    except OSError as e:
        res.status, res.message = "skipped", f"{task.path}: cannot read or write ({e.strerror or e})"
        res.rows = []
    res.stats = pipe.stats.to_dict()
    return res


def _process_star(args):
    return process(*args)


def run(tasks: list[Task], cfg: Config, jobs: int = 1):
    """Yield a :class:`FileResult` per task, in task order."""
    cfg_dict = cfg.to_dict()
    if jobs <= 1 or len(tasks) <= 1:
        for t in tasks:
            yield process(t, cfg_dict)
        return
    jobs = min(jobs, len(tasks), os.cpu_count() or 1)
    with ProcessPoolExecutor(max_workers=jobs) as ex:
        yield from ex.map(_process_star, [(t, cfg_dict) for t in tasks], chunksize=1)
