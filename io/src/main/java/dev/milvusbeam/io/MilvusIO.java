package dev.milvusbeam.io;

import dev.milvusbeam.core.format.FileType;
import dev.milvusbeam.core.format.FormatOptions;
import dev.milvusbeam.core.format.SegmentWriter;
import dev.milvusbeam.core.format.SingleFileFormat;
import dev.milvusbeam.core.row.ValidRow;
import dev.milvusbeam.core.schema.CollectionSchema;
import dev.milvusbeam.core.schema.FieldSchema;
import dev.milvusbeam.core.writer.BulkWriter;
import dev.milvusbeam.core.writer.Segment;
import dev.milvusbeam.core.writer.SegmentRoller;
import java.io.IOException;
import java.io.Serializable;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.Count;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.GroupIntoBatches;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Redistribute;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.transforms.errorhandling.BadRecord;
import org.apache.beam.sdk.transforms.errorhandling.ErrorHandler;
import org.apache.beam.sdk.transforms.join.CoGroupByKey;
import org.apache.beam.sdk.transforms.join.KeyedPCollectionTuple;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.util.ShardedKey;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PInput;
import org.apache.beam.sdk.values.POutput;
import org.apache.beam.sdk.values.PValue;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Duration;

/**
 * Beam transforms that write Milvus bulk-import files.
 *
 * <pre>{@code
 * MilvusIO.WriteResult result = rows.apply(MilvusIO.writeRows()
 *     .withSchema(collectionSchema)
 *     .to("s3://bucket/imports")
 *     .withFileType(FileType.PARQUET)
 *     .withSegmentSize(512L << 20));
 * result.getBatchFiles();   // PCollection<List<String>>: the Import API's file groups
 * result.getFailures();     // PCollection<FailedRow>: rejected rows with their violations
 * }</pre>
 *
 * <p>Rows are validated against the collection schema (FORMAT.md sections 2-3) and, for bounded
 * input, written into size-bounded segments in that same step, where the rows are: no per-row
 * state, shuffle or coder (as Beam's own file sinks do). Each bundle attempt writes into a temp
 * folder of its own; the small tail a bundle ends with (less than {@link
 * Write#withTailThreshold the tail threshold}) is spilled and written together with the other
 * bundles' tails, so segments are full except at most one per bundle that held more than the
 * threshold and one for all the tails. Unbounded input packs the valid rows of each bundle into
 * byte chunks, batches chunks (not rows) into about a segment per key and window, and writes each
 * batch. A finalize step numbers each window's segments 1..K and moves them into
 * {@code <output>/<uuid>/} with a manifest beside it — exactly once, whatever retries happen.
 * Invalid rows go to the failures output and, when set, to a {@link ErrorHandler bad record
 * handler}; never dropped.
 *
 * <p>The two halves are also available on their own: {@link #validateJson} (and its siblings)
 * checks rows exactly as a write does and returns the valid ones, and {@link #sink} writes them
 * as JSON, JSONL, Parquet or CSV files through {@code FileIO.write()} / {@code
 * FileIO.writeDynamic()}, e.g. one folder per partition ({@link Sink} says what is then the
 * caller's to do).
 */
public final class MilvusIO {
  static final TupleTag<Segment> WRITTEN = new TupleTag<Segment>() {};
  static final TupleTag<FailedRow> FAILED = new TupleTag<FailedRow>() {};
  static final TupleTag<ValidRow> VALID = new TupleTag<ValidRow>() {};
  static final TupleTag<RowChunk> SPILLED = new TupleTag<RowChunk>() {};
  static final TupleTag<RowChunk> CHUNKS = new TupleTag<RowChunk>() {};
  static final TupleTag<RejectedRows> REJECTED = new TupleTag<RejectedRows>() {};

  /** Default {@link Write#withTailThreshold tail threshold}: 32 MiB of output per bundle. */
  public static final long DEFAULT_TAIL_THRESHOLD = 32L << 20;

  private MilvusIO() {}

  /** Writes Beam {@link Row}s whose schema matches the collection ({@link BeamRows#beamSchema}). */
  public static Write<Row> writeRows() {
    return write(RowParser.beamRows());
  }

  /** Writes JSON text rows, one row object per element, in the Milvus JSON-import shape. */
  public static Write<String> writeJson() {
    return write(RowParser.json());
  }

  /** Writes any element through a function to a row map (values as {@code appendRow} takes them). */
  public static <T> Write<T> write(SerializableFunction<T, Map<String, Object>> toRow) {
    return write(RowParser.of(toRow));
  }

  /** Writes any element with a custom parser. */
  public static <T> Write<T> write(RowParser<T> parser) {
    return new Write<>(Config.<T>defaults(Objects.requireNonNull(parser, "parser"), null), null);
  }

  /**
   * Writes the records each input element holds (a chunk of a file, a batch), read by {@code
   * reader} inside the step that validates and writes them, each parsed by {@code parser}: no
   * step, coder or store between reading and writing, also on a runner that does not fuse steps.
   */
  public static <T, R> Write<T> write(RecordReader<T, R> reader, RowParser<R> parser) {
    return new Write<>(Config.defaults(Objects.requireNonNull(parser, "parser"),
        Objects.requireNonNull(reader, "reader")), null);
  }

  /**
   * Validates JSON text rows (one row object per element, as {@link #writeJson} takes them)
   * against the collection schema without writing them: the valid rows, for {@link #sink} or any
   * later step, and the failures a write would report.
   */
  public static Validate<String> validateJson(CollectionSchema schema) {
    return validate(schema, RowParser.json());
  }

  /** {@link #validateJson}: JSON text rows, the input {@code convert} and most users have. */
  public static Validate<String> validate(CollectionSchema schema) {
    return validateJson(schema);
  }

  /** Validates Beam {@link Row}s, as {@link #writeRows} takes them. */
  public static Validate<Row> validateRows(CollectionSchema schema) {
    return validate(schema, RowParser.beamRows());
  }

  /** Validates any element through a function to a row map, as {@code write(toRow)} takes it. */
  public static <T> Validate<T> validate(CollectionSchema schema,
      SerializableFunction<T, Map<String, Object>> toRow) {
    return validate(schema, RowParser.of(toRow));
  }

  /** Validates any element with a custom parser. */
  public static <T> Validate<T> validate(CollectionSchema schema, RowParser<T> parser) {
    return new Validate<>(Objects.requireNonNull(parser, "parser"),
        Objects.requireNonNull(schema, "validate(schema = null)"),
        FileSettings.of(FileType.PARQUET), null);
  }

  /**
   * A {@link FileIO.Sink} that writes validated rows as one Milvus import file of {@code
   * fileType} (JSON, JSONL, Parquet or CSV) per file {@code FileIO} opens, for {@code
   * FileIO.write()} and {@code FileIO.writeDynamic()}; see {@link Sink} for what it leaves to
   * the caller. The schema must be the one the rows were validated with.
   *
   * @throws IllegalArgumentException for NumPy, whose segment is a folder of files
   * @throws dev.milvusbeam.core.schema.SchemaException for a schema the file type cannot carry
   */
  public static Sink sink(CollectionSchema schema, FileType fileType) {
    Objects.requireNonNull(schema, "sink(schema = null, fileType)");
    Objects.requireNonNull(fileType, "sink(schema, fileType = null)");
    if (!(fileType.format() instanceof SingleFileFormat)) {
      throw new IllegalArgumentException("MilvusIO.sink(schema, " + fileType + "): a " + fileType
          + " segment is a folder of files, not one file (" + fileType.format().layout() + "),"
          + " so it cannot be written through a FileIO.Sink; write it with"
          + " MilvusIO.write(...).withFileType(FileType." + fileType.name() + ")");
    }
    fileType.checkSchema(schema);
    return new Sink(schema, FileSettings.of(fileType));
  }

  /**
   * Whether rows of {@code schema} can be deduplicated by primary key ({@link
   * Write#withPrimaryKeyDeduplication}): not with an auto-id key, which Milvus assigns.
   *
   * @throws IllegalArgumentException naming the primary key when they cannot
   */
  public static void checkPrimaryKeyDeduplication(CollectionSchema schema) {
    FieldSchema pk = schema.primaryKey();
    if (pk.isAutoId()) {
      throw new IllegalArgumentException("the primary key '" + pk.name() + "' is an auto id"
          + " (Milvus assigns it; rows carry none), so there is nothing to deduplicate by");
    }
  }

  /**
   * The settings of a write: an immutable value. Each {@code withX} replaces one component and
   * reads no other; settings that depend on each other (the CSV separator and null key) are
   * checked together in {@code expand()} ({@link FileSettings#resolve}).
   */
  private record Config<T>(RowParser<?> parser, RecordReader<T, ?> reader,
      CollectionSchema schema, String output, FileSettings file, long segmentSize, int numShards,
      Duration maxBufferingDuration, String dataFolderName, long tailThreshold,
      boolean deduplicate, String failuresFile) implements Serializable {

    /** Every default; {@code reader} null: each element is one record for {@code parser}. */
    static <T> Config<T> defaults(RowParser<?> parser, RecordReader<T, ?> reader) {
      return new Config<>(parser, reader, null, null, FileSettings.of(FileType.PARQUET),
          BulkWriter.DEFAULT_SEGMENT_SIZE, 0, Duration.standardMinutes(1), null,
          DEFAULT_TAIL_THRESHOLD, false, null);
    }

    Config<T> schema(CollectionSchema v) {
      return new Config<>(parser, reader, v, output, file, segmentSize, numShards,
          maxBufferingDuration, dataFolderName, tailThreshold, deduplicate, failuresFile);
    }

    Config<T> output(String v) {
      return new Config<>(parser, reader, schema, v, file, segmentSize, numShards,
          maxBufferingDuration, dataFolderName, tailThreshold, deduplicate, failuresFile);
    }

    Config<T> file(FileSettings v) {
      return new Config<>(parser, reader, schema, output, v, segmentSize, numShards,
          maxBufferingDuration, dataFolderName, tailThreshold, deduplicate, failuresFile);
    }

    Config<T> segmentSize(long v) {
      return new Config<>(parser, reader, schema, output, file, v, numShards,
          maxBufferingDuration, dataFolderName, tailThreshold, deduplicate, failuresFile);
    }

    Config<T> numShards(int v) {
      return new Config<>(parser, reader, schema, output, file, segmentSize, v,
          maxBufferingDuration, dataFolderName, tailThreshold, deduplicate, failuresFile);
    }

    Config<T> maxBufferingDuration(Duration v) {
      return new Config<>(parser, reader, schema, output, file, segmentSize, numShards, v,
          dataFolderName, tailThreshold, deduplicate, failuresFile);
    }

    Config<T> dataFolderName(String v) {
      return new Config<>(parser, reader, schema, output, file, segmentSize, numShards,
          maxBufferingDuration, v, tailThreshold, deduplicate, failuresFile);
    }

    Config<T> tailThreshold(long v) {
      return new Config<>(parser, reader, schema, output, file, segmentSize, numShards,
          maxBufferingDuration, dataFolderName, v, deduplicate, failuresFile);
    }

    Config<T> deduplicate(boolean v) {
      return new Config<>(parser, reader, schema, output, file, segmentSize, numShards,
          maxBufferingDuration, dataFolderName, tailThreshold, v, failuresFile);
    }

    Config<T> failuresFile(String v) {
      return new Config<>(parser, reader, schema, output, file, segmentSize, numShards,
          maxBufferingDuration, dataFolderName, tailThreshold, deduplicate, v);
    }
  }

  /** The write transform; immutable, configured by order-independent {@code withX} calls. */
  public static final class Write<T> extends PTransform<PCollection<T>, WriteResult> {
    private static final long serialVersionUID = 1L;
    private final Config<T> c;
    private final transient ErrorHandler<BadRecord, ?> badRecordHandler;

    private Write(Config<T> c, ErrorHandler<BadRecord, ?> badRecordHandler) {
      this.c = c;
      this.badRecordHandler = badRecordHandler;
    }

    private Write<T> with(Config<T> changed) {
      return new Write<>(changed, badRecordHandler);
    }

    /** The collection schema the rows are checked against (required). */
    public Write<T> withSchema(CollectionSchema schema) {
      return with(c.schema(Objects.requireNonNull(schema, "withSchema(null)")));
    }

    /**
     * The output folder on any Beam file system ({@code /local/dir}, {@code s3://bucket/dir},
     * {@code gs://…}, {@code azfs://…}); files go to {@code <output>/<uuid>/} (required).
     */
    public Write<T> to(String output) {
      if (output == null || output.isBlank()) {
        throw new IllegalArgumentException("to(output): the output folder must not be empty");
      }
      String o = output.endsWith("/") && output.length() > 1
          ? output.substring(0, output.length() - 1) : output;
      return with(c.output(o));
    }

    /** File type; Parquet by default. */
    public Write<T> withFileType(FileType fileType) {
      return with(c.file(c.file().withFileType(
          Objects.requireNonNull(fileType, "withFileType(null)"))));
    }

    /**
     * Target bytes per segment (file, or NumPy folder); 128 MiB by default, at most 15 GiB. A
     * segment never grows past it (it rolls on the bytes really written).
     */
    public Write<T> withSegmentSize(long bytes) {
      try {
        return with(c.segmentSize(SegmentRoller.checkSegmentSize(bytes)));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("withSegmentSize(" + bytes + "): " + e.getMessage());
      }
    }

    /** CSV separator (default ','); checked against the null key in {@code expand()}. */
    public Write<T> withCsvSeparator(char separator) {
      return with(c.file(c.file().withCsvSeparator(separator)));
    }

    /** CSV null key (default ""); checked against the separator in {@code expand()}. */
    public Write<T> withCsvNullKey(String nullKey) {
      return with(c.file(c.file().withCsvNullKey(nullKey)));
    }

    /**
     * All format options at once; a separator or null key set on its own with
     * {@link #withCsvSeparator} / {@link #withCsvNullKey} takes precedence, whatever the order.
     */
    public Write<T> withFormatOptions(FormatOptions options) {
      return with(c.file(c.file().withFormatOptions(
          Objects.requireNonNull(options, "withFormatOptions(null)"))));
    }

    /**
     * Bounded input: redistributes the input over this many keys before it is validated and
     * written (a shuffle of the input, to repair a badly split source); unbounded input: the
     * number of keys chunks are batched by. 0 (the default) writes where the rows are (bounded)
     * and lets the runner shard the keys (unbounded).
     */
    public Write<T> withNumShards(int numShards) {
      if (numShards < 0) {
        throw new IllegalArgumentException("withNumShards(" + numShards + "): must be >= 0");
      }
      return with(c.numShards(numShards));
    }

    /**
     * Bounded input: a bundle holds back the first rows of each segment until they are worth
     * this many bytes of output (at most one segment) before it opens the segment's file; a
     * bundle that ends below it spills those rows, and all spilled rows are written together.
     * Higher: fewer partly filled segments, more memory per writer (the held rows). 32 MiB by
     * default.
     */
    public Write<T> withTailThreshold(long bytes) {
      if (bytes < 0) {
        throw new IllegalArgumentException("withTailThreshold(" + bytes + "): must be >= 0");
      }
      return with(c.tailThreshold(bytes));
    }

    /** Streaming: the longest a partly filled segment waits before it is written (1 minute). */
    public Write<T> withMaxBufferingDuration(Duration duration) {
      if (duration == null || !duration.isLongerThan(Duration.ZERO)) {
        throw new IllegalArgumentException("withMaxBufferingDuration(" + duration
            + "): must be positive");
      }
      return with(c.maxBufferingDuration(duration));
    }

    /** The data folder's name instead of a random UUID (e.g. to make a rerun land in place). */
    public Write<T> withDataFolderName(String name) {
      if (name == null || !name.matches("[A-Za-z0-9_][A-Za-z0-9_.-]*")) {
        throw new IllegalArgumentException("withDataFolderName('" + name + "'): letters, digits,"
            + " '_', '.', '-' only");
      }
      return with(c.dataFolderName(name));
    }

    /**
     * Writes one row per primary key: every other valid row with the same key goes to the
     * failures with rule {@code duplicate-primary-key}, naming the row kept (Milvus' import does
     * not deduplicate keys, it keeps both). The row kept is the first by input file and line when
     * the parser knows them ({@code convert}'s inputs), otherwise the row whose validated binary
     * form sorts first. Off by default: it costs a shuffle of the input by key before rows are
     * written. Unbounded input is deduplicated within each window pane, and must be windowed.
     * Refused in {@code expand()} for an auto-id primary key.
     */
    public Write<T> withPrimaryKeyDeduplication() {
      return with(c.deduplicate(true));
    }

    /**
     * Also writes the rejected rows ({@link FailedRow#toJson}, one JSON object per line) to the
     * file {@code path} on any Beam file system, committed exactly once with the segments:
     * staged by each bundle in the step that validated its rows, and concatenated into {@code
     * path} by the finalize step before the manifest is written (a retried bundle's rows are in
     * it once). Always written: empty when no row is rejected (or there is none). Bounded input
     * in the global window only (refused in {@code expand()} otherwise: use {@link
     * WriteResult#getFailures}); {@link WriteResult#getFailures} still has the rows too.
     */
    public Write<T> withFailuresFile(String path) {
      if (path == null || path.isBlank() || path.endsWith("/")) {
        throw new IllegalArgumentException("withFailuresFile('" + path + "'): a file path, not"
            + " empty and not a folder");
      }
      return with(c.failuresFile(path));
    }

    /** Also routes rejected rows to Beam's standard bad record handler. */
    public Write<T> withBadRecordErrorHandler(ErrorHandler<BadRecord, ?> handler) {
      return new Write<>(c, Objects.requireNonNull(handler, "withBadRecordErrorHandler(null)"));
    }

    /** Before the run: a missing bucket or refused credentials fail here, with the bucket named. */
    @Override
    public void validate(org.apache.beam.sdk.options.PipelineOptions options) {
      super.validate(options);
      AzureClientDefaults.apply(options);
      boolean remote = c.output() != null && c.output().contains("://")
          && !c.output().startsWith("file://");
      if (remote) {
        FileSystems.setDefaultPipelineOptions(options);
        BeamFiles.probeWritable(c.output());
      }
    }

    /** The settings checked as a whole, before any data is read. */
    private SegmentSpec spec(String tempRoot) {
      if (c.schema() == null) {
        throw new IllegalArgumentException("MilvusIO.write: withSchema(...) is required");
      }
      if (c.output() == null) {
        throw new IllegalArgumentException("MilvusIO.write: to(output) is required");
      }
      if (c.deduplicate()) {
        try {
          checkPrimaryKeyDeduplication(c.schema());
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException("MilvusIO.write: withPrimaryKeyDeduplication(): "
              + e.getMessage());
        }
      }
      FormatOptions options = c.file().resolve("MilvusIO.write");
      // e.g. NumPy and an Array field: fails here, before any data
      return new SegmentSpec(c.schema(), c.file().fileType(), options, c.segmentSize(), tempRoot,
          c.tailThreshold());
    }

    @Override
    public WriteResult expand(PCollection<T> input) {
      String uuid = c.dataFolderName() != null ? c.dataFolderName() : UUID.randomUUID().toString();
      String writeId = UUID.randomUUID().toString();
      SegmentSpec spec = spec(c.output() + "/.temp-" + writeId);
      Pipeline p = input.getPipeline();
      AzureClientDefaults.apply(p.getOptions()); // a connection string alone is enough
      Coder<Segment> segmentCoder = SerializableCoder.of(Segment.class);
      if (c.failuresFile() != null && (input.isBounded() == PCollection.IsBounded.UNBOUNDED
          || !(input.getWindowingStrategy().getWindowFn() instanceof GlobalWindows))) {
        throw new IllegalArgumentException("MilvusIO.write: withFailuresFile('"
            + c.failuresFile() + "') needs bounded input in the global window (one failures file"
            + " for the whole write); this input is " + (input.isBounded()
                == PCollection.IsBounded.UNBOUNDED ? "unbounded" : "windowed by "
                + input.getWindowingStrategy().getWindowFn().getClass().getSimpleName())
            + ": write WriteResult.getFailures() with a windowed file sink instead");
      }
      if (c.deduplicate() && input.isBounded() == PCollection.IsBounded.UNBOUNDED
          && input.getWindowingStrategy().getWindowFn() instanceof GlobalWindows) {
        throw new IllegalArgumentException("MilvusIO.write: withPrimaryKeyDeduplication() on"
            + " unbounded input in the global window: rows are deduplicated within each window"
            + " (pane), so window the input first (e.g. Window.into(FixedWindows.of(...)))");
      }
      RowChecker<?> checker =
          RowChecker.of(spec.schema(), spec.fileType(), spec.options(), c.parser());
      @SuppressWarnings("unchecked")
      RowChecker<T> elementChecker = (RowChecker<T>) checker;
      Written w = c.reader() == null
          ? written(input, elementChecker, ElementRows.of(elementChecker), spec)
          : readAndWritten(input, c.reader(), checker, spec);
      PCollection<Segment> written = w.segments();
      PCollection<FailedRow> failures =
          w.failures().setCoder(SerializableCoder.of(FailedRow.class));
      toBadRecords(failures, badRecordHandler);
      PCollection<RejectedRows> rejected;
      if (input.isBounded() == PCollection.IsBounded.BOUNDED) {
        // counted (and staged, for a failures file) in the step that validated them: no shuffle
        rejected = failures.apply("StageRejected",
                ParDo.of(new StageRejectedFn(spec.tempRoot(), c.failuresFile() != null)))
            .setCoder(SerializableCoder.of(RejectedRows.class))
            .apply("DiscardFiredCountPanes", Window.<RejectedRows>configure().discardingFiredPanes());
      } else {
        rejected = failures
            .apply("DiscardFiredFailurePanes", Window.<FailedRow>configure().discardingFiredPanes())
            .apply("CountRejected", Combine.globally(Count.<FailedRow>combineFn()).withoutDefaults())
            .apply("AsRejectedRows", MapElements.into(TypeDescriptor.of(RejectedRows.class))
                .via(RejectedRows::new));
      }

      // each pane of a window finalizes only its own new segments and rejections, whatever
      // accumulation mode the input was windowed with
      PCollection<KV<Integer, Segment>> segmentsByWindow = written
          .apply("DiscardFiredPanes", Window.<Segment>configure().discardingFiredPanes())
          .apply("OneGroupPerWindow", WithKeys.of(0))
          .setCoder(KvCoder.of(VarIntCoder.of(), segmentCoder));
      PCollection<KV<Integer, RejectedRows>> rejectedByWindow = rejected
          .setCoder(SerializableCoder.of(RejectedRows.class))
          .apply("RejectedPerWindow", WithKeys.of(0))
          .setCoder(KvCoder.of(VarIntCoder.of(), SerializableCoder.of(RejectedRows.class)));
      if (c.failuresFile() != null) {
        // bounded, the global window: the finalize runs even for an input without a row, so
        // that the failures file is always written (empty)
        PCollection<KV<Integer, RejectedRows>> none = p
            .apply("NoRejectedRow", Create.of(KV.of(0, new RejectedRows(0)))
                .withCoder(rejectedByWindow.getCoder()))
            .setWindowingStrategyInternal(rejectedByWindow.getWindowingStrategy());
        rejectedByWindow = PCollectionList.of(rejectedByWindow).and(none)
            .apply("AtLeastOneCount", Flatten.pCollections());
      }
      PCollection<Segment> segments = KeyedPCollectionTuple.of(WRITTEN, segmentsByWindow)
          .and(REJECTED, rejectedByWindow)
          .apply("CollectSegments", CoGroupByKey.create())
          .apply("Finalize", ParDo.of(new FinalizeSegmentsFn(spec, c.output(), uuid, writeId,
              WRITTEN, REJECTED, c.failuresFile())))
          .setCoder(segmentCoder);
      PCollection<List<String>> batchFiles = segments
          .apply("BatchFiles", MapElements.into(TypeDescriptors.lists(TypeDescriptors.strings()))
              .via(Segment::paths))
          .setCoder(ListCoder.of(StringUtf8Coder.of()));
      return new WriteResult(p, c.output() + "/" + uuid, segments, batchFiles, failures);
    }

    /** The segments written and the rows rejected, before the finalize. */
    private record Written(PCollection<Segment> segments, PCollection<FailedRow> failures) {}

    /**
     * Records read inside the writing step; with deduplication (records are grouped by primary
     * key, so they must travel) read in a step of their own first.
     */
    @SuppressWarnings("unchecked")
    private <R> Written readAndWritten(PCollection<T> input, RecordReader<T, R> reader,
        RowChecker<?> checker, SegmentSpec spec) {
      RowChecker<R> records = (RowChecker<R>) checker;
      if (!c.deduplicate()) {
        return written(input, null, ElementRows.reading(reader, records), spec);
      }
      Coder<R> coder = reader.recordCoder();
      if (coder == null) {
        throw new IllegalArgumentException("MilvusIO.write: withPrimaryKeyDeduplication() with a"
            + " RecordReader groups the records by primary key, so they need a coder: "
            + reader.getClass().getName() + " must override recordCoder()");
      }
      PCollection<R> read = input.apply("ReadRecords", ParDo.of(new ReadRecordsFn<>(reader)))
          .setCoder(coder);
      return written(read, records, ElementRows.of(records), spec);
    }

    /** Validates and writes {@code input}'s rows ({@code checker}: for deduplication). */
    private <E> Written written(PCollection<E> input, RowChecker<E> checker, ElementRows<E> rows,
        SegmentSpec spec) {
      Coder<Segment> segmentCoder = SerializableCoder.of(Segment.class);
      Coder<RowChunk> chunkCoder = RowChunk.ChunkCoder.INSTANCE;
      KvCoder<Integer, RowChunk> keyedChunks = KvCoder.of(VarIntCoder.of(), chunkCoder);
      PCollection<FailedRow> duplicates = null;
      if (c.deduplicate()) {
        DeduplicateByPrimaryKey<E> dedupe = new DeduplicateByPrimaryKey<>(checker, spec.schema());
        PCollectionTuple deduplicated = input.apply("DeduplicateByPrimaryKey", dedupe);
        input = deduplicated.get(dedupe.rows);
        duplicates = deduplicated.get(dedupe.duplicates);
      }
      PCollection<Segment> written;
      PCollection<FailedRow> failures;
      if (input.isBounded() == PCollection.IsBounded.BOUNDED) {
        PCollection<E> elements = c.numShards() == 0 ? input : input.apply("Redistribute",
            Redistribute.<E>arbitrarily().withNumBuckets(c.numShards()));
        PCollectionTuple out = elements.apply("ValidateAndWrite",
            ParDo.of(new WriteBundlesFn<>(rows, spec, FAILED, SPILLED))
                .withOutputTags(WRITTEN, TupleTagList.of(FAILED).and(SPILLED)));
        PCollection<Segment> tails = out.get(SPILLED).setCoder(chunkCoder)
            .apply("AllTails", WithKeys.of(0)).setCoder(keyedChunks)
            .apply("GroupTails", GroupByKey.create())
            .apply("WriteTails", ParDo.of(new WriteChunksFn<Integer>(spec)))
            .setCoder(segmentCoder);
        written = PCollectionList.of(out.get(WRITTEN).setCoder(segmentCoder)).and(tails)
            .apply("AllSegments", Flatten.pCollections());
        failures = out.get(FAILED);
      } else {
        PCollectionTuple out = input.apply("ValidateAndChunk",
            ParDo.of(new ChunkRowsFn<>(rows, spec, FAILED))
                .withOutputTags(CHUNKS, TupleTagList.of(FAILED)));
        double ratio = spec.initialOutputRatio();
        SerializableFunction<RowChunk, Long> weigher = ch -> (long) (ch.estimatedBytes() * ratio);
        GroupIntoBatches<Integer, RowChunk> batches = GroupIntoBatches
            .<Integer, RowChunk>ofByteSize(spec.segmentSize(), weigher)
            .withMaxBufferingDuration(c.maxBufferingDuration());
        PCollection<RowChunk> chunks = out.get(CHUNKS).setCoder(chunkCoder);
        if (c.numShards() > 0) {
          written = chunks.apply("AssignShard", ParDo.of(new RandomShardFn<>(c.numShards())))
              .setCoder(keyedChunks)
              .apply("BatchChunks", batches)
              .apply("WriteBatches", ParDo.of(new WriteChunksFn<Integer>(spec)));
        } else {
          written = chunks.apply("Key", WithKeys.of(0)).setCoder(keyedChunks)
              .apply("BatchChunks", batches.withShardedKey())
              .apply("WriteBatches", ParDo.of(new WriteChunksFn<ShardedKey<Integer>>(spec)));
        }
        written = written.setCoder(segmentCoder);
        failures = out.get(FAILED);
      }
      if (duplicates != null) {
        failures = PCollectionList.of(duplicates).and(failures.setCoder(duplicates.getCoder()))
            .apply("WithDuplicates", Flatten.pCollections());
      }
      return new Written(written, failures);
    }

    @Override
    public void populateDisplayData(DisplayData.Builder b) {
      super.populateDisplayData(b);
      b.addIfNotNull(DisplayData.item("output", c.output()).withLabel("Output folder"));
      c.file().populateDisplayData(b);
      b.add(DisplayData.item("segmentSize", c.segmentSize()).withLabel("Segment size (bytes)"));
      b.add(DisplayData.item("tailThreshold", c.tailThreshold())
          .withLabel("Tail threshold (bytes)"));
      b.add(DisplayData.item("numShards", c.numShards()).withLabel("Shards (0 = runner decides)"));
      if (c.deduplicate()) {
        b.add(DisplayData.item("primaryKeyDeduplication", true)
            .withLabel("One row per primary key"));
      }
      if (c.schema() != null) {
        populateSchemaDisplayData(b, c.schema());
      }
      b.addIfNotNull(DisplayData.item("dataFolderName", c.dataFolderName()));
      b.addIfNotNull(DisplayData.item("failuresFile", c.failuresFile())
          .withLabel("Rejected rows (JSON Lines)"));
    }
  }

  /**
   * Validates rows against the collection schema without writing them; immutable, configured by
   * order-independent {@code withX} calls. Each element is checked by the same code a {@link
   * Write} checks it with inside its writing step, so the valid rows are those a write would
   * write, and each failure is the {@link FailedRow} it would report (field, rule, message,
   * shortened value, primary key), counted in the same metrics. The file type matters for
   * validation: it refuses a schema it cannot carry, and CSV adds its null-key rule; give the
   * same file type and CSV options as the {@link Sink} (or write) the rows go to
   * ({@code .withFileType(sink.fileType()).withFormatOptions(sink.formatOptions())}).
   */
  public static final class Validate<T> extends PTransform<PCollection<T>, ValidateResult> {
    private static final long serialVersionUID = 1L;
    private final RowParser<T> parser;
    private final CollectionSchema schema;
    private final FileSettings file;
    private final transient ErrorHandler<BadRecord, ?> badRecordHandler;

    private Validate(RowParser<T> parser, CollectionSchema schema, FileSettings file,
        ErrorHandler<BadRecord, ?> badRecordHandler) {
      this.parser = parser;
      this.schema = schema;
      this.file = file;
      this.badRecordHandler = badRecordHandler;
    }

    private Validate<T> with(FileSettings changed) {
      return new Validate<>(parser, schema, changed, badRecordHandler);
    }

    /** The file type the rows are for; Parquet by default. */
    public Validate<T> withFileType(FileType fileType) {
      return with(file.withFileType(Objects.requireNonNull(fileType, "withFileType(null)")));
    }

    /** CSV separator (default ','); checked against the null key in {@code expand()}. */
    public Validate<T> withCsvSeparator(char separator) {
      return with(file.withCsvSeparator(separator));
    }

    /** CSV null key (default ""); checked against the separator in {@code expand()}. */
    public Validate<T> withCsvNullKey(String nullKey) {
      return with(file.withCsvNullKey(nullKey));
    }

    /**
     * All format options at once; a separator or null key set on its own with
     * {@link #withCsvSeparator} / {@link #withCsvNullKey} takes precedence, whatever the order.
     */
    public Validate<T> withFormatOptions(FormatOptions options) {
      return with(file.withFormatOptions(
          Objects.requireNonNull(options, "withFormatOptions(null)")));
    }

    /** Also routes rejected rows to Beam's standard bad record handler. */
    public Validate<T> withBadRecordErrorHandler(ErrorHandler<BadRecord, ?> handler) {
      return new Validate<>(parser, schema, file,
          Objects.requireNonNull(handler, "withBadRecordErrorHandler(null)"));
    }

    @Override
    public ValidateResult expand(PCollection<T> input) {
      FormatOptions options = file.resolve("MilvusIO.validate");
      file.fileType().checkSchema(schema); // e.g. NumPy and an Array field: fails here
      RowChecker<T> checker = RowChecker.of(schema, file.fileType(), options, parser);
      PCollectionTuple out = input.apply("Validate",
          ParDo.of(new ValidateRowsFn<>(checker, VALID, FAILED))
              .withOutputTags(VALID, TupleTagList.of(FAILED)));
      PCollection<ValidRow> rows = out.get(VALID).setCoder(new ValidRowCoder(schema));
      PCollection<FailedRow> failures =
          out.get(FAILED).setCoder(SerializableCoder.of(FailedRow.class));
      toBadRecords(failures, badRecordHandler);
      return new ValidateResult(input.getPipeline(), rows, failures);
    }

    @Override
    public void populateDisplayData(DisplayData.Builder b) {
      super.populateDisplayData(b);
      file.populateDisplayData(b);
      populateSchemaDisplayData(b, schema);
    }
  }

  /**
   * Writes {@link ValidRow}s as Milvus import files through Beam's {@link FileIO}, the way
   * {@code ParquetIO.sink(...)} is used: one file of the sink's type (JSON, JSONL, Parquet, CSV)
   * per file {@code FileIO} opens, encoded by the same writers as {@link Write}'s segments.
   * Settings are immutable values; the CSV separator and null key are checked together when the
   * sink is used ({@link #formatOptions}, {@link #open}), whatever order they were set in.
   *
   * <pre>{@code
   * MilvusIO.Sink sink = MilvusIO.sink(schema, FileType.PARQUET);
   * MilvusIO.ValidateResult v = rows.apply(MilvusIO.validateJson(schema)
   *     .withFileType(sink.fileType()).withFormatOptions(sink.formatOptions()));
   * v.getRows().apply(FileIO.<String, ValidRow>writeDynamic()
   *     .by(row -> "region=" + row.get(regionColumn))
   *     .withDestinationCoder(StringUtf8Coder.of())
   *     .via(sink)
   *     .to("gs://bucket/imports")
   *     .withNumShards(4)
   *     .withNaming(region -> (window, pane, shards, shard, compression) ->
   *         region + "/" + (shard + 1) + ".parquet"));
   * }</pre>
   *
   * <p>What {@link Write} adds on top, and this leaves to the caller:
   *
   * <ul>
   *   <li><b>Exactly-once {@code 1..K} numbering.</b> Milvus detects a file's format by its
   *       extension alone (case-sensitive), and this library's layout (FORMAT.md, {@code
   *       bulkwriter verify}) names the files of a data folder {@code <n>.<ext>}, n = 1..N
   *       without gaps: the {@code FileNaming} must give {@code (shardIndex + 1) + "." +
   *       fileType.extension()} (FileIO's default names, {@code <prefix>-00000-of-00004<suffix>},
   *       do not fit), with a fixed {@code withNumShards(n)}: FileIO then numbers each
   *       destination's shards 0..n-1. It writes no file for a shard that got no rows, so give
   *       every destination many more rows than shards, or its folder has a gap; without a fixed
   *       shard count it numbers the files of all destinations together, so a folder's names are
   *       not 1..N. FileIO must not compress. {@code Write} numbers its segments 1..K itself,
   *       exactly once whatever the retries.</li>
   *   <li><b>The {@code <uuid>/} data folder.</b> {@code Write} writes into a fresh folder that
   *       holds nothing but the segments; here each destination's folder must hold nothing else
   *       with a data extension (no earlier run's files). FileIO's temp folder is {@code
   *       <to>/.temp-beam/}: beside the destination folders with {@code writeDynamic}; with
   *       {@code FileIO.write().to(dataFolder)} set {@code withTempDirectory} outside it.</li>
   *   <li><b>Size-bounded segments.</b> {@code Write} rolls to a new segment at {@code
   *       withSegmentSize}; here a file holds every row of its shard: choose the shard count so
   *       that each file stays well under Milvus' 16 GiB per file.</li>
   *   <li><b>The manifest</b> ({@code <uuid>.manifest.json}: segments, rows, sizes, checksums,
   *       rejected count) and {@link WriteResult#getBatchFiles}, what the import step takes.</li>
   *   <li><b>Validation.</b> Rows must come from {@link MilvusIO#validateJson} (or its siblings)
   *       with the same schema, file type and CSV options: the sink writes them as they are.</li>
   * </ul>
   *
   * <p>NumPy has no sink: its segment is a folder of one {@code .npy} file per column.
   */
  public static final class Sink implements FileIO.Sink<ValidRow> {
    private static final long serialVersionUID = 1L;
    private final CollectionSchema schema;
    private final FileSettings file;
    private transient SegmentWriter writer;

    private Sink(CollectionSchema schema, FileSettings file) {
      this.schema = schema;
      this.file = file;
    }

    /** CSV separator (default ','); checked against the null key when the sink is used. */
    public Sink withCsvSeparator(char separator) {
      return new Sink(schema, file.withCsvSeparator(separator));
    }

    /** CSV null key (default ""); checked against the separator when the sink is used. */
    public Sink withCsvNullKey(String nullKey) {
      return new Sink(schema, file.withCsvNullKey(nullKey));
    }

    /**
     * All format options at once (CSV, Parquet row-group size); a separator or null key set on
     * its own takes precedence, whatever the order.
     */
    public Sink withFormatOptions(FormatOptions options) {
      return new Sink(schema, file.withFormatOptions(
          Objects.requireNonNull(options, "withFormatOptions(null)")));
    }

    public FileType fileType() {
      return file.fileType();
    }

    /**
     * The options the files are written with, checked as a whole.
     *
     * @throws IllegalArgumentException for a CSV null key that contains the separator
     */
    public FormatOptions formatOptions() {
      return file.resolve("MilvusIO.sink");
    }

    /** Starts a file on {@code channel}, which stays {@code FileIO}'s to close. */
    @Override
    public void open(WritableByteChannel channel) throws IOException {
      if (writer != null) {
        writer.abort(); // a file given up on without flush
        writer = null;
      }
      writer = file.fileType().open(schema, formatOptions(), new ChannelSegmentOutput(channel), 1);
    }

    @Override
    public void write(ValidRow row) throws IOException {
      if (writer == null) {
        throw new IllegalStateException("MilvusIO.Sink.write before open");
      }
      try {
        writer.write(row);
      } catch (IOException | RuntimeException e) {
        writer.abort();
        writer = null;
        throw e;
      }
    }

    /** Finishes the file (a Parquet footer, JSON's closing bracket) and flushes it. */
    @Override
    public void flush() throws IOException {
      if (writer == null) {
        throw new IllegalStateException("MilvusIO.Sink.flush before open");
      }
      SegmentWriter w = writer;
      writer = null;
      try {
        w.close();
      } catch (IOException | RuntimeException e) {
        w.abort();
        throw e;
      }
    }
  }

  /** Assigns each element one of N shards at random (a retried bundle re-assigns: no duplicates). */
  static final class RandomShardFn<V> extends DoFn<V, KV<Integer, V>> {
    private static final long serialVersionUID = 1L;
    private final int shards;

    RandomShardFn(int shards) {
      this.shards = shards;
    }

    @ProcessElement
    public void process(@Element V v, OutputReceiver<KV<Integer, V>> out) {
      out.output(KV.of(ThreadLocalRandom.current().nextInt(shards), v));
    }
  }

  /** Also hands {@code failures} to the bad record handler, when one is set. */
  private static void toBadRecords(PCollection<FailedRow> failures,
      ErrorHandler<BadRecord, ?> handler) {
    if (handler != null) {
      handler.addErrorCollection(failures
          .apply("ToBadRecords", MapElements.into(TypeDescriptor.of(BadRecord.class))
              .via(MilvusIO::badRecord))
          .setCoder(BadRecord.getCoder(failures.getPipeline())));
    }
  }

  private static void populateSchemaDisplayData(DisplayData.Builder b, CollectionSchema schema) {
    b.add(DisplayData.item("columns", schema.columns().stream()
        .map(FieldSchema::describe).collect(Collectors.joining(", ")))
        .withLabel("Collection columns"));
    b.add(DisplayData.item("dynamicField", schema.isDynamicFieldEnabled()));
  }

  private static BadRecord badRecord(FailedRow f) {
    try {
      return BadRecord.builder()
          .setRecord(BadRecord.Record.builder()
              .setHumanReadableJsonRecord(f.row())
              .setEncodedRecord(f.row().getBytes(StandardCharsets.UTF_8))
              .setCoder(StringUtf8Coder.of().toString())
              .build())
          .setFailure(BadRecord.Failure.builder()
              .setDescription(f.toJson())
              .setException("RowRejected: " + f.violations().get(0))
              .setExceptionStacktrace("")
              .build())
          .build();
    } catch (RuntimeException e) {
      throw new IllegalStateException("cannot build a bad record", e);
    }
  }

  /**
   * What a write produces: the segments in place (path, rows, bytes), their file groups as the
   * Import API takes them, and the rejected rows.
   */
  public static final class WriteResult implements POutput {
    static final TupleTag<Segment> SEGMENTS = new TupleTag<Segment>() {};
    static final TupleTag<List<String>> BATCH_FILES = new TupleTag<List<String>>() {};

    private final Pipeline pipeline;
    private final String dataPath;
    private final PCollection<Segment> segments;
    private final PCollection<List<String>> batchFiles;
    private final PCollection<FailedRow> failures;

    WriteResult(Pipeline pipeline, String dataPath, PCollection<Segment> segments,
        PCollection<List<String>> batchFiles, PCollection<FailedRow> failures) {
      this.pipeline = pipeline;
      this.dataPath = dataPath;
      this.segments = segments;
      this.batchFiles = batchFiles;
      this.failures = failures;
    }

    /** {@code <output>/<uuid>}: the data folder of a batch (global window) write. */
    public String getDataPath() { return dataPath; }
    public PCollection<Segment> getSegments() { return segments; }
    /** One element per segment: its file group (one file, or a NumPy segment's .npy files). */
    public PCollection<List<String>> getBatchFiles() { return batchFiles; }
    public PCollection<FailedRow> getFailures() { return failures; }

    @Override
    public Pipeline getPipeline() {
      return pipeline;
    }

    @Override
    public Map<TupleTag<?>, PValue> expand() {
      return Map.of(SEGMENTS, segments, BATCH_FILES, batchFiles, FAILED, failures);
    }

    @Override
    public void finishSpecifyingOutput(String transformName, PInput input,
        PTransform<?, ?> transform) {}
  }

  /** What a {@link Validate} produces: the valid rows ({@link ValidRowCoder}), the rejected ones. */
  public static final class ValidateResult implements POutput {
    private final Pipeline pipeline;
    private final PCollection<ValidRow> rows;
    private final PCollection<FailedRow> failures;

    ValidateResult(Pipeline pipeline, PCollection<ValidRow> rows,
        PCollection<FailedRow> failures) {
      this.pipeline = pipeline;
      this.rows = rows;
      this.failures = failures;
    }

    /** The rows that passed, normalized (defaults filled, {@code $meta} gathered). */
    public PCollection<ValidRow> getRows() { return rows; }
    /** The rows that did not, with every violation. */
    public PCollection<FailedRow> getFailures() { return failures; }

    @Override
    public Pipeline getPipeline() {
      return pipeline;
    }

    @Override
    public Map<TupleTag<?>, PValue> expand() {
      return Map.of(VALID, rows, FAILED, failures);
    }

    @Override
    public void finishSpecifyingOutput(String transformName, PInput input,
        PTransform<?, ?> transform) {}
  }
}
