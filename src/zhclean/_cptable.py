"""Tables over all code points, filled the first time a code point is seen.

A filter that asks the same question of every character (what is its class, what does NFKC make
of it) asks it once per distinct code point and answers the rest with one numpy lookup over the
document.  The table holds 0x110000 entries; only the code points a run meets are ever computed.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache
from typing import Callable

UNKNOWN = -(2**31)


class LazyTable:
    """``table[cps]``: ``fn(cp)`` for every code point of the numpy array ``cps``, computed once each."""

    def __init__(self, fn: Callable[[int], int]):
        import numpy as np

        self.fn = fn
        self.values = np.full(0x110000, UNKNOWN, dtype=np.int32)

    def __getitem__(self, cps):
        import numpy as np

        out = self.values[cps]
        if len(out) and out.min() == UNKNOWN:  # (UNKNOWN is the least int32: one reduction, no mask)
            for cp in np.unique(cps[out == UNKNOWN]).tolist():
                self.values[cp] = self.fn(cp)
            out = self.values[cps]
        return out


def code_points(text: str):
    """The code points of ``text`` as a numpy uint32 array (lone surrogates included)."""
    import numpy as np

    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)


def from_code_points(cps) -> str:
    import numpy as np

    return cps.astype(np.uint32).tobytes().decode("utf-32-le", "surrogatepass")


@lru_cache(maxsize=1)
def _composes_with_previous() -> frozenset[int]:
    """Starters that canonical composition can join to the character before them: the second
    halves of two-character canonical decompositions, and Hangul medial vowels and final consonants."""
    out = set(range(0x1161, 0x1176)) | set(range(0x11A8, 0x11C3))
    for cp in range(0x30000):
        d = unicodedata.decomposition(chr(cp))
        if d and not d.startswith("<"):
            parts = d.split()
            if len(parts) == 2:
                out.add(int(parts[1], 16))
    return frozenset(out)


COMPLEX = -1


def nfkc_simple(cp: int) -> int:
    """What NFKC makes of ``cp`` in any context, if that is one code point whatever surrounds it;
    else ``COMPLEX`` (it expands, is a combining mark, or may compose with its neighbour).  A
    string of code points that are not ``COMPLEX`` normalises character by character."""
    ch = chr(cp)
    n = unicodedata.normalize("NFKC", ch)
    if len(n) != 1:
        return COMPLEX
    seconds = _composes_with_previous()
    if unicodedata.combining(ch) or unicodedata.combining(n) or cp in seconds or ord(n) in seconds:
        return COMPLEX
    return ord(n)
