package dev.milvusbeam.pipelines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.milvusbeam.io.ConformanceChecker;
import dev.milvusbeam.io.LiveCounters;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a person sees while a conversion runs: the rendering, the display, and the command. */
class ProgressTest {
  private static final LiveCounters.Snapshot HALF =
      new LiveCounters.Snapshot(1536L << 20, 1_234_000, 567, 3);

  @TempDir Path dir;

  @Test
  void aLineSaysHowMuchIsReadTheRateAndTheTimeLeft() {
    assertEquals("bulkwriter: 50% read (1.5 GiB of 3.0 GiB), 1,234,567 rows (61,728 rows/s),"
        + " 567 rejected, 3 segments, 20 s, about 20 s left",
        ProgressView.line(HALF, 20, 3L << 30));
    assertEquals("bulkwriter: 1.5 GiB read, 1,234,567 rows (12,346 rows/s), 567 rejected,"
        + " 3 segments, 1m 40s", ProgressView.line(HALF, 100, 0)); // size unknown: no % and ETA
  }

  @Test
  void aBarShowsTheSameInOneLine() {
    assertEquals("[############............]  50% 1.5 GiB/3.0 GiB  1,234,567 rows  61,728 rows/s"
        + "  ETA 20 s  3 segments  567 rejected", ProgressView.bar(HALF, 20, 3L << 30));
    assertEquals("0 B read  0 rows  0 rows/s  ETA ?  0 segments  0 rejected",
        ProgressView.bar(new LiveCounters.Snapshot(0, 0, 0, 0), 0, 0));
    assertEquals("2h 03m", ProgressView.duration(2 * 3600 + 3 * 60 + 10));
    assertEquals("12m 05s", ProgressView.duration(725));
    assertEquals("340 KiB", ProgressView.bytes(340 << 10));
    assertEquals(100, ProgressView.percent(5, 4), "never past 100%");
  }

  @Test
  void onATerminalTheBarIsRedrawnInPlaceAndClearedAtTheEnd() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream err = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    ProgressSettings bar = new ProgressSettings(ProgressSettings.Mode.BAR, Duration.ofMillis(5));
    try (ProgressDisplay d = ProgressDisplay.start(bar, err,
        ProgressView.of(() -> HALF, 3L << 30))) {
      long deadline = System.nanoTime() + 30_000_000_000L;
      while (bytes.toString(StandardCharsets.UTF_8).split("\r\\[").length < 3
          && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
    }
    String out = bytes.toString(StandardCharsets.UTF_8);
    assertTrue(out.startsWith("\r[############....") && out.split("\r\\[").length >= 3, out);
    assertFalse(out.contains("\n"), "one line, redrawn: " + out);
    assertTrue(out.endsWith("\r"), "cleared for the summary: " + out);
  }

  private static final Pattern LINE = Pattern.compile(
      "bulkwriter: (\\d+)% read \\(.* of .*\\), ([\\d,]+) rows \\(.*rows/s\\), ([\\d,]+) rejected,"
          + " (\\d+) segments, .*");

  @Test
  void inALogConvertPrintsPeriodicLinesThenTheUnchangedSummary() throws Exception {
    Path fx = Conformance.fixture("all-types");
    ConformanceChecker.Result r = Conformance.cli("convert", "--schema=" + fx.resolve("schema.json"),
        "--input=" + fx.resolve("rows.jsonl"), "--output=" + dir.resolve("out"),
        "--segmentSize=64KB", "--progress=auto", "--progressInterval=20ms");
    assertEquals(0, r.exit, r.toString());
    JsonNode summary = Conformance.JSON.readTree(r.lastLine());
    long rows = summary.get("rows").asLong();
    long failed = summary.get("failed").asLong();
    List<String> progress = new ArrayList<>();
    for (String line : r.err.split("\n")) {
      Matcher m = LINE.matcher(line);
      if (m.matches()) {
        progress.add(line);
        assertTrue(Integer.parseInt(m.group(1)) <= 100, line);
        assertTrue(Long.parseLong(m.group(2).replace(",", "")) <= rows + failed, line);
        assertTrue(Long.parseLong(m.group(3).replace(",", "")) <= failed, line);
      }
    }
    assertFalse(progress.isEmpty(), "no progress line (not a terminal: lines): " + r.err);
    assertFalse(r.err.contains("\r"), "no bar in a log: " + r.err);
    String last = r.err.strip().substring(r.err.strip().lastIndexOf('\n') + 1);
    assertTrue(last.matches("bulkwriter: [\\d,]+ rows written, [\\d,]+ rejected, \\d+ segments,"
        + " .* s, .* rows/s"), last);
    assertTrue(last.startsWith("bulkwriter: " + String.format("%,d", rows) + " rows written, "
        + String.format("%,d", failed) + " rejected"), last);
  }

  @Test
  void noneShowsOnlyTheSummaryAndABadModeIsAUsageError() throws Exception {
    Path fx = Conformance.fixture("seed");
    ConformanceChecker.Result quiet = Conformance.cli("convert", "--schema=" + fx.resolve("schema.json"),
        "--input=" + fx.resolve("rows.jsonl"), "--output=" + dir.resolve("out"),
        "--progress=none", "--progressInterval=1ms");
    assertEquals(0, quiet.exit, quiet.toString());
    assertFalse(quiet.err.contains("% read"), quiet.err);
    assertTrue(quiet.err.contains("rows written"), quiet.err);

    ConformanceChecker.Result bad = Conformance.cli("convert", "--schema=" + fx.resolve("schema.json"),
        "--input=" + fx.resolve("rows.jsonl"), "--output=" + dir.resolve("out2"),
        "--progress=fancy");
    assertEquals(2, bad.exit, bad.toString());
    assertTrue(bad.err.contains("--progress") && bad.err.contains("fancy"), bad.err);
  }

  @Test
  void verifySaysHowManySegmentsOfTheTotalAreChecked() throws Exception {
    dev.milvusbeam.core.format.VerifyReport report = new dev.milvusbeam.core.format.VerifyReport();
    report.addSegment();
    report.addRows(1000);
    assertEquals("bulkwriter: verify: 1 of 4 segments checked (25%), 1,000 rows, 0 problems,"
        + " 10 s, about 30 s left", Verify.view(report, 4).line(10));
    assertEquals("[######..................]  25% 1/4 segments  1,000 rows  0 problems  ETA 30 s",
        Verify.view(report, 4).bar(10));

    Path fx = Conformance.fixture("seed");
    ConformanceChecker.Result convert = Conformance.cli("convert",
        "--schema=" + fx.resolve("schema.json"), "--input=" + fx.resolve("rows.jsonl"),
        "--output=" + dir.resolve("out"), "--segmentSize=16KB", "--progress=none");
    assertEquals(0, convert.exit, convert.toString());
    String dataPath = Conformance.JSON.readTree(convert.lastLine()).get("dataPath").asText();
    ConformanceChecker.Result r = Conformance.cli("verify", "--schema=" + fx.resolve("schema.json"),
        "--dataPath=" + dataPath, "--fileType=parquet", "--progressInterval=1ms");
    assertEquals(0, r.exit, r.toString());
    int segments = Conformance.JSON.readTree(r.lastLine()).get("segments").asInt();
    assertTrue(segments > 1, r.toString());
    Pattern verifyLine = Pattern.compile("bulkwriter: verify: (\\d+) of (\\d+) segments checked.*");
    int lines = 0;
    for (String line : r.err.split("\n")) {
      Matcher m = verifyLine.matcher(line);
      if (m.matches()) {
        lines++;
        assertEquals(segments, Integer.parseInt(m.group(2)), line);
        assertTrue(Integer.parseInt(m.group(1)) <= segments, line);
      }
    }
    assertTrue(lines > 0, "no progress line: " + r.err);
  }

  @Test
  void importSaysJobsDoneProgressAndRowsImported() {
    ImportProgress p = new ImportProgress(1500); // two requests: two jobs
    p.created("j1", "c", 1024);
    p.polled(new dev.milvusbeam.io.importing.ImportJob("j1", "c", "Completed", 100, 600, 600, "",
        1024));
    assertEquals("bulkwriter: import: 1 of 2 jobs done, 50%, 600 of 600 rows imported, 5 s",
        p.line(5));
    assertTrue(p.bar(5).startsWith("[############............]  50% 1/2 jobs done (1 created)"),
        p.bar(5));
  }
}
