package dev.milvusbeam.core.format;

import dev.milvusbeam.core.row.ValidRow;
import dev.milvusbeam.core.schema.CollectionSchema;

/** Stub: replaced by the real writer. */
final class ParquetSegmentWriter implements SegmentWriter {
  ParquetSegmentWriter(CollectionSchema s, FormatOptions o, java.io.OutputStream out) {
    throw new UnsupportedOperationException("ParquetSegmentWriter not written yet");
  }

  static void checkSchema(CollectionSchema schema) {}

  @Override public void write(ValidRow row) {}
  @Override public long rowCount() { return 0; }
  @Override public long bytesWritten() { return 0; }
  @Override public void close() {}
  @Override public void abort() {}
}
