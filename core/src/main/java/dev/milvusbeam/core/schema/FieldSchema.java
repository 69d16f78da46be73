package dev.milvusbeam.core.schema;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One field of a collection schema. Immutable; built with {@link #builder(String, DataType)} or
 * through {@link CollectionSchema.Builder#addField}. Field-level rules are checked in
 * {@link Builder#build()}, collection-level rules in {@link CollectionSchema.Builder#build()}.
 */
public final class FieldSchema implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Name of the hidden JSON column that holds the dynamic fields. */
  public static final String META = "$meta";

  private final String name;
  private final DataType dataType;
  private final DataType elementType;
  private final boolean primaryKey;
  private final boolean autoId;
  private final boolean nullable;
  private final boolean partitionKey;
  private final Object defaultValue;
  private final int dim;
  private final int maxLength;
  private final int maxCapacity;
  private final boolean functionOutput;
  private final boolean dynamicMeta;
  private final String description;
  private final Map<String, String> typeParams;
  private final List<FieldSchema> subFields;

  private FieldSchema(Builder b) {
    this.name = b.name;
    this.dataType = b.dataType;
    this.elementType = b.elementType;
    this.primaryKey = b.primaryKey;
    this.autoId = b.autoId;
    this.nullable = b.nullable;
    this.partitionKey = b.partitionKey;
    this.defaultValue = b.defaultValue;
    this.dim = b.dim;
    this.maxLength = b.maxLength;
    this.maxCapacity = b.maxCapacity;
    this.functionOutput = b.functionOutput;
    this.dynamicMeta = b.dynamicMeta;
    this.description = b.description;
    this.typeParams = Collections.unmodifiableMap(new LinkedHashMap<>(b.typeParams));
    this.subFields = List.copyOf(b.builtSubFields);
  }

  /** The {@code $meta} column that carries the dynamic fields as one JSON object. */
  static FieldSchema metaColumn() {
    Builder b = new Builder(META, DataType.JSON);
    b.dynamicMeta = true;
    return new FieldSchema(b);
  }

  public static Builder builder(String name, DataType dataType) {
    return new Builder(name, dataType);
  }

  public Builder toBuilder() {
    Builder b = new Builder(name, dataType);
    b.elementType = elementType;
    b.primaryKey = primaryKey;
    b.autoId = autoId;
    b.nullable = nullable;
    b.partitionKey = partitionKey;
    b.rawDefault = defaultValue;
    b.dim = dim;
    b.maxLength = maxLength;
    b.maxCapacity = maxCapacity;
    b.functionOutput = functionOutput;
    b.description = description;
    b.typeParams.putAll(typeParams);
    for (FieldSchema sub : subFields) {
      b.subFields.add(sub.toBuilder());
    }
    return b;
  }

  public String name() { return name; }
  public DataType dataType() { return dataType; }
  /** Element type of an Array field, else null. */
  public DataType elementType() { return elementType; }
  public boolean isPrimaryKey() { return primaryKey; }
  public boolean isAutoId() { return autoId; }
  public boolean isNullable() { return nullable; }
  public boolean isPartitionKey() { return partitionKey; }
  /** Normalized default (Boolean, Long, Float, Double or String), or null when there is none. */
  public Object defaultValue() { return defaultValue; }
  public boolean hasDefault() { return defaultValue != null; }
  /** Dimension of a dense vector field, else 0. */
  public int dim() { return dim; }
  /** max_length of a VarChar field or of the VarChar elements of an Array field, else 0. */
  public int maxLength() { return maxLength; }
  /**
   * max_capacity of an Array field or a struct array, else 0. A struct's sub-field has its own (the
   * struct's when it set none); a row's list must fit every one of them.
   */
  public int maxCapacity() { return maxCapacity; }
  /** True for a struct array ({@link DataType#ARRAY_OF_STRUCT}). */
  public boolean isStruct() { return dataType == DataType.ARRAY_OF_STRUCT; }
  /**
   * The sub-fields of a struct array, in order, each by its element type (an {@code Array<Int32>}
   * sub-field is an Int32 field, an {@code ArrayOfVector<FloatVector>} one a FloatVector field);
   * empty for every other field.
   */
  public List<FieldSchema> subFields() { return subFields; }

  /**
   * The most elements a row of this struct array may hold: the smallest of its sub-fields'
   * capacities (the struct's own is copied into every sub-field that sets none).
   */
  public int structCapacity() {
    int c = Integer.MAX_VALUE;
    for (FieldSchema sub : subFields) {
      c = Math.min(c, sub.maxCapacity);
    }
    return c;
  }
  /** True when a schema function (e.g. BM25) computes this field: it is never written. */
  public boolean isFunctionOutput() { return functionOutput; }
  /** True for the {@code $meta} column of the dynamic fields. */
  public boolean isDynamicMeta() { return dynamicMeta; }
  public String description() { return description; }
  /** Other type params as given (e.g. {@code enable_analyzer}), kept for round trips. */
  public Map<String, String> typeParams() { return typeParams; }

  /** A field that a row may leave out or set to null. */
  public boolean acceptsMissing() {
    return nullable || defaultValue != null;
  }

  /** Short description for messages: {@code 'name' (VarChar(512), nullable)}. */
  public String describe() {
    StringBuilder sb = new StringBuilder("'").append(name).append("' (").append(dataType);
    if (dataType == DataType.ARRAY) {
      sb.append('<').append(elementType).append('>');
    }
    if (!subFields.isEmpty()) {
      sb.append('[');
      for (int i = 0; i < subFields.size(); i++) {
        sb.append(i > 0 ? ", " : "").append(subFields.get(i).name());
      }
      sb.append(']');
    }
    if (dim > 0) {
      sb.append(", dim ").append(dim);
    }
    if (nullable) {
      sb.append(", nullable");
    }
    return sb.append(')').toString();
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof FieldSchema)) {
      return false;
    }
    FieldSchema f = (FieldSchema) o;
    return name.equals(f.name) && dataType == f.dataType && elementType == f.elementType
        && primaryKey == f.primaryKey && autoId == f.autoId && nullable == f.nullable
        && partitionKey == f.partitionKey && Objects.equals(defaultValue, f.defaultValue)
        && dim == f.dim && maxLength == f.maxLength && maxCapacity == f.maxCapacity
        && functionOutput == f.functionOutput && dynamicMeta == f.dynamicMeta
        && typeParams.equals(f.typeParams) && subFields.equals(f.subFields);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, dataType, elementType, dim, maxLength, maxCapacity);
  }

  @Override
  public String toString() {
    return describe();
  }

  /** Mutable builder; {@link #build()} checks the field on its own. */
  public static final class Builder {
    private final String name;
    private final DataType dataType;
    private DataType elementType;
    private boolean primaryKey;
    private boolean autoId;
    private boolean nullable;
    private boolean partitionKey;
    private Object defaultValue;
    private Object rawDefault;
    private int dim;
    private int maxLength;
    private int maxCapacity;
    private boolean functionOutput;
    private boolean dynamicMeta;
    private String description = "";
    private final Map<String, String> typeParams = new LinkedHashMap<>();
    private final List<Builder> subFields = new ArrayList<>();
    private List<FieldSchema> builtSubFields = List.of();

    private Builder(String name, DataType dataType) {
      this.name = name;
      this.dataType = Objects.requireNonNull(dataType, "dataType");
    }

    public String name() { return name; }

    public Builder primaryKey(boolean v) { this.primaryKey = v; return this; }
    public Builder autoId(boolean v) { this.autoId = v; return this; }
    public Builder nullable(boolean v) { this.nullable = v; return this; }
    public Builder partitionKey(boolean v) { this.partitionKey = v; return this; }
    public Builder elementType(DataType t) { this.elementType = t; return this; }
    public Builder dim(int v) { this.dim = v; return this; }
    public Builder maxLength(int v) { this.maxLength = v; return this; }
    public Builder maxCapacity(int v) { this.maxCapacity = v; return this; }
    public Builder functionOutput(boolean v) { this.functionOutput = v; return this; }
    public Builder description(String v) { this.description = v == null ? "" : v; return this; }
    public Builder typeParam(String key, String value) { typeParams.put(key, value); return this; }

    /** The sub-fields of a struct array ({@link DataType#ARRAY_OF_STRUCT}). */
    public Builder subFields(StructSchema struct) {
      subFields.clear();
      subFields.addAll(struct.fields);
      return this;
    }

    /** Default value: a Boolean, a Number or a String (a numeric string is read for numeric types). */
    public Builder defaultValue(Object v) {
      this.rawDefault = v;
      return this;
    }

    public FieldSchema build() {
      FieldNames.check(name);
      builtSubFields = List.of();
      if (dataType == DataType.ARRAY_OF_STRUCT) {
        return buildStruct();
      }
      if (!subFields.isEmpty()) {
        throw fail("only struct arrays (ArrayOfStruct) take sub-fields");
      }
      if (dataType == DataType.ARRAY) {
        if (elementType == null) {
          throw fail("an Array field needs an element type (elementDataType)");
        }
        if (!elementType.isArrayElementType()) {
          throw fail("Array element type " + elementType + " is not supported"
              + " (Bool, Int8, Int16, Int32, Int64, Float, Double, VarChar)");
        }
        if (maxCapacity <= 0) {
          throw fail("an Array field needs max_capacity (1.." + Limits.MAX_CAPACITY + ")");
        }
        if (maxCapacity > Limits.MAX_CAPACITY) {
          throw fail("max_capacity " + maxCapacity + " is above Milvus' limit " + Limits.MAX_CAPACITY);
        }
      } else if (elementType != null) {
        throw fail("only Array fields take an element type");
      }
      boolean needsLength = dataType == DataType.VARCHAR
          || (dataType == DataType.ARRAY && elementType == DataType.VARCHAR);
      if (needsLength) {
        if (maxLength <= 0) {
          throw fail("a VarChar needs max_length (1.." + Limits.MAX_LENGTH + ")");
        }
        if (maxLength > Limits.MAX_LENGTH) {
          throw fail("max_length " + maxLength + " is above Milvus' limit " + Limits.MAX_LENGTH);
        }
      }
      if (dataType.isDenseVector()) {
        if (dim <= 0) {
          throw fail("a " + dataType + " field needs a positive dim");
        }
        if (dim > Limits.MAX_DIM) {
          throw fail("dim " + dim + " is above Milvus' limit " + Limits.MAX_DIM);
        }
        if (dataType == DataType.BINARY_VECTOR && dim % 8 != 0) {
          throw fail("a BinaryVector dim must be a multiple of 8, got " + dim);
        }
      } else if (dim != 0) {
        throw fail("only dense vector fields take a dim");
      }
      if (primaryKey) {
        if (dataType != DataType.INT64 && dataType != DataType.VARCHAR) {
          throw fail("the primary key must be Int64 or VarChar, not " + dataType);
        }
        if (nullable) {
          throw fail("the primary key cannot be nullable");
        }
        if (rawDefault != null) {
          throw fail("the primary key cannot have a default value");
        }
      } else if (autoId) {
        throw fail("auto id applies to the primary key only");
      }
      if (partitionKey && primaryKey) {
        throw fail("the primary key cannot also be the partition key");
      }
      defaultValue = null;
      if (rawDefault != null) {
        if (dataType.isVector()) {
          throw fail("vector fields never take a default value (a nullable vector's missing"
              + " value is null)");
        }
        if (dataType == DataType.TEXT) {
          throw fail("Text fields cannot have a default value in this writer's contract"
              + " (Milvus 3.0 Text import reads no default)");
        }
        if (!dataType.allowsDefault()) {
          throw fail(dataType + " fields cannot have a default value");
        }
        defaultValue = DefaultValues.normalize(this, rawDefault);
      }
      return new FieldSchema(this);
    }

    /** FORMAT.md section 2, struct-array schema: what Milvus 2.6.2 and newer import. */
    private FieldSchema buildStruct() {
      if (nullable) {
        throw fail("a nullable struct array needs Milvus 3.0 (master) and is outside this"
            + " writer's contract; make it non-nullable (an empty list [] is allowed)");
      }
      if (rawDefault != null || primaryKey || partitionKey || autoId || elementType != null
          || dim != 0 || maxLength != 0) {
        throw fail("a struct array takes only sub-fields, max_capacity and a description");
      }
      if (subFields.isEmpty()) {
        throw fail("a struct array needs at least one sub-field");
      }
      if (maxCapacity > Limits.MAX_CAPACITY) {
        throw fail("max_capacity " + maxCapacity + " is above Milvus' limit " + Limits.MAX_CAPACITY);
      }
      Set<String> names = new HashSet<>();
      List<FieldSchema> built = new ArrayList<>();
      for (Builder sub : subFields) {
        String where = "sub-field '" + sub.name + "'";
        if (!names.add(sub.name)) {
          throw fail(where + " is defined twice");
        }
        DataType t = sub.dataType;
        if (!t.isStructElementType()) {
          throw fail(where + ": " + t + (t.isDenseVector() ? " sub-vectors need Milvus 3.0"
              + " (master) and are outside this writer's contract; only FloatVector"
              : " is not a struct sub-field type; Bool, Int8, Int16, Int32, Int64, Float, Double,"
              + " VarChar or FloatVector"));
        }
        if (sub.nullable || sub.rawDefault != null) {
          throw fail(where + ": struct sub-fields cannot be nullable or have a default value"
              + " (no Milvus version imports them)");
        }
        if (sub.primaryKey || sub.partitionKey || sub.autoId || !sub.subFields.isEmpty()) {
          throw fail(where + ": a struct sub-field cannot be a primary or partition key or a"
              + " struct");
        }
        int capacity = sub.maxCapacity > 0 ? sub.maxCapacity : maxCapacity;
        if (capacity <= 0) {
          throw fail(where + ": no max_capacity, neither on the struct nor on the sub-field"
              + " (1.." + Limits.MAX_CAPACITY + ")");
        }
        if (capacity > Limits.MAX_CAPACITY) {
          throw fail(where + ": max_capacity " + capacity + " is above Milvus' limit "
              + Limits.MAX_CAPACITY);
        }
        FieldSchema element;
        try {
          element = sub.build();
        } catch (SchemaException e) {
          throw fail(e.getMessage().replaceFirst("^field '", "sub-field '"));
        }
        Builder withCapacity = element.toBuilder();
        withCapacity.maxCapacity = capacity;
        built.add(new FieldSchema(withCapacity));
      }
      builtSubFields = built;
      FieldSchema s = new FieldSchema(this);
      builtSubFields = List.of();
      return s;
    }

    SchemaException fail(String rule) {
      return new SchemaException("field '" + name + "': " + rule);
    }

    DataType dataType() { return dataType; }
    int maxLengthValue() { return maxLength; }
  }
}
