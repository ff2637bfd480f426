"""Bytes in and out: compression by extension, streaming reads, and atomic writes.

Reads stream: :func:`iter_chunks` yields the decompressed content of a file piece by
piece, and a truncated or corrupt archive raises :class:`~zhclean.errors.InputError`
naming the file (zstandard, unlike gzip, hands back a truncated frame's content
without a word, so the end of every frame is checked).

Writes are atomic: :class:`AtomicWriter` writes to a temporary file beside the
target and renames it over the target at the end.  The temporary file's name
carries the writer's process id, so a later run can tell a temporary file left by a
killed run (its process is gone) from one that another run is still writing.
"""

from __future__ import annotations

import gzip
import os
import re
import stat
import zlib
from pathlib import Path
from typing import Iterator

CHUNK = 1 << 20
TMP_SUFFIX = ".zhclean-tmp"
WRITEBACK_BYTES = 8 << 20  # AtomicWriter.write starts the disk writes of every this many bytes


def compression_of(path: Path | str) -> str | None:
    name = str(path).lower()
    if name.endswith(".gz"):
        return "gzip"
    if name.endswith(".zst") or name.endswith(".zstd"):
        return "zstd"
    return None


# what gzip raises on a truncated or corrupt stream
_GZIP_ERRORS = (EOFError, gzip.BadGzipFile, zlib.error)


def _truncated(where: str, kind: str, detail: str):
    from ..errors import InputError

    return InputError(f"{where}: cannot {kind}-decompress ({detail}); the file is truncated or corrupt. "
                      "Re-download or re-create it")


def _file_pieces(path: Path) -> Iterator[bytes]:
    with open(path, "rb") as f:
        while True:
            b = f.read(CHUNK)
            if not b:
                return
            yield b


def iter_chunks(path: Path | str) -> Iterator[bytes]:
    """The file's content, decompressed according to its extension, in pieces of about 1 MB."""
    path = Path(path)
    kind = compression_of(path)
    if kind is None:
        yield from _file_pieces(path)
    elif kind == "gzip":
        try:
            with gzip.open(path, "rb") as f:
                while True:
                    b = f.read(CHUNK)
                    if not b:
                        return
                    yield b
        except _GZIP_ERRORS as e:
            raise _truncated(str(path), "gzip", str(e) or type(e).__name__) from None
    else:
        yield from _zstd_bytes_checked(_file_pieces(path), str(path))


def _zstd_bytes_checked(pieces: Iterator[bytes], where: str) -> Iterator[bytes]:
    import zstandard

    dctx = zstandard.ZstdDecompressor()
    dobj = dctx.decompressobj()
    fed = False  # has the current frame been fed any input?
    for piece in pieces:
        while piece:
            fed = True
            try:
                out = dobj.decompress(piece)
            except zstandard.ZstdError as e:
                raise _truncated(where, "zstd", str(e)) from None
            if out:
                yield out
            if dobj.eof:
                piece = dobj.unused_data
                dobj = dctx.decompressobj()
                fed = False
            else:
                piece = b""
    if fed:
        raise _truncated(where, "zstd", "the last frame ends early")


def iter_lines(chunks: Iterator[bytes]) -> Iterator[bytes]:
    """Lines (without their ``\\n``) of a stream of byte chunks, as ``bytes.split(b"\\n")`` gives them."""
    rest = b""
    for chunk in chunks:
        if rest:
            chunk = rest + chunk
        parts = chunk.split(b"\n")
        rest = parts.pop()
        yield from parts
    yield rest


def decompress(data: bytes, kind: str | None, where: str = "") -> bytes:
    if kind is None:
        return data
    if kind == "gzip":
        try:
            return gzip.decompress(data)
        except _GZIP_ERRORS as e:
            raise _truncated(where, "gzip", str(e) or type(e).__name__) from None
    return b"".join(_zstd_bytes_checked(iter([data]), where))


def compress(data: bytes, kind: str | None) -> bytes:
    if kind is None:
        return data
    if kind == "gzip":
        return gzip.compress(data, mtime=0)
    import zstandard

    return zstandard.ZstdCompressor(level=3).compress(data)


def read_bytes(path: Path) -> bytes:
    """The file's content, decompressed according to its extension."""
    return b"".join(iter_chunks(path))


def check_regular(path: Path | str) -> os.stat_result:
    """``os.stat`` of an input that must be a regular file (links followed); a clear error otherwise."""
    from ..errors import InputError

    try:
        st = os.stat(path)
    except FileNotFoundError:
        if os.path.islink(path):
            raise InputError(f"{path}: a symbolic link to a file that does not exist; fix or remove the link") from None
        raise InputError(f"{path}: no such file") from None
    except OSError as e:
        if e.errno == 40 or "loop" in str(e).lower():  # ELOOP
            raise InputError(f"{path}: a loop of symbolic links; fix or remove the links") from None
        raise InputError(f"{path}: cannot read ({e.strerror or e})") from None
    if not stat.S_ISREG(st.st_mode):
        kind = "a FIFO" if stat.S_ISFIFO(st.st_mode) else "a socket" if stat.S_ISSOCK(st.st_mode) \
            else "a device" if (stat.S_ISCHR(st.st_mode) or stat.S_ISBLK(st.st_mode)) else "not a regular file"
        raise InputError(f"{path}: {kind}; only regular files are read")
    return st


class ChangedMeanwhile(Exception):
    """The target changed on disk while zhclean was writing its replacement."""


def _tmp_name(path: Path) -> str:
    return f".{path.name}.{os.getpid()}."


_TMP_RE = re.compile(r"^\.(?P<name>.+)\.(?P<pid>\d+)\.[^.]+" + re.escape(TMP_SUFFIX) + r"$")


def _pid_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def stale_temp_files(folder: Path | str) -> list[Path]:
    """Temporary files in ``folder`` left by a zhclean run that was killed (its process is gone)."""
    out = []
    try:
        names = os.listdir(folder)
    except OSError:
        return out
    for n in names:
        m = _TMP_RE.match(n)
        if m and not _pid_alive(int(m.group("pid"))):
            out.append(Path(folder) / n)
        elif n.endswith(TMP_SUFFIX) and not m:  # older naming, without a process id
            out.append(Path(folder) / n)
    return sorted(out)


class AtomicWriter:
    """Write a file through a temporary file and a rename.

    Readers never see a half-written file, and a crash leaves the old file whole.
    The file mode of ``keep_mode_of`` (default: the file being replaced) is kept; a new file
    gets the usual mode (0666 less the umask).  A symbolic link is kept: its target is replaced.
    With ``expect``, the (size, mtime_ns) of the target as it was read, :meth:`commit` raises
    :class:`ChangedMeanwhile` and leaves the target alone when another writer changed it meanwhile.
    """

    def __init__(self, path: Path | str, *, keep_mode_of: Path | None = None, expect: tuple | None = None):
        import tempfile

        path = Path(path)
        if path.is_symlink():
            path = Path(os.path.realpath(path))
        self.path, self.expect = path, expect
        path.parent.mkdir(parents=True, exist_ok=True)
        src = keep_mode_of or path
        try:
            self.mode = os.stat(src).st_mode & 0o7777
        except OSError:
            umask = os.umask(0)
            os.umask(umask)
            self.mode = 0o666 & ~umask
        fd, self.tmp = tempfile.mkstemp(prefix=_tmp_name(path), suffix=TMP_SUFFIX, dir=path.parent)
        self.f = os.fdopen(fd, "wb")
        self.written = self.started = 0  # bytes written through write(); of them, sent on to the disk

    def write(self, data: bytes) -> None:
        self.f.write(data)
        self.written += len(data)
        if self.written - self.started >= WRITEBACK_BYTES:
            self._start_writeback()

    def _start_writeback(self) -> None:
        """Start the disk writes of what was written since the last call, without waiting for them, so
        that commit's fsync has little left to wait for: it waited for all of a big output at the end
        of a run (60-80 ms for 160 MB on the development machine; 2-8 ms with this).  POSIX_FADV_DONTNEED
        starts the writeback of the range's dirty pages (and keeps them cached while they are written)."""
        self.f.flush()
        try:
            os.posix_fadvise(self.f.fileno(), self.started, self.written - self.started, os.POSIX_FADV_DONTNEED)
        except (AttributeError, OSError):  # (not on every system; only an optimisation)
            pass
        self.started = self.written

    def commit(self) -> None:
        try:
            if not self.f.closed:
                self.f.flush()
                os.fsync(self.f.fileno())
                self.f.close()
            else:  # a writer (pyarrow's) closed it: sync through a new descriptor
                fd = os.open(self.tmp, os.O_RDONLY)
                try:
                    os.fsync(fd)
                finally:
                    os.close(fd)
            os.chmod(self.tmp, self.mode)
            if self.expect is not None:
                try:
                    st = os.stat(self.path)
                    now = (st.st_size, st.st_mtime_ns)
                except FileNotFoundError:
                    now = None
                if now != tuple(self.expect):
                    raise ChangedMeanwhile(f"{self.path}: changed on disk while zhclean was cleaning it; "
                                           "left as it is. Run zhclean again when no other program writes it")
            os.replace(self.tmp, self.path)
        except BaseException:
            self.abort()
            raise

    def abort(self) -> None:
        try:
            self.f.close()
        except Exception:
            pass
        try:
            os.unlink(self.tmp)
        except FileNotFoundError:
            pass


class CompressingSink:
    """An :class:`AtomicWriter` (or None: nowhere) with a compression (``compression_of``) applied on the way."""

    def __init__(self, writer: AtomicWriter | None, kind: str | None):
        self.w = writer
        self.kind = kind
        self.z = None
        if self.w is not None and kind == "gzip":
            self.z = gzip.GzipFile(fileobj=self.w.f, mode="wb", mtime=0, filename="")
        elif self.w is not None and kind == "zstd":
            import zstandard

            self.z = zstandard.ZstdCompressor(level=3).stream_writer(self.w.f, closefd=False)

    def write(self, b: bytes) -> None:
        if self.z is not None:
            self.z.write(b)
        elif self.w is not None:
            self.w.write(b)

    def commit(self) -> None:
        if self.w is None:
            return
        if self.z is not None:
            self.z.close() if self.kind == "gzip" else self.z.flush(__import__("zstandard").FLUSH_FRAME)
        self.w.commit()

    def abort(self) -> None:
        if self.w is not None:
            self.w.abort()


def atomic_write(path: Path, data: bytes, *, keep_mode_of: Path | None = None, expect: tuple | None = None) -> None:
    """Write ``data`` to ``path`` atomically (see :class:`AtomicWriter`)."""
    w = AtomicWriter(path, keep_mode_of=keep_mode_of, expect=expect)
    try:
        w.write(data)
    except BaseException:
        w.abort()
        raise
    w.commit()
