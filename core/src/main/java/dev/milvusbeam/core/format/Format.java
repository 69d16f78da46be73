package dev.milvusbeam.core.format;

import dev.milvusbeam.core.row.ColumnCheck;
import dev.milvusbeam.core.schema.CollectionSchema;
import java.io.IOException;
import java.util.List;

/**
 * Everything one import file type knows, in one package of its own ({@code format.json}, {@code
 * format.parquet}, …): how a segment's files are named, which schemas it can carry, its own rule
 * on values, how a segment is written and how it is read back. {@link FileType} lists them; a new
 * file type is one package with a {@code Format} and one constant there.
 */
public interface Format {
  /** The extension Milvus detects the type by ({@code npy} for NumPy). */
  String extension();

  /**
   * The file group of segment {@code segment} (1-based), relative to the data path, as the Import
   * API's {@code files} lists it: {@code 3.parquet}, or {@code 3/id.npy, 3/vector.npy, …}.
   */
  List<String> segmentFiles(CollectionSchema schema, int segment);

  /**
   * The segment a file belongs to ({@code 3} for {@code 3.parquet} or {@code 3/id.npy}), or 0 when
   * it is no segment file of this type. Case-sensitive, like Milvus' detection by extension.
   */
  int segmentOf(String path);

  /**
   * The segment number {@code path.substring(0, end)} spells ({@code 1}..{@code 2^31-1}, no
   * leading zero), or 0.
   */
  static int segmentNumber(String path, int end) {
    if (end <= 0 || end > 10 || path.charAt(0) == '0') {
      return 0;
    }
    long n = 0;
    for (int i = 0; i < end; i++) {
      char c = path.charAt(i);
      if (c < '0' || c > '9') {
        return 0;
      }
      n = n * 10 + (c - '0');
    }
    return n <= Integer.MAX_VALUE ? (int) n : 0;
  }

  /** The layout of segments, for messages: {@code <n>.parquet, n = 1, 2, …}. */
  String layout();

  /**
   * Refuses, before any data is read, a schema this file type cannot carry, naming the fields.
   *
   * @throws dev.milvusbeam.core.schema.SchemaException when it cannot
   */
  default void checkSchema(CollectionSchema schema) {}

  /** This type's own rule on values, applied by the row validator (none by default). */
  default ColumnCheck columnCheck(FormatOptions options) {
    return ColumnCheck.NONE;
  }

  /** Opens the writer of segment {@code segment} (1-based). */
  SegmentWriter open(CollectionSchema schema, FormatOptions options, SegmentOutput out,
      int segment) throws IOException;

  /** The reader that checks this type's segments when a written data folder is verified. */
  SegmentVerifier verifier(CollectionSchema schema, FormatOptions options);
}
