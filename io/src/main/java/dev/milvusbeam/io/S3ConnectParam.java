package dev.milvusbeam.io;

import java.io.IOException;
import java.net.URI;
import java.util.Locale;
import java.util.Objects;
import java.util.UUID;
import org.apache.beam.sdk.io.aws2.options.S3Options;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The seed page's {@code S3ConnectParam}: an S3 bucket on AWS, on an S3-compatible server (MinIO,
 * Ceph, S3Proxy ...) or on Google Cloud Storage through its S3-compatible endpoint
 * ({@code storage.googleapis.com} with HMAC keys). It maps onto Beam's {@link S3Options}.
 *
 * <pre>{@code
 * S3ConnectParam conn = S3ConnectParam.builder()
 *     .endpoint("storage.googleapis.com")   // "s3.amazonaws.com" or none for AWS, "minio:9000" ...
 *     .accessKey(ACCESS_KEY).secretKey(SECRET_KEY)  // none: the default AWS credential chain
 *     .bucketName("my-bucket")
 *     .secure(true)                          // https (the default) or http
 *     .build();
 * }</pre>
 *
 * <p>Defaults: region {@code us-east-1}; path-style requests for any endpoint that is not AWS
 * (set {@link Builder#pathStyle(boolean)} to override); upload parts of 8 MiB (Beam's default is
 * 64 MiB per open file, and a NumPy segment opens one file per column);
 * {@value PathStyleS3ClientBuilderFactory#DEFAULT_MAX_RETRIES} retries of a request after a
 * transient fault. {@link #toString()} never shows the secret key or the session token.
 */
public final class S3ConnectParam implements ConnectParam {
  private static final long serialVersionUID = 1L;
  /** The AWS global endpoint: the SDK picks the region's endpoint itself. */
  public static final String AWS_ENDPOINT = "s3.amazonaws.com";
  public static final String DEFAULT_REGION = "us-east-1";
  /** Smallest part of a multipart upload S3 takes (except the last one). */
  public static final int MIN_UPLOAD_PART_BYTES = 5 * 1024 * 1024;
  public static final int DEFAULT_UPLOAD_PART_BYTES = 8 * 1024 * 1024;

  private final String endpoint; // null: AWS
  private final String accessKey;
  private final String secretKey;
  private final String sessionToken;
  private final String region;
  private final String bucketName;
  private final boolean secure;
  private final boolean pathStyle;
  private final int uploadPartBytes;
  private final int maxRetries;

  private S3ConnectParam(Builder b) {
    if (b.bucketName == null || b.bucketName.isBlank()) {
      throw new IllegalArgumentException("S3ConnectParam: bucketName is required");
    }
    if (b.bucketName.contains("/")) {
      throw new IllegalArgumentException("S3ConnectParam: bucketName '" + b.bucketName
          + "' must be a bucket name, not a path (give the folder as the writer's remote path)");
    }
    if ((b.accessKey == null) != (b.secretKey == null)) {
      throw new IllegalArgumentException("S3ConnectParam: give both accessKey and secretKey, or"
          + " neither (the default AWS credential chain)");
    }
    if (b.sessionToken != null && b.accessKey == null) {
      throw new IllegalArgumentException("S3ConnectParam: sessionToken needs accessKey and"
          + " secretKey");
    }
    this.bucketName = b.bucketName;
    this.accessKey = b.accessKey;
    this.secretKey = b.secretKey;
    this.sessionToken = b.sessionToken;
    this.region = b.region;
    this.secure = b.secure;
    this.endpoint = normalizeEndpoint(b.endpoint, b.secure);
    this.pathStyle = b.pathStyle != null ? b.pathStyle : endpoint != null && !isAws(endpoint);
    this.uploadPartBytes = b.uploadPartBytes;
    this.maxRetries = b.maxRetries;
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * {@code null} or blank: AWS. Without a scheme, {@code https://} or {@code http://} as
   * {@code secure} says; with one, as given. A trailing slash is dropped.
   */
  static String normalizeEndpoint(String endpoint, boolean secure) {
    if (endpoint == null || endpoint.isBlank()) {
      return null;
    }
    String e = endpoint.trim();
    while (e.endsWith("/")) {
      e = e.substring(0, e.length() - 1);
    }
    if (!e.contains("://")) {
      e = (secure ? "https://" : "http://") + e;
    }
    URI uri;
    try {
      uri = URI.create(e);
    } catch (IllegalArgumentException bad) {
      throw new IllegalArgumentException("S3ConnectParam: endpoint '" + endpoint
          + "' is not a host[:port] or URL: " + bad.getMessage(), bad);
    }
    String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
      throw new IllegalArgumentException("S3ConnectParam: endpoint '" + endpoint
          + "' must be host[:port] or an http(s) URL");
    }
    if (uri.getPath() != null && !uri.getPath().isEmpty()) {
      throw new IllegalArgumentException("S3ConnectParam: endpoint '" + endpoint
          + "' must not have a path (give the bucket as bucketName)");
    }
    return e;
  }

  private static boolean isAws(String endpoint) {
    String host = URI.create(endpoint).getHost().toLowerCase(Locale.ROOT);
    return host.equals("amazonaws.com") || host.endsWith(".amazonaws.com")
        || host.endsWith(".amazonaws.com.cn");
  }

  /** The endpoint URL ({@code https://host:port}), or null for AWS's own endpoint. */
  public String endpoint() {
    return endpoint;
  }

  /** The endpoint the S3 client is pointed at; null: the SDK's endpoint for the region. */
  URI endpointOverride() {
    if (endpoint == null) {
      return null;
    }
    URI uri = URI.create(endpoint);
    if (uri.getHost().equalsIgnoreCase(AWS_ENDPOINT) && uri.getPort() < 0
        && "https".equalsIgnoreCase(uri.getScheme())) {
      return null; // the global endpoint: let the SDK use the region's own
    }
    return uri;
  }

  public String region() {
    return region;
  }

  @Override
  public String bucket() {
    return bucketName;
  }

  public String bucketName() {
    return bucketName;
  }

  public boolean secure() {
    return endpoint == null || endpoint.toLowerCase(Locale.ROOT).startsWith("https://");
  }

  public boolean pathStyle() {
    return pathStyle;
  }

  /** The access key id, or null for the default AWS credential chain. */
  public String accessKey() {
    return accessKey;
  }

  public boolean hasSessionToken() {
    return sessionToken != null;
  }

  public int uploadPartBytes() {
    return uploadPartBytes;
  }

  public int maxRetries() {
    return maxRetries;
  }

  /** Static keys (with the session token, if any), else the default AWS credential chain. */
  public AwsCredentialsProvider credentialsProvider() {
    if (accessKey == null) {
      return DefaultCredentialsProvider.create();
    }
    return StaticCredentialsProvider.create(sessionToken != null
        ? AwsSessionCredentials.create(accessKey, secretKey, sessionToken)
        : AwsBasicCredentials.create(accessKey, secretKey));
  }

  /**
   * Sets Beam's {@link S3Options} (and {@link org.apache.beam.sdk.io.aws2.options.AwsOptions}):
   * region, endpoint, credentials provider, the S3 client factory (path style and retries) and the
   * upload part size. Registers these option interfaces for command-line parsing.
   */
  @Override
  public void applyTo(PipelineOptions options) {
    PipelineOptionsFactory.register(S3Options.class);
    PipelineOptionsFactory.register(PathStyleS3ClientBuilderFactory.Options.class);
    S3Options s3 = options.as(S3Options.class);
    s3.setAwsRegion(Region.of(region));
    URI override = endpointOverride();
    if (override != null) {
      s3.setEndpoint(override);
    }
    s3.setAwsCredentialsProvider(credentialsProvider());
    s3.setS3ClientFactoryClass(pathStyle ? PathStyleS3ClientBuilderFactory.class
        : PathStyleS3ClientBuilderFactory.VirtualHosted.class);
    s3.setS3UploadBufferSizeBytes(uploadPartBytes);
    options.as(PathStyleS3ClientBuilderFactory.Options.class).setS3MaxRetries(maxRetries);
  }

  /** {@code folder/x} → {@code s3://bucket/folder/x}. */
  @Override
  public String toBeamPath(String pathInBucket) {
    String p = pathInBucket == null ? "" : pathInBucket;
    while (p.startsWith("/")) {
      p = p.substring(1);
    }
    return "s3://" + bucketName + "/" + p;
  }

  /** An S3 client with exactly the settings {@link #applyTo} gives Beam. */
  public S3Client newClient() {
    PipelineOptions o = PipelineOptionsFactory.create();
    applyTo(o);
    S3Options s3 = o.as(S3Options.class);
    return new PathStyleS3ClientBuilderFactory() {
      @Override
      protected boolean pathStyle() {
        return pathStyle;
      }
    }.createBuilder(s3).build();
  }

  /**
   * Fails fast, before any data is written, when the bucket cannot be written: writes a small
   * object {@code <folder>/.milvus-bulkwriter-probe-<uuid>} (outside any data folder) and deletes
   * it again. Permanent faults are not retried.
   *
   * @param folderInBucket the folder the writer will write to (may be empty)
   * @throws IOException naming the bucket, the endpoint and the cause (never a secret)
   */
  public void checkWritable(String folderInBucket) throws IOException {
    String folder = folderInBucket == null ? "" : folderInBucket.replaceAll("^/+|/+$", "");
    String key = (folder.isEmpty() ? "" : folder + "/") + ".milvus-bulkwriter-probe-"
        + UUID.randomUUID();
    try (S3Client client = newClient()) {
      client.putObject(r -> r.bucket(bucketName).key(key), RequestBody.fromString("probe"));
      client.deleteObject(r -> r.bucket(bucketName).key(key));
    } catch (SdkException e) {
      throw new IOException(describeFailure(e, "write to"), e);
    }
  }

  /**
   * A message for a failed request to this bucket: the bucket, where it is, what went wrong, and
   * what to check. Never contains the secret key or session token.
   */
  public String describeFailure(Throwable e, String action) {
    String where = "S3 bucket '" + bucketName + "' at "
        + (endpoint == null ? "AWS (" + region + ")" : endpoint);
    String msg;
    if (e instanceof S3Exception) {
      S3Exception s = (S3Exception) e;
      String code = s.awsErrorDetails() != null ? s.awsErrorDetails().errorCode() : null;
      int status = s.statusCode();
      String detail = s.awsErrorDetails() != null && s.awsErrorDetails().errorMessage() != null
          ? s.awsErrorDetails().errorMessage() : s.getMessage();
      String hint;
      if ("NoSuchBucket".equals(code) || status == 404 && code == null) {
        hint = "the bucket does not exist (create it first: buckets are never created for you)";
      } else if ("InvalidAccessKeyId".equals(code) || "SignatureDoesNotMatch".equals(code)) {
        hint = "the credentials were refused: check the access key"
            + (accessKey != null ? " '" + accessKey + "'" : "") + " and the secret key";
      } else if (status == 403) {
        hint = "access denied: the credentials may not write to this bucket";
      } else if (status == 301 || "PermanentRedirect".equals(code)
          || "AuthorizationHeaderMalformed".equals(code)) {
        hint = "the bucket is in another region than '" + region + "': set region";
      } else {
        hint = "the server refused the request";
      }
      msg = "cannot " + action + " " + where + ": " + hint + " (HTTP " + status
          + (code != null ? " " + code : "") + ": " + detail + ")";
    } else if (e instanceof SdkClientException) {
      msg = "cannot " + action + " " + where + ": the endpoint could not be reached or answered"
          + " badly (check endpoint, secure and pathStyle): " + e.getMessage();
    } else {
      msg = "cannot " + action + " " + where + ": " + e;
    }
    return redact(msg);
  }

  /** Replaces the secret key and the session token by {@code ****} wherever they appear. */
  public String redact(String text) {
    if (text == null) {
      return null;
    }
    String t = text;
    if (secretKey != null && !secretKey.isEmpty()) {
      t = t.replace(secretKey, "****");
    }
    if (sessionToken != null && !sessionToken.isEmpty()) {
      t = t.replace(sessionToken, "****");
    }
    return t;
  }

  /** Everything but the secret key and the session token. */
  @Override
  public String toString() {
    return "S3ConnectParam{endpoint=" + (endpoint == null ? "AWS" : endpoint)
        + ", region=" + region
        + ", bucketName=" + bucketName
        + ", credentials=" + (accessKey == null ? "default AWS credential chain"
            : "accessKey=" + accessKey + ", secretKey=****"
                + (sessionToken != null ? ", sessionToken=****" : ""))
        + ", secure=" + secure()
        + ", pathStyle=" + pathStyle
        + "}";
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof S3ConnectParam)) {
      return false;
    }
    S3ConnectParam p = (S3ConnectParam) o;
    return secure == p.secure && pathStyle == p.pathStyle && uploadPartBytes == p.uploadPartBytes
        && maxRetries == p.maxRetries && Objects.equals(endpoint, p.endpoint)
        && Objects.equals(accessKey, p.accessKey) && Objects.equals(secretKey, p.secretKey)
        && Objects.equals(sessionToken, p.sessionToken) && region.equals(p.region)
        && bucketName.equals(p.bucketName);
  }

  @Override
  public int hashCode() {
    return Objects.hash(endpoint, accessKey, region, bucketName, secure, pathStyle);
  }

  /** The seed page's {@code S3ConnectParam(endpoint, access_key, secret_key, bucket_name, secure)}. */
  public static final class Builder {
    private String endpoint;
    private String accessKey;
    private String secretKey;
    private String sessionToken;
    private String region = DEFAULT_REGION;
    private String bucketName;
    private boolean secure = true;
    private Boolean pathStyle;
    private int uploadPartBytes = DEFAULT_UPLOAD_PART_BYTES;
    private int maxRetries = PathStyleS3ClientBuilderFactory.DEFAULT_MAX_RETRIES;

    private Builder() {}

    /**
     * {@code host[:port]} or a URL: {@code s3.amazonaws.com} (or none) for AWS,
     * {@code storage.googleapis.com} for GCS, {@code minio.local:9000} ...
     */
    public Builder endpoint(String endpoint) {
      this.endpoint = endpoint;
      return this;
    }

    public Builder accessKey(String accessKey) {
      this.accessKey = blankToNull(accessKey);
      return this;
    }

    public Builder secretKey(String secretKey) {
      this.secretKey = blankToNull(secretKey);
      return this;
    }

    /** Temporary credentials (STS): the session token beside the access and secret key. */
    public Builder sessionToken(String sessionToken) {
      this.sessionToken = blankToNull(sessionToken);
      return this;
    }

    /** The bucket's region; {@code us-east-1} by default (what S3-compatible servers expect). */
    public Builder region(String region) {
      if (region == null || region.isBlank()) {
        throw new IllegalArgumentException("S3ConnectParam: region must not be empty");
      }
      this.region = region.trim();
      return this;
    }

    public Builder bucketName(String bucketName) {
      this.bucketName = bucketName == null ? null : bucketName.trim();
      return this;
    }

    /** TLS: {@code https://} (true, the default) or {@code http://} for an endpoint without scheme. */
    public Builder secure(boolean secure) {
      this.secure = secure;
      return this;
    }

    /**
     * Path-style requests ({@code host/bucket/key}) instead of virtual-hosted ones
     * ({@code bucket.host/key}); by default on for every endpoint that is not AWS.
     */
    public Builder pathStyle(boolean pathStyle) {
      this.pathStyle = pathStyle;
      return this;
    }

    /** Bytes per uploaded part (memory per open file), at least 5 MiB; 8 MiB by default. */
    public Builder uploadPartBytes(int bytes) {
      if (bytes < MIN_UPLOAD_PART_BYTES) {
        throw new IllegalArgumentException("S3ConnectParam: uploadPartBytes " + bytes
            + " must be at least " + MIN_UPLOAD_PART_BYTES + " (S3's smallest part)");
      }
      this.uploadPartBytes = bytes;
      return this;
    }

    /** Retries of a request after a transient fault (5xx, throttling, reset); 8 by default. */
    public Builder maxRetries(int retries) {
      if (retries < 0) {
        throw new IllegalArgumentException("S3ConnectParam: maxRetries " + retries
            + " must be >= 0");
      }
      this.maxRetries = retries;
      return this;
    }

    public S3ConnectParam build() {
      return new S3ConnectParam(this);
    }

    private static String blankToNull(String s) {
      return s == null || s.isEmpty() ? null : s;
    }
  }
}
