import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
SEEDS = FIXTURES / "seeds"
CASES = Path(__file__).resolve().parent / "cases"


def load_cases(name):
    return json.loads((CASES / name).read_text(encoding="utf-8"))


def case_params(name):
    """pytest params from a case file; cases marked expect=fail become strict xfails with their reason."""
    out = []
    for c in load_cases(name):
        marks = []
        if c.get("expect") == "fail":
            marks = [pytest.mark.xfail(strict=True, reason=c.get("reason", "known failure"))]
        out.append(pytest.param(c, id=c["label"], marks=marks))
    return out


def corpus(name):
    with open(FIXTURES / "corpora" / name, encoding="utf-8") as f:
        return [json.loads(line)["text"] for line in f]


def seed(prefix):
    return next(SEEDS.glob(prefix + "_*.txt"))


def fuzz_strings(pieces, n=4000, seed=2, max_len=25):
    """Seeded random strings drawn from ``pieces`` (for comparing a fast path with the plain one)."""
    import random

    rng = random.Random(seed)
    return ["".join(rng.choice(pieces) for _ in range(rng.randint(0, max_len))) for _ in range(n)]


def plain_rule_filter(f):
    """A copy of rule filter ``f`` run the plain way: every rule applied, no skipping tests."""
    import dataclasses

    from zhclean.filters._rules import RuleFilter

    plain = RuleFilter()
    plain.name = f.name
    plain.rules = tuple(dataclasses.replace(r, may_match=None, needs=None, one_pass=False) for r in f.rules)
    return plain


def assert_same_answers(fast, plain, texts):
    """``fast.apply`` and ``plain.apply`` give the same text and explanations on every text;
    returns how many texts changed (so a caller can check the texts exercise the rules)."""
    changed = 0
    for t in texts:
        a, b = fast.apply(t, True), plain.apply(t, True)
        assert (a.text, a.changes) == (b.text, b.changes), t
        changed += a.text != t
    return changed
