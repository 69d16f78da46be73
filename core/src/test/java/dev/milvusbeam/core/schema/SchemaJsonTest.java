package dev.milvusbeam.core.schema;

import static dev.milvusbeam.core.schema.FieldParam.defaultValue;
import static dev.milvusbeam.core.schema.FieldParam.description;
import static dev.milvusbeam.core.schema.FieldParam.dim;
import static dev.milvusbeam.core.schema.FieldParam.elementType;
import static dev.milvusbeam.core.schema.FieldParam.isPartitionKey;
import static dev.milvusbeam.core.schema.FieldParam.isPrimary;
import static dev.milvusbeam.core.schema.FieldParam.maxCapacity;
import static dev.milvusbeam.core.schema.FieldParam.maxLength;
import static dev.milvusbeam.core.schema.FieldParam.nullable;
import static dev.milvusbeam.core.schema.FieldParam.typeParam;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SchemaJsonTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** Single quotes for readability. */
  private static CollectionSchema parse(String singleQuoted) {
    return SchemaJson.parse(singleQuoted.replace('\'', '"'));
  }

  private static List<String> columnNames(CollectionSchema s) {
    return s.columns().stream().map(FieldSchema::name).collect(Collectors.toList());
  }

  private static void assertRoundTrip(CollectionSchema s) {
    String json = SchemaJson.toJson(s);
    CollectionSchema back = SchemaJson.parse(json);
    assertEquals(s, back, json);
    assertEquals(columnNames(s), columnNames(back));
    assertEquals(json, SchemaJson.toJson(back), "toJson is stable");
  }

  @Test
  void restV2ShapeWithNumbersAsStrings() {
    CollectionSchema s = parse("{'autoID':false,'enableDynamicField':true,'fields':["
        + "{'fieldName':'id','dataType':'Int64','isPrimary':true},"
        + "{'fieldName':'vector','dataType':'FloatVector','elementTypeParams':{'dim':'768'}},"
        + "{'fieldName':'title','dataType':'VarChar','elementTypeParams':{'max_length':'512'}},"
        + "{'fieldName':'tags','dataType':'Array','elementDataType':'VarChar',"
        + "'elementTypeParams':{'max_capacity':'8','max_length':'16'}}]}");
    assertFalse(s.isAutoId());
    assertTrue(s.isDynamicFieldEnabled());
    assertEquals(768, s.field("vector").dim());
    assertEquals(512, s.field("title").maxLength());
    assertEquals(8, s.field("tags").maxCapacity());
    assertEquals(16, s.field("tags").maxLength());
    assertEquals(DataType.VARCHAR, s.field("tags").elementType());
    assertEquals(List.of("id", "vector", "title", "tags", "$meta"), columnNames(s));
  }

  @Test
  void restV2ShapeWithNumbersAsNumbers() {
    CollectionSchema strings = parse("{'fields':["
        + "{'fieldName':'id','dataType':'Int64','isPrimary':true},"
        + "{'fieldName':'vector','dataType':'FloatVector','elementTypeParams':{'dim':'8'}},"
        + "{'fieldName':'title','dataType':'VarChar','elementTypeParams':{'max_length':'5'}}]}");
    CollectionSchema numbers = parse("{'fields':["
        + "{'fieldName':'id','dataType':'Int64','isPrimary':true},"
        + "{'fieldName':'vector','dataType':'FloatVector','elementTypeParams':{'dim':8}},"
        + "{'fieldName':'title','dataType':'VarChar','elementTypeParams':{'max_length':5}}]}");
    assertEquals(strings, numbers);
    assertFalse(numbers.isDynamicFieldEnabled(), "enableDynamicField defaults to false");
    assertFalse(numbers.isAutoId());
    assertEquals(List.of("id", "vector", "title"), columnNames(numbers));
  }

  @Test
  void booleansAsStringsAndParamsAtTopLevel() {
    CollectionSchema s = parse("{'autoID':'true','enableDynamicField':'true','fields':["
        + "{'fieldName':'id','dataType':'VarChar','isPrimary':'true','max_length':64},"
        + "{'fieldName':'v','dataType':'BinaryVector','dim':'16'}]}");
    assertTrue(s.isAutoId());
    assertTrue(s.primaryKey().isAutoId());
    assertEquals(64, s.field("id").maxLength());
    assertEquals(16, s.field("v").dim());
    assertEquals(List.of("v", "$meta"), columnNames(s));
  }

  @Test
  void describeCollectionShapeWrappedInData() {
    CollectionSchema s = parse("{'code':0,'data':{'collectionName':'c','autoId':false,"
        + "'enableDynamicField':true,'fields':["
        + "{'name':'pk','type':'VarChar','primaryKey':true,'autoId':false,"
        + "'params':[{'key':'max_length','value':'36'}]},"
        + "{'name':'emb','type':'FloatVector','params':[{'key':'dim','value':'128'}]},"
        + "{'name':'nums','type':'Array','elementType':'Int16',"
        + "'params':[{'key':'max_capacity','value':'10'}]},"
        + "{'name':'cat','type':'Int64','partitionKey':true,'nullable':false},"
        + "{'name':'note','type':'VarChar','nullable':true,'params':[{'key':'max_length','value':'20'}]}"
        + "]}}");
    assertEquals("pk", s.primaryKey().name());
    assertEquals(DataType.VARCHAR, s.primaryKey().dataType());
    assertEquals(36, s.primaryKey().maxLength());
    assertEquals(128, s.field("emb").dim());
    assertEquals(DataType.INT16, s.field("nums").elementType());
    assertEquals(10, s.field("nums").maxCapacity());
    assertTrue(s.field("cat").isPartitionKey());
    assertTrue(s.field("note").isNullable());
    assertTrue(s.isDynamicFieldEnabled());
    assertEquals(List.of("pk", "emb", "nums", "cat", "note", "$meta"), columnNames(s));
  }

  @Test
  void schemaWrapper() {
    CollectionSchema s = parse("{'schema':{'fields':["
        + "{'fieldName':'id','dataType':'INT64','isPrimary':true},"
        + "{'fieldName':'v','dataType':'FLOAT16_VECTOR','elementTypeParams':{'dim':2}}]}}");
    assertEquals(DataType.FLOAT16_VECTOR, s.field("v").dataType());
    assertEquals(DataType.INT64, s.primaryKey().dataType());
  }

  @Test
  void everyTypeWithNullableDefaultsPartitionKeyAndFunctions() {
    CollectionSchema s = parse("{'autoID':false,'enableDynamicField':true,'fields':["
        + "{'fieldName':'id','dataType':'Int64','isPrimary':true},"
        + "{'fieldName':'b','dataType':'Bool','defaultValue':true},"
        + "{'fieldName':'b2','dataType':'Bool','defaultValue':'false'},"
        + "{'fieldName':'i8','dataType':'Int8','nullable':true,'defaultValue':-7},"
        + "{'fieldName':'i16','dataType':'Int16'},"
        + "{'fieldName':'i32','dataType':'Int32','isPartitionKey':true},"
        + "{'fieldName':'i64','dataType':'Int64','defaultValue':'-9000000000'},"
        + "{'fieldName':'i64n','dataType':'Int64','defaultValue':-9000000000},"
        + "{'fieldName':'f','dataType':'Float','defaultValue':0.1},"
        + "{'fieldName':'d','dataType':'Double','defaultValue':2.5},"
        + "{'fieldName':'s','dataType':'VarChar','defaultValue':'dflt-é',"
        + "'elementTypeParams':{'max_length':24}},"
        + "{'fieldName':'text','dataType':'VarChar','elementTypeParams':{'max_length':256,"
        + "'enable_analyzer':true}},"
        + "{'fieldName':'j','dataType':'JSON','nullable':true},"
        + "{'fieldName':'ab','dataType':'Array','elementDataType':'Bool','elementTypeParams':{'max_capacity':5}},"
        + "{'fieldName':'ai8','dataType':'Array','elementDataType':'Int8','elementTypeParams':{'max_capacity':5}},"
        + "{'fieldName':'ai16','dataType':'Array','elementDataType':'Int16','elementTypeParams':{'max_capacity':5}},"
        + "{'fieldName':'ai32','dataType':'Array','elementDataType':'Int32','elementTypeParams':{'max_capacity':5}},"
        + "{'fieldName':'ai64','dataType':'Array','elementDataType':'Int64','nullable':true,"
        + "'elementTypeParams':{'max_capacity':5}},"
        + "{'fieldName':'af','dataType':'Array','elementDataType':'Float','elementTypeParams':{'max_capacity':5}},"
        + "{'fieldName':'ad','dataType':'Array','elementDataType':'Double','elementTypeParams':{'max_capacity':5}},"
        + "{'fieldName':'as','dataType':'Array','elementDataType':'VarChar',"
        + "'elementTypeParams':{'max_capacity':'4','max_length':'12'}},"
        + "{'fieldName':'fv','dataType':'FloatVector','elementTypeParams':{'dim':16}},"
        + "{'fieldName':'bv','dataType':'BinaryVector','elementTypeParams':{'dim':'32'}},"
        + "{'fieldName':'f16','dataType':'Float16Vector','elementTypeParams':{'dim':8}},"
        + "{'fieldName':'bf16','dataType':'BFloat16Vector','elementTypeParams':{'dim':'8'}},"
        + "{'fieldName':'i8v','dataType':'Int8Vector','elementTypeParams':{'dim':8}},"
        + "{'fieldName':'sv','dataType':'SparseFloatVector'},"
        + "{'fieldName':'geo','dataType':'Geometry','nullable':true},"
        + "{'fieldName':'ts','dataType':'Timestamptz','defaultValue':'2025-01-01T00:00:00Z'},"
        + "{'fieldName':'bm25_out','dataType':'SparseFloatVector'}],"
        + "'functions':[{'name':'bm25_fn','type':'BM25','inputFieldNames':['text'],"
        + "'outputFieldNames':['bm25_out'],'params':{}}]}");
    assertEquals(Boolean.TRUE, s.field("b").defaultValue());
    assertEquals(Boolean.FALSE, s.field("b2").defaultValue());
    assertTrue(s.field("i8").isNullable());
    assertEquals(-7L, s.field("i8").defaultValue());
    assertTrue(s.field("i32").isPartitionKey());
    assertEquals(-9_000_000_000L, s.field("i64").defaultValue());
    assertEquals(-9_000_000_000L, s.field("i64n").defaultValue());
    assertEquals(0.1f, s.field("f").defaultValue());
    assertEquals(2.5, s.field("d").defaultValue());
    assertEquals("dflt-é", s.field("s").defaultValue());
    assertEquals("true", s.field("text").typeParams().get("enable_analyzer"));
    assertEquals(DataType.JSON, s.field("j").dataType());
    for (String[] a : new String[][] {{"ab", "Bool"}, {"ai8", "Int8"}, {"ai16", "Int16"},
        {"ai32", "Int32"}, {"ai64", "Int64"}, {"af", "Float"}, {"ad", "Double"}, {"as", "VarChar"}}) {
      assertEquals(DataType.ARRAY, s.field(a[0]).dataType());
      assertEquals(DataType.fromName(a[1]), s.field(a[0]).elementType(), a[0]);
    }
    assertEquals(4, s.field("as").maxCapacity());
    assertEquals(12, s.field("as").maxLength());
    assertEquals(32, s.field("bv").dim());
    assertEquals(DataType.BFLOAT16_VECTOR, s.field("bf16").dataType());
    assertEquals(DataType.INT8_VECTOR, s.field("i8v").dataType());
    assertEquals(DataType.SPARSE_FLOAT_VECTOR, s.field("sv").dataType());
    assertEquals(DataType.GEOMETRY, s.field("geo").dataType());
    assertEquals("2025-01-01T00:00:00Z", s.field("ts").defaultValue());
    assertTrue(s.field("bm25_out").isFunctionOutput());
    assertEquals(1, s.functions().size());
    assertEquals(List.of("text"), s.functions().get(0).inputFieldNames());
    assertFalse(columnNames(s).contains("bm25_out"));
    assertEquals("$meta", columnNames(s).get(columnNames(s).size() - 1));
    assertRoundTrip(s);
  }

  @Test
  void builderSchemaRoundTrips() {
    CollectionSchema s = CollectionSchema.createSchema(true, false)
        .addField("id", DataType.INT64, isPrimary(), description("the key"))
        .addField("text", DataType.VARCHAR, maxLength(1000), typeParam("enable_analyzer", "true"))
        .addField("sparse", DataType.SPARSE_FLOAT_VECTOR)
        .addField("v", DataType.FLOAT_VECTOR, dim(3))
        .addField("n", DataType.INT16, nullable(), defaultValue(-3))
        .addField("tags", DataType.ARRAY, elementType(DataType.VARCHAR), maxCapacity(3),
            maxLength(7), nullable())
        .addField("cat", DataType.VARCHAR, maxLength(9), isPartitionKey(), defaultValue("x"))
        .addField("f", DataType.FLOAT, defaultValue(0.1f))
        .addField("big", DataType.INT64, defaultValue(Long.MIN_VALUE))
        .addField("ok", DataType.BOOL, defaultValue(false))
        .addFunction(FunctionSchema.bm25("bm", "text", "sparse"))
        .build();
    assertRoundTrip(s);
    CollectionSchema back = SchemaJson.parse(SchemaJson.toJson(s));
    assertTrue(back.isAutoId());
    assertEquals(0.1f, back.field("f").defaultValue());
    assertEquals(Long.MIN_VALUE, back.field("big").defaultValue());
    assertEquals(List.of("text", "v", "n", "tags", "cat", "f", "big", "ok"), columnNames(back));
  }

  @Test
  void toTreeUsesTheRestV2Shape() {
    CollectionSchema s = CollectionSchema.createSchema(false, true)
        .addField("id", DataType.INT64, isPrimary())
        .addField("v", DataType.FLOAT_VECTOR, dim(768))
        .build();
    JsonNode t = SchemaJson.toTree(s);
    assertFalse(t.get("autoID").booleanValue());
    assertTrue(t.get("enableDynamicField").booleanValue());
    assertEquals("id", t.get("fields").get(0).get("fieldName").textValue());
    assertEquals("Int64", t.get("fields").get(0).get("dataType").textValue());
    assertTrue(t.get("fields").get(0).get("isPrimary").booleanValue());
    assertEquals("FloatVector", t.get("fields").get(1).get("dataType").textValue());
    assertEquals("768", t.get("fields").get(1).get("elementTypeParams").get("dim").asText());
    assertTrue(t.get("functions").isArray());
  }

  @ParameterizedTest
  @ValueSource(strings = {"seed", "all-types", "numpy-types"})
  void fixtureSchemasLoadAndRoundTrip(String name) throws IOException {
    Path file = Fixtures.fixture(name).resolve("schema.json");
    CollectionSchema s = SchemaJson.read(file);
    JsonNode raw = MAPPER.readTree(file.toFile());
    assertEquals(raw.get("fields").size(), s.fields().size());
    assertEquals(raw.path("enableDynamicField").asBoolean(), s.isDynamicFieldEnabled());
    assertEquals("id", s.primaryKey().name());
    assertEquals(DataType.INT64, s.primaryKey().dataType());
    for (JsonNode f : raw.get("fields")) {
      FieldSchema fs = s.field(f.get("fieldName").textValue());
      assertEquals(DataType.fromName(f.get("dataType").textValue()), fs.dataType());
      JsonNode p = f.path("elementTypeParams");
      if (p.has("dim")) {
        assertEquals(p.get("dim").asInt(), fs.dim());
      }
      if (p.has("max_length")) {
        assertEquals(p.get("max_length").asInt(), fs.maxLength());
      }
      if (p.has("max_capacity")) {
        assertEquals(p.get("max_capacity").asInt(), fs.maxCapacity());
      }
      assertEquals(f.path("nullable").asBoolean(), fs.isNullable(), fs.name());
      assertEquals(f.has("defaultValue"), fs.hasDefault(), fs.name());
    }
    assertEquals("$meta", s.columns().get(s.columns().size() - 1).name());
    assertRoundTrip(s);
  }

  @Test
  void allTypesFixtureDetails() throws IOException {
    CollectionSchema s = SchemaJson.read(Fixtures.fixture("all-types").resolve("schema.json"));
    assertEquals(-9_000_000_000L, s.field("d_int64").defaultValue());
    assertEquals(42L, s.field("d_int32").defaultValue());
    assertEquals(0.1f, s.field("d_float").defaultValue());
    assertEquals("dflt-é", s.field("nd_varchar").defaultValue());
    assertTrue(s.field("f_int32").isPartitionKey());
    assertTrue(s.field("bm25_out").isFunctionOutput());
    assertFalse(s.columns().stream().anyMatch(c -> c.name().equals("bm25_out")));
    assertEquals(DataType.VARCHAR, s.field("a_varchar").elementType());
    assertEquals(4, s.field("a_varchar").maxCapacity());
    assertEquals(12, s.field("a_varchar").maxLength());
  }

  // ---------------------------------------------------------------------------------------------
  // Errors
  // ---------------------------------------------------------------------------------------------

  @ParameterizedTest
  @ValueSource(strings = {"", "{", "{'fields':[}", "not json", "[]", "42", "{}", "{'fields':{}}",
      "{'fields':'x'}"})
  void notASchema(String text) {
    assertThrows(SchemaException.class, () -> parse(text));
  }

  @Test
  void unknownDataTypeNamesTheField() {
    SchemaException e = assertThrows(SchemaException.class, () -> parse("{'fields':["
        + "{'fieldName':'id','dataType':'Int64','isPrimary':true},"
        + "{'fieldName':'weird','dataType':'Float128'}]}"));
    assertTrue(e.getMessage().contains("weird"), e.getMessage());
    assertTrue(e.getMessage().contains("Float128"), e.getMessage());
  }

  @Test
  void missingDataTypeNamesTheField() {
    SchemaException e = assertThrows(SchemaException.class, () -> parse("{'fields':["
        + "{'fieldName':'id','dataType':'Int64','isPrimary':true},{'fieldName':'typeless'}]}"));
    assertTrue(e.getMessage().contains("typeless"), e.getMessage());
  }

  @Test
  void unknownElementTypeNamesTheField() {
    SchemaException e = assertThrows(SchemaException.class, () -> parse("{'fields':["
        + "{'fieldName':'id','dataType':'Int64','isPrimary':true},"
        + "{'fieldName':'arr','dataType':'Array','elementDataType':'Nope',"
        + "'elementTypeParams':{'max_capacity':2}}]}"));
    assertTrue(e.getMessage().contains("arr"), e.getMessage());
  }

  @Test
  void missingFieldName() {
    SchemaException e = assertThrows(SchemaException.class, () -> parse("{'fields':["
        + "{'fieldName':'id','dataType':'Int64','isPrimary':true},{'dataType':'Int64'}]}"));
    assertTrue(e.getMessage().contains("fields[1]"), e.getMessage());
  }

  @Test
  void nonNumericParamNamesTheField() {
    SchemaException e = assertThrows(SchemaException.class, () -> parse("{'fields':["
        + "{'fieldName':'id','dataType':'Int64','isPrimary':true},"
        + "{'fieldName':'vec','dataType':'FloatVector','elementTypeParams':{'dim':'many'}}]}"));
    assertTrue(e.getMessage().contains("vec"), e.getMessage());
  }

  @Test
  void schemaRulesApplyToJsonToo() {
    assertTrue(assertThrows(SchemaException.class, () -> parse("{'fields':["
        + "{'fieldName':'id','dataType':'Int64','isPrimary':true},"
        + "{'fieldName':'vec','dataType':'FloatVector'}]}")).getMessage().contains("vec"));
    assertTrue(assertThrows(SchemaException.class, () -> parse("{'fields':["
        + "{'fieldName':'id','dataType':'Int64','isPrimary':true},"
        + "{'fieldName':'v','dataType':'FloatVector','elementTypeParams':{'dim':2}},"
        + "{'fieldName':'s','dataType':'VarChar'}]}")).getMessage().contains("'s'"));
    assertTrue(assertThrows(SchemaException.class, () -> parse("{'fields':["
        + "{'fieldName':'id','dataType':'Int64','isPrimary':true},"
        + "{'fieldName':'v','dataType':'FloatVector','elementTypeParams':{'dim':2}},"
        + "{'fieldName':'../x','dataType':'Int64'}]}")).getMessage().contains("../x"));
    assertTrue(assertThrows(SchemaException.class, () -> parse("{'fields':["
        + "{'fieldName':'id','dataType':'Int64','isPrimary':true},"
        + "{'fieldName':'v','dataType':'FloatVector','elementTypeParams':{'dim':2}},"
        + "{'fieldName':'d','dataType':'Int8','defaultValue':'300'}]}")).getMessage().contains("'d'"));
    assertTrue(assertThrows(SchemaException.class, () -> parse("{'fields':["
        + "{'fieldName':'id','dataType':'Int64','isPrimary':true},"
        + "{'fieldName':'v','dataType':'FloatVector','elementTypeParams':{'dim':2}}],"
        + "'functions':[{'name':'f','type':'BM25','inputFieldNames':['id'],"
        + "'outputFieldNames':['gone']}]}")).getMessage().contains("gone"));
    assertThrows(SchemaException.class, () -> parse("{'fields':["
        + "{'fieldName':'v','dataType':'FloatVector','elementTypeParams':{'dim':2}}]}"));
  }

  @Test
  void nullDefaultMeansNoDefault() {
    CollectionSchema s = parse("{'fields':["
        + "{'fieldName':'id','dataType':'Int64','isPrimary':true},"
        + "{'fieldName':'v','dataType':'FloatVector','elementTypeParams':{'dim':2}},"
        + "{'fieldName':'n','dataType':'Int64','nullable':true,'defaultValue':null}]}");
    assertNull(s.field("n").defaultValue());
    assertTrue(s.field("n").isNullable());
  }

  /** A describe-collection reply as handler_v2.go getCollectionDetails / printFieldsV2 print it. */
  static final String DESCRIBE_REPLY = "{\"code\":0,\"data\":{\"collectionName\":\"articles\","
      + "\"collectionID\":456789,\"description\":\"\",\"autoId\":false,\"fields\":["
      + "{\"name\":\"id\",\"id\":100,\"type\":\"Int64\",\"description\":\"\",\"primaryKey\":true,"
      + "\"partitionKey\":false,\"clusteringKey\":false,\"autoId\":false,\"nullable\":false},"
      + "{\"name\":\"year\",\"id\":101,\"type\":\"Int32\",\"description\":\"\",\"primaryKey\":false,"
      + "\"partitionKey\":false,\"clusteringKey\":false,\"autoId\":false,\"nullable\":false,"
      + "\"defaultValue\":{\"Data\":{\"IntData\":2024}}},"
      + "{\"name\":\"lang\",\"id\":102,\"type\":\"VarChar\",\"description\":\"\",\"primaryKey\":false,"
      + "\"partitionKey\":false,\"clusteringKey\":false,\"autoId\":false,\"nullable\":true,"
      + "\"defaultValue\":{\"Data\":{\"StringData\":\"en\"}},"
      + "\"params\":[{\"key\":\"max_length\",\"value\":\"8\"}]},"
      + "{\"name\":\"text\",\"id\":103,\"type\":\"VarChar\",\"description\":\"body\","
      + "\"primaryKey\":false,\"partitionKey\":false,\"clusteringKey\":false,\"autoId\":false,"
      + "\"nullable\":false,\"params\":[{\"key\":\"max_length\",\"value\":\"1000\"},"
      + "{\"key\":\"enable_analyzer\",\"value\":\"true\"}]},"
      + "{\"name\":\"tags\",\"id\":104,\"type\":\"Array\",\"elementType\":\"VarChar\","
      + "\"description\":\"\",\"primaryKey\":false,\"partitionKey\":false,\"clusteringKey\":false,"
      + "\"autoId\":false,\"nullable\":false,\"params\":[{\"key\":\"max_length\",\"value\":\"16\"},"
      + "{\"key\":\"max_capacity\",\"value\":\"4\"}]},"
      + "{\"name\":\"sparse\",\"id\":105,\"type\":\"SparseFloatVector\",\"description\":\"\","
      + "\"primaryKey\":false,\"partitionKey\":false,\"clusteringKey\":false,\"autoId\":false,"
      + "\"nullable\":false,\"isFunctionOutput\":true},"
      + "{\"name\":\"vector\",\"id\":106,\"type\":\"FloatVector\",\"description\":\"\","
      + "\"primaryKey\":false,\"partitionKey\":false,\"clusteringKey\":false,\"autoId\":false,"
      + "\"nullable\":false,\"params\":[{\"key\":\"dim\",\"value\":\"4\"}]}],"
      + "\"structFields\":[],"
      + "\"functions\":[{\"name\":\"bm25\",\"description\":\"\",\"type\":1,\"id\":100,"
      + "\"inputFieldNames\":[\"text\"],\"outputFieldNames\":[\"sparse\"],\"params\":[]}],"
      + "\"aliases\":[],\"indexes\":[{\"indexName\":\"vector\",\"fieldName\":\"vector\","
      + "\"metricType\":\"COSINE\"}],\"load\":\"LoadStateNotLoad\",\"shardsNum\":1,"
      + "\"partitionsNum\":1,\"consistencyLevel\":\"Bounded\",\"enableDynamicField\":true,"
      + "\"externalSource\":\"\",\"externalSpec\":\"\",\"properties\":[]},\"message\":\"\"}";

  @Test
  void aDescribeCollectionReplyIsACollectionSchema() throws Exception {
    CollectionSchema s = SchemaJson.fromDescribeReply(new ObjectMapper().readTree(DESCRIBE_REPLY));
    assertTrue(s.isDynamicFieldEnabled());
    assertFalse(s.isAutoId());
    assertTrue(s.field("id").isPrimaryKey());
    assertEquals(java.math.BigInteger.valueOf(2024),
        new java.math.BigInteger(s.field("year").defaultValue().toString()));
    assertEquals("en", s.field("lang").defaultValue());
    assertTrue(s.field("lang").isNullable());
    assertEquals(8, s.field("lang").maxLength());
    assertEquals("true", s.field("text").typeParams().get("enable_analyzer"));
    assertEquals(DataType.VARCHAR, s.field("tags").elementType());
    assertEquals(4, s.field("tags").maxCapacity());
    assertEquals(16, s.field("tags").maxLength());
    assertEquals(4, s.field("vector").dim());
    assertEquals("BM25", s.functions().get(0).type(), "FunctionType 1");
    assertTrue(s.field("sparse").isFunctionOutput());
  }

  @Test
  void aDescriptionLackingWhatTheWriterNeedsSaysSo() throws Exception {
    ObjectMapper m = new ObjectMapper();
    String unknownType = DESCRIBE_REPLY.replace("\"type\":\"Int32\"", "\"type\":\"Mol\"");
    SchemaException e = assertThrows(SchemaException.class,
        () -> SchemaJson.fromDescribeReply(m.readTree(unknownType)));
    assertTrue(e.getMessage().contains("lacks what the writer needs")
        && e.getMessage().contains("field 'year'") && e.getMessage().contains("Mol")
        && e.getMessage().contains("too old"), e.getMessage());
    String noDim = DESCRIBE_REPLY.replace(",\"params\":[{\"key\":\"dim\",\"value\":\"4\"}]", "");
    SchemaException d = assertThrows(SchemaException.class,
        () -> SchemaJson.fromDescribeReply(m.readTree(noDim)));
    assertTrue(d.getMessage().contains("vector") && d.getMessage().contains("dim"), d.getMessage());
    String badDefault = DESCRIBE_REPLY.replace("{\"Data\":{\"IntData\":2024}}",
        "{\"Data\":{\"IntData\":2024,\"LongData\":1}}");
    assertThrows(SchemaException.class, () -> SchemaJson.fromDescribeReply(m.readTree(badDefault)));
  }
}
