package dev.milvusbeam.core.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.milvusbeam.core.row.HalfFloats;
import dev.milvusbeam.core.schema.CollectionSchema;
import dev.milvusbeam.core.schema.DataType;
import dev.milvusbeam.core.schema.FieldSchema;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Reads written values back with Jackson (independent of the writers' encoder) and compares them
 * with the INPUT rows as given to the validator: defaults, nulls and {@code $meta} merging are
 * resolved here from the schema, not taken from the writer's normalized row.
 */
public final class ReadBack {
  /**
   * Strict: duplicate keys fail, trailing tokens fail, no NaN, and decimals kept as exact text
   * (BigDecimal) so that a float can be parsed from its exact written digits.
   */
  public static final ObjectMapper MAPPER = JsonMapper.builder()
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
      .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .build();

  /** Numbers equal by value, anything else by equals. */
  public static final Comparator<JsonNode> NUMERIC = (a, b) -> {
    if (a.isNumber() && b.isNumber()) {
      return a.decimalValue().compareTo(b.decimalValue());
    }
    return a.equals(b) ? 0 : 1;
  };

  private ReadBack() {}

  /**
   * Parses JSON text into a tree, strictly (duplicate keys and trailing content fail). Decimal
   * numbers keep their exact digits (BigDecimal); a negative zero, which BigDecimal cannot hold,
   * is kept as the double -0.0.
   */
  public static JsonNode tree(String json) {
    try (JsonParser p = MAPPER.createParser(json)) {
      JsonToken t = p.nextToken();
      if (t == null) {
        throw new IOException("empty JSON text");
      }
      JsonNode n = read(p, t);
      if (p.nextToken() != null) {
        throw new IOException("trailing content after the JSON value");
      }
      return n;
    } catch (IOException e) {
      throw new UncheckedIOException("not valid JSON: " + json, e);
    }
  }

  private static JsonNode read(JsonParser p, JsonToken t) throws IOException {
    JsonNodeFactory f = JsonNodeFactory.withExactBigDecimals(true);
    switch (t) {
      case START_OBJECT: {
        ObjectNode o = f.objectNode();
        for (JsonToken k = p.nextToken(); k != JsonToken.END_OBJECT; k = p.nextToken()) {
          String name = p.currentName();
          JsonNode v = read(p, p.nextToken());
          if (o.replace(name, v) != null) {
            throw new IOException("duplicate key '" + name + "'");
          }
        }
        return o;
      }
      case START_ARRAY: {
        ArrayNode a = f.arrayNode();
        for (JsonToken e = p.nextToken(); e != JsonToken.END_ARRAY; e = p.nextToken()) {
          a.add(read(p, e));
        }
        return a;
      }
      case VALUE_STRING: return f.textNode(p.getText());
      case VALUE_NUMBER_INT: return f.numberNode(p.getBigIntegerValue());
      case VALUE_NUMBER_FLOAT: {
        String text = p.getText();
        BigDecimal d = new BigDecimal(text);
        if (d.signum() == 0 && text.startsWith("-")) {
          return f.numberNode(-0.0d);
        }
        return f.numberNode(d);
      }
      case VALUE_TRUE: return f.booleanNode(true);
      case VALUE_FALSE: return f.booleanNode(false);
      case VALUE_NULL: return f.nullNode();
      default: throw new IOException("unexpected token " + t);
    }
  }

  /** The float32 the exact written digits denote. */
  public static float f32(JsonNode n) {
    assertTrue(n.isNumber(), () -> "not a number: " + n);
    return Float.parseFloat(n.isBigDecimal() ? n.decimalValue().toString()
        : n.isDouble() ? Double.toString(n.doubleValue()) : n.asText());
  }

  public static double f64(JsonNode n) {
    assertTrue(n.isNumber(), () -> "not a number: " + n);
    return n.isDouble() ? n.doubleValue()
        : Double.parseDouble(n.isBigDecimal() ? n.decimalValue().toString() : n.asText());
  }

  /** A CSV cell as the JSON node the JSON writers would have written for it. */
  public static JsonNode csvCellToNode(FieldSchema c, String cell, String nullKey, boolean quoted) {
    if (!quoted && cell.equals(nullKey) && c.acceptsMissing()) {
      return NullNode.instance;
    }
    switch (c.dataType()) {
      case BOOL:
        assertTrue(cell.equals("true") || cell.equals("false"), () -> "bool cell " + cell);
        return BooleanNode.valueOf(cell.equals("true"));
      case INT8: case INT16: case INT32: case INT64:
        return LongNode.valueOf(Long.parseLong(cell));
      case FLOAT: case DOUBLE:
        return cell.startsWith("-") && new BigDecimal(cell).signum() == 0
            ? JsonNodeFactory.instance.numberNode(-0.0d) : DecimalNode.valueOf(new BigDecimal(cell));
      case VARCHAR: case GEOMETRY: case TIMESTAMPTZ:
        return TextNode.valueOf(cell);
      case JSON: {
        JsonNode n = tree(cell);
        return n.isObject() ? n : TextNode.valueOf(cell);
      }
      default:
        return tree(cell);
    }
  }

  /**
   * Asserts that {@code actual} (read back) is what the column {@code c} must hold for the input
   * row {@code input}.
   */
  public static void assertColumn(CollectionSchema schema, FieldSchema c, Map<String, ?> input,
      JsonNode actual) {
    String where = "column '" + c.name() + "'";
    if (c.isDynamicMeta()) {
      ObjectNode expected = MAPPER.createObjectNode();
      Object meta = input.get(FieldSchema.META);
      if (meta != null) {
        expected.setAll((ObjectNode) MAPPER.valueToTree(meta));
      }
      for (Map.Entry<String, ?> e : input.entrySet()) {
        if (schema.field(e.getKey()) == null && !e.getKey().equals(FieldSchema.META)) {
          expected.set(e.getKey(), MAPPER.valueToTree(e.getValue()));
        }
      }
      assertTrue(actual.isObject(), where + " is not an object: " + actual);
      assertTrue(expected.equals(NUMERIC, actual), where + ": expected " + expected + " got "
          + actual);
      return;
    }
    Object v = input.get(c.name());
    if (v == null) {
      if (c.hasDefault()) {
        v = c.defaultValue();
      } else {
        assertTrue(actual.isNull(), where + ": expected null, got " + actual);
        return;
      }
    }
    assertValue(where, c.dataType(), c.elementType(), v, actual);
  }

  private static void assertValue(String where, DataType t, DataType element, Object v,
      JsonNode n) {
    switch (t) {
      case BOOL:
        assertTrue(n.isBoolean(), where + " not a boolean: " + n);
        assertEquals(v, n.booleanValue(), where);
        break;
      case INT8: case INT16: case INT32: case INT64:
        assertTrue(n.isIntegralNumber(), where + " not an integer: " + n);
        assertTrue(n.canConvertToLong(), where);
        assertEquals(((Number) v).longValue(), n.longValue(), where);
        break;
      case FLOAT:
        assertEquals(Float.floatToRawIntBits(((Number) v).floatValue()),
            Float.floatToRawIntBits(f32(n)), where + ": " + v + " read back as " + n);
        break;
      case DOUBLE:
        assertEquals(Double.doubleToRawLongBits(((Number) v).doubleValue()),
            Double.doubleToRawLongBits(f64(n)), where + ": " + v + " read back as " + n);
        break;
      case VARCHAR: case GEOMETRY: case TIMESTAMPTZ:
        assertTrue(n.isTextual(), where + " not a string: " + n);
        assertEquals(v, n.textValue(), where);
        break;
      case JSON: {
        JsonNode expected = v instanceof String ? tree((String) v) : MAPPER.valueToTree(v);
        if (expected.isObject()) {
          assertTrue(n.isObject(), where + ": an object must be written inline, got " + n);
          assertTrue(expected.equals(NUMERIC, n), where + ": expected " + expected + " got " + n);
        } else {
          assertTrue(n.isTextual(), where + ": a non-object JSON value must be written as a"
              + " string holding its text, got " + n);
          JsonNode inner = tree(n.textValue());
          assertTrue(expected.equals(NUMERIC, inner), where + ": expected " + expected + " got "
              + inner);
        }
        break;
      }
      case ARRAY: {
        List<?> list = (List<?>) v;
        assertTrue(n.isArray(), where + " not an array: " + n);
        assertEquals(list.size(), n.size(), where + " length");
        for (int i = 0; i < list.size(); i++) {
          assertValue(where + "[" + i + "]", element, null, list.get(i), n.get(i));
        }
        break;
      }
      case FLOAT_VECTOR: {
        float[] a = floats(v);
        assertTrue(n.isArray(), where + " not an array: " + n);
        assertEquals(a.length, n.size(), where + " dim");
        for (int i = 0; i < a.length; i++) {
          assertEquals(Float.floatToRawIntBits(a[i]), Float.floatToRawIntBits(f32(n.get(i))),
              where + "[" + i + "]: " + a[i] + " read back as " + n.get(i));
        }
        break;
      }
      case FLOAT16_VECTOR: case BFLOAT16_VECTOR: {
        boolean fp16 = t == DataType.FLOAT16_VECTOR;
        float[] a = floats(v);
        assertTrue(n.isArray(), where + " not an array: " + n);
        assertEquals(a.length, n.size(), where + " dim");
        for (int i = 0; i < a.length; i++) {
          float back = f32(n.get(i));
          short want = fp16 ? HalfFloats.toFloat16(a[i]) : HalfFloats.toBFloat16(a[i]);
          short got = fp16 ? HalfFloats.toFloat16(back) : HalfFloats.toBFloat16(back);
          assertEquals(want, got, where + "[" + i + "]: " + a[i] + " read back as " + back);
          float exact = fp16 ? HalfFloats.fromFloat16(want) : HalfFloats.fromBFloat16(want);
          assertEquals(Float.floatToRawIntBits(exact), Float.floatToRawIntBits(back),
              where + "[" + i + "]: the exact half value must be written");
        }
        break;
      }
      case BINARY_VECTOR: case INT8_VECTOR: {
        int[] a = ints(v, t == DataType.BINARY_VECTOR);
        assertTrue(n.isArray(), where + " not an array: " + n);
        assertEquals(a.length, n.size(), where + " length");
        for (int i = 0; i < a.length; i++) {
          assertTrue(n.get(i).isIntegralNumber(), where + "[" + i + "] not an integer");
          assertEquals(a[i], n.get(i).intValue(), where + "[" + i + "]");
        }
        break;
      }
      case SPARSE_FLOAT_VECTOR: {
        Map<?, ?> m = (Map<?, ?>) v;
        assertTrue(n.isObject(), where + " not an object: " + n);
        assertEquals(m.size(), n.size(), where + " entries");
        Iterator<Map.Entry<String, JsonNode>> it = n.fields();
        for (Map.Entry<?, ?> e : m.entrySet()) {
          Map.Entry<String, JsonNode> got = it.next();
          assertEquals(String.valueOf(e.getKey()), got.getKey(), where + " index (in input order)");
          assertEquals(Float.floatToRawIntBits(((Number) e.getValue()).floatValue()),
              Float.floatToRawIntBits(f32(got.getValue())), where + " value at " + e.getKey());
        }
        break;
      }
      default:
        fail("no check for " + t);
    }
  }

  private static float[] floats(Object v) {
    if (v instanceof float[]) {
      return (float[]) v;
    }
    List<?> l = (List<?>) v;
    float[] a = new float[l.size()];
    for (int i = 0; i < a.length; i++) {
      a[i] = ((Number) l.get(i)).floatValue();
    }
    return a;
  }

  private static int[] ints(Object v, boolean unsigned) {
    List<Integer> out = new ArrayList<>();
    if (v instanceof byte[]) {
      for (byte b : (byte[]) v) {
        out.add(unsigned ? b & 0xff : b);
      }
    } else {
      for (Object o : (List<?>) v) {
        out.add(((Number) o).intValue());
      }
    }
    return out.stream().mapToInt(Integer::intValue).toArray();
  }
}
