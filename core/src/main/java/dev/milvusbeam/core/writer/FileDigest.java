package dev.milvusbeam.core.writer;

import java.io.Serializable;
import java.util.Objects;

/**
 * One written file: its path relative to the data path ({@code 1.parquet}, {@code 1/vector.npy}),
 * its size and its CRC32C, base64 of the big-endian value, the form {@code gsutil hash -c} and S3's
 * {@code x-amz-checksum-crc32c} print, so a copy can be checked against the manifest.
 */
public record FileDigest(String path, long bytes, String crc32c) implements Serializable {
  private static final long serialVersionUID = 1L;

  public FileDigest {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(crc32c, "crc32c");
  }

  /** The same file under another relative path (a segment renumbered on finalize). */
  public FileDigest withPath(String newPath) {
    return new FileDigest(newPath, bytes, crc32c);
  }

  @Override
  public String toString() {
    return path + " bytes=" + bytes + " crc32c=" + crc32c;
  }
}
