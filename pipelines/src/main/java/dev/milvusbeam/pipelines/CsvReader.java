package dev.milvusbeam.pipelines;

import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads CSV records (RFC 4180: quoted cells with {@code ""} escapes and line breaks inside, LF or
 * CRLF line ends, one separator character). Blank lines are skipped. Knows the 1-based line each
 * record starts on, for failure reports.
 */
final class CsvReader {
  private final Reader in;
  private final char sep;
  private final char[] buf = new char[1 << 16];
  private int pos;
  private int len;
  private long line;
  private long recordLine;
  private boolean unterminated;

  /** @param firstLine the 1-based line number of the first line {@code in} gives */
  CsvReader(Reader in, char sep, long firstLine) {
    this.in = in;
    this.sep = sep;
    this.line = firstLine;
  }

  /** The next record's cells, or null at the end. */
  List<String> next() throws IOException {
    while (true) {
      int c = peek();
      if (c < 0) {
        return null;
      }
      if (c == '\n' || c == '\r') { // a blank line
        read();
        if (c == '\r' && peek() == '\n') {
          read();
        }
        line++;
        continue;
      }
      return record();
    }
  }

  /** The 1-based line the reader is at: after the last record returned (and its line end). */
  long line() {
    return line;
  }

  /** The 1-based line the last record started on. */
  long recordLine() {
    return recordLine;
  }

  /** The last record ended inside a quoted cell (at the end of the file). */
  boolean unterminated() {
    return unterminated;
  }

  private List<String> record() throws IOException {
    recordLine = line;
    unterminated = false;
    List<String> cells = new ArrayList<>();
    StringBuilder cell = new StringBuilder();
    boolean inQuotes = false;
    while (true) {
      int c = read();
      if (inQuotes) {
        if (c < 0) {
          unterminated = true;
          cells.add(cell.toString());
          return cells;
        }
        if (c == '"') {
          if (peek() == '"') {
            read();
            cell.append('"');
          } else {
            inQuotes = false;
          }
        } else {
          if (c == '\n') {
            line++;
          }
          cell.append((char) c);
        }
        continue;
      }
      if (c < 0 || c == '\n' || (c == '\r' && (peek() == '\n' || peek() < 0))) {
        if (c == '\r') {
          read();
        }
        if (c >= 0) {
          line++;
        }
        cells.add(cell.toString());
        return cells;
      }
      if (c == sep) {
        cells.add(cell.toString());
        cell.setLength(0);
      } else if (c == '"' && cell.length() == 0) {
        inQuotes = true;
      } else {
        cell.append((char) c);
      }
    }
  }

  private int peek() throws IOException {
    if (pos == len && !fill()) {
      return -1;
    }
    return buf[pos];
  }

  private int read() throws IOException {
    if (pos == len && !fill()) {
      return -1;
    }
    return buf[pos++];
  }

  private boolean fill() throws IOException {
    int n = in.read(buf, 0, buf.length);
    if (n <= 0) {
      return false;
    }
    pos = 0;
    len = n;
    return true;
  }
}
