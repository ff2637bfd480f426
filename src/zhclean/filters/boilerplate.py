"""strip_boilerplate: web chrome out (rejoin_paragraphs lives in ``filters/paragraphs.py``).

strip_boilerplate judges each line on its own terms and by its neighbours:

- **Rules are data** (``zhclean/data/boilerplate.toml``): each has a name, a category, a
  regex on the line's *view* (NFKC, Traditional folded to Simplified, lower case, no spaces,
  punctuation or symbols) and/or on the raw line, and a cap on the view's length, so a
  content sentence that merely contains a keyword (``作者``, ``来源``, ``版权``) stays.
- **Neighbours**: a short line (``sandwich_max_chars``) whose nearest non-empty neighbours
  are both boilerplate of one kind (forum and forum, footer and footer) is boilerplate too
  (``neighbour.sandwich``), unless it reads like a title (no clause punctuation) or a sentence; a title between a
  breadcrumb and the metadata line, or a heading followed by content, is content.
- **Corpus mode**: lines that recur in many documents of one source (``recurring``, learned by
  ``zhclean clean --learn-boilerplate``, in the style of CCNet) are removed as ``corpus.recurring``.
- Every removal names its rule; a document that loses more than ``max_removed_share`` of its
  text is flagged in the report (``over_removal``).

Users add rules (``rules = [{name=..., category=..., pattern=...}]``; the same name overrides a
shipped rule) and disable them (``disable = ["footer.support"]``) in ``[tool.zhclean.strip_boilerplate]``.

>>> strip_boilerplate("首页 > 新闻 > 本地\\n正文第一段，内容。\\nCopyright © 2024 某某网 版权所有\\n")
'正文第一段，内容。\\n'
"""

from __future__ import annotations

import math
import re
import sys
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

from ..errors import ConfigError, closest
from ..pipeline import Change, StepResult
from ..registry import make_settings, register
from ._rules import Filter, default_instance, join_kept

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

CATEGORIES = {"navigation", "metadata", "forum", "footer", "social", "news", "pagination", "decoration", "custom"}


@dataclass(frozen=True)
class Rule:
    name: str
    category: str
    pattern: re.Pattern | None
    raw: re.Pattern | None
    max_chars: int
    reason: str
    prose: bool = False

    def match(self, v: str, raw: str, prose_line: bool = False) -> bool:
        if len(v) > self.max_chars:
            return False
        if prose_line and not self.prose:
            return False
        if self.pattern is not None and not self.pattern.search(v):
            return False
        if self.raw is not None and not self.raw.search(raw):
            return False
        return True


ANY_FIRST = None  # a regex whose characters cannot be told in advance
DIGIT = "\\d"  # in a gate's characters: any character ``re`` reads as a digit (``str.isdecimal``)


def _gate(rx: re.Pattern) -> tuple[str, frozenset] | None:
    """:func:`_gate_of` the regex's pattern and flags (read once per pattern: a new instance of
    strip_boilerplate read its rules' gates in 8 ms CPU)."""
    return _gate_of(rx.pattern, rx.flags)


@lru_cache(maxsize=1024)
def _gate_of(pattern: str, flags: int) -> tuple[str, frozenset] | None:
    """What a text must hold for the regex ``pattern`` (compiled with ``flags``) to find a match in it,
    read from the parsed regex:
    ``("first", chars)``: the text starts with one of ``chars`` (every branch is anchored with ``^``);
    ``("contains", chars)``: the text holds one of ``chars`` somewhere (where a match starts);
    ``ANY_FIRST`` when it cannot tell (anything it does not understand).

    At the start of the text spaces count for nothing: the texts rules read (views, stripped raw
    lines) never start with one.  Elsewhere a space may start a match, so a branch that may start
    with one cannot be gated."""
    try:
        from re import _constants as c, _parser as parser
    except ImportError:  # pragma: no cover - Python 3.10
        import sre_constants as c
        import sre_parse as parser
    if flags & re.MULTILINE:
        return ANY_FIRST

    class Unknown(Exception):
        pass

    def first(seq, at_start: bool) -> tuple[set, bool]:
        """(characters a match of ``seq`` can start with, whether it can match nothing)."""
        out: set = set()
        for op, av in seq:
            if op is c.LITERAL:
                return out | {chr(av)}, False
            if op is c.IN:
                chars: set = set()
                for iop, iav in av:
                    if iop is c.LITERAL:
                        chars.add(chr(iav))
                    elif iop is c.RANGE and iav[1] - iav[0] < 256:
                        chars.update(map(chr, range(iav[0], iav[1] + 1)))
                    elif iop is c.CATEGORY and iav is c.CATEGORY_DIGIT:
                        chars.add(DIGIT)
                    elif iop is c.CATEGORY and iav is c.CATEGORY_SPACE and at_start:
                        pass
                    else:
                        raise Unknown
                return out | chars, False
            if op is c.BRANCH:
                nullable = False
                for branch in av[1]:
                    chars, empty = first(branch, at_start)
                    out |= chars
                    nullable |= empty
                if not nullable:
                    return out, False
            elif op is c.SUBPATTERN:
                if av[1] or av[2]:  # flags set inside
                    raise Unknown
                chars, empty = first(av[3], at_start)
                out |= chars
                if not empty:
                    return out, False
            elif op in (c.MAX_REPEAT, c.MIN_REPEAT):
                chars, empty = first(av[2], at_start)
                out |= chars
                if av[0] > 0 and not empty:
                    return out, False
            else:
                raise Unknown
        return out, True

    def needs(seq) -> set | None:
        """Characters of which a match of ``seq`` holds one: those of a part that cannot be skipped and
        whose characters can be told (of several such parts, the rarest set: see ``_rarity``); None if
        there is none."""
        best = None
        for op, av in seq:
            found = None
            try:
                if op is c.LITERAL or op is c.IN:
                    found, _ = first([(op, av)], False)
                elif op is c.SUBPATTERN and not (av[1] or av[2]):
                    found = needs(av[3])
                elif op is c.BRANCH:
                    parts = [needs(b) for b in av[1]]
                    found = None if any(p is None for p in parts) else set().union(*parts)
                elif op in (c.MAX_REPEAT, c.MIN_REPEAT) and av[0] > 0:
                    found = needs(av[2])
            except Unknown:
                found = None
            if found is not None and (best is None or _rarity(found) < _rarity(best)):
                best = found
        return best

    try:
        parsed = list(parser.parse(pattern, flags))
        branches = parsed[0][1][1] if len(parsed) == 1 and parsed[0][0] is c.BRANCH else [parsed]
        if all(b and b[0] == (c.AT, c.AT_BEGINNING) for b in branches):
            try:
                out: set = set()
                for branch in branches:
                    chars, empty = first(branch[1:], True)
                    if empty:
                        raise Unknown
                    out |= chars
                return ("first", _case_blind(frozenset(out), flags))
            except Unknown:
                pass
        held = [needs(b) for b in branches]
        if any(h is None for h in held):
            return ANY_FIRST
        return ("contains", _case_blind(frozenset().union(*held), flags))
    except (Unknown, IndexError, TypeError):
        return ANY_FIRST


def _rarity(chars: set) -> int:
    """How often a text holds one of ``chars`` (counts in the character model; Latin letters, digits
    and characters it lacks count as common): the gate to prefer is the rarest."""
    from ..charmodel import char_counts

    counts = char_counts()
    return sum(10**6 if ch == DIGIT else counts.get(ch, 20_000 if ch.isascii() else 1) for ch in chars)


class _CaseBlind(frozenset):
    """Gate characters of a regex compiled with IGNORECASE: a character passes if ``re`` matches it to
    one of them without regard to case (asked of ``re`` itself, per character: k and the Kelvin sign)."""


def _case_blind(chars: frozenset, flags: int) -> frozenset:
    return _CaseBlind(chars) if flags & re.IGNORECASE else chars


@lru_cache(maxsize=64)
def _blind_class(chars: _CaseBlind) -> re.Pattern:
    plain = sorted(chars - {DIGIT})
    return re.compile("[" + "".join(re.escape(ch) for ch in plain) + ("\\d" if DIGIT in chars else "") + "]",
                      re.IGNORECASE)


def _first_chars(rx: re.Pattern) -> frozenset | None:
    """The characters a match of ``rx`` can start with, if every match must start at the beginning of
    the text; else ``ANY_FIRST``."""
    g = _gate(rx)
    return g[1] if g is not None and g[0] == "first" else ANY_FIRST


def _holds(chars: frozenset, ch: str) -> bool:
    if isinstance(chars, _CaseBlind):
        return bool(ch) and _blind_class(chars).fullmatch(ch) is not None
    return ch in chars or (DIGIT in chars and ch.isdecimal())


@lru_cache(maxsize=8)
def _gate_answers(entries: tuple) -> tuple[dict, dict]:
    """The caches of :meth:`StripBoilerplate._rules_for` for one set of rules: (first characters and
    masks -> rules, first characters -> rules)."""
    return {}, {}


@lru_cache(maxsize=8)
def _hold_tables(keyed: tuple):
    """Per code point, the bits of the character sets (view, raw) that hold it; ``keyed`` holds each
    set as (case-blind or not, set)."""
    from .._cptable import LazyTable

    holds = tuple(tuple(c for _, c in side) for side in keyed)

    def table(sets):
        return LazyTable(lambda cp: sum(1 << i for i, chars in enumerate(sets) if _holds(chars, chr(cp))))

    return table(holds[0]), table(holds[1])


def _compile_rule(d: dict, where: str) -> Rule:
    known = {"name", "category", "pattern", "raw", "max_chars", "reason", "prose"}
    for k in d:
        if k not in known:
            raise ConfigError(f'{where}: unknown rule key "{k}".{closest(k, known)}')
    if "name" not in d:
        raise ConfigError(f"{where}: a rule needs a name")
    if "pattern" not in d and "raw" not in d:
        raise ConfigError(f'{where}: rule "{d["name"]}" needs a pattern or a raw regex')
    cat = d.get("category", "custom")
    if cat not in CATEGORIES:
        raise ConfigError(f'{where}: rule "{d["name"]}" has unknown category "{cat}".{closest(cat, CATEGORIES)}')
    try:
        pat = re.compile(d["pattern"]) if "pattern" in d else None
        raw = re.compile(d["raw"]) if "raw" in d else None
    except re.error as e:
        raise ConfigError(f'{where}: rule "{d["name"]}" has a bad regex: {e}') from None
    return Rule(d["name"], cat, pat, raw, int(d.get("max_chars", 40)), d.get("reason", d["name"]),
                bool(d.get("prose", False)))


@lru_cache(maxsize=1)
def shipped_rules() -> tuple[Rule, ...]:
    text = (resources.files("zhclean") / "data" / "boilerplate.toml").read_text(encoding="utf-8")
    return tuple(_compile_rule(d, "boilerplate.toml") for d in tomllib.loads(text)["rule"])


@lru_cache(maxsize=1)
def _tables():
    from ..dedup.minhash import _view_table
    from ..opencc_engine import load_dictionary

    t2s = {ord(k): v for k, v in load_dictionary("TSCharacters").items() if len(k) == 1 and len(v) == 1}
    return _view_table(), t2s


_SPACES = re.compile(r"\s+")


def line_view(line: str) -> tuple[str, str]:
    """(view, raw): the NFKC line folded to Simplified without spaces, punctuation and symbols,
    and the NFKC line folded to Simplified with runs of spaces collapsed."""
    view_table, t2s = _tables()
    n = unicodedata.normalize("NFKC", line)
    raw = _SPACES.sub(" ", n.translate(t2s)).strip()
    return n.translate(view_table), raw


@lru_cache(maxsize=1)
def _doc_tables():
    """Per code point: its view character (``DELETED`` when the view drops it) and its raw character,
    both after NFKC; ``COMPLEX`` where NFKC depends on the neighbours (see ``nfkc_simple``)."""
    from .._cptable import COMPLEX, LazyTable, nfkc_simple

    view_table, t2s = _tables()

    def view(cp: int) -> int:
        if cp == 10:
            return 10  # the views of a document's lines keep the newlines between them
        n = nfkc_simple(cp)
        if n == COMPLEX:
            return COMPLEX
        v = view_table.get(n, n)
        return DELETED if v is None else ord(v) if isinstance(v, str) else v

    def raw(cp: int) -> int:
        if cp == 10:
            return 10
        n = nfkc_simple(cp)
        if n == COMPLEX:
            return COMPLEX
        t = t2s.get(n)
        r = n if t is None else ord(t)
        return 32 if _SPACES.match(chr(r)) else r  # every space is a plain one: runs collapse to one

    return LazyTable(view), LazyTable(raw)


DELETED = -2
_MEMO_LINES = 20_000  # lines whose verdicts a strip_boilerplate instance remembers (a few MB)
_UNJUDGED = (None, None)  # a line too long for any rule
_FEW = 8  # at most this many fresh lines in a call: the long ones are judged by counting (see _judged)
_NOT_CJK = re.compile(r"[^\u4e00-\u9fff]+")  # (NFKC keeps these ideographs, and the view one for one)


def line_views(lines: list[str]) -> tuple[list[str], list[str]]:
    """:func:`line_view` of every line, as two lists, by one table lookup over the whole document;
    a line holding a character whose NFKC depends on its neighbours is viewed on its own."""
    views, raws, _, _, _ = _line_views(lines)
    return views, raws


def _line_views(lines: list[str], _normalized: bool = False):
    """(views, raws, the views' code points, the raws' code points (lines joined by newlines, before
    spaces are collapsed), the lines viewed on their own)."""
    import numpy as np

    from .._cptable import COMPLEX, code_points, from_code_points

    view_t, raw_t = _doc_tables()
    cps = code_points("\n".join(lines))
    v, r = view_t[cps], raw_t[cps]
    v_kept, r_kept = v[v >= 0], r[r >= 0]
    views = from_code_points(v_kept).split("\n")
    # raw lines: runs of spaces become one, and none is left at either end of a line
    space = r_kept == 32
    run = np.zeros(len(r_kept), dtype=bool)
    run[1:] = space[1:] & space[:-1]
    collapsed = r_kept[~run]
    space, newline = collapsed == 32, collapsed == 10
    edge = np.ones(len(collapsed), dtype=bool)  # after a newline, or at the start ...
    edge[1:] = newline[:-1]
    edge[:-1] |= newline[1:]  # ... or before a newline, or at the end
    edge[-1:] = True
    raws = from_code_points(collapsed[~(space & edge)]).split("\n")
    alone: list[int] = []
    hard = v == COMPLEX
    if hard.any():
        alone = np.unique(np.cumsum(cps == 10)[hard]).tolist()
        if _normalized:
            for k in alone:
                views[k], raws[k] = line_view(lines[k])
        else:
            # NFKC of the line first (… becomes ...), then the tables; a line that still holds a
            # character NFKC joins to its neighbour (a combining mark) is viewed on its own
            nv, nr, _, _, still = _line_views([unicodedata.normalize("NFKC", lines[k]) for k in alone], True)
            for j, k in enumerate(alone):
                views[k], raws[k] = nv[j], nr[j]
            for j in still:
                views[alone[j]], raws[alone[j]] = line_view(lines[alone[j]])
    return views, raws, v_kept, r_kept, alone


def _line_masks(cps, table, n: int, alone: list[int]) -> list[int]:
    """Per line of ``cps`` (code points of lines joined by newlines), the OR of ``table`` over its
    characters; -1 (every bit) for the lines viewed on their own."""
    import numpy as np

    bits = np.zeros(len(cps) + 1, dtype=np.int32)
    bits[:-1] = table[cps]
    newline = np.flatnonzero(cps == 10)
    bits[newline] = 0
    starts = np.concatenate(([0], newline + 1))
    masks = np.bitwise_or.reduceat(bits, starts)[:n].tolist()
    for k in alone:
        masks[k] = -1
    return masks


@dataclass(frozen=True)
class BoilerplateSettings:
    """``disable``: rule names to turn off.  ``rules``: extra rules, or overrides by name.
    ``sandwich_max_chars``: the longest view a line may have to be judged by its neighbours.
    ``max_removed_share``: flag documents that lose more.  ``recurring``: learned chrome views."""

    disable: tuple = ()
    rules: tuple = ()
    sandwich_max_chars: int = 50
    max_removed_share: float = 0.5
    recurring: tuple = ()
    page_structure: bool = True  # judge page dumps by the run of prose lines (zhclean.filters.page)

    def __post_init__(self):
        object.__setattr__(self, "disable", tuple(self.disable))
        object.__setattr__(self, "rules", tuple(dict(r) for r in self.rules))
        object.__setattr__(self, "recurring", tuple(self.recurring))


class StripBoilerplate(Filter):
    name = "strip_boilerplate"

    def __init__(self, settings: BoilerplateSettings | None = None):
        self.settings = s = settings or BoilerplateSettings()
        rules = {r.name: r for r in shipped_rules()}
        for i, d in enumerate(s.rules):
            r = _compile_rule(d, f"strip_boilerplate.rules[{i}]")
            rules[r.name] = r
        # the run rule (navigation.count_list) has no regex: it is switched off by name, not removed
        self.count_lists = _COUNT_LIST[0] not in s.disable
        for name in s.disable:
            if name == _COUNT_LIST[0]:
                continue
            if name not in rules:
                raise ConfigError(f'strip_boilerplate.disable: unknown rule "{name}".'
                                  f'{closest(name, [*rules, _COUNT_LIST[0]])}')
            del rules[name]
        self.rules = tuple(rules.values())
        # an empty view (symbols only) is decided by one rule; the others look at text
        sym = rules.get("decoration.symbols")
        self.symbols = (sym.name, sym.reason) if sym else None
        self.text_rules = tuple(r for r in self.rules if r.name != "decoration.symbols")
        self.cap = max([r.max_chars for r in self.rules] + [s.sandwich_max_chars])
        self.recurring = frozenset(s.recurring)
        from .page import PageSettings

        self.page = PageSettings()
        # a line this long cannot have a view short enough for any rule (views drop spaces and
        # punctuation, which are never half of a real line): skip it without looking
        self.max_len = max(2 * self.cap + 20, 420 if self.recurring else 0)
        # each rule as (max_chars, bound searches, prose allowed, verdict) with its gates (``_gate``):
        # the characters its view and raw line must start with, and a bit for each set of characters
        # they must hold somewhere (looked up for all lines at once); a rule is asked only of the lines
        # that pass its gates
        entries, holds = [], {"view": [], "raw": []}
        for r in self.text_rules:
            entry = (r.max_chars, r.pattern.search if r.pattern is not None else None,
                     r.raw.search if r.raw is not None else None, r.prose, (r.name, r.reason))
            firsts, bits = [], []
            for kind, rx in (("view", r.pattern), ("raw", r.raw)):
                g = _gate(rx) if rx is not None else ANY_FIRST
                firsts.append(g[1] if g is not None and g[0] == "first" else ANY_FIRST)
                bit = 0
                if g is not None and g[0] == "contains" and len(holds[kind]) < 31:
                    bit = 1 << len(holds[kind])
                    holds[kind].append(g[1])
                bits.append(bit)
            entries.append((entry, *firsts, *bits))
        self._entries = tuple(entries)
        self._holds = (tuple(holds["view"]), tuple(holds["raw"]))
        # (the key of the shared tables, with each set's kind: a case-blind set equals a plain one)
        self._holds_key = tuple(tuple((isinstance(c, _CaseBlind), c) for c in side) for side in self._holds)
        # what the gates answer depends on the rules alone: instances with the same rules share it
        self._candidates, self._by_first = _gate_answers(self._entries)
        self._memo: dict = {}  # line -> (rule verdict, length of its view): see _judged

    def _rules_for(self, v0: str, raw0: str, view_mask: int, raw_mask: int) -> tuple:
        """The rules, in order, whose gates a line passes: its view starts with ``v0``, its raw line with
        ``raw0``, and they hold the character sets whose bits are set in the masks."""
        key = (v0, raw0, view_mask, raw_mask)
        rules = self._candidates.get(key)
        if rules is None:
            if len(self._candidates) > 100_000:  # bounded: the first characters of a strange corpus
                self._candidates.clear()
                self._by_first.clear()
            # the rules whose first-character gates pass, asked once per pair of first characters
            firsts = self._by_first.get((v0, raw0))
            if firsts is None:
                firsts = self._by_first[(v0, raw0)] = tuple(
                    (entry, view_bit, raw_bit) for entry, view_first, raw_first, view_bit, raw_bit in self._entries
                    if (view_first is ANY_FIRST or _holds(view_first, v0))
                    and (raw_first is ANY_FIRST or _holds(raw_first, raw0)))
            rules = self._candidates[key] = tuple(
                entry for entry, view_bit, raw_bit in firsts
                if (not view_bit or view_mask & view_bit) and (not raw_bit or raw_mask & raw_bit))
        return rules

    def _tables_of_holds(self):
        """Per code point, the bits of the character sets (view, raw) that hold it."""
        return _hold_tables(self._holds_key)

    def rule_verdicts(self, lines: list[str]) -> list[tuple[str, str] | None]:
        """:meth:`classify` of every line, reading the document at once."""
        return self._judged(lines)[0]

    def _judged(self, lines: list[str]) -> tuple[list, list]:
        """(:meth:`classify` of every line, the length of its view or None when it was not judged).
        Each distinct line is read once: a line met before, in this document or an earlier one (menus
        and footers recur on every page of a site), is answered from the memo."""
        # (the answers are read into a dict of this document's own, and the memo only once per line:
        # an instance used by several threads may see another document empty the memo meanwhile)
        memo = self._memo
        known = {ln: memo.get(ln) for ln in dict.fromkeys(lines) if len(ln) <= self.max_len}
        fresh = [ln for ln, pair in known.items() if pair is None]
        if fresh and len(fresh) <= _FEW and not self.recurring:
            # a few fresh lines (the pipeline asks again about a text that later steps changed here and
            # there): a line holding more CJK ideographs than any rule's view may hold is judged by
            # counting them, without its view (each stays one character of the view); the length of
            # its view is read only if it is ever needed (see apply)
            cap = self.cap
            long = [ln for ln in fresh if len(ln) > cap and len(_NOT_CJK.sub("", ln)) > cap]
            if long:
                for ln in long:
                    known[ln] = _UNJUDGED
                memo.update(dict.fromkeys(long, _UNJUDGED))
                fresh = [ln for ln in fresh if known[ln] is None]
        if fresh:
            verdicts, sizes = self._verdicts(fresh)
            for ln, verdict, size in zip(fresh, verdicts, sizes):
                known[ln] = (verdict, size)
            if len(memo) + len(fresh) > _MEMO_LINES:  # bounded: forget what earlier documents held
                memo.clear()
                memo.update(known)
            else:
                memo.update(zip(fresh, map(known.__getitem__, fresh)))
        pairs = [known.get(ln, _UNJUDGED) for ln in lines]
        return [p[0] for p in pairs], [p[1] for p in pairs]

    def _verdicts(self, lines: list[str]) -> tuple[list[tuple[str, str] | None], list[int]]:
        """(:meth:`classify` of every line (each at most ``max_len`` long), the length of its view)."""
        out: list[tuple[str, str] | None] = [None] * len(lines)
        judged = range(len(lines))
        texts = lines
        views, raws, v_cps, r_cps, alone = _line_views(texts)
        if len(views) != len(texts) and any("\n" in t for t in texts):  # (read as two lines): it reads as a space
            return self._verdicts([t.replace("\n", " ") for t in texts])
        view_t, raw_t = self._tables_of_holds()
        view_masks = _line_masks(v_cps, view_t, len(texts), alone)
        raw_masks = _line_masks(r_cps, raw_t, len(texts), alone)
        # (_classify inlined for the common case: a view that is not empty, recurring or too long)
        recurring, cap, candidates, ask = self.recurring, self.cap, self._candidates, self._ask
        for j, k in enumerate(judged):
            v = views[j]
            if not v or (recurring and v in recurring):  # (no recurring lines: no hash of the view)
                out[k] = self._classify(texts[j], v, raws[j], view_masks[j], raw_masks[j])
            elif len(v) <= cap:
                raw = raws[j]
                rules = candidates.get((v[0], raw[:1], view_masks[j], raw_masks[j]))
                if rules is None:
                    rules = self._rules_for(v[0], raw[:1], view_masks[j], raw_masks[j])
                if rules:
                    out[k] = ask(rules, texts[j], v, raw)
        return out, list(map(len, views))

    def classify(self, line: str) -> tuple[str, str] | None:
        """(rule name, reason) if the line is boilerplate by a rule, else None."""
        return self.rule_verdicts([line])[0]

    def _classify(self, line: str, v: str, raw: str, view_mask: int = -1, raw_mask: int = -1) -> tuple[str, str] | None:
        if v in self.recurring:
            return ("corpus.recurring", "line recurs across many documents of this source")
        if not v:
            # a line of symbols is decoration, unless it is quoted: a silent turn of a dialogue (“……”)
            # ... or a sentence's last marks, left alone on a line by hard wrapping (。” after a line break)
            return None if _QUOTED.match(s := line.strip()) or _SENTENCE_TAIL.match(s) else self.symbols
        if len(v) > self.cap:
            return None
        return self._ask(self._rules_for(v[0], raw[:1], view_mask, raw_mask), line, v, raw)

    @staticmethod
    def _ask(rules: tuple, line: str, v: str, raw: str) -> tuple[str, str] | None:
        """The verdict of the first of ``rules`` that matches (as :meth:`Rule.match`, inlined)."""
        prose_line = None  # read only when a rule that spares prose is reached
        size = len(v)
        for max_chars, view_search, raw_search, prose_ok, verdict in rules:
            if size > max_chars:
                continue
            if not prose_ok:
                if prose_line is None:
                    prose_line = _is_prose(line)
                if prose_line:
                    continue
            if view_search is not None and view_search(v) is None:
                continue
            if raw_search is not None and raw_search(raw) is None:
                continue
            return verdict
        return None

    def apply(self, text: str, explain: bool = False) -> StepResult:
        lines = text.split("\n")
        verdict: list[tuple[str, str] | None] = [None] * len(lines)
        nonempty = [i for i, ln in enumerate(lines) if ln.strip()]
        texts = [lines[i] for i in nonempty]
        found, sizes = self._judged(texts)
        if self.count_lists:
            _count_lists(texts, found)
        for i, hit in zip(nonempty, found):
            if hit is not None:
                verdict[i] = hit
        # neighbours: a short line between boilerplate lines is boilerplate
        rule_hit = [hit is not None for hit in found]
        sandwiched = False
        for k in [k for k in range(1, len(nonempty) - 1) if rule_hit[k - 1] and rule_hit[k + 1] and not rule_hit[k]]:
            i = nonempty[k]
            # both neighbours of one kind (forum and forum, footer and footer): a title between a
            # breadcrumb and the metadata line is not chrome
            ca, cb = _category(verdict[nonempty[k - 1]][0]), _category(verdict[nonempty[k + 1]][0])
            if ca != cb and not (ca in _TRAILING and cb in _TRAILING):
                continue
            size = sizes[k] if sizes[k] is not None else len(line_view(lines[i])[0])
            if size <= self.settings.sandwich_max_chars and not _looks_like_sentence(lines[i]) \
                    and not _heading_like(lines[i]):
                verdict[i] = ("neighbour.sandwich", "short line between boilerplate lines")
                sandwiched = True
        if sandwiched and self.count_lists:
            # a sandwiched line is gone from the output, where it no longer parts the labels with
            # counts around it: their run is looked for again with it removed (the same answer on the output)
            now = [verdict[i] for i in nonempty]
            _count_lists(texts, now)
            for i, hit in zip(nonempty, now):
                verdict[i] = hit
        # a document of lines may read as a page, or as another page, once later steps have joined or
        # dropped some of them: the pipeline asks again about its output (unsettled)
        paged = self.settings.page_structure and len(nonempty) >= 3
        judged = paged and _page_pass(self.page, lines, nonempty, verdict)
        # captions whose photographer's credit goes: line index -> where the credit starts
        credits = {}
        if "摄" in text or "供图" in text:
            for i in nonempty:
                if verdict[i] is None and ("摄" in lines[i] or "供图" in lines[i]):
                    m = _CREDIT_SUFFIX.search(lines[i])
                    if m:
                        credits[i] = m.start()
        if not any(verdict) and not credits:
            return StepResult(text, unsettled=paged, settled=True)
        if not credits:
            out = [ln for ln, v in zip(lines, verdict) if v is None]
            removed = sum(len(ln) for ln, v in zip(lines, verdict) if v is not None)
            name = self.name
            changes = [Change(name, v[0], ln, "", i, v[1])
                       for i, (ln, v) in enumerate(zip(lines, verdict), 1) if v is not None] if explain else []
        else:
            changes, out, removed = [], [], 0
            for i, ln in enumerate(lines):
                if verdict[i] is None:
                    if i in credits:
                        # a caption keeps what it says is shown; the photographer's credit after it goes
                        new_ln = ln[:credits[i]].rstrip()
                        changes.append(Change(self.name, "news.credit_suffix", ln, new_ln, i + 1,
                                              "photographer's credit after a caption"))
                        ln = new_ln
                    out.append(ln)
                    continue
                removed += len(ln)
                if explain:
                    changes.append(Change(self.name, verdict[i][0], ln, "", i + 1, verdict[i][1]))
        new = join_kept(out)
        total = len(text.strip()) or 1
        if removed / total > self.settings.max_removed_share and explain:
            changes.append(Change(self.name, "over_removal", "", "", None,
                                  f"warning: removed {removed / total:.0%} of the text "
                                  f"(more than max_removed_share={self.settings.max_removed_share:.0%})",
                                  flag=True))
        # what a page judgement left may read as another page (it is asked again about its own output)
        return StepResult(new, changes, paragraphs_dropped=sum(1 for v in verdict if v), unsettled=paged,
                          settled=not judged)


# "图为…。 江门日报记者 郭永乐 摄": the credit after a caption's last sentence
_CREDIT_SUFFIX = re.compile(r"(?<=[。！？）)])\s*[^，。！？\s]{0,10}(?:记者|通讯员|摄影|特约记者)\s*\S{2,4}(?:\s+\S{2,4}){0,3}"
                            r"\s*(?:摄|供图|/摄|摄影)\s*[)）]?\s*$")
_SENTENCE_END = re.compile(r"[。！？!?]$|[。！？][”’」』）)]$")


_SENTENCE_TAIL = re.compile(r"^[。！？][”’」』）]?$")
_QUOTED = re.compile(r"^[“「『][^“「『”」』]*[”」』]$")
_TRAILING = {"footer", "social", "pagination", "decoration", "news"}
_PROSE = re.compile(r"[，,].*[。！？!?][”’」』）)]?\s*$")
_PROSE_TERMINALS, _PROSE_CLOSERS = frozenset("。！？!?"), frozenset("”’」』）)")  # _PROSE's last two classes


# "► June (24)", "2006年12月(5)", "Jam Hsiao (12)", "留言簿(79)": a label and how many posts it holds
_COUNTED = re.compile(r"[^，。！？,.!?:：]{1,30}?\s*[（(]\d{1,5}[)）]")
_COUNT_RUN = 3
_COUNT_LIST = ("navigation.count_list", "one of a run of labels with counts in brackets: an archive, tag or "
                                        "category list")


def _count_lists(lines: list[str], found: list) -> None:
    """Mark the lines of archive, tag and category lists: runs of at least three lines, each a short
    label with a count in brackets.  Lines other rules already remove neither count nor break a run,
    so the runs are the same once those lines are gone (the same answer on the output)."""
    ends = (")", "）")
    counted = [k for k, line in enumerate(lines) if found[k] is None and line.rstrip().endswith(ends)
               and len(s := line.strip()) <= 40 and _COUNTED.fullmatch(s)]
    if len(counted) < _COUNT_RUN:
        return
    run = [counted[0]]
    for k in counted[1:] + [None]:
        # the run goes on when every line between the last one and this one is removed already
        if k is not None and all(found[j] is not None for j in range(run[-1] + 1, k)):
            run.append(k)
            continue
        if len(run) >= _COUNT_RUN:
            for j in run:
                found[j] = _COUNT_LIST
        if k is not None:
            run = [k]


def _is_prose(line: str) -> bool:
    """A sentence with a clause break that ends in terminal punctuation.  Only rules marked
    ``prose = true`` (reprint notices, forum sign-up prompts) may remove such a line."""
    # _PROSE read from the line's end, in linear time (its search tried .* from every comma): past
    # trailing spaces, a terminal mark, or one followed by one closing mark, with a comma before it
    # and no line break between them (. stops at one)
    u = line.rstrip()
    last = u[-1:]
    if last in _PROSE_TERMINALS:
        end = len(u) - 1
    elif last in _PROSE_CLOSERS and u[-2:-1] in _PROSE_TERMINALS:
        end = len(u) - 2
    else:
        return False
    start = u.rfind("\n", 0, end) + 1
    return u.find("，", start, end) >= 0 or u.find(",", start, end) >= 0


_page_module = None  # zhclean.filters.page, once imported (see _import_page)


def _import_page():
    global _page_module
    from . import page

    _page_module = page
    return page


def _page_pass(ps, lines, nonempty, verdict) -> bool:
    """Judge a page dump by its structure (see :mod:`zhclean.filters.page`): outside the article span
    everything goes but the headline; inside it, link lists, counters and comment furniture go.
    True when the document was judged as a page (it had an article span)."""
    page = _page_module or _import_page()  # (an import statement here cost 9 us a call: asked of every document)
    ends_like_sentence = page.ends_like_sentence

    # a stripped line over 40 characters that ends like a sentence is never chrome-looking (link
    # lists and counters do not end in 。, comment heads and relative times are shorter): when too few
    # other lines are left to make a page, looks_like_page is False without reading any evidence
    need, maybe = max(ps.min_chrome_lines, ps.min_chrome_share * len(nonempty)), 0
    for i in nonempty:  # (counting stops once enough are found)
        if len(s := lines[i].strip()) <= 40 or not ends_like_sentence(s):
            maybe += 1
            if maybe >= need:
                break
    if maybe < need:
        return False
    Columns, article_span, evidence_columns, looks_like_page = \
        page.Columns, page.article_span, page.evidence_columns, page.looks_like_page
    arrays = evidence_columns([lines[i] for i in nonempty], arrays=True)
    if not looks_like_page(arrays, ps):
        return False
    hits = [_category(verdict[i][0]) if verdict[i] else None for i in nonempty]
    span = article_span(arrays, ps, hits)
    if span is None:
        return False
    title = lines[nonempty[0]] if verdict[nonempty[0]] is None else ""
    a, b = _before_the_thread(span, arrays, ps, hits, lines, nonempty, verdict, title)
    ev = Columns(*(x.tolist() for x in arrays))
    # short sentences that end the article (the last turns of a dialogue) score too little to join the
    # span on their own: they belong to it while they follow on, each ending like a sentence; so does
    # the caption of the article's last picture
    while b + 1 < len(nonempty) and verdict[nonempty[b + 1]] is None and (
            _closing_sentence(ev, b + 1) or ev.caption[b + 1]):
        b += 1
    keep = set()
    window = range(max(1, a - ps.headline_lookback), a)
    # the headline: the line before the article that the page title (the first line) repeats ...
    if title and a > 0:
        scored = [(_headline_overlap(title, lines[nonempty[k]], 0.6), k) for k in window
                  if verdict[nonempty[k]] is None and ev.cjk[k] >= 4 and not ev.link_list[k]]
        scored = [x for x in scored if x[0] >= 0.6]
        if scored:
            head = max(scored)[1]
            keep.add(head)
            keep.add(0)
            # between the headline and the article: its subtitle and the lead picture's caption
            for k in range(head + 1, a):
                if verdict[nonempty[k]] is None and ev.cjk[k] >= 4 and not ev.chrome_like[k] and not (
                        ev.link_list[k] or ev.counter[k] or ev.relative_time[k] or ev.date[k] or ev.comment_head[k]):
                    keep.add(k)
        elif _headline_overlap(title, lines[nonempty[a]], 0.6) >= 0.6:
            keep.add(0)
    # ... or else the nearest title-like line before it, past metadata and share buttons
    if not keep - {0}:
        # title and subtitle: title-like lines standing alone (menus and share buttons come in runs)
        found = 0
        for k in range(a - 1, max(-1, a - 1 - ps.headline_lookback), -1):
            # a title may end in a quoted name (…“座谈会”): only 。！？ end a sentence here
            ends = ev.terminal[k] and _looks_like_sentence(lines[nonempty[k]])
            if verdict[nonempty[k]] is not None or ev.link_list[k] or ev.counter[k] or ev.relative_time[k] \
                    or ev.date[k] or ev.comment_head[k] or (_is_sentence(ev, k) and ends):
                continue
            if ev.cjk[k] < 2 or ev.digit_share[k] >= 0.2 or ends:
                break
            # a menu item: a word or two in a run of them
            in_run = ev.chars[k] <= 4 and k > 0 and ev.chrome_like[k - 1] and verdict[nonempty[k - 1]] is None
            if in_run:
                break
            keep.add(k)
            found += 1
            if found == 2:
                break
    # ... or, found neither way, the line further back that is the page title's first part: it and the
    # title stay, alone (what lies between it and the article may be an infobox, or other answers)
    if title and not keep - {0}:
        far = _title_stands_alone(title, lines, nonempty, ev, a)
        if far is not None:
            keep.update((0, far))
    keep.update(_table_of_contents(lines, nonempty, verdict, a, b))
    keep.update(_reference_list(lines, nonempty, verdict, ev, b))
    comment_from = None
    for k in range(b + 1, len(nonempty)):
        if ev.comment_head[k] or ev.relative_time[k] or ev.counter[k]:
            comment_from = k
            break
    keep.update(_same_format(lines, nonempty, verdict, ev, a, b, comment_from))
    for k, i in enumerate(nonempty):
        if verdict[i] is not None or k in keep:
            continue
        if a <= k <= b:
            if ev.link_list[k] or ev.counter[k] or ev.relative_time[k] or ev.comment_head[k]:
                verdict[i] = ("context.chrome_in_article", "a link list or counter inside the article")
            continue
        if comment_from is not None and k >= comment_from:
            verdict[i] = ("comment_thread", "part of the comment thread after the article "
                                            "(relative times, reply and like counters)")
        elif k < a:
            verdict[i] = ("context.before_article", "page chrome before the article (menus, channel "
                                                    "lists, metadata): outside the run of prose lines")
        else:
            verdict[i] = ("context.after_article", "page chrome after the article (related lists, "
                                                   "footer): outside the run of prose lines")
    return True


def _table_of_contents(lines, nonempty, verdict, a: int, b: int) -> list[int]:
    """A document's own table of contents before its text: a run of at least three lines, each the
    same as a line of the article (its chapter and section headings).  A site's related links or
    menus do not come back as lines of the article."""
    heads = {lines[nonempty[k]].strip() for k in range(a, b + 1)}
    out, run = [], []
    for k in range(a + 1):  # (from the first line: on the output, the contents may open the text)
        if k < a and verdict[nonempty[k]] is None and lines[nonempty[k]].strip() in heads:
            run.append(k)
            continue
        if len(run) >= 3:
            out += run
        run = []
    return out


# a reference or note of the article's own list: "^ 刘桃熊. 河北雄安新区邮政编码发布. 新华网. 2023-…"
# (Wikipedia's back-link caret), "↑ …", "[12] 作者. 题名[J]. …" with its text on the same line
# (the caret before a space: "^_^" opens a comment)
_REFERENCE = re.compile(r"^(?:\^\s|↑|\[\d{1,3}\]|［\d{1,3}］)\s*\S.{3,}")
_REFERENCE_FIRST = frozenset("^↑[［")


def _reference_list(lines, nonempty, verdict, ev, b: int) -> list[int]:
    """The article's notes and references right after it: a run of at least two lines that each open
    with a reference mark (``^``, ``↑``, ``[n]``), and the short headings before and between them
    (注释, 参考文献[编辑]).  A site's chrome after an article (related lists, footers) does not open
    its lines with reference marks; a row of page numbers (``[1] [2] [3]``) is a link list."""
    out, pending, found = [], [], 0
    for k in range(b + 1, len(nonempty)):
        i = nonempty[k]
        s = lines[i].strip()
        if s[:1] in _REFERENCE_FIRST and _REFERENCE.match(s) and not ev.link_list[k]:
            out += pending
            out.append(k)
            pending = []
            found += 1
        elif verdict[i] is None and ev.chars[k] <= 12 and ev.cjk[k] >= 2 and len(pending) < 2 and not (
                ev.link_list[k] or ev.counter[k] or ev.relative_time[k] or ev.comment_head[k] or ev.date[k]):
            pending.append(k)  # a heading, kept if references follow it
        else:
            break
    return out if found >= 2 else []


_DIGITS_LATIN = str.maketrans("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ",
                              "0000000000" + "a" * 52)
_FORMAT_MIN, _FORMAT_GAP = 2, 6
# a row's label: up to five characters before a colon ("地 点：", "主 席：", "评论人："), or an item's
# number or letter in brackets ("(5a)", "（3）")
_LABEL = re.compile(r"^(?:[^\W\d_]{1,5}[：:]|[(（][0-9a-zA-Z]{1,4}[)）])")


def _format_key(line: str) -> str | None:
    """The label a line opens with, without spaces, its digits read as 0 and Latin letters as a
    ("地 点：…" -> "地点：", "(5a) …" -> "(0a)"); None when it opens with none."""
    head = line[:16]  # (a label is short: the line's head holds it)
    if "：" not in head and ":" not in head and head.lstrip()[:1] not in ("(", "（"):
        return None
    m = _LABEL.match("".join(head.split()))
    return m.group().translate(_DIGITS_LATIN) if m else None


def _same_format(lines, nonempty, verdict, ev, a: int, b: int, comment_from) -> list[int]:
    """Lines next to the article that open with a label two or more of its own lines open with (a
    programme's sessions, "(5a) …", "地 点：…", "主 席：…", cut by the best run of prose where the
    paper titles are long): walking out from the article, each such line and the lines between two of
    them (at most _FORMAT_GAP apart: a session's papers) stay.  A site's menus and lists do not open
    like the article's lines; a line a rule removes (metadata such as 来源：, 作者：, 电话： is), a link
    list, a counter, a relative time or a comment heading ends the walk, and so does the thread."""
    from collections import Counter

    keys = Counter(_format_key(lines[nonempty[k]]) for k in range(a, b + 1))
    common = {key for key, n in keys.items() if n >= _FORMAT_MIN and key is not None}
    if not common:
        return []
    end = comment_from if comment_from is not None else len(nonempty)
    out = []
    for step, start, stop in ((-1, a - 1, -1), (1, b + 1, end)):
        gap = []
        for k in range(start, stop, step):
            i = nonempty[k]
            if verdict[i] is not None or ev.link_list[k] or ev.counter[k] or ev.relative_time[k] \
                    or ev.comment_head[k]:
                break
            if _format_key(lines[i]) in common:
                out += gap
                out.append(k)
                gap = []
            else:
                gap.append(k)
                if len(gap) > _FORMAT_GAP:
                    break
    return out


# what parts a page title's headline from the site's name: "雄安新区 - 维基百科，…", "…_佛系吧_百度贴吧"
_TITLE_PARTS = re.compile(r"\s+[-–—|｜]+\s+|[_|｜]|--+|——")


def _title_stands_alone(title: str, lines, nonempty, ev, a: int) -> int | None:
    """The headline the page title repeats, where the headline search just before the article did not
    reach it (an infobox, an ingredient list or a question's other answers lie between): the last
    line before the article that is the title's first part (before the site's name), give or take a
    fifth of either ("雄安新区" under "雄安新区 - 维基百科，自由的百科全书").  A title that is the site's
    name alone rarely stands so: the name comes with more words (南生论坛 -> 🌟南生论坛文档)."""
    head = "".join(_TITLE_PARTS.split(title.strip())[0].split())
    if len(head) < 4:
        return None
    for k in range(a - 1, 0, -1):
        x = lines[nonempty[k]]
        if len(x) < 0.8 * len(head) or ev.link_list[k]:
            continue
        x = "".join(x.split())
        if (x in head or head in x) and 5 * min(len(x), len(head)) >= 4 * max(len(x), len(head)):
            return k
    return None


def _before_the_thread(span, ev, ps, hits, lines, nonempty, verdict, title: str) -> tuple[int, int]:
    """The article comes after its headline and before the comment thread.  When the best run of
    prose lies past a comment heading (发表意见, 网友评论, # re: …) that follows the headline (the line
    that repeats the page title), or past two such headings, that run is the thread's own text (its
    rules, a long reply, a pasted article): the article is the best run between the headline (or the
    top of the page) and the first heading, if that holds prose of 60 CJK characters."""
    import numpy as np

    from .page import Columns, article_span

    a = span[0]
    heads = np.flatnonzero(ev.comment_head[:a])
    if not len(heads):
        return span
    start = None
    if title:
        for h in range(1, int(heads[-1])):
            if verdict[nonempty[h]] is None and ev.cjk[h] >= 4 and \
                    _headline_overlap(title, lines[nonempty[h]], 0.6) >= 0.6:
                start = h + 1
                break
    if start is None:
        if len(heads) < 2:
            return span
        start = 0
    w = int(heads[heads >= start][0])
    sub = article_span(Columns(*(x[start:w] for x in ev)), ps, hits[start:w])
    if sub is None or int(ev.cjk[start:w][ev.prose[start:w]].sum()) < 60:
        return span
    return sub[0] + start, sub[1] + start


def _closing_sentence(ev, k: int) -> bool:
    """Line ``k`` reads as the article going on: it ends like a sentence and looks like no chrome."""
    return ev.terminal[k] and ev.cjk[k] >= 1 and not ev.chrome_like[k] and not ev.date[k] and ev.digit_share[k] < 0.3


def _is_sentence(ev, k: int) -> bool:
    """Line ``k`` is a short line that ends like a sentence (``盖卤王之子。``): a lead sentence, not
    the headline, between the headline and the article."""
    return ev.terminal[k] and ev.cjk[k] >= 4 and not ev.link_list[k] and not ev.counter[k] \
        and not ev.relative_time[k] and not (ev.date[k] and ev.cjk[k] < 12) and ev.digit_share[k] < 0.3


def _headline_overlap(title: str, head: str, floor: float = 0.0) -> float:
    """How much of ``head`` the page title repeats: its longest common run over the head's length;
    0.0 when that cannot reach ``floor`` (a common run is made of characters of the head that the
    title holds: too few of them settle it without a match)."""
    from difflib import SequenceMatcher

    h = "".join(head.split())[:200]  # (str.split and re's \s agree on what a space is)
    if len(h) < 4:
        return 0.0
    t, shared = _title_chars(title)
    if floor > 0:
        n = len(h)
        if sum(map(shared.__contains__, h)) < floor * n:
            return 0.0
        # the longest common run (SequenceMatcher's find_longest_match, without junk) by substring
        # search: none of ``need`` characters settles it at once, else a binary search on the length
        # (a run one shorter exists whenever a run does); on the 87 heads of the page dumps that pass
        # the count above, 0.50 ms against 1.08 ms for SequenceMatcher
        need = math.ceil(floor * n)  # the shortest run that reaches floor (compared as the result is)
        while need > 1 and (need - 1) / n >= floor:
            need -= 1
        while need <= n and need / n < floor:
            need += 1
        if need > n or not any(h[i:i + need] in t for i in range(n - need + 1)):
            return 0.0
        lo, hi = need, n  # a common run of lo characters exists; none longer than hi
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if any(h[i:i + mid] in t for i in range(n - mid + 1)):
                lo = mid
            else:
                hi = mid - 1
        return lo / n
    m = SequenceMatcher(None, t, h, autojunk=False).find_longest_match(0, len(t), 0, len(h))
    return m.size / len(h)


@lru_cache(maxsize=16)
def _title_chars(title: str) -> tuple[str, frozenset]:
    """The page title without spaces (its first 200 characters) and its characters: asked once a page."""
    t = _SPACES.sub("", title)[:200]
    return t, frozenset(t)


@lru_cache(maxsize=None)  # (a few dozen rule names)
def _category(rule_name: str) -> str:
    return rule_name.split(".", 1)[0]


def _heading_like(line: str) -> bool:
    """A title: no clause punctuation inside (a page title sits between breadcrumbs and metadata)."""
    return not re.search(r"[，,。；;！!？?|｜:：]", line)


def _looks_like_sentence(line: str) -> bool:
    """A line that ends like a sentence is prose, whatever surrounds it."""
    return bool(_SENTENCE_END.search(line.strip()))


def strip_boilerplate(text: str) -> str:
    """Remove web chrome lines (navigation, metadata, forum furniture, footers, bylines, captions,
    page-jump markers, share prompts, decoration); every removal names its rule."""
    return default_instance(StripBoilerplate)(text)


def learn_recurring_lines(texts, min_docs: int = 5, min_share: float = 0.05) -> list[str]:
    """Views of lines that occur in at least ``min_docs`` documents and ``min_share`` of them.

    Run over the documents of one source (a site, a crawl shard).  Only short lines (view up to
    200 characters) count; each document counts a line once.
    """
    counts: dict[str, int] = {}
    n = 0
    for t in texts:
        n += 1
        seen = set()
        for ln in t.split("\n"):
            if not ln.strip() or len(ln) > 400:
                continue
            v, _ = line_view(ln)
            if v and len(v) <= 200 and v not in seen:
                seen.add(v)
                counts[v] = counts.get(v, 0) + 1
    need = max(min_docs, int(min_share * n + 0.999))
    return sorted(v for v, c in counts.items() if c >= need)


register("strip_boilerplate", lambda o: StripBoilerplate(make_settings(BoilerplateSettings, o, "strip_boilerplate")))


# rejoin_paragraphs moved to its own module; the old import path keeps working
from .paragraphs import RejoinParagraphs, RejoinSettings, rejoin_paragraphs  # noqa: E402,F401
