"""convert and detect_script: Traditional/Simplified and regional variants with OpenCC configs.

The engine (:mod:`zhclean.opencc_engine`) runs OpenCC's current dictionaries, shipped
with the package under OpenCC's Apache 2.0 licence, and passes every pair of OpenCC's
own ``testcases.json`` (see tests/test_convert.py).

>>> convert("发育和头发", "s2t")
'發育和頭髮'
>>> convert("滑鼠裡的軟體", "tw2sp")
'鼠标里的软件'
>>> detect_script("這是繁體中文").script
'traditional'
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..errors import ConfigError, closest
from .. import opencc_engine
from ..opencc_engine import converter, load_dictionary
from ..pipeline import StepResult, diff_changes
from ..registry import make_settings, register
from ._rules import Filter

TARGETS = {
    # target -> (config for simplified input, config for traditional input)
    "simplified": ("", "t2s"),
    "traditional": ("s2t", ""),
    "tw": ("s2tw", "t2tw"),
    "twp": ("s2twp", "t2tw"),
    "hk": ("s2hk", "t2hk"),
}
ALIASES = {"s": "simplified", "zh-hans": "simplified", "cn": "simplified", "t": "traditional",
           "zh-hant": "traditional", "zh-tw": "tw", "zh-hk": "hk"}

_KANA = re.compile(r"[\u3040-\u309f\u30a0-\u30ff\u31f0-\u31ff]")
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def is_japanese(text: str) -> bool:
    """Kana make up at least a quarter of the Han and kana characters (a Chinese page quoting a
    Japanese title is still Chinese)."""
    k = len(_KANA.findall(text))
    if not k:
        return False
    return k / (k + len(_HAN.findall(text))) >= 0.25


def convert(text: str, config: str = "t2s") -> str:
    """Convert ``text`` with an OpenCC config (s2t, t2s, s2tw, tw2s, s2twp, tw2sp, s2hk, hk2s, t2tw,
    tw2t, t2hk, hk2t, s2hkp, hk2sp, t2jp, jp2t)."""
    if not isinstance(text, str):
        raise TypeError(f"convert expects str, got {type(text).__name__}")
    if config not in opencc_engine.CONFIGS:
        raise ConfigError(f'unknown OpenCC config "{config}".{closest(config, opencc_engine.CONFIGS)}')
    return converter(config)(text)


@lru_cache(maxsize=1)
def _script_sets() -> tuple[set, set]:
    """Characters OpenCC maps away in one direction only: (Simplified-only, Traditional-only)."""
    st = load_dictionary("STCharacters")
    ts = load_dictionary("TSCharacters")
    simp = {k for k, v in st.items() if v != k and k not in ts}
    trad = {k for k, v in ts.items() if v != k and k not in st}
    return simp, trad


@lru_cache(maxsize=1)
def _script_classes() -> tuple[re.Pattern, re.Pattern]:
    simp, trad = _script_sets()

    def cls(chars):
        return re.compile("[" + "".join(re.escape(c) for c in sorted(chars)) + "]")

    return cls(simp), cls(trad)


@dataclass(frozen=True)
class ScriptGuess:
    """``script`` is simplified, traditional, mixed or none; ``confidence`` is in [0, 1]."""

    script: str
    confidence: float
    simplified: int
    traditional: int


@lru_cache(maxsize=1)
def _script_table():
    """A flag per code point for :func:`detect_script`: 1 Simplified-only and 2 Traditional-only (the
    characters of :func:`_script_classes`), 4 kana and 8 Han (the classes of :func:`is_japanese`)."""
    import numpy as np

    table = np.zeros(0x110000, dtype=np.uint8)
    for flag, chars in zip((1, 2), _script_sets()):
        for c in chars:
            for ch in c:
                table[ord(ch)] |= flag
    bmp = "".join(map(chr, range(0x10000)))  # both classes lie in the BMP: a match's place is its code point
    for flag, pattern in ((4, _KANA), (8, _HAN)):
        for m in pattern.finditer(bmp):
            table[m.start()] |= flag
    return table


def _flag_sum(counts, flag: int) -> int:
    return int(sum(counts[i] for i in range(16) if i & flag))


def detect_script(text: str) -> ScriptGuess:
    """Guess whether ``text`` is Simplified or Traditional Chinese, from characters that exist in one only.

    The counts are of characters that OpenCC maps away in one direction and never produces in the
    other; shared characters say nothing.  Japanese (kana at least a quarter of the Han and kana) counts as none.
    The characters are counted through a code-point table in numpy (one pass over the text).
    """
    import numpy as np

    flags = _script_table()[np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)]
    counts = np.bincount(flags, minlength=16).tolist()
    kana = _flag_sum(counts, 4)
    if kana and kana / (kana + _flag_sum(counts, 8)) >= 0.25:  # is_japanese(text)
        return ScriptGuess("none", 1.0, 0, 0)
    return script_guess(_flag_sum(counts, 1), _flag_sum(counts, 2))


def script_guess(s: int, t: int) -> ScriptGuess:
    """The guess from the counts of Simplified-only (``s``) and Traditional-only (``t``) characters."""
    n = s + t
    if n == 0:
        return ScriptGuess("none", 1.0, 0, 0)
    major = max(s, t) / n
    if major >= 0.8:
        # confidence grows with the evidence: 1 char -> 0.5, 10 chars -> ~0.9
        conf = major * (1 - 0.5 ** (n / 2 + 0.5))
        return ScriptGuess("simplified" if s > t else "traditional", round(min(conf, 1.0), 3), s, t)
    return ScriptGuess("mixed", round(1 - abs(s - t) / n, 3), s, t)


def resolve_target(to: str) -> str:
    to = ALIASES.get(to.lower(), to.lower())
    if to not in TARGETS and to not in opencc_engine.CONFIGS:
        raise ConfigError(f'unknown conversion target "{to}".{closest(to, list(TARGETS) + opencc_engine.CONFIGS)}')
    return to


@dataclass(frozen=True)
class ConvertSettings:
    """``to``: a script (simplified, traditional, tw, twp, hk), converted only where needed;
    or ``config``: an OpenCC config applied as it is."""

    to: str = ""
    config: str = ""

    def __post_init__(self):
        if self.to:
            resolve_target(self.to)
        if self.config and self.config not in opencc_engine.CONFIGS:
            raise ConfigError(f'unknown OpenCC config "{self.config}".{closest(self.config, opencc_engine.CONFIGS)}')


class Convert(Filter):
    name = "convert"

    def __init__(self, settings: ConvertSettings):
        self.settings = settings
        self.target = resolve_target(settings.to) if settings.to else ""

    def config_for(self, paragraph: str) -> str:
        if self.settings.config:
            return self.settings.config
        if self.target in opencc_engine.CONFIGS:
            return self.target
        guess = detect_script(paragraph)
        if guess.script == "none" and not guess.simplified and not guess.traditional:
            return ""
        from_simp, from_trad = TARGETS[self.target]
        if guess.script == "simplified":
            return from_simp
        if guess.script == "traditional":
            return from_trad
        # mixed: bring both kinds to the target
        return from_trad or from_simp

    def apply(self, text: str, explain: bool = False) -> StepResult:
        if _KANA.search(text):
            # convert paragraph by paragraph and leave Japanese ones alone
            out = []
            for para in text.split("\n"):
                cfg = "" if is_japanese(para) else self.config_for(para)
                out.append(convert(para, cfg) if cfg else para)
            new = "\n".join(out)
        else:
            cfg = self.config_for(text)
            new = convert(text, cfg) if cfg else text
        res = StepResult(new)
        if explain and new != text:
            res.changes = [
                c.__class__(c.filter, f"opencc:{self.config_for(c.before) or 'none'}", c.before, c.after, c.line,
                            "script conversion")
                for c in diff_changes(self.name, text, new)
            ]
        return res


register("convert", lambda o: Convert(make_settings(ConvertSettings, o, "convert")))
