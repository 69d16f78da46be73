package dev.milvusbeam.pipelines;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.milvusbeam.core.row.Violation;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.util.List;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.util.MimeTypes;

/**
 * Rejected rows as JSON Lines, one object per row:
 * {@code {"input":FILE,"line":N,"primaryKey":…,"violations":[{"field","rule","message","value"}],"row":TEXT}}
 * ({@code line} is 1-based; {@code row} is the input line as it was read).
 */
final class FailureLog implements AutoCloseable {
  private static final JsonFactory JSON = new JsonFactory();
  private final String path;
  private final JsonGenerator g;
  private long count;

  FailureLog(String path) throws IOException {
    this.path = path;
    OutputStream out = Channels.newOutputStream(
        FileSystems.create(FileSystems.matchNewResource(path, false), MimeTypes.TEXT));
    this.g = JSON.createGenerator(new BufferedOutputStream(out, 1 << 16), JsonEncoding.UTF8);
    g.setRootValueSeparator(null);
  }

  String path() {
    return path;
  }

  long count() {
    return count;
  }

  void reject(String input, long line, String rowText, List<Violation> violations)
      throws IOException {
    g.writeStartObject();
    g.writeStringField("input", input);
    g.writeNumberField("line", line);
    String pk = violations.isEmpty() ? null : violations.get(0).primaryKey();
    if (pk != null) {
      g.writeStringField("primaryKey", pk);
    }
    g.writeArrayFieldStart("violations");
    for (Violation v : violations) {
      g.writeStartObject();
      if (v.field() != null) {
        g.writeStringField("field", v.field());
      }
      g.writeStringField("rule", v.rule().code());
      g.writeStringField("message", v.message());
      if (v.value() != null) {
        g.writeStringField("value", v.value());
      }
      g.writeEndObject();
    }
    g.writeEndArray();
    g.writeStringField("row", rowText);
    g.writeEndObject();
    g.writeRaw('\n');
    count++;
  }

  @Override
  public void close() throws IOException {
    g.close();
  }
}
