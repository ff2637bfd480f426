"""The local engine: one process, or N worker processes, over files.

Each file is one task.  A worker decodes the file, runs the pipeline over its
documents (the whole file for text, one record per line for JSONL), writes the
output (``clean``: a mirror under the output directory; ``fix``: the file itself,
atomically) and sends back its stats, its report rows and any error.  The parent
merges stats and writes the report in input order, whatever the worker count.
"""

from __future__ import annotations

import codecs
import difflib
import json
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from ..config import Config
from ..encoding import decode_with_info
from ..errors import InputError, ZhcleanError
from ..io.documents import bad_record, parse_jsonl_lines
from ..io.files import InputFile
from ..io.formats import (AtomicWriter, ChangedMeanwhile, CompressingSink, atomic_write, check_regular, compress,
                          compression_of, iter_chunks, iter_lines, read_bytes)
from ..pipeline import Pipeline, Stats
from ..protect import run_masked


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
    records_skipped: int = 0  # bad records written back unchanged (--on-error skip)
    kept_whole: bool = False  # left as it was because cleaning would have emptied it
    records_kept_whole: int = 0  # JSONL records left as they were: cleaning would have emptied their text
    crashed: str = ""  # the traceback of an internal error
    rows_file: str | None = None  # the rows, one JSON line each, when they went to a file (a big JSONL file)

    def iter_rows(self):
        """The report rows: those held, then those in :attr:`rows_file` (JSON lines)."""
        yield from self.rows
        if self.rows_file:
            with open(self.rows_file, encoding="utf-8") as f:
                for line in f:
                    yield json.loads(line)

    def write_rows(self, f) -> None:
        """Write the report rows to the text file ``f``, one JSON line each: those held, then the lines of
        :attr:`rows_file` copied as they are (they were written as JSON lines, as the report writes them)."""
        for r in self.rows:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
        if self.rows_file:
            import shutil

            with open(self.rows_file, encoding="utf-8") as src:
                shutil.copyfileobj(src, f)

    def drop_rows(self) -> None:
        self.rows = []
        if self.rows_file:
            os.unlink(self.rows_file)
            self.rows_file = None


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


_ASCII_SPACE = b" \t\r\n\f\v"  # a file of these only is blank; any other byte is content to keep


def process_text(data: bytes, path: str, pipe: Pipeline, explain: bool, res: FileResult,
                 allow_empty: bool = True) -> bytes:
    dec = decode_with_info(data)
    res.records = 1
    result = run_masked(pipe, dec.text, explain)
    if not allow_empty and data.strip(_ASCII_SPACE) and not result.text.strip():
        # nothing is lost: a file that would lose all its text is left as it is
        res.kept_whole = True
        res.rows.append(_would_empty_row(path, None, result, "every line would be removed", "the file"))
        return data
    rows = _rows(path, None, result.changes)
    out = result.text.encode("utf-8")
    if dec.encoding not in ("utf-8", "ascii") and explain:
        rows.insert(0, {"file": path, "record": None, "filter": "decode", "rule": "reencode",
                        "before": dec.encoding, "after": "utf-8", "line": None, "kind": "change",
                        "reason": f"file was {dec.encoding} (confidence {dec.confidence:.2f}); written as UTF-8"})
    elif explain and data.startswith(codecs.BOM_UTF8) and not out.startswith(codecs.BOM_UTF8):
        # the decoder drops a UTF-8 BOM: a change like any other, so check, fix and explain agree on it
        rows.insert(0, {"file": path, "record": None, "filter": "decode", "rule": "bom",
                        "before": "\ufeff", "after": "", "line": 1, "kind": "change",
                        "reason": "UTF-8 byte order mark removed"})
    res.rows.extend(rows)
    return out


def _lines(text: str) -> list[str]:
    # every line ends in \n in the diff, so a file without a final newline cannot run into the next line
    return [ln if ln.endswith("\n") else ln + "\n" for ln in text.splitlines(keepends=True)]


def text_diff(data: bytes, out: bytes, path: str) -> str:
    """A unified diff of the decoded text, with the file-wide changes (encoding, line endings,
    final newline) said on lines of their own rather than shown as every line changed."""
    dec = decode_with_info(data)
    a_text, b_text = dec.text, out.decode("utf-8")
    notes = []
    if dec.encoding not in ("utf-8", "ascii"):
        notes.append(f"encoding: {dec.encoding.upper()} → UTF-8")
    elif data.startswith(codecs.BOM_UTF8) and not out.startswith(codecs.BOM_UTF8):
        notes.append("byte order mark: removed")
    if "\r\n" in a_text and "\r\n" not in b_text:
        notes.append("line endings: CRLF → LF")
        a_text = a_text.replace("\r\n", "\n")
    if a_text and not a_text.endswith("\n") and b_text.endswith("\n"):
        notes.append("final newline: added")
    body = "".join(difflib.unified_diff(_lines(a_text), _lines(b_text), f"{path}", f"{path} (cleaned)"))
    return "".join(f"# {path}: {n}\n" for n in notes) + body


def _would_empty_row(path: str, record: int | None, result, what: str, whole: str) -> dict:
    """The report row of a file or record left as it was because cleaning would have emptied it,
    naming the rules that would have removed its text."""
    rules = result.rules()
    return {"file": path, "record": record, "filter": "guard", "rule": "would_empty", "before": "", "after": "",
            "line": None, "kind": "warning",
            "reason": f"{what} ({rules}); {whole} is left as it is. Pass --allow-empty to empty it"}


def _record_kept_whole(res: FileResult, path: str, record: int, text: str, result, cfg: Config) -> bool:
    """Nothing is lost: True (and reported) when cleaning would empty the record's text, which is then
    written back as it was."""
    if cfg.allow_empty or result.text.strip() or not text.strip():
        return False
    res.records_kept_whole += 1
    res.rows.append(_would_empty_row(path, record, result, "all of the record's text would be removed", "the record"))
    return True


def iter_jsonl_out(lines, path: str, pipe: Pipeline, cfg: Config, explain: bool, res: FileResult,
                   start: int = 1):
    """Output lines (each ending in ``\n``) for the input lines of a JSONL file, one record at a time.

    A record that cannot be processed is written back exactly as it was, and reported (with
    ``on_error="skip"``) or raises :class:`InputError` naming file:line.  Nothing is dropped.
    ``start`` is the line number of the first line (a batch of a file split across workers).
    The file's layout stays: blank lines, and each line's CRLF ending (a changed record's too)."""
    key = cfg.text_key
    for lineno, raw, rec, problem in parse_jsonl_lines(lines, key, start, blanks=True):
        if rec is None and problem is None:  # a blank line
            yield raw + b"\n"
            continue
        if problem is None:
            try:
                result = run_masked(pipe, rec[key], explain)
                new = None
                if _record_kept_whole(res, path, lineno, rec[key], result, cfg):
                    res.records += 1
                    yield raw + b"\n"
                    continue
                if result.text != rec[key]:
                    rec[key] = result.text
                    # a lone surrogate (from a \\ud800 escape) cannot be UTF-8: it is written back as the
                    # same JSON escape, which is lossless because it only occurs inside JSON strings
                    new = json.dumps(rec, ensure_ascii=False).encode("utf-8", "backslashreplace")
            except UnicodeError as e:
                problem = f"the record cannot be processed ({e})"
        if problem:
            if cfg.on_error != "skip":
                raise bad_record(path, lineno, problem)
            res.rows.append({"file": path, "record": lineno, "line": None, "filter": "read",
                             "rule": "malformed_record", "kind": "skipped", "reason": problem + "; written back unchanged",
                             "before": raw.decode("utf-8", "replace"), "after": raw.decode("utf-8", "replace")})
            res.counts["read"] = res.counts.get("read", 0) + 1
            res.records_skipped += 1
            yield raw + b"\n"
            continue
        res.records += 1
        if new is None:
            yield raw + b"\n"
            continue
        res.rows.extend(_rows(path, lineno, result.changes))
        yield new + (b"\r\n" if raw.endswith(b"\r") else b"\n")


def process_jsonl(data: bytes, path: str, pipe: Pipeline, cfg: Config, explain: bool, res: FileResult) -> bytes:
    lines = data.split(b"\n")
    last = lines.pop()  # (the empty piece after a final newline is not a line)
    if last:
        lines.append(last)
    out = b"".join(iter_jsonl_out(lines, path, pipe, cfg, explain, res))
    # a file that does not end in a newline still does not
    return out[:-1] if last and out.endswith(b"\n") else out


def _writer(task: Task, path: Path, st, res: FileResult) -> AtomicWriter | None:
    """Where a file's output goes: a new file under the output folder (clean), the file itself if
    nobody changed it meanwhile (fix), or nowhere (check, explain)."""
    if task.mode == "clean":
        dest = Path(task.outdir) / task.rel
        res.output = str(dest)
        return AtomicWriter(dest)
    if task.mode == "fix":
        return AtomicWriter(path, expect=(st.st_size, st.st_mtime_ns), keep_mode_of=path)
    return None


BATCH_BYTES = 1 << 20  # JSONL lines go through the pipeline in batches of about this size
FIRST_BATCH_BYTES = 128 << 10  # with -j N, the batch that this process cleans before the workers start
SPLIT_MIN_BYTES = 4 << 20  # with -j N, a JSONL file at least this big is split across the workers
TAIL_BATCH_BYTES = 256 << 10  # with -j N, the batches of a file's last N * 2 MB are about this size


def _batches(path: Path, first_bytes: int | None = None, tail: tuple[int, int] | None = None):
    """(first line number, lines, last) for the lines of a JSONL file, in batches of about
    :data:`BATCH_BYTES`.  The empty piece after a final newline is not a line; ``last`` is True for
    the final batch when the file does not end in a newline (nor does the output).  With
    ``first_bytes``, the first batch is about that size instead; with ``tail`` = (the file's size,
    bytes), the batches that start within that many bytes of its end are about
    :data:`TAIL_BATCH_BYTES`."""
    batch, size, first, lineno = [], 0, 1, 0
    limit = first_bytes or BATCH_BYTES
    prev = None
    done = 0  # bytes of the lines batched so far
    for line in iter_lines(iter_chunks(path)):
        if prev is not None:
            lineno += 1
            batch.append(prev)
            size += len(prev) + 1
            if size >= limit:
                yield first, batch, False
                done += size
                batch, size, first = [], 0, lineno + 1
                limit = BATCH_BYTES
                if tail is not None and tail[0] - done <= tail[1]:
                    limit = min(limit, TAIL_BATCH_BYTES)
        prev = line
    if prev:  # a last line without a final newline
        batch.append(prev)
        yield first, batch, True
    elif batch:
        yield first, batch, False


RANGE_PROBE = 64 << 10  # bytes read at a time past a batch's size to find the end of a line longer than it


def _read_into(f, view) -> int:
    """Fill ``view`` from the raw file ``f``; the number of bytes read (fewer only at the end of the file)."""
    n = 0
    while n < len(view):
        k = f.readinto(view[n:])
        if not k:
            break
        n += k
    return n


def _ranges(f, first_bytes: int | None = None, tail: tuple[int, int] | None = None):
    """(first line number, (offset, length), last) for the batches of the uncompressed JSONL file open
    (unbuffered) as ``f``, as :func:`_batches` gives them but as byte ranges: runs of whole lines of
    at most about :data:`BATCH_BYTES` (``first_bytes`` for the first; :data:`TAIL_BATCH_BYTES` within
    ``tail`` = (size, bytes) of the end), or one line longer than that.

    Only the line numbers are worked out here, by counting newlines in a buffer that is filled again
    for every batch: the lines themselves are split, decoded and cleaned by whoever reads the range
    (:func:`_range_lines`), so that a -j run's parent neither splits nor sends them."""
    buf = bytearray(max(BATCH_BYTES, first_bytes or 0, TAIL_BATCH_BYTES, RANGE_PROBE))
    view = memoryview(buf)
    pos, lineno = 0, 1
    limit = first_bytes or BATCH_BYTES
    while True:
        f.seek(pos)
        n = _read_into(f, view[:limit])
        if n < limit:  # the end of the file
            if n:
                last = buf[n - 1] != 0x0A  # a last line without a final newline: nor has the output
                yield lineno, (pos, n), last
            return
        nl = buf.rfind(b"\n", 0, n)
        if nl >= 0:
            end, lines = pos + nl + 1, buf.count(b"\n", 0, nl + 1)
        else:  # a line longer than a batch: it ends the batch wherever its newline is
            end, lines = pos + n, 0
            while True:
                k = _read_into(f, view[:RANGE_PROBE])
                j = buf.find(b"\n", 0, k)
                if j >= 0:
                    end, lines = end + j + 1, 1
                    break
                end += k
                if k < RANGE_PROBE:  # ... or the end of the file, without a final newline
                    yield lineno, (pos, end - pos), True
                    return
        yield lineno, (pos, end - pos), False
        pos, lineno = end, lineno + lines
        limit = BATCH_BYTES
        if tail is not None and tail[0] - pos <= tail[1]:
            limit = min(limit, TAIL_BATCH_BYTES)


_OPEN: list = [None]  # (path, (device, inode), file descriptor) of the file this process last read a range of


def _range_lines(path: str, ident: tuple, where: tuple[int, int], last: bool) -> list:
    """The lines of the byte range ``where`` = (offset, length) of the file at ``path``, read here
    (in a worker: the parent sends the range, not the lines).  ``ident`` is the (device, inode) the
    parent read; a file replaced since is an error rather than another file's lines."""
    held = _OPEN[0]
    if held is None or held[0] != path or held[1] != ident:
        if held is not None:
            os.close(held[2])
            _OPEN[0] = None
        fd = os.open(path, os.O_RDONLY)
        st = os.fstat(fd)
        if (st.st_dev, st.st_ino) != tuple(ident):
            os.close(fd)
            raise InputError(f"{path}: replaced by another file while zhclean was reading it; run zhclean "
                             "again when no other program writes it")
        held = _OPEN[0] = (path, tuple(ident), fd)
    data = os.pread(held[2], where[1], where[0])  # (pread: the offset that forked workers share is not moved)
    if len(data) != where[1]:
        raise InputError(f"{path}: shortened while zhclean was reading it; run zhclean again when no other "
                         "program writes it")
    lines = data.split(b"\n")
    if not last:
        lines.pop()  # (the empty piece after the batch's final newline)
    return lines


def _close_range_file() -> None:
    if _OPEN[0] is not None:
        os.close(_OPEN[0][2])
        _OPEN[0] = None


@dataclass
class _BatchOut:
    out: bytes
    changed: bool
    records: int
    records_skipped: int
    rows: list
    diff_a: list
    diff_b: list
    stats: dict | None = None
    records_kept_whole: int = 0
    rows_json: str | None = None  # the rows as JSON lines, for the spooled report (see _encode_rows)
    counts: dict | None = None  # with rows_json: changes per filter


def _encode_rows(b: _BatchOut) -> None:
    """Turn a batch's report rows into JSON lines and counts per filter.  Done in the worker, so the
    parent of a -j run writes one string a batch instead of encoding (and unpickling) every row."""
    counts: dict = {}
    for r in b.rows:
        if r["filter"] not in ("read", "guard"):
            counts[r["filter"]] = counts.get(r["filter"], 0) + 1
    b.rows_json = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in b.rows)
    b.counts = counts
    b.rows = []


def _jsonl_batch(lines: list, first: int, path: str, pipe: Pipeline, cfg: Config, explain: bool,
                 want_diff: bool, last: bool = False) -> _BatchOut:
    """One batch of a JSONL file's lines through the pipeline (see :func:`iter_jsonl_out`).  With
    ``last``, the batch ends the file and its last line has no newline: nor has the output's."""
    res = FileResult(path)
    outs, diff_a, diff_b, pending = [], [], [], []

    def tee():
        for line in lines:
            pending.append(line)
            yield line

    for out in iter_jsonl_out(tee(), path, pipe, cfg, explain, res, first):
        if want_diff:
            # the input line that produced this output line
            inp = b"".join(line + b"\n" for line in pending)
            if out != inp:
                diff_a.append(inp.decode("utf-8", "replace"))
                diff_b.append(out.decode("utf-8"))
        pending.clear()
        outs.append(out)
    out = b"".join(outs)
    if last and out.endswith(b"\n"):
        out = out[:-1]
    changed = out != b"\n".join(lines) + (b"" if last else b"\n")
    return _BatchOut(out, changed, res.records, res.records_skipped, res.rows, diff_a, diff_b,
                     records_kept_whole=res.records_kept_whole)


def _jsonl_batch_job(cfg_dict: dict, lines, first: int, path: str, explain: bool, want_diff: bool,
                     spool: bool = False, last: bool = False) -> _BatchOut:
    """:func:`_jsonl_batch` in a worker process, with the pipeline's step counts for this batch (and
    with ``spool``, its report rows as JSON lines).  ``lines`` is a list of lines, or
    ((device, inode), (offset, length)) of a byte range of the file at ``path`` that the worker reads."""
    if isinstance(lines, tuple):
        lines = _range_lines(path, lines[0], lines[1], last)
    cfg = Config.from_dict(cfg_dict)
    pipe = _pipeline(cfg)
    pipe.stats = Stats(pipe.names)
    b = _jsonl_batch(lines, first, path, pipe, cfg, explain, want_diff, last)
    b.stats = pipe.stats.to_dict()
    if spool:
        _encode_rows(b)
    return b


def _batch_outputs(task: Task, path: Path, pipe, cfg, explain, pool, jobs, spool: bool = False):
    """The :class:`_BatchOut` of each batch of the file, in order: computed here, or with ``pool``
    by its workers, at most two batches per worker in flight (memory stays bounded by the batch)."""
    if pool is None:
        for first, lines, last in _batches(path):
            yield _jsonl_batch(lines, first, task.path, pipe, cfg, explain, task.diff, last)
        return
    warm = not _forked(pool)
    # The file's last batches are small: the workers then finish close together, where a worker
    # could otherwise sit idle for most of a full batch's time while the other cleans the last one.
    # (The size of a compressed file's content is not known in advance: full batches to the end.)
    raw = None
    if compression_of(path) is None and hasattr(os, "pread"):
        # The workers read their batches' byte ranges of the file themselves: this process only
        # counts the newlines of each range (for line numbers), and sends three numbers, not its lines.
        raw = open(path, "rb", buffering=0)
        st = os.fstat(raw.fileno())
        ident = (st.st_dev, st.st_ino)
        batches = ((first, (ident, where), last) for first, where, last
                   in _ranges(raw, FIRST_BATCH_BYTES if warm else None, (st.st_size, 2 * jobs * BATCH_BYTES)))
    else:
        batches = _batches(path, FIRST_BATCH_BYTES if warm else None)
    try:
        yield from _pooled(task, pipe, cfg, explain, pool, jobs, spool, batches, warm)
    finally:
        if raw is not None:
            raw.close()
            _close_range_file()  # (the one its first batch opened here; the workers keep theirs)


def _pooled(task: Task, pipe, cfg, explain, pool, jobs, spool, batches, warm):
    from collections import deque

    cfg_dict = cfg.to_dict()
    inflight: deque = deque()
    if warm:
        # The first batch is cleaned here, before the first submit forks the workers: the tables and
        # caches that this file's records need (character models, mojibake's bigram tables, ...) are
        # then built once, in this process, and the workers share them copy-on-write instead of each
        # building its own.  It is work that one process does too, so nothing is spent twice; it is
        # small because the workers wait for it.  _share_tables then builds the whole tables that
        # this batch did not happen to need (35-60 ms after it on the scale.py file).
        for first, lines, last in batches:
            if isinstance(lines, tuple):
                lines = _range_lines(task.path, lines[0], lines[1], last)
            out = _jsonl_batch(lines, first, task.path, pipe, cfg, explain, task.diff, last)
            _share_tables(pipe)
            yield out
            break
    try:
        for first, lines, last in batches:
            inflight.append(pool.submit(_jsonl_batch_job, cfg_dict, lines, first, task.path, explain, task.diff,
                                        spool, last))
            if len(inflight) >= 2 * jobs:
                yield inflight.popleft().result()
        while inflight:
            yield inflight.popleft().result()
    finally:
        for fut in inflight:
            fut.cancel()


def _forked(pool) -> bool:
    """Have ``pool``'s worker processes been started (a ProcessPoolExecutor forks them at its first submit)?"""
    return bool(getattr(pool, "_processes", True))


def _jsonl_file(task: Task, path: Path, kind, pipe, cfg, explain, res, st, pool=None, jobs: int = 1,
                spool: bool = False) -> bool:
    """Stream a JSONL file through the pipeline, batch by batch (split across ``pool``'s workers
    when given); returns whether the output differs from the input.  With ``spool``, the report rows
    go to a temporary file (``res.rows_file``) batch by batch, so memory stays that of a batch."""
    rows_out = None
    if spool:
        import tempfile

        fd, res.rows_file = tempfile.mkstemp(prefix="zhclean-rows-", suffix=".jsonl")
        # (a lone surrogate from a JSON record is written as its JSON escape, as in the report)
        rows_out = os.fdopen(fd, "w", encoding="utf-8", errors="backslashreplace")
    sink = CompressingSink(_writer(task, path, st, res), kind)
    changed = False
    diff_a, diff_b = [], []
    try:
        for b in _batch_outputs(task, path, pipe, cfg, explain, pool, jobs, spool):
            changed |= b.changed
            res.records += b.records
            res.records_skipped += b.records_skipped
            res.records_kept_whole += b.records_kept_whole
            if b.records_skipped:
                res.counts["read"] = res.counts.get("read", 0) + b.records_skipped
            if rows_out is not None:
                if b.rows_json is None:
                    _encode_rows(b)
                rows_out.write(b.rows_json)
                for k, v in b.counts.items():
                    res.counts[k] = res.counts.get(k, 0) + v
            else:
                res.rows.extend(b.rows)
            diff_a += b.diff_a
            diff_b += b.diff_b
            if b.stats is not None:
                pipe.stats.merge(Stats.from_dict(b.stats))
            sink.write(b.out)
        if (task.mode == "fix" and changed) or task.mode == "clean":
            sink.commit()
        else:
            sink.abort()
    except BaseException:
        sink.abort()
        raise
    finally:
        if rows_out is not None:
            rows_out.close()
    if task.diff and changed:
        res.diff = "".join(difflib.unified_diff(diff_a, diff_b, f"{task.path}", f"{task.path} (cleaned)"))
    return changed


def _parquet_file(task: Task, path: Path, pipe, cfg, explain, res, st) -> bool:
    """Clean the text column of a Parquet file one row group at a time; every other column, the
    schema and the row order stay.  Returns whether any text changed."""
    from ..io.parquet import ParquetWriter, iter_row_groups, open_parquet, replace_text

    key = cfg.text_key
    pf, _ = open_parquet(path, key)
    w = _writer(task, path, st, res)
    writer = ParquetWriter(w.f, pf.schema_arrow) if w is not None else None
    changed = False
    try:
        for first, table in iter_row_groups(path, key):
            texts = table.column(key).to_pylist()
            out = []
            for k, text in enumerate(texts):
                if text is None:
                    out.append(None)
                    continue
                res.records += 1
                result = run_masked(pipe, text, explain)
                if _record_kept_whole(res, task.path, first + k, text, result, cfg):
                    out.append(text)
                    continue
                if result.text != text:
                    changed = True
                    res.rows.extend(_rows(task.path, first + k, result.changes))
                out.append(result.text)
            if writer is not None:
                writer.write(replace_text(table, key, out))
        if writer is not None:
            writer.close()
        if w is not None and (task.mode == "clean" or changed):
            w.commit()
        elif w is not None:
            w.abort()
    except BaseException:
        if w is not None:
            w.abort()
        raise
    return changed


def process(task: Task, cfg_dict: dict, pool=None, jobs: int = 1, spool: bool = False) -> FileResult:
    """Process one file.  Never raises for bad input: the result says what went wrong.
    With ``pool`` (an executor of ``jobs`` workers), a JSONL file's batches are cleaned by its workers;
    with ``spool``, a JSONL file's report rows go to a temporary file (see :meth:`FileResult.iter_rows`)."""
    cfg = Config.from_dict(cfg_dict)
    pipe = _pipeline(cfg)
    pipe.stats = Stats(pipe.names)  # this file's counts only; the caller merges
    res = FileResult(task.path)
    path = Path(task.path)
    try:
        st = check_regular(path)
        res.bytes_in = st.st_size
        kind = compression_of(path)
        fmt = InputFile(path, Path(task.rel)).format
        explain = task.explain or task.mode in ("fix", "check", "explain")
        if fmt == "jsonl":
            changed = _jsonl_file(task, path, kind, pipe, cfg, explain, res, st, pool, jobs, spool)
        elif fmt == "parquet":
            changed = _parquet_file(task, path, pipe, cfg, explain, res, st)
        else:
            data = read_bytes(path)
            out = process_text(data, task.path, pipe, explain, res, allow_empty=cfg.allow_empty)
            changed = out != data
            if task.mode == "clean":
                dest = Path(task.outdir) / task.rel
                atomic_write(dest, compress(out, kind))
                res.output = str(dest)
            elif task.mode == "fix" and changed:
                atomic_write(path, compress(out, kind), keep_mode_of=path, expect=(st.st_size, st.st_mtime_ns))
            if task.diff and changed:
                res.diff = text_diff(data, out, task.path)
        _count(res, [r for r in res.rows if r["filter"] not in ("read", "guard")])
        res.status = "changed" if changed else "unchanged"
    except ChangedMeanwhile as e:
        res.status, res.message = "skipped", str(e)
        res.drop_rows()
    except ZhcleanError as e:
        msg = str(e)
        res.status, res.message = "skipped", msg if msg.startswith(task.path) else f"{task.path}: {msg}"
        res.drop_rows()
    except OSError as e:
        res.status, res.message = "skipped", f"{task.path}: cannot read or write ({e.strerror or e})"
        res.drop_rows()
    except Exception as e:  # a bug in zhclean: name the file, leave it as it is, and exit 2
        import traceback

        res.status = "skipped"
        res.message = (f"{task.path}: internal error {type(e).__name__}: {e}; the file was left as it is. "
                       "Please report this with the file")
        res.crashed = traceback.format_exc()
        res.drop_rows()
    if res.status == "skipped":
        # a file read as a stream may fail after some bad records or records left whole were counted:
        # the file is left out whole (its own message says so), so none of them was written back
        res.records_skipped = res.records_kept_whole = 0
    res.stats = pipe.stats.to_dict()
    return res


def _process_star(args):
    return process(*args)


def _splittable(task: Task) -> bool:
    """Is this a JSONL file big enough to split across workers?"""
    try:
        big = os.stat(task.path).st_size >= SPLIT_MIN_BYTES
    except OSError:
        return False
    return big and InputFile(Path(task.path), Path(task.rel)).format == "jsonl"


_WARM_UP = "第一段，中文。Ã©\n第一段，中文。\n（二）ｂ　\u3000末段？"


def _warm(cfg: Config) -> None:
    """Load the tables the pipeline loads on first use, once, before the workers are forked from
    this process (each would load them again otherwise: a fixed cost that -j cannot share)."""
    pipe = cfg.pipeline()
    pipe.run(_WARM_UP)
    _share_tables(pipe)


def _share_tables(pipe: Pipeline) -> None:
    """Build the whole tables that a step builds on first use and that a warm-up batch may not
    have needed, before the workers are forked, for them to share: each worker built these in its
    own first batches otherwise (found by comparing every lru_cache of zhclean in a worker before
    and after its batches, ``clean -j 2`` on benchmarks/scale.py's file).  Tables filled a code
    point or a character at a time (LazyTable, mojibake's grouped bigram tables) are left to fill
    where they are needed."""
    if "fix_mojibake" in pipe.names:
        from ..filters.mojibake import build_tables

        build_tables()
    if "strip_boilerplate" in pipe.names:
        from ..filters.page import _class_table, _edge_table

        _class_table()  # (the table of a page's character classes, 4 MB, filled as characters are met)
        _edge_table()  # (and of the sets a line's first and last characters are looked up in)


def run(tasks: list[Task], cfg: Config, jobs: int = 1, spool: bool = False):
    """Yield a :class:`FileResult` per task, in task order.

    With ``jobs`` > 1, files go to worker processes, and a big JSONL file is split into batches
    of lines that the workers clean side by side (this process writes it in order; when it is not
    compressed, the workers read their batches' byte ranges of it themselves).
    With ``spool``, the report rows of a JSONL file cleaned in this process go to a temporary file
    (the caller reads them with :meth:`FileResult.iter_rows` and removes it with :meth:`FileResult.drop_rows`)."""
    cfg_dict = cfg.to_dict()
    jobs = min(jobs, os.cpu_count() or 1)
    split = [jobs > 1 and _splittable(t) for t in tasks]
    if jobs <= 1 or (len(tasks) <= 1 and not any(split)):
        for t in tasks:
            yield process(t, cfg_dict, spool=spool)
        return
    if any(split) and not all(split):
        # the other files' tasks are submitted first and fork the workers before a big file's first
        # batch is cleaned here (see _batch_outputs): load the common tables now, for them to share
        _warm(cfg)
    with ProcessPoolExecutor(max_workers=jobs if any(split) else min(jobs, len(tasks))) as ex:
        if not any(split):
            yield from ex.map(_process_star, [(t, cfg_dict) for t in tasks], chunksize=1)
            return
        futs = [None if sp else ex.submit(process, t, cfg_dict) for t, sp in zip(tasks, split)]
        for t, sp, fut in zip(tasks, split, futs):
            yield process(t, cfg_dict, ex, jobs, spool) if sp else fut.result()
