package dev.milvusbeam.pipelines;

import com.fasterxml.jackson.databind.JsonNode;
import dev.milvusbeam.io.ConformanceChecker;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A Spark 3.5.0 standalone cluster of separate JVMs on the loopback address: a master and workers
 * ({@code org.apache.spark.deploy.master.Master}, {@code …worker.Worker}) run from a "distribution"
 * whose {@code jars/} folder is resolved by Maven from {@code src/it/spark-dist/pom.xml} (Spark's own
 * versions of everything, as its download has them; no Spark download is reachable here), and
 * {@code spark-submit} ({@code org.apache.spark.deploy.SparkSubmit}) from the same jars. Everything
 * it starts is stopped by {@link #close()}, and by a shutdown hook should the test JVM end first.
 *
 * <p>Reads the system properties the failsafe execution sets: {@code buildDirectory},
 * {@code sparkDistPom}, {@code maven.home}, {@code mavenRepoLocal}.
 */
final class SparkStandaloneCluster implements AutoCloseable {
  /** The JDK 17 opens Spark's own launcher scripts pass, plus Beam's (RECIPES.md). */
  static final List<String> JDK_OPENS = List.of("java.lang", "java.lang.invoke",
      "java.lang.reflect", "java.io", "java.net", "java.nio", "java.time", "java.util",
      "java.util.concurrent", "java.util.concurrent.atomic", "sun.nio.ch", "sun.nio.cs",
      "sun.security.action", "sun.util.calendar").stream()
      .map(p -> "--add-opens=java.base/" + p + "=ALL-UNNAMED").toList();

  private static final HttpClient HTTP = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(5)).build();

  final Path home;
  final Path work;
  final String masterUrl;
  private final int webPort;
  private final List<Process> processes = new CopyOnWriteArrayList<>();
  private final List<Process> workers = new ArrayList<>();
  private final Thread hook = new Thread(this::stopAll);

  private SparkStandaloneCluster(Path home, Path work) throws IOException {
    this.home = home;
    this.work = work;
    int port = freePort();
    this.webPort = freePort();
    this.masterUrl = "spark://127.0.0.1:" + port;
    Runtime.getRuntime().addShutdownHook(hook);
    processes.add(start("master", List.of("org.apache.spark.deploy.master.Master",
        "--host", "127.0.0.1", "--port", String.valueOf(port),
        "--webui-port", String.valueOf(webPort)), "-Xmx256m"));
  }

  /** Resolves the distribution (once per build folder) and starts a master. */
  static SparkStandaloneCluster startMaster() throws IOException, InterruptedException {
    Path build = Path.of(required("buildDirectory"));
    Path home = build.resolve("spark-it/spark-3.5.0");
    if (!Files.isRegularFile(home.resolve("RELEASE"))) {
      resolveDistribution(home);
    }
    Path work = Files.createTempDirectory(Files.createDirectories(build.resolve("spark-it")), "run-");
    return new SparkStandaloneCluster(home, work);
  }

  /** Starts a worker with {@code cores} task slots and waits until the master lists it alive. */
  Process startWorker(int cores) throws IOException, InterruptedException {
    int alive = aliveWorkers();
    int n = workers.size() + 1;
    Path dir = Files.createDirectories(work.resolve("worker-" + n));
    Process w = start("worker-" + n, List.of("org.apache.spark.deploy.worker.Worker",
        "--host", "127.0.0.1", "--port", String.valueOf(freePort()),
        "--webui-port", String.valueOf(freePort()), "--cores", String.valueOf(cores),
        "--memory", "1g", "--work-dir", dir.toString(), masterUrl), "-Xmx256m");
    processes.add(w);
    workers.add(w);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (aliveWorkers() <= alive) {
      if (!w.isAlive() || System.nanoTime() > deadline) {
        throw new IllegalStateException("Spark worker " + n + " did not register with the master; see "
            + work.resolve("worker-" + n + ".log"));
      }
      Thread.sleep(250);
    }
    return w;
  }

  /** The workers the master sees as alive (its web UI's JSON). */
  int aliveWorkers() throws InterruptedException {
    try {
      HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + webPort + "/json/")).timeout(Duration.ofSeconds(5))
          .build(), HttpResponse.BodyHandlers.ofString());
      int alive = 0;
      for (JsonNode w : Conformance.JSON.readTree(r.body()).path("workers")) {
        alive += w.path("state").asText().equals("ALIVE") ? 1 : 0;
      }
      return alive;
    } catch (IOException e) {
      return 0; // the master is still starting
    }
  }

  /**
   * Starts {@code spark-submit --master <this cluster> <sparkArgs…> <jar> <appArgs…>} in client
   * mode (the driver is the submitting JVM).
   */
  Submission submit(List<String> sparkArgs, Path jar, List<String> appArgs) throws IOException {
    List<String> args = new ArrayList<>(List.of("org.apache.spark.deploy.SparkSubmit",
        "--master", masterUrl, "--deploy-mode", "client"));
    args.addAll(sparkArgs);
    args.add(jar.toString());
    args.addAll(appArgs);
    Path out = Files.createTempFile(work, "submit", ".out");
    Path err = Files.createTempFile(work, "submit", ".err");
    Process p = builder(args, "-Xmx512m").redirectOutput(out.toFile()).redirectError(err.toFile())
        .start();
    processes.add(p);
    return new Submission(p, out, err);
  }

  /** A running spark-submit: its driver's stdout and stderr go to files. */
  final class Submission {
    final Process process;
    private final Path out;
    private final Path err;

    private Submission(Process process, Path out, Path err) {
      this.process = process;
      this.out = out;
      this.err = err;
    }

    /** What the driver logged so far. */
    String stderr() throws IOException {
      return Files.readString(err);
    }

    /** Waits for the end (destroyed after {@code timeoutSeconds}): exit code, stdout, stderr. */
    ConformanceChecker.Result await(long timeoutSeconds) throws IOException, InterruptedException {
      try {
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
          throw new AssertionError("spark-submit still running after " + timeoutSeconds + " s: "
              + new ConformanceChecker.Result(-1, Files.readString(out), stderr()));
        }
        return new ConformanceChecker.Result(process.exitValue(), Files.readString(out), stderr());
      } finally {
        stop(process);
        processes.remove(process);
      }
    }
  }

  /** The executor JVMs the workers run now (their children {@code CoarseGrainedExecutorBackend}). */
  List<ProcessHandle> executors(Process worker) {
    return worker.descendants().filter(h -> h.info().commandLine().orElse("")
        .contains("org.apache.spark.executor.CoarseGrainedExecutorBackend")).toList();
  }

  /** What the workers' executors logged so far (their {@code stderr} in the work folders). */
  String executorLogs() throws IOException {
    StringBuilder logs = new StringBuilder();
    try (var files = Files.walk(work)) {
      for (Path f : files.filter(f -> f.getFileName().toString().equals("stderr")
          && f.toString().contains("/app-")).toList()) {
        logs.append(Files.readString(f));
      }
    }
    return logs.toString();
  }

  @Override
  public void close() {
    stopAll();
    // the logs stay for a look after a failure; each executor's copy of the application jar goes
    try (var files = Files.walk(work)) {
      for (Path jar : files.filter(f -> f.toString().endsWith(".jar")).toList()) {
        Files.deleteIfExists(jar);
      }
    } catch (IOException e) {
      // left for mvn clean
    }
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // the JVM is shutting down: the hook runs anyway
    }
  }

  private void stopAll() {
    List<Process> all = new ArrayList<>(processes);
    for (int i = all.size() - 1; i >= 0; i--) { // submissions and workers before the master
      stop(all.get(i));
      processes.remove(all.get(i));
    }
  }

  /** Ends a process and the JVMs it started (a worker's executors). */
  static void stop(Process p) {
    List<ProcessHandle> tree = new ArrayList<>(p.descendants().toList());
    tree.add(p.toHandle());
    tree.forEach(ProcessHandle::destroy);
    for (ProcessHandle h : tree) {
      try {
        h.onExit().get(15, TimeUnit.SECONDS);
      } catch (Exception e) {
        h.destroyForcibly();
      }
    }
  }

  private Process start(String name, List<String> mainAndArgs, String heap) throws IOException {
    return builder(mainAndArgs, heap).redirectErrorStream(true)
        .redirectOutput(work.resolve(name + ".log").toFile()).start();
  }

  private ProcessBuilder builder(List<String> mainAndArgs, String heap) {
    List<String> cmd = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), heap));
    cmd.addAll(JDK_OPENS);
    cmd.addAll(List.of("-cp", home.resolve("jars") + File.separator + "*"));
    cmd.addAll(mainAndArgs);
    ProcessBuilder b = new ProcessBuilder(cmd).directory(work.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    Map<String, String> env = b.environment();
    env.put("SPARK_HOME", home.toString());
    env.put("SPARK_SCALA_VERSION", "2.12"); // the worker's executor launcher asks for it
    env.put("SPARK_LOCAL_IP", "127.0.0.1");
    env.put("SPARK_LOCAL_DIRS", work.resolve("local").toString());
    env.put("SPARK_NO_DAEMONIZE", "1");
    env.remove("SPARK_CONF_DIR");
    return b;
  }

  /** {@code mvn dependency:copy-dependencies} of src/it/spark-dist/pom.xml into {@code home/jars}. */
  private static void resolveDistribution(Path home) throws IOException, InterruptedException {
    Files.createDirectories(home);
    Path mvn = Path.of(required("maven.home"), "bin", "mvn");
    List<String> cmd = new ArrayList<>(List.of(mvn.toString(), "-B", "-q",
        "-f", required("sparkDistPom"),
        "-Dmaven.repo.local=" + required("mavenRepoLocal"),
        "org.apache.maven.plugins:maven-dependency-plugin:3.6.1:copy-dependencies",
        "-DoutputDirectory=" + home.resolve("jars")));
    Path log = Files.createDirectories(home.getParent()).resolve("resolve-spark-dist.log");
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
    try {
      if (!p.waitFor(600, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IllegalStateException("resolving the Spark distribution failed: " + cmd + "\n"
            + Files.readString(log));
      }
    } finally {
      stop(p);
    }
    // a distribution's marker: Spark's launcher then takes its classpath from jars/
    Files.writeString(home.resolve("RELEASE"), "Spark 3.5.0 (jars resolved by "
        + SparkStandaloneCluster.class.getSimpleName() + ")\n");
  }

  private static String required(String property) {
    String v = System.getProperty(property);
    if (v == null || v.isBlank()) {
      throw new IllegalStateException("system property " + property + " is not set: run "
          + "SparkClusterIT through Maven (mvn verify), whose failsafe execution sets it");
    }
    return v;
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
