package dev.milvusbeam.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.milvusbeam.core.schema.CollectionSchema;
import dev.milvusbeam.core.schema.DataType;
import dev.milvusbeam.core.schema.FieldSchema;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.values.Row;
import org.joda.time.ReadableInstant;

/** Beam {@link Row}s and collection schemas: the matching Beam schema, and rows as row maps. */
public final class BeamRows {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private BeamRows() {}

  /**
   * The Beam schema whose rows {@link MilvusIO#writeRows()} takes: one field per written column,
   * in order (no auto-id key, no function outputs, no {@code $meta}: extra Row fields become
   * dynamic fields). Bool BOOLEAN, Int8 BYTE, Int16 INT16, Int32 INT32, Int64 INT64, Float FLOAT,
   * Double DOUBLE, VarChar / Geometry (WKT) / Timestamptz (RFC 3339) / JSON (JSON text) STRING,
   * Array ARRAY of the element type, FloatVector / Float16Vector / BFloat16Vector ARRAY of FLOAT,
   * BinaryVector and Int8Vector BYTES, SparseFloatVector MAP of INT64 to FLOAT. Nullable and
   * default-valued fields are nullable.
   */
  public static Schema beamSchema(CollectionSchema schema) {
    Schema.Builder b = Schema.builder();
    for (FieldSchema f : schema.columns()) {
      if (f.isDynamicMeta()) {
        continue;
      }
      Schema.FieldType t = f.isStruct() ? structType(f) : fieldType(f.dataType(), f.elementType());
      b.addField(Schema.Field.of(f.name(), t).withNullable(f.acceptsMissing()));
    }
    return b.build();
  }

  /** A struct array: an array of rows, one field per sub-field (its element type's Beam type). */
  private static Schema.FieldType structType(FieldSchema f) {
    Schema.Builder b = Schema.builder();
    for (FieldSchema sub : f.subFields()) {
      b.addField(sub.name(), fieldType(sub.dataType(), null));
    }
    return Schema.FieldType.array(Schema.FieldType.row(b.build()));
  }

  private static Schema.FieldType fieldType(DataType t, DataType element) {
    switch (t) {
      case BOOL: return Schema.FieldType.BOOLEAN;
      case INT8: return Schema.FieldType.BYTE;
      case INT16: return Schema.FieldType.INT16;
      case INT32: return Schema.FieldType.INT32;
      case INT64: return Schema.FieldType.INT64;
      case FLOAT: return Schema.FieldType.FLOAT;
      case DOUBLE: return Schema.FieldType.DOUBLE;
      case VARCHAR: case TEXT: case GEOMETRY: case TIMESTAMPTZ: case JSON:
        return Schema.FieldType.STRING;
      case ARRAY: return Schema.FieldType.array(fieldType(element, null));
      case FLOAT_VECTOR: case FLOAT16_VECTOR: case BFLOAT16_VECTOR:
        return Schema.FieldType.array(Schema.FieldType.FLOAT);
      case BINARY_VECTOR: case INT8_VECTOR: return Schema.FieldType.BYTES;
      case SPARSE_FLOAT_VECTOR:
        return Schema.FieldType.map(Schema.FieldType.INT64, Schema.FieldType.FLOAT);
      default: throw new IllegalArgumentException("no Beam type for " + t);
    }
  }

  /** A Beam row as a row map: nested rows as maps, iterables as lists, instants as RFC 3339. */
  public static Map<String, Object> toMap(Row row) {
    Map<String, Object> m = new LinkedHashMap<>();
    List<Schema.Field> fields = row.getSchema().getFields();
    for (int i = 0; i < fields.size(); i++) {
      m.put(fields.get(i).getName(), plain(row.getValue(i)));
    }
    return m;
  }

  private static Object plain(Object v) {
    if (v instanceof Row) {
      return toMap((Row) v);
    }
    if (v instanceof Collection) {
      List<Object> out = new ArrayList<>(((Collection<?>) v).size());
      for (Object x : (Collection<?>) v) {
        out.add(plain(x));
      }
      return out;
    }
    if (v instanceof Iterable) {
      List<Object> out = new ArrayList<>();
      for (Object x : (Iterable<?>) v) {
        out.add(plain(x));
      }
      return out;
    }
    if (v instanceof Map) {
      Map<Object, Object> out = new LinkedHashMap<>();
      for (Map.Entry<?, ?> e : ((Map<?, ?>) v).entrySet()) {
        out.put(e.getKey(), plain(e.getValue()));
      }
      return out;
    }
    if (v instanceof ReadableInstant) {
      return ((ReadableInstant) v).toInstant().toString(); // ISO 8601 UTC: RFC 3339
    }
    if (v instanceof java.time.Instant) {
      return v.toString();
    }
    return v;
  }

  /** Best-effort JSON text of a row map for failure reports. */
  static String toJson(Map<String, Object> row) {
    try {
      return MAPPER.writeValueAsString(row);
    } catch (JsonProcessingException | RuntimeException e) {
      return String.valueOf(row);
    }
  }
}
