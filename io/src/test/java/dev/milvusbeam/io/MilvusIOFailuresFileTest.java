package dev.milvusbeam.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.milvusbeam.core.format.FileType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.beam.sdk.io.GenerateSequence;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.transforms.windowing.FixedWindows;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** {@code MilvusIO.write().withFailuresFile(path)} on the Direct runner: the rejected rows, once. */
@ExtendWith(TestPipelineExtension.class)
class MilvusIOFailuresFileTest {
  @TempDir Path out;

  /** The "row" texts of a failures file, sorted, each line read back with Jackson. */
  static List<String> failedRows(Path file) throws IOException {
    List<String> rows = new ArrayList<>();
    for (String line : Files.readAllLines(file)) {
      JsonNode n = ConformanceChecker.JSON.readTree(line);
      assertTrue(n.get("violations").size() > 0, "a rejected row names its violations: " + line);
      assertFalse(n.get("violations").get(0).get("rule").asText().isEmpty(), line);
      rows.add(n.get("row").asText());
    }
    Collections.sort(rows);
    return rows;
  }

  private List<String> namesInOutput() throws IOException {
    try (Stream<Path> s = Files.list(out)) {
      return s.map(x -> x.getFileName().toString()).sorted().collect(Collectors.toList());
    }
  }

  @Test
  void theRejectedRowsOfEveryBundleAreInTheFailuresFileOnce(TestPipeline p) throws Exception {
    List<String> lines = MilvusIOTest.lines("all-types");
    TreeSet<Integer> rejects = ConformanceChecker.rejectedLines("all-types");
    List<String> expected = new ArrayList<>();
    rejects.forEach(i -> expected.add(lines.get(i)));
    Collections.sort(expected);
    Path failures = out.resolve("rejected.jsonl");
    MilvusIO.WriteResult r = p.apply(Create.of(lines))
        .apply(MilvusIO.writeJson().withSchema(MilvusIOTest.schema("all-types"))
            .to(out.toString()).withFileType(FileType.PARQUET)
            .withNumShards(3) // the rows, and so the rejected ones, in several bundles
            .withFailuresFile(failures.toString()));
    p.run().waitUntilFinish();

    assertTrue(rejects.size() >= 2, "the fixture has rejected rows: " + rejects);
    assertEquals(expected, failedRows(failures), "every rejected row once, nothing else");
    ManifestAssert.check(r.getDataPath(), lines.size() - rejects.size(), rejects.size());
    String uuid = Path.of(r.getDataPath()).getFileName().toString();
    assertEquals(List.of(uuid, uuid + ".manifest.json", "rejected.jsonl"), namesInOutput(),
        "no temp folder or staged file left");
  }

  @Test
  void withoutARejectedRowTheFailuresFileIsEmptyAndReplacesAnOldOne(TestPipeline p)
      throws Exception {
    Path failures = out.resolve("rejected.jsonl");
    Files.writeString(failures, "{\"row\":\"of an earlier run\"}\n");
    MilvusIO.WriteResult r = p.apply(Create.of(MilvusIOTest.seedRows(50)))
        .apply(MilvusIO.writeJson().withSchema(MilvusIOTest.schema("seed")).to(out.toString())
            .withFileType(FileType.JSONL).withFailuresFile(failures.toString()));
    p.run().waitUntilFinish();

    assertEquals(0, Files.size(failures));
    ManifestAssert.check(r.getDataPath(), 50, 0);
  }

  @Test
  void anEmptyInputWritesAnEmptyFailuresFileAndNothingElse(TestPipeline p) throws Exception {
    Path failures = out.resolve("rejected.jsonl");
    p.apply(Create.empty(org.apache.beam.sdk.coders.StringUtf8Coder.of()))
        .apply(MilvusIO.writeJson().withSchema(MilvusIOTest.schema("seed")).to(out.toString())
            .withFailuresFile(failures.toString()));
    p.run().waitUntilFinish();

    assertEquals(0, Files.size(failures));
    assertEquals(List.of("rejected.jsonl"), namesInOutput());
  }

  @Test
  void anInputWithoutAValidRowWritesOnlyTheFailuresFile(TestPipeline p) throws Exception {
    List<String> bad = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      bad.add("{\"id\":" + i + ",\"vector\":[1.0,2.0],\"scalar_1\":\"x\",\"scalar_2\":1}");
    }
    Collections.sort(bad);
    Path failures = out.resolve("sub/rejected.jsonl"); // its folder is made
    p.apply(Create.of(bad))
        .apply(MilvusIO.writeJson().withSchema(MilvusIOTest.schema("seed")).to(out.toString())
            .withFileType(FileType.NUMPY).withFailuresFile(failures.toString()));
    p.run().waitUntilFinish();

    assertEquals(bad, failedRows(failures));
    for (String line : Files.readAllLines(failures)) {
      JsonNode v = ConformanceChecker.JSON.readTree(line).get("violations").get(0);
      assertEquals("vector", v.get("field").asText(), line);
    }
    assertEquals(List.of("sub"), namesInOutput(), "no data folder, manifest or temp folder");
  }

  @Test
  void aFailuresFileNeedsBoundedInputInTheGlobalWindow(TestPipeline p) throws Exception {
    MilvusIO.Write<String> write = MilvusIO.writeJson().withSchema(MilvusIOTest.schema("seed"))
        .to(out.toString()).withFailuresFile(out.resolve("f.jsonl").toString());
    PCollection<String> windowed = p.apply("Rows", Create.of(MilvusIOTest.seedRows(3)))
        .apply(Window.into(FixedWindows.of(Duration.standardMinutes(1))));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> windowed.apply("WriteWindowed", write));
    assertTrue(e.getMessage().contains("withFailuresFile") && e.getMessage().contains("windowed")
        && e.getMessage().contains("getFailures()"), e.getMessage());
    PCollection<String> unbounded = p.apply(GenerateSequence.from(0))
        .apply(MapElements.into(TypeDescriptors.strings()).via(i -> "{\"id\":" + i + "}"));
    e = assertThrows(IllegalArgumentException.class,
        () -> unbounded.apply("WriteUnbounded", write));
    assertTrue(e.getMessage().contains("unbounded"), e.getMessage());
    p.enableAbandonedNodeEnforcement(false);
  }

  @Test
  void theFailuresFileIsASettingOfItsOwn() throws Exception {
    assertThrows(IllegalArgumentException.class,
        () -> MilvusIO.writeJson().withFailuresFile(" "));
    assertThrows(IllegalArgumentException.class,
        () -> MilvusIO.writeJson().withFailuresFile(out + "/"));
    String path = out.resolve("f.jsonl").toString();
    // set first or last: the same transform
    MilvusIO.Write<String> first = MilvusIO.writeJson().withFailuresFile(path)
        .withSchema(MilvusIOTest.schema("seed")).to(out.toString());
    MilvusIO.Write<String> last = MilvusIO.writeJson().withSchema(MilvusIOTest.schema("seed"))
        .to(out.toString()).withFailuresFile(path);
    assertEquals(DisplayData.from(first).asMap(), DisplayData.from(last).asMap());
    assertTrue(DisplayData.from(last).items().stream()
        .anyMatch(i -> i.getKey().equals("failuresFile") && path.equals(i.getValue())));
  }
}
