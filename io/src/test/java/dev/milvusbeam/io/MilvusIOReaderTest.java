package dev.milvusbeam.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.milvusbeam.core.format.FileType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.PCollection;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * {@code MilvusIO.write(RecordReader, RowParser)} on the Direct runner: each element (here a batch
 * of JSON lines) is read inside the writing step, and its records are checked and written as if
 * they had been elements themselves.
 */
@ExtendWith(TestPipelineExtension.class)
class MilvusIOReaderTest {
  @TempDir Path out;

  /** The lines of a batch, one record each. */
  static final RecordReader<List<String>, String> LINES = (batch, records) -> {
    for (String line : batch) {
      records.add(line);
    }
  };

  /** The same, with the records' coder (for a write that groups them). */
  static final class LinesWithCoder implements RecordReader<List<String>, String> {
    private static final long serialVersionUID = 1L;

    @Override
    public void read(List<String> batch, Records<String> records) throws java.io.IOException {
      LINES.read(batch, records);
    }

    @Override
    public Coder<String> recordCoder() {
      return StringUtf8Coder.of();
    }
  }

  static List<List<String>> batches(List<String> lines, int size) {
    List<List<String>> batches = new ArrayList<>();
    for (int i = 0; i < lines.size(); i += size) {
      batches.add(new ArrayList<>(lines.subList(i, Math.min(lines.size(), i + size))));
    }
    return batches;
  }

  private PCollection<List<String>> input(TestPipeline p, List<String> lines) {
    return p.apply(Create.of(batches(lines, 7)).withCoder(ListCoder.of(StringUtf8Coder.of())));
  }

  @ParameterizedTest(name = "{0}, {1} shards")
  @CsvSource({"parquet,0", "json,3", "csv,0", "numpy,2"})
  void everyRecordOfEveryElementIsCheckedAndWrittenOnce(String fileType, int shards,
      TestPipeline p) throws Exception {
    String fixture = fileType.equals("numpy") ? "numpy-types" : "all-types";
    List<String> lines = MilvusIOTest.lines(fixture);
    TreeSet<Integer> rejects = ConformanceChecker.rejectedLines(fixture);
    List<String> expected = new ArrayList<>();
    rejects.forEach(i -> expected.add(lines.get(i)));
    Collections.sort(expected);
    Path failures = out.resolve("rejected.jsonl");
    MilvusIO.WriteResult r = input(p, lines)
        .apply(MilvusIO.write(LINES, RowParser.json()).withSchema(MilvusIOTest.schema(fixture))
            .to(out.toString()).withFileType(FileType.valueOf(fileType.toUpperCase()))
            .withNumShards(shards).withFailuresFile(failures.toString()));
    p.run().waitUntilFinish();

    ConformanceChecker.Result check = ConformanceChecker.check(fixture, r.getDataPath(), fileType);
    assertEquals(0, check.exit, check.toString()); // every valid record once, nothing else
    assertEquals(expected, MilvusIOFailuresFileTest.failedRows(failures),
        "every rejected record once");
    ManifestAssert.check(r.getDataPath(), lines.size() - rejects.size(), rejects.size());
  }

  @Test
  void deduplicationReadsTheRecordsFirstWithTheReadersCoder(TestPipeline p) throws Exception {
    List<String> rows = MilvusIOTest.seedRows(40);
    List<String> lines = new ArrayList<>(rows);
    lines.add(rows.get(3)); // one duplicate of a valid row
    MilvusIO.WriteResult r = input(p, lines)
        .apply(MilvusIO.write(new LinesWithCoder(), RowParser.json())
            .withSchema(MilvusIOTest.schema("seed")).to(out.toString())
            .withPrimaryKeyDeduplication());
    p.run().waitUntilFinish();

    ConformanceChecker.Result check =
        ConformanceChecker.checkRows("seed", rows, r.getDataPath(), "parquet");
    assertEquals(0, check.exit, check.toString());
    ManifestAssert.check(r.getDataPath(), rows.size(), 1);
  }

  @Test
  void deduplicationWithAReaderWithoutACoderIsRefusedBeforeAnyData() throws Exception {
    TestPipeline p = TestPipeline.create();
    MilvusIO.Write<List<String>> write = MilvusIO.write(LINES, RowParser.json())
        .withSchema(MilvusIOTest.schema("seed")).to(out.toString())
        .withPrimaryKeyDeduplication();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> input(p, MilvusIOTest.seedRows(3)).apply(write));
    assertTrue(e.getMessage().contains("recordCoder()"), e.getMessage());
    try (Stream<Path> s = Files.list(out)) {
      assertEquals(List.of(), s.collect(Collectors.toList()), "nothing written");
    }
  }
}
