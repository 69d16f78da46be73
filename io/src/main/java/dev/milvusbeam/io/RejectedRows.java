package dev.milvusbeam.io;

import java.io.Serializable;

/**
 * How many rows of a window (and pane) validation rejected, reported in its manifest; and, when
 * the write keeps a failures file ({@link MilvusIO.Write#withFailuresFile}), the staged file of
 * one bundle attempt that holds them ({@link StageRejectedFn}), null otherwise.
 *
 * @param count rejected rows
 * @param staged the staged failures file these rows are in, or null
 */
record RejectedRows(long count, String staged) implements Serializable {
  RejectedRows(long count) {
    this(count, null);
  }
}
