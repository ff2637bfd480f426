"""detect_script counts through a numpy code-point table: the same answers as the regex classes."""

import random

from helpers import corpus
from zhclean.filters.script import ScriptGuess, _script_classes, detect_script, is_japanese, script_guess


def regex_detect_script(text):
    """The plain version: the character classes counted with findall."""
    if is_japanese(text):
        return ScriptGuess("none", 1.0, 0, 0)
    s_re, t_re = _script_classes()
    return script_guess(len(s_re.findall(text)), len(t_re.findall(text)))


def test_table_counts_equal_regex_counts():
    rng = random.Random(1)
    texts = corpus("cmrc2018_contexts.jsonl")[:300] + corpus("drcd_contexts.jsonl")[:300]
    texts += ["", "あいう漢字", "這是繁體中文", "\ud800x", "カタカナ中文中文中文", "𠀀𡃁", "这是简体，這是繁體"]
    pools = [(0x3000, 0xA000), (0x20000, 0x20100), (0xD800, 0xE000), (0, 0x3000), (0xF900, 0xFB00)]
    for _ in range(2000):
        texts.append("".join(chr(rng.randrange(*rng.choice(pools))) for _ in range(rng.randint(0, 30))))
    guesses = [detect_script(t) for t in texts]
    assert guesses == [regex_detect_script(t) for t in texts]
    assert {g.script for g in guesses} == {"simplified", "traditional", "mixed", "none"}
