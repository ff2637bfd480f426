"""fix_punctuation: half-width punctuation in Chinese context back to full width.

Pages often fold Chinese punctuation to ASCII (``新春開工第一天,省、市分別召開``).  In
Chinese context this step restores ``，：；！？（）`` and curly quotes ``“”``:

- ``, ; ! ?`` after a Chinese character or Chinese punctuation, or right before one
  (``6%,规上`` -> ``6%，规上``; ``10:30,共`` -> ``10:30，共``);
- ``:`` only after a Chinese character (``时间:10:30`` -> ``时间：10:30``);
- ``( )`` around text that holds Chinese, next to Chinese (``电机(江门)公司``);
- straight double quotes around Chinese text.

Numbers, times, URLs, code and Latin text keep their ASCII punctuation: ``1,200``,
``10:30``, ``https://a.b/c?d=1``, ``(Open Source)``.  ``to_ascii=True`` runs the
opposite direction (off by default: full width is correct Chinese typography).

>>> fix_punctuation("关键词一:抢跑开干!时间10:30,共1,200人(含江门)")
'关键词一：抢跑开干！时间10:30，共1,200人（含江门）'
>>> fix_punctuation("See https://a.b/c?d=1, (Open Source): ok!")
'See https://a.b/c?d=1, (Open Source): ok!'
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..registry import make_settings, register
from ._rules import RuleFilter, SubRule

_HAN = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_CJK_PUNCT = r"\u3001-\u3003\u3008-\u3011\u3014-\u301f\uff01\uff08\uff09\uff0c\uff1a\uff1b\uff1f\u201c\u201d\u2018\u2019\u2026\u2014"
_W = _HAN + _CJK_PUNCT
_FULL = {",": "，", ";": "；", "!": "！", "?": "？", ":": "："}

# after Chinese: , ; ! ? :  (not inside a URL: the character before is Chinese, so it cannot be).
# Both patterns open with the mark itself and look behind from there (``[,](?<=[W].)`` is
# ``(?<=[W])[,]``), so the regex engine skips quickly to the next ASCII mark.
_AFTER = re.compile(r"[,;!?:](?<=[" + _W + r"].)[,;!?:]*(?![/\\])")
# before Chinese, after something that is not a Latin letter or digit: , ; ! ?
# (both branches are tried only where a run of , ; ! ? begins: every match is a whole run, and tried
# at every mark of a run not followed by Chinese, each read the rest of the run, quadratic)
_BEFORE = re.compile(r"[,;!?](?<![,;!?].)(?:[,;!?]*(?=[" + _HAN + r"])|(?<=[%）)\]】”’」』》0-9].)[,;!?]*(?=\s+["
                     + _HAN + r"]))")
_PARENS = re.compile(r"\(([^()\n]{0,80}?[" + _HAN + r"][^()\n]{0,80}?)\)")
_QUOTES = re.compile(r"\"([^\"\n]{0,400})\"")  # pairs quotes in order along a line
_HAN_RE = re.compile("[" + _HAN + "]")
_W_RE = re.compile("[" + _W + "]")
_LATIN_RE = re.compile("[A-Za-z]")
# where half_width_after_cjk or half_width_before_cjk may match: a mark after Chinese (every match
# of the first), or a mark before Chinese past more marks and spaces (every match of the second).
# One scan that finds neither saves both rules theirs
# (the look past marks and spaces from where a run of marks begins only, as for _BEFORE: from every
# mark of the run it was quadratic, 20,000 commas 4.1 s; a match from inside a run is one from its start)
_MAY_FULL = re.compile(r"[,;!?:](?:(?<=[" + _W + r"].)|(?<![,;!?:].)[,;!?:]*\s*[" + _HAN + r"])")


def _may_full(text: str) -> bool:
    """Can half_width_after_cjk or half_width_before_cjk match?  Text with no ASCII mark at all (half
    of the clean corpus documents) is told by five one-character searches, each several times
    quicker than the regex's scan."""
    if "," not in text and ":" not in text and ";" not in text and "!" not in text and "?" not in text:
        return False
    return _MAY_FULL.search(text) is not None


_TO_ASCII = {"，": ",", "：": ":", "；": ";", "！": "!", "？": "?", "（": "(", "）": ")"}


def _full(m: re.Match) -> str:
    return "".join(_FULL[c] for c in m.group(0))


def _parens(m: re.Match) -> str:
    s, e = m.start(), m.end()
    src = m.string
    before = src[s - 1] if s else ""
    after = src[e] if e < len(src) else ""
    inner = m.group(1)
    chinese_inside = len(_HAN_RE.findall(inner)) >= max(1, len(_LATIN_RE.findall(inner)) // 4)
    if chinese_inside and (_W_RE.match(before or "x") or _W_RE.match(after or "x") or before in ("", "\n")):
        return f"（{inner}）"
    return m.group(0)


def _quotes(m: re.Match) -> str:
    inner = m.group(1)
    if _HAN_RE.search(inner) and len(_HAN_RE.findall(inner)) * 2 >= len(re.findall(r"[A-Za-z]", inner)):
        return f"“{inner}”"
    return m.group(0)


@dataclass(frozen=True)
class FixPunctuationSettings:
    quotes: bool = True
    parentheses: bool = True
    to_ascii: bool = False


class FixPunctuation(RuleFilter):
    name = "fix_punctuation"
    reads_neighbours = True  # dedup's cut can leave "Mouth,为了": asked again about the chain's output

    def __init__(self, settings: FixPunctuationSettings | None = None):
        self.settings = s = settings or FixPunctuationSettings()
        if s.to_ascii:
            self.rules = (SubRule("to_ascii", re.compile("[，：；！？（）]"), lambda m: _TO_ASCII[m.group(0)],
                                  "full-width punctuation folded to ASCII (to_ascii=true)"),)
            return
        # quotes and parentheses first: the punctuation after them is judged by what they become
        rules = []
        if s.quotes:
            rules.append(SubRule("quotes", _QUOTES, _quotes, "straight quotes around Chinese text", lambda t: '"' in t))
        if s.parentheses:
            rules.append(SubRule("parentheses", _PARENS, _parens, "ASCII parentheses around Chinese text",
                                 lambda t: "(" in t))
        # both rules share one test, _may_full (asked once while the text is the same).
        # Together they settle in one pass (one_pass), so a second pass needs them only when quotes
        # or parentheses changed something in it.  Why, with A for _AFTER and B for _BEFORE:
        # - A leaves no match behind: a mark it left after a Chinese character or mark was
        #   followed by / or \ with no mark between (its run only stops short before those), and
        #   still is.  A mark it left after the end of one of its own matches is such a mark too.
        # - B leaves no match behind: its runs are maximal runs of , ; ! ? that end before a Han
        #   character (or spaces then one), so a mark it left there was never part of such a run;
        #   it makes no Han character, space, ``%`` or closing bracket that its patterns read.
        # - B makes no match for A: what it makes full width is followed by a Han character or
        #   a space, never by an ASCII mark, and it changes no / or \.
        rules += [SubRule("half_width_after_cjk", _AFTER, _full, "ASCII punctuation after Chinese text", _may_full,
                          one_pass=True),
                  SubRule("half_width_before_cjk", _BEFORE, _full, "ASCII punctuation before Chinese text", _may_full,
                          one_pass=True)]
        self.rules = tuple(rules)


_DEFAULT = FixPunctuation()


def fix_punctuation(text: str) -> str:
    """Restore full-width punctuation in Chinese context; leave numbers, URLs and Latin text alone."""
    return _DEFAULT(text)


register("fix_punctuation", lambda o: FixPunctuation(make_settings(FixPunctuationSettings, o, "fix_punctuation")))
