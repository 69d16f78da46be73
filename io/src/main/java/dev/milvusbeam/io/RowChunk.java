package dev.milvusbeam.io;

import dev.milvusbeam.core.row.ValidRow;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.util.List;

/**
 * Valid rows packed into bytes ({@link ValidRowCoder}, one after another) inside the step that
 * validated them: what crosses a shuffle or batching state when rows must (unbounded input), so
 * that it stores, weighs and copies one element per chunk, not one per row. A bounded bundle's
 * spilled tail is the same bytes in a file of its attempt's temp folder instead ({@link #spill}):
 * then only the file's name, row count and size cross the shuffle (Beam's WriteFiles and
 * IcebergIO pass files the same way), not the rows, which runners copy through their coder
 * (the Direct runner once for every bundle that adds to the group).
 *
 * @param bytes the packed rows, or null when they are in {@code file}
 * @param file the spill file holding the packed rows, or null
 */
record RowChunk(byte[] bytes, String file, int rows, long estimatedBytes)
    implements Serializable {
  /** Chunks are cut at about this many bytes. */
  static final int CHUNK_BYTES = 8 << 20;

  /**
   * Writes {@code rows} packed into the file {@code path} (created; a failed attempt's file is
   * deleted with its attempt folder) and returns the chunk naming it.
   */
  static RowChunk spill(List<ValidRow> rows, ValidRowCoder coder, String path)
      throws IOException {
    long estimated = 0;
    try (OutputStream out = BeamFiles.create(path)) {
      for (ValidRow r : rows) {
        coder.encode(r, out);
        estimated += r.estimatedBytes();
      }
    }
    return new RowChunk(null, path, rows.size(), estimated);
  }

  /** Hands each row to {@code sink}, in order. */
  void read(ValidRowCoder coder, SegmentSpec.RowSink sink) throws IOException {
    try (InputStream in = bytes != null ? new ByteArrayInputStream(bytes)
        : BeamFiles.open(file)) {
      for (int i = 0; i < rows; i++) {
        sink.accept(coder.decode(in));
      }
    }
  }

  /** Packs rows into one chunk. */
  static final class Builder {
    private final ValidRowCoder coder;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream(1 << 16);
    private int rows;
    private long estimated;

    Builder(ValidRowCoder coder) {
      this.coder = coder;
    }

    void add(ValidRow row) throws IOException {
      coder.encode(row, out);
      rows++;
      estimated += row.estimatedBytes();
    }

    int size() {
      return out.size();
    }

    RowChunk build() {
      return new RowChunk(out.toByteArray(), null, rows, estimated);
    }
  }
}
