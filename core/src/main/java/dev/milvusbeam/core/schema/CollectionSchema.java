package dev.milvusbeam.core.schema;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A Milvus collection schema: fields, functions, auto id and the dynamic field. Immutable and
 * serializable. Build it like pymilvus' {@code MilvusClient.create_schema}:
 *
 * <pre>{@code
 * CollectionSchema schema = CollectionSchema.createSchema(false, true)
 *     .addField("id", DataType.INT64, isPrimary())
 *     .addField("vector", DataType.FLOAT_VECTOR, dim(768))
 *     .addField("scalar_1", DataType.VARCHAR, maxLength(512))
 *     .addField("scalar_2", DataType.INT64)
 *     .build();
 * }</pre>
 *
 * or load it from the Milvus REST v2 JSON shape with {@link SchemaJson#parse(String)}.
 */
public final class CollectionSchema implements Serializable {
  private static final long serialVersionUID = 1L;

  private final boolean autoId;
  private final boolean enableDynamicField;
  private final List<FieldSchema> fields;
  private final List<FieldSchema> structFields;
  private final List<FunctionSchema> functions;
  private final List<FieldSchema> columns;
  private final FieldSchema primaryKey;
  private final Map<String, FieldSchema> byName;

  private CollectionSchema(boolean autoId, boolean enableDynamicField, List<FieldSchema> fields,
      List<FieldSchema> structFields, List<FunctionSchema> functions) {
    this.autoId = autoId;
    this.enableDynamicField = enableDynamicField;
    this.fields = List.copyOf(fields);
    this.structFields = List.copyOf(structFields);
    this.functions = List.copyOf(functions);
    FieldSchema pk = null;
    Map<String, FieldSchema> names = new LinkedHashMap<>();
    List<FieldSchema> cols = new ArrayList<>();
    for (FieldSchema f : fields) {
      names.put(f.name(), f);
      if (f.isPrimaryKey()) {
        pk = f;
      }
      if (!(f.isPrimaryKey() && f.isAutoId()) && !f.isFunctionOutput()) {
        cols.add(f);
      }
    }
    for (FieldSchema st : structFields) {
      names.put(st.name(), st);
      cols.add(st);
    }
    if (enableDynamicField) {
      cols.add(FieldSchema.metaColumn());
    }
    this.primaryKey = pk;
    this.byName = Collections.unmodifiableMap(names);
    this.columns = List.copyOf(cols);
  }

  /** Starts a schema, like pymilvus' {@code create_schema(auto_id, enable_dynamic_field)}. */
  public static Builder createSchema(boolean autoId, boolean enableDynamicField) {
    return new Builder(autoId, enableDynamicField);
  }

  public boolean isAutoId() { return autoId; }
  public boolean isDynamicFieldEnabled() { return enableDynamicField; }
  /** All fields in schema order, including auto-id and function-output fields. */
  public List<FieldSchema> fields() { return fields; }
  /** The struct arrays ({@code structFields}, Milvus 2.6.2+), in order. */
  public List<FieldSchema> structFields() { return structFields; }
  public List<FunctionSchema> functions() { return functions; }
  public FieldSchema primaryKey() { return primaryKey; }

  /**
   * The columns every file carries, in order (FORMAT.md section 2): schema fields without an
   * auto-id primary key and without function outputs, then the struct arrays, then {@code $meta}
   * when the dynamic field is enabled.
   */
  public List<FieldSchema> columns() { return columns; }

  /** The schema field or struct array of that name, or null (never {@code $meta}). */
  public FieldSchema field(String name) { return byName.get(name); }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof CollectionSchema)) {
      return false;
    }
    CollectionSchema s = (CollectionSchema) o;
    return autoId == s.autoId && enableDynamicField == s.enableDynamicField
        && fields.equals(s.fields) && structFields.equals(s.structFields)
        && functions.equals(s.functions);
  }

  @Override
  public int hashCode() {
    return fields.hashCode();
  }

  @Override
  public String toString() {
    return "CollectionSchema" + fields;
  }

  /** Collects fields and functions; {@link #build()} checks the whole schema. */
  public static final class Builder {
    private final boolean autoId;
    private final boolean enableDynamicField;
    private final List<FieldSchema.Builder> fields = new ArrayList<>();
    private final List<FieldSchema.Builder> structs = new ArrayList<>();
    private final List<FunctionSchema> functions = new ArrayList<>();

    private Builder(boolean autoId, boolean enableDynamicField) {
      this.autoId = autoId;
      this.enableDynamicField = enableDynamicField;
    }

    public Builder addField(String name, DataType dataType, FieldParam... params) {
      FieldSchema.Builder b = FieldSchema.builder(name, dataType);
      for (FieldParam p : params) {
        p.applyTo(b);
      }
      fields.add(b);
      return this;
    }

    /** Adds a field, or a struct array built elsewhere. */
    public Builder addField(FieldSchema field) {
      (field.isStruct() ? structs : fields).add(field.toBuilder());
      return this;
    }

    /**
     * Adds a struct array (Milvus 2.6.2+), like pymilvus' {@code add_field(name, DataType.ARRAY,
     * element_type=DataType.STRUCT, struct_schema=…, max_capacity=…)}: {@code
     * addStructField("items", item, maxCapacity(8))}.
     */
    public Builder addStructField(String name, StructSchema struct, FieldParam... params) {
      FieldSchema.Builder b = FieldSchema.builder(name, DataType.ARRAY_OF_STRUCT).subFields(struct);
      for (FieldParam p : params) {
        p.applyTo(b);
      }
      structs.add(b);
      return this;
    }

    public Builder addFunction(FunctionSchema function) {
      functions.add(function);
      return this;
    }

    public CollectionSchema build() {
      if (fields.isEmpty()) {
        throw new SchemaException("the schema has no fields");
      }
      if (fields.size() > Limits.MAX_FIELDS) {
        throw new SchemaException("the schema has " + fields.size() + " fields; Milvus allows "
            + Limits.MAX_FIELDS);
      }
      Set<String> outputs = new HashSet<>();
      Map<String, FieldSchema.Builder> byName = new HashMap<>();
      for (FieldSchema.Builder f : fields) {
        if (byName.put(f.name(), f) != null) {
          throw new SchemaException("field '" + f.name() + "' is defined twice");
        }
        if (f.dataType() == DataType.ARRAY_OF_STRUCT) {
          throw new SchemaException("field '" + f.name() + "': a struct array is declared with"
              + " addStructField (structFields in JSON), not as a field");
        }
      }
      for (FunctionSchema fn : functions) {
        if (fn.outputFieldNames().isEmpty()) {
          throw new SchemaException("function '" + fn.name() + "' has no output field");
        }
        for (String in : fn.inputFieldNames()) {
          if (!byName.containsKey(in)) {
            throw new SchemaException("function '" + fn.name() + "': input field '" + in
                + "' is not in the schema");
          }
        }
        for (String out : fn.outputFieldNames()) {
          FieldSchema.Builder f = byName.get(out);
          if (f == null) {
            throw new SchemaException("function '" + fn.name() + "': output field '" + out
                + "' is not in the schema");
          }
          if ("BM25".equalsIgnoreCase(fn.type()) && f.dataType() != DataType.SPARSE_FLOAT_VECTOR) {
            throw new SchemaException("function '" + fn.name() + "': BM25 output field '" + out
                + "' must be a SparseFloatVector");
          }
          outputs.add(out);
        }
      }
      List<FieldSchema> built = new ArrayList<>();
      for (FieldSchema.Builder f : fields) {
        if (outputs.contains(f.name())) {
          f.functionOutput(true);
        }
        FieldSchema fs = f.build();
        if (fs.isPrimaryKey() && autoId) {
          fs = fs.toBuilder().autoId(true).build();
        }
        built.add(fs);
      }
      List<FieldSchema> pks = new ArrayList<>();
      int partitionKeys = 0;
      for (FieldSchema f : built) {
        if (f.isPrimaryKey()) {
          pks.add(f);
        }
        if (f.isPartitionKey()) {
          partitionKeys++;
        }
        if (f.isFunctionOutput() && (f.isPrimaryKey() || f.isNullable())) {
          throw new SchemaException("field '" + f.name() + "': a function output cannot be the"
              + " primary key or nullable");
        }
      }
      if (pks.isEmpty()) {
        throw new SchemaException("the schema has no primary key field (set isPrimary on one"
            + " Int64 or VarChar field)");
      }
      if (pks.size() > 1) {
        throw new SchemaException("the schema has " + pks.size() + " primary keys ("
            + pks.get(0).name() + ", " + pks.get(1).name() + "); Milvus allows exactly one");
      }
      if (partitionKeys > 1) {
        throw new SchemaException("the schema has " + partitionKeys
            + " partition keys; Milvus allows at most one");
      }
      if (built.stream().noneMatch(f -> f.dataType().isVector())) {
        throw new SchemaException("the schema has no vector field; Milvus needs at least one");
      }
      List<FieldSchema> builtStructs = new ArrayList<>();
      for (FieldSchema.Builder st : structs) {
        if (st.dataType() != DataType.ARRAY_OF_STRUCT) {
          throw new SchemaException("field '" + st.name() + "': structFields holds struct arrays"
              + " only");
        }
        if (byName.put(st.name(), st) != null) {
          throw new SchemaException("struct array '" + st.name() + "': the name is already a"
              + " field's; struct names must differ from every field name");
        }
        builtStructs.add(st.build());
      }
      return new CollectionSchema(autoId || pks.get(0).isAutoId(), enableDynamicField, built,
          builtStructs, functions);
    }
  }
}
