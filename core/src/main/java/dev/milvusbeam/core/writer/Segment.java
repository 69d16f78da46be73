package dev.milvusbeam.core.writer;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A written segment: the folder it is in (a data path, or the temp folder of the attempt that
 * wrote it), its number there, each file with its size and CRC32C (paths relative to the folder:
 * {@code 1.parquet}, or {@code 1/vector.npy} for NumPy), and its row count. What a segment's bytes
 * and file group are is derived from its files.
 */
public record Segment(String folder, int number, List<FileDigest> files, long rows)
    implements Serializable, Comparable<Segment> {

  public Segment {
    Objects.requireNonNull(folder, "folder");
    files = List.copyOf(files);
  }

  /** Bytes of all the segment's files. */
  public long bytes() {
    long n = 0;
    for (FileDigest f : files) {
      n += f.bytes();
    }
    return n;
  }

  /** The file names relative to {@link #folder()}, in order. */
  public List<String> fileNames() {
    List<String> names = new ArrayList<>(files.size());
    for (FileDigest f : files) {
      names.add(f.path());
    }
    return names;
  }

  /** The files' full paths ({@code folder/name}): the Import API's file group when in place. */
  public List<String> paths() {
    List<String> paths = new ArrayList<>(files.size());
    for (FileDigest f : files) {
      paths.add(folder + "/" + f.path());
    }
    return paths;
  }

  /** A stable order (folder, then number), so a retried finalize numbers segments the same way. */
  @Override
  public int compareTo(Segment o) {
    int c = folder.compareTo(o.folder);
    return c != 0 ? c : Integer.compare(number, o.number);
  }

  @Override
  public String toString() {
    return folder + " segment " + number + " " + fileNames() + " rows=" + rows + " bytes="
        + bytes();
  }
}
