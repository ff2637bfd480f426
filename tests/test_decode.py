"""decode: the one-byte-lost set (issue 12), the numpy plausibility against the model, and exact
decoding of the clean corpus (the accuracy sets by encoding and length are in test_mojibake.py)."""

import pytest

from helpers import FIXTURES
from zhclean import decode


def test_decode_one_gbk_byte_lost():
    """Issue 12 point 4: a 120-character GBK line with one byte lost (tests/decode_sets.py; the
    realignment was tuned on the dev half, this is the test half)."""
    from decode_sets import lost_byte_cases, near

    cs = lost_byte_cases("test")
    ok = sum(near(decode(b), t) for b, t in cs)
    assert ok >= 0.9 * len(cs), (ok, len(cs))


def test_decode_fast_plausibility_matches_the_model():
    from zhclean.encoding import _batch_plausibility, _fast_plausibility, plausibility

    from mojibake_sets import sentences

    s, t = sentences(21)
    texts = ["abc", "中", "𠀀中文𠀁的", "한국어와 中文", "カタカナ", "\ufffd\ue000中\x85"]
    for x in (s + t)[:60]:
        for enc in ("gbk", "big5", "utf-8"):
            b = x.encode(enc, errors="ignore")
            texts += [b.decode(e, errors="replace") for e in ("gb18030", "cp950", "cp949", "shift_jis", "utf-16-le")]
    batch = _batch_plausibility(texts)
    for x, fb in zip(texts, batch):
        assert abs(plausibility(x) - _fast_plausibility(x)) < 1e-9, x
        assert abs(plausibility(x) - fb) < 1e-9, x


@pytest.mark.slow
def test_decode_clean_corpus_exact():
    """Every corpus paragraph and 8-paragraph document, as GBK, GB18030 and Big5, decodes exactly."""
    import sys

    sys.path.insert(0, str(FIXTURES.parent / "benchmarks"))
    from _common import documents, paragraphs

    for enc, which in (("gbk", "simplified"), ("gb18030", "simplified"), ("big5", "traditional")):
        ps = paragraphs(which)
        for p in ps + documents(ps):
            try:
                b = p.encode(enc)
            except UnicodeEncodeError:
                continue
            assert decode(b) == p, (enc, p[:40])


def test_decode_ascii_and_utf8_fast_paths_exact():
    from mojibake_sets import sentences

    from zhclean import decode_with_info

    s, t = sentences(21)
    for x in s[:50] + t[:50] + ["plain ASCII text, 123 (ok)", "", "a" * 5000]:
        info = decode_with_info(x.encode("utf-8"))
        assert info.text == x and info.encoding == "utf-8" and info.confidence == 1.0


def test_plausibility_in_a_batch_equals_alone():
    """decode reuses the contest's score of a short GB18030 reading instead of scoring it again: a
    text's score in a batch must be the score it gets alone."""
    import random

    from helpers import corpus
    from zhclean.encoding import _batch_plausibility

    paras = corpus("cmrc2018_contexts.jsonl") + corpus("drcd_contexts.jsonl")
    rng = random.Random(3)
    for _ in range(500):
        texts = [rng.choice(paras)[:rng.randint(0, 600)] + rng.choice(["", "é", "𠀀", "\ue000", "가"])
                 for _ in range(rng.randint(1, 5))]
        assert _batch_plausibility(texts) == [_batch_plausibility([t])[0] for t in texts]
