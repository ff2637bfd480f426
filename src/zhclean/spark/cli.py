"""``zhclean clean|dedup --engine spark``: directories of JSONL or Parquet in, a directory out."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from ..errors import ConfigError


def session(master: str | None):
    from pyspark.sql import SparkSession

    # the workers run this same Python, where zhclean is installed (a cluster sets its own)
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    b = SparkSession.builder.appName("zhclean")
    if master:
        b = b.master(master)
    elif not os.environ.get("SPARK_HOME") and "spark.master" not in os.environ.get("PYSPARK_SUBMIT_ARGS", ""):
        b = b.master("local[*]")
    s = b.config("spark.ui.showConsoleProgress", "false").getOrCreate()
    s.sparkContext.setLogLevel("WARN")
    return s


def input_files(inputs: list[str]) -> tuple[list[str], list[str]]:
    """(JSONL files, Parquet files) under the inputs.  Files Spark cannot read as they are
    (zstd-compressed JSONL) are refused by name rather than passed over."""
    files_json, files_parquet, refused = [], [], []
    for raw in inputs:
        p = Path(raw)
        if not p.exists():
            raise ConfigError(f"{raw}: no such file or directory")
        found = sorted(p.rglob("*")) if p.is_dir() else [p]
        for f in found:
            name = f.name.lower()
            if name.endswith((".jsonl", ".json", ".jsonl.gz", ".json.gz", ".ndjson", ".ndjson.gz")):
                files_json.append(str(f))
            elif name.endswith(".parquet"):
                files_parquet.append(str(f))
            elif name.endswith((".zst", ".zstd")):
                refused.append(str(f))
    if refused:
        shown = ", ".join(refused[:5]) + (f" and {len(refused) - 5} more" if len(refused) > 5 else "")
        raise ConfigError(f"the Spark engine cannot read zstd-compressed files: {shown}. "
                          "Decompress them (zstd -d) or recompress as .gz, or use the local engine")
    if files_json and files_parquet:
        raise ConfigError("mix of JSONL and Parquet inputs: run them separately")
    if not files_json and not files_parquet:
        raise ConfigError("the Spark engine reads JSONL or Parquet files; none found in the inputs")
    return files_json, files_parquet


def read(spark, inputs: list[str]):
    """A DataFrame of every JSONL (.jsonl, .json) or Parquet file under the inputs, with the file
    name as the first ordering column."""
    from pyspark.sql import functions as F

    files_json, files_parquet = input_files(inputs)
    df = spark.read.parquet(*files_parquet) if files_parquet else spark.read.json(files_json)
    fmt = "parquet" if files_parquet else "json"
    return df.withColumn("_zh_file", F.input_file_name()), fmt


def write(df, out: str, fmt: str) -> None:
    w = df.write.mode("errorifexists")
    (w.parquet(out) if fmt == "parquet" else w.json(out))


def run_spark_dedup(args, cfg, settings) -> int:
    from . import dedup

    if not args.output:
        raise ConfigError("dedup needs -o OUTDIR")
    t0 = time.perf_counter()
    spark = session(args.master)
    df, fmt = read(spark, args.inputs)
    if cfg.text_key not in df.columns:
        raise ConfigError(f'no "{cfg.text_key}" field in the input; pass --text-key')
    out = dedup(df, cfg.text_key, order_cols=["_zh_file"], settings=settings, removed_col="_zh_removed")
    out = out.persist()
    removed = out.agg({"_zh_removed": "sum"}).first()[0] or 0
    write(out.drop("_zh_file", "_zh_removed"), args.output, fmt)
    if not args.quiet:
        print(f"spark dedup: {removed} {settings.level}(s) dropped; wrote {args.output} ({fmt}) "
              f"in {time.perf_counter() - t0:.1f} s", file=sys.stderr)
    return 0


def run_spark_clean(args, cfg) -> int:
    from . import clean

    if not args.output:
        raise ConfigError("clean --engine spark needs -o OUTDIR")
    spark = session(args.master)
    df, fmt = read(spark, args.inputs)
    if cfg.text_key not in df.columns:
        raise ConfigError(f'no "{cfg.text_key}" field in the input; pass --text-key')
    opts = dict(cfg.options)
    opts["steps"] = cfg.step_list()
    out = clean(df, cfg.text_key, allow_empty=cfg.allow_empty, kept_whole_col="_zh_kept_whole", protect=True,
                **opts).persist()
    write(out.drop("_zh_file", "_zh_kept_whole"), args.output, fmt)
    kept = out.filter("_zh_kept_whole").count()  # from the persisted rows: the pipeline is not run again
    out.unpersist()
    if kept:
        # as the local engine does: such rows are written back whole, and the run exits 1
        print(f"spark clean: {kept} record(s) would lose all their text; written back as they were "
              "(pass --allow-empty to empty them)", file=sys.stderr)
        return 1
    return 0
