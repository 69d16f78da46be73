package dev.milvusbeam.io;

import dev.milvusbeam.core.format.FileType;
import dev.milvusbeam.core.row.ValidRow;
import org.apache.beam.sdk.transforms.SerializableFunction;

/**
 * Estimated output bytes of a row, to batch about one segment's worth of rows before writing.
 * The writers roll on real bytes, so an estimate that is off only changes how full the last
 * segment of a batch is, never a segment's bound. Text formats spell each float in ~11 bytes.
 */
final class SizeEstimate implements SerializableFunction<ValidRow, Long> {
  private static final long serialVersionUID = 1L;
  private final int textFactor;

  private SizeEstimate(int textFactor) {
    this.textFactor = textFactor;
  }

  static SizeEstimate of(FileType type) {
    boolean text = type == FileType.JSON || type == FileType.JSONL || type == FileType.CSV;
    return new SizeEstimate(text ? 3 : 1);
  }

  @Override
  public Long apply(ValidRow row) {
    return row.estimatedBytes() * textFactor;
  }
}
