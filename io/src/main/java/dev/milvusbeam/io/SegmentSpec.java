package dev.milvusbeam.io;

import dev.milvusbeam.core.format.FileType;
import dev.milvusbeam.core.format.FormatOptions;
import dev.milvusbeam.core.format.SegmentOutput;
import dev.milvusbeam.core.row.ValidRow;
import dev.milvusbeam.core.schema.CollectionSchema;
import dev.milvusbeam.core.writer.Segment;
import dev.milvusbeam.core.writer.SegmentRoller;
import dev.milvusbeam.core.writer.SegmentStore;
import java.io.IOException;
import java.io.Serializable;
import java.util.List;

/**
 * What every writing step of a {@link MilvusIO} write shares, checked as a whole: the schema, the
 * file type and its options, the segment size, the run's temp folder and the tail threshold
 * (how much of a segment a bundle holds back before it opens a file, {@link BundleSegments}).
 */
record SegmentSpec(CollectionSchema schema, FileType fileType, FormatOptions options,
    long segmentSize, String tempRoot, long tailThreshold) implements Serializable {

  SegmentSpec {
    SegmentRoller.checkSegmentSize(segmentSize);
    fileType.checkSchema(schema);
    options.check();
  }

  /**
   * Estimated output bytes a bundle holds back before it opens a segment's file: the tail
   * threshold, but no more than a segment and a quarter (the margin lets a segment fill even when
   * the estimate is high; what does not fit is held again for the next one).
   */
  long holdBytes() {
    return Math.min(segmentSize + segmentSize / 4, tailThreshold);
  }

  /**
   * A first guess of output bytes per {@link ValidRow#estimatedBytes} before any segment was
   * written: text formats spell a 4-byte float in about 11 characters.
   */
  double initialOutputRatio() {
    return fileType == FileType.JSON || fileType == FileType.JSONL || fileType == FileType.CSV
        ? 3.0 : 1.0;
  }

  /** A roller whose segments stay in {@code attemptDir} (named 1.parquet, 2/..) until finalize. */
  SegmentRoller roller(String attemptDir) {
    return new SegmentRoller(schema, fileType, options, segmentSize, new AttemptStore(attemptDir));
  }

  /**
   * Writes every row {@code rows} gives into segments in {@code attemptDir}; on failure nothing
   * of the attempt is left.
   */
  List<Segment> write(String attemptDir, Rows rows) throws IOException {
    SegmentRoller roller = roller(attemptDir);
    try {
      rows.forEach(roller::write);
      roller.flush();
    } catch (IOException | RuntimeException e) {
      roller.abort();
      BeamFiles.deleteTree(attemptDir);
      throw e;
    }
    return roller.committedSegments();
  }

  /** Takes rows and may fail with an I/O error. */
  interface RowSink {
    void accept(ValidRow row) throws IOException;
  }

  /** A source of rows (spill files, chunks) handing each to a sink, in order. */
  interface Rows {
    void forEach(RowSink sink) throws IOException;
  }

  /**
   * Segments of one attempt: written straight into a folder no other attempt uses, and left
   * there; the finalize step moves the committed attempts' segments and deletes the rest.
   */
  private record AttemptStore(String dataPath) implements SegmentStore {
    @Override
    public SegmentOutput begin(int number) {
      return BeamFiles.segmentOutput(dataPath, path -> { });
    }

    @Override
    public void commit(int number, List<String> files) {
      // stays here until the finalize step moves it into the data folder
    }

    @Override
    public void discard(int number) {
      // the attempt folder is deleted as a whole
    }

    @Override
    public void cleanUp() {}
  }
}
