package dev.milvusbeam.core.format;

import dev.milvusbeam.core.row.ValidRow;
import java.io.Closeable;
import java.io.IOException;

/**
 * Writes the rows of one segment in one file type (the Iceberg {@code FileAppender} idea): it
 * knows how many bytes the segment really takes, so a rolling writer can start the next segment
 * when the target size is reached. Not thread-safe.
 */
public interface SegmentWriter extends Closeable {
  /** Appends one validated row. */
  void write(ValidRow row) throws IOException;

  /** Rows written so far. */
  long rowCount();

  /**
   * Bytes the segment's files would take if it were closed now: bytes already written plus what
   * is buffered (encoded or about to be). Cheap: called after every row.
   */
  long bytesWritten();

  /**
   * The segment's size once {@code row} is written too, where the format can tell exactly (NumPy:
   * one new value can widen a whole text column); -1 where it cannot, and the rolling writer
   * keeps headroom for a row instead.
   */
  default long bytesWith(ValidRow row) {
    return -1;
  }

  /**
   * The part of {@link #bytesWritten} that is only estimated (rows still being encoded in the
   * background); 0 when it is exact.
   */
  default long pendingBytes() {
    return 0;
  }

  /** Waits until every row written so far is encoded, so that {@link #bytesWritten} is exact. */
  default void settle() throws IOException {}

  /** Finishes every file of the segment (footers, headers) and closes them. */
  @Override
  void close() throws IOException;

  /** Gives up: closes and releases what it holds (temp spools) without finishing the files. */
  void abort();
}
