package dev.milvusbeam.core.format;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import dev.milvusbeam.core.row.HalfFloats;
import dev.milvusbeam.core.row.JsonText;
import dev.milvusbeam.core.row.SparseVector;
import dev.milvusbeam.core.schema.DataType;
import dev.milvusbeam.core.schema.FieldSchema;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;

/**
 * How a normalized value is written as JSON (FORMAT.md section 4, JSON): the JSON and JSONL rows,
 * and the JSON-text cells of CSV. Streams straight into a Jackson generator.
 */
final class JsonValueEncoder {
  private static final JsonFactory FACTORY = JsonFactory.builder()
      .enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER) // shortest round-trip float text, fast
      .disable(StreamWriteFeature.AUTO_CLOSE_TARGET)
      .build();

  private JsonValueEncoder() {}

  static JsonGenerator generator(OutputStream out) throws IOException {
    JsonGenerator g = FACTORY.createGenerator(out, JsonEncoding.UTF8);
    g.setRootValueSeparator(null);
    return g;
  }

  /** Writes one non-null value of column {@code c}. */
  static void write(JsonGenerator g, FieldSchema c, Object v) throws IOException {
    if (v == null) {
      g.writeNull();
      return;
    }
    switch (c.dataType()) {
      case BOOL: g.writeBoolean((Boolean) v); break;
      case INT8: case INT16: case INT32: case INT64: g.writeNumber((Long) v); break;
      case FLOAT: g.writeNumber((Float) v); break;
      case DOUBLE: g.writeNumber((Double) v); break;
      case VARCHAR: case GEOMETRY: case TIMESTAMPTZ: g.writeString((String) v); break;
      case JSON:
        JsonText j = (JsonText) v;
        if (j.isObject()) {
          g.writeRawValue(j.text()); // checked, compact JSON: inline
        } else {
          g.writeString(j.text()); // Milvus rejects bare arrays/numbers: a string holding the JSON
        }
        break;
      case ARRAY: writeList(g, c.elementType(), (List<?>) v); break;
      case FLOAT_VECTOR: writeFloats(g, (float[]) v); break;
      case BINARY_VECTOR: writeBytes(g, (byte[]) v, 0xff); break;
      case INT8_VECTOR: writeBytes(g, (byte[]) v, -1); break;
      case FLOAT16_VECTOR: case BFLOAT16_VECTOR: writeHalfs(g, (byte[]) v, c.dataType()); break;
      case SPARSE_FLOAT_VECTOR: writeSparse(g, (SparseVector) v); break;
      default: throw new IllegalStateException("no JSON encoding for " + c.dataType());
    }
  }

  private static void writeList(JsonGenerator g, DataType element, List<?> list) throws IOException {
    g.writeStartArray();
    for (Object x : list) {
      switch (element) {
        case BOOL: g.writeBoolean((Boolean) x); break;
        case FLOAT: g.writeNumber((Float) x); break;
        case DOUBLE: g.writeNumber((Double) x); break;
        case VARCHAR: g.writeString((String) x); break;
        default: g.writeNumber((Long) x);
      }
    }
    g.writeEndArray();
  }

  static void writeFloats(JsonGenerator g, float[] a) throws IOException {
    g.writeStartArray();
    for (float f : a) {
      g.writeNumber(f);
    }
    g.writeEndArray();
  }

  /** mask 0xff: unsigned bytes; -1: signed bytes. */
  private static void writeBytes(JsonGenerator g, byte[] a, int mask) throws IOException {
    g.writeStartArray();
    for (byte b : a) {
      g.writeNumber(b & mask);
    }
    g.writeEndArray();
  }

  /** Half vectors as floats: the exact value of each half, which the server converts back. */
  private static void writeHalfs(JsonGenerator g, byte[] a, DataType t) throws IOException {
    g.writeStartArray();
    for (int i = 0; i < a.length; i += 2) {
      short h = (short) ((a[i] & 0xff) | (a[i + 1] << 8));
      g.writeNumber(t == DataType.FLOAT16_VECTOR ? HalfFloats.fromFloat16(h) : HalfFloats.fromBFloat16(h));
    }
    g.writeEndArray();
  }

  static void writeSparse(JsonGenerator g, SparseVector s) throws IOException {
    g.writeStartObject();
    for (int i = 0; i < s.size(); i++) {
      g.writeFieldName(Long.toString(s.index(i)));
      g.writeNumber(s.value(i));
    }
    g.writeEndObject();
  }
}
