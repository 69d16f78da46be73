package dev.milvusbeam.io.importing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.milvusbeam.core.schema.CollectionSchema;
import dev.milvusbeam.core.schema.DataType;
import dev.milvusbeam.core.schema.FieldParam;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.beam.sdk.testing.CoderProperties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Import API client against a local server implementing the documented contract. */
class ImportClientTest {
  /** Milliseconds instead of seconds: no test waits long. */
  static final ImportTiming FAST = ImportTiming.defaults()
      .withPollInterval(Duration.ofMillis(2), Duration.ofMillis(20))
      .withRetries(3, Duration.ofMillis(2))
      .withRequestTimeout(Duration.ofSeconds(10));

  ImportTestServer server;
  final List<String> events = new CopyOnWriteArrayList<>();
  final ImportClient.Listener listener = new ImportClient.Listener() {
    @Override
    public void created(String jobId, String collection, int fileGroups) {
      events.add("created " + jobId + " " + fileGroups);
    }

    @Override
    public void polled(ImportJob job) {
      events.add("polled " + job.state() + " " + job.progress());
    }

    @Override
    public void retrying(String path, int attempt, int maxRetries, String problem) {
      events.add("retry " + path + " " + attempt + " " + problem);
    }

    @Override
    public void skipped(ImportJob earlier, int fileGroups) {
      events.add("skipped " + earlier.jobId() + " " + earlier.state() + " " + fileGroups);
    }

    @Override
    public void warning(String message) {
      events.add("warning " + message);
    }
  };

  @BeforeEach
  void start() throws Exception {
    server = new ImportTestServer();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  ImportTarget milvus() {
    return ImportTarget.milvus(server.uri()).withToken("root:Milvus").withDatabase("db1");
  }

  @Test
  void createsOneJobAndFollowsItToCompleted() {
    server.requireToken("root:Milvus").rowsPerGroup(250);
    ImportSpec spec = ImportSpec.into("articles").withPartition("p2024").withTimeout("300s")
        .withCsv('|', "NULL");
    ImportRunner runner = new ImportRunner(milvus(), spec, PathMapping.objectKeys(), FAST);
    List<ImportJob> jobs = runner.run(List.of(
        List.of("s3://a-bucket/imports/u1/1.csv"),
        List.of("s3://a-bucket/imports/u1/2/id.npy", "s3://a-bucket/imports/u1/2/vector.npy")),
        listener);

    assertEquals(1, jobs.size());
    ImportJob job = jobs.get(0);
    assertEquals(ImportJob.COMPLETED, job.state());
    assertEquals(100, job.progress());
    assertEquals(500, job.importedRows());
    assertEquals(500, job.totalRows());
    assertEquals("articles", job.collectionName());
    assertEquals(2, job.fileGroups());
    assertEquals("", job.reason());

    ImportTestServer.Request create = server.requests(ImportTestServer.CREATE).get(0);
    assertEquals("Bearer root:Milvus", create.authorization);
    JsonNode b = create.body;
    assertEquals("db1", b.get("dbName").asText());
    assertEquals("articles", b.get("collectionName").asText());
    assertEquals("p2024", b.get("partitionName").asText());
    assertEquals("[[\"imports/u1/1.csv\"],[\"imports/u1/2/id.npy\",\"imports/u1/2/vector.npy\"]]",
        b.get("files").toString());
    JsonNode options = b.get("options");
    assertEquals(3, options.size());
    assertTrue(options.get("timeout").isTextual());
    assertEquals("300s", options.get("timeout").asText());
    assertEquals("|", options.get("sep").asText());
    assertEquals("NULL", options.get("nullkey").asText());
    assertFalse(b.has("objectUrls") || b.has("clusterId") || b.has("secretKey"), b.toString());

    List<ImportTestServer.Request> polls = server.requests(ImportTestServer.DESCRIBE);
    assertEquals(3, polls.size(), "Pending, Importing, Completed");
    for (ImportTestServer.Request r : polls) {
      assertEquals(job.jobId(), r.body.get("jobId").asText());
      assertEquals("db1", r.body.get("dbName").asText());
      assertEquals("Bearer root:Milvus", r.authorization);
    }
    assertEquals(List.of("created " + job.jobId() + " 2", "polled Pending 0",
        "polled Importing 50", "polled Completed 100"), events);
  }

  @Test
  void withoutTokenNoAuthorizationHeaderAndTheRefusalIsReported() {
    server.requireToken("root:Milvus");
    ImportClient client = new ImportClient(ImportTarget.milvus(server.uri()), FAST);
    ImportException e = assertThrows(ImportException.class, () -> client.create(
        ImportSpec.into("c"), List.of(List.of("k/1.parquet")), listener));
    assertTrue(e.getMessage().contains("1800") && e.getMessage().contains("authenticated")
        && e.getMessage().contains("collection c"), e.getMessage());
    assertNull(server.requests().get(0).authorization);
    assertEquals(1, server.requests().size(), "a code answer is not retried");
  }

  @Test
  void userAndPasswordAreSentAsTheToken() {
    ImportClient client = new ImportClient(ImportTarget.milvus(server.uri())
        .withUser("alice", "s3cret:x"), FAST);
    client.create(ImportSpec.into("c"), List.of(List.of("k/1.parquet")), listener);
    assertEquals("Bearer alice:s3cret:x", server.requests().get(0).authorization);
    assertFalse(client.target().toString().contains("s3cret"));
  }

  @Test
  void failedJobIsReturnedWithTheServersReason() {
    server.defaultScript("Pending", "Importing:10", "Failed:the field 'vector' of row 7 has dim"
        + " 3, expected 4");
    ImportClient client = new ImportClient(milvus(), FAST);
    String id = client.create(ImportSpec.into("c"), List.of(List.of("k/1.json")), listener);
    ImportJob job = client.await(id, "c", 1, listener);
    assertTrue(job.isFailed());
    assertEquals("the field 'vector' of row 7 has dim 3, expected 4", job.reason());
    ImportException e = ImportException.failed(job);
    assertTrue(e.getMessage().contains("import job " + id) && e.getMessage().contains("collection c")
        && e.getMessage().contains("Failed") && e.getMessage().contains("dim 3, expected 4"),
        e.getMessage());
  }

  @Test
  void slowJobIsPolledManyTimesWithGrowingWaits() {
    List<String> script = new ArrayList<>(List.of("Pending"));
    for (int i = 1; i <= 12; i++) {
      script.add("Importing:" + (i * 7));
    }
    script.add("Completed");
    server.defaultScript(script.toArray(new String[0]));
    ImportTiming timing = ImportTiming.defaults()
        .withPollInterval(Duration.ofMillis(4), Duration.ofMillis(30));
    // The waits the client asks for, recorded (not timed: a loaded machine stretches any gap).
    List<Long> waits = new CopyOnWriteArrayList<>();
    ImportClient client = new ImportClient(milvus(), timing, d -> waits.add(d.toNanos()));
    String id = client.create(ImportSpec.into("c"), List.of(List.of("k/1.json")), listener);
    ImportJob job = client.await(id, "c", 1, listener);
    assertTrue(job.isCompleted());
    assertEquals(14, server.requests(ImportTestServer.DESCRIBE).size());
    assertEquals(14, waits.size(), "one wait before each poll: " + waits);
    assertEquals(Duration.ofMillis(4).toNanos(), waits.get(0));
    for (int i = 1; i < waits.size(); i++) {
      assertTrue(waits.get(i) >= waits.get(i - 1), "waits never shrink: " + waits);
    }
    assertEquals(Duration.ofMillis(30).toNanos(), waits.get(13), "capped at 30 ms: " + waits);
    assertTrue(waits.get(3) > waits.get(0), "waits grow: " + waits);
  }

  @Test
  void pollWaitsGrowByHalfUpToTheMax() {
    ImportTiming t = ImportTiming.defaults()
        .withPollInterval(Duration.ofSeconds(1), Duration.ofSeconds(5));
    List<Long> waits = new ArrayList<>();
    Duration d = null;
    for (int i = 0; i < 7; i++) {
      d = t.nextPoll(d);
      waits.add(d.toMillis());
    }
    assertEquals(List.of(1000L, 1500L, 2250L, 3375L, 5000L, 5000L, 5000L), waits);
    ImportTiming r = ImportTiming.defaults().withRetries(5, Duration.ofSeconds(1));
    assertEquals(1000, r.retryWait(1).toMillis());
    assertEquals(4000, r.retryWait(3).toMillis());
    assertEquals(30000, r.retryWait(9).toMillis());
  }

  @Test
  void serverErrorsAndDroppedConnectionsAreRetried() {
    server.answerNext(ImportTestServer.CREATE, 503, "{\"message\":\"overloaded\"}")
        .dropNext(ImportTestServer.CREATE)
        .answerNext(ImportTestServer.DESCRIBE, 500, "internal error");
    ImportClient client = new ImportClient(milvus(), FAST);
    String id = client.create(ImportSpec.into("c"), List.of(List.of("k/1.json")), listener);
    ImportJob job = client.await(id, "c", 1, listener);
    assertTrue(job.isCompleted());
    assertEquals(3, server.requests(ImportTestServer.CREATE).size());
    assertEquals(1, server.jobsCreated());
    List<String> retries = events.stream().filter(e -> e.startsWith("retry")).collect(
        java.util.stream.Collectors.toList());
    assertEquals(3, retries.size(), events.toString());
    assertTrue(retries.get(0).contains("HTTP 503"), retries.get(0));
    assertTrue(retries.get(1).contains("IOException"), retries.get(1));
    assertTrue(retries.get(2).contains(ImportTestServer.DESCRIBE) && retries.get(2).contains("500"),
        retries.get(2));
  }

  @Test
  void retriesAreBounded() {
    for (int i = 0; i < 10; i++) {
      server.answerNext(ImportTestServer.CREATE, 502, "bad gateway");
    }
    ImportClient client = new ImportClient(milvus(), FAST);
    ImportException e = assertThrows(ImportException.class, () -> client.create(
        ImportSpec.into("c"), List.of(List.of("k/1.json")), listener));
    assertTrue(e.getMessage().contains("failed after 4 attempts")
        && e.getMessage().contains("HTTP 502"), e.getMessage());
    assertEquals(4, server.requests().size());
  }

  @Test
  void aCodeAnswerIsNotRetriedButReported() {
    server.answerNext(ImportTestServer.CREATE, 200,
        "{\"code\":100,\"message\":\"collection not found[collection=missing]\"}");
    ImportClient client = new ImportClient(milvus(), FAST);
    ImportException e = assertThrows(ImportException.class, () -> client.create(
        ImportSpec.into("missing"), List.of(List.of("k/1.json")), listener));
    assertTrue(e.getMessage().contains("code 100")
        && e.getMessage().contains("collection not found[collection=missing]")
        && e.getMessage().contains("collection missing"), e.getMessage());
    assertEquals(1, server.requests().size());
    assertEquals(0, server.jobsCreated());
  }

  @Test
  void secretsEchoedByTheServerAreRedacted() {
    server.answerNext(ImportTestServer.CREATE, 200,
        "{\"code\":1800,\"message\":\"bad token root:Milvus\"}");
    ImportClient client = new ImportClient(milvus(), FAST);
    ImportException e = assertThrows(ImportException.class, () -> client.create(
        ImportSpec.into("c"), List.of(List.of("k/1.json")), listener));
    assertFalse(e.getMessage().contains("root:Milvus"), e.getMessage());
    assertTrue(e.getMessage().contains("bad token ***"), e.getMessage());
  }

  @Test
  void moreThan1024GroupsMakeSeveralRequests() {
    List<List<String>> groups = new ArrayList<>();
    for (int i = 1; i <= 2500; i++) {
      groups.add(List.of("s3://b/imports/u/" + i + ".parquet"));
    }
    List<ImportJob> jobs = new ImportRunner(milvus(), ImportSpec.into("c"),
        PathMapping.objectKeys(), FAST).run(groups, listener);
    assertEquals(3, jobs.size());
    List<ImportTestServer.Request> creates = server.requests(ImportTestServer.CREATE);
    assertEquals(List.of(1024, 1024, 452), List.of(creates.get(0).body.get("files").size(),
        creates.get(1).body.get("files").size(), creates.get(2).body.get("files").size()));
    assertEquals("imports/u/1.parquet", creates.get(0).body.get("files").get(0).get(0).asText());
    assertEquals("imports/u/1025.parquet",
        creates.get(1).body.get("files").get(0).get(0).asText());
    assertEquals("imports/u/2500.parquet",
        creates.get(2).body.get("files").get(451).get(0).asText());
    for (ImportJob j : jobs) {
      assertTrue(j.isCompleted(), j.toString());
    }
    assertEquals(List.of(1024, 1024, 452), List.of(jobs.get(0).fileGroups(),
        jobs.get(1).fileGroups(), jobs.get(2).fileGroups()));
  }

  static List<List<String>> groups(int n) {
    List<List<String>> groups = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      groups.add(List.of("s3://b/imports/u/" + i + ".parquet"));
    }
    return groups;
  }

  @Test
  void aRerunAfterARunStoppedPartWayCreatesOnlyTheMissingJobs() {
    server.refuseCreatesAfter(1); // the run stops after its first of three jobs
    ImportRunner runner = new ImportRunner(milvus(), ImportSpec.into("c"),
        PathMapping.objectKeys(), FAST);
    assertThrows(ImportException.class, () -> runner.run(groups(2500), listener));
    assertEquals(1, server.jobsCreated());
    String first = server.requests(ImportTestServer.CREATE).get(0).body.toString();

    server.refuseCreatesAfter(Integer.MAX_VALUE);
    events.clear();
    List<ImportJob> jobs = runner.run(groups(2500), listener);
    assertEquals(3, server.jobsCreated(), "two more jobs, not three");
    List<ImportTestServer.Request> creates = server.requests(ImportTestServer.CREATE);
    assertEquals(first, creates.get(0).body.toString());
    JsonNode second = creates.get(creates.size() - 2).body.get("files");
    JsonNode third = creates.get(creates.size() - 1).body.get("files");
    assertEquals(1024, second.size());
    assertEquals("imports/u/1025.parquet", second.get(0).get(0).asText());
    assertEquals(452, third.size());
    assertEquals("imports/u/2500.parquet", third.get(451).get(0).asText());
    assertEquals(3, jobs.size());
    String earlier = jobs.get(0).jobId();
    assertEquals(List.of(1024, 1024, 452), List.of(jobs.get(0).fileGroups(),
        jobs.get(1).fileGroups(), jobs.get(2).fileGroups()));
    jobs.forEach(j -> assertTrue(j.isCompleted(), j.toString()));
    assertTrue(events.contains("skipped " + earlier + " Importing 1024"), events.toString());
    assertTrue(events.stream().anyMatch(e -> e.startsWith("warning earlier import job " + earlier
        + " is Pending and lists no files yet")), events.toString());
    JsonNode list = server.requests(ImportTestServer.LIST).get(1).body;
    assertEquals("c", list.get("collectionName").asText());
    assertEquals("db1", list.get("dbName").asText());

    // everything held now: a third run creates nothing and follows the three jobs
    events.clear();
    assertEquals(3, runner.run(groups(2500), listener).size());
    assertEquals(3, server.jobsCreated());
    // --force imports anyway
    runner.withForce(true).run(groups(3), listener);
    assertEquals(4, server.jobsCreated());
  }

  @Test
  void aGroupWhoseEarlierJobFailedIsImportedAgain() {
    server.scriptForJob(0, "Pending", "Importing:30", "Failed:row 4: dim 3, expected 4");
    ImportRunner runner = new ImportRunner(milvus(), ImportSpec.into("c"),
        PathMapping.objectKeys(), FAST);
    assertTrue(runner.run(groups(2), listener).get(0).isFailed());
    List<ImportJob> again = runner.run(groups(2), listener);
    assertEquals(2, server.jobsCreated());
    assertEquals(1, again.size());
    assertTrue(again.get(0).isCompleted());
    assertEquals(2, server.requests(ImportTestServer.CREATE).get(1).body.get("files").size());
    assertFalse(events.stream().anyMatch(e -> e.startsWith("skipped")), events.toString());
  }

  @Test
  void aGroupOfSeveralFilesIsKnownByTheServersFileName() {
    List<List<String>> numpy = List.of(
        List.of("s3://b/imports/u/1/id.npy", "s3://b/imports/u/1/vector.npy"),
        List.of("s3://b/imports/u/2/id.npy", "s3://b/imports/u/2/vector.npy"));
    ImportRunner runner = new ImportRunner(milvus(), ImportSpec.into("c"),
        PathMapping.objectKeys(), FAST);
    ImportJob job = runner.run(numpy.subList(0, 1), listener).get(0);
    ImportClient.Described d = new ImportClient(milvus(), FAST).describeWithFiles(job.jobId(),
        "c", listener);
    assertEquals(List.of("[imports/u/1/id.npy imports/u/1/vector.npy]"), d.fileNames(),
        "Go's %v of the paths");
    runner.run(numpy, listener);
    assertEquals(2, server.jobsCreated());
    assertEquals("[[\"imports/u/2/id.npy\",\"imports/u/2/vector.npy\"]]",
        server.requests(ImportTestServer.CREATE).get(1).body.get("files").toString());
    assertEquals("imports/a b.json", HeldGroups.normalize("[imports/a b.json]"));
    assertEquals("k/1.json", HeldGroups.normalize("k/1.json"));
  }

  @Test
  void aServerWithoutListImportsEverythingAfterAWarning() {
    server.withoutList();
    ImportRunner runner = new ImportRunner(milvus(), ImportSpec.into("c"),
        PathMapping.objectKeys(), FAST);
    runner.run(groups(2), listener);
    runner.run(groups(2), listener);
    assertEquals(2, server.jobsCreated());
    assertTrue(events.stream().anyMatch(e -> e.startsWith("warning this server has no "
        + ImportTestServer.LIST)), events.toString());
  }

  @Test
  void listingAnUnknownCollectionIsReported() {
    server.answerNext(ImportTestServer.LIST, 200,
        "{\"code\":100,\"message\":\"collection not found[collection=nope]\"}");
    ImportRunner runner = new ImportRunner(milvus(), ImportSpec.into("nope"),
        PathMapping.objectKeys(), FAST);
    ImportException e = assertThrows(ImportException.class, () -> runner.run(groups(1), listener));
    assertTrue(e.getMessage().contains("list the import jobs of collection nope")
        && e.getMessage().contains("collection not found"), e.getMessage());
    assertEquals(0, server.jobsCreated());
  }

  @Test
  void anEarlierJobOfAnotherCollectionHoldsNothingHere() {
    new ImportRunner(milvus(), ImportSpec.into("other"), PathMapping.objectKeys(), FAST)
        .run(groups(1), listener);
    new ImportRunner(milvus(), ImportSpec.into("c"), PathMapping.objectKeys(), FAST)
        .run(groups(1), listener);
    assertEquals(2, server.jobsCreated());
  }

  @Test
  void theCollectionSchemaIsReadFromTheServersDescription() {
    server.requireToken("root:Milvus").collection("articles", ImportTestServer.ARTICLES)
        .collection("old", ImportTestServer.ARTICLES.replace("\"structFields\":[],", ""))
        .collection("broken", ImportTestServer.ARTICLES.replace("\"type\":\"FloatVector\"",
            "\"type\":\"Mol\""));
    ImportClient client = new ImportClient(milvus(), FAST);
    CollectionSchema s = client.describeCollection("articles", listener);
    assertEquals(4, s.field("vector").dim());
    assertEquals(64, s.field("title").maxLength());
    assertTrue(s.field("id").isPrimaryKey() && s.isDynamicFieldEnabled());
    assertEquals("2024", s.field("year").defaultValue().toString());
    ImportTestServer.Request r = server.requests(ImportTestServer.DESCRIBE_COLLECTION).get(0);
    assertEquals("{\"dbName\":\"db1\",\"collectionName\":\"articles\"}", r.body.toString());
    assertEquals("Bearer root:Milvus", r.authorization);
    assertTrue(events.isEmpty(), events.toString());

    client.describeCollection("old", listener);
    assertTrue(events.stream().anyMatch(e -> e.contains("has no structFields")), events.toString());
    IllegalArgumentException broken = assertThrows(IllegalArgumentException.class,
        () -> client.describeCollection("broken", listener));
    assertTrue(broken.getMessage().contains("lacks what the writer needs")
        && broken.getMessage().contains("Mol"), broken.getMessage());
    ImportException missing = assertThrows(ImportException.class,
        () -> client.describeCollection("nope", listener));
    assertTrue(missing.getMessage().contains("describe collection nope")
        && missing.getMessage().contains("code 100: collection not found[collection=nope]"),
        missing.getMessage());
  }

  @Test
  void olderServersWithout404DescribeAreAskedGetProgress() {
    server.describe(ImportTestServer.Describe.HTTP_404);
    ImportClient client = new ImportClient(milvus(), FAST);
    String id = client.create(ImportSpec.into("c"), List.of(List.of("k/1.json")), listener);
    assertTrue(client.await(id, "c", 1, listener).isCompleted());
    assertEquals(1, server.requests(ImportTestServer.DESCRIBE).size(), "asked once");
    assertEquals(3, server.requests(ImportTestServer.GET_PROGRESS).size());
  }

  @Test
  void olderServersAnsweringNotFoundCodeAreAskedGetProgress() {
    server.describe(ImportTestServer.Describe.CODE_NOT_FOUND);
    ImportClient client = new ImportClient(milvus(), FAST);
    String id = client.create(ImportSpec.into("c"), List.of(List.of("k/1.json")), listener);
    assertTrue(client.await(id, "c", 1, listener).isCompleted());
    assertEquals(1, server.requests(ImportTestServer.DESCRIBE).size());
    assertEquals(3, server.requests(ImportTestServer.GET_PROGRESS).size());
  }

  @Test
  void anUnknownJobIsReportedNotHidden() {
    ImportClient client = new ImportClient(milvus(), FAST);
    ImportException e = assertThrows(ImportException.class,
        () -> client.describe("123", "c", 1, listener));
    assertTrue(e.getMessage().contains("import job 123") && e.getMessage().contains("not found"),
        e.getMessage());
  }

  @Test
  void waitTimeoutStopsWaiting() {
    server.defaultScript("Importing:5");
    ImportClient client = new ImportClient(milvus(), FAST.withWaitTimeout(Duration.ofMillis(50)));
    String id = client.create(ImportSpec.into("c"), List.of(List.of("k/1.json")), listener);
    ImportException e = assertThrows(ImportException.class, () -> client.await(id, "c", 1,
        listener));
    assertTrue(e.getMessage().contains("still Importing (5%)"), e.getMessage());
  }

  @Test
  void zillizCloudBodyHasClusterUrlsAndBucketKeys() {
    ImportTarget cloud = ImportTarget.zillizCloud("in01-abc", "API-KEY-123")
        .withUri(server.uri()).withBucketCredentials("AKIA1", "SECRET-XYZ");
    List<ImportJob> jobs = new ImportRunner(cloud, ImportSpec.into("c").withPartition("p1"),
        PathMapping.defaultFor(cloud), FAST).run(List.of(
            List.of("s3://b/imports/u/1.parquet"),
            List.of("azfs://acct/cont/imports/u/2/id.npy", "azfs://acct/cont/imports/u/2/v.npy")),
            listener);
    assertTrue(jobs.get(0).isCompleted());
    ImportTestServer.Request create = server.requests(ImportTestServer.CREATE).get(0);
    assertEquals("Bearer API-KEY-123", create.authorization);
    JsonNode b = create.body;
    assertEquals("in01-abc", b.get("clusterId").asText());
    assertEquals("c", b.get("collectionName").asText());
    assertEquals("p1", b.get("partitionName").asText());
    assertEquals("[\"s3://b/imports/u/1.parquet\","
        + "\"https://acct.blob.core.windows.net/cont/imports/u/2/\"]", b.get("objectUrls").toString());
    assertEquals("AKIA1", b.get("accessKey").asText());
    assertEquals("SECRET-XYZ", b.get("secretKey").asText());
    assertFalse(b.has("files"), b.toString());
    JsonNode describe = server.requests(ImportTestServer.DESCRIBE).get(0).body;
    assertEquals("in01-abc", describe.get("clusterId").asText());
    assertFalse(cloud.toString().contains("API-KEY") || cloud.toString().contains("SECRET"),
        cloud.toString());
  }

  @Test
  void zillizCloudByProjectAndRegion() {
    ImportTarget cloud = ImportTarget.zillizCloudProject("proj-1", "aws-us-west-2", "KEY")
        .withUri(server.uri());
    new ImportClient(cloud, FAST).create(ImportSpec.into("c"),
        List.of(List.of("s3://b/k/1.parquet")), listener);
    JsonNode b = server.requests().get(0).body;
    assertEquals("proj-1", b.get("projectId").asText());
    assertEquals("aws-us-west-2", b.get("regionId").asText());
    assertFalse(b.has("clusterId"));
  }

  @Test
  void partitionNameIsRefusedWithAPartitionKey() {
    CollectionSchema schema = CollectionSchema.createSchema(false, false)
        .addField("id", DataType.INT64, FieldParam.isPrimary())
        .addField("tenant", DataType.VARCHAR, FieldParam.maxLength(64),
            FieldParam.isPartitionKey())
        .addField("v", DataType.FLOAT_VECTOR, FieldParam.dim(4))
        .build();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ImportSpec.into("c").withPartition("p").checkAgainst(schema));
    assertTrue(e.getMessage().contains("partition key 'tenant'"), e.getMessage());
    ImportSpec.into("c").checkAgainst(schema); // without a partition: fine
  }

  @Test
  void badSettingsAreRefusedWhereTheyAreMade() {
    assertThrows(IllegalArgumentException.class, () -> ImportSpec.into(""));
    assertThrows(IllegalArgumentException.class, () -> ImportSpec.into("c").withTimeout("5"));
    assertEquals("1h30m", ImportSpec.into("c").withTimeout("1h30m").options().get("timeout"));
    assertThrows(IllegalArgumentException.class, () -> ImportTarget.milvus("ftp://x"));
    assertEquals("http://localhost:19530", ImportTarget.milvus("localhost:19530/").uri());
    assertThrows(IllegalArgumentException.class, () -> ImportTarget.zillizCloud("", "k"));
    assertThrows(IllegalArgumentException.class,
        () -> ImportTarget.milvus("http://h:1").withBucketCredentials("a", "b"));
    assertThrows(IllegalArgumentException.class, () -> ImportTiming.defaults()
        .withPollInterval(Duration.ofSeconds(2), Duration.ofSeconds(1)));
  }

  @Test
  void jobCoderRoundTrips() throws Exception {
    CoderProperties.coderDecodeEncodeEqual(ImportJob.coder(),
        new ImportJob("1", "c", "Failed", 40, 10, 25, "bad row", 3));
    CoderProperties.coderDecodeEncodeEqual(ImportJob.coder(),
        new ImportJob("2", null, "Completed", 100, 25, 25, "", 1024));
    CoderProperties.coderSerializable(ImportJob.coder());
    JsonNode j = ImportTestServer.JSON.readTree(
        new ImportJob("1", "c", "Failed", 40, 10, 25, "bad row", 3).toJson());
    Iterator<String> names = j.fieldNames();
    List<String> keys = new ArrayList<>();
    names.forEachRemaining(keys::add);
    assertEquals(List.of("jobId", "collectionName", "state", "progress", "importedRows",
        "totalRows", "reason", "fileGroups"), keys);
  }
}
