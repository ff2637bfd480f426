"""strip_ruby: flattened pinyin annotations, restored exactly; clean text and glosses untouched."""

import random
import re

import pytest

from helpers import seed
from zhclean import clean
from zhclean.filters.ruby import is_annotation, strip_ruby

# real syllables, written with tone marks
REAL = ("zhi chan fa zhen shu jing chuang qu xian zhuan xiang she you nei gou gui da zhan ling jie huan biao ze xu "
        "tong ju fu yang xie feng wu tai nong lian dao diao zhun ying yu xue wen mao chu xun xi wang ji shi guo min "
        "ren zhong hua xin kai yuan").split()
MARKS = {"a": "āáǎà", "e": "ēéěè", "i": "īíǐì", "o": "ōóǒò", "u": "ūúǔù"}


def toned(syl, tone, rng):
    for v in "aoe":
        if v in syl:
            return syl.replace(v, MARKS[v][tone], 1)
    for i in range(len(syl) - 1, -1, -1):
        if syl[i] in MARKS:
            return syl[:i] + MARKS[syl[i]][tone] + syl[i + 1:]
    return syl


def annotate(text, rng, style):
    out = []
    for ch in text:
        out.append(ch)
        if "\u4e00" <= ch <= "\u9fff" and rng.random() < 0.25:
            syl = rng.choice(REAL)
            if style == "numbers":
                out.append(f"({syl}{rng.randint(1, 4)})")
            elif style == "fullwidth":
                out.append(f"（{toned(syl, rng.randint(0, 3), rng)}）")
            else:
                out.append(f"({toned(syl, rng.randint(0, 3), rng)})")
    return "".join(out)


def _clean_paras(paras):
    return [p for p in paras if "(" not in p and "（" not in p]


@pytest.mark.parametrize("style", ["marks", "fullwidth", "numbers"])
def test_annotated_corpus_is_restored_exactly(style, simplified_paragraphs, traditional_paragraphs):
    rng = random.Random(7)
    paras = _clean_paras(simplified_paragraphs)[:150] + _clean_paras(traditional_paragraphs)[:150]
    restored = sum(strip_ruby(annotate(p, rng, style)) == p for p in paras)
    assert restored == len(paras)


def test_annotated_corpus_with_parentheses_in_text(simplified_paragraphs):
    """Paragraphs that hold their own parentheses (English, numbers, Chinese notes) keep them."""
    rng = random.Random(3)
    paras = [p for p in simplified_paragraphs if "(" in p or "（" in p][:200]
    assert len(paras) >= 100
    bad = [p for p in paras if strip_ruby(annotate(p, rng, "marks")) != p]
    assert not bad, bad[:2]


def test_clean_paragraphs_unchanged(simplified_paragraphs, traditional_paragraphs):
    paras = simplified_paragraphs + traditional_paragraphs
    assert len(paras) >= 500
    changed = [p for p in paras if strip_ruby(p) != p]
    assert not changed, changed[:2]


@pytest.mark.parametrize("text", [
    "你好（nǐ hǎo）是最常用的问候语。再见（zài jiàn）和谢谢（xiè xie）也很常用。",
    "开源软件(Open Source)在2020年(约1,200个项目)增长(+15%)。附件(a)、附件(b)、附件(c)。",
    "“行”字在这里读作行(háng)，不读行(xíng)，也不读行(hàng)。",
    "這個字的讀音是重(chóng)，另有重(zhòng)、重(tóng)三種讀法。",
    "函数 f(x) 和 g(y) 与 h(z)。",
    "公司(北京)有限公司与(上海)分公司以及(广州)办事处。",
])
def test_negatives_untouched(text):
    assert strip_ruby(text) == text


def test_a_lone_gloss_is_kept():
    assert strip_ruby("这个字念作“乐(yuè)”。") == "这个字念作“乐(yuè)”。"
    assert strip_ruby("他姓单(shàn)。") == "他姓单(shàn)。"


def test_broken_forms_left_by_mojibake():
    assert strip_ruby("高質(zh?)量發(fā)展,調(diào)整,環(huán)境") == "高質量發展,調整,環境"


def test_is_annotation():
    assert is_annotation("zhì") and is_annotation("zhi4") and is_annotation("lǚ") and is_annotation("nǚ")
    assert not is_annotation("zhi") and not is_annotation("ok") and not is_annotation("Open")
    assert not is_annotation("ab1")


@pytest.mark.parametrize("prefix", ["000", "004"])
def test_seeds_have_no_ruby_residue_after_conversion(prefix):
    text = seed(prefix).read_text(encoding="utf-8")
    assert len(re.findall(r"\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]{1,7}\)", text)) > 100
    out = clean(text, to="simplified")
    assert not re.findall(r"[（(][a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü?]{1,7}[）)]", out)
    assert "高质量发展" in out


def test_parenthesis_first_pattern_matches_like_a_leading_lookbehind():
    """_RUBY opens each branch with its parenthesis (fast to scan for); it finds exactly what
    the plain form, a CJK lookbehind first, finds."""
    import re

    from helpers import fuzz_strings
    from zhclean.filters import ruby

    plain = re.compile(r"(?<=[" + ruby._CJK + r"])(?:\(([" + ruby._LETTERS + r"]{1,7}[1-5]?)\)|（(["
                       + ruby._LETTERS + r"]{1,7}[1-5]?)）)", re.I)
    pieces = list("高質發展中文（）()，。\n a?12345") + ["(zhì)", "(fā)", "（diào）", "(zh?)", "(zi4)", "(nǐ hǎo)", "ā", "𠀀",
                                                    "(ABC)"]
    found = 0
    for t in fuzz_strings(pieces):
        got = [(m.span(), m.groups()) for m in ruby._RUBY.finditer(t)]
        assert got == [(m.span(), m.groups()) for m in plain.finditer(t)], t
        found += len(got)
    assert found > 1000
