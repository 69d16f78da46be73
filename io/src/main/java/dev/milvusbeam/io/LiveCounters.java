package dev.milvusbeam.io;

import java.util.concurrent.atomic.LongAdder;

/**
 * A JVM-wide tally of a running write, for a progress display in the same JVM: the Direct runner
 * ({@code convert}'s default) and Flink embedded ({@code --flinkMaster=[local]}) run the steps in
 * the JVM that launched them, and the embedded Flink runner returns from {@code run()} only at the
 * end, so Beam's metrics cannot be queried meanwhile. Updated next to the Beam counters of the
 * same name (namespace {@value RowChecker#NAMESPACE}); on runners with remote workers it stays at
 * zero here and the Beam metrics of the {@code PipelineResult} are the source.
 *
 * <p>Totals only ever grow; a display takes a {@link #snapshot()} when it starts and shows the
 * difference, so runs one after another in one JVM (tests) do not add up.
 */
public final class LiveCounters {
  private static final LongAdder INPUT_BYTES = new LongAdder();
  private static final LongAdder ROWS_VALID = new LongAdder();
  private static final LongAdder ROWS_REJECTED = new LongAdder();
  private static final LongAdder SEGMENTS = new LongAdder();

  private LiveCounters() {}

  /** The totals at one moment. */
  public record Snapshot(long inputBytesRead, long rowsValid, long rowsRejected,
      long segmentsClosed) {
    /** What happened since {@code before}. */
    public Snapshot minus(Snapshot before) {
      return new Snapshot(inputBytesRead - before.inputBytesRead, rowsValid - before.rowsValid,
          rowsRejected - before.rowsRejected, segmentsClosed - before.segmentsClosed);
    }
  }

  public static Snapshot snapshot() {
    return new Snapshot(INPUT_BYTES.sum(), ROWS_VALID.sum(), ROWS_REJECTED.sum(), SEGMENTS.sum());
  }

  /** Bytes of input files read (compressed files: compressed bytes). */
  public static void inputBytesRead(long n) {
    INPUT_BYTES.add(n);
  }

  static void rowValid() {
    ROWS_VALID.increment();
  }

  static void rowRejected() {
    ROWS_REJECTED.increment();
  }

  static void segmentsClosed(int n) {
    SEGMENTS.add(n);
  }
}
