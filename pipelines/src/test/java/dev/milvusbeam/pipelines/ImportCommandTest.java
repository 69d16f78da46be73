package dev.milvusbeam.pipelines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.milvusbeam.io.ConformanceChecker;
import dev.milvusbeam.io.importing.ImportTestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.util.common.ReflectHelpers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bulkwriter import} and {@code convert --importTo} against a local server implementing
 * the documented Import API (no Milvus can run here).
 */
class ImportCommandTest {
  /** Poll and retry in milliseconds. */
  static final String[] FAST = {"--pollInterval=5ms", "--maxPollInterval=20ms",
      "--retryBackoff=5ms"};

  @TempDir Path dir;
  ImportTestServer server;

  @BeforeEach
  void start() throws Exception {
    server = new ImportTestServer();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  static String[] args(String[] fixed, String... more) {
    List<String> a = new ArrayList<>(Arrays.asList(fixed));
    a.addAll(Arrays.asList(more));
    a.addAll(Arrays.asList(FAST));
    return a.toArray(new String[0]);
  }

  /** Converts the seed fixture into small Parquet segments; returns the summary line. */
  JsonNode convertSeed(Path out) throws Exception {
    Path fx = Conformance.fixture("seed");
    ConformanceChecker.Result r = Conformance.cli("convert", "--schema=" + fx.resolve("schema.json"),
        "--input=" + fx.resolve("rows.jsonl"), "--output=" + out, "--segmentSize=64KB");
    assertEquals(0, r.exit, r.toString());
    return Conformance.JSON.readTree(r.lastLine());
  }

  static List<List<String>> groups(JsonNode a) {
    List<List<String>> out = new ArrayList<>();
    for (JsonNode g : a) {
      List<String> files = new ArrayList<>();
      g.forEach(f -> files.add(f.asText()));
      out.add(files);
    }
    return out;
  }

  @Test
  void importsADataFolderByManifestListingOrSummaryLine() throws Exception {
    Path out = dir.resolve("out");
    JsonNode summary = convertSeed(out);
    String dataPath = summary.get("dataPath").asText();
    String uuid = Path.of(dataPath).getFileName().toString();
    List<List<String>> expected = new ArrayList<>();
    for (List<String> g : groups(summary.get("batchFiles"))) {
      List<String> mapped = new ArrayList<>();
      g.forEach(f -> mapped.add("imports/" + f.substring(out.toString().length() + 1)));
      expected.add(mapped);
    }
    assertTrue(expected.size() > 1, expected.toString());
    assertTrue(expected.get(0).get(0).equals("imports/" + uuid + "/1.parquet"), expected.toString());
    server.requireToken("root:Milvus");
    String[] common = {"import", "--uri=" + server.uri(), "--token=root:Milvus",
        "--collection=seed", "--dbName=db1", "--pathMap=" + out + "/=imports/"};

    ConformanceChecker.Result byDataPath = Conformance.cli(args(common, "--dataPath=" + dataPath));
    assertEquals(0, byDataPath.exit, byDataPath.toString());
    JsonNode line = Conformance.JSON.readTree(byDataPath.lastLine());
    assertEquals("seed", line.get("collection").asText());
    assertEquals(expected.size(), line.get("fileGroups").asInt());
    assertEquals(0, line.get("failedJobs").asInt());
    JsonNode job = line.get("jobs").get(0);
    assertEquals("Completed", job.get("state").asText());
    assertEquals(100, job.get("progress").asInt());
    assertEquals(expected.size() * 100L, job.get("importedRows").asLong());
    assertTrue(byDataPath.err.contains("import job " + job.get("jobId").asText() + " created"),
        byDataPath.err);
    assertTrue(byDataPath.err.contains("Pending 0%") && byDataPath.err.contains("Importing 50%")
        && byDataPath.err.contains("Completed 100%"), byDataPath.err);
    assertFalse(byDataPath.err.contains("root:Milvus") || byDataPath.out.contains("root:Milvus"));

    ImportTestServer.Request create = server.requests(ImportTestServer.CREATE).get(0);
    assertEquals("Bearer root:Milvus", create.authorization);
    assertEquals("db1", create.body.get("dbName").asText());
    assertEquals("seed", create.body.get("collectionName").asText());
    assertEquals(expected, groups(create.body.get("files")));
    assertFalse(create.body.has("options"), "no CSV, no timeout: no options");

    // without the manifest: the segments found in the folder, in order
    Files.delete(Path.of(dataPath + ".manifest.json"));
    ConformanceChecker.Result listed = Conformance.cli(args(common, "--dataPath=" + dataPath,
        "--importTimeout=300s", "--force"));
    assertEquals(0, listed.exit, listed.toString());
    JsonNode second = server.requests(ImportTestServer.CREATE).get(1).body;
    assertEquals(expected, groups(second.get("files")));
    assertEquals("300s", second.get("options").get("timeout").asText());

    // convert's summary line as --batchFiles
    ConformanceChecker.Result bySummary = Conformance.cli(args(common,
        "--batchFiles=" + summary.toString(), "--force"));
    assertEquals(0, bySummary.exit, bySummary.toString());
    assertEquals(expected, groups(server.requests(ImportTestServer.CREATE).get(2).body.get("files")));
  }

  @Test
  void aManifestFileIsRead() throws Exception {
    Path manifest = dir.resolve("u.manifest.json");
    Files.writeString(manifest, "{\"dataPath\":\"s3://b/imports/u\",\"fileType\":\"csv\","
        + "\"segments\":[{\"number\":1,\"files\":[\"s3://b/imports/u/1.csv\"],\"rows\":10,"
        + "\"bytes\":100}],\"batchFiles\":[[\"s3://b/imports/u/1.csv\"]],\"rows\":10}");
    ConformanceChecker.Result r = Conformance.cli(args(new String[] {"import",
        "--uri=" + server.uri(), "--collection=c", "--manifest=" + manifest, "--sep=;",
        "--nullKey=NULL", "--bucket=b", "--partition=p1"}));
    assertEquals(0, r.exit, r.toString());
    JsonNode b = server.requests(ImportTestServer.CREATE).get(0).body;
    assertEquals("[[\"imports/u/1.csv\"]]", b.get("files").toString());
    assertEquals("p1", b.get("partitionName").asText());
    assertEquals(";", b.get("options").get("sep").asText());
    assertEquals("NULL", b.get("options").get("nullkey").asText());
    assertEquals(null, server.requests().get(0).authorization);
  }

  /** CSV written with ';' and NULL: the manifest says so, the flags are only needed to override. */
  @Test
  void csvOptionsComeFromTheManifestUnlessGiven() throws Exception {
    Path manifest = dir.resolve("v.manifest.json");
    Files.writeString(manifest, "{\"dataPath\":\"s3://b/imports/v\",\"fileType\":\"csv\","
        + "\"csv\":{\"sep\":\";\",\"nullkey\":\"NULL\"},"
        + "\"batchFiles\":[[\"s3://b/imports/v/1.csv\"]],\"rows\":10}");
    ConformanceChecker.Result r = Conformance.cli(args(new String[] {"import",
        "--uri=" + server.uri(), "--collection=c", "--manifest=" + manifest, "--bucket=b"}));
    assertEquals(0, r.exit, r.toString());
    JsonNode b = server.requests(ImportTestServer.CREATE).get(0).body;
    assertEquals(";", b.get("options").get("sep").asText());
    assertEquals("NULL", b.get("options").get("nullkey").asText());

    r = Conformance.cli(args(new String[] {"import", "--uri=" + server.uri(), "--collection=c",
        "--manifest=" + manifest, "--bucket=b", "--nullKey=\\N", "--force"}));
    assertEquals(0, r.exit, r.toString());
    b = server.requests(ImportTestServer.CREATE).get(1).body;
    assertEquals(";", b.get("options").get("sep").asText());
    assertEquals("\\N", b.get("options").get("nullkey").asText(), "the flag wins");
  }

  @Test
  void aFailedJobFailsTheCommandWithTheReasonUnlessRouted() throws Exception {
    server.defaultScript("Pending", "Importing:20", "Failed:row 3: field 'vector': dim 2,"
        + " expected 768");
    String[] common = {"import", "--uri=" + server.uri(), "--collection=c",
        "--batchFiles=[[\"s3://b/u/1.parquet\"],[\"s3://b/u/2.parquet\"]]"};
    ConformanceChecker.Result failed = Conformance.cli(args(common));
    assertEquals(1, failed.exit, failed.toString());
    assertTrue(failed.err.contains("import failed: import job") && failed.err.contains(
        "into collection c ended Failed (20%): row 3: field 'vector': dim 2, expected 768"),
        failed.err);
    JsonNode line = Conformance.JSON.readTree(failed.lastLine());
    assertEquals(1, line.get("failedJobs").asInt());
    assertEquals("Failed", line.get("jobs").get(0).get("state").asText());

    ConformanceChecker.Result routed = Conformance.cli(args(common, "--routeFailedJobs"));
    assertEquals(0, routed.exit, routed.toString());
    JsonNode job = Conformance.JSON.readTree(routed.lastLine()).get("jobs").get(0);
    assertEquals("row 3: field 'vector': dim 2, expected 768", job.get("reason").asText());
  }

  /** {@code --batchFiles} of {@code n} one-file groups: more than 1024 make two jobs. */
  static String batchFiles(int n) {
    StringBuilder b = new StringBuilder("--batchFiles=[");
    for (int i = 1; i <= n; i++) {
      b.append(i > 1 ? "," : "").append("[\"s3://b/u/").append(i).append(".parquet\"]");
    }
    return b.append("]").toString();
  }

  @Test
  void twoPhaseCommitCommitsAllJobsOrAbortsThemAll() throws Exception {
    server.twoPhaseCommit();
    String[] common = {"import", "--uri=" + server.uri(), "--collection=c", "--twoPhaseCommit"};
    ConformanceChecker.Result ok = Conformance.cli(args(common, batchFiles(1100)));
    assertEquals(0, ok.exit, ok.toString());
    JsonNode line = Conformance.JSON.readTree(ok.lastLine());
    assertTrue(line.get("twoPhaseCommit").asBoolean(), line.toString());
    assertEquals(0, line.get("abortedJobs").asInt());
    assertEquals(2, line.get("jobs").size());
    line.get("jobs").forEach(j -> assertEquals("Completed", j.get("state").asText()));
    assertEquals("false", server.requests(ImportTestServer.CREATE).get(0).body.get("options")
        .get("auto_commit").asText());
    assertTrue(ok.err.contains("(two-phase: the jobs are committed once all are Uncommitted, or"
        + " all aborted)"), ok.err);
    assertTrue(ok.err.contains("import job 450000000000000000 committed")
        && ok.err.contains("import job 450000000000000001 committed"), ok.err);
    assertTrue(ok.err.indexOf("450000000000000001: Uncommitted 99%")
        < ok.err.indexOf("450000000000000000 committed"), ok.err);

    server.scriptForJob(3, "Pending", "Failed:the file is not a Parquet file");
    String[] force = {"import", "--uri=" + server.uri(), "--collection=c", "--twoPhaseCommit",
        "--force", batchFiles(1100)};
    ConformanceChecker.Result failed = Conformance.cli(args(force));
    assertEquals(1, failed.exit, failed.toString());
    assertTrue(failed.err.contains("import failed: import job 450000000000000003 into"
        + " collection c ended Failed") && failed.err.contains("the file is not a Parquet file;"
        + " the other jobs of this two-phase import were aborted (450000000000000002); none of its"
        + " rows are visible"), failed.err);
    assertTrue(failed.err.contains("import job 450000000000000002 aborted"), failed.err);
    assertTrue(failed.err.contains("2 failed (1 of them aborted)"), failed.err);
    JsonNode failedLine = Conformance.JSON.readTree(failed.lastLine());
    assertEquals(2, failedLine.get("failedJobs").asInt());
    assertEquals(1, failedLine.get("abortedJobs").asInt());
    assertEquals(List.of("450000000000000002"),
        abortedIds());

    server.scriptForJob(5, "Pending", "Failed:the file is not a Parquet file");
    ConformanceChecker.Result routed = Conformance.cli(args(force, "--routeFailedJobs"));
    assertEquals(0, routed.exit, routed.toString());
    assertTrue(routed.err.contains("were aborted (450000000000000004)"), routed.err);
  }

  List<String> abortedIds() {
    List<String> ids = new ArrayList<>();
    server.requests(ImportTestServer.ABORT).forEach(r -> ids.add(r.body.get("jobId").asText()));
    return ids;
  }

  @Test
  void twoPhaseCommitOnA26ServerSaysTheDataIsVisible() throws Exception {
    ConformanceChecker.Result r = Conformance.cli(args(new String[] {"import",
        "--uri=" + server.uri(), "--collection=c", "--twoPhaseCommit",
        "--batchFiles=[[\"s3://b/u/1.parquet\"]]"}));
    assertEquals(0, r.exit, r.toString());
    assertTrue(r.err.contains("bulkwriter: warning: this server does not support two-phase"
        + " import (Milvus 3.0 or later needed): the data of job 450000000000000000 is already"
        + " visible"), r.err);
    assertTrue(server.requests(ImportTestServer.COMMIT).isEmpty());
  }

  @Test
  void twoPhaseCommitRefusesAnAutoCommitOption() throws Exception {
    String[] common = {"import", "--uri=" + server.uri(), "--collection=c",
        "--batchFiles=[[\"s3://b/u/1.parquet\"]]"};
    ConformanceChecker.Result both = Conformance.cli(args(common, "--twoPhaseCommit",
        "--importOptions=auto_commit=true"));
    assertEquals(2, both.exit, both.toString());
    assertTrue(both.err.contains("--twoPhaseCommit creates the jobs with auto_commit=false"),
        both.err);
    ConformanceChecker.Result bad = Conformance.cli(args(common, "--importOptions=auto_commit=no"));
    assertEquals(2, bad.exit, bad.toString());
    assertTrue(bad.err.contains("--importOptions='auto_commit=no': import option auto_commit"
        + " 'no': must be \"true\" or \"false\""), bad.err);
    assertEquals(0, server.requests().size());
  }

  @Test
  void aRerunImportsOnlyTheGroupsNoEarlierJobHolds() throws Exception {
    String[] common = {"import", "--uri=" + server.uri(), "--collection=c", "--token=root:Milvus"};
    ConformanceChecker.Result first = Conformance.cli(args(common,
        "--batchFiles=[[\"s3://b/u/1.parquet\"],[\"s3://b/u/2.parquet\"]]"));
    assertEquals(0, first.exit, first.toString());
    String earlier = Conformance.JSON.readTree(first.lastLine()).get("jobs").get(0)
        .get("jobId").asText();

    ConformanceChecker.Result rerun = Conformance.cli(args(common,
        "--batchFiles=[[\"s3://b/u/1.parquet\"],[\"s3://b/u/2.parquet\"],[\"s3://b/u/3.parquet\"]]"));
    assertEquals(0, rerun.exit, rerun.toString());
    assertEquals(2, server.jobsCreated());
    assertEquals("[[\"u/3.parquet\"]]",
        server.requests(ImportTestServer.CREATE).get(1).body.get("files").toString());
    JsonNode line = Conformance.JSON.readTree(rerun.lastLine());
    assertEquals(3, line.get("fileGroups").asInt());
    assertEquals(2, line.get("skippedGroups").asInt());
    assertEquals(2, line.get("jobs").size(), "the earlier job and the new one");
    assertEquals(earlier, line.get("jobs").get(0).get("jobId").asText());
    assertTrue(rerun.err.contains("2 file groups skipped: earlier import job " + earlier
        + " (Completed) holds them"), rerun.err);
    assertTrue(rerun.err.contains("2 of 3 file groups skipped"), rerun.err);
    assertEquals("Bearer root:Milvus", server.requests(ImportTestServer.LIST).get(0).authorization);

    ConformanceChecker.Result forced = Conformance.cli(args(common,
        "--batchFiles=[[\"s3://b/u/1.parquet\"]]", "--force"));
    assertEquals(0, forced.exit, forced.toString());
    assertEquals(3, server.jobsCreated());
    assertEquals(0, Conformance.JSON.readTree(forced.lastLine()).get("skippedGroups").asInt());
  }

  @Test
  void aServerWithoutListIsWarnedAboutAndImportedInto() throws Exception {
    server.withoutList();
    ConformanceChecker.Result r = Conformance.cli(args(new String[] {"import",
        "--uri=" + server.uri(), "--collection=c", "--batchFiles=[[\"s3://b/u/1.parquet\"]]"}));
    assertEquals(0, r.exit, r.toString());
    assertTrue(r.err.contains("bulkwriter: warning: this server has no " + ImportTestServer.LIST),
        r.err);
    assertEquals(1, server.jobsCreated());
  }

  @Test
  void serverErrorsAreRetriedAndRefusalsReported() throws Exception {
    server.answerNext(ImportTestServer.CREATE, 503, "busy").dropNext(ImportTestServer.DESCRIBE);
    String[] common = {"import", "--uri=" + server.uri(), "--collection=c",
        "--batchFiles=[[\"s3://b/u/1.parquet\"]]"};
    ConformanceChecker.Result retried = Conformance.cli(args(common));
    assertEquals(0, retried.exit, retried.toString());
    assertTrue(retried.err.contains(ImportTestServer.CREATE + " failed (HTTP 503: busy), retry 1"
        + " of 5"), retried.err);
    assertTrue(retried.err.contains(ImportTestServer.DESCRIBE + " failed (IOException"),
        retried.err);

    server.answerNext(ImportTestServer.CREATE, 200,
        "{\"code\":100,\"message\":\"collection not found[collection=c]\"}");
    ConformanceChecker.Result refused = Conformance.cli(args(common, "--force"));
    assertEquals(1, refused.exit, refused.toString());
    assertTrue(refused.err.contains("import failed: cannot create an import job into collection c:"
        + " the server answered code 100: collection not found[collection=c]"), refused.err);
  }

  @Test
  void localPathsAndBadFlagsAreUsageErrorsBeforeAnyRequest() throws Exception {
    ConformanceChecker.Result local = Conformance.cli(args(new String[] {"import",
        "--uri=" + server.uri(), "--collection=c", "--batchFiles=[[\"/tmp/out/u/1.parquet\"]]"}));
    assertEquals(2, local.exit, local.toString());
    assertTrue(local.err.contains("/tmp/out/u/1.parquet is a local path")
        && local.err.contains("--pathMap="), local.err);

    ConformanceChecker.Result noCollection = Conformance.cli("import", "--uri=" + server.uri(),
        "--batchFiles=[[\"s3://b/u/1.parquet\"]]");
    assertEquals(2, noCollection.exit, noCollection.toString());
    assertTrue(noCollection.err.contains("--collection"), noCollection.err);

    ConformanceChecker.Result two = Conformance.cli("import", "--uri=" + server.uri(),
        "--collection=c", "--batchFiles=[]", "--manifest=x");
    assertEquals(2, two.exit, two.toString());
    assertTrue(two.err.contains("exactly one of"), two.err);

    ConformanceChecker.Result badPoll = Conformance.cli("import", "--uri=" + server.uri(),
        "--collection=c", "--batchFiles=[[\"s3://b/u/1.parquet\"]]", "--pollInterval=soon");
    assertEquals(2, badPoll.exit, badPoll.toString());
    assertTrue(badPoll.err.contains("--pollInterval='soon'"), badPoll.err);

    ConformanceChecker.Result cloudKeyOnMilvus = Conformance.cli("import", "--uri=" + server.uri(),
        "--collection=c", "--batchFiles=[[\"s3://b/u/1.parquet\"]]", "--secretKey=x");
    assertEquals(2, cloudKeyOnMilvus.exit, cloudKeyOnMilvus.toString());
    assertEquals(0, server.requests().size());
  }

  @Test
  void zillizCloudGetsUrlsAndKeysAndNothingSecretIsPrinted() throws Exception {
    ConformanceChecker.Result r = Conformance.cli(args(new String[] {"import",
        "--uri=" + server.uri(), "--clusterId=in01-abc", "--apiKey=APIKEY-SECRET-1",
        "--accessKey=AKIA-1", "--secretKey=SK-SECRET-2", "--collection=c",
        "--batchFiles=[[\"s3://b/u/1.parquet\"],[\"azfs://acct/cont/u/2/id.npy\","
            + "\"azfs://acct/cont/u/2/v.npy\"]]"}));
    assertEquals(0, r.exit, r.toString());
    ImportTestServer.Request create = server.requests(ImportTestServer.CREATE).get(0);
    assertEquals("Bearer APIKEY-SECRET-1", create.authorization);
    assertEquals("in01-abc", create.body.get("clusterId").asText());
    assertEquals("[\"s3://b/u/1.parquet\",\"https://acct.blob.core.windows.net/cont/u/2/\"]",
        create.body.get("objectUrls").toString());
    assertEquals("AKIA-1", create.body.get("accessKey").asText());
    assertEquals("SK-SECRET-2", create.body.get("secretKey").asText());
    String printed = r.out + r.err;
    assertFalse(printed.contains("SECRET"), printed);
  }

  @Test
  void secretFlagsAreNeitherSerializedNorDisplayed() throws Exception {
    ImportOptions o = PipelineOptionsFactory.fromArgs("--token=TOKEN-SECRET",
        "--apiKey=APIKEY-SECRET", "--secretKey=SK-SECRET", "--collection=c")
        .as(ImportOptions.class);
    ObjectMapper beam = new ObjectMapper().registerModules(
        ObjectMapper.findModules(ReflectHelpers.findClassLoader()));
    String json = beam.writeValueAsString(o);
    assertTrue(json.contains("\"collection\":\"c\""), json);
    assertFalse(json.contains("SECRET"), json);
    String shown = DisplayData.from(o).items().toString();
    assertFalse(shown.contains("SECRET"), shown);
  }

  @Test
  void convertImportToWritesThenImportsWithTheCsvOptions() throws Exception {
    Path out = dir.resolve("out");
    Path fx = Conformance.fixture("seed");
    ConformanceChecker.Result r = Conformance.cli(args(new String[] {"convert",
        "--schema=" + fx.resolve("schema.json"), "--input=" + fx.resolve("rows.jsonl"),
        "--output=" + out, "--fileType=csv", "--sep=;", "--nullKey=NULL",
        "--importTo=" + server.uri(), "--token=root:Milvus", "--collection=seed",
        "--pathMap=" + out + "/="}));
    assertEquals(0, r.exit, r.toString());
    JsonNode s = Conformance.JSON.readTree(r.lastLine());
    assertTrue(s.get("rows").asLong() > 0, s.toString());
    JsonNode job = s.get("imports").get(0);
    assertEquals("Completed", job.get("state").asText());
    String uuid = Path.of(s.get("dataPath").asText()).getFileName().toString();
    JsonNode create = server.requests(ImportTestServer.CREATE).get(0).body;
    List<List<String>> expected = new ArrayList<>();
    for (List<String> g : groups(s.get("batchFiles"))) {
      expected.add(List.of(g.get(0).substring(out.toString().length() + 1)));
    }
    assertEquals(uuid + "/1.csv", expected.get(0).get(0));
    assertEquals(expected, groups(create.get("files")));
    assertEquals(";", create.get("options").get("sep").asText());
    assertEquals("NULL", create.get("options").get("nullkey").asText());
    assertEquals("Bearer root:Milvus",
        server.requests(ImportTestServer.CREATE).get(0).authorization);
  }

  @Test
  void theSchemaIsReadFromTheCollection() throws Exception {
    server.requireToken("root:Milvus").collection("articles", ImportTestServer.ARTICLES)
        .collection("broken", ImportTestServer.ARTICLES.replace("\"type\":\"FloatVector\"",
            "\"type\":\"Mol\""));
    Path input = dir.resolve("rows.jsonl");
    Files.writeString(input, "{\"id\":1,\"title\":\"a\",\"vector\":[1,2,3,4],\"extra\":1}\n"
        + "{\"id\":2,\"year\":1999,\"title\":null,\"vector\":[1,2,3,4]}\n"
        + "{\"id\":3,\"title\":\"c\",\"vector\":[1,2,3]}\n");
    Path out = dir.resolve("out");
    ConformanceChecker.Result convert = Conformance.cli(args(new String[] {"convert",
        "--schemaFrom=" + server.uri(), "--collection=articles", "--dbName=db1",
        "--token=root:Milvus", "--input=" + input, "--output=" + out,
        "--importTo=" + server.uri(), "--pathMap=" + out + "/="}));
    assertEquals(0, convert.exit, convert.toString());
    JsonNode s = Conformance.JSON.readTree(convert.lastLine());
    assertEquals(2, s.get("rows").asLong(), "the dim-3 row is refused by the described schema");
    assertEquals(1, s.get("failed").asLong());
    ImportTestServer.Request describe =
        server.requests(ImportTestServer.DESCRIBE_COLLECTION).get(0);
    assertEquals("{\"dbName\":\"db1\",\"collectionName\":\"articles\"}",
        describe.body.toString());
    assertEquals("Bearer root:Milvus", describe.authorization);
    assertEquals(1, server.jobsCreated());
    assertFalse(convert.err.contains("root:Milvus") || convert.out.contains("root:Milvus"));

    ConformanceChecker.Result verify = Conformance.cli("verify", "--schemaFrom=" + server.uri(),
        "--collection=articles", "--dbName=db1", "--token=root:Milvus",
        "--dataPath=" + s.get("dataPath").asText(), "--fileType=parquet");
    assertEquals(0, verify.exit, verify.toString());

    ConformanceChecker.Result both = Conformance.cli("convert", "--schema=x.json",
        "--schemaFrom=" + server.uri(), "--collection=articles", "--input=" + input,
        "--output=" + out);
    assertEquals(2, both.exit, both.toString());
    assertTrue(both.err.contains("--schema or --schemaFrom, not both"), both.err);

    ConformanceChecker.Result broken = Conformance.cli("verify", "--schemaFrom=" + server.uri(),
        "--collection=broken", "--token=root:Milvus", "--dataPath=" + s.get("dataPath").asText(),
        "--fileType=parquet");
    assertEquals(2, broken.exit, broken.toString());
    assertTrue(broken.err.contains("lacks what the writer needs") && broken.err.contains("Mol")
        && broken.err.contains("--schema instead"), broken.err);

    ConformanceChecker.Result none = Conformance.cli("verify",
        "--dataPath=" + s.get("dataPath").asText(), "--fileType=parquet");
    assertEquals(2, none.exit, none.toString());
    assertTrue(none.err.contains("--schema (a file) or --schemaFrom"), none.err);
  }

  @Test
  void convertRefusesAnImportItCannotDoBeforeWriting() throws Exception {
    Path schema = dir.resolve("schema.json");
    Files.writeString(schema, "{\"fields\":[{\"fieldName\":\"id\",\"dataType\":\"Int64\","
        + "\"isPrimary\":true},{\"fieldName\":\"tenant\",\"dataType\":\"VarChar\","
        + "\"isPartitionKey\":true,\"elementTypeParams\":{\"max_length\":\"16\"}},"
        + "{\"fieldName\":\"v\",\"dataType\":\"FloatVector\",\"elementTypeParams\":{\"dim\":\"2\"}}]}");
    Path input = dir.resolve("rows.jsonl");
    Files.writeString(input, "{\"id\":1,\"tenant\":\"a\",\"v\":[1,2]}\n");
    Path out = dir.resolve("out");
    ConformanceChecker.Result partition = Conformance.cli("convert", "--schema=" + schema,
        "--input=" + input, "--output=" + out, "--importTo=" + server.uri(), "--collection=c",
        "--partition=p1", "--pathMap=" + out + "/=");
    assertEquals(2, partition.exit, partition.toString());
    assertTrue(partition.err.contains("partition key 'tenant'"), partition.err);

    ConformanceChecker.Result local = Conformance.cli("convert", "--schema=" + schema,
        "--input=" + input, "--output=" + out, "--importTo=" + server.uri(), "--collection=c");
    assertEquals(2, local.exit, local.toString());
    assertTrue(local.err.contains("is a local path"), local.err);

    ConformanceChecker.Result noTarget = Conformance.cli("convert", "--schema=" + schema,
        "--input=" + input, "--output=" + out, "--collection=c");
    assertEquals(2, noTarget.exit, noTarget.toString());
    assertTrue(noTarget.err.contains("--importTo"), noTarget.err);
    assertFalse(Files.exists(out), "nothing written");
    assertEquals(0, server.requests().size());
  }
}
