"""zhclean on Apache Spark: the same pipeline and the same corpus dedup, on DataFrames.

- :func:`clean` runs a pipeline over a text column through Arrow-based ``mapInPandas``, one
  pipeline per task, and returns the same columns (plus optional stats and report columns).
- :func:`dedup` is corpus near-dedup at paragraph or document level, as a shuffle on LSH band
  keys followed by connected components:

  1. units (paragraphs, or whole documents) get a stable ordinal from the order column
     (a distributed sort and ``zipWithIndex``: no collect to the driver);
  2. signatures and band keys are computed in ``mapInPandas`` with zhclean's vectorised signer
     (datasketch's permutations), and the band keys are exploded;
  3. a shuffle groups each band key's members; candidate pairs are made exactly as the local
     engine makes them (bucket head and neighbours up to eight apart), screened by signature
     Jaccard and verified by exact shingle Jaccard;
  4. connected components by the large-star / small-star algorithm (Kiveris et al. 2014) over
     the verified edges, each node labelled with the smallest ordinal of its component;
  5. a unit whose label is not itself is dropped: the first seen stays, as in the local engine.

The result keeps exactly the paragraphs and documents the local engine keeps (tests/test_spark.py).
pyspark is an optional dependency: ``pip install zhclean[spark]``.
"""

from __future__ import annotations

import json

from ..dedup.corpus import CorpusSettings

__all__ = ["clean", "dedup", "connected_components"]


def _spark():
    try:
        import pyspark  # noqa: F401
        from pyspark.sql import SparkSession
    except ImportError as e:  # pragma: no cover
        raise ImportError("zhclean.spark needs pyspark: pip install 'zhclean[spark]'") from e
    return SparkSession


def clean(df, text_col: str = "text", *, stats_col: str | None = None, report_col: str | None = None,
          allow_empty: bool = False, kept_whole_col: str | None = None, protect: bool = False, **options):
    """Run the zhclean pipeline over ``df[text_col]``; options as for :func:`zhclean.clean`.

    Nothing is lost, as with the local engine: a row whose non-blank text would be cleaned away
    entirely keeps its text as it was, with a ``guard/would_empty`` row in ``report_col`` naming the
    rules that would have removed it, and ``True`` in ``kept_whole_col`` when that is asked for.
    ``allow_empty=True`` lets such rows be emptied.  With ``protect=True`` (as ``clean --engine
    spark`` runs it), lines marked ``zhclean: skip`` or between ``zhclean: off`` and ``zhclean: on``
    are left exactly as they are, as the local engine leaves them.
    """
    from pyspark.sql import types as T

    if text_col not in df.columns:
        raise ValueError(f'no column "{text_col}" in the DataFrame (columns: {", ".join(df.columns)})')
    fields = list(df.schema.fields)  # a new schema: StructType.add would change df's own
    if stats_col:
        fields.append(T.StructField(stats_col, T.StringType()))
    if report_col:
        fields.append(T.StructField(report_col, T.StringType()))
    if kept_whole_col:
        fields.append(T.StructField(kept_whole_col, T.BooleanType()))
    schema = T.StructType(fields)
    opts = dict(options)
    from .. import _pipeline_for

    _pipeline_for(dict(opts))  # fail on the driver, not in a task, if an option is wrong

    def run(batches):
        from .. import _pipeline_for as build
        from ..protect import run_masked

        pipe = build(dict(opts))
        for pdf in batches:
            out_text, stats, reports, whole = [], [], [], []
            for t in pdf[text_col]:
                if t is None:
                    out_text.append(None)
                    stats.append(None)
                    reports.append(None)
                    whole.append(False)
                    continue
                pipe.stats = type(pipe.stats)(pipe.names)
                # protect: the CLI's inline markers (zhclean: skip / off / on), as the local engine reads them
                explain = bool(report_col)
                r = run_masked(pipe, t, explain) if protect else pipe.run(t, explain=explain)
                kept = not allow_empty and not r.text.strip() and bool(t.strip())
                # (a row left as it was reports the guard alone, as the local engine does: none of the
                # removals it names was made)
                rows = [_would_empty(r)] if kept else [c.to_dict() for c in r.changes]
                out_text.append(t if kept else r.text)
                whole.append(kept)
                stats.append(json.dumps(pipe.stats.to_dict()))
                reports.append(json.dumps(rows, ensure_ascii=False))
            pdf = pdf.copy()
            pdf[text_col] = out_text
            if stats_col:
                pdf[stats_col] = stats
            if report_col:
                pdf[report_col] = reports
            if kept_whole_col:
                pdf[kept_whole_col] = whole
            yield pdf

    return df.mapInPandas(run, schema=schema)


def _would_empty(result) -> dict:
    """The report row of a row left as it was because cleaning would have emptied its text."""
    rules = result.rules()
    return {"filter": "guard", "rule": "would_empty", "before": "", "after": "", "line": None, "kind": "warning",
            "flag": True, "reason": f"all of the row's text would be removed ({rules}); the row is left as it is. "
                                    "Pass allow_empty=True (CLI: --allow-empty) to empty it"}


def connected_components(edges, max_iter: int = 50):
    """Label each node of ``edges`` (columns a, b: long) with the smallest node of its component,
    by alternating large-star and small-star steps until the edge set stops changing.
    Returns a DataFrame (node, label) for every node that has an edge."""
    from pyspark.sql import functions as F

    e = edges.select(F.least("a", "b").alias("a"), F.greatest("a", "b").alias("b")).where("a != b").distinct()
    e = e.localCheckpoint(eager=True)
    prev = None
    for _ in range(max_iter):
        # large-star: each node links its larger neighbours to the smallest of itself and its neighbours
        both = e.select(F.col("a").alias("u"), F.col("b").alias("v")).union(e.select(F.col("b").alias("u"), F.col("a").alias("v")))
        m = both.groupBy("u").agg(F.min("v").alias("m"))
        m = m.withColumn("m", F.least("u", "m"))
        large = both.join(m, "u").where("v > u").select(F.col("v").alias("a"), F.col("m").alias("b"))
        large = large.where("a != b").select(F.least("a", "b").alias("a"), F.greatest("a", "b").alias("b")).distinct()
        # small-star: each node links itself and its smaller neighbours to the smallest of them
        both = large.select(F.col("a").alias("u"), F.col("b").alias("v")).union(
            large.select(F.col("b").alias("u"), F.col("a").alias("v")))
        smaller = both.where("v <= u")
        m = smaller.groupBy("u").agg(F.min("v").alias("m"))
        small = smaller.join(m, "u").select(F.col("v").alias("a"), F.col("m").alias("b")).union(
            m.select(F.col("u").alias("a"), F.col("m").alias("b")))
        small = small.where("a != b").select(F.least("a", "b").alias("a"), F.greatest("a", "b").alias("b")).distinct()
        # cut the lineage each round, or the query plan grows with every iteration
        small = small.localCheckpoint(eager=True)
        row = small.agg(F.count("*").alias("n"), F.sum(F.col("a") * 31 + F.col("b")).alias("h")).first()
        fingerprint = (row["n"], row["h"])
        e = small
        if fingerprint == prev:
            break
        prev = fingerprint
    nodes = e.select(F.col("b").alias("node"), F.col("a").alias("label")).union(
        e.select(F.col("a").alias("node"), F.col("a").alias("label")))
    return nodes.groupBy("node").agg(F.min("label").alias("label"))


def dedup(df, text_col: str = "text", *, order_cols=None, settings: CorpusSettings | None = None,
          removed_col: str | None = None, **options):
    """Corpus near-dedup of ``df``: drop paragraphs (``level="paragraph"``, lines of ``text_col``)
    or rows (``level="document"``) that near-duplicate an earlier one.

    ``order_cols`` define "earlier" (the first item seen stays); default: the row order Spark reads.
    ``removed_col`` adds the number of paragraphs removed from each row.  Options are those of
    :class:`zhclean.dedup.corpus.CorpusSettings`.
    """
    from pyspark.sql import Window  # noqa: F401
    from pyspark.sql import functions as F
    from pyspark.sql import types as T

    s = settings or CorpusSettings(**options)
    if s.keep != "first":
        raise ValueError('the Spark engine keeps the first item of each cluster (keep="first")')
    spark = df.sparkSession
    base = df.withColumn("_zh_mono", F.monotonically_increasing_id())
    order = list(order_cols or []) + ["_zh_mono"]
    # 1. a stable ordinal per row, by a distributed sort
    ranked = base.orderBy(*order).rdd.zipWithIndex().map(lambda rx: rx[0].asDict() | {"_zh_row": rx[1]})
    rows = spark.createDataFrame(ranked, schema=T.StructType(list(base.schema.fields) + [T.StructField("_zh_row", T.LongType())]))
    rows = rows.localCheckpoint(eager=True)
    # units: (row, line) with the line's text
    if s.level == "document":
        units = rows.select("_zh_row", F.lit(0).alias("_zh_line"), F.col(text_col).alias("_zh_text")).where(
            F.length(F.regexp_replace(F.col(text_col), r"\s", "")) > 0)
    else:
        units = rows.select("_zh_row", F.posexplode(F.split(F.col(text_col), "\n", -1)).alias("_zh_line", "_zh_text"))
        units = units.where(F.length(F.regexp_replace(F.col("_zh_text"), r"\s", "")) > 0)
    # ordinal of each unit: rows are ordered, lines within a row by position
    units = units.withColumn("_zh_key", F.col("_zh_row") * F.lit(1 << 20) + F.col("_zh_line"))
    b, r = s.params
    sig_schema = T.StructType([
        T.StructField("id", T.LongType()), T.StructField("view", T.StringType()),
        T.StructField("sig", T.BinaryType()), T.StructField("keys", T.ArrayType(T.LongType()))])
    sp = s

    def sign(batches):
        import numpy as np
        import pandas as pd

        from ..dedup.corpus import _sign_job
        from ..dedup.lsh import band_keys

        for pdf in batches:
            texts = [t for t in pdf["_zh_text"]]
            sigs, blob, _ = _sign_job((texts, sp))
            views = blob.decode("utf-8", "surrogatepass").split("\u0000") if texts else []
            keys = band_keys(sigs, b, r).view(np.int64)
            yield pd.DataFrame({"id": pdf["_zh_key"].astype("int64"), "view": views,
                                "sig": [x.tobytes() for x in sigs], "keys": [list(k) for k in keys]})

    signed = units.select("_zh_key", "_zh_text").mapInPandas(sign, schema=sig_schema).localCheckpoint(eager=True)
    banded = signed.select("id", F.posexplode("keys").alias("band", "key"))
    buckets = banded.groupBy("band", "key").agg(F.sort_array(F.collect_list("id")).alias("ids")).where(F.size("ids") > 1)

    from ..dedup.lsh import FULL_BUCKET

    def pairs_of(batches):
        import pandas as pd

        for pdf in batches:
            a, c = [], []
            for ids in pdf["ids"]:
                ids = list(ids)
                for j in range(1, len(ids)):  # the bucket's head with each member
                    a.append(ids[0])
                    c.append(ids[j])
                for d in range(1, FULL_BUCKET):  # neighbours, exactly as the local engine pairs them
                    for i in range(len(ids) - d):
                        a.append(ids[i])
                        c.append(ids[i + d])
            yield pd.DataFrame({"a": pd.Series(a, dtype="int64"), "b": pd.Series(c, dtype="int64")})

    pair_schema = T.StructType([T.StructField("a", T.LongType()), T.StructField("b", T.LongType())])
    cands = buckets.select("ids").mapInPandas(pairs_of, schema=pair_schema).distinct()
    left = signed.select(F.col("id").alias("a"), F.col("view").alias("va"), F.col("sig").alias("sa"))
    right = signed.select(F.col("id").alias("b"), F.col("view").alias("vb"), F.col("sig").alias("sb"))
    joined = cands.join(left, "a").join(right, "b")
    threshold, margin, shingle_n, num_perm = s.threshold, s.screen_margin, s.shingle, s.num_perm

    def verify(batches):
        import numpy as np
        import pandas as pd

        from ..dedup.minhash import shingles

        for pdf in batches:
            keep_a, keep_b = [], []
            for a, bb, va, vb, sa, sb in zip(pdf["a"], pdf["b"], pdf["va"], pdf["vb"], pdf["sa"], pdf["sb"]):
                est = np.count_nonzero(np.frombuffer(sa, np.uint32) == np.frombuffer(sb, np.uint32)) / num_perm
                if est < threshold - margin:
                    continue
                x, y = shingles(va, shingle_n), shingles(vb, shingle_n)
                if (x or y) and len(x & y) / len(x | y) >= threshold:
                    keep_a.append(a)
                    keep_b.append(bb)
            yield pd.DataFrame({"a": pd.Series(keep_a, dtype="int64"), "b": pd.Series(keep_b, dtype="int64")})

    edges = joined.select("a", "b", "va", "vb", "sa", "sb").mapInPandas(verify, schema=pair_schema)
    labels = connected_components(edges)
    dropped = labels.where("node != label").select(F.col("node").alias("_zh_key"))
    gone = dropped.withColumn("_zh_row", F.floor(F.col("_zh_key") / F.lit(1 << 20)).cast("long")).withColumn(
        "_zh_line", (F.col("_zh_key") % F.lit(1 << 20)).cast("int"))
    per_row = gone.groupBy("_zh_row").agg(F.collect_list("_zh_line").alias("_zh_gone"))
    out = rows.join(per_row, "_zh_row", "left")
    if s.level == "document":
        out = out.where(F.col("_zh_gone").isNull())
    else:
        out = out.withColumn(text_col, F.when(F.col("_zh_gone").isNull(), F.col(text_col)).otherwise(
            F.array_join(F.filter(F.transform(F.split(F.col(text_col), "\n", -1), lambda x, i: F.struct(x.alias("t"), i.alias("i"))),
                                  lambda s_: ~F.array_contains(F.col("_zh_gone"), s_["i"])).getField("t"), "\n")))
        # a record left with no text at all goes, as in the local engine (the report has its paragraphs)
        out = out.where(F.col("_zh_gone").isNull() | (F.length(F.regexp_replace(F.col(text_col), r"\s", "")) > 0))
    if removed_col:
        out = out.withColumn(removed_col, F.when(F.col("_zh_gone").isNull(), F.lit(0)).otherwise(F.size("_zh_gone")))
    out = out.orderBy("_zh_row").drop("_zh_row", "_zh_mono", "_zh_gone")
    return out
