package dev.milvusbeam.core.row;

/**
 * float32 to IEEE half (fp16) and bfloat16 bits with round-to-nearest-even, and back. The result
 * of an overflow is the infinity pattern, which callers treat as out of range.
 */
public final class HalfFloats {
  private HalfFloats() {}

  /** fp16 bits of a finite float, RNE; 0x7c00 (|sign) when it overflows. */
  public static short toFloat16(float f) {
    int bits = Float.floatToRawIntBits(f);
    int sign = (bits >>> 16) & 0x8000;
    int abs = bits & 0x7fffffff;
    if (abs >= 0x47800000) { // >= 65536: overflow (NaN/Inf are rejected before)
      return (short) (sign | 0x7c00);
    }
    if (abs < 0x38800000) { // below the smallest normal half, 2^-14
      if (abs < 0x33000000) { // below 2^-25: rounds to zero
        return (short) sign;
      }
      int e = abs >>> 23;
      int m = (abs & 0x7fffff) | 0x800000;
      int shift = 126 - e;
      int h = m >>> shift;
      int rem = m & ((1 << shift) - 1);
      int half = 1 << (shift - 1);
      if (rem > half || (rem == half && (h & 1) == 1)) {
        h++;
      }
      return (short) (sign | h);
    }
    int h = (abs - 0x38000000) >>> 13;
    int rem = abs & 0x1fff;
    if (rem > 0x1000 || (rem == 0x1000 && (h & 1) == 1)) {
      h++;
    }
    if (h >= 0x7c00) {
      h = 0x7c00;
    }
    return (short) (sign | h);
  }

  /** bfloat16 bits of a finite float, RNE; 0x7f80 (|sign) when it overflows. */
  public static short toBFloat16(float f) {
    int bits = Float.floatToRawIntBits(f);
    int rounded = bits + 0x7fff + ((bits >>> 16) & 1);
    return (short) (rounded >>> 16);
  }

  public static boolean isInfinite16(short h) {
    return (h & 0x7fff) == 0x7c00;
  }

  public static boolean isInfiniteB16(short h) {
    return (h & 0x7fff) == 0x7f80;
  }

  public static float fromFloat16(short h) {
    int sign = (h & 0x8000) << 16;
    int exp = (h >>> 10) & 0x1f;
    int mant = h & 0x3ff;
    if (exp == 0) {
      float v = mant * 0x1p-24f;
      return sign != 0 ? -v : v;
    }
    if (exp == 31) {
      return Float.intBitsToFloat(sign | 0x7f800000 | (mant << 13));
    }
    return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
  }

  public static float fromBFloat16(short h) {
    return Float.intBitsToFloat((h & 0xffff) << 16);
  }
}
