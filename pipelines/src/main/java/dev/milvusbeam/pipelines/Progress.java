package dev.milvusbeam.pipelines;

import java.io.PrintStream;

/** Progress lines on stderr for a person following a long run: rows/s, rejected rows, segments. */
final class Progress {
  private static final long EVERY_NANOS = 10_000_000_000L;
  private final PrintStream err;
  private final long start = System.nanoTime();
  private long last = start;

  Progress(PrintStream err) {
    this.err = err;
  }

  /** Cheap; prints at most every 10 seconds. */
  void tick(long rows, long rejected, java.util.function.IntSupplier segments) {
    if ((rows & 1023) != 0) {
      return;
    }
    long now = System.nanoTime();
    if (now - last >= EVERY_NANOS) {
      last = now;
      print(rows, rejected, segments.getAsInt(), now);
    }
  }

  void done(long rows, long rejected, int segments) {
    print(rows, rejected, segments, System.nanoTime());
  }

  private void print(long rows, long rejected, int segments, long now) {
    double secs = Math.max(1e-9, (now - start) / 1e9);
    err.printf("bulkwriter: %,d rows written, %,d rejected, %d segments, %.1f s, %,.0f rows/s%n",
        rows, rejected, segments, secs, (rows + rejected) / secs);
  }
}
