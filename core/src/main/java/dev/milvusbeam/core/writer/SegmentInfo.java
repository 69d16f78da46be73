package dev.milvusbeam.core.writer;

import java.io.Serializable;
import java.util.List;

/**
 * A committed segment: its number, its file group (relative to the data path), rows, bytes, and
 * each file's size and checksum.
 */
public final class SegmentInfo implements Serializable {
  private static final long serialVersionUID = 1L;

  private final int number;
  private final List<String> files;
  private final long rows;
  private final long bytes;
  private final List<FileDigest> digests;

  public SegmentInfo(int number, List<String> files, long rows, long bytes,
      List<FileDigest> digests) {
    this.number = number;
    this.files = List.copyOf(files);
    this.rows = rows;
    this.bytes = bytes;
    this.digests = List.copyOf(digests);
  }

  public int number() { return number; }
  public List<String> files() { return files; }
  public long rows() { return rows; }
  public long bytes() { return bytes; }
  /** Size and CRC32C of each file of {@link #files()}, in the same order. */
  public List<FileDigest> digests() { return digests; }

  @Override
  public String toString() {
    return "segment " + number + " " + files + " rows=" + rows + " bytes=" + bytes;
  }
}
