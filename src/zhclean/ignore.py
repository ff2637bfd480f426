"""``.zhcleanignore``: paths zhclean leaves alone, in gitignore syntax."""

from __future__ import annotations

import re
from pathlib import Path


def _translate(pat: str) -> str:
    out, i = [], 0
    while i < len(pat):
        c = pat[i]
        if pat.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif pat.startswith("/**", i) and i + 3 == len(pat):
            out.append("/.*")
            i += 3
        elif pat.startswith("**", i):
            out.append(".*")
            i += 2
        elif c == "*":
            out.append("[^/]*")
            i += 1
        elif c == "?":
            out.append("[^/]")
            i += 1
        elif c == "[":
            j = pat.find("]", i)
            if j == -1:
                out.append(re.escape(c))
                i += 1
            else:
                out.append(pat[i:j + 1])
                i = j + 1
        else:
            out.append(re.escape(c))
            i += 1
    return "".join(out)


class IgnoreFile:
    """Patterns in gitignore syntax: ``#`` comments, ``!`` negation, ``/`` anchors, trailing ``/``
    for folders, ``*``, ``?``, ``[...]`` and ``**``.  The last matching pattern decides."""

    def __init__(self, lines):
        self.rules = []
        for raw in lines:
            line = raw.rstrip("\n").rstrip()
            if not line or line.startswith("#"):
                continue
            neg = line.startswith("!")
            if neg:
                line = line[1:]
            dir_only = line.endswith("/")
            line = line.rstrip("/")
            anchored = "/" in line
            line = line.lstrip("/")
            rx = _translate(line)
            rx = ("^" if anchored else "^(?:.*/)?") + rx + ("(?:/.*)?$")
            self.rules.append((re.compile(rx), neg, dir_only))

    @classmethod
    def load(cls, path: Path) -> "IgnoreFile":
        if not path.is_file():
            return cls([])
        return cls(path.read_text(encoding="utf-8").splitlines())

    def ignored(self, rel: str) -> bool:
        rel = rel.replace("\\", "/").lstrip("./")
        verdict = False
        for rx, neg, dir_only in self.rules:
            m = rx.match(rel)
            if m is None:
                continue
            if dir_only and rel.count("/") == 0:
                continue  # a folder pattern cannot match a file at the top
            verdict = not neg
        return verdict
