package dev.milvusbeam.core.row;

import dev.milvusbeam.core.schema.CollectionSchema;
import java.io.Serializable;
import java.util.Arrays;

/**
 * A row that passed validation, one normalized value per {@link CollectionSchema#columns() column}
 * (same order). Defaults are already filled. The value of each column is, by type:
 *
 * <ul>
 *   <li>Bool: {@code Boolean}; Int8/16/32/64: {@code Long} (in range); Float: {@code Float};
 *       Double: {@code Double} (finite)</li>
 *   <li>VarChar, Geometry (WKT), Timestamptz (RFC 3339): {@code String}</li>
 *   <li>JSON and {@code $meta}: {@link JsonText} ({@code $meta} is always an object)</li>
 *   <li>Array: {@code List<?>} of Boolean / Long / Float / Double / String, no nulls</li>
 *   <li>FloatVector: {@code float[dim]}; BinaryVector: {@code byte[dim/8]}; Float16Vector and
 *       BFloat16Vector: {@code byte[2*dim]}, the raw little-endian half bits; Int8Vector:
 *       {@code byte[dim]}; SparseFloatVector: {@link SparseVector}</li>
 *   <li>{@code null} only for a nullable field without default</li>
 * </ul>
 */
public final class ValidRow implements Serializable {
  private static final long serialVersionUID = 1L;

  private final Object[] values;

  ValidRow(Object[] values) {
    this.values = values;
  }

  public int size() { return values.length; }

  /** The value of column {@code i} (index into {@link CollectionSchema#columns()}). */
  public Object get(int i) { return values[i]; }

  /** Rough in-memory/output size in bytes, for batching by size. */
  public long estimatedBytes() {
    long n = 16;
    for (Object v : values) {
      n += RowSizes.of(v);
    }
    return n;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ValidRow && Arrays.deepEquals(((ValidRow) o).values, values);
  }

  @Override
  public int hashCode() {
    return Arrays.deepHashCode(values);
  }

  @Override
  public String toString() {
    return Arrays.deepToString(values);
  }
}
