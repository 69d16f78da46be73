package dev.milvusbeam.pipelines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.milvusbeam.io.ConformanceChecker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code convert} as a pipeline: other runners, where failures come from, usage errors. */
class ConvertPipelineTest {
  @TempDir Path dir;

  @Test
  void flinkRunnerWithParallelismTwoPassesTheChecker() throws Exception {
    Path fx = Conformance.fixture("all-types");
    ConformanceChecker.Result r = Conformance.cli("convert", "--schema=" + fx.resolve("schema.json"),
        "--input=" + fx.resolve("rows.jsonl"), "--output=" + dir, "--fileType=parquet",
        "--segmentSize=64KB", "--runner=FlinkRunner", "--flinkMaster=[local]", "--parallelism=2");
    JsonNode s = InputFormatsTest.summaryOf(r);
    long rejects = Conformance.rejectedLines("all-types").size();
    assertEquals(Conformance.inputLines("all-types") - rejects, s.get("rows").asLong(), r.toString());
    assertEquals(rejects, s.get("failed").asLong(), r.toString());
    assertTrue(s.get("batchFiles").size() > 1, s.toString());
    ConformanceChecker.Result check = Conformance.check("all-types", s.get("dataPath").asText(),
        "parquet");
    assertEquals(0, check.exit, check.toString());
    assertTrue(check.lastLine().endsWith("problems=0"), check.toString());
    assertTrue(r.err.contains("rows written"), "a final progress line: " + r.err);
  }

  /** The names of the pipeline's steps, as {@code convert} builds it for these flags. */
  private static List<String> steps(String... flags) {
    ConvertSettings s = (ConvertSettings) CommandSettingsTest.settings("convert",
        List.of(RunnerDefaults.forConvert(flags, null, () -> "CONF")));
    org.apache.beam.sdk.Pipeline p = org.apache.beam.sdk.Pipeline.create(s.pipelineOptions());
    Convert.build(p, s);
    List<String> names = new java.util.ArrayList<>();
    p.traverseTopologically(new org.apache.beam.sdk.Pipeline.PipelineVisitor.Defaults() {
      @Override
      public CompositeBehavior enterCompositeTransform(
          org.apache.beam.sdk.runners.TransformHierarchy.Node node) {
        names.add(node.getFullName());
        return CompositeBehavior.ENTER_TRANSFORM;
      }

      @Override
      public void visitPrimitiveTransform(
          org.apache.beam.sdk.runners.TransformHierarchy.Node node) {
        names.add(node.getFullName());
      }
    });
    return names;
  }

  @Test
  void onTheDirectRunnerTheChunksAreDealtIntoOneGroupPerThreadElsewhereSpread() {
    List<String> direct = steps(CommandSettingsTest.CONVERT);
    assertTrue(direct.contains("GroupChunks") && !direct.contains("SpreadChunks"), direct::toString);
    assertEquals(List.of(3), dealtGroups(CommandSettingsTest.CONVERT, "--targetParallelism=3"));
    List<String> flink = steps(CommandSettingsTest.join(CommandSettingsTest.CONVERT,
        "--runner=FlinkRunner", "--flinkMaster=[local]"));
    assertTrue(flink.contains("SpreadChunks") && !flink.contains("GroupChunks"), flink::toString);
  }

  private static List<Integer> dealtGroups(String[] flags, String... more) {
    ConvertSettings s = (ConvertSettings) CommandSettingsTest.settings("convert",
        List.of(RunnerDefaults.forConvert(CommandSettingsTest.join(flags, more), null, null)));
    return List.of(s.chunkGroups());
  }

  /** The default runner, many small chunks in few groups: every row once, each rejected once. */
  @Test
  void theDefaultRunnerReadsManyChunksInItsGroupsEachRowOnce() throws Exception {
    Path fx = Conformance.fixture("all-types");
    ConformanceChecker.Result r = Conformance.cli("convert", "--schema=" + fx.resolve("schema.json"),
        "--input=" + fx.resolve("rows.jsonl"), "--output=" + dir, "--fileType=json",
        "--segmentSize=16KB", "--inputChunkSize=1KB", "--targetParallelism=3");
    JsonNode s = InputFormatsTest.summaryOf(r);
    long rejects = Conformance.rejectedLines("all-types").size();
    assertEquals(Conformance.inputLines("all-types") - rejects, s.get("rows").asLong(), r.toString());
    assertEquals(rejects, s.get("failed").asLong(), r.toString());
    ConformanceChecker.Result check = Conformance.check("all-types", s.get("dataPath").asText(),
        "json");
    assertEquals(0, check.exit, check.toString());
  }

  /** Rejected rows name their input file and 1-based line, across several files and formats. */
  @Test
  void failuresCarryFileAndLine() throws Exception {
    Path schema = dir.resolve("schema.json");
    Files.writeString(schema, "{\"enableDynamicField\":true,\"fields\":["
        + "{\"fieldName\":\"id\",\"dataType\":\"Int64\",\"isPrimary\":true},"
        + "{\"fieldName\":\"v\",\"dataType\":\"FloatVector\",\"elementTypeParams\":{\"dim\":2}},"
        + "{\"fieldName\":\"s\",\"dataType\":\"VarChar\",\"elementTypeParams\":{\"max_length\":64},"
        + "\"nullable\":true}]}");
    Path in = Files.createDirectories(dir.resolve("in"));
    Files.writeString(in.resolve("a.jsonl"), "{\"id\":1,\"v\":[1,2]}\n\n"
        + "{\"id\":2,\"v\":[1]}\n{\"id\":3,\"v\":[1,2],\"s\":\"x\"}\n");
    Files.writeString(in.resolve("b.jsonl"), "{\"id\":4,\"v\":[1,2]}\n{\"id\":\"five\",\"v\":[1,2]}\n");
    JsonNode s = InputFormatsTest.summaryOf(Conformance.cli("convert", "--schema=" + schema,
        "--input=" + in.resolve("*.jsonl"), "--output=" + dir.resolve("out1"), "--fileType=jsonl",
        "--inputChunkSize=20"));
    assertEquals(3, s.get("rows").asLong(), s.toString());
    assertEquals(Map.of(in.resolve("a.jsonl") + ":3", "vector-dim",
        in.resolve("b.jsonl") + ":2", "wrong-type"), failures(s));

    // CSV: the line a record starts on (a quoted cell may span lines); typed cells; null key
    Path csv = in.resolve("rows.csv");
    Files.writeString(csv, "id,v,s,extra\n"
        + "1,\"[1,2]\",\"two\nlines\",e1\n"          // lines 2-3
        + "2,\"[1,2,3]\",,\n"                          // line 4: wrong dim
        + "3,\"[1,2]\",,e3\n"                          // line 5: s is null
        + "x4,\"[1,2]\",a,\n"                          // line 6: id not an integer
        + "5,\"[1,2]\"\n"                              // line 7: too few cells
        + "6,\"[0.5,-1e3]\",\"q\"\"uote\",\n");        // line 8
    s = InputFormatsTest.summaryOf(Conformance.cli("convert", "--schema=" + schema,
        "--input=" + csv, "--output=" + dir.resolve("out2"), "--fileType=jsonl",
        "--inputChunkSize=10")); // a chunk per record or two: lines stay right
    assertEquals(3, s.get("rows").asLong(), s.toString());
    assertEquals(Map.of(csv + ":4", "vector-dim", csv + ":6", "wrong-type",
        csv + ":7", "input-conversion"), failures(s));
    List<String> rows = new java.util.ArrayList<>();
    for (JsonNode group : s.get("batchFiles")) {
      rows.addAll(Files.readAllLines(Path.of(group.get(0).asText())));
    }
    String all = String.join("\n", rows);
    assertTrue(all.contains("\"two\\nlines\""), all);
    assertTrue(all.contains("\"extra\":\"e1\""), "unknown column as a dynamic string: " + all);
    assertTrue(all.contains("\"q\\\"uote\""), all);
    assertTrue(all.contains("\"id\":3,\"v\":[1.0,2.0],\"s\":null"), all);
  }

  /** file:line → the first violation's rule, for every line of the failures file. */
  /**
   * Lines of every length (the planner looks at eight bytes at a time, so a line end falls at
   * every place in a word) and chunks of a few lines: the bad rows keep their lines.
   */
  @Test
  void linesStayRightAcrossManySmallChunksOfLinesOfEveryLength() throws Exception {
    Path schema = dir.resolve("schema.json");
    Files.writeString(schema, "{\"fields\":["
        + "{\"fieldName\":\"id\",\"dataType\":\"Int64\",\"isPrimary\":true},"
        + "{\"fieldName\":\"v\",\"dataType\":\"FloatVector\",\"elementTypeParams\":{\"dim\":2}},"
        + "{\"fieldName\":\"s\",\"dataType\":\"VarChar\",\"elementTypeParams\":{\"max_length\":64}}]}");
    StringBuilder text = new StringBuilder();
    Map<String, String> expected = new HashMap<>();
    Path in = dir.resolve("lengths.jsonl");
    for (int line = 1; line <= 300; line++) {
      String pad = "x".repeat(line % 37);
      boolean bad = line % 41 == 0;
      text.append("{\"id\":").append(line).append(",\"v\":[").append(bad ? "1" : "1,2")
          .append("],\"s\":\"").append(pad).append("\"}\n");
      if (bad) {
        expected.put(in + ":" + line, "vector-dim");
      }
      if (line % 50 == 0) {
        text.append('\n'); // a blank line counts as a line
        line++;
      }
    }
    Files.writeString(in, text);
    JsonNode s = InputFormatsTest.summaryOf(Conformance.cli("convert", "--schema=" + schema,
        "--input=" + in, "--output=" + dir.resolve("out"), "--fileType=parquet",
        "--inputChunkSize=300"));
    assertEquals(expected, failures(s));
  }

  private static Map<String, String> failures(JsonNode summary) throws Exception {
    Path path = Path.of(summary.get("failuresPath").asText());
    assertFalse(path.startsWith(Path.of(summary.get("dataPath").asText())));
    Map<String, String> out = new HashMap<>();
    for (String line : Files.readAllLines(path)) {
      JsonNode f = Conformance.JSON.readTree(line);
      out.put(f.get("input").asText() + ":" + f.get("line").asLong(),
          f.get("violations").get(0).get("rule").asText());
      assertTrue(f.has("row"), line);
    }
    assertEquals(summary.get("failed").asLong(), out.size(), out.toString());
    return out;
  }

  @Test
  void inputFormatProblemsAreUsageErrors() throws Exception {
    Path fx = Conformance.fixture("seed");
    Path txt = Files.copy(fx.resolve("rows.jsonl"), dir.resolve("rows.txt"));
    ConformanceChecker.Result unknown = Conformance.cli("convert",
        "--schema=" + fx.resolve("schema.json"), "--input=" + txt, "--output=" + dir.resolve("o"));
    assertEquals(2, unknown.exit, unknown.toString());
    assertTrue(unknown.err.contains("--inputFormat"), unknown.err);

    ConformanceChecker.Result bad = Conformance.cli("convert", "--schema=" + fx.resolve("schema.json"),
        "--input=" + txt, "--output=" + dir.resolve("o"), "--inputFormat=xml");
    assertEquals(2, bad.exit, bad.toString());
    assertTrue(bad.err.contains("xml"), bad.err);

    ConformanceChecker.Result sep = Conformance.cli("convert", "--schema=" + fx.resolve("schema.json"),
        "--input=" + txt, "--output=" + dir.resolve("o"), "--inputFormat=csv", "--inputSep=;;");
    assertEquals(2, sep.exit, sep.toString());
    assertFalse(Files.exists(dir.resolve("o")));

    ConformanceChecker.Result ok = Conformance.cli("convert", "--schema=" + fx.resolve("schema.json"),
        "--input=" + txt, "--output=" + dir.resolve("o"), "--inputFormat=jsonl", "--fileType=json");
    assertEquals(0, ok.exit, ok.toString());
  }
}
