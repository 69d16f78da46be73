package dev.milvusbeam.core.schema;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/** The Milvus field data types, with the names the Milvus REST v2 API and pymilvus use. */
public enum DataType {
  BOOL("Bool"),
  INT8("Int8"),
  INT16("Int16"),
  INT32("Int32"),
  INT64("Int64"),
  FLOAT("Float"),
  DOUBLE("Double"),
  VARCHAR("VarChar"),
  JSON("JSON"),
  ARRAY("Array"),
  FLOAT_VECTOR("FloatVector"),
  BINARY_VECTOR("BinaryVector"),
  FLOAT16_VECTOR("Float16Vector"),
  BFLOAT16_VECTOR("BFloat16Vector"),
  SPARSE_FLOAT_VECTOR("SparseFloatVector"),
  INT8_VECTOR("Int8Vector"),
  GEOMETRY("Geometry"),
  TIMESTAMPTZ("Timestamptz"),
  /** Text of any length (no max_length): Milvus 3.0 (master) imports it, 2.6 does not. */
  TEXT("Text"),
  /**
   * A struct array (Milvus 2.6.2+): a list of objects with one value per sub-field ({@link
   * FieldSchema#subFields()}), declared in the schema's {@code structFields}.
   */
  ARRAY_OF_STRUCT("ArrayOfStruct");

  private static final Map<String, DataType> BY_NAME = new HashMap<>();

  static {
    for (DataType t : values()) {
      BY_NAME.put(t.milvusName.toLowerCase(Locale.ROOT), t);
      BY_NAME.put(t.name().toLowerCase(Locale.ROOT), t); // pymilvus enum names: FLOAT_VECTOR, INT64 ...
    }
    BY_NAME.put("string", VARCHAR);
    BY_NAME.put("boolean", BOOL);
    BY_NAME.put("float32", FLOAT);
    BY_NAME.put("float64", DOUBLE);
    BY_NAME.put("timestamp_tz", TIMESTAMPTZ);
    BY_NAME.put("struct", ARRAY_OF_STRUCT);
  }

  private final String milvusName;

  DataType(String milvusName) {
    this.milvusName = milvusName;
  }

  /** The name as Milvus REST v2 spells it ({@code "FloatVector"}). */
  public String milvusName() {
    return milvusName;
  }

  /** Reads a type name: REST v2 ({@code FloatVector}), pymilvus ({@code FLOAT_VECTOR}), case-insensitive. */
  public static DataType fromName(String name) {
    DataType t = name == null ? null : BY_NAME.get(name.trim().toLowerCase(Locale.ROOT));
    if (t == null) {
      throw new IllegalArgumentException("unknown data type '" + name + "'");
    }
    return t;
  }

  public boolean isIntegral() {
    return this == INT8 || this == INT16 || this == INT32 || this == INT64;
  }

  public boolean isVector() {
    return this == FLOAT_VECTOR || this == BINARY_VECTOR || this == FLOAT16_VECTOR
        || this == BFLOAT16_VECTOR || this == SPARSE_FLOAT_VECTOR || this == INT8_VECTOR;
  }

  /** Vector types that carry a fixed {@code dim}. */
  public boolean isDenseVector() {
    return isVector() && this != SPARSE_FLOAT_VECTOR;
  }

  /** Types whose values are text (VarChar, Text, Geometry as WKT, Timestamptz as RFC 3339). */
  public boolean isStringLike() {
    return this == VARCHAR || this == TEXT || this == GEOMETRY || this == TIMESTAMPTZ;
  }

  /** Element types of a struct array's sub-fields within this writer's contract (FORMAT.md). */
  public boolean isStructElementType() {
    return isArrayElementType() || this == FLOAT_VECTOR;
  }

  /** Types allowed as the element type of an Array field. */
  public boolean isArrayElementType() {
    return this == BOOL || isIntegral() || this == FLOAT || this == DOUBLE || this == VARCHAR;
  }

  /** Types that may take a default value. */
  public boolean allowsDefault() {
    return this == BOOL || isIntegral() || this == FLOAT || this == DOUBLE
        || (isStringLike() && this != TEXT);
  }

  /** Smallest and largest value of an integral type. */
  public long minValue() {
    switch (this) {
      case INT8: return Byte.MIN_VALUE;
      case INT16: return Short.MIN_VALUE;
      case INT32: return Integer.MIN_VALUE;
      case INT64: return Long.MIN_VALUE;
      default: throw new IllegalStateException(this + " is not integral");
    }
  }

  public long maxValue() {
    switch (this) {
      case INT8: return Byte.MAX_VALUE;
      case INT16: return Short.MAX_VALUE;
      case INT32: return Integer.MAX_VALUE;
      case INT64: return Long.MAX_VALUE;
      default: throw new IllegalStateException(this + " is not integral");
    }
  }

  @Override
  public String toString() {
    return milvusName;
  }
}
