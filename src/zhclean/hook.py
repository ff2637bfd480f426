"""The pre-commit hook: ``zhclean fix --hook`` and ``zhclean check --hook``.

On top of ``fix``/``check`` it:

- leaves out files matched by ``.zhcleanignore`` (gitignore syntax) at the repository root, and,
  with ``force_exclude = true`` (or ``--force-exclude``), files matched by ``exclude`` in config,
  even when pre-commit names them;
- checks the paragraphs of each file against the rest of the repository (``dedup.scope =
  "repository"``, the default in hook mode; ``"file"`` or ``"none"`` turn it off) through the
  persistent index in ``.zhclean/index.sqlite``.  A staged file is compared with every file
  committed at HEAD and with the staged files before it in path order; an unchanged committed
  file only with the files before it.  The comparison set comes from git, not from the file
  names pre-commit passes, so the result does not depend on how pre-commit splits the list.
  Duplicated paragraphs are reported as ``path:line: ...`` and fail the hook.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from .errors import ConfigError, InputError
from .ignore import IgnoreFile

UNIT_EXTS = (".txt", ".md", ".jsonl", ".ndjson")


def _git(root: Path, *args: str) -> bytes:
    r = subprocess.run(["git", *args], cwd=root, capture_output=True)
    if r.returncode != 0:
        raise InputError(f"git {' '.join(args)} failed: {r.stderr.decode(errors='replace').strip()}")
    return r.stdout


def repo_root() -> Path:
    r = subprocess.run(["git", "rev-parse", "--show-toplevel"], capture_output=True, text=True)
    if r.returncode != 0:
        raise ConfigError("--hook needs a git repository (run it from inside one, as pre-commit does)")
    return Path(r.stdout.strip())


def select_files(root: Path, files: list[str], cfg) -> list[str]:
    """The files pre-commit passed, less those .zhcleanignore (and, when forced, exclude) leave out."""
    from .io.files import _matches

    ignore = IgnoreFile.load(root / ".zhcleanignore")
    out = []
    for f in files:
        rel = Path(f).resolve().relative_to(root).as_posix() if Path(f).is_absolute() else Path(f).as_posix()
        if ignore.ignored(rel):
            continue
        if cfg.force_exclude and cfg.exclude and _matches(rel, cfg.exclude):
            continue
        out.append(f)
    return out


def _units_text(path: str, data: bytes, cfg) -> str:
    """The text whose lines are the paragraphs to compare (JSONL: the records' texts)."""
    from .encoding import decode_with_info

    if path.endswith((".jsonl", ".ndjson")):
        from .io.documents import parse_jsonl

        return "\n".join(rec[cfg.text_key] for _, _, rec, _ in parse_jsonl(data, cfg.text_key) if rec is not None)
    try:
        return decode_with_info(data).text
    except InputError:
        return ""


def cross_file_duplicates(root: Path, files: list[str], cfg) -> list[str]:
    """Messages for paragraphs of ``files`` that repeat paragraphs elsewhere in the repository."""
    from .dedup.corpus import CorpusSettings
    from .dedup.index import ParagraphIndex
    from .registry import make_settings

    opts = {k: v for k, v in (cfg.dedup or {}).items() if k not in ("scope",)}
    settings = make_settings(CorpusSettings, opts, "dedup")
    ignore = IgnoreFile.load(root / ".zhcleanignore")

    def wanted(p: str) -> bool:
        return p.endswith(UNIT_EXTS) and not ignore.ignored(p)

    head: dict[str, str] = {}
    if subprocess.run(["git", "rev-parse", "--verify", "-q", "HEAD"], cwd=root, capture_output=True).returncode == 0:
        for entry in _git(root, "ls-tree", "-r", "-z", "HEAD").split(b"\0"):
            if entry:
                meta, path = entry.split(b"\t", 1)
                p = path.decode()
                if wanted(p):
                    head[p] = meta.split()[2].decode()
    staged: dict[str, str] = {}
    changed = set(_git(root, "diff", "--cached", "--name-only", "-z", "--diff-filter=ACMR").decode().split("\0")) - {""}
    for entry in _git(root, "ls-files", "-s", "-z").split(b"\0"):
        if entry:
            meta, path = entry.split(b"\t", 1)
            p = path.decode()
            if p in changed and wanted(p):
                staged[p] = meta.split()[1].decode()
    index = ParagraphIndex(root / (cfg.index or ".zhclean/index.sqlite"), settings)
    try:
        def source(p: str, blob: str) -> str:
            s = f"{p}@{blob}"
            if s not in index:
                index.add(s, _units_text(p, _git(root, "cat-file", "blob", blob), cfg))
            return s

        head_src = {p: source(p, b) for p, b in head.items() if p not in staged}
        staged_src = {p: source(p, b) for p, b in staged.items()}
        messages = []
        for f in sorted(files):
            rel = Path(f).resolve().relative_to(root).as_posix()
            if not wanted(rel):
                continue
            if rel in staged:
                allowed = {s for p, s in head_src.items() if p != rel} | {s for p, s in staged_src.items() if p < rel}
                text = _units_text(rel, _git(root, "cat-file", "blob", staged[rel]), cfg)
            elif rel in head:
                allowed = {s for p, s in head_src.items() if p < rel}
                text = _units_text(rel, _git(root, "cat-file", "blob", head[rel]), cfg)
            else:  # untracked: compare the working file with everything committed
                allowed = set(head_src.values())
                text = _units_text(rel, (root / rel).read_bytes(), cfg)
            for m in index.query(text, allowed):
                other = m.source.rsplit("@", 1)[0]
                unit = "paragraph" if rel.endswith((".jsonl", ".ndjson")) else "line"
                messages.append(f"{rel}:{m.line}: {unit} duplicates {other}:{m.source_line} "
                                f"(similarity {m.similarity:.2f}, dedup_paragraphs across files)")
        return messages
    finally:
        index.close()


def run_hook(args, cfg, mode: str, run_files) -> int:
    root = repo_root()
    args.inputs = select_files(root, args.inputs, cfg)
    code = 0
    if args.inputs:
        code = run_files(args, cfg, mode)
    scope = (cfg.dedup or {}).get("scope", "repository")
    if scope not in ("repository", "file", "none"):
        raise ConfigError(f'dedup.scope must be "repository", "file" or "none", not {scope!r}')
    if scope == "repository" and args.inputs:
        msgs = cross_file_duplicates(root, args.inputs, cfg)
        for m in msgs:
            print(m)
        if msgs:
            print(f"zhclean: {len(msgs)} paragraph(s) repeat text from other files; remove them, or mark them "
                  "with `zhclean: skip`, or set dedup.scope = \"file\"", file=sys.stderr)
            code = max(code, 1)
    return code
