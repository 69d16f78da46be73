package dev.milvusbeam.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.milvusbeam.core.format.FileType;
import dev.milvusbeam.core.schema.CollectionSchema;
import dev.milvusbeam.core.schema.SchemaJson;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.transforms.Count;
import org.apache.beam.sdk.transforms.Create;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code MilvusIO.writeJson().to("s3://bucket/...")} on the Direct runner against a real
 * S3-compatible server (S3Proxy in this JVM), directly and through a proxy that fails requests;
 * the output is listed and downloaded with the AWS SDK and judged by the conformance checker.
 */
class S3MilvusIOTest {
  private static final String BUCKET = "beam-bucket";

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

  static PipelineOptions options(S3ConnectParam conn) {
    PipelineOptions o = PipelineOptionsFactory.create();
    conn.applyTo(o);
    return o;
  }

  static CollectionSchema schema(String fixture) throws Exception {
    return SchemaJson.read(ConformanceChecker.fixture(fixture).resolve("schema.json"));
  }

  static List<String> lines(String fixture) throws Exception {
    return Files.readAllLines(ConformanceChecker.fixture(fixture).resolve("rows.jsonl"));
  }

  /** The failures file of a {@link #write}, in its output folder. */
  static final String FAILURES = "rejected.jsonl";

  /** Runs the write; returns the data folder's key inside the bucket. */
  static String write(S3ConnectParam conn, String folder, String fixture, FileType type,
      int shards) throws Exception {
    Pipeline p = Pipeline.create(options(conn));
    MilvusIO.WriteResult r = p.apply(Create.of(lines(fixture)))
        .apply(MilvusIO.writeJson().withSchema(schema(fixture)).to(conn.toBeamPath(folder))
            .withFileType(type).withNumShards(shards).withSegmentSize(24 * 1024)
            .withFailuresFile(conn.toBeamPath(folder) + "/" + FAILURES));
    PAssert.thatSingleton(r.getFailures().apply(Count.globally()))
        .isEqualTo((long) ConformanceChecker.rejectedLines(fixture).size());
    p.run().waitUntilFinish();
    String dataPath = r.getDataPath();
    assertTrue(dataPath.startsWith("s3://" + BUCKET + "/" + folder + "/"), dataPath);
    return RemoteBulkWriter.keyOf(dataPath);
  }

  /**
   * The output folder holds the data folder's segments and its manifest beside it, nothing else
   * (no temp object); the downloaded data folder passes the checker.
   */
  void assertOutput(String folder, String dataKey, String fixture, FileType type)
      throws Exception {
    List<String> keys = server.keys(BUCKET, folder + "/");
    List<String> strays = new ArrayList<>();
    int segmentFiles = 0;
    for (String k : keys) {
      if (k.startsWith(dataKey + "/")) {
        segmentFiles++;
      } else if (!k.equals(dataKey + ".manifest.json") && !k.equals(folder + "/" + FAILURES)) {
        strays.add(k);
      }
    }
    assertEquals(List.of(), strays,
        "objects beside the data folder, its manifest and the failures file");
    Path failures = Files.write(tmp.resolve(folder.replace('/', '-') + ".failures.jsonl"),
        server.object(BUCKET, folder + "/" + FAILURES));
    List<String> input = lines(fixture);
    List<String> rejected = new ArrayList<>();
    ConformanceChecker.rejectedLines(fixture).forEach(i -> rejected.add(input.get(i)));
    java.util.Collections.sort(rejected);
    assertEquals(rejected, MilvusIOFailuresFileTest.failedRows(failures),
        "every rejected row once in the failures file");
    assertTrue(segmentFiles >= 2, "segment files: " + keys);
    Path local = server.download(BUCKET, dataKey, tmp.resolve("download"));
    ConformanceChecker.Result check = ConformanceChecker.check(fixture, local.toString(),
        type.toString());
    assertEquals(0, check.exit, check.toString());
    assertTrue(check.lastLine().endsWith("problems=0"), check.toString());
  }

  @ParameterizedTest(name = "{0} as {1}, {2} shards")
  @CsvSource({"all-types,parquet,0", "seed,numpy,2"})
  void fixturesWrittenToS3PassTheChecker(String fixture, String fileType, int shards)
      throws Exception {
    FileType type = FileType.fromName(fileType);
    String folder = "out/" + fixture + "-" + fileType;
    String dataKey = write(server.connect(BUCKET).build(), folder, fixture, type, shards);
    assertOutput(folder, dataKey, fixture, type);
  }

  @ParameterizedTest(name = "{0} as {1}")
  @CsvSource({"seed,parquet", "seed,numpy"})
  void transientFaultsAreRetriedAndEveryRowIsWrittenOnce(String fixture, String fileType)
      throws Exception {
    FileType type = FileType.fromName(fileType);
    String folder = "faults/" + fixture + "-" + fileType;
    S3ConnectParam conn = server.connect(BUCKET, faults.hostPort()).build();
    faults.policy(S3FaultProxy.everyNth(5));
    String dataKey;
    String stats;
    try {
      dataKey = write(conn, folder, fixture, type, 3);
    } finally {
      stats = faults.toString();
      faults.policy(S3FaultProxy.PASS);
    }
    System.out.println("MilvusIO " + type + " through faults: " + stats);
    assertTrue(stats.matches(".*RESET_AFTER=[1-9].*") && stats.matches(".*SLOW_DOWN_503=[1-9].*"),
        "faults injected: " + stats);
    assertOutput(folder, dataKey, fixture, type);
  }

  @Test
  void aWrongSecretKeyFailsTheRunFastWithoutTheSecret() throws Exception {
    String secret = "WRONG-beam-secret-77aa";
    S3ConnectParam conn = server.connect(BUCKET, faults.hostPort()).secretKey(secret).build();
    faults.policy(S3FaultProxy.PASS); // counts requests from here
    Exception e = assertThrows(Exception.class,
        () -> write(conn, "badkey", "seed", FileType.PARQUET, 1));
    System.out.println("wrong secret, MilvusIO: " + e + " " + faults);
    // fails in validate(), before the pipeline runs: the probe, not retried
    assertTrue(faults.requests() >= 1 && faults.requests() <= 2,
        "requests sent: " + faults.requests());
    S3RemoteBulkWriterTest.assertNoSecret(e, secret);
    assertTrue(server.keys(BUCKET, "badkey/").isEmpty());
  }

  @Test
  void aMissingBucketFailsTheRun() throws Exception {
    S3ConnectParam conn = server.connect("no-such-beam-bucket", faults.hostPort()).build();
    faults.policy(S3FaultProxy.PASS);
    Exception e = assertThrows(Exception.class,
        () -> write(conn, "x", "seed", FileType.PARQUET, 1));
    System.out.println("missing bucket, MilvusIO: " + e + " " + faults);
    assertTrue(faults.requests() >= 1 && faults.requests() <= 2,
        "requests sent: " + faults.requests());
  }
}
