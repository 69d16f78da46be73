package dev.milvusbeam.io;

import java.io.Serializable;
import java.util.List;
import java.util.Objects;

/** A segment in its final place: data path, number, its file group (full paths), rows, bytes. */
public final class SegmentResult implements Serializable {
  private static final long serialVersionUID = 1L;

  private final String dataPath;
  private final int number;
  private final List<String> files;
  private final long rows;
  private final long bytes;

  public SegmentResult(String dataPath, int number, List<String> files, long rows, long bytes) {
    this.dataPath = dataPath;
    this.number = number;
    this.files = List.copyOf(files);
    this.rows = rows;
    this.bytes = bytes;
  }

  public String dataPath() { return dataPath; }
  public int number() { return number; }
  /** The file group as the Import API takes it (one file, or a NumPy segment's .npy files). */
  public List<String> files() { return files; }
  public long rows() { return rows; }
  public long bytes() { return bytes; }

  @Override
  public boolean equals(Object o) {
    return o instanceof SegmentResult && ((SegmentResult) o).dataPath.equals(dataPath)
        && ((SegmentResult) o).number == number && ((SegmentResult) o).files.equals(files)
        && ((SegmentResult) o).rows == rows && ((SegmentResult) o).bytes == bytes;
  }

  @Override
  public int hashCode() {
    return Objects.hash(dataPath, number);
  }

  @Override
  public String toString() {
    return dataPath + " segment " + number + " " + files + " rows=" + rows + " bytes=" + bytes;
  }
}
