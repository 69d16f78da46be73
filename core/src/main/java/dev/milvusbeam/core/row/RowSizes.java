package dev.milvusbeam.core.row;

import java.util.List;

/** Cheap size estimates of normalized values (no encoding). */
final class RowSizes {
  private RowSizes() {}

  static long of(Object v) {
    if (v == null) {
      return 1;
    }
    if (v instanceof float[]) {
      return 4L * ((float[]) v).length;
    }
    if (v instanceof byte[]) {
      return ((byte[]) v).length;
    }
    if (v instanceof String) {
      return 2L + ((String) v).length();
    }
    if (v instanceof JsonText) {
      return 2L + ((JsonText) v).text().length();
    }
    if (v instanceof SparseVector) {
      return 12L * ((SparseVector) v).size();
    }
    if (v instanceof Object[]) { // one element of a struct array
      long n = 0;
      for (Object x : (Object[]) v) {
        n += of(x);
      }
      return n;
    }
    if (v instanceof List) {
      long n = 4;
      for (Object x : (List<?>) v) {
        n += of(x);
      }
      return n;
    }
    return 8;
  }
}
