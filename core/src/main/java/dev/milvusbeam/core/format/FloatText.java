package dev.milvusbeam.core.format;

import com.alibaba.fastjson2.util.NumberUtils;

/**
 * The decimal text of a float32 value, written straight into a byte or char array: no
 * {@code String} per value, which is what the JSON and CSV writers spend most of their time on
 * (a 768-dim vector is 768 values per row). Delegates to fastjson2's {@code NumberUtils.writeFloat}
 * (same layout as {@link Float#toString}: {@code 0.1}, {@code 1.0E10}, {@code 1.4E-45}; at most
 * 9 significant digits, usually the shortest form, not always: 2^-14 is {@code 6.10351563E-5}).
 * The text parses back, as float32, to exactly the same value (FORMAT.md section 4: numbers must
 * round-trip; checked for every finite float32 when this was chosen, and by FloatTextTest) and is
 * a valid JSON number. Validation has rejected NaN and infinities before a value gets here.
 */
public final class FloatText {
  /** Longest text of one value ({@code -1.17549435E-38} is 15). */
  public static final int MAX_LENGTH = 16;

  private FloatText() {}

  /** Writes {@code f} at {@code pos} (room for {@link #MAX_LENGTH}); returns the end position. */
  public static int write(float f, byte[] buf, int pos) {
    return NumberUtils.writeFloat(buf, pos, f, true);
  }

  /** Writes {@code f} at {@code pos} (room for {@link #MAX_LENGTH}); returns the end position. */
  public static int write(float f, char[] buf, int pos) {
    return NumberUtils.writeFloat(buf, pos, f, true);
  }

  public static String toString(float f) {
    char[] c = new char[MAX_LENGTH];
    return new String(c, 0, write(f, c, 0));
  }
}
