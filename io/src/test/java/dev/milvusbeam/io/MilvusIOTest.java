package dev.milvusbeam.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.milvusbeam.core.format.FileType;
import dev.milvusbeam.core.writer.Segment;
import dev.milvusbeam.core.schema.CollectionSchema;
import dev.milvusbeam.core.schema.SchemaException;
import dev.milvusbeam.core.schema.SchemaJson;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.transforms.Count;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** MilvusIO.writeJson on the Direct runner, judged by the conformance checker. */
@ExtendWith(TestPipelineExtension.class)
class MilvusIOTest {
  @TempDir Path out;

  static CollectionSchema schema(String fixture) throws Exception {
    return SchemaJson.read(ConformanceChecker.fixture(fixture).resolve("schema.json"));
  }

  static List<String> lines(String fixture) throws Exception {
    return Files.readAllLines(ConformanceChecker.fixture(fixture).resolve("rows.jsonl"));
  }

  @ParameterizedTest(name = "{0} as {1}, {2} shards")
  @CsvSource({"seed,parquet,0", "seed,numpy,3", "all-types,json,0", "all-types,jsonl,2",
      "all-types,csv,0", "all-types,parquet,4", "numpy-types,numpy,0"})
  void fixturesPassTheChecker(String fixture, String fileType, int shards, TestPipeline p)
      throws Exception {
    MilvusIO.WriteResult r = p.apply(Create.of(lines(fixture)))
        .apply(MilvusIO.writeJson().withSchema(schema(fixture)).to(out.toString())
            .withFileType(FileType.fromName(fileType)).withNumShards(shards)
            .withSegmentSize(64 * 1024));
    TreeSet<Integer> rejects = ConformanceChecker.rejectedLines(fixture);
    PAssert.thatSingleton(r.getFailures().apply(Count.globally())).isEqualTo((long) rejects.size());
    PAssert.thatSingleton(r.getSegments()
        .apply(MapElements.into(TypeDescriptors.longs()).via(Segment::rows))
        .apply(org.apache.beam.sdk.transforms.Sum.longsGlobally()))
        .isEqualTo(lines(fixture).size() - (long) rejects.size());
    PipelineResult result = p.run();
    result.waitUntilFinish();

    assertEquals(rejects.size(), counter(result, "rowsRejected"));
    assertEquals(lines(fixture).size() - rejects.size(), counter(result, "rowsWritten"));
    String dataPath = r.getDataPath();
    ConformanceChecker.Result check = ConformanceChecker.check(fixture, dataPath, fileType);
    assertEquals(0, check.exit, check.toString());
    assertTrue(check.lastLine().endsWith("problems=0"), check.toString());
    assertOnlyDataFolderAndManifest(dataPath);
    ManifestAssert.check(dataPath, lines(fixture).size() - rejects.size(), rejects.size());
  }

  /** Nothing but {@code <uuid>/} and {@code <uuid>.manifest.json} is left in the output. */
  private void assertOnlyDataFolderAndManifest(String dataPath) throws Exception {
    String uuid = Path.of(dataPath).getFileName().toString();
    try (Stream<Path> s = Files.list(out)) {
      List<String> names = s.map(x -> x.getFileName().toString()).sorted()
          .collect(Collectors.toList());
      assertEquals(List.of(uuid, uuid + ".manifest.json"), names);
    }
  }

  static long counter(PipelineResult result, String name) {
    long total = 0;
    for (MetricResult<Long> c : result.metrics().queryMetrics(MetricsFilter.builder()
        .addNameFilter(MetricNameFilter.named(RowChecker.NAMESPACE, name)).build()).getCounters()) {
      total += c.getAttempted();
    }
    return total;
  }

  @Test
  void segmentsAreNumberedWithoutGapsAndBoundedBySize(TestPipeline p) throws Exception {
    List<String> rows = new ArrayList<>();
    for (int i = 0; i < 3000; i++) {
      StringBuilder v = new StringBuilder();
      for (int d = 0; d < 64; d++) {
        v.append(d == 0 ? "" : ",").append((i * 31 + d) % 97 / 97.0);
      }
      rows.add("{\"id\":" + i + ",\"vector\":[" + v + "],\"scalar_1\":\"s" + i
          + "\",\"scalar_2\":" + i + "}");
    }
    long segmentSize = 128 * 1024;
    MilvusIO.WriteResult r = p.apply(Create.of(rows))
        .apply(MilvusIO.writeJson().withSchema(schema("seed")).to(out.toString())
            .withFileType(FileType.JSONL).withNumShards(3).withSegmentSize(segmentSize));
    p.run().waitUntilFinish();
    Path data = Path.of(r.getDataPath());
    List<Path> files;
    try (Stream<Path> s = Files.list(data)) {
      files = s.sorted().collect(Collectors.toList());
    }
    assertTrue(files.size() >= 10, "several segments: " + files.size());
    long total = 0;
    for (int i = 1; i <= files.size(); i++) {
      Path f = data.resolve(i + ".jsonl");
      assertTrue(Files.exists(f), "segment " + i + " of " + files.size());
      assertTrue(Files.size(f) <= segmentSize * 1.1, f + " " + Files.size(f));
      total += Files.readAllLines(f).size();
    }
    assertEquals(3000, total);
  }

  @Test
  void numpyWithAnUnsupportedSchemaFailsAtConstruction(TestPipeline p) throws Exception {
    PCollection<String> in = p.apply(Create.of(lines("all-types")));
    SchemaException e = assertThrows(SchemaException.class, () -> in.apply(MilvusIO.writeJson()
        .withSchema(schema("all-types")).to(out.toString()).withFileType(FileType.NUMPY)));
    assertTrue(e.getMessage().contains("v_sparse"), e.getMessage());
    p.enableAbandonedNodeEnforcement(false);
  }

  @Test
  void missingSettingsAreNamed(TestPipeline p) {
    PCollection<String> in = p.apply(Create.of("{}"));
    IllegalArgumentException noSchema = assertThrows(IllegalArgumentException.class,
        () -> in.apply(MilvusIO.writeJson().to(out.toString())));
    assertTrue(noSchema.getMessage().contains("withSchema"));
    assertThrows(IllegalArgumentException.class, () -> MilvusIO.writeJson().withSegmentSize(0));
    assertThrows(IllegalArgumentException.class, () -> MilvusIO.writeJson().withNumShards(-1));
    assertFalse(MilvusIO.writeJson().withCsvNullKey("NULL").toString().isEmpty());
    p.enableAbandonedNodeEnforcement(false);
  }
}
