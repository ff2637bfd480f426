"""fix_mojibake: repair text that was decoded with the wrong encoding somewhere upstream.

Two layers, both per paragraph (line) and per segment, so one bad paragraph is fixed
without touching the rest:

1. **ftfy**, configured to be safe for Chinese: no width folding (``，！`` stay full width),
   no quote uncurling, NFC rather than NFKC, no HTML unescaping (``normalize`` does that).
   ftfy repairs UTF-8 read as Latin-1/cp1252, double-encoded UTF-8 included.  It runs only
   where Latin-looking characters (U+0080-U+024F and cp1252's punctuation) appear.
2. **CJK repairs ftfy cannot make**, each accepted only when the result is far more plausible
   under the character model (:func:`zhclean.encoding.plausibility`):
   - ``utf8_as_gbk`` / ``utf8_as_big5``: UTF-8 bytes read as GBK/cp936 (€ byte included) or Big5;
   - ``gbk_as_latin1`` / ``big5_as_latin1``: GBK, GB18030 or Big5 bytes read as Latin-1 or cp1252;
   - ``shifted_gbk``: GBK decoded one byte out of step (seed 004).  The segment is re-encoded
     (with ASCII ``?!^`` that a site folded back to ``？！＾``), realigned, and the byte lost at
     each end is guessed from the neighbouring characters' bigrams.  Guesses are marked in the
     explanation; where no guess is good, the character is reported as lost.  Without marks (issue
     12: valid, common-looking characters), a stretch is found by the character model instead: no
     two neighbours a known bigram; every run around it that could have been out of step (it
     ends where the decoder met ASCII or an invalid pair) is realigned, and the one that reads
     best is taken when far better (``_unmarked_shifts``, ``_clause_shift``).
   - ``broken_tag``: HTML tag remnants whose ``<`` was eaten by a shift (``?/p>``).
3. **Lossy damage** (U+FFFD, 锟斤拷, runs of ``?`` in Chinese text) cannot be undone: each damaged
   paragraph is reported with a score (damaged share of its characters); with
   ``drop_unrecoverable = true`` a paragraph above ``lossy_threshold`` is dropped, and the report
   keeps it.

Control and zero-width characters inside a paragraph are dropped before detection, as
``normalize`` would drop them: they can split a mojibake run.  Clean text is never changed: Chinese, Japanese, Korean, emoji, accented Latin, full-width Latin and
mathematical symbols all pass through (tests/test_mojibake.py holds the negatives).

>>> fix_mojibake("鏁版嵁娓呮礂，正常的文字。")
'数据清洗，正常的文字。'
>>> fix_mojibake("ÖÐ¹úÈË")
'中国人'
"""

from __future__ import annotations

import math
import re
import sys
from array import array
from bisect import bisect_left
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate

from ..encoding import _gbk_pairs as _all_gbk_pairs, decode_gbk, decode_pairs, plausibility
from ..pipeline import Change, LineIndex, StepResult
from ..registry import make_settings, register
from ._rules import Filter, default_instance, join_kept
from .normalize import _ZWJ_CJK

# a UTF-8 lead byte read as Latin-1/cp1252 followed by a continuation byte: ftfy's kind of mojibake
_UTF8_LEAD = r"[\u00c2-\u00f4]"
_UTF8_CONT = (r"[\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6"
              r"\u02dc\u2013-\u2026\u2030\u2039\u203a\u20ac\u2122]")
_UTF8_PAIR = re.compile(_UTF8_LEAD + _UTF8_CONT)
_LIGATURES = re.compile(r"[\u0132\u0133\u0149\u01c4-\u01cc\u01f1-\u01f3\ufb00-\ufb06]")
_NON_CJK_LETTERS = re.compile(r"[\u00c0-\u024f\u0370-\u04ff\u221a\u2248\u25ca\ufb01\ufb02\u0080-\u009f]")
# every character that _UTF8_PAIR, _C1, _LIGATURES or _NON_CJK_LETTERS can start a match with
# (_wants_ftfy's first look: a suspect line of GBK pairs or rare characters holds none)
_FTFY_ANY = re.compile(r"[\u0080-\u009f\u00c0-\u024f\u0370-\u04ff\u221a\u2248\u25ca\ufb00-\ufb06]")
# characters that send a line to ftfy; Chinese text's own “”‘’—… are not among them (ftfy's mojibake
# always holds Latin-1-range letters such as â, Ã, Ð, or C1 controls)
_LATINISH = re.compile(r"[\u0080-\u024f\u02bc-\u02dc\u0370-\u04ff\u2030\u2039\u203a\u20ac\u2122"
                       r"\u2202-\u221e\u2248\u2260\u2264\u2265\u25ca\ufb01\ufb02]")
_HI = (r"[\u0080-\u00ff\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc"
       r"\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]")
# GBK and Big5 trail bytes include 0x40-0x7E, so ASCII letters sit inside such runs
_LATIN1_RUN = re.compile(_HI + r"(?:[\x40-\x7e]?" + _HI + r"){3,}[\x40-\x7e]?")
_LATIN1_SHORT = re.compile(_HI + r"(?:[\x40-\x7e]?" + _HI + r")+[\x40-\x7e]?")
_LATIN1_PAIRS = re.compile("(?:" + _HI + "(?:" + _HI + r"|[\x40-\x7e]))+")
_HI_PAIR = re.compile(_HI + _HI)
# _latin_round's first look: a character of _HI (every _LATIN1_RUN and C1 control is one) or one
# _wants_ftfy needs; a suspect line with none is left as it is by the round
_LATIN_ROUND_ANY = re.compile(_HI[:-1] + _FTFY_ANY.pattern[1:])
# (each branch of these starts with a literal, so the regex engine skips to the places where one
# could start: \ufffd+|(?:锟斤拷)+|(?<=[\u4e00-\u9fff])\?+|\?+(?=[\u4e00-\u9fff])|\?{2,} and
# (?<!<)\?{1,2}/..., written the slow way, try every branch at every place)
_LOSSY = re.compile(r"\ufffd\ufffd*|锟斤拷(?:锟斤拷)*|\?(?<=[\u4e00-\u9fff]\?)\?*|\?\?*(?=[\u4e00-\u9fff])|\?\?+")
_BROKEN_TAG = re.compile(r"\?(?<!<\?)\??/(?:p|div|span|br|li|td|tr|th|h[1-6]|strong|em|b|a)>")
_C1 = re.compile(r"[\x80-\x9f]")
# what normalize would drop anyway (soft hyphens are judged later: in ä¸­ one is a byte of 中); not
# \r, \x0b, \x0c (normalize makes them line breaks), and zero-width joiners only where normalize
# drops them (an emoji sequence keeps its joiner)
_HIDDEN = re.compile(r"[\x00-\x08\x0e-\x1f\x7f\u180e\u200b\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069"
                     r"\ufeff\ufffc]|" + _ZWJ_CJK.pattern, re.M)
# every character _HIDDEN can match (a cheap first look: _ZWJ_CJK's lookbehind is tried at every place)
_HIDDEN_ANY = re.compile(r"[\x00-\x08\x0e-\x1f\x7f\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069"
                         r"\ufeff\ufffc]")
_SOFT = re.compile(r"[\u00ad\x80-\x9f]")
_SPACES = re.compile(r"[\u00a0\u2000-\u200a\u202f\u205f]")
_SOFT_OR_SPACE = re.compile(r"[\u00ad\x80-\x9f\u00a0\u2000-\u200a\u202f\u205f]")  # (either, in one scan)
_FOLDED = {"?": "？", "!": "！", "^": "＾", ",": "，", ":": "：", ";": "；"}


def _is_han(c: str) -> bool:
    o = ord(c)
    return 0x3400 <= o <= 0x9FFF or 0xF900 <= o <= 0xFAFF


def _char_class(chars, two_as_range: bool = False) -> str:
    """A regex class of the characters: each run of consecutive code points as a range, for the
    regex parser a fraction of the items (these classes hold thousands of characters, and
    compiling them was a good part of the start-up).  Characters from U+0080 on need no escape
    (re.escape changes only ASCII), so only ASCII ones go through it.  A run of two is written as
    two characters, or as a range with ``two_as_range`` (the same class either way)."""
    import numpy as np

    cps = np.array(sorted(map(ord, chars)), dtype=np.int64)
    parts = []
    # (the runs found by numpy: where a code point does not follow the one before)
    cut = np.flatnonzero(np.diff(cps) != 1) + 1
    runs = zip(cps[np.r_[0, cut]].tolist(), cps[np.r_[cut - 1, len(cps) - 1]].tolist()) if len(cps) else ()
    for lo, hi in runs:
        a = chr(lo) if lo >= 0x80 else re.escape(chr(lo))
        if lo == hi:
            parts.append(a)
        else:
            b = chr(hi) if hi >= 0x80 else re.escape(chr(hi))
            parts.append(a + b if hi == lo + 1 and not two_as_range else a + "-" + b)
    return "[" + "".join(parts) + "]"


def _pair_chars(enc: str, firsts, seconds) -> set[str]:
    """The characters that two bytes (one of ``firsts``, then one of ``seconds``) decode to in
    ``enc`` as one character (encoding.decode_pairs: all the pairs in one call)."""
    return {c for c in decode_pairs(enc, firsts, seconds) if c is not None and len(c) == 1}


@lru_cache(maxsize=1)
def _moji_sets() -> None:
    """Fill _SETS and _CLASSES: the characters of what UTF-8 looks like when read as GBK or as Big5
    (uncommon characters only), and rare characters (for shifted GBK), as sets and regex classes.
    Compiled only where a regex is needed (_moji_classes, _suspect, _moji_re): a short clean text
    needs _suspect's alone."""
    from ..charmodel import char_counts

    cc = char_counts()
    hi = list(range(0x80, 0xC0)) + list(range(0xE0, 0xF0))
    # Traditional text uses many characters Big5 misreadings also produce: for Big5 keep the rarest
    limits = {"gbk": 50, "big5": 5}
    get = cc.get
    sigs = {enc: {c for c in _pair_chars(enc, hi, hi) if get(c, 0) < limit} for enc, limit in limits.items()}
    rare = {c for c in map(chr, range(0x4E00, 0xA000)) if get(c, 0) < 3}
    rare.update(map(chr, range(0x2500, 0x2580)))  # box drawing: GBK row A9 shows up in shifted text
    gbk, big5 = sigs["gbk"], sigs["big5"]
    _SETS["gbk"], _SETS["big5"], _SETS["rare"] = frozenset(gbk), frozenset(big5), frozenset(rare)
    _CLASSES["gbk"], _CLASSES["big5"], _CLASSES["rare"] = _char_class(gbk), _char_class(big5), _char_class(rare)


@lru_cache(maxsize=1)
def _moji_classes() -> tuple[re.Pattern, re.Pattern, re.Pattern]:
    """Runs of what UTF-8 looks like when read as GBK or as Big5, and of rare characters (for
    shifted GBK) or marks: wanted only for a suspect line."""
    _moji_sets()
    gbk, big5, rare = _CLASSES["gbk"], _CLASSES["big5"], _CLASSES["rare"]
    return (re.compile("(?:" + gbk + "[^\\x00-\\x7f]?){2,}"), re.compile("(?:" + big5 + "[^\\x00-\\x7f]?){2,}"),
            re.compile("(?:" + rare + "|[?!^]){2,}"))


_CLASSES: dict[str, str] = {}
_SETS: dict[str, frozenset] = {}


@lru_cache(maxsize=2)
def _moji_re(enc: str) -> re.Pattern:
    _moji_sets()
    return re.compile(_CLASSES[enc])


@lru_cache(maxsize=1)
def _suspect() -> re.Pattern:
    """One cheap scan that says whether a line needs a closer look at all (the fast path): two
    suspicious characters in a row, Latin-1 range characters, U+FFFD or 锟, controls, ``?/``."""
    _moji_sets()
    g, b, rare = _CLASSES["gbk"], _CLASSES["big5"], _CLASSES["rare"]
    gap = "[^\\x00-\\x7f]?"
    marks = _MARKS
    # a shifted run: rare characters next to marks, or five in a row (as _shift_evidence wants)
    shifted = rare + marks + "|" + marks + rare + "|" + rare + "{5}"
    # (the middle dot of Chinese names, ·, and ×, are not suspects by themselves)
    return re.compile(_UTF8_PAIR.pattern + "|" + _NON_CJK_LETTERS.pattern + "|" + _LIGATURES.pattern + "|" + g + gap + g +
                      "|" + b + "[^\\x00-\\x7f]{0,2}" + b + "|" + shifted + "|" + _SUSPECT_ONE + r"|\?/")


_MARKS = "[?!^\\u2500-\\u257f\\ufffd]"
_SUSPECT_ONE = r"[\u0080-\u00b6\u00b8-\u00d6\u00d8-\u024f\ufffd锟\x00-\x08\x0b-\x1f\u20ac\u2122]"

# the bits of the code-point table behind the document-wide scan (_scan)
(_F_ONE, _F_LEAD, _F_CONT, _F_GBK, _F_BIG5, _F_RARE, _F_MARK, _F_NA, _F_Q, _F_SLASH, _F_SHIFT, _F_B5LAT, _F_ALNUM,
 _F_DEG) = (1 << k for k in range(14))
_F_START = _F_ONE | _F_LEAD | _F_GBK | _F_BIG5 | _F_RARE | _F_MARK | _F_Q | _F_SHIFT | _F_B5LAT


@lru_cache(maxsize=1)
def _flag_table():
    """For every code point, the classes of the fast path's regexes it belongs to, as bits: each
    class read off its own regex (over the BMP, where all of them lie) or its own set (the big
    classes of _moji_sets: their regexes are those sets, and a scan of the BMP with each cost more
    than the rest of the table)."""
    import numpy as np

    _moji_sets()
    t = np.zeros(0x110000, dtype=np.uint16)
    t[0x80:] |= _F_NA
    bmp = "".join(map(chr, range(0x10000)))

    def put(bit: int, pattern: str) -> None:
        idx = [m.start() for m in re.finditer(pattern, bmp)]
        t[idx] |= bit

    put(_F_ONE, _NON_CJK_LETTERS.pattern + "|" + _LIGATURES.pattern + "|" + _SUSPECT_ONE)
    put(_F_LEAD, _UTF8_LEAD)
    put(_F_CONT, _UTF8_CONT)
    for bit, enc in ((_F_GBK, "gbk"), (_F_BIG5, "big5"), (_F_RARE, "rare")):
        t[sorted(map(ord, _SETS[enc]))] |= bit
    put(_F_MARK, _MARKS)
    put(_F_Q, r"\?")
    put(_F_SLASH, "/")
    t[sorted(map(ord, _shift_chars()))] |= _F_SHIFT
    _, degree, any_b5 = _big5_latin()
    put(_F_B5LAT, any_b5.pattern)
    t[[ord(c) for c in "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"]] |= _F_ALNUM
    t[ord(degree)] |= _F_DEG
    return t


@lru_cache(maxsize=1)
def _start_table():
    """For every code point, whether a match of the fast path's regexes can start at it (one of
    the _F_START classes), as a bool array: the scan's first pass reads one byte a character."""
    return (_flag_table() & _F_START) != 0


@lru_cache(maxsize=1)
def _next_tables():
    """For each set of bits a character may have: the bits that the character after it must have
    (any of them) to complete a two-character match of _suspect(), and those the character two
    places on must have when a non-ASCII character stands between."""
    import numpy as np

    v = np.arange(1 << 16, dtype=np.uint32)
    after1 = np.zeros(1 << 16, dtype=np.uint16)
    after2 = np.zeros(1 << 16, dtype=np.uint16)
    for have, need in ((_F_LEAD, _F_CONT), (_F_GBK, _F_GBK), (_F_BIG5, _F_BIG5), (_F_RARE, _F_MARK),
                       (_F_MARK, _F_RARE), (_F_Q, _F_SLASH)):
        after1[(v & have) != 0] |= need
    for have in (_F_GBK, _F_BIG5):
        after2[(v & have) != 0] |= have
    return after1, after2


def _scan(text: str) -> tuple[set[int], set[int]]:
    """The fast path's questions asked of a whole document at once, with one lookup in a code-point
    table (_flag_table) and a look at the few places where a match could start.  Returns the
    indices of the lines (``text.split("\\n")``) that ``_suspect()`` finds something in, and of
    the lines that it does not but that the clean path must still look at: two uncommon characters
    close together (``_unmarked_shift_re()``), a Big5 signature character (``_moji_re("big5")``),
    or a character of ``_big5_latin()`` after an ASCII letter or digit, or the degree sign's
    stand-in (a superset of what ``_latin_in_big5`` can change).  No match spans a line break:
    "\\n" belongs to no class."""
    import numpy as np

    from .._cptable import code_points

    # (spaces past the end, in no class: a match may look four places on, and f[-1], before the start, is one)
    cps = code_points(text + "     ")
    p = np.flatnonzero(_start_table()[cps])
    if not p.size:
        return set(), set()
    # the classes of the character before each place where a match could start, of that one and of
    # the four after it, in one gather (numpy's cost here is per call, not per element; only these
    # places' classes are looked up)
    g = _flag_table()[cps[p[:, None] + _scan_offsets()]]  # (columns: b, a0, a1, a2, a3, a4)
    # every question below but one is "has this neighbour a bit that a0 asks of it": each
    # character's classes in both halves of a 32-bit word (low: what makes the line suspect, high:
    # what makes the clean path look), and-ed at once with what a0 asks of each neighbour
    # (_need_table), a0's own column answering for a0 alone
    x = g * np.uint32(0x10001)
    x[:, 1] = 0xFFFFFFFF
    x = x[:, :5] & _need_table()[g[:, 1]]
    # (the third and fourth characters count only with non-ASCII characters between)
    na1 = (g[:, 2] & _F_NA) != 0
    x[:, 3] *= na1
    x[:, 4] *= na1 & ((g[:, 3] & _F_NA) != 0)
    h = np.bitwise_or.reduce(x, axis=1)
    # and five rare characters in a row
    sus = ((h & 0xFFFF) != 0) | ((np.bitwise_and.reduce(g[:, 1:], axis=1) & _F_RARE) != 0)
    look = ((h >> 16) != 0) & ~sus
    return _lines_of(text, p[sus].tolist()), _lines_of(text, p[look].tolist())


@lru_cache(maxsize=1)
def _need_table():
    """For each set of bits a character (a0, where a match could start) may have, what _scan asks
    of the character before it, of itself, and of the three after it, as (b, a0, a1, a2, a3)
    columns of 32-bit words: the low half the bits that make the line suspect (_suspect()), the
    high half those that make the clean path look at it.  The same questions as spelled out:

    - suspect: a0 is one of _F_ONE; a1 has a bit of after1[a0] (two in a row); a2 one of
      after2[a0] (one between); a0 and a3 are Big5 signatures (two between);
    - look: a0 is shifted-GBK material and a1, a2 or a3 is too; a0 is a Big5 signature; a0 is a
      character of _big5_latin() after an ASCII letter or digit (b), or the degree sign's stand-in.

    (What a2 and a3 are asked counts only with non-ASCII characters between; _scan gates those
    columns.  Five rare characters in a row, _scan asks itself.)"""
    import numpy as np

    v = np.arange(1 << 16, dtype=np.uint32)
    after1, after2 = _next_tables()
    hi = 16
    shift = np.where((v & _F_SHIFT) != 0, np.uint32(_F_SHIFT << hi), np.uint32(0))
    need = np.zeros((1 << 16, 5), dtype=np.uint32)
    need[:, 0] = np.where((v & _F_B5LAT) != 0, np.uint32(_F_ALNUM << hi), np.uint32(0))
    need[:, 1] = (np.where((v & _F_ONE) != 0, 1, 0) | np.where((v & _F_BIG5) != 0, 1 << hi, 0)
                  | np.where(((v & _F_B5LAT) != 0) & ((v & _F_DEG) != 0), 1 << hi, 0)).astype(np.uint32)
    need[:, 2] = after1.astype(np.uint32) | shift
    need[:, 3] = after2.astype(np.uint32) | shift
    need[:, 4] = np.where((v & _F_BIG5) != 0, np.uint32(_F_BIG5), np.uint32(0)) | shift
    return need


@lru_cache(maxsize=1)
def _scan_offsets():
    import numpy as np

    return np.arange(-1, 5)


def _lines_of(text: str, places: list[int]) -> set[int]:
    """The indices of the lines (``text.split("\\n")``) that hold the given places (in rising
    order, none a line break): the breaks before each are counted from the one before, and the
    places after it on the same line are skipped (a line of keywords may hold hundreds)."""
    out: set[int] = set()
    at = line = k = 0
    while k < len(places):
        q = places[k]
        line += text.count("\n", at, q)
        out.add(line)
        at = text.find("\n", q)
        if at < 0:
            break
        k = bisect_left(places, at, k + 1)
    return out


def _scan_lines(text: str) -> tuple[set[int], set[int]]:
    """What :func:`_scan` asks, with the regexes, line by line: quicker on a short text (a paragraph),
    where numpy's cost per call outweighs the scan.  The same suspect lines; the lines to look at are
    those the clean path can change (``_scan`` may give more, which the look then leaves alone)."""
    suspect, unmarked, big5 = _suspect(), _unmarked_shift_re(), _moji_re("big5")
    _, degree, any_b5 = _big5_latin()
    sus, look = set(), set()
    for i, line in enumerate(text.split("\n")):
        if suspect.search(line):
            sus.add(i)
        elif unmarked.search(line) or big5.search(line) or any(
                m.group(0) == degree or (m.start() and _ascii_alnum(line[m.start() - 1])) for m in any_b5.finditer(line)):
            look.add(i)
    return sus, look


SCAN_MIN_CHARS = 900  # from this length the document-wide scan is the quicker (even at 1,000: 39 against 44 us)


def _run_bytes(enc: str, run: str):
    """(raw, offs): the run's ``enc`` bytes and where each character's bytes start, so that
    ``raw[offs[i]:offs[j]]`` are run[i:j]'s bytes (the run is encoded once, its slices decoded as
    UTF-8): each character is one byte (ASCII, and cp936's 0x80 for €) or two, and the encoders
    keep no state.  (None, None) where the run does not encode, or its bytes are not laid out so:
    then each part is encoded on its own."""
    raw = _encode_gbk(run) if enc == "gbk" else _try_encode(run.replace("\ufffd", "?"), enc)
    if raw is not None:
        if len(raw) == 2 * len(run):
            # every character two bytes (one of ASCII, €, or U+FFFD's "?" would make it fewer): the
            # offsets below are 0, 2, 4, ... (most runs: no ASCII in them)
            offs = range(0, len(raw) + 1, 2)
        else:
            offs = [0, *accumulate(1 if c < "\x80" or (c == "€" and enc == "gbk") else 2 for c in run)]
        if offs[-1] == len(raw):
            return raw, offs
    return None, None


def _encode_gbk(s: str) -> bytes | None:
    """GBK bytes of s, € as cp936's 0x80 and U+FFFD (a byte lost upstream) as "?"."""
    try:
        return s.replace("€", "\x00EURO\x00").replace("\ufffd", "?").encode("gbk").replace(b"\x00EURO\x00", b"\x80")
    except UnicodeEncodeError:
        return None


@dataclass(frozen=True)
class MojibakeSettings:
    """``margin``: how much more plausible (log10 per character) a repair must be to be taken."""

    ftfy: bool = True
    cjk: bool = True
    shifted: bool = True
    margin: float = 1.0
    drop_unrecoverable: bool = False
    lossy_threshold: float = 0.2


class FixMojibake(Filter):
    name = "fix_mojibake"

    def __init__(self, settings: MojibakeSettings | None = None):
        self.settings = settings or MojibakeSettings()
        # lines that the look (the suspect lines' whole look, or the clean path's) left as they were,
        # with nothing to say: asked again (the
        # pipeline's next round asks this step about its own output; pages repeat their chrome), the
        # answer is the same, since a line's look reads nothing but the line
        self._quiet: set[str] = set()
        # _clause_shift's answers by the stretch of line it reads (_clause_key): a line that a later
        # step changed in one place (a bracket made full width) comes back with its other stretches
        # as they were
        self._clauses: dict[tuple, tuple | None] = {}
        # _utf8_runs' answers by run (_run_repair)
        self._runs: dict[tuple, tuple | None] = {}

    QUIET_MAX = 50_000  # lines remembered, at most (then the memory starts again)

    def _remember(self, line: str) -> None:
        """A line the look left as it was, with nothing to say (suspect, or one the clean path had to
        look at: two uncommon characters close together, a Big5 signature character)."""
        if len(self._quiet) >= self.QUIET_MAX:
            self._quiet.clear()
        self._quiet.add(line)

    CLAUSES_MAX = 20_000  # stretches remembered, at most (then the memory starts again)

    def _clause_shift(self, line: str, a: int, z: int):
        """_clause_shift(line, a, z), remembered by the part of the line it reads."""
        lo, key = _clause_key(line, a, z)
        if key in self._clauses:
            r = self._clauses[key]
        else:
            if len(self._clauses) >= self.CLAUSES_MAX:
                self._clauses.clear()
            r = self._clauses[key] = _clause_shift(key[0], key[1], key[2])
        if r is None or not lo:
            return r
        gain, s0, e0, seg, new, notes = r
        return gain, s0 + lo, e0 + lo, seg, new, notes

    # ------------------------------------------------------------------ helpers
    def _better(self, old: str, new: str) -> bool:
        if not new or new == old:
            return False
        if not _keeps_script_and_punctuation(old, new):
            return False
        if new.count("\ufffd") * 4 > len(new):  # mostly undecodable: clean text re-read, not mojibake
            return False
        p_new = plausibility(new)
        return p_new - plausibility(old) >= self.settings.margin and p_new > -3.6

    def _ftfy(self, line: str) -> tuple[str, list[str]]:
        import ftfy

        cfg = ftfy.TextFixerConfig(unescape_html=False, remove_terminal_escapes=False, fix_latin_ligatures=True,
                                   fix_character_width=False, uncurl_quotes=False, fix_line_breaks=False,
                                   fix_surrogates=True, remove_control_chars=False, normalization="NFC",
                                   explain=True)
        out = ftfy.fix_and_explain(line, config=cfg)
        steps = [s[1] if isinstance(s, tuple) else str(s) for s in (out.explanation or [])]
        return out.text, steps

    def _segments(self, line: str, pattern: re.Pattern, transform, rule: str, changes, lineno, explain):
        """Repair each match of ``pattern``, widened by up to three non-ASCII characters each side."""
        out, last = [], 0
        for m in pattern.finditer(line):
            if m.start() < last:
                continue
            # the match is the garbled core; its edges may hold one or two more garbled characters
            s = m.start()
            while s > last and m.start() - s < 3 and _wide(line[s - 1]):
                s -= 1
            e = m.end()
            while e < len(line) and e - m.end() < 3 and _wide(line[e]):
                e += 1
            whole = transform(line[s:e])
            if whole is None:
                whole = transform(m.group(0))
            if whole is None or whole.count("\ufffd") * 2 > len(whole):
                continue  # not even close: clean text that looks odd, leave it
            best = None
            for a in range(s, m.start() + 1):
                for b in range(e, m.end() - 1, -1):
                    if b <= a:
                        continue
                    seg = line[a:b]
                    new = transform(seg)
                    if new is None or not self._better(seg, new):
                        continue
                    sc = plausibility(line[s:a] + new + line[b:e])
                    if best is None or sc > best[0]:
                        best = (sc, a, b, new)
            if best is not None:
                _, a, b, new = best
                out.append(line[last:a])
                out.append(new)
                last = b
                if explain:
                    changes.append(Change(self.name, rule, line[a:b], new, lineno,
                                          f"re-decoded ({rule.replace('_', ' ')})"))
        if not out:
            return line
        out.append(line[last:])
        return "".join(out)

    def _latin_round(self, line: str, n: int, explain: bool, changes: list) -> str:
        """One round of the Latin-1-range repairs: GBK/Big5 read as Latin-1, then ftfy."""
        if not _LATIN_ROUND_ANY.search(line):
            return line  # (each repair below starts at such a character, and so do the C1 controls)
        st = self.settings
        if st.ftfy and _wants_ftfy(line):
            fixed, steps = self._ftfy(line)
            # a complete UTF-8 repair (nothing Latin-1-looking left) beats a GBK reading
            if fixed != line and not _LATIN1_SHORT.search(fixed):
                if explain:
                    changes.append(Change(self.name, "ftfy:" + ",".join(steps[:3]), line, fixed, n,
                                          "UTF-8 read as Latin-1/cp1252 (ftfy)"))
                line = _C1.sub("", fixed)
        if st.cjk and _LATIN1_RUN.search(line):
            before = line
            line = self._segments(line, _LATIN1_RUN, self._from_latin, "gbk_as_latin1", changes, n, explain)
            if line != before:  # decided on the text, never on whether explanations are kept
                # the line has this damage: shorter runs (年 is Äê) are the same damage
                line = self._segments(line, _LATIN1_SHORT, self._from_latin, "gbk_as_latin1", changes, n, explain)
                # and so are the runs left between Latin words and digits, and lone pairs (£¬ is ，)
                line = self._leftover_pairs(line, n, explain, changes)
            elif _han_count(line) >= 2:
                # runs between Latin words in otherwise clean Chinese text: two whole pairs at least
                line = self._leftover_pairs(line, n, explain, changes, min_pairs=2)
        if st.ftfy and _wants_ftfy(line):
            fixed, steps = self._ftfy(line)
            if fixed != line:
                if explain:
                    changes.append(Change(self.name, "ftfy:" + ",".join(steps[:3]), line, fixed, n,
                                          "UTF-8 read as Latin-1/cp1252 (ftfy)"))
                line = fixed
        # C1 controls left now are noise that normalize drops; drop them here, so the runs
        # they split are judged whole
        bare = _C1.sub("", line)
        if bare != line:
            changes.append(Change(self.name, "c1_controls", line, bare, n,
                                  "C1 control characters (U+0080-U+009F), mojibake noise"))
        return bare

    def _leftover_pairs(self, line: str, n: int, explain: bool, changes: list, min_pairs: int = 0) -> str:
        """In a line already found to hold GBK/Big5 read as Latin-1, repair what is left: runs of byte
        pairs (a trail byte may be ASCII) between Latin words, digits and brackets, and lone pairs
        such as ``£¬`` (，) or ``¡¢`` (、).  A run is taken only when it decodes, pair by pair, to Han
        characters and CJK punctuation, and the most plausible reading with its neighbours wins."""
        out, last = [], 0
        for m in _LATIN1_PAIRS.finditer(line):
            seg = m.group(0)
            if min_pairs and len(_HI_PAIR.findall(seg)) < min_pairs:
                continue
            if _TYPOGRAPHY.issuperset(seg):
                continue  # ——, ……”“: Chinese punctuation that cp1252 happens to hold, not byte pairs
            best = None
            for b, txt in _latin_readings(seg, strict_gbk=True):
                if len(txt) * 2 != len(b) or not all(_cjk_or_punct(c) for c in txt):
                    continue
                ctx = _han_only(line[max(0, m.start() - 12):m.start()]), _han_only(line[m.end():m.end() + 12])
                sc = plausibility(ctx[0] + txt + ctx[1])
                if best is None or sc > best[0]:
                    best = (sc, txt)
            if best is None:
                continue
            out.append(line[last:m.start()])
            out.append(best[1])
            last = m.end()
            if explain:
                changes.append(Change(self.name, "gbk_as_latin1", seg, best[1], n,
                                      "re-decoded (GBK/Big5 read as Latin-1, a run beside Latin text or a lone pair)"))
        if not out:
            return line
        out.append(line[last:])
        return "".join(out)

    def _utf8_runs(self, line: str, enc: str, changes, lineno, explain) -> str:
        """Repair runs of characters that UTF-8 bytes become when read as ``enc``."""
        rule = "utf8_as_" + enc
        to_bytes = self._utf8_from(enc)
        moji = _moji_set(enc)
        prod = _producible_no_qmark(enc)
        out, last = [], 0
        # clusters of signature characters (two within three places of each other join up); the
        # garbled span starts and ends within three characters of its cluster
        clusters: list[list[int]] = []  # [first, last, signature characters]
        within = prod.issuperset
        for m in _moji_re(enc).finditer(line):
            h = m.start()
            # a cluster never spans a character UTF-8 bytes cannot become (ASCII punctuation, say):
            # that character ends the damaged run, whatever is on its other side
            if clusters and h - clusters[-1][1] <= 3 and within(line[clusters[-1][1]:h]):
                clusters[-1][1] = h
                clusters[-1][2] += 1
            else:
                clusters.append([h, h, 1])
        runs = []
        n = len(line)
        for c_first, c_last, hits in clusters:
            rs = c_first
            while rs > 0 and c_first - rs < 3 and line[rs - 1] in prod:
                rs -= 1
            re_ = c_last + 1
            while re_ < n and re_ - c_last - 1 < 3 and line[re_] in prod:
                re_ += 1
            # one signature character in a run of one or two beside no Latin word: the test below
            # (k is the cluster's count: a signature character within three places of it, with
            # producible ones between, would have joined it) would leave the run, so leave it now
            if hits == 1 and re_ - rs < 3 and not ((re_ < n and line[re_] < "\x80" and line[re_].isalnum()) or
                                                   (rs > 0 and line[rs - 1] < "\x80" and line[rs - 1].isalnum())):
                continue
            if not within(line[c_first:c_last + 1]):
                continue
            runs.append((rs, re_))
        for rs, re_ in runs:
            if rs < last:
                continue
            run = line[rs:re_]
            if "锟斤拷" in run or "\ufffd" in run:
                continue  # already lossy: reported below, never "repaired" into more guesses
            left = rs > 0 and _ascii_alnum(line[rs - 1])
            right = re_ < n and _ascii_alnum(line[re_])
            key = (enc, run, left, right)
            if key in self._runs:
                best = self._runs[key]
            else:
                if len(self._runs) >= self.RUNS_MAX:
                    self._runs.clear()
                best = self._runs[key] = self._run_repair(enc, run, left, right, moji, to_bytes)
            if best is None:
                continue
            a, b, new = best
            a += rs
            b += rs
            seg = line[a:b]
            out.append(line[last:a])
            out.append(new)
            last = b
            if explain:
                changes.append(Change(self.name, rule, seg, new, lineno, f"re-decoded (UTF-8 read as {enc.upper()})"))
        if not out:
            return line
        out.append(line[last:])
        return "".join(out)

    RUNS_MAX = 20_000  # runs remembered, at most (then the memory starts again)

    def _run_repair(self, enc: str, run: str, left: bool, right: bool, moji: frozenset, to_bytes):
        """_utf8_runs' answer for one run: (start, end, new) of its best repair, in the run's own
        places, or None.  It reads nothing of the line but the run and whether an ASCII letter or
        digit stands just before it (``left``) and just after it (``right``), so _utf8_runs keeps
        the answers by those (a line that comes back with a bracket made full width elsewhere)."""
        w = len(run)
        k = sum(map(moji.__contains__, run))
        # a run beside a Latin word or a number may be short: 年N is 撟就 (the N's byte went into 就)
        if k < 2 and not (k == 1 and (w >= 3 or right or left)):
            return None
        # (to_bytes(run[a:b]) below is raw[offs[a]:offs[b]] read as UTF-8, when the run's bytes
        # are laid out so)
        raw, offs = _run_bytes(enc, run)
        # quick reject: clean text re-read is mostly undecodable at every alignment
        if raw is not None:
            if all(x.count("\ufffd") * 4 > len(x) * 3 for x in (
                    raw.decode("utf-8", "replace"), raw[offs[1]:].decode("utf-8", "replace"),
                    raw[:offs[w - 1]].decode("utf-8", "replace"))):
                return None
        elif all(x is None or x.count("\ufffd") * 4 > len(x) * 3 for x in (to_bytes(run), to_bytes(run[1:]),
                                                                          to_bytes(run[:w - 1]))):
            return None
        best = None
        for a in range(0, min(w - 1, 4)):
            for b in range(w, max(a + 1, w - 4), -1):
                if raw is not None:
                    new = raw[offs[a]:offs[b]].decode("utf-8", "replace")
                else:
                    new = to_bytes(run[a:b])
                    if new is None:
                        continue
                bad = new.count("\ufffd")
                if bad * 4 > len(new) or not self._better(run[a:b], new):
                    continue
                # a Latin letter the bytes gave belongs to a Latin word beside the run (年N + BA)
                if (_ascii_alnum(new[-1]) and not (_ascii_alnum(run[b]) if b < w else right)) or \
                        (_ascii_alnum(new[0]) and not (_ascii_alnum(run[a - 1]) if a else left)):
                    continue
                sc = plausibility(run[:a] + new + run[b:])
                key = (bad, -sc)
                if best is None or key < best[0]:
                    best = (key, a, b, new)
        return None if best is None else best[1:]

    def _latin_in_big5(self, line: str, lineno: int, explain: bool, changes: list) -> str:
        """One Latin-1 character of a UTF-8 text read as Big5, inside a Latin word or after a number."""
        table, degree, any_char = _big5_latin()
        out, last = [], 0
        for m in any_char.finditer(line):  # (the characters are found by one scan; their neighbours asked here)
            p = m.start()
            before = line[p - 1] if p else ""
            after = line[p + 1:p + 2]
            # the degree sign: after a number, before a digit, a letter (°C), a prime or the end
            number_before = before.isdigit() or (before == " " and line[p - 2:p - 1].isdigit())
            if not (_ascii_alnum(before) and _ascii_alnum(after)) and not (
                    m.group(0) == degree and number_before and (not after or _ascii_alnum(after) or after in "′″'\" ")):
                continue
            new = table[m.group(0)]
            out.append(line[last:p])
            out.append(new)
            last = p + 1
            if explain:
                changes.append(Change(self.name, "utf8_as_big5", m.group(0), new, lineno,
                                      "re-decoded (UTF-8 read as BIG5: a Latin-1 character inside a Latin word or number)"))
        if not out:
            return line
        out.append(line[last:])
        return "".join(out)

    @staticmethod
    def _utf8_from(enc: str):
        def t(seg: str) -> str | None:
            b = _encode_gbk(seg) if enc == "gbk" else _try_encode(seg.replace("\ufffd", "?"), enc)
            if b is None:
                return None
            return b.decode("utf-8", errors="replace")
        return t

    @staticmethod
    def _from_latin(seg: str) -> str | None:
        best = None
        for _, txt in _latin_readings(seg):
            han = sum(1 for c in txt if _is_han(c))
            if "\ufffd" in txt or han < 1 or han * 2 < len(txt):
                continue
            sc = plausibility(txt)
            if best is None or sc > best[0]:
                best = (sc, txt)
        return best[1] if best else None

    def _unshift(self, line: str, s: int, e: int) -> tuple[str, str, list[str]] | None:
        """Realign a GBK segment line[s:e] decoded one byte out of step (seed 004's kind: rare
        characters beside marks; ASCII ``?!^`` read as the full-width marks a site folded them from)."""
        from ..charmodel import char_counts

        cc = char_counts()
        r = _realign(line, s, e, fold=True)
        if r is None:
            return None
        seg, head_char, mid, tail_char, notes, prev, nxt = r
        if any(_is_han(c) and cc.get(c, 0) < 5 for c in mid):
            return None  # a true realignment gives ordinary characters, not other rare ones
        new = head_char + mid + tail_char
        if not _keeps_script_and_punctuation(seg, new) or _qmarks(new) < _qmarks(seg):
            return None  # a realignment never loses a question mark (rare CJK beside ? is not damage)
        gain = plausibility(prev + new + nxt) - plausibility(prev + seg + nxt)
        if gain < self.settings.margin:
            return None
        return seg, new, notes, gain

    def _unmarked_shifts(self, line: str, n: int, explain: bool, changes: list, pos: int = 0) -> str:
        """Shifted GBK without marks (issue 12): a stretch of valid, common-looking Han characters
        whose neighbours almost never follow each other (no known bigram inside, three characters at
        least, around two uncommon characters).  Around each such stretch, every run that could
        have been out of step is realigned, and the one under which the text reads best is taken
        when the bigram model finds it far more likely (_clause_shift).  The guessed characters are
        named in the explanation."""
        bg = _bigrams()
        for a, z in reversed(_shift_stretches(line, bg, pos)):
            best = self._clause_shift(line, a, z)
            if best is None or not _shift_context(line, a, z):
                continue
            _, s0, e0, seg, new, notes = best
            line = line[:s0] + new + line[e0:]
            if explain:
                changes.append(Change(self.name, "shifted_gbk", seg, new, n,
                                      "GBK decoded one byte out of step (no marks: found by the character model), "
                                      "realigned; " + "; ".join(notes)))
        return line

    # ------------------------------------------------------------------ main
    def apply(self, text: str, explain: bool = False) -> StepResult:
        if text.isascii():
            return StepResult(text)
        sus_lines, look_lines = _scan(text) if len(text) >= SCAN_MIN_CHARS else _scan_lines(text)
        if not sus_lines and not look_lines:
            return StepResult(text)  # (what no regex of the fast path matches is left alone)
        st = self.settings
        lines = text.split("\n")
        changes: list[Change] = []
        dropped = 0
        # (compiled only for a suspect line: the lines only looked at do not use them)
        gbk_re, big5_re, rare_re = _moji_classes() if sus_lines else (None, None, None)
        unmarked = _unmarked_shift_re()
        big5_one = _moji_re("big5")
        latin_damaged = unsettled = False
        originals = list(lines)
        for i in sorted(sus_lines | look_lines):  # (what no regex of the fast path matches is left alone)
            line = lines[i]
            if not line or line.isascii():
                continue
            if i not in sus_lines:
                if line in self._quiet:
                    continue
                noted = len(changes)
                m = unmarked.search(line) if st.shifted else None
                if m:
                    # shifted GBK without marks: nothing else in the line asked for a look
                    fixed = self._unmarked_shifts(line, i + 1, explain, changes, m.start())
                    if fixed != line:
                        unsettled = True
                        lines[i] = fixed
                        continue
                if st.cjk:
                    # one character that UTF-8 bytes become when read as Big5: a run of two or three
                    # characters (年夢 is 撟游丐) holds only one; the run is asked, nothing else
                    fixed = self._utf8_runs(line, "big5", changes, i + 1, explain) if big5_one.search(line) else line
                    fixed = self._latin_in_big5(fixed, i + 1, explain, changes)
                    if fixed != line:
                        unsettled = True
                        lines[i] = fixed
                        continue
                if explain and len(changes) == noted:
                    self._remember(line)
                continue
            unsettled = True
            if line in self._quiet:
                continue
            noted = len(changes)
            orig = line
            n = i + 1
            if "/" in line and _BROKEN_TAG.search(line):
                # first: a tag remnant between two halves of a mojibake run hides the run
                new = _BROKEN_TAG.sub("", line)
                changes.append(Change(self.name, "broken_tag", line, new, n, "HTML tag remnant whose < was lost"))
                line = orig = new
            if _HIDDEN_ANY.search(line) and _HIDDEN.search(line) and (_LATINISH.search(line) or gbk_re.search(_HIDDEN.sub("", line))
                                         or big5_re.search(_HIDDEN.sub("", line))):
                # controls and zero-width characters can split a mojibake run; normalize would drop
                # them anyway, so they go first (or the repair would depend on what runs after it)
                line = _HIDDEN.sub("", line)
            stripped = line
            for _ in range(4):  # until stable: each repair can expose another (and C1 noise splits runs)
                before = line
                line = self._latin_round(line, n, explain, changes)
                if line == before:
                    # would the text that normalize leaves (no soft hyphens, no C1, plain spaces)
                    # be repaired?  Then repair that, or a second run would (idempotence)
                    bare = (_SPACES.sub(" ", _SOFT.sub("", line.replace("&nbsp;", " ")))
                            if "&nbsp;" in line or _SOFT_OR_SPACE.search(line) else line)
                    if bare != line and self._latin_round(bare, n, False, []) != bare:
                        line = bare
                        continue
                    break
                # once something was repaired, fold the spaces normalize will fold, and look again
                # (ftfy reads " ×˜" as Hebrew but not "\xa0×˜")
                line = _SPACES.sub(" ", line)
            if st.cjk:
                if gbk_re.search(line):
                    line = self._utf8_runs(line, "gbk", changes, n, explain)
                if big5_one.search(line, 0, 4000):
                    line = self._utf8_runs(line, "big5", changes, n, explain)
                line = self._latin_in_big5(line, n, explain, changes)
            if st.shifted:
                # first, whole stretches the model finds (the marked repair below would take a part)
                line = self._unmarked_shifts(line, n, explain, changes)
            if st.shifted and rare_re.search(line):
                for m in list(rare_re.finditer(line))[::-1]:
                    if not _shift_evidence(m.group(0)) or not _shift_context(line, m.start(), m.end()):
                        continue
                    best = None
                    L, R = max(0, m.start() - 6), min(len(line), m.end() + 6)
                    for s0 in range(max(0, m.start() - 3), m.start() + 1):
                        run_end = m.end()
                        while run_end < len(line) and ord(line[run_end]) >= 0x80 and line[run_end] not in "，。、；：！？":
                            run_end += 1
                        ends = set(range(max(s0 + 2, m.end() - 1), min(len(line), m.end() + 1) + 1)) | {run_end}
                        for e0 in sorted(ends):
                            r = self._unshift(line, s0, e0)
                            if r is None:
                                continue
                            # compare windows on the same stretch of text
                            sc = plausibility(_han_only(line[L:s0]) + r[1] + line[e0:R])
                            if best is None or sc > best[3]:
                                best = (r[0], r[1], r[2], sc, s0, e0)
                    if best is None:
                        continue
                    seg, new, notes, _, s0, e0 = best
                    line = line[:s0] + new + line[e0:]
                    if explain:
                        changes.append(Change(self.name, "shifted_gbk", seg, new, n,
                                              "GBK decoded one byte out of step, realigned" +
                                              (f"; {'; '.join(notes)}" if notes else "")))
            if line == stripped and line != orig:
                line = orig  # nothing was repaired: the invisibles are normalize's business, not ours
            elif line != stripped and stripped != orig:
                changes.append(Change(self.name, "hidden_chars", orig, stripped, n,
                                      "zero-width or control characters inside a mojibake run, removed before the repair"))
            # lossy damage: report, and drop on request
            # (each branch of _LOSSY holds a ?, a U+FFFD or 锟斤拷 whole)
            dmg = sum(len(m.group(0)) for m in _LOSSY.finditer(line)) if ("?" in line or "\ufffd" in line
                                                                          or "锟斤拷" in line) else 0
            if dmg:
                score = dmg / max(1, len(line))
                if st.drop_unrecoverable and score >= st.lossy_threshold:
                    if explain:
                        changes.append(Change(self.name, "lossy_dropped", orig, "", n,
                                              f"unrecoverable: {score:.0%} of the paragraph is replacement characters"))
                    lines[i] = None
                    dropped += 1
                    continue
                if explain:
                    changes.append(Change(self.name, "lossy", "", "", n,
                                          f"warning: {dmg} character(s) lost upstream (U+FFFD, 锟斤拷 or ?), "
                                          f"score {score:.2f}; the bytes are gone", flag=True))
            lines[i] = line
            if (st.cjk and line != orig and _LATIN1_RUN.search(orig) and not _LATIN1_RUN.search(line)
                    and _han_count(line) > _han_count(orig)):
                latin_damaged = True
            if explain and line == originals[i] and len(changes) == noted:
                self._remember(line)
        if latin_damaged:
            # one paragraph of the text was GBK/Big5 read as Latin-1: the short lines around it (list
            # items, dates such as 2008Äê) are the same damage, too short to be judged on their own
            for i, line in enumerate(lines):
                if line and not line.isascii() and _LATIN1_PAIRS.search(line):
                    lines[i] = self._leftover_pairs(line, i + 1, explain, changes)
                elif line and line != originals[i] and _NON_CJK_LETTERS.search(line) \
                        and _LATIN1_PAIRS.search(originals[i]):
                    # a short line that another reading took (GBK pairs that happen to be UTF-8: Ë¾ is
                    # ˾), leaving letters of other scripts: in this text, read as GBK if that is whole
                    whole = self._leftover_pairs(originals[i], i + 1, False, [])
                    if not _LATIN1_PAIRS.search(whole) and not _NON_CJK_LETTERS.search(whole) \
                            and _han_count(whole) > _han_count(line):
                        changes[:] = [c for c in changes if c.line != i + 1]
                        if explain:
                            changes.append(Change(self.name, "gbk_as_latin1", originals[i], whole, i + 1,
                                                  "re-decoded (GBK/Big5 read as Latin-1: a short line of a text "
                                                  "with that damage)"))
                        lines[i] = whole
        if dropped:
            return StepResult(join_kept([ln for ln in lines if ln is not None]), changes, paragraphs_dropped=dropped,
                              unsettled=unsettled)
        new = "\n".join(lines)
        return StepResult(new, changes, unsettled=unsettled)


_HANGUL = re.compile(r"[\u1100-\u11ff\u3130-\u318f\ua960-\ua97f\uac00-\ud7af\ud7b0-\ud7ff]")
_FULL_PUNCT = "？！。，、；：（）「」《》"


def _keeps_script_and_punctuation(old: str, new: str, punctuation: bool = True) -> bool:
    """A repair of Chinese text never brings in Hangul unless the bytes say so beyond doubt (a run of
    four or more syllables), and never loses full-width punctuation or a question mark."""
    if not _HANGUL.search(old):
        k = len(_HANGUL.findall(new))
        if k and (k < 4 or any("\u4e00" <= c <= "\u9fff" for c in new)):
            return False
    for c in _FULL_PUNCT if punctuation else "":
        if c in old and new.count(c) < old.count(c):
            return False
    return True


def _qmarks(s: str) -> int:
    return s.count("?") + s.count("\uff1f")


_SHIFT_MARKS = re.compile(r"[\ufffd?!^\u2500-\u257f\u0391-\u03c9\u0410-\u044f\u0101-\u01dc\u3105-\u3129]")


def _cjk_or_punct(c: str) -> bool:
    """Han characters and the punctuation and symbols of Chinese text (what a GBK/Big5 pair should be):
    letterlike symbols (℃), Roman numerals, arrows, units (㎞), circled numbers, common math signs."""
    o = ord(c)
    return (_is_han(c) or 0x3000 <= o <= 0x303F or 0xFF01 <= o <= 0xFF5E or 0x2010 <= o <= 0x2027
            or 0x2100 <= o <= 0x21FF or 0x2460 <= o <= 0x249F or 0xFE30 <= o <= 0xFE4F or 0x3380 <= o <= 0x33FF
            or c in "·×°±÷∼≈≠≤≥∞∶")


def _han_count(s: str) -> int:
    return sum(1 for c in s if _is_han(c))


def _han_only(s: str) -> str:
    return "".join(c for c in s if _is_han(c))


def _shift_context(line: str, start: int, end: int) -> bool:
    """Damage stands out against the text around it: a shifted run is repaired only inside a line whose
    other Han characters read as real text (eight or more, and plausible).  A string of rare
    characters with question marks and no such context is unlikely text, not damage."""
    ctx = _han_only(line[:start]) + _han_only(line[end:])
    return len(ctx) >= 8 and plausibility(ctx) > -3.6


def _shift_evidence(run: str) -> bool:
    """Rare characters alone are not enough (瘫痪 is rare and right): a shifted run also holds
    folded ASCII punctuation or the symbols of GBK rows A6-A9 (box drawing, Greek, Cyrillic,
    pinyin), or is long; and it is mostly Han (a row of box-drawing characters is a drawing)."""
    han = sum(1 for c in run if _is_han(c))
    return (bool(_SHIFT_MARKS.search(run)) and han >= 1) or han >= 5


GUESS_PRIOR = 500.0  # pseudo-counts of the character frequencies in a guess's bigram probabilities
SHIFT_GAP = 2  # how far apart two uncommon characters may be to start a look
SHIFT_RARE = 10  # a Han character seen fewer times than this in the model's text is uncommon


def _realign(line: str, s: int, e: int, fold: bool):
    """The shared core of a shifted-GBK repair: re-encode line[s:e] to GBK, take its first byte as
    the trail byte of a character whose lead byte was lost, and decode the rest in step.  Returns
    (segment, guessed first character, realigned middle, guessed last character, notes, left and
    right neighbours) or None.  The first character is guessed from its trail byte and the
    neighbours' bigrams (marked in the notes); so is the last, when the stream ends on a lone lead
    byte (its trail byte was dropped by the decoder that did the damage)."""
    r = _realign_middle(line, s, e, fold)
    return None if r is None else _guess_ends(line, s, e, *r)


def _realign_middle(line: str, s: int, e: int, fold: bool, lenient: bool = False):
    """(segment, its GBK bytes, the middle decoded in step, the lone lead byte left at the end);
    ``lenient``: an invalid pair reads as U+FFFD, and the rest stays in step (for a probe)."""
    seg = line[s:e]
    raw = "".join(_FOLDED.get(c, c) for c in seg) if fold else seg
    b = _encode_gbk(raw)
    if b is None or len(b) < (4 if fold else 3) or b[0] < 0x40:
        return None
    body = b[1:]
    out, i, tail = [], 0, b""
    while i < len(body):  # in step: ASCII bytes stand alone, a lead byte takes the next byte
        x = body[i]
        if x < 0x80:
            out.append(chr(x))
            i += 1
        elif i + 1 == len(body):
            tail = body[i:]
            break
        else:
            try:
                out.append(body[i:i + 2].decode("gbk"))
            except UnicodeDecodeError:
                if not lenient:
                    return None
                out.append("\ufffd")  # (two bytes on: the probe keeps its step)
            i += 2
    mid = "".join(out)
    return (seg, b, mid, tail) if mid else None


def _guess_ends(line: str, s: int, e: int, seg: str, b: bytes, mid: str, tail: bytes, resync: bool = False):
    # neighbours for guessing lost bytes: the nearest Han character before, the character after
    prev = _prev_han(line, s)
    nxt = line[e] if e < len(line) else ""
    notes = []
    head_char = _guess(b[:1], prev, mid[:1], lead_known=False)
    after = -1
    if resync and nxt:  # the run ended where the decoder skipped the last trail byte: (trail, next) is no pair
        nb = _encode_gbk(nxt)
        after = nb[0] if nb else -1
    tail_char = _guess(tail, mid[-1:], nxt, lead_known=True, after=after) if tail else ""
    if head_char:
        notes.append(f"{head_char} guessed from its trail byte {b[0]:#04x}")
    if tail_char:
        notes.append(f"{tail_char} guessed from its lead byte {tail[0]:#04x}")
    return seg, head_char, mid, tail_char, notes, prev, nxt


@lru_cache(maxsize=1)
def _gbk_pairs() -> list[str | None]:
    """For every two bytes (first << 8 | second): the character they are in GBK when it is one of
    Chinese text (_cjk_or_punct), else None (no character, or another kind)."""
    return [c if c is not None and _cjk_or_punct(c) else None for c in _all_gbk_pairs()]


@lru_cache(maxsize=1)
def _shift_chars() -> frozenset:
    """What a GBK stream out of step turns into, and ordinary text seldom holds: uncommon Han
    characters and the symbols of GBK rows A2-A9 (enclosed numbers, kana, Greek, Cyrillic,
    pinyin, bopomofo, box drawing)."""
    from ..charmodel import char_counts

    cc = char_counts()
    out = {chr(cp) for cp in range(0x4E00, 0xA000) if cc.get(chr(cp), 0) < SHIFT_RARE}
    for lo, hi in ((0x0391, 0x03C9), (0x0410, 0x044F), (0x3041, 0x30FF), (0x3105, 0x3129), (0x2460, 0x249B),
                   (0x2500, 0x257F), (0x0101, 0x01DC)):
        out.update(chr(cp) for cp in range(lo, hi + 1))
    # GBK rows A1 and A3 but for the punctuation Chinese text uses: signs, and full-width Latin
    out.update("ˉˇ¨〃‖〔〕〖〗∶∧∨∑∏∪∩∈∷√⊥∥∠⌒⊙∫∮≡≌≈∽∝≠≮≯∵∴♂♀′″＄¤￠￡‰§№☆★○●◎◇◆□■△▲※〓")
    out.update(chr(cp) for cp in range(0xFF01, 0xFF5F) if chr(cp) not in "！（），－．／：；？［］～％＋＝＜＞＂＇")
    return frozenset(out)


@lru_cache(maxsize=1)
def _unmarked_shift_re() -> re.Pattern:
    """The fast path's look for shifted GBK without marks: two of _shift_chars close together."""
    cls = _char_class(_shift_chars(), two_as_range=True)  # (ranges: a shorter pattern compiles faster)
    return re.compile(cls + r"[^\x00-\x7f]{0,%d}" % SHIFT_GAP + cls)


def _shift_stretches(line: str, bg, pos: int = 0) -> list[tuple[int, int]]:
    """(start, end) of each stretch of three or more Han characters (or GBK symbols), no two
    neighbours of which are a known bigram, around two uncommon characters close together
    (_unmarked_shift_re) from ``pos`` on.  Only the matches' neighbourhoods are read: clean text
    pays for the regex scan and a look at each match."""
    out: list[tuple[int, int]] = []
    n = len(line)
    sym = _shift_chars()
    for m in _unmarked_shift_re().finditer(line, pos):
        a, z = m.span()
        if out and a < out[-1][1]:
            continue
        # (cheapest first: a known bigram inside the match, then what the match holds)
        if line[a:a + 2] in bg or (z - a > 2 and any(line[k:k + 2] in bg for k in range(a + 1, z - 1))):
            continue
        if z - a > 2 and not all("\u3400" <= c <= "\u9fff" or "\uf900" <= c <= "\ufaff" or c in sym for c in line[a:z]):
            continue
        while a > 0:
            c = line[a - 1]
            if not ("\u3400" <= c <= "\u9fff" or "\uf900" <= c <= "\ufaff" or c in sym) or (c + line[a]) in bg:
                break
            a -= 1
        while z < n:
            c = line[z]
            if not ("\u3400" <= c <= "\u9fff" or "\uf900" <= c <= "\ufaff" or c in sym) or (line[z - 1] + c) in bg:
                break
            z += 1
        if z - a >= 3:
            out.append((a, z))
    return out

CLAUSE_GAIN = 7.0  # log10 units over the stretch of text: a realignment must make it far more likely
# (clean text of the corpora, the negatives and the held-out article lines: 6.05 at most)
CLAUSE_BACK = 4  # how far before a stretch a run out of step may start
CLAUSE_IN = 5  # how far inside the stretch it may start or end
CLAUSE_AHEAD = 20  # how far after it the run may end (the decoder meets an invalid pair or ASCII long before)
_AHEAD = re.compile(r"[^\x00-\x7f]{0,%d}" % CLAUSE_AHEAD).match
_LITTLE = sys.byteorder == "little"
# what a guessed character and the transition into the next can score at most, for the bound that
# spares hopeless runs their guesses (a heuristic: of 130 repairs on held-out dev lines, 3 scored
# above -2.5 at the head, the best -2.1, none above -0.8 at the tail; the medians -4.9 and -3.2;
# the same repairs on both halves and the recipe with -1.5 and -3.0)
HEAD_BOUND = -2.5
GATE_W = lambda x: x
TAIL_BOUND = -0.5


def _clause_key(line: str, a: int, z: int) -> tuple[int, tuple[str, int, int]]:
    """(lo, (part, a - lo, z - lo)): the part of the line, from lo, that _clause_shift(line, a, z)
    reads, and the stretch in it; _clause_shift(part, a - lo, z - lo) is the same answer with every
    place lo less.  Back: a run starts at most CLAUSE_BACK places before the stretch, and the
    guess of its first character looks up to 12 places before that (_prev_han); the text before
    (c0) is read 8 places back.  On: to the end of the non-ASCII text after the stretch (at most
    CLAUSE_AHEAD places) and the character after that, which ends it (or the end of the line)."""
    back = CLAUSE_BACK + 12
    lo = a - back if a > back else 0
    part = line[lo:_AHEAD(line, z).end() + 1]
    return lo, (part, a - lo, z - lo)


def _clause_shift(line: str, a: int, z: int):
    """Where a stretch line[a:z] out of step started and ended.  The decoder got back in step at an
    ASCII byte, or where it met an invalid pair and skipped one byte (the trail byte of the run's
    last character); so the run starts at most CLAUSE_BACK characters before the stretch and ends
    between it and the next ASCII character.  Every such run is realigned (both lost characters
    guessed), and the one under which the whole stretch of text reads best under the bigram model
    is returned with its gain over the text as it is, (gain, start, end, segment, new, notes), when
    the gain is CLAUSE_GAIN at least.  A bound (what the realigned characters score, HEAD_BOUND
    and TAIL_BOUND for the guesses) spares the guesses of runs that cannot reach it, and the first
    guess, the same for every end, is made once per start.  Before any guess, a second bound with
    what the guesses can score at most in place of HEAD_BOUND and TAIL_BOUND (_guess_ceiling)
    drops the runs that could not be taken whatever was guessed."""
    n = len(line)
    c0 = a
    while c0 > 0 and line[c0 - 1] >= "\x80" and a - c0 < CLAUSE_BACK + 3:
        c0 -= 1
    c1 = _AHEAD(line, z).end()  # (up to CLAUSE_AHEAD characters, none ASCII)
    s_min = max(c0, a - CLAUSE_BACK)
    try:
        b = line[s_min:c1].encode("gbk")  # (€ and U+FFFD, one byte each in _encode_gbk, are none here)
    except UnicodeEncodeError:
        return None
    if len(b) != 2 * (c1 - s_min) or c1 - s_min < 2:
        return None  # (every character of a run is two GBK bytes)
    # the run read in step: from any start, the same pairs (the second byte of each character with
    # the first of the next); None where a pair is no character of Chinese text
    m = c1 - s_min - 1
    body = b[1:-1]
    codes = array("H", body)  # (each pair of bytes as one number, first << 8 | second)
    if _LITTLE:
        codes.byteswap()
    mid_full: list[str | None] = list(map(_gbk_pairs().__getitem__, codes))
    # ext[j0]: how many characters from each start on read in step (up to the first None)
    ext: dict[int, int] = {}
    stop = -1
    for j0 in range(min(a + 1 + CLAUSE_IN, z - 1) - s_min):
        if mid_full[j0] is not None:
            if stop < j0:
                try:
                    stop = mid_full.index(None, j0)
                except ValueError:
                    stop = m
            ext[j0] = stop - j0
    if not ext:
        return None
    # the window scored: every term a realignment can change, from the character before its start
    # to the one after its end (the terms outside are the same either way)
    j_max = max(j0 + x for j0, x in ext.items())
    L = max(0, s_min - 1)
    R = min(n, min(c1, s_min + 1 + j_max) + 1)
    # the realigned characters' terms, summed (a run's first one, after a guess, counts 0)
    part = mid_full[:j_max]
    pm = _chain_sums("".join(part) if None not in part else "".join([c or "\x00" for c in part]))
    pre = _chain_sums(line[L:R])
    base = pre[-1]
    best = None
    cands = []
    # a run's bound is a part that depends on its start and one that depends on its end: the
    # realigned characters up to the end, the text after it (the character after the guessed last
    # one scores at most 0) and TAIL_BOUND
    e_lo = max(z - CLAUSE_IN, s_min + 2)
    e_hi = min(c1, s_min + 1 + j_max)
    by_end = [pm[e0 - s_min - 1] + (base - pre[e0 + 1 - L] if e0 < R else 0.0) + (TAIL_BOUND if e0 < n else 0.0)
              for e0 in range(e_lo, e_hi + 1)]
    # a run that passes is bounded again, with what the two guesses can score at most
    # (_guess_ceiling) in place of HEAD_BOUND and TAIL_BOUND; the rest of the bound is exact (the
    # realigned characters and the text around), so a run that cannot reach CLAUSE_GAIN even so
    # could not have been taken, and is left out before any guess (on clean text, nearly all)
    ok = CLAUSE_GAIN - 1e-6
    tails: list[float | None] = [None] * len(by_end)  # (by end, e0 - e_lo)
    # Each of the two tests with a ceiling (rest + tail < ok, rest + tail + head >= ok) is made
    # first with _loose_ceiling's looser bounds in place of the ceilings: a run that fails that
    # test, by more than the rounding of the bounds could explain (CEILING_SLACK), fails the test
    # with the ceilings too, so it is left out without them.  (tail <= tail_up and head <= head_up,
    # each but for log10's rounding (an ulp or two of numbers below 100), so, the additions being
    # rounded monotonically, rest + tail <= rest + tail_up and rest + tail + head <= rest + tail_up
    # + head_up but for far less than CEILING_SLACK.)
    tail_ups: list[float | None] = [None] * len(by_end)
    ok_up = ok - CEILING_SLACK
    # (by end, k = e0 - e_lo: the ends of a run from s0 are max(e_lo, s0 + 2) to min(c1, s0 + 1 +
    # its extent), here j0 + off to j0 + extent + off, within 0 and k_cap)
    d_pre, off, k_cap = s_min - L, s_min + 2 - e_lo, c1 + 1 - e_lo
    for j0, x in ext.items():
        at_start = pre[j0 + d_pre] + HEAD_BOUND - pm[j0 + 1] - base
        need = CLAUSE_GAIN - at_start
        lo, hi = j0 + off, j0 + x + off
        if lo < 0:
            lo = 0
        if hi > k_cap:
            hi = k_cap
        if lo >= hi or max(by_end[lo:hi]) < need:
            continue  # (no end passes the first bound below)
        s0 = s_min + j0
        head = head_up = None
        for k in range(lo, hi):
            v = by_end[k]
            if v >= need:
                bound = at_start + v
                e0 = e_lo + k
                rest = bound - HEAD_BOUND - (TAIL_BOUND if e0 < n else 0.0)
                # first the looser bounds of the two ceilings (_loose_ceiling: two look-ups, no
                # grouped table), which leave out most runs (on page dumps, 2,482 of 3,086)
                if head_up is None:
                    head_up = _loose_ceiling(False, line[s0 - 1:s0], mid_full[j0])
                tail_up = tail_ups[k]
                if tail_up is None:
                    tail_up = tail_ups[k] = _loose_ceiling(True, mid_full[e0 - s_min - 2], line[e0:e0 + 1])
                up = rest + tail_up
                if up < ok_up or up + head_up < ok_up:
                    continue  # (the tests below fail too)
                tail = tails[k]
                if tail is None:
                    # the last character is guessed from its lead byte (the trail byte of
                    # line[e0 - 1]), between the last realigned character and line[e0]
                    tail = tails[k] = _guess_ceiling(b[2 * (e0 - s_min) - 1], True, mid_full[e0 - s_min - 2],
                                                     line[e0:e0 + 1])
                if rest + tail < ok:
                    continue  # (the first character's terms are at most 0)
                if head is None:
                    # the first from its trail byte (the lead byte of line[s0]), between the
                    # character before and the first realigned one
                    head = _guess_ceiling(b[2 * j0], False, line[s0 - 1:s0], mid_full[j0])
                if rest + tail + head >= ok:
                    cands.append((bound, s0, e0))
    if not cands:
        return None
    cands.sort(reverse=True)
    heads: dict[int, float | None] = {}
    for bound, s0, e0 in cands:
        if best is not None and bound <= best[0]:
            break
        if s0 not in heads:  # the first guess is the same for every end: the bound with it, once
            first, lead = mid_full[s0 - s_min], b[2 * (s0 - s_min):2 * (s0 - s_min) + 1]
            if bound - HEAD_BOUND + _head_ceiling(line[s0 - 1:s0], first, lead[0]) < CLAUSE_GAIN:
                heads[s0] = None  # (no guess could score enough)
            else:
                heads[s0] = _head_terms(line, s0, lead, first)
        if heads[s0] is None or bound - HEAD_BOUND + heads[s0] < max(CLAUSE_GAIN, best[0] if best else CLAUSE_GAIN):
            continue
        r = _realign_middle(line, s0, e0, fold=False)
        if r is None or 2 * _han_count(r[0]) < len(r[0]) or not all(_cjk_or_punct(c) for c in r[2]):
            continue  # (a trail byte below 0x80 would have read as ASCII and ended the run)
        seg, head_char, mid, tail_char, notes, _, _ = _guess_ends(line, s0, e0, *r, resync=True)
        if not head_char or (r[3] and not tail_char) or _qmarks(mid + head_char + tail_char) < _qmarks(seg):
            continue
        new = head_char + mid + tail_char
        gain = _window_score(line[L:s0] + new + line[e0:R]) - base
        if gain >= CLAUSE_GAIN and (best is None or gain > best[0]):
            best = (gain, s0, e0, seg, new, notes)
    return best


_NONE = float("-inf")
CEILING_SLACK = 1e-9  # how far a test with _loose_ceiling must fail to fail with _guess_ceiling too


def _loose_ceiling(lead_known: bool, left: str, right: str) -> float:
    """At least what _guess_ceiling(x, lead_known, left, right) gives for any byte x (but for
    log10's rounding), as the sum of two numbers kept by character (_LOOSE), so with two
    look-ups and no grouped table.  Each of _guess_ceiling's terms is bounded by the same sum with
    a number that is at least the one it replaces: the best bigram count from ``left`` into any
    character (_bigram_maxima) for the best into those with byte x; the best count into
    ``right`` over GUESS_PRIOR for the best ratio from those characters into ``right`` (a count
    over that character's count + GUESS_PRIOR; counts are at least 0); the commonest Han
    character of any byte for x's commonest, the rarest of any for x's rarest, the best symbol and
    the best character of any byte for x's.  The additions, divisions and log10 keep the order
    (log10 but for its last bit).  _guess_ceiling is -inf for a byte with no character.  A
    character whose grouped table is not built yet costs _guess_ceiling that table: the first pass
    over the page dumps built 2,165 of them, about 140 ms of its 240 ms (with this bound first,
    852, about 110 ms: the tables of common characters, the costly ones, are still built)."""
    from_, into = _LOOSE[lead_known]
    up = from_.get(left)
    if up is None:
        up = _loose_fill(lead_known, left, True)
    r = into.get(right)
    if r is None:
        r = _loose_fill(lead_known, right, False)
    return up + r


LOOSE_MAX = 50_000  # characters kept in each of _LOOSE's tables (then it starts again)
# _loose_ceiling's two terms by character (``left``, ``right``), for bytes known as trail bytes
# (False) and as lead bytes (True), filled as they are met; and by the same key, what they are
# made of (_loose_consts: a few microseconds, made where first needed)
_LOOSE: dict[bool, tuple[dict[str, float], dict[str, float]]] = {False: ({}, {}), True: ({}, {})}
_LOOSE_CONSTS: dict[bool, tuple] = {}


def _loose_consts(lead_known: bool) -> tuple[float, float, float, float]:
    """Over every byte of _byte_tops(lead_known) with a Han character: the count of the commonest,
    the count of the rarest; over every byte: the best symbol and the best character."""
    tops = _byte_tops(lead_known)
    han = [t for t in tops.values() if t[0]]
    return (max((t[0] for t in han), default=0), min((t[1] for t in han), default=0.5),
            max(t[2] for t in tops.values()), max(t[3] for t in tops.values()))


def _loose_fill(lead_known: bool, c: str, left: bool) -> float:
    """_loose_ceiling's term for ``c`` as the character before the guess (``left``) or after."""
    lp, floor, bc, cc, k = _chain_tables()
    most_after, most_before, _ = _bigram_maxima()
    consts = _LOOSE_CONSTS.get(lead_known)
    if consts is None:
        consts = _LOOSE_CONSTS[lead_known] = _loose_consts(lead_known)
    han_top, han_min, sym, any_lp = consts
    o = ord(c) if c else 0
    is_han = 0x3400 <= o <= 0x9FFF or 0xF900 <= o <= 0xFAFF
    if left:
        # P(c | left): _guess_ceiling's sym, or its v with x's commonest Han character
        v = any_lp
        if is_han:
            v = sym
            if han_top:
                v = max(v, math.log10((most_after.get(c, 0) + k * han_top) / (cc.get(c, 0.5) + GUESS_PRIOR)))
    else:
        # P(right | c): _guess_ceiling's r (its first term is lp.get(right, floor) or -inf), or
        # nothing after ASCII
        if is_han:
            v = lp.get(c, floor)
            if han_top:
                v = max(v, math.log10(most_before.get(c, 0) / GUESS_PRIOR + k * cc.get(c, 0.5) / (han_min + GUESS_PRIOR)))
        elif o >= 0x80:
            v = lp.get(c, floor)
        else:
            v = 0.0
    table = _LOOSE[lead_known][0 if left else 1]
    if len(table) >= LOOSE_MAX:
        table.clear()
    table[c] = v
    return v


def _guess_ceiling(x: int, lead_known: bool, left: str, right: str) -> float:
    """At most what _chain gives a GBK character with byte ``x`` (its lead byte if ``lead_known``,
    else its trail byte) between ``left`` and ``right``: P(c | left) P(right | c), each side at its
    own best over the characters with that byte (the best bigram count from ``left`` into them,
    the best ratio from them into ``right``, read from tables grouped by the byte, and their
    commonest and rarest character for the smoothing).  -inf when no character has that byte, or
    when, as a lead byte below 0x81, it would have read as ASCII (the run is then no repair)."""
    tops, lp, floor, cc, k, after, before = _ceiling_tables(lead_known)
    top = tops.get(x)
    if top is None:
        return _NONE
    han_top, han_min, sym, any_lp = top
    # P(c | left)
    o = ord(left) if left else 0
    if 0x3400 <= o <= 0x9FFF or 0xF900 <= o <= 0xFAFF:
        up = sym
        if han_top:
            g = after.get(left)
            if g is None:
                g = _grouped(after, "after", left, lead_known)
            v = math.log10((g.get(x, 0) + k * han_top) / (cc.get(left, 0.5) + GUESS_PRIOR))
            if v > up:
                up = v
    else:
        up = any_lp
    # P(right | c)
    o = ord(right) if right else 0
    if 0x3400 <= o <= 0x9FFF or 0xF900 <= o <= 0xFAFF:
        r = lp.get(right, floor) if sym > _NONE else _NONE
        if han_top:
            g = before.get(right)
            if g is None:
                g = _grouped(before, "before", right, lead_known)
            v = math.log10(g.get(x, 0.0) + k * cc.get(right, 0.5) / (han_min + GUESS_PRIOR))
            if v > r:
                r = v
        return up + r
    if o >= 0x80:
        return up + lp.get(right, floor)
    return up


@lru_cache(maxsize=2)
def _ceiling_tables(lead_known: bool):
    """What _guess_ceiling reads, for bytes known as lead bytes or as trail bytes: _byte_tops, the
    character model, and the grouped bigram tables (filled as characters are met)."""
    lp, floor, bc, cc, k = _chain_tables()
    return _byte_tops(lead_known), lp, floor, cc, k, {}, {}


@lru_cache(maxsize=2)
def _byte_tops(lead_known: bool) -> dict[int, tuple]:
    """For each byte with GBK characters (as their lead byte, or as their trail byte): the count of
    the commonest and the rarest Han character (0 when none), the best log-probability of one that
    is not Han (-inf when none) and of any.  The characters are _completions' (a lead byte below
    0x81 is none: it reads as ASCII)."""
    lp, floor, bc, cc, k = _chain_tables()
    pairs = _all_gbk_pairs()
    out = {}
    for x in range(0x81 if lead_known else 0x40, 0xFF):
        # (_completions' characters read off the table as it reads them, in its order, and _is_han
        # spelled out: through _completions and _is_han this was 30-50 ms of the first batch)
        row = pairs[(x << 8) | 0x40:(x << 8) | 0xFF] if lead_known else pairs[0x8100 | x:0xFF00:0x100]
        comps = [c for c in row if c is not None and len(c) == 1]
        if not comps:
            continue
        han = [cc.get(c, 0.5) for c in comps if "\u3400" <= c <= "\u9fff" or "\uf900" <= c <= "\ufaff"]
        sym = [lp.get(c, floor) for c in comps if not ("\u3400" <= c <= "\u9fff" or "\uf900" <= c <= "\ufaff")]
        out[x] = (max(han, default=0), min(han, default=0), max(sym, default=_NONE),
                  max(lp.get(c, floor) for c in comps))
    return out


@lru_cache(maxsize=1)
def _gbk_bytes() -> dict[str, tuple[tuple[int, int], ...]]:
    """Every (lead, trail) byte pair each Han character of GBK decodes from (_completions' ranges)."""
    # (_is_han spelled out on the one-character strings, and tuples made as they are met: a third
    # of the time of a list per character made a tuple at the end)
    out: dict[str, tuple[tuple[int, int], ...]] = {}
    get = out.get
    for code, c in enumerate(_all_gbk_pairs()):
        if c is not None and ("\u3400" <= c <= "\u9fff" or "\uf900" <= c <= "\ufaff"):
            v = get(c)
            out[c] = ((code >> 8, code & 0xFF),) if v is None else v + ((code >> 8, code & 0xFF),)
    return out


GROUPED_MAX = 20_000  # characters whose grouped table is kept, per table (then it starts again)


def _grouped(table: dict, side: str, c: str, by_lead: bool) -> dict[int, float]:
    """For a Han character c, by the lead (or trail) byte of the Han characters it forms a known
    bigram with: ``after``, the best count of c followed by one of them; ``before``, the best
    count of one of them followed by c over that one's count + GUESS_PRIOR.  Built on first use
    and kept in ``table``.  Read off _grouped_arrays (a slice of sorted arrays: a character's
    bigrams looped over one by one cost a worker 0.1-0.3 s in its first batch)."""
    if len(table) >= GROUPED_MAX:
        table.clear()
    keys, xs, most = _grouped_arrays(side == "after", by_lead)
    o = ord(c)
    lo, hi = int(keys.searchsorted(o, "left")), int(keys.searchsorted(o, "right"))
    out = dict(zip(xs[lo:hi].tolist(), most[lo:hi].tolist()))
    table[c] = out
    return out


@lru_cache(maxsize=1)
def _gbk_byte_arrays():
    """_gbk_bytes as arrays: each BMP code point's place among the Han characters of GBK (-1 for
    none; the last entry, for any code point above the BMP, too), the lead and the trail byte of
    each pair (every character's pairs in a row), each character's number of pairs, where its
    first pair is, and its count in the character model (0.5 when unseen)."""
    import numpy as np

    from ..charmodel import char_counts

    cc = char_counts()
    where = _gbk_bytes()
    chars = sorted(where)
    pairs = [p for c in chars for p in where[c]]
    g_n = np.array([len(where[c]) for c in chars], dtype=np.int64)
    place = np.full(0x10001, -1, dtype=np.int64)
    place[[ord(c) for c in chars]] = np.arange(len(chars))
    return (place, np.array([a for a, _ in pairs], dtype=np.int64), np.array([b for _, b in pairs], dtype=np.int64),
            g_n, np.cumsum(g_n) - g_n, np.array([cc.get(c, 0.5) for c in chars], dtype=np.float64))


@lru_cache(maxsize=4)
def _grouped_arrays(after: bool, by_lead: bool):
    """What _grouped gives every character, as three arrays sorted by character, then byte: the
    character's code point (int64), the byte (lead or trail of a Han character of GBK that forms a
    known bigram with it: after it if ``after``, else before it) and the best value over those
    characters with that byte (``after``: the bigram's count; else the count over that
    character's count + GUESS_PRIOR)."""
    import numpy as np

    firsts, seconds, counts = _bigram_arrays()
    keys, others = (firsts, seconds) if after else (seconds, firsts)
    place, g_lead, g_trail, g_n, g_at, g_cc = _gbk_byte_arrays()
    g_x = g_lead if by_lead else g_trail
    # each bigram once for each pair of the other character (none when that is not Han in GBK)
    k = place[np.minimum(others, 0x10000)]
    n = np.where(k >= 0, g_n[k], 0)
    row = np.repeat(np.arange(len(others)), n)
    first_of_row = np.cumsum(n) - n
    x = g_x[np.repeat(g_at[k], n) + (np.arange(len(row)) - np.repeat(first_of_row, n))]
    if after:
        v = counts[row]
    else:
        v = counts[row].astype(np.float64) / (g_cc[k[row]] + GUESS_PRIOR)
    comb = keys[row].astype(np.int64) * 256 + x
    order = np.argsort(comb)  # (not stable: the most of a group is the same in any order)
    comb = comb[order]
    starts = np.flatnonzero(np.r_[True, comb[1:] != comb[:-1]])
    most = np.maximum.reduceat(v[order], starts) if len(starts) else v[:0]
    return comb[starts] >> 8, (comb[starts] & 0xFF).astype(np.uint8), most  # (4.7 MB for the four)


def _head_terms(line: str, s0: int, lead: bytes, first: str) -> float | None:
    """What the guessed first character of a run starting at s0 and the transition into the first
    realigned character score (_window_score's terms), or None when there is no good guess."""
    head = _guess(lead, _prev_han(line, s0), first, lead_known=False)
    if not head:
        return None
    ctx = line[s0 - 1:s0]
    return sum(_chain(ctx + head + first)[len(ctx):])


def _head_ceiling(before: str, first: str, trail: int) -> float:
    """What _head_terms can give at most, whatever the guess (a character with this trail byte):
    P(guess | the character before) is at most (the commonest bigram from that character + the
    prior of the commonest character) over its count + GUESS_PRIOR, or a symbol's own probability;
    P(first | guess) at most (the commonest bigram into ``first`` + its prior) over GUESS_PRIOR.
    A few look-ups: a run whose realigned start is a rare character seldom needs its guess."""
    lp, floor, bc, cc, k = _chain_tables()
    most_after, most_before, top = _bigram_maxima()
    up = 0.0
    if before and _is_han(before):
        up += min(0.0, max(math.log10((most_after.get(before, 0) + k * top) / (cc.get(before, 0.5) + GUESS_PRIOR)),
                           _symbol_top(trail)))
    if _is_han(first):
        up += min(0.0, math.log10((most_before.get(first, 0) + k * cc.get(first, 0.5)) / GUESS_PRIOR))
    return up


@lru_cache(maxsize=256)
def _symbol_top(trail: int) -> float:
    """The log-probability of the commonest character that is not Han with this trail byte."""
    return max((p for c, p in _completions(trail, False) if not _is_han(c)), default=-99.0)


@lru_cache(maxsize=1)
def _bigram_maxima() -> tuple[dict[str, int], dict[str, int], int]:
    """The count of the commonest known bigram from each character and into each, and the count of
    the commonest character."""
    import numpy as np

    cc = _chain_tables()[3]
    counts = _bigram_arrays()[2]
    out = []
    for by_first in (True, False):
        # (the bigrams ordered by the character, the most of each group of one character)
        keys, order = _bigrams_by(by_first)
        starts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]])
        most = np.maximum.reduceat(counts[order], starts)
        out.append(dict(zip(map(chr, keys[starts].tolist()), most.tolist())))
    return out[0], out[1], max(cc.values())


@lru_cache(maxsize=1)
def _bigram_arrays():
    """The known bigrams (charmodel.bigram_counts) as numpy arrays: the code point of each one's
    first character, of its second, and its count."""
    import numpy as np

    from .._cptable import code_points
    from ..charmodel import bigram_counts

    bc = bigram_counts()
    cps = code_points("".join(bc)).reshape(-1, 2)  # (every key is two characters)
    counts = np.fromiter(bc.values(), dtype=np.int64, count=len(bc))
    return cps[:, 0].copy(), cps[:, 1].copy(), counts


@lru_cache(maxsize=2)
def _bigrams_by(first: bool):
    """The code points of the known bigrams' first (or second) characters, sorted, and the order
    that sorts them (stable: a character's bigrams keep bigram_counts' order)."""
    import numpy as np

    cps = _bigram_arrays()[0 if first else 1]
    order = np.argsort(cps, kind="stable")
    return cps[order], order


class _BigramIndex:
    """The known bigrams by one of their characters: the set of the other characters, as a dict of
    frozensets would answer ``index.get(c, ())``, ``c in index`` and ``index[c]``.  Each character's
    set is made the first time it is asked for: a run asks of a few thousand characters, and the
    whole dict (109,126 bigrams) cost 0.1-0.3 s of each start-up."""

    def __init__(self, keys, others: str):
        self._keys = keys  # the code points of the characters asked by, sorted (numpy int64)
        self._others = others  # the other character of each bigram, in the same order
        # (the sets made so far: at most one per character of the bigrams, whatever the text; a
        # character in none is looked up again each time it is asked)
        self._sets: dict[str, frozenset] = {}

    def _find(self, c: str) -> frozenset | None:
        s = self._sets.get(c)
        if s is None and len(c) == 1:
            o = ord(c)
            lo = int(self._keys.searchsorted(o, "left"))
            hi = int(self._keys.searchsorted(o, "right"))
            if hi > lo:
                s = self._sets[c] = frozenset(self._others[lo:hi])
        return s

    def get(self, c: str, default=None):
        s = self._find(c)
        return default if s is None else s

    def __contains__(self, c: str) -> bool:
        return self._find(c) is not None

    def __getitem__(self, c: str) -> frozenset:
        s = self._find(c)
        if s is None:
            raise KeyError(c)
        return s


def _prev_han(line: str, s: int) -> str:
    """The nearest Han character before s, within 11 places (skipping, say, a flattened pinyin
    annotation such as (huán) in between), or ""."""
    k = s - 1
    while k >= 0 and s - k < 12 and not _is_han(line[k]):
        k -= 1
    return line[k] if k >= 0 and _is_han(line[k]) else ""


@lru_cache(maxsize=1)
def _bigrams() -> frozenset:
    from ..charmodel import bigrams

    return bigrams()


def _window_score(t: str) -> float:
    """Log10-likelihood of t's non-ASCII characters under the bigram model: P(c | previous Han
    character) from the bigram counts, smoothed with the character frequencies (GUESS_PRIOR
    pseudo-counts, as _guess); a character after anything else by its frequency alone."""
    return sum(_chain(t))


def _chain(t: str) -> list[float]:
    """_window_score's term for each character of t (0 for ASCII), so that sums over a stretch come
    from prefix sums.  Each term is at most 0 (a probability)."""
    lp, floor, bc, cc, k = _chain_tables()
    memo = _TERMS
    if len(memo) > 200_000:
        memo.clear()
    out, prev = [], ""
    log10 = math.log10
    for c in t:
        o = ord(c)
        if o < 0x80:
            prev = ""
            out.append(0.0)
            continue
        han = 0x3400 <= o <= 0x9FFF or 0xF900 <= o <= 0xFAFF
        if prev and han:
            pair = prev + c
            v = memo.get(pair)
            if v is None:
                v = memo[pair] = log10((bc.get(pair, 0) + k * cc.get(c, 0.5)) / (cc.get(prev, 0.5) + GUESS_PRIOR))
            out.append(v)
        else:
            out.append(lp.get(c, floor))
        prev = c if han else ""
    return out


def _chain_sums(t: str) -> list[float]:
    """The prefix sums of _chain(t): [0, the first term, the first two, ...] (one loop)."""
    lp, floor, bc, cc, k = _chain_tables()
    memo = _TERMS
    if len(memo) > 200_000:
        memo.clear()
    total = 0.0
    out, prev = [total], ""
    log10 = math.log10
    for c in t:
        o = ord(c)
        if o < 0x80:
            prev = ""
            total += 0.0
        elif 0x3400 <= o <= 0x9FFF or 0xF900 <= o <= 0xFAFF:
            if prev:
                pair = prev + c
                v = memo.get(pair)
                if v is None:
                    v = memo[pair] = log10((bc.get(pair, 0) + k * cc.get(c, 0.5)) / (cc.get(prev, 0.5) + GUESS_PRIOR))
                total += v
            else:
                total += lp.get(c, floor)
            prev = c
        else:
            total += lp.get(c, floor)
            prev = ""
        out.append(total)
    return out


_TERMS: dict[str, float] = {}  # P(c | prev) terms already worked out (cleared past 200,000)


@lru_cache(maxsize=1)
def _chain_tables():
    from ..charmodel import bigram_counts, char_counts, log_probs

    lp, floor = log_probs()
    return lp, floor, bigram_counts(), char_counts(), GUESS_PRIOR / _total_count()


@lru_cache(maxsize=64)  # (a round asks it twice of a line it did not change, and the next round again)
def _wants_ftfy(line: str) -> bool:
    """Send a line to ftfy only if it has ftfy's kind of mojibake: a UTF-8 byte pair read as
    Latin-1/cp1252, C1 controls, or Latin/Cyrillic/Greek letters that ftfy's own test calls bad.
    Chinese text with a middle dot (·) or an accented name does not pay for ftfy."""
    if not _FTFY_ANY.search(line):
        return False  # (one scan: no character any of the four expressions below starts with)
    if _UTF8_PAIR.search(line) or _C1.search(line) or _LIGATURES.search(line):
        return True
    return bool(_NON_CJK_LETTERS.search(line)) and _ftfy_suspects(line)


def _ftfy_suspects(line: str) -> bool:
    """ftfy's own quick test for mojibake-looking text, before the (slower) full repair."""
    return "\ufffd" in line or bool(_C1.search(line)) or _is_bad(line)


@lru_cache(maxsize=1)
def _badness_width() -> int:
    """The longest match of ftfy's BADNESS_RE, read off the expression by the regex parser (7 in
    ftfy 6.3: ГўВЂВ.[A-Za-z ]; the other branches are 1-4 characters long)."""
    from ftfy.badness import BADNESS_RE

    try:
        import re._parser as sre_parse  # (the parser behind re.compile, Python 3.11 on)
    except ImportError:  # Python 3.10
        import sre_parse

    width = sre_parse.parse(BADNESS_RE.pattern, BADNESS_RE.flags).getwidth()[1]
    return width if width <= 100 else 0  # (0: unbounded, as a later ftfy might make it; no windows then)


@lru_cache(maxsize=1)
def _badness_anchors() -> re.Pattern:
    """The characters every match of ftfy's BADNESS_RE holds one of at least: the non-ASCII
    characters of the expression (its categories' ranges spelled out), but for the "common"
    characters and the quotes and other punctuation of ftfy's start_punctuation and
    end_punctuation (“”‘’…—·, frequent in Chinese text), which each branch only reads beside a
    character of another class (an accented letter, a box, a currency or number sign; read off
    the expression; tests/test_mojibake_scan.py checks every match)."""
    from ftfy.badness import BADNESS_RE, MOJIBAKE_CATEGORIES

    bmp = "".join(map(chr, range(0x80, 0x10000)))
    chars = {c for c in BADNESS_RE.pattern if c >= "\x80"}
    for cat in MOJIBAKE_CATEGORIES.values():
        chars.update(re.findall("[" + cat + "]", bmp))
    for name in ("common", "start_punctuation", "end_punctuation"):
        chars -= set(MOJIBAKE_CATEGORIES[name])
    return re.compile("[" + "".join(re.escape(c) for c in sorted(chars)) + "]")


def _is_bad(line: str) -> bool:
    """ftfy.badness.is_bad(line), asked only of the places that can match: a window of
    _badness_width() - 1 characters each side of every anchor character (_badness_anchors).  The
    expression has no lookaround, \\b or $, and its ^ matches only at the real start, so a match
    inside a window is a match of the line; on a long Chinese line with one accented name this
    reads a few dozen characters instead of running the whole expression at every place."""
    from ftfy.badness import BADNESS_RE

    search = BADNESS_RE.search
    if not _badness_width():
        return bool(search(line))
    w = _badness_width() - 1
    lo = hi = -1
    for m in _badness_anchors().finditer(line):
        q = m.start()
        if q - w > hi:
            if hi >= 0 and search(line, lo, hi):
                return True
            lo = max(0, q - w)
        hi = q + w + 1
    return hi >= 0 and bool(search(line, lo, hi))


def _wide(c: str) -> bool:
    return ord(c) >= 0x80 and not c.isspace()


def _moji_set(enc: str) -> frozenset:
    _moji_sets()
    return _SETS[enc]


@lru_cache(maxsize=2)
def _producible(enc: str) -> frozenset:
    """Every character that UTF-8 bytes can turn into when read as ``enc`` (plus U+FFFD)."""
    # UTF-8 continuation bytes, lead bytes of 3-byte sequences (CJK) and of U+0080-U+00FF (·, ×, é)
    hi = list(range(0x80, 0xC0)) + [0xC2, 0xC3] + list(range(0xE0, 0xF0))
    return frozenset({"\ufffd", "?"} | _pair_chars(enc, hi, hi + list(range(0x40, 0x80))))


@lru_cache(maxsize=2)
def _producible_no_qmark(enc: str) -> frozenset:
    """_producible without "?" (built once: a set difference per line cost a fifth of the fast path)."""
    return _producible(enc) - {"?"}


@lru_cache(maxsize=1)
def _big5_latin() -> tuple[dict[str, str], str, re.Pattern]:
    """Big5 characters whose two bytes are the UTF-8 of a Latin-1 character (C2 A1-BF: ¡ to ¿, C3 A1-BF:
    á to ÿ; a Big5 trail byte is never 80-A0), and where one stands for it: between letters or digits
    of a Latin word or number (Kj籀sa is Kjósa), or after a number for the degree sign (23簞29, 5 簞C)."""
    table = {}
    for lead in (0xC2, 0xC3):
        for trail in range(0xA1, 0xC0):
            try:
                table[bytes((lead, trail)).decode("big5")] = bytes((lead, trail)).decode("utf-8")
            except UnicodeDecodeError:
                continue
    chars = "".join(re.escape(c) for c in table)
    degree = next(k for k, v in table.items() if v == "°")
    return table, degree, re.compile(f"[{chars}]")


def _ascii_alnum(c: str) -> bool:
    return c.isascii() and c.isalnum()


# punctuation of Chinese typography that cp1252 places in 0x80-0x9F: a run of nothing else is text
_TYPOGRAPHY = frozenset("—–…“”‘’•·‰")


def _latin_readings(seg: str, strict_gbk: bool = False):
    """(bytes, text) for each way seg reads as GBK or Big5 bytes shown as Latin-1 or cp1252."""
    for src in ("latin-1", "cp1252"):
        b = _try_encode(seg, src)
        if b is None:
            continue
        for dst in ("gbk", "big5"):
            try:
                yield b, (b.decode("gbk") if strict_gbk else decode_gbk(b)) if dst == "gbk" else b.decode("big5")
            except UnicodeDecodeError:
                continue


def _try_encode(s: str, enc: str) -> bytes | None:
    try:
        return s.encode(enc)
    except UnicodeEncodeError:
        return None


@lru_cache(maxsize=65536)
def _valid_pair(x: int, y: int) -> bool:
    try:
        bytes((x, y)).decode("gbk")
        return True
    except UnicodeDecodeError:
        return False


def _guess(partial: bytes, left: str, right: str, lead_known: bool, after: int = -1) -> str:
    """The most likely GBK character with this lead byte (or trail byte) between two neighbours:
    P(c | left) P(right | c) from the bigram counts, smoothed with the character frequencies
    (GUESS_PRIOR pseudo-counts).  None is good enough (""), when the best is neither common nor
    a known bigram with a neighbour.  ``after``: a byte the character's trail byte formed no pair
    with (the decoder skipped it), or -1.

    Only the characters that form a known bigram with a neighbour, and the most frequent of the
    rest, can score best (without a known bigram the score grows with the frequency), so only
    those are scored."""
    if not partial:
        return ""
    _, _, bc, cc, _ = _chain_tables()
    total = _total_count()
    comps, by_freq, index, chars = _completion_index(partial[0], lead_known)
    nxt, prv = _bigram_index()
    picked = set()
    for side, ref in ((left, nxt), (right, prv)):
        if side and side in ref:
            picked.update(index[c] for c in chars & ref[side])
    for c in by_freq:
        if not (after >= 0 and _valid_pair(c.encode("gbk")[1], after)):
            picked.add(index[c])
            break
    best, best_sc = "", -1e9
    log10, get, ccget = math.log10, bc.get, cc.get
    into_right = GUESS_PRIOR * ccget(right, 0.5) / total if right else 0.0
    for i in sorted(picked):
        c, base = comps[i]
        if after >= 0 and _valid_pair(c.encode("gbk")[1], after):
            continue  # the decoder skipped this trail byte: it formed no pair with the byte after it
        n_c = ccget(c, 0.5)
        sc = log10(get(left + c, 0) + GUESS_PRIOR * n_c / total) if left else base
        if right:
            sc += log10((get(c + right, 0) + into_right) / (n_c + GUESS_PRIOR))
        if sc > best_sc:
            best, best_sc = c, sc
    if not best:
        return ""
    ok = (left and (left + best) in bc) or (right and (best + right) in bc) or comps[index[best]][1] > -4.5
    return best if ok else ""


@lru_cache(maxsize=1)
def _bigram_index() -> tuple[dict[str, frozenset], dict[str, frozenset]]:
    """The known bigrams by their first character (what follows it) and by their second
    (_BigramIndex: sorted arrays, each character's set made when first asked for)."""
    import numpy as np

    from .._cptable import from_code_points

    firsts, seconds, _ = _bigram_arrays()
    out = []
    for by_first, other in ((True, seconds), (False, firsts)):
        keys, order = _bigrams_by(by_first)
        # (int64: searchsorted of a Python int in a uint32 array converts the whole array each time)
        out.append(_BigramIndex(keys.astype(np.int64), from_code_points(other[order])))
    return out[0], out[1]


@lru_cache(maxsize=512)
def _completion_index(x: int, lead_known: bool):
    """_completions(x), the same characters by falling frequency, each one's place, and their set."""
    from ..charmodel import char_counts

    cc = char_counts()
    comps = _completions(x, lead_known)
    by_freq = tuple(c for c, _ in sorted(comps, key=lambda t: -cc.get(t[0], 0.5)))
    return comps, by_freq, {c: i for i, (c, _) in enumerate(comps)}, frozenset(c for c, _ in comps)


@lru_cache(maxsize=1)
def _total_count() -> int:
    from ..charmodel import char_counts

    return sum(char_counts().values())


@lru_cache(maxsize=512)
def _completions(x: int, lead_known: bool) -> tuple[tuple[str, float], ...]:
    """GBK characters whose lead (or trail) byte is ``x``, with their log-probabilities."""
    from ..charmodel import log_probs

    lp, floor = log_probs()
    if 0x81 <= x <= 0xFE if lead_known else 0x40 <= x <= 0xFE:
        # every pair is then one of the decoded table's (lead 0x81-0xFE, trail 0x40-0xFE): read off
        # it, not decoded one by one (317 bytes' decodes were 60-80 ms of each start-up)
        pairs = _all_gbk_pairs()
        codes = range((x << 8) | 0x40, (x << 8) | 0xFF) if lead_known else range(0x8100 | x, 0xFF00, 0x100)
        return tuple((c, lp.get(c, floor)) for c in map(pairs.__getitem__, codes) if c is not None)
    out = []
    for y in (range(0x40, 0xFF) if lead_known else range(0x81, 0xFF)):
        pair = bytes([x, y]) if lead_known else bytes([y, x])
        try:
            c = pair.decode("gbk")
        except UnicodeDecodeError:
            continue
        out.append((c, lp.get(c, floor)))
    return tuple(out)


def build_tables() -> None:
    """Build every whole table that fix_mojibake builds on first use (not those filled a character
    at a time): ``clean -j N`` calls this before it forks its workers, which then share them rather
    than each build them when its text first needs one.  The list is what the workers of
    ``clean -j 2`` on benchmarks/scale.py's file still built after the parent's first batch, or what
    3,000 corpus paragraphs built after the warm-up of a run of several files (every lru_cache of
    zhclean compared before and after), with the fast path's regexes and _grouped_arrays, which a
    worker otherwise compiled or built in its first batch; about 0.28 s CPU when none is built yet,
    20-30 ms after the first batch of an 8 MB file of corpus paragraphs."""
    _moji_classes()
    _suspect()
    _unmarked_shift_re()
    _flag_table()
    _start_table()
    _next_tables()
    _need_table()
    _scan_offsets()
    _gbk_pairs()
    _gbk_bytes()
    _bigram_index()
    _bigram_maxima()
    for lead_known in (True, False):
        _ceiling_tables(lead_known)
        for after in (True, False):
            _grouped_arrays(after, lead_known)


def fix_mojibake(text: str) -> str:
    """Repair mojibake (ftfy's kinds, and UTF-8/GBK/Big5 mix-ups and shifted GBK that ftfy cannot fix)."""
    return default_instance(FixMojibake)(text)


register("fix_mojibake", lambda o: FixMojibake(make_settings(MojibakeSettings, o, "fix_mojibake")))
