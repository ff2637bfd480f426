"""strip_boilerplate reads a document's lines all at once (code point tables, regexes run only where
they can match, rules asked only of lines whose first characters fit).  Each shortcut must answer
exactly as the plain one-line reading does: these tests hold the plain reading as the oracle."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from zhclean.filters import page
from zhclean.filters.boilerplate import StripBoilerplate, _first_chars, line_view, line_views

# pieces that exercise every class and every shape: CJK and function characters, full-width forms,
# combining marks and Hangul jamo (NFKC joins them to their neighbour), compatibility characters that
# expand, spaces of every kind, lone surrogates, rare CJK, and the words the shapes look for
ATOMS = ["首页", "新闻", " | ", ">>", " / ", "2020-06-06 10:08", "来源：澎湃新闻", "56分钟前", "25 | 回复", "，", "。",
         "的", "了", "是", "\u0301", "e", "\u1100", "\u1161", "\u11a8", "가", "\u2028", "\x85", "\r", "\t", "  ", "\u3000",
         "１２", "٣", "ＡＢ", "abc", "©", "版权所有", "责任编辑：王", "图为", "▲", "《书》", "：", "\ud800", "𠀀", "㐀", "\u200b",
         "\ufeff", "評論", "回覆 3", "写评论", "刚刚", "昨天 12:30", "【打印本页】", "ﬁ", "①", "㎏", "\x1c", "\x0b", "”", "」",
         "！", "?", "…", "）", "】", "【评论】", "【打印】 【关闭】", "赞", "举报", "·", "当前位置", "责编", "（完）", "END", "第2页", "12", "Ｔ", "ｔｏｐ", "一波波接續性低溫寒流報到 已將新竹尖石鄉後山一帶層層山巒披上嫣紅的彩衣", " 的是在 ", "中 文", "道別了美樹營地準備前往而行石磊國小一個很生疏的小學座落在這深山部落裡", "發表意見", "留言规则",
         "意见", "……", "…", "ｶﾞ", "ﾞ", "㍿", "⑴", "# re: 很高兴入住博客堂 2004-12-28 9:56 记忆衰退", "Re:", "re：", "#"]

lines_st = st.lists(st.lists(st.sampled_from(ATOMS), max_size=12).map("".join), min_size=1, max_size=30)


# the one-line definitions of the judgements evidences() makes for all lines at once
def _prose(cjk: int, clauses: int, terminal: bool, density: float, link_list: bool, gaps: int = 0) -> bool:
    if cjk < 12 or link_list:
        return False
    if clauses == 0 and not terminal and not (gaps * 8 <= cjk and ((gaps and cjk >= 20) or (cjk >= 30 and density >= 0.08))):
        return False
    return density >= 0.06 or (cjk >= 40 and clauses >= 2)


def _chrome_like(chars: int, cjk: int, terminal: bool, density: float, digit_share: float, link_list: bool,
                 relative_time: bool, comment_head: bool, counter: bool, caption: bool, heading: bool) -> bool:
    if link_list or counter or comment_head or relative_time:
        return True
    if heading:
        return False
    if chars <= 8 and not terminal:
        return True
    if digit_share > 0.3 and not terminal:
        return True
    return cjk < 12 and density < 0.06 and not terminal and not caption


# a space between two CJK characters (overlapping: 中 文 字 holds two)
_GAP = re.compile(r"(?<=[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff])\s(?=[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff])")


def oracle_evidence(line: str) -> tuple:
    """The one-line reading: every count and shape by its regular expression."""
    s = line.strip()
    compact = re.sub(r"\s+", "", s)
    n = len(compact) or 1
    cjk = len(page._CJK.findall(compact))
    func = sum(1 for c in compact if c in page.FUNCTION_CHARS)
    digits = len(re.findall(r"\d", compact))
    latin = len(re.findall(r"[A-Za-z]", compact))
    short = len(s) <= 400
    terminal = bool(page._TERMINAL_END.search(s))
    link_list = False
    if short:
        items = [x for x in page._LINK_SEP.split(s) if x.strip()]
        link_list = len(items) >= 3 and max(len(x.strip()) for x in items) <= 16 and not terminal
    density = func / cjk if cjk else 0.0
    relative = len(s) <= 40 and bool(page._RELATIVE_TIME.search(s))
    comment = (len(s) <= 30 and bool(page._COMMENT_HEAD.search(s))) or (len(s) <= 80 and bool(re.match(r"#?\s*re\s*[:：]", s, re.I)))
    counter = short and bool(page._COUNTER.match(s))
    caption = bool(page._CAPTION.match(s))
    heading = cjk >= 2 and (s.endswith(("：", ":")) or "《" in s) and not link_list
    clauses = len(page._CLAUSE.findall(s))
    return (len(compact), cjk, clauses, terminal, density, digits / n, latin / n, link_list,
            short and bool(page._DATE.search(s)), relative, comment, counter, caption, heading,
            _prose(cjk, clauses, terminal, density, link_list, len(_GAP.findall(line))),
            _chrome_like(len(compact), cjk, terminal, density, digits / n, link_list, relative, comment,
                              counter, caption, heading))


@settings(max_examples=300, deadline=None)
@given(lines_st)
def test_document_evidence_equals_one_line_reading(lines):
    assert [tuple(e) for e in page.evidences(lines)] == [oracle_evidence(ln) for ln in lines]


@settings(max_examples=300, deadline=None)
@given(lines_st)
def test_document_views_equal_one_line_views(lines):
    views, raws = line_views(lines)
    assert list(zip(views, raws)) == [line_view(ln) for ln in lines]


def test_views_of_neighbour_dependent_characters():
    # NFKC joins a combining mark or a Hangul vowel to the character before it: such lines are viewed alone
    lines = ["e\u0301", "\u1100\u1161", "ﬁ①", "Ｔｏｐ首页", "\u0301开头", "가\u11a8"]
    assert list(zip(*line_views(lines))) == [line_view(ln) for ln in lines]
    assert line_views(lines)[0][0] == unicodedata.normalize("NFKC", "e\u0301")


def _rule_samples(n=3000, seed=3):
    """Lines made of the rules' own words, joined by digits, colons, bars, spaces and symbols."""
    import random

    rng = random.Random(seed)
    toml = (Path(page.__file__).parent.parent / "data" / "boilerplate.toml").read_text(encoding="utf-8")
    words = re.findall(r"[\u4e00-\u9fff]{1,6}|[a-z]{1,5}", toml)
    glue = ["", "1", "12", "：", "|", " | ", "2024", "图", " ", "©", "/", ">>", "（", "）", "jpg", ".", "摄"]
    return [rng.choice(glue) + rng.choice(words) + rng.choice(glue) + rng.choice(words) + rng.choice(glue)
            for _ in range(n)] + words


def test_gates_of_every_shipped_rule_hold():
    """Where a rule's regex is said to need a first character, or a character somewhere, no view or
    raw line it matches lacks it: checked on lines made of the rules' own words."""
    from zhclean.filters.boilerplate import _gate, _holds

    f = StripBoilerplate()
    samples = _rule_samples()
    texts = [t for text in samples for t in (text.strip(), *line_view(text))]  # what rules read is stripped
    gated = 0
    for r in f.text_rules:
        for rx in (r.pattern, r.raw):
            g = _gate(rx) if rx is not None else None
            if g is None:
                continue
            gated += 1
            kind, chars = g
            for t in texts:
                if t and rx.search(t):
                    if kind == "first":
                        assert _holds(chars, t[0]), (r.name, t)
                    else:
                        assert any(_holds(chars, ch) for ch in t), (r.name, t)
    assert gated >= 30


def test_first_characters_of_regex_shapes():
    assert _first_chars(re.compile(r"^(?:当前|您的)位置")) == frozenset("当您")
    assert _first_chars(re.compile(r"^[(（]?\s*(?:作者|来源)")) == frozenset("(（作来")
    assert _first_chars(re.compile(r"^(?:阅读)?量")) == frozenset("阅量")
    assert _first_chars(re.compile(r"^a|^b")) == frozenset("ab")
    # cannot tell: unanchored, a category, any character, a branch without ^, case folding, optional all
    assert _first_chars(re.compile(r"^\d+")) == frozenset({"\\d"})
    from zhclean.filters.boilerplate import _holds

    top = _first_chars(re.compile(r"(?i)^top"))  # case-blind: asked of re itself (the Kelvin sign is a k)
    assert _holds(top, "t") and _holds(top, "T") and not _holds(top, "o")
    assert _holds(_first_chars(re.compile(r"(?i)^k")), "\u212a")
    for rx in (r"作者", r"^.{0,3}发表", r"^a|b", r"^(?:a)?", r"(?m)^a"):
        assert _first_chars(re.compile(rx)) is None, rx


def test_rule_verdicts_equal_asking_every_rule():
    f = StripBoilerplate()
    import random

    rng = random.Random(5)
    lines = ["".join(rng.choice(ATOMS) for _ in range(rng.randint(1, 8))) for _ in range(3000)] + _rule_samples()
    lines = [ln for ln in lines if ln.strip()] + ["“……”", "「……？」", "……", "***"]
    verdicts = f.rule_verdicts(lines)
    assert verdicts[-4:] == [None, None, f.symbols, f.symbols]
    assert sum(v is not None for v in verdicts) > 500
    for line, got in zip(lines, verdicts):
        v, raw = line_view(line)
        want = None
        if len(line) <= f.max_len and v and len(v) <= f.cap:
            prose = bool(re.search(r"[，,].*[。！？!?][”’」』）)]?\s*$", line))
            want = next(((r.name, r.reason) for r in f.text_rules if r.match(v, raw, prose)), None)
        elif len(line) <= f.max_len and not v:
            quoted = re.match(r"^[“「『][^“「『”」』]*[”」』]$", line.strip())
            tail = re.match(r"^[。！？][”’」』）]?$", line.strip())  # a sentence's end alone on a line
            want = None if quoted or tail else f.symbols
        assert got == want, line


def _nested_repeats(rx: re.Pattern) -> list:
    """Unbounded repeats inside unbounded repeats: the shape that backtracks exponentially."""
    try:
        from re import _constants as c, _parser as parser
    except ImportError:  # pragma: no cover
        import sre_constants as c
        import sre_parse as parser
    found = []

    def walk(seq, inside):
        for op, av in seq:
            if op in (c.MAX_REPEAT, c.MIN_REPEAT):
                unbounded = av[1] is c.MAXREPEAT
                if unbounded and inside:
                    found.append(op)
                walk(av[2], inside or unbounded)
            elif op is c.SUBPATTERN:
                walk(av[3], inside)
            elif op is c.BRANCH:
                for b in av[1]:
                    walk(b, inside)

    walk(parser.parse(rx.pattern, rx.flags), False)
    return found


def test_no_shipped_rule_nests_unbounded_repeats():
    """``(?:…|\\d+){2,}`` took 20 µs a line on real pages and grows exponentially with a run of digits."""
    f = StripBoilerplate()
    # polynomial, not exponential: the inner repeat cannot end where the next outer round starts
    allowed = {"forum.buttons": "使用高级模式.* absorbs the rest of the line",
               "forum.user": "UID\\d+ is followed by a word that does not start with a digit"}
    bad = [r.name for r in f.rules for rx in (r.pattern, r.raw)
           if rx is not None and _nested_repeats(rx) and r.name not in allowed]
    assert bad == []
    assert _nested_repeats(re.compile(r"^(?:首页|\d+){2,}$"))


def test_pagination_pages_reads_as_before():
    old = re.compile(r"^(?:首页|上一页|下一页|尾页|末页|\d+){2,}$")
    rule = next(r for r in StripBoilerplate().rules if r.name == "pagination.pages")
    import random

    rng = random.Random(1)
    atoms = ["首页", "上一页", "下一页", "尾页", "末页", "1", "23", "页", "上", "a", "一", "٣"]
    for _ in range(20000):
        s = "".join(rng.choice(atoms) for _ in range(rng.randint(0, 6)))
        if not re.fullmatch(r"第\d+页|\d+/\d+页?|页码\d+|(?:第\d+页)?共\d+页(?:第\d+页)?", s):
            assert bool(old.match(s)) == bool(rule.pattern.search(s)), s


# ends_like_sentence and _is_prose read a line from its end; their regexes searched the whole line
# (_PROSE's ".*" from every comma: quadratic on a long line of commas that ends in a closing mark)
ENDS = ["，", ",", "。", "！", "？", "!", "?", "…", "”", "’", "」", "』", "）", ")", "]", "】", " ", "\u3000", "\n", "\t",
        "字", "a", "。）", "，。", "\u2028", "\x85"]
ends_st = st.lists(st.sampled_from(ENDS + ATOMS), max_size=16).map("".join)


@settings(max_examples=2000, deadline=None)
@given(ends_st)
def test_ends_like_sentence_equals_the_terminal_regex(line):
    s = line.strip()
    assert page.ends_like_sentence(s) == bool(page._TERMINAL_END.search(s))


@settings(max_examples=2000, deadline=None)
@given(ends_st)
def test_is_prose_equals_its_regex(line):
    from zhclean.filters.boilerplate import _PROSE, _is_prose

    assert _is_prose(line) == (_PROSE.search(line) is not None)


def test_is_prose_is_linear_on_a_line_of_commas():
    import time

    from zhclean.filters.boilerplate import _is_prose

    line = "字，" * 200_000 + "（注）"  # the regex's search took 9 s at 64,000 characters
    t0 = time.process_time()
    assert not _is_prose(line)
    assert time.process_time() - t0 < 0.5


def test_few_fresh_lines_read_one_by_one_answer_as_a_document():
    """A call with a few fresh lines judges a long line of ideographs by counting them, without its
    view: the verdicts and the view lengths used are those of the whole document read at once."""
    import random

    from zhclean.filters import boilerplate as bp

    rng = random.Random(7)
    long_atoms = ATOMS + ["一波波接續性低溫寒流報到", "中文字" * 20, "，的是。" * 10]
    lines = ["".join(rng.choice(long_atoms) for _ in range(rng.randint(1, 30))) for _ in range(1500)]
    lines = [ln for ln in lines if ln.strip()] + _rule_samples(600)
    whole = StripBoilerplate()._judged(lines)
    assert len(lines) > 8 * bp._FEW
    few = StripBoilerplate()
    got_verdicts, got_sizes = [], []
    for k in range(0, len(lines), 3):  # (3 at a time: at most _FEW fresh lines a call)
        v, s = few._judged(lines[k:k + 3])
        got_verdicts += v
        got_sizes += s
    assert got_verdicts == whole[0]
    assert sum(s is None and w is not None for s, w in zip(got_sizes, whole[1])) > 10  # long lines not viewed
    for line, got, want in zip(lines, got_sizes, whole[1]):
        assert got is None or got == want, line
        if got is None and want is not None:
            assert want > few.cap  # judged by counting: its view is too long for any rule
    assert [StripBoilerplate().classify(ln) for ln in lines[:300]] == whole[0][:300]


@settings(max_examples=300, deadline=None)
@given(lines_st)
def test_stripped_ends_and_sizes_from_code_points(lines):
    """evidence_columns reads each stripped line's length and its first and last characters from the
    code points of the document (what str.strip() leaves), not from the stripped lines."""
    c = page._counts(lines)
    assert c["length"].tolist() == [len(ln) for ln in lines]
    assert c["size"].tolist() == [len(ln.strip()) for ln in lines]
    assert c["first"].tolist() == [ord(ln.strip()[0]) if ln.strip() else 0 for ln in lines]
    assert c["last"].tolist() == [ord(ln.strip()[-1]) if ln.strip() else 0 for ln in lines]


def test_evidence_of_no_lines():
    assert page.evidence_columns([]) == page.Columns(*([] for _ in page.Columns._fields))
    assert len(page.evidence_columns([], arrays=True).chars) == 0
    assert page._counts([""])["size"].tolist() == [0]


@settings(max_examples=2000, deadline=None)
@given(st.text(alphabet="0123456789１２٣-/.:年月日 \t　点时a", max_size=30))
def test_date_any_finds_a_match_where_the_date_regex_does(s):
    assert (page._DATE_ANY.search(s) is None) == (page._DATE.search(s) is None)
