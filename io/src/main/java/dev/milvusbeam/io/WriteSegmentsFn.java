package dev.milvusbeam.io;

import dev.milvusbeam.core.format.FileType;
import dev.milvusbeam.core.format.FormatOptions;
import dev.milvusbeam.core.format.SegmentOutput;
import dev.milvusbeam.core.row.ValidRow;
import dev.milvusbeam.core.schema.CollectionSchema;
import dev.milvusbeam.core.writer.SegmentInfo;
import dev.milvusbeam.core.writer.SegmentRoller;
import dev.milvusbeam.core.writer.SegmentStore;
import java.io.IOException;
import java.util.List;
import java.util.UUID;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.values.KV;

/**
 * Writes one batch of rows as segments into a temp folder unique to this attempt
 * ({@code <temp>/<window>/<random>/1.parquet ...}). A retried or duplicated attempt writes
 * elsewhere; only the attempt whose output the runner commits reaches the finalize step, which
 * numbers and moves the segments. {@code @RequiresStableInput}: a retry sees the same rows.
 */
class WriteSegmentsFn<K> extends DoFn<KV<K, Iterable<ValidRow>>, TempSegment> {
  private static final long serialVersionUID = 1L;

  private final CollectionSchema schema;
  private final FileType fileType;
  private final FormatOptions options;
  private final long segmentSize;
  private final String tempRoot;

  WriteSegmentsFn(CollectionSchema schema, FileType fileType, FormatOptions options,
      long segmentSize, String tempRoot) {
    this.schema = schema;
    this.fileType = fileType;
    this.options = options;
    this.segmentSize = segmentSize;
    this.tempRoot = tempRoot;
  }

  @RequiresStableInput
  @ProcessElement
  public void process(@Element KV<K, Iterable<ValidRow>> batch, BoundedWindow window,
      OutputReceiver<TempSegment> out) throws IOException {
    String attemptDir = tempRoot + "/" + Windows.label(window) + "/" + UUID.randomUUID();
    SegmentRoller roller = new SegmentRoller(schema, fileType, options, segmentSize,
        new AttemptStore(attemptDir));
    try {
      for (ValidRow row : batch.getValue()) {
        roller.write(row);
      }
      roller.flush();
    } catch (IOException | RuntimeException e) {
      roller.abort();
      BeamFiles.deleteTree(attemptDir);
      throw e;
    }
    for (SegmentInfo s : roller.committedSegments()) {
      out.output(new TempSegment(attemptDir, s.number(), s.rows(), s.bytes(), s.digests()));
    }
  }

  /** Segments stay in the attempt folder, named as the segment's own files: 1.parquet, 2/.. */
  private static final class AttemptStore implements SegmentStore {
    private final String dir;

    AttemptStore(String dir) {
      this.dir = dir;
    }

    @Override
    public String dataPath() {
      return dir;
    }

    @Override
    public SegmentOutput begin(int number) {
      return BeamFiles.segmentOutput(dir, path -> { });
    }

    @Override
    public void commit(int number, List<String> files) {
      // stays here until the finalize step moves it into the data folder
    }

    @Override
    public void discard(int number) {
      // the whole attempt folder is deleted on failure
    }

    @Override
    public void cleanUp() {}
  }
}
