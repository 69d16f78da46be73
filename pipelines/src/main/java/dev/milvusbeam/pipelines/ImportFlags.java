package dev.milvusbeam.pipelines;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.List;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;

/**
 * The Import API flags shared by {@code bulkwriter import} and {@code bulkwriter convert
 * --importTo=…}: authentication, database and collection ({@link SchemaSourceFlags}), partition, options, the path mapping,
 * Zilliz Cloud, polling. Secrets ({@code --token}, {@code --apiKey}, {@code --secretKey}) are
 * {@code @JsonIgnore}: Beam neither serializes them with the pipeline nor shows them.
 */
@Description("Import (import, and convert with --importTo): the target, authentication, path"
    + " mapping, Zilliz Cloud and polling. --token, --apiKey and --secretKey are never printed,"
    + " logged or shipped with the job.")
public interface ImportFlags extends SchemaSourceFlags {
  @Description("Partition to import into (refused when the collection has a partition key).")
  String getPartition();

  void setPartition(String value);

  @Description("Server-side import job timeout (the 'timeout' option), e.g. 300s, 1.5h, 1h30m.")
  String getImportTimeout();

  void setImportTimeout(String value);

  @Description("More Import API options, key=value[,key=value…] (values are sent as strings).")
  List<String> getImportOptions();

  void setImportOptions(List<String> value);

  @Description("Path mapping FROM=TO[,FROM=TO…]: a written path starting with FROM becomes TO"
      + " followed by the rest (checked first; how local paths are imported, e.g."
      + " --pathMap=/mnt/minio/a-bucket/=). Without it, Milvus gets the object key inside its"
      + " bucket (s3://bucket/ or azfs://account/container/ removed) and Zilliz Cloud the full"
      + " URL; local paths are refused.")
  List<String> getPathMap();

  void setPathMap(List<String> value);

  @Description("Milvus' bucket: paths in another bucket are refused.")
  String getBucket();

  void setBucket(String value);

  @Description("A leading folder removed from every object key (keys outside it are refused).")
  String getRootPath();

  void setRootPath(String value);

  @Description("The batch files already are what the server takes (e.g. RemoteBulkWriter keys):"
      + " send them unchanged.")
  @Default.Boolean(false)
  Boolean getPathsAreKeys();

  void setPathsAreKeys(Boolean value);

  @Description("Zilliz Cloud: the cluster id (in01-…). Makes the import go to Zilliz Cloud.")
  String getClusterId();

  void setClusterId(String value);

  @Description("Zilliz Cloud: the project id (with --regionId, instead of --clusterId).")
  String getProjectId();

  void setProjectId(String value);

  @Description("Zilliz Cloud: the region id, e.g. aws-us-west-2 (with --projectId).")
  String getRegionId();

  void setRegionId(String value);

  @Description("Zilliz Cloud: the API key. Default: --token, then the ZILLIZ_API_KEY environment"
      + " variable.")
  @JsonIgnore
  String getApiKey();

  void setApiKey(String value);

  @Description("Zilliz Cloud: the access key of the bucket the files are in.")
  String getAccessKey();

  void setAccessKey(String value);

  @Description("Zilliz Cloud: the secret key of the bucket the files are in.")
  @JsonIgnore
  String getSecretKey();

  void setSecretKey(String value);

  @Description("First wait between polls of a job's state; each next wait is 1.5x longer, up to"
      + " --maxPollInterval. Units ms, s, m, h.")
  @Default.String("1s")
  String getPollInterval();

  void setPollInterval(String value);

  @Description("Longest wait between polls (at least --pollInterval). Units ms, s, m, h.")
  @Default.String("30s")
  String getMaxPollInterval();

  void setMaxPollInterval(String value);

  @Description("Stop waiting for the jobs after this long (0: until they complete or fail; the"
      + " jobs keep running on the server).")
  @Default.String("0")
  String getWaitTimeout();

  void setWaitTimeout(String value);

  @Description("Retries (0 or more) of a request that failed with HTTP 5xx, 408, 429 or a connection error"
      + " (a JSON refusal with a non-zero code is never retried).")
  @Default.Integer(5)
  Integer getMaxRetries();

  void setMaxRetries(Integer value);

  @Description("First wait before a retry (doubled each time, at most 30s). Units ms, s, m,"
      + " h.")
  @Default.String("1s")
  String getRetryBackoff();

  void setRetryBackoff(String value);

  @Description("Import every file group, also those an earlier import job into the collection"
      + " already holds (Pending, Importing, Uncommitted, Committing or Completed): their rows are"
      + " then imported twice. Without it, such groups are skipped and those jobs awaited.")
  @Default.Boolean(false)
  Boolean getForce();

  void setForce(Boolean value);

  @Description("Two-phase import (Milvus 3.0 or later): the jobs are created uncommitted"
      + " (option auto_commit \"false\") and committed only once every one is Uncommitted; if one"
      + " fails, the wait times out or the command is stopped (Ctrl-C), the others are aborted, so"
      + " that the folder is imported whole or not at all. Milvus 2.6 ignores it (a warning says"
      + " the rows are visible at once).")
  @Default.Boolean(false)
  Boolean getTwoPhaseCommit();

  void setTwoPhaseCommit(Boolean value);

  @Description("Failed import jobs are reported in the summary line (state Failed, reason) and"
      + " the command exits 0, instead of failing with the server's reason (exit 1).")
  @Default.Boolean(false)
  Boolean getRouteFailedJobs();

  void setRouteFailedJobs(Boolean value);
}
