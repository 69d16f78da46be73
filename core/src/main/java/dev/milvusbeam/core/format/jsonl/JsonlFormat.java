package dev.milvusbeam.core.format.jsonl;

import dev.milvusbeam.core.format.FormatOptions;
import dev.milvusbeam.core.format.SegmentOutput;
import dev.milvusbeam.core.format.SegmentVerifier;
import dev.milvusbeam.core.format.SegmentWriter;
import dev.milvusbeam.core.format.SingleFileFormat;
import dev.milvusbeam.core.format.json.JsonSegmentVerifier;
import dev.milvusbeam.core.format.json.JsonSegmentWriter;
import dev.milvusbeam.core.schema.CollectionSchema;
import java.io.IOException;

/**
 * JSON Lines (Milvus 2.6.6 and newer): each segment one {@code <n>.jsonl} file, one row object per
 * line. The rows are encoded exactly as in JSON ({@link JsonSegmentWriter} in lines mode).
 */
public final class JsonlFormat extends SingleFileFormat {
  public JsonlFormat() {
    super("jsonl");
  }

  @Override
  public SegmentWriter open(CollectionSchema schema, FormatOptions options, SegmentOutput out,
      int segment) throws IOException {
    return new JsonSegmentWriter(schema, out.create(fileName(segment)), true);
  }

  @Override
  public SegmentVerifier verifier(CollectionSchema schema, FormatOptions options) {
    return new JsonSegmentVerifier(schema, options, true);
  }
}
