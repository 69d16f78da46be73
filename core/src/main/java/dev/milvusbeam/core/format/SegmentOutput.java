package dev.milvusbeam.core.format;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Where the files of one segment are created. Paths are relative to the data path, exactly as they
 * will appear in the batch files: {@code 1.parquet}, or {@code 1/vector.npy} for NumPy. The store
 * behind it decides where bytes really go (a temp folder that is renamed on commit, a bucket ...).
 */
public interface SegmentOutput {
  /** Creates (or replaces) a file; the caller closes the stream. Parents are created as needed. */
  OutputStream create(String relativePath) throws IOException;
}
