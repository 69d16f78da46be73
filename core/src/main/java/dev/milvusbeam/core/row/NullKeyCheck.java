package dev.milvusbeam.core.row;

import dev.milvusbeam.core.schema.DataType;
import dev.milvusbeam.core.schema.FieldSchema;
import java.io.Serializable;

/**
 * The null-key rule of CSV (FORMAT.md section 4): Milvus reads a cell equal to the null key as
 * null (or as the field's default), so no value may be written as that text. A non-nullable
 * VarChar without default is the exception: Milvus keeps the text there. The file type supplies
 * how it spells a value ({@link Spelling}); the rule is decided here.
 */
public final class NullKeyCheck implements ColumnCheck {
  private static final long serialVersionUID = 1L;

  /** How a file type spells a non-null normalized value as cell text. */
  @FunctionalInterface
  public interface Spelling extends Serializable {
    String text(FieldSchema column, Object value);
  }

  private final String nullKey;
  private final Spelling spelling;
  /** Whether the key could be the JSON text of a vector, array or sparse vector. */
  private final boolean jsonLike;

  public NullKeyCheck(String nullKey, Spelling spelling) {
    this.nullKey = nullKey;
    this.spelling = spelling;
    this.jsonLike = nullKey.startsWith("[") || nullKey.startsWith("{");
  }

  @Override
  public Rule rule() {
    return Rule.CSV_NULL_KEY;
  }

  @Override
  public String problem(FieldSchema column, Object value) {
    if (value instanceof String && !column.acceptsMissing()) {
      return null;
    }
    if (!jsonLike && isJsonContainer(column.dataType())) {
      return null; // their text starts with [ or {
    }
    if (!spelling.text(column, value).equals(nullKey)) {
      return null;
    }
    return "the value is written as \"" + nullKey + "\", the CSV null key, and would be read back"
        + " as " + (column.hasDefault() ? "the default" : "null") + "; choose another null key"
        + " (--nullKey)";
  }

  private static boolean isJsonContainer(DataType t) {
    return t == DataType.ARRAY || t == DataType.ARRAY_OF_STRUCT || t.isVector();
  }
}
