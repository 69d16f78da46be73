package dev.milvusbeam.pipelines;

import dev.milvusbeam.io.ConformanceChecker;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command-line contract: exit codes, one-line reasons, the summary as the last stdout line. */
class CommandLineTest {
  @TempDir Path dir;

  @Test
  void demoWritesTheSeedExampleAndPrintsTheSummaryLast() throws Exception {
    ConformanceChecker.Result r = Conformance.cli("demo", "--output=" + dir, "--rows=500", "--dim=32",
        "--fileType=numpy");
    assertEquals(0, r.exit, r.toString());
    JsonNode s = Conformance.JSON.readTree(r.lastLine());
    assertEquals(500, s.get("rows").asLong());
    assertEquals(0, s.get("failed").asLong());
    Path data = Path.of(s.get("dataPath").asText());
    assertEquals(dir, data.getParent());
    for (String col : new String[] {"id", "vector", "scalar_1", "scalar_2", "$meta"}) {
      assertTrue(Files.exists(data.resolve("1").resolve(col + ".npy")), col);
    }
    assertEquals(5, s.get("batchFiles").get(0).size());
  }

  @Test
  void badSchemaIsOneLineAndExitTwo() throws Exception {
    Path schema = dir.resolve("schema.json");
    Files.writeString(schema, "{\"fields\":[{\"fieldName\":\"id\",\"dataType\":\"Int64\"},"
        + "{\"fieldName\":\"v\",\"dataType\":\"FloatVector\",\"elementTypeParams\":{\"dim\":\"4\"}}]}");
    Path input = dir.resolve("rows.jsonl");
    Files.writeString(input, "{}\n");
    ConformanceChecker.Result r = Conformance.cli("convert", "--schema=" + schema, "--input=" + input,
        "--output=" + dir.resolve("out"));
    assertEquals(2, r.exit, r.toString());
    assertTrue(r.err.contains("primary key"), r.err);
    assertFalse(r.err.strip().contains("\n"), r.err);
    assertFalse(Files.exists(dir.resolve("out")));
  }

  @Test
  void unreadableInputAndUnknownFileTypeAreUsageErrors() throws Exception {
    Path schema = Conformance.fixture("seed").resolve("schema.json");
    ConformanceChecker.Result missing = Conformance.cli("convert", "--schema=" + schema,
        "--input=" + dir.resolve("nope-*.jsonl"), "--output=" + dir);
    assertEquals(2, missing.exit, missing.toString());
    assertTrue(missing.err.contains("matches no file"), missing.err);

    ConformanceChecker.Result badType = Conformance.cli("convert", "--schema=" + schema,
        "--input=" + Conformance.fixture("seed").resolve("rows.jsonl"), "--output=" + dir,
        "--fileType=xml");
    assertEquals(2, badType.exit, badType.toString());
    assertTrue(badType.err.contains("xml"), badType.err);

    ConformanceChecker.Result noFlags = Conformance.cli("convert");
    assertEquals(2, noFlags.exit, noFlags.toString());
  }

  @Test
  void globInputAndSmallSegmentsGiveContiguousSegments() throws Exception {
    Path fx = Conformance.fixture("seed");
    Files.copy(fx.resolve("rows.jsonl"), dir.resolve("part-1.jsonl"));
    Files.copy(fx.resolve("rows.jsonl"), dir.resolve("part-2.jsonl"));
    ConformanceChecker.Result r = Conformance.cli("convert", "--schema=" + fx.resolve("schema.json"),
        "--input=" + dir.resolve("part-*.jsonl"), "--output=" + dir.resolve("out"),
        "--fileType=jsonl", "--segmentSize=16KB");
    assertEquals(0, r.exit, r.toString());
    JsonNode s = Conformance.JSON.readTree(r.lastLine());
    assertEquals(380, s.get("rows").asLong());
    assertEquals(20, s.get("failed").asLong());
    int k = s.get("batchFiles").size();
    assertTrue(k > 3, "several segments: " + k);
    for (int i = 0; i < k; i++) {
      String f = s.get("batchFiles").get(i).get(0).asText();
      assertTrue(f.endsWith("/" + (i + 1) + ".jsonl"), f);
      assertTrue(Files.size(Path.of(f)) <= 16 * 1024 * 1.1 + 2048, f + " within the segment size");
    }
  }
}
