package dev.milvusbeam.core.format.numpy;

import dev.milvusbeam.core.format.Format;
import dev.milvusbeam.core.format.FormatOptions;
import dev.milvusbeam.core.format.SegmentOutput;
import dev.milvusbeam.core.format.SegmentVerifier;
import dev.milvusbeam.core.format.SegmentWriter;
import dev.milvusbeam.core.schema.CollectionSchema;
import dev.milvusbeam.core.schema.DataType;
import dev.milvusbeam.core.schema.FieldSchema;
import dev.milvusbeam.core.schema.SchemaException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * NumPy: each segment a folder {@code <n>/} holding one {@code <column>.npy} per column of the
 * schema ({@code $meta.npy} included). The only place these names are spelled.
 */
public final class NumpyFormat implements Format {
  /** Types Milvus cannot import from NumPy files. */
  private static final Set<DataType> NOT_IN_NUMPY = EnumSet.of(DataType.ARRAY,
      DataType.SPARSE_FLOAT_VECTOR, DataType.GEOMETRY, DataType.TIMESTAMPTZ, DataType.TEXT,
      DataType.ARRAY_OF_STRUCT);

  @Override
  public String extension() {
    return "npy";
  }

  /** The file of {@code column} in segment {@code segment}: {@code 3/vector.npy}. */
  public static String fileName(int segment, String column) {
    return segment + "/" + column + ".npy";
  }

  /** The column a segment file holds ({@code vector} for {@code 3/vector.npy}), or null. */
  public static String columnOf(String path) {
    int slash = path.indexOf('/');
    if (slash <= 0 || !path.endsWith(".npy") || path.length() <= slash + 1 + 4) {
      return null;
    }
    String column = path.substring(slash + 1, path.length() - 4);
    return column.indexOf('/') < 0 ? column : null;
  }

  @Override
  public List<String> segmentFiles(CollectionSchema schema, int segment) {
    List<String> files = new ArrayList<>();
    for (FieldSchema c : schema.columns()) {
      files.add(fileName(segment, c.name()));
    }
    return files;
  }

  @Override
  public int segmentOf(String path) {
    return columnOf(path) == null ? 0 : Format.segmentNumber(path, path.indexOf('/'));
  }

  @Override
  public String layout() {
    return "segments are <n>/<column>.npy";
  }

  @Override
  public void checkSchema(CollectionSchema schema) {
    refuseUnwritable(schema);
  }

  /**
   * Refuses a schema Milvus cannot import from NumPy: an Array, SparseFloatVector, Geometry or
   * Timestamptz column, or a nullable one. Function outputs are no columns, so they do not count.
   *
   * @throws SchemaException naming every such column and its type, suggesting Parquet
   */
  static void refuseUnwritable(CollectionSchema schema) {
    List<String> problems = new ArrayList<>();
    for (FieldSchema f : schema.columns()) {
      if (NOT_IN_NUMPY.contains(f.dataType())) {
        problems.add(f.describe() + ": " + f.dataType() + " is not importable from NumPy");
      } else if (f.isNullable() && !f.isDynamicMeta()) {
        problems.add(f.describe() + ": nullable fields are not importable from NumPy");
      }
    }
    if (!problems.isEmpty()) {
      throw new SchemaException("the NumPy file type cannot carry " + problems.size()
          + (problems.size() == 1 ? " field: " : " fields: ") + String.join("; ", problems)
          + ". Use Parquet (or JSON/CSV) for this collection.");
    }
  }

  @Override
  public SegmentWriter open(CollectionSchema schema, FormatOptions options, SegmentOutput out,
      int segment) throws IOException {
    return new NumpySegmentWriter(schema, options, out, segment);
  }

  @Override
  public SegmentVerifier verifier(CollectionSchema schema, FormatOptions options) {
    return new NumpySegmentVerifier(schema, options);
  }
}
