"""A persistent paragraph index, so new files are checked against everything seen before
without recomputing it.

The default store is SQLite (``.zhclean/index.sqlite``): each indexed unit keeps its source
(a name such as ``path@blob``), its line, its comparison view (for exact verification) and
its LSH band keys.  With ``lsh_storage`` set to a datasketch storage config (for example
``{"type": "redis", "redis": {"host": "localhost", "port": 6379}}``), candidate lookup goes
through ``datasketch.MinHashLSH`` on that storage instead of the SQLite band table, which lets
several machines share one index; views stay in SQLite.

Matches are verified by exact shingle Jaccard, so a reported duplicate is always at or above
the threshold.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..errors import ConfigError
from .corpus import CorpusSettings
from .lsh import band_keys
from .minhash import shingles, signatures, view

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS sources (source TEXT PRIMARY KEY);
CREATE TABLE IF NOT EXISTS items (id INTEGER PRIMARY KEY, source TEXT, line INTEGER, view TEXT);
CREATE TABLE IF NOT EXISTS bands (band INTEGER, key INTEGER, item INTEGER);
CREATE INDEX IF NOT EXISTS bands_key ON bands (band, key);
CREATE INDEX IF NOT EXISTS items_source ON items (source);
"""


@dataclass(frozen=True)
class Match:
    line: int          # 1-based line of the queried paragraph
    source: str        # where the earlier copy is
    source_line: int
    similarity: float  # exact shingle Jaccard


class ParagraphIndex:
    """Paragraph signatures on disk.  ``add`` a source's paragraphs once; ``query`` new text."""

    def __init__(self, path: str | Path = ".zhclean/index.sqlite", settings: CorpusSettings | None = None,
                 lsh_storage: dict | None = None):
        self.settings = s = settings or CorpusSettings()
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        if self.path.parent.name == ".zhclean" and not (self.path.parent / ".gitignore").exists():
            # a cache, never to be committed (git add -A would otherwise stage it)
            (self.path.parent / ".gitignore").write_text("*\n", encoding="utf-8")
        self.db = sqlite3.connect(str(self.path))
        self.db.executescript(SCHEMA)
        want = {"num_perm": s.num_perm, "seed": s.seed, "shingle": s.shingle, "threshold": s.threshold,
                "normalize": s.normalize, "scheme": "affine32"}
        row = self.db.execute("SELECT value FROM meta WHERE key='settings'").fetchone()
        if row is None:
            self.db.execute("INSERT INTO meta VALUES ('settings', ?)", (json.dumps(want, sort_keys=True),))
            self.db.commit()
        elif json.loads(row[0]) != want:
            raise ConfigError(f"{self.path} was built with {row[0]}, not {json.dumps(want, sort_keys=True)}; "
                              f"delete it (it is a cache) or use the same dedup settings")
        self.bands, self.rows = s.params
        self.lsh = None
        if lsh_storage is not None:
            from datasketch import MinHashLSH

            self.lsh = MinHashLSH(threshold=s.threshold, num_perm=s.num_perm, params=(self.bands, self.rows),
                                  storage_config=lsh_storage)

    def close(self) -> None:
        self.db.close()

    def __contains__(self, source: str) -> bool:
        return self.db.execute("SELECT 1 FROM sources WHERE source=?", (source,)).fetchone() is not None

    def sources(self) -> list[str]:
        return [r[0] for r in self.db.execute("SELECT source FROM sources ORDER BY source")]

    @staticmethod
    def _units(text: str) -> list[tuple[int, str]]:
        return [(i + 1, ln) for i, ln in enumerate(text.split("\n")) if ln.strip()]

    def _prepare(self, text: str):
        units = self._units(text)
        views = [view(u) if self.settings.normalize else u for _, u in units]
        sigs = signatures(views, self.settings.shingle, self.settings.num_perm, self.settings.seed)
        keys = band_keys(sigs, self.bands, self.rows).view(np.int64)
        return units, views, sigs, keys

    def add(self, source: str, text: str) -> int:
        """Index the paragraphs of ``text`` under ``source`` (replacing what that source had)."""
        self.remove(source)
        units, views, sigs, keys = self._prepare(text)
        cur = self.db.cursor()
        cur.execute("INSERT INTO sources VALUES (?)", (source,))
        for (line, _), v, sig, ks in zip(units, views, sigs, keys):
            if not v:
                continue
            cur.execute("INSERT INTO items (source, line, view) VALUES (?, ?, ?)", (source, line, v))
            item = cur.lastrowid
            if self.lsh is not None:
                from datasketch import LeanMinHash

                self.lsh.insert(str(item), LeanMinHash(seed=self.settings.seed, hashvalues=sig, scheme="affine32"))
            else:
                cur.executemany("INSERT INTO bands VALUES (?, ?, ?)",
                                [(b, int(k), item) for b, k in enumerate(ks.tolist())])
        self.db.commit()
        return len(units)

    def remove(self, source: str) -> None:
        ids = [r[0] for r in self.db.execute("SELECT id FROM items WHERE source=?", (source,))]
        if ids:
            if self.lsh is not None:
                for i in ids:
                    if str(i) in self.lsh:
                        self.lsh.remove(str(i))
            self.db.executemany("DELETE FROM bands WHERE item=?", [(i,) for i in ids])
            self.db.execute("DELETE FROM items WHERE source=?", (source,))
        self.db.execute("DELETE FROM sources WHERE source=?", (source,))
        self.db.commit()

    def query(self, text: str, allowed=None) -> list[Match]:
        """Paragraphs of ``text`` that duplicate an indexed paragraph (from a source in ``allowed``,
        if given), each with its best match."""
        units, views, sigs, keys = self._prepare(text)
        allowed = set(allowed) if allowed is not None else None
        out = []
        for (line, _), v, sig, ks in zip(units, views, sigs, keys):
            if not v:
                continue
            if self.lsh is not None:
                from datasketch import LeanMinHash

                cand = [int(x) for x in self.lsh.query(LeanMinHash(seed=self.settings.seed, hashvalues=sig,
                                                                   scheme="affine32"))]
            else:
                cand = set()
                for b, k in enumerate(ks.tolist()):
                    cand.update(r[0] for r in self.db.execute("SELECT item FROM bands WHERE band=? AND key=?", (b, int(k))))
            if not cand:
                continue
            sv = shingles(v, self.settings.shingle)
            best = None
            q = ",".join("?" * len(cand))
            for item, source, sline, other in self.db.execute(
                    f"SELECT id, source, line, view FROM items WHERE id IN ({q})", list(cand)):
                if allowed is not None and source not in allowed:
                    continue
                so = shingles(other, self.settings.shingle)
                jac = len(sv & so) / len(sv | so) if (sv or so) else 1.0
                if jac >= self.settings.threshold and (best is None or (jac, -item) > (best.similarity, 0)):
                    best = Match(line, source, sline, jac)
            if best is not None:
                out.append(best)
        return out
