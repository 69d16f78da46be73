package dev.milvusbeam.core.format;

import dev.milvusbeam.core.row.ColumnCheck;
import dev.milvusbeam.core.schema.FieldSchema;

/**
 * The CSV rule FORMAT.md section 4 asks for: Milvus reads a cell equal to the null key as null (or
 * as the field's default), so no value may be written as that text. A non-nullable VarChar
 * without default is the exception: Milvus keeps the text there.
 */
public final class CsvNullKeyCheck implements ColumnCheck {
  private static final long serialVersionUID = 1L;
  private final String nullKey;
  private final boolean jsonLike;

  public CsvNullKeyCheck(String nullKey) {
    this.nullKey = nullKey;
    this.jsonLike = nullKey.startsWith("[") || nullKey.startsWith("{") || nullKey.startsWith("\"");
  }

  @Override
  public String problem(FieldSchema column, Object value) {
    if (value instanceof String && !column.acceptsMissing()) {
      return null;
    }
    boolean cheap = value instanceof String || CsvSegmentWriter.scalarText(column, value) != null
        || value instanceof dev.milvusbeam.core.row.JsonText;
    if (!cheap && !jsonLike) {
      return null; // arrays, vectors and sparse vectors are JSON text: they start with [ or {
    }
    if (!CsvSegmentWriter.cellText(column, value).equals(nullKey)) {
      return null;
    }
    return "the value is written as \"" + nullKey + "\", the CSV null key, and would be read back"
        + " as " + (column.hasDefault() ? "the default" : "null") + "; choose another null key"
        + " (--nullKey)";
  }
}
