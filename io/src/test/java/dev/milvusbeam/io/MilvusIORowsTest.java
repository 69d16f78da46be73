package dev.milvusbeam.io;

import static dev.milvusbeam.core.schema.FieldParam.dim;
import static dev.milvusbeam.core.schema.FieldParam.elementType;
import static dev.milvusbeam.core.schema.FieldParam.isPrimary;
import static dev.milvusbeam.core.schema.FieldParam.maxCapacity;
import static dev.milvusbeam.core.schema.FieldParam.maxLength;
import static dev.milvusbeam.core.schema.FieldParam.nullable;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.milvusbeam.core.format.FileType;
import dev.milvusbeam.core.writer.Segment;
import dev.milvusbeam.core.row.Violation;
import dev.milvusbeam.core.schema.CollectionSchema;
import dev.milvusbeam.core.schema.DataType;
import dev.milvusbeam.core.schema.SchemaJson;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.transforms.Count;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.transforms.errorhandling.BadRecord;
import org.apache.beam.sdk.transforms.errorhandling.ErrorHandler.BadRecordErrorHandler;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * MilvusIO on other inputs than JSON text: Beam Rows of every type, user functions (one that
 * throws), Beam's bad record handler, display data, metrics, and an empty input.
 */
@ExtendWith(TestPipelineExtension.class)
class MilvusIORowsTest {
  private static final ObjectMapper JSON = ConformanceChecker.JSON;
  private static final int N = 20;

  @TempDir Path out;
  @TempDir Path work;

  // ------------------------------------------------------------------------------------------
  // (a) Beam Rows of many types
  // ------------------------------------------------------------------------------------------

  static CollectionSchema allTypes() {
    return CollectionSchema.createSchema(false, true)
        .addField("id", DataType.INT64, isPrimary())
        .addField("b", DataType.BOOL)
        .addField("i8", DataType.INT8)
        .addField("i16", DataType.INT16)
        .addField("i32", DataType.INT32)
        .addField("i64", DataType.INT64)
        .addField("f", DataType.FLOAT)
        .addField("d", DataType.DOUBLE)
        .addField("s", DataType.VARCHAR, maxLength(64))
        .addField("j", DataType.JSON)
        .addField("arr", DataType.ARRAY, elementType(DataType.INT64), maxCapacity(8))
        .addField("fv", DataType.FLOAT_VECTOR, dim(4))
        .addField("bv", DataType.BINARY_VECTOR, dim(16))
        .addField("hv", DataType.FLOAT16_VECTOR, dim(4))
        .addField("i8v", DataType.INT8_VECTOR, dim(4))
        .addField("sp", DataType.SPARSE_FLOAT_VECTOR)
        .addField("ns", DataType.VARCHAR, maxLength(16), nullable())
        .addField("ni", DataType.INT32, nullable())
        .build();
  }

  /** The collection's Beam schema plus two extra fields that become dynamic fields. */
  static Schema beamSchema() {
    Schema base = BeamRows.beamSchema(allTypes());
    return Schema.builder().addFields(base.getFields())
        .addStringField("extra_s")
        .addNullableField("extra_n", Schema.FieldType.INT64)
        .build();
  }

  static Row row(Schema schema, int i) {
    Map<Long, Float> sparse = new LinkedHashMap<>();
    sparse.put(3L, 0.5f);
    sparse.put(10L + i, 1.25f);
    return Row.withSchema(schema).addValues(
        1000L + i,
        i % 2 == 0,
        i == 0 ? Byte.MIN_VALUE : i == 1 ? Byte.MAX_VALUE : (byte) (i - 10),
        (short) (i * 1000 - 10000),
        i * 100_000,
        Long.MAX_VALUE - i,
        i + 0.25f,
        i / 3.0,
        "row-" + i + " é",
        "{\"k\":" + i + ",\"t\":\"x\"}",
        List.of((long) i, 2L * i),
        List.of(i + 0.5f, -1f, 0f, 1.5f),
        new byte[] {(byte) i, (byte) 0xFF},
        List.of(0.5f, -2f, 1f, (float) i),
        new byte[] {Byte.MIN_VALUE, Byte.MAX_VALUE, (byte) i, 0},
        sparse,
        i % 3 == 0 ? null : "n" + i,
        i % 4 == 0 ? null : i,
        "e" + i,
        i % 5 == 0 ? null : 7L * i).build();
  }

  /** The same row as the checker's JSON input (the Milvus JSON-import shape). */
  static ObjectNode jsonRow(int i) throws Exception {
    ObjectNode o = JSON.createObjectNode();
    o.put("id", 1000L + i);
    o.put("b", i % 2 == 0);
    o.put("i8", i == 0 ? -128 : i == 1 ? 127 : i - 10);
    o.put("i16", i * 1000 - 10000);
    o.put("i32", i * 100_000);
    o.put("i64", Long.MAX_VALUE - i);
    o.put("f", i + 0.25f);
    o.put("d", i / 3.0);
    o.put("s", "row-" + i + " é");
    o.set("j", JSON.readTree("{\"k\":" + i + ",\"t\":\"x\"}"));
    o.putArray("arr").add((long) i).add(2L * i);
    o.putArray("fv").add(i + 0.5f).add(-1f).add(0f).add(1.5f);
    o.putArray("bv").add(i).add(255);
    o.putArray("hv").add(0.5f).add(-2f).add(1f).add((float) i);
    o.putArray("i8v").add(-128).add(127).add(i).add(0);
    o.putObject("sp").put("3", 0.5f).put(String.valueOf(10 + i), 1.25f);
    if (i % 3 == 0) {
      o.putNull("ns");
    } else {
      o.put("ns", "n" + i);
    }
    if (i % 4 == 0) {
      o.putNull("ni");
    } else {
      o.put("ni", i);
    }
    o.put("extra_s", "e" + i);
    if (i % 5 == 0) {
      o.putNull("extra_n");
    } else {
      o.put("extra_n", 7L * i);
    }
    return o;
  }

  private MilvusIO.WriteResult writeRows(TestPipeline p, FileType type) {
    Schema bs = beamSchema();
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < N; i++) {
      rows.add(row(bs, i));
    }
    return p.apply(Create.of(rows).withRowSchema(bs))
        .apply(MilvusIO.writeRows().withSchema(allTypes()).to(out.toString()).withFileType(type)
            .withNumShards(2).withSegmentSize(8 * 1024));
  }

  /** check.py on a data folder against our own schema and rows. */
  private void checkAllTypes(String dataPath, String type) throws Exception {
    Path schema = work.resolve("schema.json");
    Files.writeString(schema, SchemaJson.toJson(allTypes()));
    Path rows = work.resolve("rows.jsonl");
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < N; i++) {
      lines.add(JSON.writeValueAsString(jsonRow(i)));
    }
    Files.write(rows, lines);
    Path rejects = work.resolve("rejects.json");
    Files.writeString(rejects, "[]");
    ConformanceChecker.Result r = ConformanceChecker.exec(List.of(ConformanceChecker.python(),
        ConformanceChecker.shared().resolve("conformance/check.py").toString(),
        "--schema", schema.toString(), "--input", rows.toString(), "--rejects",
        rejects.toString(), "--data-path", dataPath, "--file-type", type), 300);
    assertEquals(0, r.exit, r.toString());
    assertTrue(r.lastLine().endsWith("problems=0"), r.toString());
  }

  private static List<Path> segmentFiles(Path data, String ext) throws Exception {
    List<Path> files;
    try (Stream<Path> s = Files.list(data)) {
      files = s.sorted().collect(Collectors.toList());
    }
    for (int k = 1; k <= files.size(); k++) {
      assertTrue(files.contains(data.resolve(k + "." + ext)), "segments 1..K: " + files);
    }
    return files;
  }

  /** An IEEE half (little-endian bytes lo, hi) as a float. */
  static float half(int lo, int hi) {
    int h = (lo & 0xFF) | ((hi & 0xFF) << 8);
    int sign = (h >>> 15) & 1;
    int exp = (h >>> 10) & 0x1F;
    int mant = h & 0x3FF;
    float v;
    if (exp == 0) {
      v = (float) (mant * Math.pow(2, -24));
    } else if (exp == 31) {
      v = mant == 0 ? Float.POSITIVE_INFINITY : Float.NaN;
    } else {
      v = (float) ((1 + mant / 1024.0) * Math.pow(2, exp - 15));
    }
    return sign == 1 ? -v : v;
  }

  @Test
  void beamRowsOfEveryTypeAsJson(TestPipeline p) throws Exception {
    MilvusIO.WriteResult r = writeRows(p, FileType.JSON);
    PAssert.that(r.getFailures()).empty();
    p.run().waitUntilFinish();

    Map<Long, JsonNode> byId = new HashMap<>();
    for (Path f : segmentFiles(Path.of(r.getDataPath()), "json")) {
      JsonNode doc = JSON.readTree(f.toFile());
      assertEquals("rows", doc.fieldNames().next(), "rows is the first key");
      for (JsonNode row : doc.get("rows")) {
        assertEquals(null, byId.put(row.get("id").asLong(), row), "row written once");
      }
    }
    assertEquals(N, byId.size());
    for (int i = 0; i < N; i++) {
      JsonNode row = byId.get(1000L + i);
      assertNotNull(row, "row " + i);
      List<String> keys = new ArrayList<>();
      row.fieldNames().forEachRemaining(keys::add);
      assertEquals(List.of("id", "b", "i8", "i16", "i32", "i64", "f", "d", "s", "j", "arr", "fv",
          "bv", "hv", "i8v", "sp", "ns", "ni", "$meta"), keys, "column order");
      assertEquals(i % 2 == 0, row.get("b").asBoolean());
      assertEquals(i == 0 ? -128 : i == 1 ? 127 : i - 10, row.get("i8").asInt());
      assertEquals(i * 1000 - 10000, row.get("i16").asInt());
      assertEquals(i * 100_000, row.get("i32").asInt());
      assertEquals(Long.MAX_VALUE - i, row.get("i64").asLong());
      assertEquals(i + 0.25f, (float) row.get("f").asDouble());
      assertEquals((float) (i / 3.0), (float) row.get("d").asDouble());
      assertEquals(i / 3.0, row.get("d").asDouble(), 1e-15);
      assertEquals("row-" + i + " é", row.get("s").asText());
      assertTrue(row.get("j").isObject(), "a JSON object inline: " + row.get("j"));
      assertEquals(JSON.readTree("{\"k\":" + i + ",\"t\":\"x\"}"), row.get("j"));
      assertEquals(JSON.readTree("[" + i + "," + 2 * i + "]"), row.get("arr"));
      assertEquals(List.of(i + 0.5f, -1f, 0f, 1.5f), floats(row.get("fv")));
      assertEquals(JSON.readTree("[" + i + ",255]"), row.get("bv"), "unsigned bytes");
      assertEquals(List.of(0.5f, -2f, 1f, (float) i), floats(row.get("hv")), "fp16 as floats");
      assertEquals(JSON.readTree("[-128,127," + i + ",0]"), row.get("i8v"));
      JsonNode sp = row.get("sp");
      assertEquals(2, sp.size(), sp.toString());
      assertEquals(0.5f, (float) sp.get("3").asDouble());
      assertEquals(1.25f, (float) sp.get(String.valueOf(10 + i)).asDouble());
      assertTrue(i % 3 == 0 ? row.get("ns").isNull() : row.get("ns").asText().equals("n" + i));
      assertTrue(i % 4 == 0 ? row.get("ni").isNull() : row.get("ni").asInt() == i);
      JsonNode meta = row.get("$meta");
      assertTrue(meta.isObject(), "$meta inline as an object: " + meta);
      assertEquals("e" + i, meta.get("extra_s").asText());
      if (i % 5 == 0) {
        assertTrue(meta.get("extra_n") == null || meta.get("extra_n").isNull(), meta.toString());
      } else {
        assertEquals(7L * i, meta.get("extra_n").asLong());
      }
    }
    checkAllTypes(r.getDataPath(), "json");
  }

  private static List<Float> floats(JsonNode a) {
    List<Float> l = new ArrayList<>();
    a.forEach(x -> l.add((float) x.asDouble()));
    return l;
  }

  @Test
  void beamRowsOfEveryTypeAsParquet(TestPipeline p) throws Exception {
    MilvusIO.WriteResult r = writeRows(p, FileType.PARQUET);
    PAssert.that(r.getFailures()).empty();
    p.run().waitUntilFinish();
    List<Path> files = segmentFiles(Path.of(r.getDataPath()), "parquet");
    checkAllTypes(r.getDataPath(), "parquet");

    // read back with pyarrow: values and physical types
    Path script = work.resolve("dump.py");
    Files.writeString(script, String.join("\n",
        "import json, sys, pyarrow.parquet as pq",
        "out = {'types': {}, 'rows': []}",
        "for path in sys.argv[1:]:",
        "    t = pq.read_table(path)",
        "    for f in t.schema:",
        "        out['types'][f.name] = str(f.type)",
        "    for r in t.to_pylist():",
        "        out['rows'].append(r)",
        "print(json.dumps(out))", ""));
    List<String> cmd = new ArrayList<>(List.of(ConformanceChecker.python(), script.toString()));
    files.forEach(f -> cmd.add(f.toString()));
    ConformanceChecker.Result dump = ConformanceChecker.exec(cmd, 120);
    assertEquals(0, dump.exit, dump.toString());
    JsonNode all = JSON.readTree(dump.out);
    JsonNode types = all.get("types");
    assertEquals("int8", types.get("i8").asText());
    assertEquals("int16", types.get("i16").asText());
    assertEquals("list<element: float>", types.get("fv").asText());
    assertEquals("list<element: uint8>", types.get("bv").asText());
    assertEquals("list<element: uint8>", types.get("hv").asText());
    assertEquals("list<element: int8>", types.get("i8v").asText());
    assertEquals("string", types.get("sp").asText());
    assertEquals("string", types.get("$meta").asText());

    Map<Long, JsonNode> byId = new HashMap<>();
    for (JsonNode row : all.get("rows")) {
      assertEquals(null, byId.put(row.get("id").asLong(), row), "row written once");
    }
    assertEquals(N, byId.size());
    for (int i = 0; i < N; i++) {
      JsonNode row = byId.get(1000L + i);
      assertEquals(i == 0 ? -128 : i == 1 ? 127 : i - 10, row.get("i8").asInt());
      assertEquals(Long.MAX_VALUE - i, row.get("i64").asLong());
      assertEquals(i + 0.25f, (float) row.get("f").asDouble());
      assertEquals("row-" + i + " é", row.get("s").asText());
      assertEquals(JSON.readTree("{\"k\":" + i + ",\"t\":\"x\"}"), JSON.readTree(row.get("j").asText()));
      assertEquals(JSON.readTree("[" + i + ",255]"), row.get("bv"));
      JsonNode hv = row.get("hv");
      assertEquals(8, hv.size(), "2*dim raw half bytes: " + hv);
      List<Float> halves = new ArrayList<>();
      for (int k = 0; k < 4; k++) {
        halves.add(half(hv.get(2 * k).asInt(), hv.get(2 * k + 1).asInt()));
      }
      assertEquals(List.of(0.5f, -2f, 1f, (float) i), halves, "little-endian fp16");
      assertEquals(JSON.readTree("[-128,127," + i + ",0]"), row.get("i8v"));
      JsonNode sp = JSON.readTree(row.get("sp").asText());
      assertEquals(0.5f, (float) sp.get("3").asDouble());
      assertEquals(1.25f, (float) sp.get(String.valueOf(10 + i)).asDouble());
      assertTrue(i % 3 == 0 ? row.get("ns").isNull() : row.get("ns").asText().equals("n" + i));
      assertTrue(i % 4 == 0 ? row.get("ni").isNull() : row.get("ni").asInt() == i);
      JsonNode meta = JSON.readTree(row.get("$meta").asText());
      assertEquals("e" + i, meta.get("extra_s").asText());
    }
  }

  /** A Beam row with bad values is rejected with the field and rule, the rest is written. */
  @Test
  void badBeamRowsAreRejectedByFieldAndRule(TestPipeline p) throws Exception {
    Schema bs = beamSchema();
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      rows.add(row(bs, i));
    }
    Row nan = Row.fromRow(row(bs, 5)).withFieldValue("fv", List.of(Float.NaN, 0f, 0f, 0f)).build();
    Row shortBv = Row.fromRow(row(bs, 6)).withFieldValue("bv", new byte[] {1}).build();
    Map<Long, Float> negative = Map.of(1L, -0.5f);
    Row negSparse = Row.fromRow(row(bs, 7)).withFieldValue("sp", negative).build();
    rows.add(nan);
    rows.add(shortBv);
    rows.add(negSparse);
    MilvusIO.WriteResult r = p.apply(Create.of(rows).withRowSchema(bs))
        .apply(MilvusIO.writeRows().withSchema(allTypes()).to(out.toString())
            .withFileType(FileType.JSONL));
    PAssert.that(r.getFailures().apply("FieldRule", MapElements.into(TypeDescriptors.strings())
        .via(f -> f.violations().get(0).field() + ":" + f.violations().get(0).rule().code())))
        .containsInAnyOrder("fv:not-finite", "bv:vector-dim", "sp:sparse-negative");
    PAssert.thatSingleton(r.getSegments().apply("Rows", MapElements.into(TypeDescriptors.longs())
        .via(Segment::rows)).apply(org.apache.beam.sdk.transforms.Sum.longsGlobally()))
        .isEqualTo(5L);
    p.run().waitUntilFinish();
  }

  // ------------------------------------------------------------------------------------------
  // (b) a user function to a row map
  // ------------------------------------------------------------------------------------------

  static final class Pojo implements Serializable {
    private static final long serialVersionUID = 1L;
    final long id;
    final float[] vector;
    final String name;

    Pojo(long id, float[] vector, String name) {
      this.id = id;
      this.vector = vector;
      this.name = name;
    }

    @Override
    public String toString() {
      return "Pojo#" + id;
    }
  }

  static CollectionSchema pojoSchema() {
    return CollectionSchema.createSchema(false, false)
        .addField("id", DataType.INT64, isPrimary())
        .addField("vector", DataType.FLOAT_VECTOR, dim(4))
        .addField("name", DataType.VARCHAR, maxLength(8))
        .build();
  }

  /** Throws for id 13: a conversion failure. */
  static Map<String, Object> pojoToRow(Pojo p) {
    if (p.id == 13) {
      throw new IllegalStateException("cannot convert pojo 13");
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", p.id);
    m.put("vector", p.vector);
    m.put("name", p.name);
    return m;
  }

  @Test
  void aFunctionThatThrowsRejectsOnlyThatElement(TestPipeline p) throws Exception {
    List<Pojo> pojos = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      pojos.add(new Pojo(i, new float[] {i, 0.5f, -1f, 2f}, i == 7 ? "far-too-long" : "p" + i));
    }
    SerializableFunction<Pojo, Map<String, Object>> fn = MilvusIORowsTest::pojoToRow;
    MilvusIO.WriteResult r = p.apply(Create.of(pojos).withCoder(SerializableCoder.of(Pojo.class)))
        .apply(MilvusIO.write(fn).withSchema(pojoSchema()).to(out.toString())
            .withFileType(FileType.JSONL));
    PAssert.that(r.getFailures()).satisfies(failures -> {
      Map<String, FailedRow> byRule = new HashMap<>();
      for (FailedRow f : failures) {
        assertEquals(1, f.violations().size(), f.toJson());
        assertEquals(null, byRule.put(f.violations().get(0).rule().code(), f), "one per rule");
      }
      assertEquals(Set.of("input-conversion", "varchar-length"), byRule.keySet());
      FailedRow conv = byRule.get("input-conversion");
      Violation v = conv.violations().get(0);
      assertTrue(v.message().contains("cannot convert pojo 13"), v.message());
      assertEquals("Pojo#13", conv.row(), "the element as text when the function cannot run");
      assertTrue(conv.toJson().contains("\"rule\":\"input-conversion\""), conv.toJson());
      FailedRow len = byRule.get("varchar-length");
      assertEquals("name", len.violations().get(0).field());
      assertEquals("7", len.primaryKey());
      return null;
    });
    PipelineResult result = p.run();
    assertEquals(PipelineResult.State.DONE, result.waitUntilFinish());

    Set<Long> ids = new TreeSet<>();
    for (Path f : segmentFiles(Path.of(r.getDataPath()), "jsonl")) {
      for (String line : Files.readAllLines(f)) {
        JsonNode row = JSON.readTree(line);
        assertTrue(ids.add(row.get("id").asLong()), "once: " + line);
        assertEquals(4, row.get("vector").size());
        assertEquals("p" + row.get("id").asLong(), row.get("name").asText());
      }
    }
    Set<Long> want = new TreeSet<>();
    for (long i = 0; i < 20; i++) {
      if (i != 7 && i != 13) {
        want.add(i);
      }
    }
    assertEquals(want, ids);
    assertEquals(1, MilvusIOTest.counter(result, "rowsRejected_input-conversion"));
  }

  // ------------------------------------------------------------------------------------------
  // (c) Beam's bad record handler
  // ------------------------------------------------------------------------------------------

  /** The sink of the bad record handler: each bad record as description || exception || row. */
  static final class Describe extends PTransform<PCollection<BadRecord>, PCollection<String>> {
    private static final long serialVersionUID = 1L;

    @Override
    public PCollection<String> expand(PCollection<BadRecord> in) {
      return in.apply(MapElements.into(TypeDescriptors.strings()).via(b ->
          b.getFailure().getDescription() + "\u0001" + b.getFailure().getException() + "\u0001"
              + b.getRecord().getHumanReadableJsonRecord()));
    }
  }

  static String vector(int dim, double v) {
    StringBuilder sb = new StringBuilder("[");
    for (int d = 0; d < dim; d++) {
      sb.append(d == 0 ? "" : ",").append(v);
    }
    return sb.append(']').toString();
  }

  static String seedRow(long id, String vector, String s1, String s2) {
    return "{\"id\":" + id + ",\"vector\":" + vector
        + (s1 == null ? "" : ",\"scalar_1\":" + s1) + ",\"scalar_2\":" + s2 + "}";
  }

  @Test
  void badRecordsReachBeamsErrorHandler(TestPipeline p) throws Exception {
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      lines.add(seedRow(i, vector(64, 0.5), "\"ok\"", String.valueOf(i)));
    }
    String intRange = seedRow(100, vector(64, 0.5), "\"a\"", "9223372036854775808");
    String dim = seedRow(101, vector(3, 0.5), "\"b\"", "1");
    String missing = seedRow(102, vector(64, 0.5), null, "1");
    lines.add(intRange);
    lines.add(dim);
    lines.add(missing);

    BadRecordErrorHandler<PCollection<String>> handler =
        p.registerBadRecordErrorHandler(new Describe());
    MilvusIO.WriteResult r = p.apply(Create.of(lines))
        .apply(MilvusIO.writeJson().withSchema(MilvusIOTest.schema("seed")).to(out.toString())
            .withFileType(FileType.JSONL).withBadRecordErrorHandler(handler));
    handler.close();
    PAssert.that(handler.getOutput()).satisfies(records -> {
      Map<String, String[]> byRow = new HashMap<>();
      for (String rec : records) {
        String[] parts = rec.split("\u0001", 3);
        byRow.put(parts[2], parts);
      }
      assertEquals(Set.of(intRange, dim, missing), byRow.keySet(), "the bad rows, as given");
      assertFieldAndRule(byRow.get(intRange), "scalar_2", "int-range", "100");
      assertFieldAndRule(byRow.get(dim), "vector", "vector-dim", "101");
      assertFieldAndRule(byRow.get(missing), "scalar_1", "missing-value", "102");
      return null;
    });
    PAssert.thatSingleton(r.getFailures().apply(Count.globally())).isEqualTo(3L);
    p.run().waitUntilFinish();
    long written = 0;
    for (Path f : segmentFiles(Path.of(r.getDataPath()), "jsonl")) {
      written += Files.readAllLines(f).size();
    }
    assertEquals(10, written);
  }

  private static void assertFieldAndRule(String[] rec, String field, String rule, String pk) {
    try {
      JsonNode d = JSON.readTree(rec[0]);
      JsonNode v = d.get("violations").get(0);
      assertEquals(field, v.get("field").asText(), rec[0]);
      assertEquals(rule, v.get("rule").asText(), rec[0]);
      assertFalse(v.get("message").asText().isEmpty(), rec[0]);
      assertEquals(pk, d.get("primaryKey").asText(), rec[0]);
      assertTrue(rec[1].contains(rule) || rec[1].contains(field), "exception names it: " + rec[1]);
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
  }

  // ------------------------------------------------------------------------------------------
  // (d) display data
  // ------------------------------------------------------------------------------------------

  private static final Pattern CREDENTIAL = Pattern.compile(
      "(?i)(secret|password|passwd|token|credential|access[_-]?key|api[_-]?key|AKIA[0-9A-Z]{12,}"
          + "|-----BEGIN)");

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"parquet", "csv"})
  void displayDataDescribesTheWriteWithoutSecrets(String fileType) throws Exception {
    MilvusIO.Write<String> w = MilvusIO.writeJson().withSchema(MilvusIOTest.schema("seed"))
        .to("s3://bucket/imports/").withFileType(FileType.fromName(fileType))
        .withSegmentSize(1L << 20).withNumShards(3);
    Map<String, Object> items = new HashMap<>();
    for (DisplayData.Item item : DisplayData.from(w).items()) {
      items.put(item.getKey(), item.getValue());
      assertFalse(CREDENTIAL.matcher(item.getKey() + "=" + item.getValue()).find(),
          "credential-like display data: " + item);
    }
    assertEquals("s3://bucket/imports", items.get("output"));
    assertEquals(FileType.fromName(fileType).toString(), items.get("fileType"));
    assertEquals(1L << 20, ((Number) items.get("segmentSize")).longValue());
    assertEquals(3L, ((Number) items.get("numShards")).longValue());
    String columns = String.valueOf(items.get("columns"));
    for (String c : List.of("id", "vector", "scalar_1", "scalar_2", "$meta")) {
      assertTrue(columns.contains("'" + c + "'"), c + " in " + columns);
    }
    assertTrue(columns.contains("dim 64"), columns);
    if (fileType.equals("csv")) {
      assertEquals(",", items.get("csvSeparator"));
      assertTrue(items.containsKey("csvNullKey"));
    } else {
      assertFalse(items.containsKey("csvSeparator"));
    }
  }

  // ------------------------------------------------------------------------------------------
  // (e) metrics
  // ------------------------------------------------------------------------------------------

  @Test
  void metricsCountRowsByRuleSegmentsAndBytes(TestPipeline p) throws Exception {
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      lines.add(seedRow(i, vector(64, i / 64.0), "\"s" + i + "\"", String.valueOf(i)));
    }
    lines.add(seedRow(100, vector(64, 0.5), "\"a\"", "9223372036854775808")); // int-range
    lines.add(seedRow(101, vector(64, 0.5), "\"b\"", "-9223372036854775809")); // int-range
    lines.add(seedRow(102, vector(3, 0.5), "\"c\"", "1")); // vector-dim
    lines.add(seedRow(103, vector(5, 0.5), "\"d\"", "1e40")); // vector-dim + a bad Int64
    lines.add(seedRow(104, vector(64, 0.5), null, "1")); // missing-value
    lines.add("{\"id\": 105, \"vector\": ["); // invalid-json
    MilvusIO.WriteResult r = p.apply(Create.of(lines))
        .apply(MilvusIO.writeJson().withSchema(MilvusIOTest.schema("seed")).to(out.toString())
            .withFileType(FileType.JSONL).withNumShards(2).withSegmentSize(16 * 1024));
    PipelineResult result = p.run();
    result.waitUntilFinish();

    assertEquals(60, MilvusIOTest.counter(result, "rowsValid"));
    assertEquals(60, MilvusIOTest.counter(result, "rowsWritten"));
    assertEquals(6, MilvusIOTest.counter(result, "rowsRejected"), "rows, not violations");
    assertEquals(2, MilvusIOTest.counter(result, "rowsRejected_vector-dim"));
    assertEquals(1, MilvusIOTest.counter(result, "rowsRejected_missing-value"));
    assertEquals(1, MilvusIOTest.counter(result, "rowsRejected_invalid-json"));
    assertEquals(3, MilvusIOTest.counter(result, "rowsRejected_int-range"),
        "the three out-of-range Int64 values (one in a row that also has a bad vector)");
    assertEquals(0, MilvusIOTest.counter(result, "rowsRejected_int-fraction"));

    List<Path> files = segmentFiles(Path.of(r.getDataPath()), "jsonl");
    assertTrue(files.size() >= 2, "several segments: " + files);
    assertEquals(files.size(), MilvusIOTest.counter(result, "segmentsWritten"));
    long bytes = 0;
    for (Path f : files) {
      bytes += Files.size(f);
    }
    assertEquals(bytes, MilvusIOTest.counter(result, "bytesWritten"), "real bytes on disk");
  }

  // ------------------------------------------------------------------------------------------
  // (f) empty input
  // ------------------------------------------------------------------------------------------

  @Test
  void emptyInputWritesNothing(TestPipeline p) throws Exception {
    MilvusIO.WriteResult r = p.apply(Create.empty(StringUtf8Coder.of()))
        .apply(MilvusIO.writeJson().withSchema(MilvusIOTest.schema("seed")).to(out.toString()));
    PAssert.that(r.getSegments()).empty();
    PAssert.that(r.getBatchFiles()).empty();
    PAssert.that(r.getFailures()).empty();
    PipelineResult result = p.run();
    assertEquals(PipelineResult.State.DONE, result.waitUntilFinish());
    try (Stream<Path> s = Files.list(out)) {
      assertEquals(List.of(), s.collect(Collectors.toList()), "no data folder, no temp folder");
    }
    assertEquals(0, MilvusIOTest.counter(result, "rowsWritten"));
  }

  @Test
  void emptyBeamRowInputWritesNothing(TestPipeline p) throws Exception {
    MilvusIO.WriteResult r = p.apply(Create.empty(org.apache.beam.sdk.coders.RowCoder.of(beamSchema())))
        .apply(MilvusIO.writeRows().withSchema(allTypes()).to(out.toString())
            .withFileType(FileType.PARQUET));
    PAssert.that(r.getSegments()).empty();
    p.run().waitUntilFinish();
    try (Stream<Path> s = Files.list(out)) {
      assertEquals(List.of(), s.collect(Collectors.toList()));
    }
  }

  @Test
  void onlyRejectedRowsWriteNothing(TestPipeline p) throws Exception {
    MilvusIO.WriteResult r = p.apply(Create.of("{\"id\": 1}", "[1,2]", "nope"))
        .apply(MilvusIO.writeJson().withSchema(MilvusIOTest.schema("seed")).to(out.toString()));
    PAssert.thatSingleton(r.getFailures().apply(Count.globally())).isEqualTo(3L);
    PAssert.that(r.getSegments()).empty();
    p.run().waitUntilFinish();
    try (Stream<Path> s = Files.list(out)) {
      assertEquals(List.of(), s.collect(Collectors.toList()));
    }
  }

  /** Struct arrays as arrays of Beam rows, Text, and a nullable vector, checked by check.py. */
  @Test
  void beamRowsWithAStructArrayTextAndANullableVector(TestPipeline p) throws Exception {
    CollectionSchema schema = CollectionSchema.createSchema(false, false)
        .addField("id", DataType.INT64, isPrimary())
        .addField("body", DataType.TEXT)
        .addField("nv", DataType.FLOAT_VECTOR, dim(2), nullable())
        .addStructField("items", dev.milvusbeam.core.schema.StructSchema.create()
            .addField("score", DataType.INT16)
            .addField("label", DataType.VARCHAR, maxLength(8))
            .addField("emb", DataType.FLOAT_VECTOR, dim(2)), maxCapacity(3))
        .build();
    Schema bs = BeamRows.beamSchema(schema);
    Schema item = bs.getField("items").getType().getCollectionElementType().getRowSchema();
    List<Row> rows = new ArrayList<>();
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      List<Row> items = new ArrayList<>();
      List<Map<String, Object>> jsonItems = new ArrayList<>();
      for (int k = 0; k < i % 4; k++) {
        items.add(Row.withSchema(item).addValues((short) (k - i), "l" + k,
            List.of(k + 0.5f, (float) i)).build());
        jsonItems.add(Map.of("score", k - i, "label", "l" + k, "emb", List.of(k + 0.5, i)));
      }
      String body = "text " + i + " ".repeat(i * 100) + "é";
      List<Float> nv = i % 3 == 0 ? null : List.of((float) i, -1f);
      rows.add(Row.withSchema(bs).addValues((long) i, body, nv, items).build());
      Map<String, Object> json = new java.util.LinkedHashMap<>();
      json.put("id", i);
      json.put("body", body);
      json.put("nv", nv);
      json.put("items", jsonItems);
      lines.add(JSON.writeValueAsString(json));
    }
    MilvusIO.WriteResult r = p.apply(Create.of(rows).withRowSchema(bs))
        .apply(MilvusIO.writeRows().withSchema(schema).to(out.toString())
            .withFileType(FileType.JSON));
    PAssert.that(r.getFailures()).empty();
    p.run().waitUntilFinish();
    Files.writeString(work.resolve("schema.json"), SchemaJson.toJson(schema));
    Files.write(work.resolve("rows.jsonl"), lines);
    Files.writeString(work.resolve("rejects.json"), "[]");
    ConformanceChecker.Result check = ConformanceChecker.exec(List.of(ConformanceChecker.python(),
        ConformanceChecker.shared().resolve("conformance/check.py").toString(),
        "--schema", work.resolve("schema.json").toString(),
        "--input", work.resolve("rows.jsonl").toString(),
        "--rejects", work.resolve("rejects.json").toString(),
        "--data-path", r.getDataPath(), "--file-type", "json"), 300);
    assertEquals(0, check.exit, check.toString());
    assertTrue(check.out.contains("rows=40 "), check.out);
  }
}
