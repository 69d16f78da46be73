package dev.milvusbeam.core.format.parquet;

import dev.milvusbeam.core.format.FormatOptions;
import dev.milvusbeam.core.format.SegmentWriter;
import dev.milvusbeam.core.format.FileType;
import dev.milvusbeam.core.format.DirectorySegmentOutput;
import dev.milvusbeam.core.row.TestRows;
import static dev.milvusbeam.core.schema.FieldParam.dim;
import static dev.milvusbeam.core.schema.FieldParam.elementType;
import static dev.milvusbeam.core.schema.FieldParam.isPrimary;
import static dev.milvusbeam.core.schema.FieldParam.maxCapacity;
import static dev.milvusbeam.core.schema.FieldParam.maxLength;
import static dev.milvusbeam.core.schema.FieldParam.nullable;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.milvusbeam.core.row.HalfFloats;
import dev.milvusbeam.core.row.JsonText;
import dev.milvusbeam.core.row.SparseVector;
import dev.milvusbeam.core.row.ValidRow;
import dev.milvusbeam.core.schema.CollectionSchema;
import dev.milvusbeam.core.schema.DataType;
import dev.milvusbeam.core.schema.FieldSchema;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.convert.GroupRecordConverter;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.column.statistics.Statistics;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.internal.column.columnindex.ColumnIndex;
import org.apache.parquet.internal.column.columnindex.OffsetIndex;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.ColumnIOFactory;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.io.RecordReader;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;
import org.apache.parquet.schema.Type;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ParquetSegmentWriterTest {
  @TempDir Path dir;

  /** One column of every type, nullable twins of the scalars, every Array element type, $meta. */
  private static final CollectionSchema ALL_TYPES = CollectionSchema.createSchema(false, true)
      .addField("id", DataType.INT64, isPrimary())
      .addField("bool", DataType.BOOL)
      .addField("bool_n", DataType.BOOL, nullable())
      .addField("int8", DataType.INT8)
      .addField("int8_n", DataType.INT8, nullable())
      .addField("int16", DataType.INT16)
      .addField("int16_n", DataType.INT16, nullable())
      .addField("int32", DataType.INT32)
      .addField("int32_n", DataType.INT32, nullable())
      .addField("int64", DataType.INT64)
      .addField("int64_n", DataType.INT64, nullable())
      .addField("float", DataType.FLOAT)
      .addField("float_n", DataType.FLOAT, nullable())
      .addField("double", DataType.DOUBLE)
      .addField("double_n", DataType.DOUBLE, nullable())
      .addField("varchar", DataType.VARCHAR, maxLength(64))
      .addField("varchar_n", DataType.VARCHAR, maxLength(64), nullable())
      .addField("json", DataType.JSON)
      .addField("json_n", DataType.JSON, nullable())
      .addField("geometry", DataType.GEOMETRY)
      .addField("geometry_n", DataType.GEOMETRY, nullable())
      .addField("ts", DataType.TIMESTAMPTZ)
      .addField("ts_n", DataType.TIMESTAMPTZ, nullable())
      .addField("arr_bool", DataType.ARRAY, elementType(DataType.BOOL), maxCapacity(8))
      .addField("arr_int8", DataType.ARRAY, elementType(DataType.INT8), maxCapacity(8))
      .addField("arr_int16", DataType.ARRAY, elementType(DataType.INT16), maxCapacity(8))
      .addField("arr_int32", DataType.ARRAY, elementType(DataType.INT32), maxCapacity(8))
      .addField("arr_int64", DataType.ARRAY, elementType(DataType.INT64), maxCapacity(8))
      .addField("arr_float", DataType.ARRAY, elementType(DataType.FLOAT), maxCapacity(8))
      .addField("arr_double", DataType.ARRAY, elementType(DataType.DOUBLE), maxCapacity(8))
      .addField("arr_varchar", DataType.ARRAY, elementType(DataType.VARCHAR), maxCapacity(8),
          maxLength(16))
      .addField("arr_int64_n", DataType.ARRAY, elementType(DataType.INT64), maxCapacity(8),
          nullable())
      .addField("fv", DataType.FLOAT_VECTOR, dim(4))
      .addField("bv", DataType.BINARY_VECTOR, dim(16))
      .addField("f16v", DataType.FLOAT16_VECTOR, dim(3))
      .addField("bf16v", DataType.BFLOAT16_VECTOR, dim(3))
      .addField("i8v", DataType.INT8_VECTOR, dim(4))
      .addField("sparse", DataType.SPARSE_FLOAT_VECTOR)
      .addField("sparse_n", DataType.SPARSE_FLOAT_VECTOR, nullable())
      .build();

  /** FORMAT.md section 4 "Parquet", written out by hand. */
  private static final String ALL_TYPES_PARQUET = "message schema {\n"
      + "  optional int64 id;\n"
      + "  optional boolean bool;\n"
      + "  optional boolean bool_n;\n"
      + "  optional int32 int8 (INTEGER(8,true));\n"
      + "  optional int32 int8_n (INTEGER(8,true));\n"
      + "  optional int32 int16 (INTEGER(16,true));\n"
      + "  optional int32 int16_n (INTEGER(16,true));\n"
      + "  optional int32 int32;\n"
      + "  optional int32 int32_n;\n"
      + "  optional int64 int64;\n"
      + "  optional int64 int64_n;\n"
      + "  optional float float;\n"
      + "  optional float float_n;\n"
      + "  optional double double;\n"
      + "  optional double double_n;\n"
      + "  optional binary varchar (STRING);\n"
      + "  optional binary varchar_n (STRING);\n"
      + "  optional binary json (STRING);\n"
      + "  optional binary json_n (STRING);\n"
      + "  optional binary geometry (STRING);\n"
      + "  optional binary geometry_n (STRING);\n"
      + "  optional binary ts (STRING);\n"
      + "  optional binary ts_n (STRING);\n"
      + list("arr_bool", "boolean")
      + list("arr_int8", "int32 element (INTEGER(8,true))")
      + list("arr_int16", "int32 element (INTEGER(16,true))")
      + list("arr_int32", "int32")
      + list("arr_int64", "int64")
      + list("arr_float", "float")
      + list("arr_double", "double")
      + list("arr_varchar", "binary element (STRING)")
      + list("arr_int64_n", "int64")
      + list("fv", "float")
      + list("bv", "int32 element (INTEGER(8,false))")
      + list("f16v", "int32 element (INTEGER(8,false))")
      + list("bf16v", "int32 element (INTEGER(8,false))")
      + list("i8v", "int32 element (INTEGER(8,true))")
      + "  optional binary sparse (STRING);\n"
      + "  optional binary sparse_n (STRING);\n"
      + "  optional binary $meta (STRING);\n"
      + "}\n";

  private static String list(String name, String element) {
    String e = element.contains(" element") ? element : element + " element";
    return "  optional group " + name + " (LIST) {\n    repeated group list {\n      optional "
        + e + ";\n    }\n  }\n";
  }

  @Test
  void footerSchemaIsTheFormatTable() throws IOException {
    Path file = writeAll(List.of(row(1, false)));
    try (ParquetFileReader r = ParquetFileReader.open(new LocalInputFile(file))) {
      MessageType actual = r.getFooter().getFileMetaData().getSchema();
      assertEquals(MessageTypeParser.parseMessageType(ALL_TYPES_PARQUET), actual);
      assertEquals(ALL_TYPES.columns().size(), actual.getFieldCount());
      for (int i = 0; i < actual.getFieldCount(); i++) {
        Type t = actual.getType(i);
        assertEquals(ALL_TYPES.columns().get(i).name(), t.getName());
        assertEquals(Type.Repetition.OPTIONAL, t.getRepetition(), t.getName());
      }
      Map<String, String> kv = r.getFooter().getFileMetaData().getKeyValueMetaData();
      assertFalse(kv.containsKey("ARROW:schema"), kv.toString());
    }
    assertEquals(MessageTypeParser.parseMessageType(ALL_TYPES_PARQUET),
        ParquetSchema.messageType(ALL_TYPES));
  }

  @Test
  void everyValueReadsBackAsWritten() throws IOException {
    List<ValidRow> rows = List.of(row(1, false), row(2, true), row(3, false), edgeRow(4));
    Path file = writeAll(rows);
    List<Group> groups = readAll(file);
    assertEquals(rows.size(), groups.size());
    for (int r = 0; r < rows.size(); r++) {
      assertRow(ALL_TYPES, rows.get(r), groups.get(r));
    }
  }

  @Test
  void nullsAreParquetNullsNotText() throws IOException {
    Path file = writeAll(List.of(row(2, true)));
    Group g = readAll(file).get(0);
    List<FieldSchema> cols = ALL_TYPES.columns();
    int nulls = 0;
    for (int i = 0; i < cols.size(); i++) {
      if (cols.get(i).isNullable()) {
        assertEquals(0, g.getFieldRepetitionCount(i), cols.get(i).name());
        nulls++;
      } else {
        assertEquals(1, g.getFieldRepetitionCount(i), cols.get(i).name());
      }
    }
    assertEquals(13, nulls);
  }

  @Test
  void jsonValuesAreTheirTextObjectOrNot() throws IOException {
    Object[] v = valuesOf(row(1, false));
    int json = index("json");
    List<String> texts = List.of("{\"a\":[1,2],\"b\":\"x\"}", "[1,2,3]", "42", "\"str\"", "true",
        "null");
    List<ValidRow> rows = new ArrayList<>();
    for (String t : texts) {
      Object[] copy = v.clone();
      copy[json] = new JsonText(t, t.startsWith("{"));
      rows.add(TestRows.of(copy));
    }
    List<Group> groups = readAll(writeAll(rows));
    for (int i = 0; i < texts.size(); i++) {
      assertEquals(texts.get(i), groups.get(i).getString(json, 0));
    }
  }

  @Test
  void sparseVectorsAreJsonTextWithDecimalKeys() throws IOException {
    SparseVector sv = new SparseVector(new long[] {12, 0, 4294967294L, 7},
        new float[] {0.5f, 1.0e-5f, 3.4028235e38f, 0.1f});
    String text = ParquetValueWriters.sparseJson(sv);
    assertEquals("{\"12\":0.5,\"0\":1.0E-5,\"4294967294\":3.4028235E38,\"7\":0.1}", text);
    // values round-trip as float32
    Map<?, ?> parsed = new com.fasterxml.jackson.databind.ObjectMapper().readValue(text, Map.class);
    assertEquals(0.1f, ((Number) parsed.get("7")).floatValue());
    assertEquals(3.4028235e38f, ((Number) parsed.get("4294967294")).floatValue());
  }

  @Test
  void rowGroupsAreBoundedAndBytesWrittenTracksTheFile() throws IOException {
    long groupBytes = 64 * 1024;
    CollectionSchema schema = CollectionSchema.createSchema(false, false)
        .addField("id", DataType.INT64, isPrimary())
        .addField("vector", DataType.FLOAT_VECTOR, dim(128))
        .addField("text", DataType.VARCHAR, maxLength(64))
        .build();
    FormatOptions options = FormatOptions.defaults().withParquetRowGroupBytes(groupBytes);
    Random rnd = new Random(7);
    int n = 4000;
    List<ValidRow> rows = new ArrayList<>();
    SegmentWriter w = FileType.PARQUET.open(schema, options, new DirectorySegmentOutput(dir), 1);
    long last = 0;
    long previous = 0;
    int grew = 0;
    for (int i = 0; i < n; i++) {
      float[] vec = new float[128];
      for (int k = 0; k < vec.length; k++) {
        vec[k] = rnd.nextFloat() * 2 - 1;
      }
      ValidRow row = TestRows.of(new Object[] {(long) i, vec, "row " + i});
      rows.add(row);
      w.write(row);
      last = w.bytesWritten();
      if (last > previous) {
        grew++;
      }
      previous = last;
      assertEquals(i + 1, w.rowCount());
    }
    w.close();
    Path file = dir.resolve("1.parquet");
    long size = Files.size(file);
    assertTrue(grew > n / 10, "bytesWritten grew " + grew + " times");
    assertTrue(size >= n * 128 * 4L, "file of " + size + " bytes is too small");
    assertTrue(Math.abs(size - last) <= groupBytes,
        "final size " + size + " vs last bytesWritten " + last);
    try (ParquetFileReader r = ParquetFileReader.open(new LocalInputFile(file))) {
      List<BlockMetaData> blocks = r.getFooter().getBlocks();
      assertTrue(blocks.size() > 10, blocks.size() + " row groups");
      long total = 0;
      for (BlockMetaData b : blocks) {
        assertTrue(b.getCompressedSize() <= 2 * groupBytes, b.getCompressedSize() + " bytes");
        total += b.getRowCount();
      }
      assertEquals(n, total);
    }
    List<Group> groups = readAll(file);
    assertEquals(n, groups.size());
    for (int i = 0; i < n; i += 397) {
      assertRow(schema, rows.get(i), groups.get(i));
    }
  }

  /**
   * Vectors spanning many pages and row groups (written by the I/O thread), byte vectors and
   * nullable scalars with nulls: every value reads back, and each page's statistics in the column
   * index are the min and max of that page's rows, the chunk statistics of the whole chunk.
   */
  @Test
  void pagesAndRowGroupsCarryExactStatistics() throws IOException {
    CollectionSchema schema = CollectionSchema.createSchema(false, false)
        .addField("id", DataType.INT64, isPrimary())
        .addField("vector", DataType.FLOAT_VECTOR, dim(300))
        .addField("note", DataType.VARCHAR, maxLength(64), nullable())
        .addField("n", DataType.INT32, nullable())
        .addField("i8v", DataType.INT8_VECTOR, dim(40))
        .addField("bv", DataType.BINARY_VECTOR, dim(64))
        .build();
    long groupBytes = 4L << 20;
    int n = 9000; // 10.8 MB of float vectors: 1 MiB pages, 3 row groups
    Random rnd = new Random(11);
    List<ValidRow> rows = new ArrayList<>();
    SegmentWriter w = FileType.PARQUET.open(schema,
        FormatOptions.defaults().withParquetRowGroupBytes(groupBytes),
        new DirectorySegmentOutput(dir), 1);
    for (int i = 0; i < n; i++) {
      float[] vec = new float[300];
      for (int k = 0; k < vec.length; k++) {
        vec[k] = (rnd.nextFloat() * 2 - 1) * (1 + i % 7);
      }
      if (i == 5) {
        vec[3] = -0.0f;
      }
      byte[] i8 = new byte[40];
      byte[] bits = new byte[8];
      rnd.nextBytes(i8);
      rnd.nextBytes(bits);
      ValidRow row = TestRows.of(new Object[] {(long) i, vec,
          i % 3 == 0 ? null : "note " + i, i % 4 == 1 ? null : (long) (i * 7 - 20000), i8, bits});
      rows.add(row);
      w.write(row);
    }
    w.close();
    Path file = dir.resolve("1.parquet");
    List<Group> groups = readAll(file);
    assertEquals(n, groups.size());
    for (int i = 0; i < n; i++) {
      assertRow(schema, rows.get(i), groups.get(i));
    }
    try (ParquetFileReader r = ParquetFileReader.open(new LocalInputFile(file))) {
      List<BlockMetaData> blocks = r.getFooter().getBlocks();
      assertTrue(blocks.size() >= 3, blocks.size() + " row groups");
      assertEquals(n, blocks.stream().mapToLong(BlockMetaData::getRowCount).sum());
      long first = 0;
      for (BlockMetaData b : blocks) {
        assertTrue(b.getTotalByteSize() <= groupBytes + (1 << 20), b.getTotalByteSize() + " bytes");
        List<ColumnChunkMetaData> chunks = b.getColumns();
        assertEquals(CompressionCodecName.SNAPPY, chunks.get(0).getCodec());
        assertEquals(CompressionCodecName.UNCOMPRESSED, chunks.get(1).getCodec());
        assertEquals(CompressionCodecName.SNAPPY, chunks.get(4).getCodec());
        for (int c = 0; c < chunks.size(); c++) {
          ColumnChunkMetaData chunk = chunks.get(c);
          int col = c;
          OffsetIndex offsets = r.readOffsetIndex(chunk);
          ColumnIndex index = r.readColumnIndex(chunk);
          assertTrue(offsets != null && index != null, "page index of " + chunk.getPath());
          if (col == 1 && first == 0) {
            assertTrue(offsets.getPageCount() > 2, offsets.getPageCount() + " vector pages");
          }
          Object[] chunkMinMax = null;
          long chunkNulls = 0;
          for (int p = 0; p < offsets.getPageCount(); p++) {
            int from = (int) (first + offsets.getFirstRowIndex(p));
            int to = (int) (first + offsets.getLastRowIndex(p, b.getRowCount()));
            Object[] mm = minMax(rows.subList(from, to + 1), col);
            long nulls = (Long) mm[2];
            assertEquals(nulls, index.getNullCounts().get(p), chunk.getPath() + " page " + p);
            assertEquals(mm[0] == null, index.getNullPages().get(p));
            if (mm[0] != null) {
              assertEquals(mm[0], decode(chunk, index.getMinValues().get(p)), "page min");
              assertEquals(mm[1], decode(chunk, index.getMaxValues().get(p)), "page max");
              chunkMinMax = merge(chunkMinMax, mm);
            }
            chunkNulls += nulls;
          }
          Statistics<?> stats = chunk.getStatistics();
          assertEquals(chunkNulls, stats.getNumNulls(), chunk.getPath().toString());
          assertEquals(chunkMinMax[0], stats.genericGetMin(), chunk.getPath().toString());
          assertEquals(chunkMinMax[1], stats.genericGetMax(), chunk.getPath().toString());
        }
        first += b.getRowCount();
      }
    }
  }

  /** Min, max (null when no value) and null count of one column over rows, as parquet-java. */
  private static Object[] minMax(List<ValidRow> rows, int col) {
    Comparable<Object> min = null;
    Comparable<Object> max = null;
    long nulls = 0;
    for (ValidRow row : rows) {
      Object v = row.get(col);
      List<Comparable<Object>> values = new ArrayList<>();
      if (v == null) {
        nulls++;
      } else if (v instanceof float[]) {
        for (float x : (float[]) v) {
          values.add(cmp(x));
        }
      } else if (v instanceof byte[]) {
        for (byte x : (byte[]) v) {
          values.add(cmp(col == 4 ? x : x & 0xff));
        }
      } else if (v instanceof String) {
        values.add(cmp(Binary.fromString((String) v)));
      } else {
        values.add(cmp(col == 3 ? ((Long) v).intValue() : v));
      }
      for (Comparable<Object> x : values) {
        min = min == null || x.compareTo(min) < 0 ? x : min;
        max = max == null || x.compareTo(max) > 0 ? x : max;
      }
    }
    return new Object[] {min, max, nulls};
  }

  @SuppressWarnings("unchecked")
  private static Comparable<Object> cmp(Object x) {
    return (Comparable<Object>) x; // Float.compareTo orders -0.0 before 0.0, as Parquet
  }

  private static Object[] merge(Object[] a, Object[] b) {
    if (a == null) {
      return b;
    }
    return new Object[] {cmp(a[0]).compareTo(b[0]) <= 0 ? a[0] : b[0],
        cmp(a[1]).compareTo(b[1]) >= 0 ? a[1] : b[1]};
  }

  private static Object decode(ColumnChunkMetaData chunk, java.nio.ByteBuffer b) {
    java.nio.ByteBuffer le = b.duplicate().order(java.nio.ByteOrder.LITTLE_ENDIAN);
    switch (chunk.getPrimitiveType().getPrimitiveTypeName()) {
      case FLOAT: return le.getFloat(0);
      case INT32: return le.getInt(0);
      case INT64: return le.getLong(0);
      case BINARY: return Binary.fromConstantByteBuffer(b);
      default: throw new AssertionError(chunk.getPrimitiveType().toString());
    }
  }

  @Test
  void negativeZeroIsTheMinimumOfZeros() throws IOException {
    CollectionSchema schema = CollectionSchema.createSchema(false, false)
        .addField("id", DataType.INT64, isPrimary())
        .addField("vector", DataType.FLOAT_VECTOR, dim(4))
        .build();
    SegmentWriter w = FileType.PARQUET.open(schema, FormatOptions.defaults(),
        new DirectorySegmentOutput(dir), 1);
    w.write(TestRows.of(new Object[] {1L, new float[] {0.0f, -0.0f, 0.0f, -0.0f}}));
    w.close();
    try (ParquetFileReader r = ParquetFileReader.open(new LocalInputFile(dir.resolve("1.parquet")))) {
      Statistics<?> s = r.getFooter().getBlocks().get(0).getColumns().get(1).getStatistics();
      assertEquals(-0.0f, s.genericGetMin());
      assertEquals(0.0f, s.genericGetMax());
    }
    Group g = readAll(dir.resolve("1.parquet")).get(0);
    assertArrayEquals(new float[] {0.0f, -0.0f, 0.0f, -0.0f}, floats(g.getGroup(1, 0)));
  }

  private static float[] floats(Group list) {
    List<Object> got = readList(list, DataType.FLOAT);
    float[] a = new float[got.size()];
    for (int k = 0; k < a.length; k++) {
      a[k] = (Float) got.get(k);
    }
    return a;
  }

  @Test
  void anEmptySegmentIsAValidFile() throws IOException {
    Path file = writeAll(List.of());
    assertEquals(0, readAll(file).size());
  }

  @Test
  void abortClosesTheStreamWithoutThrowing() throws IOException {
    boolean[] closed = {false};
    OutputStream out = new ByteArrayOutputStream() {
      @Override
      public void close() throws IOException {
        closed[0] = true;
        throw new IOException("broken");
      }
    };
    ParquetSegmentWriter w = new ParquetSegmentWriter(ALL_TYPES, FormatOptions.defaults(), out);
    w.write(row(1, false));
    assertDoesNotThrow(w::abort);
    assertTrue(closed[0]);
    assertDoesNotThrow(w::abort);
    assertDoesNotThrow(w::close); // nothing left to do
  }

  // ---- rows ----

  private static int index(String name) {
    List<FieldSchema> cols = ALL_TYPES.columns();
    for (int i = 0; i < cols.size(); i++) {
      if (cols.get(i).name().equals(name)) {
        return i;
      }
    }
    throw new IllegalArgumentException(name);
  }

  /** A row of normalized values (ValidRow javadoc); nullable columns null when asked. */
  private static ValidRow row(long id, boolean nulls) {
    Object[] v = new Object[ALL_TYPES.columns().size()];
    put(v, "id", id);
    put(v, "bool", true);
    put(v, "bool_n", false);
    put(v, "int8", -5L);
    put(v, "int8_n", 100L);
    put(v, "int16", -30000L);
    put(v, "int16_n", 1234L);
    put(v, "int32", 123456789L);
    put(v, "int32_n", -1L);
    put(v, "int64", 1L << 40);
    put(v, "int64_n", -(1L << 50));
    put(v, "float", 0.1f + id);
    put(v, "float_n", -2.5f);
    put(v, "double", Math.PI * id);
    put(v, "double_n", 1e300);
    put(v, "varchar", "héllo " + id + " ✓");
    put(v, "varchar_n", "");
    put(v, "json", new JsonText("{\"k\":" + id + ",\"s\":\"ü\"}", true));
    put(v, "json_n", new JsonText("[1,\"a\"]", false));
    put(v, "geometry", "POINT (" + id + " 2)");
    put(v, "geometry_n", "LINESTRING (0 0, 1 1)");
    put(v, "ts", "2025-01-0" + (id % 9 + 1) + "T12:00:00Z");
    put(v, "ts_n", "2024-12-31T23:59:59+08:00");
    put(v, "arr_bool", List.of(true, false, true));
    put(v, "arr_int8", List.of(-128L, 0L, 127L));
    put(v, "arr_int16", List.of(-32768L, 32767L));
    put(v, "arr_int32", List.of(Integer.MIN_VALUE + 0L, id));
    put(v, "arr_int64", List.of(Long.MAX_VALUE, id));
    put(v, "arr_float", List.of(1.5f, -0.25f));
    put(v, "arr_double", List.of(2.5e-300, id * 1.0));
    put(v, "arr_varchar", List.of("a", "", "ßß"));
    put(v, "arr_int64_n", List.of(id));
    put(v, "fv", new float[] {id, -1.5f, 3.4028235e38f, 1e-45f});
    put(v, "bv", new byte[] {(byte) 0xff, (byte) id});
    put(v, "f16v", halves(HalfFloats.toFloat16(1.5f), HalfFloats.toFloat16(-2f),
        HalfFloats.toFloat16(65504f)));
    put(v, "bf16v", halves(HalfFloats.toBFloat16(1.5f), HalfFloats.toBFloat16(-2f),
        HalfFloats.toBFloat16(1e30f)));
    put(v, "i8v", new byte[] {-128, -1, 0, 127});
    put(v, "sparse", new SparseVector(new long[] {12, id}, new float[] {0.5f, 2f}));
    put(v, "sparse_n", new SparseVector(new long[] {4294967294L}, new float[] {0.125f}));
    put(v, "$meta", new JsonText("{\"extra\":" + id + "}", true));
    if (nulls) {
      for (FieldSchema f : ALL_TYPES.columns()) {
        if (f.isNullable()) {
          v[index(f.name())] = null;
        }
      }
    }
    return TestRows.of(v);
  }

  /** Empty arrays and an empty $meta object. */
  private static ValidRow edgeRow(long id) {
    Object[] v = valuesOf(row(id, false));
    for (FieldSchema f : ALL_TYPES.columns()) {
      if (f.dataType() == DataType.ARRAY) {
        v[index(f.name())] = List.of();
      }
    }
    put(v, "$meta", JsonText.EMPTY_OBJECT);
    put(v, "bv", new byte[] {0, (byte) 0x80});
    return TestRows.of(v);
  }

  private static Object[] valuesOf(ValidRow row) {
    Object[] v = new Object[row.size()];
    for (int i = 0; i < v.length; i++) {
      v[i] = row.get(i);
    }
    return v;
  }

  private static void put(Object[] v, String name, Object value) {
    v[index(name)] = value;
  }

  private static byte[] halves(short... h) {
    byte[] b = new byte[h.length * 2];
    for (int i = 0; i < h.length; i++) {
      b[2 * i] = (byte) h[i];
      b[2 * i + 1] = (byte) (h[i] >> 8);
    }
    return b;
  }

  // ---- write and read back ----

  private Path writeAll(List<ValidRow> rows) throws IOException {
    SegmentWriter w = FileType.PARQUET.open(ALL_TYPES, FormatOptions.defaults(),
        new DirectorySegmentOutput(dir), 1);
    for (ValidRow r : rows) {
      w.write(r);
    }
    assertEquals(rows.size(), w.rowCount());
    w.close();
    return dir.resolve("1.parquet");
  }

  /** Every record of the file through parquet-java's example Group API. */
  private static List<Group> readAll(Path file) throws IOException {
    List<Group> out = new ArrayList<>();
    try (ParquetFileReader r = ParquetFileReader.open(new LocalInputFile(file))) {
      MessageType schema = r.getFooter().getFileMetaData().getSchema();
      PageReadStore pages;
      while ((pages = r.readNextRowGroup()) != null) {
        RecordReader<Group> records = new ColumnIOFactory().getColumnIO(schema)
            .getRecordReader(pages, new GroupRecordConverter(schema));
        for (long i = 0; i < pages.getRowCount(); i++) {
          out.add(records.read());
        }
      }
    }
    return out;
  }

  private static void assertRow(CollectionSchema schema, ValidRow expected, Group g) {
    List<FieldSchema> cols = schema.columns();
    for (int i = 0; i < cols.size(); i++) {
      FieldSchema f = cols.get(i);
      Object want = expected.get(i);
      if (want == null) {
        assertEquals(0, g.getFieldRepetitionCount(i), f.name() + " should be null");
        continue;
      }
      assertEquals(1, g.getFieldRepetitionCount(i), f.name());
      switch (f.dataType()) {
        case BOOL: assertEquals(want, g.getBoolean(i, 0), f.name()); break;
        case INT8: case INT16: case INT32:
          assertEquals(want, (long) g.getInteger(i, 0), f.name()); break;
        case INT64: assertEquals(want, g.getLong(i, 0), f.name()); break;
        case FLOAT: assertEquals(want, g.getFloat(i, 0), f.name()); break;
        case DOUBLE: assertEquals(want, g.getDouble(i, 0), f.name()); break;
        case VARCHAR: case GEOMETRY: case TIMESTAMPTZ:
          assertEquals(want, g.getString(i, 0), f.name()); break;
        case JSON: assertEquals(((JsonText) want).text(), g.getString(i, 0), f.name()); break;
        case SPARSE_FLOAT_VECTOR:
          assertEquals(ParquetValueWriters.sparseJson((SparseVector) want), g.getString(i, 0),
              f.name());
          break;
        case ARRAY:
          assertEquals(want, readList(g.getGroup(i, 0), f.elementType()), f.name());
          break;
        case FLOAT_VECTOR: {
          List<Object> got = readList(g.getGroup(i, 0), DataType.FLOAT);
          float[] a = new float[got.size()];
          for (int k = 0; k < a.length; k++) {
            a[k] = (Float) got.get(k);
          }
          assertArrayEquals((float[]) want, a, f.name());
          break;
        }
        case BINARY_VECTOR: case FLOAT16_VECTOR: case BFLOAT16_VECTOR: case INT8_VECTOR: {
          List<Object> got = readList(g.getGroup(i, 0), DataType.INT32);
          byte[] w = (byte[]) want;
          assertEquals(w.length, got.size(), f.name());
          for (int k = 0; k < w.length; k++) {
            long x = (Long) got.get(k);
            long expect = f.dataType() == DataType.INT8_VECTOR ? w[k] : w[k] & 0xff;
            assertEquals(expect, x, f.name() + "[" + k + "]");
          }
          break;
        }
        default:
          throw new AssertionError(f.describe());
      }
    }
  }

  /** The elements of a 3-level LIST group, each as its normalized Java value. */
  private static List<Object> readList(Group list, DataType element) {
    List<Object> out = new ArrayList<>();
    int n = list.getFieldRepetitionCount("list");
    for (int k = 0; k < n; k++) {
      Group e = list.getGroup("list", k);
      assertEquals(1, e.getFieldRepetitionCount("element"), "a list element is null");
      switch (element) {
        case BOOL: out.add(e.getBoolean("element", 0)); break;
        case INT8: case INT16: case INT32: out.add((long) e.getInteger("element", 0)); break;
        case INT64: out.add(e.getLong("element", 0)); break;
        case FLOAT: out.add(e.getFloat("element", 0)); break;
        case DOUBLE: out.add(e.getDouble("element", 0)); break;
        case VARCHAR: out.add(e.getString("element", 0)); break;
        default: throw new AssertionError(element.toString());
      }
    }
    return out;
  }

  @Test
  void readListSeesNoElementsInAnEmptyList() throws IOException {
    Group g = readAll(writeAll(List.of(edgeRow(9)))).get(0);
    assertEquals(1, g.getFieldRepetitionCount(index("arr_varchar")));
    assertEquals(List.of(), readList(g.getGroup(index("arr_varchar"), 0), DataType.VARCHAR));
    assertEquals("{}", g.getString(index("$meta"), 0));
    assertEquals(Arrays.asList(0L, 128L), readList(g.getGroup(index("bv"), 0), DataType.INT32));
  }
}
