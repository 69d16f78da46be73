package dev.milvusbeam.pipelines;

import dev.milvusbeam.core.format.FileType;
import dev.milvusbeam.core.format.FormatOptions;
import dev.milvusbeam.core.schema.CollectionSchema;

/**
 * The output flags of {@code convert} and {@code demo} ({@link OutputOptions}), read once: where
 * the data folder goes, its file type, the segment size and the CSV separator and null key
 * (checked together).
 *
 * @param output the output folder, without a trailing {@code /}
 * @param format the CSV separator and null key, checked ({@link FormatOptions#check()})
 */
record OutputSettings(String output, FileType fileType, long segmentSize, FormatOptions format) {
  static OutputSettings from(OutputOptions o) {
    String output = Flags.required("output", o.getOutput());
    if (output.endsWith("/") && output.length() > 1) {
      output = output.substring(0, output.length() - 1);
    }
    return new OutputSettings(output,
        Flags.fileType("fileType", o.getFileType(), FileType.PARQUET),
        Flags.segmentSize("segmentSize", o.getSegmentSize()),
        Flags.csv("sep", o.getSep(), "nullKey", o.getNullKey()));
  }

  /** E.g. NumPy and an Array field: refused before anything is read or written. */
  void checkSchema(CollectionSchema schema) {
    Flags.checked("fileType", fileType, () -> {
      fileType.checkSchema(schema);
      return null;
    });
  }
}
