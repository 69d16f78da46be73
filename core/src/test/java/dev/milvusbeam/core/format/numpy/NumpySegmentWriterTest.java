package dev.milvusbeam.core.format.numpy;

import dev.milvusbeam.core.format.FormatOptions;
import dev.milvusbeam.core.format.SegmentWriter;
import dev.milvusbeam.core.format.SegmentOutput;
import dev.milvusbeam.core.format.FileType;
import dev.milvusbeam.core.format.DirectorySegmentOutput;
import dev.milvusbeam.core.row.TestRows;
import static dev.milvusbeam.core.schema.FieldParam.dim;
import static dev.milvusbeam.core.schema.FieldParam.elementType;
import static dev.milvusbeam.core.schema.FieldParam.isPrimary;
import static dev.milvusbeam.core.schema.FieldParam.maxCapacity;
import static dev.milvusbeam.core.schema.FieldParam.maxLength;
import static dev.milvusbeam.core.schema.FieldParam.nullable;
import static dev.milvusbeam.core.schema.FieldParam.typeParam;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.milvusbeam.core.row.HalfFloats;
import dev.milvusbeam.core.row.JsonText;
import dev.milvusbeam.core.row.ValidRow;
import dev.milvusbeam.core.schema.CollectionSchema;
import dev.milvusbeam.core.schema.DataType;
import dev.milvusbeam.core.schema.FieldSchema;
import dev.milvusbeam.core.schema.FunctionSchema;
import dev.milvusbeam.core.schema.SchemaException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NumpySegmentWriterTest {
  private static final Pattern HEADER = Pattern.compile(
      "\\{'descr': '([^']+)', 'fortran_order': False, 'shape': \\((\\d+),(?: (\\d+))?\\), \\} *\\n");
  private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0};

  @TempDir Path tmp;
  private Path data;
  private Path spools;

  @BeforeEach
  void folders() throws IOException {
    data = Files.createDirectories(tmp.resolve("data"));
    spools = Files.createDirectories(tmp.resolve("spool"));
  }

  // ---------------------------------------------------------------- the all-types segment

  /** Every type NumPy can carry, plus the dynamic field. */
  static CollectionSchema allTypes() {
    return CollectionSchema.createSchema(false, true)
        .addField("id", DataType.INT64, isPrimary())
        .addField("flag", DataType.BOOL)
        .addField("i8", DataType.INT8)
        .addField("i16", DataType.INT16)
        .addField("i32", DataType.INT32)
        .addField("f32", DataType.FLOAT)
        .addField("f64", DataType.DOUBLE)
        .addField("name", DataType.VARCHAR, maxLength(256))
        .addField("doc", DataType.JSON)
        .addField("vec", DataType.FLOAT_VECTOR, dim(4))
        .addField("bin", DataType.BINARY_VECTOR, dim(16))
        .addField("half", DataType.FLOAT16_VECTOR, dim(3))
        .addField("bhalf", DataType.BFLOAT16_VECTOR, dim(3))
        .addField("i8vec", DataType.INT8_VECTOR, dim(5))
        .build();
  }

  static final String[] NAMES = {"", "héllo wörld ✓ 日本", "a😀b𝄞"}; // longest: 16 code points
  static final JsonText[] DOCS = {
      new JsonText("{\"a\":[1,2],\"b\":\"ü\"}", true),
      new JsonText("[1,2,3]", false),
      new JsonText("\"text with 😀\"", false)};
  static final JsonText[] METAS = {
      JsonText.EMPTY_OBJECT, new JsonText("{\"x\":1}", true), new JsonText("{\"k\":\"日本😀\"}", true)};
  static final long[] IDS = {1, Long.MAX_VALUE, Long.MIN_VALUE};
  static final boolean[] FLAGS = {true, false, true};
  static final long[] I8 = {-128, 0, 127};
  static final long[] I16 = {-32768, 1, 32767};
  static final long[] I32 = {Integer.MIN_VALUE, 42, Integer.MAX_VALUE};
  static final float[] F32 = {0.1f, -3.4e38f, Float.MIN_VALUE};
  static final double[] F64 = {0.1, -1e300, Double.MIN_VALUE};
  static final float[][] VECS = {{0.1f, -0.2f, 3e-5f, 1e30f}, {0, -0f, 1, 2}, {5, 6, 7, 8}};
  static final byte[][] BINS = {{(byte) 0xff, 0x01}, {0, (byte) 0x80}, {0x55, (byte) 0xaa}};
  static final float[][] HALVES = {{1.5f, -2f, 0.333f}, {65504f, 0, -0.0001f}, {7, 8, 9}};
  static final byte[][] I8VECS = {{-128, -1, 0, 1, 127}, {1, 2, 3, 4, 5}, {0, 0, 0, 0, 0}};

  static List<ValidRow> allTypeRows() {
    List<ValidRow> rows = new ArrayList<>();
    for (int r = 0; r < 3; r++) {
      rows.add(TestRows.of(new Object[] {IDS[r], FLAGS[r], I8[r], I16[r], I32[r], F32[r], F64[r],
          NAMES[r], DOCS[r], VECS[r], BINS[r], halfBytes(HALVES[r], false),
          halfBytes(HALVES[r], true), I8VECS[r], METAS[r]}));
    }
    return rows;
  }

  /** The raw little-endian fp16 or bf16 bytes ValidRow holds for a half vector. */
  static byte[] halfBytes(float[] v, boolean bf16) {
    ByteBuffer b = ByteBuffer.allocate(2 * v.length).order(ByteOrder.LITTLE_ENDIAN);
    for (float f : v) {
      b.putShort(bf16 ? HalfFloats.toBFloat16(f) : HalfFloats.toFloat16(f));
    }
    return b.array();
  }

  private FormatOptions options() {
    return FormatOptions.defaults().withTempDirectory(spools);
  }

  /** The data folder as an output that can only stream, like a bucket: every column spooled. */
  private SegmentOutput streamOnly() {
    return new DirectorySegmentOutput(data, false);
  }

  // ---------------------------------------------------------------- in place vs spooled

  @Test
  void inPlaceColumnsAreByteIdenticalToSpooledOnes() throws IOException {
    // enough rows for every in-place buffer to be drained several times (1 MiB for the vectors)
    CollectionSchema schema = CollectionSchema.createSchema(false, true)
        .addField("id", DataType.INT64, isPrimary())
        .addField("flag", DataType.BOOL)
        .addField("name", DataType.VARCHAR, maxLength(64))
        .addField("vec", DataType.FLOAT_VECTOR, dim(300))
        .addField("half", DataType.FLOAT16_VECTOR, dim(8))
        .build();
    java.util.Random rnd = new java.util.Random(11);
    List<ValidRow> rows = new ArrayList<>();
    for (int r = 0; r < 2500; r++) {
      float[] v = new float[300];
      for (int d = 0; d < v.length; d++) {
        v[d] = rnd.nextFloat() * 2 - 1;
      }
      float[] h = new float[8];
      for (int d = 0; d < h.length; d++) {
        h[d] = rnd.nextInt(2000) / 8f;
      }
      rows.add(TestRows.of(new Object[] {(long) r, r % 3 == 0, "n" + "x".repeat(r % 17), v,
          halfBytes(h, false), new JsonText("{\"r\":" + r + "}", true)}));
    }
    Path inPlace = Files.createDirectories(tmp.resolve("in-place"));
    Path spooled = Files.createDirectories(tmp.resolve("spooled"));
    long[] announced = new long[2];
    int k = 0;
    for (SegmentOutput o : List.of(new DirectorySegmentOutput(inPlace),
        new DirectorySegmentOutput(spooled, false))) {
      SegmentWriter w = FileType.NUMPY.open(schema, options(), o, 5);
      for (ValidRow row : rows) {
        w.write(row);
      }
      if (k == 0) {
        // only the text columns (name, $meta) need a spool; the others are already in place
        assertEquals(2, list(spools).size(), "spools " + list(spools));
        assertEquals(List.of("5"), list(inPlace));
      }
      announced[k++] = w.bytesWritten();
      w.close();
      assertEquals(List.of(), list(spools), "no spool left");
    }
    assertEquals(announced[0], announced[1]);
    assertEquals(announced[0], folderSize(inPlace.resolve("5")));
    List<String> files = list(spooled.resolve("5"));
    assertEquals(6, files.size());
    assertEquals(files, list(inPlace.resolve("5")));
    for (String f : files) {
      assertArrayEquals(Files.readAllBytes(spooled.resolve("5").resolve(f)),
          Files.readAllBytes(inPlace.resolve("5").resolve(f)), f);
      assertEquals(2500, read(inPlace.resolve("5").resolve(f)).rows, f);
    }
  }

  @Test
  void headerSizeDoesNotDependOnTheRowCount() {
    // what in-place columns rely on: room for the header is left before N is known
    for (String descr : List.of("|b1", "<i8", "<f4", "<U1", "<U1234567")) {
      for (int width : new int[] {NpyHeader.ONE_D, 1, 768, 32768, Integer.MAX_VALUE}) {
        int size = NpyHeader.size(descr, 0, width);
        for (long rows = 1; rows > 0 && rows <= Long.MAX_VALUE / 10; rows *= 10) {
          assertEquals(size, NpyHeader.size(descr, rows, width), descr + " " + rows + "x" + width);
          assertEquals(size, NpyHeader.encode(descr, rows * 9, width).length);
        }
        assertEquals(size, NpyHeader.size(descr, Long.MAX_VALUE, width));
      }
    }
  }

  @Test
  void inPlaceZeroRowsStillWritesValidFiles() throws IOException {
    Path inPlace = Files.createDirectories(tmp.resolve("in-place"));
    SegmentWriter w = FileType.NUMPY.open(allTypes(), options(), new DirectorySegmentOutput(inPlace), 1);
    w.close();
    Path spooled = Files.createDirectories(tmp.resolve("spooled"));
    SegmentWriter s = FileType.NUMPY.open(allTypes(), options(), new DirectorySegmentOutput(spooled, false), 1);
    s.close();
    for (String f : list(spooled.resolve("1"))) {
      assertArrayEquals(Files.readAllBytes(spooled.resolve("1").resolve(f)),
          Files.readAllBytes(inPlace.resolve("1").resolve(f)), f);
    }
  }

  @Test
  void abortInPlaceClosesItsFilesAndDeletesSpools() throws IOException {
    SegmentWriter w = FileType.NUMPY.open(allTypes(), options(), new DirectorySegmentOutput(data), 2);
    for (ValidRow row : allTypeRows()) {
      w.write(row);
    }
    w.abort();
    assertEquals(List.of(), list(spools));
    assertThrows(IllegalStateException.class, () -> w.write(allTypeRows().get(0)));
    // the store discards the partial files of a given-up segment; here they can be deleted
    for (String f : list(data.resolve("2"))) {
      Files.delete(data.resolve("2").resolve(f));
    }
  }

  /** Writes the all-types rows as segment 3 through the registry, checking bytesWritten per row. */
  private long writeAllTypes() throws IOException {
    SegmentWriter w = FileType.NUMPY.open(allTypes(), options(), new DirectorySegmentOutput(data), 3);
    long before = w.bytesWritten();
    assertEquals(15 * 128, before, "zero rows: one 128-byte header per column");
    for (ValidRow row : allTypeRows()) {
      w.write(row);
      assertTrue(w.bytesWritten() > before, "bytesWritten grows with each row");
      before = w.bytesWritten();
    }
    assertEquals(3, w.rowCount());
    long announced = w.bytesWritten();
    w.close();
    assertEquals(announced, w.bytesWritten(), "bytesWritten is stable after close");
    return announced;
  }

  @Test
  void writesOneFilePerColumnWithExactTypesAndValues() throws IOException {
    long announced = writeAllTypes();
    Path seg = data.resolve("3");
    List<String> expectedFiles = allTypes().columns().stream()
        .map(c -> c.name() + ".npy").sorted().collect(Collectors.toList());
    assertEquals(expectedFiles, list(seg));
    assertEquals(FileType.NUMPY.segmentFiles(allTypes(), 3).stream().sorted()
        .collect(Collectors.toList()), expectedFiles.stream().map(f -> "3/" + f)
        .collect(Collectors.toList()));
    assertEquals(announced, folderSize(seg), "bytesWritten() = final size of the segment folder");

    Npy id = read(seg.resolve("id.npy"));
    id.expect("<i8", 3, -1);
    for (int r = 0; r < 3; r++) {
      assertEquals(IDS[r], id.data.getLong());
    }
    Npy flag = read(seg.resolve("flag.npy"));
    flag.expect("|b1", 3, -1);
    for (int r = 0; r < 3; r++) {
      assertEquals(FLAGS[r] ? 1 : 0, flag.data.get());
    }
    Npy i8 = read(seg.resolve("i8.npy"));
    i8.expect("|i1", 3, -1);
    Npy i16 = read(seg.resolve("i16.npy"));
    i16.expect("<i2", 3, -1);
    Npy i32 = read(seg.resolve("i32.npy"));
    i32.expect("<i4", 3, -1);
    Npy f32 = read(seg.resolve("f32.npy"));
    f32.expect("<f4", 3, -1);
    Npy f64 = read(seg.resolve("f64.npy"));
    f64.expect("<f8", 3, -1);
    for (int r = 0; r < 3; r++) {
      assertEquals(I8[r], i8.data.get());
      assertEquals(I16[r], i16.data.getShort());
      assertEquals(I32[r], i32.data.getInt());
      assertEquals(Float.floatToRawIntBits(F32[r]), Float.floatToRawIntBits(f32.data.getFloat()));
      assertEquals(Double.doubleToRawLongBits(F64[r]), Double.doubleToRawLongBits(f64.data.getDouble()));
    }

    Npy name = read(seg.resolve("name.npy"));
    name.expect("<U16", 3, -1);
    assertEquals(4, NAMES[2].codePointCount(0, NAMES[2].length()), "non-BMP: one code point each");
    assertStrings(name, 16, NAMES);
    Npy doc = read(seg.resolve("doc.npy"));
    int docWidth = DOCS[0].text().length(); // the longest, all BMP
    doc.expect("<U" + docWidth, 3, -1);
    assertStrings(doc, docWidth, Arrays.stream(DOCS).map(JsonText::text).toArray(String[]::new));
    Npy meta = read(seg.resolve("$meta.npy"));
    meta.expect("<U11", 3, -1); // {"k":"日本😀"}
    assertStrings(meta, 11, Arrays.stream(METAS).map(JsonText::text).toArray(String[]::new));

    Npy vec = read(seg.resolve("vec.npy"));
    vec.expect("<f4", 3, 4);
    Npy bin = read(seg.resolve("bin.npy"));
    bin.expect("|u1", 3, 2);
    Npy half = read(seg.resolve("half.npy"));
    half.expect("|u1", 3, 6);
    Npy bhalf = read(seg.resolve("bhalf.npy"));
    bhalf.expect("|u1", 3, 6);
    Npy i8vec = read(seg.resolve("i8vec.npy"));
    i8vec.expect("|i1", 3, 5);
    for (int r = 0; r < 3; r++) {
      for (int j = 0; j < 4; j++) {
        assertEquals(VECS[r][j], vec.data.getFloat());
      }
      assertArrayEquals(BINS[r], bytes(bin.data, 2));
      byte[] h = bytes(half.data, 6);
      byte[] bh = bytes(bhalf.data, 6);
      assertArrayEquals(halfBytes(HALVES[r], false), h);
      assertArrayEquals(halfBytes(HALVES[r], true), bh);
      ByteBuffer hb = ByteBuffer.wrap(h).order(ByteOrder.LITTLE_ENDIAN);
      ByteBuffer bb = ByteBuffer.wrap(bh).order(ByteOrder.LITTLE_ENDIAN);
      for (int j = 0; j < 3; j++) {
        assertEquals(HALVES[r][j], HalfFloats.fromFloat16(hb.getShort()), Math.abs(HALVES[r][j]) / 1000 + 1e-7);
        assertEquals(HALVES[r][j], HalfFloats.fromBFloat16(bb.getShort()), Math.abs(HALVES[r][j]) / 100 + 1e-7);
      }
      assertArrayEquals(I8VECS[r], bytes(i8vec.data, 5));
    }
  }

  @Test
  void headerOfAWrittenFileIsTheOneNumpyWrites() throws IOException {
    writeAllTypes();
    byte[] file = Files.readAllBytes(data.resolve("3/id.npy"));
    // np.save(f, np.array([1, 2, 3], dtype='<i8')) writes exactly this header:
    String dict = "{'descr': '<i8', 'fortran_order': False, 'shape': (3,), }";
    byte[] expected = concat(MAGIC, new byte[] {118, 0},
        (dict + " ".repeat(60) + "\n").getBytes(StandardCharsets.ISO_8859_1));
    assertEquals(128, expected.length);
    assertArrayEquals(expected, Arrays.copyOf(file, 128));
    assertEquals(128 + 3 * 8, file.length);

    byte[] vec = Files.readAllBytes(data.resolve("3/vec.npy"));
    String vecDict = "{'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }";
    assertArrayEquals(concat(MAGIC, new byte[] {118, 0},
        (vecDict + " ".repeat(117 - vecDict.length()) + "\n").getBytes(StandardCharsets.ISO_8859_1)),
        Arrays.copyOf(vec, 128));
  }

  // ---------------------------------------------------------------- NpyHeader on its own

  @Test
  void headerMatchesNumpyByHand() {
    String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (1000, 768), }";
    byte[] expected = concat(MAGIC, new byte[] {118, 0},
        (dict + " ".repeat(117 - dict.length()) + "\n").getBytes(StandardCharsets.ISO_8859_1));
    assertArrayEquals(expected, NpyHeader.encode("<f4", 1000, 768));
    String one = "{'descr': '|b1', 'fortran_order': False, 'shape': (1000,), }";
    assertArrayEquals(concat(MAGIC, new byte[] {118, 0},
        (one + " ".repeat(117 - one.length()) + "\n").getBytes(StandardCharsets.ISO_8859_1)),
        NpyHeader.encode("|b1", 1000, NpyHeader.ONE_D));
  }

  @Test
  void headerPaddingFollowsNumpysRule() {
    // dict 54 + len(descr) chars for shape (3,), plus 20 spare spaces (21 - digits of N), plus '\n'
    // after the 10-byte prefix: 85 + len(descr). numpy pads with 64 - (that % 64) spaces.
    String d42 = "<U" + "1".repeat(40);
    String d43 = "<U" + "1".repeat(41);
    assertEquals(128, NpyHeader.encode(d42, 3, NpyHeader.ONE_D).length); // 127 -> 1 pad space
    assertEquals(192, NpyHeader.encode(d43, 3, NpyHeader.ONE_D).length); // 128 -> 64 pad spaces
    byte[] h = NpyHeader.encode(d43, 3, NpyHeader.ONE_D);
    String text = new String(h, 10, h.length - 10, StandardCharsets.ISO_8859_1);
    assertTrue(text.endsWith("(3,), }" + " ".repeat(20 + 64) + "\n"), text);
    assertEquals(182, (h[8] & 0xff) | (h[9] & 0xff) << 8);

    for (String descr : List.of("|b1", "<i8", "<U1", "<U65536", d42, d43, "<U" + "9".repeat(100))) {
      for (long rows : new long[] {0, 1, 9, 10, 99_999, 1_000_000_000_000L, Long.MAX_VALUE}) {
        for (int width : new int[] {NpyHeader.ONE_D, 1, 8, 768, 32768}) {
          byte[] header = NpyHeader.encode(descr, rows, width);
          assertEquals(header.length, NpyHeader.size(descr, rows, width));
          assertEquals(0, header.length % 64);
          assertEquals('\n', header[header.length - 1]);
          assertEquals(header.length - 10, (header[8] & 0xff) | (header[9] & 0xff) << 8);
          String t = new String(header, 10, header.length - 10, StandardCharsets.ISO_8859_1);
          Matcher m = HEADER.matcher(t);
          assertTrue(m.matches(), t);
          assertEquals(descr, m.group(1));
          assertEquals(Long.toString(rows), m.group(2));
          assertEquals(width == NpyHeader.ONE_D ? null : Integer.toString(width), m.group(3));
        }
      }
    }
  }

  // ---------------------------------------------------------------- sizes and spools

  @Test
  void zeroRowsStillWritesValidFiles() throws IOException {
    SegmentWriter w = FileType.NUMPY.open(allTypes(), options(), new DirectorySegmentOutput(data), 1);
    long announced = w.bytesWritten();
    w.close();
    assertEquals(announced, folderSize(data.resolve("1")));
    read(data.resolve("1/name.npy")).expect("<U1", 0, -1);
    read(data.resolve("1/vec.npy")).expect("<f4", 0, 4);
    assertEquals(List.of(), list(spools));
  }

  @Test
  void manyRowsCrossEveryBufferBoundary() throws IOException {
    CollectionSchema schema = CollectionSchema.createSchema(false, false)
        .addField("id", DataType.INT64, isPrimary())
        .addField("text", DataType.VARCHAR, maxLength(65535))
        .addField("vec", DataType.FLOAT_VECTOR, dim(7))
        .build();
    int n = 30_000; // 210 KB of ids, 840 KB of vectors: several 64 KiB spool buffers each
    NumpySegmentWriter w = new NumpySegmentWriter(schema, options(), new DirectorySegmentOutput(data), 7);
    for (int r = 0; r < n; r++) {
      w.write(TestRows.of(new Object[] {(long) r, text(r), vector(r)}));
    }
    long announced = w.bytesWritten();
    w.close();
    assertEquals(announced, folderSize(data.resolve("7")));
    assertEquals(List.of(), list(spools));

    Npy id = read(data.resolve("7/id.npy"));
    id.expect("<i8", n, -1);
    Npy vec = read(data.resolve("7/vec.npy"));
    vec.expect("<f4", n, 7);
    Npy text = read(data.resolve("7/text.npy"));
    int width = 0;
    for (int r = 0; r < n; r++) {
      width = Math.max(width, text(r).codePointCount(0, text(r).length()));
    }
    text.expect("<U" + width, n, -1);
    for (int r = 0; r < n; r++) {
      assertEquals(r, id.data.getLong());
      for (float f : vector(r)) {
        assertEquals(f, vec.data.getFloat());
      }
      assertEquals(text(r), nextString(text, width));
    }
  }

  @Test
  void valuesLongerThanTheSpoolBufferAreWrittenWhole() throws IOException {
    CollectionSchema schema = CollectionSchema.createSchema(false, false)
        .addField("id", DataType.INT64, isPrimary())
        .addField("doc", DataType.JSON)
        .addField("vec", DataType.FLOAT_VECTOR, dim(20_000)) // 80 KB per row
        .build();
    StringBuilder big = new StringBuilder("\"");
    for (int i = 0; i < 40_000; i++) {
      big.append(i % 3 == 0 ? "😀" : i % 3 == 1 ? "é" : "x");
    }
    String bigJson = big.append('"').toString(); // 40,002 code points: 160 KB as UTF-32
    String[] docs = {"{\"a\":1}", bigJson, "[]", bigJson.substring(0, 1001) + "\""};
    NumpySegmentWriter w = new NumpySegmentWriter(schema, options(), new DirectorySegmentOutput(data), 8);
    for (int r = 0; r < docs.length; r++) {
      float[] v = new float[20_000];
      Arrays.fill(v, r + 0.25f);
      v[19_999] = -r;
      w.write(TestRows.of(new Object[] {(long) r, new JsonText(docs[r], r == 0), v}));
    }
    long announced = w.bytesWritten();
    w.close();
    assertEquals(announced, folderSize(data.resolve("8")));
    assertEquals(List.of(), list(spools));
    Npy doc = read(data.resolve("8/doc.npy"));
    doc.expect("<U40002", docs.length, -1);
    Npy vec = read(data.resolve("8/vec.npy"));
    vec.expect("<f4", docs.length, 20_000);
    for (int r = 0; r < docs.length; r++) {
      assertEquals(docs[r], nextString(doc, 40_002));
      for (int j = 0; j < 19_999; j++) {
        assertEquals(r + 0.25f, vec.data.getFloat());
      }
      assertEquals(-r, vec.data.getFloat());
    }
  }

  private static String text(int r) {
    return "row " + r + " ü日😀".repeat(r % 7);
  }

  private static float[] vector(int r) {
    float[] v = new float[7];
    for (int j = 0; j < 7; j++) {
      v[j] = r * 0.5f - j;
    }
    return v;
  }

  @Test
  void spoolsLiveInTheTempDirectoryAndAreDeletedOnClose() throws IOException {
    SegmentWriter w = FileType.NUMPY.open(allTypes(), options(), streamOnly(), 2);
    for (ValidRow row : allTypeRows()) {
      w.write(row);
    }
    assertEquals(allTypes().columns().size(), list(spools).size(), "one spool per column");
    assertEquals(List.of(), list(data), "nothing reaches the data path before close");
    w.close();
    assertEquals(List.of(), list(spools));
    w.close(); // a second close does nothing
    assertThrows(IllegalStateException.class, () -> w.write(allTypeRows().get(0)));
  }

  @Test
  void abortDeletesSpoolsAndWritesNothing() throws IOException {
    SegmentWriter w = FileType.NUMPY.open(allTypes(), options(), streamOnly(), 2);
    for (ValidRow row : allTypeRows()) {
      w.write(row);
    }
    assertFalse(list(spools).isEmpty());
    w.abort();
    assertEquals(List.of(), list(spools));
    assertEquals(List.of(), list(data));
    assertDoesNotThrow(w::abort);
    assertThrows(IllegalStateException.class, () -> w.write(allTypeRows().get(0)));
  }

  @Test
  void failedCloseStillDeletesSpools() throws IOException {
    SegmentOutput broken = path -> {
      throw new IOException("bucket unavailable: " + path);
    };
    SegmentWriter w = FileType.NUMPY.open(allTypes(), options(), broken, 2);
    w.write(allTypeRows().get(0));
    IOException e = assertThrows(IOException.class, w::close);
    assertTrue(e.getMessage().contains("2/id.npy"), e.getMessage());
    assertEquals(List.of(), list(spools));
  }

  // ---------------------------------------------------------------- schemas NumPy refuses

  @Test
  void refusesEachTypeMilvusCannotImportFromNumpy() {
    assertRefused(base().addField("tags", DataType.ARRAY, elementType(DataType.INT64), maxCapacity(4)),
        "'tags'", "Array");
    assertRefused(base().addField("sparse", DataType.SPARSE_FLOAT_VECTOR), "'sparse'",
        "SparseFloatVector");
    assertRefused(base().addField("shape", DataType.GEOMETRY), "'shape'", "Geometry");
    assertRefused(base().addField("at", DataType.TIMESTAMPTZ), "'at'", "Timestamptz");
    assertRefused(base().addField("score", DataType.FLOAT, nullable()), "'score'", "Float",
        "nullable");
  }

  @Test
  void refusalNamesEveryOffendingColumn() throws IOException {
    CollectionSchema s = base()
        .addField("tags", DataType.ARRAY, elementType(DataType.VARCHAR), maxCapacity(4), maxLength(8))
        .addField("note", DataType.VARCHAR, maxLength(8), nullable())
        .addField("at", DataType.TIMESTAMPTZ)
        .build();
    SchemaException e = assertThrows(SchemaException.class, () -> FileType.NUMPY.checkSchema(s));
    for (String part : List.of("'tags'", "Array<VarChar>", "'note'", "nullable", "'at'",
        "Timestamptz", "Parquet")) {
      assertTrue(e.getMessage().contains(part), part + " in: " + e.getMessage());
    }
    assertFalse(e.getMessage().contains("'id'"), e.getMessage());
    assertThrows(SchemaException.class, () -> new NumpySegmentWriter(s, options(),
        new DirectorySegmentOutput(data), 1));
    assertEquals(List.of(), list(spools));
  }

  @Test
  void functionOutputsAndMetaDoNotPreventNumpy() {
    CollectionSchema s = CollectionSchema.createSchema(false, true)
        .addField("id", DataType.INT64, isPrimary())
        .addField("text", DataType.VARCHAR, maxLength(100), typeParam("enable_analyzer", "true"))
        .addField("sparse", DataType.SPARSE_FLOAT_VECTOR)
        .addField("vec", DataType.FLOAT_VECTOR, dim(2))
        .addFunction(FunctionSchema.bm25("bm25", "text", "sparse"))
        .build();
    assertDoesNotThrow(() -> new NumpyFormat().checkSchema(s));
    assertEquals(List.of("id", "text", "vec", FieldSchema.META),
        s.columns().stream().map(FieldSchema::name).collect(Collectors.toList()));
  }

  private static CollectionSchema.Builder base() {
    return CollectionSchema.createSchema(false, false)
        .addField("id", DataType.INT64, isPrimary())
        .addField("vec", DataType.FLOAT_VECTOR, dim(2));
  }

  private static void assertRefused(CollectionSchema.Builder b, String... parts) {
    CollectionSchema s = b.build();
    SchemaException e = assertThrows(SchemaException.class, () -> new NumpyFormat().checkSchema(s));
    for (String part : parts) {
      assertTrue(e.getMessage().contains(part), part + " in: " + e.getMessage());
    }
    assertTrue(e.getMessage().contains("Parquet"), e.getMessage());
  }

  // ---------------------------------------------------------------- real numpy, when present

  @Test
  void numpyLoadsEveryFileAndWouldWriteTheSameBytes() throws Exception {
    String py = python();
    writeAllTypes();
    Path seg = data.resolve("3");
    List<String> args = new ArrayList<>();
    for (String f : list(seg)) {
      args.add(seg.resolve(f).toString());
    }
    String script = String.join("\n",
        "import io, json, sys",
        "import numpy as np",
        "out = {}",
        "for p in sys.argv[1:]:",
        "    a = np.load(p, allow_pickle=False)",
        "    b = io.BytesIO(); np.save(b, a)",
        "    same = b.getvalue() == open(p, 'rb').read()",
        "    out[p.rsplit('/', 1)[1]] = {'descr': a.dtype.str, 'shape': list(a.shape),",
        "                                'values': a.tolist(), 'identical': same}",
        "print(json.dumps(out))");
    JsonNode out = new ObjectMapper().readTree(run(py, script, args));
    assertEquals(15, out.size());
    out.fields().forEachRemaining(e -> assertTrue(e.getValue().get("identical").asBoolean(),
        e.getKey() + ": np.save of the loaded array gives other bytes"));

    assertNumpy(out, "id.npy", "<i8", "[3]");
    assertNumpy(out, "flag.npy", "|b1", "[3]");
    assertNumpy(out, "i8.npy", "|i1", "[3]");
    assertNumpy(out, "i16.npy", "<i2", "[3]");
    assertNumpy(out, "i32.npy", "<i4", "[3]");
    assertNumpy(out, "f32.npy", "<f4", "[3]");
    assertNumpy(out, "f64.npy", "<f8", "[3]");
    assertNumpy(out, "name.npy", "<U16", "[3]");
    assertNumpy(out, "$meta.npy", "<U11", "[3]");
    assertNumpy(out, "vec.npy", "<f4", "[3,4]");
    assertNumpy(out, "bin.npy", "|u1", "[3,2]");
    assertNumpy(out, "half.npy", "|u1", "[3,6]");
    assertNumpy(out, "bhalf.npy", "|u1", "[3,6]");
    assertNumpy(out, "i8vec.npy", "|i1", "[3,5]");
    for (int r = 0; r < 3; r++) {
      assertEquals(IDS[r], out.get("id.npy").get("values").get(r).asLong());
      assertEquals(FLAGS[r], out.get("flag.npy").get("values").get(r).asBoolean());
      assertEquals(I8[r], out.get("i8.npy").get("values").get(r).asLong());
      assertEquals(I16[r], out.get("i16.npy").get("values").get(r).asLong());
      assertEquals(I32[r], out.get("i32.npy").get("values").get(r).asLong());
      assertEquals(F32[r], (float) out.get("f32.npy").get("values").get(r).asDouble());
      assertEquals(F64[r], out.get("f64.npy").get("values").get(r).asDouble());
      assertEquals(NAMES[r], out.get("name.npy").get("values").get(r).asText());
      assertEquals(DOCS[r].text(), out.get("doc.npy").get("values").get(r).asText());
      assertEquals(METAS[r].text(), out.get("$meta.npy").get("values").get(r).asText());
      for (int j = 0; j < 4; j++) {
        assertEquals(VECS[r][j], (float) out.get("vec.npy").get("values").get(r).get(j).asDouble());
      }
      for (int j = 0; j < 2; j++) {
        assertEquals(BINS[r][j] & 0xff, out.get("bin.npy").get("values").get(r).get(j).asInt());
      }
      for (int j = 0; j < 6; j++) {
        assertEquals(halfBytes(HALVES[r], false)[j] & 0xff,
            out.get("half.npy").get("values").get(r).get(j).asInt());
      }
      for (int j = 0; j < 5; j++) {
        assertEquals(I8VECS[r][j], out.get("i8vec.npy").get("values").get(r).get(j).asInt());
      }
    }
  }

  @Test
  void headersEqualNumpysForManyShapes() throws Exception {
    String py = python();
    List<String> args = new ArrayList<>();
    List<byte[]> ours = new ArrayList<>();
    for (String descr : List.of("|b1", "<i8", "<U1", "<U65536", "<U" + "1".repeat(40),
        "<U" + "1".repeat(41), "<U" + "7".repeat(120))) {
      for (long rows : new long[] {0, 3, 10, 1000, 123_456_789_012L, Long.MAX_VALUE}) {
        for (int width : new int[] {NpyHeader.ONE_D, 1, 768, 32768}) {
          args.add(descr + ":" + rows + ":" + width);
          ours.add(NpyHeader.encode(descr, rows, width));
        }
      }
    }
    String script = String.join("\n",
        "import io, sys",
        "from numpy.lib import format as F",
        "for a in sys.argv[1:]:",
        "    d, n, w = a.split(':')",
        "    shape = (int(n),) if w == '-1' else (int(n), int(w))",
        "    b = io.BytesIO()",
        "    F.write_array_header_1_0(b, {'descr': d, 'fortran_order': False, 'shape': shape})",
        "    print(b.getvalue().hex())");
    String[] lines = run(py, script, args).trim().split("\n");
    assertEquals(ours.size(), lines.length);
    for (int i = 0; i < lines.length; i++) {
      assertEquals(lines[i], HexFormat.of().formatHex(ours.get(i)), args.get(i));
    }
  }

  private static void assertNumpy(JsonNode out, String file, String descr, String shape) {
    assertEquals(descr, out.get(file).get("descr").asText(), file);
    assertEquals(shape, out.get(file).get("shape").toString(), file);
  }

  private static String cachedPython;

  /**
   * A python with numpy: $BULKWRITER_PYTHON, else what shared/conformance/setup.sh prints (found
   * in a parent folder), else python3. Where the checker's setup.sh is there (every machine of
   * this project, CI included) a python without numpy is a failure, not a skip: the test must not
   * pass by not running. Skips only where there is no checker at all.
   */
  private static synchronized String python() throws Exception {
    if (cachedPython == null) {
      List<String> candidates = new ArrayList<>();
      String env = System.getenv("BULKWRITER_PYTHON");
      if (env != null && !env.isBlank()) {
        candidates.add(env);
      }
      boolean checkerThere = false;
      for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
        Path setup = dir.resolve("shared/conformance/setup.sh");
        if (Files.isRegularFile(setup)) {
          checkerThere = true;
          Process p = new ProcessBuilder("bash", setup.toString())
              .redirectError(ProcessBuilder.Redirect.DISCARD).start();
          String printed = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
          if (p.waitFor(300, TimeUnit.SECONDS) && p.exitValue() == 0 && !printed.isEmpty()) {
            candidates.add(printed);
          }
          break;
        }
      }
      candidates.add("python3");
      cachedPython = "";
      for (String c : candidates) {
        try {
          Process p = new ProcessBuilder(c, "-c", "import numpy").redirectErrorStream(true).start();
          p.getInputStream().readAllBytes();
          if (p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0) {
            cachedPython = c;
            break;
          }
        } catch (IOException e) {
          // not installed: try the next one
        }
      }
      if (cachedPython.isEmpty() && checkerThere) {
        throw new AssertionError("shared/conformance/setup.sh gave no python with numpy: "
            + candidates);
      }
    }
    Assumptions.assumeFalse(cachedPython.isEmpty(), "no python with numpy on this machine");
    return cachedPython;
  }

  private static String run(String py, String script, List<String> args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(py, "-c", script));
    cmd.addAll(args);
    Process p = new ProcessBuilder(cmd).start();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Thread drain = new Thread(() -> {
      try (InputStream e = p.getErrorStream()) {
        e.transferTo(err);
      } catch (IOException ignored) {
        // the exit code tells
      }
    });
    drain.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "python timed out");
    drain.join();
    assertEquals(0, p.exitValue(), "python failed: " + err.toString(StandardCharsets.UTF_8));
    return out;
  }

  // ---------------------------------------------------------------- an independent .npy reader

  /** A parsed .npy file: header fields and the data, little-endian, positioned at row 0. */
  static final class Npy {
    final String descr;
    final long rows;
    final int width;
    final ByteBuffer data;

    Npy(String descr, long rows, int width, ByteBuffer data) {
      this.descr = descr;
      this.rows = rows;
      this.width = width;
      this.data = data;
    }

    void expect(String descr, long rows, int width) {
      assertEquals(descr, this.descr);
      assertEquals(rows, this.rows);
      assertEquals(width, this.width);
    }
  }

  static Npy read(Path file) throws IOException {
    byte[] all = Files.readAllBytes(file);
    assertArrayEquals(MAGIC, Arrays.copyOf(all, 8), file + ": magic and version 1.0");
    int headerLength = (all[8] & 0xff) | (all[9] & 0xff) << 8;
    int offset = 10 + headerLength;
    assertEquals(0, offset % 64, file + ": data offset " + offset);
    String text = new String(all, 10, headerLength, StandardCharsets.ISO_8859_1);
    Matcher m = HEADER.matcher(text);
    assertTrue(m.matches(), file + ": header " + text);
    String descr = m.group(1);
    long rows = Long.parseLong(m.group(2));
    int width = m.group(3) == null ? -1 : Integer.parseInt(m.group(3));
    int item = descr.startsWith("<U") ? 4 * Integer.parseInt(descr.substring(2))
        : Integer.parseInt(descr.substring(2));
    assertEquals(offset + rows * Math.max(1, width) * item, all.length, file + ": size");
    ByteBuffer data = ByteBuffer.wrap(all, offset, all.length - offset).slice()
        .order(ByteOrder.LITTLE_ENDIAN);
    return new Npy(descr, rows, width, data);
  }

  /** Reads the next {@code <U{width}} value: code points, then only NULs up to the width. */
  static String nextString(Npy npy, int width) {
    StringBuilder sb = new StringBuilder();
    boolean ended = false;
    for (int i = 0; i < width; i++) {
      int cp = npy.data.getInt();
      if (cp == 0) {
        ended = true;
      } else {
        assertFalse(ended, "a code point after NUL padding");
        sb.appendCodePoint(cp);
      }
    }
    return sb.toString();
  }

  static void assertStrings(Npy npy, int width, String[] expected) {
    for (String s : expected) {
      int[] want = Arrays.copyOf(s.codePoints().toArray(), width);
      int[] got = new int[width];
      for (int i = 0; i < width; i++) {
        got[i] = npy.data.getInt();
      }
      assertArrayEquals(want, got, s);
    }
  }

  static byte[] bytes(ByteBuffer b, int n) {
    byte[] out = new byte[n];
    b.get(out);
    return out;
  }

  static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  static List<String> list(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
    }
  }

  static long folderSize(Path dir) throws IOException {
    long total = 0;
    for (String f : list(dir)) {
      total += Files.size(dir.resolve(f));
    }
    return total;
  }
}
