package dev.milvusbeam.pipelines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.milvusbeam.io.ConformanceChecker;
import dev.milvusbeam.io.ManifestAssert;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shaded jar submitted with {@code spark-submit} to a Spark 3.5.0 standalone cluster of
 * separate JVMs (a master, a worker and its executor; {@link SparkStandaloneCluster}): the
 * command the README gives, on Spark's own classpath (its Guava 14 and Parquet 1.13 first), judged
 * by the independent checker. One cluster for the class; run by failsafe after the jar is built.
 */
class SparkClusterIT {
  private static SparkStandaloneCluster cluster;
  @TempDir Path out;

  @BeforeAll
  static void startCluster() throws Exception {
    cluster = SparkStandaloneCluster.startMaster();
    cluster.startWorker(2);
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
    ConformanceChecker.Result run = cluster.submit(
        List.of("--class", "dev.milvusbeam.pipelines.BulkWriterCli",
            "--executor-memory", "640m", "--total-executor-cores", "2"),
        shadedJar(),
        List.of("convert", "--schema=" + fx.resolve("schema.json"),
            "--input=" + fx.resolve("rows.jsonl"), "--output=" + out, "--fileType=parquet",
            "--segmentSize=64KB", "--runner=SparkRunner"),
        600);
    assertEquals(0, run.exit, run.toString());
    JsonNode summary = Conformance.JSON.readTree(run.lastLine());
    long rejects = Conformance.rejectedLines("all-types").size();
    long rows = Conformance.inputLines("all-types") - rejects;
    assertEquals(rows, summary.get("rows").asLong(), run.toString());
    assertEquals(rejects, summary.get("failed").asLong(), run.toString());
    assertTrue(summary.get("batchFiles").size() > 1, "several segments: " + summary);
    // the rows were written by the cluster's executor, not in the submitting JVM
    assertTrue(cluster.executorLogs().contains("Finished task"), "no task ran on an executor");

    String dataPath = summary.get("dataPath").asText();
    ConformanceChecker.Result check = Conformance.check("all-types", dataPath, "parquet");
    assertEquals(0, check.exit, check.toString());
    assertTrue(check.lastLine().endsWith("problems=0"), check.toString());
    assertTrue(check.lastLine().contains("rows=" + rows), check.toString());
    ManifestAssert.check(dataPath, rows, rejects);
  }
}
