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


class RecordSink:
    """Rows (dicts with the schema's columns) written to ``dest`` atomically, a row group at a time.

    Rows are buffered up to ``group_rows`` (by default the source's first row group size), so memory
    is bounded by a row group however long the file is.
    """

    def __init__(self, dest: Path | str, source: Path | str):
        _, pq = _pq()
        from .formats import AtomicWriter

        pf = pq.ParquetFile(str(source))
        self.schema = pf.schema_arrow
        self.group_rows = max(1, pf.metadata.row_group(0).num_rows) if pf.num_row_groups else 65536
        self.rows: list[dict] = []
        self.w = AtomicWriter(dest)
        self.pw = ParquetWriter(self.w.f, self.schema)

    def add(self, row: dict) -> None:
        self.rows.append(row)
        if len(self.rows) >= self.group_rows:
            self._flush()

    def _flush(self) -> None:
        pa, _ = _pq()
        if self.rows:
            self.pw.write(pa.Table.from_pylist(self.rows, schema=self.schema))
            self.rows = []

    def commit(self) -> None:
        self._flush()
        self.pw.close()
        self.w.commit()

    def abort(self) -> None:
        self.w.abort()
