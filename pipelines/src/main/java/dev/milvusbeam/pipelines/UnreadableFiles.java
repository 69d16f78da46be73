package dev.milvusbeam.pipelines;

import dev.milvusbeam.core.row.UnreadableInput;
import dev.milvusbeam.core.row.Violation;

/**
 * Input files whose bytes cannot be decoded: each is one record in the failures (its path, the
 * first line not read, rule {@code unreadable-input}) and the other files are converted. Found
 * while planning chunks where that is cheap ({@link PlanChunksFn}: Parquet footers, the first 64
 * KiB of text decompressed and checked; the file becomes one {@link FileChunk#unreadable} chunk),
 * otherwise while reading ({@link ChunkReader}: the rows before the damage are kept). Either way
 * the failure is a record among the rows, which the row parser rejects: one output per step, and
 * one way into the failures file. Whether a failure is damage or a failure of reading (which
 * still fails the step, to be retried) is {@link UnreadableInput#isDamagedData}'s decision.
 */
final class UnreadableFiles {
  private UnreadableFiles() {}

  /** The one chunk of {@code file}, none of which can be read ({@link PlanChunksFn}). */
  static FileChunk chunk(String file, String what, Throwable cause) {
    return FileChunk.unreadable(file, violation(0, what, cause).message());
  }

  /**
   * The same failure as a record among the rows ({@link ChunkReader} gives it with them), which
   * the row parser rejects with this violation.
   */
  static InputRecord record(String file, long line, String what, Throwable cause) {
    return InputRecord.unreadable(file, line, violation(line, what, cause).message());
  }

  private static Violation violation(long line, String what, Throwable cause) {
    String where = line > 0 ? what + " from line " + line + " on" : what;
    return UnreadableInput.violation(where, cause);
  }
}
