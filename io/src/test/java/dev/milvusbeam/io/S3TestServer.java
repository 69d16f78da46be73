package dev.milvusbeam.io;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ListMultipartUploadsResponse;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A real S3-compatible server for tests: S3Proxy 4.1 embedded, in-memory ("transient") storage,
 * AWS signature v2/v4 authentication, on 127.0.0.1 and a free port. One per test class. Also an
 * independent S3 client (the AWS SDK, not Beam) to create buckets, list and download objects.
 */
final class S3TestServer implements AutoCloseable {
  static final String ACCESS_KEY = "test-access-key";
  static final String SECRET_KEY = "test-secret-key-Zk3r9sQ";

  private static ClassLoader loader;

  private final Object proxy; // org.gaul.s3proxy.S3Proxy, in its own class loader
  private final URI endpoint;
  private final S3Client client;

  private S3TestServer(Object proxy, URI endpoint) {
    this.proxy = proxy;
    this.endpoint = endpoint;
    this.client = S3Client.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(
            AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
        .forcePathStyle(true).httpClientBuilder(ApacheHttpClient.builder()).build();
  }

  static S3TestServer start() throws Exception {
    ClassLoader isolated = s3ProxyClassLoader();
    Thread current = Thread.currentThread();
    ClassLoader previous = current.getContextClassLoader();
    current.setContextClassLoader(isolated);
    try {
      Properties props = new Properties();
      props.setProperty("jclouds.identity", ACCESS_KEY);
      props.setProperty("jclouds.credential", SECRET_KEY);
      Class<?> blobStoreType = isolated.loadClass("org.gaul.s3proxy.blobstore.BlobStore");
      Object blobStore = isolated.loadClass("org.gaul.s3proxy.BlobStores")
          .getMethod("create", String.class, Properties.class).invoke(null, "transient", props);
      Class<?> proxyType = isolated.loadClass("org.gaul.s3proxy.S3Proxy");
      Object builder = proxyType.getMethod("builder").invoke(null);
      Class<?> builderType = builder.getClass();
      @SuppressWarnings({"unchecked", "rawtypes"})
      Object auth = Enum.valueOf((Class) isolated.loadClass(
          "org.gaul.s3proxy.auth.AuthenticationType"), "AWS_V2_OR_V4");
      builderType.getMethod("blobStore", blobStoreType).invoke(builder, blobStore);
      builderType.getMethod("awsAuthentication", auth.getClass(), String.class, String.class)
          .invoke(builder, auth, ACCESS_KEY, SECRET_KEY);
      builderType.getMethod("endpoint", URI.class)
          .invoke(builder, URI.create("http://127.0.0.1:0"));
      Object proxy = builderType.getMethod("build").invoke(builder);
      proxyType.getMethod("start").invoke(proxy);
      long deadline = System.nanoTime() + 30_000_000_000L;
      while (!"STARTED".equals(proxyType.getMethod("getState").invoke(proxy))) {
        if (System.nanoTime() > deadline) {
          proxyType.getMethod("stop").invoke(proxy);
          throw new IllegalStateException("S3Proxy did not start");
        }
        Thread.sleep(10);
      }
      int port = (Integer) proxyType.getMethod("getPort").invoke(proxy);
      return new S3TestServer(proxy, URI.create("http://127.0.0.1:" + port));
    } finally {
      current.setContextClassLoader(previous);
    }
  }

  /**
   * S3Proxy's jar-with-dependencies bundles its own AWS SDK (2.5x), Jackson, Guava and Jetty; on
   * the test class path Beam's older AWS SDK comes first and S3Proxy fails with
   * NoSuchMethodError. So it runs in its own class loader that sees only its jar.
   */
  private static synchronized ClassLoader s3ProxyClassLoader() throws Exception {
    if (loader == null) {
      URL marker = S3TestServer.class.getClassLoader()
          .getResource("org/gaul/s3proxy/S3Proxy.class");
      if (marker == null || !"jar".equals(marker.getProtocol())) {
        throw new IllegalStateException("org.gaul:s3proxy:jar-with-dependencies is not on the"
            + " test class path: " + marker);
      }
      String file = marker.getPath().substring(0, marker.getPath().indexOf("!/"));
      loader = new URLClassLoader("s3proxy", new URL[] {new URL(file)},
          ClassLoader.getPlatformClassLoader());
    }
    return loader;
  }

  /** {@code http://127.0.0.1:<port>}. */
  URI endpoint() {
    return endpoint;
  }

  int port() {
    return endpoint.getPort();
  }

  /** Connection settings for a bucket on this server, through {@code endpoint} (host:port). */
  S3ConnectParam.Builder connect(String bucket, String hostPort) {
    return S3ConnectParam.builder().endpoint(hostPort).secure(false)
        .accessKey(ACCESS_KEY).secretKey(SECRET_KEY).bucketName(bucket);
  }

  S3ConnectParam.Builder connect(String bucket) {
    return connect(bucket, "127.0.0.1:" + port());
  }

  S3Client client() {
    return client;
  }

  void createBucket(String bucket) {
    client.createBucket(r -> r.bucket(bucket));
  }

  /** Every object key under a prefix, sorted. */
  List<String> keys(String bucket, String prefix) {
    List<String> keys = new ArrayList<>();
    for (S3Object o : client.listObjectsV2Paginator(r -> r.bucket(bucket).prefix(prefix))
        .contents()) {
      keys.add(o.key());
    }
    keys.sort(null);
    return keys;
  }

  /** Unfinished multipart uploads in a bucket (a failed upload that was never aborted). */
  List<String> pendingUploads(String bucket) {
    ListMultipartUploadsResponse r = client.listMultipartUploads(b -> b.bucket(bucket));
    List<String> keys = new ArrayList<>();
    r.uploads().forEach(u -> keys.add(u.key()));
    return keys;
  }

  /**
   * Downloads every object under {@code prefix/} into {@code dir}, keeping the path below the
   * prefix; returns {@code dir}.
   */
  /** One object's bytes. */
  byte[] object(String bucket, String key) throws IOException {
    try (InputStream in = client.getObject(r -> r.bucket(bucket).key(key))) {
      return in.readAllBytes();
    }
  }

  Path download(String bucket, String prefix, Path dir) throws IOException {
    String p = prefix.endsWith("/") ? prefix : prefix + "/";
    Files.createDirectories(dir);
    for (String key : keys(bucket, p)) {
      Path target = dir.resolve(key.substring(p.length()));
      Files.createDirectories(target.getParent());
      try (InputStream in = client.getObject(r -> r.bucket(bucket).key(key))) {
        Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
      }
    }
    return dir;
  }

  @Override
  public void close() throws ReflectiveOperationException {
    client.close();
    proxy.getClass().getMethod("stop").invoke(proxy);
  }
}
