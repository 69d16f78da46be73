package dev.milvusbeam.pipelines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.milvusbeam.io.ConformanceChecker;
import dev.milvusbeam.io.ConformanceChecker.Result;
import dev.milvusbeam.io.ManifestAssert;
import java.io.BufferedWriter;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code convert} from the shaded jar, submitted as users do ({@code java -jar … convert
 * --runner=FlinkRunner --flinkMaster=127.0.0.1:<port> --parallelism=2}), to a Flink 1.19 session
 * cluster whose JobManager and three TaskManagers are separate JVMs ({@link FlinkSessionCluster}):
 * what crosses a process boundary (the jar's packaging and service files, the JDK opens, the
 * serialization of every DoFn and coder, file-system options on the workers) and the loss of a
 * worker mid-job. One cluster serves the class. Run by failsafe in {@code verify}, after the
 * shaded jar is built; {@code -DskipITs} skips it.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FlinkClusterIT {
  private static final Path SHADED_JAR = Path.of(System.getProperty("shadedJar",
      "target/milvus-beam-bulkwriter-pipelines-0.1.0-SNAPSHOT-shaded.jar"));
  private static final Path FLINK_LIB = Path.of(System.getProperty("flinkLib", "target/lib"));
  private static final Path WORK = Path.of("target/flink-cluster-it");
  private static final int TASK_MANAGERS = 3;

  private static FlinkSessionCluster cluster;

  @TempDir Path tmp;

  @BeforeAll
  static void startCluster() throws Exception {
    assertTrue(Files.isRegularFile(SHADED_JAR), "no shaded jar at " + SHADED_JAR.toAbsolutePath()
        + ": run mvn package first (failsafe runs after it in verify)");
    cluster = FlinkSessionCluster.start(WORK.resolve("cluster"), FLINK_LIB, TASK_MANAGERS, 1);
  }

  @AfterAll
  static void stopCluster() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  @Order(1)
  void seedFixtureAsParquet() throws Exception {
    convertFixtureAndCheck("seed", "parquet");
  }

  @Test
  @Order(2)
  void numpyTypesFixtureAsNumpy() throws Exception {
    convertFixtureAndCheck("numpy-types", "numpy");
  }

  /**
   * {@code kill -9} of a TaskManager while it writes segments: the job restarts on the other two
   * (the cluster's fixed-delay restart strategy) and the data folder holds every valid row exactly
   * once, the failures file every rejected row once, no stray file, no temp folder.
   */
  @Test
  @Order(3)
  void aTaskManagerKilledWhileWritingSegments() throws Exception {
    int rows = 400_000;
    int everyBad = 1000;
    Path input = tmp.resolve("input");
    TreeSet<Integer> rejects = writeInput(input, rows, 16, everyBad);
    Path out = tmp.resolve("out");
    Set<String> jobsBefore = jobIds();

    Process client = submit(List.of("convert", "--schema=" + input.resolve("schema.json"),
        "--input=" + input.resolve("rows.jsonl"), "--output=" + out, "--fileType=parquet",
        "--segmentSize=2MB"), tmp.resolve("client"));
    String killed;
    String jobId;
    try {
      jobId = awaitNewJob(jobsBefore, client, Duration.ofMinutes(3));
      killed = awaitSegmentWriterAndKill(jobId, out, client, Duration.ofMinutes(4));
      assertTrue(client.waitFor(8, TimeUnit.MINUTES), "convert did not end after the kill");
    } finally {
      client.destroyForcibly();
    }
    Result run = result(client, tmp.resolve("client"));
    assertEquals(0, run.exit, "convert after " + killed + " was killed: " + run
        + "\nlogs: " + cluster.logs().toAbsolutePath());

    JsonNode history = cluster.rest("/jobs/" + jobId + "/exceptions").path("exceptionHistory")
        .path("entries");
    assertTrue(history.size() > 0, "the job restarted after the kill: " + history);
    JsonNode job = cluster.rest("/jobs/" + jobId);
    assertEquals("FINISHED", job.path("state").asText());
    System.out.printf("job %s finished in %.1f s after %d failure(s)%n", jobId,
        job.path("duration").asLong() / 1000.0, history.size());

    JsonNode summary = ConformanceChecker.JSON.readTree(run.lastLine());
    String dataPath = summary.get("dataPath").asText();
    assertEquals(rows - rejects.size(), summary.get("rows").asLong(), run.toString());
    assertEquals(rejects.size(), summary.get("failed").asLong(), run.toString());
    assertEquals(rejects, failedLines(summary));

    // beside the data folder only its manifest and the failures file: no temp folder left
    String id = Path.of(dataPath).getFileName().toString();
    try (Stream<Path> s = Files.list(out)) {
      assertEquals(Set.of(id, id + ".manifest.json", id + ".failures.jsonl"),
          s.map(p -> p.getFileName().toString()).collect(Collectors.toSet()));
    }
    ManifestAssert.check(dataPath, rows - rejects.size(), rejects.size());

    // the independent checker reads every segment back: each valid row once, no rejected row,
    // no unknown row, no stray file, segments 1..K
    Result check = ConformanceChecker.exec(List.of(ConformanceChecker.python(),
        ConformanceChecker.shared().resolve("conformance/check.py").toString(),
        "--schema", input.resolve("schema.json").toString(),
        "--input", input.resolve("rows.jsonl").toString(),
        "--rejects", input.resolve("rejects.json").toString(),
        "--data-path", dataPath, "--file-type", "parquet"), 600);
    assertEquals(0, check.exit, check.toString());
    assertTrue(check.lastLine().endsWith("problems=0"), check.toString());
    assertTrue(check.lastLine().contains("rows=" + (rows - rejects.size())), check.toString());
  }

  private void convertFixtureAndCheck(String fixture, String fileType) throws Exception {
    Path fx = ConformanceChecker.fixture(fixture);
    Path out = tmp.resolve("out");
    Result run = run(List.of("convert", "--schema=" + fx.resolve("schema.json"),
        "--input=" + fx.resolve("rows.jsonl"), "--output=" + out, "--fileType=" + fileType),
        Duration.ofMinutes(6));
    assertEquals(0, run.exit, run + "\nlogs: " + cluster.logs().toAbsolutePath());
    JsonNode summary = ConformanceChecker.JSON.readTree(run.lastLine());
    long valid = ConformanceChecker.inputLines(fixture) - ConformanceChecker.rejectedLines(fixture).size();
    assertEquals(valid, summary.get("rows").asLong(), run.toString());
    assertEquals(ConformanceChecker.rejectedLines(fixture), failedLines(summary));

    String dataPath = summary.get("dataPath").asText();
    Result check = ConformanceChecker.check(fixture, dataPath, fileType);
    assertEquals(0, check.exit, check.toString());
    assertTrue(check.lastLine().endsWith("problems=0"), check.toString());
    assertTrue(check.lastLine().contains("rows=" + valid), check.toString());
    ManifestAssert.check(dataPath, valid, ConformanceChecker.rejectedLines(fixture).size());
  }

  /** The 0-based input lines of the failures file, each once. */
  private static TreeSet<Integer> failedLines(JsonNode summary) throws IOException {
    TreeSet<Integer> lines = new TreeSet<>();
    for (String f : Files.readAllLines(Path.of(summary.get("failuresPath").asText()))) {
      int line = ConformanceChecker.JSON.readTree(f).get("line").asInt() - 1;
      assertTrue(lines.add(line), "line " + line + " rejected twice");
    }
    return lines;
  }

  /**
   * Waits until the job's temp folder holds segment files and a TaskManager runs the writing
   * step, then kills that TaskManager; returns its id.
   */
  private static String awaitSegmentWriterAndKill(String jobId, Path out, Process client,
      Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      assertTrue(client.isAlive(), "convert ended before a TaskManager could be killed");
      if (segmentFilesInTemp(out) > 0) {
        Set<String> writing = cluster.taskManagersRunning(jobId, "ValidateAndWrite");
        if (!writing.isEmpty()) {
          String victim = writing.iterator().next();
          cluster.killTaskManager(victim);
          System.out.printf("killed %s (writing: %s) with %d segment files in the temp folder%n",
              victim, writing, segmentFilesInTemp(out));
          return victim;
        }
      }
      Thread.sleep(100);
    }
    throw new AssertionError("no segment written in the temp folder within " + timeout);
  }

  private static long segmentFilesInTemp(Path out) throws IOException {
    if (!Files.isDirectory(out)) {
      return 0;
    }
    List<Path> temps;
    try (Stream<Path> s = Files.list(out)) {
      temps = s.filter(p -> p.getFileName().toString().startsWith(".temp-")).toList();
    }
    long files = 0;
    for (Path t : temps) {
      try (Stream<Path> s = Files.walk(t)) {
        files += s.filter(p -> p.getFileName().toString().endsWith(".parquet")).count();
      } catch (IOException | java.io.UncheckedIOException changedWhileWalking) {
        // the job renames and deletes as we look
      }
    }
    return files;
  }

  private static Set<String> jobIds() throws Exception {
    Set<String> ids = new TreeSet<>();
    for (JsonNode j : cluster.rest("/jobs/overview").path("jobs")) {
      ids.add(j.get("jid").asText());
    }
    return ids;
  }

  private static String awaitNewJob(Set<String> before, Process client, Duration timeout)
      throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      for (JsonNode j : cluster.rest("/jobs/overview").path("jobs")) {
        if (!before.contains(j.get("jid").asText())) {
          return j.get("jid").asText();
        }
      }
      assertTrue(client.isAlive(), "convert ended before its job reached the cluster");
      Thread.sleep(200);
    }
    throw new AssertionError("no job submitted within " + timeout);
  }

  /** {@code java -jar <shaded jar> <args> --runner=FlinkRunner --flinkMaster=… --parallelism=2}. */
  private static Process submit(List<String> args, Path logs) throws IOException {
    Files.createDirectories(logs);
    List<String> cmd = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m",
        "-jar", SHADED_JAR.toAbsolutePath().toString()));
    cmd.addAll(args);
    cmd.addAll(List.of("--runner=FlinkRunner", "--flinkMaster=" + cluster.master(),
        "--parallelism=2"));
    return new ProcessBuilder(cmd)
        .redirectOutput(logs.resolve("stdout").toFile())
        .redirectError(logs.resolve("stderr").toFile())
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
  }

  private Result run(List<String> args, Duration timeout) throws Exception {
    Path logs = tmp.resolve("client");
    Process p = submit(args, logs);
    try {
      assertTrue(p.waitFor(timeout.toSeconds(), TimeUnit.SECONDS), "convert timed out: " + args);
    } finally {
      p.destroyForcibly();
    }
    return result(p, logs);
  }

  private static Result result(Process p, Path logs) throws Exception {
    p.waitFor();
    return new Result(p.exitValue(), Files.readString(logs.resolve("stdout")),
        Files.readString(logs.resolve("stderr")));
  }

  /**
   * {@code dir/schema.json} (id, a FloatVector of {@code dim}, a VarChar, an Int64, dynamic
   * fields), {@code dir/rows.jsonl} with every {@code everyBad}-th row one float short of the dim,
   * and {@code dir/rejects.json} listing those lines; returns them.
   */
  static TreeSet<Integer> writeInput(Path dir, int rows, int dim, int everyBad) throws IOException {
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("schema.json"), "{\"autoID\":false,\"enableDynamicField\":true,"
        + "\"fields\":[{\"fieldName\":\"id\",\"dataType\":\"Int64\",\"isPrimary\":true},"
        + "{\"fieldName\":\"vector\",\"dataType\":\"FloatVector\",\"elementTypeParams\":{\"dim\":"
        + dim + "}},{\"fieldName\":\"scalar_1\",\"dataType\":\"VarChar\","
        + "\"elementTypeParams\":{\"max_length\":64}},"
        + "{\"fieldName\":\"scalar_2\",\"dataType\":\"Int64\"}],\"functions\":[]}");
    TreeSet<Integer> bad = new TreeSet<>();
    Random r = new Random(42);
    try (BufferedWriter w = Files.newBufferedWriter(dir.resolve("rows.jsonl"), StandardCharsets.UTF_8)) {
      StringBuilder b = new StringBuilder();
      for (int i = 0; i < rows; i++) {
        boolean invalid = i % everyBad == everyBad / 2;
        if (invalid) {
          bad.add(i);
        }
        b.setLength(0);
        b.append("{\"id\":").append(i).append(",\"vector\":[");
        for (int d = 0; d < (invalid ? dim - 1 : dim); d++) {
          b.append(d == 0 ? "" : ",").append(r.nextFloat() * 2 - 1);
        }
        b.append("],\"scalar_1\":\"row-").append(i).append("\",\"scalar_2\":").append(i % 100)
            .append(",\"dynamic_1\":").append(i % 7).append("}\n");
        w.write(b.toString());
      }
    }
    Files.writeString(dir.resolve("rejects.json"), bad.toString());
    return bad;
  }
}
