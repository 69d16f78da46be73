package dev.milvusbeam.core.format.csv;

import com.fasterxml.jackson.core.io.NumberOutput;
import dev.milvusbeam.core.format.ByteSink;
import dev.milvusbeam.core.format.FloatText;
import dev.milvusbeam.core.format.JsonValueEncoder;
import dev.milvusbeam.core.row.JsonText;
import dev.milvusbeam.core.schema.FieldSchema;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The unquoted text of a CSV cell, exactly as {@link CsvSegmentWriter} spells each value: numbers
 * and booleans as JSON does, text as it is, JSON as its text, vectors, arrays and sparse vectors
 * as JSON text. The null-key rule compares this text with the null key.
 */
public final class CsvCells {
  private CsvCells() {}

  /** The cell text of a non-null normalized value of {@code column}. */
  public static String text(FieldSchema column, Object value) {
    switch (column.dataType()) {
      case BOOL: case INT8: case INT16: case INT32: case INT64: return value.toString();
      case FLOAT: return FloatText.toString((Float) value);
      case DOUBLE: return NumberOutput.toString((Double) value, true);
      default:
        break;
    }
    if (value instanceof String) {
      return (String) value;
    }
    if (value instanceof JsonText) {
      return ((JsonText) value).text();
    }
    try {
      ByteSink buf = new ByteSink(256);
      new JsonValueEncoder(buf).write(column, value);
      return new String(buf.array(), 0, buf.size(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
