package dev.milvusbeam.pipelines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.milvusbeam.io.ConformanceChecker;
import dev.milvusbeam.io.ManifestAssert;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code convert --runner=SparkRunner} in local mode (Spark in this JVM, two workers), judged by
 * the independent checker. Runs in the {@code spark-local} test execution (pipelines/pom.xml): its
 * classpath has Spark's Kryo 4 instead of Flink's Kryo 2.24, which share package names.
 */
@Tag("spark")
class SparkConvertTest {
  @TempDir Path out;

  @ParameterizedTest(name = "{0} as {1}")
  @CsvSource({"all-types, parquet", "numpy-types, numpy"})
  void convertOnSparkPassesTheChecker(String fixture, String fileType) throws Exception {
    Path fx = Conformance.fixture(fixture);
    ConformanceChecker.Result run = Conformance.cli("convert",
        "--schema=" + fx.resolve("schema.json"), "--input=" + fx.resolve("rows.jsonl"),
        "--output=" + out, "--fileType=" + fileType, "--segmentSize=64KB",
        "--runner=SparkRunner", "--sparkMaster=local[2]");
    if (Runtime.version().feature() >= 23) { // Spark 3.5 cannot run here: refused, saying why
      assertEquals(2, run.exit, run.toString());
      assertTrue(run.err.contains("--runner=SparkRunner needs Java 17"), run.err);
      return;
    }
    assertEquals(0, run.exit, run.toString());
    JsonNode summary = Conformance.JSON.readTree(run.lastLine());
    long rejects = Conformance.rejectedLines(fixture).size();
    long rows = Conformance.inputLines(fixture) - rejects;
    assertEquals(rows, summary.get("rows").asLong(), run.toString());
    assertEquals(rejects, summary.get("failed").asLong(), run.toString());

    String dataPath = summary.get("dataPath").asText();
    ConformanceChecker.Result check = Conformance.check(fixture, dataPath, fileType);
    assertEquals(0, check.exit, check.toString());
    assertTrue(check.lastLine().endsWith("problems=0"), check.toString());
    assertTrue(check.lastLine().contains("rows=" + rows), check.toString());
    ManifestAssert.check(dataPath, rows, rejects);
    assertTrue(run.err.contains("rows written"), "a final progress line: " + run.err);
  }
}
