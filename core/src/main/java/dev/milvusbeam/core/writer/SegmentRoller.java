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
 * Writes rows into segments 1, 2, 3 ... of a data path and rolls to the next segment when the real
 * bytes of the current one reach the target (the Iceberg {@code RollingFileWriter} idea). It does
 * not know the format: the {@link SegmentWriter} tells its size. Each closed segment is committed
 * through the {@link SegmentStore}. Not thread-safe.
 */
public final class SegmentRoller {
  /**
   * Largest segment size accepted: Milvus imports at most 16 GiB per file group, and a segment
   * may end up to one row (or one Parquet row group) over its target.
   */
  public static final long MAX_SEGMENT_BYTES = 15L << 30;

  private final CollectionSchema schema;
  private final FileType fileType;
  private final FormatOptions options;
  private final long targetBytes;
  private final SegmentStore store;
  private final List<SegmentInfo> committed = new ArrayList<>();
  private SegmentWriter current;
  private DigestingSegmentOutput currentOutput;
  private int currentNumber;

  public SegmentRoller(CollectionSchema schema, FileType fileType, FormatOptions options,
      long targetBytes, SegmentStore store) {
    if (targetBytes <= 0) {
      throw new IllegalArgumentException("segment size must be positive, got " + targetBytes);
    }
    if (targetBytes > MAX_SEGMENT_BYTES) {
      throw new IllegalArgumentException("segment size " + targetBytes + " bytes is above 15 GiB;"
          + " Milvus imports at most 16 GiB per file (NumPy: per segment folder)");
    }
    fileType.checkSchema(schema);
    this.schema = schema;
    this.fileType = fileType;
    this.options = options;
    this.targetBytes = targetBytes;
    this.store = store;
  }

  /** Appends a row to the open segment (opening one if needed) and rolls when it is full. */
  public void write(ValidRow row) throws IOException {
    if (current == null) {
      currentNumber = committed.size() + 1;
      currentOutput = new DigestingSegmentOutput(store.begin(currentNumber));
      current = fileType.open(schema, options, currentOutput, currentNumber);
    }
    current.write(row);
    if (current.bytesWritten() >= targetBytes) {
      flush();
    }
  }

  /** Closes and commits the open segment, if any. */
  public void flush() throws IOException {
    if (current == null) {
      return;
    }
    SegmentWriter w = current;
    current = null;
    long bytes;
    try {
      w.close();
      bytes = w.bytesWritten();
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
    committed.add(new SegmentInfo(currentNumber, files, w.rowCount(), bytes, digests));
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

  public List<SegmentInfo> committedSegments() {
    return List.copyOf(committed);
  }
}
