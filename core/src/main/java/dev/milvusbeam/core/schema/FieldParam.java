package dev.milvusbeam.core.schema;

/**
 * A parameter of {@link CollectionSchema.Builder#addField(String, DataType, FieldParam...)}, in the
 * words of pymilvus' {@code add_field}: {@code addField("vector", FLOAT_VECTOR, dim(768))}.
 */
@FunctionalInterface
public interface FieldParam {
  void applyTo(FieldSchema.Builder field);

  static FieldParam isPrimary() { return f -> f.primaryKey(true); }
  static FieldParam autoId() { return f -> f.autoId(true); }
  static FieldParam dim(int dim) { return f -> f.dim(dim); }
  static FieldParam maxLength(int maxLength) { return f -> f.maxLength(maxLength); }
  static FieldParam maxCapacity(int maxCapacity) { return f -> f.maxCapacity(maxCapacity); }
  static FieldParam elementType(DataType elementType) { return f -> f.elementType(elementType); }
  static FieldParam nullable() { return f -> f.nullable(true); }
  static FieldParam defaultValue(Object value) { return f -> f.defaultValue(value); }
  static FieldParam isPartitionKey() { return f -> f.partitionKey(true); }
  static FieldParam description(String text) { return f -> f.description(text); }
  static FieldParam typeParam(String key, String value) { return f -> f.typeParam(key, value); }
}
