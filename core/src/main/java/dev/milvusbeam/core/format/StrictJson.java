package dev.milvusbeam.core.format;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.milvusbeam.core.row.Excerpts;
import dev.milvusbeam.core.schema.CollectionSchema;
import dev.milvusbeam.core.schema.DataType;
import dev.milvusbeam.core.schema.FieldSchema;

/**
 * Values as Milvus' readers see them in a written file, before the validation rules: JSON text
 * (JSON fields, {@code $meta}, sparse vectors, CSV cells) parsed strictly, like Go's
 * encoding/json (no NaN, nothing after the value).
 */
public final class StrictJson {
  /** Strict JSON: no NaN/Infinity, no trailing tokens; every digit kept. */
  public static final ObjectMapper JSON = JsonMapper.builder()
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
      .build();

  /** {@link #JSON} for reading one value out of a longer stream (a row of a JSON document). */
  public static final ObjectReader VALUE = JSON.readerFor(JsonNode.class)
      .without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private StrictJson() {}

  /** The JSON value of a text, or null when it is not valid JSON. */
  public static JsonNode parse(String text) {
    try {
      JsonNode n = JSON.readTree(text);
      return n == null || n.isMissingNode() ? null : n;
    } catch (JsonProcessingException e) {
      return null;
    }
  }

  /** Text holding JSON as its value (for vectors, arrays, sparse vectors); the text itself if invalid. */
  public static Object parseOrText(String text) {
    JsonNode n = parse(text);
    return n == null ? text : n;
  }

  /**
   * A JSON row as Milvus' JSON reader takes it: a {@code $meta} given as text holding an object
   * (what the Java SDK writes) becomes that object. Returns a problem message for an integer
   * written as a decimal ({@code 1.0}): the server parses integers with ParseInt.
   */
  public static String prepareRow(CollectionSchema schema, ObjectNode row, String[] field) {
    JsonNode meta = row.get(FieldSchema.META);
    if (schema.isDynamicFieldEnabled() && meta != null && meta.isTextual()) {
      JsonNode tree = parse(meta.textValue());
      if (tree != null && tree.isObject()) {
        row.set(FieldSchema.META, tree);
      }
    }
    for (FieldSchema f : schema.columns()) {
      JsonNode v = row.get(f.name());
      if (v == null) {
        continue;
      }
      boolean ints = f.dataType().isIntegral() || f.dataType() == DataType.BINARY_VECTOR
          || f.dataType() == DataType.INT8_VECTOR
          || (f.dataType() == DataType.ARRAY && f.elementType().isIntegral());
      if (!ints) {
        continue;
      }
      JsonNode bad = null;
      if (v.isFloatingPointNumber()) {
        bad = v;
      } else if (v.isArray()) {
        for (JsonNode x : v) {
          if (x.isFloatingPointNumber()) {
            bad = x;
            break;
          }
        }
      }
      if (bad != null) {
        field[0] = f.name();
        return "the decimal number " + Excerpts.of(bad.asText()) + " where the file needs an"
            + " integer: Milvus reads integers with ParseInt, which refuses a decimal point";
      }
    }
    return null;
  }
}
