"""`zhclean dedup`: corpus-wide near-duplicate removal over files, directories and JSONL."""

from __future__ import annotations

import json
import resource
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np

from ..errors import ConfigError, ZhcleanError
from ..io.documents import iter_documents
from ..io.files import discover
from ..io.formats import AtomicWriter, CompressingSink, atomic_write, compress, compression_of
from .corpus import CorpusSettings, SignatureStore, _sign_job, clusters, link, write_clusters


def add_parser(sub, common) -> None:
    d = sub.add_parser("dedup", help="drop near-duplicate paragraphs (or documents) across a corpus")
    d.add_argument("inputs", nargs="+", metavar="INPUT")
    d.add_argument("-o", "--output", metavar="OUTDIR", required=False, help="output directory (mirrors the input tree)")
    d.add_argument("--level", choices=["paragraph", "document"], default=None, help="unit of dedup (default paragraph)")
    d.add_argument("--threshold", type=float, default=None, help="estimated Jaccard at which units are duplicates (0.8)")
    d.add_argument("--num-perm", type=int, default=None, help="MinHash permutations (128)")
    d.add_argument("--shingle", type=int, default=None, help="character n-gram size (3)")
    d.add_argument("--keep", choices=["first", "longest"], default=None, help="which member of a cluster stays (default first: the first seen, in input order)")
    d.add_argument("--clusters", metavar="FILE.jsonl", help="write every cluster of duplicates")
    d.add_argument("--engine", choices=["local", "spark"], default="local",
                   help="spark: read and write directories of JSONL or Parquet on Apache Spark (default local)")
    d.add_argument("--master", metavar="URL", help="Spark master (with --engine spark)")
    common(d)


def settings_from(args, cfg) -> CorpusSettings:
    opts = dict(cfg.dedup or {})
    for k, a in (("level", "level"), ("threshold", "threshold"), ("num_perm", "num_perm"), ("shingle", "shingle"),
                 ("keep", "keep")):
        v = getattr(args, a, None)
        if v is not None:
            opts[k] = v
    from ..registry import make_settings

    return make_settings(CorpusSettings, opts, "dedup")


def _units(text: str, level: str) -> list[tuple[int, str]]:
    """(line index, unit) of a document: its non-empty lines, or the whole text at document level."""
    if level == "document":
        return [(0, text)] if text.strip() else []
    return [(i, ln) for i, ln in enumerate(text.split("\n")) if ln.strip()]


BATCH_CHARS = 8_000_000  # characters signed in one batch at most: memory stays bounded at document level


class _Pieces:
    """JSONL output as it is made: ``append`` takes the pieces that go between newlines."""

    def __init__(self, sink):
        self.sink, self.first = sink, True

    def append(self, piece: bytes) -> None:
        self.sink.write(piece if self.first else b"\n" + piece)
        self.first = False

    def commit(self) -> None:
        self.sink.commit()

    def abort(self) -> None:
        self.sink.abort()


def run_dedup(args, cfg) -> int:
    s = settings_from(args, cfg)
    if args.engine == "spark":
        from ..spark.cli import run_spark_dedup

        return run_spark_dedup(args, cfg, s)
    if not args.output:
        raise ConfigError("dedup needs -o OUTDIR")
    t0 = time.perf_counter()
    from ..cli import leave_out_outputs

    files = discover(args.inputs, cfg.include, cfg.exclude, force_exclude=cfg.force_exclude)
    files = leave_out_outputs(files, args.output, args.inputs, args.quiet, args.report)
    # pass 1: units and signatures
    loc_file, loc_rec, loc_line, lengths = [], [], [], []
    store = SignatureStore(s.num_perm)
    batch: list[str] = []
    pending = []
    jobs = max(1, cfg.jobs)
    pool = ProcessPoolExecutor(max_workers=jobs) if jobs > 1 else None
    skipped_records: dict[int, list] = {}

    batch_chars = 0

    def flush(final=False):
        nonlocal batch, batch_chars
        batch_chars = 0
        if batch:
            if pool:
                pending.append(pool.submit(_sign_job, (batch, s)))
            else:
                store.append(_sign_job((batch, s)))
            batch = []
        while pending and (final or len(pending) > 2 * jobs):
            store.append(pending.pop(0).result())

    failed: dict[int, str] = {}  # file index -> why it could not be read
    try:
        for fi, f in enumerate(files):
            skipped = skipped_records.setdefault(fi, [])
            start = len(loc_file)
            try:
                # a stream: a large file is never held whole
                for doc in iter_documents(f, cfg.text_key, cfg.on_error, skipped):
                    rec = doc.record if doc.record is not None else -1
                    for li, u in _units(doc.text, s.level):
                        loc_file.append(fi)
                        loc_rec.append(rec)
                        loc_line.append(li)
                        lengths.append(len(u))
                        batch.append(u)
                        batch_chars += len(u)
                        # a batch of s.batch units, or fewer long ones (whole documents at document level)
                        if len(batch) >= s.batch or batch_chars >= BATCH_CHARS:
                            flush()
            except ZhcleanError as e:
                msg = str(e)
                failed[fi] = msg if msg.startswith(str(f.path)) else f"{f.path}: {msg}"
                print(f"zhclean: skipped {failed[fi]}", file=sys.stderr)
                # a file that fails half-way contributes no units: take back those it gave
                added = len(loc_file) - start
                if added <= len(batch):
                    del batch[len(batch) - added:]
                    batch_chars = sum(map(len, batch))
                else:
                    batch = []
                    flush(final=True)
                    store.truncate(start)
                for a in (loc_file, loc_rec, loc_line, lengths):
                    del a[start:]
                # nor bad records: the file is left out whole, so none of them is written back
                skipped.clear()
        flush(final=True)
    finally:
        if pool:
            pool.shutdown()
    t_sign = time.perf_counter() - t0
    n = store.n
    sigs = store.array()
    # pass 2: link and cluster
    pairs, sims = link(sigs, s, view_of=store.view if s.exact else None)
    L = np.asarray(lengths, dtype=np.int64)
    labels, keeper = clusters(n, pairs, L, s.keep)
    keep = keeper == np.arange(n)
    best: dict[int, float] = {}
    for (a, b), sim in zip(pairs.tolist(), sims.tolist()):
        for x in (a, b):
            if not keep[x] and keeper[x] in (a, b):
                best[x] = max(best.get(x, 0.0), sim)
    t_link = time.perf_counter() - t0 - t_sign
    lf, lr, ll = np.asarray(loc_file), np.asarray(loc_rec), np.asarray(loc_line)

    def describe(i: int) -> dict:
        return {"file": str(files[lf[i]].path), "record": None if lr[i] < 0 else int(lr[i]),
                "line": int(ll[i]) + 1}

    if args.clusters:
        write_clusters(Path(args.clusters), labels, keeper, describe)
    # pass 3: write
    from ..cli import open_report

    report = open_report(args.report)
    dropped_total = 0
    item = 0
    sink = None  # Parquet output, written a row group at a time
    jsonl = None  # JSONL output, written a line at a time
    try:
        for fi, f in enumerate(files):
            if fi in failed:
                continue
            dest = Path(args.output) / f.rel
            out_lines = []
            bad: list = []  # bad JSONL records (--on-error skip), written back unchanged in their place
            written_bad = 0
            if f.format == "parquet":
                from ..io.parquet import RecordSink

                sink = RecordSink(dest, f.path)
            elif f.format == "jsonl":
                # written as it is read: the pieces between the input's newlines, blank ones
                # included, so that its layout is kept
                jsonl = _Pieces(CompressingSink(AtomicWriter(dest), compression_of(f.path)))
                out_lines = jsonl
            def put_back_bad():
                # a bad JSONL line as its bytes were; a Parquet row (a dict) as it was
                for _, _, raw in bad[written_bad:]:
                    if isinstance(raw, dict):
                        sink.add(raw)
                    else:
                        out_lines.append(raw.encode("utf-8", "surrogateescape"))
                return len(bad)

            for doc in iter_documents(f, cfg.text_key, cfg.on_error, bad, keep_blank=True):
                written_bad = put_back_bad()
                rec = doc.record if doc.record is not None else -1
                lines = None if s.level == "document" else doc.text.split("\n")
                drop_lines = set()
                for li, _ in _units(doc.text, s.level):
                    if not keep[item]:
                        dropped_total += 1
                        k = int(keeper[item])
                        src = describe(k)
                        where = f"{src['file']}" + (f":{src['record']}" if src["record"] else "") + f" line {src['line']}"
                        if report:
                            # linked to its keeper directly: that similarity; through others: above threshold
                            sim = f"{best[item]:.2f}" if item in best else f"{s.threshold:.2f}+"
                            report.write(json.dumps({
                                "file": str(f.path), "record": None if rec < 0 else rec, "line": li + 1,
                                "filter": "dedup", "rule": f"corpus_{s.level}", "kind": "removal",
                                "before": doc.text if lines is None else lines[li], "after": "",
                                "reason": f"duplicate of {where} (estimated similarity {sim})",
                            }, ensure_ascii=False) + "\n")
                        drop_lines.add(li)
                    item += 1
                if s.level == "document":
                    if drop_lines:
                        continue
                    new_text = doc.text
                else:
                    new_text = "\n".join(ln for i, ln in enumerate(lines) if i not in drop_lines)
                if doc.raw is None:
                    # a text file whose every paragraph was a duplicate is not written, as at document
                    # level: the report names where each went (and in place, the file stays whole)
                    if not (drop_lines and not new_text.strip()):
                        out_lines.append(new_text)
                else:
                    if drop_lines and not new_text.strip():
                        continue
                    if not drop_lines and jsonl is not None:
                        out_lines.append(doc.line)  # a record dedup leaves alone is written back byte for byte
                        continue
                    rec_out = dict(doc.raw)
                    rec_out[cfg.text_key] = new_text
                    if sink is not None:
                        sink.add(rec_out)
                    else:
                        # a lone surrogate (from a \\ud800 escape) is written back as the same JSON escape
                        out_lines.append(json.dumps(rec_out, ensure_ascii=False).encode("utf-8", "backslashreplace")
                                         + (b"\r" if doc.line.endswith(b"\r") else b""))
            written_bad = put_back_bad()
            if sink is not None:
                sink.commit()
                sink = None
                continue
            if jsonl is not None:
                jsonl.commit()
                jsonl = None
                continue
            if not out_lines:
                continue  # the whole document was a duplicate; the report has it
            atomic_write(dest, compress(out_lines[0].encode("utf-8"), compression_of(f.path)))
    finally:
        if sink is not None:
            sink.abort()
        if jsonl is not None:
            jsonl.abort()
        if report:
            for fi, recs in skipped_records.items():
                for lineno, problem, raw in recs:
                    report.write(json.dumps({"file": str(files[fi].path), "record": lineno, "line": None,
                                             "filter": "read", "rule": "malformed_record", "kind": "skipped",
                                             "reason": problem + "; written back unchanged",
                                             "before": raw if isinstance(raw, str) else "",
                                             "after": raw if isinstance(raw, str) else ""},
                                            ensure_ascii=False) + "\n")
            for fi, msg in failed.items():
                report.write(json.dumps({"file": str(files[fi].path), "record": None, "line": None, "filter": "read",
                                         "rule": "unreadable", "kind": "skipped", "reason": msg, "before": "",
                                         "after": ""}, ensure_ascii=False) + "\n")
            report.close()
        store.close()
    elapsed = time.perf_counter() - t0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    if not args.quiet:
        n_clusters = len(set(labels[~keep].tolist())) if n else 0
        print(f"{n} {s.level}s in {len(files)} file(s): {dropped_total} dropped in {n_clusters} cluster(s); "
              f"threshold {s.threshold}, {s.num_perm} permutations, bands x rows = {s.params[0]} x {s.params[1]}",
              file=sys.stderr)
        print(f"time {elapsed:.2f} s (sign {t_sign:.2f}, link {t_link:.2f}), peak memory {peak:.0f} MB",
              file=sys.stderr)
        for m in failed.values():
            print(f"  skipped: {m}", file=sys.stderr)
    n_bad = 0
    for fi, recs in skipped_records.items():
        if recs:
            n_bad += len(recs)
            where = f"listed in {args.report}" if args.report else "pass --report FILE.jsonl to list them"
            print(f"zhclean: {files[fi].path}: {len(recs)} bad record(s) skipped and written back unchanged "
                  f"({where})", file=sys.stderr)
    # as for clean: input that could not be processed (a file, or records written back as they were) exits 2
    return 2 if failed or n_bad else 0
