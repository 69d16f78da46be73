package dev.milvusbeam.pipelines;

import dev.milvusbeam.core.format.FileType;
import dev.milvusbeam.core.format.FormatOptions;
import dev.milvusbeam.core.schema.CollectionSchema;

/**
 * Everything {@code verify} takes from its flags ({@link VerifyOptions}), read and checked once:
 * the schema, the data folder, its file type, the CSV separator and null key (checked together)
 * how many problems are printed, and how progress is shown. {@link Verify} reads only this.
 */
record VerifySettings(CollectionSchema schema, String dataPath, FileType fileType,
    FormatOptions format, int maxShown, ProgressSettings progress) {
  /**
   * Reads the flags; then configures Beam's file systems from them (the bucket flags) to read the
   * schema and, later, the data folder.
   */
  static VerifySettings from(VerifyOptions o) {
    String dataPath = Flags.required("dataPath", o.getDataPath());
    FileType type = Flags.fileType("fileType", Flags.required("fileType", o.getFileType()), null);
    FormatOptions format = Flags.csv("sep", o.getSep(), "nullKey", o.getNullKey());
    int maxShown = Flags.atLeast("maxShown", o.getMaxShown(), 0, 50);
    ProgressSettings progress = ProgressSettings.from(o);
    Flags.fileSystemsFor(o, dataPath, o.getSchema()); // the flags alone were fine: now the files
    return new VerifySettings(Flags.schema(o, true), dataPath, type, format, maxShown, progress);
  }
}
