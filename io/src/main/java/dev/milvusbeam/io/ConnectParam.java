package dev.milvusbeam.io;

import java.io.Serializable;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * How to reach a bucket, like pymilvus' {@code S3ConnectParam} / {@code AzureConnectParam}: the
 * Beam file-system options it stands for, and how a path inside the bucket becomes a Beam path.
 * Implementations never expose secrets in {@link #toString()}.
 */
public interface ConnectParam extends Serializable {
  /** Sets the Beam file-system options this connection needs (credentials, endpoint ...). */
  void applyTo(PipelineOptions options);

  /** The Beam path of a path inside the bucket: {@code folder/x} → {@code s3://bucket/folder/x}. */
  String toBeamPath(String pathInBucket);

  /** The bucket (or container) name, for messages. */
  String bucket();

  /**
   * Fails fast, before any data is written, when the bucket is missing or the credentials are
   * refused; the message names the bucket and the cause, never a secret.
   *
   * @param pathInBucket the folder the writer will write to
   */
  default void checkWritable(String pathInBucket) throws java.io.IOException {}
}
