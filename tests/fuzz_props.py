"""The standing fuzzer: Hypothesis properties of the whole API and CLI.

The same property functions run in the test suite (a fixed, derandomised budget) and in
``make fuzz`` (tools/fuzz.py: 100,000 examples, failures counted by property).

Properties:
- never raises, on any str (API), any bytes in a file and any JSON value in a record (CLI);
- idempotent;
- ``clean(t) == clean_and_explain(t)[0]``;
- every change explained (a changed text comes with at least one change that is not a warning);
- ``fix`` writes what ``clean`` writes;
- no file emptied; no record lost.
"""

from __future__ import annotations

import contextlib
import io
import json
import tempfile
from pathlib import Path

from hypothesis import strategies as st

import zhclean
from zhclean.cli import main

# rare CJK (Ext-A, Ext-B, uncommon BMP hanzi), question marks, mojibake-looking Latin-1, controls,
# ZWJ sequences, Hangul, markup and entities, replacement characters
_PIECES = (
    list("中文字体的一是在不了有和人这上为个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所")
    + list("飚楈旯狟鍑犲熀脬椭瓭耍焐偐㐀㑇㒖䶵鿕鿐龘靐齉爩")
    + ["𠀀", "𠮷", "𡃁", "𪚥", "𫠝"]
    + list("??？？!！。，,.:：;；～~（）()「」“”《》、…—")
    + list(" \t\n\r\u3000\xa0")
    + list("ÎÒÄêµÄ¡¢£¬£¨£©é™¢åÃ©Â¥ÐÂÎÅ")
    + ["\x00", "\x01", "\x1b", "\x7f", "\x81", "\x85", "\x9f", "\u200b", "\u200c", "\u200d", "\u2028", "\ufeff",
       "\ufffd", "锟斤拷", "👩\u200d👧", "👨\u200d👩\u200d👦", "🏳️\u200d🌈", "😀"]
    + list("한국어가나다") + ["abc", "Hello", "123", "2023", "ok", "&nbsp;", "&amp;", "<p>", "</p>", "<br/>", "?/p>"]
)
PIECE = st.sampled_from(_PIECES)
WEB_TEXT = st.lists(PIECE, max_size=60).map("".join)
ANY_TEXT = st.one_of(WEB_TEXT, st.text(max_size=120))
# JSON values of every kind, strings drawn from the web alphabet (surrogate escapes are added by the writer)
JSON_VALUE = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | WEB_TEXT,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(["text", "id", "meta"]), inner, max_size=3),
    max_leaves=6,
)


def _quiet_main(argv) -> int:
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        return main(argv)


def _explained(before: str, after: str, changes) -> bool:
    return before == after or any(not c.flag for c in changes)


# ---- API properties ----------------------------------------------------------------------------

def prop_api_never_raises(text: str) -> None:
    assert isinstance(zhclean.clean(text), str)


def prop_idempotent(text: str) -> None:
    once = zhclean.clean(text)
    assert zhclean.clean(once) == once, (text, once)


def prop_clean_equals_explain(text: str) -> None:
    assert zhclean.clean(text) == zhclean.clean_and_explain(text)[0]


def prop_every_change_explained(text: str) -> None:
    out, changes = zhclean.clean_and_explain(text)
    assert _explained(text, out, changes), (text, out)


# ---- CLI properties (in-process, on temporary files) ------------------------------------------------

def _surrogate_escape(line: str, mark: bool) -> str:
    # put a lone surrogate escape into a JSON line, inside a string, the way broken producers do
    if mark and '"text": "' in line:
        return line.replace('"text": "', '"text": "\\ud800', 1)
    return line


def prop_cli_text_file(data: bytes) -> None:
    """Any bytes in a .txt file: no crash (exit 0/1/2 with a message), fix == clean, never emptied."""
    with tempfile.TemporaryDirectory() as d:
        src = Path(d, "in.txt")
        src.write_bytes(data)
        code = _quiet_main(["clean", str(src), "-o", str(Path(d, "out")), "-q"])
        assert code in (0, 1, 2)
        out = Path(d, "out", "in.txt")
        cleaned = out.read_bytes() if out.exists() else None
        fixed = Path(d, "fix.txt")
        fixed.write_bytes(data)
        code2 = _quiet_main(["fix", str(fixed), "-q"])
        assert code2 in (0, 1, 2)
        after = fixed.read_bytes()
        if data.strip(b" \t\r\n\f\v"):
            assert after.strip(b" \t\r\n\f\v"), "fix emptied a non-empty file"
        if cleaned is not None and code2 != 2:
            assert after == cleaned, "fix and clean disagree"


def prop_cli_jsonl_records(values: list, surrogate: bool) -> None:
    """Any JSON values as records: no crash, no record lost, fix == clean."""
    lines = [_surrogate_escape(json.dumps(v, ensure_ascii=False), surrogate and i == 0) for i, v in enumerate(values)]
    text = "".join(ln + "\n" for ln in lines)
    with tempfile.TemporaryDirectory() as d:
        src = Path(d, "in.jsonl")
        src.write_text(text, encoding="utf-8")
        code = _quiet_main(["clean", str(src), "-o", str(Path(d, "out")), "--on-error", "skip", "-q"])
        assert code in (0, 1, 2)
        # JSONL lines end at \n only (str.splitlines would also split at U+2028 inside a record)
        out = Path(d, "out", "in.jsonl").read_text(encoding="utf-8").rstrip("\n").split("\n")
        assert len(out) == len(lines), "a record was lost"
        fixed = Path(d, "fix.jsonl")
        fixed.write_text(text, encoding="utf-8")
        _quiet_main(["fix", str(fixed), "--on-error", "skip", "-q"])
        assert fixed.read_text(encoding="utf-8").rstrip("\n").split("\n") == out, "fix and clean disagree"


PROPERTIES = {
    "api_never_raises": (prop_api_never_raises, (ANY_TEXT,)),
    "idempotent": (prop_idempotent, (ANY_TEXT,)),
    "clean_equals_explain": (prop_clean_equals_explain, (ANY_TEXT,)),
    "every_change_explained": (prop_every_change_explained, (ANY_TEXT,)),
    "cli_text_file": (prop_cli_text_file, (st.one_of(st.binary(max_size=200), WEB_TEXT.map(lambda t: t.encode("utf-8")),
                                                     WEB_TEXT.map(lambda t: t.encode("gb18030", "ignore"))),)),
    "cli_jsonl_records": (prop_cli_jsonl_records, (st.lists(JSON_VALUE, min_size=1, max_size=4), st.booleans())),
}
# the CLI properties cost a process-free run of the CLI each; give them a smaller share
WEIGHTS = {"cli_text_file": 0.05, "cli_jsonl_records": 0.05}

