"""normalize: whitespace, invisible characters, controls and HTML leftovers.

What it does, rule by rule (each rule name appears in explanations and reports):

- ``html_entity``: ``&nbsp;`` ``&amp;`` ``&#x4e2d;`` ``&#20013;`` are decoded, to a fixed
  point, so double-escaped ``&amp;lt;`` ends as ``<``.
- ``html_tag``: leftover tags of known HTML elements (``</p>``, ``<br/>``, ``<span class=..>``)
  and HTML comments are dropped; a block tag in mid-line becomes a line break.
  Text such as ``a<b>c`` with an unknown element name is left alone.
- ``line_ending``: ``\\r\\n``, ``\\r``, U+2028, U+2029, U+0085, form feed and vertical tab become ``\\n``.
- ``invisible``: zero-width space, word joiner, BOM, soft hyphen, bidi marks and embeddings,
  U+FFFC.  ZWJ and ZWNJ are removed only next to CJK or ASCII or at a line edge, since emoji
  sequences and some scripts need them.
- ``control``: C0 controls other than tab and newline, DEL, and C1 controls.
- ``space``: exotic spaces (U+00A0, U+2000–U+200A, U+202F, U+205F) become an ASCII space.
  U+3000 (the ideographic space used to indent Chinese paragraphs) is kept.
- ``trailing_space``: spaces and tabs (and U+3000) at the end of a line.
- ``blank_lines``: blank lines at the start of the text go; a run of blank lines becomes one;
  several newlines at the end become one.

Nothing else changes: full-width punctuation, U+3000 indentation and every CJK character,
Ext-A and the supplementary planes included, pass through.

>>> normalize("&lt;第一段&gt;&nbsp;中&#x6587;</p>\\r\\n\\r\\n\\r\\n　　第二段\\u200b。\\t\\n")
'<第一段> 中文\\n\\n　　第二段。\\n'
>>> normalize("干净的文本，不变。\\n")
'干净的文本，不变。\\n'
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from ..pipeline import StepResult
from ..registry import make_settings, register
from ._rules import RuleFilter, SubRule

_ENTITY = re.compile(r"&(?:amp;)*(?:#[xX][0-9a-fA-F]{1,6}|#[0-9]{1,7}|[A-Za-z][A-Za-z0-9]{1,31});")

_BLOCK = ("p|div|br|li|ul|ol|tr|td|th|table|tbody|thead|tfoot|h[1-6]|section|article|header|footer|"
          "nav|aside|blockquote|pre|hr|dd|dt|dl|form|figure|figcaption|center|main")
_INLINE = ("span|a|b|i|u|s|em|strong|font|img|sup|sub|small|big|code|label|input|button|iframe|"
           "script|style|meta|link|tt|strike|del|ins|abbr|cite|mark|o:p|wbr|nobr|noscript|source|video|audio")
_TAG = re.compile(
    r"<!--.*?-->"
    r"|</?(?:(?P<block>" + _BLOCK + r")|(?:" + _INLINE + r"))"
    r"(?:\s+[A-Za-z_:][A-Za-z0-9_:.-]{0,40}(?:\s*=\s*(?:\"[^\"<>]{0,400}\"|'[^'<>]{0,400}'|[^\s\"'<>]{1,400}))?){0,30}"
    r"\s*/?>",
    re.I | re.S,
)

_ENDING_CHARS = r"\u2028\u2029\u0085\x0b\x0c"
_INVISIBLE_CHARS = r"\u200b\u2060-\u2064\ufeff\u00ad\u180e\u200e\u200f\u202a-\u202e\u2066-\u2069\ufffc"
_CONTROL_CHARS = r"\x00-\x08\x0e-\x1f\x7f\x80-\x84\x86-\x9f"
_SPACE_CHARS = r"\u00a0\u2000-\u200a\u202f\u205f"
# The patterns open with one character class or literal, never with a repeat, a lookbehind or a
# choice of two: the regex engine then skips ahead to the next character that can start a match
# instead of trying the whole pattern at every position (``[x]+`` is written ``[x][x]*``, the same
# pattern; on 1.5 MB of short lines _INVISIBLE's scan went from 11.5 to 3.4 ms)
# \r\n?|[...] with one class first:
_LINE_ENDING = re.compile(r"[\r" + _ENDING_CHARS + r"](?:(?<=\r)\n)?")
_INVISIBLE = re.compile("[" + _INVISIBLE_CHARS + "][" + _INVISIBLE_CHARS + "]*")
_CJK = r"\u2e80-\u2fdf\u3000-\u303f\u3040-\u30ff\u3100-\u312f\u3190-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef"
# ZWJ and ZWNJ go where a run of them stands next to CJK or ASCII (a newline included) or at the
# start or end of the text: the run is found by the pattern, its neighbours read by _zwj
_ZWJ_RUN = re.compile(r"[\u200c\u200d][\u200c\u200d]*")
_ZWJ_NEIGHBOUR = re.compile(r"[\x00-\x7f" + _CJK + r"]")
# the same runs as one pattern (what _ZWJ_RUN and _zwj remove; fix_mojibake reads it).  The
# branches that look ahead are tried only where a run begins ((?<![...])): every match is a whole
# run, and tried inside a run that is not followed by CJK or ASCII, each read the rest of the run
# again (quadratic: 10,000 ZWJ between two accented letters took fix_mojibake 1.5 s)
_ZWJ_CJK = re.compile(r"(?<=[\x00-\x7f" + _CJK + r"])[\u200c\u200d]+"
                      r"|(?<![\u200c\u200d])[\u200c\u200d]+(?=[\x00-\x7f" + _CJK + r"])"
                      r"|^[\u200c\u200d]+|(?<![\u200c\u200d])[\u200c\u200d]+$", re.M)
_CONTROL = re.compile("[" + _CONTROL_CHARS + "][" + _CONTROL_CHARS + "]*")
_SPACE = re.compile("[" + _SPACE_CHARS + "]")
# (the lookbehind: tried only where a run of spaces begins, as every match is a whole run; tried at
# every place of a run that does not end a line, each read the rest of the run: quadratic, 20,000
# spaces before a letter took 0.9 s)
_TRAILING = re.compile(r"[ \t\u3000](?<![ \t\u3000][ \t\u3000])[ \t\u3000]*$", re.M)
_LEADING_BLANK = re.compile(r"\A(?:[ \t\u3000]*\n)+")
_BLANK_RUN = re.compile(r"\n\n\n+")
_END_NEWLINES = re.compile(r"\n\n+\Z")
_NEWLINE_AFTER_SPACE = re.compile(r"\n(?<=[ \t\u3000]\n)")
# every character that can start a match of the character rules (and of entities and tags), and
# a newline that ends a line in a space, tab or U+3000 or starts a run of three: where this finds
# nothing, only the ends of the text remain to look at.  (The newline is one more character of the
# class, so the scan is as quick as for the others alone; the lookbehind, which for any other
# character holds, and the lookahead are read only at a newline.)
_ANY_RULE = re.compile("[&<\r\u200c\u200d" + _ENDING_CHARS + _INVISIBLE_CHARS + _CONTROL_CHARS + _SPACE_CHARS
                       + "\n](?:(?<![^ \t\u3000]\n)|(?=\n\n))")


def _has_trailing_space(text: str) -> bool:
    """Can ``_TRAILING`` match: a space, tab or U+3000 before a newline or at the end?"""
    return _NEWLINE_AFTER_SPACE.search(text) is not None or text.endswith((" ", "\t", "\u3000"))


def _nothing_to_do(text: str) -> bool:
    """True only where no rule can match: the common case of text that is already clean, found in
    one scan instead of a pass of every rule."""
    return (_ANY_RULE.search(text) is None and not text.endswith(("\n\n", " ", "\t", "\u3000"))
            and _LEADING_BLANK.match(text) is None)


def _tag(m: re.Match) -> str:
    if m.group("block") is None:
        return ""
    s, e = m.start(), m.end()
    src = m.string
    if s == 0 or e == len(src) or src[s - 1] == "\n" or src[e] == "\n":
        return ""
    return "\n"


def _zwj(m: re.Match) -> str:
    """A run of ZWJ/ZWNJ next to CJK or ASCII, or at an end of the text, goes; elsewhere (inside an
    emoji sequence, between letters of other scripts) it stays."""
    s, e = m.start(), m.end()
    src = m.string
    if s == 0 or e == len(src) or _ZWJ_NEIGHBOUR.match(src, s - 1) or _ZWJ_NEIGHBOUR.match(src, e):
        return ""
    return m.group(0)


def _entity_repl(m: re.Match) -> str:
    s = m.group(0)
    # double-escaped entities (&amp;lt;) are decoded all the way, so the step is idempotent
    while s.startswith("&amp;") and len(s) > 5:
        s = "&" + s[5:]
    return html.unescape(s)


@dataclass(frozen=True)
class NormalizeSettings:
    """Settings of :func:`normalize`.  Each flag turns one rule off."""

    entities: bool = True
    tags: bool = True
    invisible: bool = True
    controls: bool = True
    spaces: bool = True
    trailing_spaces: bool = True
    blank_lines: bool = True


class Normalize(RuleFilter):
    """Callable normalize step with frozen settings."""

    name = "normalize"

    def __init__(self, settings: NormalizeSettings | None = None):
        self.settings = s = settings or NormalizeSettings()
        # each character rule names the characters its matches hold (``needs``): one scan of the
        # text finds which are there, and a rule with none of them is skipped
        rules = []
        if s.entities:
            rules.append(SubRule("html_entity", _ENTITY, _entity_repl, "HTML entity decoded", needs="&"))
        if s.tags:
            rules.append(SubRule("html_tag", _TAG, _tag, "leftover HTML tag", needs="<"))
        rules.append(SubRule("line_ending", _LINE_ENDING, "\n", "line ending unified to \\n",
                             needs="\r" + _ENDING_CHARS))
        if s.invisible:
            rules.append(SubRule("invisible", _INVISIBLE, "", "invisible character", needs=_INVISIBLE_CHARS))
            rules.append(SubRule("invisible", _ZWJ_RUN, _zwj, "zero-width joiner next to CJK or ASCII",
                                 needs="\u200c\u200d"))
        if s.controls:
            rules.append(SubRule("control", _CONTROL, "", "control character", needs=_CONTROL_CHARS))
        if s.spaces:
            rules.append(SubRule("space", _SPACE, " ", "exotic space folded to U+0020", needs=_SPACE_CHARS))
        if s.trailing_spaces:
            rules.append(SubRule("trailing_space", _TRAILING, "", "trailing whitespace", _has_trailing_space))
        if s.blank_lines:
            rules.append(SubRule("blank_lines", _LEADING_BLANK, "", "blank lines at the start"))
            rules.append(SubRule("blank_lines", _BLANK_RUN, "\n\n", "run of blank lines", lambda t: "\n\n\n" in t))
            rules.append(SubRule("blank_lines", _END_NEWLINES, "\n", "blank lines at the end",
                                 lambda t: t.endswith("\n\n")))
        self.rules = tuple(rules)

    def apply(self, text: str, explain: bool = False) -> StepResult:
        if _nothing_to_do(text):
            return StepResult(text)
        return super().apply(text, explain)


_DEFAULT = Normalize()


def normalize(text: str) -> str:
    """Normalise whitespace, invisible characters, controls and HTML leftovers; keep Chinese typography."""
    return _DEFAULT(text)


register("normalize", lambda o: Normalize(make_settings(NormalizeSettings, o, "normalize")))
