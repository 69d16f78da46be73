package dev.milvusbeam.core.schema;

import static dev.milvusbeam.core.schema.FieldParam.autoId;
import static dev.milvusbeam.core.schema.FieldParam.defaultValue;
import static dev.milvusbeam.core.schema.FieldParam.dim;
import static dev.milvusbeam.core.schema.FieldParam.elementType;
import static dev.milvusbeam.core.schema.FieldParam.isPartitionKey;
import static dev.milvusbeam.core.schema.FieldParam.isPrimary;
import static dev.milvusbeam.core.schema.FieldParam.maxCapacity;
import static dev.milvusbeam.core.schema.FieldParam.maxLength;
import static dev.milvusbeam.core.schema.FieldParam.nullable;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.math.BigInteger;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class CollectionSchemaTest {

  /** A valid base: Int64 primary key and a FloatVector; tests add the field under test. */
  private static CollectionSchema.Builder base() {
    return CollectionSchema.createSchema(false, false)
        .addField("id", DataType.INT64, isPrimary())
        .addField("vector", DataType.FLOAT_VECTOR, dim(4));
  }

  private static List<String> columnNames(CollectionSchema s) {
    return s.columns().stream().map(FieldSchema::name).collect(Collectors.toList());
  }

  private static SchemaException buildFails(Supplier<CollectionSchema.Builder> b) {
    return assertThrows(SchemaException.class, () -> b.get().build());
  }

  // ---------------------------------------------------------------------------------------------
  // Builder and columns
  // ---------------------------------------------------------------------------------------------

  @Test
  void seedSchemaLikeThePymilvusPage() {
    CollectionSchema s = CollectionSchema.createSchema(false, true)
        .addField("id", DataType.INT64, isPrimary())
        .addField("vector", DataType.FLOAT_VECTOR, dim(768))
        .addField("scalar_1", DataType.VARCHAR, maxLength(512))
        .addField("scalar_2", DataType.INT64)
        .build();
    assertFalse(s.isAutoId());
    assertTrue(s.isDynamicFieldEnabled());
    assertEquals(List.of("id", "vector", "scalar_1", "scalar_2"),
        s.fields().stream().map(FieldSchema::name).collect(Collectors.toList()));
    assertEquals(List.of("id", "vector", "scalar_1", "scalar_2", "$meta"), columnNames(s));
    assertEquals("id", s.primaryKey().name());
    assertEquals(768, s.field("vector").dim());
    assertEquals(512, s.field("scalar_1").maxLength());
    assertNull(s.field("$meta"), "$meta is a column, not a schema field");
    assertNull(s.field("nope"));
    FieldSchema meta = s.columns().get(4);
    assertTrue(meta.isDynamicMeta());
    assertEquals(DataType.JSON, meta.dataType());
    assertEquals(FieldSchema.META, meta.name());
  }

  @Test
  void fieldParamsAreApplied() {
    CollectionSchema s = base()
        .addField("tags", DataType.ARRAY, elementType(DataType.VARCHAR), maxCapacity(8),
            maxLength(16), nullable())
        .addField("category", DataType.INT32, isPartitionKey())
        .addField("n", DataType.INT16, nullable(), defaultValue(-7))
        .addField("title", DataType.VARCHAR, maxLength(24), defaultValue("dflt-é"))
        .addField("flag", DataType.BOOL, defaultValue(true))
        .addField("big", DataType.INT64, defaultValue("-9000000000"))
        .addField("ratio", DataType.FLOAT, defaultValue(0.1))
        .addField("score", DataType.DOUBLE, defaultValue(2.5))
        .addField("bin", DataType.BINARY_VECTOR, dim(16))
        .build();
    FieldSchema tags = s.field("tags");
    assertEquals(DataType.ARRAY, tags.dataType());
    assertEquals(DataType.VARCHAR, tags.elementType());
    assertEquals(8, tags.maxCapacity());
    assertEquals(16, tags.maxLength());
    assertTrue(tags.isNullable());
    assertTrue(tags.acceptsMissing());
    assertTrue(s.field("category").isPartitionKey());
    assertEquals(-7L, s.field("n").defaultValue());
    assertEquals("dflt-é", s.field("title").defaultValue());
    assertEquals(Boolean.TRUE, s.field("flag").defaultValue());
    assertEquals(-9_000_000_000L, s.field("big").defaultValue());
    assertEquals(0.1f, s.field("ratio").defaultValue());
    assertEquals(2.5d, s.field("score").defaultValue());
    assertTrue(s.field("title").acceptsMissing());
    assertFalse(s.field("vector").acceptsMissing());
    assertEquals(16, s.field("bin").dim());
    assertNull(s.field("vector").elementType());
  }

  @Test
  void autoIdPrimaryKeyAndFunctionOutputsAreNoColumns() {
    CollectionSchema s = CollectionSchema.createSchema(true, false)
        .addField("id", DataType.INT64, isPrimary())
        .addField("text", DataType.VARCHAR, maxLength(1000))
        .addField("sparse", DataType.SPARSE_FLOAT_VECTOR)
        .addField("dense", DataType.FLOAT_VECTOR, dim(8))
        .addFunction(FunctionSchema.bm25("bm25_fn", "text", "sparse"))
        .build();
    assertTrue(s.isAutoId());
    assertTrue(s.primaryKey().isAutoId());
    assertTrue(s.field("sparse").isFunctionOutput());
    assertFalse(s.field("text").isFunctionOutput());
    assertEquals(List.of("text", "dense"), columnNames(s), "no auto-id pk, no function output,"
        + " no $meta without the dynamic field");
    assertEquals(4, s.fields().size(), "fields() still holds every field");
    assertEquals(1, s.functions().size());
    assertEquals("BM25", s.functions().get(0).type());
  }

  @Test
  void autoIdOnTheFieldMakesTheSchemaAutoId() {
    CollectionSchema s = CollectionSchema.createSchema(false, true)
        .addField("pk", DataType.VARCHAR, isPrimary(), autoId(), maxLength(64))
        .addField("v", DataType.FLOAT_VECTOR, dim(2))
        .build();
    assertTrue(s.isAutoId());
    assertEquals(List.of("v", "$meta"), columnNames(s));
  }

  @Test
  void metaIsLastEvenAfterManyFields() {
    CollectionSchema s = CollectionSchema.createSchema(false, true)
        .addField("a", DataType.BOOL)
        .addField("id", DataType.VARCHAR, isPrimary(), maxLength(10))
        .addField("v", DataType.INT8_VECTOR, dim(8))
        .addField("z", DataType.JSON)
        .build();
    assertEquals(List.of("a", "id", "v", "z", "$meta"), columnNames(s));
  }

  @Test
  void schemaIsSerializableAndEqual() throws Exception {
    CollectionSchema s = base().addField("tags", DataType.ARRAY, elementType(DataType.INT64),
        maxCapacity(3)).addField("d", DataType.INT64, defaultValue(5)).build();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(s);
    }
    Object back;
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      back = in.readObject();
    }
    assertEquals(s, back);
    assertEquals(s.hashCode(), back.hashCode());
    assertEquals(columnNames(s), columnNames((CollectionSchema) back));
  }

  @Test
  void everyTypeBuilds() {
    CollectionSchema s = CollectionSchema.createSchema(false, true)
        .addField("id", DataType.VARCHAR, isPrimary(), maxLength(36))
        .addField("b", DataType.BOOL)
        .addField("i8", DataType.INT8)
        .addField("i16", DataType.INT16)
        .addField("i32", DataType.INT32)
        .addField("i64", DataType.INT64)
        .addField("f", DataType.FLOAT)
        .addField("d", DataType.DOUBLE)
        .addField("s", DataType.VARCHAR, maxLength(65535))
        .addField("j", DataType.JSON, nullable())
        .addField("ab", DataType.ARRAY, elementType(DataType.BOOL), maxCapacity(4096))
        .addField("ai8", DataType.ARRAY, elementType(DataType.INT8), maxCapacity(1))
        .addField("ai16", DataType.ARRAY, elementType(DataType.INT16), maxCapacity(1))
        .addField("ai32", DataType.ARRAY, elementType(DataType.INT32), maxCapacity(1))
        .addField("ai64", DataType.ARRAY, elementType(DataType.INT64), maxCapacity(1))
        .addField("af", DataType.ARRAY, elementType(DataType.FLOAT), maxCapacity(1))
        .addField("ad", DataType.ARRAY, elementType(DataType.DOUBLE), maxCapacity(1))
        .addField("as", DataType.ARRAY, elementType(DataType.VARCHAR), maxCapacity(1), maxLength(1))
        .addField("fv", DataType.FLOAT_VECTOR, dim(32768))
        .addField("bv", DataType.BINARY_VECTOR, dim(8))
        .addField("f16", DataType.FLOAT16_VECTOR, dim(3))
        .addField("bf16", DataType.BFLOAT16_VECTOR, dim(3))
        .addField("sv", DataType.SPARSE_FLOAT_VECTOR)
        .addField("i8v", DataType.INT8_VECTOR, dim(5))
        .addField("geo", DataType.GEOMETRY)
        .addField("ts", DataType.TIMESTAMPTZ, nullable())
        .build();
    assertEquals(27, s.columns().size());
    assertEquals("$meta", s.columns().get(26).name());
  }

  // ---------------------------------------------------------------------------------------------
  // DataType names
  // ---------------------------------------------------------------------------------------------

  @ParameterizedTest
  @EnumSource(DataType.class)
  void everyDataTypeReadsInBothSpellings(DataType t) {
    assertSame(t, DataType.fromName(t.milvusName()), "REST v2 name " + t.milvusName());
    assertSame(t, DataType.fromName(t.name()), "pymilvus name " + t.name());
    assertSame(t, DataType.fromName(t.milvusName().toUpperCase(Locale.ROOT)));
    assertSame(t, DataType.fromName(" " + t.name().toLowerCase(Locale.ROOT) + " "));
    assertEquals(t.milvusName(), t.toString());
  }

  @Test
  void dataTypeSpellingsSpotChecks() {
    assertSame(DataType.FLOAT_VECTOR, DataType.fromName("FloatVector"));
    assertSame(DataType.FLOAT_VECTOR, DataType.fromName("FLOAT_VECTOR"));
    assertSame(DataType.VARCHAR, DataType.fromName("VARCHAR"));
    assertSame(DataType.BFLOAT16_VECTOR, DataType.fromName("BFLOAT16_VECTOR"));
    assertSame(DataType.SPARSE_FLOAT_VECTOR, DataType.fromName("SparseFloatVector"));
    assertSame(DataType.TIMESTAMPTZ, DataType.fromName("Timestamptz"));
    assertSame(DataType.JSON, DataType.fromName("json"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "Vector", "Float32Vector", "INT128", "Array<Int64>"})
  void unknownDataTypeNames(String name) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> DataType.fromName(name));
    assertTrue(e.getMessage().contains(name), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> DataType.fromName(null));
  }

  @Test
  void dataTypeFacts() {
    assertTrue(DataType.INT8.isIntegral());
    assertFalse(DataType.FLOAT.isIntegral());
    assertTrue(DataType.SPARSE_FLOAT_VECTOR.isVector());
    assertFalse(DataType.SPARSE_FLOAT_VECTOR.isDenseVector());
    assertTrue(DataType.INT8_VECTOR.isDenseVector());
    assertEquals(-128, DataType.INT8.minValue());
    assertEquals(127, DataType.INT8.maxValue());
    assertEquals(Short.MIN_VALUE, DataType.INT16.minValue());
    assertEquals(Integer.MAX_VALUE, DataType.INT32.maxValue());
    assertEquals(Long.MIN_VALUE, DataType.INT64.minValue());
    assertFalse(DataType.JSON.isArrayElementType());
    assertFalse(DataType.ARRAY.isArrayElementType());
    assertTrue(DataType.VARCHAR.isArrayElementType());
  }

  // ---------------------------------------------------------------------------------------------
  // Schema errors, all caught at build() with the field named
  // ---------------------------------------------------------------------------------------------

  static Stream<Arguments> schemaErrors() {
    return Stream.of(
        Arguments.of("no primary key", (Supplier<CollectionSchema.Builder>) () ->
            CollectionSchema.createSchema(false, false).addField("v", DataType.FLOAT_VECTOR, dim(4)),
            "primary key"),
        Arguments.of("two primary keys", (Supplier<CollectionSchema.Builder>) () ->
            base().addField("id2", DataType.VARCHAR, isPrimary(), maxLength(8)), "id2"),
        Arguments.of("float pk", (Supplier<CollectionSchema.Builder>) () ->
            CollectionSchema.createSchema(false, false).addField("fpk", DataType.FLOAT, isPrimary())
                .addField("v", DataType.FLOAT_VECTOR, dim(4)), "'fpk'"),
        Arguments.of("int32 pk", (Supplier<CollectionSchema.Builder>) () ->
            CollectionSchema.createSchema(false, false).addField("ipk", DataType.INT32, isPrimary())
                .addField("v", DataType.FLOAT_VECTOR, dim(4)), "'ipk'"),
        Arguments.of("nullable pk", (Supplier<CollectionSchema.Builder>) () ->
            CollectionSchema.createSchema(false, false).addField("npk", DataType.INT64, isPrimary(),
                nullable()).addField("v", DataType.FLOAT_VECTOR, dim(4)), "'npk'"),
        Arguments.of("pk with default", (Supplier<CollectionSchema.Builder>) () ->
            CollectionSchema.createSchema(false, false).addField("dpk", DataType.INT64, isPrimary(),
                defaultValue(1)).addField("v", DataType.FLOAT_VECTOR, dim(4)), "'dpk'"),
        Arguments.of("pk is partition key", (Supplier<CollectionSchema.Builder>) () ->
            CollectionSchema.createSchema(false, false).addField("ppk", DataType.INT64, isPrimary(),
                isPartitionKey()).addField("v", DataType.FLOAT_VECTOR, dim(4)), "'ppk'"),
        Arguments.of("auto id on a non-pk", (Supplier<CollectionSchema.Builder>) () ->
            base().addField("aid", DataType.INT64, autoId()), "'aid'"),
        Arguments.of("missing dim", (Supplier<CollectionSchema.Builder>) () ->
            base().addField("nodim", DataType.FLOAT_VECTOR), "'nodim'"),
        Arguments.of("dim 0", (Supplier<CollectionSchema.Builder>) () ->
            base().addField("zero", DataType.FLOAT16_VECTOR, dim(0)), "'zero'"),
        Arguments.of("negative dim", (Supplier<CollectionSchema.Builder>) () ->
            base().addField("neg", DataType.INT8_VECTOR, dim(-8)), "'neg'"),
        Arguments.of("dim above 32768", (Supplier<CollectionSchema.Builder>) () ->
            base().addField("huge", DataType.FLOAT_VECTOR, dim(32769)), "'huge'"),
        Arguments.of("binary dim not multiple of 8", (Supplier<CollectionSchema.Builder>) () ->
            base().addField("bits", DataType.BINARY_VECTOR, dim(12)), "'bits'"),
        Arguments.of("binary missing dim", (Supplier<CollectionSchema.Builder>) () ->
            base().addField("bits0", DataType.BINARY_VECTOR), "'bits0'"),
        Arguments.of("dim on a scalar", (Supplier<CollectionSchema.Builder>) () ->
            base().addField("scalar", DataType.INT64, dim(4)), "'scalar'"),
        Arguments.of("vector with a default", (Supplier<CollectionSchema.Builder>) () ->
            base().addField("dv", DataType.FLOAT_VECTOR, dim(4), nullable(), defaultValue(1)),
            "'dv'"),
        Arguments.of("Text with a default", (Supplier<CollectionSchema.Builder>) () ->
            base().addField("dt", DataType.TEXT, defaultValue("x")), "'dt'"),
        Arguments.of("VarChar without max_length", (Supplier<CollectionSchema.Builder>) () ->
            base().addField("title", DataType.VARCHAR), "'title'"),
        Arguments.of("VarChar max_length 0", (Supplier<CollectionSchema.Builder>) () ->
            base().addField("title0", DataType.VARCHAR, maxLength(0)), "'title0'"),
        Arguments.of("VarChar max_length above 65535", (Supplier<CollectionSchema.Builder>) () ->
            base().addField("long_title", DataType.VARCHAR, maxLength(65536)), "'long_title'"),
        Arguments.of("Array<VarChar> without max_length", (Supplier<CollectionSchema.Builder>) () ->
            base().addField("tags", DataType.ARRAY, elementType(DataType.VARCHAR), maxCapacity(4)),
            "'tags'"),
        Arguments.of("Array without max_capacity", (Supplier<CollectionSchema.Builder>) () ->
            base().addField("nums", DataType.ARRAY, elementType(DataType.INT64)), "'nums'"),
        Arguments.of("Array max_capacity above 4096", (Supplier<CollectionSchema.Builder>) () ->
            base().addField("nums2", DataType.ARRAY, elementType(DataType.INT64), maxCapacity(4097)),
            "'nums2'"),
        Arguments.of("Array without element type", (Supplier<CollectionSchema.Builder>) () ->
            base().addField("noelem", DataType.ARRAY, maxCapacity(4)), "'noelem'"),
        Arguments.of("Array of JSON", (Supplier<CollectionSchema.Builder>) () ->
            base().addField("aj", DataType.ARRAY, elementType(DataType.JSON), maxCapacity(4)), "'aj'"),
        Arguments.of("Array of FloatVector", (Supplier<CollectionSchema.Builder>) () ->
            base().addField("afv", DataType.ARRAY, elementType(DataType.FLOAT_VECTOR),
                maxCapacity(4)), "'afv'"),
        Arguments.of("Array of Array", (Supplier<CollectionSchema.Builder>) () ->
            base().addField("aa", DataType.ARRAY, elementType(DataType.ARRAY), maxCapacity(4)), "'aa'"),
        Arguments.of("element type on a non-array", (Supplier<CollectionSchema.Builder>) () ->
            base().addField("notarr", DataType.INT64, elementType(DataType.INT64)), "'notarr'"),
        Arguments.of("duplicate names", (Supplier<CollectionSchema.Builder>) () ->
            base().addField("twice", DataType.INT64).addField("twice", DataType.BOOL), "'twice'"),
        Arguments.of("duplicate of the pk", (Supplier<CollectionSchema.Builder>) () ->
            base().addField("id", DataType.INT64), "'id'"),
        Arguments.of("Int64 default not a number", (Supplier<CollectionSchema.Builder>) () ->
            base().addField("d1", DataType.INT64, defaultValue("abc")), "'d1'"),
        Arguments.of("Int64 default a fraction", (Supplier<CollectionSchema.Builder>) () ->
            base().addField("d2", DataType.INT64, defaultValue(1.5)), "'d2'"),
        Arguments.of("Int8 default out of range", (Supplier<CollectionSchema.Builder>) () ->
            base().addField("d3", DataType.INT8, defaultValue(200)), "'d3'"),
        Arguments.of("Int64 default above 2^63", (Supplier<CollectionSchema.Builder>) () ->
            base().addField("d4", DataType.INT64, defaultValue(BigInteger.ONE.shiftLeft(63))), "'d4'"),
        Arguments.of("Bool default a string", (Supplier<CollectionSchema.Builder>) () ->
            base().addField("d5", DataType.BOOL, defaultValue("yes")), "'d5'"),
        Arguments.of("Bool default a number", (Supplier<CollectionSchema.Builder>) () ->
            base().addField("d6", DataType.BOOL, defaultValue(1)), "'d6'"),
        Arguments.of("VarChar default too long (bytes)", (Supplier<CollectionSchema.Builder>) () ->
            base().addField("d7", DataType.VARCHAR, maxLength(4), defaultValue("ééé")), "'d7'"),
        Arguments.of("VarChar default a number", (Supplier<CollectionSchema.Builder>) () ->
            base().addField("d8", DataType.VARCHAR, maxLength(4), defaultValue(12)), "'d8'"),
        Arguments.of("Float default beyond float32", (Supplier<CollectionSchema.Builder>) () ->
            base().addField("d9", DataType.FLOAT, defaultValue(3.5e38)), "'d9'"),
        Arguments.of("Double default NaN", (Supplier<CollectionSchema.Builder>) () ->
            base().addField("d10", DataType.DOUBLE, defaultValue(Double.NaN)), "'d10'"),
        Arguments.of("JSON default", (Supplier<CollectionSchema.Builder>) () ->
            base().addField("d11", DataType.JSON, defaultValue("{}")), "'d11'"),
        Arguments.of("vector default", (Supplier<CollectionSchema.Builder>) () ->
            base().addField("d12", DataType.FLOAT_VECTOR, dim(2), defaultValue(1)), "'d12'"),
        Arguments.of("Timestamptz default not RFC 3339", (Supplier<CollectionSchema.Builder>) () ->
            base().addField("d13", DataType.TIMESTAMPTZ, defaultValue("yesterday")), "'d13'"),
        Arguments.of("function output not in schema", (Supplier<CollectionSchema.Builder>) () ->
            base().addField("text", DataType.VARCHAR, maxLength(100))
                .addFunction(FunctionSchema.bm25("fn", "text", "missing_out")), "'missing_out'"),
        Arguments.of("function input not in schema", (Supplier<CollectionSchema.Builder>) () ->
            base().addField("sp", DataType.SPARSE_FLOAT_VECTOR)
                .addFunction(FunctionSchema.bm25("fn", "missing_in", "sp")), "'missing_in'"),
        Arguments.of("BM25 output not sparse", (Supplier<CollectionSchema.Builder>) () ->
            base().addField("text", DataType.VARCHAR, maxLength(100))
                .addField("dense_out", DataType.FLOAT_VECTOR, dim(4))
                .addFunction(FunctionSchema.bm25("fn", "text", "dense_out")), "'dense_out'"),
        Arguments.of("function output nullable", (Supplier<CollectionSchema.Builder>) () ->
            base().addField("text", DataType.VARCHAR, maxLength(100))
                .addField("nsp", DataType.SPARSE_FLOAT_VECTOR, nullable())
                .addFunction(FunctionSchema.bm25("fn", "text", "nsp")), "'nsp'"),
        Arguments.of("no vector field", (Supplier<CollectionSchema.Builder>) () ->
            CollectionSchema.createSchema(false, false).addField("id", DataType.INT64, isPrimary())
                .addField("s", DataType.VARCHAR, maxLength(3)), "vector"),
        Arguments.of("two partition keys", (Supplier<CollectionSchema.Builder>) () ->
            base().addField("p1", DataType.INT64, isPartitionKey())
                .addField("p2", DataType.VARCHAR, maxLength(8), isPartitionKey()), "partition"),
        Arguments.of("no fields", (Supplier<CollectionSchema.Builder>) () ->
            CollectionSchema.createSchema(false, false), "no fields"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("schemaErrors")
  void schemaErrorsAreCaughtAtBuildNamingTheField(String what, Supplier<CollectionSchema.Builder> b,
      String named) {
    SchemaException e = buildFails(b);
    assertTrue(e.getMessage().contains(named), what + ": message should contain " + named + ": "
        + e.getMessage());
  }

  @Test
  void addFieldDoesNotThrowOnlyBuildDoes() {
    CollectionSchema.Builder b = base().addField("", DataType.INT64)
        .addField("nodim", DataType.FLOAT_VECTOR);
    assertThrows(SchemaException.class, b::build);
  }

  @Test
  void tooManyFields() {
    CollectionSchema.Builder b = base();
    for (int i = 0; i < 63; i++) {
      b.addField("f" + i, DataType.INT64);
    }
    assertThrows(SchemaException.class, b::build);
  }

  @Test
  void sixtyFourFieldsAreAllowed() {
    CollectionSchema.Builder b = base();
    for (int i = 0; i < 62; i++) {
      b.addField("f" + i, DataType.INT64);
    }
    assertEquals(64, b.build().fields().size());
  }

  @ParameterizedTest
  @ValueSource(strings = {"1abc", "a-b", "a/b", "../x", "a.b", "a b", "a\\b", "ä", "$x", "x$",
      "é", "a\u0000b"})
  void illegalFieldNames(String name) {
    SchemaException e = buildFails(() -> base().addField(name, DataType.INT64));
    assertTrue(e.getMessage().contains("'" + name + "'"), e.getMessage());
  }

  @Test
  void emptyFieldName() {
    SchemaException e = buildFails(() -> base().addField("", DataType.INT64));
    assertTrue(e.getMessage().contains("name"), e.getMessage());
  }

  @Test
  void metaIsReserved() {
    SchemaException e = buildFails(() -> base().addField("$meta", DataType.JSON));
    assertTrue(e.getMessage().contains("$meta"), e.getMessage());
    // reserved whether the dynamic field is on or off
    assertThrows(SchemaException.class, () -> CollectionSchema.createSchema(false, true)
        .addField("id", DataType.INT64, isPrimary()).addField("v", DataType.FLOAT_VECTOR, dim(2))
        .addField("$meta", DataType.JSON).build());
  }

  @Test
  void nameLengthLimit() {
    String ok = "a" + "b".repeat(254);
    assertEquals(255, ok.length());
    assertEquals(255, base().addField(ok, DataType.INT64).build().field(ok).name().length());
    String tooLong = "a" + "b".repeat(255);
    SchemaException e = buildFails(() -> base().addField(tooLong, DataType.INT64));
    assertTrue(e.getMessage().contains(tooLong.substring(0, 40)), e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {"_", "_a", "A", "abc_123", "Z9", "__meta"})
  void legalFieldNames(String name) {
    assertEquals(name, base().addField(name, DataType.INT64).build().field(name).name());
  }

  @Test
  void defaultValuesAreNormalized() {
    CollectionSchema s = base()
        .addField("i8", DataType.INT8, defaultValue("-128"))
        .addField("i64", DataType.INT64, defaultValue(" 9223372036854775807 "))
        .addField("i32", DataType.INT32, defaultValue(3.0))
        .addField("b1", DataType.BOOL, defaultValue("TRUE"))
        .addField("b2", DataType.BOOL, defaultValue("false"))
        .addField("f", DataType.FLOAT, defaultValue("0.5"))
        .addField("f2", DataType.FLOAT, defaultValue(7))
        .addField("d", DataType.DOUBLE, defaultValue("1e300"))
        .addField("s", DataType.VARCHAR, maxLength(4), defaultValue("éé"))
        .addField("g", DataType.GEOMETRY, defaultValue("POINT (1 2)"))
        .addField("t", DataType.TIMESTAMPTZ, defaultValue("2025-01-02T03:04:05Z"))
        .build();
    assertEquals(-128L, s.field("i8").defaultValue());
    assertEquals(Long.MAX_VALUE, s.field("i64").defaultValue());
    assertEquals(3L, s.field("i32").defaultValue());
    assertEquals(Boolean.TRUE, s.field("b1").defaultValue());
    assertEquals(Boolean.FALSE, s.field("b2").defaultValue());
    assertEquals(0.5f, s.field("f").defaultValue());
    assertEquals(7f, s.field("f2").defaultValue());
    assertEquals(1e300, s.field("d").defaultValue());
    assertEquals("éé", s.field("s").defaultValue());
    assertEquals("POINT (1 2)", s.field("g").defaultValue());
    assertEquals("2025-01-02T03:04:05Z", s.field("t").defaultValue());
    assertTrue(s.field("b2").hasDefault(), "a false default is still a default");
  }

  @Test
  void functionSchemaBm25() {
    FunctionSchema fn = FunctionSchema.bm25("bm", "text", "sparse");
    assertEquals("bm", fn.name());
    assertEquals("BM25", fn.type());
    assertEquals(List.of("text"), fn.inputFieldNames());
    assertEquals(List.of("sparse"), fn.outputFieldNames());
    assertEquals(fn, FunctionSchema.bm25("bm", "text", "sparse"));
    assertFalse(fn.equals(FunctionSchema.bm25("bm", "text", "other")));
  }

  @Test
  void fieldDescribeForMessages() {
    CollectionSchema s = base().addField("tags", DataType.ARRAY, elementType(DataType.INT8),
        maxCapacity(2), nullable()).build();
    assertEquals("'tags' (Array<Int8>, nullable)", s.field("tags").describe());
    assertEquals("'vector' (FloatVector, dim 4)", s.field("vector").describe());
  }

  /** Milvus 2.6.18: every vector type may be nullable; Milvus 3.0: Text, with no max_length. */
  @Test
  void nullableVectorsOfEverySixTypesAndText() {
    CollectionSchema s = CollectionSchema.createSchema(false, false)
        .addField("id", DataType.INT64, isPrimary())
        .addField("fv", DataType.FLOAT_VECTOR, dim(4), nullable())
        .addField("bv", DataType.BINARY_VECTOR, dim(16), nullable())
        .addField("hv", DataType.FLOAT16_VECTOR, dim(4), nullable())
        .addField("bf", DataType.BFLOAT16_VECTOR, dim(4), nullable())
        .addField("iv", DataType.INT8_VECTOR, dim(4), nullable())
        .addField("sv", DataType.SPARSE_FLOAT_VECTOR, nullable())
        .addField("body", DataType.TEXT, nullable())
        .build();
    for (String name : List.of("fv", "bv", "hv", "bf", "iv", "sv", "body")) {
      assertTrue(s.field(name).isNullable(), name);
      assertFalse(s.field(name).hasDefault(), name);
    }
    assertEquals(DataType.TEXT, DataType.fromName("Text"));
    assertEquals(DataType.TEXT, DataType.fromName("TEXT"));
  }

  private static StructSchema item() {
    return StructSchema.create()
        .addField("a", DataType.INT32)
        .addField("t", DataType.VARCHAR, maxLength(12))
        .addField("v", DataType.FLOAT_VECTOR, dim(4));
  }

  private static CollectionSchema.Builder withStruct(StructSchema st, FieldParam... params) {
    return CollectionSchema.createSchema(false, true)
        .addField("id", DataType.INT64, isPrimary())
        .addField("vector", DataType.FLOAT_VECTOR, dim(4))
        .addStructField("s", st, params);
  }

  @Test
  void aStructArrayIsAColumnAfterTheFieldsAndBeforeMeta() {
    CollectionSchema s = withStruct(item(), maxCapacity(4)).build();
    assertEquals(List.of("id", "vector", "s", "$meta"),
        s.columns().stream().map(FieldSchema::name).collect(java.util.stream.Collectors.toList()));
    FieldSchema st = s.field("s");
    assertTrue(st.isStruct());
    assertEquals(List.of("a", "t", "v"), st.subFields().stream().map(FieldSchema::name)
        .collect(java.util.stream.Collectors.toList()));
    assertEquals(4, st.structCapacity());
    assertEquals(4, st.subFields().get(2).dim());
    assertEquals(1, s.structFields().size());
    assertEquals(2, s.fields().size());
  }

  @Test
  void everySubFieldCapacityApplies() {
    StructSchema st = StructSchema.create().addField("a", DataType.INT8, maxCapacity(2))
        .addField("b", DataType.DOUBLE);
    FieldSchema s = withStruct(st, maxCapacity(5)).build().field("s");
    assertEquals(2, s.subFields().get(0).maxCapacity());
    assertEquals(5, s.subFields().get(1).maxCapacity());
    assertEquals(2, s.structCapacity());
  }

  static Stream<Arguments> structsOutsideTheContract() {
    return Stream.of(
        Arguments.of("no capacity anywhere", withStruct(item()), "max_capacity"),
        Arguments.of("a nullable struct", withStruct(item(), maxCapacity(2), nullable()),
            "Milvus 3.0"),
        Arguments.of("a Float16 sub-vector", withStruct(StructSchema.create()
            .addField("h", DataType.FLOAT16_VECTOR, dim(4)), maxCapacity(2)), "Milvus 3.0"),
        Arguments.of("a JSON sub-field", withStruct(StructSchema.create()
            .addField("j", DataType.JSON), maxCapacity(2)), "'j'"),
        Arguments.of("a nullable sub-field", withStruct(StructSchema.create()
            .addField("n", DataType.INT32, nullable()), maxCapacity(2)), "'n'"),
        Arguments.of("a sub-field with a default", withStruct(StructSchema.create()
            .addField("d", DataType.INT32, defaultValue(3)), maxCapacity(2)), "'d'"),
        Arguments.of("a VarChar sub-field without max_length", withStruct(StructSchema.create()
            .addField("t", DataType.VARCHAR), maxCapacity(2)), "'t'"),
        Arguments.of("two sub-fields of one name", withStruct(StructSchema.create()
            .addField("x", DataType.INT32).addField("x", DataType.INT64), maxCapacity(2)), "'x'"),
        Arguments.of("no sub-field", withStruct(StructSchema.create(), maxCapacity(2)),
            "sub-field"),
        Arguments.of("the name of a field", CollectionSchema.createSchema(false, false)
            .addField("id", DataType.INT64, isPrimary())
            .addField("vector", DataType.FLOAT_VECTOR, dim(4))
            .addStructField("vector", item(), maxCapacity(2)), "'vector'"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("structsOutsideTheContract")
  void aStructOutsideTheContractIsRefusedNamingTheField(String what,
      CollectionSchema.Builder b, String named) {
    SchemaException e = assertThrows(SchemaException.class, b::build);
    assertTrue(e.getMessage().contains("'s'") || e.getMessage().contains("'vector'"),
        e.getMessage());
    assertTrue(e.getMessage().contains(named), e.getMessage());
  }

  @Test
  void structFieldsRoundTripThroughTheRestShapes() {
    CollectionSchema s = withStruct(item(), maxCapacity(4)).build();
    String json = SchemaJson.toJson(s);
    assertTrue(json.contains("\"structFields\""), json);
    assertTrue(json.contains("\"ArrayOfVector\""), json);
    assertEquals(s, SchemaJson.parse(json));
    String describe = "{\"code\":0,\"data\":{\"collectionName\":\"c\",\"autoId\":false,"
        + "\"enableDynamicField\":true,\"fields\":[{\"name\":\"id\",\"type\":\"Int64\","
        + "\"primaryKey\":true},{\"name\":\"vector\",\"type\":\"FloatVector\",\"params\":["
        + "{\"key\":\"dim\",\"value\":\"4\"}]}],\"structFields\":[{\"name\":\"s\","
        + "\"type\":\"ArrayOfStruct\",\"params\":[{\"key\":\"max_capacity\",\"value\":\"4\"}],"
        + "\"fields\":[{\"name\":\"a\",\"type\":\"Array\",\"elementType\":\"Int32\"},"
        + "{\"name\":\"t\",\"type\":\"Array\",\"elementType\":\"VarChar\",\"params\":["
        + "{\"key\":\"max_length\",\"value\":\"12\"}]},{\"name\":\"v\",\"type\":"
        + "\"ArrayOfVector\",\"elementType\":\"FloatVector\",\"params\":[{\"key\":\"dim\","
        + "\"value\":\"4\"}]}]}]}}";
    assertEquals(s, SchemaJson.parse(describe));
  }

  @Test
  void thePublicStructFixtureSchemaIsRead() throws Exception {
    java.nio.file.Path dir = java.nio.file.Path.of("").toAbsolutePath();
    while (!java.nio.file.Files.isDirectory(dir.resolve("shared/conformance"))) {
      dir = dir.getParent();
    }
    CollectionSchema s = SchemaJson.read(
        dir.resolve("shared/conformance/fixtures/struct-types/schema.json"));
    assertFalse(s.structFields().isEmpty());
    for (FieldSchema st : s.structFields()) {
      assertTrue(st.structCapacity() > 0, st.describe());
    }
  }
}
