package dev.milvusbeam.io.importing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
 * {@code /get_progress}, {@code /getProgress}. Records every request (path, Authorization header,
 * body); each job walks through a script of states, one step per describe; faults can be queued.
 *
 * <p>Script steps: {@code "Pending"}, {@code "Importing:40"} (state and progress), {@code
 * "Completed"}, {@code "Failed:the reason"}. Default: Pending, Importing:50, Completed.
 */
public final class ImportTestServer implements AutoCloseable {
  public static final ObjectMapper JSON = new ObjectMapper();
  public static final String CREATE = "/v2/vectordb/jobs/import/create";
  public static final String DESCRIBE = "/v2/vectordb/jobs/import/describe";
  public static final String GET_PROGRESS = "/v2/vectordb/jobs/import/get_progress";
  public static final String CLOUD_GET_PROGRESS = "/v2/vectordb/jobs/import/getProgress";

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
    final int groups;
    final List<String> script;
    int step = -1;
    int progress;

    Job(String id, String collection, int groups, List<String> script) {
      this.id = id;
      this.collection = collection;
      this.groups = groups;
      this.script = script;
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
      default:
        return new String[] {"404", "404 page not found"};
    }
  }

  private String[] create(JsonNode body) {
    if (body == null || !body.hasNonNull("collectionName")) {
      return ok("{\"code\":1100,\"message\":\"invalid parameter: collectionName is required\"}");
    }
    int groups;
    if (body.has("files")) {
      groups = body.get("files").size();
    } else if (body.has("objectUrls")) {
      groups = body.get("objectUrls").size();
    } else {
      return ok("{\"code\":1100,\"message\":\"invalid parameter: no files\"}");
    }
    if (groups == 0 || groups > 1024) {
      return ok("{\"code\":2100,\"message\":\"the max number of file is 1024, got " + groups
          + "\"}");
    }
    int n = created++;
    String id = String.valueOf(450000000000000000L + n);
    jobs.put(id, new Job(id, body.get("collectionName").asText(), groups,
        scripts.getOrDefault(n, defaultScript)));
    return ok("{\"code\":0,\"data\":{\"jobId\":\"" + id + "\"}}");
  }

  private String[] progress(JsonNode body) {
    String id = body == null ? "" : body.path("jobId").asText("");
    Job job = jobs.get(id);
    if (job == null) {
      return ok("{\"code\":2100,\"message\":\"import job not found[jobID=" + id + "]\"}");
    }
    job.step = Math.min(job.step + 1, job.script.size() - 1);
    String[] step = job.script.get(job.step).split(":", 2);
    String state = step[0];
    long total = job.groups * rowsPerGroup;
    int progress = state.equals("Completed") ? 100 : state.equals("Importing") && step.length > 1
        ? Integer.parseInt(step[1]) : state.equals("Failed") ? job.progress : 0;
    job.progress = progress; // a Failed job keeps the progress it had
    ObjectNode d = JSON.createObjectNode();
    d.put("jobId", id);
    d.put("collectionName", job.collection);
    d.put("state", state);
    d.put("progress", progress);
    d.put("importedRows", total * progress / 100);
    d.put("totalRows", total);
    d.put("reason", state.equals("Failed") && step.length > 1 ? step[1] : "");
    d.putArray("details");
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
