package dev.milvusbeam.core.format.json;

import dev.milvusbeam.core.format.FormatOptions;
import dev.milvusbeam.core.format.SegmentOutput;
import dev.milvusbeam.core.format.SegmentVerifier;
import dev.milvusbeam.core.format.SegmentWriter;
import dev.milvusbeam.core.format.SingleFileFormat;
import dev.milvusbeam.core.schema.CollectionSchema;
import java.io.IOException;

/** JSON: each segment one {@code <n>.json} file holding one array of row objects. */
public final class JsonFormat extends SingleFileFormat {
  public JsonFormat() {
    super("json");
  }

  @Override
  public SegmentWriter open(CollectionSchema schema, FormatOptions options, SegmentOutput out,
      int segment) throws IOException {
    return new JsonSegmentWriter(schema, out.create(fileName(segment)), false);
  }

  @Override
  public SegmentVerifier verifier(CollectionSchema schema, FormatOptions options) {
    return new JsonSegmentVerifier(schema, options, false);
  }
}
