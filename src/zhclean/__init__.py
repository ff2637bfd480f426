"""zhclean: normalise, repair and deduplicate Chinese text crawled from the web.

>>> import zhclean
>>> zhclean.clean("第一段\u200b内容&nbsp;。  \\n\\n\\n\\n第二段。")
'第一段内容 。\\n\\n第二段。'
"""

from __future__ import annotations

__version__ = "0.1.0"

from .encoding import decode, decode_with_info
from .errors import ConfigError, InputError, ZhcleanError
from .filters import (
    convert,
    dedup_paragraphs,
    detect_script,
    fix_mojibake,
    fix_punctuation,
    normalize,
    rejoin_paragraphs,
    strip_boilerplate,
    strip_ruby,
)
from .pipeline import Change, Pipeline, Stats

__all__ = [
    "clean",
    "clean_and_explain",
    "Pipeline",
    "Change",
    "Stats",
    "decode",
    "decode_with_info",
    "normalize",
    "fix_mojibake",
    "strip_boilerplate",
    "rejoin_paragraphs",
    "dedup_paragraphs",
    "strip_ruby",
    "convert",
    "detect_script",
    "fix_punctuation",
    "ZhcleanError",
    "ConfigError",
    "InputError",
]


def _pipeline_for(options: dict) -> Pipeline:
    from .config import Config

    from .registry import step_names

    options = dict(options)
    steps = _names(options.pop("steps", None), "steps")
    skip = _names(options.pop("skip", None), "skip") or []
    names = set(step_names())
    for k, v in options.items():
        if k in names and not isinstance(v, dict):
            raise ConfigError(f"{k}={v!r}: a step's options are a dict, e.g. {k}={{...}}; "
                              f"to leave the step out, pass skip=[{k!r}]")
    return Config(steps=steps, skip=skip, options=options).pipeline()


def _names(value, what: str):
    """A list of step names from a list, a tuple, or one string ("normalize" or "normalize,convert")."""
    if value is None:
        return None
    if isinstance(value, str):
        return [s.strip() for s in value.split(",") if s.strip()]
    if isinstance(value, (list, tuple)):
        return list(value)
    raise ConfigError(f"{what} must be a list of step names, not {type(value).__name__}")


def _check_text(text) -> None:
    if not isinstance(text, str):
        raise TypeError(f"expected str, got {type(text).__name__}; decode bytes with zhclean.decode first")


def clean(text: str, **options) -> str:
    """Clean one document with the default pipeline.

    Options: ``steps=[...]`` names the whole pipeline, ``skip=[...]`` drops steps,
    ``to="simplified"`` converts script, and ``<step>={...}`` sets a step's options.
    """
    _check_text(text)
    return _pipeline_for(options)(text)


def clean_and_explain(text: str, **options) -> tuple[str, list[Change]]:
    """Clean one document and return ``(text, changes)``: each change names its filter, rule and reason."""
    _check_text(text)
    r = _pipeline_for(options).run(text, explain=True)
    return r.text, r.changes
