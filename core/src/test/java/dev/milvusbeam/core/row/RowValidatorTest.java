package dev.milvusbeam.core.row;

import static dev.milvusbeam.core.schema.FieldParam.defaultValue;
import static dev.milvusbeam.core.schema.FieldParam.dim;
import static dev.milvusbeam.core.schema.FieldParam.elementType;
import static dev.milvusbeam.core.schema.FieldParam.isPrimary;
import static dev.milvusbeam.core.schema.FieldParam.maxCapacity;
import static dev.milvusbeam.core.schema.FieldParam.maxLength;
import static dev.milvusbeam.core.schema.FieldParam.nullable;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.milvusbeam.core.format.csv.CsvCells;
import dev.milvusbeam.core.row.NullKeyCheck;
import dev.milvusbeam.core.schema.CollectionSchema;
import dev.milvusbeam.core.schema.DataType;
import dev.milvusbeam.core.schema.FieldParam;
import dev.milvusbeam.core.schema.FieldSchema;
import dev.milvusbeam.core.schema.FunctionSchema;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * FORMAT.md sections 2 and 3, rule by rule: rows as Java maps, Jackson nodes and JSON text.
 * Most tests use a schema {@code id} (Int64 primary key), {@code f} (the field under test),
 * {@code v} (FloatVector, dim 2) and a row {@code {"id":7, "f":<value>, "v":[0.5,0.5]}}.
 */
class RowValidatorTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final int MAX_EXCERPT = 73;

  // ---------------------------------------------------------------------------------------------
  // helpers
  // ---------------------------------------------------------------------------------------------

  /** id (Int64 pk), f (the field under test), v (FloatVector dim 2); dynamic field off. */
  static CollectionSchema one(DataType t, FieldParam... params) {
    return CollectionSchema.createSchema(false, false)
        .addField("id", DataType.INT64, isPrimary())
        .addField("f", t, params)
        .addField("v", DataType.FLOAT_VECTOR, dim(2))
        .build();
  }

  static CollectionSchema dynamic() {
    return CollectionSchema.createSchema(false, true)
        .addField("id", DataType.INT64, isPrimary())
        .addField("v", DataType.FLOAT_VECTOR, dim(2))
        .build();
  }

  /** A row from key/value pairs (nulls allowed), insertion-ordered. */
  static Map<String, Object> row(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }

  /** {"id":7, "f":value, "v":[0.5,0.5]}. */
  static Map<String, Object> rowWith(Object value) {
    return row("id", 7L, "f", value, "v", List.of(0.5, 0.5));
  }

  static Object column(CollectionSchema s, ValidationResult r, String name) {
    assertTrue(r.isValid(), () -> "expected valid, got " + r.violations());
    List<FieldSchema> cols = s.columns();
    for (int i = 0; i < cols.size(); i++) {
      if (cols.get(i).name().equals(name)) {
        assertEquals(cols.size(), r.row().size());
        return r.row().get(i);
      }
    }
    throw new AssertionError("no column " + name);
  }

  /** Validates {"id":7,"f":value,"v":[...]} and returns the normalized value of f. */
  static Object accepted(CollectionSchema s, Object value) {
    ValidationResult r = new RowValidator(s).validate(rowWith(value));
    assertTrue(r.violations().isEmpty(), () -> "expected valid, got " + r.violations());
    return column(s, r, "f");
  }

  /** Asserts exactly one violation, on {@code field}, with the rule (any when null). */
  static Violation onlyViolation(ValidationResult r, String field, Rule rule) {
    assertFalse(r.isValid(), "expected a rejection");
    assertNull(r.row());
    assertEquals(1, r.violations().size(), () -> "violations: " + r.violations());
    Violation v = r.violations().get(0);
    assertEquals(field, v.field(), v::toString);
    if (rule != null) {
      assertEquals(rule, v.rule(), v::toString);
    }
    assertNotNull(v.message());
    assertFalse(v.message().isBlank());
    if (v.value() != null) {
      assertTrue(v.value().length() <= MAX_EXCERPT, "excerpt too long: " + v.value());
      assertFalse(v.value().contains("\n"), v.value());
    }
    assertTrue(v.toString().contains(v.rule().code()), v::toString);
    return v;
  }

  /** Validates {"id":7,"f":value,...}: one violation on f with the rule, value shown, pk 7. */
  static Violation rejected(CollectionSchema s, Object value, Rule rule) {
    Violation v = onlyViolation(new RowValidator(s).validate(rowWith(value)), "f", rule);
    assertNotNull(v.value(), "the offending value is shown");
    assertEquals("7", v.primaryKey());
    return v;
  }

  static JsonNode tree(String json) {
    try {
      return MAPPER.readTree(json);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  static JsonNode tree(JsonText t) {
    return tree(t.text());
  }

  static byte[] le16(int... halves) {
    byte[] b = new byte[halves.length * 2];
    for (int i = 0; i < halves.length; i++) {
      b[2 * i] = (byte) halves[i];
      b[2 * i + 1] = (byte) (halves[i] >>> 8);
    }
    return b;
  }

  static Map<String, Object> sparse(Object... kv) {
    return row(kv);
  }

  static Map<String, Object> indices(Object idx, Object vals) {
    return row("indices", idx, "values", vals);
  }

  // ---------------------------------------------------------------------------------------------
  // Section 3: one rejection per rule
  // ---------------------------------------------------------------------------------------------

  static Stream<Arguments> rejections() {
    CollectionSchema bool = one(DataType.BOOL);
    CollectionSchema i8 = one(DataType.INT8);
    CollectionSchema i16 = one(DataType.INT16);
    CollectionSchema i32 = one(DataType.INT32);
    CollectionSchema i64 = one(DataType.INT64);
    CollectionSchema f32 = one(DataType.FLOAT);
    CollectionSchema f64 = one(DataType.DOUBLE);
    CollectionSchema vc4 = one(DataType.VARCHAR, maxLength(4));
    CollectionSchema json = one(DataType.JSON);
    CollectionSchema ai8 = one(DataType.ARRAY, elementType(DataType.INT8), maxCapacity(3));
    CollectionSchema af = one(DataType.ARRAY, elementType(DataType.FLOAT), maxCapacity(3));
    CollectionSchema ad = one(DataType.ARRAY, elementType(DataType.DOUBLE), maxCapacity(3));
    CollectionSchema ab = one(DataType.ARRAY, elementType(DataType.BOOL), maxCapacity(3));
    CollectionSchema avc = one(DataType.ARRAY, elementType(DataType.VARCHAR), maxCapacity(3),
        maxLength(4));
    CollectionSchema fv = one(DataType.FLOAT_VECTOR, dim(3));
    CollectionSchema bv = one(DataType.BINARY_VECTOR, dim(16));
    CollectionSchema f16 = one(DataType.FLOAT16_VECTOR, dim(2));
    CollectionSchema bf16 = one(DataType.BFLOAT16_VECTOR, dim(2));
    CollectionSchema i8v = one(DataType.INT8_VECTOR, dim(2));
    CollectionSchema sp = one(DataType.SPARSE_FLOAT_VECTOR);
    CollectionSchema geo = one(DataType.GEOMETRY);
    CollectionSchema ts = one(DataType.TIMESTAMPTZ);
    BigInteger two63 = BigInteger.ONE.shiftLeft(63);
    return Stream.of(
        // Bool
        Arguments.of("bool from int", bool, 1, Rule.WRONG_TYPE),
        Arguments.of("bool from string", bool, "true", Rule.WRONG_TYPE),
        Arguments.of("bool from double", bool, 0.0, Rule.WRONG_TYPE),
        Arguments.of("bool from list", bool, List.of(true), Rule.WRONG_TYPE),
        // Int8/16/32/64
        Arguments.of("int8 128", i8, 128, Rule.INT_RANGE),
        Arguments.of("int8 -129", i8, -129, Rule.INT_RANGE),
        Arguments.of("int8 128.0", i8, 128.0, Rule.INT_RANGE),
        Arguments.of("int8 1.5", i8, 1.5, Rule.INT_FRACTION),
        Arguments.of("int8 string", i8, "12", Rule.WRONG_TYPE),
        Arguments.of("int8 boolean", i8, true, Rule.WRONG_TYPE),
        Arguments.of("int8 NaN", i8, Double.NaN, Rule.NOT_FINITE),
        Arguments.of("int16 32768", i16, 32768, Rule.INT_RANGE),
        Arguments.of("int16 -32769", i16, -32769, Rule.INT_RANGE),
        Arguments.of("int32 2^31", i32, 2147483648L, Rule.INT_RANGE),
        Arguments.of("int32 -2^31-1", i32, -2147483649L, Rule.INT_RANGE),
        Arguments.of("int32 fraction float", i32, 2.5f, Rule.INT_FRACTION),
        Arguments.of("int64 BigInteger 2^63", i64, two63, Rule.INT_RANGE),
        Arguments.of("int64 BigInteger -2^63-1", i64, two63.negate().subtract(BigInteger.ONE),
            Rule.INT_RANGE),
        Arguments.of("int64 double 2^63", i64, 0x1p63, Rule.INT_RANGE),
        Arguments.of("int64 BigDecimal 1e19", i64, new BigDecimal("1e19"), Rule.INT_RANGE),
        Arguments.of("int64 BigDecimal 1.5", i64, new BigDecimal("1.5"), Rule.INT_FRACTION),
        Arguments.of("int64 1.5", i64, 1.5, Rule.INT_FRACTION),
        Arguments.of("int64 string", i64, "12", Rule.WRONG_TYPE),
        Arguments.of("int64 boolean", i64, false, Rule.WRONG_TYPE),
        Arguments.of("int64 Infinity", i64, Double.POSITIVE_INFINITY, Rule.NOT_FINITE),
        // Float / Double
        Arguments.of("float NaN", f32, Double.NaN, Rule.NOT_FINITE),
        Arguments.of("float NaN (Float)", f32, Float.NaN, Rule.NOT_FINITE),
        Arguments.of("float +Inf", f32, Double.POSITIVE_INFINITY, Rule.NOT_FINITE),
        Arguments.of("float -Inf", f32, Float.NEGATIVE_INFINITY, Rule.NOT_FINITE),
        Arguments.of("float 3.5e38", f32, 3.5e38, Rule.FLOAT32_RANGE),
        Arguments.of("float -3.5e38", f32, -3.5e38, Rule.FLOAT32_RANGE),
        Arguments.of("float BigDecimal 1e39", f32, new BigDecimal("1e39"), Rule.FLOAT32_RANGE),
        Arguments.of("float string", f32, "1.0", Rule.WRONG_TYPE),
        Arguments.of("float boolean", f32, true, Rule.WRONG_TYPE),
        Arguments.of("double NaN", f64, Double.NaN, Rule.NOT_FINITE),
        Arguments.of("double +Inf", f64, Double.POSITIVE_INFINITY, Rule.NOT_FINITE),
        Arguments.of("double -Inf", f64, Double.NEGATIVE_INFINITY, Rule.NOT_FINITE),
        Arguments.of("double BigDecimal 1e400", f64, new BigDecimal("1e400"), null),
        Arguments.of("double string", f64, "x", Rule.WRONG_TYPE),
        // VarChar (max_length 4, in UTF-8 bytes)
        Arguments.of("varchar 3 chars 6 bytes", vc4, "ééé", Rule.VARCHAR_LENGTH),
        Arguments.of("varchar 5 ascii", vc4, "abcde", Rule.VARCHAR_LENGTH),
        Arguments.of("varchar emoji + 1", vc4, "\uD83D\uDE00a", Rule.VARCHAR_LENGTH),
        Arguments.of("varchar 2 CJK = 6 bytes", vc4, "中文", Rule.VARCHAR_LENGTH),
        Arguments.of("varchar lone high surrogate", vc4, "\ud800", Rule.INVALID_UTF8),
        Arguments.of("varchar lone low surrogate", vc4, "a\udc00", Rule.INVALID_UTF8),
        Arguments.of("varchar reversed pair", vc4, "\ude00\ud83d", Rule.INVALID_UTF8),
        Arguments.of("varchar number", vc4, 12, Rule.WRONG_TYPE),
        Arguments.of("varchar object", vc4, Map.of("a", 1), Rule.WRONG_TYPE),
        // JSON
        Arguments.of("json bare list", json, List.of(1, 2), Rule.JSON_NOT_OBJECT),
        Arguments.of("json bare array node", json, tree("[1,2]"), Rule.JSON_NOT_OBJECT),
        Arguments.of("json bare number", json, 42, Rule.JSON_NOT_OBJECT),
        Arguments.of("json bare boolean", json, true, Rule.JSON_NOT_OBJECT),
        Arguments.of("json int[]", json, new int[] {1}, Rule.JSON_NOT_OBJECT),
        Arguments.of("json invalid text", json, "{bad", Rule.INVALID_JSON),
        Arguments.of("json plain word", json, "hello", Rule.INVALID_JSON),
        Arguments.of("json empty text", json, "", Rule.INVALID_JSON),
        Arguments.of("json text NaN", json, "{\"a\":NaN}", Rule.INVALID_JSON),
        Arguments.of("json text trailing", json, "{\"a\":1} x", Rule.INVALID_JSON),
        Arguments.of("json text duplicate key", json, "{\"a\":1,\"a\":2}", Rule.INVALID_JSON),
        Arguments.of("json text lone surrogate", json, "{\"a\":\"\ud800\"}", Rule.INVALID_UTF8),
        Arguments.of("json text escaped lone surrogate", json, "{\"a\":\"\\ud800\"}",
            Rule.INVALID_UTF8),
        Arguments.of("json map NaN", json, Map.of("a", Double.NaN), Rule.NOT_FINITE),
        Arguments.of("json map nested Inf", json, Map.of("a", List.of(1.0, Double.NEGATIVE_INFINITY)),
            Rule.NOT_FINITE),
        Arguments.of("json map lone surrogate value", json, Map.of("a", "x\ud800"),
            Rule.INVALID_UTF8),
        Arguments.of("json map lone surrogate key", json, Map.of("\udc00", 1), Rule.INVALID_UTF8),
        // Array
        Arguments.of("array over capacity", ai8, List.of(1, 2, 3, 4), Rule.ARRAY_CAPACITY),
        Arguments.of("array null element", ai8, Arrays.asList(1, null), Rule.ARRAY_NULL_ELEMENT),
        Arguments.of("array int8 element 200", ai8, List.of(1, 200), Rule.INT_RANGE),
        Arguments.of("array int8 element fraction", ai8, List.of(1.5), Rule.INT_FRACTION),
        Arguments.of("array int8 element string", ai8, List.of("1"), Rule.WRONG_TYPE),
        Arguments.of("array from string", ai8, "[1,2]", Rule.WRONG_TYPE),
        Arguments.of("array from number", ai8, 5, Rule.WRONG_TYPE),
        Arguments.of("array from map", ai8, Map.of("a", 1), Rule.WRONG_TYPE),
        Arguments.of("array float NaN", af, List.of(1.0, Double.NaN), Rule.NOT_FINITE),
        Arguments.of("array float 3.5e38", af, List.of(3.5e38), Rule.FLOAT32_RANGE),
        Arguments.of("array float string", af, List.of("1"), Rule.WRONG_TYPE),
        Arguments.of("array double Inf", ad, new double[] {Double.POSITIVE_INFINITY},
            Rule.NOT_FINITE),
        Arguments.of("array bool int", ab, List.of(1), Rule.WRONG_TYPE),
        Arguments.of("array varchar too long", avc, List.of("ok", "ééé"), Rule.VARCHAR_LENGTH),
        Arguments.of("array varchar lone surrogate", avc, List.of("\ud800"), Rule.INVALID_UTF8),
        Arguments.of("array varchar number", avc, List.of(1), Rule.WRONG_TYPE),
        // FloatVector (dim 3)
        Arguments.of("fv short list", fv, List.of(1, 2), Rule.VECTOR_DIM),
        Arguments.of("fv long float[]", fv, new float[4], Rule.VECTOR_DIM),
        Arguments.of("fv short double[]", fv, new double[2], Rule.VECTOR_DIM),
        Arguments.of("fv empty", fv, List.of(), Rule.VECTOR_DIM),
        Arguments.of("fv NaN in list", fv, List.of(1.0, Double.NaN, 2.0), Rule.NOT_FINITE),
        Arguments.of("fv NaN in float[]", fv, new float[] {0, Float.NaN, 0}, Rule.NOT_FINITE),
        Arguments.of("fv Inf in double[]", fv, new double[] {0, 0, Double.NEGATIVE_INFINITY},
            Rule.NOT_FINITE),
        Arguments.of("fv Inf in float[]", fv, new float[] {Float.POSITIVE_INFINITY, 0, 0},
            Rule.NOT_FINITE),
        Arguments.of("fv 3.5e38 in list", fv, List.of(1, 2, 3.5e38), Rule.FLOAT32_RANGE),
        Arguments.of("fv 3.5e38 in double[]", fv, new double[] {3.5e38, 0, 0}, Rule.FLOAT32_RANGE),
        Arguments.of("fv string element", fv, List.of("1", 2, 3), Rule.WRONG_TYPE),
        Arguments.of("fv null element", fv, Arrays.asList(1, null, 3), Rule.WRONG_TYPE),
        Arguments.of("fv boolean element", fv, List.of(1, true, 3), Rule.WRONG_TYPE),
        Arguments.of("fv from string", fv, "1,2,3", Rule.WRONG_TYPE),
        Arguments.of("fv from number", fv, 1.0, Rule.WRONG_TYPE),
        // BinaryVector (dim 16 = 2 bytes)
        Arguments.of("bv 3 bytes", bv, List.of(1, 2, 3), Rule.VECTOR_DIM),
        Arguments.of("bv 16 bits as 16 ints", bv, new int[16], Rule.VECTOR_DIM),
        Arguments.of("bv 256", bv, List.of(1, 256), Rule.BYTE_RANGE),
        Arguments.of("bv -1", bv, List.of(-1, 0), Rule.BYTE_RANGE),
        Arguments.of("bv fraction", bv, List.of(1.5, 0), Rule.INT_FRACTION),
        Arguments.of("bv string", bv, List.of("a", 1), Rule.WRONG_TYPE),
        Arguments.of("bv byte[3]", bv, new byte[3], Rule.VECTOR_DIM),
        // Float16 / BFloat16 (dim 2)
        Arguments.of("fp16 70000", f16, List.of(70000, 1), Rule.HALF_RANGE),
        Arguments.of("fp16 -70000", f16, List.of(0, -70000.0), Rule.HALF_RANGE),
        Arguments.of("fp16 65520 rounds to Inf", f16, new float[] {65520f, 0}, Rule.HALF_RANGE),
        Arguments.of("fp16 NaN", f16, List.of(Double.NaN, 0), Rule.NOT_FINITE),
        Arguments.of("fp16 wrong dim", f16, List.of(1), Rule.VECTOR_DIM),
        Arguments.of("fp16 float32 overflow", f16, List.of(3.5e38, 0), Rule.FLOAT32_RANGE),
        Arguments.of("bf16 3.4e38 rounds to Inf", bf16, List.of(3.4e38, 0), Rule.HALF_RANGE),
        Arguments.of("bf16 float max", bf16, new float[] {Float.MAX_VALUE, 1}, Rule.HALF_RANGE),
        Arguments.of("bf16 Inf", bf16, new double[] {0, Double.POSITIVE_INFINITY}, Rule.NOT_FINITE),
        Arguments.of("bf16 wrong dim", bf16, new float[3], Rule.VECTOR_DIM),
        // Int8Vector (dim 2)
        Arguments.of("int8v 128", i8v, List.of(128, 0), Rule.BYTE_RANGE),
        Arguments.of("int8v -129", i8v, List.of(0, -129), Rule.BYTE_RANGE),
        Arguments.of("int8v fraction", i8v, List.of(0.5, 0), Rule.INT_FRACTION),
        Arguments.of("int8v wrong dim", i8v, List.of(1, 2, 3), Rule.VECTOR_DIM),
        Arguments.of("int8v byte[1]", i8v, new byte[1], Rule.VECTOR_DIM),
        // SparseFloatVector
        Arguments.of("sparse empty", sp, Map.of(), Rule.SPARSE_EMPTY),
        Arguments.of("sparse empty indices form", sp, indices(List.of(), List.of()),
            Rule.SPARSE_EMPTY),
        Arguments.of("sparse negative", sp, sparse("1", 0.5, "2", -0.5), Rule.SPARSE_NEGATIVE),
        Arguments.of("sparse negative indices form", sp, indices(List.of(3), List.of(-1)),
            Rule.SPARSE_NEGATIVE),
        Arguments.of("sparse duplicate indices form", sp, indices(List.of(1, 1), List.of(0.1, 0.2)),
            Rule.SPARSE_DUPLICATE),
        Arguments.of("sparse duplicate int/string key", sp, sparse("1", 0.1, "01", 0.2),
            Rule.SPARSE_DUPLICATE),
        Arguments.of("sparse index 2^32-1", sp, sparse("4294967295", 1.0), Rule.SPARSE_INDEX),
        Arguments.of("sparse index 2^32-1 indices form", sp,
            indices(List.of(4294967295L), List.of(1)), Rule.SPARSE_INDEX),
        Arguments.of("sparse index huge", sp, sparse("99999999999999999999", 1.0), Rule.SPARSE_INDEX),
        Arguments.of("sparse key not integer", sp, sparse("a", 1.0), Rule.SPARSE_INDEX),
        Arguments.of("sparse key fraction", sp, sparse("1.5", 1.0), Rule.SPARSE_INDEX),
        Arguments.of("sparse key negative", sp, sparse("-1", 1.0), Rule.SPARSE_INDEX),
        Arguments.of("sparse key empty", sp, sparse("", 1.0), Rule.SPARSE_INDEX),
        Arguments.of("sparse index negative indices form", sp, indices(List.of(-1), List.of(1)),
            Rule.SPARSE_INDEX),
        Arguments.of("sparse index fraction indices form", sp, indices(List.of(1.5), List.of(1)),
            Rule.SPARSE_INDEX),
        Arguments.of("sparse NaN", sp, sparse("1", Double.NaN), Rule.NOT_FINITE),
        Arguments.of("sparse Inf", sp, sparse("1", Double.POSITIVE_INFINITY), Rule.NOT_FINITE),
        Arguments.of("sparse 3.5e38", sp, sparse("1", 3.5e38), Rule.FLOAT32_RANGE),
        Arguments.of("sparse 3.5e38 indices form", sp, indices(List.of(1), List.of(3.5e38)),
            Rule.FLOAT32_RANGE),
        Arguments.of("sparse string value", sp, sparse("1", "x"), Rule.WRONG_TYPE),
        Arguments.of("sparse lengths differ", sp, indices(List.of(1, 2), List.of(1)),
            Rule.WRONG_TYPE),
        Arguments.of("sparse indices not a list", sp, indices(List.of(1), 1), Rule.WRONG_TYPE),
        Arguments.of("sparse from list", sp, List.of(1, 2), Rule.WRONG_TYPE),
        Arguments.of("sparse from string", sp, "{\"1\":0.5}", Rule.WRONG_TYPE),
        // Geometry / Timestamptz
        Arguments.of("geometry hello", geo, "hello", Rule.GEOMETRY_WKT),
        Arguments.of("geometry empty", geo, "", Rule.GEOMETRY_WKT),
        Arguments.of("geometry POINT without coordinates", geo, "POINT", Rule.GEOMETRY_WKT),
        Arguments.of("geometry number", geo, 5, Rule.WRONG_TYPE),
        Arguments.of("geometry lone surrogate", geo, "POINT (1 2)\ud800", Rule.INVALID_UTF8),
        Arguments.of("timestamp month 13", ts, "2025-13-01T00:00:00Z", Rule.TIMESTAMP_RFC3339),
        Arguments.of("timestamp Feb 30", ts, "2025-02-30T00:00:00Z", Rule.TIMESTAMP_RFC3339),
        Arguments.of("timestamp hour 24", ts, "2025-01-01T24:00:00Z", Rule.TIMESTAMP_RFC3339),
        Arguments.of("timestamp date only", ts, "2025-01-01", Rule.TIMESTAMP_RFC3339),
        Arguments.of("timestamp no zone", ts, "2025-01-01T00:00:00", Rule.TIMESTAMP_RFC3339),
        Arguments.of("timestamp offset 24h", ts, "2025-01-01T00:00:00+24:00",
            Rule.TIMESTAMP_RFC3339),
        Arguments.of("timestamp epoch number", ts, 1700000000, Rule.WRONG_TYPE));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rejections")
  void rejects(String what, CollectionSchema schema, Object value, Rule rule) {
    Violation v = rejected(schema, value, rule);
    assertTrue(v.toString().contains("field 'f'"), v::toString);
  }

  // ---------------------------------------------------------------------------------------------
  // Section 3: accepted values and their normalized forms
  // ---------------------------------------------------------------------------------------------

  @Test
  void boolAccepted() {
    assertEquals(Boolean.TRUE, accepted(one(DataType.BOOL), true));
    assertEquals(Boolean.FALSE, accepted(one(DataType.BOOL), false));
  }

  @Test
  void integersAcceptedAsLong() {
    CollectionSchema i8 = one(DataType.INT8);
    assertEquals(127L, accepted(i8, 127));
    assertEquals(-128L, accepted(i8, -128));
    assertEquals(5L, accepted(i8, (byte) 5));
    assertEquals(5L, accepted(i8, (short) 5));
    assertEquals(3L, accepted(i8, 3.0), "an integral float is the integer");
    assertEquals(3L, accepted(i8, 3.0f));
    assertEquals(-0L, accepted(i8, -0.0));
    assertEquals(3L, accepted(i8, new BigDecimal("3.00")));
    assertEquals(100L, accepted(i8, BigInteger.valueOf(100)));
    CollectionSchema i16 = one(DataType.INT16);
    assertEquals(32767L, accepted(i16, 32767));
    assertEquals(-32768L, accepted(i16, -32768L));
    CollectionSchema i32 = one(DataType.INT32);
    assertEquals(2147483647L, accepted(i32, Integer.MAX_VALUE));
    assertEquals(-2147483648L, accepted(i32, -2147483648L));
    CollectionSchema i64 = one(DataType.INT64);
    assertEquals(Long.MAX_VALUE, accepted(i64, Long.MAX_VALUE));
    assertEquals(Long.MAX_VALUE, accepted(i64, BigInteger.ONE.shiftLeft(63).subtract(BigInteger.ONE)));
    assertEquals(Long.MIN_VALUE, accepted(i64, BigInteger.ONE.shiftLeft(63).negate()));
    assertEquals(Long.MIN_VALUE, accepted(i64, -0x1p63));
    assertEquals(100L, accepted(i64, new BigDecimal("1E+2")));
    assertEquals(-9_000_000_000L, accepted(i64, -9e9));
    assertSame(Long.class, accepted(i64, 1).getClass());
  }

  @Test
  void floatTakesIntegersAndRoundsToFloat32() {
    CollectionSchema f = one(DataType.FLOAT);
    assertEquals(3f, accepted(f, 3));
    assertEquals(3f, accepted(f, 3L));
    assertEquals(1.5f, accepted(f, 1.5));
    assertEquals(0.1f, accepted(f, 0.1));
    assertEquals(0.1f, accepted(f, new BigDecimal("0.1")));
    assertEquals(16777216f, accepted(f, 16777217L));
    assertEquals(Float.MAX_VALUE, accepted(f, (double) Float.MAX_VALUE));
    assertEquals(-3.4e38f, accepted(f, -3.4e38));
    assertEquals(Float.MIN_VALUE, accepted(f, (double) Float.MIN_VALUE));
    assertEquals(0f, accepted(f, 1e-50), "underflow to zero is no error");
    assertSame(Float.class, accepted(f, 1).getClass());
    CollectionSchema d = one(DataType.DOUBLE);
    assertEquals(3.0, accepted(d, 3));
    assertEquals(1e300, accepted(d, 1e300));
    assertEquals((double) 0.1f, accepted(d, 0.1f));
    assertEquals(9.2233720368547758E18, accepted(d, Long.MAX_VALUE));
    assertEquals(Double.MAX_VALUE, accepted(d, Double.MAX_VALUE));
    assertSame(Double.class, accepted(d, 1).getClass());
  }

  @Test
  void varcharLengthIsUtf8Bytes() {
    CollectionSchema s = one(DataType.VARCHAR, maxLength(4));
    assertEquals("éé", accepted(s, "éé"), "2 chars, 4 bytes");
    assertEquals("abcd", accepted(s, "abcd"));
    assertEquals("\uD83D\uDE00", accepted(s, "\uD83D\uDE00"), "emoji: 2 chars, 4 bytes");
    assertEquals("", accepted(s, ""));
    Violation v = rejected(s, "ééé", Rule.VARCHAR_LENGTH);
    assertTrue(v.message().contains("6"), v.message());
    assertTrue(v.message().contains("4"), v.message());
    CollectionSchema one = one(DataType.VARCHAR, maxLength(1));
    assertEquals("a", accepted(one, "a"));
    rejected(one, "é", Rule.VARCHAR_LENGTH);
    CollectionSchema three = one(DataType.VARCHAR, maxLength(3));
    assertEquals("中", accepted(three, "中"));
    rejected(three, "\uD83D\uDE00", Rule.VARCHAR_LENGTH);
    CollectionSchema big = one(DataType.VARCHAR, maxLength(65535));
    assertEquals(65535, ((String) accepted(big, "x".repeat(65535))).length());
    rejected(big, "é".repeat(32768), Rule.VARCHAR_LENGTH);
    assertEquals(21845, ((String) accepted(big, "中".repeat(21845))).length());
    rejected(big, "中".repeat(21846), Rule.VARCHAR_LENGTH);
  }

  @Test
  void jsonFieldForms() {
    CollectionSchema s = one(DataType.JSON);
    JsonText inline = (JsonText) accepted(s, row("a", 1, "b", List.of("x", row("c", null))));
    assertTrue(inline.isObject());
    assertEquals(tree("{\"a\":1,\"b\":[\"x\",{\"c\":null}]}"), tree(inline));
    JsonText fromText = (JsonText) accepted(s, "{ \"a\" : 1 }");
    assertTrue(fromText.isObject(), "a string holding an object is an object");
    assertEquals("{\"a\":1}", fromText.text(), "compact text");
    JsonText list = (JsonText) accepted(s, "[1,2]");
    assertFalse(list.isObject());
    assertEquals("[1,2]", list.text());
    JsonText number = (JsonText) accepted(s, "3.5");
    assertFalse(number.isObject());
    assertEquals(tree("3.5"), tree(number));
    JsonText string = (JsonText) accepted(s, "\"s\"");
    assertFalse(string.isObject());
    assertEquals("\"s\"", string.text());
    JsonText node = (JsonText) accepted(s, tree("{\"k\":[true,false]}"));
    assertTrue(node.isObject());
    assertEquals("{\"k\":[true,false]}", node.text());
    JsonText empty = (JsonText) accepted(s, Map.of());
    assertTrue(empty.isObject());
    assertEquals("{}", empty.text());
    JsonText unicode = (JsonText) accepted(s, Map.of("k", "é\uD83D\uDE00"));
    assertEquals("é\uD83D\uDE00", tree(unicode).get("k").textValue());
    JsonText digits = (JsonText) accepted(s, "{\"x\":0.1000000000000000055511151231257827}");
    assertTrue(digits.text().contains("0.1000000000000000055511151231257827"),
        "every digit of JSON text is kept: " + digits.text());
  }

  @Test
  void arraysNormalized() {
    CollectionSchema i64 = one(DataType.ARRAY, elementType(DataType.INT64), maxCapacity(3));
    assertEquals(List.of(1L, 2L, 3L), accepted(i64, List.of(1, 2, 3)));
    assertEquals(List.of(1L, 2L), accepted(i64, new long[] {1, 2}));
    assertEquals(List.of(4L), accepted(i64, new int[] {4}));
    assertEquals(List.of(3L), accepted(i64, List.of(3.0)));
    assertEquals(List.of(), accepted(i64, List.of()));
    assertEquals(List.of(5L, 6L), accepted(i64, tree("[5,6]")));
    assertEquals(List.of(7L), accepted(i64, new java.util.TreeSet<>(Set.of(7))), "an Iterable");
    CollectionSchema i8 = one(DataType.ARRAY, elementType(DataType.INT8), maxCapacity(3));
    assertEquals(List.of(-128L, 127L), accepted(i8, List.of(-128, 127)));
    CollectionSchema f = one(DataType.ARRAY, elementType(DataType.FLOAT), maxCapacity(3));
    assertEquals(List.of(1f, 0.5f, 0.1f), accepted(f, List.of(1, 0.5, 0.1)));
    CollectionSchema d = one(DataType.ARRAY, elementType(DataType.DOUBLE), maxCapacity(3));
    assertEquals(List.of(1.0, 0.1), accepted(d, new double[] {1, 0.1}));
    CollectionSchema b = one(DataType.ARRAY, elementType(DataType.BOOL), maxCapacity(3));
    assertEquals(List.of(true, false), accepted(b, new boolean[] {true, false}));
    CollectionSchema vc = one(DataType.ARRAY, elementType(DataType.VARCHAR), maxCapacity(3),
        maxLength(4));
    assertEquals(List.of("éé", "", "abcd"), accepted(vc, List.of("éé", "", "abcd")));
    assertEquals(List.of("x"), accepted(vc, new String[] {"x"}));
  }

  @Test
  void arrayViolationNamesTheElement() {
    CollectionSchema i8 = one(DataType.ARRAY, elementType(DataType.INT8), maxCapacity(3));
    Violation v = rejected(i8, List.of(1, 2, 200), Rule.INT_RANGE);
    assertTrue(v.message().contains("element 2"), v.message());
    assertEquals("[1,2,200]", v.value(), "the excerpt shows the whole array");
  }

  @Test
  void floatVectorInputs() {
    CollectionSchema s = one(DataType.FLOAT_VECTOR, dim(3));
    assertArrayEquals(new float[] {1, 2.5f, 3}, (float[]) accepted(s, new float[] {1, 2.5f, 3}));
    assertArrayEquals(new float[] {1, 0.1f, -3}, (float[]) accepted(s, new double[] {1, 0.1, -3}));
    assertArrayEquals(new float[] {1, 2.5f, 3}, (float[]) accepted(s, List.of(1, 2.5f, 3L)));
    assertArrayEquals(new float[] {1, 2, 3}, (float[]) accepted(s, new Float[] {1f, 2f, 3f}));
    assertArrayEquals(new float[] {1, 2, 3}, (float[]) accepted(s, tree("[1,2,3]")));
    assertArrayEquals(new float[] {Float.MAX_VALUE, 0, 0},
        (float[]) accepted(s, List.of((double) Float.MAX_VALUE, 0, 0)));
    float[] input = {1, 2, 3};
    float[] out = (float[]) accepted(s, input);
    input[0] = 99;
    assertEquals(1f, out[0], "the normalized vector is a copy");
  }

  @Test
  void binaryVectorInputs() {
    CollectionSchema s = one(DataType.BINARY_VECTOR, dim(16));
    assertArrayEquals(new byte[] {0, (byte) 255}, (byte[]) accepted(s, List.of(0, 255)));
    assertArrayEquals(new byte[] {(byte) 0x80, 1}, (byte[]) accepted(s, new int[] {128, 1}));
    assertArrayEquals(new byte[] {7, (byte) 0xf0}, (byte[]) accepted(s, new byte[] {7, (byte) 0xf0}));
    assertArrayEquals(new byte[] {3, 4}, (byte[]) accepted(s, List.of(3.0, 4.0)));
    CollectionSchema wide = one(DataType.BINARY_VECTOR, dim(64));
    assertEquals(8, ((byte[]) accepted(wide, new byte[8])).length);
  }

  @Test
  void halfVectorsAreLittleEndianBits() {
    CollectionSchema f16 = one(DataType.FLOAT16_VECTOR, dim(4));
    assertArrayEquals(le16(0x3c00, 0xc000, 0x7bff, 0x0000),
        (byte[]) accepted(f16, List.of(1.0, -2, 65504, 1e-8)));
    assertArrayEquals(le16(0x3c00, 0x3c00, 0x3c02, 0x2e66),
        (byte[]) accepted(f16, new double[] {1.0, 1.00048828125, 1.00146484375, 0.1}),
        "round to nearest even");
    assertArrayEquals(le16(0x0001, 0x8000, 0x0400, 0x3800),
        (byte[]) accepted(f16, new float[] {0x1p-24f, -0.0f, 0x1p-14f, 0.5f}));
    CollectionSchema bf16 = one(DataType.BFLOAT16_VECTOR, dim(3));
    assertArrayEquals(le16(0x3f80, 0xc000, 0x3dcd), (byte[]) accepted(bf16, List.of(1, -2.0, 0.1)));
    assertArrayEquals(le16(0x3f80, 0x3f82, 0x4780),
        (byte[]) accepted(bf16, new float[] {1.00390625f, 1.01171875f, 65504f}));
    assertArrayEquals(le16(0x477f, 0, 0), (byte[]) accepted(bf16, List.of(65280, 0, 0)));
    // 70000 is fine for bf16
    assertEquals(6, ((byte[]) accepted(bf16, List.of(70000, 1e30, -1e30))).length);
  }

  @Test
  void int8VectorInputs() {
    CollectionSchema s = one(DataType.INT8_VECTOR, dim(3));
    assertArrayEquals(new byte[] {-128, 0, 127}, (byte[]) accepted(s, List.of(-128, 0, 127)));
    assertArrayEquals(new byte[] {1, 2, 3}, (byte[]) accepted(s, new byte[] {1, 2, 3}));
    assertArrayEquals(new byte[] {-1, 2, 3}, (byte[]) accepted(s, new short[] {-1, 2, 3}));
  }

  @Test
  void sparseVectorForms() {
    CollectionSchema s = one(DataType.SPARSE_FLOAT_VECTOR);
    assertEquals(new SparseVector(new long[] {1, 10}, new float[] {0.5f, 0f}),
        accepted(s, sparse("1", 0.5, "10", 0)));
    assertEquals(new SparseVector(new long[] {3, 2}, new float[] {0.25f, 1f}),
        accepted(s, indices(List.of(3, 2), List.of(0.25, 1))), "entries keep their order");
    assertEquals(new SparseVector(new long[] {4294967294L}, new float[] {1f}),
        accepted(s, sparse("4294967294", 1)), "2^32-2 is the largest index");
    assertEquals(new SparseVector(new long[] {4294967294L}, new float[] {1f}),
        accepted(s, indices(List.of(4294967294L), List.of(1))));
    assertEquals(new SparseVector(new long[] {0}, new float[] {3f}),
        accepted(s, Map.of(0, 3)), "integer keys");
    assertEquals(new SparseVector(new long[] {5}, new float[] {0.1f}),
        accepted(s, tree("{\"5\":0.1}")));
    assertEquals(new SparseVector(new long[] {5, 6}, new float[] {0.1f, 2f}),
        accepted(s, tree("{\"indices\":[5,6],\"values\":[0.1,2]}")));
    assertEquals(new SparseVector(new long[] {2}, new float[] {0f}), accepted(s, sparse("2", -0.0)),
        "negative zero is zero, not negative");
    SparseVector given = new SparseVector(new long[] {9}, new float[] {9f});
    assertEquals(given, accepted(s, given));
    // a map with "indices" and "values" plus more keys is the index form: "indices" is no index
    rejected(s, row("indices", List.of(1), "values", List.of(1), "3", 1), Rule.SPARSE_INDEX);
  }

  @Test
  void geometryAndTimestamptz() {
    CollectionSchema geo = one(DataType.GEOMETRY);
    for (String wkt : new String[] {"POINT (1 2)", "point(1 2)", "POLYGON EMPTY",
        "MULTIPOINT Z ((1 2 3))", "LINESTRING (0 0, 1 1)", " GEOMETRYCOLLECTION (POINT (1 2))"}) {
      assertEquals(wkt, accepted(geo, wkt));
    }
    CollectionSchema ts = one(DataType.TIMESTAMPTZ);
    for (String t : new String[] {"2025-01-02T03:04:05Z", "2025-01-02T03:04:05.123456789+08:00",
        "2016-12-31T23:59:60Z", "2025-01-02 03:04:05z", "2024-02-29T00:00:00-05:30"}) {
      assertEquals(t, accepted(ts, t));
    }
  }

  @Test
  void violationValueIsShortened() {
    CollectionSchema s = one(DataType.VARCHAR, maxLength(10));
    Violation v = rejected(s, "x".repeat(1000), Rule.VARCHAR_LENGTH);
    assertTrue(v.value().endsWith("..."), v.value());
    assertTrue(v.value().startsWith("\"xxxx"), v.value());
    CollectionSchema fv = one(DataType.FLOAT_VECTOR, dim(1000));
    float[] big = new float[1000];
    big[999] = Float.NaN;
    Violation nan = rejected(fv, big, Rule.NOT_FINITE);
    assertTrue(nan.value().contains("n=1000"), nan.value());
    assertTrue(nan.message().contains("999"), nan.message());
    Violation newline = rejected(s, "line1\nline2\nline3", Rule.VARCHAR_LENGTH);
    assertFalse(newline.value().contains("\n"));
    Violation lone = rejected(s, "a\ud800", Rule.INVALID_UTF8);
    assertTrue(lone.value().contains("\\ud800"), lone.value());
    assertTrue(Utf8.isWellFormed(lone.value()), "the excerpt itself is printable UTF-8");
    CollectionSchema json = one(DataType.JSON);
    Violation j = rejected(json, "{" + "\"k\":1,".repeat(100), Rule.INVALID_JSON);
    assertTrue(j.value().length() <= MAX_EXCERPT);
  }

  // ---------------------------------------------------------------------------------------------
  // Nullable, defaults, missing values
  // ---------------------------------------------------------------------------------------------

  @Test
  void nullableNullOrMissingIsNull() {
    CollectionSchema s = one(DataType.INT64, nullable());
    RowValidator rv = new RowValidator(s);
    assertNull(column(s, rv.validate(rowWith(null)), "f"));
    assertNull(column(s, rv.validate(row("id", 7, "v", List.of(0, 0))), "f"));
    assertNull(column(s, rv.validate(rowWith(NullNode.getInstance())), "f"));
    assertEquals(5L, column(s, rv.validate(rowWith(5)), "f"));
    for (DataType t : new DataType[] {DataType.JSON, DataType.GEOMETRY, DataType.BOOL,
        DataType.DOUBLE}) {
      CollectionSchema n = one(t, nullable());
      assertNull(column(n, new RowValidator(n).validate(rowWith(null)), "f"), t.toString());
    }
    CollectionSchema arr = one(DataType.ARRAY, elementType(DataType.INT64), maxCapacity(2),
        nullable());
    assertNull(column(arr, new RowValidator(arr).validate(rowWith(null)), "f"));
  }

  @Test
  void defaultFilledForNullAndMissing() {
    CollectionSchema s = CollectionSchema.createSchema(false, false)
        .addField("id", DataType.INT64, isPrimary())
        .addField("d", DataType.INT64, defaultValue("-9000000000"))
        .addField("nd", DataType.VARCHAR, maxLength(24), nullable(), defaultValue("dflt-é"))
        .addField("b", DataType.BOOL, defaultValue(false))
        .addField("fl", DataType.FLOAT, defaultValue(0.1))
        .addField("v", DataType.FLOAT_VECTOR, dim(2))
        .build();
    RowValidator rv = new RowValidator(s);
    ValidationResult missing = rv.validate(row("id", 1, "v", List.of(0, 0)));
    assertEquals(-9_000_000_000L, column(s, missing, "d"));
    assertEquals("dflt-é", column(s, missing, "nd"));
    assertEquals(Boolean.FALSE, column(s, missing, "b"));
    assertEquals(0.1f, column(s, missing, "fl"));
    ValidationResult nulls = rv.validate(row("id", 1, "d", null, "nd", null, "b", null, "fl",
        NullNode.getInstance(), "v", List.of(0, 0)));
    assertEquals(missing.row(), nulls.row());
    ValidationResult given = rv.validate(row("id", 1, "d", 3, "nd", "x", "b", true, "fl", 2,
        "v", List.of(0, 0)));
    assertEquals(3L, column(s, given, "d"));
    assertEquals("x", column(s, given, "nd"));
    assertEquals(Boolean.TRUE, column(s, given, "b"));
    assertEquals(2f, column(s, given, "fl"));
  }

  @Test
  void nonNullableMissingOrNull() {
    CollectionSchema s = one(DataType.INT64);
    RowValidator rv = new RowValidator(s);
    Violation missing = onlyViolation(rv.validate(row("id", 7, "v", List.of(0, 0))), "f",
        Rule.MISSING_VALUE);
    assertNull(missing.value());
    assertEquals("7", missing.primaryKey());
    Violation nul = onlyViolation(rv.validate(rowWith(null)), "f", Rule.NULL_VALUE);
    assertEquals("7", nul.primaryKey());
    onlyViolation(rv.validate(rowWith(NullNode.getInstance())), "f", Rule.NULL_VALUE);
    // vectors are never nullable
    onlyViolation(rv.validate(row("id", 7, "f", 1)), "v", Rule.MISSING_VALUE);
    onlyViolation(rv.validate(row("id", 7, "f", 1, "v", null)), "v", Rule.NULL_VALUE);
  }

  @Test
  void primaryKeyMissingOrNull() {
    CollectionSchema s = one(DataType.INT64);
    RowValidator rv = new RowValidator(s);
    Violation v = onlyViolation(rv.validate(row("f", 1, "v", List.of(0, 0))), "id",
        Rule.MISSING_VALUE);
    assertNull(v.primaryKey());
    Violation n = onlyViolation(rv.validate(row("id", null, "f", 1, "v", List.of(0, 0))), "id",
        Rule.NULL_VALUE);
    assertNull(n.primaryKey());
  }

  @Test
  void primaryKeyTextInViolations() {
    CollectionSchema s = CollectionSchema.createSchema(false, false)
        .addField("pk", DataType.VARCHAR, isPrimary(), maxLength(200))
        .addField("n", DataType.INT8)
        .addField("v", DataType.FLOAT_VECTOR, dim(2))
        .build();
    RowValidator rv = new RowValidator(s);
    Violation v = onlyViolation(rv.validate(row("pk", "doc-1", "n", 300, "v", List.of(0, 0))), "n",
        Rule.INT_RANGE);
    assertEquals("doc-1", v.primaryKey());
    assertEquals("300", v.value());
    assertTrue(v.toString().contains("primary key doc-1"), v::toString);
    Violation longPk = onlyViolation(rv.validate(row("pk", "k".repeat(150), "n", 300, "v",
        List.of(0, 0))), "n", Rule.INT_RANGE);
    assertTrue(longPk.primaryKey().length() <= MAX_EXCERPT, longPk.primaryKey());
  }

  @Test
  void invalidPrimaryKeyIsNotReportedAsThePrimaryKey() {
    CollectionSchema s = one(DataType.INT64);
    ValidationResult r = new RowValidator(s).validate(row("id", "abc", "f", 1, "v", List.of(0, 0)));
    Violation v = onlyViolation(r, "id", Rule.WRONG_TYPE);
    assertNull(v.primaryKey());
  }

  @Test
  void severalViolationsAreAllReported() {
    CollectionSchema s = CollectionSchema.createSchema(false, false)
        .addField("id", DataType.INT64, isPrimary())
        .addField("a", DataType.INT8)
        .addField("b", DataType.VARCHAR, maxLength(2))
        .addField("c", DataType.FLOAT)
        .addField("v", DataType.FLOAT_VECTOR, dim(2))
        .build();
    ValidationResult r = new RowValidator(s).validate(row("id", 9, "a", 200, "b", "abc",
        "c", Double.NaN, "extra", 1));
    assertFalse(r.isValid());
    assertEquals(List.of("a", "b", "c", "v", "extra"),
        r.violations().stream().map(Violation::field).collect(Collectors.toList()));
    assertEquals(List.of(Rule.INT_RANGE, Rule.VARCHAR_LENGTH, Rule.NOT_FINITE, Rule.MISSING_VALUE,
        Rule.UNKNOWN_FIELD),
        r.violations().stream().map(Violation::rule).collect(Collectors.toList()));
    assertTrue(r.violations().stream().allMatch(v -> "9".equals(v.primaryKey())));
    RowRejectedException e = assertThrows(RowRejectedException.class, r::orThrow);
    assertEquals(5, e.violations().size());
  }

  // ---------------------------------------------------------------------------------------------
  // Section 2: auto id, function outputs, dynamic field, unknown keys
  // ---------------------------------------------------------------------------------------------

  @Test
  void autoIdPrimaryKeyGivenIsRejectedEvenAsNull() {
    CollectionSchema s = CollectionSchema.createSchema(true, false)
        .addField("id", DataType.INT64, isPrimary())
        .addField("v", DataType.FLOAT_VECTOR, dim(2))
        .build();
    RowValidator rv = new RowValidator(s);
    ValidationResult ok = rv.validate(row("v", List.of(1, 2)));
    assertEquals(1, ok.row().size(), "no id column");
    assertArrayEquals(new float[] {1, 2}, (float[]) ok.row().get(0));
    Violation v = onlyViolation(rv.validate(row("id", 5, "v", List.of(1, 2))), "id",
        Rule.AUTO_ID_GIVEN);
    assertEquals("5", v.value());
    assertNull(v.primaryKey());
    onlyViolation(rv.validate(row("id", null, "v", List.of(1, 2))), "id", Rule.AUTO_ID_GIVEN);
    // the same with the dynamic field on: the pk does not go into $meta
    CollectionSchema dyn = CollectionSchema.createSchema(true, true)
        .addField("id", DataType.VARCHAR, isPrimary(), maxLength(10))
        .addField("v", DataType.FLOAT_VECTOR, dim(2))
        .build();
    onlyViolation(new RowValidator(dyn).validate(row("id", "x", "v", List.of(1, 2))), "id",
        Rule.AUTO_ID_GIVEN);
  }

  @Test
  void functionOutputGivenIsRejected() {
    CollectionSchema s = CollectionSchema.createSchema(false, true)
        .addField("id", DataType.INT64, isPrimary())
        .addField("text", DataType.VARCHAR, maxLength(100))
        .addField("sparse", DataType.SPARSE_FLOAT_VECTOR)
        .addField("v", DataType.FLOAT_VECTOR, dim(2))
        .addFunction(FunctionSchema.bm25("bm25", "text", "sparse"))
        .build();
    RowValidator rv = new RowValidator(s);
    ValidationResult ok = rv.validate(row("id", 1, "text", "hello", "v", List.of(0, 0)));
    assertEquals(List.of("id", "text", "v", "$meta"),
        s.columns().stream().map(FieldSchema::name).collect(Collectors.toList()));
    assertEquals("hello", column(s, ok, "text"));
    assertEquals(JsonText.EMPTY_OBJECT, column(s, ok, "$meta"), "never lands in $meta");
    Violation v = onlyViolation(rv.validate(row("id", 1, "text", "hello", "sparse",
        Map.of("1", 0.5), "v", List.of(0, 0))), "sparse", Rule.FUNCTION_OUTPUT_GIVEN);
    assertEquals("1", v.primaryKey());
    onlyViolation(rv.validate(row("id", 1, "text", "hello", "sparse", null, "v", List.of(0, 0))),
        "sparse", Rule.FUNCTION_OUTPUT_GIVEN);
  }

  @Test
  void dynamicKeysAndMetaContentsMergeIntoMeta() {
    CollectionSchema s = dynamic();
    RowValidator rv = new RowValidator(s);
    ValidationResult r = rv.validate(row("id", 1, "v", List.of(0, 0), "a", 1, "b", "x",
        "$meta", row("c", true, "d", List.of(1, 2)), "e", null, "f", row("g", 0.5)));
    JsonText meta = (JsonText) column(s, r, "$meta");
    assertTrue(meta.isObject());
    assertEquals(tree("{\"c\":true,\"d\":[1,2],\"a\":1,\"b\":\"x\",\"e\":null,\"f\":{\"g\":0.5}}"),
        tree(meta));
    assertEquals(List.of("id", "v", "$meta"),
        s.columns().stream().map(FieldSchema::name).collect(Collectors.toList()));
  }

  @Test
  void metaIsEmptyObjectWhenNothingDynamic() {
    CollectionSchema s = dynamic();
    RowValidator rv = new RowValidator(s);
    JsonText none = (JsonText) column(s, rv.validate(row("id", 1, "v", List.of(0, 0))), "$meta");
    assertEquals("{}", none.text());
    assertTrue(none.isObject());
    JsonText emptyMeta = (JsonText) column(s, rv.validate(row("id", 1, "v", List.of(0, 0),
        "$meta", Map.of())), "$meta");
    assertEquals("{}", emptyMeta.text());
    JsonText nodeMeta = (JsonText) column(s, rv.validate(row("id", 1, "v", List.of(0, 0),
        "$meta", tree("{\"k\":\"v\"}"))), "$meta");
    assertEquals("{\"k\":\"v\"}", nodeMeta.text());
  }

  @Test
  void dynamicKeyBothTopLevelAndInMeta() {
    Violation v = onlyViolation(new RowValidator(dynamic()).validate(row("id", 3, "v",
        List.of(0, 0), "$meta", row("dup", 1), "dup", 2)), "dup", Rule.DYNAMIC_DUPLICATE);
    assertEquals("3", v.primaryKey());
  }

  @ParameterizedTest
  @MethodSource("notObjects")
  void metaNotAnObject(Object meta) {
    Violation v = onlyViolation(new RowValidator(dynamic()).validate(row("id", 3, "v",
        List.of(0, 0), "$meta", meta)), "$meta", Rule.META_NOT_OBJECT);
    assertEquals("3", v.primaryKey());
  }

  static Stream<Object> notObjects() {
    return Stream.of("{\"a\":1}", 5, List.of(1), true, tree("[1]"), new int[] {1});
  }

  @Test
  void metaGivenAsNullIsRejected() {
    onlyViolation(new RowValidator(dynamic()).validate(row("id", 3, "v", List.of(0, 0),
        "$meta", null)), "$meta", Rule.META_NOT_OBJECT);
  }

  @Test
  void dynamicValuesMustBeCleanJson() {
    RowValidator rv = new RowValidator(dynamic());
    onlyViolation(rv.validate(row("id", 1, "v", List.of(0, 0), "k", Double.NaN)), "k",
        Rule.NOT_FINITE);
    onlyViolation(rv.validate(row("id", 1, "v", List.of(0, 0), "k",
        List.of(1.0, Double.POSITIVE_INFINITY))), "k", Rule.NOT_FINITE);
    onlyViolation(rv.validate(row("id", 1, "v", List.of(0, 0), "k", row("deep",
        Float.NEGATIVE_INFINITY))), "k", Rule.NOT_FINITE);
    onlyViolation(rv.validate(row("id", 1, "v", List.of(0, 0), "k", "x\ud800")), "k",
        Rule.INVALID_UTF8);
    Violation key = onlyViolation(rv.validate(row("id", 1, "v", List.of(0, 0), "bad\ud800", 1)),
        "bad\ud800", Rule.INVALID_UTF8);
    assertEquals("1", key.primaryKey());
    onlyViolation(rv.validate(row("id", 1, "v", List.of(0, 0), "$meta", row("m", Double.NaN))),
        "$meta", Rule.NOT_FINITE);
    onlyViolation(rv.validate(row("id", 1, "v", List.of(0, 0), "$meta", row("m", "\udfff"))),
        "$meta", Rule.INVALID_UTF8);
    onlyViolation(rv.validate(row("id", 1, "v", List.of(0, 0), "$meta", row("\ud800", 1))),
        "$meta", Rule.INVALID_UTF8);
    onlyViolation(rv.validate(row("id", 1, "v", List.of(0, 0), "k", new Object())), "k",
        Rule.WRONG_TYPE);
  }

  @Test
  void dynamicDisabledUnknownKeysAreRejected() {
    CollectionSchema s = one(DataType.INT64);
    RowValidator rv = new RowValidator(s);
    Map<String, Object> r = rowWith(1);
    r.put("surprise", "value");
    Violation v = onlyViolation(rv.validate(r), "surprise", Rule.UNKNOWN_FIELD);
    assertEquals("\"value\"", v.value());
    assertEquals("7", v.primaryKey());
    assertTrue(v.toString().contains("surprise"));
    Map<String, Object> m = rowWith(1);
    m.put("$meta", Map.of("a", 1));
    onlyViolation(rv.validate(m), "$meta", Rule.UNKNOWN_FIELD);
    Map<String, Object> two = rowWith(1);
    two.put("x", 1);
    two.put("y", null);
    ValidationResult both = rv.validate(two);
    assertEquals(List.of("x", "y"),
        both.violations().stream().map(Violation::field).collect(Collectors.toList()));
  }

  // ---------------------------------------------------------------------------------------------
  // CSV null key
  // ---------------------------------------------------------------------------------------------

  @Test
  void csvEmptyNullKey() {
    CollectionSchema s = CollectionSchema.createSchema(false, false)
        .addField("id", DataType.INT64, isPrimary())
        .addField("nvc", DataType.VARCHAR, maxLength(8), nullable())
        .addField("vc", DataType.VARCHAR, maxLength(8))
        .addField("dvc", DataType.VARCHAR, maxLength(8), defaultValue("d"))
        .addField("v", DataType.FLOAT_VECTOR, dim(2))
        .build();
    RowValidator csv = new RowValidator(s, new NullKeyCheck("", CsvCells::text));
    onlyViolation(csv.validate(row("id", 1, "nvc", "", "vc", "a", "v", List.of(0, 0))), "nvc",
        Rule.CSV_NULL_KEY);
    onlyViolation(csv.validate(row("id", 1, "dvc", "", "vc", "a", "v", List.of(0, 0))), "dvc",
        Rule.CSV_NULL_KEY);
    ValidationResult ok = csv.validate(row("id", 1, "nvc", "x", "vc", "", "v", List.of(0, 0)));
    assertEquals("", column(s, ok, "vc"), "a non-nullable VarChar reads the null key as text");
    assertEquals("d", column(s, ok, "dvc"));
    // without CSV, an empty string is just an empty string
    assertEquals("", column(s, new RowValidator(s).validate(row("id", 1, "nvc", "", "vc", "",
        "v", List.of(0, 0))), "nvc"));
  }

  @Test
  void csvNamedNullKey() {
    CollectionSchema s = CollectionSchema.createSchema(false, false)
        .addField("id", DataType.INT64, isPrimary())
        .addField("n64", DataType.INT64, nullable())
        .addField("nvc", DataType.VARCHAR, maxLength(8), nullable())
        .addField("nb", DataType.BOOL, nullable())
        .addField("nj", DataType.JSON, nullable())
        .addField("v", DataType.FLOAT_VECTOR, dim(2))
        .build();
    RowValidator nullWord = new RowValidator(s, new NullKeyCheck("NULL", CsvCells::text));
    ValidationResult ok = nullWord.validate(row("id", 1, "n64", 5, "nvc", "", "nb", true,
        "nj", Map.of("a", 1), "v", List.of(0, 0)));
    assertEquals(5L, column(s, ok, "n64"), "an Int64 is never the text NULL");
    assertEquals("", column(s, ok, "nvc"));
    onlyViolation(nullWord.validate(row("id", 1, "nvc", "NULL", "v", List.of(0, 0))), "nvc",
        Rule.CSV_NULL_KEY);
    assertTrue(nullWord.validate(row("id", 1, "nj", "\"NULL\"", "v", List.of(0, 0))).isValid(),
        "a JSON string \"NULL\" is written with its quotes, so it is no null key");
    // a null key that looks like a number, a boolean or JSON text
    onlyViolation(new RowValidator(s, new NullKeyCheck("5", CsvCells::text)).validate(row("id", 1, "n64", 5, "v", List.of(0, 0))),
        "n64", Rule.CSV_NULL_KEY);
    onlyViolation(new RowValidator(s, new NullKeyCheck("true", CsvCells::text)).validate(row("id", 1, "nb", true, "v",
        List.of(0, 0))), "nb", Rule.CSV_NULL_KEY);
    onlyViolation(new RowValidator(s, new NullKeyCheck("{\"a\":1}", CsvCells::text)).validate(row("id", 1, "nj", Map.of("a", 1),
        "v", List.of(0, 0))), "nj", Rule.CSV_NULL_KEY);
    assertTrue(new RowValidator(s, new NullKeyCheck("6", CsvCells::text)).validate(row("id", 1, "n64", 5, "v", List.of(0, 0)))
        .isValid());
  }

  @Test
  void csvNullKeyIsRejectedForNonStringFieldsEvenWhenNotNullable() {
    // Milvus' CSV reader (and the conformance checker) reads a cell equal to the null key as null
    // in every non-string column; in a non-nullable one that fails the import, so the row is
    // rejected here instead. Only a non-nullable VarChar keeps the text as a value.
    CollectionSchema s = CollectionSchema.createSchema(false, false)
        .addField("id", DataType.INT64, isPrimary())
        .addField("n", DataType.INT64)
        .addField("j", DataType.JSON)
        .addField("v", DataType.FLOAT_VECTOR, dim(2))
        .build();
    onlyViolation(new RowValidator(s, new NullKeyCheck("5", CsvCells::text)).validate(row("id", 1, "n", 5, "j", Map.of(),
        "v", List.of(0, 0))), "n", Rule.CSV_NULL_KEY);
    onlyViolation(new RowValidator(s, new NullKeyCheck("{}", CsvCells::text)).validate(row("id", 1, "n", 5, "j", Map.of(),
        "v", List.of(0, 0))), "j", Rule.CSV_NULL_KEY);
    assertTrue(new RowValidator(s, new NullKeyCheck("6", CsvCells::text)).validate(row("id", 1, "n", 5, "j", Map.of(),
        "v", List.of(0, 0))).isValid());
  }

  // ---------------------------------------------------------------------------------------------
  // JSON text (validateJson) and Jackson nodes
  // ---------------------------------------------------------------------------------------------

  static CollectionSchema wide() {
    return CollectionSchema.createSchema(false, true)
        .addField("id", DataType.INT64, isPrimary())
        .addField("b", DataType.BOOL)
        .addField("i8", DataType.INT8)
        .addField("i64", DataType.INT64)
        .addField("f", DataType.FLOAT)
        .addField("d", DataType.DOUBLE)
        .addField("s", DataType.VARCHAR, maxLength(4))
        .addField("j", DataType.JSON)
        .addField("a", DataType.ARRAY, elementType(DataType.FLOAT), maxCapacity(3))
        .addField("fv", DataType.FLOAT_VECTOR, dim(2))
        .addField("bv", DataType.BINARY_VECTOR, dim(8))
        .addField("hv", DataType.FLOAT16_VECTOR, dim(2))
        .addField("iv", DataType.INT8_VECTOR, dim(2))
        .addField("sp", DataType.SPARSE_FLOAT_VECTOR)
        .addField("n", DataType.INT32, nullable())
        .build();
  }

  static final String GOOD = "{\"id\":1,\"b\":true,\"i8\":-128,\"i64\":9223372036854775807,"
      + "\"f\":0.1,\"d\":1e300,\"s\":\"éé\",\"j\":{\"k\":[1,{\"x\":null}]},\"a\":[1,2.5],"
      + "\"fv\":[1,0.5],\"bv\":[255],\"hv\":[1,-2],\"iv\":[-1,127],\"sp\":{\"3\":0.5},"
      + "\"dyn\":\"x\",\"$meta\":{\"m\":1}}";

  /** GOOD with one key's value text replaced (the key must be in GOOD). */
  static String good(String key, String valueText) {
    JsonNode n = tree(GOOD);
    ObjectNode o = (ObjectNode) n;
    Map<String, String> parts = new LinkedHashMap<>();
    o.fields().forEachRemaining(e -> parts.put(e.getKey(), e.getValue().toString()));
    parts.put(key, valueText);
    return parts.entrySet().stream().map(e -> "\"" + e.getKey() + "\":" + e.getValue())
        .collect(Collectors.joining(",", "{", "}"));
  }

  @Test
  void validateJsonNormalizesEveryType() {
    CollectionSchema s = wide();
    ValidationResult r = new RowValidator(s).validateJson(GOOD);
    assertEquals(1L, column(s, r, "id"));
    assertEquals(Boolean.TRUE, column(s, r, "b"));
    assertEquals(-128L, column(s, r, "i8"));
    assertEquals(Long.MAX_VALUE, column(s, r, "i64"));
    assertEquals(0.1f, column(s, r, "f"));
    assertEquals(1e300, column(s, r, "d"));
    assertEquals("éé", column(s, r, "s"));
    assertEquals(tree("{\"k\":[1,{\"x\":null}]}"), tree((JsonText) column(s, r, "j")));
    assertTrue(((JsonText) column(s, r, "j")).isObject());
    assertEquals(List.of(1f, 2.5f), column(s, r, "a"));
    assertArrayEquals(new float[] {1, 0.5f}, (float[]) column(s, r, "fv"));
    assertArrayEquals(new byte[] {(byte) 255}, (byte[]) column(s, r, "bv"));
    assertArrayEquals(le16(0x3c00, 0xc000), (byte[]) column(s, r, "hv"));
    assertArrayEquals(new byte[] {-1, 127}, (byte[]) column(s, r, "iv"));
    assertEquals(new SparseVector(new long[] {3}, new float[] {0.5f}), column(s, r, "sp"));
    assertNull(column(s, r, "n"));
    assertEquals(tree("{\"m\":1,\"dyn\":\"x\"}"), tree((JsonText) column(s, r, "$meta")));
    // the same row as a Jackson ObjectNode and as bytes with an offset
    assertEquals(r.row(), new RowValidator(s).validate(tree(GOOD)).row());
    byte[] text = ("xx" + GOOD + "yy").getBytes(StandardCharsets.UTF_8);
    assertEquals(r.row(), new RowValidator(s).validateJson(text, 2,
        GOOD.getBytes(StandardCharsets.UTF_8).length).row());
  }

  static Stream<Arguments> jsonRejections() {
    return Stream.of(
        Arguments.of("f", "NaN", Rule.NOT_FINITE),
        Arguments.of("d", "Infinity", Rule.NOT_FINITE),
        Arguments.of("d", "-Infinity", Rule.NOT_FINITE),
        Arguments.of("d", "1e400", Rule.NOT_FINITE),
        Arguments.of("f", "3.5e38", Rule.FLOAT32_RANGE),
        Arguments.of("f", "\"1.0\"", Rule.WRONG_TYPE),
        Arguments.of("b", "1", Rule.WRONG_TYPE),
        Arguments.of("b", "\"true\"", Rule.WRONG_TYPE),
        Arguments.of("i8", "128", Rule.INT_RANGE),
        Arguments.of("i8", "-129", Rule.INT_RANGE),
        Arguments.of("i8", "1.5", Rule.INT_FRACTION),
        Arguments.of("i8", "true", Rule.WRONG_TYPE),
        Arguments.of("i64", "9223372036854775808", Rule.INT_RANGE),
        Arguments.of("i64", "-9223372036854775809", Rule.INT_RANGE),
        Arguments.of("i64", "\"12\"", Rule.WRONG_TYPE),
        Arguments.of("i64", "NaN", Rule.NOT_FINITE),
        Arguments.of("s", "\"ééé\"", Rule.VARCHAR_LENGTH),
        Arguments.of("s", "\"\\ud800\"", Rule.INVALID_UTF8),
        Arguments.of("s", "\"a\\udc00\"", Rule.INVALID_UTF8),
        Arguments.of("s", "12", Rule.WRONG_TYPE),
        Arguments.of("j", "[1,2]", Rule.JSON_NOT_OBJECT),
        Arguments.of("j", "5", Rule.JSON_NOT_OBJECT),
        Arguments.of("j", "true", Rule.JSON_NOT_OBJECT),
        Arguments.of("j", "\"{bad\"", Rule.INVALID_JSON),
        Arguments.of("j", "{\"x\":NaN}", Rule.NOT_FINITE),
        Arguments.of("j", "{\"x\":\"\\ud800\"}", Rule.INVALID_UTF8),
        Arguments.of("j", "\"{\\\"x\\\":\\\"\\\\ud800\\\"}\"", Rule.INVALID_UTF8),
        Arguments.of("a", "[1,null]", Rule.ARRAY_NULL_ELEMENT),
        Arguments.of("a", "[1,2,3,4]", Rule.ARRAY_CAPACITY),
        Arguments.of("a", "[NaN]", Rule.NOT_FINITE),
        Arguments.of("a", "[3.5e38]", Rule.FLOAT32_RANGE),
        Arguments.of("a", "\"[1]\"", Rule.WRONG_TYPE),
        Arguments.of("fv", "[1]", Rule.VECTOR_DIM),
        Arguments.of("fv", "[1,NaN]", Rule.NOT_FINITE),
        Arguments.of("fv", "[-Infinity,1]", Rule.NOT_FINITE),
        Arguments.of("fv", "[1,3.5e38]", Rule.FLOAT32_RANGE),
        Arguments.of("fv", "[1,\"2\"]", Rule.WRONG_TYPE),
        Arguments.of("fv", "[1,null]", Rule.WRONG_TYPE),
        Arguments.of("fv", "{\"1\":2}", Rule.WRONG_TYPE),
        Arguments.of("bv", "[256]", Rule.BYTE_RANGE),
        Arguments.of("bv", "[1,2]", Rule.VECTOR_DIM),
        Arguments.of("bv", "[1.5]", Rule.INT_FRACTION),
        Arguments.of("hv", "[70000,1]", Rule.HALF_RANGE),
        Arguments.of("iv", "[128,1]", Rule.BYTE_RANGE),
        Arguments.of("sp", "{}", Rule.SPARSE_EMPTY),
        Arguments.of("sp", "{\"1\":-0.5}", Rule.SPARSE_NEGATIVE),
        Arguments.of("sp", "{\"indices\":[1,1],\"values\":[0.5,0.5]}", Rule.SPARSE_DUPLICATE),
        Arguments.of("sp", "{\"4294967295\":1}", Rule.SPARSE_INDEX),
        Arguments.of("sp", "{\"x\":1}", Rule.SPARSE_INDEX),
        Arguments.of("sp", "{\"1\":NaN}", Rule.NOT_FINITE),
        Arguments.of("sp", "{\"1\":3.5e38}", Rule.FLOAT32_RANGE),
        Arguments.of("sp", "{\"1\":1e400}", null),
        Arguments.of("dyn", "NaN", Rule.NOT_FINITE),
        Arguments.of("dyn", "[1,Infinity]", Rule.NOT_FINITE),
        Arguments.of("dyn", "\"\\ud800\"", Rule.INVALID_UTF8),
        Arguments.of("$meta", "{\"m\":NaN}", Rule.NOT_FINITE),
        Arguments.of("$meta", "{\"\\ud800\":1}", Rule.INVALID_UTF8),
        Arguments.of("$meta", "[1]", Rule.META_NOT_OBJECT),
        Arguments.of("$meta", "\"{}\"", Rule.META_NOT_OBJECT),
        Arguments.of("id", "null", Rule.NULL_VALUE),
        Arguments.of("i8", "null", Rule.NULL_VALUE));
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("jsonRejections")
  void validateJsonRejects(String key, String valueText, Rule rule) {
    String line = good(key, valueText);
    ValidationResult r = assertDoesNotThrow(() -> new RowValidator(wide()).validateJson(line));
    Violation v = onlyViolation(r, key, rule);
    if (!key.equals("id")) {
      assertEquals("1", v.primaryKey());
    }
  }

  @Test
  void validateJsonDynamicDuplicateAndUnknownKeys() {
    ValidationResult dup = new RowValidator(wide()).validateJson(good("$meta", "{\"dyn\":2}"));
    onlyViolation(dup, "dyn", Rule.DYNAMIC_DUPLICATE);
    ValidationResult key = new RowValidator(wide()).validateJson(
        GOOD.replace("\"dyn\"", "\"d\\ud800yn\""));
    onlyViolation(key, "d\ud800yn", Rule.INVALID_UTF8);
    ValidationResult missing = new RowValidator(wide()).validateJson(GOOD.replace("\"i8\":-128,", ""));
    onlyViolation(missing, "i8", Rule.MISSING_VALUE);
    CollectionSchema closed = one(DataType.INT64);
    onlyViolation(new RowValidator(closed).validateJson(
        "{\"id\":1,\"f\":2,\"v\":[0,0],\"other\":3}"), "other", Rule.UNKNOWN_FIELD);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "{\"id\":1,\"id\":2}",
      "{\"id\":1} x",
      "{\"id\":1}{}",
      "{\"id\":1",
      "{\"id\":1,}",
      "{id:1}",
      "{'id':1}",
      "{\"id\":01}",
      "{\"id\":1}\n{\"id\":2}",
      "{\"sp\":{\"1\":0.5,\"1\":0.6}}",
  })
  void validateJsonInvalidText(String text) {
    ValidationResult r = assertDoesNotThrow(() -> new RowValidator(wide()).validateJson(text));
    Violation v = onlyViolation(r, null, Rule.INVALID_JSON);
    assertNull(v.primaryKey());
  }

  @ParameterizedTest
  @ValueSource(strings = {"[1]", "42", "null", "\"row\"", "", "   ", "true"})
  void validateJsonNonObjectLines(String text) {
    ValidationResult r = assertDoesNotThrow(() -> new RowValidator(wide()).validateJson(text));
    onlyViolation(r, null, Rule.NOT_AN_OBJECT);
  }

  @Test
  void validateJsonInvalidUtf8BytesNeverThrow() {
    byte[] bad = {'{', '"', 's', '"', ':', '"', (byte) 0xff, (byte) 0xfe, '"', '}'};
    ValidationResult r = assertDoesNotThrow(() -> new RowValidator(wide()).validateJson(bad, 0,
        bad.length));
    assertFalse(r.isValid());
    byte[] cesu = {'{', '"', 's', '"', ':', '"', (byte) 0xed, (byte) 0xa0, (byte) 0x80, '"', '}'};
    assertFalse(new RowValidator(wide()).validateJson(cesu, 0, cesu.length).isValid(),
        "a UTF-8-encoded surrogate is no valid UTF-8");
  }

  @Test
  void validateJsonNeverThrowsOnGarbage() {
    RowValidator rv = new RowValidator(wide());
    String[] garbage = {"{", "}", "{\"", "{\"a\"", "{\"a\":", "\u0000", "{\"fv\":[", "{\"fv\":[1,",
        "{\"j\":{\"a\":[}}", "\ufeff{}", "{\"sp\":{\"indices\":1,\"values\":2}}",
        "{\"$meta\":{\"a\":1,\"a\":2}}", "{\"a\":" + "[".repeat(2000) + "]".repeat(2000) + "}"};
    for (String g : garbage) {
      ValidationResult r = assertDoesNotThrow(() -> rv.validateJson(g), g);
      assertFalse(r.isValid(), g);
      r.violations().forEach(v -> assertTrue(v.value() == null || v.value().length() <= MAX_EXCERPT));
    }
  }

  @Test
  void validateJsonIntegersAndFloats() {
    CollectionSchema s = one(DataType.INT64);
    RowValidator rv = new RowValidator(s);
    assertEquals(3L, column(s, rv.validateJson("{\"id\":1,\"f\":3.0,\"v\":[0,0]}"), "f"));
    assertEquals(100L, column(s, rv.validateJson("{\"id\":1,\"f\":1e2,\"v\":[0,0]}"), "f"));
    assertEquals(Long.MIN_VALUE, column(s, rv.validateJson(
        "{\"id\":1,\"f\":-9223372036854775808,\"v\":[0,0]}"), "f"));
    CollectionSchema f = one(DataType.FLOAT);
    assertEquals(7f, column(f, new RowValidator(f).validateJson("{\"id\":1,\"f\":7,\"v\":[0,0]}"),
        "f"));
  }

  @Test
  void validateJacksonNodes() {
    CollectionSchema s = one(DataType.FLOAT);
    RowValidator rv = new RowValidator(s);
    ObjectNode n = JsonNodeFactory.instance.objectNode();
    n.put("id", 4);
    n.put("f", 1.5);
    n.putArray("v").add(1).add(2);
    assertEquals(1.5f, column(s, rv.validate((JsonNode) n), "f"));
    n.put("f", Double.NaN);
    assertEquals("4", onlyViolation(rv.validate((JsonNode) n), "f", Rule.NOT_FINITE).primaryKey());
    n.putNull("f");
    onlyViolation(rv.validate((JsonNode) n), "f", Rule.NULL_VALUE);
    n.put("f", "1");
    onlyViolation(rv.validate((JsonNode) n), "f", Rule.WRONG_TYPE);
    n.put("f", 1);
    n.put("zzz", 1);
    onlyViolation(rv.validate((JsonNode) n), "zzz", Rule.UNKNOWN_FIELD);
    onlyViolation(rv.validate(tree("[1,2]")), null, Rule.NOT_AN_OBJECT);
    onlyViolation(rv.validate((JsonNode) null), null, Rule.NOT_AN_OBJECT);
    // nodes as values inside a Java map
    Map<String, Object> mixed = row("id", JsonNodeFactory.instance.numberNode(4L),
        "f", JsonNodeFactory.instance.numberNode(2.5), "v", tree("[3,4]"));
    ValidationResult r = rv.validate(mixed);
    assertEquals(2.5f, column(s, r, "f"));
    assertArrayEquals(new float[] {3, 4}, (float[]) column(s, r, "v"));
  }

  @Test
  void validatorIsReusableAndRowsAreIndependent() {
    CollectionSchema s = dynamic();
    RowValidator rv = new RowValidator(s);
    assertSame(s, rv.schema());
    for (int i = 0; i < 100; i++) {
      ValidationResult r = rv.validate(row("id", i, "v", List.of(i, i), "k", i));
      assertEquals((long) i, column(s, r, "id"));
      assertEquals("{\"k\":" + i + "}", ((JsonText) column(s, r, "$meta")).text());
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Divergences from the reference checker found while writing these tests
  // ---------------------------------------------------------------------------------------------

  @Test
  void outOfDoubleRangeNumbersInJsonTextAreRejected() {
    RowValidator rv = new RowValidator(wide());
    assertFalse(rv.validateJson(good("j", "{\"x\":1e400}")).isValid());
    assertFalse(rv.validateJson(good("dyn", "1e400")).isValid());
    assertFalse(rv.validateJson(good("$meta", "{\"m\":-1e400}")).isValid());
    assertFalse(rv.validateJson(good("j", "\"{\\\"x\\\":1e400}\"")).isValid());
  }

  @Test
  void outOfDoubleRangeBigDecimalsInMapsAreRejected() {
    BigDecimal huge = new BigDecimal("1e400");
    assertFalse(new RowValidator(dynamic()).validate(row("id", 1, "v", List.of(0, 0), "k", huge))
        .isValid());
    assertFalse(new RowValidator(dynamic()).validate(row("id", 1, "v", List.of(0, 0), "$meta",
        row("k", huge))).isValid());
    assertFalse(new RowValidator(one(DataType.JSON)).validate(rowWith(Map.of("a", huge)))
        .isValid());
  }

  // ---------------------------------------------------------------------------------------------
  // The public conformance fixtures: exactly the lines in rejects.json are rejected
  // ---------------------------------------------------------------------------------------------

  @ParameterizedTest
  @ValueSource(strings = {"seed", "all-types", "numpy-types"})
  void fixtureRowsRejectExactlyTheExpectedLines(String name) throws Exception {
    java.nio.file.Path dir = dev.milvusbeam.core.schema.Fixtures.fixture(name);
    CollectionSchema s = dev.milvusbeam.core.schema.SchemaJson.read(dir.resolve("schema.json"));
    RowValidator rv = new RowValidator(s);
    byte[] data = java.nio.file.Files.readAllBytes(dir.resolve("rows.jsonl"));
    Set<Integer> rejectedLines = new TreeSet<>();
    Map<Integer, List<String>> fields = new LinkedHashMap<>();
    int line = 0;
    int start = 0;
    for (int i = 0; i <= data.length; i++) {
      if (i == data.length || data[i] == '\n') {
        if (i == data.length && start == i) {
          break; // no text after the last newline
        }
        ValidationResult r = rv.validateJson(data, start, i - start);
        if (!r.isValid()) {
          rejectedLines.add(line);
          fields.put(line, r.violations().stream().map(Violation::field)
              .collect(Collectors.toList()));
        } else {
          assertEquals(s.columns().size(), r.row().size());
        }
        line++;
        start = i + 1;
      }
    }
    JsonNode rejects = MAPPER.readTree(dir.resolve("rejects.json").toFile());
    Set<Integer> expected = new TreeSet<>();
    Map<Integer, String> expectedField = new LinkedHashMap<>();
    for (JsonNode r : rejects) {
      int n = r.isInt() ? r.intValue() : r.get("line").intValue();
      expected.add(n);
      if (r.has("field")) {
        expectedField.put(n, r.get("field").textValue());
      }
    }
    assertTrue(line >= 100, "read " + line + " lines");
    assertEquals(expected, rejectedLines, () -> "violations: " + fields);
    List<String> wrongField = new ArrayList<>();
    expectedField.forEach((n, f) -> {
      if (!fields.get(n).contains(f)) {
        wrongField.add("line " + n + ": expected " + f + ", got " + fields.get(n));
      }
    });
    assertEquals(List.of(), wrongField);
  }

  // ---------------------------------------------------------------------------------------------
  // Text (Milvus 3.0) and nullable vectors (Milvus 2.6.18)
  // ---------------------------------------------------------------------------------------------

  @Test
  void textTakesAnyLengthOfValidUtf8AndNothingElse() {
    CollectionSchema s = one(DataType.TEXT);
    String big = "é".repeat(300_000); // 600,000 UTF-8 bytes: far above any VarChar
    assertEquals(big, accepted(s, big));
    assertEquals("", accepted(s, ""));
    onlyViolation(new RowValidator(s).validate(rowWith("bad \ud800")), "f", Rule.INVALID_UTF8);
    onlyViolation(new RowValidator(s).validate(rowWith(5)), "f", Rule.WRONG_TYPE);
    onlyViolation(new RowValidator(s).validate(rowWith(null)), "f", Rule.NULL_VALUE);
    assertNull(accepted(one(DataType.TEXT, nullable()), null));
  }

  @Test
  void aNullableVectorIsNullWhenNullOrMissingAndCheckedOtherwise() {
    for (DataType t : List.of(DataType.FLOAT_VECTOR, DataType.BINARY_VECTOR,
        DataType.FLOAT16_VECTOR, DataType.BFLOAT16_VECTOR, DataType.INT8_VECTOR,
        DataType.SPARSE_FLOAT_VECTOR)) {
      CollectionSchema s = t == DataType.SPARSE_FLOAT_VECTOR ? one(t, nullable())
          : one(t, nullable(), dim(8));
      assertNull(accepted(s, null), t.toString());
      ValidationResult missing = new RowValidator(s).validate(row("id", 7L, "v", List.of(0, 0)));
      assertNull(column(s, missing, "f"), t.toString());
      Object good = t == DataType.SPARSE_FLOAT_VECTOR ? Map.of("3", 0.5)
          : t == DataType.BINARY_VECTOR ? List.of(255) : List.of(1, 2, 3, 4, 5, 6, 7, 8);
      assertNotNull(accepted(s, good), t.toString());
      Object bad = t == DataType.SPARSE_FLOAT_VECTOR ? Map.of("3", -0.5) : List.of(1, 2, 3);
      assertFalse(new RowValidator(s).validate(rowWith(bad)).isValid(), t.toString());
    }
  }

  // ---------------------------------------------------------------------------------------------
  // struct arrays (Milvus 2.6.2)
  // ---------------------------------------------------------------------------------------------

  static CollectionSchema structSchema(boolean dynamic) {
    return CollectionSchema.createSchema(false, dynamic)
        .addField("id", DataType.INT64, isPrimary())
        .addField("v", DataType.FLOAT_VECTOR, dim(2))
        .addStructField("s", dev.milvusbeam.core.schema.StructSchema.create()
            .addField("a", DataType.INT8)
            .addField("t", DataType.VARCHAR, maxLength(3))
            .addField("e", DataType.FLOAT_VECTOR, dim(2)), maxCapacity(2))
        .build();
  }

  static Map<String, Object> element(Object a, Object t, Object e) {
    return row("a", a, "t", t, "e", e);
  }

  @Test
  void aStructArrayIsNormalizedElementByElement() {
    CollectionSchema s = structSchema(false);
    ValidationResult r = new RowValidator(s).validate(row("id", 1L, "v", List.of(0, 0), "s",
        List.of(element(1, "x", List.of(0.5, 1)), element(-2, "yz", List.of(2, 3)))));
    @SuppressWarnings("unchecked")
    List<Object[]> v = (List<Object[]>) column(s, r, "s");
    assertEquals(2, v.size());
    assertEquals(1L, v.get(0)[0]);
    assertEquals("x", v.get(0)[1]);
    assertArrayEquals(new float[] {0.5f, 1f}, (float[]) v.get(0)[2]);
    assertEquals(-2L, v.get(1)[0]);
    ValidationResult empty = new RowValidator(s).validate(row("id", 1L, "v", List.of(0, 0),
        "s", List.of()));
    assertEquals(List.of(), column(s, empty, "s"));
    ValidationResult json = new RowValidator(s).validateJson("{\"id\":2,\"v\":[0,0],\"s\":"
        + "[{\"e\":[1,2],\"t\":\"ab\",\"a\":7}]}"); // any key order
    @SuppressWarnings("unchecked")
    List<Object[]> j = (List<Object[]>) column(s, json, "s");
    assertEquals(7L, j.get(0)[0]);
  }

  static Stream<Arguments> badStructs() {
    Map<String, Object> good = element(1, "x", List.of(0, 0));
    Map<String, Object> extra = new LinkedHashMap<>(good);
    extra.put("z", 1);
    Map<String, Object> missing = new LinkedHashMap<>(good);
    missing.remove("t");
    return Stream.of(
        Arguments.of("not a list", "abc", Rule.WRONG_TYPE, null),
        Arguments.of("above capacity", List.of(good, good, good), Rule.ARRAY_CAPACITY, "3"),
        Arguments.of("a null element", java.util.Arrays.asList(good, null),
            Rule.ARRAY_NULL_ELEMENT, "element 1"),
        Arguments.of("an element that is no object", List.of(good, 5), Rule.WRONG_TYPE,
            "element 1"),
        Arguments.of("an extra key", List.of(extra), Rule.STRUCT_KEYS, "z"),
        Arguments.of("a missing key", List.of(missing), Rule.STRUCT_KEYS, "'t'"),
        Arguments.of("a null sub-value", List.of(element(null, "x", List.of(0, 0))),
            Rule.NULL_VALUE, "'a'"),
        Arguments.of("an Int8 out of range", List.of(good, element(300, "x", List.of(0, 0))),
            Rule.INT_RANGE, "element 1, sub-field 'a'"),
        Arguments.of("a VarChar too long in bytes", List.of(element(1, "éé", List.of(0, 0))),
            Rule.VARCHAR_LENGTH, "'t'"),
        Arguments.of("a sub-vector of the wrong dim", List.of(element(1, "x", List.of(0))),
            Rule.VECTOR_DIM, "'e'"),
        Arguments.of("NaN in a sub-vector", List.of(element(1, "x", List.of(0, Double.NaN))),
            Rule.NOT_FINITE, "'e'"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badStructs")
  void aBadStructArrayNamesTheElementAndSubField(String what, Object value, Rule rule,
      String detail) {
    Violation v = onlyViolation(new RowValidator(structSchema(false)).validate(row("id", 9L, "v",
        List.of(0, 0), "s", value)), "s", rule);
    if (detail != null) {
      assertTrue(v.message().contains(detail), v.message());
    }
    assertEquals("9", v.primaryKey());
  }

  @Test
  void aStructArrayIsNeverNullOrMissing() {
    CollectionSchema s = structSchema(false);
    onlyViolation(new RowValidator(s).validate(row("id", 1L, "v", List.of(0, 0), "s", null)),
        "s", Rule.NULL_VALUE);
    onlyViolation(new RowValidator(s).validate(row("id", 1L, "v", List.of(0, 0))), "s",
        Rule.MISSING_VALUE);
  }

  @Test
  void aFlatSubFieldKeyIsRejectedEvenWithTheDynamicField() {
    for (boolean dynamic : new boolean[] {false, true}) {
      onlyViolation(new RowValidator(structSchema(dynamic)).validate(row("id", 1L, "v",
          List.of(0, 0), "s", List.of(), "s[a]", List.of(1))), "s[a]", Rule.STRUCT_FLAT_KEY);
    }
  }
}
