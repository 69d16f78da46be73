package dev.milvusbeam.core.writer;

import java.io.Serializable;
import java.util.Objects;

/**
 * One written file: its path relative to the data path ({@code 1.parquet}, {@code 1/vector.npy}),
 * its size and its CRC32C, base64 of the big-endian value, the form {@code gsutil hash -c} and S3's
 * {@code x-amz-checksum-crc32c} print, so a copy can be checked against the manifest.
 */
public final class FileDigest implements Serializable {
  private static final long serialVersionUID = 1L;

  private final String path;
  private final long bytes;
  private final String crc32c;

  public FileDigest(String path, long bytes, String crc32c) {
    this.path = Objects.requireNonNull(path, "path");
    this.bytes = bytes;
    this.crc32c = Objects.requireNonNull(crc32c, "crc32c");
  }

  public String path() { return path; }
  public long bytes() { return bytes; }
  public String crc32c() { return crc32c; }

  /** The same file under another relative path (a segment renumbered on finalize). */
  public FileDigest withPath(String newPath) {
    return new FileDigest(newPath, bytes, crc32c);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FileDigest && ((FileDigest) o).path.equals(path)
        && ((FileDigest) o).bytes == bytes && ((FileDigest) o).crc32c.equals(crc32c);
  }

  @Override
  public int hashCode() {
    return Objects.hash(path, bytes, crc32c);
  }

  @Override
  public String toString() {
    return path + " bytes=" + bytes + " crc32c=" + crc32c;
  }
}
