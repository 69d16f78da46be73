package dev.milvusbeam.core.row;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.io.doubleparser.JavaDoubleParser;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.milvusbeam.core.schema.CollectionSchema;
import dev.milvusbeam.core.schema.DataType;
import dev.milvusbeam.core.schema.FieldSchema;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads one row of JSON text (Milvus JSON-import shape) into the map {@link RowValidator} checks,
 * streaming with Jackson and knowing the schema: dense vectors become {@code double[]} without a
 * node per element; JSON fields, {@code $meta} and dynamic keys become Jackson trees that keep
 * every digit. {@code NaN}/{@code Infinity} tokens are read so that the validator can name the
 * field they are in.
 */
public final class JsonRows {
  private static final ObjectMapper ROW_MAPPER = JsonMapper.builder()
      .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER) // vectors are mostly number text
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
      .build();
  private static final ObjectReader TREES = ROW_MAPPER.readerFor(JsonNode.class);

  private JsonRows() {}

  /** The row text is not one JSON object. */
  static final class BadJsonException extends Exception {
    private static final long serialVersionUID = 1L;
    final Rule rule;

    BadJsonException(Rule rule, String message) {
      super(message, null, false, false);
      this.rule = rule;
    }
  }

  static Map<String, Object> parse(CollectionSchema schema, byte[] utf8, int off, int len)
      throws BadJsonException {
    try (JsonParser p = ROW_MAPPER.createParser(utf8, off, len)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new BadJsonException(Rule.NOT_AN_OBJECT, "a row must be a JSON object");
      }
      Map<String, Object> row = new LinkedHashMap<>();
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String key = p.currentName();
        JsonToken t = p.nextToken();
        FieldSchema f = schema.field(key);
        row.put(key, f == null || f.dataType() == DataType.JSON ? tree(p) : value(p, t, f));
      }
      if (p.nextToken() != null) {
        throw new BadJsonException(Rule.INVALID_JSON, "extra data after the row object");
      }
      return row;
    } catch (JsonProcessingException e) {
      throw new BadJsonException(Rule.INVALID_JSON, "not valid JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new BadJsonException(Rule.INVALID_JSON, "not valid JSON: " + e.getMessage());
    }
  }

  private static Object tree(JsonParser p) throws IOException {
    return TREES.readTree(p);
  }

  private static Object value(JsonParser p, JsonToken t, FieldSchema f) throws IOException {
    switch (t) {
      case VALUE_NULL: return null;
      case VALUE_TRUE: return Boolean.TRUE;
      case VALUE_FALSE: return Boolean.FALSE;
      case VALUE_STRING: return p.getText();
      case VALUE_NUMBER_INT: return p.getNumberValue();
      case VALUE_NUMBER_FLOAT: return p.getDoubleValue();
      case START_ARRAY:
        return f.dataType().isDenseVector() ? numbers(p) : tree(p);
      default:
        return tree(p);
    }
  }

  /**
   * A float token's value, parsed from the parser's own character buffer: {@code getDoubleValue}
   * first copies the digits into a String, which was most of the time spent reading a vector.
   * The same fast parser Jackson uses with {@code USE_FAST_DOUBLE_PARSER}, the same result.
   */
  private static double floatText(JsonParser p) throws IOException {
    try { // a number token's text is in the parser's buffer
      return JavaDoubleParser.parseDouble(p.getTextCharacters(), p.getTextOffset(),
          p.getTextLength());
    } catch (NumberFormatException e) {
      return p.getDoubleValue(); // text the fast parser refuses: Jackson's own path decides
    }
  }

  /** A JSON array of numbers as double[]; falls back to a list at the first non-number. */
  private static Object numbers(JsonParser p) throws IOException {
    double[] a = new double[64];
    int n = 0;
    JsonToken t;
    while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
      if (t != JsonToken.VALUE_NUMBER_INT && t != JsonToken.VALUE_NUMBER_FLOAT) {
        List<Object> list = new ArrayList<>(n + 8);
        for (int i = 0; i < n; i++) {
          list.add(a[i]);
        }
        list.add(JsonValues.unwrap(tree(p)));
        while (p.nextToken() != JsonToken.END_ARRAY) {
          list.add(JsonValues.unwrap(tree(p)));
        }
        return list;
      }
      if (n == a.length) {
        a = Arrays.copyOf(a, n * 2);
      }
      a[n++] = t == JsonToken.VALUE_NUMBER_FLOAT ? floatText(p) : p.getDoubleValue();
    }
    return n == a.length ? a : Arrays.copyOf(a, n);
  }
}
