"""The ``zhclean`` command.

    zhclean clean INPUT... -o OUTDIR [--report r.jsonl]   write cleaned copies (mirrors the tree)
    zhclean clean -                                      stdin to stdout
    zhclean fix FILE...                                  clean in place, atomically; exit 1 if changed
    zhclean check FILE... [--diff]                       change nothing; exit 1 if anything would change
    zhclean explain FILE                                 show each change with its filter and rule

Exit codes: 0 clean, 1 changed or would change, 2 usage or input error.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

from . import __version__
from .config import Config, load
from .errors import ConfigError, InputError, ZhcleanError
from .io.files import discover
from .pipeline import Stats

EXIT_CLEAN, EXIT_CHANGED, EXIT_ERROR = 0, 1, 2


def _common(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("pipeline")
    g.add_argument("--config", metavar="FILE", help="config file (default: nearest zhclean.toml or [tool.zhclean])")
    g.add_argument("--steps", metavar="A,B", help="run exactly these steps, in this order")
    g.add_argument("--skip", metavar="A,B", help="leave these steps out of the pipeline")
    g.add_argument("--to", metavar="SCRIPT",
                   help="convert to one script: simplified, traditional, tw, twp (Taiwan with phrases), hk, "
                        "or an OpenCC config (s2twp, t2s, ...)")
    g.add_argument("--set", metavar="STEP.KEY=VALUE", action="append", default=[],
                   help="set a step option, e.g. --set dedup_paragraphs.threshold=0.8 (value parsed as TOML)")
    g = p.add_argument_group("input")
    g.add_argument("--include", metavar="GLOB", action="append", help="in directories, take files matching GLOB")
    g.add_argument("--exclude", metavar="GLOB", action="append", help="skip files and folders matching GLOB")
    g.add_argument("--force-exclude", action="store_true", default=None,
                   help="apply --exclude even to files named on the command line")
    g.add_argument("--text-key", metavar="KEY", help="JSONL field holding the text (default: text)")
    g.add_argument("--on-error", choices=["fail", "skip"], help="bad JSONL records: fail (default) or skip and report")
    g.add_argument("-j", "--jobs", type=int, help="worker processes (default 1)")
    g = p.add_argument_group("output")
    g.add_argument("--allow-empty", action="store_true", default=None,
                   help="let a file whose every line is removed become empty (default: leave it as it is, "
                        "report it and exit 1)")
    g.add_argument("--report", metavar="FILE.jsonl", help="write one JSON line per change or removal")
    g.add_argument("-q", "--quiet", action="store_true", help="print only errors")
    g.add_argument("--progress", action=argparse.BooleanOptionalAction, default=None,
                   help="show a progress bar (default: when stderr is a terminal)")


def parse_args(argv=None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="zhclean", description="Normalise, repair and deduplicate Chinese web text.")
    p.add_argument("--version", action="version", version=f"zhclean {__version__}")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    c = sub.add_parser("clean", help="write cleaned copies of files, directories or JSONL corpora")
    c.add_argument("inputs", nargs="+", metavar="INPUT", help="files, directories, or - for stdin")
    c.add_argument("-o", "--output", metavar="OUTDIR", help="output directory (mirrors the input tree)")
    c.add_argument("--format", choices=["text", "jsonl"], default="text", help="format of stdin (default text)")
    c.add_argument("--learn-boilerplate", action="store_true",
                   help="first learn lines that recur across the inputs' documents (site chrome) and remove them")
    c.add_argument("--boilerplate-min-docs", type=int, default=5, metavar="N",
                   help="with --learn-boilerplate: a line must recur in at least N documents (default 5)")
    c.add_argument("--resume", action="store_true",
                   help="skip inputs whose output exists and is newer than the input and the config "
                        "(after an interrupted run); the report keeps their rows and gets the others'")
    c.add_argument("--engine", choices=["local", "spark"], default="local",
                   help="spark: read and write directories of JSONL or Parquet on Apache Spark")
    c.add_argument("--master", metavar="URL", help="Spark master (with --engine spark; default local[*])")
    _common(c)
    f = sub.add_parser("fix", help="clean files in place (atomic); exit 1 if anything changed")
    f.add_argument("inputs", nargs="*", metavar="FILE", help="files or directories (walked recursively)")
    f.add_argument("--hook", action="store_true", help="pre-commit mode: .zhcleanignore, cross-file duplicates")
    _common(f)
    k = sub.add_parser("check", help="change nothing; exit 1 if anything would change")
    k.add_argument("inputs", nargs="*", metavar="FILE", help="files or directories (walked recursively)")
    k.add_argument("--hook", action="store_true", help="pre-commit mode: .zhcleanignore, cross-file duplicates")
    k.add_argument("--diff", action="store_true", help="print a unified diff of what would change")
    _common(k)
    e = sub.add_parser("explain", help="show each change, labelled with its filter and rule")
    e.add_argument("inputs", nargs="+", metavar="FILE", help="files or directories (walked recursively)")
    e.add_argument("--color", action=argparse.BooleanOptionalAction, default=None,
                   help="colour the output (default: when stdout is a terminal; use --color with `| less -R`)")
    _common(e)
    from .dedup.cli import add_parser as add_dedup

    add_dedup(sub, _common)
    return p.parse_args(argv)


def _parse_value(raw: str):
    try:
        from .config import tomllib

        return tomllib.loads(f"v = {raw}")["v"]
    except Exception:
        return raw


def resolve_config(args) -> Config:
    cfg = load(Path(args.config)) if args.config else load()
    if args.steps:
        cfg.steps = [s.strip() for s in args.steps.split(",") if s.strip()]
    if args.skip:
        cfg.skip = cfg.skip + [s.strip() for s in args.skip.split(",") if s.strip()]
    if args.to:
        cfg.options["to"] = args.to
    for item in args.set:
        if "=" not in item or "." not in item.split("=", 1)[0]:
            raise ConfigError(f"--set {item!r}: write STEP.KEY=VALUE, e.g. --set dedup_paragraphs.threshold=0.8")
        k, v = item.split("=", 1)
        step, key = k.split(".", 1)
        cfg.options.setdefault(step, {})[key] = _parse_value(v)
    for name in ("include", "exclude"):
        if getattr(args, name):
            setattr(cfg, name, getattr(args, name))
    if args.force_exclude:
        cfg.force_exclude = True
    if args.text_key:
        cfg.text_key = args.text_key
    if args.on_error:
        cfg.on_error = args.on_error
    if getattr(args, "allow_empty", None):
        cfg.allow_empty = True
    if args.jobs is not None:
        if args.jobs < 1:
            raise ConfigError("-j must be at least 1")
        cfg.jobs = args.jobs
    # validate step names and options now, before touching any file
    cfg.pipeline()
    return cfg


class Progress:
    """A one-line progress bar on stderr: files, records, MB, rate and ETA."""

    def __init__(self, total_files: int, total_bytes: int, enabled: bool):
        self.total_files, self.total_bytes, self.enabled = total_files, total_bytes, enabled
        self.files = self.records = self.bytes = 0
        self.t0 = time.perf_counter()
        self.last = 0.0

    def update(self, res) -> None:
        self.files += 1
        self.records += res.records
        self.bytes += res.bytes_in
        if not self.enabled:
            return
        now = time.perf_counter()
        if now - self.last < 0.1 and self.files < self.total_files:
            return
        self.last = now
        el = max(now - self.t0, 1e-9)
        rate = self.bytes / el
        left = (self.total_bytes - self.bytes) / rate if rate > 0 else 0
        frac = self.bytes / self.total_bytes if self.total_bytes else 1.0
        bar = "#" * int(frac * 24)
        sys.stderr.write(f"\r[{bar:<24}] files {self.files}/{self.total_files}  records {self.records}  "
                         f"{self.bytes / 1e6:.1f}/{self.total_bytes / 1e6:.1f} MB  {rate / 1e6:.2f} MB/s  "
                         f"ETA {int(left) // 60}:{int(left) % 60:02d} ")
        sys.stderr.flush()

    def done(self) -> None:
        if self.enabled:
            sys.stderr.write("\n")


def _say(args, msg: str, stream=None) -> None:
    if not args.quiet:
        print(msg, file=stream or sys.stdout)


def _summary(stats: Stats, results, elapsed: float, out=None) -> None:
    out = out or sys.stderr
    skipped = [r for r in results if r.status == "skipped"]
    changed = sum(1 for r in results if r.status == "changed")
    kept = [r for r in results if r.kept_whole]
    bad = sum(r.records_skipped for r in results)
    whole = sum(r.records_kept_whole for r in results)
    mb = sum(r.bytes_in for r in results) / 1e6
    print(stats.table(), file=out)
    line = f"{len(results)} file(s), {changed} changed, {len(skipped)} skipped"
    if bad:
        line += f", {bad} bad record(s) skipped and written back unchanged"
    if kept:
        line += f", {len(kept)} left whole (cleaning would have emptied them)"
    if whole:
        line += f", {whole} record(s) left whole (cleaning would have emptied their text)"
    print(f"{line}; {mb:.2f} MB in {elapsed:.2f} s", file=out)
    for r in skipped:
        print(f"  skipped: {r.message}", file=out)
    for r in kept:
        print(f"  left whole: {r.path}: every line would be removed; pass --allow-empty to empty it", file=out)


def open_report(path, append: bool = False):
    """The report file opened for writing (or appending), or a clear error naming it."""
    if not path:
        return None
    try:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        # (a lone surrogate from a JSON record is written as its JSON escape, \udXXX: valid and lossless)
        return open(path, "a" if append else "w", encoding="utf-8", errors="backslashreplace")
    except OSError as e:
        raise ConfigError(f"--report {path}: cannot write the report ({e.strerror or e}); "
                          "choose a writable path") from None


def _clear_stale_temp_files(files, outdir, mode: str, args) -> None:
    """Remove temporary files that a killed zhclean run left beside the files this run writes."""
    from .io.formats import stale_temp_files

    if mode not in ("fix", "clean"):
        return
    folders = {Path(os.path.realpath(f.path)).parent for f in files} if mode == "fix" else set()
    if mode == "clean" and outdir:
        folders |= {(Path(outdir) / f.rel).parent for f in files}
    for d in sorted(folders):
        for t in stale_temp_files(d):
            try:
                t.unlink()
                _say(args, f"removed {t}: a temporary file left by an interrupted zhclean run", sys.stderr)
            except OSError as e:
                print(f"zhclean: warning: {t} was left by an interrupted run and cannot be removed "
                      f"({e.strerror or e}); remove it by hand", file=sys.stderr)


def leave_out_outputs(files, outdir, named, quiet: bool = False, report=None) -> list:
    """``files`` without those that a directory walk found inside ``outdir``, and without the report
    file: with the output folder inside an input folder, a second run would otherwise clean the first
    run's outputs into OUTDIR/OUTDIR/..., and read its own report (a .jsonl) as a corpus.  Files
    named on the command line are kept, and so are the files of an input folder that is itself
    inside the output folder (or is it: ``clean data/raw -o data``), which are inputs, not outputs."""
    if not outdir:
        return files
    root = os.path.realpath(outdir) + os.sep
    rep = os.path.realpath(report) if report else None
    named = {os.path.realpath(n) for n in named}

    def ours(f) -> bool:
        real = os.path.realpath(f.path)
        if real in named:
            return False
        if real == rep:
            return True
        walked = Path(f.path).parents[len(Path(f.rel).parts) - 1]  # (the input folder it was found in)
        return real.startswith(root) and not (os.path.realpath(walked) + os.sep).startswith(root)

    kept = [f for f in files if not ours(f)]
    if len(kept) < len(files) and not quiet:
        what = f"inside the output folder {outdir}" + (f" or the report {report}" if report else "")
        print(f"zhclean: left out {len(files) - len(kept)} file(s) {what}", file=sys.stderr)
    return kept


def _run_files(args, cfg: Config, mode: str) -> int:
    from .engines.local import Task, run

    files = discover(args.inputs, cfg.include, cfg.exclude, force_exclude=cfg.force_exclude)
    outdir = getattr(args, "output", None)
    if mode == "clean":
        if not outdir:
            raise ConfigError("clean needs -o OUTDIR (or - to read stdin and write stdout)")
        files = leave_out_outputs(files, outdir, args.inputs, args.quiet, args.report)
        rels = {}
        for f in files:
            if f.rel in rels:
                raise ConfigError(f"{f.path} and {rels[f.rel]} would both be written to {Path(outdir) / f.rel}; "
                                  "clean them in separate runs")
            rels[f.rel] = f.path
            if os.path.realpath(Path(outdir) / f.rel) == os.path.realpath(f.path):
                raise ConfigError(f"{f.path}: the output would overwrite the input; use `zhclean fix` to clean in place")
    if mode == "clean" and getattr(args, "learn_boilerplate", False):
        learn_recurring(files, cfg, args.boilerplate_min_docs, args.quiet)
    explain = bool(args.report)
    resumed = 0
    if mode == "clean" and getattr(args, "resume", False):
        from .resume import done_inputs, keep_report_rows

        done = done_inputs(files, outdir, cfg.source)
        keep_report_rows(args.report, done)
        resumed = len(done)
        files = [f for f in files if str(f.path) not in done]
    tasks = [Task(str(f.path), f.rel.as_posix(), mode, outdir, explain, getattr(args, "diff", False)) for f in files]
    total = 0
    for f in files:
        try:
            total += f.path.stat().st_size
        except OSError:
            pass  # reported by name when the file is processed
    show = args.progress if args.progress is not None else (sys.stderr.isatty() and not args.quiet)
    prog = Progress(len(files), total, show)
    stats = Stats()
    results = []
    report = open_report(args.report, append=getattr(args, "resume", False))
    _clear_stale_temp_files(files, outdir, mode, args)
    t0 = time.perf_counter()
    try:
        for res in run(tasks, cfg, cfg.jobs, spool=bool(report)):
            results.append(res)
            stats.merge(Stats.from_dict(res.stats))
            prog.update(res)
            if report:
                res.write_rows(report)
                if res.status == "skipped":
                    report.write(json.dumps({"file": res.path, "record": None, "line": None, "filter": "read",
                                             "rule": "unreadable", "kind": "skipped", "reason": res.message,
                                             "before": "", "after": ""}, ensure_ascii=False) + "\n")
            res.drop_rows()  # written to the report (if any): not held for the rest of the run
            if res.status == "skipped":
                prog.done() if prog.enabled else None
                print(f"zhclean: skipped {res.message}", file=sys.stderr)
                if res.crashed and os.environ.get("ZHCLEAN_DEBUG"):
                    print(res.crashed, file=sys.stderr)
            if res.records_skipped:
                where = f"listed in {args.report}" if args.report else "pass --report FILE.jsonl to list them"
                print(f"zhclean: {res.path}: {res.records_skipped} bad record(s) skipped and written back unchanged "
                      f"({where})", file=sys.stderr)
            if res.records_kept_whole:
                print(f"zhclean: {res.path}: {_records_whole(res.records_kept_whole)}", file=sys.stderr)
            if res.kept_whole:
                print(f"zhclean: {res.path}: every line would be removed; left as it is "
                      "(pass --allow-empty to empty it)", file=sys.stderr)
            elif res.status == "changed" and mode == "fix":
                counts = ", ".join(f"{k}: {v}" for k, v in sorted(res.counts.items()))
                _say(args, f"Fixing {res.path}" + (f" ({counts})" if counts else ""))
            elif res.status == "changed" and mode == "check":
                counts = ", ".join(f"{k}: {v}" for k, v in sorted(res.counts.items()))
                _say(args, f"would fix {res.path}" + (f" ({counts})" if counts else ""))
                if res.diff:
                    sys.stdout.write(res.diff)
    finally:
        if report:
            report.close()
        prog.done()
    if not args.quiet and mode == "clean":
        _summary(stats, results, time.perf_counter() - t0)
        if resumed:
            print(f"{resumed} file(s) skipped as done (--resume)", file=sys.stderr)
    if not args.quiet and mode in ("check", "fix"):
        _say(args, _black_line(mode, results), sys.stderr)
    if any(r.status == "skipped" or r.records_skipped for r in results):
        return EXIT_ERROR  # some input was not processed
    if any(r.kept_whole or r.records_kept_whole for r in results):
        return EXIT_CHANGED
    if mode in ("fix", "check") and any(r.status == "changed" for r in results):
        return EXIT_CHANGED
    return EXIT_CLEAN


def _records_whole(n: int) -> str:
    return (f"{n} record(s) would lose all their text; written back as they were (rule guard/would_empty in "
            "the report; pass --allow-empty to empty them)")


def _black_line(mode: str, results) -> str:
    """``2 files would be fixed, 3 files would be left unchanged.`` (as Black says it)."""
    def n(k: int) -> str:
        return f"{k} file{'s' if k != 1 else ''}"

    changed = sum(1 for r in results if r.status == "changed" and not r.kept_whole)
    same = sum(1 for r in results if r.status == "unchanged" and not r.kept_whole)
    kept = sum(1 for r in results if r.kept_whole)
    skipped = sum(1 for r in results if r.status == "skipped")
    parts = []
    if changed:
        parts.append(f"{n(changed)} {'would be fixed' if mode == 'check' else 'fixed'}")
    parts.append(f"{n(same)} {'would be left' if mode == 'check' else 'left'} unchanged")
    if kept:
        # left as they were, not fixed: cleaning would have emptied them (the run exits 1 for them)
        parts.append(f"{n(kept)} {'would be left' if mode == 'check' else 'left'} whole (cleaning would empty "
                     f"{'it' if kept == 1 else 'them'}; pass --allow-empty to let it)")
    if skipped:
        parts.append(f"{n(skipped)} could not be read")
    return ", ".join(parts) + "."


def learn_recurring(files, cfg: Config, min_docs: int, quiet: bool) -> None:
    """CCNet-style corpus mode: lines that recur across documents become rules for this run."""
    from .errors import ZhcleanError as _E
    from .filters.boilerplate import learn_recurring_lines
    from .io.documents import iter_documents

    def docs():
        for f in files:
            try:
                for d in iter_documents(f, cfg.text_key, "skip"):
                    yield d.text
            except _E:
                continue  # unreadable files are reported by the main pass

    learned = learn_recurring_lines(docs(), min_docs=min_docs)
    opts = cfg.options.setdefault("strip_boilerplate", {})
    opts["recurring"] = list(opts.get("recurring", [])) + learned
    if not quiet:
        print(f"learned {len(learned)} recurring line(s) across the inputs (in at least {min_docs} documents)",
              file=sys.stderr)


def _clean_stdin(args, cfg: Config) -> int:
    from .engines.local import FileResult, process_jsonl, process_text

    report = open_report(args.report)
    data = sys.stdin.buffer.read()
    pipe = cfg.pipeline()
    res = FileResult("<stdin>")
    explain = bool(args.report)
    try:
        out = process_jsonl(data, "<stdin>", pipe, cfg, explain, res) if args.format == "jsonl" \
            else process_text(data, "<stdin>", pipe, explain, res, allow_empty=cfg.allow_empty)
    except ZhcleanError as e:
        msg = str(e)
        raise InputError(msg if msg.startswith("<stdin>") else f"<stdin>: {msg}") from None
    sys.stdout.buffer.write(out)
    sys.stdout.flush()
    if report:
        with report:
            for row in res.rows:
                report.write(json.dumps(row, ensure_ascii=False) + "\n")
    if res.records_skipped:
        where = f"listed in {args.report}" if args.report else "pass --report FILE.jsonl to list them"
        print(f"zhclean: <stdin>: {res.records_skipped} bad record(s) written back unchanged ({where})",
              file=sys.stderr)
        return EXIT_ERROR
    if res.records_kept_whole:
        print(f"zhclean: <stdin>: {_records_whole(res.records_kept_whole)}", file=sys.stderr)
        return EXIT_CHANGED
    if res.kept_whole:
        # exit 1 alone would leave the user guessing why
        print("zhclean: <stdin>: every line would be removed; written out as it came in "
              "(pass --allow-empty to empty it)", file=sys.stderr)
        return EXIT_CHANGED
    return EXIT_CLEAN


def _explain(args, cfg: Config) -> int:
    from .engines.local import Task, process

    color = args.color if args.color is not None else sys.stdout.isatty()
    red, green, dim, off = ("\033[31m", "\033[32m", "\033[2m", "\033[0m") if color else ("", "", "", "")
    files = discover(args.inputs, cfg.include, cfg.exclude, force_exclude=cfg.force_exclude)
    code = EXIT_CLEAN
    for f in files:
        res = process(Task(str(f.path), f.rel.as_posix(), "explain", None, True), cfg.to_dict())
        if res.status == "skipped":
            print(f"zhclean: skipped {res.message}", file=sys.stderr)
            code = EXIT_ERROR
            continue
        print(f"{f.path}: {len(res.rows)} change(s)")
        for r in res.rows:
            where = f"record {r['record']} " if r.get("record") else ""
            where += f"line {r['line']}" if r.get("line") else ""
            print(f"{dim}[{r['filter']}/{r['rule']}]{off} {where}  {r.get('reason', '')}")
            if r["before"]:
                print(f"  {red}- {r['before']!r}{off}")
            if r["after"]:
                print(f"  {green}+ {r['after']!r}{off}")
        if res.records_skipped:
            # as clean, check and fix do: records that could not be processed make the run exit 2
            print(f"zhclean: {f.path}: {res.records_skipped} bad record(s) skipped (listed above)", file=sys.stderr)
            code = EXIT_ERROR
        if res.rows and code == EXIT_CLEAN:
            code = EXIT_CHANGED
    return code


def main(argv=None) -> int:
    """Run the command line; returns the exit code (0 clean, 1 changed, 2 error)."""
    try:
        args = parse_args(argv)
    except SystemExit as e:
        return int(e.code) if isinstance(e.code, int) else EXIT_ERROR
    try:
        cfg = resolve_config(args)
        if args.command == "clean":
            if args.engine == "spark":
                from .spark.cli import run_spark_clean

                return run_spark_clean(args, cfg)
            if args.inputs == ["-"]:
                return _clean_stdin(args, cfg)
            if "-" in args.inputs:
                raise ConfigError("- (stdin) cannot be mixed with file inputs")
            return _run_files(args, cfg, "clean")
        if args.command in ("fix", "check"):
            if args.hook:
                from .hook import run_hook

                return run_hook(args, cfg, args.command, _run_files)
            if not args.inputs:
                raise ConfigError(f"{args.command} needs at least one FILE")
            return _run_files(args, cfg, args.command)
        if args.command == "explain":
            return _explain(args, cfg)
        if args.command == "dedup":
            from .dedup.cli import run_dedup

            return run_dedup(args, cfg)
    except (ZhcleanError, ConfigError, InputError) as e:
        print(f"zhclean: error: {e}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("zhclean: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        raise
    except Exception as e:  # a bug: say so, and exit 2 so that pre-commit and CI do not read it as "would change"
        import traceback

        if os.environ.get("ZHCLEAN_DEBUG"):
            traceback.print_exc()
        print(f"zhclean: internal error: {type(e).__name__}: {e}. Please report it (set ZHCLEAN_DEBUG=1 "
              "for the traceback)", file=sys.stderr)
        return EXIT_ERROR
    return EXIT_ERROR


def console_main() -> None:
    try:
        code = main()
        sys.stdout.flush()
    except BrokenPipeError:  # `zhclean explain f | head`: the reader left, which is fine
        import os

        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        code = 0
    sys.exit(code)


if __name__ == "__main__":
    console_main()
