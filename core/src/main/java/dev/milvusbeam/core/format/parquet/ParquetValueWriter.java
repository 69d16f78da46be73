package dev.milvusbeam.core.format.parquet;

import java.io.IOException;
import org.apache.parquet.column.ColumnWriteStore;
import org.apache.parquet.column.page.PageWriteStore;

/**
 * Writes one column's value of each row with its repetition and definition levels (the part of
 * Iceberg's {@code ParquetValueWriter}). One is chosen per column when the segment writer opens
 * ({@link ParquetValueWriters#of}, {@link ParquetVectorColumn} for dense vectors), so a row costs
 * one call per column and no switch on the type. The row group's stores belong to the segment
 * writer; a value writer is handed the part it writes to when each row group starts.
 */
abstract class ParquetValueWriter {
  /** Writes one row's value of the column, as {@code ValidRow} holds it; null is a Parquet null. */
  abstract void write(Object value) throws IOException;

  /**
   * Writes into the next row group: to its column writer in {@code columns} (the column store of
   * the row group's columns that are not dense vectors; null when there are none), or, for a
   * dense vector, straight to its page writer in {@code pages}.
   */
  abstract void startRowGroup(ColumnWriteStore columns, PageWriteStore pages);
}
