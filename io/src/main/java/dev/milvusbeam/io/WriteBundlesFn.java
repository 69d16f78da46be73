package dev.milvusbeam.io;

import dev.milvusbeam.core.writer.Segment;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.values.TupleTag;

/**
 * Bounded input: validates each element and writes the valid rows into segments in the same step
 * ({@link BundleSegments}, one per window of the bundle), into a temp folder of this bundle
 * attempt's own, {@code <temp>/<window>/<uuid>/}. The closed segments go to the main output and
 * the bundle's small tail, if any, to {@link #spilled} when the bundle finishes. A failed or
 * duplicated attempt leaves only files nobody references: the runner discards its outputs, and
 * the finalize step deletes the temp folder (Beam's WriteFiles works the same way).
 */
class WriteBundlesFn<T> extends DoFn<T, Segment> {
  private static final long serialVersionUID = 1L;

  private final ElementRows<T> rows;
  private final SegmentSpec spec;
  private final TupleTag<FailedRow> failures;
  private final TupleTag<RowChunk> spilled;
  private transient Map<BoundedWindow, BundleSegments> writers;
  private transient ValidRowCoder coder;

  WriteBundlesFn(ElementRows<T> rows, SegmentSpec spec, TupleTag<FailedRow> failures,
      TupleTag<RowChunk> spilled) {
    this.rows = rows;
    this.spec = spec;
    this.failures = failures;
    this.spilled = spilled;
  }

  @Setup
  public void setUp() {
    coder = new ValidRowCoder(spec.schema());
  }

  @StartBundle
  public void startBundle() {
    abortAll(); // what an earlier bundle of this instance left after a failure
    writers = new HashMap<>();
  }

  @ProcessElement
  public void process(@Element T element, BoundedWindow window, MultiOutputReceiver out)
      throws IOException {
    try {
      rows.each(element, out.get(failures)::output, row -> writer(window).add(row));
    } catch (IOException | RuntimeException e) {
      abortAll();
      throw e;
    }
  }

  private BundleSegments writer(BoundedWindow window) {
    BundleSegments w = writers.get(window);
    if (w == null) {
      w = new BundleSegments(spec, spec.tempRoot() + "/" + Windows.label(window) + "/"
          + UUID.randomUUID());
      writers.put(window, w);
    }
    return w;
  }

  @FinishBundle
  public void finishBundle(FinishBundleContext c) throws IOException {
    try {
      for (Map.Entry<BoundedWindow, BundleSegments> e : writers.entrySet()) {
        BoundedWindow window = e.getKey();
        BundleSegments w = e.getValue();
        List<RowChunk> tail = w.finish(coder);
        for (Segment s : w.segments()) {
          c.output(s, window.maxTimestamp(), window);
        }
        for (RowChunk chunk : tail) {
          c.output(spilled, chunk, window.maxTimestamp(), window);
        }
      }
      writers = null;
    } catch (IOException | RuntimeException e) {
      abortAll();
      throw e;
    }
  }

  @Teardown
  public void tearDown() {
    abortAll();
  }

  private void abortAll() {
    if (writers != null) {
      writers.values().forEach(BundleSegments::abort);
      writers = null;
    }
  }
}
