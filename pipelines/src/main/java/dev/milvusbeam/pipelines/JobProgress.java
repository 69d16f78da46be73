package dev.milvusbeam.pipelines;

import java.io.PrintStream;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricQueryResults;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.joda.time.Duration;

/**
 * Follows a running pipeline and prints a line on stderr every 10 seconds from its Beam metrics
 * (namespace {@code milvus}, attempted values): rows checked per second, rows rejected, segments
 * written — then a final line from the committed result. Runners whose {@code run()} returns only
 * at the end (the Flink runner in attached mode) print the final line only; their own UI shows
 * the job's progress.
 */
final class JobProgress {
  static final Duration EVERY = Duration.standardSeconds(10);
  private final PrintStream err;
  private final long start = System.nanoTime();

  JobProgress(PrintStream err) {
    this.err = err;
  }

  /** Waits for the end of the job, printing progress meanwhile. */
  void follow(PipelineResult result) {
    while (true) {
      PipelineResult.State state = result.waitUntilFinish(EVERY);
      if (state != null && state.isTerminal()) {
        return;
      }
      print(result);
    }
  }

  private void print(PipelineResult result) {
    long valid;
    long rejected;
    long segments;
    long bytes;
    try {
      MetricQueryResults m = result.metrics().queryMetrics(MetricsFilter.builder()
          .addNameFilter(MetricNameFilter.inNamespace("milvus")).build());
      valid = sum(m, "rowsValid");
      rejected = sum(m, "rowsRejected");
      segments = sum(m, "segmentsWritten");
      bytes = sum(m, "bytesWritten");
    } catch (RuntimeException e) { // a runner without live metrics
      err.printf("bulkwriter: running, %.0f s%n", seconds());
      return;
    }
    double secs = seconds();
    err.printf("bulkwriter: %,d rows checked (%,.0f rows/s), %,d rejected, %d segments"
        + " written (%,d MiB), %.0f s%n", valid + rejected, (valid + rejected) / secs, rejected,
        segments, bytes >> 20, secs);
    err.flush();
  }

  void done(long rows, long rejected, int segments) {
    double secs = seconds();
    err.printf("bulkwriter: %,d rows written, %,d rejected, %d segments, %.1f s, %,.0f rows/s%n",
        rows, rejected, segments, secs, (rows + rejected) / secs);
    err.flush();
  }

  private double seconds() {
    return Math.max(1e-9, (System.nanoTime() - start) / 1e9);
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
