"""The Spark engine on local[2]: the same paragraphs and documents as the local engine."""

import json
import shutil

import pytest

from corpus_sets import planted_corpus
from zhclean.cli import main

pyspark = pytest.importorskip("pyspark", reason="pyspark is not installed (pip install 'zhclean[spark]')")
if shutil.which("java") is None:
    pytest.skip("Java is not on this machine; the Spark tests need it", allow_module_level=True)

pytestmark = [pytest.mark.spark, pytest.mark.slow]


@pytest.fixture(scope="module")
def spark():
    import os
    import sys

    from pyspark.sql import SparkSession

    # the workers must run the same Python, where zhclean is installed
    os.environ["PYSPARK_PYTHON"] = sys.executable
    os.environ["PYSPARK_DRIVER_PYTHON"] = sys.executable
    s = (SparkSession.builder.master("local[2]").appName("zhclean-tests")
         .config("spark.sql.shuffle.partitions", "4").config("spark.ui.enabled", "false")
         .config("spark.driver.memory", "2g").getOrCreate())
    s.sparkContext.setLogLevel("ERROR")
    yield s
    s.stop()


def _corpus(n_docs=2500, per_doc=4):
    units = planted_corpus(n_docs * per_doc, seed=12)
    return [{"id": i, "text": "\n".join(units[i * per_doc:(i + 1) * per_doc])} for i in range(n_docs)]


def _local(tmp_path, docs, level):
    (tmp_path / "in").mkdir(exist_ok=True)
    path = tmp_path / "in" / "docs.jsonl"
    path.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in docs), encoding="utf-8")
    assert main(["dedup", str(path), "-o", str(tmp_path / f"local-{level}"), "--level", level, "-q"]) == 0
    out = (tmp_path / f"local-{level}" / "docs.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(x) for x in out]


@pytest.mark.parametrize("level", ["paragraph", "document"])
def test_spark_keeps_exactly_what_the_local_engine_keeps(spark, tmp_path, level):
    from zhclean.spark import dedup

    docs = _corpus() if level == "paragraph" else [{"id": i, "text": u} for i, u in enumerate(planted_corpus(10_000, seed=13))]
    assert sum(len(d["text"].split("\n")) for d in docs) >= 10_000
    local = _local(tmp_path, docs, level)
    df = spark.createDataFrame(docs, "id long, text string").repartition(3)
    got = [r.asDict() for r in dedup(df, order_cols=["id"], level=level).collect()]
    assert len(local) < len(docs) or level == "paragraph"
    assert [(r["id"], r["text"]) for r in got] == [(r["id"], r["text"]) for r in local]
    removed = sum(len(d["text"].split("\n")) for d in docs) - sum(len(r["text"].split("\n")) for r in got)
    assert removed > 100  # the planted duplicates were found


def test_spark_clean_matches_the_library(spark):
    from zhclean import clean
    from zhclean.spark import clean as spark_clean

    rows = [{"id": 1, "text": "第一段\u200b内容,写得很随意!\n责任编辑：王芳"}, {"id": 2, "text": "已经干净。"}]
    df = spark.createDataFrame(rows, "id long, text string")
    got = {r["id"]: r for r in spark_clean(df, stats_col="stats", report_col="report").collect()}
    assert got[1]["text"] == clean(rows[0]["text"]) and got[2]["text"] == "已经干净。"
    assert json.loads(got[1]["stats"])["normalize"]["docs_changed"] == 1
    assert any(c["rule"] == "news.editor" for c in json.loads(got[1]["report"]))


def test_spark_clean_never_empties_a_row(spark):
    """Nothing is lost: a row that cleaning would empty keeps its text, and says why; allow_empty lets it go."""
    from zhclean.spark import clean as spark_clean

    rows = [{"id": 1, "text": "ok"}, {"id": 2, "text": "已经干净。"}, {"id": 3, "text": None}, {"id": 4, "text": "  "}]
    df = spark.createDataFrame(rows, "id long, text string")
    got = {r["id"]: r for r in spark_clean(df, report_col="report", kept_whole_col="whole").collect()}
    assert got[1]["text"] == "ok" and got[1]["whole"] is True
    guard = [c for c in json.loads(got[1]["report"]) if c["filter"] == "guard"]
    assert guard and guard[0]["rule"] == "would_empty" and "decoration.lone_latin" in guard[0]["reason"]
    # as in the local engine's report: the row was left as it was, so no removal is reported for it
    assert [c["filter"] for c in json.loads(got[1]["report"])] == ["guard"]
    assert got[2]["text"] == "已经干净。" and got[2]["whole"] is False
    assert got[3]["text"] is None and got[4]["whole"] is False
    emptied = {r["id"]: r["text"] for r in spark_clean(df, allow_empty=True).collect()}
    assert emptied[1] == ""


def test_connected_components(spark):
    from zhclean.spark import connected_components

    edges = spark.createDataFrame([(5, 3), (3, 9), (1, 2), (7, 7), (10, 11), (11, 12), (12, 10)], "a long, b long")
    labels = {r["node"]: r["label"] for r in connected_components(edges).collect()}
    assert labels == {3: 3, 5: 3, 9: 3, 1: 1, 2: 1, 10: 10, 11: 10, 12: 10}


def test_cli_engine_spark(tmp_path):
    docs = _corpus(300)
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.jsonl").write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in docs),
                                           encoding="utf-8")
    assert main(["dedup", str(tmp_path / "in"), "-o", str(tmp_path / "out"), "--engine", "spark",
                 "--master", "local[2]", "-q"]) == 0
    got = []
    for part in sorted((tmp_path / "out").glob("part-*.json")):
        got += [json.loads(x) for x in part.read_text(encoding="utf-8").splitlines()]
    local = _local(tmp_path, docs, "paragraph")
    assert sorted((r["id"], r["text"]) for r in got) == sorted((r["id"], r["text"]) for r in local)
    assert main(["clean", str(tmp_path / "in"), "-o", str(tmp_path / "cleaned"), "--engine", "spark",
                 "--master", "local[2]", "--steps", "normalize", "-q"]) == 0
    assert list((tmp_path / "cleaned").glob("part-*.json"))
    # a record that cleaning would empty is written back whole and the run exits 1, as with the local engine
    (tmp_path / "in2").mkdir()
    (tmp_path / "in2" / "a.jsonl").write_text('{"id": 1, "text": "ok"}\n{"id": 2, "text": "已经干净。"}\n',
                                            encoding="utf-8")
    assert main(["clean", str(tmp_path / "in2"), "-o", str(tmp_path / "c2"), "--engine", "spark",
                 "--master", "local[2]", "-q"]) == 1
    back = [json.loads(x) for p in sorted((tmp_path / "c2").glob("part-*.json"))
            for x in p.read_text(encoding="utf-8").splitlines()]
    assert sorted((r["id"], r["text"]) for r in back) == [(1, "ok"), (2, "已经干净。")]
    assert main(["clean", str(tmp_path / "in2"), "-o", str(tmp_path / "c3"), "--engine", "spark",
                 "--master", "local[2]", "-q", "--allow-empty"]) == 0
    # the inline markers protect lines as the local engine does: both engines give the same text
    marked = {"id": 1, "text": "第一段\u200b内容,写得很随意!  # zhclean: skip\n第二段\u200b内容,写得很随意!"}
    (tmp_path / "in3").mkdir()
    (tmp_path / "in3" / "a.jsonl").write_text(json.dumps(marked, ensure_ascii=False) + "\n", encoding="utf-8")
    assert main(["clean", str(tmp_path / "in3"), "-o", str(tmp_path / "c4"), "--engine", "spark",
                 "--master", "local[2]", "-q"]) == 0
    assert main(["clean", str(tmp_path / "in3"), "-o", str(tmp_path / "c5"), "-q"]) == 0
    spark_text = [json.loads(x)["text"] for p in sorted((tmp_path / "c4").glob("part-*.json"))
                  for x in p.read_text(encoding="utf-8").splitlines()]
    local_text = json.loads((tmp_path / "c5" / "a.jsonl").read_text(encoding="utf-8"))["text"]
    assert spark_text == [local_text] and local_text.startswith(marked["text"].split("\n")[0])
    # Parquet in, Parquet out
    from pyspark.sql import SparkSession

    spark = SparkSession.builder.getOrCreate()
    spark.createDataFrame(docs, "id long, text string").write.parquet(str(tmp_path / "pq"))
    assert main(["dedup", str(tmp_path / "pq"), "-o", str(tmp_path / "pq-out"), "--engine", "spark", "-q"]) == 0
    back = spark.read.parquet(str(tmp_path / "pq-out")).collect()
    assert sorted((r["id"], r["text"]) for r in back) == sorted((r["id"], r["text"]) for r in local)
