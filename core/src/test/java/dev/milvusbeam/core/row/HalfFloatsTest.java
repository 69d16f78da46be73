package dev.milvusbeam.core.row;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** fp16 / bf16 conversion against known bit patterns, round-to-nearest-even. */
class HalfFloatsTest {

  /** Cheap in loops: formats only on failure. */
  private static void same(short expected, short actual, float input) {
    if (expected != actual) {
      assertEquals(hex(expected), hex(actual), "input " + input);
    }
  }

  private static String hex(short h) {
    return String.format("0x%04x", h & 0xffff);
  }

  @ParameterizedTest(name = "fp16({0}) = {1}")
  @CsvSource({
      "1.0, 0x3c00",
      "-2.0, 0xc000",
      "0.0, 0x0000",
      "-0.0, 0x8000",
      "0.5, 0x3800",
      "0.1, 0x2e66",
      "65504.0, 0x7bff",        // largest fp16
      "65519.0, 0x7bff",        // just below the tie with 65536: rounds down
      "6.103515625E-5, 0x0400", // 2^-14, smallest normal
      "5.9604644775390625E-8, 0x0001", // 2^-24, smallest subnormal
      "2.9802322387695312E-8, 0x0000", // 2^-25: tie between 0 and 2^-24 -> even (0)
      "8.940696716308594E-8, 0x0002",  // 3 * 2^-25: tie between 1 and 2 units -> even (2)
      "1.0E-8, 0x0000",         // far below half the smallest subnormal
      "-1.0E-8, 0x8000",
      "6.097555160522461E-5, 0x03ff",  // largest subnormal (1023 * 2^-24)
      "1.00048828125, 0x3c00",  // 1 + 2^-11: tie between 0x3c00 and 0x3c01 -> even (0x3c00)
      "1.00146484375, 0x3c02",  // 1 + 3*2^-11: tie between 0x3c01 and 0x3c02 -> even (0x3c02)
      "1.0009765625, 0x3c01",   // 1 + 2^-10: exact
      "2048.0, 0x6800",
      "2049.0, 0x6800",         // tie (ulp 2 at 2048) -> even
      "2051.0, 0x6802",         // tie -> even (up)
  })
  void float16KnownPatterns(float f, String bits) {
    short expected = (short) Integer.parseInt(bits.substring(2), 16);
    assertEquals(hex(expected), hex(HalfFloats.toFloat16(f)));
    assertFalse(HalfFloats.isInfinite16(HalfFloats.toFloat16(f)));
  }

  @ParameterizedTest
  @CsvSource({"65520.0", "65536.0", "70000.0", "-70000.0", "3.4E38"})
  void float16Overflow(float f) {
    short h = HalfFloats.toFloat16(f);
    assertTrue(HalfFloats.isInfinite16(h), hex(h));
    assertEquals(f < 0 ? (short) 0xfc00 : (short) 0x7c00, h);
  }

  @Test
  void float16EveryFinitePatternRoundTrips() {
    for (int i = 0; i < 0x10000; i++) {
      short h = (short) i;
      int exp = (i >>> 10) & 0x1f;
      if (exp == 0x1f) {
        continue; // Inf / NaN
      }
      float f = HalfFloats.fromFloat16(h);
      same(h, HalfFloats.toFloat16(f), f);
    }
  }

  @Test
  void float16MidpointsRoundToEven() {
    // every midpoint between two adjacent positive finite halves goes to the even one
    for (int i = 0; i < 0x7bff; i++) {
      float lo = HalfFloats.fromFloat16((short) i);
      float hi = HalfFloats.fromFloat16((short) (i + 1));
      float mid = (float) (((double) lo + hi) / 2); // exact in float32 (halves have 11 bits)
      short even = (short) ((i & 1) == 0 ? i : i + 1);
      same(even, HalfFloats.toFloat16(mid), mid);
      same((short) i, HalfFloats.toFloat16(Math.nextDown(mid)), Math.nextDown(mid));
      same((short) (i + 1), HalfFloats.toFloat16(Math.nextUp(mid)), Math.nextUp(mid));
    }
  }

  @ParameterizedTest(name = "bf16({0}) = {1}")
  @CsvSource({
      "1.0, 0x3f80",
      "-2.0, 0xc000",
      "0.0, 0x0000",
      "-0.0, 0x8000",
      "0.1, 0x3dcd",
      "1.00390625, 0x3f80",   // 1 + 2^-8: tie -> even (0x3f80)
      "1.01171875, 0x3f82",   // 1 + 3*2^-8: tie -> even (0x3f82)
      "1.0078125, 0x3f81",    // 1 + 2^-7: exact
      "65504.0, 0x4780",     // 0x477fe000: rounds up
      "3.3895313892515355E38, 0x7f7f", // largest finite bf16
      "1.0E-40, 0x0001",      // float32 subnormal 0x000116c2 -> 0x0001
  })
  void bfloat16KnownPatterns(float f, String bits) {
    int expectedBits = Integer.parseInt(bits.substring(2), 16);
    assertEquals(hex((short) expectedBits), hex(HalfFloats.toBFloat16(f)));
    assertFalse(HalfFloats.isInfiniteB16(HalfFloats.toBFloat16(f)));
  }

  @ParameterizedTest
  @CsvSource({"3.4E38", "3.4028235E38", "-3.4E38"})
  void bfloat16Overflow(float f) {
    short h = HalfFloats.toBFloat16(f);
    assertTrue(HalfFloats.isInfiniteB16(h), hex(h));
  }

  @Test
  void bfloat16EveryFinitePatternRoundTrips() {
    for (int i = 0; i < 0x10000; i++) {
      short h = (short) i;
      if (((i >>> 7) & 0xff) == 0xff) {
        continue; // Inf / NaN
      }
      float f = HalfFloats.fromBFloat16(h);
      same(h, HalfFloats.toBFloat16(f), f);
    }
  }

  @Test
  void fromFloat16KnownValues() {
    assertEquals(1.0f, HalfFloats.fromFloat16((short) 0x3c00));
    assertEquals(65504f, HalfFloats.fromFloat16((short) 0x7bff));
    assertEquals(0x1p-24f, HalfFloats.fromFloat16((short) 0x0001));
    assertEquals(-0.0f, HalfFloats.fromFloat16((short) 0x8000));
    assertEquals(Float.POSITIVE_INFINITY, HalfFloats.fromFloat16((short) 0x7c00));
    assertEquals(1.0f, HalfFloats.fromBFloat16((short) 0x3f80));
    assertEquals(-2.0f, HalfFloats.fromBFloat16((short) 0xc000));
  }
}
