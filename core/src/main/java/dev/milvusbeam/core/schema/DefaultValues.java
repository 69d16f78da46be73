package dev.milvusbeam.core.schema;

/** Normalizes a field's default value (stub until the value rules land). */
final class DefaultValues {
  private DefaultValues() {}

  static Object normalize(FieldSchema.Builder field, Object raw) {
    return raw;
  }
}
