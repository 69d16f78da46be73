package dev.milvusbeam.pipelines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.milvusbeam.core.format.FileType;
import dev.milvusbeam.core.row.ValidationResult;
import dev.milvusbeam.core.schema.CollectionSchema;
import dev.milvusbeam.core.schema.SchemaJson;
import dev.milvusbeam.io.ConformanceChecker;
import dev.milvusbeam.io.LocalBulkWriter;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code bulkwriter verify}: clean folders pass (this project's output of every fixture in every
 * file type its schema allows, and folders the Java SDK BulkWriter wrote); each kind of damage is
 * reported with its file and field, and the exit code says so.
 */
class VerifyCommandTest {
  @TempDir Path dir;

  static Stream<Arguments> fixtures() {
    return Stream.of(
        Arguments.of("seed", "json", ",", ""),
        Arguments.of("seed", "jsonl", ",", ""),
        Arguments.of("seed", "parquet", ",", ""),
        Arguments.of("seed", "numpy", ",", ""),
        Arguments.of("seed", "csv", ",", ""),
        Arguments.of("seed", "csv", "\t", "NULL"),
        Arguments.of("all-types", "json", ",", ""),
        Arguments.of("all-types", "jsonl", ",", ""),
        Arguments.of("all-types", "parquet", ",", ""),
        Arguments.of("all-types", "csv", ",", ""),
        Arguments.of("all-types", "csv", ";", "\\N"),
        Arguments.of("numpy-types", "numpy", ",", ""),
        Arguments.of("numpy-types", "parquet", ",", ""),
        Arguments.of("numpy-types", "json", ",", ""),
        Arguments.of("numpy-types", "jsonl", ",", ""),
        Arguments.of("numpy-types", "csv", ",", ""));
  }

  @ParameterizedTest(name = "{0} as {1} (sep {2}, null key {3})")
  @MethodSource("fixtures")
  void ourOutputOfEveryFixturePasses(String fixture, String fileType, String sep, String nullKey)
      throws Exception {
    Path fx = Conformance.fixture(fixture);
    Written w = write(SchemaJson.read(fx.resolve("schema.json")), fx.resolve("rows.jsonl"),
        fileType, sep, nullKey, 24 << 10);
    assertTrue(w.segments > 1, "several segments: " + w.segments);
    ConformanceChecker.Result r = verify(fx.resolve("schema.json"), w.dataPath, fileType,
        "--sep=" + sep, "--nullKey=" + nullKey);
    assertEquals(0, r.exit, r.toString());
    JsonNode s = summary(r);
    assertEquals("verify", s.get("command").asText());
    assertEquals(w.rows, s.get("rows").asLong(), r.toString());
    assertEquals(w.segments, s.get("segments").asInt(), r.toString());
    assertEquals(0, s.get("problems").asLong(), r.toString());
    assertEquals(0, s.get("warnings").asLong(), r.toString());
    assertEquals(fileType, s.get("fileType").asText());
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"json", "jsonl", "parquet", "numpy", "csv"})
  void aTruncatedFileIsReported(String fileType) throws Exception {
    Path fx = Conformance.fixture("seed");
    Written w = write(SchemaJson.read(fx.resolve("schema.json")), fx.resolve("rows.jsonl"),
        fileType, ",", "", 128L << 20);
    String file = fileType.equals("numpy") ? "1/vector.npy" : "1." + FileType.fromName(fileType)
        .extension();
    Path p = w.dataPath.resolve(file);
    byte[] bytes = Files.readAllBytes(p);
    int cut = bytes.length / 2;
    while (bytes[cut - 1] == '\n') {
      cut--;
    }
    Files.write(p, java.util.Arrays.copyOf(bytes, cut));

    ConformanceChecker.Result r = verify(fx.resolve("schema.json"), w.dataPath, fileType);
    assertEquals(1, r.exit, r.toString());
    String expected = "problem [truncated] " + file
        + (fileType.equals("numpy") ? " field 'vector'" : "");
    assertTrue(r.out.contains(expected), expected + "\n" + r);
    assertTrue(summary(r).get("problemCounts").get("truncated").asLong() >= 1, r.toString());
  }

  @Test
  void aWrongNumpyDtypeIsReported() throws Exception {
    Path fx = Conformance.fixture("numpy-types");
    Written w = write(SchemaJson.read(fx.resolve("schema.json")), fx.resolve("rows.jsonl"),
        "numpy", ",", "", 128L << 20);
    Path int32 = w.dataPath.resolve("1/f_int32.npy");
    long rows = npyRows(int32);
    writeNpy(int32, "<i8", rows, new byte[(int) rows * 8]); // widened: Milvus wants <i4 exactly

    ConformanceChecker.Result r = verify(fx.resolve("schema.json"), w.dataPath, "numpy");
    assertEquals(1, r.exit, r.toString());
    assertTrue(r.out.contains("problem [npy-dtype] 1/f_int32.npy field 'f_int32': dtype '<i8'"),
        r.toString());
    assertTrue(r.out.contains("'<i4'"), r.toString());
    assertEquals(1, summary(r).get("problems").asLong(), r.toString());
  }

  @Test
  void aMissingNpyFileIsReported() throws Exception {
    Path fx = Conformance.fixture("seed");
    Written w = write(SchemaJson.read(fx.resolve("schema.json")), fx.resolve("rows.jsonl"),
        "numpy", ",", "", 128L << 20);
    Files.delete(w.dataPath.resolve("1/scalar_2.npy"));

    ConformanceChecker.Result r = verify(fx.resolve("schema.json"), w.dataPath, "numpy");
    assertEquals(1, r.exit, r.toString());
    assertTrue(r.out.contains("problem [npy-missing] 1/scalar_2.npy field 'scalar_2'"),
        r.toString());
    assertEquals(1, summary(r).get("problems").asLong(), r.toString());
  }

  @Test
  void aRowCountMismatchInsideASegmentIsReported() throws Exception {
    Path fx = Conformance.fixture("seed");
    Written w = write(SchemaJson.read(fx.resolve("schema.json")), fx.resolve("rows.jsonl"),
        "numpy", ",", "", 128L << 20);
    Path scalar = w.dataPath.resolve("1/scalar_2.npy");
    long rows = npyRows(scalar);
    writeNpy(scalar, "<i8", rows - 1, new byte[(int) (rows - 1) * 8]); // a valid file, one row short

    ConformanceChecker.Result r = verify(fx.resolve("schema.json"), w.dataPath, "numpy");
    assertEquals(1, r.exit, r.toString());
    assertTrue(r.out.contains("problem [npy-rows] 1/scalar_2.npy field 'scalar_2': holds "
        + (rows - 1) + " rows"), r.toString());
    assertEquals(1, summary(r).get("problems").asLong(), r.toString());
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"parquet", "numpy"})
  void aStrayDataFileIsReported(String fileType) throws Exception {
    Path fx = Conformance.fixture("seed");
    Written w = write(SchemaJson.read(fx.resolve("schema.json")), fx.resolve("rows.jsonl"),
        fileType, ",", "", 128L << 20);
    Files.writeString(w.dataPath.resolve("manifest.json"), "{\"rows\":[]}");
    Files.writeString(w.dataPath.resolve("_SUCCESS"), "");

    ConformanceChecker.Result r = verify(fx.resolve("schema.json"), w.dataPath, fileType);
    assertEquals(1, r.exit, r.toString());
    assertTrue(r.out.contains("problem [layout-stray-data] manifest.json"), r.toString());
    assertTrue(r.out.contains("warning [layout-stray] _SUCCESS"), r.toString());
    JsonNode s = summary(r);
    assertEquals(1, s.get("problems").asLong(), r.toString());
    assertEquals(1, s.get("warnings").asLong(), r.toString());
  }

  @Test
  void aStrayNpyFileInASegmentFolderIsReported() throws Exception {
    Path fx = Conformance.fixture("seed");
    Written w = write(SchemaJson.read(fx.resolve("schema.json")), fx.resolve("rows.jsonl"),
        "numpy", ",", "", 128L << 20);
    Files.copy(w.dataPath.resolve("1/id.npy"), w.dataPath.resolve("1/id_copy.npy"));

    ConformanceChecker.Result r = verify(fx.resolve("schema.json"), w.dataPath, "numpy");
    assertEquals(1, r.exit, r.toString());
    assertTrue(r.out.contains("problem [layout-stray-data] 1/id_copy.npy"), r.toString());
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"json", "jsonl", "parquet", "numpy", "csv"})
  void anOverLongVarCharIsReported(String fileType) throws Exception {
    String schema = "{\"autoID\":false,\"enableDynamicField\":false,\"fields\":["
        + "{\"fieldName\":\"id\",\"dataType\":\"Int64\",\"isPrimary\":true},"
        + "{\"fieldName\":\"vector\",\"dataType\":\"FloatVector\",\"elementTypeParams\":{\"dim\":4}},"
        + "{\"fieldName\":\"title\",\"dataType\":\"VarChar\",\"elementTypeParams\":{\"max_length\":%d}}]}";
    Path rows = dir.resolve("rows.jsonl");
    Files.writeString(rows, "{\"id\":1,\"vector\":[1,2,3,4],\"title\":\"abc\"}\n"
        + "{\"id\":2,\"vector\":[1,2,3,4],\"title\":\"ééééé\"}\n"
        + "{\"id\":3,\"vector\":[1,2,3,4],\"title\":\"12345678\"}\n");
    Written w = write(SchemaJson.parse(String.format(schema, 64)), rows, fileType, ",", "",
        128L << 20);
    Path strict = dir.resolve("strict.json");
    Files.writeString(strict, String.format(schema, 8)); // "ééééé" is 5 characters, 10 bytes

    ConformanceChecker.Result r = verify(strict, w.dataPath, fileType);
    assertEquals(1, r.exit, r.toString());
    String file = fileType.equals("numpy") ? "1/title.npy" : "1." + FileType.fromName(fileType)
        .extension();
    assertTrue(r.out.contains("problem [varchar-length] " + file + " row 2"), r.toString());
    assertTrue(r.out.contains("field 'title': UTF-8 length 10 bytes > max_length 8"), r.toString());
    assertEquals(1, summary(r).get("problems").asLong(), "only row 2: " + r);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"parquet", "json", "csv"})
  void foldersOfTheJavaSdkBulkWriterPass(String fileType) throws Exception {
    // written by io.milvus:milvus-sdk-java-bulkwriter:2.5.5 (see Gen.java.txt beside them): JSON
    // as a bare list with $meta and JSON fields as text, every CSV cell quoted, keys and columns
    // in its own order, and a .crc sidecar beside the Parquet file
    Path sdk = Path.of(getClass().getResource("/java-sdk-2.5.5/schema.json").toURI()).getParent();
    Path dataPath;
    try (Stream<Path> s = Files.list(sdk.resolve(fileType))) {
      dataPath = s.findFirst().orElseThrow();
    }
    ConformanceChecker.Result r = verify(sdk.resolve("schema.json"), dataPath, fileType);
    assertEquals(0, r.exit, r.toString());
    JsonNode s = summary(r);
    assertEquals(20, s.get("rows").asLong(), r.toString());
    assertEquals(1, s.get("segments").asInt(), r.toString());
    assertEquals(0, s.get("problems").asLong(), r.toString());
    if (fileType.equals("parquet")) {
      assertTrue(r.out.contains("warning [layout-stray] .1.parquet.crc"), r.toString());
    }
  }

  @Test
  void aDecimalInAnIntegerFieldOfAJsonFileIsReported() throws Exception {
    Path fx = Conformance.fixture("seed");
    Path data = dir.resolve("data");
    Files.createDirectories(data);
    Files.writeString(data.resolve("1.json"), "{\"rows\":[{\"id\":1.0,\"vector\":"
        + vector(64) + ",\"scalar_1\":\"a\",\"scalar_2\":2,\"$meta\":{}}]}");
    ConformanceChecker.Result r = verify(fx.resolve("schema.json"), data, "json");
    assertEquals(1, r.exit, r.toString());
    assertTrue(r.out.contains("problem [wrong-type] 1.json row 1 (line 1) field 'id'"), r.toString());
  }

  @Test
  void usageErrorsExitTwo() throws Exception {
    Path schema = Conformance.fixture("seed").resolve("schema.json");
    ConformanceChecker.Result noPath = Conformance.cli("verify", "--schema=" + schema,
        "--fileType=parquet");
    assertEquals(2, noPath.exit, noPath.toString());
    ConformanceChecker.Result missing = Conformance.cli("verify", "--schema=" + schema,
        "--dataPath=" + dir.resolve("nope"), "--fileType=parquet");
    assertEquals(2, missing.exit, missing.toString());
    assertTrue(missing.err.contains("holds no file"), missing.toString());
    Files.writeString(dir.resolve("1.parquet"), "x");
    ConformanceChecker.Result badType = Conformance.cli("verify", "--schema=" + schema,
        "--dataPath=" + dir, "--fileType=xml");
    assertEquals(2, badType.exit, badType.toString());
    assertEquals("", badType.out);
  }

  // --- helpers

  private static final class Written {
    Path dataPath;
    long rows;
    int segments;
  }

  /** Writes the valid lines of a JSON Lines file with the LocalBulkWriter. */
  private Written write(CollectionSchema schema, Path rows, String fileType, String sep,
      String nullKey, long segmentSize) throws IOException {
    Written w = new Written();
    try (LocalBulkWriter writer = LocalBulkWriter.builder(schema, dir.resolve("out").toString())
        .fileType(FileType.fromName(fileType)).segmentSize(segmentSize)
        .csvSeparator(Flags.separator("sep", sep)).csvNullKey(nullKey).build()) {
      for (String line : Files.readAllLines(rows, StandardCharsets.UTF_8)) {
        if (line.isBlank()) {
          continue;
        }
        ValidationResult v = writer.getValidator().validateJson(line);
        if (v.isValid()) {
          writer.append(v.row());
          w.rows++;
        }
      }
      writer.commit();
      w.dataPath = Path.of(writer.getDataPath());
      w.segments = writer.getBatchFiles().size();
    }
    return w;
  }

  private static ConformanceChecker.Result verify(Path schema, Path dataPath, String fileType,
      String... extra) {
    List<String> args = new ArrayList<>(List.of("verify", "--schema=" + schema,
        "--dataPath=" + dataPath, "--fileType=" + fileType));
    args.addAll(List.of(extra));
    return Conformance.cli(args.toArray(new String[0]));
  }

  private static JsonNode summary(ConformanceChecker.Result r) throws IOException {
    JsonNode s = Conformance.JSON.readTree(r.lastLine());
    assertFalse(s.isMissingNode(), r.toString());
    return s;
  }

  /** N from a .npy header written by numpy's rules. */
  private static long npyRows(Path npy) throws IOException {
    byte[] b = Files.readAllBytes(npy);
    String header = new String(b, 10, (b[8] & 0xff) | (b[9] & 0xff) << 8, StandardCharsets.ISO_8859_1);
    String shape = header.substring(header.indexOf("'shape': (") + 10);
    return Long.parseLong(shape.substring(0, shape.indexOf(',')));
  }

  /** A 1-D .npy file (format 1.0, header padded to 64 bytes) holding {@code data}. */
  private static void writeNpy(Path npy, String descr, long rows, byte[] data) throws IOException {
    StringBuilder dict = new StringBuilder("{'descr': '" + descr + "', 'fortran_order': False,"
        + " 'shape': (" + rows + ",), }");
    while ((10 + dict.length() + 1) % 64 != 0) {
      dict.append(' ');
    }
    dict.append('\n');
    ByteBuffer b = ByteBuffer.allocate(10 + dict.length() + data.length).order(ByteOrder.LITTLE_ENDIAN);
    b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0});
    b.putShort((short) dict.length());
    b.put(dict.toString().getBytes(StandardCharsets.ISO_8859_1));
    b.put(data);
    Files.write(npy, b.array());
  }

  private static String vector(int dim) {
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < dim; i++) {
      sb.append(i == 0 ? "" : ",").append("0.5");
    }
    return sb.append(']').toString();
  }

}
