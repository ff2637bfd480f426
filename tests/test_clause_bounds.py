"""_clause_shift's looser ceiling (_loose_ceiling) must never be below the ceiling it stands in
for (_guess_ceiling): a run it leaves out must be one the ceilings would leave out too, or
fix_mojibake's answers change.  Random arguments of every kind: each byte, either side, Han
characters common and rare, symbols, ASCII and nothing on either side."""

import random

import zhclean.filters.mojibake as M
from zhclean.charmodel import char_counts


def test_loose_ceiling_is_at_least_the_ceiling():
    rng = random.Random(11)
    pairs = [c for c in M._gbk_pairs() if c]
    chars = (list(char_counts()) + pairs[::5] + list("a1 ，。、©ⅰ①─αДあ€\ufffd") + [""]
             + [chr(rng.randrange(0x3400, 0xA000)) for _ in range(300)])
    for _ in range(40_000):
        x = rng.randrange(0x20, 0x100)
        lead_known = rng.random() < 0.5
        left, right = rng.choice(chars), rng.choice(chars)
        ceiling = M._guess_ceiling(x, lead_known, left, right)
        assert ceiling <= M._loose_ceiling(lead_known, left, right) + M.CEILING_SLACK / 1000, (x, lead_known, left, right)
