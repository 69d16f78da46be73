package dev.milvusbeam.io;

import dev.milvusbeam.core.row.ValidRow;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.CoderException;
import org.apache.beam.sdk.coders.CustomCoder;

/**
 * Valid rows packed into bytes ({@link ValidRowCoder}, one after another) inside the step that
 * validated them: what crosses a shuffle or batching state when rows must (a bounded bundle's
 * spilled tail, unbounded input), so that it stores, weighs and copies one element per chunk,
 * not one per row.
 */
record RowChunk(byte[] bytes, int rows, long estimatedBytes) implements Serializable {
  /** Chunks are cut at about this many bytes. */
  static final int CHUNK_BYTES = 8 << 20;

  /** Packs {@code rows} into chunks of about {@link #CHUNK_BYTES}. */
  static List<RowChunk> pack(List<ValidRow> rows, ValidRowCoder coder) throws IOException {
    List<RowChunk> chunks = new ArrayList<>();
    Builder b = null;
    for (ValidRow r : rows) {
      if (b == null) {
        b = new Builder(coder);
      }
      b.add(r);
      if (b.size() >= CHUNK_BYTES) {
        chunks.add(b.build());
        b = null;
      }
    }
    if (b != null) {
      chunks.add(b.build());
    }
    return chunks;
  }

  /** Hands each row to {@code sink}, in order. */
  void read(ValidRowCoder coder, SegmentSpec.RowSink sink) throws IOException {
    ByteArrayInputStream in = new ByteArrayInputStream(bytes);
    for (int i = 0; i < rows; i++) {
      sink.accept(coder.decode(in));
    }
  }

  /**
   * The coder of chunks: row count, estimate, then the bytes as they are. Not Java serialization
   * ({@code SerializableCoder}), which spent more time than the rows' own encoding: runners copy
   * a chunk through its coder on every shuffle, and the Direct runner's group step copies the
   * whole bag of a key for each bundle that adds to it (CopyOnAccessInMemoryStateInternals).
   */
  static final class ChunkCoder extends CustomCoder<RowChunk> {
    private static final long serialVersionUID = 1L;
    static final ChunkCoder INSTANCE = new ChunkCoder();

    private ChunkCoder() {}

    @Override
    public void encode(RowChunk chunk, OutputStream os) throws IOException {
      DataOutputStream out = new DataOutputStream(os);
      out.writeInt(chunk.rows);
      out.writeLong(chunk.estimatedBytes);
      out.writeInt(chunk.bytes.length);
      out.write(chunk.bytes);
      out.flush();
    }

    @Override
    public RowChunk decode(InputStream is) throws IOException {
      DataInputStream in = new DataInputStream(is);
      int rows = in.readInt();
      long estimated = in.readLong();
      int length = in.readInt();
      if (rows < 0 || length < 0) {
        throw new CoderException("corrupt row chunk: " + rows + " rows, " + length + " bytes");
      }
      byte[] bytes = new byte[length];
      in.readFully(bytes);
      return new RowChunk(bytes, rows, estimated);
    }

    @Override
    public void verifyDeterministic() {}

    @Override
    protected long getEncodedElementByteSize(RowChunk chunk) {
      return 16L + chunk.bytes.length;
    }

    private Object readResolve() {
      return INSTANCE;
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
      return new RowChunk(out.toByteArray(), rows, estimated);
    }
  }
}
