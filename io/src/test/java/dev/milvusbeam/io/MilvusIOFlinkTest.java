package dev.milvusbeam.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.milvusbeam.core.format.FileType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.runners.flink.FlinkRunner;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** MilvusIO on the embedded Flink runner, parallelism 2: conformance, and exactly once under retries. */
class MilvusIOFlinkTest {
  @TempDir Path out;

  static Pipeline flink(int retries) {
    FlinkPipelineOptions o = PipelineOptionsFactory.as(FlinkPipelineOptions.class);
    o.setRunner(FlinkRunner.class);
    o.setFlinkMaster("[local]");
    o.setParallelism(2);
    o.setFlinkConfDir(flinkConf(retries).toString());
    return Pipeline.create(o);
  }

  /** A Flink configuration folder whose restart strategy retries failed tasks. */
  static Path flinkConf(int attempts) {
    try {
      Path dir = Files.createTempDirectory("flink-conf");
      // no delegation tokens: Hadoop's UserGroupInformation, which the embedded cluster would
      // ask for them, calls Subject.getSubject, unsupported from Java 23 on
      String conf = "security.delegation.tokens.enabled: false\n" + (attempts == 0 ? ""
          : "restart-strategy.type: fixed-delay\n"
          + "restart-strategy.fixed-delay.attempts: " + attempts + "\n"
          + "restart-strategy.fixed-delay.delay: 10 ms\n");
      Files.writeString(dir.resolve("flink-conf.yaml"), conf);
      Files.writeString(dir.resolve("config.yaml"), conf);
      return dir;
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @ParameterizedTest(name = "{0} as {1}")
  @CsvSource({"seed,numpy", "all-types,parquet", "all-types,csv", "numpy-types,json"})
  void fixturesPassTheCheckerOnFlink(String fixture, String fileType) throws Exception {
    Pipeline p = flink(0);
    MilvusIO.WriteResult r = p.apply(Create.of(MilvusIOTest.lines(fixture)))
        .apply(MilvusIO.writeJson().withSchema(MilvusIOTest.schema(fixture)).to(out.toString())
            .withFileType(FileType.fromName(fileType)).withSegmentSize(32 * 1024));
    p.run().waitUntilFinish();
    ConformanceChecker.Result check = ConformanceChecker.check(fixture, r.getDataPath(), fileType);
    assertEquals(0, check.exit, check.toString());
    assertTrue(check.lastLine().endsWith("problems=0"), check.toString());
  }

  static final java.util.Map<String, AtomicInteger> FAILURES_LEFT =
      new java.util.concurrent.ConcurrentHashMap<>();

  /** Fails the first time it sees an element: forces Flink to re-execute the failed work. */
  static final class FailOnce<T> extends DoFn<T, T> {
    private static final long serialVersionUID = 1L;
    private final String name;

    FailOnce(String name) {
      this.name = name;
      FAILURES_LEFT.put(name, new AtomicInteger(1));
    }

    @ProcessElement
    public void process(@Element T e, OutputReceiver<T> out) {
      if (FAILURES_LEFT.get(name).getAndDecrement() > 0) {
        throw new IllegalStateException("injected failure (first attempt)");
      }
      out.output(e);
    }
  }

  @Test
  void retriedExecutionsLeaveEveryRowOnceAndNoStrayFile() throws Exception {
    List<String> rows = new ArrayList<>();
    for (int i = 0; i < 4000; i++) {
      StringBuilder v = new StringBuilder();
      for (int d = 0; d < 64; d++) {
        v.append(d == 0 ? "" : ",").append(((i * 7 + d) % 101) / 101.0);
      }
      rows.add("{\"id\":" + i + ",\"vector\":[" + v + "],\"scalar_1\":\"r" + i
          + "\",\"scalar_2\":" + (i % 100) + ",\"extra\":" + i + "}");
    }
    Pipeline p = flink(3);
    MilvusIO.WriteResult r = p.apply(Create.of(rows))
        .apply("FailBeforeWrite", ParDo.of(new FailOnce<>("before")))
        .apply(MilvusIO.writeJson().withSchema(MilvusIOTest.schema("seed")).to(out.toString())
            .withFileType(FileType.JSONL).withNumShards(3).withSegmentSize(64 * 1024));
    // fails once the segments are in place: the re-execution writes and numbers them again
    r.getSegments().apply("FailAfterWrite", ParDo.of(new FailOnce<>("after")));
    p.run().waitUntilFinish();
    assertTrue(FAILURES_LEFT.get("before").get() < 0, "failure before the write was injected");
    assertTrue(FAILURES_LEFT.get("after").get() < 0, "failure after the write was injected");

    Path data = Path.of(r.getDataPath());
    List<Path> files;
    try (Stream<Path> s = Files.list(data)) {
      files = s.sorted().collect(Collectors.toList());
    }
    Set<Long> ids = new HashSet<>();
    long lines = 0;
    for (int i = 1; i <= files.size(); i++) {
      Path f = data.resolve(i + ".jsonl");
      assertTrue(Files.exists(f), "segments 1..K without gaps: " + files);
      for (String line : Files.readAllLines(f)) {
        lines++;
        ids.add(ConformanceChecker.JSON.readTree(line).get("id").asLong());
      }
    }
    assertEquals(4000, lines, "no duplicate rows");
    assertEquals(4000, ids.size(), "every row once");
    try (Stream<Path> s = Files.list(out)) {
      String uuid = data.getFileName().toString();
      assertEquals(List.of(uuid, uuid + ".manifest.json"),
          s.map(x -> x.getFileName().toString()).sorted().collect(Collectors.toList()),
          "no temp folder or stray file left");
    }
    // the manifest of the re-executed finalize describes exactly the files that stayed
    ManifestAssert.check(r.getDataPath(), 4000, 0);
  }

  static final AtomicInteger ROWS_BEFORE_CRASH = new AtomicInteger();

  /** Thrown by a row conversion: not a rejected row (those are caught) but a crashed task. */
  static final class InjectedCrash extends Error {
    private static final long serialVersionUID = 1L;

    InjectedCrash() {
      super("injected crash of the writing task (first attempt)");
    }
  }

  private static com.fasterxml.jackson.databind.JsonNode readTree(String line) {
    try {
      return ConformanceChecker.JSON.readTree(line);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void aBundleThatFailsAfterWritingSegmentsIsRetriedWithEveryRowOnce() throws Exception {
    List<String> rows = MilvusIOTest.seedRows(12000);
    ROWS_BEFORE_CRASH.set(5000);
    Pipeline p = flink(3);
    org.apache.beam.sdk.transforms.SerializableFunction<String, java.util.Map<String, Object>>
        crashOnce = line -> {
          if (ROWS_BEFORE_CRASH.decrementAndGet() == 0) {
            throw new InjectedCrash(); // several segments of this bundle are written by now
          }
          @SuppressWarnings("unchecked")
          java.util.Map<String, Object> m = ConformanceChecker.JSON.convertValue(
              readTree(line), java.util.Map.class);
          return m;
        };
    MilvusIO.Write<String> write = MilvusIO.write(crashOnce)
        .withSchema(MilvusIOTest.schema("seed")).to(out.toString())
        .withFileType(FileType.PARQUET).withSegmentSize(256 * 1024).withFormatOptions(
            dev.milvusbeam.core.format.FormatOptions.defaults().withParquetRowGroupBytes(64 << 10));
    MilvusIO.WriteResult r = p.apply(Create.of(rows)).apply(write);
    p.run().waitUntilFinish();
    assertTrue(ROWS_BEFORE_CRASH.get() < 0, "the crash was injected and the job went on");

    assertEveryRowOnceAndNoStrayFile(rows, r.getDataPath());
    List<Long> sizes = MilvusIOTest.segmentSizes(Path.of(r.getDataPath()), FileType.PARQUET);
    assertTrue(sizes.size() >= 5, "several segments: " + sizes);
    assertTrue(sizes.stream().filter(n -> n < 256 * 1024 * 0.9).count() <= 1,
        "one partly filled segment at most: " + sizes);
  }

  static final AtomicInteger RECORDS_BEFORE_CRASH = new AtomicInteger();

  /**
   * Records read inside the writing step ({@code write(RecordReader, ...)}): the task crashes in
   * the middle of an element after several of its segments are written; the retry reads every
   * element again and the finalize commits only the attempt that finished.
   */
  @Test
  void aReaderWhoseTaskCrashesMidElementIsRetriedWithEveryRecordOnce() throws Exception {
    List<String> rows = MilvusIOTest.seedRows(12000);
    RECORDS_BEFORE_CRASH.set(7250);
    Pipeline p = flink(3);
    RecordReader<List<String>, String> crashOnce = (batch, records) -> {
      for (String line : batch) {
        if (RECORDS_BEFORE_CRASH.decrementAndGet() == 0) {
          throw new InjectedCrash(); // half of this element is read, segments are written
        }
        records.add(line);
      }
    };
    MilvusIO.WriteResult r = p.apply(Create.of(MilvusIOReaderTest.batches(rows, 500))
            .withCoder(org.apache.beam.sdk.coders.ListCoder.of(
                org.apache.beam.sdk.coders.StringUtf8Coder.of())))
        .apply(MilvusIO.write(crashOnce, RowParser.json())
            .withSchema(MilvusIOTest.schema("seed")).to(out.toString())
            .withFileType(FileType.PARQUET).withSegmentSize(256 * 1024).withFormatOptions(
                dev.milvusbeam.core.format.FormatOptions.defaults()
                    .withParquetRowGroupBytes(64 << 10)));
    p.run().waitUntilFinish();
    assertTrue(RECORDS_BEFORE_CRASH.get() < 0, "the crash was injected and the job went on");

    assertEveryRowOnceAndNoStrayFile(rows, r.getDataPath());
  }

  /** The checker finds each of the seed {@code rows} once and nothing else; no other file left. */
  private void assertEveryRowOnceAndNoStrayFile(List<String> rows, String dataPath)
      throws Exception {
    ConformanceChecker.Result check = ConformanceChecker.checkRows("seed", rows, dataPath,
        "parquet");
    assertEquals(0, check.exit, check.toString()); // every row once, nothing else
    ManifestAssert.check(dataPath, rows.size(), 0);
    try (Stream<Path> s = Files.list(out)) {
      String uuid = Path.of(dataPath).getFileName().toString();
      assertEquals(List.of(uuid, uuid + ".manifest.json"),
          s.map(x -> x.getFileName().toString()).sorted().collect(Collectors.toList()),
          "no temp folder or stray file left");
    }
  }

  static final AtomicInteger ROWS_BEFORE_SECOND_CRASH = new AtomicInteger();

  @Test
  void rejectedRowsOfARetriedBundleAndARetriedFinalizeAreInTheFailuresFileOnce()
      throws Exception {
    List<String> rows = MilvusIOTest.seedRows(12000);
    List<String> rejected = new ArrayList<>();
    // a vector of 2 dims: rejected, in every bundle, more of them than a network buffer holds
    for (int i = 0; i < rows.size(); i += 7) {
      String bad = "{\"id\":" + i + ",\"vector\":[0.5,0.25],\"scalar_1\":\"b\",\"scalar_2\":1}";
      rows.set(i, bad);
      rejected.add(bad);
    }
    java.util.Collections.sort(rejected);
    ROWS_BEFORE_SECOND_CRASH.set(10000);
    Pipeline p = flink(3);
    org.apache.beam.sdk.transforms.SerializableFunction<String, java.util.Map<String, Object>>
        crashOnce = line -> {
          if (ROWS_BEFORE_SECOND_CRASH.decrementAndGet() == 0) {
            // this attempt has written segments and rejected rows (on Flink the staging task
            // reads them after the writing task: SegmentCommitterTest has the staged file of a
            // failed attempt)
            throw new InjectedCrash();
          }
          @SuppressWarnings("unchecked")
          java.util.Map<String, Object> m = ConformanceChecker.JSON.convertValue(
              readTree(line), java.util.Map.class);
          return m;
        };
    Path failures = out.resolve("rejected.jsonl");
    MilvusIO.WriteResult r = p.apply(Create.of(rows)).apply(MilvusIO.write(crashOnce)
        .withSchema(MilvusIOTest.schema("seed")).to(out.toString())
        .withFileType(FileType.JSONL).withSegmentSize(256 * 1024)
        .withFailuresFile(failures.toString()));
    // fails once everything is committed: the finalize runs again
    r.getSegments().apply("FailAfterCommit", ParDo.of(new FailOnce<>("after-commit")));
    p.run().waitUntilFinish();
    assertTrue(ROWS_BEFORE_SECOND_CRASH.get() < 0, "the crash was injected and the job went on");
    assertTrue(FAILURES_LEFT.get("after-commit").get() < 0, "the failure after the commit too");

    assertEquals(rejected, MilvusIOFailuresFileTest.failedRows(failures),
        "every rejected row once, nothing else");
    ManifestAssert.check(r.getDataPath(), rows.size() - rejected.size(), rejected.size());
    List<String> valid = new ArrayList<>(rows);
    valid.removeAll(rejected);
    ConformanceChecker.Result check =
        ConformanceChecker.checkRows("seed", valid, r.getDataPath(), "jsonl");
    assertEquals(0, check.exit, check.toString());
    try (Stream<Path> s = Files.list(out)) {
      String uuid = Path.of(r.getDataPath()).getFileName().toString();
      assertEquals(List.of(uuid, uuid + ".manifest.json", "rejected.jsonl"),
          s.map(x -> x.getFileName().toString()).sorted().collect(Collectors.toList()),
          "no temp folder, staged failures or stray file left");
    }
  }

  @Test
  void aSmallInputIsOneSegmentOnTwoWorkers() throws Exception {
    Pipeline p = flink(0);
    MilvusIO.WriteResult r = p.apply(Create.of(MilvusIOTest.seedRows(3000)))
        .apply(MilvusIO.writeJson().withSchema(MilvusIOTest.schema("seed")).to(out.toString())
            .withFileType(FileType.JSONL));
    p.run().waitUntilFinish();
    assertEquals(1, MilvusIOTest.segmentSizes(Path.of(r.getDataPath()), FileType.JSONL).size());
    ManifestAssert.check(r.getDataPath(), 3000, 0);
  }
}
