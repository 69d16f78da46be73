package dev.milvusbeam.core.format.json;

import dev.milvusbeam.core.format.StrictJson;
import dev.milvusbeam.core.format.SegmentVerifier;
import dev.milvusbeam.core.format.DataFolder;
import dev.milvusbeam.core.format.VerifyReport;
import dev.milvusbeam.core.format.Problem;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.milvusbeam.core.format.FormatOptions;
import dev.milvusbeam.core.row.Excerpts;
import dev.milvusbeam.core.row.ValidationResult;
import dev.milvusbeam.core.schema.CollectionSchema;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * JSON ({@code N.json}) and JSON Lines ({@code N.jsonl}) segments, streamed with Jackson one row
 * at a time. JSON: {@code {"rows":[ … ]}} with {@code rows} the first and only key, or a bare
 * list of rows (what the Java SDK writes; Milvus reads both). JSONL: one row object per line, no
 * blank lines. No byte-order mark. Each row is checked by the validation rules, with a {@code
 * $meta} given as text holding an object read as that object (Milvus does), and integers that
 * must be integer tokens.
 */
public final class JsonSegmentVerifier extends SegmentVerifier {
  /** A JSON Lines row longer than this is reported, not read. */
  static final int MAX_LINE_BYTES = 256 << 20;

  private final boolean lines;

  public JsonSegmentVerifier(CollectionSchema schema, FormatOptions options, boolean lines) {
    super(schema, options);
    this.lines = lines;
  }

  @Override
  public long verify(int segment, List<DataFolder.DataFile> files, DataFolder folder,
      VerifyReport report) throws IOException {
    DataFolder.DataFile file = files.get(0);
    if (file.size() == 0) {
      report.problem(file.path(), null, "truncated", "the file is empty");
      return 0;
    }
    try (InputStream in = new BufferedInputStream(Channels.newInputStream(folder.open(file.path())),
        1 << 16)) {
      in.mark(3);
      byte[] bom = in.readNBytes(3);
      if (bom.length == 3 && (bom[0] & 0xff) == 0xef && (bom[1] & 0xff) == 0xbb
          && (bom[2] & 0xff) == 0xbf) {
        report.problem(file.path(), null, "bom", "the file starts with a UTF-8 byte-order mark,"
            + " which Milvus' JSON reader does not accept");
      } else {
        in.reset();
      }
      return lines ? verifyLines(file.path(), in, report)
          : verifyDocument(file.path(), file.size(), in, report);
    }
  }

  private long verifyDocument(String file, long size, InputStream in, VerifyReport report)
      throws IOException {
    long rows = 0;
    long line = 1;
    try (JsonParser p = StrictJson.JSON.createParser(in)) {
      JsonToken t = p.nextToken();
      boolean object = t == JsonToken.START_OBJECT;
      if (object) {
        t = p.nextToken();
        if (t != JsonToken.FIELD_NAME || !p.currentName().equalsIgnoreCase("rows")) {
          report.problem(file, null, "structure", "the first key of the document must be \"rows\""
              + (t == JsonToken.FIELD_NAME ? ", not \"" + Excerpts.of(p.currentName()) + "\"" : ""));
          return 0;
        }
        t = p.nextToken();
        if (t != JsonToken.START_ARRAY) {
          report.problem(file, null, "structure", "\"rows\" must be a list of row objects");
          return 0;
        }
      } else if (t != JsonToken.START_ARRAY) {
        report.problem(file, null, "structure", "the document must be {\"rows\": [ … ]} (or a"
            + " list of rows)");
        return 0;
      }
      while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
        if (t == null) {
          throw new JsonEOFException(p, null, "end of input inside the rows list");
        }
        rows++;
        line = p.currentTokenLocation().getLineNr();
        if (t != JsonToken.START_OBJECT) {
          report.add(new Problem(file, rows, line, null, "not-an-object",
              "a row must be a JSON object, not " + t.asString(), null, false));
          p.skipChildren();
          continue;
        }
        checkRow(file, rows, line, (ObjectNode) StrictJson.VALUE.readValue(p), report);
      }
      if (object) {
        t = p.nextToken();
        if (t == JsonToken.FIELD_NAME) {
          report.problem(file, null, "structure", "\"rows\" must be the only key; \""
              + Excerpts.of(p.currentName()) + "\" follows it");
          return rows;
        }
        if (t != JsonToken.END_OBJECT) {
          throw new JsonEOFException(p, null, "end of input before the closing }");
        }
      }
      if (p.nextToken() != null) {
        report.problem(file, null, "structure", "data after the end of the JSON document");
      }
    } catch (JsonEOFException e) {
      report.add(new Problem(file, 0, e.getLocation() == null ? line : e.getLocation().getLineNr(),
          null, "truncated", "the file ends inside the JSON document after " + rows + " row(s):"
              + " truncated or still being written", null, false));
    } catch (JsonProcessingException e) {
      // a literal cut short at the end of the file ("fa") is a syntax error to Jackson
      boolean atEnd = e.getLocation() != null && e.getLocation().getByteOffset() >= size - 8;
      report.add(new Problem(file, 0, e.getLocation() == null ? line : e.getLocation().getLineNr(),
          null, atEnd ? "truncated" : "structure", atEnd ? "the file ends inside the JSON document"
              + " after " + rows + " row(s): truncated or still being written"
              : "not valid JSON after " + rows + " row(s): " + e.getOriginalMessage(), null, false));
    }
    return rows;
  }

  private long verifyLines(String file, InputStream in, VerifyReport report) throws IOException {
    long rows = 0;
    long lineNo = 0;
    byte[] buf = new byte[1 << 16];
    int len = 0;
    boolean eof = false;
    int start = 0;
    while (true) {
      int nl = -1;
      for (int i = start; i < len; i++) {
        if (buf[i] == '\n') {
          nl = i;
          break;
        }
      }
      if (nl < 0 && !eof) {
        if (start > 0) { // keep the partial line, read more
          System.arraycopy(buf, start, buf, 0, len - start);
          len -= start;
          start = 0;
        }
        if (len == buf.length) {
          if (buf.length >= MAX_LINE_BYTES) {
            report.add(new Problem(file, rows + 1, lineNo + 1, null, "structure", "line longer"
                + " than " + (MAX_LINE_BYTES >> 20) + " MiB: is this JSON Lines?", null, false));
            return rows;
          }
          buf = Arrays.copyOf(buf, Math.min(MAX_LINE_BYTES, buf.length * 2));
        }
        int r = in.read(buf, len, buf.length - len);
        if (r < 0) {
          eof = true;
        } else {
          len += r;
        }
        continue;
      }
      int end = nl < 0 ? len : nl;
      boolean lastUnterminated = nl < 0;
      if (lastUnterminated && end == start) {
        return rows; // the file ended with a line break
      }
      lineNo++;
      int e = end > start && buf[end - 1] == '\r' ? end - 1 : end;
      if (isBlank(buf, start, e)) {
        report.add(new Problem(file, 0, lineNo, null, "structure", "blank line: every line must"
            + " hold one row object", null, false));
      } else {
        rows++;
        checkLine(file, rows, lineNo, buf, start, e - start, lastUnterminated, report);
      }
      if (lastUnterminated) {
        return rows;
      }
      start = nl + 1;
    }
  }

  private void checkLine(String file, long row, long line, byte[] b, int off, int n,
      boolean last, VerifyReport report) {
    JsonNode node;
    try {
      node = StrictJson.JSON.readTree(b, off, n);
    } catch (JsonEOFException e) {
      report.add(new Problem(file, row, line, null, last ? "truncated" : "structure",
          (last ? "the last line ends inside its row object: truncated or still being written"
              : "the row object is not complete on its line"), Excerpts.of(
              new String(b, off, Math.min(n, 200), StandardCharsets.UTF_8)), false));
      return;
    } catch (IOException e) {
      String msg = e instanceof JsonProcessingException
          ? ((JsonProcessingException) e).getOriginalMessage() : e.getMessage();
      report.add(new Problem(file, row, line, null, "structure", "not valid JSON: " + msg,
          Excerpts.of(new String(b, off, Math.min(n, 200), StandardCharsets.UTF_8)), false));
      return;
    }
    if (!node.isObject()) {
      report.add(new Problem(file, row, line, null, "not-an-object", "a row must be a JSON"
          + " object, not " + node.getNodeType(), Excerpts.of(node), false));
      return;
    }
    checkRow(file, row, line, (ObjectNode) node, report);
  }

  private void checkRow(String file, long row, long line, ObjectNode node, VerifyReport report) {
    String[] field = new String[1];
    String integer = StrictJson.prepareRow(schema, node, field);
    if (integer != null) {
      report.add(new Problem(file, row, line, field[0], "wrong-type", integer, null, false));
    }
    ValidationResult r = validator.validate(node);
    if (!r.isValid()) {
      report(report, file, row, line, r.violations());
    }
  }

  private static boolean isBlank(byte[] b, int from, int to) {
    for (int i = from; i < to; i++) {
      if (b[i] != ' ' && b[i] != '\t') {
        return false;
      }
    }
    return true;
  }
}
