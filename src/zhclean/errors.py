"""Errors that tell the user what to do next."""

from __future__ import annotations

import difflib


class ZhcleanError(Exception):
    """Base class for errors zhclean reports to the user (exit code 2 on the CLI)."""


class ConfigError(ZhcleanError, ValueError):
    """A configuration key, step name or value is not valid."""


class InputError(ZhcleanError):
    """An input file or record cannot be processed.  The message names the file and line."""


def closest(name: str, valid) -> str:
    """' Did you mean "x"?' for the closest valid name, or a list of valid names."""
    valid = sorted(valid)
    m = difflib.get_close_matches(name, valid, n=1, cutoff=0.5)
    if m:
        return f' Did you mean "{m[0]}"?'
    return " Valid names: " + ", ".join(valid) + "."
