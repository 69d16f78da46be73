package dev.milvusbeam.core.format;

import java.io.Serializable;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Per-format settings: CSV separator and null key, Parquet row-group size, the local folder NumPy
 * spools columns to. Immutable; {@link #defaults()} then {@code withX}.
 */
public final class FormatOptions implements Serializable {
  private static final long serialVersionUID = 1L;

  public static final long DEFAULT_ROW_GROUP_BYTES = 32L << 20;

  private final char csvSeparator;
  private final String csvNullKey;
  private final long parquetRowGroupBytes;
  private final String tempDirectory;

  private FormatOptions(char csvSeparator, String csvNullKey, long parquetRowGroupBytes,
      String tempDirectory) {
    this.csvSeparator = csvSeparator;
    this.csvNullKey = csvNullKey;
    this.parquetRowGroupBytes = parquetRowGroupBytes;
    this.tempDirectory = tempDirectory;
  }

  /** CSV separator ',', CSV null key "", Parquet row groups of 32 MiB, temp files in java.io.tmpdir. */
  public static FormatOptions defaults() {
    return new FormatOptions(',', "", DEFAULT_ROW_GROUP_BYTES, null);
  }

  public FormatOptions withCsvSeparator(char sep) {
    if (sep == '\0' || sep == '\n' || sep == '\r' || sep == '"' || sep > 0x7e
        || Character.isLetterOrDigit(sep) || sep == '.' || sep == '+' || sep == '-') {
      throw new IllegalArgumentException("CSV separator " + describe(sep) + " is not allowed:"
          + " use an ASCII punctuation or white-space character that cannot occur in a number"
          + " (not NUL, \\n, \\r, \", a letter, a digit, '.', '+' or '-')");
    }
    return new FormatOptions(sep, csvNullKey, parquetRowGroupBytes, tempDirectory);
  }

  public FormatOptions withCsvNullKey(String nullKey) {
    if (nullKey == null) {
      throw new IllegalArgumentException("CSV null key must not be null (use \"\" for the default)");
    }
    if (nullKey.indexOf('"') >= 0 || nullKey.indexOf('\n') >= 0 || nullKey.indexOf('\r') >= 0) {
      throw new IllegalArgumentException("CSV null key '" + nullKey
          + "' must not contain a quote or a line break");
    }
    return new FormatOptions(csvSeparator, nullKey, parquetRowGroupBytes, tempDirectory);
  }

  /**
   * Checks the settings that depend on each other, whatever order they were set in: the CSV null
   * key must not contain the separator (a cell holding it would be split in two). Writers call
   * this when they are built ({@code build()}, a transform's {@code expand()}).
   *
   * @return these options
   * @throws IllegalArgumentException naming both settings
   */
  public FormatOptions check() {
    if (csvNullKey.indexOf(csvSeparator) >= 0) {
      throw new IllegalArgumentException("CSV null key '" + csvNullKey + "' contains the CSV"
          + " separator " + describe(csvSeparator) + ": a cell holding it would be read as two"
          + " cells; choose another null key or separator");
    }
    return this;
  }

  public FormatOptions withParquetRowGroupBytes(long bytes) {
    if (bytes < 64 * 1024) {
      throw new IllegalArgumentException("Parquet row group size " + bytes + " is below 64 KiB");
    }
    return new FormatOptions(csvSeparator, csvNullKey, bytes, tempDirectory);
  }

  public FormatOptions withTempDirectory(Path dir) {
    return new FormatOptions(csvSeparator, csvNullKey, parquetRowGroupBytes,
        dir == null ? null : dir.toString());
  }

  public char csvSeparator() { return csvSeparator; }
  public String csvNullKey() { return csvNullKey; }
  public long parquetRowGroupBytes() { return parquetRowGroupBytes; }

  /** Local folder for temporary spool files (never inside the data path). */
  public Path tempDirectory() {
    return Paths.get(tempDirectory != null ? tempDirectory : System.getProperty("java.io.tmpdir"));
  }

  private static String describe(char c) {
    return c == '\0' ? "NUL" : c == '\n' ? "\\n" : c == '\r' ? "\\r" : "'" + c + "'";
  }
}
