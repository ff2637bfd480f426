"""dedup_paragraphs: drop paragraphs that repeat earlier ones inside a document.

A paragraph is a non-empty line.  Each is compared, on its comparison view (width,
punctuation and Traditional/Simplified folded: :func:`zhclean.dedup.minhash.view`),
with the paragraphs before it, and the first occurrence is kept:

- ``exact``: the same view as an earlier paragraph;
- ``near``: MinHash-LSH finds earlier paragraphs whose signatures share a band, and the
  candidate is confirmed by the true Jaccard similarity of the character shingles
  (``threshold``); the removal records the estimate and the true value;
- ``containment``: nearly all of its shingles (``containment``) already appeared in
  earlier paragraphs, as when a repeated section is split into pieces;
- ``spliced``: a run of clauses (at least ``splice_min_chars`` view characters) that
  stands in more than one sentence is kept in one only, the sentence it is the smallest
  share of, and cut from the others, which keep the rest.

Views shorter than a shingle are compared exactly only; views shorter than
``containment_min_chars`` are never judged by containment, so short headings stay.

>>> dedup_paragraphs("第一段内容在这里。\\n第二段完全不同的内容。\\n第一段內容在這裡!\\n")
'第一段内容在这里。\\n第二段完全不同的内容。\\n'
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate, chain

import numpy as np

from ..dedup.lsh import band_keys, candidate_pairs, optimal_params
from .._cptable import code_points, from_code_points
from ..dedup.minhash import (_map_view, _split_views, _view_arrays, _view_lut, _views_numpy, _window_hashes,
                              permutations, shingles, signatures, view)
from ..pipeline import Change, StepResult
from ..registry import make_settings, register
from ._rules import Filter, default_instance, join_kept

_CLAUSE_MARKS = "，。！？；,;!?"  # (a clause ends at one of these, and the closing marks after it)
_CLOSERS = "”’」』）)"
_CLAUSE = re.compile(f"[^{_CLAUSE_MARKS}\\n]*[{_CLAUSE_MARKS}]?[{_CLOSERS}]*")
_SENTENCE = re.compile(r"[^。！？!?\n]*[。！？!?]*[”’」』）)]*")


def _codepoints(views: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """The code points of ``views`` put together (uint64) and each view's length."""
    lens = np.fromiter((len(v) for v in views), dtype=np.int64, count=len(views))
    cps = code_points("".join(views)).astype(np.uint64)
    return cps, lens


def _window_codes(cps: np.ndarray, lens: np.ndarray, n: int, bits: int = 21) -> tuple[np.ndarray, np.ndarray]:
    """A 64-bit code for every window of ``n`` code points that lies inside one view, and that view's
    number.  Up to three code points the code is exact (``bits`` each: 21 hold any code point, 16 the
    Basic Multilingual Plane); longer windows get a polynomial hash, where a collision is possible."""
    m = len(cps) - n + 1
    if m < 1:
        return np.zeros(0, dtype=np.uint64), np.zeros(0, dtype=np.int64)
    if n <= 3:
        code = np.zeros(m, dtype=np.uint64)
        for k in range(n):
            code <<= np.uint64(bits)
            code |= cps[k:k + m]
    else:
        code = _polynomial_windows(cps, n)
    pid = np.repeat(np.arange(len(lens)), lens)
    inside = pid[:m] == pid[n - 1:]
    return code[inside], pid[:m][inside]


_BASE = 0x100000001B3


def _polynomial_windows(cps: np.ndarray, n: int) -> np.ndarray:
    """``sum(cps[i + k] * B**(n - 1 - k) for k < n)`` mod 2**64 for every window start ``i`` (the code
    ``code = code * B + c`` gives), by prefix sums in a constant number of passes: with
    ``W[j] = cps[j] * B**-j`` (B is odd, so it has an inverse mod 2**64) and ``C`` the running sum of
    ``W``, a window's code is ``(C[i + n] - C[i]) * B**(i + n - 1)``."""
    size = len(cps)
    with np.errstate(over="ignore"):
        powers = np.full(size, _BASE, dtype=np.uint64)
        powers[0] = 1
        powers = np.cumprod(powers, dtype=np.uint64)
        inverse = np.full(size, pow(_BASE, -1, 1 << 64), dtype=np.uint64)
        inverse[0] = 1
        inverse = np.cumprod(inverse, dtype=np.uint64)
        prefix = np.zeros(size + 1, dtype=np.uint64)
        np.cumsum(cps * inverse, dtype=np.uint64, out=prefix[1:])
        return (prefix[n:] - prefix[:-n]) * powers[n - 1:]


def _may_repeat(cps: np.ndarray, lens: np.ndarray, m: int) -> bool:
    """Whether some ``m`` view characters stand at two places in these views (``_codepoints``).

    A run that :meth:`DedupParagraphs._spliced` cuts stands in two sentences and its view is at
    least ``splice_min_chars`` long, and sentence views put together make the paragraph's view; so
    where no window of that many characters repeats there is nothing to cut.  A hash collision only
    sends the text to the full search.  Linear in the text (and a sort)."""
    h, _ = _window_codes(cps, lens, m)
    if len(h) < 2:
        return False
    h.sort()
    return bool((h[1:] == h[:-1]).any())


def _sorted_keys(cps: np.ndarray, lens: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """(the key of every window of ``n`` code points, sorted: its code above, its position in the
    low 16 bits; the positions of the windows across two views).

    A shingle of two or three code points of 16 bits (none 0: see :func:`_sixteen_bits`) and its
    window's position (under 65,536) share one key, so equal shingles sort together in the order
    of their positions, and so of their paragraphs.  A window across two views is given the code
    of its position, which no shingle has (its last code point, not 0, stands at bit 32 or
    above).  ``cps, lens``: the views' code points put together and each view's length; at least
    ``n`` code points.

    The codes come from one read: the code points as 16-bit numbers, read as 64-bit numbers
    starting at every second byte (little-endian, so a window's first code point is the lowest),
    shifted up until the ``n`` code points fill the top; one shift and an or, where building
    the key a code point at a time took six passes."""
    m = len(cps) - n + 1
    u = np.zeros(len(cps) + 3, dtype="<u2")  # (the last window's read runs 4 - n code points past the end)
    u[:len(cps)] = cps
    key = np.ndarray((m,), dtype="<u8", buffer=u, strides=(2,)) << np.uint64(16 * (4 - n))
    ends = np.cumsum(lens)
    cross = (ends[:, None] - np.arange(1, n)).ravel()
    cross = cross[(cross >= 0) & (cross < m)]
    spots = np.arange(m, dtype=np.uint64)
    key |= spots
    key[cross] = spots[cross] * np.uint64(0x10001)
    key.sort()
    return key, cross


def _sorted_windows(cps: np.ndarray, lens: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(the code of every window of ``n`` code points, sorted, each one's position, each one's
    paragraph), from one sort of 64-bit keys (:func:`_sorted_keys`).  A window across two views
    has the paragraph ``len(lens)``, which is none."""
    m = len(cps) - n + 1
    key, cross = _sorted_keys(cps, lens, n)
    pos = (key & np.uint64(0xFFFF)).astype(np.intp)
    pid = np.repeat(np.arange(len(lens)), lens)[:m]
    pid[cross] = len(lens)
    return key >> np.uint64(16), pos, pid[pos]


def _screen(cps: np.ndarray, lens: np.ndarray, n: int, share: float) -> tuple[bool, int] | None:
    """(whether no paragraph shares ``share`` of its distinct ``n``-character shingles with other
    paragraphs, the longest stretch of consecutive windows inside one view whose shingle also
    stands somewhere else), from one sort; None where it does not apply.

    The first answer is :meth:`DedupParagraphs._nothing_shared`'s count (without its check for
    repeated views).  The second bounds the splice check: where ``m`` characters stand at two
    places, each of the ``m - n + 1`` shingles inside them stands at two places too, so with no
    stretch that long no ``m`` characters repeat (:func:`_may_repeat` need not look).

    ``cps, lens``: the views' code points put together and each view's length (see
    :func:`_sorted_windows`; it applies to fewer than 65,536 code points)."""
    size = len(cps)
    if n not in (2, 3) or share <= 0 or size >= 1 << 16:
        return None
    m = size - n + 1
    if m < 1:
        return True, 0
    key, cross = _sorted_keys(cps, lens, n)
    same = (key[1:] ^ key[:-1]) < np.uint64(1 << 16)  # (the same code: the keys differ below it only)
    dup = np.flatnonzero(same)
    if not len(dup):
        return True, 0  # no shingle stands twice
    # the windows whose shingle stands twice, in the order of their positions (set from the
    # pairs of neighbours with one code: on clean documents a few hundred of 3,000 windows)
    low = np.uint64(0xFFFF)
    flags = np.zeros(m + 2, dtype=bool)
    inner = flags[1:-1]
    inner[key[dup] & low] = True
    inner[key[dup + 1] & low] = True
    # their stretches (a window across two views is never one, so each lies in one paragraph)
    edges = np.flatnonzero(flags[1:] != flags[:-1])  # (each stretch's first window and the one after its last)
    begin = edges[::2]
    stretch = edges[1::2] - begin
    run = int(stretch.max())
    # a bound first: paragraph k shares at most t[k] of its distinct shingles (its windows that
    # stand twice) and has at least w[k] - t[k] (its windows that stand once), so where every t[k]
    # is under share * (w[k] - t[k]) none shares ``share``; on most clean documents this settles it
    paras = len(lens)
    repeats = int(stretch.sum())
    # (the bound summed over the paragraphs, checked first; a window that crosses two ends, past an
    # empty view, is counted twice in cross, which only makes this check the stricter)
    if repeats < share * (m - len(cross) - repeats):
        t = np.bincount(np.searchsorted(np.cumsum(lens), begin, side="right"), weights=stretch, minlength=paras)
        # (paragraph by paragraph in Python: a handful of numbers, where each numpy call costs a microsecond)
        if all(tk < share * (w - tk) for tk, size in zip(t.tolist(), lens.tolist()) if (w := size - (n - 1)) > 0):
            return True, run
    # otherwise the exact count: each paragraph's distinct shingles (by shingle, then position:
    # paragraph numbers rise) and those of them that stand in another paragraph too
    code = key >> np.uint64(16)
    pos = (key & low).astype(np.intp)
    pid = np.repeat(np.arange(paras), lens)[:m]
    pid[cross] = paras
    pid = pid[pos]
    first = np.ones(m, dtype=bool)
    first[1:] = ~same | (pid[1:] != pid[:-1])
    code, pid = code[first], pid[first]
    same = code[1:] == code[:-1]  # the same shingle in the next paragraph that has it
    shared = np.zeros(len(code), dtype=np.intp)
    shared[1:] = same
    shared[:-1] |= same
    counts = np.bincount(pid * 2 + shared, minlength=2 * paras + 2)[:2 * paras]
    common = counts[1::2]
    total = counts[::2] + common
    return bool(np.all((common < share * total) | (total == 0))), run


class _Counts:
    """Exact shingle counts of a document's paragraphs, from one sort (:func:`_sorted_windows`):
    the verdict loop's set arithmetic without the sets.

    ``sizes[k]``: paragraph k's distinct shingles; ``shared[i][j]``: the shingles i and j share;
    ``earlier[k]``: k's shingles that stand in a paragraph before it; ``firsts[k][j]``: k's
    shingles whose first paragraph is j.  Views shorter than a shingle have no windows here (their
    one shingle, the view, can equal no window), so the counts hold for views at least a shingle
    long, the only ones the verdicts count."""

    def __init__(self, cps: np.ndarray, lens: np.ndarray, n: int, max_pairs: int | None = None):
        """``max_pairs``: where the pairs of entries of one shingle to count are more, the counts
        stop before them and ``shared`` is None (the sets are then the quicker way)."""
        paras = len(lens)
        m = len(cps) - n + 1
        if m < 1:
            code, pid = np.zeros(0, dtype=np.uint64), np.zeros(0, dtype=np.intp)
        else:
            code, _, pid = _sorted_windows(cps, lens, n)
            first = np.ones(m, dtype=bool)
            first[1:] = (code[1:] != code[:-1]) | (pid[1:] != pid[:-1])
            first &= pid < paras
            code, pid = code[first], pid[first]  # each paragraph's distinct shingles, by shingle
        begins = np.ones(len(code), dtype=bool)
        begins[1:] = code[1:] != code[:-1]
        group = np.cumsum(begins) - 1
        holder = pid[np.flatnonzero(begins)][group]  # the first paragraph with the shingle
        self.sizes = np.bincount(pid, minlength=paras).tolist()
        self.earlier = np.bincount(pid[holder < pid], minlength=paras).tolist()
        self.firsts = np.bincount(pid * paras + holder, minlength=paras * paras).reshape(paras, paras)
        # pairs: paragraphs by shingles that stand in more than one, a block of shingles at a time
        many = np.bincount(group, minlength=len(begins) and int(group[-1]) + 1) > 1
        inside = many[group]
        rank, pid = (np.cumsum(many) - 1)[group[inside]], pid[inside]  # (rank rises along the entries)
        # every pair of entries of one shingle, counted by (paragraph, paragraph) with bincount (not
        # a matrix product: numpy hands a float product to BLAS, whose threads then spin on the other
        # cores, CPU time that showed as a third of the pipeline's on page dumps); a few shingles at
        # a time, so that memory stays near BLOCK pairs
        shared = np.zeros(paras * paras, dtype=np.int64)
        if len(rank):
            starts = np.flatnonzero(np.r_[True, rank[1:] != rank[:-1]])
            sizes = np.diff(np.r_[starts, len(rank)])
            pairs = np.cumsum(sizes * sizes)
            if max_pairs is not None and pairs[-1] > max_pairs:
                self.shared = None
                return
            lo = 0
            while lo < len(starts):
                hi = max(lo + 1, int(np.searchsorted(pairs, (pairs[lo - 1] if lo else 0) + self.BLOCK, "right")))
                size, start = sizes[lo:hi], starts[lo:hi]
                each = np.repeat(size, size)  # per entry: how many it pairs with
                entry = np.arange(start[0], start[-1] + size[-1])
                a = np.repeat(entry, each)
                first = np.repeat(np.repeat(start, size), each)
                b = first + np.arange(len(a)) - np.repeat(np.cumsum(each) - each, each)
                shared += np.bincount(pid[a] * paras + pid[b], minlength=paras * paras)
                lo = hi
        self.matrix = shared.reshape(paras, paras)
        self.shared = self.matrix.tolist()

    BLOCK = 1 << 20

    def best_source(self, k: int) -> int:
        """The earlier paragraph that first held most of k's shingles (the smallest on a tie)."""
        return int(np.argmax(self.firsts[k, :k]))


def _sixteen_bits(cps: np.ndarray, free: bool) -> np.ndarray | None:
    """``cps`` with every code point in 16 bits and none 0, for :func:`_screen`, or None.

    With ``free`` (views: surrogates and private-use characters are never kept) code points past
    the Basic Multilingual Plane are numbered into U+D800..U+F8FF, distinct from each other and
    from every code point the text has, so equal shingles stay equal and different ones
    different."""
    if not len(cps) or int(cps.max()) < 1 << 16:
        return cps if free or int(cps.min(initial=1)) > 0 else None
    if not free:
        return None
    wide = cps >= 1 << 16
    values, inverse = np.unique(cps[wide], return_inverse=True)
    if len(values) > 0xF900 - 0xD800:
        return None
    out = cps.copy()
    out[wide] = 0xD800 + inverse
    return out


@lru_cache(maxsize=8)
def _powers(n: int) -> np.ndarray:
    """``B**(n - 1 - k)`` mod 2**64 for ``k < n``: a window's polynomial code is its code points times these."""
    return np.array([pow(_BASE, n - 1 - k, 1 << 64) for k in range(n)], dtype=np.uint64)


def _aligned_starts(places: list[int], codes: list[int], text: str, bounds: list[int], m: int) -> set[int]:
    """Of ``places`` (view offsets in ``text`` where a clause may begin, in groups of one window
    code ``codes``), those where a run of whole clauses of at least ``m`` characters begins that
    also stands at another of them: the places where :meth:`DedupParagraphs._spliced` can cut.

    Such a run begins at two places of one group (its first ``m`` characters stand at both) and
    ends, after the same characters, where a clause may end at both (``bounds``: the view offsets
    of every place after a mark and of every paragraph's start and end, a superset of the clause
    ends).  So a place is kept where, for some other place of its group, some length from ``m``
    on reaches a bound from both with the same text.  A group of more than ``_ALIGNED_GROUP``
    places, or a pair still alike after ``_ALIGNED_STEPS`` bounds, is kept without looking
    further, so the work stays linear in the places.  On the corpus documents this rules out 6 of
    the 13 searches that found nothing."""
    ends = sorted(set(bounds))
    at_end = set(ends)
    groups: dict[int, list[int]] = {}
    for place, code in zip(places, codes):
        groups.setdefault(code, []).append(place)
    out: set[int] = set()
    for group in groups.values():
        if len(group) > _ALIGNED_GROUP:
            out.update(group)
            continue
        for a, p in enumerate(group):
            for q in group[a + 1:]:
                if p in out and q in out:
                    continue
                k = bisect_left(ends, p + m)
                alike = 0  # (the characters from p and from q compared equal so far)
                for step in range(_ALIGNED_STEPS):
                    if k + step == len(ends):
                        break
                    size = ends[k + step] - p
                    if text[p + alike:p + size] != text[q + alike:q + size]:
                        break
                    alike = size
                    if q + size in at_end:
                        out.update((p, q))
                        break
                else:
                    out.update((p, q))
    return out


_ALIGNED_GROUP = 16
_ALIGNED_STEPS = 64


@lru_cache(maxsize=1)
def _marks() -> np.ndarray:
    """True at the code points a clause can end on: its marks and the closing marks after them."""
    table = np.zeros(0x110000, dtype=bool)
    table[[ord(c) for c in _CLAUSE_MARKS + _CLOSERS]] = True
    return table


@dataclass(frozen=True)
class DedupSettings:
    """Settings of :class:`DedupParagraphs` (defaults tuned on tests/test_dedup.py's test set)."""

    threshold: float = 0.5
    shingle: int = 3
    num_perm: int = 128
    seed: int = 1
    containment: float = 0.9
    containment_min_chars: int = 20
    splice_min_chars: int = 30
    splice_max_doc_chars: int = 200_000
    normalize: bool = True
    keep: str = "first"

    def __post_init__(self):
        if not 0 < self.threshold <= 1:
            raise ValueError("threshold must be in (0, 1]")
        if self.keep not in ("first", "longest"):
            raise ValueError('keep must be "first" or "longest"')
        if self.shingle < 1 or self.num_perm < 2:
            raise ValueError("shingle must be >= 1 and num_perm >= 2")


class DedupParagraphs(Filter):
    name = "dedup_paragraphs"

    def __init__(self, settings: DedupSettings | None = None):
        self.settings = settings or DedupSettings()

    # the banding is chosen when first needed (it imports datasketch's optimiser, and with it
    # scipy: most documents are compared pair by pair and never need it)
    @property
    def bands(self) -> int:
        return optimal_params(self.settings.threshold, self.settings.num_perm)[0]

    @property
    def rows(self) -> int:
        return optimal_params(self.settings.threshold, self.settings.num_perm)[1]

    def _view(self, p: str) -> str:
        return view(p) if self.settings.normalize else p

    def _has_view(self, p: str) -> bool:
        """``bool(self._view(p))`` without making the view: whether some character of ``p`` stays
        in it (the code-point table's entry is not 0).  str.translate looks each character up in a
        dict, 70 us for a paragraph of 500 characters; the table takes 3."""
        if not self.settings.normalize:
            return bool(p)
        return bool(_view_lut().take(code_points(p)).any())

    def _views(self, texts: list[str]) -> list[str]:
        """Views of many strings in one numpy pass (the same as :meth:`_view` on each)."""
        if not self.settings.normalize:
            return list(texts)
        return _views_numpy(texts, _view_lut())

    def _view_codes(self, texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """(the code points of :meth:`_views` of ``texts`` put together, each view's length)."""
        return self._view_arrays(texts)[2:]

    def _view_arrays(self, texts: list[str]) -> tuple[np.ndarray, np.ndarray | None, np.ndarray, np.ndarray]:
        """(the code points of ``texts`` put together, which of them stay in the views (None: all),
        :meth:`_view_codes`)."""
        if not self.settings.normalize:
            lens = np.fromiter((len(t) for t in texts), dtype=np.int64, count=len(texts))
            raw = code_points("".join(texts))
            return raw, None, raw, lens
        return _view_arrays(texts, _view_lut())

    def _screen(self, cps: np.ndarray, lens: np.ndarray, views) -> tuple[bool, int | None]:
        """(True when no paragraph can be a repeat, near duplicate or contained copy of another (see
        :meth:`_nothing_shared`), the longest stretch of shingles that stand twice (see
        :func:`_screen`; None where it was not counted)).  ``views()`` gives the views, which are
        made only where two have one length or the screen does not apply."""
        s = self.settings
        sizes = [x for x in lens.tolist() if x]
        if len(set(sizes)) < len(sizes):
            nonempty = [v for v in views() if v]
            if len(set(nonempty)) < len(nonempty):
                return False, None  # exact repeats (then something is dropped, and the stretch is not asked)
        narrow = _sixteen_bits(cps, s.normalize)
        r = None if narrow is None else _screen(narrow, lens, s.shingle, min(s.threshold, s.containment))
        if r is None:
            return self._nothing_shared(views(), cps.astype(np.uint64), lens), None
        return r

    def _splice_possible(self, cps: np.ndarray, lens: np.ndarray, run: int | None) -> bool:
        """Whether some ``splice_min_chars`` view characters may stand at two places in these views.

        ``run`` from :meth:`_screen` rules most documents out.  Where it was counted and does not,
        :meth:`_spliced` is left to look: its first check (:meth:`_repeated_starts`, the same
        windows where a clause begins only) is the stricter, and :func:`_may_repeat` before it let
        31 of the 48 corpus documents it saw through, at 80 us each.  Where it was not counted,
        :func:`_may_repeat` looks."""
        s = self.settings
        m = max(1, s.splice_min_chars)
        if run is not None and m >= s.shingle:
            return run >= m - s.shingle + 1
        return self._may_repeat(cps.astype(np.uint64), lens, m)

    def apply(self, text: str, explain: bool = False) -> StepResult:
        s = self.settings
        lines = text.split("\n")
        idx = [i for i, ln in enumerate(lines) if ln.strip()]
        if len(idx) < 2:
            return StepResult(text)
        raw, kept, cps, lens = self._view_arrays([lines[i] for i in idx])
        made: list[list[str]] = []

        def views() -> list[str]:
            if not made:
                made.append(_split_views(cps, lens))
            return made[0]

        alone, run = self._screen(cps, lens, views)
        fits = len(text) <= s.splice_max_doc_chars
        if alone:
            # no paragraph shares enough with another to be judged a repeat: only splices are left
            splice = fits and self._splice_possible(cps, lens, run)
            if not splice:
                return StepResult(text)  # (most documents)
            drop = {}
        else:
            drop = self._verdicts(lines, idx, views(), cps, lens)
            splice = fits and not drop and self._splice_possible(cps, lens, run)
        new_text: dict[int, str] = {}
        changes: list[Change] = []
        if fits:
            # repeat until stable: cutting one copy can reveal the run shared by the others
            current = {k: lines[idx[k]] for k in range(len(idx)) if k not in drop}
            for rnd in range(4):
                # (with nothing dropped, the first round's paragraphs are those just checked, and
                # their views' positions come from the code points above)
                first = rnd == 0 and not drop
                more = self._spliced(sorted(current.items()), splice if first else None,
                                     self._positions(raw, kept, cps) if first else None)
                if not more:
                    break
                current.update(more)
                new_text.update(more)
        if not drop and not new_text:
            return StepResult(text)
        for k, (rule, src, est, jac) in sorted(drop.items()):
            line_no = idx[k] + 1
            if explain:
                changes.append(Change(self.name, rule, lines[idx[k]], "", line_no,
                                      f"duplicate of paragraph at line {idx[src] + 1} "
                                      f"(estimated similarity {est:.2f}, shingle {'containment' if rule == 'containment' else 'Jaccard'} {jac:.2f})"))
            lines[idx[k]] = None
        for k, t in new_text.items():
            if k in drop:
                continue
            if not t:
                drop[k] = ("spliced", k, 1.0, 1.0)
                if explain:
                    changes.append(Change(self.name, "spliced", lines[idx[k]], "", idx[k] + 1,
                                          "every clause repeats text kept elsewhere"))
                lines[idx[k]] = None
                continue
            if explain:
                changes.append(Change(self.name, "spliced", lines[idx[k]], t, idx[k] + 1,
                                      "clauses that repeat earlier text were cut out"))
            lines[idx[k]] = t
        result = join_kept([ln for ln in lines if ln is not None])
        return StepResult(result, sorted(changes, key=lambda c: c.line or 0), paragraphs_dropped=len(drop))

    def _verdicts(self, lines: list[str], idx: list[int], views: list[str], cps: np.ndarray,
                  lens: np.ndarray) -> dict[int, tuple[str, int, float, float]]:
        """The paragraphs to drop (by number in ``idx``): (rule, the paragraph it repeats, estimated
        similarity, shingle Jaccard or containment).  ``cps, lens``: the views' code points put
        together and lengths."""
        s = self.settings
        # exact repeats first: only the first paragraph of each view is signed and banded
        first_of: dict[str, int] = {}
        for k, v in enumerate(views):
            if v:
                first_of.setdefault(v, k)
        uniq = [k for v, k in first_of.items() if len(v) > s.shingle]
        uniq.sort()
        counts = self._counts(cps, lens)
        direct = self.PAIRWISE_MAX if counts is None else min(self.PAIRWISE_COUNTED_MAX, self.FULL_BUCKET)
        if sum(len(views[k]) for k in uniq) <= self.PAIRWISE_MAX_CHARS and (
                len(uniq) <= direct or (counts is not None and self._buckets_small(views, uniq))):
            if counts is None:
                sh: dict[int, set[str]] = {k: shingles(v, s.shingle) for k, v in enumerate(views)}
                pairs = self._judged_pairs(uniq, lambda k: len(sh[k]), lambda i, j: len(sh[i] & sh[j]))
            else:
                sh = {}
                pairs = self._judged_pairs_counted(uniq, counts)
            cands_of, sig_of = self._candidates_pairwise(views, pairs)
        else:
            sh = {}
            cands_of, sig_of = self._candidates(views, uniq)
        # a paragraph's shingle set is held only while a later paragraph may compare with it, so a
        # document of a few huge lines does not hold every line's set at once (memory)
        needed = {c for cs in cands_of.values() for c in cs}
        first_by_view: dict[str, int] = {}  # view -> the kept paragraph that has it
        seen: set[str] = set()        # shingles of every earlier paragraph
        holders: dict[str, int] = {}  # shingle -> the first paragraph that has it
        before = False                # whether an earlier paragraph has a view
        drop: dict[int, tuple[str, int, float, float]] = {}
        for k, v in enumerate(views):
            verdict = None
            if counts is None and k not in sh:
                sh[k] = shingles(v, s.shingle)
            if v:
                if v in first_by_view:
                    verdict = ("exact", first_by_view[v], 1.0, 1.0)
                elif first_of[v] != k and first_of[v] in drop:
                    verdict = drop[first_of[v]]  # a repeat of a paragraph dropped already: the same verdict
                elif len(v) > s.shingle:
                    best = None
                    for c in cands_of.get(k, ()):
                        if c in drop:
                            continue
                        if counts is None:
                            shc = sh[c] if c in sh else shingles(views[c], s.shingle)
                            inter = len(sh[k] & shc)
                            jac = inter / len(sh[k] | shc)
                        else:
                            inter = counts.shared[k][c]
                            jac = inter / (counts.sizes[k] + counts.sizes[c] - inter)
                        if jac >= s.threshold and (best is None or jac > best[3]):
                            best = ("near", c, None, jac)
                    if best is not None:
                        # the estimate for the explanation, from the signatures the candidates were found by
                        est = float(np.count_nonzero(sig_of[k] == sig_of[best[1]])) / s.num_perm
                        best = ("near", best[1], est, best[3])
                    verdict = best
                    if verdict is None and len(v) >= s.containment_min_chars and before:
                        if counts is None:
                            inter, size = len(sh[k] & seen), len(sh[k])
                        else:
                            inter, size = counts.earlier[k], counts.sizes[k]
                        if inter / size >= s.containment:
                            src = self._best_source(sh[k], holders) if counts is None else counts.best_source(k)
                            verdict = ("containment", src, inter / size, inter / size)
            if verdict is not None and s.keep == "longest" and verdict[0] in ("exact", "near"):
                other = verdict[1]
                if len(lines[idx[k]]) > len(lines[idx[other]]) and other not in drop:
                    # the later copy is longer: it stays, the earlier one goes
                    drop[other] = (verdict[0], k, verdict[2], verdict[3])
                    verdict = None
            if verdict is not None:
                drop[k] = verdict
            elif v:
                first_by_view.setdefault(v, k)
            if v:
                before = True
                if counts is None:
                    holders.update(dict.fromkeys(sh[k] - seen, k))
                    seen |= sh[k]
            if counts is None and k not in needed:
                del sh[k]
        return drop

    # documents of up to this many paragraphs have their shingles counted in numpy (_Counts holds
    # a few arrays of paragraphs by paragraphs, 512 KB each at 256), unless the pairs of entries
    # to count are more than PAIRS_PER_CHAR a code point (the same line many times over, where
    # the sets are quicker); on the page dumps the pairs are at most 3.5 a code point
    COUNTS_MAX = 256
    PAIRS_PER_CHAR = 32

    def _counts(self, cps: np.ndarray, lens: np.ndarray) -> _Counts | None:
        """:class:`_Counts` of the views, or None where its keys do not apply (see :func:`_screen`)
        or the sets are quicker."""
        s = self.settings
        if len(lens) > self.COUNTS_MAX or s.shingle not in (2, 3) or len(cps) >= 1 << 16:
            return None
        narrow = _sixteen_bits(cps, s.normalize)
        if narrow is None:
            return None
        counts = _Counts(narrow, lens, s.shingle, self.PAIRS_PER_CHAR * len(cps))
        return None if counts.shared is None else counts

    # a band bucket this large or smaller pairs all its members; a larger one (hundreds of
    # templated lines alike) pairs neighbours and the bucket's first, so time stays linear
    FULL_BUCKET = 64

    # up to this many distinct paragraphs, pairs are compared directly (see _candidates_pairwise);
    # where the shingles are counted (_Counts), all pairs are judged at once in numpy, up to FULL_BUCKET
    PAIRWISE_MAX = 24
    PAIRWISE_COUNTED_MAX = 64
    PAIRWISE_MAX_CHARS = 100_000  # (longer documents take the LSH path, which holds fewer shingle sets at once)

    def _judged_pairs(self, uniq: list[int], size, inter) -> list[tuple[int, int]]:
        """The pairs (i, j) of ``uniq``, i before j, whose shingle Jaccard reaches ``threshold``, in
        order of j, then i.  ``size(k)``: paragraph k's number of distinct shingles; ``inter(i, j)``:
        the number i and j share."""
        t = self.settings.threshold
        sizes = {k: size(k) for k in uniq}
        pairs = []
        for jpos, j in enumerate(uniq):
            la = sizes[j]
            for i in uniq[:jpos]:
                lb = sizes[i]
                if (la / lb if la < lb else lb / la) < t:  # Jaccard is at most the size ratio
                    continue
                common = inter(j, i)
                if common / (la + lb - common) >= t:
                    pairs.append((i, j))
        return pairs

    def _judged_pairs_counted(self, uniq: list[int], counts: _Counts) -> list[tuple[int, int]]:
        """:meth:`_judged_pairs` from :class:`_Counts`, all pairs at once in numpy.

        The same floats: the counts are below 2**53, so dividing them as float64 rounds as Python's
        ``int / int`` does; and without the size bound, as a pair it would skip has a Jaccard at
        most its size ratio, under ``threshold`` (rounding keeps the order)."""
        if len(uniq) < 2:
            return []
        u = np.asarray(uniq, dtype=np.intp)
        size = np.asarray(counts.sizes)[u]
        common = counts.matrix[np.ix_(u, u)]  # (rows i, columns j)
        jac = common / (size[:, None] + size[None, :] - common)
        later = np.arange(len(u))[:, None] < np.arange(len(u))  # (i before j)
        jpos, ipos = np.nonzero(((jac >= self.settings.threshold) & later).T)  # (in order of j, then i)
        return list(zip(u[ipos].tolist(), u[jpos].tolist()))

    def _candidates_pairwise(self, views: list[str], pairs: list[tuple[int, int]]) -> tuple[dict, dict]:
        """The same candidates as :meth:`_candidates` where they can matter, without signing every paragraph.

        Only a candidate whose true Jaccard reaches ``threshold`` can change a verdict, so the pairs
        are first judged by Jaccard (``pairs``: :meth:`_judged_pairs`), and only the few that pass
        are signed and kept if they share a band, as LSH would have found them.  With no more
        paragraphs than ``FULL_BUCKET`` (or none of its buckets holding more: :meth:`_buckets_small`)
        every bucket pairs all its members, so sharing a band is a property of the pair alone and the
        answer is the LSH answer exactly.
        """
        if not pairs:
            return {}, {}
        signed = sorted({k for p in pairs for k in p})
        row_of = {k: r for r, k in enumerate(signed)}
        s = self.settings
        sigs = signatures([views[k] for k in signed], s.shingle, s.num_perm, s.seed)
        keys = band_keys(sigs, self.bands, self.rows)
        out: dict[int, list[int]] = {}
        for i, j in pairs:  # in order of j, then i: the order _candidates gives
            if (keys[row_of[i]] == keys[row_of[j]]).any():
                out.setdefault(j, []).append(i)
        return out, {k: sigs[r] for k, r in row_of.items()}

    def _buckets_small(self, views: list[str], uniq: list[int]) -> bool:
        """Whether no LSH bucket of the paragraphs ``uniq`` can hold more than ``FULL_BUCKET`` of them,
        so that :meth:`_candidates_pairwise` gives :meth:`_candidates`'s answer.

        Paragraphs share a band only if their signatures have the same first value in it; a value
        is ``a * fmix(h) + b`` mod 2**32 of a shingle hash ``h`` (:func:`shingle_hash`), which with
        ``a`` odd (datasketch draws it so) is one to one, so they all hold a shingle of that hash.
        Hence where no shingle hash stands in more than ``FULL_BUCKET`` of the paragraphs, no band
        is shared by more (a bucket is a band's 64-bit key, which a collision could also share:
        the chance is about 2**-41 for 256 paragraphs).  The hashes are counted here instead of
        signing every paragraph: on the page dumps, documents of 70 to 100 distinct paragraphs."""
        s = self.settings
        if not (permutations(s.num_perm, s.seed)[0] & 1).all():
            return False
        texts = [views[k] for k in uniq]
        cps = code_points("".join(texts))
        lens = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
        n = s.shingle
        if len(cps) < n:
            return True
        h, vid = _window_hashes(cps, lens, n)  # (the hash the signatures are made of, for every window)
        key = (h.astype(np.uint64) << np.uint64(32)) | vid.astype(np.uint64)
        key.sort()
        key = key[np.r_[True, key[1:] != key[:-1]]]  # each (hash, paragraph) once
        hv = key >> np.uint64(32)
        starts = np.flatnonzero(np.r_[True, hv[1:] != hv[:-1]])
        return int(np.diff(np.r_[starts, len(hv)]).max()) <= self.FULL_BUCKET

    def _candidates(self, views: list[str], uniq: list[int]) -> tuple[dict, dict]:
        """(earlier paragraphs sharing an LSH band with each paragraph of ``uniq``, each one's MinHash
        signature), in one numpy pass."""
        if len(uniq) < 2:
            return {}, {}
        s = self.settings
        sigs = signatures([views[k] for k in uniq], s.shingle, s.num_perm, s.seed)
        keys = band_keys(sigs, self.bands, self.rows)
        pairs = candidate_pairs(keys, self.FULL_BUCKET)
        out: dict[int, list[int]] = {}
        if len(pairs):
            u = np.asarray(uniq)
            a, b = u[pairs[:, 0]], u[pairs[:, 1]]
            order = np.lexsort((a, b))
            for i, j in zip(a[order].tolist(), b[order].tolist()):
                out.setdefault(j, []).append(i)
        return out, dict(zip(uniq, sigs))

    _may_repeat = staticmethod(_may_repeat)  # (a hook: tests switch the check off)

    def _nothing_shared(self, views: list[str], cps: np.ndarray, lens: np.ndarray) -> bool:
        """True when no paragraph can be a repeat, near duplicate or contained copy of another.

        Every such verdict needs a paragraph sharing at least ``min(threshold, containment)`` of its
        distinct shingles with some other paragraph (Jaccard ``t`` means the intersection is at least
        ``t`` times either set).  Shingles of up to three characters have exact codes (see
        :func:`_window_codes`), so this is counted exactly, in numpy, in one pass over the document;
        False sends the document to the full comparison (and always for longer shingles, or repeated
        views).  ``cps, lens`` are :func:`_codepoints` of ``views``."""
        s = self.settings
        if s.shingle > 3:
            return False
        nonempty = [v for v in views if v]
        if len(set(nonempty)) < len(nonempty):
            return False  # exact repeats
        # (a view shorter than the shingle has no window: it shares nothing)
        if len(lens) < 1 << 16 and (not len(cps) or int(cps.max()) < 1 << 16):
            # code points of 16 bits leave room for the paragraph number in the same 64 bits: one sort
            code, pid = _window_codes(cps, lens, s.shingle, bits=16)
            key = np.sort((code << np.uint64(16)) | pid.astype(np.uint64))
            first = np.ones(len(key), dtype=bool)
            first[1:] = key[1:] != key[:-1]
            key = key[first]  # each paragraph's distinct shingles, by shingle then paragraph
            code, pid = key >> np.uint64(16), (key & np.uint64(0xFFFF)).astype(np.int64)
        else:
            code, pid = _window_codes(cps, lens, s.shingle)
            order = np.argsort(code, kind="stable")  # (paragraph numbers rise with position: stay sorted)
            code, pid = code[order], pid[order]
            first = np.ones(len(code), dtype=bool)
            first[1:] = (code[1:] != code[:-1]) | (pid[1:] != pid[:-1])
            code, pid = code[first], pid[first]  # each paragraph's distinct shingles
        newcode = np.ones(len(code), dtype=bool)
        newcode[1:] = code[1:] != code[:-1]
        group = np.cumsum(newcode) - 1
        shared = np.bincount(group)[group] > 1  # the shingle stands in another paragraph too
        total = np.bincount(pid, minlength=len(lens))
        common = np.bincount(pid, weights=shared, minlength=len(lens))
        has = total > 0
        return bool(np.all(common[has] < min(s.threshold, s.containment) * total[has]))

    @staticmethod
    def _best_source(sh: set, holders: dict) -> int:
        """The earlier paragraph that first held most of these shingles (named in the explanation)."""
        from collections import Counter

        counts = Counter(holders[g] for g in sh if g in holders)
        return min(counts, key=lambda c: (-counts[c], c))

    def _sentences(self, paras: list[tuple[int, str]], vmap: tuple | None = None) -> list[tuple[int, list[str], list[str], str]]:
        """The sentences of ``paras`` as (para k, [clauses], [clause views], sentence view).

        A very short sentence (an attribution such as 马炳国说。) belongs to the one before.  The
        views come from one pass over the paragraphs' code points: the sentences and the clauses
        of each paragraph put together are the paragraph (neither pattern skips a character of a
        line), so each one's view is a slice of the paragraphs' views put together.  ``vmap``:
        :meth:`_view_positions` of the paragraphs put together, where the caller has it."""
        texts = [p for _, p in paras]
        found = [[x for x in _SENTENCE.findall(p) if x] for p in texts]
        size = sum(map(len, texts))
        _, vcps, vpos = vmap or self._view_positions("".join(texts))
        vjoined = from_code_points(vcps)
        bounds = list(accumulate((len(x) for ss in found for x in ss), initial=0))
        if bounds[-1] != size:  # (not expected: the plain way)
            return self._sentences_plain(paras)
        vlen = np.diff(vpos[np.asarray(bounds)]).tolist()
        b = 0
        merged_of = []
        for ss in found:
            merged: list[str] = []
            for sent in ss:
                if merged and (len(sent) < 10 or vlen[b] < 10):
                    merged[-1] += sent
                else:
                    merged.append(sent)
                b += 1
            merged_of.append(merged)
        # each paragraph's clauses, in one scan: a sentence ends where a clause ends (checked
        # here), and from a clause's end the scan of a line goes as the scan of a sentence would
        clauses = [c for p in texts for c in _CLAUSE.findall(p) if c]
        ends = list(accumulate(map(len, clauses), initial=0))
        if ends[-1] != size:
            return self._sentences_plain(paras)
        vb = vpos[np.asarray(ends)].tolist()
        views = list(map(vjoined.__getitem__, map(slice, vb, vb[1:])))
        sents = []
        c = end = 0
        for (k, _), merged in zip(paras, merged_of):
            for sent in merged:
                end += len(sent)
                j = bisect_left(ends, end, c + 1)
                if j == len(ends) or ends[j] != end:
                    return self._sentences_plain(paras)
                sents.append((k, clauses[c:j], views[c:j], vjoined[vb[c]:vb[j]]))
                c = j
        return sents

    def _sentences_plain(self, paras: list[tuple[int, str]]) -> list[tuple[int, list[str], list[str], str]]:
        """:meth:`_sentences`, a view at a time."""
        sents = []
        for k, para in paras:
            merged: list[str] = []
            for sent in _SENTENCE.findall(para):
                if not sent:
                    continue
                if merged and len(sent) < 10 or (merged and len(self._view(sent)) < 10):
                    merged[-1] += sent
                else:
                    merged.append(sent)
            for sent in merged:
                cl = [c for c in _CLAUSE.findall(sent) if c]
                sents.append((k, cl))
        flat = self._views([c for _, cl in sents for c in cl])
        pos = 0
        for j, (k, cl) in enumerate(sents):
            vs = flat[pos:pos + len(cl)]
            pos += len(cl)
            sents[j] = (k, cl, vs, "".join(vs))
        return sents

    @staticmethod
    def _positions(raw: np.ndarray, kept: np.ndarray | None, vcps: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """:meth:`_view_positions` of the text whose code points are ``raw``, from
        :meth:`_view_arrays`."""
        if kept is None:
            return raw, vcps, np.arange(len(raw) + 1)
        pos = np.zeros(len(raw) + 1, dtype=np.int64)
        np.cumsum(kept, out=pos[1:])
        return raw, vcps, pos

    def _view_positions(self, text: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(the code points of ``text``, of its view, and for every offset in ``text`` and its end
        the offset in the view)."""
        cps = code_points(text)
        if not self.settings.normalize:
            return self._positions(cps, None, cps)
        mapped = _map_view(cps)
        keep = mapped != 0
        return self._positions(cps, keep, mapped[keep])

    def _repeated_starts(self, lens: list[int], vmap: tuple[np.ndarray, np.ndarray, np.ndarray]) -> set[int] | None:
        """The places (view offsets) where ``splice_min_chars`` view characters from the start of a
        clause stand at two places (None: search everywhere).

        The run that :meth:`_spliced` cuts stands, whole clauses, in two sentences, so it begins at
        the start of a clause in both and its first ``splice_min_chars`` view characters stand at
        two places.  A clause begins at the start of a paragraph or after a clause mark and the
        closing marks after it (the clause and sentence patterns both end there), so the places
        after any mark cover every start, and a run can begin only at one of the places returned.
        The windows are compared by their polynomial codes: a collision only lets the search look
        at more places.  Of these, only those where a run of whole clauses that stands twice can
        begin are returned (:func:`_aligned_starts`).  ``lens``: the paragraphs' lengths; ``vmap``:
        :meth:`_view_positions` of the paragraphs put together."""
        cps, vcps, vpos = vmap
        m = max(1, self.settings.splice_min_chars)
        if len(vcps) < m + 1:
            return set()
        ends = np.cumsum(lens)
        at = np.empty(len(cps) + 1, dtype=bool)  # (the places, in order and each once)
        at[0] = False
        at[1:] = _marks().take(cps)
        at[ends - lens] = True
        begins = np.flatnonzero(at)
        vbegin = bounds = vpos[begins]
        # (a place at a paragraph's end is the next one's start)
        vend = vpos[ends][np.searchsorted(ends, begins, side="right").clip(max=len(ends) - 1)]
        vbegin = vbegin[vbegin + m <= vend]
        if len(vbegin) < 2:
            return set()
        # (view offsets rise with the places: each once, without np.unique's sort)
        new = np.empty(len(vbegin), dtype=bool)
        new[0] = True
        np.not_equal(vbegin[1:], vbegin[:-1], out=new[1:])
        vbegin = vbegin[new]
        if len(vbegin) < 2:
            return set()
        if len(vbegin) * m <= 4 * len(vcps):  # (the windows one by one, in memory about the text's)
            code = vcps[vbegin[:, None] + np.arange(m)].astype(np.uint64) @ _powers(m)
        else:
            code = _polynomial_windows(vcps.astype(np.uint64), m)[vbegin]
        order = np.argsort(code)
        code = code[order]
        twice = np.zeros(len(code), dtype=bool)
        twice[1:] = code[1:] == code[:-1]
        twice[:-1] |= twice[1:]
        if not twice.any():
            return set()
        return _aligned_starts(vbegin[order[twice]].tolist(), code[twice].tolist(), from_code_points(vcps),
                               [*bounds.tolist(), len(vcps)], m)

    def _spliced(self, paras: list[tuple[int, str]], possible: bool | None = None,
                 vmap: tuple | None = None) -> dict[int, str]:
        """Cut repeated clause runs out of sentences, keeping one occurrence of each run.

        A run is a stretch of consecutive clauses (view at least ``splice_min_chars`` long) that
        also stands in another sentence.  Of all the sentences holding it, the run stays in the
        one where it is the smallest share of the sentence (the sentence it belongs to), the
        earliest on a tie; everywhere else it is cut.  So text pasted into an unrelated sentence
        goes, wherever it was pasted, and a sentence that exists only once is never broken.
        ``possible`` is :meth:`_splice_possible` of ``paras`` where the caller knows it; a run is
        looked for only where one can begin (:meth:`_repeated_starts`).  ``vmap``:
        :meth:`_view_positions` of the paragraphs put together, where the caller has it.
        """
        s = self.settings
        if possible is False:  # (the caller found no window of view characters that repeats)
            return {}
        lens = [len(p) for _, p in paras]
        vmap = vmap or self._view_positions("".join(p for _, p in paras))
        begins = self._repeated_starts(lens, vmap)
        if begins is not None and not begins:
            return {}
        ordered = sorted(begins) if begins is not None else None
        sents = self._sentences(paras, vmap)
        if len(sents) < 2:
            return {}
        svs = [x[3] for x in sents]
        joined = "\u0000".join(svs)
        starts = list(accumulate((len(sv) + 1 for sv in svs), initial=0))  # each sentence's start in joined
        starts.pop()
        # each clause's start and end in joined: the clauses' lengths, a step over each separator
        bounds = set(accumulate(chain.from_iterable(chain(map(len, vs), (1,)) for _, _, vs, _ in sents), initial=0))
        bounds.discard(len(joined) + 1)  # (past the last separator, which is not there)

        def holders(run: str) -> list[int]:
            """Sentences where ``run`` stands as whole clauses (so edits that leave a few
            words in common are not mistaken for pasted text)."""
            out, i = [], joined.find(run)
            while i != -1:
                if i in bounds and i + len(run) in bounds:
                    out.append(bisect_right(starts, i) - 1)
                i = joined.find(run, i + 1)
            return sorted(set(out))

        # a run can only repeat if its first clause stands, whole, somewhere else
        from collections import Counter

        clause_count = Counter(chain.from_iterable(x[2] for x in sents))  # (the empty view is never looked up)
        if ordered is None:
            look = range(len(sents))
        else:
            # only the sentences a run can begin in (each is checked again below): the last
            # sentence whose view starts at or before a place; empty views start where the next one does
            vstarts = [st - si for si, st in enumerate(starts)]
            look = sorted({bisect_right(vstarts, b) - 1 for b in ordered})
        cuts: dict[int, list[bool]] = {}
        for si in look:
            k, cl, vs, sv = sents[si]
            if len(sv) < s.splice_min_chars:
                continue
            if ordered is not None:
                # (view offsets: the sentences' views put together, without the separators)
                at = bisect_left(ordered, starts[si] - si)
                if at == len(ordered) or ordered[at] >= starts[si] - si + len(sv):
                    continue  # no run begins in this sentence
                offsets = list(accumulate(map(len, vs), initial=starts[si] - si))
            keep = [True] * len(cl)
            i = 0
            while i < len(cl):
                if not vs[i] or clause_count[vs[i]] < 2 or (ordered is not None and offsets[i] not in begins):
                    i += 1
                    continue
                best = None
                acc = ""
                for j in range(i, len(cl)):
                    acc += vs[j]
                    if not acc:
                        continue
                    hs = holders(acc)
                    if len(hs) < 2:
                        break
                    if len(acc) >= s.splice_min_chars:
                        best = (j, hs, acc)
                if best is None:
                    i += 1
                    continue
                j, hs, run = best
                keeper = min(hs, key=lambda h: (len(run) / max(1, len(svs[h])), h))
                if keeper != si:
                    for t in range(i, j + 1):
                        keep[t] = False
                i = j + 1
            if not all(keep):
                cuts[si] = keep
        if not cuts:
            return {}
        rebuilt: dict[int, list[str]] = {}
        for si, (k, cl, vs, sv) in enumerate(sents):
            keep = cuts.get(si)
            rebuilt.setdefault(k, []).append("".join(c for c, kk in zip(cl, keep) if kk) if keep else "".join(cl))
        out = {}
        changed_paras = {sents[si][0] for si in cuts}
        for k in changed_paras:
            t = "".join(rebuilt[k]).strip()
            out[k] = t if self._has_view(t) else ""
        return out


def dedup_paragraphs(text: str) -> str:
    """Drop paragraphs (and spliced clauses) that repeat earlier ones in the same document."""
    return default_instance(DedupParagraphs)(text)


register("dedup_paragraphs", lambda o: DedupParagraphs(make_settings(DedupSettings, o, "dedup_paragraphs")))


@dataclass(frozen=True)
class CorpusStepSettings:
    """Settings of the streaming corpus step (see :class:`DedupCorpus`)."""

    threshold: float = 0.8
    shingle: int = 3
    num_perm: int = 128
    seed: int = 1


class DedupCorpus(Filter):
    """A pipeline step that drops paragraphs repeating any paragraph of an *earlier document*
    this step has seen (first seen is kept), by MinHash-LSH with exact verification.

    It keeps its index in memory and sees only the documents that pass through its own
    process: use it in library code and single-process runs.  For a corpus split over worker
    processes, ``zhclean dedup`` gives the corpus-wide answer.
    """

    name = "dedup_corpus"

    def __init__(self, settings: CorpusStepSettings | None = None):
        self.settings = s = settings or CorpusStepSettings()
        self.bands, self.rows = optimal_params(s.threshold, s.num_perm)
        self.buckets: dict[tuple[int, int], list[int]] = {}
        self.shingle_sets: list[set] = []
        self.where: list[tuple[int, int]] = []  # (document number, line) of each indexed paragraph
        self.docs = 0

    def apply(self, text: str, explain: bool = False) -> StepResult:
        s = self.settings
        self.docs += 1
        lines = text.split("\n")
        idx = [i for i, ln in enumerate(lines) if ln.strip()]
        views = [view(lines[i]) for i in idx]
        sigs = signatures(views, s.shingle, s.num_perm, s.seed)
        keys = band_keys(sigs, self.bands, self.rows)
        drop, changes, new_items = set(), [], []
        for k, v in enumerate(views):
            if not v:
                continue
            sk = shingles(v, s.shingle)
            best = None
            cands = set()
            for bi in range(self.bands):
                cands.update(self.buckets.get((bi, int(keys[k, bi])), ()))
            for c in sorted(cands):
                other = self.shingle_sets[c]
                jac = len(sk & other) / len(sk | other)
                if jac >= s.threshold and (best is None or jac > best[1]):
                    best = (c, jac)
            if best is not None:
                drop.add(idx[k])
                if explain:
                    doc, line = self.where[best[0]]
                    changes.append(Change(self.name, "corpus_near" if best[1] < 1 else "corpus_exact", lines[idx[k]], "",
                                          idx[k] + 1, f"duplicate of document {doc} line {line} "
                                          f"(shingle Jaccard {best[1]:.2f})"))
            else:
                new_items.append((k, sk))
        for k, sk in new_items:
            item = len(self.shingle_sets)
            self.shingle_sets.append(sk)
            self.where.append((self.docs, idx[k] + 1))
            for bi in range(self.bands):
                self.buckets.setdefault((bi, int(keys[k, bi])), []).append(item)
        if not drop:
            return StepResult(text)
        return StepResult(join_kept([ln for i, ln in enumerate(lines) if i not in drop]), changes,
                          paragraphs_dropped=len(drop))


register("dedup_corpus", lambda o: DedupCorpus(make_settings(CorpusStepSettings, o, "dedup_corpus")), default=False)
