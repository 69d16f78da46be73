package dev.milvusbeam.pipelines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.milvusbeam.io.ConformanceChecker;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Types;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * CSV and Parquet input. The inputs are made from a fixture's valid rows (by converting them, or
 * with parquet-java), so that the checker can judge the result against the fixture: rows are
 * matched by primary key, and every valid row of the fixture must be there exactly once.
 */
class InputFormatsTest {
  @TempDir Path dir;

  /** Converts a fixture's rows.jsonl; returns the summary. */
  private JsonNode convertFixture(String fixture, String fileType, String... extra) {
    Path fx = Conformance.fixture(fixture);
    List<String> args = new ArrayList<>(List.of("convert", "--schema=" + fx.resolve("schema.json"),
        "--input=" + fx.resolve("rows.jsonl"), "--output=" + dir.resolve("first"),
        "--fileType=" + fileType));
    args.addAll(List.of(extra));
    return summaryOf(Conformance.cli(args.toArray(new String[0])));
  }

  static JsonNode summaryOf(ConformanceChecker.Result r) {
    assertEquals(0, r.exit, r.toString());
    try {
      return Conformance.JSON.readTree(r.lastLine());
    } catch (IOException e) {
      throw new AssertionError(r.toString(), e);
    }
  }

  private static void assertPassesChecker(String fixture, JsonNode summary, String fileType)
      throws Exception {
    long valid = Conformance.inputLines(fixture) - Conformance.rejectedLines(fixture).size();
    assertEquals(valid, summary.get("rows").asLong(), summary.toString());
    ConformanceChecker.Result check = Conformance.check(fixture, summary.get("dataPath").asText(),
        fileType);
    assertEquals(0, check.exit, check.toString());
    assertTrue(check.lastLine().endsWith("problems=0"), check.toString());
  }

  @ParameterizedTest(name = "{0}: CSV (sep {1}, null key {2}) read back into {3}")
  @CsvSource(delimiter = '|', value = {
      "seed|,||parquet",
      "all-types|;|\\N|parquet",
      "all-types|,||jsonl",
      "numpy-types|\\t|NULL|numpy",
      "struct-types|,||jsonl"})
  void csvInputGivesTheSameRows(String fixture, String sep, String nullKey, String outType)
      throws Exception {
    String key = nullKey == null ? "" : nullKey;
    JsonNode csv = convertFixture(fixture, "csv", "--sep=" + sep, "--nullKey=" + key,
        "--segmentSize=24KB");
    assertTrue(csv.get("batchFiles").size() > 1, "several CSV files: " + csv);
    Path fx = Conformance.fixture(fixture);
    JsonNode s = summaryOf(Conformance.cli("convert", "--schema=" + fx.resolve("schema.json"),
        "--input=" + csv.get("dataPath").asText() + "/*.csv", "--inputSep=" + sep,
        "--inputNullKey=" + key, "--output=" + dir.resolve("second"), "--fileType=" + outType,
        "--inputChunkSize=4KB"));
    assertEquals(0, s.get("failed").asLong(), s.toString());
    assertPassesChecker(fixture, s, outType);
  }

  @ParameterizedTest(name = "{0}: Parquet read back into {1}")
  @CsvSource({"all-types,json", "numpy-types,csv", "seed,numpy", "struct-types,jsonl"})
  void parquetInputGivesTheSameRows(String fixture, String outType) throws Exception {
    JsonNode parquet = convertFixture(fixture, "parquet", "--segmentSize=64KB");
    Path fx = Conformance.fixture(fixture);
    JsonNode s = summaryOf(Conformance.cli("convert", "--schema=" + fx.resolve("schema.json"),
        "--input=" + parquet.get("dataPath").asText() + "/*", "--inputFormat=parquet",
        "--output=" + dir.resolve("second"), "--fileType=" + outType));
    assertEquals(0, s.get("failed").asLong(), s.toString());
    assertPassesChecker(fixture, s, outType);
  }

  /**
   * A Parquet file written here with parquet-java in shapes our writer does not use: the vector
   * as a legacy 2-level list of doubles, the dynamic fields as their own columns; plus one bad
   * record, reported with the file and its record number.
   */
  @Test
  void parquetWrittenWithParquetJava() throws Exception {
    MessageType type = Types.buildMessage()
        .required(PrimitiveTypeName.INT64).named("id")
        .repeated(PrimitiveTypeName.DOUBLE).named("vector")
        .optional(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named("scalar_1")
        .optional(PrimitiveTypeName.INT64).named("scalar_2")
        .optional(PrimitiveTypeName.BOOLEAN).named("dynamic_field_1")
        .optional(PrimitiveTypeName.INT32).named("dynamic_field_2")
        .named("row");
    Path file = dir.resolve("seed.parquet");
    TreeSet<Integer> rejects = Conformance.rejectedLines("seed");
    List<String> lines = Files.readAllLines(Conformance.fixture("seed").resolve("rows.jsonl"),
        StandardCharsets.UTF_8);
    SimpleGroupFactory groups = new SimpleGroupFactory(type);
    long written = 0;
    try (ParquetWriter<Group> w = ExampleParquetWriter.builder(new LocalOutputFile(file))
        .withType(type).build()) {
      for (int i = 0; i < lines.size(); i++) {
        if (rejects.contains(i)) {
          continue;
        }
        JsonNode row = Conformance.JSON.readTree(lines.get(i));
        Group g = groups.newGroup()
            .append("id", row.get("id").asLong())
            .append("scalar_1", row.get("scalar_1").asText())
            .append("scalar_2", row.get("scalar_2").asLong())
            .append("dynamic_field_1", row.get("dynamic_field_1").asBoolean())
            .append("dynamic_field_2", row.get("dynamic_field_2").asInt());
        for (JsonNode x : row.get("vector")) {
          g.append("vector", x.asDouble());
        }
        w.write(g);
        written++;
        if (written == 7) { // record 8: a vector one element short
          Group bad = groups.newGroup().append("id", 424242L).append("scalar_1", "bad")
              .append("scalar_2", 1L);
          for (int d = 0; d < 63; d++) {
            bad.append("vector", 0.5);
          }
          w.write(bad);
        }
      }
    }
    JsonNode s = summaryOf(Conformance.cli("convert",
        "--schema=" + Conformance.fixture("seed").resolve("schema.json"), "--input=" + file,
        "--output=" + dir.resolve("out"), "--fileType=parquet"));
    assertPassesChecker("seed", s, "parquet");
    assertEquals(1, s.get("failed").asLong(), s.toString());
    JsonNode failure = Conformance.JSON.readTree(
        Files.readAllLines(Path.of(s.get("failuresPath").asText())).get(0));
    assertEquals(file.toString(), failure.get("input").asText(), failure.toString());
    assertEquals(8, failure.get("line").asLong(), failure.toString());
    assertEquals("vector-dim", failure.get("violations").get(0).get("rule").asText());
  }

  /**
   * A Parquet file as a user's pyarrow writes one ({@code pa.Table.from_pylist} with a schema):
   * struct arrays as {@code list<struct<…>>}, Float16 vectors as float lists, sparse vectors and
   * the dynamic fields as JSON strings, from the struct-types fixture's valid rows.
   */
  @Test
  void parquetWrittenByPyarrowWithStructArrays() throws Exception {
    Path fx = Conformance.fixture("struct-types");
    Path script = Path.of(getClass().getResource("/pyarrow_input.py").toURI());
    Path input = dir.resolve("pyarrow.parquet");
    ConformanceChecker.Result made = ConformanceChecker.exec(List.of(ConformanceChecker.python(),
        script.toString(), fx.resolve("schema.json").toString(), fx.resolve("rows.jsonl").toString(),
        fx.resolve("rejects.json").toString(), input.toString()), 300);
    assertEquals(0, made.exit, made.toString());
    long valid = Conformance.inputLines("struct-types") - Conformance.rejectedLines("struct-types")
        .size();
    assertEquals(valid, Long.parseLong(made.out.trim()));
    JsonNode s = summaryOf(Conformance.cli("convert", "--schema=" + fx.resolve("schema.json"),
        "--input=" + input, "--inputFormat=parquet", "--output=" + dir.resolve("from-pyarrow"),
        "--fileType=json"));
    assertEquals(0, s.get("failed").asLong(), s.toString());
    assertEquals(valid, s.get("rows").asLong(), s.toString());
    assertPassesChecker("struct-types", s, "json");
  }
}
