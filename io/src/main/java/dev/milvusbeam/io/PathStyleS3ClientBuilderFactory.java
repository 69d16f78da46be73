package dev.milvusbeam.io;

import java.time.Duration;
import org.apache.beam.sdk.io.aws2.common.ClientBuilderFactory;
import org.apache.beam.sdk.io.aws2.options.S3ClientBuilderFactory;
import org.apache.beam.sdk.io.aws2.options.S3Options;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.core.retry.RetryPolicy;
import software.amazon.awssdk.core.retry.backoff.BackoffStrategy;
import software.amazon.awssdk.core.retry.backoff.FullJitterBackoffStrategy;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/**
 * The S3 client of Beam's {@code s3://} file system for S3-compatible servers (MinIO, Ceph, GCS
 * interop, S3Proxy ...): path-style requests ({@code http://host:port/bucket/key}), which Beam has
 * no option for, and a retry policy for transient faults ({@link Options#getS3MaxRetries()}).
 * {@link S3ConnectParam#applyTo} sets it; on the command line
 * {@code --s3ClientFactoryClass=dev.milvusbeam.io.PathStyleS3ClientBuilderFactory}
 * ({@link VirtualHosted} for AWS-style bucket host names with the same retries).
 *
 * <p>Everything else (region, endpoint, credentials, HTTP settings) comes from Beam's
 * {@link S3Options}, exactly as with Beam's default factory.
 */
public class PathStyleS3ClientBuilderFactory implements S3ClientBuilderFactory {
  /** Default retries of one request after a transient fault. */
  public static final int DEFAULT_MAX_RETRIES = 8;

  /** The retry setting of the S3 client (registered by {@link S3ConnectParam#applyTo}). */
  public interface Options extends S3Options {
    @Description("Retries of one S3 request after a transient fault (5xx, throttling, connection"
        + " reset or timeout), with jittered exponential backoff; permanent faults (403, 404)"
        + " are never retried. Used by dev.milvusbeam.io.PathStyleS3ClientBuilderFactory.")
    @Default.Integer(DEFAULT_MAX_RETRIES)
    int getS3MaxRetries();

    void setS3MaxRetries(int retries);
  }

  /** Same retries, virtual-hosted-style requests ({@code bucket.host}), as AWS prefers. */
  public static class VirtualHosted extends PathStyleS3ClientBuilderFactory {
    @Override
    protected boolean pathStyle() {
      return false;
    }
  }

  protected boolean pathStyle() {
    return true;
  }

  @Override
  public S3ClientBuilder createBuilder(S3Options options) {
    int retries = options.as(Options.class).getS3MaxRetries();
    S3ClientBuilder builder = ClientBuilderFactory.getFactory(options)
        .create(S3Client.builder(), options)
        .forcePathStyle(pathStyle());
    if (options.getProxyConfiguration() == null && options.getHttpClientConfiguration() == null) {
      // Beam's factory picks the HTTP client only for these settings; otherwise the SDK looks
      // one up on the class path and refuses to choose when a fat jar brings a second one
      builder.httpClientBuilder(ApacheHttpClient.builder());
    }
    return builder.overrideConfiguration(c -> c.retryPolicy(retryPolicy(retries)));
  }

  /**
   * The SDK's standard retry conditions (5xx, throttling, I/O errors) with {@code retries}
   * attempts after the first, and no client-wide retry quota, so that a long write through a
   * flaky link does not stop retrying after a few hundred faults.
   */
  static RetryPolicy retryPolicy(int retries) {
    if (retries < 0) {
      throw new IllegalArgumentException("s3MaxRetries " + retries + " must be >= 0");
    }
    BackoffStrategy backoff = FullJitterBackoffStrategy.builder()
        .baseDelay(Duration.ofMillis(100)).maxBackoffTime(Duration.ofSeconds(10)).build();
    BackoffStrategy throttled = FullJitterBackoffStrategy.builder()
        .baseDelay(Duration.ofMillis(500)).maxBackoffTime(Duration.ofSeconds(20)).build();
    return RetryPolicy.builder(RetryMode.STANDARD)
        .numRetries(retries)
        .backoffStrategy(backoff)
        .throttlingBackoffStrategy(throttled)
        .retryCapacityCondition(null)
        .build();
  }
}
