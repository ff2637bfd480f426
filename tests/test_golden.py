"""Golden fixtures: `zhclean clean` on each seed page must give the reviewed expected file."""

import pytest

from helpers import FIXTURES, SEEDS
from zhclean.cli import main

# the options the expected files were made with (tests/update_golden.py uses the same)
GOLDEN_ARGS: list[str] = ["--to", "simplified"]


@pytest.mark.parametrize("seed", sorted(p.name for p in SEEDS.glob("*.txt")))
def test_seed_matches_golden(seed, tmp_path):
    assert main(["clean", str(SEEDS / seed), "-o", str(tmp_path), "-q", *GOLDEN_ARGS]) == 0
    got = (tmp_path / seed).read_text(encoding="utf-8")
    want = (FIXTURES / "expected" / seed).read_text(encoding="utf-8")
    assert got == want, f"{seed} differs from fixtures/expected; if the change is intended, run tests/update_golden.py and review the diff"
