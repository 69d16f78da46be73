package dev.milvusbeam.pipelines;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.milvusbeam.core.row.HalfFloats;
import dev.milvusbeam.core.row.RowValidator;
import dev.milvusbeam.core.row.UnreadableInput;
import dev.milvusbeam.core.row.ValidationResult;
import dev.milvusbeam.core.schema.CollectionSchema;
import dev.milvusbeam.core.schema.DataType;
import dev.milvusbeam.core.schema.FieldSchema;
import dev.milvusbeam.io.RowParser;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Turns an {@link InputRecord} into a checked row, so that {@code MilvusIO.write} reports every
 * rejected row with its file and line. JSON Lines go to the validator as bytes. CSV cells are
 * typed by the collection schema: integers and floats read as numbers, {@code true}/{@code false}
 * as booleans, Array / vector / sparse cells as JSON text, VarChar / Geometry / Timestamptz / JSON
 * as text, {@code $meta} as a JSON object; a cell equal to the input null key is absent (null or the default) when
 * the field allows it; columns that are no field are dynamic fields, as strings. A cell that does
 * not read as its type is passed on as text, and the validator names the rule it breaks. Parquet
 * values pass as read, except the Milvus Parquet encodings the validator does not take directly:
 * fp16/bf16 vectors as {@code uint8} lists of 2 bytes per element, sparse vectors as JSON text.
 */
final class InputRowParser implements RowParser<InputRecord> {
  private static final long serialVersionUID = 1L;
  private static final ObjectMapper JSON = JsonMapper.builder()
      .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .build();
  private static final Pattern NON_FINITE = Pattern.compile("[+-]?(NaN|Inf|Infinity|inf|nan)");

  private final InputFormat format;
  private final String nullKey;

  InputRowParser(InputFormat format, String nullKey) {
    this.format = format;
    this.nullKey = nullKey == null ? "" : nullKey;
  }

  @Override
  @SuppressWarnings("unchecked")
  public ValidationResult parse(RowValidator validator, InputRecord r) {
    if (r.unreadable) {
      return ValidationResult.rejected(List.of(UnreadableInput.violation(r.problem, null)));
    }
    if (r.problem != null) {
      throw new IllegalArgumentException(r.problem); // rejected as an input-conversion failure
    }
    switch (format) {
      case JSONL: {
        byte[] b = (byte[]) r.payload;
        return validator.validateJson(b, 0, b.length);
      }
      case CSV:
        return validator.validate(csvRow(validator.schema(), (Map<String, Object>) r.payload));
      case PARQUET:
        return validator.validate(parquetRow(validator.schema(), (Map<String, Object>) r.payload));
      default:
        throw new IllegalStateException("no parser for " + format);
    }
  }

  @Override
  public String describe(InputRecord r) {
    if (r.payload == null) {
      return ""; // an unreadable file: nothing of it to show
    }
    if (r.payload instanceof byte[]) {
      return new String((byte[]) r.payload, StandardCharsets.UTF_8);
    }
    try {
      return JSON.writeValueAsString(r.payload);
    } catch (JsonProcessingException e) {
      return String.valueOf(r.payload);
    }
  }

  @Override
  public String source(InputRecord r) {
    return r.file;
  }

  @Override
  public long line(InputRecord r) {
    return r.line;
  }

  private Map<String, Object> csvRow(CollectionSchema schema, Map<String, Object> cells) {
    Map<String, Object> row = new HashMap<>(cells.size() * 2);
    for (Map.Entry<String, Object> e : cells.entrySet()) {
      String cell = (String) e.getValue();
      FieldSchema f = schema.field(e.getKey());
      if (cell.equals(nullKey) && (f == null || f.acceptsMissing() || f.isAutoId()
          || f.isFunctionOutput() || f.isDynamicMeta())) {
        continue; // absent: null, or the default value
      }
      row.put(e.getKey(), FieldSchema.META.equals(e.getKey()) ? jsonTree(cell)
          : f == null ? cell : csvValue(f, cell));
    }
    return row;
  }

  static Object csvValue(FieldSchema f, String cell) {
    switch (f.dataType()) {
      case BOOL: {
        String b = cell.trim();
        return b.equalsIgnoreCase("true") ? Boolean.TRUE
            : b.equalsIgnoreCase("false") ? Boolean.FALSE : cell;
      }
      case INT8: case INT16: case INT32: case INT64:
        try {
          return Long.parseLong(cell.trim());
        } catch (NumberFormatException e) {
          return decimal(cell); // a fraction or out of range: the validator says which
        }
      case FLOAT: case DOUBLE: {
        String t = cell.trim();
        if (NON_FINITE.matcher(t).matches()) {
          return t.contains("N") || t.contains("n") ? Double.NaN
              : t.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        }
        return decimal(cell);
      }
      case ARRAY: case FLOAT_VECTOR: case FLOAT16_VECTOR: case BFLOAT16_VECTOR:
      case BINARY_VECTOR: case INT8_VECTOR: case SPARSE_FLOAT_VECTOR: case ARRAY_OF_STRUCT:
        return jsonTree(cell);
      default: // VarChar, Text, Geometry, Timestamptz (text), JSON and $meta (JSON text)
        return cell;
    }
  }

  private static Object decimal(String cell) {
    try {
      BigDecimal d = new BigDecimal(cell.trim());
      double x = d.doubleValue();
      return Double.isInfinite(x) || d.scale() <= 0 ? d : (Object) x;
    } catch (NumberFormatException e) {
      return cell;
    }
  }

  private static Object jsonTree(String text) {
    try {
      return JSON.readTree(text);
    } catch (JsonProcessingException e) {
      return text; // not JSON: the validator reports the wrong type
    }
  }

  private static Map<String, Object> parquetRow(CollectionSchema schema, Map<String, Object> row) {
    Map<String, Object> out = null;
    for (FieldSchema f : schema.columns()) {
      Object v = row.get(f.name());
      Object adapted = v == null || f.isDynamicMeta() ? v : parquetValue(f, v);
      if (adapted != v) {
        if (out == null) {
          out = new HashMap<>(row);
        }
        out.put(f.name(), adapted);
      }
    }
    Object meta = row.get(FieldSchema.META);
    if (meta instanceof String) { // a $meta column holds the dynamic fields as JSON object text
      if (out == null) {
        out = new HashMap<>(row);
      }
      out.put(FieldSchema.META, jsonTree((String) meta));
    }
    return out == null ? row : out;
  }

  private static Object parquetValue(FieldSchema f, Object v) {
    DataType t = f.dataType();
    if ((t == DataType.FLOAT16_VECTOR || t == DataType.BFLOAT16_VECTOR)
        && v instanceof List && ((List<?>) v).size() == 2 * f.dim()) {
      List<?> bytes = (List<?>) v;
      float[] floats = new float[f.dim()];
      for (int i = 0; i < floats.length; i++) {
        Object lo = bytes.get(2 * i);
        Object hi = bytes.get(2 * i + 1);
        if (!(lo instanceof Integer) || !(hi instanceof Integer)) {
          return v;
        }
        short h = (short) (((Integer) lo & 0xff) | (((Integer) hi & 0xff) << 8));
        floats[i] = t == DataType.FLOAT16_VECTOR ? HalfFloats.fromFloat16(h)
            : HalfFloats.fromBFloat16(h);
      }
      return floats;
    }
    if (v instanceof String && (t == DataType.SPARSE_FLOAT_VECTOR || t == DataType.ARRAY
        || t == DataType.ARRAY_OF_STRUCT || t.isDenseVector())) {
      return jsonTree((String) v);
    }
    return v;
  }
}
