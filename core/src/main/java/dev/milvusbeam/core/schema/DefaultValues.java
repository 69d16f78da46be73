package dev.milvusbeam.core.schema;

import dev.milvusbeam.core.row.ValueRules;

/** Checks and normalizes a field's default value with the same rules as row values. */
final class DefaultValues {
  private DefaultValues() {}

  static Object normalize(FieldSchema.Builder field, Object raw) {
    try {
      return ValueRules.normalizeScalar(field.dataType(), field.maxLengthValue(), raw);
    } catch (IllegalArgumentException e) {
      throw field.fail("bad default value: " + e.getMessage());
    }
  }
}
