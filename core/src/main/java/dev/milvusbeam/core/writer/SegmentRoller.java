package dev.milvusbeam.core.writer;

import dev.milvusbeam.core.format.FileType;
import dev.milvusbeam.core.format.FormatOptions;
import dev.milvusbeam.core.format.SegmentWriter;
import dev.milvusbeam.core.row.ValidRow;
import dev.milvusbeam.core.schema.CollectionSchema;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes rows into segments 1, 2, 3 ... of a data path, and is the one place that decides when a
 * segment is full: on the real bytes the {@link SegmentWriter} reports (the Iceberg
 * {@code RollingFileWriter} idea), before a row is written, so that a segment never grows past
 * the target ({@link #fits}). It does not know the format. Each closed segment is committed
 * through the {@link SegmentStore}. Not thread-safe.
 */
public final class SegmentRoller {
  /**
   * Largest segment size accepted: Milvus imports at most 16 GiB per file group; the margin
   * covers what a writer cannot know before it closes (a Parquet footer's exact size).
   */
  public static final long MAX_SEGMENT_BYTES = 15L << 30;

  private final CollectionSchema schema;
  private final FileType fileType;
  private final FormatOptions options;
  private final long targetBytes;
  private final SegmentStore store;
  private final List<Segment> committed = new ArrayList<>();
  private SegmentWriter current;
  private DigestingSegmentOutput currentOutput;
  private int currentNumber;
  /** The most one row has added to the open segment's size: the headroom a next row needs. */
  private long largestRowBytes;

  public SegmentRoller(CollectionSchema schema, FileType fileType, FormatOptions options,
      long targetBytes, SegmentStore store) {
    checkSegmentSize(targetBytes);
    fileType.checkSchema(schema);
    options.check();
    this.schema = schema;
    this.fileType = fileType;
    this.options = options;
    this.targetBytes = targetBytes;
    this.store = store;
  }

  /** Refuses a segment size outside 1 byte .. {@link #MAX_SEGMENT_BYTES}, naming the limit. */
  public static long checkSegmentSize(long bytes) {
    if (bytes <= 0 || bytes > MAX_SEGMENT_BYTES) {
      throw new IllegalArgumentException("segment size " + bytes + " must be in 1.."
          + MAX_SEGMENT_BYTES + " bytes (Milvus imports at most 16 GiB per file group)");
    }
    return bytes;
  }

  /**
   * Whether {@code row} can still go into the open segment without it passing the target: the
   * segment's size so far (made exact first when what is only estimated could matter,
   * {@link SegmentWriter#settle}) plus twice the most one row has added to it. A segment's first row always fits (a row larger than
   * the target is a segment of its own).
   */
  public boolean fits(ValidRow row) throws IOException {
    if (current == null || current.rowCount() == 0) {
      return true;
    }
    long exact = current.bytesWith(row);
    if (exact >= 0) {
      return exact <= targetBytes;
    }
    long headroom = 2 * largestRowBytes;
    long pending = current.pendingBytes();
    if (current.bytesWritten() + headroom + pending / 4 <= targetBytes) {
      return true; // fits even if the estimated part is a quarter too low
    }
    if (pending > 0) {
      current.settle();
    }
    return current.bytesWritten() + headroom <= targetBytes;
  }

  /** Appends a row, first closing the open segment when the row would not fit into it. */
  public void write(ValidRow row) throws IOException {
    if (!fits(row)) {
      flush();
    }
    if (current == null) {
      currentNumber = committed.size() + 1;
      currentOutput = new DigestingSegmentOutput(store.begin(currentNumber));
      current = fileType.open(schema, options, currentOutput, currentNumber);
      largestRowBytes = 0;
    }
    long before = current.bytesWritten();
    current.write(row);
    largestRowBytes = Math.max(largestRowBytes, current.bytesWritten() - before);
  }

  /** Whether a segment is open (has rows not yet committed). */
  public boolean hasOpenSegment() {
    return current != null;
  }

  /** Closes and commits the open segment, if any. */
  public void flush() throws IOException {
    if (current == null) {
      return;
    }
    SegmentWriter w = current;
    current = null;
    try {
      w.close();
    } catch (IOException | RuntimeException e) {
      w.abort();
      store.discard(currentNumber);
      throw e;
    }
    List<String> files = fileType.segmentFiles(schema, currentNumber);
    List<FileDigest> digests;
    try {
      digests = currentOutput.digests(files);
      store.commit(currentNumber, files);
    } catch (IOException | RuntimeException e) {
      store.discard(currentNumber);
      throw e;
    }
    committed.add(new Segment(store.dataPath(), currentNumber, digests, w.rowCount()));
  }

  /** Drops the open segment without committing it. */
  public void abort() {
    if (current != null) {
      current.abort();
      store.discard(currentNumber);
      current = null;
    }
  }

  /** Rows in the open, not yet committed segment. */
  public long pendingRows() {
    return current == null ? 0 : current.rowCount();
  }

  public List<Segment> committedSegments() {
    return List.copyOf(committed);
  }
}
