"""rejoin_paragraphs by sentence completeness, measured on sets built from the corpora (tests/rejoin_sets.py).

Seed 11 is the set the rule was tuned on; seeds 12-15 were looked at while fixing false joins;
seeds 16 and 17 were measured only after the rule was fixed.  Figures at the last change:
joined 0.960 / 0.953 / 0.967 / 0.973 / 0.943 / 0.950 / 0.960 for seeds 11-17, no false join.
"""

from __future__ import annotations

import pytest

from rejoin_sets import KINDS, rejoin_set
from zhclean import clean_and_explain
from zhclean.filters.paragraphs import RejoinParagraphs, rejoin_paragraphs
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


@pytest.mark.parametrize("title", [
    "共享充电宝涨价告别1元时代：是“收割韭菜”还是回归理性_10%公司_澎湃新闻-The Paper",
    "10年前父親掐死兒後自縊... 凶宅下月拍開價425萬 - 生活 - 自由時報電子報",
    "写给想在英国找工作的留学党 一些规划和面试的想法-英国留学生活|留学攻略-51offer让留学更简单",
])
def test_a_page_title_is_a_heading_at_any_length(title):
    """A page title (headline and site name between title separators) is never joined to the article."""
    para = "“以前花一两元就能充满电，前几天一下子被扣了四元。”市民张先生说。"
    assert rejoin_paragraphs(title + "\n" + para) == title + "\n" + para
    # a long line that is not a title still continues (no separator, no sentence end)
    body = "平头哥的做法是通过自研架构大幅减少对内存的访问在保证性能的情况下把芯片功耗降到最低水平具体而言含光"
    assert rejoin_paragraphs(body + "\n800会根据神经网络推理运算特征进行调度。") != body + "\n800会根据神经网络推理运算特征进行调度。"


def test_a_line_cut_after_a_comma_does_not_run_into_a_heading():
    """Seed 001: a cut repeat leaves "…项目现场，"; the heading after it starts a new section."""
    text = "奋力推动江门高质量发展。项目现场，\n\n营造有利于制造业高质量发展的环境\n\n在全市高质量发展第一次推进会召开之前，市领导到园区调研。"
    assert rejoin_paragraphs(text) == text
    # a continuation that goes on a list or a bracket is still joined
    assert rejoin_paragraphs("别名有金雀梅（\n\n福建）、文钱红（广西）") == "别名有金雀梅（福建）、文钱红（广西）"


@pytest.mark.parametrize("text, joined", [
    # hard-wrapped lines: a line after a comma continues, headline-like or not (no blank line between)
    ("近年来，我国经济持续稳定增长，\n人民生活水平不断提高城乡居民收入\n稳步增加，消费结构持续优化升级。",
     "近年来，我国经济持续稳定增长，人民生活水平不断提高城乡居民收入稳步增加，消费结构持续优化升级。"),
    ("记者来到现场，\n看到工人们正在紧张施工\n一派繁忙景象。", "记者来到现场，看到工人们正在紧张施工一派繁忙景象。"),
    # a dash inside a long line is no page title's separator
    ("随着京—沪高铁沿线城市群的发展，各地政府纷纷出台政策吸引人才并力争\n早日取得实效。",
     "随着京—沪高铁沿线城市群的发展，各地政府纷纷出台政策吸引人才并力争早日取得实效。"),
])
def test_wrapped_lines_still_join(text, joined):
    assert rejoin_paragraphs(text) == joined


def test_rejoin_settles_on_a_cascade_of_open_lines():
    """Each pass joins one more level of lines ending after “; past three passes the step says it is not
    settled, and the pipeline asks it again: the answer is stable."""
    from zhclean.pipeline import Pipeline

    text = "\n".join([f"第{i}段里他们谈到的是“" for i in range(6)] + ["这本书，写得很好。”"])
    p = Pipeline(["rejoin_paragraphs"])
    assert p(p(text)) == p(text)


class _PlainRejoin(RejoinParagraphs):
    """rejoin_paragraphs as it read every line before the fast reading: _OPEN_END searched along the
    whole stripped line, every line copied and joined again (the oracle for the fast reading)."""

    def _once(self, text, explain):
        from zhclean.filters.paragraphs import _JUMP, _OPEN_END
        from zhclean.pipeline import Change, StepResult

        lines = text.split("\n")
        out, changes, i, n = [], [], 0, len(lines)
        while i < n:
            cur = lines[i]
            joined_any = False
            while True:
                s = cur.rstrip()
                if not s or not _OPEN_END.search(s):
                    break
                j = i + 1
                between = []
                while j < n and (not lines[j].strip() or _JUMP.match(lines[j])):
                    between.append(lines[j])
                    j += 1
                if j >= n:
                    break
                nxt = lines[j].lstrip()
                between_paragraphs = any(not b.strip() for b in between) and any(
                    ln.strip() for ln in lines[j + 1:j + 3])
                why = self._continues(s, nxt, between_paragraphs)
                if why is None:
                    break
                if explain:
                    changes.append(Change(self.name, "page_break", s + "\n" + "\n".join(between + [nxt]),
                                          s + nxt, i + 1, "paragraph split at a page break: " + why))
                cur = s + nxt
                i = j
                joined_any = True
            out.append(cur if joined_any else lines[i])
            i += 1
        new = "\n".join(out)
        return StepResult(new, changes) if new != text else StepResult(text)


def test_fast_reading_gives_the_plain_answer(sets):
    """Reading only the lines one scan finds open (or ending in whitespace), looking only at a line's
    last character, and copying lines only from the first join on, save time and nothing else:
    text, explanations and the settled flags equal the plain reading's on random and adversarial
    text (rare CJK, invisibles, odd whitespace that str.rstrip strips, full- and half-width
    punctuation, entities) and on the rejoin sets."""
    from helpers import fuzz_strings

    pieces = list("中文字龙头企业，、。！？：；,.:;!?（）()「」『』《》“”‘’abZ19 \t\u3000\u00a0\x85\u2028\x1c\x0b\r") + [
        "\n", "\n", "\n\n", "\n\n\n", "下转第2版", "（上接第A3版）", "- 12 -", "第3页", "——作者", "--", "𠀀", "𪚥", "㐀",
        "\u200b", "\u200d", "&amp;", "&#x4e2d;", "<p>", "当前，", "当前", "网站_新闻中心", " - 新浪", "是", "。\n"]
    texts = fuzz_strings(pieces, n=6000, seed=5, max_len=30)
    for splits, neg in sets.values():
        texts += [t for t, _ in splits] + neg
    fast, plain = RejoinParagraphs(), _PlainRejoin()
    changed = 0
    for t in texts:
        a, b = fast.apply(t, True), plain.apply(t, True)
        assert (a.text, a.changes, a.unsettled, a.settled) == (b.text, b.changes, b.unsettled, b.settled), t
        changed += a.text != t
    assert 0.2 * len(texts) < changed < 0.9 * len(texts)
