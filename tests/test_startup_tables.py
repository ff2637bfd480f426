"""fix_mojibake's tables built the quick way (numpy, sorted arrays, made per character when asked)
against the plain loops they replaced: the same answers for every character."""

import re

import pytest

from zhclean.charmodel import bigram_counts, char_counts
from zhclean.encoding import _gbk_pairs
from zhclean.filters import mojibake as m


@pytest.fixture(scope="module")
def chars():
    """Every character of the bigrams and of the character model, Han U+3400-9FFF, and a few that
    are in none (ASCII, beyond the BMP, the empty string)."""
    return sorted(set("".join(bigram_counts())) | set(char_counts()) | {chr(c) for c in range(0x3400, 0xA000)}
                  | {"a", "\U00020000", ""})


def test_bigram_index_answers_as_a_dict_of_frozensets(chars):
    nxt, prv = {}, {}
    for a, b in bigram_counts():
        nxt.setdefault(a, set()).add(b)
        prv.setdefault(b, set()).add(a)
    for index, plain in zip(m._bigram_index(), (nxt, prv)):
        for c in chars:
            assert (c in index) == (c in plain)
            assert index.get(c, ()) == (frozenset(plain[c]) if c in plain else ())
            if c in plain:
                assert index[c] == frozenset(plain[c])
            else:
                with pytest.raises(KeyError):
                    index[c]


def test_bigram_maxima_as_the_loop():
    after, before = {}, {}
    for pair, count in bigram_counts().items():
        after[pair[0]] = max(after.get(pair[0], 0), count)
        before[pair[1]] = max(before.get(pair[1], 0), count)
    assert m._bigram_maxima() == (after, before, max(char_counts().values()))


def test_gbk_bytes_as_the_loop():
    out = {}
    for code, c in enumerate(_gbk_pairs()):
        if c is not None and m._is_han(c):
            out.setdefault(c, []).append((code >> 8, code & 0xFF))
    assert m._gbk_bytes() == {c: tuple(v) for c, v in out.items()}


def _grouped_loop(side, c, by_lead):
    _, _, bc, cc, _ = m._chain_tables()
    nxt, prv = m._bigram_index()
    where = m._gbk_bytes()
    out = {}
    for o in (nxt if side == "after" else prv).get(c, ()):
        for lead, trail in where.get(o, ()):
            v = bc[c + o] if side == "after" else bc[o + c] / (cc.get(o, 0.5) + m.GUESS_PRIOR)
            x = lead if by_lead else trail
            if v > out.get(x, -1.0):
                out[x] = v
    return out


@pytest.mark.parametrize("side", ["after", "before"])
@pytest.mark.parametrize("by_lead", [True, False])
def test_grouped_as_the_loop(side, by_lead):
    for c in sorted({c for pair in bigram_counts() for c in pair if m._is_han(c)}):
        want, got = _grouped_loop(side, c, by_lead), m._grouped({}, side, c, by_lead)
        assert got == want, c
        assert all(type(got[x]) is type(want[x]) for x in want)


def test_flag_table_bits_from_sets_as_their_regexes():
    bmp = "".join(map(chr, range(0x10000)))
    t = m._flag_table()
    for bit, enc in ((m._F_GBK, "gbk"), (m._F_BIG5, "big5"), (m._F_RARE, "rare")):
        want = {mt.start() for mt in re.finditer(m._CLASSES[enc], bmp)}
        assert set((t[:0x10000] & bit).nonzero()[0].tolist()) == want
        assert not (t[0x10000:] & bit).any()


@pytest.mark.parametrize("two_as_range", [False, True])
def test_char_class_matches_its_characters_only(two_as_range):
    chars = set("-]^\\a b") | {chr(c) for c in range(0x4E00, 0x4E40, 3)} | {"\u4e41", "\u4e42", "\U00020001"}
    cls = re.compile(m._char_class(chars, two_as_range))
    text = "".join(map(chr, range(0x4F00))) + "\U00020000\U00020001\U00020002"
    assert {mt.group() for mt in cls.finditer(text)} == chars


@pytest.mark.parametrize("enc", ["gbk", "big5", "cp950", "gb18030"])
def test_decode_pairs_at_once_as_one_by_one(enc):
    from zhclean.encoding import decode_pairs

    firsts, seconds = range(0x80, 0x100), list(range(0x30, 0x80)) + list(range(0xA0, 0x100))
    want = []
    for a in firsts:
        for b in seconds:
            try:
                want.append(bytes((a, b)).decode(enc))
            except UnicodeDecodeError:
                want.append(None)
    assert decode_pairs(enc, firsts, seconds) == want


@pytest.mark.parametrize("lead_known", [True, False])
def test_byte_tops_as_read_through_completions(lead_known):
    lp, floor, _, cc, _ = m._chain_tables()
    want = {}
    for x in range(0x81 if lead_known else 0x40, 0xFF):
        comps = [c for c, _ in m._completions(x, lead_known) if len(c) == 1]
        if comps:
            han = [cc.get(c, 0.5) for c in comps if m._is_han(c)]
            sym = [lp.get(c, floor) for c in comps if not m._is_han(c)]
            want[x] = (max(han, default=0), min(han, default=0), max(sym, default=m._NONE),
                       max(lp.get(c, floor) for c in comps))
    got = m._byte_tops(lead_known)
    assert got == want
    assert [tuple(map(type, v)) for v in got.values()] == [tuple(map(type, v)) for v in want.values()]
