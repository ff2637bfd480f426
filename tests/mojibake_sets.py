"""Mojibake test cases built from the corpora: every kind of damage, and clean negatives."""

from __future__ import annotations

import json
import random
import re

from helpers import FIXTURES, corpus

SENT = re.compile(r"[^。！？]{8,60}[。！？]")


def sentences(seed=5):
    rng = random.Random(seed)
    s = [x for p in corpus("cmrc2018_contexts.jsonl") for x in SENT.findall(p)]
    t = [x for p in corpus("drcd_contexts.jsonl") for x in SENT.findall(p)]
    rng.shuffle(s)
    rng.shuffle(t)
    return s, t


def _strict(text: str, enc_from: str, enc_to: str) -> str | None:
    try:
        return text.encode(enc_from).decode(enc_to)
    except (UnicodeEncodeError, UnicodeDecodeError):
        return None


def cases(per_kind: int = 120, seed: int = 5):
    """(kind, damaged, original).  Each kind is made the way it happens: bytes in one encoding
    read as another.  Only cases where the damage is reversible in principle are kept, except
    shifted_gbk, where one byte is really gone (a repair must match all but one character)."""
    s, t = sentences(seed)
    rng = random.Random(seed)
    out = []

    def take(kind, pool, make):
        n = 0
        for x in pool:
            d = make(x)
            if d is not None and d != x:
                out.append((kind, d, x))
                n += 1
                if n == per_kind:
                    break

    def clause_damage(enc):
        # a whole sentence rarely survives a strict misreading; a clause often does, as on real
        # pages where one field or phrase came through the wrong decoder
        def make(x):
            parts = re.split(r"([，、；：])", x)
            for i in range(0, len(parts), 2):
                bad = _strict(parts[i], "utf-8", enc) if len(parts[i]) >= 2 else None
                if bad:
                    return "".join(parts[:i] + [bad] + parts[i + 1:])
            return None
        return make

    take("utf8_as_gbk", s + t, clause_damage("gbk"))
    take("utf8_as_big5", t + s, clause_damage("big5"))
    take("gbk_as_latin1", s, lambda x: _strict(x, "gbk", "latin-1"))
    take("gbk_as_cp1252", s[300:], lambda x: _strict(x, "gbk", "cp1252"))
    take("big5_as_latin1", t, lambda x: _strict(x, "big5", "latin-1"))
    take("utf8_as_cp1252", s[600:] + t[600:], lambda x: _strict(x, "utf-8", "cp1252"))
    take("double_utf8", s[900:], lambda x: (lambda y: _strict(y, "utf-8", "latin-1") if y else None)(
        _strict(x, "utf-8", "latin-1")))

    def shifted(x):
        b = x.encode("gbk")
        if len(b) < 20:
            return None
        k = rng.randrange(6, len(b) - 10)
        if b[k] < 0x80:
            return None
        # the page's text from byte k+1 on was decoded one byte out of step until the next resync
        return (b[:k] + b[k + 1:]).decode("gbk", errors="replace")

    take("shifted_gbk", s[1200:], shifted)

    def mixed(x):  # one damaged sentence inside a clean paragraph
        d = _strict(x, "utf-8", "gbk")
        return None if d is None else None
    return out


def paragraph_case(seed=3):
    """A paragraph of clean sentences with one mojibake sentence in the middle."""
    s, _ = sentences(seed)
    for i in range(len(s) - 3):
        bad = _strict(s[i + 1], "utf-8", "gbk")
        if bad:
            return s[i] + bad + s[i + 2], s[i] + s[i + 1] + s[i + 2]
    raise AssertionError("no case")


def negatives(n: int = 1000):
    """Clean text that must not change: real paragraphs and other scripts and symbols."""
    paras = corpus("cmrc2018_contexts.jsonl")[:450] + corpus("drcd_contexts.jsonl")[:450]
    extra = [
        "日本語のテキストです。東京は晴れ、気温は二十度でした。", "カタカナとひらがなを混ぜた文章：コンピューター。",
        "한국어 텍스트입니다. 서울은 맑습니다.", "대한민국의 수도는 서울이다.",
        "家族旅行👨‍👩‍👧🎉，玩得很开心😀！", "❤️🔥✨ 表情符号测试 🇨🇳",
        "Café, naïve, façade, résumé, Zoë, jalapeño.", "Ærøskøbing, Ångström, Øresund, Straße.",
        "ＡＢＣ１２３，全角拉丁字母和数字。", "∑∫√∞≈≠≤≥±×÷∂∇ 数学符号 α β γ δ π Ω",
        "温度为25℃，湿度60％，价格€12与£8与¥100。", "Ｈｅｌｌｏ　Ｗｏｒｌｄ（全角）",
        "Привет, мир! Это русский текст.", "Γειά σου Κόσμε, ελληνικά.", "مرحبا بالعالم", "שלום עולם",
        "中文里的英文 Open Source 和数字 1,234.56 不应改变。", "引号“这样”和「这样」，书名《红楼梦》。",
    ]
    ftfy_neg = [c["original"] for c in json.loads((FIXTURES / "peers" / "ftfy" / "negative.json").read_text(encoding="utf-8"))
                if c["original"] == c["fixed"]]
    out = paras + extra * 3 + ftfy_neg
    s, t = sentences(9)
    out += s[:60] + t[:60]
    return out[:max(n, len(out))]
