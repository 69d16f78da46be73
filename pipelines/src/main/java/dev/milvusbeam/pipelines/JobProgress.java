package dev.milvusbeam.pipelines;

import dev.milvusbeam.io.LiveCounters;
import java.io.PrintStream;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricQueryResults;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;

/**
 * Where a conversion's progress comes from, and its final line. Live numbers: the JVM's
 * {@link LiveCounters} (the Direct runner and embedded Flink run the steps in this JVM; embedded
 * Flink returns from {@code run()} only at the end), and once {@code run()} has returned the Beam
 * metrics of the {@link PipelineResult} (namespace {@code milvus}, attempted values: runners with
 * remote workers such as Dataflow or a Flink cluster, whose workers' tallies are not here) —
 * whichever is further. A remote Flink cluster in attached mode returns only at the end: there
 * the final line is all (its UI shows the job's progress).
 */
final class JobProgress {
  private final PrintStream err;
  private final long start = System.nanoTime();
  private final LiveCounters.Snapshot base = LiveCounters.snapshot();
  private volatile PipelineResult result;

  JobProgress(PrintStream err) {
    this.err = err;
  }

  /** Beam metrics from now on too. */
  void attach(PipelineResult running) {
    this.result = running;
  }

  /** The counts so far (each the larger of the two sources). */
  LiveCounters.Snapshot current() {
    LiveCounters.Snapshot live = LiveCounters.snapshot().minus(base);
    PipelineResult r = result;
    if (r == null) {
      return live;
    }
    LiveCounters.Snapshot beam;
    try {
      MetricQueryResults m = r.metrics().queryMetrics(MetricsFilter.builder()
          .addNameFilter(MetricNameFilter.inNamespace("milvus")).build());
      beam = new LiveCounters.Snapshot(sum(m, "inputBytesRead"), sum(m, "rowsValid"),
          sum(m, "rowsRejected"), sum(m, "segmentsWritten"));
    } catch (RuntimeException e) { // a runner without live metrics
      return live;
    }
    return new LiveCounters.Snapshot(Math.max(live.inputBytesRead(), beam.inputBytesRead()),
        Math.max(live.rowsValid(), beam.rowsValid()),
        Math.max(live.rowsRejected(), beam.rowsRejected()),
        Math.max(live.segmentsClosed(), beam.segmentsClosed()));
  }

  /** The final line, after the job. */
  void done(long rows, long rejected, int segments) {
    double secs = Math.max(1e-9, (System.nanoTime() - start) / 1e9);
    err.printf("bulkwriter: %,d rows written, %,d rejected, %d segments, %.1f s, %,.0f rows/s%n",
        rows, rejected, segments, secs, (rows + rejected) / secs);
    err.flush();
  }

  private static long sum(MetricQueryResults m, String name) {
    long total = 0;
    for (MetricResult<Long> c : m.getCounters()) {
      if (c.getName().getName().equals(name)) {
        Long v = c.getAttempted();
        total += v == null ? 0 : v;
      }
    }
    return total;
  }
}
