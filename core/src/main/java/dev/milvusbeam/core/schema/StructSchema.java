package dev.milvusbeam.core.schema;

import java.util.ArrayList;
import java.util.List;

/**
 * The sub-fields of a struct array (Milvus 2.6.2+), like pymilvus'
 * {@code MilvusClient.create_struct_field_schema()}: each sub-field is declared by its element
 * type, and each row of the struct array is a list of objects holding one value per sub-field.
 *
 * <pre>{@code
 * StructSchema item = StructSchema.create()
 *     .addField("score", DataType.INT32)
 *     .addField("label", DataType.VARCHAR, maxLength(32))
 *     .addField("embedding", DataType.FLOAT_VECTOR, dim(128));
 * schema.addStructField("items", item, maxCapacity(8));
 * }</pre>
 *
 * Sub-field types within this writer's contract (FORMAT.md): Bool, Int8–Int64, Float, Double,
 * VarChar (with {@code max_length}) and FloatVector (with {@code dim}); none nullable, none with a
 * default. {@link CollectionSchema.Builder#build()} checks them.
 */
public final class StructSchema {
  final List<FieldSchema.Builder> fields = new ArrayList<>();

  private StructSchema() {}

  public static StructSchema create() {
    return new StructSchema();
  }

  /** Adds a sub-field by its element type: {@code addField("v", FLOAT_VECTOR, dim(4))}. */
  public StructSchema addField(String name, DataType elementType, FieldParam... params) {
    FieldSchema.Builder b = FieldSchema.builder(name, elementType);
    for (FieldParam p : params) {
      p.applyTo(b);
    }
    fields.add(b);
    return this;
  }

  /** Adds a sub-field built elsewhere. */
  public StructSchema addField(FieldSchema field) {
    fields.add(field.toBuilder());
    return this;
  }
}
