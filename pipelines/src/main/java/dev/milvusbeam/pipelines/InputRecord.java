package dev.milvusbeam.pipelines;

import java.util.Map;

/**
 * One input row as read, not yet checked: the file it came from, its 1-based line (CSV: the line
 * the record starts on; Parquet: the record number) and its payload — the raw bytes of a JSON
 * Lines line, or a row map (CSV: column to cell text; Parquet: column to value). A record the
 * reader could already tell is broken (a CSV record with the wrong number of cells) carries the
 * reason in {@link #problem}; the parser rejects it with that reason.
 */
final class InputRecord {
  final String file;
  final long line;
  /** {@code byte[]} (JSON Lines) or {@code Map<String, Object>} (CSV, Parquet). */
  final Object payload;
  final String problem;
  /**
   * The record stands for the rest of an unreadable file (no payload; {@link #problem} says what
   * could not be read from {@link #line} on): it travels with the rows so that reading stays one
   * output, fused with the step that validates and writes them.
   */
  final boolean unreadable;

  InputRecord(String file, long line, Object payload, String problem) {
    this(file, line, payload, problem, false);
  }

  private InputRecord(String file, long line, Object payload, String problem,
      boolean unreadable) {
    this.file = file;
    this.line = line;
    this.payload = payload;
    this.problem = problem;
    this.unreadable = unreadable;
  }

  /** The rest of {@code file}, from {@code line} on, cannot be read, for the reason given. */
  static InputRecord unreadable(String file, long line, String problem) {
    return new InputRecord(file, line, null, problem, true);
  }

  static InputRecord json(String file, long line, byte[] utf8) {
    return new InputRecord(file, line, utf8, null);
  }

  static InputRecord row(String file, long line, Map<String, Object> row, String problem) {
    return new InputRecord(file, line, row, problem);
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof InputRecord)) {
      return false;
    }
    InputRecord r = (InputRecord) o;
    return r.file.equals(file) && r.line == line && r.unreadable == unreadable
        && java.util.Objects.equals(r.problem, problem)
        && (payload instanceof byte[] && r.payload instanceof byte[]
            ? java.util.Arrays.equals((byte[]) payload, (byte[]) r.payload)
            : java.util.Objects.equals(payload, r.payload));
  }

  @Override
  public int hashCode() {
    return file.hashCode() * 31 + Long.hashCode(line);
  }

  @Override
  public String toString() {
    return file + ":" + line;
  }
}
