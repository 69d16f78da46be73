package dev.milvusbeam.core.row;

import dev.milvusbeam.core.schema.FieldSchema;
import java.io.Serializable;

/**
 * A rule of one output file type about normalized values, checked by {@link RowValidator} after
 * the type rules (e.g. CSV: no value may read back as the null key). Supplied by the file type.
 */
public interface ColumnCheck extends Serializable {
  /** No extra rule. */
  ColumnCheck NONE = (column, value) -> null;

  /** Why {@code value} (non-null, normalized) cannot be written in {@code column}, or null. */
  String problem(FieldSchema column, Object value);

  /** The rule a problem is reported under. */
  default Rule rule() {
    return Rule.CSV_NULL_KEY;
  }
}
