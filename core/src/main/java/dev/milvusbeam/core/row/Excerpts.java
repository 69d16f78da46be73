package dev.milvusbeam.core.row;

import com.fasterxml.jackson.databind.JsonNode;
import java.lang.reflect.Array;
import java.util.Collection;
import java.util.Iterator;
import java.util.Map;

/** Short, single-line text of an offending value for messages: at most ~70 characters. */
public final class Excerpts {
  static final int MAX = 70;

  private Excerpts() {}

  public static String of(Object v) {
    String s;
    if (v == null) {
      s = "null";
    } else if (v instanceof CharSequence) {
      s = quote(v.toString());
    } else if (v instanceof JsonNode) {
      s = v.toString();
    } else if (v.getClass().isArray()) {
      s = sequence(new ArrayIterator(v), Array.getLength(v));
    } else if (v instanceof Collection) {
      s = sequence(((Collection<?>) v).iterator(), ((Collection<?>) v).size());
    } else if (v instanceof Map) {
      s = v.toString();
    } else {
      s = String.valueOf(v);
    }
    return shorten(s);
  }

  /** {@code s} on one line, cut to about 70 characters. */
  public static String shorten(String s) {
    StringBuilder sb = new StringBuilder(Math.min(s.length(), MAX + 3));
    for (int i = 0; i < s.length() && sb.length() < MAX; i++) {
      char c = s.charAt(i);
      if (c == '\n') {
        sb.append("\\n");
      } else if (c == '\r') {
        sb.append("\\r");
      } else if (Character.isSurrogate(c) && !(Character.isHighSurrogate(c) && i + 1 < s.length()
          && Character.isLowSurrogate(s.charAt(i + 1)))) {
        sb.append(String.format("\\u%04x", (int) c)); // a lone surrogate, shown, not printed raw
      } else if (c < 0x20) {
        sb.append(String.format("\\u%04x", (int) c));
      } else {
        sb.append(c);
        if (Character.isHighSurrogate(c) && i + 1 < s.length()) {
          sb.append(s.charAt(++i));
        }
      }
    }
    return sb.length() < s.length() ? sb.append("...").toString() : sb.toString();
  }

  private static String quote(String s) {
    return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
  }

  private static String sequence(Iterator<?> it, int size) {
    StringBuilder sb = new StringBuilder("[");
    int shown = 0;
    while (it.hasNext() && shown < 6) {
      if (shown++ > 0) {
        sb.append(',');
      }
      Object x = it.next();
      sb.append(x instanceof CharSequence ? quote(x.toString()) : String.valueOf(x));
    }
    if (size > shown) {
      sb.append(",...");
    }
    sb.append(']');
    if (size > 6) {
      sb.append("(n=").append(size).append(')');
    }
    return sb.toString();
  }

  private static final class ArrayIterator implements Iterator<Object> {
    private final Object array;
    private final int n;
    private int i;

    ArrayIterator(Object array) {
      this.array = array;
      this.n = Array.getLength(array);
    }

    @Override
    public boolean hasNext() { return i < n; }

    @Override
    public Object next() { return Array.get(array, i++); }
  }
}
