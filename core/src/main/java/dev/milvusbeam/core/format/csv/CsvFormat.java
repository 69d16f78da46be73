package dev.milvusbeam.core.format.csv;

import dev.milvusbeam.core.format.FormatOptions;
import dev.milvusbeam.core.format.SegmentOutput;
import dev.milvusbeam.core.format.SegmentVerifier;
import dev.milvusbeam.core.format.SegmentWriter;
import dev.milvusbeam.core.format.SingleFileFormat;
import dev.milvusbeam.core.row.ColumnCheck;
import dev.milvusbeam.core.row.NullKeyCheck;
import dev.milvusbeam.core.schema.CollectionSchema;
import java.io.IOException;

/**
 * CSV (RFC 4180, Milvus 2.5 and newer): each segment one {@code <n>.csv} file with a header row.
 * Its rule on values is the null key's ({@link NullKeyCheck}), by the cell text {@link CsvCells}
 * spells.
 */
public final class CsvFormat extends SingleFileFormat {
  public CsvFormat() {
    super("csv");
  }

  @Override
  public ColumnCheck columnCheck(FormatOptions options) {
    return new NullKeyCheck(options.csvNullKey(), CsvCells::text);
  }

  @Override
  public SegmentWriter open(CollectionSchema schema, FormatOptions options, SegmentOutput out,
      int segment) throws IOException {
    return new CsvSegmentWriter(schema, options, out.create(fileName(segment)));
  }

  @Override
  public SegmentVerifier verifier(CollectionSchema schema, FormatOptions options) {
    return new CsvSegmentVerifier(schema, options);
  }
}
