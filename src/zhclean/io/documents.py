"""Reading documents out of input files: one per text file, one per JSONL record."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Iterator

from ..encoding import decode_with_info
from ..errors import InputError
from .files import InputFile
from .formats import read_bytes


@dataclass
class Document:
    record: int | None  # JSONL line number, None for a text file
    text: str
    raw: dict | None = None  # the JSONL record


def iter_documents(f: InputFile, text_key: str = "text", on_error: str = "fail", skipped=None) -> Iterator[Document]:
    """Documents of one input file.  Bad JSONL records raise :class:`InputError` naming file:line,
    or with ``on_error="skip"`` are appended to ``skipped`` as (line, reason, raw) and passed over."""
    data = read_bytes(f.path)
    if f.format != "jsonl":
        yield Document(None, decode_with_info(data).text)
        return
    for lineno, raw in enumerate(data.split(b"\n"), 1):
        if not raw.strip():
            continue
        problem = None
        try:
            rec = json.loads(raw)
        except (ValueError, UnicodeDecodeError) as e:
            problem = f"not valid JSON ({e})"
        else:
            if not isinstance(rec, dict):
                problem = f"a record must be a JSON object, not {type(rec).__name__}"
            elif not isinstance(rec.get(text_key), str):
                problem = f'no string "{text_key}" field; pass --text-key'
        if problem:
            if on_error != "skip":
                raise InputError(f"{f.path}:{lineno}: {problem}. Fix the line, or pass --on-error skip")
            if skipped is not None:
                skipped.append((lineno, problem, raw.decode("utf-8", "replace")))
            continue
        yield Document(lineno, rec[text_key], rec)
