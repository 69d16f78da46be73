package dev.milvusbeam.io.importing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two-phase import (research milvus-import-2026-update.md §5) against the local server: created
 * with {@code "auto_commit":"false"}, committed only when every job is Uncommitted, aborted when
 * one fails or the run stops; a 2.6 server that ignores the option is said to.
 */
class ImportTwoPhaseTest {
  static final String NO_TWO_PHASE = "this server does not support two-phase import (Milvus 3.0"
      + " or later needed): the data of job ";

  ImportTestServer server;
  final List<String> events = new CopyOnWriteArrayList<>();
  final ImportClient.Listener listener = new ImportClient.Listener() {
    @Override
    public void created(String jobId, String collection, int fileGroups) {
      events.add("created " + jobId);
    }

    @Override
    public void polled(ImportJob job) {
      events.add("polled " + job.jobId() + " " + job.state());
    }

    @Override
    public void warning(String message) {
      events.add("warning " + message);
    }

    @Override
    public void committed(String jobId) {
      events.add("committed " + jobId);
    }

    @Override
    public void aborted(String jobId) {
      events.add("aborted " + jobId);
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

  ImportRunner runner(ImportTiming timing) {
    return new ImportRunner(ImportTarget.milvus(server.uri()).withToken("root:Milvus")
        .withDatabase("db1"), ImportSpec.into("c").withTimeout("600s").withTwoPhaseCommit(),
        PathMapping.objectKeys(), timing);
  }

  /** {@code n} one-file groups: more than 1024 make two jobs. */
  static List<List<String>> groups(int n) {
    List<List<String>> g = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      g.add(List.of("s3://b/u/" + i + ".parquet"));
    }
    return g;
  }

  int firstEvent(String prefix) {
    for (int i = 0; i < events.size(); i++) {
      if (events.get(i).startsWith(prefix)) {
        return i;
      }
    }
    return -1;
  }

  static List<String> ids(List<ImportTestServer.Request> requests) {
    List<String> ids = new ArrayList<>();
    requests.forEach(r -> ids.add(r.body.get("jobId").asText()));
    return ids;
  }

  @Test
  void everyJobIsCommittedOnlyOnceAllAreUncommitted() {
    server.twoPhaseCommit()
        .scriptForJob(0, "Pending", "Completed")
        .scriptForJob(1, "Pending", "Importing:20", "Importing:40", "Importing:80", "Completed");
    List<ImportJob> jobs = runner(ImportClientTest.FAST).run(groups(1100), listener);

    List<ImportTestServer.Request> creates = server.requests(ImportTestServer.CREATE);
    assertEquals(2, creates.size());
    for (ImportTestServer.Request c : creates) {
      JsonNode autoCommit = c.body.get("options").get("auto_commit");
      assertTrue(autoCommit.isTextual(), "a JSON string, not a boolean: " + c.body);
      assertEquals("false", autoCommit.asText());
      assertEquals("600s", c.body.get("options").get("timeout").asText());
    }
    assertEquals(2, jobs.size());
    for (ImportJob j : jobs) {
      assertTrue(j.isCompleted(), j.toString());
      assertEquals(100, j.progress());
    }
    // no commit before every job was seen Uncommitted
    int firstCommit = firstEvent("committed ");
    for (ImportJob j : jobs) {
      int uncommitted = firstEvent("polled " + j.jobId() + " Uncommitted");
      assertTrue(uncommitted >= 0 && uncommitted < firstCommit, events.toString());
    }
    List<ImportTestServer.Request> commits = server.requests(ImportTestServer.COMMIT);
    assertEquals(List.of(jobs.get(0).jobId(), jobs.get(1).jobId()), ids(commits));
    JsonNode body = commits.get(0).body;
    assertEquals("db1", body.get("dbName").asText());
    assertEquals(2, body.size(), "{\"jobId\",\"dbName\"}: " + body);
    assertEquals("Bearer root:Milvus", commits.get(0).authorization);
    long describesBeforeCommit = server.requests(ImportTestServer.DESCRIBE).stream()
        .filter(r -> r.nanos < commits.get(0).nanos).count();
    assertTrue(describesBeforeCommit >= 5, "job 1 was described through its script first");
    assertTrue(server.requests(ImportTestServer.ABORT).isEmpty());
    assertFalse(events.stream().anyMatch(e -> e.contains(NO_TWO_PHASE)), events.toString());
  }

  @Test
  void oneFailedJobAbortsTheOthers() {
    server.twoPhaseCommit()
        .scriptForJob(0, "Pending", "Importing:40", "Importing:60", "Importing:80", "Completed")
        .scriptForJob(1, "Pending", "Importing:20", "Failed:row 3: dim 2, expected 4");
    List<ImportJob> jobs = runner(ImportClientTest.FAST).run(groups(1100), listener);

    assertEquals(2, jobs.size());
    ImportJob aborted = jobs.get(0);
    ImportJob failed = jobs.get(1);
    assertTrue(aborted.isAborted(), aborted.toString());
    assertEquals("Failed", server.stateOf(aborted.jobId()));
    assertEquals("row 3: dim 2, expected 4", failed.reason());
    assertEquals(List.of(aborted.jobId()), ids(server.requests(ImportTestServer.ABORT)));
    assertTrue(server.requests(ImportTestServer.COMMIT).isEmpty());
    assertTrue(events.contains("warning import job " + failed.jobId() + " failed: aborting the"
        + " other jobs of this two-phase import"), events.toString());

    String m = ImportException.failedTwoPhase(jobs).getMessage();
    assertTrue(m.startsWith("import job " + failed.jobId() + " into collection c ended Failed"),
        m);
    assertTrue(m.contains("row 3: dim 2, expected 4; the other jobs of this two-phase import"
        + " were aborted (" + aborted.jobId() + "); none of its rows are visible"), m);
  }

  @Test
  void aServerWithoutTwoPhaseCommitIsSaidToMakeTheDataVisible() {
    // 2.6: the option is accepted and ignored, there is no /commit nor /abort
    List<ImportJob> jobs = runner(ImportClientTest.FAST).run(groups(3), listener);
    assertEquals("false", server.requests(ImportTestServer.CREATE).get(0).body.get("options")
        .get("auto_commit").asText());
    assertEquals(1, jobs.size());
    assertTrue(jobs.get(0).isCompleted());
    assertEquals(1, events.stream().filter(e -> e.equals("warning " + NO_TWO_PHASE
        + jobs.get(0).jobId() + " is already visible")).count(), events.toString());
    assertTrue(server.requests(ImportTestServer.COMMIT).isEmpty());
  }

  @Test
  void onAServerWithoutAbortTheOthersCompleteAndAreSaidVisible() {
    server.scriptForJob(0, "Pending", "Importing:50", "Importing:70", "Completed")
        .scriptForJob(1, "Pending", "Failed:bad file");
    List<ImportJob> jobs = runner(ImportClientTest.FAST).run(groups(1100), listener);
    assertTrue(jobs.get(0).isCompleted(), jobs.toString());
    assertTrue(events.stream().anyMatch(e -> e.startsWith("warning could not abort import job "
        + jobs.get(0).jobId()) && e.contains("has no " + ImportTestServer.ABORT
        + " (two-phase import needs Milvus 3.0 or later)")), events.toString());
    assertTrue(events.contains("warning " + NO_TWO_PHASE + jobs.get(0).jobId()
        + " is already visible"), events.toString());
    String m = ImportException.failedTwoPhase(jobs).getMessage();
    assertTrue(m.endsWith("bad file; jobs " + jobs.get(0).jobId()
        + " completed and their rows are visible"), m);
  }

  @Test
  void aCreateRefusedPartWayAbortsTheJobsCreated() {
    server.twoPhaseCommit().refuseCreatesAfter(1);
    ImportException e = assertThrows(ImportException.class,
        () -> runner(ImportClientTest.FAST).run(groups(1100), listener));
    String first = server.requests(ImportTestServer.ABORT).get(0).body.get("jobId").asText();
    assertEquals("Failed", server.stateOf(first));
    assertTrue(e.getMessage().contains("no more jobs") && e.getMessage().endsWith(
        "the two-phase import was stopped before its commit: jobs " + first + " aborted, none"
        + " of its rows are visible"), e.getMessage());
  }

  @Test
  void aWaitThatTimesOutAbortsTheJobs() {
    server.twoPhaseCommit().defaultScript("Pending", "Importing:10", "Importing:10",
        "Importing:10", "Importing:10", "Importing:10", "Importing:10", "Importing:10",
        "Importing:10", "Importing:10", "Importing:10", "Completed");
    ImportTiming timing = ImportClientTest.FAST.withWaitTimeout(Duration.ofMillis(30));
    ImportException e = assertThrows(ImportException.class,
        () -> runner(timing).run(groups(2), listener));
    assertTrue(e.getMessage().contains("after waiting") && e.getMessage().contains(
        "stopped before its commit: jobs "), e.getMessage());
    assertEquals(1, server.requests(ImportTestServer.ABORT).size());
    assertTrue(server.requests(ImportTestServer.COMMIT).isEmpty());
  }

  @Test
  void stopAbortsBeforeTheCommitAndInterruptingDoesToo() throws Exception {
    server.twoPhaseCommit().defaultScript("Pending", "Importing:10");
    ImportRunner runner = runner(ImportClientTest.FAST);
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    Thread t = new Thread(() -> {
      try {
        runner.run(groups(1100), listener);
      } catch (Throwable x) {
        thrown.set(x);
      }
    });
    t.start();
    while (firstEvent("polled ") < 0) {
      Thread.sleep(2);
    }
    runner.stop(); // what the shutdown hook does on Ctrl-C
    t.join(10_000);
    assertTrue(thrown.get() instanceof ImportException, String.valueOf(thrown.get()));
    assertTrue(thrown.get().getMessage().contains("stopped before its commit"),
        thrown.get().getMessage());
    for (String id : List.of("450000000000000000", "450000000000000001")) {
      assertEquals("Failed", server.stateOf(id));
    }
    assertTrue(events.contains("warning stopped before the commit: aborting the jobs of this"
        + " two-phase import"), events.toString());

    events.clear();
    thrown.set(null);
    Thread u = new Thread(() -> {
      try {
        runner.withForce(true).run(groups(3), listener);
      } catch (Throwable x) {
        thrown.set(x);
      }
    });
    u.start();
    while (firstEvent("polled ") < 0) {
      Thread.sleep(2);
    }
    u.interrupt();
    u.join(10_000);
    assertTrue(thrown.get() instanceof ImportException, String.valueOf(thrown.get()));
    assertTrue(thrown.get().getMessage().startsWith("interrupted")
        && thrown.get().getMessage().contains("jobs 450000000000000002 aborted"),
        thrown.get().getMessage());
    assertEquals("Failed", server.stateOf("450000000000000002"));
  }

  @Test
  void anEarlierUncommittedJobIsCommittedWithThisRunsJobs() {
    server.twoPhaseCommit().defaultScript("Pending", "Completed");
    ImportClient client = new ImportClient(ImportTarget.milvus(server.uri()),
        ImportClientTest.FAST);
    ImportSpec spec = ImportSpec.into("c").withTwoPhaseCommit();
    String earlier = client.create(spec, List.of(List.of("u/1.parquet"), List.of("u/2.parquet")),
        listener);
    client.describe(earlier, "c", 2, listener);
    assertEquals("Uncommitted", client.describe(earlier, "c", 2, listener).state());
    events.clear();

    server.scriptForJob(1, "Pending", "Importing:50", "Importing:70", "Completed");
    List<ImportJob> jobs = new ImportRunner(ImportTarget.milvus(server.uri()), spec,
        PathMapping.objectKeys(), ImportClientTest.FAST).run(groups(3), listener);
    assertEquals(1, server.requests(ImportTestServer.CREATE).size() - 1, "only u/3 is created");
    assertEquals(earlier, jobs.get(0).jobId());
    assertEquals(2, jobs.size());
    jobs.forEach(j -> assertTrue(j.isCompleted(), j.toString()));
    int firstCommit = firstEvent("committed ");
    assertTrue(firstEvent("polled " + jobs.get(1).jobId() + " Uncommitted") < firstCommit,
        events.toString());
    assertEquals(List.of(earlier, jobs.get(1).jobId()),
        ids(server.requests(ImportTestServer.COMMIT)));
  }

  @Test
  void withoutTwoPhaseAnEarlierUncommittedJobIsCommittedWithAWarning() {
    server.twoPhaseCommit().defaultScript("Pending", "Completed");
    ImportClient client = new ImportClient(ImportTarget.milvus(server.uri()),
        ImportClientTest.FAST);
    String earlier = client.create(ImportSpec.into("c").withTwoPhaseCommit(),
        List.of(List.of("u/1.parquet")), listener);
    client.describe(earlier, "c", 1, listener);
    events.clear();
    List<ImportJob> jobs = new ImportRunner(ImportTarget.milvus(server.uri()),
        ImportSpec.into("c"), PathMapping.objectKeys(), ImportClientTest.FAST)
        .run(groups(1), listener);
    assertEquals(1, server.jobsCreated());
    assertTrue(jobs.get(0).isCompleted(), jobs.toString());
    assertTrue(events.contains("warning earlier import job " + earlier + " is Uncommitted (a"
        + " two-phase import stopped before its commit) and holds file groups of this import:"
        + " committing it"), events.toString());
    assertEquals(List.of(earlier), ids(server.requests(ImportTestServer.COMMIT)));
  }

  @Test
  void commitAndAbortAnswersAreReported() {
    server.twoPhaseCommit();
    ImportClient client = new ImportClient(ImportTarget.milvus(server.uri()),
        ImportClientTest.FAST);
    String auto = client.create(ImportSpec.into("c"), List.of(List.of("a.parquet")), listener);
    ImportException e = assertThrows(ImportException.class,
        () -> client.abort(auto, "c", listener));
    assertTrue(e.getMessage().contains("manual commit/abort not allowed"), e.getMessage());
    String manual = client.create(ImportSpec.into("c").withTwoPhaseCommit(),
        List.of(List.of("b.parquet")), listener);
    e = assertThrows(ImportException.class, () -> client.commit(manual, "c", listener));
    assertTrue(e.getMessage().contains("is in state Pending, expected Uncommitted"),
        e.getMessage());
    client.abort(manual, "c", listener);
    client.abort(manual, "c", listener); // aborting an aborted job succeeds
    ImportJob j = client.describe(manual, "c", 1, listener);
    assertTrue(j.isAborted(), j.toString());
  }

  @Test
  void theAutoCommitOptionIsAString() {
    assertTrue(ImportSpec.into("c").withTwoPhaseCommit().isTwoPhaseCommit());
    assertEquals("false", ImportSpec.into("c").withTwoPhaseCommit().options().get("auto_commit"));
    assertTrue(ImportSpec.into("c").withOption("auto_commit", "FALSE").isTwoPhaseCommit());
    assertFalse(ImportSpec.into("c").withOption("auto_commit", "true").isTwoPhaseCommit());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ImportSpec.into("c").withOption("auto_commit", "no"));
    assertEquals("import option auto_commit 'no': must be \"true\" or \"false\"", e.getMessage());
  }
}
