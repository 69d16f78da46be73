package dev.milvusbeam.pipelines;

import java.util.Locale;

/** The row files {@code convert} reads: {@code --inputFormat}, or guessed from the file name. */
enum InputFormat {
  /** One row object per line, in the shape Milvus' JSON import reads. */
  JSONL,
  /** A header row, then one row per record; cells typed by the collection schema. */
  CSV,
  /** One row per record; columns by name. */
  PARQUET;

  private static final String[] COMPRESSION = {".gz", ".bz2", ".zst", ".deflate", ".lzo", ".snappy",
      ".zip"};

  /** @throws IllegalArgumentException for another name */
  static InputFormat fromName(String name) {
    switch (name.trim().toLowerCase(Locale.ROOT)) {
      case "jsonl": case "json": case "ndjson": return JSONL;
      case "csv": return CSV;
      case "parquet": return PARQUET;
      default:
        throw new IllegalArgumentException("not one of jsonl, csv, parquet");
    }
  }

  /** From the extension ({@code .jsonl .json .ndjson .csv .parquet}, optionally compressed), or null. */
  static InputFormat guess(String fileName) {
    String n = fileName.toLowerCase(Locale.ROOT);
    for (String c : COMPRESSION) {
      if (n.endsWith(c)) {
        n = n.substring(0, n.length() - c.length());
        break;
      }
    }
    if (n.endsWith(".jsonl") || n.endsWith(".json") || n.endsWith(".ndjson")) {
      return JSONL;
    }
    if (n.endsWith(".csv")) {
      return CSV;
    }
    if (n.endsWith(".parquet")) {
      return PARQUET;
    }
    return null;
  }

  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}
