package dev.milvusbeam.io.importing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.milvusbeam.core.format.FileType;
import dev.milvusbeam.core.schema.CollectionSchema;
import dev.milvusbeam.core.schema.SchemaJson;
import dev.milvusbeam.io.ConformanceChecker;
import dev.milvusbeam.io.MilvusIO;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.transforms.Count;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.values.PCollection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** MilvusImport on the Direct runner, against the local Import API server. */
@ExtendWith(TestPipelineExtension.class)
class MilvusImportTest {
  @TempDir Path out;
  ImportTestServer server;

  @BeforeEach
  void start() throws Exception {
    server = new ImportTestServer();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  ImportTarget target() {
    return ImportTarget.milvus(server.uri()).withToken("root:Milvus");
  }

  static PCollection<List<String>> groups(Pipeline p, List<List<String>> groups) {
    return p.apply(Create.of(groups).withCoder(ListCoder.of(StringUtf8Coder.of())));
  }

  @Test
  void importsWhatAWriteProduced(TestPipeline p) throws Exception {
    CollectionSchema schema =
        SchemaJson.read(ConformanceChecker.fixture("seed").resolve("schema.json"));
    List<String> rows =
        Files.readAllLines(ConformanceChecker.fixture("seed").resolve("rows.jsonl"));
    MilvusIO.WriteResult written = p.apply(Create.of(rows))
        .apply(MilvusIO.writeJson().withSchema(schema).to(out.toString())
            .withFileType(FileType.NUMPY).withNumShards(2).withSegmentSize(64 * 1024));
    MilvusImport.Result imported = MilvusImport.of(target())
        .withCollection("seed")
        .withSchema(schema)
        .withTimeout("600s")
        .withPathMapping(PathMapping.objectKeys().withPrefixReplaced(out + "/", "imports/"))
        .withTiming(ImportClientTest.FAST)
        .importFrom(written);
    PAssert.that(imported.getFailedJobs()).empty();
    PAssert.thatSingleton(imported.getJobs()).satisfies(job -> {
      assertTrue(job.isCompleted(), job.toString());
      assertEquals("seed", job.collectionName());
      assertTrue(job.fileGroups() > 1, job.toString());
      return null;
    });
    p.run().waitUntilFinish();

    ImportTestServer.Request create = server.requests(ImportTestServer.CREATE).get(0);
    assertEquals("Bearer root:Milvus", create.authorization);
    assertEquals("seed", create.body.get("collectionName").asText());
    assertEquals("600s", create.body.get("options").get("timeout").asText());
    assertFalse(create.body.has("partitionName"));
    // every segment folder of the data path, in order, each with all its .npy files
    String uuid = Path.of(written.getDataPath()).getFileName().toString();
    List<Path> segmentDirs;
    try (Stream<Path> s = Files.list(Path.of(written.getDataPath()))) {
      segmentDirs = s.sorted((a, b) -> Integer.compare(Integer.parseInt(a.getFileName().toString()),
          Integer.parseInt(b.getFileName().toString()))).collect(Collectors.toList());
    }
    JsonNode files = create.body.get("files");
    assertEquals(segmentDirs.size(), files.size());
    for (int i = 0; i < files.size(); i++) {
      List<String> expected;
      String folder = "imports/" + uuid + "/" + (i + 1) + "/";
      try (Stream<Path> s = Files.list(segmentDirs.get(i))) {
        expected = s.map(f -> folder + f.getFileName())
            .sorted().collect(Collectors.toList());
      }
      List<String> got = new ArrayList<>();
      files.get(i).forEach(f -> got.add(f.asText()));
      got.sort(null);
      assertEquals(expected, got);
    }
  }

  @Test
  void moreThan1024GroupsBecomeSeveralJobs(TestPipeline p) {
    List<List<String>> all = new ArrayList<>();
    for (int i = 1500; i >= 1; i--) { // arrival order does not matter
      all.add(List.of("s3://b/imports/u/" + i + ".parquet"));
    }
    MilvusImport.Result r = groups(p, all).apply(MilvusImport.of(target())
        .withCollection("c").withTiming(ImportClientTest.FAST));
    PAssert.thatSingleton(r.getJobs().apply(Count.globally())).isEqualTo(2L);
    p.run().waitUntilFinish();

    List<ImportTestServer.Request> creates = server.requests(ImportTestServer.CREATE);
    assertEquals(2, creates.size());
    creates.sort((a, b) -> Integer.compare(b.body.get("files").size(),
        a.body.get("files").size()));
    assertEquals(1024, creates.get(0).body.get("files").size());
    assertEquals(476, creates.get(1).body.get("files").size());
    List<String> sent = new ArrayList<>();
    for (ImportTestServer.Request c : creates) {
      c.body.get("files").forEach(g -> sent.add(g.get(0).asText()));
    }
    assertEquals(1500, sent.stream().distinct().count());
    JsonNode first = creates.get(0).body.get("files");
    String a = first.get(0).get(0).asText();
    String b = first.get(1).get(0).asText();
    assertEquals("imports/u/1.parquet", a, "sorted naturally within the window");
    assertEquals("imports/u/2.parquet", b);
  }

  @Test
  void aRerunAfterARunStoppedPartWayCreatesOnlyTheMissingJob(TestPipeline p) {
    List<List<String>> all = new ArrayList<>();
    for (int i = 1; i <= 1100; i++) {
      all.add(List.of("s3://b/imports/u/" + i + ".parquet"));
    }
    // an earlier run created the job of the first 1024 groups, then stopped
    ImportClient client = new ImportClient(target(), ImportClientTest.FAST);
    List<List<String>> first = new ArrayList<>();
    for (List<String> g : all.subList(0, 1024)) {
      first.add(PathMapping.objectKeys().mapGroup(g));
    }
    String earlier = client.create(ImportSpec.into("c"), first, new ImportClient.Listener() {});

    MilvusImport.Result r = groups(p, all).apply(MilvusImport.of(target()).withCollection("c")
        .withTiming(ImportClientTest.FAST));
    PAssert.that(r.getJobs()).satisfies(jobs -> {
      List<String> ids = new ArrayList<>();
      jobs.forEach(j -> {
        assertTrue(j.isCompleted(), j.toString());
        ids.add(j.jobId() + ":" + j.fileGroups());
      });
      ids.sort(null);
      assertEquals(List.of(earlier + ":1024", "450000000000000001:76"), ids);
      return null;
    });
    org.apache.beam.sdk.PipelineResult result = p.run();
    result.waitUntilFinish();
    assertEquals(2, server.jobsCreated(), "only the missing job");
    JsonNode files = server.requests(ImportTestServer.CREATE).get(1).body.get("files");
    assertEquals(76, files.size());
    assertEquals("imports/u/1025.parquet", files.get(0).get(0).asText());
    long skipped = 0;
    for (org.apache.beam.sdk.metrics.MetricResult<Long> c : result.metrics().queryMetrics(
        org.apache.beam.sdk.metrics.MetricsFilter.builder().addNameFilter(
            org.apache.beam.sdk.metrics.MetricNameFilter.named(MilvusImport.NAMESPACE,
                "importGroupsSkipped")).build()).getCounters()) {
      skipped += c.getAttempted();
    }
    assertEquals(1024, skipped);
  }

  @Test
  void aFailedJobFailsThePipelineWithTheReason(TestPipeline p) {
    server.defaultScript("Pending", "Failed:row 12: field vector: dim 3, expected 4");
    groups(p, List.of(List.of("s3://b/imports/u/1.json")))
        .apply(MilvusImport.of(target()).withCollection("c").withTiming(ImportClientTest.FAST));
    Exception e = assertThrows(Exception.class, () -> p.run().waitUntilFinish());
    String all = chain(e);
    assertTrue(all.contains("dim 3, expected 4") && all.contains("collection c")
        && all.contains("Failed") && all.contains("import job 450000000000000000"), all);
  }

  @Test
  void failedJobsAreRoutedWhenAsked(TestPipeline p) {
    server.scriptForJob(1, "Importing:30", "Failed:the file is not a Parquet file");
    List<List<String>> all = new ArrayList<>();
    for (int i = 1; i <= 1100; i++) {
      all.add(List.of("s3://b/imports/u/" + i + ".parquet"));
    }
    MilvusImport.Result r = groups(p, all).apply(MilvusImport.of(target()).withCollection("c")
        .withTiming(ImportClientTest.FAST).withFailedJobsRouted());
    PAssert.thatSingleton(r.getFailedJobs()).satisfies(job -> {
      assertEquals("the file is not a Parquet file", job.reason());
      assertEquals(30, job.progress());
      return null;
    });
    PAssert.thatSingleton(r.getJobs().apply(Count.globally())).isEqualTo(2L);
    p.run().waitUntilFinish();
  }

  @Test
  void aLocalPathWithoutMappingFailsNamingTheFix(TestPipeline p) {
    groups(p, List.of(List.of("/tmp/out/u/1.json")))
        .apply(MilvusImport.of(target()).withCollection("c").withTiming(ImportClientTest.FAST));
    Exception e = assertThrows(Exception.class, () -> p.run().waitUntilFinish());
    assertTrue(chain(e).contains("is a local path"), chain(e));
    assertEquals(0, server.requests().size());
  }

  @Test
  void settingsAreCheckedAndSecretsStayOutOfDisplayData(TestPipeline p) {
    ImportTarget cloud = ImportTarget.zillizCloud("in01-x", "THE-API-KEY")
        .withBucketCredentials("AK", "THE-SECRET");
    MilvusImport t = MilvusImport.of(cloud).withCollection("c").withPartition("p1");
    String shown = DisplayData.from(t).items().toString();
    assertFalse(shown.contains("THE-API-KEY") || shown.contains("THE-SECRET"), shown);
    assertTrue(shown.contains("in01-x") && shown.contains("object URLs"), shown);

    assertThrows(IllegalArgumentException.class, () -> MilvusImport.of(target()).withTimeout("x"));
    assertThrows(IllegalArgumentException.class, () -> MilvusImport.of(target()).withPartition(""));
    PCollection<List<String>> in = groups(p, List.of(List.of("s3://b/k/1.json")));
    IllegalArgumentException noCollection = assertThrows(IllegalArgumentException.class,
        () -> in.apply(MilvusImport.of(target())));
    assertTrue(noCollection.getMessage().contains("withCollection"), noCollection.getMessage());
    p.enableAbandonedNodeEnforcement(false);
  }

  static List<List<String>> parquetGroups(int n) {
    List<List<String>> all = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      all.add(List.of("s3://b/imports/u/" + i + ".parquet"));
    }
    return all;
  }

  /** How many times a job was described before the first commit request. */
  long describesBeforeFirstCommit(String jobId) {
    long firstCommit = server.requests(ImportTestServer.COMMIT).get(0).nanos;
    return server.requests(ImportTestServer.DESCRIBE).stream().filter(r -> r.nanos < firstCommit
        && r.body.get("jobId").asText().equals(jobId)).count();
  }

  @Test
  void twoPhaseCommitsTheWindowsJobsOnlyOnceAllAreUncommitted(TestPipeline p) {
    server.twoPhaseCommit()
        .scriptForJob(0, "Pending", "Completed")
        .scriptForJob(1, "Pending", "Importing:30", "Importing:60", "Completed");
    MilvusImport t = MilvusImport.of(target()).withCollection("c")
        .withTiming(ImportClientTest.FAST).withTwoPhaseCommit();
    assertTrue(DisplayData.from(t).items().toString().contains(
        "each window committed once all its jobs are Uncommitted"));
    MilvusImport.Result r = groups(p, parquetGroups(1100)).apply(t);
    PAssert.that(r.getJobs()).satisfies(jobs -> {
      int n = 0;
      for (ImportJob j : jobs) {
        assertTrue(j.isCompleted(), j.toString());
        n++;
      }
      assertEquals(2, n);
      return null;
    });
    PAssert.that(r.getFailedJobs()).empty();
    p.run().waitUntilFinish();

    for (ImportTestServer.Request c : server.requests(ImportTestServer.CREATE)) {
      assertTrue(c.body.get("options").get("auto_commit").isTextual(), c.body.toString());
      assertEquals("false", c.body.get("options").get("auto_commit").asText());
    }
    assertEquals(2, server.requests(ImportTestServer.COMMIT).size());
    // job 1 is Uncommitted at its 4th describe, job 0 at its 2nd: both before any commit
    assertTrue(describesBeforeFirstCommit("450000000000000001") >= 4, server.toString());
    assertTrue(describesBeforeFirstCommit("450000000000000000") >= 2, server.toString());
    assertTrue(server.requests(ImportTestServer.ABORT).isEmpty());
  }

  @Test
  void twoPhaseAbortsTheOthersWhenOneFails(TestPipeline p) {
    server.twoPhaseCommit()
        .scriptForJob(0, "Pending", "Importing:20", "Importing:40", "Importing:60", "Completed")
        .scriptForJob(1, "Pending", "Failed:the file is not a Parquet file"); // the second created
    groups(p, parquetGroups(1100)).apply(MilvusImport.of(target()).withCollection("c")
        .withTiming(ImportClientTest.FAST).withTwoPhaseCommit());
    Exception e = assertThrows(Exception.class, () -> p.run().waitUntilFinish());
    String all = chain(e);
    assertTrue(all.contains("import job 450000000000000001 into collection c ended Failed")
        && all.contains("the file is not a Parquet file; the other jobs of this two-phase import"
        + " were aborted (450000000000000000); none of its rows are visible"), all);
    assertEquals("Failed", server.stateOf("450000000000000000"));
    assertTrue(server.requests(ImportTestServer.COMMIT).isEmpty());
    assertEquals(1, server.requests(ImportTestServer.ABORT).size());
  }

  @Test
  void twoPhaseRoutesTheFailedAndAbortedJobsWhenAsked(TestPipeline p) {
    server.twoPhaseCommit().scriptForJob(1, "Pending", "Failed:bad file");
    MilvusImport.Result r = groups(p, parquetGroups(1100)).apply(MilvusImport.of(target())
        .withCollection("c").withTiming(ImportClientTest.FAST).withTwoPhaseCommit()
        .withFailedJobsRouted());
    PAssert.that(r.getFailedJobs()).satisfies(jobs -> {
      List<String> reasons = new ArrayList<>();
      jobs.forEach(j -> reasons.add(j.reason()));
      reasons.sort(null);
      assertEquals(List.of(ImportJob.ABORTED, "bad file"), reasons);
      return null;
    });
    p.run().waitUntilFinish();
  }

  static String chain(Throwable e) {
    StringBuilder b = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause()) {
      b.append(t).append(" | ");
    }
    return b.toString();
  }
}
