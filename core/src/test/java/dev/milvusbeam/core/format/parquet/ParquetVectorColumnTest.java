package dev.milvusbeam.core.format.parquet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.parquet.bytes.HeapByteBufferAllocator;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.convert.GroupRecordConverter;
import org.apache.parquet.hadoop.CodecFactory;
import org.apache.parquet.hadoop.ColumnChunkPageWriteStore;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.internal.column.columnindex.ColumnIndex;
import org.apache.parquet.io.ColumnIOFactory;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.io.RecordReader;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Null and empty vectors (not reachable through a collection schema) and the level runs. */
class ParquetVectorColumnTest {
  @TempDir Path dir;

  @Test
  void levelsAreRleRunsWithTheirLength() {
    ParquetVectorColumn.Levels l = new ParquetVectorColumn.Levels(1);
    l.add(0, 1);
    l.add(1, 767);
    // length 5; run of one 0: header 1<<1, value; run of 767 1s: varint 1534 = FE 0B, value
    assertArrayEquals(new byte[] {5, 0, 0, 0, 2, 0, (byte) 0xfe, 0x0b, 1}, bytes(l));
    l.reset();
    ParquetVectorColumn.Levels d = new ParquetVectorColumn.Levels(2);
    d.add(3, 2);
    d.add(3, 5); // one run
    d.add(0, 1);
    d.add(1, 1);
    assertArrayEquals(new byte[] {6, 0, 0, 0, 14, 3, 2, 0, 2, 1}, bytes(d));
    assertThrows(IllegalArgumentException.class, () -> new ParquetVectorColumn.Levels(9));
  }

  private static byte[] bytes(ParquetVectorColumn.Levels l) {
    try {
      return l.bytes().toByteArray();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void nullAndEmptyFloatVectorsAcrossSmallPages() throws IOException {
    List<float[]> rows = Arrays.asList(null, new float[0], new float[] {1, 2}, null, null,
        new float[] {3}, new float[0], new float[] {-1, 5, 6, 7}, null, new float[] {0.5f},
        null, new float[0], null, new float[0], null);
    MessageType schema = MessageTypeParser.parseMessageType("message m { optional group v (LIST)"
        + " { repeated group list { optional float element; } } }");
    Path file = write(schema, rows.size(), c -> {
      for (float[] r : rows) {
        c.write(r);
      }
    }, false);
    List<Group> got = readAll(file);
    assertEquals(rows.size(), got.size());
    for (int i = 0; i < rows.size(); i++) {
      float[] want = rows.get(i);
      Group g = got.get(i);
      if (want == null) {
        assertEquals(0, g.getFieldRepetitionCount(0), "row " + i);
        continue;
      }
      Group list = g.getGroup(0, 0);
      float[] a = new float[list.getFieldRepetitionCount("list")];
      for (int k = 0; k < a.length; k++) {
        a[k] = list.getGroup("list", k).getFloat("element", 0);
      }
      assertArrayEquals(want, a, "row " + i);
    }
    // pages of at most 3 rows; each counts its null and empty vectors as nulls, as parquet-java
    try (ParquetFileReader r = ParquetFileReader.open(new LocalInputFile(file))) {
      ColumnChunkMetaData chunk = r.getFooter().getBlocks().get(0).getColumns().get(0);
      ColumnIndex index = r.readColumnIndex(chunk);
      assertEquals(List.of(2L, 2L, 2L, 2L, 3L), index.getNullCounts());
      assertEquals(List.of(false, false, false, false, true), index.getNullPages());
      assertEquals(1f, le(index.getMinValues().get(0)).getFloat(0));
      assertEquals(7f, le(index.getMaxValues().get(2)).getFloat(0));
      assertEquals(11L, chunk.getStatistics().getNumNulls());
      assertEquals(-1f, chunk.getStatistics().genericGetMin());
    }
  }

  @Test
  void byteVectorsAreSignedOrUnsignedInt32() throws IOException {
    byte[][] rows = {{-128, -1, 0, 127}, null, {5}};
    MessageType schema = MessageTypeParser.parseMessageType("message m { optional group v (LIST)"
        + " { repeated group list { optional int32 element (INTEGER(8,true)); } } }");
    Path signed = write(schema, rows.length, c -> {
      for (byte[] r : rows) {
        c.write(r);
      }
    }, false);
    assertEquals(List.of(-128, -1, 0, 127), ints(readAll(signed).get(0)));
    assertEquals(List.of(5), ints(readAll(signed).get(2)));
    MessageType unsigned = MessageTypeParser.parseMessageType("message m { optional group v"
        + " (LIST) { repeated group list { optional int32 element (INTEGER(8,false)); } } }");
    Path file = write(unsigned, rows.length, c -> {
      for (byte[] r : rows) {
        c.write(r);
      }
    }, true);
    assertEquals(List.of(128, 255, 0, 127), ints(readAll(file).get(0)));
    try (ParquetFileReader r = ParquetFileReader.open(new LocalInputFile(file))) {
      ColumnChunkMetaData chunk = r.getFooter().getBlocks().get(0).getColumns().get(0);
      assertEquals(0, chunk.getStatistics().genericGetMin());
      assertEquals(255, chunk.getStatistics().genericGetMax());
    }
  }

  private static List<Integer> ints(Group g) {
    Group list = g.getGroup(0, 0);
    List<Integer> out = new ArrayList<>();
    for (int k = 0; k < list.getFieldRepetitionCount("list"); k++) {
      out.add(list.getGroup("list", k).getInteger("element", 0));
    }
    return out;
  }

  private static ByteBuffer le(ByteBuffer b) {
    return b.duplicate().order(ByteOrder.LITTLE_ENDIAN);
  }

  private interface Rows {
    void write(ParquetVectorColumn c) throws IOException;
  }

  /** One row group of one vector column, pages of at most 3 rows, through parquet-java. */
  private Path write(MessageType schema, int rowCount, Rows rows, boolean unsigned)
      throws IOException {
    Path file = dir.resolve(unsigned + "-" + System.nanoTime() + ".parquet");
    ColumnDescriptor column = schema.getColumns().get(0);
    ParquetProperties props = ParquetProperties.builder().build();
    ParquetFileWriter w = new ParquetFileWriter(new LocalOutputFile(file), schema,
        ParquetFileWriter.Mode.CREATE, 1 << 20, 0, null, props);
    w.start();
    CodecFactory codecs = new CodecFactory(new PlainParquetConfiguration(), 1 << 20);
    try (ColumnChunkPageWriteStore store = new ColumnChunkPageWriteStore(
        codecs.getCompressor(CompressionCodecName.SNAPPY), schema, new HeapByteBufferAllocator(),
        64, true)) {
      ParquetVectorColumn c = new ParquetVectorColumn(column, unsigned, 1 << 20, 3);
      c.startRowGroup(store.getPageWriter(column));
      rows.write(c);
      c.flush();
      w.startBlock(rowCount);
      store.flushToFileWriter(w);
      w.endBlock();
    }
    w.end(Map.of());
    codecs.release();
    return file;
  }

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
}
