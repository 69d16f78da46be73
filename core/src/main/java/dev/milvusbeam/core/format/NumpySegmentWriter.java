package dev.milvusbeam.core.format;

import dev.milvusbeam.core.row.ValidRow;
import dev.milvusbeam.core.schema.CollectionSchema;
import dev.milvusbeam.core.schema.DataType;
import dev.milvusbeam.core.schema.FieldSchema;
import dev.milvusbeam.core.schema.SchemaException;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Writes one NumPy segment: a folder {@code <prefix>} holding one {@code <column>.npy} (format
 * 1.0, C order, little-endian) per {@link CollectionSchema#columns() column}, {@code $meta.npy}
 * included (FORMAT.md section 4, NumPy). Our own encoder, no library: {@link NpyHeader} writes
 * the header. When the {@link SegmentOutput} offers random-access local files, fixed-width columns
 * (numbers, bools, vectors) are written in place, once, their header last ({@link
 * NpyColumn#inPlace}). Text columns, and every column of an output that can only stream, are
 * spooled to {@link FormatOptions#tempDirectory()} until {@link #close()}, when N and the string
 * widths are known and each file is streamed to the output in one sequential pass.
 */
final class NumpySegmentWriter implements SegmentWriter {
  /** Types Milvus cannot import from NumPy files. */
  private static final Set<DataType> NOT_IN_NUMPY = EnumSet.of(DataType.ARRAY,
      DataType.SPARSE_FLOAT_VECTOR, DataType.GEOMETRY, DataType.TIMESTAMPTZ);

  private final SegmentOutput out;
  private final String prefix;
  private final List<NpyColumn> columns;
  private long rows;
  private boolean finished;

  /**
   * Opens one spool per column.
   *
   * @param prefix the segment folder with its slash, e.g. {@code "3/"}
   * @throws SchemaException when the schema cannot be written as NumPy ({@link #checkSchema})
   */
  NumpySegmentWriter(CollectionSchema s, FormatOptions o, SegmentOutput out, String prefix)
      throws IOException {
    checkSchema(s);
    this.out = out;
    this.prefix = prefix;
    Path tempDirectory = o.tempDirectory();
    Files.createDirectories(tempDirectory);
    this.columns = new ArrayList<>(s.columns().size());
    try {
      for (FieldSchema f : s.columns()) {
        FileChannel file = NpyColumn.fixedWidth(f)
            ? out.createRandomAccess(prefix + f.name() + ".npy") : null;
        columns.add(file != null ? NpyColumn.inPlace(f, file) : NpyColumn.open(f, tempDirectory));
      }
    } catch (IOException | RuntimeException e) {
      releaseSpools();
      throw e;
    }
  }

  /**
   * Refuses a schema Milvus cannot import from NumPy: an Array, SparseFloatVector, Geometry or
   * Timestamptz column, or a nullable one. Function outputs are no columns, so they do not count.
   *
   * @throws SchemaException naming every such column and its type, suggesting Parquet
   */
  static void checkSchema(CollectionSchema schema) {
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

  /**
   * Appends a row to every column spool. The row is checked against the column types first, so a
   * bad row throws {@link IllegalArgumentException} without writing anything.
   */
  @Override
  public void write(ValidRow row) throws IOException {
    if (finished) {
      throw new IllegalStateException("segment " + prefix + " is already closed");
    }
    if (row.size() != columns.size()) {
      throw new IllegalArgumentException("row has " + row.size() + " values, the schema "
          + columns.size() + " columns");
    }
    for (int i = 0; i < columns.size(); i++) {
      columns.get(i).check(row.get(i));
    }
    for (int i = 0; i < columns.size(); i++) {
      columns.get(i).append(row.get(i));
    }
    rows++;
  }

  @Override
  public long rowCount() {
    return rows;
  }

  /** The exact size of the segment folder once closed: each column's header plus N rows. */
  @Override
  public long bytesWritten() {
    long total = 0;
    for (NpyColumn c : columns) {
      total += c.fileSize(rows);
    }
    return total;
  }

  /** Exact: a text column that {@code row} widens grows by a code point per row per char. */
  @Override
  public long bytesWith(ValidRow row) {
    long total = 0;
    for (int i = 0; i < columns.size(); i++) {
      total += columns.get(i).fileSizeWith(rows, row.get(i));
    }
    return total;
  }

  /** Writes every {@code .npy} file of the segment, then deletes the spools (even on failure). */
  @Override
  public void close() throws IOException {
    if (finished) {
      return;
    }
    finished = true;
    try {
      for (NpyColumn c : columns) {
        if (c.isInPlace()) {
          c.finishInPlace(rows);
        } else {
          try (OutputStream file = new BufferedOutputStream(out.create(prefix + c.fileName()),
              NpyColumn.BUFFER_BYTES)) {
            c.writeNpy(file, rows);
          }
        }
        c.release(); // frees the disk as soon as the column is out
      }
    } finally {
      releaseSpools();
    }
  }

  /** Deletes the spools without writing any file; never throws. */
  @Override
  public void abort() {
    finished = true;
    releaseSpools();
  }

  private void releaseSpools() {
    for (NpyColumn c : columns) {
      c.release();
    }
  }
}
