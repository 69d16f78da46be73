package dev.milvusbeam.io;

import dev.milvusbeam.core.writer.Segment;
import java.io.IOException;
import java.util.UUID;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.values.KV;

/**
 * Unbounded input: writes one batch of row chunks (about a segment's worth, from
 * {@code GroupIntoBatches}) as segments into a temp folder of this attempt's own; only the
 * attempt whose output the runner commits reaches the finalize step.
 */
class WriteChunksFn<K> extends DoFn<KV<K, Iterable<RowChunk>>, Segment> {
  private static final long serialVersionUID = 1L;
  private final SegmentSpec spec;
  private transient ValidRowCoder coder;

  WriteChunksFn(SegmentSpec spec) {
    this.spec = spec;
  }

  @Setup
  public void setUp() {
    coder = new ValidRowCoder(spec.schema());
  }

  @ProcessElement
  public void process(@Element KV<K, Iterable<RowChunk>> batch, BoundedWindow window,
      OutputReceiver<Segment> out) throws IOException {
    String attemptDir = spec.tempRoot() + "/" + Windows.label(window) + "/" + UUID.randomUUID();
    for (Segment s : spec.write(attemptDir, sink -> {
      for (RowChunk c : batch.getValue()) {
        c.read(coder, sink);
      }
    })) {
      out.output(s);
      LiveCounters.segmentsClosed(1);
    }
  }
}
