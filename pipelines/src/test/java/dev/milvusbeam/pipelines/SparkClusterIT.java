package dev.milvusbeam.pipelines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import dev.milvusbeam.io.ConformanceChecker;
import dev.milvusbeam.io.ManifestAssert;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shaded jar submitted with {@code spark-submit} to a Spark 3.5.0 standalone cluster of
 * separate JVMs (a master and two workers, one executor each; {@link SparkStandaloneCluster}):
 * the command the README gives, on Spark's own classpath (its Guava 14 and Parquet 1.13 first),
 * judged by the independent checker. One cluster for the class; run by failsafe once the jar is
 * built.
 */
class SparkClusterIT {
  /** One single-core executor on each worker. */
  private static final List<String> SPARK_ARGS = List.of(
      "--class", "dev.milvusbeam.pipelines.BulkWriterCli", "--executor-memory", "640m",
      "--executor-cores", "1", "--total-executor-cores", "2");

  private static SparkStandaloneCluster cluster;
  private static Process firstWorker;
  @TempDir Path out;

  @BeforeAll
  static void startCluster() throws Exception {
    // Spark 3.5 runs on Java 8, 11 and 17 only (SparkConvertTest checks the refusal on newer ones)
    org.junit.jupiter.api.Assumptions.assumeTrue(Runtime.version().feature() < 23,
        "Spark 3.5 does not run on Java " + Runtime.version().feature());
    cluster = SparkStandaloneCluster.startMaster();
    firstWorker = cluster.startWorker(1);
    cluster.startWorker(1);
  }

  @AfterAll
  static void stopCluster() {
    if (cluster != null) {
      cluster.close();
    }
  }

  static Path shadedJar() {
    Path jar = Path.of(System.getProperty("shadedJar", "missing: run through Maven"));
    assertTrue(Files.isRegularFile(jar), "no shaded jar at " + jar);
    return jar;
  }

  @Test
  void convertSubmittedToTheClusterPassesTheChecker() throws Exception {
    Path fx = Conformance.fixture("all-types");
    ConformanceChecker.Result run = cluster.submit(SPARK_ARGS, shadedJar(),
        List.of("convert", "--schema=" + fx.resolve("schema.json"),
            "--input=" + fx.resolve("rows.jsonl"), "--output=" + out, "--fileType=parquet",
            "--segmentSize=64KB", "--runner=SparkRunner")).await(600);
    assertEquals(0, run.exit, run.toString());
    JsonNode summary = Conformance.JSON.readTree(run.lastLine());
    long rejects = Conformance.rejectedLines("all-types").size();
    long rows = Conformance.inputLines("all-types") - rejects;
    assertEquals(rows, summary.get("rows").asLong(), run.toString());
    assertEquals(rejects, summary.get("failed").asLong(), run.toString());
    assertTrue(summary.get("batchFiles").size() > 1, "several segments: " + summary);
    // the rows were written by the cluster's executors, not in the submitting JVM
    assertTrue(cluster.executorLogs().contains("Finished task"), "no task ran on an executor");

    String dataPath = summary.get("dataPath").asText();
    ConformanceChecker.Result check = Conformance.check("all-types", dataPath, "parquet");
    assertEquals(0, check.exit, check.toString());
    assertTrue(check.lastLine().endsWith("problems=0"), check.toString());
    assertTrue(check.lastLine().contains("rows=" + rows), check.toString());
    ManifestAssert.check(dataPath, rows, rejects);
  }

  /**
   * An executor killed with SIGKILL while segments are being written (the other worker's executor
   * goes on): Spark re-runs the lost tasks, whose segments land in new attempt folders, and the
   * job still commits every row exactly once, with no stray file.
   */
  @Test
  void anExecutorKilledMidWriteLeavesEveryRowOnce() throws Exception {
    List<String> rows = new ArrayList<>();
    for (int i = 0; i < 30_000; i++) {
      StringBuilder v = new StringBuilder();
      for (int d = 0; d < 64; d++) {
        v.append(d == 0 ? "" : ",").append((i * 31 + d) % 97 / 97.0);
      }
      rows.add("{\"id\":" + i + ",\"vector\":[" + v + "],\"scalar_1\":\"s" + i
          + "\",\"scalar_2\":" + (i % 100) + "}");
    }
    Path input = Files.createDirectories(out.resolve("in")).resolve("rows.jsonl");
    Files.write(input, rows);
    Path output = out.resolve("bulk");
    SparkStandaloneCluster.Submission job = cluster.submit(SPARK_ARGS, shadedJar(),
        List.of("convert", "--schema=" + Conformance.fixture("seed").resolve("schema.json"),
            "--input=" + input, "--output=" + output, "--fileType=parquet",
            "--segmentSize=256KB", "--inputChunkSize=1MB", "--runner=SparkRunner"));

    // as soon as the first segment is staged (in the temp folder, not yet committed): kill -9
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
    while (!anyStagedSegment(output)) {
      if (!job.process.isAlive()) {
        fail("the job ended before a segment was staged: " + job.await(1));
      }
      if (System.nanoTime() > deadline) {
        fail("no segment staged: " + job.stderr());
      }
      Thread.sleep(50);
    }
    List<ProcessHandle> executors = cluster.executors(firstWorker);
    assertEquals(1, executors.size(), "one executor on the first worker: " + executors);
    assertTrue(executors.get(0).destroyForcibly(), "SIGKILL sent");
    assertTrue(job.process.isAlive(), "the job was still running when its executor was killed");

    ConformanceChecker.Result run = job.await(600);
    assertEquals(0, run.exit, run.toString());
    assertTrue(run.err.contains("Lost executor"), "the driver lost the executor: " + run);
    JsonNode summary = Conformance.JSON.readTree(run.lastLine());
    assertEquals(rows.size(), summary.get("rows").asLong(), run.toString());
    assertEquals(0, summary.get("failed").asLong(), run.toString());

    String dataPath = summary.get("dataPath").asText();
    ConformanceChecker.Result check = ConformanceChecker.checkRows("seed", rows, dataPath, "parquet");
    assertEquals(0, check.exit, check.toString()); // every row once, nothing else
    assertTrue(check.lastLine().endsWith("problems=0"), check.toString());
    ManifestAssert.check(dataPath, rows.size(), 0);
    String uuid = Path.of(dataPath).getFileName().toString();
    try (Stream<Path> left = Files.list(output)) {
      List<String> names = left.map(p -> p.getFileName().toString()).sorted().toList();
      assertFalse(names.isEmpty());
      assertTrue(names.stream().allMatch(n -> n.startsWith(uuid)),
          "no temp folder or stray file left: " + names);
    }
  }

  /** A segment file anywhere under the output's temp folders ({@code <output>/.temp-…}). */
  private static boolean anyStagedSegment(Path output) throws Exception {
    if (!Files.isDirectory(output)) {
      return false;
    }
    try (Stream<Path> files = Files.walk(output)) {
      return files.anyMatch(f -> f.toString().contains("/.temp-")
          && f.getFileName().toString().endsWith(".parquet"));
    } catch (java.io.UncheckedIOException e) {
      return false; // a folder moved or deleted while walking
    }
  }
}
