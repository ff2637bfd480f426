"""strip_ruby: remove flattened pinyin ruby such as ``高質(zhì)量發(fā)展``.

Web pages that show pinyin above characters (``<ruby>``) lose the markup when they are
scraped, leaving every annotated character followed by its syllable in parentheses.
The filter removes ``字(zì)``, ``字（zì）`` and ``字(zi4)``: one valid pinyin syllable,
with a tone mark or a tone number, straight after a CJK character.  Forms damaged by
mojibake, with ``?`` where a toned vowel was (``(zh?)``), are removed too.

It decides per document.  A page with at least ``min_annotations`` such annotations
(default 3) is an annotated page and loses them all; a page with fewer keeps them, so
a textbook sentence about how one character is pronounced is left alone.  Annotations
inside a sentence about pronunciation (读音, 读作, 拼音, 注音, 发音, ...) are kept unless
other sentences carry annotations too, which marks an annotated page.
Glosses of whole words (``你好（nǐ hǎo）``), English and numbers in parentheses never match.

>>> strip_ruby("高質(zhì)量發(fā)展大會,為新一年工作定下總基調(diào)。")
'高質量發展大會,為新一年工作定下總基調。'
>>> strip_ruby("“行”字在这里读作行(háng)。")
'“行”字在这里读作行(háng)。'
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..pipeline import Change, LineIndex, StepResult
from ..registry import make_settings, register
from ._rules import Filter

_INITIALS = ["", "b", "p", "m", "f", "d", "t", "n", "l", "g", "k", "h", "j", "q", "x", "zh", "ch", "sh", "r", "z",
             "c", "s", "y", "w"]
_FINALS = ["a", "o", "e", "ai", "ei", "ao", "ou", "an", "en", "ang", "eng", "ong", "er", "i", "ia", "ie", "iao", "iu",
           "ian", "in", "iang", "ing", "iong", "u", "ua", "uo", "uai", "ui", "uan", "un", "uang", "ueng", "ü", "üe",
           "üan", "ün", "ue", "v", "ve", "n", "ng", "m"]
SYLLABLES = frozenset(i + f for i in _INITIALS for f in _FINALS)
# not every combination is a real syllable, but every real one is in the set; the tone and the
# CJK-neighbour requirement keep false matches away

_TONED = {
    "ā": "a1", "á": "a2", "ǎ": "a3", "à": "a4", "ē": "e1", "é": "e2", "ě": "e3", "è": "e4",
    "ī": "i1", "í": "i2", "ǐ": "i3", "ì": "i4", "ō": "o1", "ó": "o2", "ǒ": "o3", "ò": "o4",
    "ū": "u1", "ú": "u2", "ǔ": "u3", "ù": "u4", "ǖ": "ü1", "ǘ": "ü2", "ǚ": "ü3", "ǜ": "ü4",
    "ń": "n2", "ň": "n3", "ǹ": "n4", "ḿ": "m2",
}
_LETTERS = "a-zü" + "".join(_TONED) + "?"
_CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
# each branch opens with its parenthesis and looks behind from there for the CJK character
# (the same matches as a leading lookbehind), so the regex engine skips to the next parenthesis
_RUBY = re.compile(r"\((?<=[" + _CJK + r"]\()([" + _LETTERS + r"]{1,7}[1-5]?)\)"
                   r"|（(?<=[" + _CJK + r"]（)([" + _LETTERS + r"]{1,7}[1-5]?)）", re.I)
_PRONUNCIATION = re.compile(r"读音|讀音|读作|讀作|读为|讀為|念作|唸作|拼音|注音|发音|發音|读成|讀成|多音字|音同|又读|又讀")


def is_annotation(s: str) -> bool:
    """Is ``s`` one pinyin syllable with a tone (mark or number), or one with ``?`` for a lost toned vowel?"""
    s = s.lower()
    tone = ""
    base = []
    for ch in s:
        if ch in _TONED:
            if tone:
                return False
            v, tone = _TONED[ch][0], _TONED[ch][1]
            base.append(v)
        else:
            base.append(ch)
    b = "".join(base)
    if b and b[-1] in "12345":
        if tone:
            return False
        tone, b = b[-1], b[:-1]
    if "?" in b:
        if b.count("?") != 1 or tone:
            return False
        return any(b.replace("?", v) in SYLLABLES for v in "aeiouü")
    if not tone:
        return False
    return b in SYLLABLES or b.replace("ü", "v") in SYLLABLES or b.replace("v", "ü") in SYLLABLES


@dataclass(frozen=True)
class StripRubySettings:
    """``min_annotations``: fewer than this in a document and it is left alone.
    ``min_plain_sentences``: annotated sentences that are not about pronunciation needed before
    annotations inside sentences about pronunciation go too."""

    min_annotations: int = 3
    min_plain_sentences: int = 2


class StripRuby(Filter):
    name = "strip_ruby"

    def __init__(self, settings: StripRubySettings | None = None):
        self.settings = settings or StripRubySettings()

    def apply(self, text: str, explain: bool = False) -> StepResult:
        if "(" not in text and "（" not in text:
            return StepResult(text)
        found = [m for m in _RUBY.finditer(text) if is_annotation(m.group(1) or m.group(2))]
        if len(found) < self.settings.min_annotations:
            return StepResult(text)
        # which sentences talk about pronunciation?  On an annotated page most annotated sentences
        # do not, and every annotation goes; where annotations sit only in such sentences (a textbook
        # gloss), they stay
        ends = "。！？!?\n"
        about: dict[int, bool] = {}
        where = []
        for m in found:
            start = max(text.rfind(c, 0, m.start()) for c in ends) + 1
            if start not in about:
                stop = min((i for i in (text.find(c, m.end()) for c in ends) if i != -1), default=len(text))
                about[start] = bool(_PRONUNCIATION.search(text, start, stop))
            where.append(start)
        plain = sum(1 for v in about.values() if not v)
        protect = plain < self.settings.min_plain_sentences
        out, changes, last = [], [], 0
        idx = LineIndex(text) if explain else None
        for m, start in zip(found, where):
            if protect and about[start]:
                continue
            out.append(text[last:m.start()])
            last = m.end()
            if explain:
                changes.append(Change(self.name, "pinyin_ruby", m.group(0), "", idx.line(m.start()),
                                      f"flattened ruby annotation on {text[m.start() - 1]}"))
        out.append(text[last:])
        return StepResult("".join(out), changes)


_DEFAULT = StripRuby()


def strip_ruby(text: str) -> str:
    """Remove flattened pinyin ruby annotations (``質(zhì)`` -> ``質``) from an annotated document."""
    return _DEFAULT(text)


register("strip_ruby", lambda o: StripRuby(make_settings(StripRubySettings, o, "strip_ruby")))
