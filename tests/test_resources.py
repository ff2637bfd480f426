"""Memory that grows with the batch or the block, not with the input (issue 14)."""

import tracemalloc

import numpy as np

from zhclean.dedup import minhash
from zhclean.engines import local
from zhclean.io.formats import iter_chunks, iter_lines

TEXT = "".join(chr(0x4E00 + (i * 7919) % 20000) for i in range(400_000))


def test_a_long_view_is_signed_in_windows_with_the_same_signature():
    views = [TEXT, TEXT[:8195], TEXT[:8196], TEXT[:20_000], "短", ""]
    for n in (1, 3, 5):
        whole = minhash.signatures(views, n, block=1_000_000)  # every view signed in one piece
        assert np.array_equal(minhash.signatures(views, n), whole)


def test_signing_a_long_view_does_not_take_memory_per_character_and_permutation():
    tracemalloc.start()
    try:
        minhash.signatures([TEXT], 3, 128)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 40e6  # one (128 x len) array would be 205 MB


def test_jsonl_batches_are_bounded(tmp_path, monkeypatch):
    monkeypatch.setattr(local, "BATCH_BYTES", 10_000)
    f = tmp_path / "big.jsonl"
    line = b'{"text": "' + "字".encode() * 300 + b'"}'
    f.write_bytes(b"\n".join([line] * 2000) + b"\n")
    sizes = [sum(len(x) + 1 for x in lines) for _, lines, _ in local._batches(f)]
    assert sum(sizes) == f.stat().st_size
    assert max(sizes) < 10_000 + len(line) + 1
    assert len(list(iter_lines(iter_chunks(f)))) == 2001

