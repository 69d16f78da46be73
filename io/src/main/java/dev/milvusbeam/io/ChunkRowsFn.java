package dev.milvusbeam.io;

import dev.milvusbeam.core.row.ValidRow;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.values.TupleTag;
import org.joda.time.Instant;

/**
 * Unbounded input: validates each element and packs the valid rows of each window into
 * {@link RowChunk}s of about {@link RowChunk#CHUNK_BYTES}, output when the bundle finishes (with the
 * earliest timestamp of their rows, so nothing becomes late by being packed).
 */
class ChunkRowsFn<T> extends DoFn<T, RowChunk> {
  private static final long serialVersionUID = 1L;

  private final ElementRows<T> rows;
  private final SegmentSpec spec;
  private final TupleTag<FailedRow> failures;
  private transient ValidRowCoder coder;
  private transient Map<BoundedWindow, Chunks> chunks;

  ChunkRowsFn(ElementRows<T> rows, SegmentSpec spec, TupleTag<FailedRow> failures) {
    this.rows = rows;
    this.spec = spec;
    this.failures = failures;
  }

  @Setup
  public void setUp() {
    coder = new ValidRowCoder(spec.schema());
  }

  @StartBundle
  public void startBundle() {
    chunks = new HashMap<>();
  }

  @ProcessElement
  public void process(@Element T element, @Timestamp Instant timestamp, BoundedWindow window,
      MultiOutputReceiver out) throws IOException {
    rows.each(element, out.get(failures)::output,
        row -> chunks.computeIfAbsent(window, w -> new Chunks()).add(row, timestamp));
  }

  @FinishBundle
  public void finishBundle(FinishBundleContext c) {
    for (Map.Entry<BoundedWindow, Chunks> e : chunks.entrySet()) {
      Chunks w = e.getValue();
      w.seal();
      for (int i = 0; i < w.done.size(); i++) {
        c.output(w.done.get(i), w.earliest.get(i), e.getKey());
      }
    }
    chunks = null;
  }

  /** The chunks of one window in this bundle. */
  private final class Chunks {
    final List<RowChunk> done = new ArrayList<>();
    final List<Instant> earliest = new ArrayList<>();
    RowChunk.Builder open;
    Instant openEarliest;

    void add(ValidRow row, Instant timestamp) throws IOException {
      if (open == null) {
        open = new RowChunk.Builder(coder);
        openEarliest = timestamp;
      }
      open.add(row);
      if (timestamp.isBefore(openEarliest)) {
        openEarliest = timestamp;
      }
      if (open.size() >= RowChunk.CHUNK_BYTES) {
        seal();
      }
    }

    void seal() {
      if (open != null) {
        done.add(open.build());
        earliest.add(openEarliest);
        open = null;
      }
    }
  }
}
