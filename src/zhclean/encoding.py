"""decode: bytes to text.

Order of checks: byte-order marks, strict UTF-8, then charset-normalizer.
(The encoding filter replaces this with a Chinese-aware detector.)
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass

from .errors import InputError

_BOMS = [
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
]


class DecodeError(InputError, UnicodeError):
    """The bytes are binary or in no encoding zhclean can identify."""


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str
    confidence: float


def decode_with_info(data: bytes) -> Decoded:
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise TypeError(f"decode expects bytes, got {type(data).__name__}")
    data = bytes(data)
    for bom, enc in _BOMS:
        if data.startswith(bom):
            return Decoded(data[len(bom):].decode(enc, errors="replace"), enc, 1.0)
    if b"\x00" in data:
        raise DecodeError("binary data (NUL bytes) with no UTF-16/32 byte-order mark")
    try:
        return Decoded(data.decode("utf-8"), "utf-8", 1.0)
    except UnicodeDecodeError:
        pass
    import charset_normalizer

    best = charset_normalizer.from_bytes(data).best()
    if best is None:
        raise DecodeError("binary or undecodable data")
    return Decoded(str(best), best.encoding, 1.0 - best.chaos)


def decode(data: bytes) -> str:
    """Decode raw bytes to text."""
    return decode_with_info(data).text
