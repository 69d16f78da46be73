package dev.milvusbeam.io;

import dev.milvusbeam.core.writer.FileDigest;
import java.io.Serializable;
import java.util.List;

/**
 * A segment written by one bundle attempt into its own temp folder, not yet numbered; or, with no
 * attempt folder, a count of rows rejected in the window ({@link #rejected}), which travels to the
 * finalize step with the segments so the manifest can report it.
 */
final class TempSegment implements Serializable, Comparable<TempSegment> {
  private static final long serialVersionUID = 1L;

  final String attemptDir;
  final int localNumber;
  final long rows;
  final long bytes;
  /** Size and CRC32C of each file, relative to the attempt folder. */
  final List<FileDigest> digests;
  final long rejectedRows;

  TempSegment(String attemptDir, int localNumber, long rows, long bytes, List<FileDigest> digests) {
    this(attemptDir, localNumber, rows, bytes, digests, 0);
  }

  private TempSegment(String attemptDir, int localNumber, long rows, long bytes,
      List<FileDigest> digests, long rejectedRows) {
    this.attemptDir = attemptDir;
    this.localNumber = localNumber;
    this.rows = rows;
    this.bytes = bytes;
    this.digests = List.copyOf(digests);
    this.rejectedRows = rejectedRows;
  }

  /** Not a segment: {@code n} rows of the window were rejected. */
  static TempSegment rejected(long n) {
    return new TempSegment("", 0, 0, 0, List.of(), n);
  }

  boolean isRejectedCount() {
    return attemptDir.isEmpty();
  }

  /** A stable order, so a retried finalize numbers the segments the same way. */
  @Override
  public int compareTo(TempSegment o) {
    int c = attemptDir.compareTo(o.attemptDir);
    c = c != 0 ? c : Integer.compare(localNumber, o.localNumber);
    return c != 0 ? c : Long.compare(rejectedRows, o.rejectedRows);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TempSegment && compareTo((TempSegment) o) == 0;
  }

  @Override
  public int hashCode() {
    return (attemptDir.hashCode() * 31 + localNumber) * 31 + Long.hashCode(rejectedRows);
  }
}
