"""The pipeline: an ordered chain of filters, with stats and explanations.

A *filter* is either a plain ``str -> str`` function or a callable object.
Filters that know *why* they change text also offer ``apply(text, explain)``
returning a :class:`StepResult` whose :class:`Change` records name the rule and
the reason.  For plain functions the pipeline records the change itself, as a
line diff labelled with the rule ``"diff"``.

One code path, observed: the pipeline runs every filter the same way whether or
not the caller asked for an explanation (``apply(text, explain=True)``: filters
always record what they do), so ``clean`` and ``clean_and_explain`` cannot give
different text.  Asking for the explanation only decides whether the records are
kept.  Every change is explained: where a filter changed lines and recorded no
change for them, the pipeline records one itself, rule ``"unexplained"``, with
the text before and after (derived from the step's input and output, so it
cannot change the answer either).

The pipeline, not the filter, keeps the books: for every step it counts the
documents it saw and changed, the characters it removed, the paragraphs it
dropped and the time it took.  :class:`Stats` objects merge, so counts from
several files or worker processes add up.

>>> p = Pipeline(["normalize"])
>>> p("第一段\u200b。  \\r\\n")
'第一段。\\n'
>>> p.stats["normalize"].docs_changed
1
"""

from __future__ import annotations

import difflib
import time
from bisect import bisect_right
from dataclasses import asdict, dataclass, field
from typing import Callable, Iterable, Sequence

__all__ = ["Change", "StepResult", "StepStats", "Stats", "Pipeline", "PipelineResult", "filter_name"]


@dataclass(frozen=True)
class Change:
    """One change a filter made: which filter, which rule, what was there and what is now.

    ``line`` is the 1-based line, in the text as that step received it, where the change starts.
    ``after == ""`` means the text was removed.
    """

    filter: str
    rule: str
    before: str
    after: str
    line: int | None = None
    reason: str = ""
    flag: bool = False  # a warning about the document, not a change to it

    def __init__(self, filter: str, rule: str, before: str, after: str, line: int | None = None, reason: str = "",
                 flag: bool = False):
        # the generated __init__ of a frozen dataclass sets each field by object.__setattr__; writing
        # the instance dict is several times quicker, and filters make a Change for every line they remove
        d = self.__dict__  # (filled in place: the instance keeps its shared-key dict, half the memory)
        d["filter"], d["rule"], d["before"], d["after"] = filter, rule, before, after
        d["line"], d["reason"], d["flag"] = line, reason, flag

    @property
    def kind(self) -> str:
        if self.flag:
            return "warning"
        return "removal" if self.after == "" else "change"

    def to_dict(self) -> dict:
        d = asdict(self)
        d["kind"] = self.kind
        return d


@dataclass
class StepResult:
    """What one filter did to one document."""

    text: str
    changes: list[Change] = field(default_factory=list)
    paragraphs_dropped: int = 0
    # the filter saw text it may judge differently once later steps have changed it (a line that
    # looks like mojibake, say): the pipeline then runs again on its own output until it is stable
    unsettled: bool = False
    # with unsettled: the filter's own output would come back unchanged, so it need not be asked
    # again unless a later step changed what it returned
    settled: bool = False


@dataclass
class StepStats:
    """Counts for one step; ``merge`` adds another step's counts in."""

    name: str
    docs_seen: int = 0
    docs_changed: int = 0
    chars_removed: int = 0
    chars_added: int = 0
    paragraphs_dropped: int = 0
    seconds: float = 0.0

    def merge(self, other: "StepStats") -> None:
        self.docs_seen += other.docs_seen
        self.docs_changed += other.docs_changed
        self.chars_removed += other.chars_removed
        self.chars_added += other.chars_added
        self.paragraphs_dropped += other.paragraphs_dropped
        self.seconds += other.seconds


class Stats:
    """Step counts in pipeline order.  Mergeable and serialisable (for worker processes)."""

    def __init__(self, names: Iterable[str] = ()):
        self.steps: dict[str, StepStats] = {n: StepStats(n) for n in names}

    def __getitem__(self, name: str) -> StepStats:
        return self.steps[name]

    def __iter__(self):
        return iter(self.steps.values())

    def step(self, name: str) -> StepStats:
        if name not in self.steps:
            self.steps[name] = StepStats(name)
        return self.steps[name]

    def merge(self, other: "Stats") -> "Stats":
        for s in other:
            self.step(s.name).merge(s)
        return self

    def to_dict(self) -> dict:
        return {name: asdict(s) for name, s in self.steps.items()}

    @classmethod
    def from_dict(cls, d: dict) -> "Stats":
        st = cls()
        for name, v in d.items():
            st.steps[name] = StepStats(**v)
        return st

    def table(self) -> str:
        """A plain-text table, one row per filter."""
        head = ("filter", "docs", "changed", "chars -", "chars +", "paras -", "seconds")
        rows = [head] + [
            (s.name, str(s.docs_seen), str(s.docs_changed), str(s.chars_removed), str(s.chars_added),
             str(s.paragraphs_dropped), f"{s.seconds:.3f}")
            for s in self
        ]
        widths = [max(len(r[i]) for r in rows) for i in range(len(head))]
        out = []
        for k, r in enumerate(rows):
            out.append("  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths))))
            if k == 0:
                out.append("  ".join("-" * w for w in widths))
        return "\n".join(out)


@dataclass
class PipelineResult:
    text: str
    changes: list[Change]

    def rules(self) -> str:
        """``filter/rule, ...`` of the changes made (not the warnings), sorted: what a guard names."""
        return ", ".join(sorted({f"{c.filter}/{c.rule}" for c in self.changes if not c.flag}))


def filter_name(f) -> str:
    """The name a filter goes by in stats and reports."""
    return getattr(f, "name", None) or getattr(f, "__name__", None) or type(f).__name__


class LineIndex:
    """Maps character offsets to 1-based line numbers (for explanations)."""

    def __init__(self, text: str):
        self.starts = [0]
        find = text.find
        i = find("\n")
        while i != -1:
            self.starts.append(i + 1)
            i = find("\n", i + 1)

    def line(self, offset: int) -> int:
        return bisect_right(self.starts, offset)


# above this many line pairs, a changed stretch of lines is reported as one change rather than
# aligned line by line (difflib is quadratic on repeated lines)
_DIFF_MAX_PAIRS = 1_000_000

UNEXPLAINED = "the filter changed this text without recording why (recorded by the pipeline)"


def diff_changes(name: str, before: str, after: str, rule: str = "diff", reason: str = "") -> list[Change]:
    """Line-level changes between two texts, for filters that do not explain themselves.

    Linear where it can be: the common first and last lines are skipped, and a middle of as
    many lines on both sides is compared line by line (runs of changed lines are one change).
    Only a middle whose line count changed is aligned with difflib, and a very long one is
    reported whole.
    """
    a, b = before.split("\n"), after.split("\n")
    n = min(len(a), len(b))
    lo = 0
    while lo < n and a[lo] == b[lo]:
        lo += 1
    hi = 0
    while hi < n - lo and a[len(a) - 1 - hi] == b[len(b) - 1 - hi]:
        hi += 1
    am, bm = a[lo:len(a) - hi], b[lo:len(b) - hi]
    if len(am) == len(bm):
        hunks, i = [], 0
        while i < len(am):
            if am[i] == bm[i]:
                i += 1
                continue
            j = i
            while j < len(am) and am[j] != bm[j]:
                j += 1
            hunks.append((i, j, i, j))
            i = j
    elif len(am) * len(bm) > _DIFF_MAX_PAIRS:
        hunks = [(0, len(am), 0, len(bm))]
    else:
        hunks = [(i1, i2, j1, j2) for tag, i1, i2, j1, j2
                 in difflib.SequenceMatcher(None, am, bm, autojunk=False).get_opcodes() if tag != "equal"]
    return [Change(name, rule, "\n".join(am[i1:i2]), "\n".join(bm[j1:j2]), line=lo + i1 + 1, reason=reason)
            for i1, i2, j1, j2 in hunks]


def unexplained_changes(name: str, before: str, after: str, changes: list[Change]) -> list[Change]:
    """What a step changed and did not record, as changes with the rule ``"unexplained"``.

    A step that changed the text and recorded no change gets a line diff.  A step that recorded
    some changes, kept the number of lines and gave every change its line gets one for each
    changed line that none of its changes covers.  Where lines moved, the step's own changes
    are taken as the explanation.
    """
    if before == after:
        return []
    own = [c for c in changes if not c.flag]
    if not own:
        return diff_changes(name, before, after, "unexplained", UNEXPLAINED)
    a, b = before.split("\n"), after.split("\n")
    if len(a) != len(b) or any(c.line is None for c in own):
        return []
    covered = set()
    for c in own:
        covered.update(range(c.line, c.line + max(c.before.count("\n"), c.after.count("\n")) + 1))
    return [Change(name, "unexplained", x, y, i + 1, UNEXPLAINED)
            for i, (x, y) in enumerate(zip(a, b)) if x != y and i + 1 not in covered]


def _count_paragraphs(text: str) -> int:
    return sum(1 for p in text.split("\n") if p.strip())


def run_step(f, text: str) -> StepResult:
    """Run one filter, the one way filters are run: recording their changes (``apply(text, explain=True)``).

    Whether the caller wants the explanation is not the filter's business, so the text a step
    returns cannot depend on it."""
    apply = getattr(f, "apply", None)
    if apply is not None:
        res = apply(text, explain=True)
        new = res.text
    else:
        new = f(text)
        res = StepResult(new)
    if not isinstance(new, str):
        raise TypeError(f"filter {filter_name(f)!r} returned {type(new).__name__}, not str")
    if apply is None and new != text:
        res.paragraphs_dropped = max(0, _count_paragraphs(text) - _count_paragraphs(new))
        res.changes = diff_changes(filter_name(f), text, new)
    return res


# A step that was unsure of a line (fix_mojibake on a line that looks like mojibake) is asked
# again about the chain's output: a repair can become possible only once a later step has
# changed the text (converted a character, made U+2028 a line break), and a second `clean` must
# find nothing left to do.  If it would change the output, the chain runs again on it.  Three
# rounds settle every case seen.
MAX_ROUNDS = 3


class Pipeline:
    """An ordered chain of filters.

    ``steps`` holds filters or registered step names (``"normalize"``); names are
    resolved with ``options`` (``{"convert": {"config": "t2s"}}``).  Calling the
    pipeline cleans one document; :meth:`run` also returns the explanation.
    """

    def __init__(self, steps: Sequence[Callable[[str], str] | str] | None = None, *,
                 options: dict | None = None):
        from .registry import build_steps, default_step_names

        if steps is None:
            steps = default_step_names(options or {})
        self.steps = build_steps(steps, options or {})
        self.names = [filter_name(f) for f in self.steps]
        if len(set(self.names)) != len(self.names):
            raise ValueError(f"a step appears twice in the pipeline: {self.names}")
        self.stats = Stats(self.names)

    def __repr__(self) -> str:
        return f"Pipeline({self.names!r})"

    def run(self, text: str, *, explain: bool = False) -> PipelineResult:
        """Clean one document.  With ``explain``, also return every change; the text is the same either way."""
        if not isinstance(text, str):
            raise TypeError(f"Pipeline expects str, got {type(text).__name__}; decode bytes with zhclean.decode first")
        changes: list[Change] = []
        changed: set[str] = set()
        warned: set[Change] = set()
        asked = None  # (step, its input, its result) from asking again: the next round starts from it
        for rnd in range(MAX_ROUNDS):
            start, unsettled = text, []
            for f, name in zip(self.steps, self.names):
                st = self.stats.step(name)
                if asked is not None and asked[0] is f and asked[1] == text:
                    res = asked[2]
                else:
                    t0 = time.perf_counter()
                    res = run_step(f, text)
                    st.seconds += time.perf_counter() - t0
                if res.unsettled:
                    unsettled.append((f, st, res.text if res.settled else None))
                if rnd == 0:
                    st.docs_seen += 1
                if res.text != text:
                    if name not in changed:
                        changed.add(name)
                        st.docs_changed += 1
                    delta = len(res.text) - len(text)
                    if delta < 0:
                        st.chars_removed -= delta
                    else:
                        st.chars_added += delta
                    st.paragraphs_dropped += res.paragraphs_dropped
                if explain:
                    for c in res.changes:  # warnings come even when the text did not change, once each
                        if c.flag:
                            if c in warned:
                                continue
                            warned.add(c)
                        changes.append(c)
                    changes.extend(unexplained_changes(name, text, res.text, res.changes))
                text = res.text
            # another round only when a step that was unsure would now change the output
            asked = None if text == start or rnd == MAX_ROUNDS - 1 else self._ask_again(unsettled, text)
            if asked is None:
                break
        return PipelineResult(text, changes)

    @staticmethod
    def _ask_again(steps, text: str):
        """(step, text, its result) for the first unsure step that would change ``text``, else None.
        A step whose result was settled (its own output comes back unchanged) is not asked when no
        later step changed what it returned."""
        for f, st, settled_output in steps:
            if settled_output == text:
                continue
            t0 = time.perf_counter()
            res = run_step(f, text)
            st.seconds += time.perf_counter() - t0
            if res.text != text:
                return f, text, res
        return None

    def __call__(self, text: str) -> str:
        return self.run(text).text
