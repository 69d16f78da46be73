package dev.milvusbeam.pipelines;

import java.io.Serializable;
import java.util.List;

/**
 * A piece of one input file that one worker reads: bytes {@code [start, end)} beginning at a
 * record boundary, the 1-based line (Parquet: record number) of its first record, and for CSV the
 * file's header. A compressed file is one chunk (it cannot be entered in the middle). A file
 * found unreadable while planning is one chunk that says why ({@link #unreadable}): reading it
 * gives the one record the row parser rejects, so a damaged file reaches the failures the way
 * every rejected row does.
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
  /** What makes the whole file unreadable (the violation's message), or null. */
  final String unreadable;

  FileChunk(String file, String compression, long start, long end, long firstLine,
      List<String> header) {
    this(file, compression, start, end, firstLine, header, null);
  }

  private FileChunk(String file, String compression, long start, long end, long firstLine,
      List<String> header, String unreadable) {
    this.unreadable = unreadable;
    this.file = file;
    this.compression = compression;
    this.start = start;
    this.end = end;
    this.firstLine = firstLine;
    this.header = header;
  }

  /** The whole of {@code file} cannot be read, for the reason given: no byte of it is read. */
  static FileChunk unreadable(String file, String problem) {
    return new FileChunk(file, "UNCOMPRESSED", 0, 0, 0, null, problem);
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof FileChunk)) {
      return false;
    }
    FileChunk c = (FileChunk) o;
    return c.file.equals(file) && c.compression.equals(compression) && c.start == start
        && c.end == end && c.firstLine == firstLine && java.util.Objects.equals(c.header, header)
        && java.util.Objects.equals(c.unreadable, unreadable);
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
