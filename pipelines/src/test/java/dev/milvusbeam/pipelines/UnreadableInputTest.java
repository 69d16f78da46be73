package dev.milvusbeam.pipelines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.milvusbeam.io.ConformanceChecker;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An input file that cannot be read is one failure record with its path and rule
 * {@code unreadable-input}; the other files are converted (the checker reads them back); the
 * command exits 1 after the summary, which counts the unreadable files.
 */
class UnreadableInputTest {
  private static final String FIXTURE = "seed";

  @TempDir Path dir;

  private static Path fx(String name) {
    return Conformance.fixture(FIXTURE).resolve(name);
  }

  private ConformanceChecker.Result convert(String input, String... extra) {
    List<String> args = new ArrayList<>(List.of("convert", "--schema=" + fx("schema.json"),
        "--input=" + input, "--output=" + dir.resolve("out"), "--fileType=json"));
    args.addAll(Arrays.asList(extra));
    return Conformance.cli(args.toArray(new String[0]));
  }

  private static JsonNode summary(ConformanceChecker.Result r) throws IOException {
    return Conformance.JSON.readTree(r.lastLine());
  }

  /** The failure records with rule unreadable-input. */
  private static List<JsonNode> unreadable(JsonNode summary) throws IOException {
    List<JsonNode> out = new ArrayList<>();
    for (String line : Files.readAllLines(Path.of(summary.get("failuresPath").asText()))) {
      JsonNode f = Conformance.JSON.readTree(line);
      if (f.get("violations").get(0).get("rule").asText().equals("unreadable-input")) {
        out.add(f);
      }
    }
    return out;
  }

  private static long validRows() throws IOException {
    return Conformance.inputLines(FIXTURE) - Conformance.rejectedLines(FIXTURE).size();
  }

  /** Exit 1 after the summary; the one unreadable file is named, the good one fully written. */
  private static JsonNode assertOneUnreadable(ConformanceChecker.Result r, Path bad)
      throws IOException {
    assertEquals(1, r.exit, r.toString());
    JsonNode s = summary(r);
    assertEquals(1, s.get("unreadable").asLong(), s.toString());
    assertTrue(r.err.contains("1 input file(s) could not be read"), r.err);
    List<JsonNode> u = unreadable(s);
    assertEquals(1, u.size(), u.toString());
    assertEquals(bad.toString(), u.get(0).get("input").asText(), u.toString());
    return u.get(0);
  }

  private void assertCheckerPasses(JsonNode s) throws Exception {
    assertEquals(validRows(), s.get("rows").asLong(), s.toString());
    ConformanceChecker.Result check = Conformance.check(FIXTURE, s.get("dataPath").asText(),
        "json");
    assertEquals(0, check.exit, check.toString());
    assertTrue(check.lastLine().endsWith("problems=0"), check.toString());
  }

  @Test
  void aTruncatedParquetFileIsNamedAndTheOtherIsConverted() throws Exception {
    ConformanceChecker.Result first = Conformance.cli("convert", "--schema=" + fx("schema.json"),
        "--input=" + fx("rows.jsonl"), "--output=" + dir.resolve("parquet"),
        "--fileType=parquet");
    assertEquals(0, first.exit, first.toString());
    JsonNode written = summary(first);
    assertEquals(1, written.get("batchFiles").size(), written.toString());
    Path segment = Path.of(written.get("batchFiles").get(0).get(0).asText());
    Path in = Files.createDirectories(dir.resolve("in"));
    Files.copy(segment, in.resolve("good.parquet"));
    byte[] bytes = Files.readAllBytes(segment);
    Path bad = in.resolve("bad.parquet");
    Files.write(bad, Arrays.copyOf(bytes, bytes.length * 2 / 3)); // no footer

    ConformanceChecker.Result r = convert(in.resolve("*.parquet").toString(),
        "--inputFormat=parquet");
    JsonNode failure = assertOneUnreadable(r, bad);
    assertFalse(failure.has("line"), "found while planning, before any row: " + failure);
    String message = failure.get("violations").get(0).get("message").asText();
    assertTrue(message.contains("Parquet") && !message.contains("BeamInputFile@"), message);
    assertCheckerPasses(summary(r));
  }

  @Test
  void aGzipCutShortKeepsTheRowsBeforeTheDamage() throws Exception {
    Path whole = dir.resolve("whole.jsonl.gz");
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(whole))) {
      Files.copy(fx("rows.jsonl"), out);
    }
    byte[] gz = Files.readAllBytes(whole);
    Path bad = dir.resolve("cut.jsonl.gz");
    Files.write(bad, Arrays.copyOf(gz, gz.length * 3 / 4)); // far past the first 64 KiB
    Files.delete(whole);

    ConformanceChecker.Result r = convert(bad.toString());
    JsonNode failure = assertOneUnreadable(r, bad);
    long firstUnread = failure.get("line").asLong();
    assertTrue(firstUnread > 1 && firstUnread <= Conformance.inputLines(FIXTURE), failure.toString());
    TreeSet<Integer> rejects = Conformance.rejectedLines(FIXTURE);
    long validBefore = firstUnread - 1 - rejects.headSet((int) firstUnread).size();
    JsonNode s = summary(r);
    assertEquals(validBefore, s.get("rows").asLong(), s + " " + failure);
    assertEquals(rejects.headSet((int) firstUnread).size() + 1, s.get("failed").asLong(),
        s.toString());
  }

  @Test
  void aJsonlFileThatIsNotUtf8IsFoundBeforeAnyRowIsRead() throws Exception {
    Path bad = dir.resolve("latin1.jsonl");
    List<String> lines = Files.readAllLines(fx("rows.jsonl"));
    // the fixture's lines in ISO-8859-1, with one non-ASCII character in the first
    String text = lines.get(0).replaceFirst("\\{", "{\"note\": \"café\", ") + "\n"
        + String.join("\n", lines.subList(1, lines.size())) + "\n";
    Files.write(bad, text.getBytes(StandardCharsets.ISO_8859_1));

    ConformanceChecker.Result r = convert(bad.toString());
    JsonNode failure = assertOneUnreadable(r, bad);
    assertFalse(failure.has("line"), failure.toString());
    assertTrue(failure.get("violations").get(0).get("message").asText().contains("UTF-8"),
        failure.toString());
    JsonNode s = summary(r);
    assertEquals(0, s.get("rows").asLong(), s.toString());
    assertEquals(1, s.get("failed").asLong(), s.toString());
  }

  @Test
  void oneBadFileDoesNotTakeTheGoodOneDown() throws Exception {
    Path in = Files.createDirectories(dir.resolve("in"));
    Files.copy(fx("rows.jsonl"), in.resolve("good.jsonl"));
    Path bad = in.resolve("binary.jsonl");
    byte[] junk = new byte[4096];
    new java.util.Random(7).nextBytes(junk);
    junk[10] = 0;
    Files.write(bad, junk);

    ConformanceChecker.Result r = convert(in.resolve("*.jsonl").toString());
    assertOneUnreadable(r, bad);
    JsonNode s = summary(r);
    assertEquals(Conformance.rejectedLines(FIXTURE).size() + 1, s.get("failed").asLong(),
        s.toString());
    assertCheckerPasses(s);
  }

  @Test
  void aCsvFileThatIsNotUtf8PastTheFirst64KiBKeepsTheRowsBefore() throws Exception {
    StringBuilder csv = new StringBuilder("id,name\n");
    int rows = 0;
    while (csv.length() < (100 << 10)) {
      rows++;
      csv.append(rows).append(",row ").append(rows).append('\n');
    }
    byte[] good = csv.toString().getBytes(StandardCharsets.UTF_8);
    byte[] tail = "999999,caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1);
    Path bad = dir.resolve("mixed.csv");
    byte[] all = Arrays.copyOf(good, good.length + tail.length);
    System.arraycopy(tail, 0, all, good.length, tail.length);
    Files.write(bad, all);

    ConformanceChecker.Result r = Conformance.cli("convert", "--schema=" + fx("schema.json"),
        "--input=" + bad, "--inputFormat=csv", "--inputChunkSize=1GB",
        "--output=" + dir.resolve("out"), "--fileType=json");
    JsonNode failure = assertOneUnreadable(r, bad);
    assertEquals(rows + 2, failure.get("line").asLong(), failure.toString()); // header is line 1
    JsonNode s = summary(r); // each record before the damage is read (and rejected: no vector)
    assertEquals(0, s.get("rows").asLong(), s.toString());
    assertEquals(rows + 1, s.get("failed").asLong(), s.toString());
  }
}
