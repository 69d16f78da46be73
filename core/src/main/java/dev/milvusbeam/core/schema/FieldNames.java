package dev.milvusbeam.core.schema;

/**
 * Milvus' field-name rule: a letter or underscore, then letters, digits and underscores, at most
 * 255 characters. Because it admits no '/', '\\', '.' or '$', a field name can never escape the
 * output folder when it becomes a NumPy file name. {@code $meta} is reserved.
 */
final class FieldNames {
  private FieldNames() {}

  static void check(String name) {
    if (name == null || name.isEmpty()) {
      throw new SchemaException("a field needs a non-empty name");
    }
    if (name.equals(FieldSchema.META)) {
      throw new SchemaException("field name '$meta' is reserved for the dynamic fields");
    }
    if (name.length() > Limits.MAX_NAME_LENGTH) {
      throw new SchemaException("field name '" + name.substring(0, 40) + "...' is longer than "
          + Limits.MAX_NAME_LENGTH + " characters");
    }
    char c0 = name.charAt(0);
    if (!(c0 == '_' || isAsciiLetter(c0))) {
      throw new SchemaException("field name '" + name + "' must start with a letter or '_'");
    }
    for (int i = 1; i < name.length(); i++) {
      char c = name.charAt(i);
      if (!(c == '_' || isAsciiLetter(c) || (c >= '0' && c <= '9'))) {
        throw new SchemaException("field name '" + name + "' may hold only letters, digits and '_'"
            + " (found '" + c + "')");
      }
    }
  }

  private static boolean isAsciiLetter(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }
}
