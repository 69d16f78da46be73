package dev.milvusbeam.core.format;

import dev.milvusbeam.core.format.FormatOptions;
import dev.milvusbeam.core.row.RowValidator;
import dev.milvusbeam.core.row.Violation;
import dev.milvusbeam.core.schema.CollectionSchema;
import java.io.IOException;
import java.util.List;

/**
 * Reads the segments of one file type back and checks them against the collection schema and
 * FORMAT.md: structure and header bytes, columns, row counts, every value by the project's
 * validation rules ({@link RowValidator}). One subclass per file type, registered in {@code
 * Format.verifier}; the folder verifier ({@code verify.FolderVerifier}) does the layout and
 * calls it once per segment ({@code segmentOf} is the file type's).
 * Readers stream: memory does not grow with the file size.
 */
public abstract class SegmentVerifier {
  protected final CollectionSchema schema;
  protected final FormatOptions options;
  protected final RowValidator validator;

  protected SegmentVerifier(CollectionSchema schema, FormatOptions options) {
    this.schema = schema;
    this.options = options;
    this.validator = new RowValidator(schema);
  }

  /**
   * Checks the file group of one segment: every file {@link Format#segmentOf} gave this number.
   *
   * @return the rows the segment holds (as far as they could be read)
   */
  public abstract long verify(int segment, List<DataFolder.DataFile> files, DataFolder folder,
      VerifyReport report) throws IOException;

  /** Reports the violations of one row. */
  protected static void report(VerifyReport report, String file, long row, long line,
      List<Violation> violations) {
    for (Violation v : violations) {
      report.add(new Problem(file, row, line, v.field(), v.rule().code(), v.message(), v.value(),
          false));
    }
  }

  /** Reports one violation of a value (column-wise checks), if there is one. */
  protected static void report(VerifyReport report, String file, long row, Violation v) {
    if (v != null) {
      report.add(new Problem(file, row, 0, v.field(), v.rule().code(), v.message(), v.value(),
          false));
    }
  }
}
