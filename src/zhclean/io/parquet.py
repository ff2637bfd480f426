"""Parquet in and out (pyarrow, an optional dependency: ``pip install 'zhclean[parquet]'``).

Reading streams one row group at a time, so memory is bounded by the row group, not the file.
Writing keeps the input's schema: every other column and the row order stay as they were; only
the text column changes.
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterator

from ..errors import InputError


def _pq():
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:  # pragma: no cover - exercised only without pyarrow
        raise InputError("reading .parquet needs pyarrow: pip install 'zhclean[parquet]'") from None
    return pa, pq


def open_parquet(path: Path | str, text_key: str):
    """(ParquetFile, index of the text column); a clear error when the file or column is wrong."""
    pa, pq = _pq()
    try:
        pf = pq.ParquetFile(str(path))
    except Exception as e:
        raise InputError(f"{path}: not a readable Parquet file ({e}); is it truncated?") from None
    names = pf.schema_arrow.names
    if text_key not in names:
        raise InputError(f'{path}: no column "{text_key}" (columns: {", ".join(names[:8])}); pass --text-key')
    t = pf.schema_arrow.field(text_key).type
    if not (pa.types.is_string(t) or pa.types.is_large_string(t)):
        raise InputError(f'{path}: column "{text_key}" is {t}, not a string column; pass --text-key')
    return pf, names.index(text_key)


def iter_row_groups(path: Path | str, text_key: str):
    """(first row number, pyarrow Table) for each row group, in order (row numbers start at 1)."""
    pf, _ = open_parquet(path, text_key)
    row = 1
    for i in range(pf.num_row_groups):
        try:
            t = pf.read_row_group(i)
        except Exception as e:
            raise InputError(f"{path}: row group {i} cannot be read ({e}); the file is truncated or corrupt") from None
        yield row, t
        row += t.num_rows


def iter_rows(path: Path | str, text_key: str) -> Iterator[tuple[int, dict]]:
    """(row number, row as a dict) for every row, one row group in memory at a time."""
    for first, t in iter_row_groups(path, text_key):
        for k, rec in enumerate(t.to_pylist()):
            yield first + k, rec


def replace_text(table, text_key: str, texts: list):
    """``table`` with its text column replaced by ``texts`` (same type; other columns untouched)."""
    pa, _ = _pq()
    i = table.schema.names.index(text_key)
    return table.set_column(i, table.schema.field(i), pa.array(texts, type=table.schema.field(i).type))


class ParquetWriter:
    """Row groups written to an open binary file with a given schema."""

    def __init__(self, fileobj, schema):
        _, pq = _pq()
        self.w = pq.ParquetWriter(fileobj, schema)

    def write(self, table) -> None:
        self.w.write_table(table)

    def close(self) -> None:
        self.w.close()


def schema_of(path: Path | str):
    _, pq = _pq()
    return pq.ParquetFile(str(path)).schema_arrow


def write_records(dest: Path | str, records: list[dict], schema) -> None:
    """Write ``records`` (dicts with the schema's columns) to ``dest`` atomically, with ``schema``."""
    pa, pq = _pq()
    from .formats import AtomicWriter

    w = AtomicWriter(dest)
    try:
        pq.write_table(pa.Table.from_pylist(records, schema=schema), w.f)
    except BaseException:
        w.abort()
        raise
    w.commit()
