"""Configuration: ``[tool.zhclean]`` in ``pyproject.toml`` or a ``zhclean.toml``.

The file is found by searching from the working directory upward; in each folder a
``zhclean.toml`` wins over ``pyproject.toml``.  Command-line flags override the file.

```toml
[tool.zhclean]
to = "simplified"                 # convert to one script (simplified, traditional, tw, hk, or an OpenCC config)
skip = ["dedup_paragraphs"]       # drop steps from the default pipeline
# steps = ["normalize", "strip_boilerplate"]   # or name the whole pipeline
exclude = ["vendor/**"]

[tool.zhclean.strip_boilerplate]
disable = ["footer.contact"]
```

Unknown keys and step names are errors that name the closest valid one.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

from .errors import ConfigError, closest
from .registry import GLOBAL_OPTIONS, check_step_name, default_step_names, step_names

# keys that configure a run rather than a step
RUN_KEYS = {
    "steps": list,
    "skip": list,
    "include": list,
    "exclude": list,
    "text_key": str,
    "on_error": str,
    "jobs": int,
    "force_exclude": bool,
    "allow_empty": bool,
    "index": str,
    "dedup": dict,
}


@dataclass
class Config:
    """A resolved configuration: which steps with which options, and how to run them."""

    steps: list[str] | None = None
    skip: list[str] = field(default_factory=list)
    options: dict = field(default_factory=dict)
    include: list[str] = field(default_factory=list)
    exclude: list[str] = field(default_factory=list)
    text_key: str = "text"
    on_error: str = "fail"
    jobs: int = 1
    force_exclude: bool = False
    allow_empty: bool = False  # let fix/clean turn a non-empty file into an empty one
    index: str | None = None
    dedup: dict = field(default_factory=dict)
    source: Path | None = None

    def step_list(self) -> list[str]:
        names = list(self.steps) if self.steps is not None else default_step_names(self.options)
        for s in self.skip:
            check_step_name(s)
        return [n for n in names if n not in self.skip]

    def pipeline(self):
        from .pipeline import Pipeline

        return Pipeline(self.step_list(), options=self.options)

    def to_dict(self) -> dict:
        return {
            "steps": self.steps, "skip": self.skip, "options": self.options, "include": self.include,
            "exclude": self.exclude, "text_key": self.text_key, "on_error": self.on_error,
            "jobs": self.jobs, "force_exclude": self.force_exclude, "allow_empty": self.allow_empty, "index": self.index, "dedup": self.dedup,
            "source": str(self.source) if self.source else None,
        }

    @classmethod
    def from_dict(cls, d: dict) -> "Config":
        d = dict(d)
        src = d.pop("source", None)
        return cls(**d, source=Path(src) if src else None)


def parse(table: dict, source: str = "<config>") -> Config:
    """Validate a ``[tool.zhclean]`` table and turn it into a :class:`Config`."""
    if not isinstance(table, dict):
        raise ConfigError(f"{source}: the zhclean table must be a table")
    cfg = Config()
    steps = set(step_names())
    valid = set(RUN_KEYS) | steps | GLOBAL_OPTIONS
    for key, value in table.items():
        if key not in valid:
            raise ConfigError(f'{source}: unknown key "{key}".{closest(key, valid)}')
        if key in RUN_KEYS:
            want = RUN_KEYS[key]
            if not isinstance(value, want) or (want is int and isinstance(value, bool)):
                hint = ""
                if want is list and isinstance(value, str):
                    import json

                    hint = f" (write {key} = [{json.dumps(value, ensure_ascii=False)}])"
                raise ConfigError(f'{source}: "{key}" must be a {want.__name__}, not {value!r}{hint}')
            if key in ("steps", "skip"):
                for s in value:
                    try:
                        check_step_name(s)
                    except ConfigError as e:
                        raise ConfigError(f"{source}: {key}: {e}") from None
            if key == "on_error" and value not in ("fail", "skip"):
                raise ConfigError(f'{source}: on_error must be "fail" or "skip", not {value!r}')
            setattr(cfg, key, value)
        elif key in steps:
            if not isinstance(value, dict):
                raise ConfigError(f'{source}: [{key}] must be a table of options')
            cfg.options[key] = dict(value)
        else:
            cfg.options[key] = value
    # build once so that unknown step options fail now, with the file's name
    try:
        cfg.pipeline()
    except ConfigError as e:
        raise ConfigError(f"{source}: {e}") from None
    return cfg


def find_config(start: Path | None = None) -> tuple[Path, dict] | None:
    """The nearest config file at or above ``start`` and its zhclean table."""
    here = (start or Path.cwd()).resolve()
    for d in [here, *here.parents]:
        z = d / "zhclean.toml"
        if z.is_file():
            return z, _read(z)
        p = d / "pyproject.toml"
        if p.is_file():
            data = _read(p)
            if "zhclean" in data.get("tool", {}):
                return p, data
    return None


def _read(path: Path) -> dict:
    try:
        with open(path, "rb") as f:
            return tomllib.load(f)
    except tomllib.TOMLDecodeError as e:
        raise ConfigError(f"{path}: not valid TOML: {e}") from None


def load(path: Path | None = None, start: Path | None = None) -> Config:
    """Load the config at ``path``, or the nearest one found from ``start``; defaults if none."""
    if path is not None:
        path = Path(path)
        if not path.is_file():
            raise ConfigError(f"{path}: config file not found")
        data = _read(path)
    else:
        found = find_config(start)
        if found is None:
            return Config()
        path, data = found
    if path.name == "pyproject.toml":
        table = data.get("tool", {}).get("zhclean", {})
    elif set(data) == {"tool"} and isinstance(data["tool"], dict) and set(data["tool"]) == {"zhclean"}:
        # the [tool.zhclean] table pasted from pyproject.toml into zhclean.toml: take it as it is
        table = data["tool"]["zhclean"]
    else:
        table = data
    cfg = parse(table, str(path))
    cfg.source = path
    return cfg
