package dev.milvusbeam.io;

import java.io.Serializable;

/** A segment written by one bundle attempt into its own temp folder, not yet numbered. */
final class TempSegment implements Serializable, Comparable<TempSegment> {
  private static final long serialVersionUID = 1L;

  final String attemptDir;
  final int localNumber;
  final long rows;
  final long bytes;

  TempSegment(String attemptDir, int localNumber, long rows, long bytes) {
    this.attemptDir = attemptDir;
    this.localNumber = localNumber;
    this.rows = rows;
    this.bytes = bytes;
  }

  /** A stable order, so a retried finalize numbers the segments the same way. */
  @Override
  public int compareTo(TempSegment o) {
    int c = attemptDir.compareTo(o.attemptDir);
    return c != 0 ? c : Integer.compare(localNumber, o.localNumber);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TempSegment && compareTo((TempSegment) o) == 0;
  }

  @Override
  public int hashCode() {
    return attemptDir.hashCode() * 31 + localNumber;
  }
}
