package dev.milvusbeam.pipelines;

import dev.milvusbeam.core.format.FileType;
import dev.milvusbeam.core.schema.CollectionSchema;
import dev.milvusbeam.core.schema.SchemaException;
import dev.milvusbeam.io.LocalBulkWriter;

/** Turns the shared output flags into a bulk writer, refusing bad combinations up front. */
final class WriterSettings {
  private WriterSettings() {}

  static FileType fileType(OutputOptions o) {
    try {
      return FileType.fromName(o.getFileType());
    } catch (IllegalArgumentException e) {
      throw new UsageException("--fileType: " + e.getMessage());
    }
  }

  static char separator(String sep) {
    String s = "\\t".equals(sep) || "tab".equalsIgnoreCase(sep) ? "\t" : sep;
    if (s == null || s.length() != 1) {
      throw new UsageException("--sep='" + sep + "' must be one character");
    }
    return s.charAt(0);
  }

  static LocalBulkWriter open(CollectionSchema schema, OutputOptions o) {
    FileType type = fileType(o);
    try {
      type.checkSchema(schema);
    } catch (SchemaException e) {
      throw new UsageException(e.getMessage());
    }
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
}
