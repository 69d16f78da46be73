package dev.milvusbeam.core.format.parquet;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.List;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.ColumnWriteStore;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.column.page.PageWriteStore;
import org.apache.parquet.column.page.PageWriter;
import org.apache.parquet.column.statistics.FloatStatistics;
import org.apache.parquet.column.statistics.IntStatistics;
import org.apache.parquet.column.statistics.SizeStatistics;
import org.apache.parquet.column.statistics.Statistics;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;

/**
 * Encodes one dense-vector column ({@code optional group f (LIST) { repeated group list {
 * optional T element; } }}, T float or int32) straight into Parquet V1 data pages, a whole vector
 * at a time: the values as PLAIN little-endian bytes copied in bulk, the repetition and definition
 * levels as runs of the RLE/bit-packing hybrid encoding (a vector is two repetition runs, and a
 * page of vectors one definition run), the page statistics (min, max, nulls) and size statistics
 * as parquet-java's own column writer computes them. The pages go to parquet-java's
 * {@link PageWriter} of the row group, which compresses them, keeps the column's statistics and
 * page index and writes the column chunk. This is what the record-consumer path does per element
 * (a group, a field, two level encoders, a values writer and the statistics per float).
 *
 * <p>A page ends at a row boundary once its values reach the page size or its rows the page row
 * limit, as in parquet-java. Elements are never null (FORMAT.md section 3); a null vector has
 * definition level 0, an empty one 1, an element {@code 3}.
 *
 * <p>This is the {@link ParquetValueWriter} of a dense-vector column; the segment writer also
 * asks it for its buffered bytes and has it write its last page when the row group ends.
 */
final class ParquetVectorColumn extends ParquetValueWriter {
  private static final VarHandle INT_LE =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
  private static final int NULL_LEVEL = 0;
  private static final int EMPTY_LEVEL = 1;
  private static final int ELEMENT_LEVEL = 3;

  private final ColumnDescriptor column;
  private final PrimitiveType type;
  private final boolean floats;
  private final int mask; // int32 elements: 0xff for unsigned bytes, -1 for signed
  private final int pageBytes;
  private final int pageRowLimit;

  private PageWriter pages;
  private byte[] values = new byte[0];
  private FloatBuffer floatView = FloatBuffer.allocate(0); // over values
  private int valueBytes;
  private final Levels repetition = new Levels(1);
  private final Levels definition = new Levels(2);
  private int rows;
  private int levels; // level entries: elements, plus one per null or empty vector
  private long nulls; // null vectors
  private long empties; // empty vectors
  private float minFloat;
  private float maxFloat;
  private int minInt;
  private int maxInt;
  private boolean hasValue;

  /**
   * @param column the column's leaf (its element)
   * @param unsignedBytes for an int32 column of {@code byte[]} vectors: whether a byte is 0..255
   * @param pageBytes a page ends once its values reach this size
   * @param pageRowLimit or once it holds this many rows
   */
  ParquetVectorColumn(ColumnDescriptor column, boolean unsignedBytes, int pageBytes,
      int pageRowLimit) {
    if (column.getMaxRepetitionLevel() != 1 || column.getMaxDefinitionLevel() != ELEMENT_LEVEL) {
      throw new IllegalArgumentException(column + " is not an optional 3-level LIST");
    }
    this.column = column;
    this.type = column.getPrimitiveType();
    PrimitiveTypeName t = type.getPrimitiveTypeName();
    if (t != PrimitiveTypeName.FLOAT && t != PrimitiveTypeName.INT32) {
      throw new IllegalArgumentException(column + ": only float and int32 elements");
    }
    this.floats = t == PrimitiveTypeName.FLOAT;
    this.mask = unsignedBytes ? 0xff : -1;
    this.pageBytes = pageBytes;
    this.pageRowLimit = pageRowLimit;
  }

  ColumnDescriptor column() {
    return column;
  }

  /** The page writer of the next row group; the previous one's pages must be flushed. */
  void startRowGroup(PageWriter pageWriter) {
    this.pages = pageWriter;
  }

  /** Dense vectors have no column writer: their pages go to the page writer of the column. */
  @Override
  void startRowGroup(ColumnWriteStore columns, PageWriteStore pageStore) {
    startRowGroup(pageStore.getPageWriter(column));
  }

  /** A row's vector, {@code float[]} for a float column, {@code byte[]} for an int32 one, or null. */
  @Override
  void write(Object vector) throws IOException {
    if (floats) {
      write((float[]) vector);
    } else {
      write((byte[]) vector);
    }
  }

  /** Bytes of the row group so far: the finished pages (compressed) and the open page. */
  long bufferedBytes() {
    return pages.getMemSize() + valueBytes + repetition.size() + definition.size();
  }

  /** Appends a float vector, or a null. */
  void write(float[] v) throws IOException {
    if (v == null || v.length == 0) {
      writeNullOrEmpty(v == null);
      return;
    }
    int n = v.length;
    reserve(n * 4);
    floatView.put(valueBytes >> 2, v); // a bulk copy, little-endian as the page
    float min = hasValue ? minFloat : v[0];
    float max = hasValue ? maxFloat : v[0];
    // a loop of its own, which the JIT vectorizes (twice as fast as fused with the copy).
    // Math.min/max order -0.0 before 0.0, as parquet-java's statistics (Float.compare) do.
    for (float x : v) {
      min = Math.min(min, x);
      max = Math.max(max, x);
    }
    minFloat = min;
    maxFloat = max;
    endVector(n);
  }

  /** Appends a vector of bytes, each one int32 element, or a null. */
  void write(byte[] v) throws IOException {
    if (v == null || v.length == 0) {
      writeNullOrEmpty(v == null);
      return;
    }
    int n = v.length;
    byte[] b = reserve(n * 4);
    int off = valueBytes;
    int m = mask;
    int min = hasValue ? minInt : v[0] & m;
    int max = hasValue ? maxInt : v[0] & m;
    for (int i = 0; i < n; i++) {
      int x = v[i] & m;
      INT_LE.set(b, off + 4 * i, x);
      min = Math.min(min, x);
      max = Math.max(max, x);
    }
    minInt = min;
    maxInt = max;
    endVector(n);
  }

  private byte[] reserve(int bytes) {
    if (values.length - valueBytes < bytes) {
      // the page ends after the value that reaches pageBytes: a page and a vector at most
      values = Arrays.copyOf(values, Math.max(valueBytes + bytes,
          Math.min(2 * values.length + bytes, pageBytes + bytes)) + 3 & ~3);
      floatView = ByteBuffer.wrap(values).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
    }
    return values;
  }

  private void endVector(int n) throws IOException {
    valueBytes += 4 * n;
    hasValue = true;
    repetition.add(0, 1);
    if (n > 1) {
      repetition.add(1, n - 1);
    }
    definition.add(ELEMENT_LEVEL, n);
    levels += n;
    endRow();
  }

  private void writeNullOrEmpty(boolean isNull) throws IOException {
    repetition.add(0, 1);
    definition.add(isNull ? NULL_LEVEL : EMPTY_LEVEL, 1);
    if (isNull) {
      nulls++;
    } else {
      empties++;
    }
    levels++;
    endRow();
  }

  private void endRow() throws IOException {
    rows++;
    if (valueBytes >= pageBytes || rows >= pageRowLimit) {
      writePage();
    }
  }

  /** Writes the open page, if any: at the end of the row group. */
  void flush() throws IOException {
    if (rows > 0) {
      writePage();
    }
  }

  private void writePage() throws IOException {
    Statistics<?> stats;
    if (floats) {
      FloatStatistics s = (FloatStatistics) Statistics.createStats(type);
      if (hasValue) {
        s.setMinMax(minFloat, maxFloat);
      }
      stats = s;
    } else {
      IntStatistics s = (IntStatistics) Statistics.createStats(type);
      if (hasValue) {
        s.setMinMax(minInt, maxInt);
      }
      stats = s;
    }
    // parquet-java counts every level entry below the element's level as a null
    stats.incrementNumNulls(nulls + empties);
    long elements = levels - nulls - empties;
    SizeStatistics size = new SizeStatistics(type, 0, List.of((long) rows, (long) levels - rows),
        List.of(nulls, empties, 0L, elements));
    BytesInput page = BytesInput.concat(repetition.bytes(), definition.bytes(),
        BytesInput.from(values, 0, valueBytes));
    pages.writePage(page, levels, rows, stats, size, Encoding.RLE, Encoding.RLE, Encoding.PLAIN);
    // the page writer has copied the bytes (compressed or not) into its own buffers
    repetition.reset();
    definition.reset();
    valueBytes = 0;
    rows = 0;
    levels = 0;
    nulls = 0;
    empties = 0;
    hasValue = false;
  }

  /**
   * Levels of a V1 page in the RLE/bit-packing hybrid encoding, only RLE runs: a 4-byte
   * little-endian length, then per run the varint {@code count << 1} and the value in one byte
   * (bit widths 1 and 2 here).
   */
  static final class Levels {
    private byte[] buf = new byte[64];
    private int len = 4; // the length prefix is filled in by bytes()
    private int runValue = -1;
    private int runCount;

    Levels(int bitWidth) {
      if (bitWidth < 1 || bitWidth > 8) {
        throw new IllegalArgumentException("bit width " + bitWidth);
      }
    }

    /** Appends {@code count} times {@code value}, continuing the last run if it is the same. */
    void add(int value, int count) {
      if (value == runValue) {
        runCount += count;
      } else {
        endRun();
        runValue = value;
        runCount = count;
      }
    }

    private void endRun() {
      if (runCount == 0) {
        return;
      }
      if (buf.length - len < 6) {
        buf = Arrays.copyOf(buf, 2 * buf.length);
      }
      int header = runCount << 1; // runs are at most a page of values: well below 2^30
      while ((header & ~0x7f) != 0) {
        buf[len++] = (byte) ((header & 0x7f) | 0x80);
        header >>>= 7;
      }
      buf[len++] = (byte) header;
      buf[len++] = (byte) runValue;
      runCount = 0;
    }

    /** Bytes buffered, the open run counted as one. */
    int size() {
      return len + (runCount == 0 ? 0 : 6);
    }

    /** The encoded levels with their length prefix; valid until the next change. */
    BytesInput bytes() {
      endRun();
      runValue = -1;
      INT_LE.set(buf, 0, len - 4);
      return BytesInput.from(buf, 0, len);
    }

    void reset() {
      len = 4;
      runValue = -1;
      runCount = 0;
    }
  }
}
