"""fix_mojibake's document-wide fast path (_scan, a code-point table) against the plain path: the
regexes asked line by line, and every line looked at.  Oracle tests on varied inputs: clean
corpus text, rare characters, Latin-1/cp1252 mojibake, GBK and Big5 damage, shifted GBK, astral
characters, lone surrogates, controls."""

import random
from functools import lru_cache

import pytest

import zhclean.filters.mojibake as M
from mojibake_recipe import cases as recipe_cases
from mojibake_sets import cases as set_cases


def _damaged(text: str) -> list[str]:
    out = []
    for src, dst in (("utf-8", "latin-1"), ("utf-8", "cp1252"), ("gbk", "latin-1"), ("gbk", "cp1252"),
                     ("big5", "latin-1"), ("utf-8", "gbk"), ("utf-8", "big5"), ("gb18030", "cp1252")):
        try:
            out.append(text.encode(src).decode(dst, errors="replace"))
        except UnicodeEncodeError:
            continue
    b = text.encode("gbk", errors="replace")
    out.append(b[1:].decode("gbk", errors="replace"))  # shifted GBK
    return out


SENTENCES = ["数据清洗，正常的文字。", "臺灣的資料清理與繁體中文。", "Kjósa 的 23°C 天氣", "café naïve résumé",
             "瘫痪的人。", "中国人", "年夢 2008年", "“引号”—破折号…", "鱻龘靐齉爩", "①②③ ÅÄÖ αβγ АБВ"]


def _inputs() -> list[str]:
    docs = [d for _, d, _ in set_cases()] + [d for _, _, d, _ in recipe_cases()][::4]
    for s in SENTENCES:
        docs.append(s)
        docs += _damaged(s)
    rng = random.Random(13)
    M._moji_classes()
    pool = (list("".join(docs)) + [chr(c) for c in range(0, 0x300)] + sorted(M._SETS["gbk"])[::7]
            + sorted(M._SETS["big5"]) + sorted(M._shift_chars())[::50] + sorted(M._big5_latin()[0])
            + list("\n\n\n???!!^//锟斤拷\ufffd\u2500\u2550\r\x0b\x1f\u200b\ufeff0123456789 aZ")
            + ["\U0001F600", "\U00020000", "\U0002A6D6", "\ud800", "\udfff", "\u20ac", "\u2122", "\ufb01"])
    rare = sorted(M._SETS["rare"])[::97]
    for _ in range(6000):
        docs.append("".join(rng.choice(pool) for _ in range(rng.randint(0, 40))))
    for _ in range(1500):  # runs of rare characters beside marks, and five in a row
        pick = rare + list("?!^\n") + sorted(M._SETS["big5"])[:20]
        docs.append("".join(rng.choice(pick) for _ in range(rng.randint(1, 12))))
    # many documents mixed: line numbers past the first line
    for k in range(0, len(docs) - 8, 8):
        docs.append("\n".join(docs[k:k + 8]))
    return docs


# what the fast path asks, with the regexes, line by line (fix_mojibake's own path for short texts)
_scan_plain = M._scan_lines


def test_scan_matches_the_regexes():
    """Documents of every length go through both scans (fix_mojibake picks one by length)."""
    for d in _inputs():
        sus, look = M._scan(d)
        want_sus, want_look = _scan_plain(d)
        assert sus == want_sus, d
        assert want_look <= look, d  # (look may hold more: the clean path's answer is then "nothing")


def _every_line(text: str):
    """The plain path: every non-suspect line goes through the clean path's whole look."""
    sus, _ = _scan_plain(text)
    return sus, set(range(text.count("\n") + 1)) - sus


@pytest.mark.parametrize("explain", [True, False])
def test_fast_path_gives_the_plain_answer(monkeypatch, explain):
    docs = _inputs()[::6]
    fast = [M.FixMojibake().apply(d, explain=explain) for d in docs]
    monkeypatch.setattr(M, "_scan", _every_line)
    monkeypatch.setattr(M, "_scan_lines", _every_line)
    plain = [M.FixMojibake().apply(d, explain=explain) for d in docs]
    for d, a, b in zip(docs, fast, plain):
        assert (a.text, a.changes, a.unsettled, a.paragraphs_dropped) == (b.text, b.changes, b.unsettled,
                                                                           b.paragraphs_dropped), d


def test_remembered_lines_give_the_same_answer():
    """A warm instance (lines it left alone remembered, suspect or looked at by the clean path; the
    guesses of lost bytes remembered) answers as a new one does, on the documents and on its own output."""
    docs = _inputs()[::5]
    warm = M.FixMojibake()
    first = [warm.apply(d, explain=True) for d in docs]
    again = [warm.apply(d, explain=True) for d in docs]
    fresh = [M.FixMojibake().apply(d, explain=True) for d in docs]
    for d, a, b, c in zip(docs, first, again, fresh):
        assert (a.text, a.changes, a.unsettled) == (b.text, b.changes, b.unsettled) == (c.text, c.changes, c.unsettled), d
    outs = [r.text for r in first]
    warm_out = [warm.apply(t, explain=True) for t in outs]
    fresh_out = [M.FixMojibake().apply(t, explain=True) for t in outs]
    for t, a, b in zip(outs, warm_out, fresh_out):
        assert (a.text, a.changes, a.unsettled) == (b.text, b.changes, b.unsettled), t


def test_rewritten_regexes_match_as_written_the_slow_way():
    import re

    lossy = re.compile(r"\ufffd+|(?:锟斤拷)+|(?<=[\u4e00-\u9fff])\?+|\?+(?=[\u4e00-\u9fff])|\?{2,}")
    tag = re.compile(r"(?<!<)\?{1,2}/(?:p|div|span|br|li|td|tr|th|h[1-6]|strong|em|b|a)>")
    rng = random.Random(12)
    pool = list("?<>/p锟斤拷\ufffd中文a ?\u200c\u200d\u200b\x01") + ["div", "span", "</p>", "?/p>", "??/br>", "h7"]
    texts = ["".join(rng.choice(pool) for _ in range(rng.randint(0, 16))) for _ in range(30000)] + _inputs()[::10]
    for s in texts:
        assert [m.span() for m in M._LOSSY.finditer(s)] == [m.span() for m in lossy.finditer(s)], s
        assert [m.span() for m in M._BROKEN_TAG.finditer(s)] == [m.span() for m in tag.finditer(s)], s
        assert bool(M._HIDDEN.search(s)) <= bool(M._HIDDEN_ANY.search(s)), s


def _guess_plain(partial: bytes, left: str, right: str, lead_known: bool) -> str:
    """_guess as first written: every term computed in the loop, nothing remembered."""
    import math

    from zhclean.charmodel import bigram_counts, char_counts

    if not partial:
        return ""
    bc, cc = bigram_counts(), char_counts()
    total = M._total_count()
    best, best_sc = "", -1e9
    for c, base in M._completions(partial[0], lead_known):
        prior = M.GUESS_PRIOR * cc.get(c, 0.5) / total
        sc = math.log10(bc.get(left + c, 0) + prior) if left else base
        if right:
            sc += math.log10((bc.get(c + right, 0) + M.GUESS_PRIOR * cc.get(right, 0.5) / total) /
                             (cc.get(c, 0.5) + M.GUESS_PRIOR))
        if sc > best_sc:
            best, best_sc = c, sc
    if not best:
        return ""
    ok = (left and (left + best) in bc) or (right and (best + right) in bc) or \
        dict(M._completions(partial[0], lead_known))[best] > -4.5
    return best if ok else ""


def _neighbours(rng, rare: str) -> tuple[str, str]:
    """Two neighbours of a guessed character: common and ``rare`` characters, nothing, ASCII,
    punctuation and a character past the BMP; half the time the two halves of known bigrams."""
    chars = list("的是了不在人有我他这中大来上国个到说们为子和你地出道也时年得就那要下以生会自着去之过家学"
                 "對們來說國會時個過麼還這樣" + rare) + ["", "a", "，", "\u3000", "\U00020000"]
    left, right = rng.choice(chars), rng.choice(chars)
    if rng.random() < 0.5:  # neighbours that form known bigrams
        pairs = _some_bigrams()
        left, right = rng.choice(pairs)[0], rng.choice(pairs)[1]
    return left, right


@lru_cache(maxsize=1)
def _some_bigrams() -> list[str]:
    from zhclean.charmodel import bigram_counts

    return sorted(bigram_counts())[::37]


def test_guess_gives_the_plain_answer():
    rng = random.Random(7)
    for _ in range(4000):
        left, right = _neighbours(rng, "鱻龘瘫痪€")
        args = (bytes([rng.randint(0x40, 0xFF)]), left, right, rng.random() < 0.5)
        assert M._guess(*args) == _guess_plain(*args), args


def test_guess_ceiling_bounds_every_guess():
    """_guess_ceiling is at most what _chain gives any character with that byte between the two
    neighbours (what _clause_shift's end bounds rely on to leave runs out unguessed)."""
    rng = random.Random(11)
    for _ in range(3000):
        left, right = _neighbours(rng, "鱻龘瘫痪①ア№")
        x, lead_known = rng.randint(0x40, 0xFF), rng.random() < 0.5
        if lead_known and x < 0x81:
            continue  # (a lead byte below 0x81 reads as ASCII: no character, and the run is no repair)
        comps = [c for c, _ in M._completions(x, lead_known) if len(c) == 1]
        best = max((sum(M._chain(left + c + right)[len(left):]) for c in comps), default=float("-inf"))
        assert best <= M._guess_ceiling(x, lead_known, left, right) + 1e-9, (x, lead_known, left, right)


def test_is_bad_in_windows_gives_ftfys_answer():
    """_is_bad asks ftfy's BADNESS_RE only around anchor characters: every match the expression
    finds, at every place, holds an anchor and is at most _badness_width() long (so it lies in a
    window), and the answer is ftfy's is_bad on random and adversarial lines: the expression's own
    characters and sequences, the punctuation left out of the anchors, Han, ASCII and spaces."""
    import re

    from ftfy.badness import BADNESS_RE, MOJIBAKE_CATEGORIES, is_bad

    bmp = "".join(map(chr, range(0x80, 0x10000)))
    own = sorted({c for c in BADNESS_RE.pattern if c >= "\x80"}
                 | {c for cat in MOJIBAKE_CATEGORIES.values() for c in re.findall("[" + cat + "]", bmp)})
    words = ["ГўВЂВ", "вЂ", "β€", "ā€", "‚Ä", "‚â", "‚ó", "√", "≈", "à", "×", "Ã", "Â", "ØÙ", "ВГРС", "ΒΓΞΟ"]
    pool = own + words + list("“”‘’…—–·•\xa0\xad ") * 4 + list("abzAZ .,?!0\t") * 3 + list("中文的數據，。") * 3
    rng = random.Random(5)
    anchors = M._badness_anchors()
    lines = []
    for _ in range(40000):
        lines.append("".join(rng.choice(pool) for _ in range(rng.randint(1, 10))))
    for _ in range(300):  # long lines: Chinese text with a few of the expression's characters
        parts = [rng.choice("中文的數據清洗正常的文字，。“”—…") for _ in range(rng.randint(20, 400))]
        for _ in range(rng.randint(0, 4)):
            parts.insert(rng.randint(0, len(parts)), rng.choice(pool))
        lines.append("".join(parts))
    seen = 0
    for s in lines:
        for i in range(len(s)):
            m = BADNESS_RE.match(s, i)
            if m:
                seen += 1
                assert len(m.group(0)) <= M._badness_width() and anchors.search(m.group(0)), (s, i, m.group(0))
        assert M._is_bad(s) == is_bad(s), s
    assert seen > 10000  # (the lines do hold matches)


def test_wants_ftfy_first_look_misses_no_start():
    """_FTFY_ANY, _wants_ftfy's first look, holds every character a match of its four expressions
    can start with (so a line without one could match none of them)."""
    import re

    lead = re.compile(M._UTF8_LEAD)
    for cp in list(range(0x10000)) + [0x1F600, 0x20000]:
        c = chr(cp)
        if lead.match(c) or M._C1.match(c) or M._LIGATURES.match(c) or M._NON_CJK_LETTERS.match(c):
            assert M._FTFY_ANY.match(c), hex(cp)


def test_latin_round_first_look_misses_no_start():
    """_LATIN_ROUND_ANY holds every character of _HI (each _LATIN1_RUN starts with one), every C1
    control and every character _wants_ftfy can start with; and a round with the first look
    turned off (it then always passes) gives the same lines and explanations on random and
    adversarial lines."""
    import re

    hi = re.compile(M._HI)
    for cp in range(0x10000):
        c = chr(cp)
        if hi.match(c) or M._C1.match(c) or M._FTFY_ANY.match(c):
            assert M._LATIN_ROUND_ANY.match(c), hex(cp)
    rng = random.Random(17)
    pool = (list("中文的數據清洗，。“”—…·×°é ") * 3 + [chr(c) for c in range(0x80, 0x250)] + list("ÖÐ¹úÈËâ€™\xa0\xad")
            + list("αβγАБВ√≈◊ﬁﬂ\u2003\u200a") + list("abc123?!"))
    lines = ["".join(rng.choice(pool) for _ in range(rng.randint(1, 30))) for _ in range(3000)]
    lines += ["鏁版嵁娓呮礂，正常的文字。", "ÖÐ¹úÈË", "中国人".encode("utf-8").decode("latin-1"), "Kjósa 23°C"]
    f = M.FixMojibake()
    gated = []
    for s in lines:
        ch = []
        gated.append((f._latin_round(s, 1, True, ch), ch))
    everything = re.compile("")
    old, M._LATIN_ROUND_ANY = M._LATIN_ROUND_ANY, everything
    try:
        for s, (out, ch) in zip(lines, gated):
            ch2 = []
            assert (f._latin_round(s, 1, True, ch2), ch2) == (out, ch), s
    finally:
        M._LATIN_ROUND_ANY = old


def test_gbk_and_big5_widths():
    """_run_bytes takes a run whose bytes are twice its length as two bytes a character: GBK and
    Big5 encode ASCII in one byte and every other character they hold in two."""
    for enc in ("gbk", "big5"):
        for cp in range(0x10000):
            try:
                b = chr(cp).encode(enc)
            except UnicodeEncodeError:
                continue
            assert len(b) == (1 if cp < 0x80 else 2), (enc, hex(cp))


def test_lines_of_counts_the_breaks_before_each_place():
    rng = random.Random(3)
    for _ in range(3000):
        text = "".join(rng.choice("ab\n中") for _ in range(rng.randint(0, 60)))
        places = sorted(rng.sample([i for i, c in enumerate(text) if c != "\n"],
                                   k=rng.randint(0, sum(c != "\n" for c in text))))
        assert M._lines_of(text, places) == {text.count("\n", 0, q) for q in places}, (text, places)
