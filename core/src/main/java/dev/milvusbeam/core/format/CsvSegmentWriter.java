package dev.milvusbeam.core.format;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.NumberOutput;
import dev.milvusbeam.core.row.JsonText;
import dev.milvusbeam.core.row.ValidRow;
import dev.milvusbeam.core.schema.CollectionSchema;
import dev.milvusbeam.core.schema.FieldSchema;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * CSV segments (RFC 4180, as Milvus 2.5+ reads them with Go's encoding/csv): a header of the
 * column names, {@code "}-quoting with {@code ""} escapes only where a cell holds the separator, a
 * quote or a line break, {@code \n} line ends, UTF-8 without BOM. Null is the null key. Bool is
 * {@code true}/{@code false}; vectors, arrays, sparse vectors, JSON and {@code $meta} are JSON text.
 */
final class CsvSegmentWriter implements SegmentWriter {
  private final List<FieldSchema> columns;
  private final byte sep;
  private final byte[] nullKey;
  private final CountingOutputStream out;
  private final CellBuffer cell = new CellBuffer();
  private final JsonGenerator json;
  private long rows;

  CsvSegmentWriter(CollectionSchema schema, FormatOptions options, OutputStream out)
      throws IOException {
    this.columns = schema.columns();
    char s = options.csvSeparator();
    if (s > 0x7f) {
      throw new IllegalArgumentException("CSV separator must be an ASCII character, got '" + s + "'");
    }
    this.sep = (byte) s;
    this.nullKey = options.csvNullKey().getBytes(StandardCharsets.UTF_8);
    this.out = new CountingOutputStream(new java.io.BufferedOutputStream(out, 1 << 16));
    this.json = JsonValueEncoder.generator(cell);
    for (int i = 0; i < columns.size(); i++) {
      if (i > 0) {
        this.out.write(sep);
      }
      writeCell(columns.get(i).name().getBytes(StandardCharsets.UTF_8));
    }
    this.out.write('\n');
  }

  @Override
  public void write(ValidRow row) throws IOException {
    for (int i = 0; i < columns.size(); i++) {
      if (i > 0) {
        out.write(sep);
      }
      Object v = row.get(i);
      if (v == null) {
        out.write(nullKey);
        continue;
      }
      FieldSchema c = columns.get(i);
      String text = scalarText(c, v);
      if (text != null) {
        writeAscii(text); // numbers and booleans: the separator is never one of their characters
      } else if (v instanceof String) {
        writeCell(((String) v).getBytes(StandardCharsets.UTF_8));
      } else if (v instanceof JsonText) {
        writeCell(((JsonText) v).text().getBytes(StandardCharsets.UTF_8));
      } else {
        cell.reset();
        JsonValueEncoder.write(json, c, v);
        json.flush();
        writeCell(cell.bytes(), cell.size());
      }
    }
    out.write('\n');
    rows++;
  }

  /** The cell of a Bool, integer, Float or Double value; null for other types. */
  static String scalarText(FieldSchema c, Object v) {
    switch (c.dataType()) {
      case BOOL: case INT8: case INT16: case INT32: case INT64: return v.toString();
      case FLOAT: return NumberOutput.toString((Float) v, true);
      case DOUBLE: return NumberOutput.toString((Double) v, true);
      default: return null;
    }
  }

  /** The unquoted cell text of a non-null value, exactly as {@link #write} writes it. */
  static String cellText(FieldSchema c, Object v) {
    String text = scalarText(c, v);
    if (text != null) {
      return text;
    }
    if (v instanceof String) {
      return (String) v;
    }
    if (v instanceof JsonText) {
      return ((JsonText) v).text();
    }
    CellBuffer buf = new CellBuffer();
    try (JsonGenerator g = JsonValueEncoder.generator(buf)) {
      JsonValueEncoder.write(g, c, v);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return buf.toString(StandardCharsets.UTF_8);
  }

  private void writeAscii(String s) throws IOException {
    for (int i = 0; i < s.length(); i++) {
      out.write(s.charAt(i));
    }
  }

  private void writeCell(byte[] b) throws IOException {
    writeCell(b, b.length);
  }

  /** Writes a cell, quoted when it holds the separator, a quote, CR or LF. */
  private void writeCell(byte[] b, int n) throws IOException {
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
    return out.count();
  }

  @Override
  public void close() throws IOException {
    json.close();
    out.close();
  }

  @Override
  public void abort() {
    try {
      out.close();
    } catch (IOException | RuntimeException ignored) {
      // giving up on this segment: nothing to save
    }
  }

  /** A reusable byte buffer whose contents can be read without a copy. */
  private static final class CellBuffer extends ByteArrayOutputStream {
    CellBuffer() {
      super(8192);
    }

    byte[] bytes() {
      return buf;
    }
  }
}
