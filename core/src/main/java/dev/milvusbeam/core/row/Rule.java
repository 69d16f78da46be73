package dev.milvusbeam.core.row;

/** The validation rules of FORMAT.md sections 2-3, each with a stable code for metrics and reports. */
public enum Rule {
  NOT_AN_OBJECT("not-an-object"),
  INVALID_JSON("invalid-json"),
  /** An input file that cannot be read at all or past some point (see {@link UnreadableInput}). */
  UNREADABLE_INPUT("unreadable-input"),
  MISSING_VALUE("missing-value"),
  NULL_VALUE("null-value"),
  AUTO_ID_GIVEN("auto-id-given"),
  FUNCTION_OUTPUT_GIVEN("function-output-given"),
  UNKNOWN_FIELD("unknown-field"),
  DYNAMIC_DUPLICATE("dynamic-duplicate"),
  META_NOT_OBJECT("meta-not-object"),
  WRONG_TYPE("wrong-type"),
  INT_FRACTION("int-fraction"),
  INT_RANGE("int-range"),
  NOT_FINITE("not-finite"),
  FLOAT32_RANGE("float32-range"),
  HALF_RANGE("half-range"),
  INVALID_UTF8("invalid-utf8"),
  VARCHAR_LENGTH("varchar-length"),
  JSON_NOT_OBJECT("json-not-object"),
  ARRAY_CAPACITY("array-capacity"),
  ARRAY_NULL_ELEMENT("array-null-element"),
  VECTOR_DIM("vector-dim"),
  BYTE_RANGE("byte-range"),
  SPARSE_EMPTY("sparse-empty"),
  SPARSE_INDEX("sparse-index"),
  SPARSE_DUPLICATE("sparse-duplicate"),
  SPARSE_NEGATIVE("sparse-negative"),
  GEOMETRY_WKT("geometry-wkt"),
  /** A struct-array element whose keys are not exactly the sub-fields. */
  STRUCT_KEYS("struct-keys"),
  /** A struct sub-field given flat at the top level ({@code "s[sub]": …}). */
  STRUCT_FLAT_KEY("struct-flat-key"),
  TIMESTAMP_RFC3339("timestamp-rfc3339"),
  CSV_NULL_KEY("csv-null-key"),
  /** A user function failed to turn the input element into a row. */
  INPUT_CONVERSION("input-conversion"),
  /**
   * A valid row whose primary key an earlier row already has (with primary-key deduplication on;
   * Milvus' import keeps both).
   */
  DUPLICATE_PRIMARY_KEY("duplicate-primary-key");

  private final String code;

  Rule(String code) {
    this.code = code;
  }

  public String code() {
    return code;
  }
}
