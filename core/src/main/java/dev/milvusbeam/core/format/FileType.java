package dev.milvusbeam.core.format;

import dev.milvusbeam.core.format.csv.CsvFormat;
import dev.milvusbeam.core.format.json.JsonFormat;
import dev.milvusbeam.core.format.jsonl.JsonlFormat;
import dev.milvusbeam.core.format.numpy.NumpyFormat;
import dev.milvusbeam.core.format.parquet.ParquetFormat;
import dev.milvusbeam.core.row.ColumnCheck;
import dev.milvusbeam.core.schema.CollectionSchema;
import java.io.IOException;
import java.util.List;
import java.util.Locale;

/**
 * The import file types: each constant names the {@link Format} of its own package, which knows
 * everything about that type. A new type is one package and one constant here.
 */
public enum FileType {
  JSON(new JsonFormat()),
  /** JSON Lines: Milvus 2.6.6 and newer only. */
  JSONL(new JsonlFormat()),
  PARQUET(new ParquetFormat()),
  /** One folder per segment, one {@code <column>.npy} per column. */
  NUMPY(new NumpyFormat()),
  /** CSV (RFC 4180): Milvus 2.5 and newer. */
  CSV(new CsvFormat());

  private final Format format;

  FileType(Format format) {
    this.format = format;
  }

  /** What this type knows: names, schema check, value rule, writer, verifier. */
  public Format format() {
    return format;
  }

  /** File extension Milvus detects the format by ({@code npy} for NumPy). */
  public String extension() {
    return format.extension();
  }

  /** Opens the writer of segment {@code segment} (1-based). */
  public SegmentWriter open(CollectionSchema schema, FormatOptions options, SegmentOutput out,
      int segment) throws IOException {
    return format.open(schema, options, out, segment);
  }

  /** The reader that checks this type's segments when a written data folder is verified. */
  public SegmentVerifier verifier(CollectionSchema schema, FormatOptions options) {
    return format.verifier(schema, options);
  }

  /** @see Format#checkSchema */
  public void checkSchema(CollectionSchema schema) {
    format.checkSchema(schema);
  }

  /** @see Format#columnCheck */
  public ColumnCheck columnCheck(FormatOptions options) {
    return format.columnCheck(options);
  }

  /** The file group of one segment, relative to the data path (the Import API's {@code files}). */
  public List<String> segmentFiles(CollectionSchema schema, int segment) {
    return format.segmentFiles(schema, segment);
  }

  /** @see Format#segmentOf */
  public int segmentOf(String path) {
    return format.segmentOf(path);
  }

  /** Reads {@code json|jsonl|parquet|numpy|npy|csv}, case-insensitive. */
  public static FileType fromName(String name) {
    String n = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
    switch (n) {
      case "json": return JSON;
      case "jsonl": case "ndjson": return JSONL;
      case "parquet": return PARQUET;
      case "numpy": case "npy": return NUMPY;
      case "csv": return CSV;
      default:
        throw new IllegalArgumentException("unknown file type '" + name
            + "' (json, jsonl, parquet, numpy, csv)");
    }
  }

  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}
