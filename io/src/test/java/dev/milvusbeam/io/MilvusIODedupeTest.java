package dev.milvusbeam.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.milvusbeam.core.format.FileType;
import dev.milvusbeam.core.row.RowValidator;
import dev.milvusbeam.core.row.ValidationResult;
import dev.milvusbeam.core.schema.CollectionSchema;
import dev.milvusbeam.core.schema.SchemaJson;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.runners.TransformHierarchy;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.windowing.FixedWindows;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TimestampedValue;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code withPrimaryKeyDeduplication()} on the Direct runner: each key once in the files (read
 * back by the conformance checker against the rows that must be kept), every other row of the key
 * a failure naming the row kept, and which row that is.
 */
@ExtendWith(TestPipelineExtension.class)
class MilvusIODedupeTest {
  @TempDir Path out;

  /** A row of the seed fixture's schema (id, vector dim 64, scalar_1, scalar_2). */
  static String seedRow(long id, String tag, int dim) {
    StringBuilder v = new StringBuilder();
    for (int d = 0; d < dim; d++) {
      v.append(d == 0 ? "" : ",").append((id * 7 + d) % 13 / 13.0);
    }
    return "{\"id\":" + id + ",\"vector\":[" + v + "],\"scalar_1\":\"" + tag
        + "\",\"scalar_2\":" + id + "}";
  }

  /** Elements {@code file|line|json}: a parser that knows where each row came from. */
  static final class Located implements RowParser<String> {
    private static final long serialVersionUID = 1L;

    private static String[] split(String e) {
      return e.split("\\|", 3);
    }

    @Override
    public ValidationResult parse(RowValidator validator, String e) {
      return validator.validateJson(split(e)[2]);
    }

    @Override
    public String describe(String e) {
      return split(e)[2];
    }

    @Override
    public String source(String e) {
      return split(e)[0];
    }

    @Override
    public long line(String e) {
      return Long.parseLong(split(e)[1]);
    }
  }

  static String describe(FailedRow f) {
    return f.source() + ":" + f.line() + " [" + f.violations().get(0).rule().code() + "] "
        + f.violations().get(0).field() + " pk " + f.primaryKey() + ": "
        + f.violations().get(0).message();
  }

  @Test
  void theFirstRowByFileAndLineIsKeptAndTheOthersAreFailures(TestPipeline p) throws Exception {
    Map<String, String> rows = new HashMap<>(); // file:line -> row
    rows.put("b.jsonl:1", seedRow(1, "b1", 64));
    rows.put("a.jsonl:5", seedRow(1, "a5", 64)); // kept: file a before b
    rows.put("a.jsonl:9", seedRow(1, "a9", 64));
    rows.put("a.jsonl:7", seedRow(2, "a7", 64));
    rows.put("a.jsonl:2", seedRow(2, "a2", 64)); // kept: line 2 before 7
    rows.put("a.jsonl:3", seedRow(3, "a3", 64));
    rows.put("b.jsonl:4", seedRow(3, "b4", 3)); // the same key, but invalid: its own rule
    rows.put("b.jsonl:2", seedRow(4, "b2", 64));
    rows.put("b.jsonl:3", seedRow(5, "b3", 3)); // invalid
    for (int i = 0; i < 50; i++) {
      rows.put("c.jsonl:" + (i + 1), seedRow(100 + i, "c" + i, 64));
    }
    List<String> elements = rows.entrySet().stream()
        .map(e -> e.getKey().replace(':', '|') + "|" + e.getValue()).sorted()
        .collect(Collectors.toList());
    List<String> kept = new ArrayList<>(List.of(rows.get("a.jsonl:5"), rows.get("a.jsonl:2"),
        rows.get("a.jsonl:3"), rows.get("b.jsonl:2")));
    for (int i = 0; i < 50; i++) {
      kept.add(rows.get("c.jsonl:" + (i + 1)));
    }

    MilvusIO.WriteResult r = p.apply(Create.of(elements))
        .apply(MilvusIO.write(new Located()).withSchema(MilvusIOTest.schema("seed"))
            .to(out.toString()).withFileType(FileType.JSONL).withPrimaryKeyDeduplication()
            .withSegmentSize(16 * 1024));
    String keptA5 = "another row has primary key 1 and is kept: a.jsonl:5"
        + " (the first by input file and line)";
    String keptA2 = "another row has primary key 2 and is kept: a.jsonl:2"
        + " (the first by input file and line)";
    PAssert.that(r.getFailures()
            .apply(MapElements.into(TypeDescriptors.strings()).via(MilvusIODedupeTest::describe)))
        .containsInAnyOrder(
            "b.jsonl:1 [duplicate-primary-key] id pk 1: " + keptA5,
            "a.jsonl:9 [duplicate-primary-key] id pk 1: " + keptA5,
            "a.jsonl:7 [duplicate-primary-key] id pk 2: " + keptA2,
            "b.jsonl:4 [vector-dim] vector pk 3: vector has 3 values, dim is 64",
            "b.jsonl:3 [vector-dim] vector pk 5: vector has 3 values, dim is 64");
    PipelineResult result = p.run();
    result.waitUntilFinish();

    ConformanceChecker.Result check =
        ConformanceChecker.checkRows("seed", kept, r.getDataPath(), "jsonl");
    assertEquals(0, check.exit, check.toString());
    assertTrue(check.lastLine().endsWith("rows=54 segments=" + segments(r.getDataPath())
        + " problems=0"), check.toString());
    Map<Long, String> written = readJsonl(r.getDataPath());
    assertEquals(54, written.size());
    assertEquals("a5", written.get(1L));
    assertEquals("a2", written.get(2L));
    assertEquals("a3", written.get(3L));
    ManifestAssert.check(r.getDataPath(), 54, 5);
    assertEquals(3, MilvusIOTest.counter(result, "rowsRejected_duplicate-primary-key"));
    assertEquals(5, MilvusIOTest.counter(result, "rowsRejected"));
    assertEquals(54, MilvusIOTest.counter(result, "rowsWritten"));
  }

  private static long segments(String dataPath) throws Exception {
    try (Stream<Path> s = Files.list(Path.of(dataPath))) {
      return s.count();
    }
  }

  /** id -> scalar_1 of every row in the JSONL segments; a key seen twice fails. */
  private static Map<Long, String> readJsonl(String dataPath) throws Exception {
    Map<Long, String> byId = new HashMap<>();
    try (Stream<Path> s = Files.list(Path.of(dataPath))) {
      for (Path f : s.collect(Collectors.toList())) {
        for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
          JsonNode n = ConformanceChecker.JSON.readTree(line);
          String before = byId.put(n.get("id").asLong(), n.get("scalar_1").asText());
          assertEquals(null, before, "key " + n.get("id") + " written twice");
        }
      }
    }
    return byId;
  }

  static final String VARCHAR_SCHEMA = "{\"autoID\":false,\"enableDynamicField\":false,\"fields\":["
      + "{\"fieldName\":\"key\",\"dataType\":\"VarChar\",\"isPrimary\":true,"
      + "\"elementTypeParams\":{\"max_length\":32}},"
      + "{\"fieldName\":\"vector\",\"dataType\":\"FloatVector\",\"elementTypeParams\":{\"dim\":4}},"
      + "{\"fieldName\":\"tag\",\"dataType\":\"VarChar\",\"elementTypeParams\":{\"max_length\":32}}"
      + "]}";

  static String varcharRow(String key, double v0, String tag) {
    return "{\"key\":\"" + key + "\",\"vector\":[" + v0 + ",0.5,0.5,0.5],\"tag\":\"" + tag + "\"}";
  }

  @Test
  void withoutAnInputOrderTheRowWhoseBinaryFormSortsFirstIsKept(TestPipeline p)
      throws Exception {
    Path schemaFile = out.resolve("schema.json"); // beside the data folder, not in it
    Files.writeString(schemaFile, VARCHAR_SCHEMA);
    CollectionSchema schema = SchemaJson.parse(VARCHAR_SCHEMA);
    // the binary form is the key, then the vector's float bits (big-endian), then the tag
    // (length, bytes): positive floats sort as numbers, equal vectors by the tag
    List<String> rows = List.of(
        varcharRow("k1", 0.75, "big1"),
        varcharRow("k1", 0.25, "smal"), // kept: the smallest first element
        varcharRow("k1", 0.5, "mid1"),
        varcharRow("k2", 0.5, "tagB"),
        varcharRow("k2", 0.5, "tagA"), // kept: equal vectors, tagA < tagB
        varcharRow("k3", 0.5, "only"),
        varcharRow("k\u00e9", 0.5, "utf8"));
    List<String> kept = List.of(rows.get(1), rows.get(4), rows.get(5), rows.get(6));

    MilvusIO.WriteResult r = p.apply(Create.of(rows))
        .apply(MilvusIO.writeJson().withSchema(schema).to(out.toString())
            .withFileType(FileType.PARQUET).withPrimaryKeyDeduplication());
    String k1 = "another row has primary key k1 and is kept: " + rows.get(1)
        + " (the input has no order: the row whose validated binary form sorts first)";
    String k2 = "another row has primary key k2 and is kept: " + rows.get(4)
        + " (the input has no order: the row whose validated binary form sorts first)";
    PAssert.that(r.getFailures()
            .apply(MapElements.into(TypeDescriptors.strings())
                .via(f -> describe(f) + " | " + f.row())))
        .containsInAnyOrder(
            "null:0 [duplicate-primary-key] key pk k1: " + k1 + " | " + rows.get(0),
            "null:0 [duplicate-primary-key] key pk k1: " + k1 + " | " + rows.get(2),
            "null:0 [duplicate-primary-key] key pk k2: " + k2 + " | " + rows.get(3));
    PipelineResult result = p.run();
    result.waitUntilFinish();

    ConformanceChecker.Result check =
        ConformanceChecker.checkRows(schemaFile, kept, r.getDataPath(), "parquet");
    assertEquals(0, check.exit, check.toString());
    assertTrue(check.lastLine().endsWith("rows=4 segments=1 problems=0"), check.toString());
    ManifestAssert.check(r.getDataPath(), 4, 3);
    assertEquals(3, MilvusIOTest.counter(result, "rowsRejected_duplicate-primary-key"));
  }

  @Test
  void anAutoIdKeyIsRefusedNamingTheField(TestPipeline p) {
    CollectionSchema schema = SchemaJson.parse("{\"autoID\":true,\"fields\":["
        + "{\"fieldName\":\"pk\",\"dataType\":\"Int64\",\"isPrimary\":true},"
        + "{\"fieldName\":\"vector\",\"dataType\":\"FloatVector\","
        + "\"elementTypeParams\":{\"dim\":4}}]}");
    PCollection<String> in = p.apply(Create.of("{\"vector\":[1,2,3,4]}"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> in.apply(MilvusIO.writeJson().withSchema(schema).to(out.toString())
            .withPrimaryKeyDeduplication()));
    assertTrue(e.getMessage().contains("withPrimaryKeyDeduplication()")
        && e.getMessage().contains("'pk'") && e.getMessage().contains("auto id"), e.getMessage());
    p.enableAbandonedNodeEnforcement(false);
  }

  @Test
  void unboundedInputInTheGlobalWindowIsRefused(TestPipeline p) throws Exception {
    PCollection<String> in = p.apply(TestStream.create(StringUtf8Coder.of())
        .addElements(seedRow(1, "x", 64)).advanceWatermarkToInfinity());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> in.apply(MilvusIO.writeJson().withSchema(MilvusIOTest.schema("seed"))
            .to(out.toString()).withPrimaryKeyDeduplication()));
    assertTrue(e.getMessage().contains("window"), e.getMessage());
    p.enableAbandonedNodeEnforcement(false);
  }

  private static TimestampedValue<String> at(String row, int seconds) {
    return TimestampedValue.of(row, new Instant(0).plus(Duration.standardSeconds(seconds)));
  }

  @Test
  void unboundedInputIsDeduplicatedWithinEachWindow(TestPipeline p) throws Exception {
    PCollection<String> in = p.apply(TestStream.create(StringUtf8Coder.of())
        .addElements(at(seedRow(1, "y", 64), 1), at(seedRow(1, "x", 64), 2),
            at(seedRow(2, "x", 64), 3), at(seedRow(1, "z", 64), 61), at(seedRow(3, "z", 64), 62))
        .advanceWatermarkToInfinity())
        .apply(Window.into(FixedWindows.of(Duration.standardMinutes(1))));
    in.apply(MilvusIO.writeJson().withSchema(MilvusIOTest.schema("seed")).to(out.toString())
        .withFileType(FileType.JSONL).withPrimaryKeyDeduplication());
    PipelineResult result = p.run();
    result.waitUntilFinish();

    // one data folder per window; the key of both windows is written in each
    Map<Map<Long, String>, Long> folders = new HashMap<>(); // id -> scalar_1, to rejected rows
    try (Stream<Path> s = Files.list(out)) {
      for (Path m : s.filter(f -> f.toString().endsWith(".manifest.json"))
          .collect(Collectors.toList())) {
        JsonNode manifest = ConformanceChecker.JSON.readTree(m.toFile());
        folders.put(readJsonl(manifest.get("dataPath").asText()),
            manifest.get("rejectedRows").asLong());
      }
    }
    // same vectors (they follow the id): "x" sorts before "y" in the binary form
    assertEquals(Map.of(Map.of(1L, "x", 2L, "x"), 1L, Map.of(1L, "z", 3L, "z"), 0L), folders);
    assertEquals(1, MilvusIOTest.counter(result, "rowsRejected_duplicate-primary-key"));
  }

  @Test
  void offByDefaultThePlanHasNoDeduplicationStep() throws Exception {
    assertFalse(transformNames(false).stream().anyMatch(n -> n.contains("Deduplicate")));
    assertTrue(transformNames(true).stream()
        .anyMatch(n -> n.endsWith("DeduplicateByPrimaryKey/GroupByPrimaryKey")));
  }

  private List<String> transformNames(boolean dedupe) throws Exception {
    Pipeline p = Pipeline.create();
    MilvusIO.Write<String> w = MilvusIO.writeJson().withSchema(MilvusIOTest.schema("seed"))
        .to(out.toString());
    p.apply(Create.of(seedRow(1, "x", 64))).apply(dedupe ? w.withPrimaryKeyDeduplication() : w);
    List<String> names = new ArrayList<>();
    p.traverseTopologically(new Pipeline.PipelineVisitor.Defaults() {
      @Override
      public CompositeBehavior enterCompositeTransform(TransformHierarchy.Node node) {
        names.add(node.getFullName());
        return CompositeBehavior.ENTER_TRANSFORM;
      }

      @Override
      public void visitPrimitiveTransform(TransformHierarchy.Node node) {
        names.add(node.getFullName());
      }
    });
    return names;
  }
}
