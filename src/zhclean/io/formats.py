"""Bytes in and out: compression by extension, and atomic writes."""

from __future__ import annotations

import gzip
import os
import tempfile
from pathlib import Path


def compression_of(path: Path | str) -> str | None:
    name = str(path).lower()
    if name.endswith(".gz"):
        return "gzip"
    if name.endswith(".zst") or name.endswith(".zstd"):
        return "zstd"
    return None


def decompress(data: bytes, kind: str | None, where: str = "") -> bytes:
    if kind is None:
        return data
    try:
        if kind == "gzip":
            return gzip.decompress(data)
        import zstandard

        return zstandard.ZstdDecompressor().decompressobj().decompress(data)
    except Exception as e:  # corrupt archive
        from ..errors import InputError

        raise InputError(f"{where}: cannot {kind}-decompress ({e}); is the file truncated?") from None


def compress(data: bytes, kind: str | None) -> bytes:
    if kind is None:
        return data
    if kind == "gzip":
        return gzip.compress(data, mtime=0)
    import zstandard

    return zstandard.ZstdCompressor(level=3).compress(data)


def read_bytes(path: Path) -> bytes:
    """The file's content, decompressed according to its extension."""
    return decompress(Path(path).read_bytes(), compression_of(path), str(path))


def atomic_write(path: Path, data: bytes, *, keep_mode_of: Path | None = None) -> None:
    """Write ``data`` to ``path`` through a temporary file and a rename.

    Readers never see a half-written file, and a crash leaves the old file whole.
    The file mode of ``keep_mode_of`` (default: the file being replaced) is kept.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    src = keep_mode_of or path
    try:
        mode = os.stat(src).st_mode & 0o7777
    except FileNotFoundError:
        mode = None
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".zhclean-tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        if mode is not None:
            os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
