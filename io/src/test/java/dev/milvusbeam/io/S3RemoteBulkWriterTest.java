package dev.milvusbeam.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.milvusbeam.core.format.FileType;
import dev.milvusbeam.core.row.ValidationResult;
import dev.milvusbeam.core.schema.CollectionSchema;
import dev.milvusbeam.core.schema.SchemaJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@link RemoteBulkWriter} with {@link S3ConnectParam} against a real S3-compatible server
 * (S3Proxy, in this JVM), directly and through a proxy that fails requests; the objects it leaves
 * are listed and downloaded with the AWS SDK and judged by the conformance checker.
 */
class S3RemoteBulkWriterTest {
  private static final String BUCKET = "bulk-bucket";
  private static final Pattern UUID =
      Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
  private static final AtomicInteger FOLDERS = new AtomicInteger();

  static S3TestServer server;
  static S3FaultProxy faults;

  @TempDir Path tmp;

  @BeforeAll
  static void startServer() throws Exception {
    server = S3TestServer.start();
    server.createBucket(BUCKET);
    faults = new S3FaultProxy(server.port());
  }

  @AfterAll
  static void stopServer() throws Exception {
    if (faults != null) {
      faults.close();
    }
    if (server != null) {
      server.close();
    }
  }

  static CollectionSchema seedSchema() throws IOException {
    return SchemaJson.read(ConformanceChecker.fixture("seed").resolve("schema.json"));
  }

  static String newFolder(String name) {
    return "imports/" + name + "-" + FOLDERS.incrementAndGet();
  }

  /** Feeds the seed fixture's rows; returns the 0-based lines the writer rejected. */
  static TreeSet<Integer> writeSeed(RemoteBulkWriter w, boolean commitHalfWay) throws IOException {
    List<String> lines = Files.readAllLines(ConformanceChecker.fixture("seed").resolve("rows.jsonl"));
    TreeSet<Integer> rejected = new TreeSet<>();
    for (int i = 0; i < lines.size(); i++) {
      ValidationResult r = w.getValidator().validateJson(lines.get(i));
      if (r.isValid()) {
        w.append(r.row());
      } else {
        rejected.add(i);
      }
      if (commitHalfWay && i == lines.size() / 2) {
        w.commit();
      }
    }
    return rejected;
  }

  /**
   * The remote folder holds the data folder's segment files (exactly the batch files) and its
   * manifest beside it, nothing else: no staging object, no partial file.
   */
  static void assertOnlyBatchFiles(String folder, RemoteBulkWriter w) {
    List<String> expected = new ArrayList<>();
    w.getBatchFiles().forEach(expected::addAll);
    expected.add(w.getDataPath() + ".manifest.json");
    expected.sort(null);
    assertEquals(expected, server.keys(BUCKET, folder + "/"),
        "objects under " + folder + "/ besides the batch files");
  }

  static void assertConforms(String dataPath, FileType type, Path tmp) throws Exception {
    Path local = server.download(BUCKET, dataPath, tmp.resolve("download"));
    ConformanceChecker.Result check = ConformanceChecker.check("seed", local.toString(),
        type.toString());
    assertEquals(0, check.exit, check.toString());
    assertTrue(check.lastLine().endsWith("problems=0"), check.toString());
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(FileType.class)
  void seedFixtureInEveryFileTypePassesTheChecker(FileType type) throws Exception {
    String folder = newFolder("seed-" + type);
    S3ConnectParam conn = server.connect(BUCKET).build();
    RemoteBulkWriter w = RemoteBulkWriter.builder(seedSchema(), folder, conn).fileType(type)
        .segmentSize(48 * 1024).build();
    TreeSet<Integer> rejected;
    try (w) {
      rejected = writeSeed(w, true);
    }
    assertEquals(ConformanceChecker.rejectedLines("seed"), rejected);

    String dataPath = w.getDataPath();
    assertTrue(Pattern.matches(Pattern.quote(folder) + "/" + UUID.pattern(), dataPath), dataPath);
    List<List<String>> batches = w.getBatchFiles();
    assertTrue(batches.size() >= 2, "several segments: " + batches);
    for (int s = 0; s < batches.size(); s++) {
      List<String> expected = new ArrayList<>();
      for (String f : type.segmentFiles(w.getSchema(), s + 1)) {
        expected.add(dataPath + "/" + f);
      }
      assertEquals(expected, batches.get(s), "segment " + (s + 1));
    }
    assertOnlyBatchFiles(folder, w);
    assertConforms(dataPath, type, tmp);
  }

  @Test
  void rowsAppendedAsMapsAndCommittedTwice() throws Exception {
    String folder = newFolder("maps");
    S3ConnectParam conn = server.connect(BUCKET).build();
    RemoteBulkWriter w = new RemoteBulkWriter(seedSchema(), "/" + folder + "/", conn,
        FileType.JSONL);
    try (w) {
      for (int i = 0; i < 10; i++) {
        List<Double> v = new ArrayList<>();
        for (int d = 0; d < 64; d++) {
          v.add(d / 64.0);
        }
        w.appendRow(java.util.Map.of("id", (long) i, "vector", v, "scalar_1", "s" + i,
            "scalar_2", (long) i));
        if (i == 4) {
          w.commit();
        }
      }
      w.commit();
      assertEquals(2, w.getBatchFiles().size());
      assertOnlyBatchFiles(folder, w);
    }
    assertEquals(List.of(List.of(w.getDataPath() + "/1.jsonl"),
        List.of(w.getDataPath() + "/2.jsonl")), w.getBatchFiles());
    assertOnlyBatchFiles(folder, w);
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(value = FileType.class, names = {"PARQUET", "NUMPY"})
  void transientFaultsAreRetriedAndEveryRowIsWrittenOnce(FileType type) throws Exception {
    String folder = newFolder("faults-" + type);
    S3ConnectParam conn = server.connect(BUCKET, faults.hostPort()).build();
    faults.policy(S3FaultProxy.everyNth(5));
    RemoteBulkWriter w;
    String stats;
    try {
      w = RemoteBulkWriter.builder(seedSchema(), folder, conn).fileType(type)
          .segmentSize(type == FileType.NUMPY ? 40 * 1024 : 16 * 1024).build();
      try (w) {
        writeSeed(w, true);
      }
    } finally {
      stats = faults.toString();
      faults.policy(S3FaultProxy.PASS);
    }
    System.out.println("RemoteBulkWriter " + type + " through faults: " + stats);
    // which request gets which fault depends on how many requests a run makes: ask for several
    // kinds, not for every kind in every run
    String seen = stats;
    long kinds = java.util.stream.Stream.of("RESET_AFTER", "SLOW_DOWN_503", "INTERNAL_500",
        "RESET_BEFORE").filter(k -> seen.matches(".*" + k + "=[1-9].*")).count();
    assertTrue(kinds >= 3, "several kinds of fault injected: " + stats);
    assertOnlyBatchFiles(folder, w);
    assertConforms(w.getDataPath(), type, tmp);
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(value = S3FaultProxy.Fault.class, names = {"DENIED_403", "INTERNAL_500",
      "RESET_BEFORE"})
  void aWriteInterruptedByTheServerLeavesOnlyCompleteSegments(S3FaultProxy.Fault fault)
      throws Exception {
    String folder = newFolder("interrupted-" + fault);
    S3ConnectParam conn = server.connect(BUCKET, faults.hostPort()).maxRetries(1).build();
    RemoteBulkWriter w = RemoteBulkWriter.builder(seedSchema(), folder, conn)
        .fileType(FileType.PARQUET).segmentSize(24 * 1024).build();
    List<String> lines = Files.readAllLines(ConformanceChecker.fixture("seed").resolve("rows.jsonl"));
    RuntimeException failure = null;
    try {
      int i = 0;
      for (; i < 100; i++) {
        ValidationResult r = w.getValidator().validateJson(lines.get(i));
        if (r.isValid()) {
          w.append(r.row());
        }
      }
      w.commit();
      int committed = w.getBatchFiles().size();
      assertTrue(committed >= 2, "segments before the interruption: " + committed);
      // from now on the server refuses everything: the open segment cannot be finished
      faults.policy((n, m, t) -> fault);
      for (; i < lines.size(); i++) {
        ValidationResult r = w.getValidator().validateJson(lines.get(i));
        if (r.isValid()) {
          w.append(r.row());
        }
      }
      w.close();
    } catch (RuntimeException e) {
      failure = e;
    } finally {
      faults.policy(S3FaultProxy.PASS);
    }
    assertTrue(failure != null, "the interrupted write must fail");
    try {
      w.close();
    } catch (RuntimeException again) {
      // already failed
    }
    // the data folder holds exactly the segments committed before the interruption
    List<String> committedFiles = new ArrayList<>();
    w.getBatchFiles().forEach(committedFiles::addAll);
    committedFiles.sort(null);
    assertEquals(committedFiles, server.keys(BUCKET, w.getDataPath() + "/"));
    for (String key : server.keys(BUCKET, folder + "/")) {
      assertTrue(key.startsWith(w.getDataPath() + "/") || key.contains(".staging/")
          || key.equals(w.getDataPath() + ".manifest.json"), "stray object " + key);
    }
  }

  @Test
  void aWrongSecretKeyFailsFastNamingTheBucketWithoutTheSecret() throws Exception {
    String secret = "WRONG-secret-9f8e7d6c";
    S3ConnectParam conn = server.connect(BUCKET, faults.hostPort()).secretKey(secret).build();
    faults.policy(S3FaultProxy.PASS); // counts requests from here
    IOException e = assertThrows(IOException.class, () -> conn.checkWritable("imports"));
    // fails fast: a refused signature is not retried
    assertTrue(faults.requests() >= 1 && faults.requests() <= 2,
        "requests sent: " + faults.requests());
    assertTrue(e.getMessage().contains(BUCKET), e.getMessage());
    assertTrue(e.getMessage().contains("SignatureDoesNotMatch")
        || e.getMessage().contains("InvalidAccessKeyId"), e.getMessage());
    assertNoSecret(e, secret);
  }

  @Test
  void aWrongSecretKeyFailsTheWriterFastWithoutTheSecret() throws Exception {
    String secret = "WRONG-secret-1a2b3c4d";
    S3ConnectParam conn = server.connect(BUCKET, faults.hostPort()).secretKey(secret).build();
    faults.policy(S3FaultProxy.PASS);
    RuntimeException e = assertThrows(RuntimeException.class, () -> {
      try (RemoteBulkWriter w = RemoteBulkWriter.builder(seedSchema(), newFolder("badkey"), conn)
          .build()) {
        writeSeed(w, false);
      }
    });
    // refused at build, before any row: the probe only, not retried
    assertTrue(faults.requests() >= 1 && faults.requests() <= 2,
        "requests sent: " + faults.requests());
    System.out.println("wrong secret, RemoteBulkWriter: " + e);
    assertNoSecret(e, secret);
  }

  @Test
  void aMissingBucketIsNamed() throws Exception {
    S3ConnectParam conn = server.connect("no-such-bucket", faults.hostPort()).build();
    IOException e = assertThrows(IOException.class, () -> conn.checkWritable(""));
    assertTrue(e.getMessage().contains("'no-such-bucket'"), e.getMessage());
    assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
    faults.policy(S3FaultProxy.PASS);
    RuntimeException w = assertThrows(RuntimeException.class, () -> {
      try (RemoteBulkWriter writer = RemoteBulkWriter.builder(seedSchema(), "x", conn).build()) {
        writeSeed(writer, false);
      }
    });
    System.out.println("missing bucket, RemoteBulkWriter: " + w);
    assertTrue(faults.requests() >= 1 && faults.requests() <= 2,
        "requests sent: " + faults.requests());
  }

  @Test
  void anUnreachableEndpointIsNamed() throws Exception {
    S3ConnectParam conn = server.connect(BUCKET, "127.0.0.1:1").maxRetries(0).build();
    IOException e = assertThrows(IOException.class, () -> conn.checkWritable("x"));
    assertTrue(e.getMessage().contains(BUCKET) && e.getMessage().contains("127.0.0.1:1"),
        e.getMessage());
  }

  static void assertNoSecret(Throwable e, String secret) {
    java.io.StringWriter sw = new java.io.StringWriter();
    e.printStackTrace(new java.io.PrintWriter(sw));
    assertFalse(sw.toString().contains(secret), "the secret is in: " + sw);
  }
}
