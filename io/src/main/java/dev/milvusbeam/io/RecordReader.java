package dev.milvusbeam.io;

import java.io.IOException;
import java.io.Serializable;
import org.apache.beam.sdk.coders.Coder;

/**
 * Reads the records one input element holds (a chunk of a file, a batch of rows), inside the step
 * that validates and writes them: {@link MilvusIO#write(RecordReader, RowParser)}. No record is
 * encoded, stored or shuffled between the reader and the segment writer on any runner, also on
 * those that do not fuse steps (Beam's Direct runner holds each step's whole output in memory).
 *
 * <p>A retried bundle reads its elements again: {@code read} must give the same records each time.
 */
@FunctionalInterface
public interface RecordReader<T, R> extends Serializable {
  /** Gives each record of {@code element} to {@code records}, in order. */
  void read(T element, Records<R> records) throws IOException;

  /**
   * The records' coder, for a write whose records must travel between steps ({@code
   * withPrimaryKeyDeduplication()} groups them by primary key; refused there without one).
   */
  default Coder<R> recordCoder() {
    return null;
  }

  /** Where the records go. */
  @FunctionalInterface
  interface Records<R> {
    void add(R record) throws IOException;
  }
}
