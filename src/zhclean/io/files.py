"""Finding input files: paths, directories (recursive), include and exclude globs."""

from __future__ import annotations

import fnmatch
import os
from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError

TEXT_EXTS = (".txt", ".md")
JSONL_EXTS = (".jsonl", ".ndjson")
COMPRESSED = ("", ".gz", ".zst", ".zstd")
PARQUET_EXTS = (".parquet",)
DEFAULT_INCLUDE = [f"*{e}{c}" for e in TEXT_EXTS + JSONL_EXTS for c in COMPRESSED] + [f"*{e}" for e in PARQUET_EXTS]


@dataclass(frozen=True)
class InputFile:
    path: Path
    rel: Path  # where it goes under an output directory

    @property
    def format(self) -> str:
        return format_of(self.path)


def format_of(path: Path | str) -> str:
    """``"jsonl"``, ``"parquet"`` or ``"text"``, judged by extension (compression suffixes ignored)."""
    name = str(path).lower()
    if name.endswith(PARQUET_EXTS):
        return "parquet"
    for c in (".gz", ".zst", ".zstd"):
        if name.endswith(c):
            name = name[: -len(c)]
    return "jsonl" if name.endswith(JSONL_EXTS) else "text"


def _matches(rel: str, patterns) -> bool:
    name = rel.rsplit("/", 1)[-1]
    for p in patterns:
        p = p.rstrip("/")
        if fnmatch.fnmatchcase(rel, p) or fnmatch.fnmatchcase(name, p):
            return True
        # "dir" or "dir/**" excludes everything below dir
        base = p[:-3] if p.endswith("/**") else p
        if rel == base or rel.startswith(base + "/") or ("/" + base + "/") in ("/" + rel):
            return True
    return False


def discover(inputs, include=None, exclude=None, *, force_exclude: bool = False) -> list[InputFile]:
    """Expand files and directories into a sorted, de-duplicated list of input files.

    Directories are walked recursively, keeping files that match ``include``
    (default: .txt, .md and .jsonl, possibly .gz or .zst) and not ``exclude``.
    Files named directly are always taken, unless ``force_exclude`` is set.
    A missing path raises :class:`InputError`.
    """
    include = list(include or DEFAULT_INCLUDE)
    exclude = list(exclude or [])
    out: list[InputFile] = []
    seen = set()
    for raw in inputs:
        p = Path(raw)
        if not p.exists() and not p.is_symlink():
            raise InputError(f"{raw}: no such file or directory")
        if p.is_dir():
            for dirpath, dirnames, filenames in os.walk(p):
                dirnames[:] = sorted(d for d in dirnames if not d.startswith(".")
                                     and not _matches(os.path.relpath(os.path.join(dirpath, d), p).replace(os.sep, "/"), exclude))
                for fn in sorted(filenames):
                    fp = Path(dirpath) / fn
                    rel = fp.relative_to(p).as_posix()
                    if _matches(rel, include) and not _matches(rel, exclude):
                        key = os.path.realpath(fp)  # never raises, even on a loop of links
                        if key not in seen:
                            seen.add(key)
                            out.append(InputFile(fp, Path(rel)))
        else:
            if force_exclude and _matches(p.as_posix(), exclude):
                continue
            key = os.path.realpath(p)
            if key not in seen:
                seen.add(key)
                out.append(InputFile(p, Path(p.name)))
    return out
