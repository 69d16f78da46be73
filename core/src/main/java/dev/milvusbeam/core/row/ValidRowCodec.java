package dev.milvusbeam.core.row;

import dev.milvusbeam.core.schema.CollectionSchema;
import dev.milvusbeam.core.schema.DataType;
import dev.milvusbeam.core.schema.FieldSchema;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.io.Serializable;

/**
 * The binary form of a {@link ValidRow} by its collection schema: a null mask, then each column
 * in its natural binary form (vectors as big-endian float bits in one byte block). Besides the
 * validator, the only maker of {@code ValidRow}s: the io module's Beam coder is built on it.
 */
public final class ValidRowCodec implements Serializable {
  private static final long serialVersionUID = 1L;
  private final CollectionSchema schema;
  private transient DataType[] types;
  private transient DataType[] elements;

  public ValidRowCodec(CollectionSchema schema) {
    this.schema = schema;
  }

  private void init() {
    if (types == null) {
      List<FieldSchema> cols = schema.columns();
      DataType[] t = new DataType[cols.size()];
      DataType[] e = new DataType[cols.size()];
      for (int i = 0; i < t.length; i++) {
        t[i] = cols.get(i).dataType();
        e[i] = cols.get(i).elementType();
      }
      elements = e;
      types = t;
    }
  }

  /** Writes {@code row} (a row of this schema). */
  public void encode(ValidRow row, OutputStream os) throws IOException {
    init();
    DataOutputStream out = new DataOutputStream(os);
    int n = types.length;
    byte[] mask = new byte[(n + 7) / 8];
    for (int i = 0; i < n; i++) {
      if (row.get(i) == null) {
        mask[i >> 3] |= (byte) (1 << (i & 7));
      }
    }
    out.write(mask);
    for (int i = 0; i < n; i++) {
      Object v = row.get(i);
      if (v == null) {
        continue;
      }
      if (types[i] == DataType.ARRAY_OF_STRUCT) {
        writeStruct(out, schema.columns().get(i), v);
      } else {
        write(out, types[i], elements[i], v);
      }
    }
    out.flush();
  }

  /** A struct array: the element count, then each element's sub-values in sub-field order. */
  private static void writeStruct(DataOutputStream out, FieldSchema f, Object v)
      throws IOException {
    @SuppressWarnings("unchecked")
    List<Object[]> elements = (List<Object[]>) v;
    List<FieldSchema> subs = f.subFields();
    out.writeInt(elements.size());
    for (Object[] e : elements) {
      for (int k = 0; k < subs.size(); k++) {
        write(out, subs.get(k).dataType(), null, e[k]);
      }
    }
  }

  private static List<Object[]> readStruct(DataInputStream in, FieldSchema f) throws IOException {
    List<FieldSchema> subs = f.subFields();
    int n = in.readInt();
    List<Object[]> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      Object[] e = new Object[subs.size()];
      for (int k = 0; k < e.length; k++) {
        e[k] = read(in, subs.get(k).dataType(), null);
      }
      out.add(e);
    }
    return out;
  }

  private static void write(DataOutputStream out, DataType t, DataType element, Object v)
      throws IOException {
    switch (t) {
      case BOOL: out.writeBoolean((Boolean) v); break;
      case INT8: case INT16: case INT32: case INT64: out.writeLong((Long) v); break;
      case FLOAT: out.writeFloat((Float) v); break;
      case DOUBLE: out.writeDouble((Double) v); break;
      case VARCHAR: case TEXT: case GEOMETRY: case TIMESTAMPTZ: writeString(out, (String) v); break;
      case JSON:
        JsonText j = (JsonText) v;
        out.writeBoolean(j.isObject());
        writeString(out, j.text());
        break;
      case ARRAY:
        List<?> list = (List<?>) v;
        out.writeInt(list.size());
        for (Object x : list) {
          write(out, element, null, x);
        }
        break;
      case FLOAT_VECTOR:
        float[] f = (float[]) v;
        out.writeInt(f.length);
        byte[] buf = new byte[f.length * 4];
        for (int k = 0, b = 0; k < f.length; k++, b += 4) {
          int bits = Float.floatToRawIntBits(f[k]);
          buf[b] = (byte) (bits >>> 24);
          buf[b + 1] = (byte) (bits >>> 16);
          buf[b + 2] = (byte) (bits >>> 8);
          buf[b + 3] = (byte) bits;
        }
        out.write(buf);
        break;
      case BINARY_VECTOR: case FLOAT16_VECTOR: case BFLOAT16_VECTOR: case INT8_VECTOR:
        byte[] bytes = (byte[]) v;
        out.writeInt(bytes.length);
        out.write(bytes);
        break;
      case SPARSE_FLOAT_VECTOR:
        SparseVector s = (SparseVector) v;
        out.writeInt(s.size());
        for (int k = 0; k < s.size(); k++) {
          out.writeLong(s.index(k));
          out.writeFloat(s.value(k));
        }
        break;
      default:
        throw new IllegalStateException("no encoding for " + t);
    }
  }

  /** Reads one row {@link #encode} wrote. */
  public ValidRow decode(InputStream is) throws IOException {
    init();
    DataInputStream in = new DataInputStream(is);
    int n = types.length;
    byte[] mask = new byte[(n + 7) / 8];
    in.readFully(mask);
    Object[] values = new Object[n];
    for (int i = 0; i < n; i++) {
      if ((mask[i >> 3] & (1 << (i & 7))) == 0) {
        values[i] = types[i] == DataType.ARRAY_OF_STRUCT
            ? readStruct(in, schema.columns().get(i)) : read(in, types[i], elements[i]);
      }
    }
    return new ValidRow(values);
  }

  private static Object read(DataInputStream in, DataType t, DataType element) throws IOException {
    switch (t) {
      case BOOL: return in.readBoolean();
      case INT8: case INT16: case INT32: case INT64: return in.readLong();
      case FLOAT: return in.readFloat();
      case DOUBLE: return in.readDouble();
      case VARCHAR: case TEXT: case GEOMETRY: case TIMESTAMPTZ: return readString(in);
      case JSON:
        boolean object = in.readBoolean();
        return new JsonText(readString(in), object);
      case ARRAY:
        int size = in.readInt();
        List<Object> list = new ArrayList<>(size);
        for (int k = 0; k < size; k++) {
          list.add(read(in, element, null));
        }
        return list;
      case FLOAT_VECTOR:
        int dim = in.readInt();
        byte[] buf = new byte[dim * 4];
        in.readFully(buf);
        float[] f = new float[dim];
        for (int k = 0, b = 0; k < dim; k++, b += 4) {
          f[k] = Float.intBitsToFloat(((buf[b] & 0xff) << 24) | ((buf[b + 1] & 0xff) << 16)
              | ((buf[b + 2] & 0xff) << 8) | (buf[b + 3] & 0xff));
        }
        return f;
      case BINARY_VECTOR: case FLOAT16_VECTOR: case BFLOAT16_VECTOR: case INT8_VECTOR:
        byte[] bytes = new byte[in.readInt()];
        in.readFully(bytes);
        return bytes;
      case SPARSE_FLOAT_VECTOR:
        int m = in.readInt();
        long[] idx = new long[m];
        float[] val = new float[m];
        for (int k = 0; k < m; k++) {
          idx[k] = in.readLong();
          val[k] = in.readFloat();
        }
        return new SparseVector(idx, val);
      default:
        throw new IllegalStateException("no encoding for " + t);
    }
  }

  /** UTF-8 with an int length (strings may exceed writeUTF's 64 KiB). */
  private static void writeString(DataOutputStream out, String s) throws IOException {
    byte[] b = s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    out.writeInt(b.length);
    out.write(b);
  }

  private static String readString(DataInputStream in) throws IOException {
    byte[] b = new byte[in.readInt()];
    in.readFully(b);
    return new String(b, java.nio.charset.StandardCharsets.UTF_8);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ValidRowCodec && ((ValidRowCodec) o).schema.equals(schema);
  }

  @Override
  public int hashCode() {
    return schema.hashCode();
  }
}
