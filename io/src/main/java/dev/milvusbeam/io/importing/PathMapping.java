package dev.milvusbeam.io.importing;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Turns the paths the writers report (full Beam paths: {@code s3://bucket/imports/<uuid>/1.parquet},
 * {@code azfs://account/container/…}, or local paths) into what the Import API takes.
 *
 * <ul>
 *   <li>{@link #objectKeys()} (Milvus): the object key inside Milvus' own bucket, without scheme
 *       and bucket ({@code s3://bucket/imports/x/1.parquet} → {@code imports/x/1.parquet};
 *       {@code azfs://account/container/k} → {@code k}), optionally checked against the
 *       {@link #withBucket bucket} and with a {@link #withRootPath root path} removed. A file
 *       group stays a group (a NumPy segment's {@code .npy} files).
 *   <li>{@link #objectUrls()} (Zilliz Cloud): a full URL per file group; {@code s3://}, {@code
 *       gs://} and {@code http(s)://} are kept, {@code azfs://account/container/k} becomes {@code
 *       https://account.blob.core.windows.net/container/k}; a NumPy group becomes its segment
 *       folder ({@code …/<uuid>/1/}).
 *   <li>{@link #asWritten()}: the paths are already what the server wants (e.g. the keys
 *       {@code RemoteBulkWriter.getBatchFiles()} returns).
 * </ul>
 *
 * {@link #withPrefixReplaced(String, String)} comes first and wins: a path that starts with
 * {@code from} becomes {@code to} + the rest, nothing else applies. It is the way to import from
 * local paths (a folder that is the bucket's mount, e.g. {@code /mnt/minio/a-bucket/} → {@code
 * ""}); a local path without such a mapping is refused, naming the path and the fix.
 */
public final class PathMapping implements Serializable {
  private static final long serialVersionUID = 1L;

  private enum Style { OBJECT_KEYS, OBJECT_URLS, AS_WRITTEN }

  private final Style style;
  private final String bucket;
  private final String rootPath;
  private final List<String> from;
  private final List<String> to;

  private PathMapping(Style style, String bucket, String rootPath, List<String> from,
      List<String> to) {
    this.style = style;
    this.bucket = bucket;
    this.rootPath = rootPath;
    this.from = List.copyOf(from);
    this.to = List.copyOf(to);
  }

  /** Milvus: object keys inside its bucket (the default for {@link ImportTarget#milvus}). */
  public static PathMapping objectKeys() {
    return new PathMapping(Style.OBJECT_KEYS, null, null, List.of(), List.of());
  }

  /** Zilliz Cloud: full object URLs, one per file group (the default for Zilliz Cloud). */
  public static PathMapping objectUrls() {
    return new PathMapping(Style.OBJECT_URLS, null, null, List.of(), List.of());
  }

  /** The paths unchanged: they already are keys inside Milvus' bucket (or URLs for the cloud). */
  public static PathMapping asWritten() {
    return new PathMapping(Style.AS_WRITTEN, null, null, List.of(), List.of());
  }

  /** The default for a target: keys for Milvus, URLs for Zilliz Cloud. */
  public static PathMapping defaultFor(ImportTarget target) {
    return target.isZillizCloud() ? objectUrls() : objectKeys();
  }

  /** Keys: refuse paths in any other bucket (or Azure container) than this one. */
  public PathMapping withBucket(String bucket) {
    requireKeys("withBucket");
    String b = trimSlashes(bucket);
    return new PathMapping(style, b.isEmpty() ? null : b, rootPath, from, to);
  }

  /**
   * Keys: remove this leading folder from every key (refusing keys outside it), for a Milvus
   * whose storage paths are relative to a folder of the bucket.
   */
  public PathMapping withRootPath(String rootPath) {
    requireKeys("withRootPath");
    String r = trimSlashes(rootPath);
    return new PathMapping(style, bucket, r.isEmpty() ? null : r, from, to);
  }

  /**
   * A path starting with {@code from} becomes {@code to} followed by the rest of the path; checked
   * first, in the order added; the first match wins and nothing else applies.
   */
  public PathMapping withPrefixReplaced(String from, String to) {
    if (from == null || from.isEmpty()) {
      throw new IllegalArgumentException("withPrefixReplaced: 'from' must not be empty");
    }
    List<String> f = new ArrayList<>(this.from);
    List<String> t = new ArrayList<>(this.to);
    f.add(from);
    t.add(Objects.requireNonNull(to, "to"));
    return new PathMapping(style, bucket, rootPath, f, t);
  }

  /** Whether the server wants one URL per group ({@code objectUrls}) rather than file lists. */
  public boolean isObjectUrls() {
    return style == Style.OBJECT_URLS;
  }

  /**
   * A file group as the Import API takes it: its keys (Milvus), or a one-element list with the
   * file's or the segment folder's URL (Zilliz Cloud).
   */
  public List<String> mapGroup(List<String> group) {
    if (group == null || group.isEmpty()) {
      throw new IllegalArgumentException("an empty file group cannot be imported");
    }
    if (style != Style.OBJECT_URLS) {
      List<String> out = new ArrayList<>(group.size());
      for (String p : group) {
        out.add(map(p));
      }
      return out;
    }
    if (group.size() == 1) {
      return List.of(map(group.get(0)));
    }
    String folder = null;
    for (String p : group) {
      int slash = p.lastIndexOf('/');
      String parent = slash < 0 ? "" : p.substring(0, slash + 1);
      if (folder != null && !folder.equals(parent)) {
        throw new IllegalArgumentException("the files of a group are in different folders ("
            + folder + ", " + parent + "): Zilliz Cloud imports a NumPy segment as one folder");
      }
      folder = parent;
    }
    return List.of(map(folder));
  }

  /** One path mapped; refuses, naming the path and the fix, what cannot be mapped. */
  public String map(String path) {
    if (path == null || path.isEmpty()) {
      throw new IllegalArgumentException("an empty path cannot be imported");
    }
    for (int i = 0; i < from.size(); i++) {
      if (path.startsWith(from.get(i))) {
        String mapped = to.get(i) + path.substring(from.get(i).length());
        return style == Style.OBJECT_KEYS ? stripLeadingSlashes(mapped) : mapped;
      }
    }
    switch (style) {
      case AS_WRITTEN:
        return path;
      case OBJECT_URLS:
        return url(path);
      default:
        return key(path);
    }
  }

  private String key(String path) {
    int scheme = path.indexOf("://");
    if (scheme <= 0 || path.regionMatches(true, 0, "file://", 0, 7)) {
      throw localPath(path, "an object key inside Milvus' bucket");
    }
    String rest = path.substring(scheme + 3);
    boolean azure = path.regionMatches(true, 0, "azfs://", 0, 7);
    int slash = rest.indexOf('/');
    if (azure && slash >= 0) {
      slash = rest.indexOf('/', slash + 1); // azfs://account/container/key
    }
    String container = slash < 0 ? rest : rest.substring(0, slash);
    String key = slash < 0 ? "" : rest.substring(slash + 1);
    if (azure) {
      container = container.substring(container.indexOf('/') + 1);
    }
    if (bucket != null && !bucket.equals(container)) {
      throw new IllegalArgumentException(path + " is not in Milvus' bucket '" + bucket
          + "': Milvus imports only from its own bucket");
    }
    key = stripLeadingSlashes(key);
    if (rootPath != null) {
      if (!key.startsWith(rootPath + "/")) {
        throw new IllegalArgumentException(path + " is not under the root path '" + rootPath
            + "/' of the import mapping");
      }
      key = key.substring(rootPath.length() + 1);
    }
    if (key.isEmpty()) {
      throw new IllegalArgumentException(path + " names a bucket, not a file");
    }
    return key;
  }

  private static String url(String path) {
    int scheme = path.indexOf("://");
    if (scheme <= 0 || path.regionMatches(true, 0, "file://", 0, 7)) {
      throw localPath(path, "a URL Zilliz Cloud can read (s3://, gs://, https://)");
    }
    if (path.regionMatches(true, 0, "azfs://", 0, 7)) {
      String rest = path.substring(7);
      int slash = rest.indexOf('/');
      if (slash <= 0) {
        throw new IllegalArgumentException(path + ": want azfs://account/container/path");
      }
      return "https://" + rest.substring(0, slash) + ".blob.core.windows.net" + rest.substring(slash);
    }
    return path;
  }

  private static IllegalArgumentException localPath(String path, String want) {
    return new IllegalArgumentException(path + " is a local path, and the import needs " + want
        + ": write to the bucket (s3://, gs://, azfs://), or map the folder explicitly"
        + " (PathMapping.withPrefixReplaced(\"/local/mount/of/bucket/\", \"\"),"
        + " on the command line --pathMap=/local/mount/of/bucket/=)");
  }

  private void requireKeys(String what) {
    if (style != Style.OBJECT_KEYS) {
      throw new IllegalArgumentException(what + " applies to PathMapping.objectKeys() only");
    }
  }

  private static String trimSlashes(String s) {
    String r = s == null ? "" : s.strip();
    while (r.startsWith("/")) {
      r = r.substring(1);
    }
    while (r.endsWith("/")) {
      r = r.substring(0, r.length() - 1);
    }
    return r;
  }

  private static String stripLeadingSlashes(String s) {
    int i = 0;
    while (i < s.length() && s.charAt(i) == '/') {
      i++;
    }
    return s.substring(i);
  }

  /** For display data: the mapping's rules, no secrets. */
  @Override
  public String toString() {
    StringBuilder b = new StringBuilder(style == Style.OBJECT_KEYS ? "object keys"
        : style == Style.OBJECT_URLS ? "object URLs" : "as written");
    if (bucket != null) {
      b.append(", bucket ").append(bucket);
    }
    if (rootPath != null) {
      b.append(", root path ").append(rootPath);
    }
    for (int i = 0; i < from.size(); i++) {
      b.append(", '").append(from.get(i)).append("' -> '").append(to.get(i)).append('\'');
    }
    return b.toString();
  }
}
