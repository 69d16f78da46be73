package dev.milvusbeam.core.format;

/**
 * One thing found wrong in a data folder: the file (relative to the data path), the row (1-based
 * record number in the file, 0 when not about a row) and the line where the format has lines
 * (0 when unknown), the field (or null), a stable kind code ({@code truncated}, {@code npy-dtype},
 * or a validation rule such as {@code varchar-length}), a message, and a shortened value. A
 * warning is printed and counted but does not fail the verification.
 */
public record Problem(String file, long row, long line, String field, String kind,
    String message, String value, boolean warning) {

  /** {@code problem [varchar-length] 1.json row 7 (line 9) field 'title': ... (value "…")}. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder(warning ? "warning" : "problem");
    sb.append(" [").append(kind).append("] ").append(file == null || file.isEmpty() ? "." : file);
    if (row > 0) {
      sb.append(" row ").append(row);
    }
    if (line > 0) {
      sb.append(row > 0 ? " (line " + line + ")" : " line " + line);
    }
    if (field != null) {
      sb.append(" field '").append(field).append('\'');
    }
    sb.append(": ").append(message);
    if (value != null) {
      sb.append(" (value ").append(value).append(')');
    }
    return sb.toString();
  }
}
