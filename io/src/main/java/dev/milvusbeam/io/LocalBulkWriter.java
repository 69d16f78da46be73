package dev.milvusbeam.io;

import dev.milvusbeam.core.format.FileType;
import dev.milvusbeam.core.schema.CollectionSchema;
import dev.milvusbeam.core.writer.BulkWriter;
import java.util.Objects;
import java.util.UUID;

/**
 * The seed page's {@code LocalBulkWriter}: writes import files under {@code <localPath>/<uuid>/}.
 *
 * <pre>{@code
 * try (LocalBulkWriter writer = LocalBulkWriter.builder(schema, "./tmp")
 *     .segmentSize(128L << 20).fileType(FileType.PARQUET).build()) {
 *   writer.appendRow(Map.of("id", 1L, "vector", new float[768], "scalar_1", "a", "scalar_2", 7L));
 *   writer.commit();
 *   System.out.println(writer.getDataPath() + " " + writer.getBatchFiles());
 * }
 * }</pre>
 *
 * Unlike pymilvus, {@link #close()} commits what is pending and a failed write reaches the caller.
 */
public final class LocalBulkWriter extends BulkWriter {
  private LocalBulkWriter(Builder b) {
    super(b, new FileSystemSegmentStore(b.localPath, UUID.randomUUID().toString(),
        b.schema(), b.fileType()));
  }

  /** {@code LocalBulkWriter(schema, local_path, segment_size, file_type)}, like the seed page. */
  public LocalBulkWriter(CollectionSchema schema, String localPath, long segmentSize,
      FileType fileType) {
    this(builder(schema, localPath).segmentSize(segmentSize).fileType(fileType));
  }

  public static Builder builder(CollectionSchema schema, String localPath) {
    return new Builder(schema, localPath);
  }

  /** Settings of a {@link LocalBulkWriter}: file type Parquet and 128 MiB segments by default. */
  public static final class Builder extends BulkWriter.Builder<Builder> {
    private final String localPath;

    private Builder(CollectionSchema schema, String localPath) {
      super(schema);
      this.localPath = Objects.requireNonNull(localPath, "localPath");
      if (localPath.contains("://") && !localPath.startsWith("file://")) {
        throw new IllegalArgumentException("LocalBulkWriter writes to a local folder, not '"
            + localPath + "'; use RemoteBulkWriter for buckets");
      }
    }

    @Override
    protected Builder self() {
      return this;
    }

    /** @throws dev.milvusbeam.core.schema.SchemaException if the file type cannot carry the schema */
    public LocalBulkWriter build() {
      return new LocalBulkWriter(this);
    }
  }
}
