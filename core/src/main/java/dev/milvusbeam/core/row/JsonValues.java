package dev.milvusbeam.core.row;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Map;

/** JSON values of JSON fields and {@code $meta}: strict parsing, checking and compact text (Jackson). */
final class JsonValues {
  static final ObjectMapper MAPPER = JsonMapper.builder()
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS) // keep every digit of the input
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .build();
  private static final ObjectReader TREE_READER = MAPPER.readerFor(JsonNode.class);
  private static final ObjectWriter WRITER = MAPPER.writer();

  private JsonValues() {}

  /** A Jackson scalar node as a Java value (null, Boolean, Number, String); other values as they are. */
  static Object unwrap(Object v) {
    if (!(v instanceof JsonNode)) {
      return v;
    }
    JsonNode n = (JsonNode) v;
    if (n.isNull() || n.isMissingNode()) {
      return null;
    }
    if (n.isNumber()) {
      return n.numberValue();
    }
    if (n.isTextual()) {
      return n.textValue();
    }
    if (n.isBoolean()) {
      return n.booleanValue();
    }
    return n;
  }

  /** Any Java value (maps, lists, arrays, numbers, strings, Jackson nodes) as a checked tree. */
  static JsonNode toTree(Object raw, String what) {
    JsonNode node;
    if (raw instanceof JsonNode) {
      node = (JsonNode) raw;
    } else {
      try {
        node = MAPPER.valueToTree(raw);
      } catch (IllegalArgumentException e) {
        throw new ValueException(Rule.WRONG_TYPE, what + " holds a value that is not JSON ("
            + raw.getClass().getSimpleName() + ")", raw);
      }
    }
    check(node, what);
    return node;
  }

  /** Parses JSON text strictly (no NaN, no trailing data, no duplicate keys) into a checked tree. */
  static JsonNode parse(String text, String what) {
    if (!Utf8.isWellFormed(text)) {
      throw new ValueException(Rule.INVALID_UTF8, what + " is not valid UTF-8 (lone surrogate)", text);
    }
    JsonNode node;
    try {
      node = TREE_READER.readValue(text);
    } catch (JsonProcessingException e) {
      throw new ValueException(Rule.INVALID_JSON, what + " is not valid JSON: "
          + e.getOriginalMessage(), text);
    }
    if (node == null || node.isMissingNode()) {
      throw new ValueException(Rule.INVALID_JSON, what + " is empty, not JSON", text);
    }
    check(node, what);
    return node;
  }

  /** Compact JSON text of a checked tree. */
  static String text(JsonNode node) {
    try {
      return WRITER.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write a checked JSON tree", e);
    }
  }

  /** Rejects what has no strict JSON/UTF-8 form: NaN/Infinity numbers, lone surrogates. */
  static void check(JsonNode n, String what) {
    if (n.isFloatingPointNumber()) {
      double d = n.doubleValue();
      if (Double.isNaN(d) || Double.isInfinite(d)) {
        throw new ValueException(Rule.NOT_FINITE, what + " holds " + (n.isBigDecimal()
            ? "a number beyond the double range" : d) + ", which Milvus cannot read", n);
      }
    } else if (n.isTextual()) {
      if (!Utf8.isWellFormed(n.textValue())) {
        throw new ValueException(Rule.INVALID_UTF8, what + " holds a string that is not valid"
            + " UTF-8 (lone surrogate)", n.textValue());
      }
    } else if (n.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        if (!Utf8.isWellFormed(e.getKey())) {
          throw new ValueException(Rule.INVALID_UTF8, what + " has a key that is not valid UTF-8"
              + " (lone surrogate)", e.getKey());
        }
        check(e.getValue(), what);
      }
    } else if (n.isArray()) {
      for (JsonNode x : n) {
        check(x, what);
      }
    }
  }

  static ObjectNode newObject() {
    return MAPPER.createObjectNode();
  }

  static JsonParser parser(byte[] bytes, int off, int len) throws java.io.IOException {
    return MAPPER.createParser(bytes, off, len);
  }
}
