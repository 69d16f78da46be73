package dev.milvusbeam.io;

import dev.milvusbeam.core.row.ValidRow;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.TupleTag;

/**
 * {@link MilvusIO.Validate}: checks each element with the {@link RowChecker} a write uses and
 * outputs the valid row, or the {@link FailedRow} to {@link #failures}.
 */
class ValidateRowsFn<T> extends DoFn<T, ValidRow> {
  private static final long serialVersionUID = 1L;

  private final RowChecker<T> checker;
  private final TupleTag<ValidRow> valid;
  private final TupleTag<FailedRow> failures;

  ValidateRowsFn(RowChecker<T> checker, TupleTag<ValidRow> valid, TupleTag<FailedRow> failures) {
    this.checker = checker;
    this.valid = valid;
    this.failures = failures;
  }

  @ProcessElement
  public void process(@Element T element, MultiOutputReceiver out) {
    ValidRow row = checker.check(element, out.get(failures)::output);
    if (row != null) {
      out.get(valid).output(row);
    }
  }
}
