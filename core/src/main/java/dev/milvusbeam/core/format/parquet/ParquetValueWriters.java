package dev.milvusbeam.core.format.parquet;

import com.fasterxml.jackson.core.io.NumberOutput;
import dev.milvusbeam.core.row.JsonText;
import dev.milvusbeam.core.row.SparseVector;
import dev.milvusbeam.core.schema.DataType;
import dev.milvusbeam.core.schema.FieldSchema;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.ColumnWriteStore;
import org.apache.parquet.column.ColumnWriter;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.column.page.PageWriteStore;
import org.apache.parquet.io.api.Binary;

/**
 * The value writer of each column, chosen once per column when the segment writer opens
 * ({@link #of}): one small class per value kind, as {@link dev.milvusbeam.core.row.ValidRow} holds
 * it, writing to its {@link ParquetSchema} column (the part of Iceberg's
 * {@code ParquetValueWriters}):
 *
 * <ul>
 *   <li>a scalar column ({@code optional T f}): a null at definition level 0, a value at 1;
 *   <li>text-like values (VarChar, Geometry, Timestamptz; JSON and {@code $meta} as their text;
 *       sparse vectors as {@link #sparseJson} text) as UTF-8 binary;
 *   <li>an Array column ({@code optional group f (LIST)}): null at 0, empty at 1, the elements at
 *       3 (repetition level 0 for the first, 1 for the others; elements are never null);
 *   <li>a dense vector: a {@link ParquetVectorColumn}, which encodes its own pages.
 * </ul>
 *
 * <p>All but the dense vectors go through parquet-java's column writers. Each list class has its
 * own loop over the elements, so no element costs a dispatch.
 */
final class ParquetValueWriters {
  private static final int NULL_LEVEL = 0;
  private static final int VALUE_LEVEL = 1;
  private static final int EMPTY_LIST_LEVEL = 1;
  private static final int ELEMENT_LEVEL = 3;

  private ParquetValueWriters() {}

  /**
   * The writer of column {@code f}, whose leaves in the {@link ParquetSchema} are {@code leaves}
   * (one; a struct array one per sub-field). A
   * dense vector's {@link ParquetVectorColumn} ends its pages at {@code props}' page size and
   * page row limit, as parquet-java's column writers do.
   */
  static ParquetValueWriter of(FieldSchema f, ColumnDescriptor[] leaves, ParquetProperties props) {
    DataType t = f.dataType();
    if (t == DataType.ARRAY_OF_STRUCT) {
      return new StructWriter(f, leaves);
    }
    ColumnDescriptor leaf = leaves[0];
    if (t.isDenseVector()) {
      // a byte of a binary or half vector is 0..255 (INTEGER(8, unsigned)), of an Int8Vector signed
      return new ParquetVectorColumn(leaf, t != DataType.INT8_VECTOR, props.getPageSizeThreshold(),
          props.getPageRowCountLimit());
    }
    if (t == DataType.ARRAY) {
      switch (f.elementType()) {
        case BOOL: return new BoolListWriter(leaf);
        case INT8: case INT16: case INT32: return new IntListWriter(leaf);
        case INT64: return new LongListWriter(leaf);
        case FLOAT: return new FloatListWriter(leaf);
        case DOUBLE: return new DoubleListWriter(leaf);
        case VARCHAR: return new StringListWriter(leaf);
        default: throw new IllegalArgumentException("Array of " + f.elementType()
            + " has no Parquet value writer (" + f.name() + ")");
      }
    }
    switch (t) {
      case BOOL: return new BoolWriter(leaf);
      case INT8: case INT16: case INT32: return new IntWriter(leaf);
      case INT64: return new LongWriter(leaf);
      case FLOAT: return new FloatWriter(leaf);
      case DOUBLE: return new DoubleWriter(leaf);
      case VARCHAR: case TEXT: case GEOMETRY: case TIMESTAMPTZ: return new StringWriter(leaf);
      case JSON: return new JsonWriter(leaf);
      case SPARSE_FLOAT_VECTOR: return new SparseVectorWriter(leaf);
      default: throw new IllegalArgumentException(t + " has no Parquet value writer ("
          + f.name() + ")");
    }
  }

  /** {@code {"12":0.5,...}}: indices as decimal strings, values as shortest float32 text. */
  static String sparseJson(SparseVector v) {
    StringBuilder sb = new StringBuilder(v.size() * 16 + 2).append('{');
    for (int i = 0; i < v.size(); i++) {
      if (i > 0) {
        sb.append(',');
      }
      sb.append('"').append(v.index(i)).append("\":")
          .append(NumberOutput.toString(v.value(i), true)); // Jackson's fast shortest float text
    }
    return sb.append('}').toString();
  }

  private static Binary utf8(String s) {
    return Binary.fromConstantByteArray(s.getBytes(StandardCharsets.UTF_8));
  }

  /** A column written through its column writer in the row group's column store. */
  private abstract static class ColumnValueWriter extends ParquetValueWriter {
    private final ColumnDescriptor leaf;
    /** The open row group's column writer. */
    ColumnWriter column;

    ColumnValueWriter(ColumnDescriptor leaf) {
      this.leaf = leaf;
    }

    @Override
    final void startRowGroup(ColumnWriteStore columns, PageWriteStore pages) {
      column = columns.getColumnWriter(leaf);
    }

    /** Writes a null or an empty list; returns whether it did. */
    final boolean writeNullOrEmpty(List<?> list) {
      if (list == null) {
        column.writeNull(0, NULL_LEVEL);
        return true;
      }
      if (list.isEmpty()) {
        column.writeNull(0, EMPTY_LIST_LEVEL);
        return true;
      }
      return false;
    }
  }

  // ---- scalars: optional T f ----

  private static final class BoolWriter extends ColumnValueWriter {
    BoolWriter(ColumnDescriptor leaf) {
      super(leaf);
    }

    @Override
    void write(Object v) {
      if (v == null) {
        column.writeNull(0, NULL_LEVEL);
      } else {
        column.write((Boolean) v, 0, VALUE_LEVEL);
      }
    }
  }

  /** Int8, Int16, Int32: int32 (annotated INTEGER(8)/(16) in the schema). */
  private static final class IntWriter extends ColumnValueWriter {
    IntWriter(ColumnDescriptor leaf) {
      super(leaf);
    }

    @Override
    void write(Object v) {
      if (v == null) {
        column.writeNull(0, NULL_LEVEL);
      } else {
        column.write(((Number) v).intValue(), 0, VALUE_LEVEL);
      }
    }
  }

  private static final class LongWriter extends ColumnValueWriter {
    LongWriter(ColumnDescriptor leaf) {
      super(leaf);
    }

    @Override
    void write(Object v) {
      if (v == null) {
        column.writeNull(0, NULL_LEVEL);
      } else {
        column.write(((Number) v).longValue(), 0, VALUE_LEVEL);
      }
    }
  }

  private static final class FloatWriter extends ColumnValueWriter {
    FloatWriter(ColumnDescriptor leaf) {
      super(leaf);
    }

    @Override
    void write(Object v) {
      if (v == null) {
        column.writeNull(0, NULL_LEVEL);
      } else {
        column.write(((Number) v).floatValue(), 0, VALUE_LEVEL);
      }
    }
  }

  private static final class DoubleWriter extends ColumnValueWriter {
    DoubleWriter(ColumnDescriptor leaf) {
      super(leaf);
    }

    @Override
    void write(Object v) {
      if (v == null) {
        column.writeNull(0, NULL_LEVEL);
      } else {
        column.write(((Number) v).doubleValue(), 0, VALUE_LEVEL);
      }
    }
  }

  /** VarChar, Geometry (WKT), Timestamptz (RFC 3339): the string as UTF-8 binary. */
  private static final class StringWriter extends ColumnValueWriter {
    StringWriter(ColumnDescriptor leaf) {
      super(leaf);
    }

    @Override
    void write(Object v) {
      if (v == null) {
        column.writeNull(0, NULL_LEVEL);
      } else {
        column.write(utf8((String) v), 0, VALUE_LEVEL);
      }
    }
  }

  /** JSON and {@code $meta}: the JSON text as UTF-8 binary. */
  private static final class JsonWriter extends ColumnValueWriter {
    JsonWriter(ColumnDescriptor leaf) {
      super(leaf);
    }

    @Override
    void write(Object v) {
      if (v == null) {
        column.writeNull(0, NULL_LEVEL);
      } else {
        column.write(utf8(((JsonText) v).text()), 0, VALUE_LEVEL);
      }
    }
  }

  /** SparseFloatVector: its {@link #sparseJson} text as UTF-8 binary. */
  private static final class SparseVectorWriter extends ColumnValueWriter {
    SparseVectorWriter(ColumnDescriptor leaf) {
      super(leaf);
    }

    @Override
    void write(Object v) {
      if (v == null) {
        column.writeNull(0, NULL_LEVEL);
      } else {
        column.write(utf8(sparseJson((SparseVector) v)), 0, VALUE_LEVEL);
      }
    }
  }

  // ---- Array fields: optional group f (LIST) { repeated group list { optional T element; } } ----

  private static final class BoolListWriter extends ColumnValueWriter {
    BoolListWriter(ColumnDescriptor leaf) {
      super(leaf);
    }

    @Override
    void write(Object v) {
      List<?> list = (List<?>) v;
      if (!writeNullOrEmpty(list)) {
        int r = 0;
        for (Object e : list) {
          column.write((Boolean) e, r, ELEMENT_LEVEL);
          r = 1;
        }
      }
    }
  }

  /** Elements Int8, Int16, Int32: int32 (annotated INTEGER(8)/(16) in the schema). */
  private static final class IntListWriter extends ColumnValueWriter {
    IntListWriter(ColumnDescriptor leaf) {
      super(leaf);
    }

    @Override
    void write(Object v) {
      List<?> list = (List<?>) v;
      if (!writeNullOrEmpty(list)) {
        int r = 0;
        for (Object e : list) {
          column.write(((Number) e).intValue(), r, ELEMENT_LEVEL);
          r = 1;
        }
      }
    }
  }

  private static final class LongListWriter extends ColumnValueWriter {
    LongListWriter(ColumnDescriptor leaf) {
      super(leaf);
    }

    @Override
    void write(Object v) {
      List<?> list = (List<?>) v;
      if (!writeNullOrEmpty(list)) {
        int r = 0;
        for (Object e : list) {
          column.write(((Number) e).longValue(), r, ELEMENT_LEVEL);
          r = 1;
        }
      }
    }
  }

  private static final class FloatListWriter extends ColumnValueWriter {
    FloatListWriter(ColumnDescriptor leaf) {
      super(leaf);
    }

    @Override
    void write(Object v) {
      List<?> list = (List<?>) v;
      if (!writeNullOrEmpty(list)) {
        int r = 0;
        for (Object e : list) {
          column.write(((Number) e).floatValue(), r, ELEMENT_LEVEL);
          r = 1;
        }
      }
    }
  }

  private static final class DoubleListWriter extends ColumnValueWriter {
    DoubleListWriter(ColumnDescriptor leaf) {
      super(leaf);
    }

    @Override
    void write(Object v) {
      List<?> list = (List<?>) v;
      if (!writeNullOrEmpty(list)) {
        int r = 0;
        for (Object e : list) {
          column.write(((Number) e).doubleValue(), r, ELEMENT_LEVEL);
          r = 1;
        }
      }
    }
  }

  /** Elements VarChar: UTF-8 binary. */
  private static final class StringListWriter extends ColumnValueWriter {
    StringListWriter(ColumnDescriptor leaf) {
      super(leaf);
    }

    @Override
    void write(Object v) {
      List<?> list = (List<?>) v;
      if (!writeNullOrEmpty(list)) {
        int r = 0;
        for (Object e : list) {
          column.write(utf8((String) e), r, ELEMENT_LEVEL);
          r = 1;
        }
      }
    }
  }

  /**
   * A struct array: {@code optional group s (LIST) { repeated group list { optional group element
   * { optional T a; optional group v (LIST) { repeated group list { optional float element; } } }
   * } }}. Each sub-field is its own leaf: a scalar sub-value at definition level 4, a FloatVector
   * sub-field's floats at 6 (repetition 2 within the vector). An empty list is level 1 in every
   * leaf. Elements and sub-values are never null (the validator's rule).
   */
  private static final class StructWriter extends ParquetValueWriter {
    private static final int SUB_VALUE_LEVEL = 4;
    private static final int SUB_VECTOR_ELEMENT_LEVEL = 6;
    private final ColumnDescriptor[] leaves;
    private final DataType[] types;
    private final ColumnWriter[] columns;

    StructWriter(FieldSchema f, ColumnDescriptor[] leaves) {
      this.leaves = leaves;
      List<FieldSchema> subs = f.subFields();
      this.types = new DataType[subs.size()];
      for (int k = 0; k < types.length; k++) {
        types[k] = subs.get(k).dataType();
      }
      if (leaves.length != types.length) {
        throw new IllegalStateException(f.name() + ": " + leaves.length + " leaves for "
            + types.length + " sub-fields");
      }
      this.columns = new ColumnWriter[leaves.length];
    }

    @Override
    void startRowGroup(ColumnWriteStore store, PageWriteStore pages) {
      for (int k = 0; k < leaves.length; k++) {
        columns[k] = store.getColumnWriter(leaves[k]);
      }
    }

    @Override
    void write(Object v) {
      List<?> elements = (List<?>) v;
      if (elements == null || elements.isEmpty()) {
        int level = elements == null ? NULL_LEVEL : EMPTY_LIST_LEVEL;
        for (ColumnWriter c : columns) {
          c.writeNull(0, level);
        }
        return;
      }
      int r = 0;
      for (Object e : elements) {
        Object[] values = (Object[]) e;
        for (int k = 0; k < types.length; k++) {
          writeSub(columns[k], types[k], values[k], r);
        }
        r = 1;
      }
    }

    private static void writeSub(ColumnWriter c, DataType t, Object v, int r) {
      switch (t) {
        case BOOL: c.write((Boolean) v, r, SUB_VALUE_LEVEL); return;
        case INT8: case INT16: case INT32:
          c.write((int) (long) (Long) v, r, SUB_VALUE_LEVEL);
          return;
        case INT64: c.write((long) (Long) v, r, SUB_VALUE_LEVEL); return;
        case FLOAT: c.write((float) (Float) v, r, SUB_VALUE_LEVEL); return;
        case DOUBLE: c.write((double) (Double) v, r, SUB_VALUE_LEVEL); return;
        case VARCHAR: c.write(utf8((String) v), r, SUB_VALUE_LEVEL); return;
        case FLOAT_VECTOR: {
          float[] a = (float[]) v;
          for (int x = 0; x < a.length; x++) {
            c.write(a[x], x == 0 ? r : 2, SUB_VECTOR_ELEMENT_LEVEL);
          }
          return;
        }
        default: throw new IllegalStateException("no struct sub-field writer for " + t);
      }
    }
  }
}
