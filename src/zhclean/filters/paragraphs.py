"""rejoin_paragraphs: paragraphs split at a page break, joined back by sentence completeness.

A paragraph that ends without ending its sentence continues in the next one, unless it is a
heading: a short, title-like line, followed by a paragraph that starts a new sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import chain

from ..pipeline import Change, StepResult
from ..registry import make_settings, register
from ._rules import Filter, default_instance


_HAN = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_OPEN_END_CHARS = _HAN + r"A-Za-z0-9，、,“‘「『《（(：:"
_OPEN_END = re.compile(r"[" + _OPEN_END_CHARS + r"]$")
# a line break after a line that may be open: one that ends in an _OPEN_END character, or in
# whitespace (str.rstrip's, which is \s's) that may stand after one.  The pattern opens with the
# newline, a literal, so the regex engine skips from one line break to the next
_OPEN_LINE_BREAK = re.compile(r"\n(?<=[" + _OPEN_END_CHARS + r"]\n|[^\S\n]\n)")
_CONT_START = re.compile(r"^[" + _HAN + r"0-9《「『“‘（(]")
_CLAUSE_END = "，、,（(「『《“‘"
_JUMP = re.compile(r"^\s*[(（]?\s*(?:上接|下转|转下|接上|转第|接第)\s*(?:第)?\s*[A-Za-z]?\d{0,3}\s*(?:版|页)?\s*[)）]?\s*$|"
                   r"^\s*[-—–·]*\s*\d{1,3}\s*[-—–·]*\s*$|^\s*第\s*\d+\s*页\s*$")
# a page title ends in the site's name after a separator: _ | ｜, a dash with spaces, or a dash after
# a CJK character (not the hyphen of One-Tonne, a date's 2019-05, or 京—沪 inside a long line)
_TITLE_SEP = re.compile(r"(?:[_|｜]|\s[-–—]\s|[\u3400-\u9fff][-–—])[^_|｜]{1,24}$")
_MID_SENTENCE = re.compile(r"[）)」』》”’、，,]")  # a line holding these goes on a sentence, it is no heading
_TERMINAL = re.compile(r"[。！？!?…；;：:”’」』]")


@dataclass(frozen=True)
class RejoinSettings:
    """``heading_chars``: a line shorter than this, or up to 30 characters without clause
    punctuation (``heading_max``), may be a heading; it joins the next line only when that line opens with a clause of
    at most ``fragment_chars`` characters that splits a common bigram across the break or is not a
    sentence opener (``龙头|企业，``).  Any other line
    that ends without ending its sentence continues in the next one."""

    heading_chars: int = 8
    heading_max: int = 40
    fragment_chars: int = 2


# two-character words that often open a sentence before a comma (当前，…): after a heading they
# start a new paragraph, not the second half of a split one
_OPENERS = frozenset("""当前 目前 同时 此外 另外 然而 因此 所以 但是 不过 其中 首先 其次 最后 总之 对此 为此 随后 之后
如今 近日 日前 今年 去年 明年 今天 昨天 当天 次日 近年 据悉 据了解 另一 一方 一是 二是 三是 四是 五是 第一 第二 第三
然后 接着 而且 并且 虽然 尽管 如果 假如 例如 比如 总体 整体 截至 目前 年初 年底 年末 月初 月底 上午 下午 晚上 早上
早年 晚年 当年 后来 起初 最初 原本 本来 其后 其后 此后 早期 后期 初期 中期 生平 历史 簡介 简介 早年 後來 此後
當前 目前 同時 此外 另外 然而 因此 所以 但是 不過 其中 首先 其次 最後 總之 對此 為此 隨後 之後 如今 近日 日前 據悉
然後 接著 而且 並且 雖然 儘管 如果 例如 比如 總體 整體 截至""".split())


def _spans_word(a: str, b: str) -> bool:
    """Does the line break fall inside a word: is the bigram across it common in real text?"""
    from ..charmodel import bigrams

    from .boilerplate import _tables

    _, t2s = _tables()
    return (a[-1] + b[0]).translate(t2s) in bigrams() or (a[-1] + b[0]) in bigrams()


class RejoinParagraphs(Filter):
    name = "rejoin_paragraphs"

    def __init__(self, settings: RejoinSettings | None = None):
        self.settings = settings or RejoinSettings()

    def _heading(self, line: str) -> bool:
        """Short and title-like: at most ``heading_max`` characters without clause punctuation (up to
        100 for a page title, whose parts stand between title separators), or an attribution (``——作者``)."""
        s = line.strip()
        if s.startswith(("——", "--")):
            return True
        if re.search(r"[，,。！？!?；;]", s):
            return False
        # a page title: the headline and the site's name between title separators, at any length
        return len(s) <= self.settings.heading_max or (len(s) <= 100 and _TITLE_SEP.search(s) is not None)

    def _continues(self, s: str, nxt: str, between_paragraphs: bool = False) -> str | None:
        """Why ``nxt`` continues the sentence ``s`` leaves open, or None when it does not.

        Sentence completeness: a line that ends after a comma, an enumeration comma or an opening
        bracket has not ended its sentence, whatever follows.  A line that ends in a character or a
        digit (or a colon) has not ended it either, unless it is a heading: short and title-like,
        with the next paragraph starting a new sentence.  After a heading-like line, only a clause of
        ``fragment_chars`` characters across a common bigram, or that is not a sentence opener
        (龙头|企业，…), is a continuation.
        """
        last = s[-1]
        if not _CONT_START.search(nxt) and not (last in _CLAUSE_END and nxt[:1].isascii() and nxt[:1].isalpha()):
            return None
        if last in _CLAUSE_END:
            if between_paragraphs and self._heading(nxt) and not _TERMINAL.search(nxt.rstrip()[-1:]) \
                    and not _MID_SENTENCE.search(nxt):
                # a heading between paragraphs does not end a sentence either: the line before lost
                # its end (a cut repeat), and the heading starts a new section (…项目现场， / 营造…的环境)
                return None
            return f"the line ends after {last!r}, mid-sentence"
        heading = self._heading(s) or len(s.strip()) < self.settings.heading_chars
        # the next line a heading (title-like, no full stop at its end) starts a new section
        if not heading and not (self._heading(nxt) and nxt.rstrip()[-1:] not in "。！？!?…；;"):
            return f"the line ends in {last!r} without ending its sentence and is not a heading"
        if last in "：:" or len(s.strip()) <= self.settings.heading_chars:
            # a title of a few characters (輪迴 / 輪迴，作為…): the next line starts a sentence
            return None
        first_clause = re.split(r"[，,。！？!?；;：:]", nxt, maxsplit=1)[0]
        spans = _spans_word(s, nxt)
        if (len(first_clause) <= self.settings.fragment_chars and len(nxt) > len(first_clause)
                and (spans or first_clause not in _OPENERS)):
            return f"the next line opens with the fragment {first_clause!r}"
        return None

    def apply(self, text: str, explain: bool = False) -> StepResult:
        # a join can turn the next line into the continuation of the one before (中 / 中 / 中，):
        # go again until stable.  A later step that removes a line between two others (dedup) can
        # make them a split paragraph: the pipeline asks again about its output (unsettled)
        res = self._once(text, explain)
        res.unsettled = "\n" in text
        res.settled = res.text == text
        for _ in range(3):
            if res.text == text:
                break
            text = res.text
            more = self._once(text, explain)
            more.changes = res.changes + more.changes
            more.unsettled = res.unsettled
            more.settled = more.text == text  # (false after three passes that all joined: ask again)
            res = more
        return res

    def _once(self, text: str, explain: bool) -> StepResult:
        # only a line that may be open can join the next, and the last line has no next: one scan
        # finds the line breaks after lines that may be open, and only those lines are read; the
        # others are kept as they are, copied into ``out`` only from the first join on.  Text with
        # nothing to join comes back as it came, and is not even split when no line may be open.
        # Whether a line is open is then read from its last character: _OPEN_END is anchored at the
        # end, and matched at the last character rather than searched for along the line
        breaks = _OPEN_LINE_BREAK.finditer(text)
        first_open = next(breaks, None)
        if first_open is None:
            return StepResult(text)
        lines = text.split("\n")
        open_end = _OPEN_END.match
        out: list[str] | None = None
        changes = []
        n = len(lines)
        i = 0  # the first line not yet kept or joined
        at = line_at = 0  # an offset in the text, and the line it is in
        for brk in chain((first_open,), breaks):
            k = line_at + text.count("\n", at, brk.start())  # the line this break ends
            at, line_at = brk.start(), k
            if k < i:
                continue  # a join took that line
            if out is not None:
                out.extend(lines[i:k])
            i = k
            cur = lines[i]
            s = cur.rstrip()
            if not s or open_end(s, len(s) - 1) is None:
                if out is not None:
                    out.append(cur)
                i += 1
                continue
            first = i
            joined_any = False
            while True:
                # look past blank lines, jump markers and page numbers
                j = i + 1
                between = []
                while j < n and (not lines[j].strip() or _JUMP.match(lines[j])):
                    between.append(lines[j])
                    j += 1
                if j >= n:
                    break
                nxt = lines[j].lstrip()
                # a heading here stands between paragraphs: after a blank line, before more text
                between_paragraphs = any(not b.strip() for b in between) and any(
                    ln.strip() for ln in lines[j + 1:j + 3])
                why = self._continues(s, nxt, between_paragraphs)
                if why is None:
                    break
                if explain:
                    changes.append(Change(self.name, "page_break", s + "\n" + "\n".join(between + [nxt]),
                                          s + nxt, i + 1, "paragraph split at a page break: " + why))
                cur = s + nxt
                i = j
                joined_any = True
                s = cur.rstrip()
                if not s or open_end(s, len(s) - 1) is None:
                    break
            if joined_any:
                if out is None:
                    out = lines[:first]
                out.append(cur)
            elif out is not None:
                out.append(cur)
            i += 1
        if out is None:
            return StepResult(text)
        out.extend(lines[i:])
        new = "\n".join(out)
        return StepResult(new, changes) if new != text else StepResult(text)


def rejoin_paragraphs(text: str) -> str:
    """Join paragraphs split at a page break: a line ending mid-sentence and the line that continues it,
    across blank lines, jump markers and page numbers; never a heading, never two whole paragraphs."""
    return default_instance(RejoinParagraphs)(text)


register("rejoin_paragraphs", lambda o: RejoinParagraphs(make_settings(RejoinSettings, o, "rejoin_paragraphs")))
