package dev.milvusbeam.pipelines;

import dev.milvusbeam.core.format.FileType;
import dev.milvusbeam.core.schema.CollectionSchema;
import dev.milvusbeam.io.LocalBulkWriter;
import dev.milvusbeam.io.MilvusIO;

/**
 * Turns the shared output flags into a bulk writer ({@code demo}) or a {@code MilvusIO.write}
 * ({@code convert}), refusing bad values and combinations up front as usage errors.
 */
final class WriterSettings {
  private WriterSettings() {}

  static FileType fileType(OutputOptions o) {
    try {
      return o.getFileType() == null ? FileType.PARQUET : FileType.fromName(o.getFileType());
    } catch (IllegalArgumentException e) {
      throw new UsageException("--fileType: " + e.getMessage());
    }
  }

  /** E.g. NumPy and an Array field: refused before anything is read or written. */
  static void checkSchema(FileType type, CollectionSchema schema) {
    try {
      type.checkSchema(schema);
    } catch (IllegalArgumentException e) { // SchemaException too
      throw new UsageException(e.getMessage());
    }
  }

  static char separator(String sep) {
    return separator(sep, "sep");
  }

  static char separator(String sep, String flag) {
    String s = "\\t".equals(sep) || "tab".equalsIgnoreCase(sep) ? "\t" : sep;
    if (s == null || s.length() != 1) {
      throw new UsageException("--" + flag + "='" + sep + "' must be one character");
    }
    return s.charAt(0);
  }

  static LocalBulkWriter open(CollectionSchema schema, OutputOptions o) {
    FileType type = fileType(o);
    checkSchema(type, schema);
    try {
      return LocalBulkWriter.builder(schema, o.getOutput())
          .fileType(type)
          .segmentSize(Sizes.parse(o.getSegmentSize(), "segmentSize"))
          .csvSeparator(separator(o.getSep()))
          .csvNullKey(o.getNullKey() == null ? "" : o.getNullKey())
          .build();
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
  }

  static <T> MilvusIO.Write<T> write(MilvusIO.Write<T> write, CollectionSchema schema,
      FileType type, ConvertOptions o) {
    try {
      return write.withSchema(schema)
          .to(o.getOutput())
          .withFileType(type)
          .withSegmentSize(Sizes.parse(o.getSegmentSize(), "segmentSize"))
          .withCsvSeparator(separator(o.getSep()))
          .withCsvNullKey(o.getNullKey() == null ? "" : o.getNullKey())
          .withNumShards(o.getNumShards() == null ? 0 : o.getNumShards());
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
  }
}
