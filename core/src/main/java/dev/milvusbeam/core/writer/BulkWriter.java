package dev.milvusbeam.core.writer;

import dev.milvusbeam.core.format.FileType;
import dev.milvusbeam.core.format.FormatOptions;
import dev.milvusbeam.core.row.RowValidator;
import dev.milvusbeam.core.row.ValidRow;
import dev.milvusbeam.core.row.ValidationResult;
import dev.milvusbeam.core.schema.CollectionSchema;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The seed page's bulk writer: {@code appendRow}, {@code commit}, {@code getDataPath},
 * {@code getBatchFiles}. Rows are validated on append (an invalid row throws
 * {@link dev.milvusbeam.core.row.RowRejectedException} with every violation and is not written);
 * valid rows stream into size-bounded segments. Unlike pymilvus, {@link #close()} commits, so no
 * appended row is ever dropped, and a failure while writing a file reaches the caller. Methods are
 * synchronized: several threads may append.
 */
public class BulkWriter implements AutoCloseable {
  /** Default segment size, like pymilvus: 128 MiB. */
  public static final long DEFAULT_SEGMENT_SIZE = 128L << 20;

  private final CollectionSchema schema;
  private final FileType fileType;
  private final FormatOptions options;
  private final RowValidator validator;
  private final SegmentStore store;
  private final SegmentRoller roller;
  private long rows;
  private long rejected;
  private int manifestSegments = -1;
  private long manifestRejected;
  private Exception failure;
  private boolean closed;

  /** A writer with a builder's settings and a store. */
  protected BulkWriter(Builder<?> settings, SegmentStore store) {
    this(settings.schema, settings.fileType, settings.options, settings.segmentSize, store);
  }

  protected BulkWriter(CollectionSchema schema, FileType fileType, FormatOptions options,
      long segmentSize, SegmentStore store) {
    this.schema = schema;
    this.fileType = fileType;
    this.options = options;
    this.validator = new RowValidator(schema, fileType.columnCheck(options));
    this.store = store;
    this.roller = new SegmentRoller(schema, fileType, options, segmentSize, store);
  }

  /**
   * Validates and writes one row.
   *
   * @throws dev.milvusbeam.core.row.RowRejectedException when the row breaks the schema (the
   *     writer stays usable)
   * @throws UncheckedIOException when a file cannot be written (the writer is then failed)
   */
  public synchronized void appendRow(Map<String, ?> row) {
    ValidationResult r = validator.validate(row);
    if (!r.isValid()) {
      rejected++;
    }
    append(r.orThrow());
  }

  /** Writes a row that was validated already (by a {@link RowValidator} of the same schema). */
  public synchronized void append(ValidRow row) {
    checkOpen();
    try {
      roller.write(row);
      rows++;
    } catch (IOException | RuntimeException e) {
      fail(e);
    }
  }

  /** Makes every appended row durable in the data path (closes the open segment). */
  public synchronized void commit() {
    checkOpen();
    try {
      roller.flush();
      writeManifest();
    } catch (IOException | RuntimeException e) {
      fail(e);
    }
  }

  /**
   * Rewrites {@code <dataPath>.manifest.json} when segments or rejections changed since the last
   * one: the manifest always describes every committed segment.
   */
  private void writeManifest() throws IOException {
    List<Segment> segments = roller.committedSegments();
    if (segments.isEmpty() || (segments.size() == manifestSegments && rejected == manifestRejected)) {
      return;
    }
    store.writeManifest(Manifest.toJson(getDataPath(), schema, fileType, options, segments,
        f -> importPath(store.dataPath() + "/" + f), rejected));
    manifestSegments = segments.size();
    manifestRejected = rejected;
  }

  /** Rows refused by {@link #appendRow} so far. */
  public synchronized long getRejectedRowCount() {
    return rejected;
  }

  /** {@code <output>/<uuid>}: the folder holding every segment of this writer. */
  public String getDataPath() {
    return importPath(store.dataPath());
  }

  /**
   * A store path as this writer reports it: local paths as they are; a remote writer gives the
   * object key inside its bucket, the form Milvus' Import API takes (FORMAT.md section 5).
   */
  protected String importPath(String storePath) {
    return storePath;
  }

  /** The committed file groups, each a list of paths, as the Import API's {@code files} takes them. */
  public synchronized List<List<String>> getBatchFiles() {
    List<List<String>> groups = new ArrayList<>();
    for (Segment s : roller.committedSegments()) {
      List<String> g = new ArrayList<>();
      for (String f : s.fileNames()) {
        g.add(importPath(store.dataPath() + "/" + f));
      }
      groups.add(g);
    }
    return groups;
  }

  public synchronized List<Segment> getSegments() {
    return roller.committedSegments();
  }

  /** Rows accepted so far (committed or not). */
  public synchronized long getTotalRowCount() {
    return rows;
  }

  public CollectionSchema getSchema() { return schema; }
  public FileType getFileType() { return fileType; }
  public RowValidator getValidator() { return validator; }

  /** Commits what is pending and releases the staging area. Throws if rows could not be written. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    try {
      if (failure == null) {
        roller.flush();
        writeManifest();
      }
    } catch (IOException | RuntimeException e) {
      failure = e;
    } finally {
      closed = true;
      roller.abort();
      store.cleanUp();
    }
    if (failure != null) {
      throw new IllegalStateException("the bulk writer failed; rows appended after the last"
          + " committed segment were not written: " + failure.getMessage(), failure);
    }
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("the bulk writer is closed");
    }
    if (failure != null) {
      throw new IllegalStateException("the bulk writer failed earlier: " + failure.getMessage(),
          failure);
    }
  }

  private void fail(Exception e) {
    failure = e;
    roller.abort();
    if (e instanceof IOException) {
      throw new UncheckedIOException("writing segment files under " + store.dataPath() + " failed: "
          + e.getMessage(), (IOException) e);
    }
    throw new IllegalStateException("writing segment files under " + store.dataPath()
        + " failed: " + e.getMessage(), e);
  }

  /**
   * The settings every bulk writer shares: file type (Parquet by default), segment size (128 MiB
   * by default, like the seed), CSV separator and null key.
   */
  public abstract static class Builder<B extends Builder<B>> {
    private final CollectionSchema schema;
    private long segmentSize = DEFAULT_SEGMENT_SIZE;
    private FileType fileType = FileType.PARQUET;
    private FormatOptions options = FormatOptions.defaults();

    protected Builder(CollectionSchema schema) {
      this.schema = java.util.Objects.requireNonNull(schema, "schema");
    }

    protected abstract B self();

    public CollectionSchema schema() { return schema; }
    public FileType fileType() { return fileType; }

    public B segmentSize(long bytes) {
      this.segmentSize = SegmentRoller.checkSegmentSize(bytes);
      return self();
    }

    public B fileType(FileType type) {
      this.fileType = java.util.Objects.requireNonNull(type, "fileType");
      return self();
    }

    /** CSV separator (default ','). */
    public B csvSeparator(char sep) {
      this.options = options.withCsvSeparator(sep);
      return self();
    }

    /** CSV null key (default ""). */
    public B csvNullKey(String nullKey) {
      this.options = options.withCsvNullKey(nullKey);
      return self();
    }

    public B formatOptions(FormatOptions formatOptions) {
      this.options = java.util.Objects.requireNonNull(formatOptions, "formatOptions");
      return self();
    }
  }
}
