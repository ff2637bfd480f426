"""Step names and how to build them from options.

Every filter that can be named in config or on the command line registers here.
A step's options are the fields of its frozen settings dataclass; an unknown
option is an error that names the closest valid one.
"""

from __future__ import annotations

import dataclasses
from typing import Callable

from .errors import ConfigError, closest

# name -> (factory(options) -> filter, in the default pipeline?)
_STEPS: dict[str, tuple[Callable[[dict], Callable], bool]] = {}
# the canonical order of steps in the default pipeline
ORDER = [
    "fix_mojibake",
    "normalize",
    "strip_ruby",
    "convert",
    "strip_boilerplate",
    "rejoin_paragraphs",
    # after rejoining, so a joined line's punctuation is judged in its new context
    "fix_punctuation",
    "dedup_paragraphs",
]


def register(name: str, factory: Callable[[dict], Callable], *, default: bool = True) -> None:
    _STEPS[name] = (factory, default)


def _load_all() -> None:
    # importing the filter package registers its steps
    from . import filters  # noqa: F401


def step_names() -> list[str]:
    _load_all()
    return [n for n in ORDER if n in _STEPS] + sorted(n for n in _STEPS if n not in ORDER)


def check_step_name(name: str) -> None:
    names = step_names()
    if name not in names:
        raise ConfigError(f'unknown step "{name}".{closest(name, names)}')


def default_step_names(options: dict) -> list[str]:
    """The default pipeline: every registered default step, in canonical order.

    ``convert`` joins only when a target script is set (``to=`` or ``convert.config``).
    """
    names = []
    for n in step_names():
        factory, default = _STEPS[n]
        if n == "convert":
            if options.get("to") or (options.get("convert") or {}).get("config"):
                names.append(n)
            continue
        if default:
            names.append(n)
    return names


def build_steps(steps, options: dict) -> list[Callable]:
    _load_all()
    for key in options:
        if key not in _STEPS and key not in GLOBAL_OPTIONS:
            valid = list(_STEPS) + list(GLOBAL_OPTIONS)
            raise ConfigError(f'unknown option "{key}".{closest(key, valid)}')
    out = []
    for s in steps:
        if isinstance(s, str):
            check_step_name(s)
            opts = dict(options.get(s) or {})
            if s == "convert" and options.get("to") and "config" not in opts:
                opts["to"] = options["to"]
            out.append(_STEPS[s][0](opts))
        elif callable(s) or callable(getattr(s, "apply", None)):
            out.append(s)
        else:
            raise ConfigError(f"a pipeline step must be a step name, a str -> str callable or an object "
                              f"with apply(text, explain), not {s!r}")
    return out


# options that are not a step's table
GLOBAL_OPTIONS = {"to"}


# integer options that make no sense below 1
_POSITIVE = {"num_perm", "shingle", "batch", "jobs"}


def make_settings(cls, options: dict, step: str):
    """Build a frozen settings dataclass from a dict, rejecting unknown keys by name."""
    types = {f.name: f.type if isinstance(f.type, str) else getattr(f.type, "__name__", "") for f in dataclasses.fields(cls)}
    fields = set(types)
    for k, v in options.items():
        if k not in fields:
            raise ConfigError(f'unknown option "{k}" for step "{step}".{closest(k, fields)}')
        want = types[k].replace(" ", "")
        ok = {"bool": lambda x: isinstance(x, bool),
              "int": lambda x: isinstance(x, int) and not isinstance(x, bool),
              "float": lambda x: isinstance(x, (int, float)) and not isinstance(x, bool),
              "str": lambda x: isinstance(x, str)}.get(want)
        if ok is not None and not ok(v):
            article = "an" if want == "int" else "a"
            raise ConfigError(f'option "{step}.{k}" must be {article} {want}'
                              f'{" (true or false)" if want == "bool" else ""}, not {v!r}')
        if want == "int" and k in _POSITIVE and v < 1:
            raise ConfigError(f'option "{step}.{k}" must be at least 1, not {v!r}')
    try:
        return cls(**options)
    except (TypeError, ValueError) as e:
        raise ConfigError(f'bad option for step "{step}": {e}') from None
