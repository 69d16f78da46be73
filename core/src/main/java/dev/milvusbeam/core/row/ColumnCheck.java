package dev.milvusbeam.core.row;

import dev.milvusbeam.core.schema.FieldSchema;
import java.io.Serializable;

/**
 * A rule an output file type adds to the value rules, checked by {@link RowValidator} after the
 * type rules, on normalized values (e.g. CSV: no value may read back as the null key, {@link
 * NullKeyCheck}). The file type supplies it ({@code Format.columnCheck}).
 */
public interface ColumnCheck extends Serializable {
  /** No extra rule. */
  ColumnCheck NONE = new ColumnCheck() {
    private static final long serialVersionUID = 1L;

    @Override
    public String problem(FieldSchema column, Object value) {
      return null;
    }

    @Override
    public Rule rule() {
      return null;
    }

    private Object readResolve() {
      return NONE;
    }
  };

  /** Why {@code value} (non-null, normalized) cannot be written in {@code column}, or null. */
  String problem(FieldSchema column, Object value);

  /** The rule a problem is reported under. */
  Rule rule();
}
