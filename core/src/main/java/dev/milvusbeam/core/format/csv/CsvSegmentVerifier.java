package dev.milvusbeam.core.format.csv;

import dev.milvusbeam.core.format.StrictJson;
import dev.milvusbeam.core.format.SegmentVerifier;
import dev.milvusbeam.core.format.DataFolder;
import dev.milvusbeam.core.format.VerifyReport;
import dev.milvusbeam.core.format.Problem;
import dev.milvusbeam.core.format.FormatOptions;
import dev.milvusbeam.core.row.Excerpts;
import dev.milvusbeam.core.row.ValidationResult;
import dev.milvusbeam.core.schema.CollectionSchema;
import dev.milvusbeam.core.schema.DataType;
import dev.milvusbeam.core.schema.FieldSchema;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.channels.Channels;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * CSV segments ({@code N.csv}), streamed record by record with Go encoding/csv's rules (what
 * Milvus reads them with): strict UTF-8 without byte-order mark, {@code "}-quoting with {@code ""}
 * escapes, no bare quotes, every record with the header's field count, a final line break. The
 * header must name the columns (in column order: a warning otherwise). Cells are typed by the
 * schema as Milvus does (integers as integer text, {@code true}/{@code false}, JSON text for
 * vectors, arrays, sparse vectors, JSON and {@code $meta}; the null key as null) and each row is
 * checked by the validation rules.
 */
public final class CsvSegmentVerifier extends SegmentVerifier {
  private static final Pattern INTEGER = Pattern.compile("[+-]?[0-9]+");
  private static final Pattern DECIMAL =
      Pattern.compile("[+-]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][+-]?[0-9]+)?");
  private static final Pattern NOT_FINITE = Pattern.compile("(?i)[+-]?(nan|inf|infinity)");

  public CsvSegmentVerifier(CollectionSchema schema, FormatOptions options) {
    super(schema, options);
  }

  @Override
  public long verify(int segment, List<DataFolder.DataFile> files, DataFolder folder,
      VerifyReport report) throws IOException {
    String file = files.get(0).path();
    if (files.get(0).size() == 0) {
      report.problem(file, null, "truncated", "the file is empty (no header row)");
      return 0;
    }
    Reader reader = new InputStreamReader(Channels.newInputStream(folder.open(file)),
        StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT));
    long rows = 0;
    try (CsvRecords in = new CsvRecords(reader, options.csvSeparator())) {
      List<String> header = in.next();
      if (header == null) {
        report.problem(file, null, "truncated", "the file is empty (no header row)");
        return 0;
      }
      if (!header.isEmpty() && header.get(0).startsWith("\uFEFF")) {
        report.problem(file, null, "bom", "the file starts with a UTF-8 byte-order mark: Milvus"
            + " would read it as part of the first column name");
        header.set(0, header.get(0).substring(1));
      }
      Set<String> skip = new HashSet<>();
      boolean checkValues = checkHeader(file, header, skip, report);
      List<String> cells;
      while ((cells = in.next()) != null) {
        rows++;
        if (cells.size() != header.size()) {
          report.add(new Problem(file, rows, in.recordLine(), null, "csv-field-count", "the"
              + " record has " + cells.size() + " fields, the header " + header.size(), null,
              false));
          continue;
        }
        if (checkValues) {
          ValidationResult r = validator.validate(row(header, cells, skip));
          if (!r.isValid()) {
            report(report, file, rows, in.recordLine(), r.violations());
          }
        }
      }
      if (!in.endedWithLineBreak()) {
        report.add(new Problem(file, 0, in.line(), null, "truncated", "the file does not end"
            + " with a line break: truncated or still being written (the last record may be"
            + " cut)", null, false));
      }
    } catch (CsvRecords.CsvException e) {
      report.add(new Problem(file, 0, e.line, null, e.kind, e.getMessage() + "; the rest of"
          + " the file is not checked", null, false));
    } catch (CharacterCodingException e) {
      report.problem(file, null, "invalid-utf8", "the file is not valid UTF-8 after " + rows
          + " row(s)");
    }
    return rows;
  }

  /** Checks the column names; returns false when rows cannot be checked field by field. */
  private boolean checkHeader(String file, List<String> header, Set<String> skip,
      VerifyReport report) {
    boolean ok = true;
    Set<String> seen = new HashSet<>();
    List<String> order = new ArrayList<>();
    for (String name : header) {
      if (!seen.add(name)) {
        report.problem(file, name, "columns", "column '" + Excerpts.of(name) + "' appears twice"
            + " in the header");
        ok = false;
      }
      FieldSchema f = schema.field(name);
      if (f != null && (f.isAutoId() || f.isFunctionOutput())) {
        report.problem(file, name, "columns", f.isAutoId() ? "the auto-id primary key must not"
            + " be a column: Milvus generates it" : "a function output must not be a column:"
            + " Milvus computes it");
        skip.add(name);
      } else if (f == null && !name.equals(FieldSchema.META) && !schema.isDynamicFieldEnabled()) {
        report.problem(file, name, "columns", "column '" + Excerpts.of(name) + "' is not a field"
            + " of the schema (and the dynamic field is disabled)");
        skip.add(name);
      } else if (f != null || name.equals(FieldSchema.META)) {
        order.add(name);
      }
    }
    List<String> expected = new ArrayList<>();
    for (FieldSchema c : schema.columns()) {
      expected.add(c.name());
      if (!seen.contains(c.name())) {
        if (c.acceptsMissing() || c.isDynamicMeta()) {
          report.warning(file, c.name(), "columns", "no column for " + c.describe() + ": every"
              + " row takes " + (c.hasDefault() ? "the default" : c.isDynamicMeta() ? "{}" : "null"));
        } else {
          report.problem(file, c.name(), "columns", "no column for " + c.describe() + ", which"
              + " is neither nullable nor has a default; the rows are not checked further");
          ok = false;
        }
      }
    }
    expected.retainAll(order);
    if (ok && !expected.equals(order)) {
      report.warning(file, null, "column-order", "header " + order + " is not in column order "
          + expected + " (Milvus reads columns by name)");
    }
    return ok;
  }

  /** A record as a row map, cells typed by the schema as Milvus' CSV reader types them. */
  private Map<String, Object> row(List<String> header, List<String> cells, Set<String> skip) {
    Map<String, Object> row = new LinkedHashMap<>(header.size() * 2);
    String nullKey = options.csvNullKey();
    for (int i = 0; i < header.size(); i++) {
      String name = header.get(i);
      if (skip.contains(name)) {
        continue;
      }
      String cell = cells.get(i);
      FieldSchema f = schema.field(name);
      if (name.equals(FieldSchema.META) && schema.isDynamicFieldEnabled()) {
        row.put(name, StrictJson.parseOrText(cell));
      } else if (f == null) {
        row.put(name, cell); // a dynamic field, as text
      } else if (cell.equals(nullKey) && (f.acceptsMissing()
          || (f.dataType() != DataType.VARCHAR && f.dataType() != DataType.TEXT))) {
        row.put(name, null);
      } else {
        row.put(name, cell(f, cell));
      }
    }
    return row;
  }

  private static Object cell(FieldSchema f, String cell) {
    switch (f.dataType()) {
      case BOOL:
        return cell.equals("true") ? Boolean.TRUE : cell.equals("false") ? Boolean.FALSE : cell;
      case INT8: case INT16: case INT32: case INT64:
        return INTEGER.matcher(cell).matches() ? new BigInteger(cell) : cell;
      case FLOAT: case DOUBLE:
        if (NOT_FINITE.matcher(cell).matches()) {
          return Double.NaN;
        }
        return DECIMAL.matcher(cell).matches() ? new BigDecimal(cell) : cell;
      case VARCHAR: case TEXT: case GEOMETRY: case TIMESTAMPTZ: case JSON:
        return cell;
      default: // Array, vectors, sparse vectors: JSON text
        return StrictJson.parseOrText(cell);
    }
  }

  /** RFC 4180 records with Go encoding/csv's strictness; tracks line numbers. */
  static final class CsvRecords implements AutoCloseable {
    private final Reader in;
    private final char sep;
    private final char[] buf = new char[1 << 16];
    private int pos;
    private int len;
    private long line = 1;
    private long recordLine;
    private int last = -1;

    /** A syntax error that stops the reading of the file. */
    static final class CsvException extends IOException {
      private static final long serialVersionUID = 1L;
      final String kind;
      final long line;

      CsvException(String kind, String message, long line) {
        super(message);
        this.kind = kind;
        this.line = line;
      }
    }

    CsvRecords(Reader in, char sep) {
      this.in = in;
      this.sep = sep;
    }

    /** The line the last record started on (1-based). */
    long recordLine() { return recordLine; }

    /** The current line. */
    long line() { return line; }

    /** True when the input ended with {@code \n} (or was empty). */
    boolean endedWithLineBreak() { return last == -1 || last == '\n'; }

    private int read() throws IOException {
      if (pos == len) {
        len = in.read(buf, 0, buf.length);
        pos = 0;
        if (len <= 0) {
          len = 0;
          return -1;
        }
      }
      int c = buf[pos++];
      last = c;
      return c;
    }

    private int peek() throws IOException {
      int before = last;
      int c = read();
      if (c >= 0) {
        pos--;
      }
      last = before;
      return c;
    }

    /** The next record, or null at the end of the input. */
    List<String> next() throws IOException {
      int c = read();
      if (c < 0) {
        return null;
      }
      recordLine = line;
      List<String> fields = new ArrayList<>();
      StringBuilder sb = new StringBuilder();
      while (true) {
        if (c == '"' && sb.length() == 0) {
          c = quoted(sb);
        } else {
          while (c >= 0 && c != sep && c != '\n') {
            if (c == '"') {
              throw new CsvException("structure", "bare \" in a field that is not quoted"
                  + " (quote the field and double the quote)", line);
            }
            if (c == '\r' && peek() == '\n') {
              c = read();
              break;
            }
            sb.append((char) c);
            c = read();
          }
        }
        fields.add(sb.toString());
        sb.setLength(0);
        if (c == sep) {
          c = read();
          if (c < 0 || c == '\n') {
            fields.add("");
            if (c == '\n') {
              line++;
            }
            return fields;
          }
          continue;
        }
        if (c == '\n') {
          line++;
        }
        return fields;
      }
    }

    /** Reads a quoted field after its opening quote; returns the character after it. */
    private int quoted(StringBuilder sb) throws IOException {
      long start = line;
      while (true) {
        int c = read();
        if (c < 0) {
          throw new CsvException("truncated", "the file ends inside a quoted field that starts"
              + " on line " + start + ": truncated or still being written", line);
        }
        if (c == '"') {
          int n = read();
          if (n == '"') {
            sb.append('"');
            continue;
          }
          if (n == '\r' && peek() == '\n') {
            n = read();
          }
          if (n >= 0 && n != sep && n != '\n') {
            throw new CsvException("structure", "extraneous or missing \" in a quoted field", line);
          }
          return n;
        }
        if (c == '\n') {
          line++;
        }
        sb.append((char) c);
      }
    }

    @Override
    public void close() throws IOException {
      in.close();
    }
  }
}
