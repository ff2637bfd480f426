"""The standing fuzzer in CI: each property of fuzz_props on a fixed, derandomised budget.

``make fuzz`` runs the same properties at 100,000 examples in all (tools/fuzz.py).
"""

import os

import pytest
from hypothesis import HealthCheck, given, settings

import fuzz_props

BUDGET = int(os.environ.get("ZHCLEAN_HYPOTHESIS_EXAMPLES", "200"))


@pytest.mark.parametrize("name", sorted(fuzz_props.PROPERTIES))
def test_property(name):
    fn, strategies = fuzz_props.PROPERTIES[name]
    n = max(10, int(BUDGET * fuzz_props.WEIGHTS.get(name, 1.0)))
    run = settings(max_examples=n, deadline=None, derandomize=True, database=None,
                   suppress_health_check=list(HealthCheck))(given(*strategies)(fn))
    run()


# the defects the fuzzer found, pinned as regression cases
REGRESSIONS = [
    "\u00ce\u00d2\u6cd5\u00e9\u2122\u00a2\u00e5",  # clean and clean_and_explain disagreed
    "\x81",  # changed with no explanation
    "??可👩\u200d👧",  # the second pass stripped the ZWJ, unexplained
    "旯狟?",  # utf8_as_gbk turned valid Chinese into Korean on the second pass
    "鍑犲熀:～",  # repaired only once normalising had changed it
    "飚楈？",  # valid rare CJK rewritten into Hangul
    "前上那进最者出为作 从狟日亲着,间飚楈,\xa0但不～",
]


@pytest.mark.parametrize("text", REGRESSIONS)
def test_regressions(text):
    for name in ("api_never_raises", "idempotent", "clean_equals_explain", "every_change_explained"):
        fuzz_props.PROPERTIES[name][0](text)
