package dev.milvusbeam.pipelines;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.CoderException;
import org.apache.beam.sdk.coders.CustomCoder;

/**
 * A compact coder for {@link InputRecord}s (they cross the reshuffle that spreads one big file
 * over the workers): file, line, problem, then the payload as tagged values — null, strings,
 * longs, ints, doubles, floats, booleans, byte arrays, lists and string-keyed maps.
 */
final class InputRecordCoder extends CustomCoder<InputRecord> {
  private static final long serialVersionUID = 1L;
  private static final InputRecordCoder INSTANCE = new InputRecordCoder();
  private static final int NULL = 0;
  private static final int STRING = 1;
  private static final int LONG = 2;
  private static final int INT = 3;
  private static final int DOUBLE = 4;
  private static final int FLOAT = 5;
  private static final int TRUE = 6;
  private static final int FALSE = 7;
  private static final int BYTES = 8;
  private static final int LIST = 9;
  private static final int MAP = 10;
  private static final int UNREADABLE = 11; // in the problem's place: the record of an unreadable file

  static InputRecordCoder of() {
    return INSTANCE;
  }

  @Override
  public void encode(InputRecord r, OutputStream os) throws IOException {
    DataOutputStream out = new DataOutputStream(os);
    writeString(out, r.file);
    out.writeLong(r.line);
    if (r.problem == null) {
      out.writeByte(NULL);
    } else {
      out.writeByte(r.unreadable ? UNREADABLE : STRING);
      writeString(out, r.problem);
    }
    writeValue(out, r.payload);
    out.flush();
  }

  @Override
  public InputRecord decode(InputStream is) throws IOException {
    DataInputStream in = new DataInputStream(is);
    String file = readString(in);
    long line = in.readLong();
    int kind = in.readByte();
    String problem = kind == NULL ? null : readString(in);
    Object payload = readValue(in);
    return kind == UNREADABLE ? InputRecord.unreadable(file, line, problem)
        : new InputRecord(file, line, payload, problem);
  }

  @Override
  public void verifyDeterministic() {}

  private static void writeString(DataOutputStream out, String s) throws IOException {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    out.writeInt(b.length);
    out.write(b);
  }

  private static String readString(DataInputStream in) throws IOException {
    byte[] b = new byte[in.readInt()];
    in.readFully(b);
    return new String(b, StandardCharsets.UTF_8);
  }

  private static void writeValue(DataOutputStream out, Object v) throws IOException {
    if (v == null) {
      out.writeByte(NULL);
    } else if (v instanceof String) {
      out.writeByte(STRING);
      writeString(out, (String) v);
    } else if (v instanceof Long) {
      out.writeByte(LONG);
      out.writeLong((Long) v);
    } else if (v instanceof Integer) {
      out.writeByte(INT);
      out.writeInt((Integer) v);
    } else if (v instanceof Double) {
      out.writeByte(DOUBLE);
      out.writeDouble((Double) v);
    } else if (v instanceof Float) {
      out.writeByte(FLOAT);
      out.writeFloat((Float) v);
    } else if (v instanceof Boolean) {
      out.writeByte((Boolean) v ? TRUE : FALSE);
    } else if (v instanceof byte[]) {
      out.writeByte(BYTES);
      out.writeInt(((byte[]) v).length);
      out.write((byte[]) v);
    } else if (v instanceof List) {
      List<?> l = (List<?>) v;
      out.writeByte(LIST);
      out.writeInt(l.size());
      for (Object x : l) {
        writeValue(out, x);
      }
    } else if (v instanceof Map) {
      Map<?, ?> m = (Map<?, ?>) v;
      out.writeByte(MAP);
      out.writeInt(m.size());
      for (Map.Entry<?, ?> e : m.entrySet()) {
        writeString(out, String.valueOf(e.getKey()));
        writeValue(out, e.getValue());
      }
    } else {
      throw new CoderException("cannot encode a " + v.getClass().getName() + " in an input row");
    }
  }

  private static Object readValue(DataInputStream in) throws IOException {
    int tag = in.readByte();
    switch (tag) {
      case NULL: return null;
      case STRING: return readString(in);
      case LONG: return in.readLong();
      case INT: return in.readInt();
      case DOUBLE: return in.readDouble();
      case FLOAT: return in.readFloat();
      case TRUE: return Boolean.TRUE;
      case FALSE: return Boolean.FALSE;
      case BYTES: {
        byte[] b = new byte[in.readInt()];
        in.readFully(b);
        return b;
      }
      case LIST: {
        int n = in.readInt();
        List<Object> l = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
          l.add(readValue(in));
        }
        return l;
      }
      case MAP: {
        int n = in.readInt();
        Map<String, Object> m = new LinkedHashMap<>(n * 2);
        for (int i = 0; i < n; i++) {
          String k = readString(in);
          m.put(k, readValue(in));
        }
        return m;
      }
      default:
        throw new CoderException("bad input row encoding (tag " + tag + ")");
    }
  }
}
