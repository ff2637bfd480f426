"""rejoin_paragraphs: paragraphs split at a page break, joined back by sentence completeness.

A paragraph that ends without ending its sentence continues in the next one, unless it is a
heading: a short, title-like line, followed by a paragraph that starts a new sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..pipeline import Change, StepResult
from ..registry import make_settings, register
from ._rules import Filter, default_instance


_HAN = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_OPEN_END = re.compile(r"[" + _HAN + r"A-Za-z0-9，、,“‘「『（(]$")
_CONT_START = re.compile(r"^[" + _HAN + r"]")
_JUMP = re.compile(r"^\s*[(（]?\s*(?:上接|下转|转下|接上|转第|接第)\s*(?:第)?\s*[A-Za-z]?\d{0,3}\s*(?:版|页)?\s*[)）]?\s*$|"
                   r"^\s*[-—–·]*\s*\d{1,3}\s*[-—–·]*\s*$|^\s*第\s*\d+\s*页\s*$")
_TERMINAL = re.compile(r"[。！？!?…；;：:”’」』]")


@dataclass(frozen=True)
class RejoinSettings:
    """``min_chars``: a first half at least this long that ends mid-sentence is joined to a line that
    continues it, where the break splits a common bigram.  A shorter first half (it may be a heading) joins only when the next line starts
    with a clause of at most ``fragment_chars`` characters and the break splits a common bigram
    (``产|业``, ``龙头|企业``), judged by the character model."""

    min_chars: int = 40
    fragment_chars: int = 2


# two-character words that often open a sentence before a comma (当前，…): after a heading they
# start a new paragraph, not the second half of a split one
_OPENERS = frozenset("""当前 目前 同时 此外 另外 然而 因此 所以 但是 不过 其中 首先 其次 最后 总之 对此 为此 随后 之后
如今 近日 日前 今年 去年 明年 今天 昨天 当天 次日 近年 据悉 据了解 另一 一方 一是 二是 三是 四是 五是 第一 第二 第三
然后 接着 而且 并且 虽然 尽管 如果 假如 例如 比如 总体 整体 截至 目前 年初 年底 年末 月初 月底 上午 下午 晚上 早上
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
        s = line.strip()
        return len(s) <= 30 and not re.search(r"[，,。！？!?；;]", s)

    def apply(self, text: str, explain: bool = False) -> StepResult:
        # a join can turn the next line into the continuation of the one before (中 / 中 / 中，):
        # go again until stable
        res = self._once(text, explain)
        for _ in range(3):
            if res.text == text:
                break
            text = res.text
            more = self._once(text, explain)
            more.changes = res.changes + more.changes
            res = more
        return res

    def _once(self, text: str, explain: bool) -> StepResult:
        lines = text.split("\n")
        out: list[str] = []
        changes = []
        i = 0
        n = len(lines)
        while i < n:
            cur = lines[i]
            joined_any = False
            while True:
                s = cur.rstrip()
                if not s or not _OPEN_END.search(s) or _TERMINAL.search(s[-1:]):
                    break
                # look past blank lines, jump markers and page numbers
                j = i + 1
                between = []
                while j < n and (not lines[j].strip() or _JUMP.match(lines[j])):
                    between.append(lines[j])
                    j += 1
                if j >= n:
                    break
                nxt = lines[j].lstrip()
                if not _CONT_START.search(nxt) or self._heading(nxt):
                    break
                first_clause = re.split(r"[，,。！？!?；;：:]", nxt, maxsplit=1)[0]
                long_first = len(s.strip()) >= self.settings.min_chars and not self._heading(s)
                spans = _spans_word(s, nxt)
                fragment = (len(first_clause) <= self.settings.fragment_chars and len(nxt) > len(first_clause)
                            and (spans or first_clause not in _OPENERS))
                # a long line that stops mid-sentence joins only where the break splits a common
                # bigram (中小|企业): two whole paragraphs, the first missing its full stop, stay apart
                if not ((long_first and spans) or fragment):
                    break
                if explain:
                    changes.append(Change(self.name, "page_break", s + "\n" + "\n".join(between + [nxt]),
                                          s + nxt, i + 1, "paragraph split at a page break"))
                cur = s + nxt
                i = j
                joined_any = True
            out.append(cur if joined_any else lines[i])
            i += 1
        new = "\n".join(out)
        return StepResult(new, changes) if new != text else StepResult(text)


def rejoin_paragraphs(text: str) -> str:
    """Join paragraphs split at a page break: a line ending mid-sentence and the line that continues it,
    across blank lines, jump markers and page numbers; never a heading, never two whole paragraphs."""
    return default_instance(RejoinParagraphs)(text)


register("rejoin_paragraphs", lambda o: RejoinParagraphs(make_settings(RejoinSettings, o, "rejoin_paragraphs")))
