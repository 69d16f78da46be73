package dev.milvusbeam.core.format.json;

import dev.milvusbeam.core.format.ByteSink;
import dev.milvusbeam.core.format.CountingOutputStream;
import dev.milvusbeam.core.format.JsonValueEncoder;
import dev.milvusbeam.core.format.RowPipeline;
import dev.milvusbeam.core.format.SegmentWriter;
import com.fasterxml.jackson.core.io.SerializedString;
import dev.milvusbeam.core.row.ValidRow;
import dev.milvusbeam.core.schema.CollectionSchema;
import dev.milvusbeam.core.schema.FieldSchema;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * JSON ({@code {"rows":[...]}}, "rows" the first and only key) and JSON Lines (one row object per
 * line, {@code \n}) segments. Each row is an object with the columns in schema order; values as
 * {@link JsonValueEncoder} writes them. UTF-8, no BOM, no NaN. Rows are encoded in batches on
 * every core and written in order ({@link RowPipeline}).
 */
public final class JsonSegmentWriter implements SegmentWriter {
  private static final byte[] START = "{\"rows\":[".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] END = {']', '}'};

  private final boolean lines;
  private final CountingOutputStream counter;
  private final RowPipeline pipeline;
  private long rows;
  private boolean closed;

  public JsonSegmentWriter(CollectionSchema schema, OutputStream out, boolean lines) throws IOException {
    this(schema, out, lines, true);
  }

  /** @param background false to encode on the caller's thread only (tests) */
  JsonSegmentWriter(CollectionSchema schema, OutputStream out, boolean lines, boolean background)
      throws IOException {
    List<FieldSchema> columns = schema.columns();
    byte[][] names = new byte[columns.size()][];
    for (int i = 0; i < names.length; i++) {
      // "name": with the name escaped as JSON
      byte[] quoted = new SerializedString(columns.get(i).name()).asQuotedUTF8();
      byte[] n = new byte[quoted.length + 3];
      n[0] = '"';
      System.arraycopy(quoted, 0, n, 1, quoted.length);
      n[n.length - 2] = '"';
      n[n.length - 1] = ':';
      names[i] = n;
    }
    this.lines = lines;
    this.counter = new CountingOutputStream(out);
    if (!lines) {
      counter.write(START);
    }
    this.pipeline = new RowPipeline(counter, () -> new RowEncoder(columns, names, lines),
        background);
  }

  @Override
  public void write(ValidRow row) throws IOException {
    if (closed) {
      throw new IllegalStateException("the segment is already closed");
    }
    pipeline.add(row);
    rows++;
  }

  @Override
  public long rowCount() {
    return rows;
  }

  @Override
  public long bytesWritten() {
    if (closed) {
      return counter.count();
    }
    return (lines ? 0 : START.length + END.length) + pipeline.bytesEstimate();
  }

  @Override
  public long pendingBytes() {
    return closed ? 0 : pipeline.pendingEstimate();
  }

  @Override
  public void settle() throws IOException {
    if (!closed) {
      pipeline.settle();
    }
  }

  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    pipeline.finish();
    if (!lines) {
      counter.write(END);
    }
    counter.close();
  }

  @Override
  public void abort() {
    closed = true;
    pipeline.abort();
    try {
      counter.close();
    } catch (IOException | RuntimeException ignored) {
      // giving up on this segment: nothing to save
    }
  }

  /** Row objects, comma-separated (JSON) or one per line (JSONL). */
  private static final class RowEncoder implements RowPipeline.BatchEncoder {
    private final List<FieldSchema> columns;
    private final byte[][] names;
    private final boolean lines;
    private ByteSink sink;
    private JsonValueEncoder values;

    RowEncoder(List<FieldSchema> columns, byte[][] names, boolean lines) {
      this.columns = columns;
      this.names = names;
      this.lines = lines;
    }

    @Override
    public void encode(List<ValidRow> rows, boolean first, ByteSink out) throws IOException {
      if (out != sink) { // the slot's sink: the same one every time
        sink = out;
        values = new JsonValueEncoder(out);
      }
      for (int r = 0; r < rows.size(); r++) {
        if (!lines && (r > 0 || !first)) {
          out.write(',');
        }
        ValidRow row = rows.get(r);
        out.write('{');
        for (int i = 0; i < names.length; i++) {
          if (i > 0) {
            out.write(',');
          }
          out.write(names[i]);
          values.write(columns.get(i), row.get(i));
        }
        out.write('}');
        if (lines) {
          out.write('\n');
        }
      }
    }
  }
}
