"""Readers and writers: plain text and JSONL, gzip or zstd, stdin/stdout, atomic writes."""

from .files import InputFile, discover, format_of
from .formats import atomic_write, compress, decompress, read_bytes

__all__ = ["InputFile", "discover", "format_of", "atomic_write", "compress", "decompress", "read_bytes"]
