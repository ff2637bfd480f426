"""Reading documents out of input files: one per text file, one per JSONL record."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Iterator

from ..encoding import decode_with_info
from ..errors import InputError
from .files import InputFile
from .formats import iter_chunks, iter_lines, read_bytes


@dataclass
class Document:
    record: int | None  # JSONL line number, None for a text file
    text: str
    raw: dict | None = None  # the JSONL record
    line: bytes | None = None  # the JSONL line as it was read (with its \r, if any)


def parse_jsonl(data: bytes, text_key: str = "text") -> Iterator[tuple[int, bytes, dict | None, str | None]]:
    """(line number, raw line, record, problem) for each non-blank line of JSONL; ``problem`` says why
    a line is not a record with a string ``text_key`` (then ``record`` is None)."""
    return parse_jsonl_lines(data.split(b"\n"), text_key)


def json_type(value) -> str:
    """The JSON name of a parsed JSON value's type (``null``, ``number``, ``array``, ...), as a user
    who wrote the JSON knows it, rather than Python's (``NoneType``, ``int``, ``list``)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "an object"
    return "a string" if isinstance(value, str) else type(value).__name__


def parse_jsonl_lines(lines, text_key: str = "text", start: int = 1,
                      blanks: bool = False) -> Iterator[tuple[int, bytes, dict | None, str | None]]:
    """:func:`parse_jsonl` over an iterable of lines (a stream: nothing is held but one line) whose
    first line is line ``start`` of its file.  Blank lines are passed over, or with ``blanks`` given
    as (line, raw, None, None)."""
    for lineno, raw in enumerate(lines, start):
        if not raw.strip():
            if blanks:
                yield lineno, raw, None, None
            continue
        if b"\x00" in raw:
            # JSON text never holds a NUL byte; json.loads would take a line of UTF-16 for JSON and
            # fail on the next with "Expecting value", which says nothing of the cause
            yield lineno, raw, None, ("not UTF-8: NUL bytes, as in UTF-16 or UTF-32; JSONL must be UTF-8, so "
                                      "convert the file first (e.g. iconv -f UTF-16 -t UTF-8)")
            continue
        try:
            rec = json.loads(raw)
        except (ValueError, UnicodeDecodeError) as e:
            yield lineno, raw, None, f"not valid JSON ({e})"
            continue
        if not isinstance(rec, dict):
            problem = f"a record must be a JSON object, not {json_type(rec)}"
        elif text_key not in rec:
            problem = f'no "{text_key}" field (fields: {", ".join(list(rec)[:8])}); pass --text-key'
        elif not isinstance(rec[text_key], str):
            problem = f'"{text_key}" is {json_type(rec[text_key])}, not a string'
        else:
            problem = None
        yield lineno, raw, (None if problem else rec), problem


def bad_record(path, lineno: int, problem: str) -> InputError:
    # "skipped a.jsonl:3: ..." alone reads as if line 3 were skipped; the whole file is
    return InputError(f"{path}:{lineno}: {problem}. The whole file is left out of this run: fix the line, or "
                      "pass --on-error skip to write bad records back unchanged and list them in the report")


def iter_documents(f: InputFile, text_key: str = "text", on_error: str = "fail", skipped=None,
                   keep_blank: bool = False) -> Iterator[Document]:
    """Documents of one input file.  Bad JSONL records raise :class:`InputError` naming file:line,
    or with ``on_error="skip"`` are appended to ``skipped`` as (line, reason, raw) and passed over
    (``raw`` is the line decoded with ``surrogateescape``: ``raw.encode("utf-8", "surrogateescape")``
    gives back its bytes; for a Parquet row it is the row, a dict).

    A Parquet row whose text is null is a missing value, not an error: it is passed over.

    With ``keep_blank``, such rows, and the blank pieces of a JSONL file between its newlines (blank lines, and the
    empty piece after a final newline) go to ``skipped`` too, with reason None, so that a writer
    joining the pieces it is given with ``\n`` gives back the file's layout."""
    if f.format == "parquet":
        from .parquet import iter_rows

        for rowno, rec in iter_rows(f.path, text_key):
            if rec[text_key] is None:
                # a missing value, as clean takes it: no text to work on, and the row stays as it is
                # (with keep_blank it goes to ``skipped``, reason None, for the writer to put back)
                if keep_blank and skipped is not None:
                    skipped.append((rowno, None, rec))
                continue
            yield Document(rowno, rec[text_key], rec)
        return
    if f.format != "jsonl":
        yield Document(None, decode_with_info(read_bytes(f.path)).text)
        return
    # a stream: one line is held at a time, whatever the file's size
    for lineno, raw, rec, problem in parse_jsonl_lines(iter_lines(iter_chunks(f.path)), text_key, blanks=keep_blank):
        if rec is None and problem is None:  # a blank piece (only with keep_blank)
            if skipped is not None:
                skipped.append((lineno, None, raw.decode("utf-8", "surrogateescape")))
            continue
        if problem:
            if on_error != "skip":
                raise bad_record(f.path, lineno, problem)
            if skipped is not None:
                # surrogateescape: a line that is not UTF-8 can be written back byte for byte
                skipped.append((lineno, problem, raw.decode("utf-8", "surrogateescape")))
            continue
        yield Document(lineno, rec[text_key], rec, raw)
