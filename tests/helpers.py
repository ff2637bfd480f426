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
