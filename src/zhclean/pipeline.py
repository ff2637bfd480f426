"""The pipeline: an ordered chain of filters, with stats and explanations.

A *filter* is either a plain ``str -> str`` function or a callable object.
Filters that know *why* they change text also offer ``apply(text, explain)``
returning a :class:`StepResult` whose :class:`Change` records name the rule and
the reason.  For plain functions the pipeline records the change itself, as a
line diff labelled with the rule ``"diff"``.

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


def diff_changes(name: str, before: str, after: str) -> list[Change]:
    """Line-level changes between two texts, for filters that do not explain themselves."""
    a, b = before.split("\n"), after.split("\n")
    out = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        out.append(Change(name, "diff", "\n".join(a[i1:i2]), "\n".join(b[j1:j2]), line=i1 + 1))
    return out


def _count_paragraphs(text: str) -> int:
    return sum(1 for p in text.split("\n") if p.strip())


def run_step(f, text: str, explain: bool) -> StepResult:
    """Run one filter, through ``apply`` when it has one.

    A filter with ``apply`` always runs the one way, recording its changes, whether or not the
    caller keeps them: so the text can never depend on being explained.  For plain functions
    the explanation is a line diff, computed only when asked for (it cannot change the text)."""
    apply = getattr(f, "apply", None)
    if apply is not None:
        res = apply(text, explain=True)
        if explain and res.text != text and not any(not c.flag for c in res.changes):
            # every change is explained: a filter that changed the text without saying how
            # gets the line diff, under a rule that says so
            res.changes = res.changes + [Change(c.filter, "unexplained", c.before, c.after, c.line,
                                                "changed without a rule of its own (line diff)")
                                         for c in diff_changes(filter_name(f), text, res.text)]
        elif not explain:
            res.changes = [c for c in res.changes if c.flag] if res.changes else res.changes
        return res
    new = f(text)
    if not isinstance(new, str):
        raise TypeError(f"filter {filter_name(f)!r} returned {type(new).__name__}, not str")
    res = StepResult(new)
    if new != text:
        res.paragraphs_dropped = max(0, _count_paragraphs(text) - _count_paragraphs(new))
        if explain:
            res.changes = diff_changes(filter_name(f), text, new)
    return res


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
        if not isinstance(text, str):
            raise TypeError(f"Pipeline expects str, got {type(text).__name__}; decode bytes with zhclean.decode first")
        changes: list[Change] = []
        for f, name in zip(self.steps, self.names):
            st = self.stats.step(name)
            t0 = time.perf_counter()
            res = run_step(f, text, explain)
            st.seconds += time.perf_counter() - t0
            st.docs_seen += 1
            if res.text != text:
                st.docs_changed += 1
                delta = len(res.text) - len(text)
                if delta < 0:
                    st.chars_removed -= delta
                else:
                    st.chars_added += delta
                st.paragraphs_dropped += res.paragraphs_dropped
            changes.extend(res.changes)  # warnings come even when the text did not change
            text = res.text
        return PipelineResult(text, changes)

    def __call__(self, text: str) -> str:
        return self.run(text).text
