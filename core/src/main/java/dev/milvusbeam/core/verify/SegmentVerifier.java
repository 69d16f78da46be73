package dev.milvusbeam.core.verify;

import dev.milvusbeam.core.format.FormatOptions;
import dev.milvusbeam.core.row.RowValidator;
import dev.milvusbeam.core.row.Violation;
import dev.milvusbeam.core.schema.CollectionSchema;
import java.io.IOException;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the segments of one file type back and checks them against the collection schema and
 * FORMAT.md: structure and header bytes, columns, row counts, every value by the project's
 * validation rules ({@link RowValidator}). One subclass per file type, registered in {@code
 * FileType.verifier}; {@link FolderVerifier} does the layout and calls it once per segment.
 * Readers stream: memory does not grow with the file size.
 */
public abstract class SegmentVerifier {
  private static final Pattern SINGLE_FILE = Pattern.compile("([1-9][0-9]{0,9})\\.([a-z]+)");

  protected final CollectionSchema schema;
  protected final FormatOptions options;
  protected final RowValidator validator;

  protected SegmentVerifier(CollectionSchema schema, FormatOptions options) {
    this.schema = schema;
    this.options = options;
    this.validator = new RowValidator(schema);
  }

  /**
   * The segment a file of this type belongs to ({@code 3} for {@code 3.parquet} or {@code
   * 3/id.npy}), or 0 when it is no segment file of this type. Names are case-sensitive, like
   * Milvus' detection by extension.
   */
  public abstract int segmentOf(String path);

  /**
   * Checks the file group of one segment: every file {@link #segmentOf} gave this number.
   *
   * @return the rows the segment holds (as far as they could be read)
   */
  public abstract long verify(int segment, List<DataFolder.DataFile> files, DataFolder folder,
      VerifyReport report) throws IOException;

  /** {@code <n>.<extension>} at the top of the data path. */
  protected static int singleFileSegment(String path, String extension) {
    Matcher m = SINGLE_FILE.matcher(path);
    if (m.matches() && m.group(2).equals(extension)) {
      long n = Long.parseLong(m.group(1));
      return n <= Integer.MAX_VALUE ? (int) n : 0;
    }
    return 0;
  }

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
