package dev.milvusbeam.pipelines;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A Flink 1.19 session cluster on loopback: one JobManager and N TaskManagers, each its own JVM,
 * started without Flink's scripts ({@code flink-dist} is not needed) from the jars Maven copied
 * to {@code pipelines/target/lib}: {@code StandaloneSessionClusterEntrypoint} and {@code
 * TaskManagerRunner} from {@code flink-runtime}. The Beam and project jars are left off the
 * cluster's class path, as on a real cluster: a job brings them in its (shaded) jar.
 *
 * <p>The configuration is what a batch job needs to survive a lost TaskManager: a fixed-delay
 * restart strategy (Flink's default without checkpointing is none) and a short heartbeat timeout.
 * Every process is stopped by {@link #close()} and, should the test JVM end first, by a shutdown
 * hook. {@link #main} runs one for {@code bin/bench-flink-scaling}.
 */
final class FlinkSessionCluster implements AutoCloseable {
  /** The JDK 17 opens Beam and Flink need in every JVM that runs tasks (README, RECIPES.md). */
  static final List<String> JDK_OPENS = Stream.of("java.util", "java.lang", "java.lang.reflect",
      "java.io", "java.nio", "java.time").map(p -> "--add-opens=java.base/" + p + "=ALL-UNNAMED")
      .toList();
  static final int RESTART_ATTEMPTS = 10;
  static final Duration RESTART_DELAY = Duration.ofSeconds(2);

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String JOB_MANAGER =
      "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint";
  private static final String TASK_MANAGER =
      "org.apache.flink.runtime.taskexecutor.TaskManagerRunner";

  private final Path dir;
  private final String classPath;
  private final int slotsPerTaskManager;
  private final int restPort;
  private final HttpClient http = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(5)).build();
  private final Map<String, Process> processes = new LinkedHashMap<>();
  private final Thread shutdownHook = new Thread(this::stopAll, "flink-session-cluster-stop");

  private FlinkSessionCluster(Path dir, String classPath, int slotsPerTaskManager, int restPort) {
    this.dir = dir;
    this.classPath = classPath;
    this.slotsPerTaskManager = slotsPerTaskManager;
    this.restPort = restPort;
  }

  /**
   * Starts a JobManager and {@code taskManagers} TaskManagers of {@code slotsPerTaskManager}
   * slots each, with their configuration in {@code dir/conf} and their logs in {@code dir/logs},
   * and returns once the REST API reports every slot registered.
   */
  static FlinkSessionCluster start(Path dir, Path lib, int taskManagers, int slotsPerTaskManager)
      throws IOException, InterruptedException {
    dir = dir.toAbsolutePath();
    Files.createDirectories(dir.resolve("logs"));
    Files.createDirectories(dir.resolve("tmp"));
    FlinkSessionCluster c = new FlinkSessionCluster(dir, clusterClassPath(lib), slotsPerTaskManager,
        freePort());
    Runtime.getRuntime().addShutdownHook(c.shutdownHook);
    try {
      c.writeConfig(freePort());
      c.launch("jobmanager", List.of("-Xmx512m"), JOB_MANAGER, List.of());
      for (int i = 0; i < taskManagers; i++) {
        c.startTaskManager("tm-" + i);
      }
      c.awaitSlots(taskManagers * slotsPerTaskManager, Duration.ofSeconds(180));
      return c;
    } catch (IOException | InterruptedException | RuntimeException | Error e) {
      c.close();
      throw e;
    }
  }

  /** {@code host:port} of the REST endpoint: the runner's {@code --flinkMaster}. */
  String master() {
    return "127.0.0.1:" + restPort;
  }

  Path logs() {
    return dir.resolve("logs");
  }

  /** GET on the REST API, e.g. {@code /overview}, {@code /jobs/overview}. */
  JsonNode rest(String path) throws IOException, InterruptedException {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + restPort + path)).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IOException("GET " + path + ": HTTP " + r.statusCode() + " " + r.body());
    }
    return JSON.readTree(r.body());
  }

  /**
   * The TaskManagers (by resource id, {@code tm-0}…) running a subtask of a vertex of {@code
   * jobId} whose name contains {@code step} now.
   */
  Set<String> taskManagersRunning(String jobId, String step)
      throws IOException, InterruptedException {
    Set<String> busy = new TreeSet<>();
    for (JsonNode v : rest("/jobs/" + jobId).path("vertices")) {
      if (!v.path("name").asText().contains(step)) {
        continue;
      }
      JsonNode tms = rest("/jobs/" + jobId + "/vertices/" + v.get("id").asText() + "/taskmanagers");
      for (JsonNode tm : tms.path("taskmanagers")) {
        if (tm.path("status-counts").path("RUNNING").asInt() > 0) {
          busy.add(tm.get("taskmanager-id").asText());
        }
      }
    }
    return busy;
  }

  /** {@code kill -9} of a TaskManager's JVM (SIGKILL: no shutdown hook, no goodbye to the JobManager). */
  void killTaskManager(String id) throws InterruptedException {
    Process p = processes.get(id);
    if (p == null) {
      throw new IllegalArgumentException("no TaskManager " + id + " in " + processes.keySet());
    }
    p.destroyForcibly();
    p.waitFor(30, TimeUnit.SECONDS);
  }

  /** Starts one more TaskManager JVM with resource id {@code id}. */
  void startTaskManager(String id) throws IOException {
    long slots = slotsPerTaskManager;
    // what Flink's scripts compute from taskmanager.memory.process.size; set explicitly here
    String taskHeap = 384 * slots + "m";
    String managed = 256 * slots + "m";
    List<String> jvm = List.of("-Xmx" + (128 + 384 * slots) + "m", "-Xms" + (128 + 384 * slots) + "m",
        "-XX:MaxDirectMemorySize=256m", "-XX:MaxMetaspaceSize=256m");
    List<String> dynamic = List.of(
        "taskmanager.resource-id=" + id,
        "taskmanager.cpu.cores=" + slots + ".0",
        "taskmanager.memory.framework.heap.size=128m",
        "taskmanager.memory.task.heap.size=" + taskHeap,
        "taskmanager.memory.framework.off-heap.size=128m",
        "taskmanager.memory.task.off-heap.size=0m",
        "taskmanager.memory.network.min=128m",
        "taskmanager.memory.network.max=128m",
        "taskmanager.memory.managed.size=" + managed,
        "taskmanager.memory.jvm-metaspace.size=256m",
        "taskmanager.memory.jvm-overhead.min=192m",
        "taskmanager.memory.jvm-overhead.max=192m");
    List<String> args = new ArrayList<>();
    for (String d : dynamic) {
      args.add("-D");
      args.add(d);
    }
    launch(id, jvm, TASK_MANAGER, args);
  }

  @Override
  public void close() {
    stopAll();
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException alreadyShuttingDown) {
      // the hook is running or has run
    }
  }

  private synchronized void stopAll() {
    List<String> names = new ArrayList<>(processes.keySet());
    java.util.Collections.reverse(names); // TaskManagers first, then the JobManager
    for (String name : names) {
      processes.get(name).destroy();
    }
    for (String name : names) {
      Process p = processes.get(name);
      try {
        if (!p.waitFor(15, TimeUnit.SECONDS)) {
          p.destroyForcibly();
          p.waitFor(15, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        p.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
  }

  private void writeConfig(int rpcPort) throws IOException {
    Path conf = dir.resolve("conf");
    Files.createDirectories(conf);
    String loopback = "127.0.0.1";
    Map<String, String> c = new LinkedHashMap<>();
    c.put("jobmanager.rpc.address", loopback);
    c.put("jobmanager.rpc.port", String.valueOf(rpcPort));
    c.put("jobmanager.bind-host", loopback);
    c.put("jobmanager.memory.process.size", "1024m");
    c.put("rest.address", loopback);
    c.put("rest.bind-address", loopback);
    c.put("rest.port", String.valueOf(restPort));
    c.put("taskmanager.host", loopback);
    c.put("taskmanager.bind-host", loopback);
    c.put("taskmanager.numberOfTaskSlots", String.valueOf(slotsPerTaskManager));
    // no Hadoop delegation tokens (no Kerberos here): asking for them calls Subject.getSubject,
    // unsupported from Java 23 on
    c.put("security.delegation.tokens.enabled", "false");
    // batch jobs run without checkpointing, where Flink's default restart strategy is none
    c.put("restart-strategy.type", "fixed-delay");
    c.put("restart-strategy.fixed-delay.attempts", String.valueOf(RESTART_ATTEMPTS));
    c.put("restart-strategy.fixed-delay.delay", RESTART_DELAY.toSeconds() + " s");
    // a TaskManager killed with kill -9 says no goodbye: notice it within seconds, not 50 s
    c.put("heartbeat.interval", "2000");
    c.put("heartbeat.timeout", "15000");
    // TaskManagers start beside the JobManager: retry reaching it every second, not every 10 s
    c.put("cluster.registration.error-delay", "1000");
    c.put("io.tmp.dirs", dir.resolve("tmp").toString());
    c.put("blob.storage.directory", dir.resolve("tmp").toString());
    c.put("web.tmpdir", dir.resolve("tmp").toString());
    StringBuilder yaml = new StringBuilder();
    c.forEach((k, v) -> yaml.append(k).append(": ").append(v).append('\n'));
    Files.writeString(conf.resolve("flink-conf.yaml"), yaml.toString());
  }

  private void launch(String name, List<String> jvmOptions, String mainClass, List<String> args)
      throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(jvmOptions);
    cmd.addAll(JDK_OPENS);
    cmd.add("-Dorg.slf4j.simpleLogger.showDateTime=true");
    cmd.add("-Djava.io.tmpdir=" + dir.resolve("tmp"));
    cmd.add("-cp");
    cmd.add(classPath);
    cmd.add(mainClass);
    cmd.add("--configDir");
    cmd.add(dir.resolve("conf").toString());
    cmd.addAll(args);
    File log = dir.resolve("logs").resolve(name + ".log").toFile();
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log))
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
    synchronized (this) {
      processes.put(name, p);
    }
  }

  private void awaitSlots(int slots, Duration timeout) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    String last = "no answer";
    while (System.nanoTime() < deadline) {
      for (Map.Entry<String, Process> e : processes.entrySet()) {
        if (!e.getValue().isAlive()) {
          throw new IllegalStateException(e.getKey() + " exited with " + e.getValue().exitValue()
              + "; its log: " + logs().resolve(e.getKey() + ".log"));
        }
      }
      try {
        JsonNode o = rest("/overview");
        last = o.toString();
        if (o.path("slots-total").asInt() == slots) {
          return;
        }
      } catch (IOException notUpYet) {
        last = notUpYet.toString();
      }
      Thread.sleep(500);
    }
    throw new IllegalStateException("Flink cluster not up with " + slots + " slots after "
        + timeout + ": " + last + "; logs in " + logs());
  }

  /** target/lib minus Beam and this project: a job brings those in its own jar. */
  private static String clusterClassPath(Path lib) throws IOException {
    try (Stream<Path> jars = Files.list(lib)) {
      List<String> cp = jars.filter(p -> p.toString().endsWith(".jar"))
          .filter(p -> !p.getFileName().toString().startsWith("beam-"))
          .filter(p -> !p.getFileName().toString().startsWith("milvus-beam-"))
          .map(p -> p.toAbsolutePath().toString()).sorted().toList();
      if (cp.stream().noneMatch(p -> p.contains("flink-runtime-"))) {
        throw new IllegalStateException("no flink-runtime jar in " + lib
            + " (run mvn package first: it copies the runtime dependencies there)");
      }
      return String.join(File.pathSeparator, cp);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /**
   * {@code FlinkSessionCluster DIR LIB TASK_MANAGERS SLOTS}: starts a cluster, prints {@code
   * master=127.0.0.1:<rest port>} and {@code pid <name> <pid>} per JVM, and runs until it is
   * stopped (SIGTERM or Ctrl-C: the shutdown hook stops every JVM it started).
   */
  public static void main(String[] args) throws Exception {
    if (args.length != 4) {
      System.err.println("usage: FlinkSessionCluster DIR LIB TASK_MANAGERS SLOTS_PER_TASK_MANAGER");
      System.exit(2);
    }
    FlinkSessionCluster c = start(Path.of(args[0]), Path.of(args[1]), Integer.parseInt(args[2]),
        Integer.parseInt(args[3]));
    synchronized (c) {
      c.processes.forEach((name, p) -> System.out.println("pid " + name + " " + p.pid()));
    }
    System.out.println("master=" + c.master());
    System.out.flush();
    Thread.currentThread().join();
  }
}
