package dev.milvusbeam.core.format.numpy;

import dev.milvusbeam.core.format.SegmentOutput;
import dev.milvusbeam.core.row.JsonText;
import dev.milvusbeam.core.schema.DataType;
import dev.milvusbeam.core.schema.FieldSchema;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One column of a NumPy segment while it is written. The row count N (and, for text, the width L)
 * of the {@code .npy} header is known only at the end, so a column is either
 *
 * <ul>
 *   <li><b>in place</b> ({@link #inPlace}): a fixed-width column whose segment output offers a
 *       random-access local file ({@link SegmentOutput#createRandomAccess}). Its header has the
 *       same size whatever N (numpy pads it for the first axis to grow to 21 digits), so the data
 *       is written once, straight at its final offset through a direct buffer, and the header
 *       last, at offset 0 ({@link #finishInPlace});</li>
 *   <li>or <b>spooled</b> ({@link #open}) to a local temp file, because the output may be a
 *       bucket that cannot seek, or the width L of a text column is not known yet; {@link
 *       #writeNpy} then streams header and data to the real file.</li>
 * </ul>
 *
 * <p>Buffers are written and read sequentially, in blocks of at least 64 KiB; memory stays bounded
 * whatever the row count. {@link Fixed} columns hold the final bytes; {@link Text} columns spool
 * each value as a code-point count followed by its UTF-32LE code points, and pad them with NULs to
 * L on output.
 */
abstract class NpyColumn {
  /** Spool buffer size: big sequential reads and writes. */
  static final int BUFFER_BYTES = 1 << 16;
  /** Direct buffer of an in-place column: 256 rows, at least 64 KiB, at most 1 MiB (or a row). */
  private static final int IN_PLACE_BUFFER_BYTES = 1 << 20;

  final FieldSchema field;
  /** The temp file, or null for a column written in place. */
  private final Path spool;
  /** The spool, or the final file of an in-place column. */
  private final FileChannel channel;
  /** Write mode while appending; reused for reading the spool back in {@link #writeNpy}. */
  final ByteBuffer buffer;

  private NpyColumn(FieldSchema field, Path tempDirectory, int minBufferBytes) throws IOException {
    this.field = field;
    this.spool = Files.createTempFile(tempDirectory, "milvus-npy-", ".spool");
    try {
      this.channel = FileChannel.open(spool, StandardOpenOption.READ, StandardOpenOption.WRITE);
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(spool);
      throw e;
    }
    int size = Math.max(BUFFER_BYTES, minBufferBytes);
    this.buffer = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
  }

  /** An in-place column: appends go to {@code file} from {@code dataOffset} on. */
  private NpyColumn(FieldSchema field, FileChannel file, long dataOffset, int rowBytes)
      throws IOException {
    this.field = field;
    this.spool = null;
    this.channel = file;
    file.position(dataOffset);
    int size = Math.max(BUFFER_BYTES, (int) Math.min(IN_PLACE_BUFFER_BYTES, 256L * rowBytes));
    this.buffer = ByteBuffer.allocateDirect(Math.max(size, rowBytes)).order(ByteOrder.LITTLE_ENDIAN);
  }

  /** Whether the column is written {@link #inPlace}. */
  final boolean isInPlace() {
    return spool == null;
  }

  /** Whether {@link #inPlace} can write this column (a fixed-width type). */
  static boolean fixedWidth(FieldSchema field) {
    switch (field.dataType()) {
      case BOOL: case INT8: case INT16: case INT32: case INT64: case FLOAT: case DOUBLE:
      case FLOAT_VECTOR: case BINARY_VECTOR: case FLOAT16_VECTOR: case BFLOAT16_VECTOR:
      case INT8_VECTOR:
        return true;
      default:
        return false;
    }
  }

  /**
   * A {@link #fixedWidth} column written straight into its final file; closes {@code file} if
   * it fails.
   */
  static NpyColumn inPlace(FieldSchema field, FileChannel file) throws IOException {
    try {
      return new Fixed(field, file);
    } catch (IOException | RuntimeException e) {
      try {
        file.close();
      } catch (IOException | RuntimeException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
  }

  /** The spool of a column of a schema that passed {@link NumpyFormat#checkSchema}. */
  static NpyColumn open(FieldSchema field, Path tempDirectory) throws IOException {
    switch (field.dataType()) {
      case VARCHAR: case JSON:
        return new Text(field, tempDirectory);
      case BOOL: case INT8: case INT16: case INT32: case INT64: case FLOAT: case DOUBLE:
      case FLOAT_VECTOR: case BINARY_VECTOR: case FLOAT16_VECTOR: case BFLOAT16_VECTOR:
      case INT8_VECTOR:
        return new Fixed(field, tempDirectory);
      default:
        throw new IllegalArgumentException("column " + field.describe()
            + " cannot be written to NumPy");
    }
  }

  /**
   * Appends one normalized value of this column ({@link dev.milvusbeam.core.row.ValidRow}: the
   * validator made it, so it is not checked again).
   */
  abstract void append(Object value) throws IOException;

  /** Bytes the {@code .npy} file will take with {@code rows} rows (header included). */
  abstract long fileSize(long rows);

  /** The file's size with {@code value} as row {@code rows + 1} (a text column may widen). */
  long fileSizeWith(long rows, Object value) {
    return fileSize(rows + 1);
  }

  /** Writes the whole {@code .npy} file (header, then {@code rows} rows of data) to {@code out}. */
  abstract void writeNpy(OutputStream out, long rows) throws IOException;

  /** In-place columns: writes the rest of the data, then the header, and closes the file. */
  void finishInPlace(long rows) throws IOException {
    throw new IllegalStateException("column '" + field.name() + "' is spooled");
  }

  /** Writes {@code bytes} at {@code position} of the file (in-place columns). */
  final void writeAt(ByteBuffer bytes, long position) throws IOException {
    while (bytes.hasRemaining()) {
      position += channel.write(bytes, position);
    }
  }

  /** The file position after what was drained (in-place columns). */
  final long position() throws IOException {
    return channel.position();
  }

  final void closeChannel() throws IOException {
    channel.close();
  }

  /**
   * Closes the spool or file and deletes the spool; never throws. An in-place file stays: the
   * store discards the files of a segment that is given up.
   */
  final void release() {
    try {
      channel.close();
    } catch (IOException | RuntimeException e) {
      // nothing to finish: the spool is thrown away
    }
    if (spool == null) {
      return;
    }
    try {
      Files.deleteIfExists(spool);
    } catch (IOException | RuntimeException e) {
      // a temp file left behind is not worth failing the caller for
    }
  }

  /** Bytes in the spool file (call after {@link #startReading}). */
  final long spoolBytes() throws IOException {
    return channel.size();
  }

  /** Makes room for {@code bytes} more bytes in the write buffer (at most its capacity). */
  final void reserve(int bytes) throws IOException {
    if (buffer.remaining() < bytes) {
      drain();
    }
  }

  /** Writes what is buffered to the spool. */
  final void drain() throws IOException {
    buffer.flip();
    while (buffer.hasRemaining()) {
      channel.write(buffer);
    }
    buffer.clear();
  }

  /** Finishes spooling and rewinds: the buffer is then empty in read mode. */
  final void startReading() throws IOException {
    drain();
    channel.position(0);
    buffer.limit(0);
  }

  /** Makes at least {@code bytes} unread bytes available in the read buffer. */
  final void fill(int bytes) throws IOException {
    if (buffer.remaining() >= bytes) {
      return;
    }
    buffer.compact();
    while (buffer.position() < bytes) {
      if (channel.read(buffer) < 0) {
        throw new EOFException("spool of column '" + field.name() + "' ended early");
      }
    }
    buffer.flip();
  }

  /** Copies {@code bytes} bytes of the spool to {@code out}. */
  final void copy(OutputStream out, long bytes) throws IOException {
    while (bytes > 0) {
      fill(1);
      int n = (int) Math.min(bytes, buffer.remaining());
      out.write(buffer.array(), buffer.arrayOffset() + buffer.position(), n);
      buffer.position(buffer.position() + n);
      bytes -= n;
    }
  }

  /** A column whose every row takes the same number of bytes: numbers, bools and dense vectors. */
  static final class Fixed extends NpyColumn {
    private final DataType type;
    private final String descr;
    /** Second dimension, or {@link NpyHeader#ONE_D}. */
    private final int width;
    private final int itemBytes;

    /** Bytes before the data: the same whatever the row count (in-place columns rely on it). */
    private final int headerBytes;

    Fixed(FieldSchema field, Path tempDirectory) throws IOException {
      super(field, tempDirectory, rowBytes(field));
      this.type = field.dataType();
      this.itemBytes = rowBytes(field);
      this.descr = descr(type);
      this.width = width(field);
      this.headerBytes = NpyHeader.size(descr, 0, width);
    }

    /** In place: the data starts right after the header's room. */
    Fixed(FieldSchema field, FileChannel file) throws IOException {
      super(field, file, NpyHeader.size(descr(field.dataType()), 0, width(field)), rowBytes(field));
      this.type = field.dataType();
      this.itemBytes = rowBytes(field);
      this.descr = descr(type);
      this.width = width(field);
      this.headerBytes = NpyHeader.size(descr, 0, width);
    }

    /** The numpy dtype of each type (FORMAT.md section 4: exact, no widening). */
    private static String descr(DataType type) {
      switch (type) {
        case BOOL: return "|b1";
        case INT8: return "|i1";
        case INT16: return "<i2";
        case INT32: return "<i4";
        case INT64: return "<i8";
        case FLOAT: return "<f4";
        case DOUBLE: return "<f8";
        case FLOAT_VECTOR: return "<f4";
        case BINARY_VECTOR: return "|u1";
        case FLOAT16_VECTOR: return "|u1";
        case BFLOAT16_VECTOR: return "|u1";
        case INT8_VECTOR: return "|i1";
        default: throw new IllegalArgumentException(type + " cannot be written to NumPy");
      }
    }

    /** Values per row of a vector column (the second dimension), else 1-D. */
    private static int width(FieldSchema f) {
      switch (f.dataType()) {
        case FLOAT_VECTOR: return f.dim();
        case BINARY_VECTOR: return f.dim() / 8;
        case FLOAT16_VECTOR: return 2 * f.dim();
        case BFLOAT16_VECTOR: return 2 * f.dim();
        case INT8_VECTOR: return f.dim();
        default: return NpyHeader.ONE_D;
      }
    }

    private static int rowBytes(FieldSchema f) {
      switch (f.dataType()) {
        case BOOL: case INT8: return 1;
        case INT16: return 2;
        case INT32: case FLOAT: return 4;
        case INT64: case DOUBLE: return 8;
        case FLOAT_VECTOR: return 4 * f.dim();
        default: return width(f); // byte vectors: one byte per value
      }
    }

    @Override
    void append(Object v) throws IOException {
      reserve(itemBytes);
      switch (type) {
        case BOOL: buffer.put((Boolean) v ? (byte) 1 : (byte) 0); break;
        case INT8: buffer.put((byte) (long) (Long) v); break;
        case INT16: buffer.putShort((short) (long) (Long) v); break;
        case INT32: buffer.putInt((int) (long) (Long) v); break;
        case INT64: buffer.putLong((Long) v); break;
        case FLOAT: buffer.putFloat((Float) v); break;
        case DOUBLE: buffer.putDouble((Double) v); break;
        case FLOAT_VECTOR:
          // one bulk little-endian copy per vector instead of a call per element
          buffer.asFloatBuffer().put((float[]) v);
          buffer.position(buffer.position() + itemBytes);
          break;
        default: buffer.put((byte[]) v); // binary, fp16, bf16 and int8 vectors: raw bytes
      }
    }

    @Override
    long fileSize(long rows) {
      return headerBytes + rows * itemBytes; // called after every row: no header arithmetic
    }

    @Override
    void writeNpy(OutputStream out, long rows) throws IOException {
      startReading();
      long bytes = rows * itemBytes;
      if (spoolBytes() != bytes) {
        throw new IllegalStateException("spool of column '" + field.name() + "' holds "
            + spoolBytes() + " bytes, expected " + bytes);
      }
      out.write(NpyHeader.encode(descr, rows, width));
      copy(out, bytes);
    }

    @Override
    void finishInPlace(long rows) throws IOException {
      drain();
      long end = headerBytes + rows * itemBytes;
      if (position() != end) {
        throw new IllegalStateException("file of column '" + field.name() + "' ends at "
            + position() + ", expected " + end);
      }
      byte[] header = NpyHeader.encode(descr, rows, width);
      if (header.length != headerBytes) { // numpy's header grows only past 10^21 rows
        throw new IllegalStateException("header of column '" + field.name() + "' takes "
            + header.length + " bytes, " + headerBytes + " were left for it");
      }
      writeAt(ByteBuffer.wrap(header), 0);
      closeChannel();
    }
  }

  /**
   * VarChar, JSON and {@code $meta}: numpy {@code <U{L}}, fixed-width UTF-32LE where L is the
   * longest value of the file in code points (at least 1) and shorter values are NUL-padded.
   */
  static final class Text extends NpyColumn {
    private static final byte[] ZEROS = new byte[4096];

    /** Longest value so far, in code points. */
    private int longest;
    /** {@code <U{max(1, longest)}}, kept up to date so that {@link #fileSize} is cheap. */
    private String descr = "<U1";
    /** The header size for {@link #descr} (the same whatever the row count). */
    private int headerBytes = NpyHeader.size(descr, 0, NpyHeader.ONE_D);

    Text(FieldSchema field, Path tempDirectory) throws IOException {
      super(field, tempDirectory, 0);
    }

    @Override
    void append(Object v) throws IOException {
      String s = v instanceof JsonText ? ((JsonText) v).text() : (String) v;
      int codePoints;
      if (4 + 4L * s.length() <= buffer.capacity()) {
        codePoints = appendInBuffer(s);
      } else { // longer than the buffer: value by value
        codePoints = s.codePointCount(0, s.length());
        reserve(4);
        buffer.putInt(codePoints);
        for (int i = 0; i < s.length(); ) {
          int cp = s.codePointAt(i);
          i += Character.charCount(cp);
          reserve(4);
          buffer.putInt(cp);
        }
      }
      if (codePoints > longest) {
        longest = codePoints;
        descr = "<U" + longest;
        headerBytes = NpyHeader.size(descr, 0, NpyHeader.ONE_D);
      }
    }

    /**
     * The count and code points of a value that fits the buffer, stored straight into its array
     * (one capacity check per value, not per code point). Returns the count.
     */
    private int appendInBuffer(String s) throws IOException {
      reserve(4 + 4 * s.length());
      byte[] a = buffer.array();
      int start = buffer.arrayOffset() + buffer.position();
      int p = start + 4;
      int count = 0;
      for (int i = 0; i < s.length(); count++) {
        char c = s.charAt(i);
        int cp = c;
        if (Character.isHighSurrogate(c)) {
          cp = s.codePointAt(i);
        }
        i += Character.charCount(cp);
        putIntLe(a, p, cp);
        p += 4;
      }
      putIntLe(a, start, count);
      buffer.position(p - buffer.arrayOffset());
      return count;
    }

    private static void putIntLe(byte[] a, int p, int v) {
      a[p] = (byte) v;
      a[p + 1] = (byte) (v >>> 8);
      a[p + 2] = (byte) (v >>> 16);
      a[p + 3] = (byte) (v >>> 24);
    }

    private int width() {
      return Math.max(1, longest);
    }

    @Override
    long fileSize(long rows) {
      return headerBytes + rows * 4L * width();
    }

    @Override
    long fileSizeWith(long rows, Object v) {
      String s = v instanceof JsonText ? ((JsonText) v).text() : (String) v;
      int codePoints = s == null ? 0 : s.codePointCount(0, s.length());
      if (codePoints <= width()) {
        return fileSize(rows + 1);
      }
      return NpyHeader.size("<U" + codePoints, 0, NpyHeader.ONE_D) + (rows + 1) * 4L * codePoints;
    }

    @Override
    void writeNpy(OutputStream out, long rows) throws IOException {
      startReading();
      int width = width();
      out.write(NpyHeader.encode(descr, rows, NpyHeader.ONE_D));
      for (long r = 0; r < rows; r++) {
        fill(4);
        int codePoints = buffer.getInt();
        copy(out, 4L * codePoints);
        long padding = 4L * (width - codePoints);
        while (padding > 0) {
          int n = (int) Math.min(padding, ZEROS.length);
          out.write(ZEROS, 0, n);
          padding -= n;
        }
      }
    }
  }

}
