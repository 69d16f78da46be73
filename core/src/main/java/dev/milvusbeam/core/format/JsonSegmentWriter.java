package dev.milvusbeam.core.format;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import dev.milvusbeam.core.row.ValidRow;
import dev.milvusbeam.core.schema.CollectionSchema;
import dev.milvusbeam.core.schema.FieldSchema;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;

/**
 * JSON ({@code {"rows":[...]}}, "rows" the first and only key) and JSON Lines (one row object per
 * line, {@code \n}) segments. Each row is an object with the columns in schema order; values as
 * {@link JsonValueEncoder} writes them. UTF-8, no BOM, no NaN.
 */
final class JsonSegmentWriter implements SegmentWriter {
  private final List<FieldSchema> columns;
  private final SerializedString[] names;
  private final boolean lines;
  private final CountingOutputStream counter;
  private final JsonGenerator g;
  private long rows;
  private boolean closed;

  JsonSegmentWriter(CollectionSchema schema, OutputStream out, boolean lines) throws IOException {
    this.columns = schema.columns();
    this.names = new SerializedString[columns.size()];
    for (int i = 0; i < names.length; i++) {
      names[i] = new SerializedString(columns.get(i).name());
    }
    this.lines = lines;
    this.counter = new CountingOutputStream(out);
    this.g = JsonValueEncoder.generator(counter);
    if (!lines) {
      g.writeStartObject();
      g.writeFieldName("rows");
      g.writeStartArray();
    }
  }

  @Override
  public void write(ValidRow row) throws IOException {
    g.writeStartObject();
    for (int i = 0; i < names.length; i++) {
      g.writeFieldName(names[i]);
      JsonValueEncoder.write(g, columns.get(i), row.get(i));
    }
    g.writeEndObject();
    if (lines) {
      g.writeRaw('\n');
    }
    rows++;
  }

  @Override
  public long rowCount() {
    return rows;
  }

  @Override
  public long bytesWritten() {
    return counter.count() + g.getOutputBuffered() + (lines || closed ? 0 : 2); // + the final ]}
  }

  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    if (!lines) {
      g.writeEndArray();
      g.writeEndObject();
    }
    g.close();
    counter.close();
  }

  @Override
  public void abort() {
    try {
      counter.close();
    } catch (IOException | RuntimeException ignored) {
      // giving up on this segment: nothing to save
    }
  }
}
