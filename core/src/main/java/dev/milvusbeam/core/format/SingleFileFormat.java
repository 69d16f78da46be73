package dev.milvusbeam.core.format;

import dev.milvusbeam.core.schema.CollectionSchema;
import java.util.List;

/** A file type whose segment is one file, {@code <n>.<extension>} at the top of the data path. */
public abstract class SingleFileFormat implements Format {
  private final String extension;

  protected SingleFileFormat(String extension) {
    this.extension = extension;
  }

  @Override
  public final String extension() {
    return extension;
  }

  /** The name of segment {@code segment}'s file: {@code 3.parquet}. */
  public final String fileName(int segment) {
    return segment + "." + extension;
  }

  @Override
  public final List<String> segmentFiles(CollectionSchema schema, int segment) {
    return List.of(fileName(segment));
  }

  @Override
  public final int segmentOf(String path) {
    int dot = path.indexOf('.');
    boolean named = dot > 0 && path.length() == dot + 1 + extension.length()
        && path.startsWith(extension, dot + 1);
    return named ? Format.segmentNumber(path, dot) : 0;
  }

  @Override
  public final String layout() {
    return "segments are <n>." + extension + ", n = 1, 2, …";
  }
}
