"""Inline markers that protect text from every filter.

- a line containing ``zhclean: skip`` is left exactly as it is;
- the lines from one containing ``zhclean: off`` to one containing ``zhclean: on`` (markers
  included) are left exactly as they are.

The marker may sit in any comment syntax (``<!-- zhclean: off -->``, ``# zhclean: skip``).
Protected lines are swapped for unique placeholder lines before the pipeline runs and put
back after, so no filter sees them, and none can merge, drop or rewrite them.

>>> text = "甲\u200b\\n乙\u200b # zhclean: skip\\n"
>>> masked, restore = mask(text)
>>> restore(masked.replace("\u200b", ""))
'甲\\n乙\u200b # zhclean: skip\\n'
"""

from __future__ import annotations

import re
import uuid

_SKIP = re.compile(r"zhclean:\s*skip\b")
_OFF = re.compile(r"zhclean:\s*off\b")
_ON = re.compile(r"zhclean:\s*on\b")


def mask(text: str):
    """(masked text, restore function).  Without markers, the text itself and the identity."""
    if "zhclean:" not in text:
        return text, lambda t: t
    lines = text.split("\n")
    saved: dict[str, str] = {}
    token = uuid.uuid4().hex[:8]
    off = False
    for i, ln in enumerate(lines):
        protect = off or bool(_SKIP.search(ln)) or bool(_OFF.search(ln))
        if _OFF.search(ln):
            off = True
        if off and _ON.search(ln):
            off = False
            protect = True
        if protect:
            key = f"zk{token}{uuid.uuid4().hex}。"  # ends a sentence: no filter joins it to a neighbour
            saved[key] = ln
            lines[i] = key
    if not saved:
        return text, lambda t: t

    def restore(t: str) -> str:
        out = t.split("\n")
        return "\n".join(saved.get(x, x) for x in out)

    return "\n".join(lines), restore


def run_masked(pipe, text: str, explain: bool = False):
    """``pipe.run(text)`` with the protected lines masked before and put back in the result's text."""
    masked, restore = mask(text)
    result = pipe.run(masked, explain=explain)
    result.text = restore(result.text)
    return result
