package dev.milvusbeam.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.milvusbeam.core.format.FileType;
import dev.milvusbeam.core.writer.Segment;
import dev.milvusbeam.core.schema.CollectionSchema;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.AfterPane;
import org.apache.beam.sdk.transforms.windowing.AfterWatermark;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.FixedWindows;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.transforms.windowing.PaneInfo;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.TimestampedValue;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * MilvusIO.writeJson on an unbounded input (TestStream, Direct runner) in fixed windows of one
 * minute: each window (and each late pane) gets its own complete data folder {@code 1..K}, every
 * valid row lands exactly once in its own window's folder, each folder passes the conformance
 * checker for that window's rows, no temp folder is left, and the max buffering duration flushes
 * a quiet stream.
 */
@ExtendWith(TestPipelineExtension.class)
class MilvusIOStreamingTest {
  private static final Instant BASE = new Instant(1_700_000_040_000L - 1_700_000_040_000L % 60_000L);
  private static final Duration MINUTE = Duration.standardMinutes(1);

  /** What the pipeline saw per segment: window start, pane index, data path, number, rows. */
  static final Map<String, ConcurrentLinkedQueue<String>> SEEN = new ConcurrentHashMap<>();

  @TempDir Path out;
  @TempDir Path work;
  private String testId;

  @BeforeEach
  void setUp(org.junit.jupiter.api.TestInfo info) {
    testId = info.getDisplayName() + System.nanoTime();
    SEEN.put(testId, new ConcurrentLinkedQueue<>());
    FAILURES.put(testId, new java.util.concurrent.atomic.AtomicLong());
  }

  /** Records each segment with the window and pane it was emitted in. */
  static final class RecordSegments extends DoFn<Segment, Void> {
    private static final long serialVersionUID = 1L;
    private final String id;

    RecordSegments(String id) {
      this.id = id;
    }

    @ProcessElement
    public void process(@Element Segment s, BoundedWindow w, PaneInfo pane) {
      long start = ((IntervalWindow) w).start().getMillis();
      SEEN.get(id).add(start + "|" + pane.getIndex() + "|" + s.folder() + "|" + s.number() + "|"
          + s.rows() + "|" + s.paths());
    }
  }

  static final Map<String, java.util.concurrent.atomic.AtomicLong> FAILURES =
      new ConcurrentHashMap<>();

  /** Counts the failures output (PAssert's global combine needs a trigger on unbounded input). */
  static final class CountFailures extends DoFn<FailedRow, Void> {
    private static final long serialVersionUID = 1L;
    private final String id;

    CountFailures(String id) {
      this.id = id;
    }

    @ProcessElement
    public void process(@Element FailedRow f) {
      FAILURES.get(id).incrementAndGet();
    }
  }

  static CollectionSchema seedSchema() throws Exception {
    return MilvusIOTest.schema("seed");
  }

  /** The primary key of a JSON row as text, normalized (3.0 and 3 are the same key). */
  static String id(JsonNode row) {
    JsonNode id = row.get("id");
    return new BigDecimal(id.asText()).toBigIntegerExact().toString();
  }

  /** Every row id in a data folder of JSONL segments, asserting segments 1..K and nothing else. */
  static List<String> idsInFolder(Path data, int expectedSegments) throws Exception {
    List<String> names;
    try (Stream<Path> s = Files.list(data)) {
      names = s.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
    }
    List<String> want = new ArrayList<>();
    for (int i = 1; i <= expectedSegments; i++) {
      want.add(i + ".jsonl");
    }
    Collections.sort(want);
    assertEquals(want, names, "segments 1.." + expectedSegments + " and nothing else in " + data);
    List<String> ids = new ArrayList<>();
    for (int i = 1; i <= expectedSegments; i++) {
      for (String line : Files.readAllLines(data.resolve(i + ".jsonl"))) {
        ids.add(id(ConformanceChecker.JSON.readTree(line)));
      }
    }
    return ids;
  }

  /** Segments seen per data path: number -> rows; asserts one window/pane per data path. */
  private Map<String, TreeMap<Integer, Long>> segmentsByPath(Map<String, String> windowOfPath) {
    Map<String, TreeMap<Integer, Long>> byPath = new HashMap<>();
    for (String rec : SEEN.get(testId)) {
      String[] f = rec.split("\\|", 6);
      String windowPane = f[0] + "/" + f[1];
      String prev = windowOfPath.put(f[2], windowPane);
      assertTrue(prev == null || prev.equals(windowPane),
          "data path " + f[2] + " used by two windows/panes: " + prev + " and " + windowPane);
      Long dup = byPath.computeIfAbsent(f[2], k -> new TreeMap<>())
          .put(Integer.parseInt(f[3]), Long.parseLong(f[4]));
      assertEquals(null, dup, "segment " + f[3] + " of " + f[2] + " emitted twice");
    }
    for (Map.Entry<String, TreeMap<Integer, Long>> e : byPath.entrySet()) {
      assertEquals(1, e.getValue().firstKey(), "numbering starts at 1: " + e);
      assertEquals(e.getValue().size(), (int) e.getValue().lastKey(), "no gaps: " + e);
    }
    return byPath;
  }

  /**
   * Only the data folders and their manifests are left, no stray file. {@code strictTemp}: no
   * temp folder either; otherwise an empty temp folder tree (no file in it) is tolerated here and
   * judged by {@link #noTempFolderIsLeftAfterAStreamingWrite}.
   */
  private void assertOnlyDataFoldersAndManifests(Set<String> dataPaths, boolean strictTemp)
      throws Exception {
    Set<String> want = new TreeSet<>();
    for (String d : dataPaths) {
      String name = Path.of(d).getFileName().toString();
      want.add(name);
      want.add(name + ".manifest.json");
    }
    Set<String> got;
    try (Stream<Path> s = Files.list(out)) {
      got = s.map(x -> x.getFileName().toString())
          .filter(n -> strictTemp || !n.startsWith(".temp-"))
          .collect(Collectors.toCollection(TreeSet::new));
    }
    assertEquals(want, got, "output holds only data folders and manifests");
  }

  private void assertOnlyDataFoldersAndManifests(Set<String> dataPaths) throws Exception {
    assertOnlyDataFoldersAndManifests(dataPaths, false);
  }

  /** No file anywhere under the output but segment files and manifests. */
  private void assertNoTempFile() throws Exception {
    try (Stream<Path> s = Files.walk(out)) {
      List<Path> stray = s.filter(Files::isRegularFile)
          .filter(p -> p.toString().contains(".temp-"))
          .collect(Collectors.toList());
      assertEquals(List.of(), stray, "temp files left behind");
    }
  }

  /** Runs check.py on one data folder against only the given input lines. */
  private void check(List<String> lines, Set<Integer> rejectedIdx, String dataPath, String type)
      throws Exception {
    Path dir = Files.createTempDirectory(work, "check");
    Path rows = dir.resolve("rows.jsonl");
    Files.write(rows, lines);
    Path rejects = dir.resolve("rejects.json");
    Files.writeString(rejects, new TreeSet<>(rejectedIdx).toString());
    Path schema = ConformanceChecker.fixture("seed").resolve("schema.json");
    ConformanceChecker.Result r = ConformanceChecker.exec(List.of(ConformanceChecker.python(),
        ConformanceChecker.shared().resolve("conformance/check.py").toString(),
        "--schema", schema.toString(), "--input", rows.toString(),
        "--rejects", rejects.toString(), "--data-path", dataPath, "--file-type", type), 300);
    assertEquals(0, r.exit, "checker on " + dataPath + ": " + r);
    assertTrue(r.lastLine().endsWith("problems=0"), r.toString());
  }

  /** The seed fixture's lines split into three windows (contiguous thirds), with rejects. */
  static final class Split {
    final List<List<String>> lines = List.of(new ArrayList<>(), new ArrayList<>(),
        new ArrayList<>());
    final List<Set<Integer>> rejected = List.of(new HashSet<>(), new HashSet<>(), new HashSet<>());
    final List<Set<String>> validIds = List.of(new HashSet<>(), new HashSet<>(), new HashSet<>());

    Split() throws Exception {
      List<String> all = MilvusIOTest.lines("seed");
      TreeSet<Integer> rejects = ConformanceChecker.rejectedLines("seed");
      for (int i = 0; i < all.size(); i++) {
        int w = i * 3 / all.size();
        if (rejects.contains(i)) {
          rejected.get(w).add(lines.get(w).size());
        } else {
          validIds.get(w).add(id(ConformanceChecker.JSON.readTree(all.get(i))));
        }
        lines.get(w).add(all.get(i));
      }
    }

    /** Line j of window w, stamped inside that window. */
    TimestampedValue<String> stamped(int w, int j) {
      return TimestampedValue.of(lines.get(w).get(j),
          BASE.plus(MINUTE.multipliedBy(w)).plus(Duration.millis(100L * j)));
    }

    List<TimestampedValue<String>> range(int w, int from, int to) {
      List<TimestampedValue<String>> r = new ArrayList<>();
      for (int j = from; j < Math.min(to, lines.get(w).size()); j++) {
        r.add(stamped(w, j));
      }
      return r;
    }
  }

  @SafeVarargs
  @SuppressWarnings({"unchecked", "rawtypes"})
  private static TestStream.Builder<String> add(TestStream.Builder<String> b,
      List<TimestampedValue<String>>... batches) {
    for (List<TimestampedValue<String>> batch : batches) {
      if (!batch.isEmpty()) { // one event per batch
        b = b.addElements(batch.get(0), batch.subList(1, batch.size())
            .toArray(new TimestampedValue[0]));
      }
    }
    return b;
  }

  @Test
  void eachWindowGetsItsOwnCompleteSegmentSet(TestPipeline p) throws Exception {
    Split split = new Split();
    TestStream.Builder<String> b = TestStream.create(StringUtf8Coder.of())
        .advanceWatermarkTo(BASE);
    // windows 0 and 1 interleaved before window 0 closes; 2 arrives while 1 is still open
    b = add(b, split.range(0, 0, 30), split.range(1, 0, 20));
    b = b.advanceProcessingTime(Duration.standardSeconds(5));
    b = add(b, split.range(0, 30, 1000), split.range(1, 20, 40));
    b = b.advanceWatermarkTo(BASE.plus(MINUTE).plus(Duration.millis(1)));
    b = b.advanceProcessingTime(Duration.standardSeconds(30));
    b = add(b, split.range(1, 40, 1000), split.range(2, 0, 1000));
    b = b.advanceProcessingTime(Duration.standardSeconds(30));
    b = b.advanceWatermarkTo(BASE.plus(MINUTE.multipliedBy(2)).plus(Duration.millis(1)));
    TestStream<String> stream = b.advanceWatermarkToInfinity();

    MilvusIO.WriteResult r = p.apply(stream)
        .apply(Window.into(FixedWindows.of(MINUTE)))
        .apply(MilvusIO.writeJson().withSchema(seedSchema()).to(out.toString())
            .withFileType(FileType.JSONL).withNumShards(2).withSegmentSize(16 * 1024)
            .withMaxBufferingDuration(Duration.standardSeconds(10)));
    r.getSegments().apply(ParDo.of(new RecordSegments(testId)));
    r.getFailures().apply(ParDo.of(new CountFailures(testId)));
    PipelineResult result = p.run();
    result.waitUntilFinish();

    Map<String, String> windowOfPath = new HashMap<>();
    Map<String, TreeMap<Integer, Long>> byPath = segmentsByPath(windowOfPath);
    assertEquals(3, byPath.size(), "one data folder per window: " + windowOfPath);
    Set<String> windows = new HashSet<>(windowOfPath.values());
    assertEquals(3, windows.size(), "three distinct windows: " + windowOfPath);

    long total = 0;
    for (Map.Entry<String, TreeMap<Integer, Long>> e : byPath.entrySet()) {
      String dataPath = e.getKey();
      String[] wp = windowOfPath.get(dataPath).split("/");
      assertEquals("0", wp[1], "an on-time pane");
      int w = (int) ((Long.parseLong(wp[0]) - BASE.getMillis()) / MINUTE.getMillis());
      assertTrue(w >= 0 && w < 3, "window " + wp[0]);
      assertTrue(Path.of(dataPath).startsWith(out), dataPath);
      List<String> ids = idsInFolder(Path.of(dataPath), e.getValue().size());
      assertEquals(ids.size(), new HashSet<>(ids).size(), "no duplicate rows in " + dataPath);
      assertEquals(split.validIds.get(w), new HashSet<>(ids),
          "window " + w + "'s valid rows, exactly, in its own folder");
      assertEquals(ids.size(), e.getValue().values().stream().mapToLong(Long::longValue).sum(),
          "Segment rows agree with the files");
      total += ids.size();
      check(split.lines.get(w), split.rejected.get(w), dataPath, "jsonl");
    }
    assertEquals(190, total, "every valid row exactly once overall");
    assertEquals(10, FAILURES.get(testId).get(), "every rejected row in the failures output");
    assertEquals(190, MilvusIOTest.counter(result, "rowsWritten"));
    assertEquals(10, MilvusIOTest.counter(result, "rowsRejected"));
    assertNoTempFile();
    assertOnlyDataFoldersAndManifests(byPath.keySet());
  }

  /** Parquet per window, judged by the checker (a binary format, the default file type). */
  @Test
  void parquetWindowsPassTheChecker(TestPipeline p) throws Exception {
    Split split = new Split();
    TestStream.Builder<String> b = TestStream.create(StringUtf8Coder.of())
        .advanceWatermarkTo(BASE);
    b = add(b, split.range(0, 0, 1000));
    b = b.advanceWatermarkTo(BASE.plus(MINUTE).plus(Duration.millis(1)));
    b = add(b, split.range(1, 0, 1000), split.range(2, 0, 1000));
    b = b.advanceProcessingTime(Duration.standardMinutes(2));
    TestStream<String> stream = b.advanceWatermarkToInfinity();

    MilvusIO.WriteResult r = p.apply(stream)
        .apply(Window.into(FixedWindows.of(MINUTE)))
        .apply(MilvusIO.writeJson().withSchema(seedSchema()).to(out.toString())
            .withSegmentSize(32 * 1024));
    r.getSegments().apply(ParDo.of(new RecordSegments(testId)));
    p.run().waitUntilFinish();

    Map<String, String> windowOfPath = new HashMap<>();
    Map<String, TreeMap<Integer, Long>> byPath = segmentsByPath(windowOfPath);
    assertEquals(3, byPath.size(), "one data folder per window: " + windowOfPath);
    for (String dataPath : byPath.keySet()) {
      int w = (int) ((Long.parseLong(windowOfPath.get(dataPath).split("/")[0]) - BASE.getMillis())
          / MINUTE.getMillis());
      try (Stream<Path> s = Files.list(Path.of(dataPath))) {
        assertEquals(byPath.get(dataPath).size(), s.count(), "files 1..K only in " + dataPath);
      }
      check(split.lines.get(w), split.rejected.get(w), dataPath, "parquet");
    }
    assertNoTempFile();
    assertOnlyDataFoldersAndManifests(byPath.keySet());
  }

  /**
   * A quiet stream: a segment size far above the data, so size never flushes. Rows that wait
   * longer than the max buffering duration are written as their own segment (processing time),
   * the rest when the window closes; all of them land in the window's folder.
   */
  @Test
  void maxBufferingDurationFlushesAQuietStream(TestPipeline p) throws Exception {
    Split split = new Split();
    List<TimestampedValue<String>> first = new ArrayList<>();
    List<TimestampedValue<String>> second = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    int taken = 0;
    for (int j = 0; j < split.lines.get(0).size() && taken < 10; j++) {
      if (split.rejected.get(0).contains(j)) {
        continue;
      }
      (taken < 5 ? first : second).add(split.stamped(0, j));
      ids.add(id(ConformanceChecker.JSON.readTree(split.lines.get(0).get(j))));
      taken++;
    }
    TestStream.Builder<String> b = TestStream.create(StringUtf8Coder.of())
        .advanceWatermarkTo(BASE);
    b = add(b, first);
    b = b.advanceProcessingTime(Duration.standardSeconds(30)); // > max buffering: flush
    b = add(b, second);
    b = b.advanceProcessingTime(Duration.standardSeconds(1)); // < max buffering: keeps waiting
    TestStream<String> stream = b.advanceWatermarkToInfinity();

    MilvusIO.WriteResult r = p.apply(stream)
        .apply(Window.into(FixedWindows.of(MINUTE)))
        .apply(MilvusIO.writeJson().withSchema(seedSchema()).to(out.toString())
            .withFileType(FileType.JSONL).withNumShards(1).withSegmentSize(128L << 20)
            .withMaxBufferingDuration(Duration.standardSeconds(10)));
    r.getSegments().apply(ParDo.of(new RecordSegments(testId)));
    p.run().waitUntilFinish();

    Map<String, String> windowOfPath = new HashMap<>();
    Map<String, TreeMap<Integer, Long>> byPath = segmentsByPath(windowOfPath);
    assertEquals(1, byPath.size(), "one window, one folder: " + windowOfPath);
    String dataPath = byPath.keySet().iterator().next();
    assertEquals(Map.of(1, 5L, 2, 5L), Map.copyOf(byPath.get(dataPath)),
        "the rows that waited past the max buffering duration were flushed as their own segment");
    List<String> written = idsInFolder(Path.of(dataPath), 2);
    assertEquals(10, written.size());
    assertEquals(ids, new HashSet<>(written));
    assertNoTempFile();
    assertOnlyDataFoldersAndManifests(byPath.keySet());
  }

  /**
   * Early firings (the user's trigger), discarding panes: each pane of a window that reaches the
   * sink is its own complete segment set 1..K in its own folder; every row exactly once overall.
   */
  @Test
  void earlyPanesGetTheirOwnDataFolders(TestPipeline p) throws Exception {
    runPanes(p, false);
  }

  private void runPanes(TestPipeline p, boolean accumulating) throws Exception {
    Split split = new Split();
    TestStream.Builder<String> b = TestStream.create(StringUtf8Coder.of())
        .advanceWatermarkTo(BASE);
    b = add(b, split.range(0, 0, 20));
    b = b.advanceProcessingTime(Duration.standardSeconds(30)); // flushed: an early pane
    b = b.advanceWatermarkTo(BASE.plus(Duration.standardSeconds(20)));
    b = add(b, split.range(0, 20, 45));
    b = b.advanceProcessingTime(Duration.standardSeconds(30)); // flushed: another early pane
    b = b.advanceWatermarkTo(BASE.plus(Duration.standardSeconds(40)));
    b = add(b, split.range(0, 45, 1000));
    TestStream<String> stream = b.advanceWatermarkToInfinity(); // the rest: on time

    Window<String> windowing = Window.<String>into(FixedWindows.of(MINUTE))
        .triggering(AfterWatermark.pastEndOfWindow()
            .withEarlyFirings(AfterPane.elementCountAtLeast(1)))
        .withAllowedLateness(Duration.ZERO);
    windowing = accumulating ? windowing.accumulatingFiredPanes()
        : windowing.discardingFiredPanes();
    MilvusIO.WriteResult r = p.apply(stream).apply(windowing)
        .apply(MilvusIO.writeJson().withSchema(seedSchema()).to(out.toString())
            .withFileType(FileType.JSONL).withNumShards(1).withSegmentSize(16 * 1024)
            .withMaxBufferingDuration(Duration.standardSeconds(10)));
    r.getSegments().apply(ParDo.of(new RecordSegments(testId)));
    p.run().waitUntilFinish();

    Map<String, String> windowOfPath = new HashMap<>();
    Map<String, TreeMap<Integer, Long>> byPath = segmentsByPath(windowOfPath);
    assertTrue(byPath.size() >= 2, "more than one pane reached the sink: " + windowOfPath);
    List<String> all = new ArrayList<>();
    for (Map.Entry<String, TreeMap<Integer, Long>> e : byPath.entrySet()) {
      all.addAll(idsInFolder(Path.of(e.getKey()), e.getValue().size()));
    }
    assertEquals(all.size(), new HashSet<>(all).size(), "no row twice: " + windowOfPath);
    assertEquals(split.validIds.get(0), new HashSet<>(all), "every valid row once");
    assertNoTempFile();
    assertOnlyDataFoldersAndManifests(byPath.keySet());
  }

  /**
   * Late rows that arrive while the window's rows are still buffered (the writer holds the
   * watermark until it has flushed) are not late for the sink: they join the window's one folder.
   */
  @Test
  void lateRowsBufferedBeforeTheWindowIsFinalizedJoinItsFolder(TestPipeline p) throws Exception {
    Split split = new Split();
    TestStream.Builder<String> b = TestStream.create(StringUtf8Coder.of())
        .advanceWatermarkTo(BASE);
    b = add(b, split.range(0, 0, 40));
    b = b.advanceWatermarkTo(BASE.plus(MINUTE).plus(Duration.standardSeconds(10)));
    b = add(b, split.range(0, 40, 1000));
    TestStream<String> stream = b.advanceWatermarkToInfinity();

    MilvusIO.WriteResult r = p.apply(stream)
        .apply(Window.<String>into(FixedWindows.of(MINUTE))
            .triggering(AfterWatermark.pastEndOfWindow()
                .withLateFirings(AfterPane.elementCountAtLeast(1)))
            .withAllowedLateness(Duration.standardMinutes(5))
            .discardingFiredPanes())
        .apply(MilvusIO.writeJson().withSchema(seedSchema()).to(out.toString())
            .withFileType(FileType.JSONL).withNumShards(2).withSegmentSize(16 * 1024));
    r.getSegments().apply(ParDo.of(new RecordSegments(testId)));
    p.run().waitUntilFinish();

    Map<String, String> windowOfPath = new HashMap<>();
    Map<String, TreeMap<Integer, Long>> byPath = segmentsByPath(windowOfPath);
    assertEquals(1, byPath.size(), "one folder: " + windowOfPath);
    String dataPath = byPath.keySet().iterator().next();
    List<String> ids = idsInFolder(Path.of(dataPath), byPath.get(dataPath).size());
    assertEquals(ids.size(), new HashSet<>(ids).size(), "no duplicates");
    assertEquals(split.validIds.get(0), new HashSet<>(ids));
    check(split.lines.get(0), split.rejected.get(0), dataPath, "jsonl");
    assertNoTempFile();
    assertOnlyDataFoldersAndManifests(byPath.keySet());
  }

  /**
   * The same early panes as {@link #earlyPanesGetTheirOwnDataFolders}, with the user's windowing
   * in accumulating mode: the sink's internal grouping then re-delivers an earlier pane's temp
   * segments, already moved into that pane's folder.
   */
  @Test
  void accumulatingPanesStillWriteEveryRowOnce(TestPipeline p) throws Exception {
    runPanes(p, true);
  }

  /** After a windowed write finishes, nothing of the temp folder is left, not even empty folders. */
  @Test
  void noTempFolderIsLeftAfterAStreamingWrite(TestPipeline p) throws Exception {
    Split split = new Split();
    TestStream.Builder<String> b = TestStream.create(StringUtf8Coder.of())
        .advanceWatermarkTo(BASE);
    b = add(b, split.range(0, 0, 1000), split.range(1, 0, 1000));
    TestStream<String> stream = b.advanceWatermarkToInfinity();
    MilvusIO.WriteResult r = p.apply(stream)
        .apply(Window.into(FixedWindows.of(MINUTE)))
        .apply(MilvusIO.writeJson().withSchema(seedSchema()).to(out.toString())
            .withFileType(FileType.JSONL).withSegmentSize(32 * 1024));
    r.getSegments().apply(ParDo.of(new RecordSegments(testId)));
    p.run().waitUntilFinish();
    Map<String, String> windowOfPath = new HashMap<>();
    Map<String, TreeMap<Integer, Long>> byPath = segmentsByPath(windowOfPath);
    assertEquals(2, byPath.size(), windowOfPath.toString());
    assertOnlyDataFoldersAndManifests(byPath.keySet(), true);
  }

  /** A stream whose rows are all rejected: no data folder, no temp folder, all failures. */
  @Test
  void aWindowOfOnlyRejectedRowsWritesNothing(TestPipeline p) throws Exception {
    TestStream<String> stream = TestStream.create(StringUtf8Coder.of())
        .advanceWatermarkTo(BASE)
        .addElements(TimestampedValue.of("{\"id\": 1}", BASE.plus(Duration.millis(5))),
            TimestampedValue.of("not json", BASE.plus(Duration.millis(6))))
        .advanceProcessingTime(Duration.standardSeconds(30))
        .advanceWatermarkToInfinity();
    MilvusIO.WriteResult r = p.apply(stream)
        .apply(Window.into(FixedWindows.of(MINUTE)))
        .apply(MilvusIO.writeJson().withSchema(seedSchema()).to(out.toString())
            .withFileType(FileType.JSONL));
    r.getFailures().apply(ParDo.of(new CountFailures(testId)));
    r.getSegments().apply(ParDo.of(new RecordSegments(testId)));
    p.run().waitUntilFinish();
    assertEquals(2, FAILURES.get(testId).get());
    assertEquals(List.of(), List.copyOf(SEEN.get(testId)), "no segment");
    try (Stream<Path> s = Files.list(out)) {
      assertFalse(s.findAny().isPresent(), "nothing written");
    }
  }
}
