package dev.milvusbeam.core.format;

import static dev.milvusbeam.core.schema.FieldParam.defaultValue;
import static dev.milvusbeam.core.schema.FieldParam.dim;
import static dev.milvusbeam.core.schema.FieldParam.elementType;
import static dev.milvusbeam.core.schema.FieldParam.isPrimary;
import static dev.milvusbeam.core.schema.FieldParam.maxCapacity;
import static dev.milvusbeam.core.schema.FieldParam.maxLength;
import static dev.milvusbeam.core.schema.FieldParam.nullable;

import dev.milvusbeam.core.format.csv.CsvCells;
import dev.milvusbeam.core.row.NullKeyCheck;
import dev.milvusbeam.core.row.RowValidator;
import dev.milvusbeam.core.row.ValidRow;
import dev.milvusbeam.core.schema.CollectionSchema;
import dev.milvusbeam.core.schema.DataType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A schema with every type JSON, JSONL and CSV can carry, and input rows that exercise them. */
public final class AllTypesFixture {
  private AllTypesFixture() {}

  public static final String TRICKY_TEXT =
      "quote \" backslash \\ slash / newline \n cr \r tab \t comma , semi ; emoji \uD83D\uDE00"
          + " ctl \u0001 ls \u2028 end";

  public static CollectionSchema schema() {
    return CollectionSchema.createSchema(false, true)
        .addField("id", DataType.INT64, isPrimary())
        .addField("flag", DataType.BOOL)
        .addField("i8", DataType.INT8)
        .addField("i16", DataType.INT16)
        .addField("i32", DataType.INT32)
        .addField("i64", DataType.INT64)
        .addField("f32", DataType.FLOAT)
        .addField("f64", DataType.DOUBLE)
        .addField("text", DataType.VARCHAR, maxLength(512))
        .addField("doc", DataType.JSON)
        .addField("doc_any", DataType.JSON)
        .addField("a_bool", DataType.ARRAY, elementType(DataType.BOOL), maxCapacity(8))
        .addField("a_i8", DataType.ARRAY, elementType(DataType.INT8), maxCapacity(8))
        .addField("a_i16", DataType.ARRAY, elementType(DataType.INT16), maxCapacity(8))
        .addField("a_i32", DataType.ARRAY, elementType(DataType.INT32), maxCapacity(8))
        .addField("a_i64", DataType.ARRAY, elementType(DataType.INT64), maxCapacity(8))
        .addField("a_f32", DataType.ARRAY, elementType(DataType.FLOAT), maxCapacity(8))
        .addField("a_f64", DataType.ARRAY, elementType(DataType.DOUBLE), maxCapacity(8))
        .addField("a_text", DataType.ARRAY, elementType(DataType.VARCHAR), maxCapacity(8),
            maxLength(128))
        .addField("fvec", DataType.FLOAT_VECTOR, dim(4))
        .addField("bvec", DataType.BINARY_VECTOR, dim(32))
        .addField("f16vec", DataType.FLOAT16_VECTOR, dim(4))
        .addField("bf16vec", DataType.BFLOAT16_VECTOR, dim(4))
        .addField("i8vec", DataType.INT8_VECTOR, dim(4))
        .addField("sparse", DataType.SPARSE_FLOAT_VECTOR)
        .addField("geo", DataType.GEOMETRY)
        .addField("ts", DataType.TIMESTAMPTZ)
        .addField("opt_text", DataType.VARCHAR, maxLength(64), nullable())
        .addField("opt_i32", DataType.INT32, nullable())
        .addField("opt_f64", DataType.DOUBLE, nullable())
        .addField("opt_doc", DataType.JSON, nullable())
        .addField("opt_arr", DataType.ARRAY, elementType(DataType.INT64), maxCapacity(4),
            nullable())
        .addField("def_i16", DataType.INT16, defaultValue(7))
        .addField("def_text", DataType.VARCHAR, maxLength(32), defaultValue("dflt"))
        .addField("def_bool", DataType.BOOL, defaultValue(true))
        .addField("def_f32", DataType.FLOAT, defaultValue(1.5))
        .addField("opt_def", DataType.INT64, nullable(), defaultValue(99))
        .build();
  }

  private static Map<String, Object> sparse(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }

  /** Input rows as a user gives them to the validator. */
  public static List<Map<String, Object>> rows() {
    List<Map<String, Object>> rows = new ArrayList<>();

    Map<String, Object> r1 = new HashMap<>();
    r1.put("id", 1L);
    r1.put("flag", true);
    r1.put("i8", 127);
    r1.put("i16", (short) 32767);
    r1.put("i32", Integer.MAX_VALUE);
    r1.put("i64", Long.MAX_VALUE);
    r1.put("f32", 0.1f);
    r1.put("f64", 0.1);
    r1.put("text", TRICKY_TEXT);
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("a", 1);
    doc.put("b", List.of("x", "y\"z"));
    doc.put("c", Map.of("d", 2.5));
    doc.put("e", null);
    r1.put("doc", doc);
    r1.put("doc_any", "[1, 2, 3]");
    r1.put("a_bool", List.of(true, false, true));
    r1.put("a_i8", List.of(-128, 0, 127));
    r1.put("a_i16", List.of(-32768, 32767));
    r1.put("a_i32", List.of(Integer.MIN_VALUE, Integer.MAX_VALUE));
    r1.put("a_i64", List.of(Long.MIN_VALUE, 0L, Long.MAX_VALUE));
    r1.put("a_f32", List.of(0.1f, Float.MAX_VALUE, Float.MIN_VALUE, Float.MIN_NORMAL, -2.5f));
    r1.put("a_f64", List.of(0.1, Double.MAX_VALUE, Double.MIN_VALUE, -1e-300));
    r1.put("a_text", List.of("plain", "with,comma", "with \"quote\"", "line\nbreak", ""));
    r1.put("fvec", new float[] {0.1f, -3.4028235e38f, 1.4e-45f, 16777217f});
    r1.put("bvec", List.of(0, 1, 128, 255));
    r1.put("f16vec", new float[] {0.1f, 65504f, -6.1035156e-5f, 1e-7f});
    r1.put("bf16vec", new float[] {0.1f, 3.0e38f, -1.0f, 1e-30f});
    r1.put("i8vec", List.of(-128, -1, 0, 127));
    r1.put("sparse", sparse("12", 0.5f, "4294967294", 1.25f, "0", 3.4028235e38f));
    r1.put("geo", "POINT (1.5 2)");
    r1.put("ts", "2025-01-02T03:04:05Z");
    r1.put("opt_text", "present");
    r1.put("opt_i32", -5);
    r1.put("opt_f64", 2.75);
    r1.put("opt_doc", Map.of("k", "v"));
    r1.put("opt_arr", List.of(1L, 2L));
    r1.put("def_i16", -3);
    r1.put("def_text", "given");
    r1.put("def_bool", false);
    r1.put("def_f32", 0.3f);
    r1.put("opt_def", 5L);
    r1.put("extra_n", 7);
    r1.put("extra_s", "x\"y\n");
    r1.put("$meta", Map.of("m", List.of(1, 2), "nested", Map.of("q", true)));
    rows.add(r1);

    Map<String, Object> r2 = new HashMap<>();
    r2.put("id", Long.MIN_VALUE);
    r2.put("flag", false);
    r2.put("i8", -128);
    r2.put("i16", -32768);
    r2.put("i32", Integer.MIN_VALUE);
    r2.put("i64", Long.MIN_VALUE);
    r2.put("f32", -3.4028235e38f);
    r2.put("f64", -4.9e-324);
    r2.put("text", "");
    r2.put("doc", "{\"from\":\"text\",\"n\":[1,2]}");
    r2.put("doc_any", "\"just a string\"");
    r2.put("a_bool", List.of());
    r2.put("a_i8", List.of());
    r2.put("a_i16", List.of(1));
    r2.put("a_i32", List.of(0));
    r2.put("a_i64", List.of(42L));
    r2.put("a_f32", List.of(1.0f));
    r2.put("a_f64", List.of(123456789.123456789));
    r2.put("a_text", List.of("\uD83D\uDE00", "\u00e9\u00e8"));
    r2.put("fvec", new float[] {1.0f, 2.0f, 3.0f, 4.0f});
    r2.put("bvec", new byte[] {(byte) 0xff, 0x00, (byte) 0x80, 0x7f});
    r2.put("f16vec", List.of(1.0, -2.0, 0.333, 1000.1));
    r2.put("bf16vec", List.of(1.0, -2.0, 0.333, 1000.1));
    r2.put("i8vec", new byte[] {-128, 127, 5, -5});
    r2.put("sparse", sparse("7", 0.0f));
    r2.put("geo", "LINESTRING (0 0, 1 1)");
    r2.put("ts", "2024-02-29T23:59:59.123+08:00");
    r2.put("opt_text", null);
    r2.put("opt_i32", null);
    r2.put("opt_f64", null);
    r2.put("opt_doc", null);
    r2.put("opt_arr", null);
    r2.put("def_i16", null);
    r2.put("def_text", null);
    r2.put("def_bool", null);
    r2.put("def_f32", null);
    r2.put("opt_def", null);
    rows.add(r2);

    Map<String, Object> r3 = new HashMap<>();
    r3.put("id", 3L);
    r3.put("flag", true);
    r3.put("i8", 0);
    r3.put("i16", 0);
    r3.put("i32", 0);
    r3.put("i64", 0L);
    r3.put("f32", 16777216f);
    r3.put("f64", 1e21);
    r3.put("text", "simple");
    r3.put("doc", Map.of());
    r3.put("doc_any", "42");
    r3.put("a_bool", List.of(false));
    r3.put("a_i8", List.of(1, 2, 3, 4, 5, 6, 7, 8));
    r3.put("a_i16", List.of());
    r3.put("a_i32", List.of());
    r3.put("a_i64", List.of());
    r3.put("a_f32", List.of());
    r3.put("a_f64", List.of());
    r3.put("a_text", List.of());
    r3.put("fvec", new float[] {-0.0f, 0.0f, 1e-10f, 123.456f});
    r3.put("bvec", List.of(170, 85, 15, 240));
    r3.put("f16vec", new float[] {0f, 1f, 2f, 3f});
    r3.put("bf16vec", new float[] {0f, 1f, 2f, 3f});
    r3.put("i8vec", List.of(1, 2, 3, 4));
    r3.put("sparse", Map.of("indices", List.of(3, 1), "values", List.of(0.25, 0.75)));
    r3.put("geo", "POLYGON ((0 0, 1 0, 1 1, 0 0))");
    r3.put("ts", "2025-12-31T00:00:00Z");
    // opt_* and def_* missing; dynamic keys with unicode names, and an empty $meta object
    r3.put("\u00fcber", "\u65e5\u672c");
    r3.put("$meta", Map.of());
    rows.add(r3);
    return rows;
  }

  /** Expected sparse entries for the "indices/values" form of row 3, in input order. */
  public static Map<String, Object> expectedSparse(Map<String, Object> input) {
    Object s = input.get("sparse");
    if (s instanceof Map && ((Map<?, ?>) s).containsKey("indices")) {
      List<?> idx = (List<?>) ((Map<?, ?>) s).get("indices");
      List<?> val = (List<?>) ((Map<?, ?>) s).get("values");
      Map<String, Object> m = new LinkedHashMap<>();
      for (int i = 0; i < idx.size(); i++) {
        m.put(String.valueOf(idx.get(i)), ((Number) val.get(i)).floatValue());
      }
      return m;
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> m = (Map<String, Object>) s;
    return m;
  }

  /** The input rows with the "indices/values" sparse form turned into the map form. */
  public static List<Map<String, Object>> expectedRows() {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Map<String, Object> r : rows()) {
      Map<String, Object> c = new HashMap<>(r);
      c.put("sparse", expectedSparse(r));
      out.add(c);
    }
    return out;
  }

  public static List<ValidRow> validRows(CollectionSchema schema, String csvNullKey) {
    RowValidator v = new RowValidator(schema, csvNullKey == null ? dev.milvusbeam.core.row.ColumnCheck.NONE : new NullKeyCheck(csvNullKey, CsvCells::text));
    List<ValidRow> out = new ArrayList<>();
    for (Map<String, Object> r : rows()) {
      out.add(v.validate(r).orThrow());
    }
    return out;
  }
}
