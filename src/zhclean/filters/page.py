"""Page structure for strip_boilerplate: which lines of a crawled page dump are the article.

A crawler that flattens a page writes one line per block element: menus, the headline, the
article, share buttons, comments, recommendation feeds, the footer.  A list of keywords cannot
enumerate the web's chrome, but the article has a shape that chrome lacks:

- **Evidence per line** (:func:`evidence`): length, the shares of CJK, digits and Latin letters,
  clause and terminal punctuation, the density of function characters (的、了、是、在、和 …:
  the Chinese analogue of jusText's stopword density, counted per character since Chinese has no
  spaces), the look of a link list (short items between ``|``, ``>>``, ``/`` or runs of spaces),
  dates and relative times.
- **Context** (:func:`article_span`): the article is a run of long, punctuated, function-rich
  lines; chrome comes in runs.  The span of lines that maximises "prose characters minus a
  penalty per chrome-looking line" (the maximum-sum segment) is the article; a comment thread
  (relative times such as ``59分钟前``, reply/like counters, "网友评论") ends it, whatever the
  comments say.
- Headings, captions (``图为…``) and subtitles inside or just before the span stay, and so does
  the first line when it repeats the headline (the page title).

Clean text stays clean: a document without chrome-looking lines (a run of paragraphs) is never
judged by span, so no paragraph goes for lack of contrast.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

# characters that make up the grammar of running Chinese text and rarely of menus or titles
FUNCTION_CHARS = frozenset("的了是在和也就都而及与或被把这那有为着过对从到向以于但却并且所其之将等还又个们我你他她它"
                           "要会能可没不很更最已再才只因如若则即让使由该此些么吗呢吧啊們這為對從與於將個會沒來説說過還")
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_CLAUSE = re.compile(r"[，、；：,;:]")
_TERMINAL_END = re.compile(r"[。！？!?…][”’」』）)\]】]*\s*$|[”」』]\s*$")
_LINK_SEP = re.compile(r"\s[|｜/>»›]\s|>>|\s{2,}|\u3000{1,}|\s·\s|】\s*【|\]\s*\[")  # 】【, ][: a row of buttons
_DATE = re.compile(r"\d{4}[-/年.]\d{1,2}[-/月.]\d{1,2}|\d{1,2}[-/]\d{1,2}\s+\d{1,2}:\d{2}|\d{1,2}:\d{2}(:\d{2})?")
# whether _DATE finds a match, by a regex that finds one where it does, three times quicker on the
# candidate lines of realpages 1-5 (4.4 -> 1.5 ms): its second branch ends in its third, whose
# match holds d:dd; its first branch holds dddd, a separator, one or two digits, a separator, a digit;
# and the shared leading digit is read once
_DATE_ANY = re.compile(r"\d(?::\d\d|\d\d\d[-/年.]\d{1,2}[-/月.]\d)")
# (刚刚 and 前天 stand alone as a time: followed by a CJK character they are a sentence's adverb,
# 剛剛掉落的樹葉, 前天我们去了; Ext-B and later characters and compatibility ideographs are CJK too,
# 剛剛𨋢門開咗)
_RELATIVE_TIME = re.compile(r"(\d+\s*(秒|分钟|分鐘|小时|小時|天|周|个月)前|"
                            r"(刚刚|剛剛|前天)(?![\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f])|"
                            r"昨天\s*\d{1,2}:\d{2})")
_COMMENT_HEAD = re.compile(r"^(网友|網友|热门|熱門|最新|全部|精彩)?(评论|評論|留言|跟帖|回复|回覆)(区|區|列表)?[（(]?\d*[)）]?$|"
                           r"^\d+\s*(条|條)?(评论|評論|回复|跟帖)$|还没有评论|還沒有評論|抢沙发|搶沙發|发表评论|發表評論|"
                           r"写评论|寫評論|我来说两句|我來說兩句|评论\s*\d+|已有\s*\d+\s*条评论|^(发表意见|發表意見|留言规则|留言規則)$")
_COUNTER = re.compile(r"^\s*(\d+\s*)?(\|\s*)?(回复|回覆|赞|讚|点赞|點讚|举报|舉報|分享|顶|踩|收起|展开|展開)(\s*\d+)?\s*"
                      r"(\|?\s*(回复|回覆|赞|讚|举报|舉報|分享)\s*\d*\s*)*$")
_REPLY_HEAD = re.compile(r"#?\s*[Rr][Ee]\s*[:：]")
_REPLY_FIRST = frozenset("#Rr")
_CAPTION = re.compile(r"^(图为|圖為|图：|圖：|图片：|圖片：|（图|\(图|▲|△|图\d|圖\d)")


class Evidence(NamedTuple):
    """What one line looks like."""

    chars: int  # characters without spaces
    cjk: int
    clauses: int  # clause punctuation marks
    terminal: bool  # ends like a sentence
    function_density: float  # function characters per CJK character
    digit_share: float
    latin_share: float
    link_list: bool  # short items between separators
    date: bool
    relative_time: bool
    comment_head: bool
    counter: bool
    caption: bool
    heading: bool  # introduces what follows: ends in a colon, or names a title in 《》

    prose: bool  # reads like running text: long enough, punctuated, with grammar
    chrome_like: bool  # looks like a menu item, a counter, a date line or a link list


_DIGIT = re.compile(r"\d")
_LATIN = re.compile(r"[A-Za-z]")
_WS = re.compile(r"\s")

# what evidences() counts per line, by a class code per code point: one of the PRIMARY classes (no
# character is in two), and bits of the SECONDARY sets (function characters, and characters without
# which a shape's regular expression cannot match: its gate), all counted in one pass
PRIMARY = {
    "cjk": _CJK.match, "digit": _DIGIT.match, "latin": _LATIN.match, "space": _WS.match, "clause": _CLAUSE.match,
    "gt": lambda ch: ch == ">",  # two of them make the ">>" separator of _LINK_SEP
    "book": lambda ch: ch == "《",  # a heading names a title
}
SECONDARY = {
    "func": FUNCTION_CHARS,
    "comment": "评評留跟回沙说說见見",  # every branch of _COMMENT_HEAD holds one of these
    "counter": "回赞讚点點举舉分顶踩收展",  # _COUNTER: a reply, like, report, share ... word
    "relative": "前刚剛昨",  # _RELATIVE_TIME: ...前, 刚刚, 剛剛, 昨天, 前天
    "bracket": "【[",  # a row of 【buttons】 or [buttons]
    "datesep": "-/年.:",  # _DATE: every branch holds one
    # every match of _LINK_SEP holds one of these or two spaces in a row (counted apart): a line
    # _LINK_SEP splits into three items holds two
    "linksep": "|｜/>»›·【[\u3000",
    # a line _COUNTER matches holds nothing but these, digits and spaces
    "counter_body": "回复覆赞讚点點举舉报報分享顶踩收起展开開|",
}
# _TERMINAL_END holds for a stripped line that ends in one of _TERMINAL_SURE, and may for one of _TERMINAL_MAYBE
_TERMINAL_SURE = frozenset("。！？!?…”」』")
_TERMINAL_MAYBE = frozenset("’）)]】")
_TERMINALS, _CLOSERS = frozenset("。！？!?…"), "”’」』）)]】"  # _TERMINAL_END's first branch: a terminal mark, closing marks


def ends_like_sentence(stripped: str) -> bool:
    """``_TERMINAL_END.search(stripped)`` for a stripped line, read from its end: the regex's search
    tries every position of the line, the line's last characters decide."""
    last = stripped[-1:]
    return last in _TERMINAL_SURE or (last in _TERMINAL_MAYBE and stripped.rstrip(_CLOSERS)[-1:] in _TERMINALS)


_CAPTION_FIRST = frozenset("图圖（(▲△")  # _CAPTION starts with one of these
_COLON = frozenset("：:")
# the sets a stripped line's first or last character is looked up in, as bits of a code point table
_EDGE_SETS = (_TERMINAL_SURE, _TERMINAL_MAYBE, _REPLY_FIRST, _CAPTION_FIRST, _COLON)
_SURE, _MAYBE, _REPLY, _CAPTION_BIT, _COLON_BIT = (1 << k for k in range(len(_EDGE_SETS)))


@lru_cache(maxsize=1)
def _edge_table():
    from .._cptable import LazyTable

    return LazyTable(lambda cp: sum(1 << k for k, chars in enumerate(_EDGE_SETS) if chr(cp) in chars))


def _char_class(cp: int) -> int:
    """The class code of one code point: its primary class (1-based, 0 for none) and its secondary bits."""
    ch = chr(cp)
    if cp == 10:
        return 0  # the separator between lines belongs to none
    primary = [k for k, test in enumerate(PRIMARY.values(), 1) if test(ch)]
    assert len(primary) <= 1, (ch, primary)
    code = primary[0] if primary else 0
    for bit, chars in enumerate(SECONDARY.values()):
        if ch in chars:
            code |= 8 << bit
    return code


@lru_cache(maxsize=1)
def _class_table():
    from .._cptable import LazyTable

    return LazyTable(_char_class)


def _counts(lines: list[str]) -> dict:
    """Per class (the names of PRIMARY and SECONDARY), its count in each line (a numpy array): all lines
    at once, by one count of (line, class code) pairs over a table of code points."""
    import numpy as np

    from .._cptable import code_points

    cps = code_points("\n".join(lines))
    codes = _class_table()[cps]
    n = len(lines)
    # (x.nonzero()[0], not np.flatnonzero(x), on these 1-D arrays: the same indices without the three
    # Python-level calls of its wrappers, 2 us each time on the short documents that most are)
    nl = (cps == 10).nonzero()[0]
    starts = np.concatenate(([0], nl + 1))[:n]  # (no lines: "\n".join made one empty line of them)
    ends = np.concatenate((nl, [len(cps)]))[:n]
    length = ends - starts
    # each character's line, a newline counting with the line it ends (its class is none: it is counted
    # nowhere); repeated line numbers, five times quicker than a running count of the newlines (13
    # against 70 us on a 179k-character page)
    line_of = np.repeat(np.arange(n, dtype=np.int32 if n < 1 << 26 else np.int64), length + 1)[:len(cps)]
    kind = codes & 7
    primary = np.bincount(line_of * 8 + kind, minlength=n * 8).reshape(n, 8)
    # (line, set): the characters holding the set's bit, counted by a running sum of the bits over
    # the characters in any set, read at each line's end (a float product of a (line, code) table with
    # (code, set) was as quick on one core, but OpenBLAS's threads spun on the other after each)
    has = (codes >= 8).nonzero()[0]
    sets = (codes[has] >> 3).astype(np.uint8 if len(SECONDARY) <= 8 else "<u2")  # (bits in order, byte by byte)
    bits = np.unpackbits(sets.view(np.uint8).reshape(len(has), sets.itemsize), axis=1, bitorder="little")
    running = np.zeros((len(has) + 1, bits.shape[1]), dtype=np.int32)
    np.cumsum(bits, axis=0, out=running[1:])
    per_set = np.diff(running[np.searchsorted(line_of[has], np.arange(n + 1))], axis=0)
    out = {name: primary[:, k] for k, name in enumerate(PRIMARY, 1)}
    # a space between two CJK characters: where a blog that writes without commas breaks its clauses
    is_cjk = kind == _CJK_CLASS
    gap = ((kind[1:-1] == _SPACE_CLASS) & is_cjk[:-2] & is_cjk[2:]).nonzero()[0] + 1
    out["cjk_gap"] = np.bincount(line_of[gap], minlength=n)
    # two spaces in a row (\s{2,} of _LINK_SEP)
    space = kind == _SPACE_CLASS
    out["space_pairs"] = np.bincount(line_of[(space[:-1] & space[1:]).nonzero()[0]], minlength=n)
    for bit, name in enumerate(SECONDARY):
        out[name] = per_set[:, bit]
    # each line's first and last characters that are not spaces (what str.strip() leaves: re's \s and
    # str.isspace agree), as code points (0 when the line is all spaces), and the stripped line's
    # length; read at the line's ends, and from the stripped line where an end is a space
    out["length"], out["size"] = length, length.copy()
    # (an empty line's ends are read at a neighbour's, or at 0 when there are no characters, then
    # set to 0: no copy of the document's arrays)
    at_first = np.minimum(starts, max(len(cps) - 1, 0))
    at_last = np.maximum(ends - 1, 0)
    if len(cps):
        first, last = cps[at_first].astype(np.int64), cps[at_last].astype(np.int64)
        spaced = (kind[at_first] == _SPACE_CLASS) | (kind[at_last] == _SPACE_CLASS)
    else:
        first, last, spaced = np.zeros(n, dtype=np.int64), np.zeros(n, dtype=np.int64), np.zeros(n, dtype=bool)
    empty = length == 0
    first[empty], last[empty] = 0, 0
    out["first"], out["last"] = first, last
    for k in (~empty & spaced).nonzero()[0].tolist():
        x = lines[k].strip()
        out["size"][k] = len(x)
        first[k], last[k] = (ord(x[0]), ord(x[-1])) if x else (0, 0)
    return out


_CJK_CLASS, _SPACE_CLASS = list(PRIMARY).index("cjk") + 1, list(PRIMARY).index("space") + 1


def evidence(line: str) -> Evidence:
    """What one line looks like (a newline inside it counts as a space)."""
    return evidences([line.replace("\n", " ")])[0]


def evidences(lines: list[str]) -> list[Evidence]:
    """What each line looks like (see :func:`evidence_columns`)."""
    return list(map(Evidence._make, zip(*evidence_columns(lines))))


class Columns(NamedTuple):
    """The evidence of a document's lines by field, each a list with one value per line (the fields
    of :class:`Evidence`): ``cols.cjk[k]`` is ``evidences(lines)[k].cjk``."""

    chars: list
    cjk: list
    clauses: list
    terminal: list
    function_density: list
    digit_share: list
    latin_share: list
    link_list: list
    date: list
    relative_time: list
    comment_head: list
    counter: list
    caption: list
    heading: list
    prose: list
    chrome_like: list


def evidence_columns(lines: list[str], arrays: bool = False):
    """What each line looks like, as :class:`Columns` (numpy arrays when ``arrays``).  The counts
    come from one pass of a code point table over the document and the judgements built on them
    (``prose``, ``chrome_like``) are taken for all lines at once; a shape's regular expression runs
    only on the lines that hold what it needs (a digit and a date separator for a date, a reply or
    like word for a counter, ...), so most lines cost no regex."""
    import numpy as np

    n = len(lines)
    c = _counts(lines)
    spaces, cjk, funcs, digits, latins, clauses = c["space"], c["cjk"], c["func"], c["digit"], c["latin"], c["clause"]
    comment_chars, counter_chars, relative_chars, gts, books = c["comment"], c["counter"], c["relative"], c["gt"], c["book"]
    size = c["size"]  # the stripped lines' lengths
    chars = c["length"] - spaces
    per = np.maximum(chars, 1)
    density = np.divide(funcs, cjk, out=np.zeros(n), where=cjk > 0)
    digit_share, latin_share = digits / per, latins / per

    def where(candidates, test) -> np.ndarray:
        out = np.zeros(n, dtype=bool)
        ks = candidates.nonzero()[0].tolist()
        if ks:
            out[ks] = [test(lines[k].strip()) for k in ks]
        return out

    # the stripped lines' first and last characters, by the sets they are looked up in
    edges = _edge_table()
    last = edges[c["last"]]
    firsts = edges[c["first"]]
    end = (last & _SURE) > 0
    # (a stripped line that ends in one of _TERMINAL_MAYBE: _TERMINAL_END holds when a terminal mark
    # comes before its run of closing marks)
    end |= where(last & _MAYBE, ends_like_sentence)
    short = size <= 400  # link lists, dates, counters and comment furniture are short lines
    link_list = where(short & ~end & ((spaces > 0) | (gts >= 2) | (c["bracket"] >= 2)) &
                      (c["linksep"] + c["space_pairs"] >= 2), _is_link_list)
    # every branch of _DATE holds three digits and one of its separators
    date = where(short & (digits >= 3) & (c["datesep"] > 0), lambda x: _DATE_ANY.search(x) is not None)
    relative = where((size <= 40) & (relative_chars > 0), lambda x: _RELATIVE_TIME.search(x) is not None)
    comment = where((size <= 30) & (comment_chars > 0), lambda x: _COMMENT_HEAD.search(x) is not None)
    # a reply's head line (# re: the post's title, its date, its author): the thread's furniture too
    comment |= where((size <= 80) & ((firsts & _REPLY) > 0), lambda x: _REPLY_HEAD.match(x) is not None)
    counter = where(short & (counter_chars > 0) & (digits + c["counter_body"] == chars),
                    lambda x: _COUNTER.match(x) is not None)
    caption = where(firsts & _CAPTION_BIT, lambda x: _CAPTION.match(x) is not None)
    colon_last = (last & _COLON_BIT) > 0
    heading = (cjk >= 2) & (colon_last | (books > 0)) & ~link_list
    # a long line whose clauses are broken by spaces, not commas, or not at all (blogs write so:
    # 一波波接續性低溫寒流報到 已將…): 20 CJK characters with a space between two of them, or 30 with
    # grammar; at most one such space in eight CJK characters, so that a run of keywords is not prose
    gaps = c["cjk_gap"]
    unpunctuated = (gaps * 8 <= cjk) & (((gaps > 0) & (cjk >= 20)) | ((cjk >= 30) & (density >= 0.08)))
    prose = (cjk >= 12) & ~link_list & ((clauses > 0) | end | unpunctuated) & (
        (density >= 0.06) | ((cjk >= 40) & (clauses >= 2)))
    chrome_like = link_list | counter | comment | relative | (~heading & ~end & (
        (chars <= 8) | (digit_share > 0.3) | ((cjk < 12) & (density < 0.06) & ~caption)))
    columns = (chars, cjk, clauses, end, density, digit_share, latin_share, link_list, date, relative, comment,
               counter, caption, heading, prose, chrome_like)
    return Columns(*columns) if arrays else Columns(*(x.tolist() for x in columns))


def _is_link_list(s: str) -> bool:
    """Three or more short items between separators."""
    items = [x for x in _LINK_SEP.split(s) if x.strip()]
    return len(items) >= 3 and max(len(x.strip()) for x in items) <= 16


@dataclass(frozen=True)
class PageSettings:
    """``chrome_penalty``: what a chrome-looking line inside the article costs, in prose characters.
    ``min_chrome_lines`` / ``min_chrome_share``: how much chrome a document needs before it is read
    as a page dump at all.  ``headline_lookback``: how many lines before the article a headline may stand."""

    chrome_penalty: int = 60
    min_chrome_lines: int = 5
    min_chrome_share: float = 0.05
    headline_lookback: int = 16
    decoration_penalty: int = 5


def looks_like_page(ev: Columns, s: PageSettings) -> bool:
    """Enough chrome-looking lines to read the document as a page dump (``ev``: :class:`Columns`, or a
    list of :class:`Evidence`)."""
    flags = ev.chrome_like if isinstance(ev, Columns) else [e.chrome_like for e in ev]
    # (an array's own count, not sum() over its elements one by one)
    chrome = int(flags.sum()) if hasattr(flags, "sum") else int(sum(flags))
    return chrome >= s.min_chrome_lines and chrome >= s.min_chrome_share * len(flags)


def article_span(ev: Columns, s: PageSettings, rule_hits: list[str | None] | None = None) -> tuple[int, int] | None:
    """(first, last) index of the article: the segment with the largest prose-minus-chrome score.
    ``ev``: the document's :class:`Columns` as numpy arrays (``evidence_columns(lines, arrays=True)``),
    or the list :func:`evidences` gives.

    A comment thread's signs (relative times, reply counters, a comment heading) after prose end
    the article: they score as a wall the segment does not cross."""
    import numpy as np

    if not isinstance(ev, Columns):  # a list of Evidence, as evidences() gives
        ev = Columns(*(np.asarray(col) for col in zip(*ev))) if ev else evidence_columns([], arrays=True)
    cjk = ev.cjk
    gain = np.where(ev.prose | (ev.terminal & (cjk >= 6) & ~ev.chrome_like), cjk,
                    np.where(ev.comment_head | ev.relative_time | ev.counter, -100_000,  # never part of the article
                             np.where(ev.chrome_like, -s.chrome_penalty,
                                      -np.maximum(5, cjk // 2))))  # a heading or caption: neutral-ish
    gain = gain.tolist()
    if rule_hits is not None:
        for i, hit in enumerate(rule_hits):
            if hit:
                # a separator (……, ***) often stands inside an article; other chrome does not
                gain[i] = -s.decoration_penalty if hit == "decoration" else -s.chrome_penalty
    best, best_span = 0, None
    cur, start = 0, 0
    for i, g in enumerate(gain):
        if cur <= 0:
            cur, start = g, i
        else:
            cur += g
        if cur > best:
            best, best_span = cur, (start, i)
    return best_span
