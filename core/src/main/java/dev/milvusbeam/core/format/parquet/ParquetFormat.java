package dev.milvusbeam.core.format.parquet;

import dev.milvusbeam.core.format.FormatOptions;
import dev.milvusbeam.core.format.SegmentOutput;
import dev.milvusbeam.core.format.SegmentVerifier;
import dev.milvusbeam.core.format.SegmentWriter;
import dev.milvusbeam.core.format.SingleFileFormat;
import dev.milvusbeam.core.schema.CollectionSchema;
import java.io.IOException;

/** Parquet: each segment one {@code <n>.parquet} file, one column per field. */
public final class ParquetFormat extends SingleFileFormat {
  public ParquetFormat() {
    super("parquet");
  }

  @Override
  public SegmentWriter open(CollectionSchema schema, FormatOptions options, SegmentOutput out,
      int segment) throws IOException {
    return new ParquetSegmentWriter(schema, options, out.create(fileName(segment)));
  }

  @Override
  public SegmentVerifier verifier(CollectionSchema schema, FormatOptions options) {
    return new ParquetSegmentVerifier(schema, options);
  }
}
