package dev.milvusbeam.io.importing;

import java.io.Serializable;
import java.net.URI;
import java.util.Objects;

/**
 * Where an import goes and how to authenticate: a Milvus server (REST v2 base URI, a token or
 * {@code user:password}, a database) or Zilliz Cloud (the control plane, a cluster id or a project
 * and region, an API key, and the access key / secret key of the bucket the files are in).
 *
 * <p>Immutable. Secrets (token, API key, secret key) never appear in {@link #toString()}, display
 * data or error messages; they do travel, serialized, inside the pipeline to the workers that call
 * the Import API.
 */
public final class ImportTarget implements Serializable {
  private static final long serialVersionUID = 1L;
  /** Zilliz Cloud's control plane (the Import API is served there, not by the cluster). */
  public static final String ZILLIZ_CLOUD_URI = "https://api.cloud.zilliz.com";

  /** Self-hosted Milvus, or Zilliz Cloud's control plane. */
  public enum Kind { MILVUS, ZILLIZ_CLOUD }

  private final Kind kind;
  private final String uri;
  private final String token;
  private final String dbName;
  private final String clusterId;
  private final String projectId;
  private final String regionId;
  private final String accessKey;
  private final String secretKey;

  private ImportTarget(Kind kind, String uri, String token, String dbName, String clusterId,
      String projectId, String regionId, String accessKey, String secretKey) {
    this.kind = kind;
    this.uri = uri;
    this.token = token;
    this.dbName = dbName;
    this.clusterId = clusterId;
    this.projectId = projectId;
    this.regionId = regionId;
    this.accessKey = accessKey;
    this.secretKey = secretKey;
  }

  /** A Milvus server's REST endpoint, e.g. {@code http://localhost:19530}. */
  public static ImportTarget milvus(String uri) {
    return new ImportTarget(Kind.MILVUS, checkUri(uri), null, null, null, null, null, null, null);
  }

  /** A Zilliz Cloud cluster, by id ({@code in01-…}), with an API key. */
  public static ImportTarget zillizCloud(String clusterId, String apiKey) {
    return new ImportTarget(Kind.ZILLIZ_CLOUD, ZILLIZ_CLOUD_URI, required(apiKey, "apiKey"), null,
        required(clusterId, "clusterId"), null, null, null, null);
  }

  /** Zilliz Cloud by project and region (for calls that take them instead of a cluster id). */
  public static ImportTarget zillizCloudProject(String projectId, String regionId, String apiKey) {
    return new ImportTarget(Kind.ZILLIZ_CLOUD, ZILLIZ_CLOUD_URI, required(apiKey, "apiKey"), null,
        null, required(projectId, "projectId"), required(regionId, "regionId"), null, null);
  }

  /** Milvus: a token, or {@code user:password} (sent as {@code Authorization: Bearer …}). */
  public ImportTarget withToken(String token) {
    requireKind(Kind.MILVUS, "withToken (use the API key of zillizCloud(...))");
    return new ImportTarget(kind, uri, blankToNull(token), dbName, clusterId, projectId, regionId,
        accessKey, secretKey);
  }

  /** Milvus: user and password, sent as the token {@code user:password}. */
  public ImportTarget withUser(String user, String password) {
    if (user == null || user.isEmpty() || user.contains(":")) {
      throw new IllegalArgumentException("withUser: the user name must be set and have no ':'");
    }
    return withToken(user + ":" + Objects.requireNonNull(password, "password"));
  }

  /** The database the collection is in (Milvus; omitted means Milvus' {@code default}). */
  public ImportTarget withDatabase(String dbName) {
    return new ImportTarget(kind, uri, token, blankToNull(dbName), clusterId, projectId, regionId,
        accessKey, secretKey);
  }

  /** Zilliz Cloud: the keys of the bucket the object URLs point into. */
  public ImportTarget withBucketCredentials(String accessKey, String secretKey) {
    requireKind(Kind.ZILLIZ_CLOUD, "withBucketCredentials");
    if ((accessKey == null) != (secretKey == null)) {
      throw new IllegalArgumentException("withBucketCredentials: set both the access key and the"
          + " secret key, or neither");
    }
    return new ImportTarget(kind, uri, token, dbName, clusterId, projectId, regionId,
        blankToNull(accessKey), blankToNull(secretKey));
  }

  /** Another endpoint (Zilliz Cloud: another control plane, or a test server). */
  public ImportTarget withUri(String uri) {
    return new ImportTarget(kind, checkUri(uri), token, dbName, clusterId, projectId, regionId,
        accessKey, secretKey);
  }

  public Kind kind() { return kind; }
  public String uri() { return uri; }
  public String dbName() { return dbName; }
  public String clusterId() { return clusterId; }
  public String projectId() { return projectId; }
  public String regionId() { return regionId; }
  public String accessKey() { return accessKey; }
  public boolean hasToken() { return token != null; }
  public boolean hasSecretKey() { return secretKey != null; }

  /** For the Authorization header only; never log it. */
  String token() { return token; }

  String secretKey() { return secretKey; }

  public boolean isZillizCloud() {
    return kind == Kind.ZILLIZ_CLOUD;
  }

  /** Without secrets: safe to log and display. */
  @Override
  public String toString() {
    StringBuilder b = new StringBuilder(kind == Kind.MILVUS ? "Milvus " : "Zilliz Cloud ")
        .append(uri);
    if (clusterId != null) {
      b.append(" cluster ").append(clusterId);
    }
    if (projectId != null) {
      b.append(" project ").append(projectId).append(" region ").append(regionId);
    }
    if (dbName != null) {
      b.append(" db ").append(dbName);
    }
    b.append(token != null ? " (authenticated)" : " (no token)");
    return b.toString();
  }

  private void requireKind(Kind k, String what) {
    if (kind != k) {
      throw new IllegalArgumentException(what + " applies to "
          + (k == Kind.MILVUS ? "ImportTarget.milvus(...)" : "ImportTarget.zillizCloud(...)"));
    }
  }

  private static String checkUri(String uri) {
    if (uri == null || uri.isBlank()) {
      throw new IllegalArgumentException("the import URI must be set, e.g. http://localhost:19530");
    }
    String u = uri.strip();
    if (!u.contains("://")) {
      u = "http://" + u; // "localhost:19530", as Milvus SDKs accept it
    }
    while (u.endsWith("/")) {
      u = u.substring(0, u.length() - 1);
    }
    try {
      URI parsed = URI.create(u);
      if (!"http".equals(parsed.getScheme()) && !"https".equals(parsed.getScheme())
          || parsed.getHost() == null) {
        throw new IllegalArgumentException("bad import URI '" + uri + "': want http(s)://host:port");
      }
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("bad import URI '" + uri + "': want http(s)://host:port");
    }
    return u;
  }

  private static String required(String v, String name) {
    if (v == null || v.isBlank()) {
      throw new IllegalArgumentException(name + " must be set for Zilliz Cloud");
    }
    return v;
  }

  private static String blankToNull(String s) {
    return s == null || s.isEmpty() ? null : s;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof ImportTarget)) {
      return false;
    }
    ImportTarget t = (ImportTarget) o;
    return kind == t.kind && uri.equals(t.uri) && Objects.equals(token, t.token)
        && Objects.equals(dbName, t.dbName) && Objects.equals(clusterId, t.clusterId)
        && Objects.equals(projectId, t.projectId) && Objects.equals(regionId, t.regionId)
        && Objects.equals(accessKey, t.accessKey) && Objects.equals(secretKey, t.secretKey);
  }

  @Override
  public int hashCode() {
    return Objects.hash(kind, uri, clusterId, dbName);
  }
}
