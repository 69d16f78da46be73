package dev.milvusbeam.core.format;

import java.io.IOException;
import java.nio.channels.SeekableByteChannel;
import java.util.List;

/**
 * A written data folder as the verifier reads it: the files below the data path with their sizes,
 * and a way to open one. Paths are relative to the data path and use {@code /}, exactly as they
 * appear in the batch files ({@code 1.parquet}, {@code 2/vector.npy}). The io module implements it
 * over Beam file systems (local, {@code s3://}, {@code gs://}, {@code azfs://}); {@code
 * verify.LocalDataFolder} over a local folder.
 */
public interface DataFolder {
  /** One file below the data path. */
  record DataFile(String path, long size) {}

  /** Every file below the data path (not the folders), in any order. */
  List<DataFile> files() throws IOException;

  /** Opens a file for reading; Parquet seeks to its footer first. The caller closes it. */
  SeekableByteChannel open(String path) throws IOException;

  /** Where the folder is, for messages. */
  String location();
}
