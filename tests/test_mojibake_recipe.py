"""Issue 12's floors, measured on the recipe in tests/mojibake_recipe.py (test half; dev was tuned on).

Floors are the figures reached, rounded down; a target not reached yet is a strict xfail with the
measured figure, so reaching it makes the suite say so.
"""

from collections import Counter
from functools import lru_cache

import pytest

from mojibake_recipe import cases, near, negatives
from zhclean.filters.mojibake import fix_mojibake


@lru_cache(maxsize=1)
def _rates():
    n, exact, close = Counter(), Counter(), Counter()
    for kind, half, damaged, original in cases():
        if half != "test":
            continue
        got = fix_mojibake(damaged)
        n[kind] += 1
        exact[kind] += got == original
        close[kind] += near(got, original)
    return n, exact, close


def _exact(kind):
    n, exact, _ = _rates()
    assert n[kind] >= 15, (kind, n[kind])
    return exact[kind] / n[kind]


# figures reached on the test half (dev in brackets): Big5 99.3% (98.4%), GBK/Latin-1 98.0% (96.7%),
# GBK/cp1252 97.2% (97.5%); issue 12's target is 97% for each
@pytest.mark.parametrize("kind,floor", [("big5_as_latin1", 0.99), ("gbk_as_latin1", 0.975), ("gbk_as_cp1252", 0.97)])
def test_latin1_misreadings_floor(kind, floor):
    assert _exact(kind) >= floor


def test_gbk_as_latin1_target():
    assert min(_exact("gbk_as_latin1"), _exact("gbk_as_cp1252")) >= 0.97


# UTF-8 read as Big5: 91.7% of 145 on the test half (94.3% of 193 on dev); was 67.6% (63.7%)
def test_utf8_as_big5_target():
    assert _exact("utf8_as_big5") >= 0.90


# shifted GBK without marks, found by the character model: 76.0% within 2 characters, 19.3% exact on
# the test half (dev 81.8% / 24.4%); was 70.9% / 11.6% (78.7% / 20.2%) before the runs were searched
# whole.  The model was built from these corpora: the held-out figure is the article lines' below.
# Issue 12's target is 70% within 2
def test_shifted_gbk_target():
    n, exact, close = _rates()
    assert n["shifted_gbk"] >= 200
    assert close["shifted_gbk"] / n["shifted_gbk"] >= 0.75
    assert exact["shifted_gbk"] / n["shifted_gbk"] >= 0.19


def test_all_corpus_paragraphs_are_negatives():
    paras = negatives()
    assert len(paras) == 3104
    changed = [p[:40] for p in paras if fix_mojibake(p) != p]
    assert not changed, (len(changed), changed[:3])


@pytest.mark.parametrize("damaged,original", [
    ("凤凰科技（Phoenix Technologies£©µÄCurtis Stevens", "凤凰科技（Phoenix Technologies）的Curtis Stevens"),
    ("¡¶ÎÞÏÞÎ£»ú #3¡·£¨2006Äê¶þÔÂ£©", "《无限危机 #3》（2006年二月）"),
    ("ÖÐ¹úµçÊÓÌåÓýÁª²¥Æ½Ì¨£¨China Sports Programs Network£¬CSPN£©", "中国电视体育联播平台（China Sports Programs Network，CSPN）"),
    ("ÅÜ³ö12Ãë87µÄºÃ³É¼¨", "跑出12秒87的好成绩"),
])
def test_runs_beside_latin_text_and_lone_pairs(damaged, original):
    assert fix_mojibake(damaged) == original


@pytest.mark.parametrize("text", [
    "丹麦小镇 Ærøskøbing 与单位 Ångström，还有 Straße。", "巴黎的 Café Façade 很有名，naïve 是法语借词。",
    "越南语 Tiếng Việt 与 Nguyễn Thị Minh Khai 街。", "价格£12，约合人民币¥100，温度25°C。",
    "西班牙语 año、niño 和 señor，都带 ñ。", "冰岛语 Þingvellir 和 Reykjavík、Eyjafjallajökull。",
])
def test_accented_latin_in_chinese_text_is_not_a_run(text):
    assert fix_mojibake(text) == text


@pytest.mark.parametrize("text", ["旯狟?", "旯狟？", "鍑犲熀:～", "飚楈？", "脬??椭", "零瓭耍?焐偐",
                                  "仹仠一一𡈼一？?椕久万丂"])  # (last: a shift realignment ate the ?)
def test_issue14_examples_are_stable_and_keep_script(text):
    from zhclean import clean

    once = clean(text)
    assert clean(once) == once
    assert not any("\uac00" <= c <= "\ud7af" for c in once)
    assert once.count("?") + once.count("？") == text.count("?") + text.count("？")


_STATION = ("该站位于港湾路口西侧的地底,为地下两层岛式月台车站,于二零零九年启用,是这条线路上最繁忙的车站之一,"
            "每日进出站人次超过十万,也是市内换乘最方便的车站.")


@pytest.mark.parametrize("lost,exact", [(8, False), (29, True), (54, True), (71, True)])
def test_shift_without_marks_is_realigned_and_the_guess_named(lost, exact):
    """A text of none of the corpora, one GBK lead byte lost (byte offset ``lost``): the run of
    common-looking wrong characters is realigned, and the guessed character named in the reason."""
    from zhclean.filters.mojibake import FixMojibake

    b = _STATION.encode("gbk")
    assert b[lost] >= 0x80
    damaged = (b[:lost] + b[lost + 1:]).decode("gbk", errors="ignore")
    r = FixMojibake().apply(damaged, explain=True)
    assert near(r.text, _STATION) and (r.text == _STATION) == exact
    shifted = [c for c in r.changes if c.rule == "shifted_gbk"]
    assert len(shifted) == 1 and "guessed from its trail byte" in shifted[0].reason
    assert shifted[0].after[0] in shifted[0].reason.split("realigned; ")[1]
    assert fix_mojibake(_STATION) == _STATION


# held out: article lines of the real pages (fixtures/realpages*), news text of 2004-2022 that the
# character model was not built from and the repairs were not tuned on
def _article_lines(with_half=False):
    """The article lines; with ``with_half``, (line, "dev" or "test") by site: fixtures/realpages by
    its own split (tests/realpages.py, fixed before any tuning), fixtures/realpages2 by the parity of a
    CRC32 of the site's name.  The shift repairs were tuned on the dev half only."""
    import zlib

    import realpages as rp

    out = []
    for root in (rp.REALPAGES, rp.REALPAGES2):
        for name, (site, labels) in rp.pages(root).items():
            if root == rp.REALPAGES:
                half = "dev" if site in rp.DEV else "test"
            else:
                half = "test" if zlib.crc32(site.encode("utf-8")) % 2 else "dev"
            for line, label in zip(rp.text(name, root).split("\n"), labels):
                if label == "keep" and len(line) >= 100 and sum("\u4e00" <= c <= "\u9fff" for c in line) > 0.6 * len(line):
                    out.append((line, half) if with_half else line)
    return out


def test_real_article_lines_are_left_alone():
    """Real text with Chinese typography that cp1252 also holds (——, ……”“) is not byte pairs; the one
    line changed holds real damage (private-use characters and a shifted run, on a sohu page)."""
    lines = _article_lines()
    assert len(lines) >= 400
    changed = [ln for ln in lines if fix_mojibake(ln) != ln]
    assert len(changed) <= 1 and all(any("\ue000" <= c <= "\uf8ff" for c in ln) for ln in changed), changed
    assert fix_mojibake("传统乐器……”“原来古筝是中国的。文化的魅力——悠远又生动。") == "传统乐器……”“原来古筝是中国的。文化的魅力——悠远又生动。"


def test_shifted_gbk_held_out_on_real_article_text():
    """The recipe's byte shift applied to real article lines, text the character model was not built
    from, split by site (_article_lines): within 2 characters 77.4% on the test half (155 cases),
    72.4% on dev (243, tuned on), 74.4% whole; exact 21.3% / 15.2% / 17.6%.  Before the runs were
    searched whole (_clause_shift): 72.3% / 62.6% / 66.3% within 2, 11.0% / 9.1% / 9.8% exact (the
    test half's sites happened to start above the target); before the model-based detection: 42.0%
    / 0.8% whole.  Issue 12's target is 70% within 2, on the test half."""
    import random

    from mojibake_recipe import _shift

    rng = random.Random(12)
    cases = []
    for p, half in _article_lines(with_half=True):
        n = rng.randint(100, min(220, len(p)))
        s = rng.randrange(0, len(p) - n + 1)
        r = _shift(p[s:s + n], rng)
        if r and r[0] != r[1]:
            cases.append((half,) + r)
    assert len(cases) >= 350
    n, close, exact = Counter(), Counter(), Counter()
    for half, d, o in cases:
        got = fix_mojibake(d)
        for k in (half, "whole"):
            n[k] += 1
            close[k] += near(got, o)
            exact[k] += got == o
    rate = {k: (close[k] / n[k], exact[k] / n[k]) for k in n}
    assert n["test"] >= 150 and n["dev"] >= 200, n
    assert rate["test"][0] >= 0.77 and rate["test"][1] >= 0.21, rate  # (issue 12's target: 0.70)
    assert rate["dev"][0] >= 0.72 and rate["dev"][1] >= 0.15, rate
    assert rate["whole"][0] >= 0.74 and rate["whole"][1] >= 0.17, rate


def test_gbk_read_as_latin1_held_out_on_real_article_text():
    """GBK text read as Latin-1 / cp1252, made from real article lines (text the character model was
    not built from): 99.3% / 99.2% repaired exactly, 400 cases each."""
    import random

    from mojibake_recipe import _reencode

    rng = random.Random(5)
    n, exact = Counter(), Counter()
    for p in _article_lines():
        k = rng.randint(100, min(220, len(p)))
        s = rng.randrange(0, len(p) - k + 1)
        w = p[s:s + k]
        for src in ("latin-1", "cp1252"):
            d = _reencode(w, "gbk", src)
            if d and d != w:
                n[src] += 1
                exact[src] += fix_mojibake(d) == w
    assert min(n.values()) >= 350
    assert all(exact[src] / n[src] >= 0.98 for src in n), (n, exact)
