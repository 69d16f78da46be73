package dev.milvusbeam.io;

import static dev.milvusbeam.core.schema.FieldParam.dim;
import static dev.milvusbeam.core.schema.FieldParam.isPrimary;
import static dev.milvusbeam.core.schema.FieldParam.maxLength;
import static dev.milvusbeam.core.schema.FieldParam.nullable;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.milvusbeam.core.format.FileType;
import dev.milvusbeam.core.format.FormatOptions;
import dev.milvusbeam.core.row.Rule;
import dev.milvusbeam.core.row.RowValidator;
import dev.milvusbeam.core.row.ValidRow;
import dev.milvusbeam.core.row.Violation;
import dev.milvusbeam.core.schema.CollectionSchema;
import dev.milvusbeam.core.schema.DataType;
import java.io.ByteArrayOutputStream;
import java.nio.channels.Channels;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.transforms.Count;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.values.PCollection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * MilvusIO.validateJson + FileIO.writeDynamic + MilvusIO.sink on the Direct runner: one folder per
 * partition, each judged by the conformance checker.
 */
@ExtendWith(TestPipelineExtension.class)
class MilvusIOSinkTest {
  private static final String FIXTURE = "all-types";
  private static final String PARTITION_FIELD = "f_bool";

  @TempDir Path out;

  /** {@code <partition>/<shard + 1>.<ext>}: the layout Milvus imports, one folder per partition. */
  static SerializableFunction<String, FileIO.Write.FileNaming> segmentNaming(String extension) {
    return partition -> (window, pane, numShards, shardIndex, compression) ->
        partition + "/" + (shardIndex + 1) + "." + extension;
  }

  /** The partition of a row: {@code f_bool=true} or {@code f_bool=false}. */
  static SerializableFunction<ValidRow, String> partitionOf(CollectionSchema schema) {
    int column = schema.columns().indexOf(schema.field(PARTITION_FIELD));
    return row -> PARTITION_FIELD + "=" + row.get(column);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"parquet", "csv", "json", "jsonl"})
  void validatedRowsWrittenPerPartitionPassTheChecker(String fileType, TestPipeline p)
      throws Exception {
    FileType type = FileType.fromName(fileType);
    CollectionSchema schema = MilvusIOTest.schema(FIXTURE);
    List<String> lines = MilvusIOTest.lines(FIXTURE);
    TreeSet<Integer> rejects = ConformanceChecker.rejectedLines(FIXTURE);

    MilvusIO.Sink sink = MilvusIO.sink(schema, type);
    MilvusIO.ValidateResult validated = p.apply(Create.of(lines))
        .apply(MilvusIO.validate(schema).withFileType(sink.fileType())
            .withFormatOptions(sink.formatOptions()));
    PAssert.thatSingleton(validated.getFailures().apply("CountFailures", Count.globally()))
        .isEqualTo((long) rejects.size());
    validated.getRows().apply(FileIO.<String, ValidRow>writeDynamic()
        .by(partitionOf(schema))
        .withDestinationCoder(StringUtf8Coder.of())
        .via(sink)
        .to(out.toString())
        .withNumShards(2)
        .withNaming(segmentNaming(type.extension())));
    p.run().waitUntilFinish();

    // the valid input lines of each partition, as the checker is to find them
    Map<String, List<String>> expected = new TreeMap<>();
    for (int i = 0; i < lines.size(); i++) {
      if (!rejects.contains(i)) {
        JsonNode row = ConformanceChecker.JSON.readTree(lines.get(i));
        expected.computeIfAbsent(PARTITION_FIELD + "=" + row.get(PARTITION_FIELD).asBoolean(),
            k -> new ArrayList<>()).add(lines.get(i));
      }
    }
    // one folder per partition; FileIO leaves its temp folder beside them, emptied
    assertEquals(List.of(".temp-beam", PARTITION_FIELD + "=false", PARTITION_FIELD + "=true"),
        names(out));
    try (Stream<Path> s = Files.walk(out.resolve(".temp-beam"))) {
      assertEquals(List.of(), s.filter(Files::isRegularFile).collect(Collectors.toList()));
    }
    for (Map.Entry<String, List<String>> partition : expected.entrySet()) {
      Path folder = out.resolve(partition.getKey());
      assertEquals(List.of("1." + type.extension(), "2." + type.extension()), names(folder));
      ConformanceChecker.Result check = ConformanceChecker.checkRows(FIXTURE, partition.getValue(),
          folder.toString(), fileType);
      assertEquals(0, check.exit, partition.getKey() + ": " + check);
      assertTrue(check.lastLine().endsWith("rows=" + partition.getValue().size()
          + " segments=2 problems=0"), check.toString());
    }
  }

  private static List<String> names(Path dir) throws Exception {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(x -> x.getFileName().toString()).sorted().collect(Collectors.toList());
    }
  }

  @Test
  void numpyHasNoSink() throws Exception {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> MilvusIO.sink(MilvusIOTest.schema("seed"), FileType.NUMPY));
    assertTrue(e.getMessage().contains("numpy") && e.getMessage().contains("not one file")
        && e.getMessage().contains("MilvusIO.write"), e.getMessage());
  }

  /** id, a 4-dim vector and a nullable VarChar. */
  static CollectionSchema smallSchema() {
    return CollectionSchema.createSchema(false, false)
        .addField("id", DataType.INT64, isPrimary())
        .addField("vector", DataType.FLOAT_VECTOR, dim(4))
        .addField("name", DataType.VARCHAR, maxLength(8), nullable())
        .build();
  }

  @Test
  void failuresNameTheFieldTheRuleAndThePrimaryKey(TestPipeline p) {
    List<String> rows = List.of(
        "{\"id\":1,\"vector\":[1,2,3,4],\"name\":\"ok\"}",
        "{\"id\":2,\"vector\":[1,2,3],\"name\":\"ok\"}",
        "{\"id\":3,\"vector\":[1,2,3,4],\"name\":\"NULL\"}");
    // CSV with the null key NULL: "NULL" in a nullable field would be read back as null
    MilvusIO.ValidateResult csv = p.apply("Rows", Create.of(rows))
        .apply("ValidateForCsv", MilvusIO.validateJson(smallSchema())
            .withCsvNullKey("NULL").withFileType(FileType.CSV));
    PAssert.thatSingleton(csv.getRows().apply("CountCsvRows", Count.globally())).isEqualTo(1L);
    PAssert.that(csv.getFailures()).satisfies(failures -> {
      Map<String, Violation> byKey = new TreeMap<>();
      for (FailedRow f : failures) {
        assertEquals(1, f.violations().size(), f.toJson());
        byKey.put(f.primaryKey(), f.violations().get(0));
      }
      assertEquals(List.of("2", "3"), List.copyOf(byKey.keySet()));
      assertEquals("vector", byKey.get("2").field());
      assertEquals(Rule.VECTOR_DIM, byKey.get("2").rule());
      assertEquals("name", byKey.get("3").field());
      assertEquals(Rule.CSV_NULL_KEY, byKey.get("3").rule());
      return null;
    });
    // the null-key rule is CSV's: for Parquet the same row is valid
    MilvusIO.ValidateResult parquet = p.apply("SameRows", Create.of(rows))
        .apply("ValidateForParquet", MilvusIO.validateJson(smallSchema()));
    PAssert.thatSingleton(parquet.getFailures().apply("CountParquetFailures", Count.globally()))
        .isEqualTo(1L);
    PipelineResult result = p.run();
    result.waitUntilFinish();
    // counted as a write counts them
    assertEquals(3, MilvusIOTest.counter(result, "rowsRejected"));
    assertEquals(1 + 2, MilvusIOTest.counter(result, "rowsValid"));
    assertEquals(1, MilvusIOTest.counter(result, "rowsRejected_" + Rule.CSV_NULL_KEY.code()));
  }

  @Test
  void csvSeparatorAndNullKeyAreCheckedTogetherInEitherOrder(TestPipeline p) throws Exception {
    CollectionSchema schema = smallSchema();
    MilvusIO.Sink base = MilvusIO.sink(schema, FileType.CSV);
    WritableByteChannel channel = Channels.newChannel(new ByteArrayOutputStream());
    FormatOptions semicolonNullKey = FormatOptions.defaults().withCsvNullKey(";");
    for (MilvusIO.Sink s : List.of(base.withCsvNullKey(";").withCsvSeparator(';'),
        base.withCsvSeparator(';').withCsvNullKey(";"),
        base.withFormatOptions(semicolonNullKey).withCsvSeparator(';'),
        base.withCsvSeparator(';').withFormatOptions(semicolonNullKey))) {
      for (IllegalArgumentException e : List.of(
          assertThrows(IllegalArgumentException.class, s::formatOptions),
          assertThrows(IllegalArgumentException.class, () -> s.open(channel)))) {
        assertTrue(e.getMessage().startsWith("MilvusIO.sink: ")
            && e.getMessage().contains("null key") && e.getMessage().contains("separator"),
            e.getMessage());
      }
    }
    PCollection<String> in = p.apply(Create.of("{}"));
    for (MilvusIO.Validate<String> v : List.of(
        MilvusIO.validateJson(schema).withCsvNullKey(";").withCsvSeparator(';'),
        MilvusIO.validateJson(schema).withCsvSeparator(';').withCsvNullKey(";"))) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> in.apply(v));
      assertTrue(e.getMessage().startsWith("MilvusIO.validate: ")
          && e.getMessage().contains("null key"), e.getMessage());
    }
    // each setting's own rule still fails where it is set
    assertThrows(IllegalArgumentException.class, () -> base.withCsvSeparator('"'));
    assertThrows(IllegalArgumentException.class, () -> base.withCsvNullKey("a\nb"));
    p.enableAbandonedNodeEnforcement(false);
  }

  @Test
  void flushFinishesTheFileAndLeavesTheChannelToItsOwner() throws Exception {
    CollectionSchema schema = smallSchema();
    ValidRow row = new RowValidator(schema)
        .validateJson("{\"id\":7,\"vector\":[1,2,3,4],\"name\":null}").row();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    WritableByteChannel channel = Channels.newChannel(bytes);
    MilvusIO.Sink sink = MilvusIO.sink(schema, FileType.JSON);
    sink.open(channel);
    sink.write(row);
    sink.write(row);
    sink.flush();
    assertTrue(channel.isOpen(), "FileIO closes the channel itself");
    JsonNode file = ConformanceChecker.JSON.readTree(bytes.toString(StandardCharsets.UTF_8));
    assertEquals(2, file.get("rows").size(), bytes.toString(StandardCharsets.UTF_8));
    assertEquals(7, file.get("rows").get(1).get("id").asLong());
    assertTrue(file.get("rows").get(1).get("name").isNull());
    assertThrows(IllegalStateException.class, () -> sink.write(row), "written after flush");
  }
}
