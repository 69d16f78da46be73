package dev.milvusbeam.io;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.milvusbeam.core.row.Violation;
import java.io.IOException;
import java.io.Serializable;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Objects;

/**
 * A rejected row: the input as text, where it came from (when known), and every violation with
 * field, rule, message, shortened value and primary key.
 */
public final class FailedRow implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final JsonFactory JSON = new JsonFactory();

  private final String row;
  private final String source;
  private final long line;
  private final List<Violation> violations;

  public FailedRow(String row, String source, long line, List<Violation> violations) {
    this.row = row;
    this.source = source;
    this.line = line;
    this.violations = List.copyOf(violations);
  }

  /** The input row as text (JSON where it could be written as JSON). */
  public String row() { return row; }
  /** The input file, or null. */
  public String source() { return source; }
  /** 1-based line in the input file, or 0 when unknown. */
  public long line() { return line; }
  public List<Violation> violations() { return violations; }

  public String primaryKey() {
    return violations.isEmpty() ? null : violations.get(0).primaryKey();
  }

  /**
   * One JSON Lines record:
   * {@code {"input":…,"line":N,"primaryKey":…,"violations":[{"field","rule","message","value"}],"row":…}}.
   */
  public String toJson() {
    StringWriter w = new StringWriter();
    try (JsonGenerator g = JSON.createGenerator(w)) {
      g.writeStartObject();
      if (source != null) {
        g.writeStringField("input", source);
      }
      if (line > 0) {
        g.writeNumberField("line", line);
      }
      if (primaryKey() != null) {
        g.writeStringField("primaryKey", primaryKey());
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
      g.writeStringField("row", row);
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return w.toString();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FailedRow && ((FailedRow) o).row.equals(row)
        && Objects.equals(((FailedRow) o).source, source) && ((FailedRow) o).line == line
        && ((FailedRow) o).violations.equals(violations);
  }

  @Override
  public int hashCode() {
    return Objects.hash(row, source, line);
  }

  @Override
  public String toString() {
    return toJson();
  }
}
