package dev.milvusbeam.core.format.numpy;

import dev.milvusbeam.core.format.SegmentVerifier;
import dev.milvusbeam.core.format.DataFolder;
import dev.milvusbeam.core.format.VerifyReport;
import dev.milvusbeam.core.format.FormatOptions;
import dev.milvusbeam.core.row.Rule;
import dev.milvusbeam.core.row.HalfFloats;
import dev.milvusbeam.core.row.Violation;
import dev.milvusbeam.core.schema.CollectionSchema;
import dev.milvusbeam.core.schema.DataType;
import dev.milvusbeam.core.schema.FieldSchema;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * NumPy segments: a folder {@code N/} holding exactly one {@code <column>.npy} per column of the
 * schema ({@code $meta.npy} included), all with the same row count. Each file's header is read
 * byte by byte (FORMAT.md section 4: magic, version 1.0, the dict text exactly as numpy writes it,
 * data aligned to 64 bytes, C order), its dtype and shape are checked against the field type
 * (exact dtypes, no widening; {@code (N,)} or {@code (N, dim)}), its size against the header
 * (a truncated file is reported), then its values are streamed and checked by the validation
 * rules (NaN/Inf, UTF-8, VarChar byte length, JSON text, {@code $meta} an object).
 */
public final class NumpySegmentVerifier extends SegmentVerifier {
  private static final Pattern DICT = Pattern.compile("\\{'descr': '([^']*)', 'fortran_order':"
      + " (True|False), 'shape': \\(([^)]*)\\), \\} *\n");
  private static final Pattern SHAPE_1D = Pattern.compile("([0-9]+),");
  private static final Pattern SHAPE_2D = Pattern.compile("([0-9]+), ([0-9]+)");
  private static final Pattern TEXT = Pattern.compile("<U([1-9][0-9]*)");
  private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
  private static final int BUFFER_BYTES = 1 << 16;

  public NumpySegmentVerifier(CollectionSchema schema, FormatOptions options) {
    super(schema, options);
  }

  /** What a header says, once it passed the checks that let the data be located. */
  private static final class Header {
    long rows = -1;
    /** Bytes per row; 0 when the dtype or shape is wrong (values are then not read). */
    long rowBytes;
    long dataOffset;
    /** Text columns: code points per value. */
    int textWidth;
    boolean sizeOk;
  }

  @Override
  public long verify(int segment, List<DataFolder.DataFile> files, DataFolder folder,
      VerifyReport report) throws IOException {
    Map<String, DataFolder.DataFile> byColumn = new LinkedHashMap<>();
    for (DataFolder.DataFile f : files) {
      byColumn.put(NumpyFormat.columnOf(f.path()), f);
    }
    Map<FieldSchema, Header> headers = new LinkedHashMap<>();
    Map<FieldSchema, DataFolder.DataFile> present = new LinkedHashMap<>();
    for (FieldSchema c : schema.columns()) {
      DataFolder.DataFile f = byColumn.remove(c.name());
      if (f == null) {
        report.problem(NumpyFormat.fileName(segment, c.name()), c.name(), "npy-missing", "missing:"
            + " each segment folder needs one .npy file per column of the schema"
            + (c.isDynamicMeta() ? " ($meta.npy holds the dynamic fields, {} when empty)" : ""));
        continue;
      }
      present.put(c, f);
      headers.put(c, header(c, f, folder, report));
    }
    for (DataFolder.DataFile f : byColumn.values()) {
      report.problem(f.path(), null, "layout-stray-data", "not a column of the schema (the"
          + " columns are " + columnNames() + "): Milvus would refuse the segment; remove it");
    }
    Map<Long, List<String>> byRows = new TreeMap<>();
    long rows = -1;
    for (Map.Entry<FieldSchema, Header> e : headers.entrySet()) {
      if (e.getValue().rows >= 0) {
        byRows.computeIfAbsent(e.getValue().rows, k -> new ArrayList<>())
            .add(present.get(e.getKey()).path());
        if (rows < 0) {
          rows = e.getValue().rows;
        }
      }
    }
    if (byRows.size() > 1) {
      long most = rows;
      for (Map.Entry<Long, List<String>> e : byRows.entrySet()) {
        if (e.getValue().size() > byRows.get(most).size()) {
          most = e.getKey();
        }
      }
      for (Map.Entry<FieldSchema, Header> e : headers.entrySet()) {
        long n = e.getValue().rows;
        if (n >= 0 && n != most) {
          report.problem(present.get(e.getKey()).path(), e.getKey().name(), "npy-rows", "holds "
              + n + " rows, " + byRows.get(most).get(0) + " holds " + most + ": every .npy file"
              + " of a segment must have the same row count");
        }
      }
      rows = most;
    }
    for (Map.Entry<FieldSchema, Header> e : headers.entrySet()) {
      Header h = e.getValue();
      if (h.rowBytes > 0 && h.sizeOk) {
        values(e.getKey(), present.get(e.getKey()).path(), h, folder, report);
      }
    }
    return Math.max(rows, 0);
  }

  private List<String> columnNames() {
    List<String> names = new ArrayList<>();
    for (FieldSchema c : schema.columns()) {
      names.add(c.name());
    }
    return names;
  }

  /** Reads and checks the header of column {@code c}'s file. */
  private Header header(FieldSchema c, DataFolder.DataFile file, DataFolder folder,
      VerifyReport report) throws IOException {
    Header h = new Header();
    String name = file.path();
    try (SeekableByteChannel ch = folder.open(name)) {
      ByteBuffer prefix = read(ch, (int) Math.min(12, file.size()));
      if (prefix.limit() < 10) {
        report.problem(name, c.name(), "truncated", "only " + file.size() + " bytes: too short"
            + " for a .npy header");
        return h;
      }
      for (int i = 0; i < MAGIC.length; i++) {
        if (prefix.get(i) != MAGIC[i]) {
          report.problem(name, c.name(), "npy-header", "not a .npy file (no \\x93NUMPY magic)");
          return h;
        }
      }
      int major = prefix.get(6);
      int minor = prefix.get(7);
      long headerLength;
      int prefixLength;
      if (major == 1) {
        headerLength = prefix.getShort(8) & 0xffff;
        prefixLength = 10;
      } else if ((major == 2 || major == 3) && prefix.limit() >= 12) {
        headerLength = prefix.getInt(8) & 0xffffffffL;
        prefixLength = 12;
        report.problem(name, c.name(), "npy-header", "format version " + major + "." + minor
            + ": Milvus reads version 1.0 headers");
      } else {
        report.problem(name, c.name(), "npy-header", "unknown .npy format version " + major + "."
            + minor + " (1.0 expected)");
        return h;
      }
      h.dataOffset = prefixLength + headerLength;
      if (file.size() < h.dataOffset || headerLength > (1 << 20)) {
        report.problem(name, c.name(), "truncated", "the file (" + file.size() + " bytes) ends"
            + " inside its " + headerLength + "-byte header");
        return h;
      }
      ch.position(prefixLength);
      ByteBuffer text = read(ch, (int) headerLength);
      String dict = new String(text.array(), 0, text.limit(), StandardCharsets.ISO_8859_1);
      if (h.dataOffset % 64 != 0) {
        report.problem(name, c.name(), "npy-header", "the data starts at byte " + h.dataOffset
            + ", not at a multiple of 64 (numpy pads the header with spaces)");
      }
      Matcher m = DICT.matcher(dict);
      if (!m.matches()) {
        report.problem(name, c.name(), "npy-header", "the header dict is not exactly as numpy"
            + " writes it ({'descr': '<f4', 'fortran_order': False, 'shape': (N, 768), } then"
            + " spaces and \\n); Milvus parses it by fixed substrings: "
            + dev.milvusbeam.core.row.Excerpts.of(dict.trim()));
        return h;
      }
      String descr = m.group(1);
      Matcher one = SHAPE_1D.matcher(m.group(3));
      Matcher two = SHAPE_2D.matcher(m.group(3));
      boolean oneD = one.matches();
      if (!oneD && !two.matches()) {
        report.problem(name, c.name(), "npy-shape", "shape (" + m.group(3) + ") is neither (N,)"
            + " nor (N, W)");
        return h;
      }
      h.rows = Long.parseLong(oneD ? one.group(1) : two.group(1));
      if (m.group(2).equals("True")) {
        report.problem(name, c.name(), "npy-header", "fortran_order True: Milvus reads C-order"
            + " arrays only");
        return h;
      }
      String want = expectedDescr(c);
      int width = expectedWidth(c);
      long itemBytes;
      if (want == null) { // text
        Matcher t = TEXT.matcher(descr);
        if (!t.matches() || t.group(1).length() > 9) {
          report.problem(name, c.name(), "npy-dtype", "dtype '" + descr + "' for " + c.describe()
              + ": expected '<U{L}' (UTF-32LE text, L = longest value in code points, >= 1)");
          return h;
        }
        h.textWidth = Integer.parseInt(t.group(1));
        itemBytes = 4L * h.textWidth;
      } else {
        if (!descr.equals(want)) {
          report.problem(name, c.name(), "npy-dtype", "dtype '" + descr + "' for "
              + c.describe() + ": expected '" + want + "' (exactly; Milvus does not convert)");
          return h;
        }
        itemBytes = fixedBytes(c) ;
      }
      if (width < 0 ? !oneD : oneD || Long.parseLong(two.group(2)) != width) {
        report.problem(name, c.name(), "npy-shape", "shape (" + m.group(3) + ") for "
            + c.describe() + ": expected " + (width < 0 ? "(N,)" : "(N, " + width + ")"
            + widthNote(c)));
        return h;
      }
      h.rowBytes = itemBytes;
      long expected = h.dataOffset + h.rows * itemBytes;
      if (file.size() < expected) {
        report.problem(name, c.name(), "truncated", "holds " + file.size() + " bytes, its header"
            + " promises " + expected + " (" + h.rows + " rows): truncated or still being written");
      } else if (file.size() > expected) {
        report.problem(name, c.name(), "npy-size", (file.size() - expected) + " bytes after the "
            + h.rows + " rows its header announces");
      } else {
        h.sizeOk = true;
      }
      return h;
    }
  }

  private static String widthNote(FieldSchema c) {
    switch (c.dataType()) {
      case BINARY_VECTOR: return ", dim/8 bytes";
      case FLOAT16_VECTOR: case BFLOAT16_VECTOR: return ", 2·dim raw half bytes";
      default: return c.dataType().isDenseVector() ? ", dim" : "";
    }
  }

  /** The exact dtype of each type (FORMAT.md section 4); null for text ({@code <U{L}}). */
  static String expectedDescr(FieldSchema c) {
    switch (c.dataType()) {
      case BOOL: return "|b1";
      case INT8: return "|i1";
      case INT16: return "<i2";
      case INT32: return "<i4";
      case INT64: return "<i8";
      case FLOAT: case FLOAT_VECTOR: return "<f4";
      case DOUBLE: return "<f8";
      case BINARY_VECTOR: case FLOAT16_VECTOR: case BFLOAT16_VECTOR: return "|u1";
      case INT8_VECTOR: return "|i1";
      default: return null; // VarChar, JSON, $meta
    }
  }

  /** The second dimension of a vector column, or -1 for a 1-D column. */
  static int expectedWidth(FieldSchema c) {
    switch (c.dataType()) {
      case FLOAT_VECTOR: case INT8_VECTOR: return c.dim();
      case BINARY_VECTOR: return c.dim() / 8;
      case FLOAT16_VECTOR: case BFLOAT16_VECTOR: return 2 * c.dim();
      default: return -1;
    }
  }

  private static long fixedBytes(FieldSchema c) {
    switch (c.dataType()) {
      case BOOL: case INT8: return 1;
      case INT16: return 2;
      case INT32: case FLOAT: return 4;
      case INT64: case DOUBLE: return 8;
      case FLOAT_VECTOR: return 4L * c.dim();
      default: return expectedWidth(c); // byte vectors
    }
  }

  /** Streams the values of a file whose header and size are right. */
  private void values(FieldSchema c, String file, Header h, DataFolder folder,
      VerifyReport report) throws IOException {
    DataType t = c.dataType();
    if (t.isIntegral() || t == DataType.BINARY_VECTOR || t == DataType.INT8_VECTOR) {
      return; // every bit pattern of the exact dtype is a valid value
    }
    int item = (int) h.rowBytes;
    ByteBuffer buf = ByteBuffer.allocate(Math.max(BUFFER_BYTES, item)).order(ByteOrder.LITTLE_ENDIAN);
    buf.limit(0);
    try (SeekableByteChannel ch = folder.open(file)) {
      ch.position(h.dataOffset);
      for (long row = 1; row <= h.rows; row++) {
        if (buf.remaining() < item) {
          buf.compact();
          while (buf.position() < item) {
            if (ch.read(buf) < 0) {
              throw new EOFException(file + " ended early");
            }
          }
          buf.flip();
        }
        int start = buf.position();
        Violation v = check(c, h, buf, start);
        buf.position(start + item);
        report(report, file, row, v);
      }
    }
  }

  /** The violation of the value at {@code at}, or null. */
  private Violation check(FieldSchema c, Header h, ByteBuffer b, int at) {
    switch (c.dataType()) {
      case BOOL: {
        byte x = b.get(at);
        return x == 0 || x == 1 ? null : new Violation(c.name(), Rule.WRONG_TYPE, "a |b1 byte"
            + " other than 0 or 1", Integer.toString(x & 0xff), null);
      }
      case FLOAT: {
        float f = b.getFloat(at);
        return Float.isFinite(f) ? null : validator.checkValue(c, f);
      }
      case DOUBLE: {
        double d = b.getDouble(at);
        return Double.isFinite(d) ? null : validator.checkValue(c, d);
      }
      case FLOAT_VECTOR: {
        int dim = c.dim();
        for (int i = 0; i < dim; i++) {
          if (!Float.isFinite(b.getFloat(at + 4 * i))) {
            float[] v = new float[dim];
            for (int j = 0; j < dim; j++) {
              v[j] = b.getFloat(at + 4 * j);
            }
            return validator.checkValue(c, v);
          }
        }
        return null;
      }
      case FLOAT16_VECTOR: case BFLOAT16_VECTOR: {
        boolean fp16 = c.dataType() == DataType.FLOAT16_VECTOR;
        int mask = fp16 ? 0x7c00 : 0x7f80;
        int dim = c.dim();
        for (int i = 0; i < dim; i++) {
          if ((b.getShort(at + 2 * i) & mask) == mask) { // NaN or Inf
            float[] v = new float[dim];
            for (int j = 0; j < dim; j++) {
              short s = b.getShort(at + 2 * j);
              v[j] = fp16 ? HalfFloats.fromFloat16(s) : HalfFloats.fromBFloat16(s);
            }
            return validator.checkValue(c, v);
          }
        }
        return null;
      }
      default: { // <U{L}: UTF-32LE code points, NUL-padded (numpy drops trailing NULs)
        int n = h.textWidth;
        while (n > 0 && b.getInt(at + 4 * (n - 1)) == 0) {
          n--;
        }
        StringBuilder sb = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
          int cp = b.getInt(at + 4 * i);
          if (cp < 0 || cp > Character.MAX_CODE_POINT
              || (cp >= Character.MIN_SURROGATE && cp <= Character.MAX_SURROGATE)) {
            return new Violation(c.name(), Rule.INVALID_UTF8, "code point " + Integer.toHexString(cp)
                + " at position " + i + " has no UTF-8 form", null, null);
          }
          sb.appendCodePoint(cp);
        }
        return validator.checkValue(c, sb.toString());
      }
    }
  }

  private static ByteBuffer read(SeekableByteChannel ch, int n) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
    while (b.hasRemaining() && ch.read(b) >= 0) {
      // reading
    }
    b.flip();
    return b;
  }
}
