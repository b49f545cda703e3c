#!/usr/bin/env python3
"""PolicyLang on Apache Spark: judges chat events with `policyc eval`, one shop partition at a time.

    python3 Examples/spark/policy_eval.py --program P.plp --as-of T --events PATH... --out DIR

Rates and escalation are counted per shop and a conversation belongs to one shop, so a partition
that holds whole shops gets from policyc exactly the verdicts one `policyc eval` over all the events
writes. Verdicts go to DIR/verdicts/, error lines (`FILE:LINE: error: WHY`) to DIR/errors/. A bad
line never fails the job; a failing policyc does. README.md explains each step.
"""

import argparse
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile
from os.path import abspath, basename, relpath
from urllib.parse import unquote, urlparse

from pyspark import SparkFiles
from pyspark.sql import SparkSession
from pyspark.sql import functions as F

# A verdict's fields (io.md), for Parquet: one schema whatever a day's verdicts hold. Times stay
# RFC 3339 text, exact and in the policy's offset; value and threshold stay exact decimals.
VERDICT = (
    "conversation STRING, shop STRING, agent STRING, policy STRING, rule STRING, clause STRING,"
    " severity STRING, at STRING, event BIGINT, event_id STRING, evidence ARRAY<STRUCT<kind: STRING,"
    " list: STRING, term: STRING, attachment: BIGINT, start: BIGINT, `end`: BIGINT, match: STRING>>,"
    " opened_at STRING, deadline STRING, answered_at STRING, period STRUCT<start: STRING, `end`: STRING>,"
    " value DECIMAL(12, 4), threshold DECIMAL(12, 6), count BIGINT, total BIGINT, status STRING,"
    " escalated_to STRING, escalation STRING"
)


def arguments():
    p = argparse.ArgumentParser(description="Judge chat events with policyc on Spark.")
    p.add_argument("--program", required=True, action="append", help="a program saved by `policyc build`")
    p.add_argument("--as-of", required=True, help="the moment of evaluation (RFC 3339), one for all")
    p.add_argument("--events", required=True, nargs="+", help="event files or folders")
    p.add_argument("--out", required=True, help="the folder for verdicts/ and errors/ (replaced)")
    p.add_argument("--events-format", choices=["jsonl", "parquet"], default="jsonl")
    p.add_argument("--verdicts-format", choices=["jsonl", "parquet"], default="jsonl")
    p.add_argument("--partitions", type=int, help="shop partitions (default: 4 per core)")
    p.add_argument("--policyc", default=shutil.which("policyc") or ".build/release/policyc")
    return p.parse_args()


def display_name(uri):
    """A file as `policyc eval` names it when given its path from this directory."""
    if not uri.startswith("file:"):
        return uri
    path = unquote(urlparse(uri).path)
    relative = relpath(path)
    return path if relative.startswith("..") else relative


def read_jsonl(spark, paths):
    """Every line as raw bytes (bad ones too), with its file, line number and conversation and shop."""
    # Fixed splits, so the two passes below cut the files into the same blocks.
    spark.conf.set("spark.sql.files.minPartitionNum", 1)
    raw = spark.read.option("lineSep", "\n").text(paths).select(
        F.col("_metadata.file_path").alias("uri"),
        F.col("_metadata.file_block_start").alias("block"),
        F.monotonically_increasing_id().alias("row"),
        "value",
    )
    # A block's lines are read in order with consecutive row ids, the same in every pass over
    # `raw` (as RDD.zipWithIndex counts on): a line's number is its row's place in its block plus
    # the lines of the file's earlier blocks.
    blocks = raw.groupBy("uri", "block").agg(F.min("row").alias("first_row"), F.count("*").alias("n"))
    starts, counted = [], {}
    for b in sorted(blocks.collect(), key=lambda b: (b.uri, b.block)):
        starts.append((b.uri, b.block, b.first_row, counted.get(b.uri, 0) + 1))
        counted[b.uri] = counted.get(b.uri, 0) + b.n
    starts = spark.createDataFrame(starts, "uri string, block long, first_row long, first_line long")
    lines = raw.join(F.broadcast(starts), ["uri", "block"], "left").select(
        "uri",
        (F.col("first_line") + F.col("row") - F.col("first_row")).alias("line"),
        F.col("value").cast("binary").alias("event"),
        F.json_tuple("value", "conversation", "shop").alias("conversation", "shop"),
    )
    return with_file_order(spark, lines, list(counted))


def read_parquet(spark, paths):
    """Every row as an event line; a row's place is its file and row number (from 1), not a line."""
    rows = spark.read.parquet(*paths)
    field = lambda name: F.col(name).cast("string") if name in rows.columns else F.lit(None).cast("string")
    lines = rows.select(
        F.col("_metadata.file_path").alias("uri"),
        (F.col("_metadata.row_index") + 1).alias("line"),
        F.to_json(F.struct(*rows.columns), {"timestampFormat": "yyyy-MM-dd'T'HH:mm:ss.SSSSSSXXX"})
        .cast("binary")
        .alias("event"),
        field("conversation").alias("conversation"),
        field("shop").alias("shop"),
    )
    files = [row.uri for row in lines.select("uri").distinct().collect()]
    return with_file_order(spark, lines, files)


def with_file_order(spark, lines, uris):
    """Replaces each line's file by its place in input order, the byte order of the files' names as
    policyc names them; returns the lines and those names."""
    names = sorted((display_name(uri).encode(), uri) for uri in set(uris))
    files = spark.createDataFrame([(uri, order) for order, (_, uri) in enumerate(names)], "uri string, file int")
    return lines.join(F.broadcast(files), "uri").drop("uri"), [name.decode() for name, _ in names]


def shop_keys(spark, lines):
    """Conversation -> partition key: its shop, or "" when none of its lines names one. Shops named
    by lines of one conversation share a key, so the conversation lands with its shop whichever line
    policyc takes the shop from (it reports the others as conflicting)."""
    conversations = (
        lines.where(F.col("conversation").isNotNull())
        .groupBy("conversation")
        .agg(F.collect_set("shop").alias("shops"))
        .cache()
    )
    parent = {}  # union-find over the shops of the (few) conversations that name several

    def root(shop):
        while parent.setdefault(shop, shop) != shop:
            shop = parent[shop]
        return shop

    for row in conversations.where(F.size("shops") > 1).select("shops").collect():
        for shop in row.shops[1:]:
            parent[root(shop)] = root(row.shops[0])
    groups = spark.createDataFrame([(shop, root(shop)) for shop in parent], "shop string, root string")
    return (
        conversations.withColumn("shop", F.array_min("shops"))
        .join(F.broadcast(groups), "shop", "left")
        .select("conversation", F.coalesce("root", "shop", F.lit("")).alias("key"))
    )


def scratch():
    """A temporary file on the executor's scratch disks (spark.local.dir), where shuffles spill."""
    return tempfile.TemporaryFile(dir=os.environ.get("SPARK_LOCAL_DIRS", "").split(",")[0] or None)


def judge_partitions(policyc, programs, as_of, jobs, names):
    """The function that pipes one partition, sorted, through `policyc eval --grouped`."""

    def judge(rows):
        place = struct.Struct("<qq")  # stdin line n is record n-1: (file, line), on disk
        unread = set()
        with scratch() as events, scratch() as places, scratch() as out, scratch() as err:
            for n, (file, line, readable, event) in enumerate(rows, 1):
                if line is None:
                    raise RuntimeError(f"{names[file]}: changed while the job read it")
                events.write(bytes(event) + b"\n")
                places.write(place.pack(file, line))
                if not readable and event.strip(b" \t\r"):
                    unread.add(n)
            if not places.tell():
                return
            events.seek(0)
            command = [SparkFiles.get(policyc), "eval", "--grouped", "--jobs", str(jobs)]
            command += [a for p in programs for a in ("--program", SparkFiles.get(p))] + ["--as-of", as_of, "-"]
            status = subprocess.run(command, stdin=events, stdout=out, stderr=err).returncode
            err.seek(0)
            if status not in (0, 1, 2):  # 64 usage, 65 program, 66 input, 70 internal: fail the job
                raise RuntimeError(f"policyc eval exited {status}: {err.read()[-4000:].decode(errors='replace')}")
            out.seek(0)
            for verdict in out:
                yield "verdict", verdict.rstrip(b"\n").decode()

            def where(n):
                places.seek((n - 1) * place.size)
                file, line = place.unpack(places.read(place.size))
                return f"{names[file]}:{line}"

            for text in err:
                found = re.fullmatch(rb"<stdin>:(\d+): (.*)\n?", text)
                if not found:
                    raise RuntimeError(f"policyc eval wrote an unexpected line: {text!r}")
                unread.discard(int(found[1]))
                yield "error", f"{where(int(found[1]))}: {found[2].decode()}"
            if unread:  # judged apart from its conversation, so its verdicts could be wrong
                raise RuntimeError(f"{where(min(unread))}: policyc accepted a line whose conversation Spark's"
                                   " JSON reader did not find (nested deeper than it reads?)")

    return judge


def main():
    args = arguments()
    # Fail before reading anything when the program, --as-of or policyc cannot be used.
    args.policyc = shutil.which(args.policyc) or abspath(args.policyc)
    programs = [a for p in args.program for a in ("--program", p)]
    check = subprocess.run([args.policyc, "eval", *programs, "--as-of", args.as_of], stdin=subprocess.DEVNULL,
                           capture_output=True)
    if check.returncode != 0:
        sys.exit(f"policy_eval: {args.policyc} cannot judge with {args.program}:\n{check.stderr.decode()}")

    spark = SparkSession.builder.appName("policy-eval").getOrCreate()
    for path in [args.policyc, *args.program]:  # shipped to every executor
        spark.sparkContext.addFile(path)
    partitions = args.partitions or 4 * spark.sparkContext.defaultParallelism
    spark.conf.set("spark.sql.shuffle.partitions", partitions)  # the per-conversation table's too
    read = read_parquet if args.events_format == "parquet" else read_jsonl
    lines, names = read(spark, args.events)

    # Every line gets its conversation's key; lines without a conversation are there only for policyc
    # to report, so they are spread by place.
    lines = lines.join(shop_keys(spark, lines), "conversation", "left")
    lines = lines.withColumn("key", F.coalesce("key", F.format_string("%d:%d", "file", "line")))

    # Whole shops per partition; each conversation's lines contiguous and in input order (policyc
    # sorts a conversation by `at` itself, and takes its shop from the earliest line that has one).
    jobs = int(spark.conf.get("spark.task.cpus", "1"))
    judge = judge_partitions(basename(args.policyc), [basename(p) for p in args.program], args.as_of, jobs, names)
    judged = (
        lines.repartition(partitions, "key")
        .sortWithinPartitions("key", "conversation", "file", "line")
        .select("file", "line", F.col("conversation").isNotNull(), "event")
        .rdd.mapPartitions(judge)
    )
    results = spark.createDataFrame(judged, "kind string, text string").persist()

    verdicts = results.where("kind = 'verdict'").select("text")
    if args.verdicts_format == "parquet":
        verdicts = verdicts.select(F.from_json("text", VERDICT).alias("v")).select("v.*")
        verdicts.write.mode("overwrite").parquet(f"{args.out}/verdicts")
    else:
        verdicts.write.mode("overwrite").text(f"{args.out}/verdicts")
    results.where("kind = 'error'").select("text").write.mode("overwrite").text(f"{args.out}/errors")
    counts = dict(results.groupBy("kind").count().collect())
    print(f"policy_eval: {counts.get('verdict', 0)} verdicts and {counts.get('error', 0)} error lines "
          f"written under {args.out}")
    spark.stop()


if __name__ == "__main__":
    main()
