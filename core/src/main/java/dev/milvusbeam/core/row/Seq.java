package dev.milvusbeam.core.row;

import com.fasterxml.jackson.databind.JsonNode;
import java.lang.reflect.Array;
import java.util.List;

/**
 * A read-only view of whatever a user passed as a list: a {@code List}, a Java array (primitive
 * or not), a Jackson array node, an {@code Iterable}. Elements come back as plain Java values.
 */
abstract class Seq {
  abstract int size();

  abstract Object get(int i);

  /** The view, or null when the value is not a sequence. */
  static Seq of(Object v) {
    if (v instanceof List) {
      List<?> l = (List<?>) v;
      return new Seq() {
        @Override int size() { return l.size(); }
        @Override Object get(int i) { return JsonValues.unwrap(l.get(i)); }
      };
    }
    if (v instanceof JsonNode && ((JsonNode) v).isArray()) {
      JsonNode n = (JsonNode) v;
      return new Seq() {
        @Override int size() { return n.size(); }
        @Override Object get(int i) { return JsonValues.unwrap(n.get(i)); }
      };
    }
    if (v != null && v.getClass().isArray()) {
      int n = Array.getLength(v);
      return new Seq() {
        @Override int size() { return n; }
        @Override Object get(int i) { return JsonValues.unwrap(Array.get(v, i)); }
      };
    }
    if (v instanceof Iterable && !(v instanceof JsonNode)) {
      List<Object> copy = new java.util.ArrayList<>();
      ((Iterable<?>) v).forEach(copy::add);
      return of(copy);
    }
    return null;
  }
}
