package dev.milvusbeam.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.milvusbeam.core.format.FileType;
import dev.milvusbeam.core.row.ValidationResult;
import dev.milvusbeam.core.schema.CollectionSchema;
import dev.milvusbeam.core.schema.SchemaException;
import dev.milvusbeam.core.schema.SchemaJson;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Text (Milvus 3.0) and nullable vectors (Milvus 2.6.18), judged by the independent checker: the
 * public {@code struct-types} fixture without its struct arrays (the schema's {@code structFields}
 * removed, their keys taken out of every row), so that the checker decides by FORMAT.md which
 * rows are valid. Every format that can carry the schema is written with {@link LocalBulkWriter};
 * NumPy refuses it before any row.
 */
class NewTypesConformanceTest {
  @TempDir static Path fixture;
  @TempDir Path out;
  private static CollectionSchema schema;
  private static List<String> rows;

  @BeforeAll
  static void deriveFixture() throws Exception {
    Path source = ConformanceChecker.fixture("struct-types");
    ObjectNode s = (ObjectNode) ConformanceChecker.JSON.readTree(
        source.resolve("schema.json").toFile());
    Set<String> structs = new HashSet<>();
    for (JsonNode st : s.path("structFields")) {
      structs.add(st.get("fieldName").asText());
    }
    assertFalse(structs.isEmpty(), "the fixture has struct arrays to take out");
    s.remove("structFields");
    Files.writeString(fixture.resolve("schema.json"), s.toString());
    rows = new ArrayList<>();
    try (Stream<String> lines = Files.lines(source.resolve("rows.jsonl"))) {
      for (String line : (Iterable<String>) lines::iterator) {
        if (line.isBlank()) {
          continue;
        }
        JsonNode row;
        try {
          row = ConformanceChecker.JSON.readTree(line);
        } catch (Exception notJson) {
          rows.add(line); // rejected as it is
          continue;
        }
        if (row instanceof ObjectNode) {
          Iterator<String> keys = row.fieldNames();
          while (keys.hasNext()) {
            String k = keys.next();
            int bracket = k.indexOf('[');
            if (structs.contains(bracket < 0 ? k : k.substring(0, bracket))) {
              keys.remove();
            }
          }
        }
        // escaped: a lone surrogate of the input (a row to reject) stays an escape
        rows.add(ConformanceChecker.JSON.writer()
            .with(com.fasterxml.jackson.core.json.JsonWriteFeature.ESCAPE_NON_ASCII)
            .writeValueAsString(row));
      }
    }
    Files.write(fixture.resolve("rows.jsonl"), rows);
    schema = SchemaJson.read(fixture.resolve("schema.json"));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"parquet", "json", "jsonl", "csv"})
  void textAndNullableVectorsPassTheChecker(String fileType) throws Exception {
    int rejected = 0;
    String dataPath;
    try (LocalBulkWriter w = LocalBulkWriter.builder(schema, out.toString())
        .fileType(FileType.fromName(fileType)).segmentSize(64 * 1024).build()) {
      for (String line : rows) {
        ValidationResult r = w.getValidator().validateJson(line);
        if (r.isValid()) {
          w.append(r.row());
        } else {
          rejected++;
        }
      }
      w.commit();
      dataPath = w.getDataPath();
    }
    assertTrue(rejected > 0 && rejected < rows.size() / 2, "rejected " + rejected);
    ConformanceChecker.Result check = ConformanceChecker.exec(List.of(ConformanceChecker.python(),
        ConformanceChecker.shared().resolve("conformance/check.py").toString(),
        "--schema", fixture.resolve("schema.json").toString(),
        "--input", fixture.resolve("rows.jsonl").toString(),
        "--data-path", dataPath, "--file-type", fileType), 300);
    assertEquals(0, check.exit, check.toString());
    assertTrue(check.out.contains("conformance: " + fileType + " rows=" + (rows.size() - rejected)
        + " "), check.out);
  }

  @Test
  void numpyRefusesTheSchemaNamingTheFields() {
    SchemaException e = assertThrows(SchemaException.class, () -> LocalBulkWriter.builder(schema,
        out.toString()).fileType(FileType.NUMPY).build());
    assertTrue(e.getMessage().contains("'f_text'"), e.getMessage());
    assertTrue(e.getMessage().contains("'n_vector'"), e.getMessage());
    assertTrue(e.getMessage().contains("Parquet"), e.getMessage());
  }

  /** The public fixture itself, struct arrays included, with its list of rows to reject. */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"parquet", "json", "jsonl", "csv"})
  void theStructFixturePassesTheChecker(String fileType) throws Exception {
    Path source = ConformanceChecker.fixture("struct-types");
    CollectionSchema full = SchemaJson.read(source.resolve("schema.json"));
    java.util.TreeSet<Integer> rejected = new java.util.TreeSet<>();
    String dataPath;
    List<String> lines = Files.readAllLines(source.resolve("rows.jsonl"));
    try (LocalBulkWriter w = LocalBulkWriter.builder(full, out.toString())
        .fileType(FileType.fromName(fileType)).segmentSize(64 * 1024).build()) {
      for (int i = 0; i < lines.size(); i++) {
        ValidationResult r = w.getValidator().validateJson(lines.get(i));
        if (r.isValid()) {
          w.append(r.row());
        } else {
          rejected.add(i);
        }
      }
      w.commit();
      dataPath = w.getDataPath();
    }
    assertEquals(ConformanceChecker.rejectedLines("struct-types"), rejected);
    ConformanceChecker.Result check = ConformanceChecker.check("struct-types", dataPath, fileType);
    assertEquals(0, check.exit, check.toString());
    // and our own verifier (bulkwriter verify) reads the new columns back without a problem
    dev.milvusbeam.core.format.VerifyReport report = dev.milvusbeam.core.verify.FolderVerifier
        .verify(full, FileType.fromName(fileType), dev.milvusbeam.core.format.FormatOptions
            .defaults(), new dev.milvusbeam.core.verify.LocalDataFolder(Path.of(dataPath)),
            new dev.milvusbeam.core.format.VerifyReport());
    assertEquals(0, report.problems(), report.kept().toString());
    assertEquals(lines.size() - rejected.size(), report.rows());
  }
}
