package dev.milvusbeam.core.format;

import java.util.ArrayList;
import java.util.List;

/**
 * A small, strict RFC 4180 reader for tests, independent of the writer: {@code "}-quoted cells with
 * {@code ""} escapes, records ended by {@code \n} (the last one too). It fails on a bare quote in
 * an unquoted cell, on anything but the separator or {@code \n} after a closing quote, on a
 * {@code \r} outside quotes, on an unterminated quote and on a missing final line end.
 */
public final class CsvTestReader {
  /** One cell: its text and whether it was quoted in the file. */
  public static final class Cell {
    public final String text;
    public final boolean quoted;

    Cell(String text, boolean quoted) {
      this.text = text;
      this.quoted = quoted;
    }

    @Override
    public String toString() {
      return (quoted ? "Q" : "") + "[" + text + "]";
    }
  }

  private CsvTestReader() {}

  public static List<List<Cell>> parse(String s, char sep) {
    List<List<Cell>> records = new ArrayList<>();
    List<Cell> record = new ArrayList<>();
    StringBuilder cell = new StringBuilder();
    int i = 0;
    int n = s.length();
    if (n == 0) {
      return records;
    }
    if (s.charAt(n - 1) != '\n') {
      throw new IllegalArgumentException("the last record does not end with \\n");
    }
    while (i < n) {
      char c = s.charAt(i);
      if (c == '"' && cell.length() == 0) {
        // quoted cell
        i++;
        while (true) {
          if (i >= n) {
            throw new IllegalArgumentException("unterminated quoted cell at record "
                + (records.size() + 1));
          }
          char q = s.charAt(i);
          if (q == '"') {
            if (i + 1 < n && s.charAt(i + 1) == '"') {
              cell.append('"');
              i += 2;
              continue;
            }
            i++;
            break;
          }
          cell.append(q);
          i++;
        }
        record.add(new Cell(cell.toString(), true));
        cell.setLength(0);
        if (i >= n) {
          throw new IllegalArgumentException("quoted cell not followed by a line end");
        }
        char after = s.charAt(i);
        if (after == sep) {
          i++;
          if (i < n && s.charAt(i) == '\n') { // trailing empty cell
            record.add(new Cell("", false));
            records.add(record);
            record = new ArrayList<>();
            i++;
          }
          continue;
        }
        if (after == '\n') {
          records.add(record);
          record = new ArrayList<>();
          i++;
          continue;
        }
        throw new IllegalArgumentException("character '" + after + "' after a closing quote at "
            + i);
      }
      // unquoted cell: up to sep or \n
      while (i < n) {
        char u = s.charAt(i);
        if (u == sep || u == '\n') {
          break;
        }
        if (u == '"') {
          throw new IllegalArgumentException("bare quote in an unquoted cell at " + i + ": "
              + cell);
        }
        if (u == '\r') {
          throw new IllegalArgumentException("bare \\r in an unquoted cell at " + i);
        }
        cell.append(u);
        i++;
      }
      record.add(new Cell(cell.toString(), false));
      cell.setLength(0);
      char end = s.charAt(i); // i < n: the text ends with \n
      i++;
      if (end == '\n') {
        records.add(record);
        record = new ArrayList<>();
      } else if (i < n && s.charAt(i) == '\n') { // separator then line end: trailing empty cell
        record.add(new Cell("", false));
        records.add(record);
        record = new ArrayList<>();
        i++;
      }
    }
    if (!record.isEmpty()) {
      throw new IllegalArgumentException("unterminated record");
    }
    return records;
  }
}
