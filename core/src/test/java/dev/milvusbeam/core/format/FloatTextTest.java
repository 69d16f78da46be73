package dev.milvusbeam.core.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** FloatText: valid JSON numbers that parse back, as float32, to exactly the value written. */
class FloatTextTest {
  /** RFC 8259 number. */
  private static final Pattern JSON_NUMBER =
      Pattern.compile("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][-+]?[0-9]+)?");

  static final float[] EDGES = {
      0f, -0f, Float.MIN_VALUE, -Float.MIN_VALUE, 1e-45f, 2.8e-45f, Float.MIN_NORMAL,
      Math.nextDown(Float.MIN_NORMAL), Math.nextUp(Float.MIN_NORMAL), Float.MAX_VALUE,
      -Float.MAX_VALUE, Math.nextDown(Float.MAX_VALUE), 1f, -1f, 0.1f, 0.2f, 0.3f, 1e7f, 9999999f,
      1.0E-3f, 9.999999E-4f, 123456789f, 16777216f, 16777217f, 1e10f, 3.4e38f,
      // shortest form is 9 significant digits
      1.00000005f, 0.33333334f, 2.71828183f, 1.17549435E-38f, 8.589973e9f, 1.23456792E8f,
      // halves of fp16 / bf16
      65504f, 6.1035156e-5f, 5.9604645e-8f, 0.333f,
      (float) Math.PI, (float) Math.E, Float.intBitsToFloat(0x00000001),
      Float.intBitsToFloat(0x007fffff), Float.intBitsToFloat(0x7f7fffff),
      Float.intBitsToFloat(0x3f800001), Float.intBitsToFloat(0x4b7fffff)};

  private static String bytesText(float f) {
    byte[] b = new byte[FloatText.MAX_LENGTH + 4];
    b[0] = 'x';
    int end = FloatText.write(f, b, 1);
    assertTrue(end - 1 <= FloatText.MAX_LENGTH, "at most MAX_LENGTH bytes for " + f);
    return new String(b, 1, end - 1, StandardCharsets.US_ASCII);
  }

  private static String charsText(float f) {
    char[] c = new char[FloatText.MAX_LENGTH + 3];
    int end = FloatText.write(f, c, 3);
    return new String(c, 3, end - 3);
  }

  private static void assertRoundTrip(float f) {
    String t = bytesText(f);
    assertTrue(JSON_NUMBER.matcher(t).matches(), "not a JSON number: " + t + " for " + f);
    assertEquals(Float.floatToRawIntBits(f), Float.floatToRawIntBits(Float.parseFloat(t)),
        t + " does not parse back to " + f);
    // Milvus' Go reader may parse as float64 first, then narrow: the same value
    assertEquals(Float.floatToRawIntBits(f),
        Float.floatToRawIntBits((float) Double.parseDouble(t)), t + " via double");
    assertEquals(t, charsText(f), "byte and char forms agree");
    assertEquals(t, FloatText.toString(f));
  }

  @Test
  void edgeValuesRoundTrip() {
    for (float f : EDGES) {
      assertRoundTrip(f);
      assertRoundTrip(-f);
    }
  }

  /** Significant digits of a decimal text (leading zeros and the exponent not counted). */
  private static int significantDigits(String t) {
    String m = t.replaceFirst("[eE].*", "").replace("-", "").replace(".", "");
    m = m.replaceFirst("^0+", "");
    return Math.max(1, m.replaceFirst("0+$", "").length());
  }

  @Test
  void textIsShortAndShapedLikeJavas() {
    // not always the shortest form (2^-14 is 6.10351563E-5, Java's 6.1035156E-5), but never more
    // than the 9 significant digits that identify every float32
    for (float f : EDGES) {
      assertTrue(significantDigits(bytesText(f)) <= 9, bytesText(f));
    }
    SplittableRandom r = new SplittableRandom(7);
    for (int i = 0; i < 100_000; i++) {
      float f = Float.intBitsToFloat(r.nextInt());
      if (Float.isFinite(f)) {
        assertTrue(significantDigits(bytesText(f)) <= 9, bytesText(f));
      }
    }
    assertEquals("-0.0", bytesText(-0f));
    assertEquals("1.4E-45", bytesText(Float.MIN_VALUE));
    assertEquals("3.4028235E38", bytesText(Float.MAX_VALUE));
    assertEquals("0.33333334", bytesText(1f / 3));
  }

  @Test
  void randomBitPatternsAndVectorValuesRoundTrip() {
    SplittableRandom r = new SplittableRandom(2026);
    for (int i = 0; i < 300_000; i++) {
      float f = Float.intBitsToFloat(r.nextInt());
      if (Float.isFinite(f)) {
        assertRoundTrip(f);
      }
      assertRoundTrip((float) (r.nextDouble() * 2 - 1)); // what embedding vectors look like
    }
  }

  @Test
  void everyExponentRoundTrips() {
    for (int e = 0; e < 255; e++) {
      for (int m : new int[] {0, 1, 2, 0x3fffff, 0x400000, 0x7ffffe, 0x7fffff}) {
        float f = Float.intBitsToFloat((e << 23) | m);
        assertRoundTrip(f);
        assertRoundTrip(-f);
      }
    }
  }
}
