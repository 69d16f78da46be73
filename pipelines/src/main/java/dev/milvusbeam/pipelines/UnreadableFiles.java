package dev.milvusbeam.pipelines;

import dev.milvusbeam.core.row.UnreadableInput;
import dev.milvusbeam.core.row.Violation;
import dev.milvusbeam.io.FailedRow;
import java.util.List;
import org.apache.beam.sdk.values.TupleTag;

/**
 * Input files whose bytes cannot be decoded: each is one record in the failures output (its path,
 * the first line not read, rule {@code unreadable-input}) and the other files are converted.
 * Found while planning chunks where that is cheap ({@link PlanChunksFn}: Parquet footers, the
 * first 64 KiB of text decompressed and checked), otherwise while reading ({@link ReadChunkFn}:
 * the rows before the damage are kept). Whether a failure is damage or a failure of reading (which
 * still fails the step, to be retried) is {@link UnreadableInput#isDamagedData}'s decision.
 */
final class UnreadableFiles {
  /** The failures output of {@link PlanChunksFn}. */
  static final TupleTag<FailedRow> UNREADABLE = new TupleTag<FailedRow>() {};

  private UnreadableFiles() {}

  /**
   * The failure record of {@code file}.
   *
   * @param line the first line (Parquet: record) not read, 1-based; 0 when nothing could be read
   */
  static FailedRow failure(String file, long line, String what, Throwable cause) {
    return new FailedRow("", file, line, List.of(violation(line, what, cause)));
  }

  /**
   * The same failure as a record among the rows ({@link ReadChunkFn}'s one output), which the row
   * parser rejects with this violation.
   */
  static InputRecord record(String file, long line, String what, Throwable cause) {
    return InputRecord.unreadable(file, line, violation(line, what, cause).message());
  }

  private static Violation violation(long line, String what, Throwable cause) {
    String where = line > 0 ? what + " from line " + line + " on" : what;
    return UnreadableInput.violation(where, cause);
  }
}
