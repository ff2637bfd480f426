"""Paragraph dedup inside a document, and the MinHash machinery under it."""

import re

import numpy as np
import pytest
from datasketch import MinHash

from dedup_sets import in_document_set, paragraphs
from helpers import seed
from zhclean import clean, clean_and_explain
from zhclean.dedup.lsh import UnionFind, band_keys, candidate_pairs, optimal_params
from zhclean.dedup.minhash import shingle_hash, shingles, signatures, view
from zhclean.filters.dedup import DedupParagraphs, DedupSettings, _Counts, dedup_paragraphs


def test_signatures_are_bit_identical_to_datasketch():
    paras = paragraphs()[:200] + ["", "短", "ab", "abc"]
    views = [view(p) for p in paras]
    sigs = signatures(views, n=3, num_perm=128, seed=1)
    for v, sig in zip(views, sigs):
        m = MinHash(num_perm=128, seed=1, hashfunc=shingle_hash)
        m.update_batch(list(shingles(v, 3)))
        assert np.array_equal(m.hashvalues, sig)
    assert np.array_equal(signatures(paras, normalize=True), sigs)


def test_view_folds_width_punctuation_and_script():
    assert view("第一段內容，在這裡！ ＡＢＣ") == view("第一段内容在这里abc")


def test_lsh_pieces():
    sigs = signatures(["今天天气很好我们去公园散步吧"] * 2 + ["完全不同的一句话没有关系呀"], n=3)
    b, r = optimal_params(0.8, 128)
    pairs = candidate_pairs(band_keys(sigs, b, r))
    assert pairs.tolist() == [[0, 1]]
    uf = UnionFind(4)
    uf.union(3, 1)
    uf.union(1, 2)
    assert uf.find(2) == 1 and uf.find(3) == 1 and uf.find(0) == 0


def _score(docs, f):
    tp = fp = fn = 0
    for text, dups, spliced, kind in docs:
        out, changes = f(text)
        removed = {c.line for c in changes if c.after == ""}
        cut = {c.line: c for c in changes if c.after}
        for line in dups:
            tp += line in removed
            fn += line not in removed
        for line, sent in spliced.items():
            ok = line in cut and sent not in cut[line].after and sent in cut[line].before
            tp += ok
            fn += not ok
        fp += len(removed - set(dups)) + len(set(cut) - set(spliced))
    return tp / max(1, tp + fp), tp / max(1, tp + fn)


def test_in_document_precision_and_recall():
    docs = in_document_set()
    f = DedupParagraphs()

    def run(text):
        r = f.apply(text, explain=True)
        return r.text, r.changes

    precision, recall = _score(docs, run)
    assert precision >= 0.99, precision
    assert recall >= 0.95, recall


def test_distinct_documents_unchanged():
    import random

    from dedup_sets import pick_distinct

    rng = random.Random(5)
    paras = paragraphs()
    for _ in range(100):
        text = "\n".join(pick_distinct(paras, 6, rng)) + "\n"
        assert dedup_paragraphs(text) == text


def test_short_paragraphs_compared_exactly():
    text = "一\n二\n三\n一\n标题甲\n标题乙\n"
    assert dedup_paragraphs(text) == "一\n二\n三\n标题甲\n标题乙\n"


def test_removals_record_source_and_similarity():
    p = paragraphs()[0]
    _, changes = clean_and_explain(f"{p}\n\n另一段完全不同的文字内容。\n\n{p}\n", steps=["dedup_paragraphs"])
    (c,) = changes
    assert c.rule == "exact" and c.line == 5 and "line 1" in c.reason and "similarity 1.00" in c.reason


def test_keep_longest():
    p = paragraphs()[3]
    f = DedupParagraphs(DedupSettings(keep="longest"))
    longer = p + "补充一句。"
    assert f(f"{p}\n{longer}\n") == f"{longer}\n"


SEED_REPEATS = ["促进湾区融合发展", "风起南海，潮涌珠江", "澳门江门青年会会长夏俊英表示", "夏俊英说", "这家企业苦练基本功",
                "今年是黄茅海跨海通道建设的冲刺之年", "曹坤表示，在接下来的工作中", "一方面将组织澳门企业家",
                "此外，开展江澳两地姊妹学校结对活动", "马炳国说"]


def _clauses(text):
    return [c for c in re.split(r"[，。！？；、,.!?;:：“”\s]+", text) if len(c) >= 6]


def test_seed_001_repeated_sections_appear_once_and_unique_text_stays():
    original = seed("001").read_text(encoding="utf-8")
    out = clean(original)
    norm = clean(original, steps=["normalize", "fix_punctuation"])
    for s in SEED_REPEATS:
        assert norm.count(s) >= 2, s
        assert out.count(s) == 1, (s, out.count(s))
    counts = {}
    for c in _clauses(norm):
        counts[c] = counts.get(c, 0) + 1
    once = [c for c, n in counts.items() if n == 1]
    missing = [c for c in once if c not in out]
    # clauses that exist once stay, except boilerplate lines the other filters remove on purpose
    from zhclean.filters.boilerplate import strip_boilerplate
    removed_as_chrome = clean(original, steps=["normalize", "fix_punctuation", "strip_boilerplate"])
    missing = [c for c in missing if c in removed_as_chrome]
    assert not missing, missing[:5]


class _AlwaysLSH(DedupParagraphs):
    PAIRWISE_MAX = PAIRWISE_COUNTED_MAX = 0  # every document through the banded candidates


class _ShingleSets(DedupParagraphs):
    COUNTS_MAX = -1  # shingle sets instead of the numpy counts


class _LSHShingleSets(_AlwaysLSH):
    COUNTS_MAX = -1


class _AlwaysSearchSplices(DedupParagraphs):
    def _splice_possible(self, cps, lens, run):  # (neither the shingle screen nor the window check)
        return True

    def _repeated_starts(self, lens, vmap):
        return None


def _near_duplicate_documents(n=120, seed=3):
    """Documents of 2-30 corpus paragraphs with edited copies, repeats and spliced clauses."""
    import random

    rng = random.Random(seed)
    paras = paragraphs()
    docs = []
    for _ in range(n):
        ps = rng.sample(paras, rng.randint(2, 30))
        out = []
        for p in ps:
            out.append(p)
            r = rng.random()
            if r < 0.2:
                q = list(p)
                for _ in range(rng.randint(1, max(1, len(q) // 5))):
                    q[rng.randrange(len(q))] = rng.choice("的了是在有")
                out.append("".join(q))
            elif r < 0.35:
                cut = rng.randrange(len(p))
                out.append(p[cut:cut + rng.randint(30, 120)] + "。" + rng.choice(paras)[:60])
            elif r < 0.45:
                out.append(rng.choice(ps))
        rng.shuffle(out)
        docs.append("\n".join(out) + "\n")
    return docs


@pytest.mark.parametrize("settings", [DedupSettings(), DedupSettings(threshold=0.8), DedupSettings(keep="longest"),
                                      DedupSettings(threshold=0.3, splice_min_chars=12)], ids=str)
def test_fast_paths_give_the_plain_answer(settings):
    """Pairs judged directly in small documents (shingles counted in numpy), and the splice search
    skipped where no window repeats, give the text and explanations of the plain path (banded
    candidates, shingle sets, full search)."""
    docs = _near_duplicate_documents(60) + [d for d, *_ in in_document_set()][:60]
    fast, lsh, search = DedupParagraphs(settings), _AlwaysLSH(settings), _AlwaysSearchSplices(settings)
    sets, lsh_sets = _ShingleSets(settings), _LSHShingleSets(settings)
    changed = 0
    for d in docs:
        r = fast.apply(d, True)
        for other in (lsh, search, sets, lsh_sets):
            o = other.apply(d, True)
            assert (r.text, r.changes, r.paragraphs_dropped) == (o.text, o.changes, o.paragraphs_dropped)
        changed += r.text != d
    assert changed > len(docs) // 3  # the documents do exercise the rules


def test_long_documents_count_in_numpy_up_to_a_budget_of_pairs():
    """Documents of 65-256 paragraphs (the page dumps have up to 168) count their shingles in
    numpy too, with the text and explanations of shingle sets; where one line stands many times
    over, the pairs to count pass the budget and the sets are used (same answer)."""
    import random

    rng = random.Random(7)
    paras = paragraphs()
    nav = ["首页", "新闻中心", "关于我们联系我们", "版权所有请勿转载本站内容仅供参考", "上一篇下一篇返回列表"]
    docs = []
    for _ in range(12):
        ps = [p[:rng.randint(8, 120)] for p in rng.sample(paras, rng.randint(40, 150))]
        for p in rng.sample(ps, len(ps) // 4):
            q = list(p)
            q[rng.randrange(len(q))] = rng.choice("的了是在有")
            ps.append(rng.choice((p, "".join(q), p[len(p) // 3:], rng.choice(nav))))
        ps += rng.choices(nav, k=rng.randint(0, 40))
        rng.shuffle(ps)
        docs.append("\n".join(ps[:256]) + "\n")
    docs.append("\n".join([nav[3] * 2] * 250))
    fast, sets = DedupParagraphs(), _ShingleSets()
    counted = over = changed = 0
    for d in docs:
        r, o = fast.apply(d, True), sets.apply(d, True)
        assert (r.text, r.changes, r.paragraphs_dropped) == (o.text, o.changes, o.paragraphs_dropped)
        changed += len({c.rule for c in r.changes}) > 1
        lines = [ln for ln in d.split("\n") if ln.strip()]
        cps, lens = fast._view_codes(lines)
        if len(lines) > 64:
            counted += fast._counts(cps, lens) is not None
            pairs = _Counts(cps, lens, 3).shared
            over += fast._counts(cps, lens) is None and pairs is not None
    assert counted >= 10 and over == 1 and changed >= 10, (counted, over, changed)


@pytest.mark.parametrize("threshold", [0.3, 0.5, 0.8, 1.0])
def test_pairs_judged_in_numpy_are_those_judged_one_by_one(threshold):
    """The pairs whose Jaccard reaches the threshold, judged all at once from _Counts, are those
    of the loop over pairs of shingle sets, in the same order (j, then i)."""
    from zhclean.dedup.minhash import _split_views

    f = DedupParagraphs(DedupSettings(threshold=threshold))
    found = 0
    for d in _near_duplicate_documents(40, seed=5):
        lines = [ln for ln in d.split("\n") if ln.strip()]
        cps, lens = f._view_codes(lines)
        views = _split_views(cps, lens)
        uniq = sorted({v: k for k, v in reversed(list(enumerate(views))) if len(v) > 3}.values())
        counts = f._counts(cps, lens)
        sets = {k: shingles(views[k], 3) for k in uniq}
        by_sets = f._judged_pairs(uniq, lambda k: len(sets[k]), lambda i, j: len(sets[i] & sets[j]))
        assert f._judged_pairs_counted(uniq, counts) == by_sets
        found += len(by_sets)
    assert found > 20 or threshold == 1.0  # (distinct views rarely share every shingle)


def test_window_repeat_check():
    from zhclean.filters.dedup import _codepoints, _may_repeat

    def may_repeat(views, m):
        return _may_repeat(*_codepoints(views), m)

    m = 30
    a = "甲" * 5 + "第一段内容在这里一共有三十个字符以上的长度才可以被认出来所以再加几个字"
    assert len(a) > 5 + m
    assert may_repeat([a, "别的" + a[5:5 + m]], m)
    assert may_repeat([a + "乙" + a[3:3 + m]], m)  # twice in one paragraph
    assert not may_repeat([a, "别的" + a[5:4 + m]], m)
    assert not may_repeat([a, a[:20]], m)
    assert not may_repeat(["", "短"], m)


def _screen_by_sets(views, n, share):
    """What _screen answers, from shingle sets and a scan: whether every paragraph shares less than
    ``share`` of its distinct shingles with the others, and the longest stretch of windows inside
    one paragraph whose shingle stands at another place too."""
    from collections import Counter

    grams = [[v[i:i + n] for i in range(len(v) - n + 1)] for v in views]
    count = Counter(g for gs in grams for g in gs)
    longest = 0
    for gs in grams:
        cur = 0
        for g in gs:
            cur = cur + 1 if count[g] > 1 else 0
            longest = max(longest, cur)
    sets = [set(gs) for gs in grams]
    alone = all(len(sk & set().union(*(o for j, o in enumerate(sets) if j != k))) < share * len(sk)
                for k, sk in enumerate(sets) if sk)
    return alone, longest


def _screen_of(views, n, share):
    from zhclean.filters.dedup import _screen, _sixteen_bits

    # (characters past 16 bits are numbered into the code points views never keep)
    cps = _sixteen_bits(np.frombuffer("".join(views).encode("utf-32-le"), dtype=np.uint32), True)
    return _screen(cps, np.array([len(v) for v in views]), n, share)


def test_screen_counts_shared_shingles_and_stretches_exactly():
    """_screen's two answers on small random documents, against sets and a scan."""
    import random

    from zhclean.dedup.minhash import _view_lut

    rng = random.Random(1)
    checked = 0
    for _ in range(1500):
        n, share = rng.choice((2, 3)), rng.choice((0.3, 0.5, 0.9))
        alpha = rng.sample("甲乙丙丁戊己庚辛壬癸\U00020000\U00020001\U0002a6d6", rng.randint(2, 6))
        views = ["".join(rng.choice(alpha) for _ in range(rng.randint(0, 30))) for _ in range(rng.randint(1, 5))]
        alone, longest = _screen_by_sets(views, n, share)
        assert _screen_of(views, n, share) == (alone, longest), (views, n, share)
        checked += not alone or longest > 2
    assert checked > 300  # the documents do share shingles and repeat stretches
    lut = _view_lut()
    assert not np.any((lut >= 0xD800) & (lut < 0xF900))  # (what _sixteen_bits relies on)


def test_screen_bound_and_full_count_agree_with_sets_on_real_paragraphs():
    """_screen settles most clean documents by a bound (a paragraph shares at most its windows
    that stand twice, and has at least those that stand once) and counts the rest exactly: on
    documents of corpus paragraphs with repeats, near repeats and pieces of each other, and on
    clean ones, the answers are those of sets, and both ways are taken."""
    import random
    from collections import Counter

    rng = random.Random(6)
    paras = [view(p) for p in paragraphs()[:400]]
    docs = [paras[i:i + 8] for i in range(0, 400, 8)]  # clean documents
    for _ in range(150):
        ps = rng.sample(paras, rng.randint(1, 8))
        for p in rng.sample(ps, rng.randint(0, len(ps))):
            r = rng.random()
            if r < 0.3:
                ps.append(p)
            elif r < 0.6:
                q = list(p)
                for _ in range(rng.randint(1, max(1, len(q) // 4))):
                    q[rng.randrange(len(q))] = rng.choice("的了是在有")
                ps.append("".join(q))
            else:
                cut = rng.randrange(len(p))
                ps.append(p[cut:cut + rng.randint(2, 80)])
        ps += ["", "短", "ab"][:rng.randint(0, 3)]
        rng.shuffle(ps)
        docs.append(ps)
    bound = counted = shared = 0
    for views in docs:
        for n, share in ((3, 0.5), (2, 0.5), (3, 0.3), (3, 0.9)):
            alone, longest = _screen_by_sets(views, n, share)
            assert _screen_of(views, n, share) == (alone, longest), (views, n, share)
            # which way it went: the bound, from the windows that stand twice in each paragraph
            grams = [[v[i:i + n] for i in range(len(v) - n + 1)] for v in views]
            count = Counter(g for gs in grams for g in gs)
            t = [sum(count[g] > 1 for g in gs) for gs in grams]
            settled = all(not gs or tk < share * (len(gs) - tk) for tk, gs in zip(t, grams))
            bound += settled and longest > 0
            counted += not settled and alone
            shared += not alone
    assert bound > 100 and counted > 50 and shared > 200, (bound, counted, shared)  # (181, 123, 496)


@pytest.mark.parametrize("block", [1, 7, 4096])
def test_shingle_counts_equal_the_set_arithmetic(block, monkeypatch):
    """_Counts against shingle sets on small random documents: sizes, shingles shared pair by pair
    (a block of pairs at a time) and with earlier paragraphs, and the first holder
    that _best_source names."""
    import random
    from collections import Counter

    from zhclean.filters.dedup import _Counts

    monkeypatch.setattr(_Counts, "BLOCK", block)
    rng = random.Random(2)
    for _ in range(300):
        alpha = "甲乙丙丁戊己庚辛壬癸子丑寅卯"[:rng.randint(2, 14)]
        views = ["".join(rng.choice(alpha) for _ in range(rng.randint(0, 40))) for _ in range(rng.randint(1, 9))]
        counts = _Counts(np.frombuffer("".join(views).encode("utf-32-le"), dtype=np.uint32),
                         np.array([len(v) for v in views]), 3)
        sets = [shingles(v, 3) if len(v) >= 3 else set() for v in views]
        holders = {}
        for i, si in enumerate(sets):
            assert counts.sizes[i] == len(si)
            assert counts.earlier[i] == len(si & holders.keys())
            assert all(counts.shared[i][j] == len(si & sj) for j, sj in enumerate(sets) if j != i)
            if si & holders.keys():
                assert counts.best_source(i) == DedupParagraphs._best_source(si, holders)
            for g in si:
                holders.setdefault(g, i)


@pytest.mark.parametrize("normalize", [True, False])
def test_sentences_sliced_from_one_view_pass_equal_a_view_at_a_time(normalize):
    """The splice search's sentences and clause views, sliced from one view of the paragraphs,
    are those of splitting each sentence and viewing each clause on its own."""
    import random

    f = DedupParagraphs(DedupSettings(normalize=normalize))
    rng = random.Random(4)
    odd = ["马炳国说。", "“好！？”", "。。", "，，", "\u3000\u3000第一段。", "\r", "\x00", "\ud800", "𠀀𠀁。", "ＡＢＣ！", "a;b,c?d!", "）」』"]
    docs = [d for d, *_ in in_document_set()][:80] + _near_duplicate_documents(40)
    pieces = odd + paragraphs()[:20]
    for _ in range(200):
        docs.append("\n".join("".join(rng.choice(pieces) for _ in range(rng.randint(1, 6)))
                              for _ in range(rng.randint(1, 4))))
    for d in docs:
        paras = [(k, ln) for k, ln in enumerate(d.split("\n")) if ln.strip()]
        assert f._sentences(paras) == f._sentences_plain(paras), d


@pytest.mark.slow
def test_one_long_document_grows_near_linearly():
    """Issue 14: 160k lines took 185 s and 1M never finished.  Four times the lines must cost far
    less than sixteen times the CPU time (quadratic); linear is four."""
    import random
    import time

    rng = random.Random(1)
    clauses = [c for p in paragraphs() for c in re.split(r"[，。！？]", p) if 4 <= len(c) <= 30]

    def doc(n):
        return "\n".join(rng.choice(clauses) + "。" for _ in range(n)) + "\n"

    def cpu(n):
        text, f = doc(n), DedupParagraphs()
        t0 = time.process_time()
        f.apply(text, True)
        return time.process_time() - t0

    small, large = min(cpu(25_000) for _ in range(2)), cpu(100_000)
    assert large < 9 * small, (small, large)


def test_polynomial_window_codes_by_prefix_sums_equal_the_running_code():
    """The window hash is computed from prefix sums; it must be the code ``code * B + c`` gives."""
    import numpy as np

    from zhclean.filters.dedup import _BASE, _polynomial_windows, _powers

    rng = np.random.default_rng(7)
    for size, n in ((1, 1), (5, 5), (40, 4), (300, 30), (1000, 64)):
        cps = rng.integers(0, 0x110000, size).astype(np.uint64)
        want = []
        for i in range(size - n + 1):
            code = 0
            for c in cps[i:i + n].tolist():
                code = (code * _BASE + c) % (1 << 64)
            want.append(code)
        assert _polynomial_windows(cps, n).tolist() == want
        if size >= n:  # (the one-window-at-a-time codes of the splice search's start check)
            starts = np.arange(size - n + 1)
            assert (cps[starts[:, None] + np.arange(n)] @ _powers(n)).tolist() == want


def test_band_keys_hash_each_band_as_a_loop_over_bands_would():
    """band_keys hashes all bands at once; the keys are those of one band at a time (which the Spark
    engine and corpus dedup share), for any signature width and band shape."""
    import numpy as np

    from zhclean.dedup.lsh import band_keys

    def one_band_at_a_time(sigs, bands, rows):
        mult = np.uint64(0x9E3779B97F4A7C15)
        keys = np.empty((sigs.shape[0], bands), dtype=np.uint64)
        for bi in range(bands):
            h = np.full(sigs.shape[0], np.uint64(((bi + 1) * 0xC2B2AE3D27D4EB4F) & 0xFFFFFFFFFFFFFFFF), dtype=np.uint64)
            for c in range(rows):
                h = (h ^ sigs[:, bi * rows + c].astype(np.uint64)) * mult
                h ^= h >> np.uint64(29)
            keys[:, bi] = h
        return keys

    rng = np.random.default_rng(5)
    for n, bands, rows, dtype in ((0, 17, 7, np.uint32), (1, 17, 7, np.uint32), (60, 17, 7, np.uint32),
                                  (300, 9, 14, np.uint64), (7, 20, 6, np.uint32)):
        sigs = rng.integers(0, 2**32, size=(n, 128)).astype(dtype)
        got = band_keys(sigs, bands, rows)
        assert got.dtype == np.uint64 and np.array_equal(got, one_band_at_a_time(sigs, bands, rows))


def test_candidate_pairs_of_all_bands_at_once_as_band_by_band():
    import numpy as np

    from zhclean.dedup.lsh import candidate_pairs

    def band_by_band(keys, full_bucket):
        n, bands = keys.shape
        found = set()
        for bi in range(bands):
            order = sorted(range(n), key=lambda i: (int(keys[i, bi]), i))
            for p, i in enumerate(order):
                run_start = p
                while run_start > 0 and keys[order[run_start - 1], bi] == keys[i, bi]:
                    run_start -= 1
                if run_start < p:
                    found.add(tuple(sorted((order[run_start], i))))  # paired with its bucket's first
                for d in range(1, full_bucket):
                    if p + d < n and keys[order[p + d], bi] == keys[i, bi]:
                        found.add(tuple(sorted((i, order[p + d]))))
        return sorted(found)

    rng = np.random.default_rng(3)
    for n, bands, vals in ((0, 17, 5), (1, 17, 5), (2, 3, 1), (40, 17, 3), (40, 17, 1000), (200, 9, 20), (250, 3, 1)):
        keys = rng.integers(0, vals, size=(n, bands), dtype=np.uint64)
        for full_bucket in (1, 2, 8, 64):  # (250 items in one bucket: the templated lines of a page)
            got = candidate_pairs(keys, full_bucket)
            assert got.dtype == np.int64 and [tuple(p) for p in got.tolist()] == band_by_band(keys, full_bucket)


def test_candidate_pairs_of_a_large_index_by_blocks_of_bands():
    """Past 2**20 keys the bands are paired a few at a time (memory near one band's): the same pairs."""
    import numpy as np

    from zhclean.dedup.lsh import candidate_pairs

    keys = np.random.default_rng(0).integers(0, 50_000, size=(70_000, 17), dtype=np.uint64)
    by_band = np.unique(np.concatenate([candidate_pairs(keys[:, b:b + 1]) for b in range(17)]), axis=0)
    assert np.array_equal(candidate_pairs(keys), by_band)
