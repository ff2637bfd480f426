"""strip_boilerplate on real page dumps (fixtures/realpages, labelled by hand), beside the C4-style filter.

The sites are split in two before any tuning (tests/realpages.py): dev, on which the page
structure pass was tuned, and test, which was never tuned on.  Both are pinned here.
"""

import random

import pytest

import realpages as rp
from helpers import corpus, seed
from zhclean import clean
from zhclean.filters.boilerplate import StripBoilerplate


def _predict(root=rp.REALPAGES):
    """(lines zhclean removes, lines the C4-style filter removes) of every page of a set."""
    f = StripBoilerplate()
    ours, c4 = {}, {}
    for name, (site, labels) in rp.pages(root).items():
        t = rp.text(name, root)
        ours[name] = rp.removed_lines(lambda x: f.apply(x, explain=True), t)
        c4[name] = {i for i, ln in enumerate(t.split("\n")) if i < len(labels) and not rp.c4_keep(ln)}
    return ours, c4


def _halves(root) -> tuple[list[str], list[str]]:
    """(dev sites, test sites) of a set: its sites in alphabetical order, alternately."""
    sites = sorted({site for site, _ in rp.pages(root).values()})
    return sites[0::2], sites[1::2]


def _assert_floor(predictions, root, dev, test, half: str, floors) -> tuple[dict, dict]:
    """The half's precision and recall are at least its floor (``floors``: one (P, R) pair, or one per
    half); both printed beside C4-style's, and both scores returned (zhclean's, C4-style's)."""
    ours, c4 = predictions
    which = {"dev": dev, "test": test, "all": None}[half]
    a, b = rp.score(ours, which, root), rp.score(c4, which, root)
    print(f"{root.name} {half}: zhclean P {a['precision']:.3f} R {a['recall']:.3f}; "
          f"C4-style P {b['precision']:.3f} R {b['recall']:.3f}")
    floor = floors[half] if isinstance(floors, dict) else floors
    assert a["precision"] >= floor[0] and a["recall"] >= floor[1], a
    return a, b


def _assert_target(predictions, root, sites):
    """The issue's target on these sites: precision >= 0.99 and recall >= 0.97."""
    a = rp.score(predictions[0], sites, root)
    assert a["precision"] >= 0.99 and a["recall"] >= 0.97, a


def _assert_whole(root, pages: int, sites: int, lines: int):
    """The set has its pages, sites and labelled lines, and a label for every line of every page."""
    labelled = rp.pages(root)
    assert len(labelled) == pages and len({site for site, _ in labelled.values()}) == sites
    assert sum(len(labels) for _, labels in labelled.values()) == lines
    for name, (site, labels) in labelled.items():
        assert len(rp.text(name, root).split("\n")) - 1 == len(labels), name


@pytest.fixture(scope="module")
def predictions():
    return _predict()


@pytest.mark.parametrize("half", ["dev", "test", "all"])
def test_precision_and_recall(predictions, half):
    ours, c4 = predictions
    which = {"dev": rp.DEV, "test": rp.TEST, "all": None}[half]
    a, b = rp.score(ours, which), rp.score(c4, which)
    print(f"{half}: zhclean P {a['precision']:.3f} R {a['recall']:.3f}; C4-style P {b['precision']:.3f} R {b['recall']:.3f}")
    assert a["precision"] >= 0.99 and a["recall"] >= 0.97, a
    assert a["precision"] > b["precision"] and a["recall"] > b["recall"]


@pytest.mark.parametrize("site", rp.SITES)
def test_recall_on_every_site(predictions, site):
    a = rp.score(predictions[0], [site])
    assert a["recall"] >= 0.90, (site, a)


def test_split_is_by_site_and_fixed():
    assert rp.DEV == ["baijiahao", "cjn", "ednchina", "ifeng", "njxfhn", "shanxi", "sxmu"]
    assert rp.TEST == ["cjddsb", "cmse", "hexun", "mydrivers", "qq", "stcn", "toutiao"]


def test_every_removal_names_its_evidence():
    f = StripBoilerplate()
    r = f.apply(rp.text("qq__2.txt"), explain=True)
    rules = {c.rule for c in r.changes if not c.flag}
    assert {"context.before_article", "context.after_article"} <= rules
    for c in r.changes:
        assert c.rule and c.reason


def test_comment_thread_goes_whole():
    page = "\n".join(["首页", "新闻", "体育", "财经", "科技", "某地举行活动",
                      "2020-06-06 10:08 来源：澎湃新闻",
                      "本报讯，某地今天举行了一场大型活动，吸引了众多市民前来参加，现场气氛十分热烈。",
                      "活动由市文化局主办，内容包括展览、演出和互动体验，持续到本月底，欢迎大家参加。",
                      "网友评论", "沙拉酱 56分钟前", "这个活动真的很不错，我带孩子去了，非常开心。", "25 | 回复",
                      "还没有评论，快来抢沙发吧！", "关于我们", "联系我们"]) + "\n"
    out = StripBoilerplate().apply(page, explain=True)
    assert "这个活动真的很不错" not in out.text
    assert "本报讯" in out.text and "市文化局" in out.text and "某地举行活动" in out.text
    assert any(c.rule == "comment_thread" for c in out.changes)


def test_clean_corpus_documents_lose_no_line():
    paras = corpus("cmrc2018_contexts.jsonl") + corpus("drcd_contexts.jsonl")
    assert len(paras) == 3104
    rng = random.Random(11)
    f = StripBoilerplate()
    i = removed = 0
    while i < len(paras):
        n = rng.randint(1, 50)
        doc = "\n".join(paras[i:i + n]) + "\n"
        res = f.apply(doc, explain=True)
        removed += sum(1 for c in res.changes if not c.flag and c.after == "")
        i += n
    assert removed == 0


@pytest.mark.parametrize("key", ["000", "001", "004"])
def test_seed_articles_without_chrome_lose_no_line(key):
    text = clean(seed(key).read_text(encoding="utf-8"), skip=["strip_boilerplate", "rejoin_paragraphs",
                                                                "dedup_paragraphs"])
    res = StripBoilerplate().apply(text, explain=True)
    removed = [c for c in res.changes if not c.flag and c.after == ""]
    # no prose line goes, and the page-structure pass removes nothing from an article without chrome;
    # what the rules still remove is chrome by the labelling convention of fixtures/realpages:
    # bylines standing alone (□文/…), jump markers (上接A01版) and lines of symbols
    assert not [c for c in removed if c.rule.startswith(("context.", "comment_thread"))]
    assert {c.rule for c in removed} <= {"news.byline", "news.jump", "decoration.symbols"}, removed
    assert not [c for c in removed if "，" in c.before and c.before.rstrip()[-1:] in "。！？"]


# the second set (fixtures/realpages2): 29 pages of 26 other sites, labelled after the rules and the
# page pass were written.  Its sites are split the same way (alternately, in alphabetical order).
DEV2, TEST2 = _halves(rp.REALPAGES2)


@pytest.fixture(scope="module")
def predictions2():
    return _predict(rp.REALPAGES2)


def test_second_set_is_whole():
    _assert_whole(rp.REALPAGES2, 29, 26, 2645)


@pytest.mark.parametrize("half", ["dev", "test", "all"])
def test_second_set_beats_c4(predictions2, half):
    """The floor pins what the set gave when it arrived (all: P 0.984 R 0.975); the page pass was then
    tuned on the dev half only (P 0.988 -> 0.998, R 0.994 -> 0.997; test half 0.979 / 0.958 -> 0.983 / 0.958; a document's own table of contents, from set 5's dev half: 0.986 / 0.958; reference lists, label walks,
    far titles and 刚刚, tuned on the dev halves of sets 3-5: dev unchanged, test 0.987 / 0.958)."""
    a, b = _assert_floor(predictions2, rp.REALPAGES2, DEV2, TEST2, half, (0.975, 0.955))
    assert a["precision"] > b["precision"] and a["recall"] >= b["recall"]


@pytest.mark.xfail(strict=True, reason="set 2, test half: precision 0.987 and recall 0.958 (headlines and "
                                       "subtitles whose page title is only the site name; comment threads "
                                       "without relative times, as on duowei and sohu)")
def test_second_set_test_half_meets_the_target(predictions2):
    _assert_target(predictions2, rp.REALPAGES2, TEST2)


# the third set (fixtures/realpages3): 31 pages of 25 more sites (8 in Traditional Chinese), labelled
# by hand before the filter was run on them.  Split the same way; only the dev half was tuned on.
DEV3, TEST3 = _halves(rp.REALPAGES3)


@pytest.fixture(scope="module")
def predictions3():
    return _predict(rp.REALPAGES3)


def test_third_set_is_whole():
    _assert_whole(rp.REALPAGES3, 31, 25, 6147)


@pytest.mark.parametrize("half", ["dev", "test", "all"])
def test_third_set_beats_c4(predictions3, half):
    """When the set arrived: dev P 0.954 R 0.984, test P 0.967 R 0.993 (all 0.962 / 0.990; C4-style
    0.942 / 0.932).  Tuned on the dev half only (a blog's clauses broken by spaces or none, the thread's
    rules after a comment heading, desk bylines): dev P 0.995 R 0.997, test P 0.974 R 0.998; 刚刚 read as
    an adverb in a sentence: dev P 0.996."""
    a, b = _assert_floor(predictions3, rp.REALPAGES3, DEV3, TEST3, half, (0.97, 0.995))
    assert a["precision"] > b["precision"] and a["recall"] > b["recall"]


@pytest.mark.xfail(strict=True, reason="set 3, test half: precision 0.974 (code lines of a programming "
                                       "article, a news site's lines with its own furniture), recall 0.998")
def test_third_set_test_half_meets_the_target(predictions3):
    _assert_target(predictions3, rp.REALPAGES3, TEST3)


# the fourth set (fixtures/realpages4): 29 pages of 24 more sites that are mostly not news: forum
# threads, blogs, an encyclopedia entry, a conference programme, lessons, a lyrics blog, mostly
# from 2003-2007.  Labelled by hand before the filter was run on them; split the same way.
DEV4, TEST4 = _halves(rp.REALPAGES4)


@pytest.fixture(scope="module")
def predictions4():
    return _predict(rp.REALPAGES4)


def test_fourth_set_is_whole():
    _assert_whole(rp.REALPAGES4, 29, 24, 7023)


@pytest.mark.parametrize("half", ["dev", "test", "all"])
def test_fourth_set_as_measured(predictions4, half):
    """Pages that are not news articles (the issue's target) are where the page pass reads least:
    when the set arrived, all P 0.596 R 0.616 beside C4-style 0.577 / 0.967 (dev 0.643 / 0.363,
    test 0.573 / 0.982).  Tuned on the dev half only (a reply's "# re:" head, a thread after two comment
    headings, a sentence's end alone on a line): dev 0.660 / 0.382, test unchanged.  Then archive and
    tag lists with counts, a forum's reply index, [bracketed] button rows, a Blogger template's lines, journal metadata: dev 0.829 / 0.956, test
    unchanged.  Then the lines next to the best run that open with a label two of its lines open with (the
    programme's sessions): dev 0.958 / 0.956; with the other changes of that round (reference lists, far
    titles, 刚刚), test 0.573 / 0.982 (one line fewer removed wrongly).  The floors pin what it gives now;
    the targets are strict xfails below."""
    _assert_floor(predictions4, rp.REALPAGES4, DEV4, TEST4, half,
                  {"dev": (0.955, 0.945), "test": (0.57, 0.98), "all": (0.745, 0.96)})


@pytest.mark.xfail(strict=True, reason="set 4 (not news: forums, blogs, a programme, lyrics): dev P 0.958 "
                                       "R 0.956, test P 0.573 R 0.982 (pages with no run of prose, such as an "
                                       "encyclopedia entry or an admission notice's tables, lose what lies "
                                       "outside the best run)")
@pytest.mark.parametrize("half", ["dev", "test"])
def test_fourth_set_meets_the_target(predictions4, half):
    _assert_target(predictions4, rp.REALPAGES4, {"dev": DEV4, "test": TEST4}[half])


# the fifth set (fixtures/realpages5): 30 pages of 30 more sites, mostly 2023-2024, from the test pages of
# magic-html and MinerU-Webkit: news, a government-site report, blogs, Q&A, forum threads, a Weibo post, a novel
# chapter, poems, a Wikipedia entry, product pages.  Labelled by hand before the filter was run on them.
DEV5, TEST5 = _halves(rp.REALPAGES5)


def test_fifth_set_is_whole():
    _assert_whole(rp.REALPAGES5, 30, 30, 6279)


@pytest.fixture(scope="module")
def predictions5():
    return _predict(rp.REALPAGES5)


@pytest.mark.parametrize("half", ["dev", "test", "all"])
def test_fifth_set_as_measured(predictions5, half):
    """When the set arrived (measured once, before anything was tuned on it): dev P 0.861 R 0.991,
    test P 0.686 R 0.873, beside C4-style 0.782 / 0.968 and 0.596 / 0.963.  Tuned on the dev half only
    (a document's own table of contents, a platform's notice): dev 0.870 / 0.992, test unchanged.
    Then an article's own reference list (^ …, [n] …) after it, a page title's first part standing far
    before the article (a question, a thread's subject), 刚刚 as an adverb: dev 0.922 / 0.992, test
    0.688 / 0.873.  The floors pin what it gives now; the targets are strict xfails below."""
    _assert_floor(predictions5, rp.REALPAGES5, DEV5, TEST5, half,
                  {"dev": (0.92, 0.99), "test": (0.685, 0.87), "all": (0.805, 0.935)})


@pytest.mark.xfail(strict=True, reason="set 5 (news, Q&A, forums, an encyclopedia entry, poems, product "
                                       "pages): dev P 0.922 R 0.992, test P 0.688 R 0.873 (content outside "
                                       "the best run of prose is lost; chrome inside it stays)")
@pytest.mark.parametrize("half", ["dev", "test"])
def test_fifth_set_meets_the_target(predictions5, half):
    _assert_target(predictions5, rp.REALPAGES5, {"dev": DEV5, "test": TEST5}[half])


# the sixth set (fixtures/realpages6): 20 pages of 15 more sites, mostly not news: shop product pages,
# recipes, a programming tutorial, a long forum thread, small forums, two portal index pages and two news
# articles, from the test pages of PulsarRPA, recipe-scrapers, WebMainBench, htmldate and magic-html (new
# sites only).  Labelled by hand before the filter was run on them.
DEV6, TEST6 = _halves(rp.REALPAGES6)


def test_sixth_set_is_whole():
    _assert_whole(rp.REALPAGES6, 20, 15, 4009)


@pytest.fixture(scope="module")
def predictions6():
    return _predict(rp.REALPAGES6)


@pytest.mark.parametrize("half", ["dev", "test", "all"])
def test_sixth_set_as_measured(predictions6, half):
    """When the set arrived (measured once, before anything was tuned on it): dev P 0.939 R 0.980,
    test P 0.922 R 0.874, beside C4-style 0.927 / 0.976 and 0.936 / 0.945.  After the changes tuned on
    the dev halves of sets 4 and 5 (reference lists, label walks, far titles, 刚刚): dev unchanged, test
    0.923 / 0.871 (three lines fewer removed wrongly, five more chrome lines kept).  The floors pin what
    it gives now; the targets are strict xfails below."""
    _assert_floor(predictions6, rp.REALPAGES6, DEV6, TEST6, half,
                  {"dev": (0.935, 0.975), "test": (0.92, 0.87), "all": (0.925, 0.92)})


@pytest.mark.xfail(strict=True, reason="set 6 (shops, recipes, a tutorial, forums, index pages): dev P 0.939 "
                                       "R 0.980, test P 0.923 R 0.871 (ingredient lists, code and product "
                                       "parameters read as chrome; a forum thread's replies kept)")
@pytest.mark.parametrize("half", ["dev", "test"])
def test_sixth_set_meets_the_target(predictions6, half):
    _assert_target(predictions6, rp.REALPAGES6, {"dev": DEV6, "test": TEST6}[half])


# the seventh set (fixtures/realpages7): 22 pages of 16 more sites, mostly news: 15 Hong Kong news articles of
# 10 sites (traditional characters), two 39健康网 articles, a 中国政府网 resolution and four fund companies'
# announcement lists, from the test pages of hknews, hknews-backend, magic-html, GerapyAutoExtractor and
# GeneralNewsExtractor (new sites only).  Labelled by hand before the filter was run on them.
DEV7, TEST7 = _halves(rp.REALPAGES7)


def test_seventh_set_is_whole():
    _assert_whole(rp.REALPAGES7, 22, 16, 3866)


@pytest.fixture(scope="module")
def predictions7():
    return _predict(rp.REALPAGES7)


@pytest.mark.parametrize("half", ["dev", "test", "all"])
def test_seventh_set_as_measured(predictions7, half):
    """When the set arrived (measured once, before anything was tuned on it): dev P 0.991 R 0.973,
    test P 1.000 R 0.985, all 0.997 / 0.981, beside C4-style 0.964 / 0.947, 0.986 / 0.976 and
    0.978 / 0.966.  The floors pin what it gives now."""
    a, b = _assert_floor(predictions7, rp.REALPAGES7, DEV7, TEST7, half,
                         {"dev": (0.99, 0.97), "test": (0.995, 0.98), "all": (0.995, 0.978)})
    assert a["precision"] > b["precision"] and a["recall"] > b["recall"]


@pytest.mark.parametrize("half", ["dev", "test"])
def test_seventh_set_meets_the_target(predictions7, half):
    """Unlike sets 2 to 6, this set met the issue's precision and recall on both halves when it arrived
    (dev 0.991 / 0.973, test 1.000 / 0.985), so the target is a plain test here, not an xfail; the
    per-site recall target is the strict xfail below."""
    _assert_target(predictions7, rp.REALPAGES7, {"dev": DEV7, "test": TEST7}[half])


@pytest.mark.xfail(strict=True, reason="set 7: recall 0.866 on 39健康网 (its related-article lists and bare "
                                       "photo credits stay), 0.756 and 0.804 on two fund companies' "
                                       "announcement lists (list pages with no article)")
def test_seventh_set_recall_on_every_site(predictions7):
    ours = predictions7[0]
    low = {s: rp.score(ours, [s], rp.REALPAGES7)["recall"] for s in DEV7 + TEST7}
    assert min(low.values()) >= 0.90, low


def test_cleaning_every_real_page_is_idempotent():
    """clean(clean(page)) == clean(page) on all 187 real pages.  It did not hold on 9 of them: dedup
    dropped the headline between the page title and the article, and a second rejoin joined the two;
    rejoined hard-wrapped lines made a second strip_boilerplate read the essay as a page.  The pipeline
    now asks both again about its output when a later step changed what they returned."""
    import zhclean

    roots = (rp.REALPAGES, rp.REALPAGES2, rp.REALPAGES3, rp.REALPAGES4, rp.REALPAGES5, rp.REALPAGES6,
             rp.REALPAGES7)
    pages = [p for root in roots for p in sorted(root.glob("*.txt"))]
    assert len(pages) == 187
    for p in pages:
        once = zhclean.clean(p.read_text(encoding="utf-8"))
        assert zhclean.clean(once) == once, p.name
    # and the seed pages (001 was not: a cut repeat left "…项目现场，" before a heading, which a
    # second rejoin joined; a heading now never continues a line)
    for p in sorted((rp.REALPAGES.parent / "seeds").iterdir()):
        once = zhclean.clean(zhclean.decode(p.read_bytes()))
        assert zhclean.clean(once) == once, p.name
