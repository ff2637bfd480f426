import pytest

from helpers import seed
from zhclean import clean
from zhclean.filters.punctuation import FixPunctuation, FixPunctuationSettings, fix_punctuation

POSITIVE = [
    ("新春開工第一天,省、市分別召開", "新春開工第一天，省、市分別召開"),
    ("關鍵詞一:搶跑開干!", "關鍵詞一：搶跑開干！"),
    ("古鎮高質量發展之路怎么走?", "古鎮高質量發展之路怎么走？"),
    ("一是重構;二是重構", "一是重構；二是重構"),
    ("生产总值增长6%,规上工业", "生产总值增长6%，规上工业"),
    ("时间:10:30,地点:会议室", "时间：10:30，地点：会议室"),
    ("德昌电机(江门)有限公司", "德昌电机（江门）有限公司"),
    ("(信息收集:中山人才网)", "（信息收集：中山人才网）"),
    ('他说"你好"。', "他说“你好”。"),
]

NEGATIVE = [
    "共有1,200人参加",
    "会议在10:30开始",
    "访问 https://a.b/c?d=1 查看",
    "网址https://example.com/a?b=1&c=2,",
    "开源软件(Open Source)很流行",
    "Hello, world! How are you? Fine: thanks; bye.",
    'print("hello", end=""); x = f(a, b)',
    "比分3:2,",
    "版本v1.2.3发布",
    "你好，世界！今天：晴；明天？（多云）",
    "email: a@b.com; tel: 123",
]


@pytest.mark.parametrize("before,after", POSITIVE)
def test_restores_full_width(before, after):
    assert fix_punctuation(before) == after


@pytest.mark.parametrize("text", NEGATIVE)
def test_leaves_numbers_urls_code_latin(text):
    if text == "网址https://example.com/a?b=1&c=2,":
        assert fix_punctuation(text) == text  # a trailing comma after a URL is not Chinese context
    elif text == "比分3:2,":
        assert fix_punctuation(text) == text
    else:
        assert fix_punctuation(text) == text


def test_to_ascii_is_opt_in():
    ascii_ = FixPunctuation(FixPunctuationSettings(to_ascii=True))
    assert ascii_("你好，世界！（测试）") == "你好,世界!(测试)"
    assert clean("你好，世界！") == "你好，世界！"


def test_clean_corpus_unchanged(simplified_paragraphs, traditional_paragraphs):
    """Real paragraphs: only genuine ASCII punctuation inside Chinese changes."""
    changed = [p for p in simplified_paragraphs + traditional_paragraphs if fix_punctuation(p) != p]
    assert len(changed) / 3104 < 0.2
    for p in changed[:50]:
        new = fix_punctuation(p)
        assert len(new) == len(p)  # width changes only, never text


@pytest.mark.parametrize("prefix", ["000", "001", "002", "003", "004"])
def test_seeds_have_no_half_width_punctuation_between_chinese(prefix):
    import re

    out = clean(seed(prefix).read_text(encoding="utf-8"))
    han = r"[\u4e00-\u9fff]"
    assert not re.findall(han + r"[,;!?:]" + han, out)


@pytest.mark.parametrize("settings", [FixPunctuationSettings(), FixPunctuationSettings(quotes=False),
                                      FixPunctuationSettings(parentheses=False)], ids=str)
def test_fast_patterns_give_the_plain_answer(settings):
    """The rules' substring tests and the mark-first patterns only save time: text and
    explanations equal the plain patterns (lookbehind first) applied to every text."""
    import dataclasses
    import re

    from helpers import assert_same_answers, corpus, fuzz_strings, plain_rule_filter
    from zhclean.filters import punctuation as p

    plain_patterns = {
        "half_width_after_cjk": re.compile(r"(?<=[" + p._W + r"])[,;!?:]+(?![/\\])"),
        "half_width_before_cjk": re.compile(r"[,;!?]+(?=[" + p._HAN + r"])|(?<=[%）)\]】”’」』》0-9])[,;!?]+(?=\s+["
                                            + p._HAN + r"])"),
    }
    fast = FixPunctuation(settings)
    plain = plain_rule_filter(fast)
    plain.rules = tuple(dataclasses.replace(r, pattern=plain_patterns.get(r.name, r.pattern)) for r in plain.rules)
    pieces = list("中文字，。 \t\n,;!?:()\"'abc1/\\%）】") + ["https://a.b/c?d=1", "1,200", "10:30", "（", "”", "𠀀"]
    texts = fuzz_strings(pieces) + ["\n".join(corpus("drcd_contexts.jsonl")[i:i + 8]) + "\n" for i in range(0, 400, 8)]
    assert 0.3 * len(texts) < assert_same_answers(fast, plain, texts) < len(texts)


@pytest.mark.parametrize("settings", [FixPunctuationSettings(), FixPunctuationSettings(quotes=False),
                                      FixPunctuationSettings(parentheses=False),
                                      FixPunctuationSettings(quotes=False, parentheses=False)], ids=str)
def test_one_pass_rules_give_the_plain_answer(settings):
    """half_width_after_cjk and half_width_before_cjk settle in one pass, so a second pass skips them
    when quotes and parentheses changed nothing (and the two ask their shared test once per text).
    Text, explanations and the settled flag equal every rule applied again until stable, on text
    dense in what those rules read: runs of ASCII marks, / and \\ after them, spaces of every kind
    before Han characters (Ext-B and beyond included), the closing brackets and digits the
    second pattern looks behind for, parentheses and quotes whose change makes a neighbour
    Chinese, full-width marks and invisibles."""
    from helpers import fuzz_strings, plain_rule_filter

    pieces = list(",,,;;!!??:::中文𠀀𪚥\U00030000㐀ab12 \t\n\u3000\u00a0/\\/%）)]】”’」』》，；：！？（“‘\u200b") + [
        "(", "(", ")", ")", '"', '"', "(中)", "(ab)", '"中"', '"a"', "https://a.b/c?d=1", "1,200", "10:30", "&#44;",
        ",/", ":\\", ", 中", "!\n中", "（", "）"]
    texts = fuzz_strings(pieces, n=20000, seed=11, max_len=18)
    fast = FixPunctuation(settings)
    plain = plain_rule_filter(fast)
    changed = 0
    for t in texts:
        a, b = fast.apply(t, True), plain.apply(t, True)
        assert (a.text, a.changes, a.settled) == (b.text, b.changes, b.settled), t
        changed += a.text != t
    assert 0.4 * len(texts) < changed < len(texts)


def test_after_and_before_settle_in_one_pass_exhaustively():
    """The claim behind one_pass, checked on every string of up to 6 characters drawn from one
    character of each kind the two patterns tell apart: after half_width_after_cjk then
    half_width_before_cjk, the two together change nothing more.  And their shared test,
    _may_full, says yes wherever either pattern matches.  The kinds: marks both patterns take (, ?)
    and one only the first takes (:); what stops the first's run (/); Han; Latin; a space and a
    newline; a full-width bracket (Chinese, and looked behind for); a Chinese mark; a digit (looked
    behind for, not Chinese)."""
    import itertools

    from zhclean.filters import punctuation as p

    def both(t):
        return p._BEFORE.sub(p._full, p._AFTER.sub(p._full, t))

    alphabet = ",:?/中a \n），1"
    n = 0
    for k in range(7):
        for chars in itertools.product(alphabet, repeat=k):
            t = "".join(chars)
            if p._AFTER.search(t) or p._BEFORE.search(t):
                assert p._may_full(t), t
            once = both(t)
            assert both(once) == once, t
            n += once != t
    assert n > 500_000


def test_a_long_run_of_ascii_marks_takes_linear_time():
    """_MAY_FULL and _BEFORE try their look past a run of marks only where the run begins; tried at
    every mark of a run not followed by Chinese, each read the rest of the run (quadratic: 20,000
    commas took the step 3.7 s).  The bound is some hundred times the linear time."""
    import time

    from zhclean.filters.punctuation import FixPunctuation

    f = FixPunctuation()
    for text in ["," * 30_000, "?" * 30_000 + " a", "中" + ";" * 30_000 + "\u3000" * 10 + "x", "5" + "!" * 30_000]:
        t0 = time.process_time()
        assert f.apply(text).text.endswith(text[-1])
        assert time.process_time() - t0 < 2.0, text[:3]
