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
from dataclasses import dataclass

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


def decode_gbk(data: bytes) -> str:
    """GB18030/GBK with cp936's € for 0x80; an invalid byte becomes U+FFFD and decoding resumes
    at the next byte, so a dropped byte damages one or two characters, not the rest."""
    return data.decode("gb18030", errors="zhclean-cp936")


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
        # no 8-bit text encoding has NUL bytes in text
        raise DecodeError("binary data (NUL bytes, and not UTF-16 or UTF-32); "
                          "if it is text, convert it to UTF-8 first")
    try:
        return Decoded(data.decode("utf-8"), "utf-8", 1.0)
    except UnicodeDecodeError:
        pass
    scored = []
    for enc in CANDIDATES:
        text = _decode_as(data, enc)
        if not text:
            continue
        bonus = PRIOR.get(enc, 0.0)
        if enc == "gb18030":
            # with little evidence (a few non-ASCII characters), the most common encoding wins
            wide = sum(1 for c in text[:2000] if ord(c) >= 0x80)
            bonus += 2.0 / max(1, wide)
        scored.append((plausibility(text[:2000]) + bonus, enc, text))
    scored.sort(reverse=True)
    best_score, best_enc, best_text = scored[0]
    head = best_text[:2000]
    cjk = sum(1 for c in head if "\u3000" <= c <= "\u9fff" or "\uac00" <= c <= "\ud7a3" or "\uff00" <= c <= "\uffef")
    wide = sum(1 for c in head if ord(c) >= 0x80)
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
