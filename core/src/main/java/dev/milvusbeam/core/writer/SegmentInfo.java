package dev.milvusbeam.core.writer;

import java.io.Serializable;
import java.util.List;

/** A committed segment: its number, its file group (relative to the data path), rows and bytes. */
public final class SegmentInfo implements Serializable {
  private static final long serialVersionUID = 1L;

  private final int number;
  private final List<String> files;
  private final long rows;
  private final long bytes;

  public SegmentInfo(int number, List<String> files, long rows, long bytes) {
    this.number = number;
    this.files = List.copyOf(files);
    this.rows = rows;
    this.bytes = bytes;
  }

  public int number() { return number; }
  public List<String> files() { return files; }
  public long rows() { return rows; }
  public long bytes() { return bytes; }

  @Override
  public String toString() {
    return "segment " + number + " " + files + " rows=" + rows + " bytes=" + bytes;
  }
}
