package dev.milvusbeam.core.writer;

import dev.milvusbeam.core.format.SegmentOutput;
import java.io.IOException;
import java.util.List;

/**
 * Where segments are staged and then committed into the data path. A segment's files become
 * visible in the data path only at {@link #commit}, so a crash leaves no partial file there.
 */
public interface SegmentStore {
  /** The data path, {@code <output>/<uuid>}, as the user gave the output (no trailing slash). */
  String dataPath();

  /** A fresh staging area for segment {@code number}; files are named relative to the data path. */
  SegmentOutput begin(int number) throws IOException;

  /** Moves the staged files of the segment into the data path. Idempotent. */
  void commit(int number, List<String> files) throws IOException;

  /** Drops whatever was staged for the segment; never throws. */
  void discard(int number);

  /**
   * Writes (or replaces) the manifest beside the data folder, {@code <dataPath>.manifest.json}
   * ({@link Manifest}). A store with no such place (a test's, an attempt folder) keeps the default,
   * which writes nothing.
   */
  default void writeManifest(byte[] json) throws IOException {}

  /** Removes the staging area once no segment is in progress; never throws. */
  void cleanUp();
}
