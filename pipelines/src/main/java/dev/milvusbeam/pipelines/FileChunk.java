package dev.milvusbeam.pipelines;

import java.io.Serializable;
import java.util.List;

/**
 * A piece of one input file that one worker reads: bytes {@code [start, end)} beginning at a
 * record boundary, the 1-based line (Parquet: record number) of its first record, and for CSV the
 * file's header. A compressed file is one chunk (it cannot be entered in the middle).
 */
final class FileChunk implements Serializable {
  private static final long serialVersionUID = 1L;
  final String file;
  /** {@code org.apache.beam.sdk.io.Compression} name; not UNCOMPRESSED: the whole file. */
  final String compression;
  final long start;
  final long end;
  final long firstLine;
  /** CSV: the header's cells; null otherwise. */
  final List<String> header;

  FileChunk(String file, String compression, long start, long end, long firstLine,
      List<String> header) {
    this.file = file;
    this.compression = compression;
    this.start = start;
    this.end = end;
    this.firstLine = firstLine;
    this.header = header;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof FileChunk)) {
      return false;
    }
    FileChunk c = (FileChunk) o;
    return c.file.equals(file) && c.compression.equals(compression) && c.start == start
        && c.end == end && c.firstLine == firstLine && java.util.Objects.equals(c.header, header);
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(file, start, end);
  }

  @Override
  public String toString() {
    return file + "[" + start + ", " + end + ") from line " + firstLine;
  }
}
