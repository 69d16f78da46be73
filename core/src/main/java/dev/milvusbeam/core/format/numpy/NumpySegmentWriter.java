package dev.milvusbeam.core.format.numpy;

import dev.milvusbeam.core.format.FormatOptions;
import dev.milvusbeam.core.format.SegmentWriter;
import dev.milvusbeam.core.format.SegmentOutput;
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
  private final SegmentOutput out;
  private final int segment;
  private final List<NpyColumn> columns;
  private long rows;
  private boolean finished;

  /**
   * Opens one spool per column.
   *
   * @param segment the segment's number: its folder
   * @throws SchemaException when the schema cannot be written as NumPy ({@link
   *     NumpyFormat#checkSchema})
   */
  NumpySegmentWriter(CollectionSchema s, FormatOptions o, SegmentOutput out, int segment)
      throws IOException {
    NumpyFormat.refuseUnwritable(s);
    this.out = out;
    this.segment = segment;
    Path tempDirectory = o.tempDirectory();
    Files.createDirectories(tempDirectory);
    this.columns = new ArrayList<>(s.columns().size());
    try {
      for (FieldSchema f : s.columns()) {
        FileChannel file = NpyColumn.fixedWidth(f)
            ? out.createRandomAccess(NumpyFormat.fileName(segment, f.name())) : null;
        columns.add(file != null ? NpyColumn.inPlace(f, file) : NpyColumn.open(f, tempDirectory));
      }
    } catch (IOException | RuntimeException e) {
      releaseSpools();
      throw e;
    }
  }

  /** Appends a row to every column (its values are the validator's: not checked again). */
  @Override
  public void write(ValidRow row) throws IOException {
    if (finished) {
      throw new IllegalStateException("segment " + segment + " is already closed");
    }
    if (row.size() != columns.size()) {
      throw new IllegalArgumentException("row has " + row.size() + " values, the schema "
          + columns.size() + " columns");
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
          try (OutputStream file = new BufferedOutputStream(
              out.create(NumpyFormat.fileName(segment, c.field.name())), NpyColumn.BUFFER_BYTES)) {
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
