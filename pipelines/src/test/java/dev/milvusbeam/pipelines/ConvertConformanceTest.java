package dev.milvusbeam.pipelines;

import dev.milvusbeam.io.ConformanceChecker;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code bulkwriter convert} on the three public fixtures in every file type each allows, judged
 * by the independent checker (../shared/conformance/check.py) with the fixture's rejects.json.
 */
class ConvertConformanceTest {
  @TempDir Path out;

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of("seed", "json", ",", ""),
        Arguments.of("seed", "jsonl", ",", ""),
        Arguments.of("seed", "parquet", ",", ""),
        Arguments.of("seed", "numpy", ",", ""),
        Arguments.of("seed", "csv", ",", ""),
        Arguments.of("seed", "csv", "\t", "NULL"),
        Arguments.of("all-types", "json", ",", ""),
        Arguments.of("all-types", "jsonl", ",", ""),
        Arguments.of("all-types", "parquet", ",", ""),
        Arguments.of("all-types", "csv", ",", ""),
        Arguments.of("all-types", "csv", ";", "\\N"),
        Arguments.of("numpy-types", "numpy", ",", ""),
        Arguments.of("numpy-types", "parquet", ",", ""),
        Arguments.of("numpy-types", "json", ",", ""),
        Arguments.of("numpy-types", "csv", ",", ""),
        Arguments.of("struct-types", "json", ",", ""),
        Arguments.of("struct-types", "parquet", ",", ""),
        Arguments.of("struct-types", "jsonl", ",", ""),
        Arguments.of("struct-types", "csv", ",", ""),
        Arguments.of("struct-types", "csv", "\t", "NULL"));
  }

  @ParameterizedTest(name = "{0} as {1} (sep {2}, null key {3})")
  @MethodSource("cases")
  void convertedFilesPassTheChecker(String fixture, String fileType, String sep, String nullKey)
      throws Exception {
    Path fx = Conformance.fixture(fixture);
    ConformanceChecker.Result run = Conformance.cli("convert",
        "--schema=" + fx.resolve("schema.json"), "--input=" + fx.resolve("rows.jsonl"),
        "--output=" + out, "--fileType=" + fileType, "--sep=" + sep, "--nullKey=" + nullKey);
    assertEquals(0, run.exit, run.toString());
    JsonNode summary = Conformance.JSON.readTree(run.lastLine());

    TreeSet<Integer> rejects = Conformance.rejectedLines(fixture);
    long lines = Conformance.inputLines(fixture);
    assertEquals(lines - rejects.size(), summary.get("rows").asLong(), run.toString());
    assertEquals(rejects.size(), summary.get("failed").asLong(), run.toString());

    // every rejected line is in the failures file with its violations (line is 1-based there)
    List<String> failures = Files.readAllLines(Path.of(summary.get("failuresPath").asText()));
    TreeSet<Integer> failedLines = new TreeSet<>();
    for (String f : failures) {
      JsonNode n = Conformance.JSON.readTree(f);
      failedLines.add(n.get("line").asInt() - 1);
      assertTrue(n.get("violations").size() > 0, f);
      assertTrue(n.get("violations").get(0).has("rule"), f);
    }
    assertEquals(rejects, failedLines);
    assertFalse(summary.get("failuresPath").asText().startsWith(summary.get("dataPath").asText() + "/"),
        "failures file must be outside the data folder");

    String dataPath = summary.get("dataPath").asText();
    List<String> sepArgs = new ArrayList<>();
    if (fileType.equals("csv")) {
      sepArgs.addAll(List.of("--sep", sep, "--null-key", nullKey));
    }
    ConformanceChecker.Result check = Conformance.check(fixture, dataPath, fileType,
        sepArgs.toArray(new String[0]));
    assertEquals(0, check.exit, check.toString());
    assertTrue(check.lastLine().endsWith("problems=0"), check.toString());
    assertTrue(check.lastLine().contains("rows=" + (lines - rejects.size())), check.toString());
    com.fasterxml.jackson.databind.JsonNode manifest = dev.milvusbeam.io.ManifestAssert.check(
        dataPath, lines - rejects.size(), rejects.size());
    if (fileType.equals("csv")) {
      assertEquals(sep, manifest.get("csv").get("sep").asText());
      assertEquals(nullKey, manifest.get("csv").get("nullkey").asText());
    }
  }

  @Test
  void numpyRefusesStructsTextAndNullableVectorsBeforeWritingAnything() throws Exception {
    Path fx = Conformance.fixture("struct-types");
    ConformanceChecker.Result run = Conformance.cli("convert", "--schema=" + fx.resolve("schema.json"),
        "--input=" + fx.resolve("rows.jsonl"), "--output=" + out, "--fileType=numpy");
    assertEquals(2, run.exit, run.toString());
    String reason = run.err.strip();
    for (String field : List.of("s_items", "f_text", "n_vector", "n_sparse")) {
      assertTrue(reason.contains(field), "reason names " + field + ": " + reason);
    }
    assertTrue(reason.toLowerCase().contains("parquet"), reason);
    try (Stream<Path> files = Files.walk(out)) {
      assertEquals(1, files.count(), "nothing written under the output folder");
    }
  }

  @Test
  void numpyRefusesAllTypesBeforeWritingAnything() throws Exception {
    Path fx = Conformance.fixture("all-types");
    ConformanceChecker.Result run = Conformance.cli("convert", "--schema=" + fx.resolve("schema.json"),
        "--input=" + fx.resolve("rows.jsonl"), "--output=" + out, "--fileType=numpy");
    assertEquals(2, run.exit, run.toString());
    assertEquals("", run.out, "no summary for a refused job");
    String reason = run.err.strip();
    assertFalse(reason.contains("\n"), "one-line reason: " + reason);
    for (String field : List.of("n_array", "v_sparse", "f_geo", "f_ts", "n_bool", "a_int8")) {
      assertTrue(reason.contains(field), "reason names " + field + ": " + reason);
    }
    assertTrue(reason.toLowerCase().contains("parquet"), reason);
    try (Stream<Path> files = Files.walk(out)) {
      assertEquals(1, files.count(), "nothing written under the output folder");
    }
    ConformanceChecker.Result check = Conformance.check("all-types", out.resolve("none").toString(), "numpy");
    assertEquals(0, check.exit, check.toString());
  }
}
