package dev.milvusbeam.core.format;

import dev.milvusbeam.core.row.ValidRow;
import dev.milvusbeam.core.schema.CollectionSchema;

/** Stub: replaced by the real writer. */
final class JsonSegmentWriter implements SegmentWriter {
  JsonSegmentWriter(CollectionSchema s, java.io.OutputStream out, boolean lines) {
    throw new UnsupportedOperationException("JsonSegmentWriter not written yet");
  }

  static void checkSchema(CollectionSchema schema) {}

  @Override public void write(ValidRow row) {}
  @Override public long rowCount() { return 0; }
  @Override public long bytesWritten() { return 0; }
  @Override public void close() {}
  @Override public void abort() {}
}
