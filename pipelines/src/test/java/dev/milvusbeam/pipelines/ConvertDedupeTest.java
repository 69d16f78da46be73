package dev.milvusbeam.pipelines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.milvusbeam.io.ConformanceChecker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code convert --dedupe} (on the default runner, Flink embedded): one row per primary key in the
 * files, the first by input file and line; the others in the failures file and the summary.
 */
class ConvertDedupeTest {
  @TempDir Path dir;

  /** A row of the seed fixture's schema: id, vector (dim 64), scalar_1, scalar_2. */
  static String row(long id, String tag, int dim) {
    StringBuilder v = new StringBuilder();
    for (int d = 0; d < dim; d++) {
      v.append(d == 0 ? "" : ",").append((id * 5 + d) % 11 / 11.0);
    }
    return "{\"id\":" + id + ",\"vector\":[" + v + "],\"scalar_1\":\"" + tag
        + "\",\"scalar_2\":" + id + "}";
  }

  @Test
  void theFirstRowByFileAndLineIsWrittenAndTheOthersAreCounted() throws Exception {
    Path in = Files.createDirectories(dir.resolve("in"));
    List<String> a = new ArrayList<>(List.of(row(1, "a1", 64), row(2, "a2", 64),
        row(3, "a3", 64)));
    for (int i = 0; i < 40; i++) {
      a.add(row(100 + i, "a" + (a.size() + 1), 64));
    }
    a.add(row(1, "a44", 64)); // line 44: a later line of the same file than id 1's line 1
    List<String> b = List.of(
        row(2, "b1", 64), // a.jsonl:2 comes first: a file of an earlier name
        row(4, "b2", 64),
        row(3, "b3", 2), // the same key as a.jsonl:3, but invalid: its own rule
        row(5, "b4", 64),
        row(5, "b5", 64)); // line 4 of this file comes first
    Files.write(in.resolve("a.jsonl"), a);
    Files.write(in.resolve("b.jsonl"), b);
    List<String> kept = new ArrayList<>(a.subList(0, a.size() - 1));
    kept.add(b.get(1));
    kept.add(b.get(3));

    // small chunks: the rows of one file are read by several workers, in any order
    JsonNode s = InputFormatsTest.summaryOf(Conformance.cli("convert",
        "--schema=" + Conformance.fixture("seed").resolve("schema.json"),
        "--input=" + in.resolve("*.jsonl"), "--output=" + dir.resolve("out"),
        "--fileType=parquet", "--inputChunkSize=2KB", "--parallelism=2", "--dedupe"));
    assertEquals(kept.size(), s.get("rows").asLong(), s.toString());
    assertEquals(4, s.get("failed").asLong(), s.toString());
    assertEquals(Map.of("duplicate-primary-key", 3, "vector-dim", 1),
        Conformance.JSON.convertValue(s.get("failedByRule"), Map.class), s.toString());

    Map<String, String> failures = new TreeMap<>();
    for (String line : Files.readAllLines(Path.of(s.get("failuresPath").asText()))) {
      JsonNode f = Conformance.JSON.readTree(line);
      JsonNode v = f.get("violations").get(0);
      failures.put(Path.of(f.get("input").asText()).getFileName() + ":" + f.get("line").asLong(),
          v.get("rule").asText() + " " + f.get("primaryKey").asText() + " "
              + v.get("message").asText());
    }
    String first = "(the first by input file and line)";
    assertEquals(Map.of(
        "a.jsonl:44", "duplicate-primary-key 1 another row has primary key 1 and is kept: "
            + in.resolve("a.jsonl") + ":1 " + first,
        "b.jsonl:1", "duplicate-primary-key 2 another row has primary key 2 and is kept: "
            + in.resolve("a.jsonl") + ":2 " + first,
        "b.jsonl:5", "duplicate-primary-key 5 another row has primary key 5 and is kept: "
            + in.resolve("b.jsonl") + ":4 " + first,
        "b.jsonl:3", "vector-dim 3 vector has 2 values, dim is 64"), failures);

    // the files hold exactly the kept rows, with their values
    ConformanceChecker.Result check = ConformanceChecker.checkRows("seed", kept,
        s.get("dataPath").asText(), "parquet");
    assertEquals(0, check.exit, check.toString());
    assertTrue(check.lastLine().contains("rows=" + kept.size() + " "), check.toString());
  }

  @Test
  void anAutoIdKeyIsAUsageError() throws Exception {
    Path schema = dir.resolve("schema.json");
    Files.writeString(schema, "{\"autoID\":true,\"fields\":["
        + "{\"fieldName\":\"pk\",\"dataType\":\"Int64\",\"isPrimary\":true},"
        + "{\"fieldName\":\"v\",\"dataType\":\"FloatVector\",\"elementTypeParams\":{\"dim\":2}}]}");
    Path input = dir.resolve("rows.jsonl");
    Files.writeString(input, "{\"v\":[1,2]}\n");
    ConformanceChecker.Result r = Conformance.cli("convert", "--schema=" + schema,
        "--input=" + input, "--output=" + dir.resolve("out"), "--dedupe");
    assertEquals(2, r.exit, r.toString());
    assertTrue(r.err.contains("--dedupe") && r.err.contains("'pk'")
        && r.err.contains("auto id"), r.err);
  }
}
