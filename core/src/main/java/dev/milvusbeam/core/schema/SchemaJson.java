package dev.milvusbeam.core.schema;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads and writes a collection schema in the Milvus REST v2 JSON shape:
 *
 * <pre>{"autoID":false,"enableDynamicField":true,
 *  "fields":[{"fieldName":"id","dataType":"Int64","isPrimary":true},
 *            {"fieldName":"vector","dataType":"FloatVector","elementTypeParams":{"dim":"768"}}],
 *  "functions":[{"name":"bm25","type":"BM25","inputFieldNames":["text"],"outputFieldNames":["sparse"]}]}</pre>
 *
 * Numbers may be strings. The describe-collection shape ({@code name}, {@code type},
 * {@code primaryKey}, {@code params:[{key,value}]}, optionally inside {@code data}) is read too:
 * {@code defaultValue} in its protobuf form ({@code {"Data":{"LongData":5}}}, Go's JSON of a
 * {@code ValueField}) and a function {@code type} as the {@code FunctionType} number ({@code 1}
 * is BM25), as {@code POST /v2/vectordb/collections/describe} prints them; {@link
 * #fromDescribeReply} says what a description lacks when it cannot be written for.
 */
public final class SchemaJson {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private SchemaJson() {}

  public static CollectionSchema read(Path file) throws IOException {
    return parse(Files.readString(file));
  }

  /** @throws SchemaException for invalid JSON or a schema Milvus would refuse */
  public static CollectionSchema parse(String json) {
    JsonNode root;
    try {
      root = MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new SchemaException("schema is not valid JSON: " + e.getOriginalMessage());
    }
    return fromTree(root);
  }

  public static CollectionSchema fromTree(JsonNode root) {
    if (root != null && root.isObject() && !root.has("fields")) {
      for (String wrapper : new String[] {"data", "schema"}) {
        if (root.path(wrapper).has("fields")) {
          root = root.get(wrapper);
          break;
        }
      }
    }
    if (root == null || !root.isObject() || !root.path("fields").isArray()) {
      throw new SchemaException("a schema must be a JSON object with a \"fields\" list");
    }
    boolean autoId = bool(root, "autoID", "autoId", "auto_id");
    boolean dynamic = bool(root, "enableDynamicField", "enable_dynamic_field");
    CollectionSchema.Builder b = CollectionSchema.createSchema(autoId, dynamic);
    int i = 0;
    for (JsonNode f : root.get("fields")) {
      b.addField(field(f, i++));
    }
    i = 0;
    for (JsonNode st : root.path("structFields")) {
      b.addField(struct(st, i++));
    }
    for (JsonNode fn : root.path("functions")) {
      b.addFunction(new FunctionSchema(text(fn, "name"), functionType(fn),
          strings(fn, "inputFieldNames", "input_field_names"),
          strings(fn, "outputFieldNames", "output_field_names"), params(fn.path("params"))));
    }
    return b.build();
  }

  /**
   * The schema of a {@code /v2/vectordb/collections/describe} reply (the whole reply or its
   * {@code data}); a description that lacks what the writer needs (an unknown field type, a
   * vector without {@code dim}, …: a server too old to describe the field over REST) is refused
   * with a message that says so.
   */
  public static CollectionSchema fromDescribeReply(JsonNode reply) {
    JsonNode data = reply != null && reply.has("data") && !reply.has("fields")
        ? reply.get("data") : reply;
    try {
      return fromTree(data);
    } catch (SchemaException e) {
      throw new SchemaException("the collection's description lacks what the writer needs ("
          + e.getMessage() + "): the server may be too old to describe this field over REST");
    }
  }

  /** {@code FunctionType} numbers (milvus-proto schema.proto), as describe prints them. */
  private static final String[] FUNCTION_TYPES =
      {"Unknown", "BM25", "TextEmbedding", "Rerank", "MinHash", "MolFingerprint"};

  private static String functionType(JsonNode fn) {
    JsonNode t = fn.get("type");
    if (t != null && t.isIntegralNumber()) {
      int n = t.asInt();
      return n >= 0 && n < FUNCTION_TYPES.length ? FUNCTION_TYPES[n] : "FunctionType(" + n + ")";
    }
    return text(fn, "type");
  }

  /**
   * A default as written in a schema file ({@code 5}, {@code "x"}, {@code true}) or as describe
   * prints it: Go's JSON of the protobuf {@code ValueField}, {@code {"Data":{"LongData":5}}}
   * ({@code BoolData}, {@code IntData}, {@code LongData}, {@code FloatData}, {@code DoubleData},
   * {@code StringData}, {@code BytesData} base64).
   */
  private static Object defaultValue(JsonNode dv, String where) {
    if (dv.isObject() && dv.size() == 1 && (dv.has("Data") || dv.has("data"))) {
      JsonNode inner = dv.has("Data") ? dv.get("Data") : dv.get("data");
      if (!inner.isObject() || inner.size() != 1) {
        throw new SchemaException(where + ": default value " + dv + " is not a ValueField");
      }
      Map.Entry<String, JsonNode> e = inner.fields().next();
      if (e.getKey().equalsIgnoreCase("BytesData")) {
        return new String(java.util.Base64.getDecoder().decode(e.getValue().asText()),
            java.nio.charset.StandardCharsets.UTF_8);
      }
      dv = e.getValue();
    }
    if (dv.isObject() || dv.isArray()) {
      throw new SchemaException(where + ": default value " + dv + " is not a scalar");
    }
    return dv.isTextual() ? dv.textValue() : dv.isBoolean() ? (Object) dv.booleanValue()
        : dv.isIntegralNumber() ? (Object) dv.bigIntegerValue() : dv.decimalValue();
  }

  private static FieldSchema field(JsonNode f, int index) {
    String name = text(f, "fieldName", "name");
    String where = name == null ? "fields[" + index + "]" : "field '" + name + "'";
    if (name == null) {
      throw new SchemaException(where + ": missing fieldName");
    }
    String type = text(f, "dataType", "type");
    DataType dataType = type(type, where);
    FieldSchema.Builder b = FieldSchema.builder(name, dataType)
        .primaryKey(bool(f, "isPrimary", "primaryKey", "is_primary"))
        .autoId(bool(f, "autoID", "autoId", "auto_id"))
        .nullable(bool(f, "nullable"))
        .partitionKey(bool(f, "isPartitionKey", "partitionKey", "is_partition_key"))
        .description(text(f, "description"));
    String element = text(f, "elementDataType", "elementType", "element_type");
    if (element != null && dataType == DataType.ARRAY) {
      b.elementType(type(element, where + " element type"));
    }
    Map<String, String> params = new LinkedHashMap<>();
    params.putAll(params(f.path("typeParams")));
    params.putAll(params(f.path("params")));
    params.putAll(params(f.path("elementTypeParams")));
    for (String k : new String[] {"dim", "max_length", "max_capacity"}) {
      if (f.has(k)) {
        params.put(k, f.get(k).asText());
      }
    }
    applyParams(b, params, where);
    JsonNode dv = f.has("defaultValue") ? f.get("defaultValue") : f.get("default_value");
    if (dv != null && !dv.isNull()) {
      b.defaultValue(defaultValue(dv, where));
    }
    return b.build();
  }

  /**
   * A struct array in the master REST create shape ({@code fieldName}, {@code typeParams},
   * {@code fields} of {@code Array}/{@code ArrayOfVector} sub-fields) or the describe shape
   * ({@code name}, {@code type: ArrayOfStruct}, {@code params}, {@code fields} with {@code
   * elementType}).
   */
  private static FieldSchema struct(JsonNode st, int index) {
    String name = text(st, "fieldName", "name");
    String where = name == null ? "structFields[" + index + "]" : "struct array '" + name + "'";
    if (name == null) {
      throw new SchemaException(where + ": missing fieldName");
    }
    String type = text(st, "dataType", "type");
    if (type != null && !type.equalsIgnoreCase("ArrayOfStruct") && !type.equalsIgnoreCase("Array")
        && !type.equalsIgnoreCase("Struct")) {
      throw new SchemaException(where + ": type " + type + " is not ArrayOfStruct");
    }
    StructSchema sub = StructSchema.create();
    int i = 0;
    for (JsonNode f : st.path("fields")) {
      sub.fields.add(subField(f, where, i++));
    }
    FieldSchema.Builder b = FieldSchema.builder(name, DataType.ARRAY_OF_STRUCT).subFields(sub)
        .nullable(bool(st, "nullable")).description(text(st, "description"));
    Map<String, String> params = new LinkedHashMap<>();
    params.putAll(params(st.path("typeParams")));
    params.putAll(params(st.path("params")));
    if (st.has("max_capacity")) {
      params.put("max_capacity", st.get("max_capacity").asText());
    }
    for (Map.Entry<String, String> e : params.entrySet()) {
      if (e.getKey().equals("max_capacity") || e.getKey().equals("maxCapacity")) {
        b.maxCapacity(integer(e.getValue(), where + " max_capacity"));
      } else {
        b.typeParam(e.getKey(), e.getValue());
      }
    }
    return b.build();
  }

  /** A struct's sub-field by its element type: {@code Array} of Int32 is an Int32 sub-field. */
  private static FieldSchema.Builder subField(JsonNode f, String struct, int index) {
    String name = text(f, "fieldName", "name");
    String where = struct + (name == null ? " fields[" + index + "]" : " sub-field '" + name + "'");
    if (name == null) {
      throw new SchemaException(where + ": missing fieldName");
    }
    String type = text(f, "dataType", "type");
    String element = text(f, "elementDataType", "elementType", "element_type");
    DataType t;
    if (type != null && (type.equalsIgnoreCase("Array") || type.equalsIgnoreCase("ArrayOfVector"))) {
      if (element == null) {
        throw new SchemaException(where + ": " + type + " needs an elementDataType");
      }
      t = type(element, where + " element type");
      if (type.equalsIgnoreCase("ArrayOfVector") != t.isVector()) {
        throw new SchemaException(where + ": " + type + " of " + t + " does not exist (Array of"
            + " scalars, ArrayOfVector of vectors)");
      }
    } else {
      t = type(type, where); // pymilvus style: the element type itself
    }
    FieldSchema.Builder b = FieldSchema.builder(name, t)
        .nullable(bool(f, "nullable"))
        .primaryKey(bool(f, "isPrimary", "primaryKey", "is_primary"))
        .partitionKey(bool(f, "isPartitionKey", "partitionKey", "is_partition_key"))
        .description(text(f, "description"));
    Map<String, String> params = new LinkedHashMap<>();
    params.putAll(params(f.path("typeParams")));
    params.putAll(params(f.path("params")));
    params.putAll(params(f.path("elementTypeParams")));
    applyParams(b, params, where);
    JsonNode dv = f.has("defaultValue") ? f.get("defaultValue") : f.get("default_value");
    if (dv != null && !dv.isNull()) {
      b.defaultValue(dv.isValueNode() ? dv.asText() : dv.toString());
    }
    return b; // built, with its capacity, by the struct
  }

  /** dim, max_length and max_capacity by name; every other param kept as a type param. */
  private static void applyParams(FieldSchema.Builder b, Map<String, String> params, String where) {
    for (Map.Entry<String, String> e : params.entrySet()) {
      switch (e.getKey()) {
        case "dim": b.dim(integer(e.getValue(), where + " dim")); break;
        case "max_length": case "maxLength":
          b.maxLength(integer(e.getValue(), where + " max_length"));
          break;
        case "max_capacity": case "maxCapacity":
          b.maxCapacity(integer(e.getValue(), where + " max_capacity"));
          break;
        default: b.typeParam(e.getKey(), e.getValue());
      }
    }
  }

  private static DataType type(String name, String where) {
    try {
      return DataType.fromName(name);
    } catch (IllegalArgumentException e) {
      throw new SchemaException(where + ": " + e.getMessage());
    }
  }

  private static int integer(String v, String what) {
    try {
      return Integer.parseInt(v.trim());
    } catch (NumberFormatException e) {
      throw new SchemaException(what + " is not an integer: '" + v + "'");
    }
  }

  private static Map<String, String> params(JsonNode n) {
    Map<String, String> out = new LinkedHashMap<>();
    if (n.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        out.put(e.getKey(), e.getValue().isValueNode() ? e.getValue().asText() : e.getValue().toString());
      }
    } else if (n.isArray()) {
      for (JsonNode kv : n) {
        if (kv.has("key")) {
          out.put(kv.get("key").asText(), kv.path("value").asText());
        }
      }
    }
    return out;
  }

  private static boolean bool(JsonNode n, String... keys) {
    for (String k : keys) {
      JsonNode v = n.get(k);
      if (v != null && !v.isNull()) {
        return v.isBoolean() ? v.booleanValue() : Boolean.parseBoolean(v.asText());
      }
    }
    return false;
  }

  private static String text(JsonNode n, String... keys) {
    for (String k : keys) {
      JsonNode v = n.get(k);
      if (v != null && !v.isNull()) {
        return v.asText();
      }
    }
    return null;
  }

  private static List<String> strings(JsonNode n, String... keys) {
    List<String> out = new ArrayList<>();
    for (String k : keys) {
      for (JsonNode v : n.path(k)) {
        out.add(v.asText());
      }
    }
    return out;
  }

  /** The schema in the REST v2 shape (what {@link #parse} reads back to an equal schema). */
  public static ObjectNode toTree(CollectionSchema schema) {
    ObjectNode root = MAPPER.createObjectNode();
    root.put("autoID", schema.isAutoId());
    root.put("enableDynamicField", schema.isDynamicFieldEnabled());
    ArrayNode fields = root.putArray("fields");
    for (FieldSchema f : schema.fields()) {
      ObjectNode o = fields.addObject();
      o.put("fieldName", f.name());
      o.put("dataType", f.dataType().milvusName());
      if (f.elementType() != null) {
        o.put("elementDataType", f.elementType().milvusName());
      }
      if (f.isPrimaryKey()) {
        o.put("isPrimary", true);
      }
      if (f.isAutoId()) {
        o.put("autoID", true);
      }
      if (f.isPartitionKey()) {
        o.put("isPartitionKey", true);
      }
      if (f.isNullable()) {
        o.put("nullable", true);
      }
      if (f.hasDefault()) {
        o.putPOJO("defaultValue", f.defaultValue());
      }
      if (!f.description().isEmpty()) {
        o.put("description", f.description());
      }
      ObjectNode p = MAPPER.createObjectNode();
      if (f.dim() > 0) {
        p.put("dim", String.valueOf(f.dim()));
      }
      if (f.maxLength() > 0) {
        p.put("max_length", String.valueOf(f.maxLength()));
      }
      if (f.maxCapacity() > 0) {
        p.put("max_capacity", String.valueOf(f.maxCapacity()));
      }
      f.typeParams().forEach(p::put);
      if (!p.isEmpty()) {
        o.set("elementTypeParams", p);
      }
    }
    if (!schema.structFields().isEmpty()) {
      ArrayNode structs = root.putArray("structFields");
      for (FieldSchema st : schema.structFields()) {
        ObjectNode o = structs.addObject();
        o.put("fieldName", st.name());
        if (!st.description().isEmpty()) {
          o.put("description", st.description());
        }
        ObjectNode tp = MAPPER.createObjectNode();
        if (st.maxCapacity() > 0) {
          tp.put("max_capacity", String.valueOf(st.maxCapacity()));
        }
        st.typeParams().forEach(tp::put);
        if (!tp.isEmpty()) {
          o.set("typeParams", tp);
        }
        ArrayNode subs = o.putArray("fields");
        for (FieldSchema sub : st.subFields()) {
          ObjectNode so = subs.addObject();
          so.put("fieldName", sub.name());
          so.put("dataType", sub.dataType().isVector() ? "ArrayOfVector" : "Array");
          so.put("elementDataType", sub.dataType().milvusName());
          if (!sub.description().isEmpty()) {
            so.put("description", sub.description());
          }
          ObjectNode p = so.putObject("elementTypeParams");
          if (sub.dim() > 0) {
            p.put("dim", String.valueOf(sub.dim()));
          }
          if (sub.maxLength() > 0) {
            p.put("max_length", String.valueOf(sub.maxLength()));
          }
          p.put("max_capacity", String.valueOf(sub.maxCapacity()));
          sub.typeParams().forEach(p::put);
        }
      }
    }
    ArrayNode fns = root.putArray("functions");
    for (FunctionSchema fn : schema.functions()) {
      ObjectNode o = fns.addObject();
      o.put("name", fn.name());
      o.put("type", fn.type());
      fn.inputFieldNames().forEach(o.putArray("inputFieldNames")::add);
      fn.outputFieldNames().forEach(o.putArray("outputFieldNames")::add);
      ObjectNode p = o.putObject("params");
      fn.params().forEach(p::put);
    }
    return root;
  }

  public static String toJson(CollectionSchema schema) {
    return toTree(schema).toPrettyString();
  }
}
