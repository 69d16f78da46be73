package dev.milvusbeam.core.format;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.io.NumberOutput;
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
 * and the JSON-text cells of CSV. An instance writes into one {@link ByteSink}: numbers, booleans
 * and vectors as bytes directly (float32 values through {@link FloatText}, no String per value),
 * everything with text to escape (strings, JSON, arrays, sparse vectors) through a Jackson
 * generator on the same sink. Not thread-safe: one instance per thread.
 */
public final class JsonValueEncoder {
  private static final JsonFactory FACTORY = JsonFactory.builder()
      .enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER) // shortest round-trip double text, fast
      .disable(StreamWriteFeature.AUTO_CLOSE_TARGET)
      .build();

  private static final byte[] TRUE = {'t', 'r', 'u', 'e'};
  private static final byte[] FALSE = {'f', 'a', 'l', 's', 'e'};
  private static final byte[] NULL = {'n', 'u', 'l', 'l'};
  /** Longest decimal text of a long, sign included. */
  private static final int LONG_LENGTH = 20;

  private final ByteSink sink;
  /** Root-level values, no separator: only ever between {@link JsonGenerator#flush()}es. */
  private final JsonGenerator g;

  public JsonValueEncoder(ByteSink sink) throws IOException {
    this.sink = sink;
    this.g = generator(sink);
  }

  public static JsonGenerator generator(OutputStream out) throws IOException {
    JsonGenerator g = FACTORY.createGenerator(out, JsonEncoding.UTF8);
    g.setRootValueSeparator(null);
    return g;
  }

  /** Writes one value (null included) of column {@code c} to the sink. */
  public void write(FieldSchema c, Object v) throws IOException {
    if (v == null) {
      sink.write(NULL);
      return;
    }
    switch (c.dataType()) {
      case BOOL: sink.write((Boolean) v ? TRUE : FALSE); break;
      case INT8: case INT16: case INT32: case INT64: writeLong((Long) v); break;
      case FLOAT: writeFloat((Float) v); break;
      case FLOAT_VECTOR: writeFloats((float[]) v); break;
      case BINARY_VECTOR: writeBytes((byte[]) v, 0xff); break;
      case INT8_VECTOR: writeBytes((byte[]) v, -1); break;
      case FLOAT16_VECTOR: case BFLOAT16_VECTOR: writeHalfs((byte[]) v, c.dataType()); break;
      default:
        write(g, c, v);
        g.flush(); // into the sink, before anything is written to it directly
    }
  }

  private void writeLong(long v) {
    byte[] b = sink.ensure(LONG_LENGTH);
    sink.size(NumberOutput.outputLong(v, b, sink.size()));
  }

  private void writeFloat(float f) {
    byte[] b = sink.ensure(FloatText.MAX_LENGTH);
    sink.size(FloatText.write(f, b, sink.size()));
  }

  /** {@code [f0,f1,...]}: one capacity check per vector. */
  public void writeFloats(float[] a) {
    byte[] b = sink.ensure(2 + a.length * (FloatText.MAX_LENGTH + 1));
    int p = sink.size();
    b[p++] = '[';
    for (int i = 0; i < a.length; i++) {
      if (i > 0) {
        b[p++] = ',';
      }
      p = FloatText.write(a[i], b, p);
    }
    b[p++] = ']';
    sink.size(p);
  }

  /** mask 0xff: unsigned bytes; -1: signed bytes. */
  private void writeBytes(byte[] a, int mask) {
    byte[] b = sink.ensure(2 + a.length * 5);
    int p = sink.size();
    b[p++] = '[';
    for (int i = 0; i < a.length; i++) {
      if (i > 0) {
        b[p++] = ',';
      }
      p = NumberOutput.outputInt(a[i] & mask, b, p);
    }
    b[p++] = ']';
    sink.size(p);
  }

  /** Half vectors as floats: the exact value of each half, which the server converts back. */
  private void writeHalfs(byte[] a, DataType t) {
    byte[] b = sink.ensure(2 + (a.length / 2) * (FloatText.MAX_LENGTH + 1));
    int p = sink.size();
    b[p++] = '[';
    for (int i = 0; i < a.length; i += 2) {
      if (i > 0) {
        b[p++] = ',';
      }
      short h = (short) ((a[i] & 0xff) | (a[i + 1] << 8));
      p = FloatText.write(t == DataType.FLOAT16_VECTOR ? HalfFloats.fromFloat16(h)
          : HalfFloats.fromBFloat16(h), b, p);
    }
    b[p++] = ']';
    sink.size(p);
  }

  /** Writes one non-null value of column {@code c} through a generator. */
  public static void write(JsonGenerator g, FieldSchema c, Object v) throws IOException {
    if (v == null) {
      g.writeNull();
      return;
    }
    switch (c.dataType()) {
      case BOOL: g.writeBoolean((Boolean) v); break;
      case INT8: case INT16: case INT32: case INT64: g.writeNumber((Long) v); break;
      case FLOAT: writeFloat(g, (Float) v, new char[FloatText.MAX_LENGTH]); break;
      case DOUBLE: g.writeNumber((Double) v); break;
      case VARCHAR: case TEXT: case GEOMETRY: case TIMESTAMPTZ: g.writeString((String) v); break;
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
      case ARRAY_OF_STRUCT: writeStruct(g, c, v); break;
      default: throw new IllegalStateException("no JSON encoding for " + c.dataType());
    }
  }

  /**
   * A struct array: {@code [{"a":1,"v":[0.5,…]},…]}, keys in sub-field order, each sub-value
   * encoded like a top-level value of its element type.
   */
  private static void writeStruct(JsonGenerator g, FieldSchema c, Object v) throws IOException {
    List<FieldSchema> subs = c.subFields();
    g.writeStartArray();
    for (Object e : (List<?>) v) {
      Object[] values = (Object[]) e;
      g.writeStartObject();
      for (int k = 0; k < subs.size(); k++) {
        g.writeFieldName(subs.get(k).name());
        write(g, subs.get(k), values[k]);
      }
      g.writeEndObject();
    }
    g.writeEndArray();
  }

  /** A float32 number through the generator: {@link FloatText}'s digits as a raw value. */
  private static void writeFloat(JsonGenerator g, float f, char[] scratch) throws IOException {
    g.writeRawValue(scratch, 0, FloatText.write(f, scratch, 0));
  }

  private static void writeList(JsonGenerator g, DataType element, List<?> list) throws IOException {
    g.writeStartArray();
    char[] scratch = element == DataType.FLOAT ? new char[FloatText.MAX_LENGTH] : null;
    for (Object x : list) {
      switch (element) {
        case BOOL: g.writeBoolean((Boolean) x); break;
        case FLOAT: writeFloat(g, (Float) x, scratch); break;
        case DOUBLE: g.writeNumber((Double) x); break;
        case VARCHAR: g.writeString((String) x); break;
        default: g.writeNumber((Long) x);
      }
    }
    g.writeEndArray();
  }

  private static void writeFloats(JsonGenerator g, float[] a) throws IOException {
    g.writeStartArray();
    char[] scratch = new char[FloatText.MAX_LENGTH];
    for (float f : a) {
      writeFloat(g, f, scratch);
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

  private static void writeHalfs(JsonGenerator g, byte[] a, DataType t) throws IOException {
    g.writeStartArray();
    char[] scratch = new char[FloatText.MAX_LENGTH];
    for (int i = 0; i < a.length; i += 2) {
      short h = (short) ((a[i] & 0xff) | (a[i + 1] << 8));
      writeFloat(g, t == DataType.FLOAT16_VECTOR ? HalfFloats.fromFloat16(h)
          : HalfFloats.fromBFloat16(h), scratch);
    }
    g.writeEndArray();
  }

  private static void writeSparse(JsonGenerator g, SparseVector s) throws IOException {
    g.writeStartObject();
    char[] scratch = new char[FloatText.MAX_LENGTH];
    for (int i = 0; i < s.size(); i++) {
      g.writeFieldName(Long.toString(s.index(i)));
      writeFloat(g, s.value(i), scratch);
    }
    g.writeEndObject();
  }
}
