package dev.milvusbeam.io.importing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A local server implementing the documented Import API contract (FORMAT.md section 5; no Milvus
 * can run on the test machines): {@code /v2/vectordb/jobs/import/create}, {@code /describe},
 * {@code /get_progress}, {@code /getProgress}, {@code /list}, {@code /commit}, {@code /abort} and
 * {@code /v2/vectordb/collections/describe}. Records every request (path, Authorization header,
 * body); each job walks through a script of states, one step per describe; faults can be queued.
 *
 * <p>Script steps: {@code "Pending"}, {@code "Importing:40"} (state and progress), {@code
 * "Completed"}, {@code "Failed:the reason"}. Default: Pending, Importing:50, Completed.
 *
 * <p>Shapes as the Milvus server source gives them (research milvus-import-2026-update.md §5-6;
 * handler_v2.go {@code listImportJob}, {@code getImportJobProcess}, {@code commitImportJob};
 * datacoord {@code GetTaskProgresses}, {@code CommitImport}, {@code AbortImport}):
 * <ul>
 *   <li>{@code /list} {@code {dbName?, collectionName?}} answers {@code {"code":0,"data":{"records":
 *       [{"jobId","collectionName","state","progress","reason"?}]}}};
 *   <li>describe's {@code details[]} has one entry per file group, {@code fileName} being Go's
 *       {@code %v} of the group's paths ({@code "[a b]"}); empty while the job is Pending;
 *   <li>{@code options} values must be JSON strings; {@code auto_commit} "true"/"false" (any case);
 *       with {@link #twoPhaseCommit} (master / 3.0), an {@code auto_commit=false} job stops at
 *       {@code Uncommitted} (progress 99) where its script says Completed, until {@code /commit}
 *       (then {@code Committing}, then {@code Completed}); {@code /abort} makes it Failed "aborted
 *       by user". Without it (2.6) the option is ignored and there are no commit/abort routes.
 * </ul>
 */
public final class ImportTestServer implements AutoCloseable {
  public static final ObjectMapper JSON = new ObjectMapper();
  public static final String CREATE = "/v2/vectordb/jobs/import/create";
  public static final String DESCRIBE = "/v2/vectordb/jobs/import/describe";
  public static final String GET_PROGRESS = "/v2/vectordb/jobs/import/get_progress";
  public static final String CLOUD_GET_PROGRESS = "/v2/vectordb/jobs/import/getProgress";
  public static final String LIST = "/v2/vectordb/jobs/import/list";
  public static final String COMMIT = "/v2/vectordb/jobs/import/commit";
  public static final String ABORT = "/v2/vectordb/jobs/import/abort";
  public static final String DESCRIBE_COLLECTION = "/v2/vectordb/collections/describe";

  /**
   * A describe-collection {@code data} as Milvus 2.6 / master print it (handler_v2.go
   * getCollectionDetails, printFieldsV2): {@code id} Int64 primary key, {@code year} Int32 with
   * the protobuf default {@code {"Data":{"IntData":2024}}}, {@code title} VarChar(64) nullable,
   * {@code vector} FloatVector dim 4, dynamic field on; {@code structFields} is master's (2.6
   * prints none).
   */
  public static final String ARTICLES = "{\"collectionName\":\"articles\",\"collectionID\":4567,"
      + "\"description\":\"\",\"autoId\":false,\"fields\":["
      + "{\"name\":\"id\",\"id\":100,\"type\":\"Int64\",\"description\":\"\",\"primaryKey\":true,"
      + "\"partitionKey\":false,\"clusteringKey\":false,\"autoId\":false,\"nullable\":false},"
      + "{\"name\":\"year\",\"id\":101,\"type\":\"Int32\",\"description\":\"\",\"primaryKey\":false,"
      + "\"partitionKey\":false,\"clusteringKey\":false,\"autoId\":false,\"nullable\":false,"
      + "\"defaultValue\":{\"Data\":{\"IntData\":2024}}},"
      + "{\"name\":\"title\",\"id\":102,\"type\":\"VarChar\",\"description\":\"\",\"primaryKey\":false,"
      + "\"partitionKey\":false,\"clusteringKey\":false,\"autoId\":false,\"nullable\":true,"
      + "\"params\":[{\"key\":\"max_length\",\"value\":\"64\"}]},"
      + "{\"name\":\"vector\",\"id\":103,\"type\":\"FloatVector\",\"description\":\"\","
      + "\"primaryKey\":false,\"partitionKey\":false,\"clusteringKey\":false,\"autoId\":false,"
      + "\"nullable\":false,\"params\":[{\"key\":\"dim\",\"value\":\"4\"}]}],"
      + "\"structFields\":[],\"functions\":[],\"aliases\":[],\"indexes\":[],"
      + "\"load\":\"LoadStateNotLoad\",\"shardsNum\":1,\"partitionsNum\":1,"
      + "\"consistencyLevel\":\"Bounded\",\"enableDynamicField\":true,\"properties\":[]}";

  /** How this server answers {@code /describe}. */
  public enum Describe { SUPPORTED, HTTP_404, CODE_NOT_FOUND }

  /** One request as received. */
  public static final class Request {
    public final String path;
    public final String authorization;
    public final JsonNode body;
    public final long nanos;

    Request(String path, String authorization, JsonNode body, long nanos) {
      this.path = path;
      this.authorization = authorization;
      this.body = body;
      this.nanos = nanos;
    }

    @Override
    public String toString() {
      return path + " " + body;
    }
  }

  private static final class Job {
    final String id;
    final String collection;
    final List<String> fileNames;
    final int groups;
    final List<String> script;
    final boolean autoCommit;
    int step = -1;
    int progress;
    /** Set by commit or abort: overrides the script. */
    String override;
    boolean committed;

    Job(String id, String collection, List<String> fileNames, List<String> script,
        boolean autoCommit) {
      this.id = id;
      this.collection = collection;
      this.fileNames = fileNames;
      this.groups = fileNames.size();
      this.script = script;
      this.autoCommit = autoCommit;
    }

    /** {state, progress, reason} at the current step (no step taken). */
    String[] now() {
      if (override != null) {
        String[] o = override.split(":", 2);
        return new String[] {o[0], o[0].equals("Completed") ? "100"
            : o[0].equals("Committing") ? "99" : String.valueOf(progress),
            o.length > 1 ? o[1] : ""};
      }
      String[] step = script.get(Math.max(step(), 0)).split(":", 2);
      String state = step[0];
      if (state.equals("Completed") && !autoCommit) {
        return new String[] {"Uncommitted", "99", ""};
      }
      int p = state.equals("Completed") ? 100 : state.equals("Importing") && step.length > 1
          ? Integer.parseInt(step[1]) : state.equals("Failed") ? progress : 0;
      return new String[] {state, String.valueOf(p),
          state.equals("Failed") && step.length > 1 ? step[1] : ""};
    }

    int step() {
      return step;
    }
  }

  /** A canned answer for the next request to a path: status + body, or a dropped connection. */
  private static final class Fault {
    final int status;
    final String body;

    Fault(int status, String body) {
      this.status = status;
      this.body = body;
    }
  }

  private final HttpServer server;
  private final ExecutorService executor = Executors.newFixedThreadPool(4);
  private final List<Request> requests = new ArrayList<>();
  private final Map<String, Job> jobs = new HashMap<>();
  private final Map<Integer, List<String>> scripts = new HashMap<>();
  private final Map<String, Deque<Fault>> faults = new HashMap<>();
  private List<String> defaultScript = List.of("Pending", "Importing:50", "Completed");
  private Describe describe = Describe.SUPPORTED;
  private boolean hasList = true;
  private boolean twoPhase;
  private int refuseCreatesAfter = Integer.MAX_VALUE;
  private final Map<String, String> collections = new HashMap<>();
  private String requiredToken;
  private long rowsPerGroup = 100;
  private int created;

  public ImportTestServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    server.setExecutor(executor);
    server.start();
  }

  /** {@code http://127.0.0.1:PORT}. */
  public String uri() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  public synchronized ImportTestServer defaultScript(String... steps) {
    defaultScript = List.of(steps);
    return this;
  }

  /** The script of the n-th job created (0-based). */
  public synchronized ImportTestServer scriptForJob(int n, String... steps) {
    scripts.put(n, List.of(steps));
    return this;
  }

  public synchronized ImportTestServer describe(Describe mode) {
    describe = mode;
    return this;
  }

  /** Like Milvus before {@code /list} existed: it answers HTTP 404. */
  public synchronized ImportTestServer withoutList() {
    hasList = false;
    return this;
  }

  /** Like master / 3.0: {@code auto_commit=false}, {@code /commit} and {@code /abort}. */
  public synchronized ImportTestServer twoPhaseCommit() {
    twoPhase = true;
    return this;
  }

  /**
   * After {@code n} jobs, creates are refused (code 2100): how a test stops a run part way, as a
   * crash or a Ctrl-C after the n-th job would.
   */
  public synchronized ImportTestServer refuseCreatesAfter(int n) {
    refuseCreatesAfter = n;
    return this;
  }

  /** A collection {@code /collections/describe} knows: {@code data} is its describe reply. */
  public synchronized ImportTestServer collection(String name, String data) {
    collections.put(name, data);
    return this;
  }

  /** The state a job is in now, as {@code /list} would show it. */
  public synchronized String stateOf(String jobId) {
    return jobs.get(jobId).now()[0];
  }

  /** Requests without {@code Authorization: Bearer <token>} get a code 1800 answer. */
  public synchronized ImportTestServer requireToken(String token) {
    requiredToken = token;
    return this;
  }

  public synchronized ImportTestServer rowsPerGroup(long rows) {
    rowsPerGroup = rows;
    return this;
  }

  /** The next request to {@code path} gets this HTTP status and body. */
  public synchronized ImportTestServer answerNext(String path, int status, String body) {
    faults.computeIfAbsent(path, p -> new ArrayDeque<>()).add(new Fault(status, body));
    return this;
  }

  /** The next request to {@code path} has its connection closed without an answer. */
  public synchronized ImportTestServer dropNext(String path) {
    faults.computeIfAbsent(path, p -> new ArrayDeque<>()).add(new Fault(-1, null));
    return this;
  }

  public synchronized List<Request> requests() {
    return new ArrayList<>(requests);
  }

  public synchronized List<Request> requests(String path) {
    List<Request> r = new ArrayList<>();
    for (Request q : requests) {
      if (q.path.equals(path)) {
        r.add(q);
      }
    }
    return r;
  }

  /** The create requests that made a job (faulted attempts excluded). */
  public synchronized int jobsCreated() {
    return created;
  }

  private void handle(HttpExchange ex) throws IOException {
    String path = ex.getRequestURI().getPath();
    byte[] in = ex.getRequestBody().readAllBytes();
    JsonNode body;
    try {
      body = JSON.readTree(in);
    } catch (IOException e) {
      body = null;
    }
    String answer;
    int status = 200;
    synchronized (this) {
      requests.add(new Request(path, ex.getRequestHeaders().getFirst("Authorization"), body,
          System.nanoTime()));
      Deque<Fault> queued = faults.get(path);
      Fault fault = queued == null ? null : queued.poll();
      if (fault != null && fault.status < 0) {
        throw new IOException("test server: dropping the connection"); // closes it, no answer
      }
      if (!"POST".equals(ex.getRequestMethod())) {
        status = 405;
        answer = "method not allowed";
      } else if (fault != null) {
        status = fault.status;
        answer = fault.body;
      } else if (requiredToken != null && !("Bearer " + requiredToken).equals(
          ex.getRequestHeaders().getFirst("Authorization"))) {
        answer = "{\"code\":1800,\"message\":\"user hasn't authenticated\"}";
      } else {
        String[] a = route(path, body);
        status = Integer.parseInt(a[0]);
        answer = a[1];
      }
    }
    byte[] out = answer.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "application/json");
    ex.sendResponseHeaders(status, out.length == 0 ? -1 : out.length);
    try (OutputStream o = ex.getResponseBody()) {
      o.write(out);
    }
  }

  /** {status, body} for a request that is not faulted (called holding the lock). */
  private String[] route(String path, JsonNode body) {
    switch (path) {
      case CREATE:
        return create(body);
      case DESCRIBE:
        if (describe == Describe.HTTP_404) {
          return new String[] {"404", "404 page not found"};
        }
        if (describe == Describe.CODE_NOT_FOUND) {
          return new String[] {"200", "{\"code\":1100,\"message\":\"path not found: " + path
              + "\"}"};
        }
        return progress(body);
      case GET_PROGRESS:
      case CLOUD_GET_PROGRESS:
        return progress(body);
      case LIST:
        return hasList ? list(body) : new String[] {"404", "404 page not found"};
      case COMMIT:
      case ABORT:
        return twoPhase ? commitOrAbort(path.equals(COMMIT), body)
            : new String[] {"404", "404 page not found"};
      case DESCRIBE_COLLECTION:
        return describeCollection(body);
      default:
        return new String[] {"404", "404 page not found"};
    }
  }

  private String[] create(JsonNode body) {
    if (body == null || !body.hasNonNull("collectionName")) {
      return ok("{\"code\":1100,\"message\":\"invalid parameter: collectionName is required\"}");
    }
    boolean autoCommit = true;
    JsonNode options = body.path("options");
    for (java.util.Iterator<Map.Entry<String, JsonNode>> it = options.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> o = it.next();
      if (o.getValue().isNull() && o.getKey().equals("auto_commit")) {
        return badAutoCommit();
      }
      if (!o.getValue().isTextual() && !o.getValue().isNull()) { // Go: map[string]*string
        return ok("{\"code\":1801,\"message\":\"can only accept json format request, error:"
            + " json: cannot unmarshal " + (o.getValue().isBoolean() ? "bool" : "number")
            + " into Go struct field importReqAlias.options of type string\"}");
      }
      if (o.getKey().equals("auto_commit")) {
        String v = o.getValue().asText().toLowerCase(java.util.Locale.ROOT);
        if (!v.equals("true") && !v.equals("false")) {
          return badAutoCommit();
        }
        autoCommit = !twoPhase || v.equals("true"); // 2.6 ignores the option
      }
    }
    List<String> names = new ArrayList<>();
    if (body.has("files")) {
      for (JsonNode g : body.get("files")) {
        List<String> paths = new ArrayList<>();
        g.forEach(f -> paths.add(f.asText()));
        names.add("[" + String.join(" ", paths) + "]"); // Go's fmt.Sprintf("%v", paths)
      }
    } else if (body.has("objectUrls")) {
      body.get("objectUrls").forEach(u -> names.add("[" + u.asText() + "]"));
    } else {
      return ok("{\"code\":1100,\"message\":\"invalid parameter: no files\"}");
    }
    int groups = names.size();
    if (groups == 0 || groups > 1024) {
      return ok("{\"code\":2100,\"message\":\"the max number of file is 1024, got " + groups
          + "\"}");
    }
    if (created >= refuseCreatesAfter) {
      return ok("{\"code\":2100,\"message\":\"test server: no more jobs (refuseCreatesAfter "
          + refuseCreatesAfter + ")\"}");
    }
    int n = created++;
    String id = String.valueOf(450000000000000000L + n);
    jobs.put(id, new Job(id, body.get("collectionName").asText(), names,
        scripts.getOrDefault(n, defaultScript), autoCommit));
    return ok("{\"code\":0,\"data\":{\"jobId\":\"" + id + "\"}}");
  }

  private static String[] badAutoCommit() {
    return ok("{\"code\":1801,\"message\":\"can only accept json format request, error:"
        + " options.auto_commit must be one of \\\"true\\\" or \\\"false\\\": invalid parameter\"}");
  }

  private String[] list(JsonNode body) {
    String collection = body == null ? "" : body.path("collectionName").asText("");
    ArrayNode records = JSON.createArrayNode();
    jobs.values().stream().sorted(java.util.Comparator.comparing(j -> j.id)).forEach(j -> {
      if (!collection.isEmpty() && !collection.equals(j.collection)) {
        return;
      }
      String[] now = j.now();
      ObjectNode r = records.addObject();
      r.put("jobId", j.id);
      r.put("collectionName", j.collection);
      r.put("state", now[0]);
      r.put("progress", Long.parseLong(now[1]));
      if (!now[2].isEmpty()) {
        r.put("reason", now[2]);
      }
    });
    ObjectNode o = JSON.createObjectNode();
    o.put("code", 0);
    o.putObject("data").set("records", records);
    return ok(o.toString());
  }

  private String[] commitOrAbort(boolean commit, JsonNode body) {
    String id = body == null ? "" : body.path("jobId").asText("");
    Job job = jobs.get(id);
    if (job == null) {
      return ok("{\"code\":2101,\"message\":\"job " + id + " not found: importing data failed on"
          + " server side\"}");
    }
    String state = job.now()[0];
    String reason = job.now()[2];
    if (commit) {
      if (state.equals("Committing") || state.equals("Completed")) {
        return ok("{\"code\":0,\"data\":{}}");
      }
      if (!state.equals("Uncommitted")) {
        return ok("{\"code\":2100,\"message\":\"job " + id + " is in state " + state
            + ", expected Uncommitted: importing data failed\"}");
      }
    } else {
      if (state.equals("Failed") && reason.equals("aborted by user")) {
        return ok("{\"code\":0,\"data\":{}}");
      }
      if (state.equals("Failed") || state.equals("Committing") || state.equals("Completed")) {
        return ok("{\"code\":2100,\"message\":\"job " + id + " is in terminal/committed state "
            + state + ", abort not allowed: importing data failed\"}");
      }
    }
    if (job.autoCommit) {
      return ok("{\"code\":2100,\"message\":\"job " + id + " is auto-commit, manual commit/abort"
          + " not allowed: importing data failed\"}");
    }
    job.override = commit ? "Committing" : "Failed:aborted by user";
    return ok("{\"code\":0,\"data\":{}}");
  }

  private String[] describeCollection(JsonNode body) {
    String name = body == null ? "" : body.path("collectionName").asText("");
    String data = collections.get(name);
    if (data == null) {
      return ok("{\"code\":100,\"message\":\"collection not found[collection=" + name + "]\"}");
    }
    return ok("{\"code\":0,\"data\":" + data + ",\"message\":\"\"}");
  }

  private String[] progress(JsonNode body) {
    String id = body == null ? "" : body.path("jobId").asText("");
    Job job = jobs.get(id);
    if (job == null) {
      return ok("{\"code\":2100,\"message\":\"import job not found[jobID=" + id + "]\"}");
    }
    if (job.override == null) {
      job.step = Math.min(job.step + 1, job.script.size() - 1);
    } else if (job.override.equals("Committing") && job.committed) {
      job.override = "Completed"; // one describe in Committing, then Completed
    } else if (job.override.equals("Committing")) {
      job.committed = true;
    }
    String[] now = job.now();
    String state = now[0];
    int progress = Integer.parseInt(now[1]);
    long total = job.groups * rowsPerGroup;
    job.progress = progress; // a Failed job keeps the progress it had
    ObjectNode d = JSON.createObjectNode();
    d.put("jobId", id);
    d.put("collectionName", job.collection);
    d.put("state", state);
    d.put("progress", progress);
    d.put("importedRows", total * progress / 100);
    d.put("totalRows", total);
    if (!now[2].isEmpty()) {
      d.put("reason", now[2]);
    }
    ArrayNode details = d.putArray("details");
    if (!state.equals("Pending")) { // the import tasks exist once pre-import is done
      for (String name : job.fileNames) {
        ObjectNode t = details.addObject();
        t.put("fileName", name);
        t.put("fileSize", 1000);
        t.put("progress", progress);
        t.put("completeTime", "");
        t.put("state", state.equals("Failed") ? "Failed" : state.equals("Completed")
            || state.equals("Uncommitted") || state.equals("Committing") ? "Completed"
            : "InProgress");
        t.put("importedRows", rowsPerGroup * progress / 100);
        t.put("totalRows", rowsPerGroup);
        if (!now[2].isEmpty()) {
          t.put("reason", now[2]);
        }
      }
    }
    ObjectNode o = JSON.createObjectNode();
    o.put("code", 0);
    o.set("data", d);
    return ok(o.toString());
  }

  private static String[] ok(String body) {
    return new String[] {"200", body};
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  @Override
  public String toString() {
    return "ImportTestServer " + uri() + " " + Arrays.toString(requests().toArray());
  }
}
