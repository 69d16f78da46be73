package dev.milvusbeam.io;

import static dev.milvusbeam.core.schema.FieldParam.dim;
import static dev.milvusbeam.core.schema.FieldParam.elementType;
import static dev.milvusbeam.core.schema.FieldParam.isPrimary;
import static dev.milvusbeam.core.schema.FieldParam.maxCapacity;
import static dev.milvusbeam.core.schema.FieldParam.maxLength;
import static dev.milvusbeam.core.schema.FieldParam.nullable;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.milvusbeam.core.format.FileType;
import dev.milvusbeam.core.format.FormatOptions;
import dev.milvusbeam.core.row.RowRejectedException;
import dev.milvusbeam.core.row.Violation;
import dev.milvusbeam.core.schema.CollectionSchema;
import dev.milvusbeam.core.schema.DataType;
import dev.milvusbeam.core.schema.SchemaException;
import dev.milvusbeam.core.writer.Segment;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.io.LocalInputFile;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The seed page's {@code LocalBulkWriter}, on a local folder, in every file type. */
class LocalBulkWriterTest {
  private static final int DIM = 64;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern NPY_SHAPE = Pattern.compile("'shape': \\((\\d+),");

  @TempDir Path tmp;
  private Path out;
  private String localPath;
  private FormatOptions options;

  @BeforeEach
  void setUp() throws IOException {
    out = tmp.resolve("out");
    localPath = out.toString();
    options = FormatOptions.defaults()
        .withTempDirectory(Files.createDirectories(tmp.resolve("spool")));
  }

  /** The seed page's schema (dim 64 instead of 768, for speed). */
  static CollectionSchema seedSchema() {
    return CollectionSchema.createSchema(false, true)
        .addField("id", DataType.INT64, isPrimary())
        .addField("vector", DataType.FLOAT_VECTOR, dim(DIM))
        .addField("scalar_1", DataType.VARCHAR, maxLength(512))
        .addField("scalar_2", DataType.INT64)
        .build();
  }

  static Map<String, Object> seedRow(long id, Random rnd) {
    List<Double> vector = new ArrayList<>(DIM);
    for (int i = 0; i < DIM; i++) {
      vector.add(rnd.nextDouble() * 2 - 1);
    }
    Map<String, Object> row = new HashMap<>();
    row.put("id", id);
    row.put("vector", vector);
    row.put("scalar_1", "str-" + id + "-" + "abc".repeat(rnd.nextInt(7)));
    row.put("scalar_2", (long) rnd.nextInt(100));
    row.put("dynamic_field_1", rnd.nextBoolean());
    row.put("dynamic_field_2", rnd.nextInt(100));
    return row;
  }

  private LocalBulkWriter writer(FileType type, long segmentSize) {
    return LocalBulkWriter.builder(seedSchema(), localPath).segmentSize(segmentSize).fileType(type)
        .formatOptions(options).build();
  }

  static List<String> listFiles(Path root) throws IOException {
    if (!Files.exists(root)) {
      return List.of();
    }
    try (Stream<Path> s = Files.walk(root)) {
      return s.filter(Files::isRegularFile).map(Path::toString).sorted()
          .collect(Collectors.toList());
    }
  }

  static List<String> children(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
    }
  }

  /** The uuid folder name of a data path, checked to be {@code localPath + "/" + uuid}. */
  private String uuidOf(String dataPath) {
    assertTrue(dataPath.startsWith(localPath + "/"), dataPath);
    String uuid = dataPath.substring(localPath.length() + 1);
    assertEquals(uuid, UUID.fromString(uuid).toString(), "the data folder is a UUID");
    return uuid;
  }

  private static List<String> flatten(List<List<String>> groups) {
    return groups.stream().flatMap(List::stream).sorted().collect(Collectors.toList());
  }

  /** Ids of the rows of one file group, read with an independent reader. */
  static List<Long> readIds(FileType type, List<String> group) throws IOException {
    List<Long> ids = new ArrayList<>();
    Path f = Path.of(group.get(0));
    switch (type) {
      case JSON: {
        JsonNode root = JSON.readTree(f.toFile());
        assertEquals(1, root.size(), "only 'rows'");
        for (JsonNode r : root.get("rows")) {
          ids.add(r.get("id").longValue());
          assertTrue(r.get("$meta").isObject());
        }
        break;
      }
      case JSONL:
        for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
          ids.add(JSON.readTree(line).get("id").longValue());
        }
        break;
      case CSV: {
        List<String> lines = Files.readAllLines(f, StandardCharsets.UTF_8);
        assertEquals("id,vector,scalar_1,scalar_2,$meta", lines.get(0));
        for (String line : lines.subList(1, lines.size())) {
          ids.add(Long.parseLong(line.substring(0, line.indexOf(','))));
        }
        break;
      }
      case PARQUET:
        try (ParquetFileReader r = ParquetFileReader.open(new LocalInputFile(f))) {
          long n = 0;
          for (BlockMetaData b : r.getFooter().getBlocks()) {
            n += b.getRowCount();
          }
          for (long i = 0; i < n; i++) {
            ids.add(null); // count only
          }
        }
        break;
      case NUMPY: {
        Path idFile = group.stream().map(Path::of)
            .filter(p -> p.getFileName().toString().equals("id.npy")).findFirst().orElseThrow();
        long rows = -1;
        for (String file : group) {
          long n = npyRows(Path.of(file));
          if (rows >= 0) {
            assertEquals(rows, n, "every .npy of a group has the same row count");
          }
          rows = n;
        }
        try (InputStream in = Files.newInputStream(idFile)) {
          byte[] all = in.readAllBytes();
          int len = ByteBuffer.wrap(all, 8, 2).order(ByteOrder.LITTLE_ENDIAN).getShort() & 0xffff;
          ByteBuffer data = ByteBuffer.wrap(all, 10 + len, all.length - 10 - len)
              .order(ByteOrder.LITTLE_ENDIAN);
          for (long i = 0; i < rows; i++) {
            ids.add(data.getLong());
          }
        }
        break;
      }
      default:
        throw new AssertionError(type);
    }
    return ids;
  }

  static long npyRows(Path f) throws IOException {
    try (InputStream in = Files.newInputStream(f)) {
      byte[] head = in.readNBytes(10);
      int len = ByteBuffer.wrap(head, 8, 2).order(ByteOrder.LITTLE_ENDIAN).getShort() & 0xffff;
      String dict = new String(in.readNBytes(len), StandardCharsets.ISO_8859_1);
      Matcher m = NPY_SHAPE.matcher(dict);
      assertTrue(m.find(), dict);
      return Long.parseLong(m.group(1));
    }
  }

  private static long rowCount(FileType type, List<List<String>> groups) throws IOException {
    long n = 0;
    for (List<String> g : groups) {
      n += readIds(type, g).size();
    }
    return n;
  }

  // ------------------------------------------------------------------------- the seed example

  @ParameterizedTest
  @EnumSource(FileType.class)
  void seedExampleWritesOneSegmentPerCommit(FileType type) throws IOException {
    Random rnd = new Random(1);
    String dataPath;
    List<List<String>> batch;
    try (LocalBulkWriter w = writer(type, 128L << 20)) {
      for (int i = 0; i < 200; i++) {
        w.appendRow(seedRow(i, rnd));
      }
      w.commit();
      dataPath = w.getDataPath();
      String uuid = uuidOf(dataPath);
      Path data = out.resolve(uuid);
      assertTrue(Files.isDirectory(data), "the data folder exists after commit");
      batch = w.getBatchFiles();
      assertEquals(1, batch.size(), batch.toString());
      List<String> expected;
      if (type == FileType.NUMPY) {
        expected = List.of("$meta.npy", "id.npy", "scalar_1.npy", "scalar_2.npy", "vector.npy")
            .stream().map(n -> dataPath + "/1/" + n).sorted().collect(Collectors.toList());
        assertEquals(List.of("1"), children(data));
        assertTrue(Files.isDirectory(data.resolve("1")));
      } else {
        expected = List.of(dataPath + "/1." + type.extension());
        assertEquals(List.of("1." + type.extension()), children(data));
      }
      assertEquals(expected, flatten(batch));
      assertEquals(expected, listFiles(data), "batch files match the files on disk");
      assertEquals(200, w.getTotalRowCount());
      List<Segment> segs = w.getSegments();
      assertEquals(1, segs.size());
      assertEquals(200, segs.get(0).rows());
    }
    // after close: the same files, nothing else beside the data folder (no staging folder)
    String uuid = uuidOf(dataPath);
    assertEquals(List.of(uuid, uuid + ".manifest.json"), children(out),
        "only the data folder and its manifest are left in the output");
    assertEquals(flatten(batch), listFiles(out.resolve(uuid)));
    assertEquals(List.of(), listFiles(tmp.resolve("spool")), "no spool file left");
    List<Long> ids = readIds(type, batch.get(0));
    assertEquals(200, ids.size());
    if (type != FileType.PARQUET) {
      for (int i = 0; i < 200; i++) {
        assertEquals((long) i, ids.get(i));
      }
    }
  }

  @Test
  void csvSeparatorAndNullKeyAreCheckedTogetherAtBuildInEitherOrder() {
    for (java.util.function.Supplier<LocalBulkWriter> build : List.<java.util.function.Supplier<
        LocalBulkWriter>>of(
        () -> LocalBulkWriter.builder(seedSchema(), localPath).fileType(FileType.CSV)
            .csvNullKey(";").csvSeparator(';').build(),
        () -> LocalBulkWriter.builder(seedSchema(), localPath).fileType(FileType.CSV)
            .csvSeparator(';').csvNullKey(";").build())) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, build::get);
      assertTrue(e.getMessage().contains("separator"), e.getMessage());
    }
  }

  @Test
  void seedRowsReadBackWithTheirValuesInJson() throws IOException {
    Random rnd = new Random(2);
    List<Map<String, Object>> inputs = new ArrayList<>();
    List<List<String>> batch;
    try (LocalBulkWriter w = new LocalBulkWriter(seedSchema(), localPath, 128L << 20,
        FileType.JSON)) {
      for (int i = 0; i < 20; i++) {
        Map<String, Object> r = seedRow(i, rnd);
        inputs.add(r);
        w.appendRow(r);
      }
      w.commit();
      batch = w.getBatchFiles();
    }
    JsonNode rows = JSON.readTree(Path.of(batch.get(0).get(0)).toFile()).get("rows");
    assertEquals(20, rows.size());
    for (int i = 0; i < 20; i++) {
      JsonNode r = rows.get(i);
      Map<String, Object> in = inputs.get(i);
      List<String> keys = new ArrayList<>();
      r.fieldNames().forEachRemaining(keys::add);
      assertEquals(List.of("id", "vector", "scalar_1", "scalar_2", "$meta"), keys);
      assertEquals(in.get("id"), r.get("id").longValue());
      assertEquals(in.get("scalar_1"), r.get("scalar_1").textValue());
      assertEquals(in.get("scalar_2"), r.get("scalar_2").longValue());
      @SuppressWarnings("unchecked")
      List<Double> vec = (List<Double>) in.get("vector");
      for (int k = 0; k < DIM; k++) {
        assertEquals(vec.get(k).floatValue(), Float.parseFloat(r.get("vector").get(k).asText()));
      }
      assertEquals(in.get("dynamic_field_1"), r.get("$meta").get("dynamic_field_1").booleanValue());
      assertEquals(in.get("dynamic_field_2"), r.get("$meta").get("dynamic_field_2").intValue());
      assertEquals(2, r.get("$meta").size());
    }
  }

  @Test
  void dataPathHasNoDoubleSlashWhenTheLocalPathEndsWithOne() {
    try (LocalBulkWriter w = LocalBulkWriter.builder(seedSchema(), localPath + "/")
        .fileType(FileType.JSON).build()) {
      uuidOf(w.getDataPath());
    }
  }

  @Test
  void everyWriterGetsItsOwnUuid() {
    try (LocalBulkWriter a = writer(FileType.JSON, 1 << 20);
        LocalBulkWriter b = writer(FileType.JSON, 1 << 20)) {
      assertFalse(a.getDataPath().equals(b.getDataPath()));
    }
  }

  // ------------------------------------------------------------------------- close commits

  @ParameterizedTest
  @EnumSource(FileType.class)
  void closeCommitsPendingRows(FileType type) throws IOException {
    Random rnd = new Random(3);
    LocalBulkWriter w = writer(type, 128L << 20);
    for (int i = 0; i < 37; i++) {
      w.appendRow(seedRow(i, rnd));
    }
    assertEquals(List.of(), w.getBatchFiles(), "nothing committed yet");
    w.close();
    List<List<String>> batch = w.getBatchFiles();
    assertEquals(1, batch.size());
    assertEquals(37, rowCount(type, batch));
    String uuid = uuidOf(w.getDataPath());
    assertEquals(List.of(uuid, uuid + ".manifest.json"), children(out));
    assertEquals(flatten(batch), listFiles(out.resolve(uuid)));
    w.close(); // closing twice is harmless
    assertThrows(IllegalStateException.class, () -> w.appendRow(seedRow(99, rnd)),
        "a closed writer refuses rows");
  }

  @Test
  void closeWithoutRowsCreatesNothing() throws IOException {
    LocalBulkWriter w = writer(FileType.PARQUET, 1 << 20);
    w.commit();
    w.commit();
    w.close();
    assertEquals(List.of(), w.getBatchFiles());
    assertEquals(List.of(), listFiles(out), "no file anywhere in the output");
    assertFalse(Files.exists(Path.of(w.getDataPath())) && !children(Path.of(w.getDataPath()))
        .isEmpty());
    assertTrue(children(out).stream().noneMatch(n -> n.contains("staging")), children(out)
        .toString());
  }

  // ------------------------------------------------------------------------- commit

  @Test
  void commitTwiceOrWithoutRowsIsHarmless() throws IOException {
    Random rnd = new Random(4);
    try (LocalBulkWriter w = writer(FileType.JSONL, 128L << 20)) {
      w.commit(); // nothing yet
      assertEquals(List.of(), w.getBatchFiles());
      for (int i = 0; i < 5; i++) {
        w.appendRow(seedRow(i, rnd));
      }
      w.commit();
      w.commit();
      w.commit();
      assertEquals(List.of(List.of(w.getDataPath() + "/1.jsonl")), w.getBatchFiles());
      for (int i = 5; i < 8; i++) {
        w.appendRow(seedRow(i, rnd));
      }
      w.commit();
      w.commit();
      assertEquals(List.of(List.of(w.getDataPath() + "/1.jsonl"),
          List.of(w.getDataPath() + "/2.jsonl")), w.getBatchFiles());
      assertEquals(5, rowCount(FileType.JSONL, w.getBatchFiles().subList(0, 1)));
      assertEquals(3, rowCount(FileType.JSONL, w.getBatchFiles().subList(1, 2)));
      assertEquals(flatten(w.getBatchFiles()), listFiles(Path.of(w.getDataPath())));
    }
  }

  // ------------------------------------------------------------------------- invalid rows

  @Test
  void invalidRowIsRejectedWithTheFieldNamedAndTheWriterGoesOn() throws IOException {
    Random rnd = new Random(5);
    try (LocalBulkWriter w = writer(FileType.JSON, 128L << 20)) {
      w.appendRow(seedRow(1, rnd));

      Map<String, Object> badInt = seedRow(2, rnd);
      badInt.put("scalar_2", "not a number");
      RowRejectedException e = assertThrows(RowRejectedException.class, () -> w.appendRow(badInt));
      assertTrue(e.violations().stream().anyMatch(v -> "scalar_2".equals(v.field())),
          e.violations().toString());
      assertTrue(e.getMessage().contains("scalar_2"), e.getMessage());

      Map<String, Object> badDim = seedRow(3, rnd);
      badDim.put("vector", List.of(1.0, 2.0));
      e = assertThrows(RowRejectedException.class, () -> w.appendRow(badDim));
      assertEquals(List.of("vector"), e.violations().stream().map(Violation::field)
          .collect(Collectors.toList()));

      Map<String, Object> missing = seedRow(4, rnd);
      missing.remove("scalar_1");
      missing.put("scalar_2", 1.5); // a fraction for an Int64: two violations
      e = assertThrows(RowRejectedException.class, () -> w.appendRow(missing));
      Set<String> fields = e.violations().stream().map(Violation::field)
          .collect(Collectors.toSet());
      assertEquals(Set.of("scalar_1", "scalar_2"), fields);

      Map<String, Object> tooLong = seedRow(5, rnd);
      tooLong.put("scalar_1", "\u00e9".repeat(300)); // 600 UTF-8 bytes > 512
      e = assertThrows(RowRejectedException.class, () -> w.appendRow(tooLong));
      assertEquals("scalar_1", e.violations().get(0).field());

      w.appendRow(seedRow(6, rnd));
      assertEquals(2, w.getTotalRowCount());
      w.commit();
      List<Long> ids = readIds(FileType.JSON, w.getBatchFiles().get(0));
      assertEquals(List.of(1L, 6L), ids);
    }
  }

  // ------------------------------------------------------------------------- manifest

  /**
   * {@code <uuid>.manifest.json} beside the data folder describes every committed segment: the
   * files with their real size and CRC32C (recomputed here from the bytes on disk), batch files,
   * totals, rejected rows, schema and its fingerprint; it is rewritten on each commit.
   */
  @ParameterizedTest
  @EnumSource(FileType.class)
  void manifestBesideTheDataFolderDescribesEverySegment(FileType type) throws IOException {
    Random rnd = new Random(8);
    String dataPath;
    List<List<String>> batch;
    try (LocalBulkWriter w = writer(type, 128L << 20)) {
      for (int i = 0; i < 30; i++) {
        w.appendRow(seedRow(i, rnd));
      }
      Map<String, Object> bad = seedRow(99, rnd);
      bad.put("scalar_2", "x");
      assertThrows(RowRejectedException.class, () -> w.appendRow(bad));
      w.commit();
      dataPath = w.getDataPath();
      JsonNode first = JSON.readTree(Path.of(dataPath + ".manifest.json").toFile());
      assertEquals(1, first.get("segments").size());
      for (int i = 30; i < 50; i++) {
        w.appendRow(seedRow(i, rnd));
      }
      assertThrows(RowRejectedException.class, () -> w.appendRow(bad));
      w.close();
      batch = w.getBatchFiles();
    }
    Path manifestFile = Path.of(dataPath + ".manifest.json");
    assertEquals(out, manifestFile.getParent(), "beside the data folder, not inside it");
    JsonNode m = JSON.readTree(manifestFile.toFile());
    assertEquals(1, m.get("manifestVersion").asInt());
    assertEquals(dataPath, m.get("dataPath").asText());
    assertEquals(type.toString(), m.get("fileType").asText());
    assertEquals(type == FileType.CSV, m.has("csv"), m.toString());
    assertEquals(dev.milvusbeam.core.writer.Manifest.fingerprint(seedSchema()),
        m.get("schemaFingerprint").asText());
    assertTrue(m.get("schemaFingerprint").asText().matches("sha256:[0-9a-f]{64}"));
    assertEquals("id", m.get("schema").get("fields").get(0).get("fieldName").asText());
    assertEquals(50, m.get("rows").asLong());
    assertEquals(2, m.get("rejectedRows").asLong());
    assertEquals(JSON.valueToTree(batch), m.get("batchFiles"));
    assertEquals(2, m.get("segments").size(), "the close committed a second segment");
    long total = 0;
    long rows = 0;
    for (JsonNode seg : m.get("segments")) {
      long segBytes = 0;
      for (JsonNode f : seg.get("files")) {
        byte[] content = Files.readAllBytes(Path.of(f.get("path").asText()));
        assertEquals(content.length, f.get("bytes").asLong(), f.toString());
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(content);
        String expected = java.util.Base64.getEncoder().encodeToString(
            ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
        assertEquals(expected, f.get("crc32c").asText(), f.toString());
        segBytes += content.length;
      }
      assertEquals(segBytes, seg.get("bytes").asLong());
      total += segBytes;
      rows += seg.get("rows").asLong();
    }
    assertEquals(50, rows);
    assertEquals(total, m.get("bytes").asLong());
  }

  @Test
  void schemaFingerprintChangesWithTheSchema() {
    CollectionSchema other = CollectionSchema.createSchema(false, true)
        .addField("id", DataType.INT64, isPrimary())
        .addField("vector", DataType.FLOAT_VECTOR, dim(DIM + 8))
        .addField("scalar_1", DataType.VARCHAR, maxLength(512))
        .addField("scalar_2", DataType.INT64)
        .build();
    String a = dev.milvusbeam.core.writer.Manifest.fingerprint(seedSchema());
    assertEquals(a, dev.milvusbeam.core.writer.Manifest.fingerprint(seedSchema()));
    assertFalse(a.equals(dev.milvusbeam.core.writer.Manifest.fingerprint(other)), a);
  }

  // ------------------------------------------------------------------------- NumPy schema check

  @Test
  void numpyRefusesUnsupportedFieldsAtBuildTime() throws IOException {
    CollectionSchema withArray = CollectionSchema.createSchema(false, true)
        .addField("id", DataType.INT64, isPrimary())
        .addField("vector", DataType.FLOAT_VECTOR, dim(8))
        .addField("tags", DataType.ARRAY, elementType(DataType.VARCHAR), maxCapacity(4),
            maxLength(16))
        .build();
    CollectionSchema withNullable = CollectionSchema.createSchema(false, false)
        .addField("id", DataType.INT64, isPrimary())
        .addField("vector", DataType.FLOAT_VECTOR, dim(8))
        .addField("note", DataType.VARCHAR, maxLength(16), nullable())
        .build();
    CollectionSchema withSparse = CollectionSchema.createSchema(false, false)
        .addField("id", DataType.INT64, isPrimary())
        .addField("sparse_vec", DataType.SPARSE_FLOAT_VECTOR)
        .build();
    Map<CollectionSchema, String> cases = Map.of(withArray, "tags", withNullable, "note",
        withSparse, "sparse_vec");
    for (Map.Entry<CollectionSchema, String> c : cases.entrySet()) {
      SchemaException e = assertThrows(SchemaException.class,
          () -> LocalBulkWriter.builder(c.getKey(), localPath).fileType(FileType.NUMPY).build());
      assertTrue(e.getMessage().contains("'" + c.getValue() + "'"), e.getMessage());
      assertEquals(List.of(), listFiles(out), "no file may exist after a refused schema");
      assertEquals(List.of(), children(out), "no folder either");
      // the same schema is fine in Parquet
      try (LocalBulkWriter ok = LocalBulkWriter.builder(c.getKey(), localPath)
          .fileType(FileType.PARQUET).build()) {
        assertNotNull(ok.getDataPath());
      }
    }
  }

  // ------------------------------------------------------------------------- segment size

  @ParameterizedTest
  @EnumSource(FileType.class)
  void smallSegmentSizeGivesSeveralSegmentsHoldingEveryRow(FileType type) throws IOException {
    Random rnd = new Random(6);
    int n = 600;
    List<List<String>> batch;
    List<Segment> segs;
    long segmentSize = type == FileType.PARQUET ? 40 * 1024 : 24 * 1024;
    LocalBulkWriter w = LocalBulkWriter.builder(seedSchema(), localPath).segmentSize(segmentSize)
        .fileType(type).formatOptions(options.withParquetRowGroupBytes(64 * 1024)).build();
    try (w) {
      for (int i = 0; i < n; i++) {
        w.appendRow(seedRow(i, rnd));
      }
      w.commit();
      batch = w.getBatchFiles();
      segs = w.getSegments();
    }
    assertTrue(batch.size() >= 3, type + ": expected several segments, got " + batch.size());
    assertEquals(segs.size(), batch.size());
    String dataPath = w.getDataPath();
    long sum = 0;
    List<Long> ids = new ArrayList<>();
    for (int k = 0; k < segs.size(); k++) {
      Segment s = segs.get(k);
      assertEquals(k + 1, s.number(), "segments numbered 1..K without gaps");
      List<String> group = batch.get(k);
      for (String f : group) {
        String prefix = dataPath + "/" + (k + 1) + (type == FileType.NUMPY ? "/" : ".");
        assertTrue(f.startsWith(prefix), f);
      }
      List<Long> segIds = readIds(type, group);
      assertEquals(s.rows(), segIds.size(), "rows of segment " + (k + 1));
      sum += segIds.size();
      ids.addAll(segIds);
    }
    assertEquals(n, sum, "the segments hold every appended row");
    if (type != FileType.PARQUET) {
      for (int i = 0; i < n; i++) {
        assertEquals((long) i, ids.get(i), "rows keep their order across segments");
      }
    }
    assertEquals(flatten(batch), listFiles(Path.of(dataPath)),
        "batch files are exactly the files on disk");
    assertEquals(List.of(uuidOf(dataPath), uuidOf(dataPath) + ".manifest.json"), children(out));
  }

  // ------------------------------------------------------------------------- failures

  @Test
  void outputThatIsAFileFailsTheAppendAndTheClose() throws IOException {
    Files.writeString(out, "I am a file, not a folder");
    Random rnd = new Random(7);
    LocalBulkWriter w = writer(FileType.JSON, 1 << 20);
    RuntimeException e = assertThrows(RuntimeException.class, () -> w.appendRow(seedRow(1, rnd)));
    assertFalse(e instanceof RowRejectedException, e.toString());
    // the writer is failed: later calls say so, and close() throws instead of swallowing it
    assertThrows(IllegalStateException.class, () -> w.appendRow(seedRow(2, rnd)));
    assertThrows(IllegalStateException.class, w::commit);
    assertThrows(IllegalStateException.class, w::close);
    assertEquals("I am a file, not a folder", Files.readString(out));
  }

  @Test
  void failureWhileCommittingReachesTheCallerAndCloseThrows() throws IOException {
    Random rnd = new Random(8);
    LocalBulkWriter w = writer(FileType.JSON, 1 << 20);
    w.appendRow(seedRow(1, rnd));
    w.commit();
    Path data = Path.of(w.getDataPath());
    // replace the data folder by a file: moving segment 2 into it must fail
    deleteTree(data);
    Files.writeString(data, "in the way");
    w.appendRow(seedRow(2, rnd));
    assertThrows(RuntimeException.class, w::commit);
    assertThrows(IllegalStateException.class, () -> w.appendRow(seedRow(3, rnd)));
    IllegalStateException closed = assertThrows(IllegalStateException.class, w::close);
    assertNotNull(closed.getCause());
  }

  @Test
  void failedWriterLeavesNoStagingFolderAfterClose() throws IOException {
    Random rnd = new Random(9);
    LocalBulkWriter w = writer(FileType.JSON, 1 << 20);
    w.appendRow(seedRow(1, rnd));
    w.commit();
    Path data = Path.of(w.getDataPath());
    deleteTree(data);
    Files.writeString(data, "in the way");
    w.appendRow(seedRow(2, rnd));
    assertThrows(RuntimeException.class, w::commit);
    assertThrows(IllegalStateException.class, w::close);
    assertEquals(List.of(data.getFileName().toString(), data.getFileName() + ".manifest.json"),
        children(out), "no staging folder may be left beside the data folder");
  }

  @Test
  void deletedStagingFolderFailsTheCommit() throws IOException {
    Random rnd = new Random(10);
    LocalBulkWriter w = writer(FileType.JSON, 1 << 20);
    for (int i = 0; i < 10; i++) {
      w.appendRow(seedRow(i, rnd));
    }
    String uuid = uuidOf(w.getDataPath());
    Path staging = out.resolve("." + uuid + ".staging");
    assertTrue(Files.isDirectory(staging), "segment 1 is staged in " + staging);
    deleteTree(staging);
    RuntimeException e = assertThrows(RuntimeException.class, w::commit,
        "the staged rows are gone: commit must not report success");
    assertNotNull(e);
    assertThrows(IllegalStateException.class, w::close);
  }

  // ------------------------------------------------------------------------- threads

  @ParameterizedTest
  @EnumSource(value = FileType.class, names = {"JSON", "CSV", "NUMPY"})
  void concurrentAppendsLoseNoRow(FileType type) throws Exception {
    int threads = 8;
    int perThread = 250;
    LocalBulkWriter w = writer(type, 48 * 1024);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<?>> futures = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      final int base = t * perThread;
      futures.add(pool.submit(() -> {
        Random rnd = new Random(base);
        start.await();
        for (int i = 0; i < perThread; i++) {
          w.appendRow(seedRow(base + i, rnd));
          if (i % 97 == 0) {
            w.commit();
          }
        }
        return null;
      }));
    }
    start.countDown();
    for (Future<?> f : futures) {
      f.get(60, TimeUnit.SECONDS);
    }
    pool.shutdown();
    assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
    w.close();
    assertEquals((long) threads * perThread, w.getTotalRowCount());
    List<List<String>> batch = w.getBatchFiles();
    assertTrue(batch.size() > 1);
    TreeSet<Long> seen = new TreeSet<>();
    long total = 0;
    for (List<String> g : batch) {
      for (Long id : readIds(type, g)) {
        assertTrue(seen.add(id), "row " + id + " written twice");
        total++;
      }
    }
    assertEquals((long) threads * perThread, total);
    assertEquals(0L, seen.first());
    assertEquals((long) threads * perThread - 1, seen.last());
    assertEquals(flatten(batch), listFiles(Path.of(w.getDataPath())));
    Set<Integer> numbers = new HashSet<>();
    for (Segment s : w.getSegments()) {
      numbers.add(s.number());
    }
    for (int i = 1; i <= batch.size(); i++) {
      assertTrue(numbers.contains(i), "segment " + i + " missing");
    }
  }

  static void deleteTree(Path p) throws IOException {
    if (!Files.exists(p)) {
      return;
    }
    try (Stream<Path> s = Files.walk(p)) {
      for (Path x : s.sorted(Comparator.reverseOrder()).collect(Collectors.toList())) {
        Files.delete(x);
      }
    }
  }
}
