package dev.milvusbeam.core.format;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;

/**
 * Where the files of one segment are created. Paths are relative to the data path, exactly as they
 * will appear in the batch files: {@code 1.parquet}, or {@code 1/vector.npy} for NumPy. The store
 * behind it decides where bytes really go (a temp folder that is renamed on commit, a bucket ...).
 */
public interface SegmentOutput {
  /** Creates (or replaces) a file; the caller closes the stream. Parents are created as needed. */
  OutputStream create(String relativePath) throws IOException;

  /**
   * Creates (or replaces) the file as a local file that can be written at any position, or
   * returns null when this output can only stream (object storage: the default). The NumPy writer
   * then writes fixed-width columns in place, once, and their header last, instead of spooling
   * them to a temp file first. The caller closes the channel; like {@link #create}, a file of a
   * segment that is given up stays where it is until the store discards it.
   */
  default FileChannel createRandomAccess(String relativePath) throws IOException {
    return null;
  }
}
