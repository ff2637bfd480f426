import pytest

from helpers import case_params
from zhclean import clean_and_explain, normalize
from zhclean.filters.normalize import Normalize, NormalizeSettings


@pytest.mark.parametrize("case", case_params("normalize.json"))
def test_normalize_case(case):
    assert normalize(case["original"]) == case["fixed"]


@pytest.mark.parametrize("case", case_params("normalize.json"))
def test_normalize_is_idempotent_on_cases(case):
    once = normalize(case["original"])
    assert normalize(once) == once


def test_every_rule_is_named_in_explanations():
    text = "&amp;中\u200b\x01文</p>\r\n尾  \n\n\n\n乙\u00a0丙<br>丁"
    _, changes = clean_and_explain(text, steps=["normalize"])
    rules = {c.rule for c in changes}
    assert {"html_entity", "html_tag", "line_ending", "invisible", "control", "space",
            "trailing_space", "blank_lines"} <= rules
    assert all(c.filter == "normalize" for c in changes)
    zw = next(c for c in changes if c.rule == "invisible")
    assert zw.before == "\u200b" and zw.after == "" and zw.kind == "removal" and zw.line == 1


def test_settings_turn_rules_off():
    n = Normalize(NormalizeSettings(entities=False, tags=False))
    assert n("&amp;</p>") == "&amp;</p>"


def test_clean_corpus_paragraphs_unchanged(simplified_paragraphs, traditional_paragraphs):
    """Real paragraphs pass unchanged.  The 30-odd that change carry genuine web leftovers
    (``<br>``, ``</div>``, NBSP, zero-width spaces), and only those are touched."""
    touched = 0
    for p in simplified_paragraphs + traditional_paragraphs:
        new, changes = clean_and_explain(p, steps=["normalize"])
        if new == p:
            continue
        touched += 1
        for c in changes:
            assert c.rule in {"html_tag", "space", "invisible", "trailing_space"}, c
            assert c.before.startswith("<") or set(c.before) <= {"\xa0", "\u200b", " "}, c
    assert touched < 40


@pytest.mark.parametrize("settings", [NormalizeSettings(), NormalizeSettings(tags=False, blank_lines=False),
                                      NormalizeSettings(trailing_spaces=False, entities=False)], ids=str)
def test_fast_paths_give_the_plain_answer(settings):
    """The 'nothing to do' check and the rules' substring tests only save time: text and
    explanations equal every rule applied plainly."""
    from helpers import assert_same_answers, corpus, fuzz_strings, plain_rule_filter

    pieces = list("中文字，。 \t\u3000\n\r&<>;#x0123abp/lt") + [
        "&amp;", "&nbsp;", "</p>", "<br/>", "\u200b", "\u200d", "\u2028", "\x85", "\x00", "\u00a0", "<!-- c -->",
        "&#x4e2d;", "\n\n\n", "👩", "𠀀"]
    texts = fuzz_strings(pieces) + ["\n".join(corpus("cmrc2018_contexts.jsonl")[i:i + 8]) + "\n" for i in range(0, 400, 8)]
    fast = Normalize(settings)
    plain = plain_rule_filter(fast)
    assert 0.3 * len(texts) < assert_same_answers(fast, plain, texts) < len(texts)


@pytest.mark.parametrize("settings", [NormalizeSettings(), NormalizeSettings(entities=False),
                                      NormalizeSettings(invisible=False, spaces=False)], ids=str)
def test_character_gates_give_the_plain_answer(settings):
    """A rule is skipped when one scan of the text finds none of the characters it needs; a rule that
    changed the text makes the next one scan again.  On text where entities and tags bring in the
    characters of later rules (``&#x200b;``, ``&#13;``, ``&nbsp;``, ``&lt;br&gt;``), and on every
    gate character, rare CJK (Ext-B and beyond), full- and half-width punctuation, text and
    explanations equal every rule applied plainly."""
    from helpers import assert_same_answers, fuzz_strings, plain_rule_filter

    gate_chars = ["&", "<", "\r", "\u2028", "\u2029", "\x85", "\x0b", "\x0c", "\u200b", "\u2060", "\u2064", "\ufeff",
                  "\u00ad", "\u180e", "\u200e", "\u200f", "\u202a", "\u202e", "\u2066", "\u2069", "\ufffc", "\u200c",
                  "\u200d", "\x00", "\x08", "\x0e", "\x1f", "\x7f", "\x80", "\x84", "\x86", "\x9f", "\u00a0", "\u2000",
                  "\u200a", "\u202f", "\u205f"]
    brought_in = ["&#x200b;", "&#8203;", "&#13;", "&#x2028;", "&#x200d;", "&nbsp;", "&#160;", "&#x3000;", "&lt;br&gt;",
                  "&amp;lt;/p&amp;gt;", "&lt;!-- x --&gt;", "&#1;", "&#x7f;", "&#133;", "&amp;amp;nbsp;", "&#x20;",
                  "&#10;", "&#10;&#10;&#10;", "&#9;"]
    pieces = gate_chars + brought_in + list("中文字，。、！？：；,.;:!?()（）“”\"' \t\u3000\n") + [
        "</p>", "<br/>", "<div class='a'>", "<!-- c -->", "a<b>c", "\n\n\n", "\r\n", "𠀀", "𪚥", "\U00030000", "㐀",
        "👩\u200d👩", "ｶ", "ａ"]
    texts = fuzz_strings(pieces, n=6000, seed=7, max_len=20)
    fast = Normalize(settings)
    plain = plain_rule_filter(fast)
    assert 0.5 * len(texts) < assert_same_answers(fast, plain, texts) < len(texts)


def test_nothing_to_do_in_one_scan():
    """The one scan of _nothing_to_do (trigger characters, and newlines after a space or before two
    more) answers as the scan plus substring searches it replaced, and where it says nothing is
    to do, every rule applied plainly changes nothing."""
    import re

    import importlib

    from helpers import fuzz_strings, plain_rule_filter

    n = importlib.import_module("zhclean.filters.normalize")  # (the package exports the function by that name)
    old_scan = re.compile("[&<\r\u200c\u200d" + n._ENDING_CHARS + n._INVISIBLE_CHARS + n._CONTROL_CHARS
                          + n._SPACE_CHARS + "]")

    def old(text):
        return (old_scan.search(text) is None and "\n\n\n" not in text and not text.endswith("\n\n")
                and not n._has_trailing_space(text) and n._LEADING_BLANK.match(text) is None)

    pieces = list("中文字，。a1 \t\u3000\n\n\n\r&<>\u200b\u200d\u00a0\x85\u2028\x00\x7f\ufeff") + ["𠀀", "\U00030000", " \n",
                                                                                        "\u3000\n", "\t\n", "\n\n"]
    plain = plain_rule_filter(Normalize())
    quiet = 0
    for t in fuzz_strings(pieces, n=20000, seed=3, max_len=12) + fuzz_strings(list("中文 \n\u3000\t"), n=5000, seed=4):
        assert n._nothing_to_do(t) == old(t), t
        if n._nothing_to_do(t):
            quiet += 1
            assert plain.apply(t, True).text == t, t
    assert quiet > 1000


def test_rewritten_patterns_give_the_plain_answer():
    """The patterns that now open with one class or literal (``[x][x]*`` for ``[x]+``, ``\\n\\n\\n+`` for
    ``\\n{3,}``, line endings as one class, ZWJ runs whose neighbours a function reads) give the text
    and explanations of the patterns they replace, applied plainly, on random text dense in what
    they read: CR and CRLF, line separators, controls, invisibles, ZWJ/ZWNJ runs inside emoji
    sequences, between Hangul or Devanagari, next to CJK (Ext-B too), ASCII and newlines, trailing
    spaces and runs of newlines."""
    import dataclasses
    import importlib
    import re

    from helpers import assert_same_answers, fuzz_strings, plain_rule_filter

    n = importlib.import_module("zhclean.filters.normalize")
    old = {
        "line_ending": re.compile(r"\r\n?|[" + n._ENDING_CHARS + "]"),
        "invisible": re.compile("[" + n._INVISIBLE_CHARS + "]+"),
        "control": re.compile("[" + n._CONTROL_CHARS + "]+"),
        "trailing_space": re.compile(r"[ \t\u3000]+$", re.M),
    }
    zwj = re.compile(r"(?<=[\x00-\x7f" + n._CJK + r"])[\u200c\u200d]+|[\u200c\u200d]+(?=[\x00-\x7f" + n._CJK + r"])"
                     r"|^[\u200c\u200d]+|[\u200c\u200d]+$", re.M)
    blank = {r"\n\n\n+": re.compile(r"\n{3,}"), r"\n\n+\Z": re.compile(r"\n{2,}\Z")}

    def plain_pattern(r):
        if r.pattern is n._ZWJ_RUN:
            return dataclasses.replace(r, pattern=zwj, repl="")
        if r.name in old:
            return dataclasses.replace(r, pattern=old[r.name])
        if r.pattern.pattern in blank:
            return dataclasses.replace(r, pattern=blank[r.pattern.pattern])
        return r

    pieces = list("中文a1 \t\u3000\n\n\r\r\u2028\u2029\x85\x0b\x0c\x00\x1f\x7f\x9f\u200b\u2060\ufeff\u00ad\u200c\u200d"
                  "한글नम") + ["\r\n", "\u200d\u200d", "\u200c\u200d", "👩\u200d👩", "👩", "𠀀", "\U00030000", "\n\n\n",
                              " \n", "。", "，", "&#x200d;", "<br>"]
    texts = fuzz_strings(pieces, n=20000, seed=9, max_len=14)
    for settings in (NormalizeSettings(), NormalizeSettings(entities=False, tags=False, trailing_spaces=False)):
        fast = Normalize(settings)
        plain = plain_rule_filter(fast)
        plain.rules = tuple(plain_pattern(r) for r in plain.rules)
        assert sum(r.pattern is not f.pattern for r, f in zip(plain.rules, fast.rules)) >= 5
        assert 0.5 * len(texts) < assert_same_answers(fast, plain, texts) < len(texts)


def test_long_runs_of_spaces_and_joiners_take_linear_time():
    """_TRAILING and _ZWJ_CJK (which fix_mojibake's _HIDDEN holds) are tried only where a run of
    spaces or of ZWJ/ZWNJ begins.  Tried at every place of a run that is not at a line's end (or
    not next to CJK or ASCII), each read the rest of the run: 20,000 spaces before a letter took
    normalize 0.9 s, 10,000 ZWJ between two accented letters took fix_mojibake 1.5 s (both
    quadratic).  The bounds are some hundred times the linear time."""
    import time

    from zhclean.filters.mojibake import FixMojibake

    fix = FixMojibake()
    fix.apply("é\u200dé")  # (its tables load on first use)
    norm = Normalize()
    for f, text, want in [(norm, " " * 60_000 + "x\n ", " " * 60_000 + "x\n"),
                          (fix, "é" + "\u200d" * 30_000 + "é", None)]:
        t0 = time.process_time()
        out = f.apply(text).text
        assert time.process_time() - t0 < 2.0, f
        assert want is None or out == want
