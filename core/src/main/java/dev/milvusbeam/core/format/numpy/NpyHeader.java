package dev.milvusbeam.core.format.numpy;

import java.nio.charset.StandardCharsets;

/**
 * The header of a NumPy {@code .npy} file, format 1.0, byte for byte as {@code numpy.save} writes
 * it for a C-order array (FORMAT.md section 4, NumPy):
 *
 * <pre>
 * \x93NUMPY 0x01 0x00 &lt;uint16 LE header_len&gt; {'descr': '&lt;f4', 'fortran_order': False, 'shape': (1000, 768), }&lt;spaces&gt;\n
 * </pre>
 *
 * <p>Like numpy's {@code _write_array_header}, the dict text is followed by spare spaces for the
 * first axis to grow to 21 digits (numpy's {@code GROWTH_AXIS_MAX_DIGITS}), then padded with
 * {@code 64 - (length % 64)} characters (a space each, the last one {@code \n}) so that the data
 * starts at a multiple of 64. Milvus reads the dict by slicing fixed substrings, so key order,
 * quotes and spacing must be exactly these.
 */
final class NpyHeader {
  /** The data of every {@code .npy} file starts at a multiple of this. */
  static final int ALIGNMENT = 64;

  /** Shape width of a 1-D array: {@code (N,)}. */
  static final int ONE_D = -1;

  private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0};
  /** Magic, version and the uint16 header length. */
  private static final int PREFIX_LENGTH = MAGIC.length + 2;
  /** numpy leaves room in the header for the first axis to grow to this many digits. */
  private static final int GROWTH_AXIS_MAX_DIGITS = 21;
  private static final String BEFORE_DESCR = "{'descr': '";
  private static final String BEFORE_SHAPE = "', 'fortran_order': False, 'shape': ";
  private static final String AFTER_SHAPE = ", }";

  private NpyHeader() {}

  /**
   * The whole header: magic, version, length, dict, padding and the final {@code \n}.
   *
   * @param descr the dtype descriptor, e.g. {@code <f4}, {@code |b1}, {@code <U12} (ASCII)
   * @param rows the first dimension N
   * @param width the second dimension, or {@link #ONE_D} for a 1-D array
   */
  static byte[] encode(String descr, long rows, int width) {
    String dict = BEFORE_DESCR + descr + BEFORE_SHAPE + shape(rows, width) + AFTER_SHAPE;
    int total = size(descr, rows, width);
    byte[] header = new byte[total];
    System.arraycopy(MAGIC, 0, header, 0, MAGIC.length);
    int headerLength = total - PREFIX_LENGTH;
    header[MAGIC.length] = (byte) headerLength;
    header[MAGIC.length + 1] = (byte) (headerLength >>> 8);
    byte[] text = dict.getBytes(StandardCharsets.ISO_8859_1);
    System.arraycopy(text, 0, header, PREFIX_LENGTH, text.length);
    for (int i = PREFIX_LENGTH + text.length; i < total - 1; i++) {
      header[i] = ' ';
    }
    header[total - 1] = '\n';
    return header;
  }

  /**
   * The length of {@link #encode} in bytes, computed without building it (a multiple of 64).
   *
   * @throws IllegalArgumentException when the header does not fit format 1.0 (64 KiB)
   */
  static int size(String descr, long rows, int width) {
    int shapeLength = width == ONE_D
        ? digits(rows) + 3 // "(N,)"
        : digits(rows) + digits(width) + 4; // "(N, W)"
    int dictLength = BEFORE_DESCR.length() + descr.length() + BEFORE_SHAPE.length() + shapeLength
        + AFTER_SHAPE.length();
    int growth = Math.max(0, GROWTH_AXIS_MAX_DIGITS - digits(rows));
    // numpy: the dict, its spare spaces and the final '\n', then 64 - (length % 64) spaces, so a
    // header that is already aligned still gets 64 more bytes.
    int unpadded = PREFIX_LENGTH + dictLength + growth + 1;
    int total = (unpadded / ALIGNMENT + 1) * ALIGNMENT;
    if (total - PREFIX_LENGTH > 0xffff) {
      throw new IllegalArgumentException("a .npy 1.0 header holds at most 65535 bytes; descr '"
          + descr + "' needs " + (total - PREFIX_LENGTH));
    }
    return total;
  }

  /** The shape as Python's {@code repr} of the tuple: {@code (1000,)} or {@code (1000, 768)}. */
  private static String shape(long rows, int width) {
    return width == ONE_D ? "(" + rows + ",)" : "(" + rows + ", " + width + ")";
  }

  /** Decimal digits of a non-negative number. */
  private static int digits(long n) {
    if (n < 0) {
      throw new IllegalArgumentException("negative dimension " + n);
    }
    int d = 1;
    while (n >= 10) {
      n /= 10;
      d++;
    }
    return d;
  }
}
