package dev.milvusbeam.pipelines;

import dev.milvusbeam.core.format.FormatOptions;
import dev.milvusbeam.core.schema.CollectionSchema;
import dev.milvusbeam.io.importing.ImportSpec;
import dev.milvusbeam.io.importing.ImportTarget;
import dev.milvusbeam.io.importing.ImportTiming;
import dev.milvusbeam.io.importing.PathMapping;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@link ImportFlags} of {@code import} and {@code convert --importTo}, read once: the
 * import's target, spec, path mapping and timing, bad values and combinations refused (naming the
 * flag) before anything runs. Secrets are never part of a message.
 *
 * @param spec collection, partition (checked against the schema when known), timeout and {@code
 *     --twoPhaseCommit}; the CSV options and {@code --importOptions} are added by {@link
 *     #spec(FormatOptions)}
 * @param importOptions {@code --importOptions}, in order
 * @param force {@code --force}: also the groups earlier jobs hold
 */
record ImportSettings(ImportTarget target, ImportSpec spec, Map<String, String> importOptions,
    PathMapping mapping, ImportTiming timing, boolean routeFailedJobs, boolean force) {

  /**
   * @param uri the Milvus REST endpoint ({@code --uri} / {@code --importTo}); for Zilliz Cloud
   *     optional (the control plane by default)
   * @param uriFlag the flag's name, for messages
   * @param schema the collection schema when known (a partition is refused with a partition key)
   */
  static ImportSettings from(ImportFlags f, String uri, String uriFlag, CollectionSchema schema) {
    ImportTarget target = target(f, uri, uriFlag);
    String collection = f.getCollection();
    if (collection == null || collection.isBlank()) {
      throw new UsageException("--collection is required to import");
    }
    ImportSpec spec = Flags.checked("collection", collection, () -> ImportSpec.into(collection))
        .withPartition(f.getPartition());
    if (f.getImportTimeout() != null) {
      ImportSpec s = spec;
      spec = Flags.checked("importTimeout", f.getImportTimeout(),
          () -> s.withTimeout(f.getImportTimeout()));
    }
    ImportSpec unchecked = spec;
    spec = Flags.checked("partition", f.getPartition(), () -> unchecked.checkAgainst(schema));
    Map<String, String> options = new LinkedHashMap<>();
    for (String kv : list(f.getImportOptions())) {
      int eq = kv.indexOf('=');
      if (eq <= 0) {
        throw Flags.refused("importOptions", kv, "want key=value");
      }
      Flags.checked("importOptions", kv,
          () -> ImportSpec.into(collection).withOption(kv.substring(0, eq), kv.substring(eq + 1)));
      options.put(kv.substring(0, eq), kv.substring(eq + 1));
    }
    if (Boolean.TRUE.equals(f.getTwoPhaseCommit())) {
      String auto = options.get("auto_commit");
      if (auto != null && !auto.equalsIgnoreCase("false")) {
        throw new UsageException("--twoPhaseCommit creates the jobs with auto_commit=false;"
            + " --importOptions says auto_commit=" + auto);
      }
      spec = spec.withTwoPhaseCommit();
    }
    return new ImportSettings(target, spec, Collections.unmodifiableMap(options),
        mapping(f, target), timing(f), Boolean.TRUE.equals(f.getRouteFailedJobs()),
        Boolean.TRUE.equals(f.getForce()));
  }

  /** The request's spec: CSV files get the separator and null key they were written with. */
  ImportSpec spec(FormatOptions csv) {
    ImportSpec s = csv == null ? spec : spec.withCsv(csv.csvSeparator(), csv.csvNullKey());
    for (Map.Entry<String, String> o : importOptions.entrySet()) { // any other option wins
      s = s.withOption(o.getKey(), o.getValue());
    }
    return s;
  }

  private static ImportTarget target(ImportFlags f, String uri, String uriFlag) {
    boolean cloud = f.getClusterId() != null || f.getProjectId() != null;
    boolean hasUri = uri != null && !uri.isBlank();
    if (!cloud) {
      if (!hasUri) {
        throw new UsageException("--" + uriFlag + " is required: Milvus' REST endpoint, e.g."
            + " http://localhost:19530 (or --clusterId for Zilliz Cloud)");
      }
      if (f.getApiKey() != null || f.getAccessKey() != null || f.getSecretKey() != null) {
        throw new UsageException("--apiKey, --accessKey and --secretKey are for Zilliz Cloud"
            + " (with --clusterId or --projectId); Milvus takes --token");
      }
      String token = f.getToken() != null ? f.getToken() : System.getenv("MILVUS_TOKEN");
      return Flags.checked(uriFlag, uri, () -> ImportTarget.milvus(uri))
          .withToken(token).withDatabase(f.getDbName());
    }
    String key = f.getApiKey() != null ? f.getApiKey()
        : f.getToken() != null ? f.getToken() : System.getenv("ZILLIZ_API_KEY");
    if (key == null || key.isBlank()) {
      throw new UsageException("Zilliz Cloud needs --apiKey (or the ZILLIZ_API_KEY variable)");
    }
    ImportTarget t;
    if (f.getClusterId() != null) {
      t = Flags.checked("clusterId", f.getClusterId(),
          () -> ImportTarget.zillizCloud(f.getClusterId(), key));
    } else {
      if (f.getRegionId() == null) {
        throw new UsageException("--projectId needs --regionId (or use --clusterId)");
      }
      t = Flags.checked("projectId", f.getProjectId(),
          () -> ImportTarget.zillizCloudProject(f.getProjectId(), f.getRegionId(), key));
    }
    if (hasUri) {
      ImportTarget cloudTarget = t;
      t = Flags.checked(uriFlag, uri, () -> cloudTarget.withUri(uri));
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
        PathMapping d = m;
        m = Flags.checked("bucket", f.getBucket(), () -> d.withBucket(f.getBucket()));
      }
      if (f.getRootPath() != null) {
        requireKeys(keys, "--rootPath");
        PathMapping d = m;
        m = Flags.checked("rootPath", f.getRootPath(), () -> d.withRootPath(f.getRootPath()));
      }
    }
    for (String rule : list(f.getPathMap())) {
      int eq = rule.indexOf('=');
      if (eq <= 0) {
        throw Flags.refused("pathMap", rule, "want FROM=TO (TO may be empty)");
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

  private static ImportTiming timing(ImportFlags f) {
    Duration first = positive("pollInterval", f.getPollInterval());
    Duration max = positive("maxPollInterval", f.getMaxPollInterval());
    if (max.compareTo(first) < 0) {
      throw Flags.refused("maxPollInterval", f.getMaxPollInterval(), "must be at least"
          + " --pollInterval='" + f.getPollInterval() + "'");
    }
    return ImportTiming.defaults()
        .withPollInterval(first, max)
        .withWaitTimeout(Flags.duration("waitTimeout", f.getWaitTimeout()))
        .withRetries(Flags.atLeast("maxRetries", f.getMaxRetries(), 0, 5),
            positive("retryBackoff", f.getRetryBackoff()));
  }

  private static Duration positive(String flag, String text) {
    Duration d = Flags.duration(flag, text);
    if (d.isZero()) {
      throw Flags.refused(flag, text, "must be longer than 0");
    }
    return d;
  }

  private static List<String> list(List<String> l) {
    return l == null ? List.of() : l;
  }
}
