package dev.milvusbeam.io;

import dev.milvusbeam.core.row.ValidRow;
import java.io.IOException;
import java.io.Serializable;
import java.util.function.Consumer;

/**
 * The checked rows of one input element: the element itself checked as one record, or each
 * record a {@link RecordReader} reads from it. The one place the write steps get rows from.
 */
final class ElementRows<T> implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Where valid rows go. */
  @FunctionalInterface
  interface ValidRows {
    void add(ValidRow row) throws IOException;
  }

  private final RecordReader<T, Object> reader; // null: the element is the record
  private final RowChecker<Object> checker;

  @SuppressWarnings("unchecked")
  private ElementRows(RecordReader<T, ?> reader, RowChecker<?> checker) {
    this.reader = (RecordReader<T, Object>) reader;
    this.checker = (RowChecker<Object>) checker;
  }

  static <T> ElementRows<T> of(RowChecker<T> checker) {
    return new ElementRows<>(null, checker);
  }

  static <T, R> ElementRows<T> reading(RecordReader<T, R> reader, RowChecker<R> checker) {
    return new ElementRows<>(reader, checker);
  }

  void each(T element, Consumer<FailedRow> failures, ValidRows rows) throws IOException {
    if (reader == null) {
      checkAndAdd(element, failures, rows);
    } else {
      reader.read(element, record -> checkAndAdd(record, failures, rows));
    }
  }

  private void checkAndAdd(Object record, Consumer<FailedRow> failures, ValidRows rows)
      throws IOException {
    ValidRow row = checker.check(record, failures);
    if (row != null) {
      rows.add(row);
    }
  }
}
