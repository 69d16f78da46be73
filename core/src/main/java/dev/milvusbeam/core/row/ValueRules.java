package dev.milvusbeam.core.row;

import com.fasterxml.jackson.databind.JsonNode;
import dev.milvusbeam.core.schema.DataType;
import dev.milvusbeam.core.schema.FieldSchema;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The value rules of FORMAT.md section 3: one non-null input value of a field to its normalized
 * form (see {@link ValidRow}), or a {@link ValueException} naming the rule it breaks.
 */
public final class ValueRules {
  static final long SPARSE_MAX_INDEX = (1L << 32) - 2;
  private static final double TWO_63 = 0x1p63;
  private static final Pattern WKT = Pattern.compile("^\\s*(POINT|LINESTRING|POLYGON|MULTIPOINT"
      + "|MULTILINESTRING|MULTIPOLYGON|GEOMETRYCOLLECTION|CIRCULARSTRING|COMPOUNDCURVE|CURVEPOLYGON"
      + "|MULTICURVE|MULTISURFACE|TRIANGLE|TIN|POLYHEDRALSURFACE)\\s*(Z|M|ZM)?\\s*(\\(|EMPTY\\b)",
      Pattern.CASE_INSENSITIVE);
  private static final Pattern RFC3339 = Pattern.compile("^(\\d{4})-(\\d{2})-(\\d{2})[Tt ]"
      + "(\\d{2}):(\\d{2}):(\\d{2})(\\.\\d+)?([Zz]|[+-](\\d{2}):(\\d{2}))$");
  private static final Pattern INDEX_KEY = Pattern.compile("[0-9]+");

  private ValueRules() {}

  /**
   * Normalizes a scalar value (a default value): numeric strings are read for numeric types.
   *
   * @throws IllegalArgumentException naming the rule the value breaks
   */
  public static Object normalizeScalar(DataType t, int maxLength, Object raw) {
    Object v = raw;
    try {
      if (raw instanceof String && (t.isIntegral() || t == DataType.FLOAT || t == DataType.DOUBLE)) {
        v = new BigDecimal(((String) raw).trim());
      } else if (raw instanceof String && t == DataType.BOOL) {
        String b = ((String) raw).trim();
        v = b.equalsIgnoreCase("true") ? Boolean.TRUE : b.equalsIgnoreCase("false") ? Boolean.FALSE : raw;
      }
      switch (t) {
        case BOOL: return toBool(v);
        case INT8: case INT16: case INT32: case INT64: return toLong(v, t);
        case FLOAT: return toFloat(v, "");
        case DOUBLE: return toDouble(v, "");
        case VARCHAR: return toVarChar(v, maxLength, "");
        case GEOMETRY: return toGeometry(v);
        case TIMESTAMPTZ: return toTimestamp(v);
        default: throw new IllegalArgumentException(t + " takes no default value");
      }
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + raw + "' is not a number");
    } catch (ValueException e) {
      throw new IllegalArgumentException(e.getMessage() + " (value " + Excerpts.of(raw) + ")");
    }
  }

  /** Normalizes a non-null value of field {@code f}; throws {@link ValueException}. */
  static Object convert(FieldSchema f, Object raw) {
    Object v = JsonValues.unwrap(raw);
    switch (f.dataType()) {
      case BOOL: return toBool(v);
      case INT8: case INT16: case INT32: case INT64: return toLong(v, f.dataType());
      case FLOAT: return toFloat(v, "");
      case DOUBLE: return toDouble(v, "");
      case VARCHAR: return toVarChar(v, f.maxLength(), "");
      case TEXT: return toText(v, "");
      case GEOMETRY: return toGeometry(v);
      case TIMESTAMPTZ: return toTimestamp(v);
      case JSON: return toJson(v);
      case ARRAY: return toArray(v, f);
      case ARRAY_OF_STRUCT: return toStructArray(v, f);
      case FLOAT_VECTOR: return toFloatVector(v, f.dim());
      case FLOAT16_VECTOR: case BFLOAT16_VECTOR: return toHalfVector(v, f.dim(), f.dataType());
      case BINARY_VECTOR: return toBinaryVector(v, f.dim() / 8);
      case INT8_VECTOR: return toInt8Vector(v, f.dim());
      case SPARSE_FLOAT_VECTOR: return toSparse(v);
      default: throw new IllegalStateException("no rule for " + f.dataType());
    }
  }

  static Boolean toBool(Object v) {
    if (v instanceof Boolean) {
      return (Boolean) v;
    }
    throw wrongType(v, "a boolean (true/false)");
  }

  static Long toLong(Object v, DataType t) {
    long x;
    if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte
        || v instanceof java.util.concurrent.atomic.AtomicInteger
        || v instanceof java.util.concurrent.atomic.AtomicLong) {
      x = ((Number) v).longValue();
    } else if (v instanceof Double || v instanceof Float) {
      double d = ((Number) v).doubleValue();
      if (Double.isNaN(d) || Double.isInfinite(d)) {
        throw new ValueException(Rule.NOT_FINITE, d + " where an integer is required", v);
      }
      if (d != Math.rint(d)) {
        throw new ValueException(Rule.INT_FRACTION, "fraction where an integer is required", v);
      }
      if (d < -TWO_63 || d >= TWO_63) {
        throw outOfRange(v, t);
      }
      x = (long) d;
    } else if (v instanceof BigInteger) {
      BigInteger b = (BigInteger) v;
      if (b.bitLength() > 63) {
        throw outOfRange(v, t);
      }
      x = b.longValue();
    } else if (v instanceof BigDecimal) {
      BigDecimal b = ((BigDecimal) v).stripTrailingZeros();
      if (b.scale() > 0) {
        throw new ValueException(Rule.INT_FRACTION, "fraction where an integer is required", v);
      }
      if (b.precision() - b.scale() > 19 || b.toBigInteger().bitLength() > 63) {
        throw outOfRange(v, t);
      }
      x = b.longValueExact();
    } else {
      throw wrongType(v, "an integer");
    }
    if (x < t.minValue() || x > t.maxValue()) {
      throw outOfRange(v, t);
    }
    return x;
  }

  private static ValueException outOfRange(Object v, DataType t) {
    return new ValueException(Rule.INT_RANGE, "out of the " + t + " range [" + t.minValue() + ", "
        + t.maxValue() + "]", v);
  }

  /** A finite number as a double (integers too); {@code what} prefixes messages ("element "). */
  static double number(Object v, String what) {
    if (!(v instanceof Number) || v instanceof java.util.concurrent.atomic.AtomicBoolean) {
      throw wrongType(v, what + "a number");
    }
    double d = ((Number) v).doubleValue();
    if (Double.isNaN(d) || Double.isInfinite(d)) {
      if (v instanceof BigDecimal || v instanceof BigInteger) {
        throw new ValueException(Rule.FLOAT32_RANGE, what + "out of the double range", v);
      }
      throw new ValueException(Rule.NOT_FINITE, what + d + " is not allowed (NaN/Infinity)", v);
    }
    return d;
  }

  static Float toFloat(Object v, String what) {
    return float32(number(v, what), v, what);
  }

  private static float float32(double d, Object v, String what) {
    float f = (float) d;
    if (Float.isInfinite(f)) {
      throw new ValueException(Rule.FLOAT32_RANGE, what + "out of the float32 range", v);
    }
    return f;
  }

  static Double toDouble(Object v, String what) {
    return number(v, what);
  }

  static String toText(Object v, String what) {
    if (!(v instanceof String)) {
      throw wrongType(v, what + "a string");
    }
    String s = (String) v;
    if (!Utf8.isWellFormed(s)) {
      throw new ValueException(Rule.INVALID_UTF8, what + "not valid UTF-8 (lone surrogate)", v);
    }
    return s;
  }

  static String toVarChar(Object v, int maxLength, String what) {
    String s = toText(v, what);
    if (s.length() > maxLength / 3) { // cheap: fewer chars than max/3 always fit in max bytes
      int bytes = Utf8.byteLength(s);
      if (bytes > maxLength) {
        throw new ValueException(Rule.VARCHAR_LENGTH, what + "UTF-8 length " + bytes
            + " bytes > max_length " + maxLength + " (" + s.codePointCount(0, s.length())
            + " characters)", v);
      }
    }
    return s;
  }

  static String toGeometry(Object v) {
    String s = toText(v, "");
    if (!WKT.matcher(s).lookingAt()) {
      throw new ValueException(Rule.GEOMETRY_WKT, "not a WKT geometry (e.g. POINT (1 2))", v);
    }
    return s;
  }

  static String toTimestamp(Object v) {
    String s = toText(v, "");
    Matcher m = RFC3339.matcher(s);
    boolean ok = m.matches();
    if (ok) {
      try {
        LocalDate.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
            Integer.parseInt(m.group(3)));
        int sec = Integer.parseInt(m.group(6));
        LocalTime.of(Integer.parseInt(m.group(4)), Integer.parseInt(m.group(5)), Math.min(sec, 59));
        ok = sec <= 60 && (m.group(9) == null
            || (Integer.parseInt(m.group(9)) <= 23 && Integer.parseInt(m.group(10)) <= 59));
      } catch (java.time.DateTimeException e) {
        ok = false;
      }
    }
    if (!ok) {
      throw new ValueException(Rule.TIMESTAMP_RFC3339,
          "not an RFC 3339 timestamp (e.g. 2025-01-02T03:04:05Z)", v);
    }
    return s;
  }

  static JsonText toJson(Object v) {
    if (v instanceof String) {
      JsonNode n = JsonValues.parse((String) v, "the JSON text");
      return new JsonText(JsonValues.text(n), n.isObject());
    }
    if (v instanceof Map || (v instanceof JsonNode && ((JsonNode) v).isObject())) {
      return new JsonText(JsonValues.text(JsonValues.toTree(v, "the JSON value")), true);
    }
    throw new ValueException(Rule.JSON_NOT_OBJECT, "a JSON field takes an object or a string"
        + " holding JSON, not " + kind(v) + " (Milvus rejects bare arrays and numbers)", v);
  }

  static List<Object> toArray(Object v, FieldSchema f) {
    Seq s = Seq.of(v);
    if (s == null || v instanceof String) {
      throw wrongType(v, "an array");
    }
    int n = s.size();
    if (n > f.maxCapacity()) {
      throw new ValueException(Rule.ARRAY_CAPACITY, "array length " + n + " > max_capacity "
          + f.maxCapacity(), v);
    }
    List<Object> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      Object x = s.get(i);
      if (x == null) {
        throw new ValueException(Rule.ARRAY_NULL_ELEMENT, "element " + i + " is null", v);
      }
      String what = "element " + i + ": ";
      try {
        switch (f.elementType()) {
          case BOOL: out.add(toBool(x)); break;
          case INT8: case INT16: case INT32: case INT64: out.add(toLong(x, f.elementType())); break;
          case FLOAT: out.add(toFloat(x, what)); break;
          case DOUBLE: out.add(toDouble(x, what)); break;
          case VARCHAR: out.add(toVarChar(x, f.maxLength(), what)); break;
          default: throw new IllegalStateException("no array rule for " + f.elementType());
        }
      } catch (ValueException e) {
        String msg = e.getMessage().startsWith(what) ? e.getMessage() : what + e.getMessage();
        throw new ValueException(e.rule, msg, v);
      }
    }
    return out;
  }

  /**
   * A struct array (FORMAT.md section 3): a list of at most {@link FieldSchema#structCapacity()}
   * objects, each with exactly the sub-field keys, every sub-value non-null and valid by its
   * element type's rules. Normalized to a {@code List<Object[]>}, one array of sub-values per
   * element in sub-field order.
   */
  static List<Object[]> toStructArray(Object v, FieldSchema f) {
    Seq s = Seq.of(v);
    if (s == null || v instanceof String || v instanceof float[] || v instanceof byte[]) {
      throw wrongType(v, "a list of objects (a struct array)");
    }
    int n = s.size();
    int capacity = f.structCapacity();
    if (n > capacity) {
      throw new ValueException(Rule.ARRAY_CAPACITY, "struct array length " + n
          + " > max_capacity " + capacity, v);
    }
    List<FieldSchema> subs = f.subFields();
    List<Object[]> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      Object x = s.get(i);
      String what = "element " + i;
      if (x == null) {
        throw new ValueException(Rule.ARRAY_NULL_ELEMENT, what + " is null", v);
      }
      Function<String, Object> get;
      Set<String> keys = new LinkedHashSet<>();
      if (x instanceof Map) {
        Map<?, ?> m = (Map<?, ?>) x;
        for (Object k : m.keySet()) {
          keys.add(String.valueOf(k));
        }
        get = m::get;
      } else if (x instanceof JsonNode && ((JsonNode) x).isObject()) {
        JsonNode o = (JsonNode) x;
        o.fieldNames().forEachRemaining(keys::add);
        get = o::get;
      } else {
        throw new ValueException(Rule.WRONG_TYPE, what + ": " + kind(x) + " where an object of"
            + " the sub-fields is required", v);
      }
      Object[] values = new Object[subs.size()];
      for (int k = 0; k < subs.size(); k++) {
        FieldSchema sub = subs.get(k);
        String at = what + ", sub-field '" + sub.name() + "': ";
        if (!keys.remove(sub.name())) {
          throw new ValueException(Rule.STRUCT_KEYS, at + "missing (each element holds exactly"
              + " the sub-fields)", v);
        }
        Object raw = JsonValues.unwrap(get.apply(sub.name()));
        if (raw == null) {
          throw new ValueException(Rule.NULL_VALUE, at + "null (sub-fields are never"
              + " nullable)", v);
        }
        try {
          values[k] = convert(sub, raw);
        } catch (ValueException e) {
          throw new ValueException(e.rule, at + e.getMessage(), v);
        }
      }
      if (!keys.isEmpty()) {
        throw new ValueException(Rule.STRUCT_KEYS, what + ": " + keys.iterator().next()
            + " is not a sub-field of '" + f.name() + "' (each element holds exactly the"
            + " sub-fields)", v);
      }
      out.add(values);
    }
    return out;
  }

  static float[] toFloatVector(Object v, int dim) {
    float[] out = new float[dim];
    if (v instanceof float[]) {
      float[] a = (float[]) v;
      checkDim(a.length, dim, v);
      for (int i = 0; i < dim; i++) {
        if (Float.isNaN(a[i]) || Float.isInfinite(a[i])) {
          throw new ValueException(Rule.NOT_FINITE, "element " + i + " is " + a[i], v);
        }
      }
      System.arraycopy(a, 0, out, 0, dim);
      return out;
    }
    if (v instanceof double[]) {
      double[] a = (double[]) v;
      checkDim(a.length, dim, v);
      for (int i = 0; i < dim; i++) {
        double d = a[i];
        if (Double.isNaN(d) || Double.isInfinite(d)) {
          throw new ValueException(Rule.NOT_FINITE, "element " + i + " is " + d, v);
        }
        float f = (float) d;
        if (Float.isInfinite(f)) {
          throw new ValueException(Rule.FLOAT32_RANGE, "element " + i + " is out of the float32 range", v);
        }
        out[i] = f;
      }
      return out;
    }
    Seq s = sequence(v, "a vector (list of " + dim + " numbers)");
    checkDim(s.size(), dim, v);
    for (int i = 0; i < dim; i++) {
      final int k = i;
      out[i] = element(() -> toFloat(s.get(k), "element " + k + ": "), v);
    }
    return out;
  }

  static byte[] toHalfVector(Object v, int dim, DataType t) {
    float[] f = toFloatVector(v, dim);
    byte[] out = new byte[2 * dim];
    boolean fp16 = t == DataType.FLOAT16_VECTOR;
    for (int i = 0; i < dim; i++) {
      short h = fp16 ? HalfFloats.toFloat16(f[i]) : HalfFloats.toBFloat16(f[i]);
      if (fp16 ? HalfFloats.isInfinite16(h) : HalfFloats.isInfiniteB16(h)) {
        throw new ValueException(Rule.HALF_RANGE, "element " + i + " (" + f[i]
            + ") is out of the " + (fp16 ? "fp16" : "bf16") + " range", v);
      }
      out[2 * i] = (byte) h;
      out[2 * i + 1] = (byte) (h >>> 8);
    }
    return out;
  }

  static byte[] toBinaryVector(Object v, int bytes) {
    if (v instanceof byte[]) {
      checkLength(((byte[]) v).length, bytes, v, "bytes (dim/8)");
      return ((byte[]) v).clone();
    }
    return bytes(v, bytes, 0, 255, "bytes (dim/8)");
  }

  static byte[] toInt8Vector(Object v, int dim) {
    if (v instanceof byte[]) {
      checkDim(((byte[]) v).length, dim, v);
      return ((byte[]) v).clone();
    }
    return bytes(v, dim, -128, 127, "values (dim)");
  }

  private static byte[] bytes(Object v, int n, int lo, int hi, String unit) {
    Seq s = sequence(v, "a list of " + n + " integers");
    checkLength(s.size(), n, v, unit);
    byte[] out = new byte[n];
    for (int i = 0; i < n; i++) {
      long x;
      try {
        x = toLong(s.get(i), DataType.INT64);
      } catch (ValueException e) {
        throw new ValueException(e.rule, "element " + i + ": " + e.getMessage(), v);
      }
      if (x < lo || x > hi) {
        throw new ValueException(Rule.BYTE_RANGE, "element " + i + " (" + x + ") is outside "
            + lo + ".." + hi, v);
      }
      out[i] = (byte) x;
    }
    return out;
  }

  static SparseVector toSparse(Object v) {
    if (v instanceof SparseVector) {
      return (SparseVector) v;
    }
    List<Object[]> pairs = new ArrayList<>();
    if (v instanceof JsonNode && ((JsonNode) v).isObject()) {
      JsonNode n = (JsonNode) v;
      if (n.size() == 2 && n.has("indices") && n.has("values")) {
        zip(n.get("indices"), n.get("values"), pairs, v);
      } else {
        for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
          Map.Entry<String, JsonNode> e = it.next();
          pairs.add(new Object[] {e.getKey(), JsonValues.unwrap(e.getValue())});
        }
      }
    } else if (v instanceof Map) {
      Map<?, ?> m = (Map<?, ?>) v;
      if (m.size() == 2 && m.containsKey("indices") && m.containsKey("values")) {
        zip(m.get("indices"), m.get("values"), pairs, v);
      } else {
        for (Map.Entry<?, ?> e : m.entrySet()) {
          pairs.add(new Object[] {e.getKey(), JsonValues.unwrap(e.getValue())});
        }
      }
    } else {
      throw wrongType(v, "a sparse vector ({\"<index>\": value, ...} or {\"indices\": [...],"
          + " \"values\": [...]})");
    }
    if (pairs.isEmpty()) {
      throw new ValueException(Rule.SPARSE_EMPTY, "an empty sparse vector", v);
    }
    long[] idx = new long[pairs.size()];
    float[] val = new float[pairs.size()];
    Set<Long> seen = new HashSet<>();
    for (int i = 0; i < idx.length; i++) {
      Object k = pairs.get(i)[0];
      long index;
      if (k instanceof String) {
        String digits = ((String) k).replaceFirst("^0+(?=.)", "");
        if (!INDEX_KEY.matcher(digits).matches() || digits.length() > 12) {
          throw new ValueException(Rule.SPARSE_INDEX, "index key \"" + Excerpts.shorten((String) k)
              + "\" is not an integer in 0..2^32-2", v);
        }
        index = Long.parseLong(digits);
      } else {
        try {
          index = toLong(k, DataType.INT64);
        } catch (ValueException e) {
          throw new ValueException(Rule.SPARSE_INDEX, "index " + k + ": " + e.getMessage(), v);
        }
      }
      if (index < 0 || index > SPARSE_MAX_INDEX) {
        throw new ValueException(Rule.SPARSE_INDEX, "index " + index + " is outside 0..2^32-2", v);
      }
      if (!seen.add(index)) {
        throw new ValueException(Rule.SPARSE_DUPLICATE, "index " + index + " appears twice", v);
      }
      Object x = pairs.get(i)[1];
      float f = element(() -> toFloat(x, "value at index " + index + ": "), v);
      if (f < 0) {
        throw new ValueException(Rule.SPARSE_NEGATIVE, "value at index " + index + " is negative ("
            + f + ")", v);
      }
      idx[i] = index;
      val[i] = f == 0f ? 0f : f; // no negative zero
    }
    return new SparseVector(idx, val);
  }

  private static void zip(Object indices, Object values, List<Object[]> pairs, Object v) {
    Seq i = Seq.of(indices);
    Seq x = Seq.of(values);
    if (i == null || x == null) {
      throw new ValueException(Rule.WRONG_TYPE, "sparse \"indices\" and \"values\" must be lists", v);
    }
    if (i.size() != x.size()) {
      throw new ValueException(Rule.WRONG_TYPE, "sparse \"indices\" (" + i.size() + ") and"
          + " \"values\" (" + x.size() + ") differ in length", v);
    }
    for (int k = 0; k < i.size(); k++) {
      pairs.add(new Object[] {i.get(k), x.get(k)});
    }
  }

  private interface FloatSupplier {
    float get();
  }

  private static float element(FloatSupplier s, Object whole) {
    try {
      return s.get();
    } catch (ValueException e) {
      throw new ValueException(e.rule, e.getMessage(), whole);
    }
  }

  private static Seq sequence(Object v, String want) {
    Seq s = v instanceof String ? null : Seq.of(v);
    if (s == null) {
      throw wrongType(v, want);
    }
    return s;
  }

  private static void checkDim(int n, int dim, Object v) {
    if (n != dim) {
      throw new ValueException(Rule.VECTOR_DIM, "vector has " + n + " values, dim is " + dim, v);
    }
  }

  private static void checkLength(int n, int want, Object v, String unit) {
    if (n != want) {
      throw new ValueException(Rule.VECTOR_DIM, "vector has " + n + " " + unit.split(" ")[0]
          + ", needs " + want + " " + unit, v);
    }
  }

  static ValueException wrongType(Object v, String want) {
    return new ValueException(Rule.WRONG_TYPE, kind(v) + " where " + want + " is required", v);
  }

  static String kind(Object v) {
    if (v == null) {
      return "null";
    }
    if (v instanceof Boolean) {
      return "a boolean";
    }
    if (v instanceof Number) {
      return "a number";
    }
    if (v instanceof CharSequence) {
      return "a string";
    }
    if (v instanceof Map || (v instanceof JsonNode && ((JsonNode) v).isObject())) {
      return "an object";
    }
    if (Seq.of(v) != null) {
      return "an array";
    }
    return "a " + v.getClass().getSimpleName();
  }
}
