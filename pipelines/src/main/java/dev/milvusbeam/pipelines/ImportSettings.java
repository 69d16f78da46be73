package dev.milvusbeam.pipelines;

import dev.milvusbeam.core.schema.CollectionSchema;
import dev.milvusbeam.io.importing.ImportSpec;
import dev.milvusbeam.io.importing.ImportTarget;
import dev.milvusbeam.io.importing.ImportTiming;
import dev.milvusbeam.io.importing.PathMapping;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns the {@link ImportFlags} into the import's target, spec, path mapping and timing, refusing
 * bad values and combinations as usage errors (naming the flag) before anything runs.
 */
final class ImportSettings {
  private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h)?");

  final ImportTarget target;
  final ImportSpec spec;
  final PathMapping mapping;
  final ImportTiming timing;
  final boolean routeFailedJobs;

  private ImportSettings(ImportTarget target, ImportSpec spec, PathMapping mapping,
      ImportTiming timing, boolean routeFailedJobs) {
    this.target = target;
    this.spec = spec;
    this.mapping = mapping;
    this.timing = timing;
    this.routeFailedJobs = routeFailedJobs;
  }

  /**
   * @param uri the Milvus REST endpoint ({@code --uri} / {@code --importTo}); for Zilliz Cloud
   *     optional (the control plane by default)
   * @param uriFlag the flag's name, for messages
   * @param csv CSV files: {separator, nullKey} they were written with; null for other types
   * @param schema the collection schema when known (a partition is refused with a partition key)
   */
  static ImportSettings of(ImportFlags f, String uri, String uriFlag, String[] csv,
      CollectionSchema schema) {
    try {
      ImportTarget target = target(f, uri, uriFlag);
      if (f.getCollection() == null || f.getCollection().isBlank()) {
        throw new UsageException("--collection is required to import");
      }
      ImportSpec spec = ImportSpec.into(f.getCollection()).withPartition(f.getPartition());
      if (f.getImportTimeout() != null) {
        spec = spec.withTimeout(f.getImportTimeout());
      }
      if (csv != null) {
        spec = spec.withCsv(WriterSettings.separator(csv[0]), csv[1] == null ? "" : csv[1]);
      }
      for (String kv : list(f.getImportOptions())) {
        int eq = kv.indexOf('=');
        if (eq <= 0) {
          throw new UsageException("--importOptions='" + kv + "': want key=value");
        }
        spec = spec.withOption(kv.substring(0, eq), kv.substring(eq + 1));
      }
      spec = spec.checkAgainst(schema);
      return new ImportSettings(target, spec, mapping(f, target), timing(f),
          Boolean.TRUE.equals(f.getRouteFailedJobs()));
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
  }

  private static ImportTarget target(ImportFlags f, String uri, String uriFlag) {
    boolean cloud = f.getClusterId() != null || f.getProjectId() != null;
    if (!cloud) {
      if (uri == null || uri.isBlank()) {
        throw new UsageException("--" + uriFlag + " is required: Milvus' REST endpoint, e.g."
            + " http://localhost:19530 (or --clusterId for Zilliz Cloud)");
      }
      if (f.getApiKey() != null || f.getAccessKey() != null || f.getSecretKey() != null) {
        throw new UsageException("--apiKey, --accessKey and --secretKey are for Zilliz Cloud"
            + " (with --clusterId or --projectId); Milvus takes --token");
      }
      String token = f.getToken() != null ? f.getToken() : System.getenv("MILVUS_TOKEN");
      return ImportTarget.milvus(uri).withToken(token).withDatabase(f.getDbName());
    }
    String key = f.getApiKey() != null ? f.getApiKey()
        : f.getToken() != null ? f.getToken() : System.getenv("ZILLIZ_API_KEY");
    if (key == null || key.isBlank()) {
      throw new UsageException("Zilliz Cloud needs --apiKey (or the ZILLIZ_API_KEY variable)");
    }
    ImportTarget t;
    if (f.getClusterId() != null) {
      t = ImportTarget.zillizCloud(f.getClusterId(), key);
    } else {
      if (f.getRegionId() == null) {
        throw new UsageException("--projectId needs --regionId (or use --clusterId)");
      }
      t = ImportTarget.zillizCloudProject(f.getProjectId(), f.getRegionId(), key);
    }
    if (uri != null && !uri.isBlank()) {
      t = t.withUri(uri);
    }
    if (f.getAccessKey() != null || f.getSecretKey() != null) {
      if (f.getAccessKey() == null || f.getSecretKey() == null) {
        throw new UsageException("--accessKey and --secretKey go together");
      }
      t = t.withBucketCredentials(f.getAccessKey(), f.getSecretKey());
    }
    return t.withDatabase(f.getDbName());
  }

  private static PathMapping mapping(ImportFlags f, ImportTarget target) {
    boolean keys = !target.isZillizCloud();
    PathMapping m;
    if (Boolean.TRUE.equals(f.getPathsAreKeys())) {
      m = PathMapping.asWritten();
    } else {
      m = PathMapping.defaultFor(target);
      if (f.getBucket() != null) {
        requireKeys(keys, "--bucket");
        m = m.withBucket(f.getBucket());
      }
      if (f.getRootPath() != null) {
        requireKeys(keys, "--rootPath");
        m = m.withRootPath(f.getRootPath());
      }
    }
    for (String rule : list(f.getPathMap())) {
      int eq = rule.indexOf('=');
      if (eq <= 0) {
        throw new UsageException("--pathMap='" + rule + "': want FROM=TO (TO may be empty)");
      }
      m = m.withPrefixReplaced(rule.substring(0, eq), rule.substring(eq + 1));
    }
    return m;
  }

  private static void requireKeys(boolean keys, String flag) {
    if (!keys) {
      throw new UsageException(flag + " applies to Milvus object keys; Zilliz Cloud takes URLs"
          + " (use --pathMap to rewrite them)");
    }
  }

  static ImportTiming timing(ImportFlags f) {
    ImportTiming t = ImportTiming.defaults()
        .withPollInterval(duration(f.getPollInterval(), "pollInterval"),
            duration(f.getMaxPollInterval(), "maxPollInterval"))
        .withWaitTimeout(duration(f.getWaitTimeout(), "waitTimeout"));
    int retries = f.getMaxRetries() == null ? 5 : f.getMaxRetries();
    return t.withRetries(retries, duration(f.getRetryBackoff(), "retryBackoff"));
  }

  /** {@code 500ms}, {@code 2s}, {@code 5m}, {@code 1h}; a bare number is seconds. */
  static Duration duration(String text, String flag) {
    Matcher m = DURATION.matcher(text == null ? "" : text.strip().toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      throw new UsageException("--" + flag + "='" + text + "': want a duration like 500ms, 2s,"
          + " 5m, 1h");
    }
    long n = Long.parseLong(m.group(1));
    String unit = m.group(2) == null ? "s" : m.group(2);
    switch (unit) {
      case "ms":
        return Duration.ofMillis(n);
      case "m":
        return Duration.ofMinutes(n);
      case "h":
        return Duration.ofHours(n);
      default:
        return Duration.ofSeconds(n);
    }
  }

  private static List<String> list(List<String> l) {
    return l == null ? List.of() : l;
  }
}
