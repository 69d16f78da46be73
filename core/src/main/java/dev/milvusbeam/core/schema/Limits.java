package dev.milvusbeam.core.schema;

/** Milvus server limits that a schema is checked against (defaults of a stock Milvus 2.5/2.6). */
final class Limits {
  static final int MAX_LENGTH = 65_535;
  static final int MAX_CAPACITY = 4_096;
  static final int MAX_DIM = 32_768;
  static final int MAX_NAME_LENGTH = 255;
  static final int MAX_FIELDS = 64;

  private Limits() {}
}
