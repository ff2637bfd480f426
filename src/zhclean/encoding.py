"""decode: bytes in any Chinese encoding (and most others) to text.

Order of checks:

1. byte-order marks (UTF-32, UTF-8, UTF-16);
2. strict UTF-8;
3. the East Asian candidates, decided by how plausible the decoded text is:
   GB18030 (a superset of GBK/GB2312, with Windows' ``0x80`` = € added), Big5 (cp950),
   UTF-16 LE/BE and UTF-32 without a BOM, and cp949, Shift-JIS and EUC-JP (Hangul and kana
   score as ordinary characters, so Korean and Japanese are not read as Chinese).  Each candidate is decoded (invalid sequences
   become U+FFFD, so damage stays local) and scored with the character model
   (:mod:`zhclean.charmodel`, frequencies from real Simplified and Traditional text): the mean
   log-probability of its characters, with a penalty for each invalid sequence, control
   character or private-use character.  Most Big5 bytes are also valid GBK, so a strict
   cascade cannot tell them apart; their decodings' plausibility can, even at 12 characters;
   The contest is decided on the first 1.5 KB (600 characters are scored), all readings scored in
   one numpy pass (:func:`_batch_plausibility`, the same figure as :func:`plausibility`); only the
   winner decodes the whole input.  GB18030's realignment of dropped bytes (a Python search) runs
   only when it could change the outcome;
4. charset-normalizer, when no Chinese candidate is plausible (Latin, Cyrillic, Greek,
   Arabic, Hebrew, Korean... text).

>>> decode("中文编码测试".encode("gbk"))
'中文编码测试'
>>> decode("中文編碼測試".encode("big5"))
'中文編碼測試'
>>> decode_with_info("繁體中文的編碼".encode("big5")).encoding
'big5'
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from functools import lru_cache

from .errors import InputError

_BOMS = [
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
]


class DecodeError(InputError, UnicodeError):
    """The bytes are binary or in no encoding zhclean can identify."""


@dataclass(frozen=True)
class Decoded:
    """The text, the encoding chosen, and a confidence in [0, 1]."""

    text: str
    encoding: str
    confidence: float


def _cp936_errors(e: UnicodeDecodeError):
    """Windows cp936 maps the single byte 0x80 to €; Python's gbk/gb18030 codecs do not."""
    bad = e.object[e.start:e.end]
    if bad[:1] == b"\x80":
        return "€", e.start + 1
    return "\ufffd", e.start + 1


codecs.register_error("zhclean-cp936", _cp936_errors)
codecs.register_error("zhclean-replace-one", lambda e: ("\ufffd", e.start + 1))


def decode_pairs(enc: str, firsts, seconds) -> list[str | None]:
    """``bytes((a, b)).decode(enc)`` for every a of ``firsts`` and b of ``seconds`` (b varying
    fastest), None where that raises.  All the pairs are decoded in one call, a newline after each
    and errors escaped: a piece holding an escape did not decode (a newline is never a trail byte
    of these codecs; where one was read into a sequence the count of pieces would differ, and the
    pairs are then decoded one by one).  Thousands of decodes one by one, half of them raising,
    were a good part of the start-up."""
    firsts, seconds = list(firsts), list(seconds)
    pieces = b"".join(bytes((a, b, 10)) for a in firsts for b in seconds).decode(enc, "surrogateescape").split("\n")
    if len(pieces) == len(firsts) * len(seconds) + 1 and all(b != 10 for b in seconds):
        pieces.pop()
        return [None if _ESCAPED(p) else p for p in pieces]
    out: list[str | None] = []
    for a in firsts:
        for b in seconds:
            try:
                out.append(bytes((a, b)).decode(enc))
            except UnicodeDecodeError:
                out.append(None)
    return out


_ESCAPED = re.compile("[\udc80-\udcff]").search  # (what surrogateescape makes of an undecodable byte)


@lru_cache(maxsize=1)
def _gbk_pairs() -> list[str | None]:
    """The character of each two-byte GBK code (index ``lead << 8 | trail``), None where invalid."""
    out: list[str | None] = [None] * 0x10000
    trails = range(0x40, 0xFF)
    for lead, row in zip(range(0x81, 0xFF), _rows(decode_pairs("gbk", range(0x81, 0xFF), trails), len(trails))):
        out[(lead << 8) | 0x40:(lead << 8) | 0xFF] = row
    return out


def _rows(items: list, width: int):
    return (items[i:i + width] for i in range(0, len(items), width))


def _realign(data: bytes, max_skips: int = 3, bigram_bonus: float = 0.0, any_path: bool = False) -> str | None:
    """A byte dropped inside GBK text shifts every pair after it, and the shifted pairs are mostly
    valid characters, so plain decoding garbles the rest of the file.  Dynamic programming over
    byte positions finds the most plausible reading that may skip up to ``max_skips`` orphan bytes
    (each marked U+FFFD), so the damage stays where the byte was lost.  None if no skip helps.
    ``bigram_bonus`` is added for a character that forms a common bigram with the one before it on
    the best path so far.  An invalid pair's orphan byte is always skipped, without counting as a
    skip; ``any_path`` returns the best reading even when it needed no counted skip."""
    from .charmodel import bigrams, log_probs

    lp, floor = log_probs()
    bg = bigrams() if bigram_bonus else ()
    pairs = _gbk_pairs()
    n = len(data)
    NEG = -1e18
    skip_cost = floor * 2
    # best[k][i]: best score of data[:i] with k skips; back[k][i]: (prev i, prev k, char)
    best = [[NEG] * (n + 1) for _ in range(max_skips + 1)]
    back = [[None] * (n + 1) for _ in range(max_skips + 1)]
    best[0][0] = 0.0
    for i in range(n):
        for k in range(max_skips + 1):
            cur = best[k][i]
            if cur == NEG:
                continue
            b = data[i]
            if b < 0x80:
                moves = [(i + 1, k, chr(b), -1.0)]
            else:
                moves = []
                if i + 1 < n:
                    c = pairs[(b << 8) | data[i + 1]]
                    if c is not None:
                        sc = lp.get(c, floor)
                        if bg and back[k][i] is not None and back[k][i][2] + c in bg:
                            sc += bigram_bonus
                        moves.append((i + 2, k, c, sc))
                if b == 0x80:
                    moves.append((i + 1, k, "€", -4.0))
                if not moves:
                    moves.append((i + 1, k, "\ufffd", skip_cost))
                if k < max_skips:
                    moves.append((i + 1, k + 1, "\ufffd", skip_cost))
            for j, k2, c, sc in moves:
                if cur + sc > best[k2][j]:
                    best[k2][j] = cur + sc
                    back[k2][j] = (i, k, c)
    k = max(range(max_skips + 1), key=lambda x: best[x][n])
    if k == 0 and not any_path:
        return None
    out, i = [], n
    while i > 0:
        pi, pk, c = back[k][i]
        out.append(c)
        i, k = pi, pk
    return "".join(reversed(out))


def decode_gbk(data: bytes) -> str:
    """GB18030/GBK with cp936's € for 0x80.  An invalid byte becomes U+FFFD and decoding resumes at
    the next byte; a dropped byte, which shifts the rest, is found and the rest realigned
    (:func:`_realign`), so the damage stays local."""
    return _gbk_realigned(data, data.decode("gb18030", errors="zhclean-cp936"), plausibility)


def _gbk_realigned(data: bytes, text: str, score, eager: bool = False, known: float | None = None) -> str:
    """``text`` (the plain GB18030 reading of ``data``), or its realignment when that reads better.
    ``eager`` (decode's own path) also searches on quieter signs of a shift, weighs bigrams in the
    search and needs a gain of 0.1 rather than 0.3 (settings tuned on the dev half of
    tests/decode_sets.py)."""
    # only a reading that looks damaged is worth the search (it is linear, but in Python)
    if not 8 <= len(data) <= 2_000_000:
        return text
    # decode's own path also looks for the quieter signs of a shift: private-use characters
    # (GBK's user-defined area), and in a short text a character with an ASCII-range second byte
    quiet = eager and len(data) <= 65536 and (_has_private_use(text) or (len(data) <= 4096 and _ascii_trail(text)))
    # (``known``: ``score(text[:2000])`` when the caller has it already)
    if "\ufffd" in text or quiet or (known if known is not None else score(text[:2000])) < -3.0:
        text2 = _realign(data, bigram_bonus=_BIGRAM_BONUS if eager else 0.0, any_path=eager)
        if text2 is not None and score(text2) > score(text) + (_EAGER_MARGIN if eager else 0.3):
            return text2
    return text


_PRIVATE_USE = re.compile("[\ue000-\uf8ff]")


def _has_private_use(text: str) -> bool:
    """Whether ``text`` has a character in the BMP's private-use area (U+E000-U+F8FF).  A long text
    is checked with numpy over its UTF-16 code units (astral characters become surrogates,
    U+D800-U+DFFF, outside the range): half the time of the regex on 8 KB documents."""
    if len(text) < 1000:
        return _PRIVATE_USE.search(text) is not None
    import numpy as np

    units = np.frombuffer(text.encode("utf-16-le", errors="surrogatepass"), dtype=np.uint16)
    return bool(((units - np.uint16(0xE000)) < 0x1900).any())


def _ascii_trail(text: str) -> bool:
    """Whether a character of ``text`` has an ASCII-range second byte in GBK (0x40-0x7E): where a
    shifted run ends, the last shifted pair swallows the ASCII byte that follows it."""
    return _ascii_trail_chars().search(text) is not None


@lru_cache(maxsize=1)
def _ascii_trail_chars() -> re.Pattern:
    pairs = _gbk_pairs()
    chars = sorted({pairs[(lead << 8) | trail] for lead in range(0x81, 0xFF) for trail in range(0x40, 0x7F)} - {None})
    return re.compile("[" + "".join(re.escape(c) for c in chars) + "]")
# tuned on the dev half of tests/decode_sets.py (one GBK byte lost in a 120-character line)
_BIGRAM_BONUS = 1.0
_EAGER_MARGIN = 0.1


CANDIDATES = ("gb18030", "big5", "utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be", "cp949", "shift_jis", "euc_jp")


def _decode_as(data: bytes, enc: str) -> str:
    if enc == "gb18030":
        return decode_gbk(data)
    if enc == "big5":
        try:
            return data.decode("big5")
        except UnicodeDecodeError:
            return data.decode("cp950", errors="zhclean-replace-one")
    if enc in ("cp949", "shift_jis", "euc_jp"):
        return data.decode(enc, errors="zhclean-replace-one")
    if enc.startswith("utf-32") and len(data) % 4:
        return ""
    if enc.startswith("utf-16") and len(data) % 2:
        data = data[:-1]
    return data.decode(enc, errors="replace")


def _reading(sample: bytes, enc: str) -> str:
    """A candidate's reading of the sample, for scoring only: invalid sequences become U+FFFD by
    the codec's own (C) error handling, which costs nothing per error."""
    if enc in ("big5", "cp949", "shift_jis", "euc_jp"):
        return sample.decode("cp950" if enc == "big5" else enc, errors="replace")
    return _decode_as(sample, enc)


def plausibility(text: str) -> float:
    """How much ``text`` reads like real East Asian text: the mean log10-probability of its
    non-ASCII characters under the character model, plus twice the share of adjacent Han pairs
    that are common bigrams.  U+FFFD, C1 controls and private-use characters count as very
    unlikely; Hangul and kana as ordinary, with 0.25 credit per adjacent pair.

    Misreadings (Big5 bytes as GBK, GBK as cp949, anything as UTF-16) give characters that may
    each be common but rarely form words, so the bigram share separates them even in 12 characters.
    """
    from .charmodel import bigrams, log_probs

    lp, floor = log_probs()
    bg = bigrams()
    total = 0.0
    n = 0
    pairs = known = 0.0
    prev = ""
    for c in text:
        o = ord(c)
        if o < 0x80:
            prev = ""
            continue
        hangul_kana = 0xAC00 <= o <= 0xD7A3 or 0x3040 <= o <= 0x30FF
        han = 0x3400 <= o <= 0x9FFF or 0xF900 <= o <= 0xFAFF
        if c == "\ufffd" or 0xE000 <= o <= 0xF8FF or 0x80 <= o <= 0x9F:
            total += floor * 2
        elif hangul_kana:
            total += -2.8
        else:
            total += lp.get(c, floor)
        n += 1
        if prev:
            if han and (0x3400 <= ord(prev) <= 0x9FFF or 0xF900 <= ord(prev) <= 0xFAFF):
                pairs += 1
                known += (prev + c) in bg
            elif hangul_kana and (0xAC00 <= ord(prev) <= 0xD7A3 or 0x3040 <= ord(prev) <= 0x30FF):
                pairs += 1
                known += 0.25
        prev = c if (han or hangul_kana) else ""
    if not n:
        return -2.0
    return total / n + (2.0 * known / pairs if pairs else 0.0)


_SAMPLE = 1536  # bytes: 600 characters of double-byte text (only 600 are scored), 384 at least
_REALIGN_GAIN = 5.0


@lru_cache(maxsize=1)
def _tables():
    """Per-code-point cost (0 for ASCII, which is not scored) and kind (0 ASCII, 1 Han, 2
    Hangul/kana, 3 other) over the BMP, and the common Han bigrams (for :func:`_known_pairs`):
    :func:`plausibility` with numpy."""
    import numpy as np

    from .charmodel import bigrams, log_probs

    lp, floor = log_probs()
    cost = np.full(0x10000, floor)
    for c, v in lp.items():
        if len(c) == 1 and ord(c) < 0x10000:
            cost[ord(c)] = v
    kind = np.full(0x10000, 3, dtype=np.uint8)
    kind[:0x80] = 0
    kind[0x3400:0xA000] = 1
    kind[0xF900:0xFB00] = 1
    kind[0xAC00:0xD7A4] = 2
    kind[0x3040:0x3100] = 2
    cost[kind == 2] = -2.8
    cost[0x80:0xA0] = cost[0xE000:0xF900] = cost[0xFFFD] = floor * 2
    cost[:0x80] = 0.0
    # common bigrams as a bitmap over pairs of the characters that occur in them (about 5,000,
    # so 3 MB): one lookup per pair, where a search in the sorted pairs took ten times as long.
    # Only bigrams of two Han characters count in plausibility, so only Han characters get an id:
    # a hit is then always a Han pair, with no mask to apply.
    pairs = [b for b in bigrams()
             if len(b) == 2 and max(map(ord, b)) < 0x10000 and kind[ord(b[0])] == kind[ord(b[1])] == 1]
    chars = sorted({c for b in pairs for c in b})
    width = len(chars) + 1
    ids = np.full(0x10000, len(chars), dtype=np.intp)  # the last id: a character in no bigram
    ids[[ord(c) for c in chars]] = np.arange(len(chars))
    at = ids[[ord(b[0]) for b in pairs]] * width + ids[[ord(b[1]) for b in pairs]]
    bits = np.zeros((width * width + 7) // 8, dtype=np.uint8)
    np.bitwise_or.at(bits, at >> 3, (1 << (at & 7)).astype(np.uint8))
    masks = (1 << np.arange(8)).astype(np.uint8)
    return cost, kind, (ids, width, bits, masks)


def _known_pairs(bigram_table, cp, out=None):
    """True at i where (cp[i], cp[i + 1]) is a common bigram of two Han characters (code points in
    the BMP, as ``intp``), written to ``out`` (one shorter than ``cp``) when given."""
    import numpy as np

    ids, width, bits, masks = bigram_table
    idc = ids[cp]  # (one lookup for both characters of every pair)
    at = idc[:-1] * width + idc[1:]
    return np.not_equal(bits[at >> 3] & masks[at & 7], 0, out=out)


def _fast_plausibility(text: str) -> float:
    """:func:`plausibility` computed with numpy (the same figure, for the decode contest)."""
    return _batch_plausibility([text])[0]


def _batch_plausibility(texts: list[str]) -> list[float]:
    """:func:`plausibility` of each text, with one pass of numpy over all of them (the contest
    scores several readings, where numpy's cost per call would dominate)."""
    import numpy as np

    cost, kind, bigram_table = _tables()
    # each text followed by a space: ASCII, so neither counted nor part of a pair
    cp = np.frombuffer((" ".join(texts) + " ").encode("utf-32-le", errors="surrogatepass"), dtype=np.uint32)
    astral = None
    if cp.max() > 0xFFFF:
        # beyond the BMP: neither Han (for pairs) nor Hangul nor private use, as in plausibility
        astral = np.flatnonzero(cp > 0xFFFF)
        astral_cp = cp[astral].tolist()
        cp = np.minimum(cp, 0xFFFF)  # kind "other", never in a bigram
    cp = cp.astype(np.intp)  # (numpy converts any other index type on every lookup)
    k = kind[cp]
    costs = cost[cp]
    if astral is not None:
        from .charmodel import log_probs

        lp, floor = log_probs()
        costs[astral] = [lp.get(chr(o), floor) for o in astral_cp]
    # per position: non-ASCII; Han pair, Hangul/kana pair and common bigram starting here.  The
    # separating spaces keep every pair inside one text, so each text's counts are its own columns.
    flags = np.zeros((4, len(cp)), dtype=bool)
    np.not_equal(k, 0, out=flags[0])
    han, hk = k == 1, k == 2
    np.logical_and(han[1:], han[:-1], out=flags[1, :-1])
    np.logical_and(hk[1:], hk[:-1], out=flags[2, :-1])
    _known_pairs(bigram_table, cp, out=flags[3, :-1])
    if len(texts) == 1:
        counts = [np.count_nonzero(flags, axis=1).tolist()]
        totals = np.add.reduceat(costs, [0]).tolist()
    else:
        starts = np.array([0] + [len(t) + 1 for t in texts[:-1]]).cumsum()
        counts = np.add.reduceat(flags, starts, axis=1, dtype=np.int64).T.tolist()
        totals = np.add.reduceat(costs, starts).tolist()
    out = []
    for t, (n, hh, kk, hit), total in zip(texts, counts, totals):
        if not t or not n:
            out.append(-2.0)
        else:
            pairs = hh + kk
            out.append(total / n + (2.0 * (hit + 0.25 * kk) / pairs if pairs else 0.0))
    return out


def _wide(text: str) -> int:
    """How many characters of ``text`` are not ASCII."""
    return len(text) - len(text.encode("ascii", errors="ignore"))


def _wide_and_cjk(text: str) -> tuple[int, int]:
    """Non-ASCII characters, and how many of them are CJK (U+3000-U+9FFF, Hangul syllables,
    full-width forms U+FF00-U+FFEF)."""
    import numpy as np

    cp = np.frombuffer(text.encode("utf-32-le", errors="surrogatepass"), dtype=np.uint32)
    cjk = ((cp >= 0x3000) & (cp <= 0x9FFF)) | ((cp >= 0xAC00) & (cp <= 0xD7A3)) | ((cp >= 0xFF00) & (cp <= 0xFFEF))
    return int(np.count_nonzero(cp >= 0x80)), int(np.count_nonzero(cjk))


# how common each encoding is for Chinese text without a BOM, as a score offset
PRIOR = {"gb18030": 0.3, "big5": 0.0, "utf-16-le": -0.6, "utf-16-be": -0.8, "utf-32-le": -1.0, "utf-32-be": -1.0,
         "cp949": -0.2, "shift_jis": -0.2, "euc_jp": -0.3}


def _nul_pattern(data: bytes) -> str | None:
    """UTF-16 or UTF-32 without a BOM, recognised by where the NUL bytes of ASCII characters fall."""
    sample = data[:4096]
    n = len(sample)
    if n < 4:
        return None
    if n % 4 == 0:
        z = [sum(1 for i in range(k, n, 4) if sample[i] == 0) for k in range(4)]
        quarter = n // 4
        if z[2] > 0.9 * quarter and z[3] > 0.9 * quarter and z[0] < 0.5 * quarter:
            return "utf-32-le"
        if z[0] > 0.9 * quarter and z[1] > 0.9 * quarter and z[3] < 0.5 * quarter:
            return "utf-32-be"
    even = sum(1 for i in range(0, n, 2) if sample[i] == 0)
    odd = sum(1 for i in range(1, n, 2) if sample[i] == 0)
    half = n / 2
    if odd > 0.2 * half and even < 0.05 * half and n % 2 == 0:
        return "utf-16-le"
    if even > 0.2 * half and odd < 0.05 * half and n % 2 == 0:
        return "utf-16-be"
    return None


def _looks_binary(data: bytes) -> bool:
    sample = data[:4096]
    ctrl = sum(1 for b in sample if b < 9 or 13 < b < 32)
    return ctrl > len(sample) * 0.1


def decode_with_info(data: bytes) -> Decoded:
    """Decode bytes, and say which encoding was chosen and how confident the choice is."""
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise TypeError(f"decode expects bytes, got {type(data).__name__}")
    data = bytes(data)
    for bom, enc in _BOMS:
        if data.startswith(bom):
            return Decoded(data[len(bom):].decode(enc, errors="replace"), enc, 1.0)
    if b"\x00" in data:
        wide = _nul_pattern(data)
        if wide:
            return Decoded(data.decode(wide, errors="replace"), wide, 0.9)
        # no 8-bit text encoding has NUL bytes in text: only a wide encoding can read this
        def clean_text(t: str) -> bool:
            bad = sum(1 for c in t if (ord(c) < 32 and c not in "\n\r\t") or c == "\ufffd")
            return bool(t) and bad <= len(t) * 0.02 and any(ord(c) >= 0x80 for c in t)

        wides = [(plausibility(t[:2000]), e) for e in CANDIDATES if e.startswith("utf-")
                 for t in [_decode_as(data, e)] if clean_text(t)]
        if wides:
            score, enc = max(wides)
            if score > -3.0 or (score > -4.2 and not _looks_binary(data)):
                return Decoded(_decode_as(data, enc), enc, 0.6)
        raise DecodeError("binary data (NUL bytes, and not UTF-16 or UTF-32); "
                          "if it is text, convert it to UTF-8 first")
    try:
        return Decoded(data.decode("utf-8"), "utf-8", 1.0)
    except UnicodeDecodeError:
        pass
    # the contest is decided on a sample (only the first 600 characters are scored); the winner
    # alone then decodes the whole input
    sample = data[:_SAMPLE]
    readings = []
    gb_plain = None
    for enc in CANDIDATES:
        if enc.startswith("utf-32"):
            continue  # every UTF-32 code unit holds a NUL byte, and there is none here
        if enc == "gb18030":
            if len(sample) < len(data):
                # a character cut in two at the end of the sample stays undecoded, not U+FFFD
                dec = codecs.getincrementaldecoder("gb18030")(errors="zhclean-cp936")
                gb_plain = dec.decode(sample, final=False)
                sample = sample[:len(sample) - len(dec.getstate()[0])]
            else:
                gb_plain = sample.decode("gb18030", errors="zhclean-cp936")
            continue
        text = _reading(sample, enc)
        if text:
            readings.append((text[:600], enc))
    readings.append((gb_plain[:600], "gb18030"))
    scores = _batch_plausibility([t for t, _ in readings])
    scored = [(sc + PRIOR[enc], enc) for sc, (_, enc) in zip(scores, readings[:-1])]
    # GB18030: a dropped byte is realigned before scoring, but the search (Python) runs only when
    # it could change the outcome: when the plain reading does not already win but a realigned one
    # could (realigning gains well under 5 points), or when it has invalid bytes
    best_other = max((sc for sc, _ in scored), default=float("-inf"))
    gb_score = scores[-1] + PRIOR["gb18030"] + 2.0 / max(1, _wide(gb_plain[:600]))
    gb_text = None  # the realigned reading of the sample, once tried
    if best_other < gb_score + _REALIGN_GAIN and (best_other >= gb_score or "\ufffd" in gb_plain):
        gb_text = _gbk_realigned(sample, gb_plain, _fast_plausibility, eager=True)
        if gb_text != gb_plain:
            gb_score = _fast_plausibility(gb_text[:600]) + PRIOR["gb18030"] + 2.0 / max(1, _wide(gb_text[:600]))
    scored.append((gb_score, "gb18030"))
    scored.sort(reverse=True)
    best_score, best_enc = scored[0]
    if best_enc == "gb18030":
        if len(sample) < len(data):
            best_text = _gbk_realigned(data, data.decode("gb18030", errors="zhclean-cp936"), _fast_plausibility,
                                       eager=True)
        elif gb_text is None:
            # (a reading of up to 600 characters was scored whole in the contest)
            best_text = _gbk_realigned(data, gb_plain, _fast_plausibility, eager=True,
                                       known=scores[-1] if len(gb_plain) <= 600 else None)
        else:
            best_text = gb_text
    else:
        best_text = _decode_as(data, best_enc)
    wide, cjk = _wide_and_cjk(best_text[:2000])
    # an East Asian reading is plausible when its non-ASCII characters are mostly common CJK ones
    if best_score > -3.8 and cjk >= max(1, wide * 0.6):
        margin = best_score - scored[1][0] if len(scored) > 1 else 2.0
        if best_enc in ("gb18030", "big5") and "\ufffd" in best_text:
            # damaged input (a dropped byte): keep the decoding, damage stays local
            margin = min(margin, 1.0)
        return Decoded(best_text, best_enc, round(min(1.0, 0.5 + margin / 4), 3))
    import charset_normalizer

    best = charset_normalizer.from_bytes(data).best()
    if best is None:
        if _looks_binary(data):
            raise DecodeError("binary data: no text encoding fits")
        return Decoded(best_text, best_enc, 0.1)
    return Decoded(str(best), best.encoding, round(1.0 - best.chaos, 3))


def decode(data: bytes) -> str:
    """Decode raw bytes to text (see :func:`decode_with_info` for the encoding chosen)."""
    return decode_with_info(data).text
