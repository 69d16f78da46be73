package dev.milvusbeam.io;

import dev.milvusbeam.core.row.ValidRow;
import dev.milvusbeam.core.row.ValidRowCodec;
import dev.milvusbeam.core.schema.CollectionSchema;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.CustomCoder;

/**
 * Encodes a {@link ValidRow} by its collection schema, in the binary form of {@link
 * ValidRowCodec}. Rows that must cross a shuffle or sit in batching state (a bundle's spilled
 * tail, unbounded input) do so packed in this form into {@link RowChunk}s; rows a bundle writes
 * itself are never encoded.
 */
public final class ValidRowCoder extends CustomCoder<ValidRow> {
  private static final long serialVersionUID = 1L;
  private final CollectionSchema schema;
  private final ValidRowCodec codec;

  public ValidRowCoder(CollectionSchema schema) {
    this.schema = schema;
    this.codec = new ValidRowCodec(schema);
  }

  @Override
  public void encode(ValidRow row, OutputStream os) throws IOException {
    codec.encode(row, os);
  }

  @Override
  public ValidRow decode(InputStream is) throws IOException {
    return codec.decode(is);
  }

  @Override
  public void verifyDeterministic() {}

  @Override
  public boolean equals(Object o) {
    return o instanceof ValidRowCoder && ((ValidRowCoder) o).schema.equals(schema);
  }

  @Override
  public int hashCode() {
    return schema.hashCode();
  }
}
