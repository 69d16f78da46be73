package dev.milvusbeam.core.format.csv;

import dev.milvusbeam.core.format.ByteSink;
import dev.milvusbeam.core.format.CountingOutputStream;
import dev.milvusbeam.core.format.JsonValueEncoder;
import dev.milvusbeam.core.format.RowPipeline;
import dev.milvusbeam.core.format.FormatOptions;
import dev.milvusbeam.core.format.SegmentWriter;
import com.fasterxml.jackson.core.io.NumberOutput;
import dev.milvusbeam.core.row.JsonText;
import dev.milvusbeam.core.row.ValidRow;
import dev.milvusbeam.core.schema.CollectionSchema;
import dev.milvusbeam.core.schema.DataType;
import dev.milvusbeam.core.schema.FieldSchema;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * CSV segments (RFC 4180, as Milvus 2.5+ reads them with Go's encoding/csv): a header of the
 * column names, {@code "}-quoting with {@code ""} escapes only where a cell holds the separator, a
 * quote or a line break, {@code \n} line ends, UTF-8 without BOM. Null is the null key. Bool is
 * {@code true}/{@code false}; vectors, arrays, sparse vectors, JSON and {@code $meta} are JSON text.
 * Rows are encoded in batches on every core and written in order ({@link RowPipeline}).
 */
final class CsvSegmentWriter implements SegmentWriter {
  private final CountingOutputStream out;
  private final long headerBytes;
  private final RowPipeline pipeline;
  private long rows;
  private boolean closed;

  CsvSegmentWriter(CollectionSchema schema, FormatOptions options, OutputStream out)
      throws IOException {
    this(schema, options, out, true);
  }

  /** @param background false to encode on the caller's thread only (tests) */
  CsvSegmentWriter(CollectionSchema schema, FormatOptions options, OutputStream out,
      boolean background) throws IOException {
    List<FieldSchema> columns = schema.columns();
    char s = options.csvSeparator();
    if (s > 0x7f) {
      throw new IllegalArgumentException("CSV separator must be an ASCII character, got '" + s + "'");
    }
    byte sep = (byte) s;
    byte[] nullKey = options.csvNullKey().getBytes(StandardCharsets.UTF_8);
    this.out = new CountingOutputStream(out);
    ByteSink header = new ByteSink(256);
    for (int i = 0; i < columns.size(); i++) {
      if (i > 0) {
        header.write(sep);
      }
      byte[] name = columns.get(i).name().getBytes(StandardCharsets.UTF_8);
      writeCell(header, sep, name, name.length);
    }
    header.write('\n');
    header.writeTo(this.out);
    this.headerBytes = header.size();
    this.pipeline = new RowPipeline(this.out, () -> new RowEncoder(columns, sep, nullKey),
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

  /** Writes a cell, quoted when it holds the separator, a quote, CR or LF. */
  private static void writeCell(ByteSink out, byte sep, byte[] b, int n) {
    boolean quote = false;
    for (int i = 0; i < n && !quote; i++) {
      byte x = b[i];
      quote = x == sep || x == '"' || x == '\n' || x == '\r';
    }
    if (!quote) {
      out.write(b, 0, n);
      return;
    }
    out.write('"');
    int start = 0;
    for (int i = 0; i < n; i++) {
      if (b[i] == '"') {
        out.write(b, start, i + 1 - start);
        out.write('"');
        start = i + 1;
      }
    }
    out.write(b, start, n - start);
    out.write('"');
  }

  @Override
  public long rowCount() {
    return rows;
  }

  @Override
  public long bytesWritten() {
    return closed ? out.count() : headerBytes + pipeline.bytesEstimate();
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
    out.close();
  }

  @Override
  public void abort() {
    closed = true;
    pipeline.abort();
    try {
      out.close();
    } catch (IOException | RuntimeException ignored) {
      // giving up on this segment: nothing to save
    }
  }

  /** One line per row. */
  private static final class RowEncoder implements RowPipeline.BatchEncoder {
    private final List<FieldSchema> columns;
    private final byte sep;
    private final byte[] nullKey;
    /** Whether the JSON text of a numeric vector holds the separator apart from its commas. */
    private final boolean bracketSeparator;
    /** The JSON text of arrays and sparse vectors before it is quoted into the line. */
    private final ByteSink cell = new ByteSink(8192);
    private final JsonValueEncoder cellJson;
    private ByteSink sink;
    private JsonValueEncoder lineJson;

    RowEncoder(List<FieldSchema> columns, byte sep, byte[] nullKey) throws IOException {
      this.columns = columns;
      this.sep = sep;
      this.nullKey = nullKey;
      this.bracketSeparator = sep == '[' || sep == ']';
      this.cellJson = new JsonValueEncoder(cell);
    }

    @Override
    public void encode(List<ValidRow> rows, boolean first, ByteSink out) throws IOException {
      if (out != sink) { // the slot's sink: the same one every time
        sink = out;
        lineJson = new JsonValueEncoder(out);
      }
      for (ValidRow row : rows) {
        for (int i = 0; i < columns.size(); i++) {
          if (i > 0) {
            out.write(sep);
          }
          Object v = row.get(i);
          if (v == null) {
            out.write(nullKey);
          } else {
            writeValue(out, columns.get(i), v);
          }
        }
        out.write('\n');
      }
    }

    private void writeValue(ByteSink out, FieldSchema c, Object v) throws IOException {
      DataType t = c.dataType();
      switch (t) {
        case BOOL: case INT8: case INT16: case INT32: case INT64: case FLOAT:
          // numbers and booleans: the separator is never one of their characters
          lineJson.write(c, v);
          return;
        case DOUBLE:
          out.writeAscii(NumberOutput.toString((Double) v, true));
          return;
        case VARCHAR: case TEXT: case GEOMETRY: case TIMESTAMPTZ: {
          byte[] b = ((String) v).getBytes(StandardCharsets.UTF_8);
          writeCell(out, sep, b, b.length);
          return;
        }
        case JSON: {
          byte[] b = ((JsonText) v).text().getBytes(StandardCharsets.UTF_8);
          writeCell(out, sep, b, b.length);
          return;
        }
        case FLOAT_VECTOR: case BINARY_VECTOR: case INT8_VECTOR: case FLOAT16_VECTOR:
        case BFLOAT16_VECTOR: {
          // [n,n,...]: no quote or line break; holds the separator only if it is a bracket, or
          // a comma between two values. Encoded straight into the line.
          int values = v instanceof float[] ? ((float[]) v).length
              : t == DataType.FLOAT16_VECTOR || t == DataType.BFLOAT16_VECTOR
                  ? ((byte[]) v).length / 2 : ((byte[]) v).length;
          boolean quote = bracketSeparator || (sep == ',' && values > 1);
          if (quote) {
            out.write('"');
          }
          lineJson.write(c, v);
          if (quote) {
            out.write('"');
          }
          return;
        }
        default:
          cell.reset();
          cellJson.write(c, v);
          writeCell(out, sep, cell.array(), cell.size());
      }
    }
  }
}
