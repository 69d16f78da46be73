package dev.milvusbeam.io;

import dev.milvusbeam.core.format.FileType;
import dev.milvusbeam.core.schema.CollectionSchema;
import dev.milvusbeam.core.writer.BulkWriter;
import java.util.Objects;
import java.util.UUID;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/**
 * The seed page's {@code RemoteBulkWriter}: the same API as {@link LocalBulkWriter}, writing
 * straight into a bucket through Beam's file systems (no local copy of the data): segments are
 * staged beside the data folder in the bucket and moved into {@code <remotePath>/<uuid>/} on
 * commit. {@link #getDataPath()} and {@link #getBatchFiles()} give object keys inside the bucket,
 * without scheme or bucket, as Milvus' Import API takes them.
 *
 * <p>Note: Beam's file systems are configured per JVM ({@code FileSystems.setDefaultPipelineOptions});
 * building a remote writer sets them from its {@link ConnectParam}.
 */
public final class RemoteBulkWriter extends BulkWriter {
  private final String beamRoot;

  private RemoteBulkWriter(Builder b, String beamRoot) {
    super(b, new FileSystemSegmentStore(beamRoot, UUID.randomUUID().toString(), b.schema(),
        b.fileType()));
    this.beamRoot = beamRoot;
  }

  public static Builder builder(CollectionSchema schema, String remotePath, ConnectParam connect) {
    return new Builder(schema, remotePath, connect);
  }

  /** {@code RemoteBulkWriter(schema, remote_path, connect_param, file_type)}, like the seed page. */
  public RemoteBulkWriter(CollectionSchema schema, String remotePath, ConnectParam connect,
      FileType fileType) {
    this(builder(schema, remotePath, connect).fileType(fileType));
  }

  private RemoteBulkWriter(Builder b) {
    this(b, b.connect());
  }

  @Override
  protected String importPath(String storePath) {
    String rootKey = keyOf(beamRoot);
    String key = storePath.startsWith(beamRoot)
        ? rootKey + storePath.substring(beamRoot.length()) : storePath;
    while (key.startsWith("/")) {
      key = key.substring(1);
    }
    return key;
  }

  /** The key part of {@code scheme://bucket/key} ({@code azfs://account/container/key}). */
  static String keyOf(String beamPath) {
    int scheme = beamPath.indexOf("://");
    int slash = beamPath.indexOf('/', scheme + 3);
    if (slash >= 0 && beamPath.regionMatches(true, 0, "azfs://", 0, 7)) {
      slash = beamPath.indexOf('/', slash + 1); // the account comes before the container
    }
    return slash < 0 ? "" : beamPath.substring(slash + 1);
  }

  /** Settings: Parquet and 128 MiB segments by default, like the seed. */
  public static final class Builder extends BulkWriter.Builder<Builder> {
    private final String remotePath;
    private final ConnectParam connectParam;

    private Builder(CollectionSchema schema, String remotePath, ConnectParam connect) {
      super(schema);
      this.remotePath = Objects.requireNonNull(remotePath, "remotePath");
      this.connectParam = Objects.requireNonNull(connect, "connectParam");
    }

    @Override
    protected Builder self() {
      return this;
    }

    /** Configures Beam's file systems for the bucket; returns the Beam path of the remote path. */
    private String connect() {
      PipelineOptions o = PipelineOptionsFactory.create();
      connectParam.applyTo(o);
      FileSystems.setDefaultPipelineOptions(o);
      String path = remotePath.replaceAll("^/+", "").replaceAll("/+$", "");
      try {
        connectParam.checkWritable(path); // a missing bucket or refused key fails here, named
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e.getMessage(), e);
      }
      return connectParam.toBeamPath(path);
    }

    /**
     * @throws dev.milvusbeam.core.schema.SchemaException if the file type cannot carry the schema
     */
    public RemoteBulkWriter build() {
      return new RemoteBulkWriter(this);
    }
  }
}
