package dev.milvusbeam.core.row;

import java.io.Serializable;
import java.util.Arrays;

/**
 * A validated sparse float vector: unique indices in 0..2^32-2 (held in a long), finite
 * non-negative float32 values, at least one entry. Entries keep the order they were given in.
 */
public final class SparseVector implements Serializable {
  private static final long serialVersionUID = 1L;

  private final long[] indices;
  private final float[] values;

  public SparseVector(long[] indices, float[] values) {
    if (indices.length != values.length) {
      throw new IllegalArgumentException("indices and values differ in length");
    }
    this.indices = indices;
    this.values = values;
  }

  public int size() { return indices.length; }
  public long index(int i) { return indices[i]; }
  public float value(int i) { return values[i]; }

  @Override
  public boolean equals(Object o) {
    return o instanceof SparseVector && Arrays.equals(((SparseVector) o).indices, indices)
        && Arrays.equals(((SparseVector) o).values, values);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(indices) * 31 + Arrays.hashCode(values);
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("{");
    for (int i = 0; i < indices.length; i++) {
      if (i > 0) {
        sb.append(',');
      }
      sb.append('"').append(indices[i]).append("\":").append(values[i]);
    }
    return sb.append('}').toString();
  }
}
