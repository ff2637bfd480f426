"""Regex rules that explain themselves: the shared machinery of rule-based filters."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable

from ..pipeline import Change, StepResult


@lru_cache(maxsize=None)
def default_instance(cls):
    """The filter class's instance with default settings, made on first use (some load tables)."""
    return cls()


class Filter:
    """Base of filter classes: ``apply(text, explain)`` does the work, calling returns the text.

    The pipeline, and calling the filter, always run ``apply(text, explain=True)``: the filter
    records every change it makes, and the caller decides whether to keep the records.  A filter
    may skip the bookkeeping when ``explain`` is false, but the text must not depend on it (a
    property test checks each registered filter).
    """

    name = "filter"

    def apply(self, text: str, explain: bool = False) -> StepResult:  # pragma: no cover - abstract
        raise NotImplementedError

    def __call__(self, text: str) -> str:
        return self.apply(text, explain=True).text


class RuleFilter(Filter):
    """A filter that is an ordered tuple of :class:`SubRule` in ``self.rules``, applied again until the
    text is stable (one rule's change can create a match for an earlier one, as removing a tag can
    join the halves of an entity); so the filter is idempotent."""

    rules: tuple = ()
    # a filter whose rules read a character's neighbours (a comma before a CJK character) can have
    # something to do again once a later step has cut or joined text next to what it returned: the
    # pipeline then asks it again about the chain's output (StepResult.unsettled)
    reads_neighbours = False

    def apply(self, text: str, explain: bool = False) -> StepResult:
        gates = self.__dict__.get("_gates")
        if gates is None or gates.rules is not self.rules:
            gates = self._gates = _Gates(self.rules)
        new, changes = apply_rules(self.name, text, self.rules, explain, gates)
        for _ in range(3):
            if new == text:
                break
            text = new
            new, more = apply_rules(self.name, text, self.rules, explain, gates, again=True)
            changes.extend(more)
        # settled: the last pass changed nothing, so the output comes back unchanged
        return StepResult(new, changes, unsettled=self.reads_neighbours, settled=new == text)


@dataclass(frozen=True)
class SubRule:
    """A named substitution.  ``repl`` is a string or a function of the match."""

    name: str
    pattern: re.Pattern
    repl: str | Callable[[re.Match], str]
    reason: str
    # a cheap test (a substring search) that is falsy only where ``pattern`` cannot match: the
    # rule is skipped then, which changes nothing but the time
    may_match: Callable[[str], bool] | None = None
    # the body of a regex character class (``"&"``, ``r"\x00-\x08"``) such that every match of
    # ``pattern`` holds one of its characters: the rule is skipped where the text holds none.  The
    # rules of a filter share one scan of the text for all their characters (see apply_rules)
    needs: str | None = None
    # the rules marked so, which must come last, settle in one pass: run on their own output they
    # find nothing to do (a claim about the patterns, proved where a filter makes it and checked by
    # an oracle test).  A pass after the first skips them when the rules before them changed
    # nothing, since the text is then what they returned at the end of the pass before
    one_pass: bool = False


class _Gates:
    """The character gates of one tuple of rules: one regex that finds every character some rule
    needs, and for each rule a test of the characters found (None for a rule without ``needs``)."""

    def __init__(self, rules):
        self.rules = rules
        bodies = [r.needs for r in rules if r.needs is not None]
        scan = re.compile("[" + "".join(bodies) + "]") if bodies else None
        self.scan = scan.findall if scan else None
        # a rule whose replacement is a fixed string holding no needed character leaves the scan's
        # answer standing: it only takes characters away (a function's result may bring any in)
        self.keeps_found = [scan is None or (isinstance(r.repl, str) and "\\" not in r.repl
                                             and scan.search(r.repl) is None) for r in rules]
        self.tests = [None if r.needs is None else re.compile("[" + r.needs + "]").search for r in rules]
        self.tail = len(rules)  # where the trailing rules marked one_pass start
        while self.tail and rules[self.tail - 1].one_pass:
            self.tail -= 1
        if any(r.one_pass for r in rules[:self.tail]):
            raise ValueError("rules marked one_pass must come last")


def apply_rules(filter_name: str, text: str, rules, explain: bool, gates: _Gates | None = None,
                again: bool = False) -> tuple[str, list[Change]]:
    """Apply ``rules`` in order.  With ``explain``, record each match as a :class:`Change`.

    The characters the rules need (``SubRule.needs``) are looked for once, by one scan of the
    text, when the first rule with ``needs`` comes; a rule none of whose characters is there
    cannot match and is skipped.  A rule that changed the text makes the next one scan again
    (the change may have brought a character in: ``&#x200b;`` decoded), unless its replacement is
    a fixed string without such characters: it took characters away and brought none.  ``gates``
    are the rules' :class:`_Gates`, made once by the filter (made here when not given).

    ``again``: this pass follows one over the same rules, whose output ``text`` is; the trailing
    rules marked ``one_pass`` are skipped if the rules before them leave it unchanged.  Two rules
    that share a ``may_match`` test (the same function) and see the same text ask it once."""
    changes: list[Change] = []
    if gates is None:
        gates = _Gates(rules)
    start = text
    asked = None  # (may_match, text, its answer), the last test asked
    found = None  # the needed characters in ``text``, as a string; None until scanned, or after a change
    for i, (rule, test, keeps_found) in enumerate(zip(rules, gates.tests, gates.keeps_found)):
        if i == gates.tail and again and text == start:
            break
        if test is not None:
            if found is None:
                found = "".join(set(gates.scan(text)))
            if test(found) is None:
                continue
        if rule.may_match is not None:
            if asked is None or asked[0] is not rule.may_match or asked[1] is not text:
                asked = (rule.may_match, text, rule.may_match(text))
            if not asked[2]:
                continue
        before = text
        if not explain:
            text = rule.pattern.sub(rule.repl, text)
        else:
            # matches come in order: count the newlines since the last one (linear, and nothing to
            # build for a long text with a few matches)
            at = [0, 1]  # offset, line there
            found_changes: list[Change] = []
            repl = rule.repl

            def record(m: re.Match, rule=rule, repl=repl, text=text):
                new = repl(m) if callable(repl) else m.expand(repl)
                if new != m.group(0):
                    start = m.start()
                    at[1] += text.count("\n", at[0], start)
                    at[0] = start
                    found_changes.append(Change(filter_name, rule.name, m.group(0), new, at[1], rule.reason))
                return new

            text = rule.pattern.sub(record, text)
            changes.extend(found_changes)
        if text is not before and not keeps_found:
            found = None
    return text, changes


_BLANK_RUNS = re.compile(r"\n{3,}")
_END_BLANKS = re.compile(r"\n{2,}\Z")


def join_kept(lines: list[str]) -> str:
    """Join the lines a filter kept, leaving no blank-line debris where lines were removed."""
    # (the regexes run only where they can match, asked by substring tests: each tried every newline of
    # the text, 17 us a page dump; _END_BLANKS's match is the text's last run of newlines, two or more)
    text = "\n".join(lines)
    if "\n\n\n" in text:
        text = _BLANK_RUNS.sub("\n\n", text)
    text = text.lstrip("\n")
    return text.rstrip("\n") + "\n" if text.endswith("\n\n") else text
