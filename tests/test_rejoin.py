"""rejoin_paragraphs by sentence completeness, measured on sets built from the corpora (tests/rejoin_sets.py).

Seed 11 is the set the rule was tuned on; seeds 12-15 were looked at while fixing false joins;
seeds 16 and 17 were measured only after the rule was fixed.  Figures at the last change:
joined 0.960 / 0.953 / 0.967 / 0.973 / 0.943 / 0.950 / 0.960 for seeds 11-17, no false join.
"""

from __future__ import annotations

import pytest

from rejoin_sets import KINDS, rejoin_set
from zhclean import clean_and_explain
from zhclean.filters.paragraphs import rejoin_paragraphs
from zhclean.filters.boilerplate import rejoin_paragraphs as old_path

SEEDS = range(11, 18)


@pytest.fixture(scope="module")
def sets():
    return {s: rejoin_set(seed=s) for s in SEEDS}


def test_set_sizes(sets):
    for splits, negatives in sets.values():
        assert len(splits) >= 200 and len(negatives) >= 200


@pytest.mark.parametrize("seed", SEEDS)
def test_no_false_join(sets, seed):
    _, negatives = sets[seed]
    wrong = [t for t in negatives if rejoin_paragraphs(t) != t]
    assert wrong == []


def test_joined_share_over_all_sets(sets):
    got = [rejoin_paragraphs(a) == b for s in SEEDS for a, b in sets[s][0]]
    assert sum(got) / len(got) >= 0.95


@pytest.mark.parametrize("seed", [11, 16, 17])
def test_joined_share_per_set(sets, seed):
    splits, _ = sets[seed]
    assert sum(rejoin_paragraphs(a) == b for a, b in splits) / len(splits) >= 0.95


@pytest.mark.xfail(strict=True, reason="seed 15 measures 0.943 joined (colon splits before a short clause)")
def test_joined_share_seed_15(sets):
    splits, _ = sets[15]
    assert sum(rejoin_paragraphs(a) == b for a, b in splits) / len(splits) >= 0.95


def test_every_kind_mostly_joined(sets):
    splits = sets[11][0]
    per = len(splits) // len(KINDS)
    for i, kind in enumerate(KINDS):
        part = splits[i * per:(i + 1) * per]
        assert sum(rejoin_paragraphs(a) == b for a, b in part) / len(part) >= 0.8, kind


def test_heading_of_seed_001_never_joined():
    text = "推动重点项目建设提速增效\n\n今年以来，全市重点项目建设加快推进。\n"
    assert rejoin_paragraphs(text) == text


def test_join_explained_with_its_evidence():
    text = "这项研究的结果表明，在过去的十年里，\n\n城市的空气质量有了明显的改善。\n"
    out, changes = clean_and_explain(text, steps=["rejoin_paragraphs"])
    assert out == "这项研究的结果表明，在过去的十年里，城市的空气质量有了明显的改善。\n"
    assert [c.rule for c in changes] == ["page_break"]
    assert "mid-sentence" in changes[0].reason


def test_old_import_path():
    assert old_path is rejoin_paragraphs
