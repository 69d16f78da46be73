package dev.milvusbeam.io.importing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.milvusbeam.core.schema.CollectionSchema;
import dev.milvusbeam.core.schema.SchemaJson;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The Import API over HTTP (FORMAT.md section 5): {@code POST /v2/vectordb/jobs/import/create}
 * and {@code /describe}, JSON bodies, {@code Authorization: Bearer <token>}. One client per
 * target; thread-safe.
 *
 * <ul>
 *   <li>Retries ({@link ImportTiming}): HTTP 5xx, 408 and 429 and failed connections are sent
 *       again with backoff; a JSON answer {@code {"code":≠0,"message":…}} is not retried but
 *       thrown as an {@link ImportException} with the server's code and message.
 *   <li>Older servers have no {@code /describe}: when it answers HTTP 404, or a code or message
 *       saying "not found", the client asks {@code /get_progress} (Zilliz Cloud: {@code
 *       /getProgress}) instead, and keeps doing so.
 *   <li>{@code create} is retried like the others: a server that failed with 5xx created no job;
 *       a connection that dropped after the server took the request may leave a job the client
 *       never heard of (the Import API has no idempotency key). Its rows are then imported twice.
 *   <li>{@code /list} and {@code describeWithFiles} tell which file groups earlier jobs hold
 *       ({@link HeldGroups}), so that a rerun does not import them again.
 *   <li>{@code /commit} and {@code /abort} (Milvus 3.0, two-phase import) take {@code {"jobId"}}
 *       and answer {@code {"code":0,"data":{}}}; both are safe to resend (committing a job that is
 *       Committing or Completed, or aborting one already aborted, succeeds).
 * </ul>
 */
public final class ImportClient {
  static final String CREATE = "/v2/vectordb/jobs/import/create";
  static final String DESCRIBE = "/v2/vectordb/jobs/import/describe";
  static final String GET_PROGRESS = "/v2/vectordb/jobs/import/get_progress";
  static final String CLOUD_GET_PROGRESS = "/v2/vectordb/jobs/import/getProgress";
  static final String LIST = "/v2/vectordb/jobs/import/list";
  static final String COMMIT = "/v2/vectordb/jobs/import/commit";
  static final String ABORT = "/v2/vectordb/jobs/import/abort";
  static final String DESCRIBE_COLLECTION = "/v2/vectordb/collections/describe";
  private static final ObjectMapper JSON = new ObjectMapper();

  /** What a caller may want to show while it waits; all no-ops by default. */
  public interface Listener {
    default void created(String jobId, String collection, int fileGroups) {}

    default void polled(ImportJob job) {}

    default void retrying(String path, int attempt, int maxRetries, String problem) {}

    /** An earlier job already holds {@code fileGroups} of this run's groups: followed, not created. */
    default void skipped(ImportJob earlier, int fileGroups) {}

    /** Something the user should know that does not stop the import. */
    default void warning(String message) {}

    /** Two-phase import: {@code /commit} accepted for this job (it becomes visible). */
    default void committed(String jobId) {}

    /** Two-phase import: {@code /abort} accepted for this job (it ends Failed, nothing visible). */
    default void aborted(String jobId) {}
  }

  /** A job as {@code /describe} reports it, with the {@code details[].fileName} of its groups. */
  public static final class Described {
    private final ImportJob job;
    private final List<String> fileNames;

    Described(ImportJob job, List<String> fileNames) {
      this.job = job;
      this.fileNames = List.copyOf(fileNames);
    }

    public ImportJob job() { return job; }

    /**
     * One name per file group the job holds, as the server prints it: Go's {@code %v} of the
     * group's paths, {@code [a.parquet]} or {@code [u/2/id.npy u/2/vector.npy]}
     * ({@code internal/datacoord/import_util.go}, {@code GetTaskProgresses}). Empty until the
     * server has pre-imported the files (a Pending job lists none).
     */
    public List<String> fileNames() { return fileNames; }
  }

  /** How the client waits between polls and retries; tests record the waits instead. */
  interface Waiter {
    void await(Duration d);
  }

  private final ImportTarget target;
  private final ImportTiming timing;
  private final Waiter waiter;
  private final HttpClient http;
  private volatile boolean useDescribe = true;

  public ImportClient(ImportTarget target, ImportTiming timing) {
    this(target, timing, ImportClient::sleep);
  }

  ImportClient(ImportTarget target, ImportTiming timing, Waiter waiter) {
    this.target = target;
    this.timing = timing;
    this.waiter = waiter;
    Duration connect = timing.requestTimeout().compareTo(Duration.ofSeconds(10)) < 0
        ? timing.requestTimeout() : Duration.ofSeconds(10);
    this.http = HttpClient.newBuilder().connectTimeout(connect)
        .followRedirects(HttpClient.Redirect.NORMAL).build();
  }

  public ImportTarget target() {
    return target;
  }

  /**
   * Creates one job for these file groups (already mapped: keys for Milvus, one URL per group
   * for Zilliz Cloud; at most 1024); returns the job id.
   */
  public String create(ImportSpec spec, List<List<String>> groups, Listener listener) {
    if (groups.isEmpty() || groups.size() > ImportRunner.MAX_GROUPS_PER_REQUEST) {
      throw new IllegalArgumentException("an import request takes 1.."
          + ImportRunner.MAX_GROUPS_PER_REQUEST + " file groups, got " + groups.size());
    }
    ObjectNode body = JSON.createObjectNode();
    if (target.isZillizCloud()) {
      putIfSet(body, "clusterId", target.clusterId());
      putIfSet(body, "projectId", target.projectId());
      putIfSet(body, "regionId", target.regionId());
    }
    putIfSet(body, "dbName", target.dbName());
    body.put("collectionName", spec.collectionName());
    putIfSet(body, "partitionName", spec.partitionName());
    if (target.isZillizCloud()) {
      ArrayNode urls = body.putArray("objectUrls");
      for (List<String> g : groups) {
        g.forEach(urls::add);
      }
      putIfSet(body, "accessKey", target.accessKey());
      putIfSet(body, "secretKey", target.secretKey());
    } else {
      ArrayNode files = body.putArray("files");
      for (List<String> g : groups) {
        ArrayNode a = files.addArray();
        g.forEach(a::add);
      }
    }
    if (!spec.options().isEmpty()) {
      ObjectNode o = body.putObject("options");
      for (Map.Entry<String, String> e : spec.options().entrySet()) {
        o.put(e.getKey(), e.getValue());
      }
    }
    String what = "create an import job into collection " + spec.collectionName();
    JsonNode data = ok(post(CREATE, body, listener), what).path("data");
    JsonNode id = data.hasNonNull("jobId") ? data.get("jobId") : data.path("jobID");
    if (id.isMissingNode() || id.isNull() || id.asText().isEmpty()) {
      throw new ImportException("cannot " + what + ": the answer has no job id: "
          + excerpt(data.toString()));
    }
    listener.created(id.asText(), spec.collectionName(), groups.size());
    return id.asText();
  }

  /** The job's state now ({@code /describe}, or {@code /get_progress} on older servers). */
  public ImportJob describe(String jobId, String collection, int fileGroups, Listener listener) {
    return job(jobId, collection, fileGroups, describeData(jobId, collection, listener));
  }

  /** The job's state and the names of the file groups it holds ({@code details[].fileName}). */
  public Described describeWithFiles(String jobId, String collection, Listener listener) {
    JsonNode d = describeData(jobId, collection, listener);
    List<String> names = new ArrayList<>();
    for (JsonNode detail : d.path("details")) {
      String name = detail.path("fileName").asText("");
      if (!name.isEmpty()) {
        names.add(name);
      }
    }
    return new Described(job(jobId, collection, names.size(), d), names);
  }

  private JsonNode describeData(String jobId, String collection, Listener listener) {
    ObjectNode body = JSON.createObjectNode();
    body.put("jobId", jobId);
    putTarget(body);
    String what = "describe import job " + jobId + " (collection " + collection + ")";
    Answer a;
    if (useDescribe) {
      a = post(DESCRIBE, body, listener);
      if (a.isNotFound()) {
        Answer older = post(target.isZillizCloud() ? CLOUD_GET_PROGRESS : GET_PROGRESS, body,
            listener);
        if (!older.isNotFound()) {
          useDescribe = false; // an older server: ask it the old way from now on
          a = older;
        }
      }
    } else {
      a = post(target.isZillizCloud() ? CLOUD_GET_PROGRESS : GET_PROGRESS, body, listener);
    }
    return ok(a, what).path("data");
  }

  /**
   * The collection's import jobs as {@code /list} gives them: {@code {"data":{"records":[{"jobId",
   * "collectionName","state","progress","reason"?}]}}} (handler_v2.go {@code listImportJob});
   * their file groups are unknown here (0). Null when this server has no {@code /list} (HTTP 404
   * or a "not found" refusal): the caller cannot tell which groups were imported.
   */
  public List<ImportJob> list(String collection, Listener listener) {
    ObjectNode body = JSON.createObjectNode();
    putTarget(body);
    body.put("collectionName", collection);
    Answer a = post(LIST, body, listener);
    if (a.isNotFound() && !a.message().toLowerCase(java.util.Locale.ROOT).contains("collection")) {
      return null;
    }
    JsonNode data = ok(a, "list the import jobs of collection " + collection).path("data");
    JsonNode records = data.isArray() ? data : data.path("records");
    List<ImportJob> jobs = new ArrayList<>();
    for (JsonNode r : records) {
      String id = r.path("jobId").asText(r.path("jobID").asText(""));
      if (id.isEmpty()) {
        continue;
      }
      String name = r.path("collectionName").asText(collection);
      if (!name.isEmpty() && !name.equals(collection)) {
        continue; // a server that ignores the filter
      }
      jobs.add(job(id, collection, 0, r));
    }
    return jobs;
  }

  /**
   * The collection's schema as the server describes it ({@code POST
   * /v2/vectordb/collections/describe} {@code {"dbName"?, "collectionName"}}; Milvus only, Zilliz
   * Cloud's control plane does not serve it). A reply without {@code structFields} (Milvus 2.6
   * and older print none, even when the collection has struct arrays) gives a warning.
   *
   * @throws dev.milvusbeam.core.schema.SchemaException when the description lacks what the
   *     writer needs
   */
  public CollectionSchema describeCollection(String collection, Listener listener) {
    if (target.isZillizCloud()) {
      throw new IllegalArgumentException("the schema of a Zilliz Cloud collection is described by"
          + " the cluster's own endpoint, not the control plane: give its URI as a Milvus target");
    }
    ObjectNode body = JSON.createObjectNode();
    putIfSet(body, "dbName", target.dbName());
    body.put("collectionName", collection);
    JsonNode data = ok(post(DESCRIBE_COLLECTION, body, listener), "describe collection "
        + collection).path("data");
    if (!data.has("structFields")) {
      listener.warning("the server's description of collection " + collection + " has no"
          + " structFields (Milvus 2.6 and older never list struct-array fields over REST): if the"
          + " collection has one, the files will lack it; give the schema as a file instead");
    }
    return SchemaJson.fromDescribeReply(data);
  }

  /**
   * Makes an {@code Uncommitted} job visible ({@code POST /v2/vectordb/jobs/import/commit}
   * {@code {"jobId"}}; Milvus 3.0 or later). The server refuses a job in any state but
   * Uncommitted, Committing or Completed ("job … is in state …, expected Uncommitted") and a job
   * created without {@code auto_commit} "false" ("manual commit/abort not allowed").
   */
  public void commit(String jobId, String collection, Listener listener) {
    jobIdRequest(COMMIT, "commit", jobId, collection, listener);
    listener.committed(jobId);
  }

  /**
   * Drops a job that is not committed yet ({@code POST /v2/vectordb/jobs/import/abort} {@code
   * {"jobId"}}; Milvus 3.0 or later): it ends Failed, reason {@value ImportJob#ABORTED}. Refused
   * for a job Failed otherwise, Committing or Completed ("abort not allowed").
   */
  public void abort(String jobId, String collection, Listener listener) {
    jobIdRequest(ABORT, "abort", jobId, collection, listener);
    listener.aborted(jobId);
  }

  private void jobIdRequest(String path, String verb, String jobId, String collection,
      Listener listener) {
    ObjectNode body = JSON.createObjectNode();
    body.put("jobId", jobId);
    putTarget(body);
    String what = verb + " import job " + jobId + " (collection " + collection + ")";
    Answer a = post(path, body, listener);
    if (a.status == 404) {
      throw new ImportException("cannot " + what + ": this server has no " + path
          + " (two-phase import needs Milvus 3.0 or later)");
    }
    ok(a, what);
  }

  private void putTarget(ObjectNode body) {
    if (target.isZillizCloud()) {
      putIfSet(body, "clusterId", target.clusterId());
      putIfSet(body, "projectId", target.projectId());
      putIfSet(body, "regionId", target.regionId());
    } else {
      putIfSet(body, "dbName", target.dbName());
    }
  }

  /**
   * Outside a two-phase import nothing else commits an {@code Uncommitted} job (one that a
   * two-phase import stopped before its commit left, and that holds groups of this import): it
   * would wait until its server-side timeout, so it is committed, with a warning.
   */
  void commitStranded(ImportJob job, Listener listener) {
    listener.warning("earlier import job " + job.jobId() + " is Uncommitted (a two-phase import"
        + " stopped before its commit) and holds file groups of this import: committing it");
    commit(job.jobId(), job.collectionName() == null ? "" : job.collectionName(), listener);
  }

  /**
   * Polls with backoff until the job is Completed or Failed; returns it as last described. A job
   * found {@code Uncommitted} is committed ({@link #commitStranded}).
   */
  public ImportJob await(String jobId, String collection, int fileGroups, Listener listener) {
    long deadline = timing.waitTimeout().isZero() ? Long.MAX_VALUE
        : System.nanoTime() + timing.waitTimeout().toNanos();
    Duration wait = null;
    boolean committed = false;
    while (true) {
      wait = timing.nextPoll(wait);
      waiter.await(wait);
      ImportJob job = describe(jobId, collection, fileGroups, listener);
      listener.polled(job);
      if (job.isUncommitted() && !committed) {
        commitStranded(job, listener);
        committed = true;
      }
      if (job.isDone()) {
        return job;
      }
      if (System.nanoTime() > deadline) {
        throw new ImportException("import job " + jobId + " into collection " + collection
            + " is still " + job.state() + " (" + job.progress() + "%) after waiting "
            + timing.waitTimeout() + "; it keeps running on the server", job, null);
      }
    }
  }

  private static ImportJob job(String jobId, String collection, int fileGroups, JsonNode d) {
    String state = d.path("state").asText("");
    String name = d.hasNonNull("collectionName") ? d.get("collectionName").asText() : collection;
    String reason = d.path("reason").asText("");
    if (reason.isEmpty() && "Failed".equalsIgnoreCase(state)) {
      for (JsonNode detail : d.path("details")) { // the file that failed says why
        if (!detail.path("reason").asText("").isEmpty()) {
          reason = detail.path("fileName").asText("") + ": " + detail.path("reason").asText();
          break;
        }
      }
    }
    return new ImportJob(d.path("jobId").asText(jobId), name, state, d.path("progress").asInt(0),
        d.path("importedRows").asLong(0), d.path("totalRows").asLong(0), reason, fileGroups);
  }

  /** One answer: HTTP status and, when it was JSON, the body. */
  private static final class Answer {
    final String path;
    final int status;
    final String text;
    final JsonNode json;

    Answer(String path, int status, String text, JsonNode json) {
      this.path = path;
      this.status = status;
      this.text = text;
      this.json = json;
    }

    int code() {
      JsonNode c = json == null ? null : json.get("code");
      if (c == null || c.isNull()) {
        return 0;
      }
      try {
        return c.isNumber() ? c.asInt() : Integer.parseInt(c.asText().strip());
      } catch (NumberFormatException e) {
        return -1;
      }
    }

    String message() {
      return json == null ? text : json.path("message").asText(json.toString());
    }

    /**
     * HTTP 404, or a refusal whose code is 404 or whose message says "not found": perhaps a path
     * this server does not know (a job that is really unknown is unknown to both paths, and the
     * first answer is reported).
     */
    boolean isNotFound() {
      if (status == 404) {
        return true;
      }
      if (json == null || code() == 0 || code() == 200) {
        return false;
      }
      return code() == 404
          || message().toLowerCase(java.util.Locale.ROOT).contains("not found");
    }
  }

  /** The answer's JSON when the server said yes; otherwise an ImportException saying why. */
  private JsonNode ok(Answer a, String what) {
    if (a.status / 100 != 2) {
      throw new ImportException("cannot " + what + ": " + a.path + " answered HTTP " + a.status
          + (a.text.isBlank() ? "" : ": " + redact(excerpt(a.text))));
    }
    if (a.json == null) {
      throw new ImportException("cannot " + what + ": " + a.path + " answered no JSON: "
          + redact(excerpt(a.text)));
    }
    int code = a.code();
    if (code != 0 && code != 200) {
      throw new ImportException("cannot " + what + ": the server answered code "
          + a.json.path("code").asText() + ": " + redact(a.message()));
    }
    return a.json;
  }

  /** POSTs with retries on 5xx / 408 / 429 / connection problems; other answers are returned. */
  private Answer post(String path, ObjectNode body, Listener listener) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(target.uri() + path))
        .timeout(timing.requestTimeout())
        .header("Content-Type", "application/json")
        .header("Accept", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8));
    if (target.hasToken()) {
      b.header("Authorization", "Bearer " + target.token());
    }
    HttpRequest request = b.build();
    for (int attempt = 0; ; attempt++) {
      String problem;
      try {
        HttpResponse<String> r = http.send(request,
            HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        int s = r.statusCode();
        if (s < 500 && s != 408 && s != 429) {
          return new Answer(path, s, r.body() == null ? "" : r.body(), parse(r.body()));
        }
        problem = "HTTP " + s + (r.body() == null || r.body().isBlank() ? ""
            : ": " + redact(excerpt(r.body())));
      } catch (IOException e) {
        problem = e.getClass().getSimpleName() + (e.getMessage() == null ? ""
            : ": " + redact(e.getMessage()));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new ImportException("interrupted while calling " + target.uri() + path, e);
      }
      if (attempt >= timing.maxRetries()) {
        throw new ImportException(target + path + " failed after " + (attempt + 1)
            + " attempts: " + problem);
      }
      listener.retrying(path, attempt + 1, timing.maxRetries(), problem);
      waiter.await(timing.retryWait(attempt + 1));
    }
  }

  private static JsonNode parse(String text) {
    if (text == null || text.isBlank()) {
      return null;
    }
    try {
      JsonNode n = JSON.readTree(text);
      return n != null && n.isObject() ? n : null;
    } catch (IOException e) {
      return null;
    }
  }

  /** Servers sometimes echo the request: keep the secrets out of messages anyway. */
  private String redact(String s) {
    String r = s;
    if (target.hasToken() && target.token().length() >= 4) {
      r = r.replace(target.token(), "***");
    }
    if (target.hasSecretKey() && target.secretKey().length() >= 4) {
      r = r.replace(target.secretKey(), "***");
    }
    return r;
  }

  private static String excerpt(String s) {
    String t = s.strip();
    return t.length() <= 300 ? t : t.substring(0, 300) + "…";
  }

  private static void putIfSet(ObjectNode o, String key, String value) {
    if (value != null && !value.isEmpty()) {
      o.put(key, value);
    }
  }

  /** Waits; an interrupt ends the wait with an {@link ImportException} (interrupt flag kept). */
  static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ImportException("interrupted while waiting for an import", e);
    }
  }
}
