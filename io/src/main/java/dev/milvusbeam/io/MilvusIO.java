package dev.milvusbeam.io;

import dev.milvusbeam.core.format.FileType;
import dev.milvusbeam.core.format.FormatOptions;
import dev.milvusbeam.core.row.RowValidator;
import dev.milvusbeam.core.row.ValidRow;
import dev.milvusbeam.core.schema.CollectionSchema;
import dev.milvusbeam.core.schema.FieldSchema;
import dev.milvusbeam.core.writer.BulkWriter;
import dev.milvusbeam.core.writer.SegmentRoller;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.Count;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.GroupIntoBatches;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.transforms.errorhandling.BadRecord;
import org.apache.beam.sdk.transforms.errorhandling.ErrorHandler;
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
 * Rows are validated against the collection schema (FORMAT.md sections 2-3); valid rows are
 * grouped into size-bounded segments per shard, each written by one attempt into its own temp
 * folder, and a finalize step numbers the segments 1..K and moves them into
 * {@code <output>/<uuid>/} — exactly once, whatever retries happen. Invalid rows go to the
 * failures output and, when set, to a {@link ErrorHandler bad record handler}; never dropped.
 */
public final class MilvusIO {
  static final TupleTag<ValidRow> VALID = new TupleTag<ValidRow>() {};
  static final TupleTag<FailedRow> FAILED = new TupleTag<FailedRow>() {};

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
    return new Write<>(new Settings<>(parser));
  }

  /** All settings of a write, copied on every {@code withX}. */
  private static final class Settings<T> implements Cloneable, java.io.Serializable {
    private static final long serialVersionUID = 1L;
    RowParser<T> parser;
    CollectionSchema schema;
    String output;
    FileType fileType = FileType.PARQUET;
    long segmentSize = BulkWriter.DEFAULT_SEGMENT_SIZE;
    FormatOptions formatOptions = FormatOptions.defaults();
    int numShards;
    Duration maxBufferingDuration = Duration.standardMinutes(1);
    String dataFolderName;
    transient ErrorHandler<BadRecord, ?> badRecordHandler;

    Settings(RowParser<T> parser) {
      this.parser = Objects.requireNonNull(parser, "parser");
    }

    @SuppressWarnings("unchecked")
    Settings<T> copy() {
      try {
        return (Settings<T>) clone();
      } catch (CloneNotSupportedException e) {
        throw new AssertionError(e);
      }
    }
  }

  /** The write transform; immutable, configured by order-independent {@code withX} calls. */
  public static final class Write<T> extends PTransform<PCollection<T>, WriteResult> {
    private static final long serialVersionUID = 1L;
    private final Settings<T> s;

    private Write(Settings<T> s) {
      this.s = s;
    }

    private Write<T> with(java.util.function.Consumer<Settings<T>> change) {
      Settings<T> c = s.copy();
      change.accept(c);
      return new Write<>(c);
    }

    /** The collection schema the rows are checked against (required). */
    public Write<T> withSchema(CollectionSchema schema) {
      Objects.requireNonNull(schema, "withSchema(null)");
      return with(c -> c.schema = schema);
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
      return with(c -> c.output = o);
    }

    /** File type; Parquet by default. */
    public Write<T> withFileType(FileType fileType) {
      Objects.requireNonNull(fileType, "withFileType(null)");
      return with(c -> c.fileType = fileType);
    }

    /** Target bytes per segment (file, or NumPy folder); 128 MiB by default, at most 15 GiB. */
    public Write<T> withSegmentSize(long bytes) {
      if (bytes <= 0 || bytes > SegmentRoller.MAX_SEGMENT_BYTES) {
        throw new IllegalArgumentException("withSegmentSize(" + bytes + "): must be in 1.."
            + SegmentRoller.MAX_SEGMENT_BYTES + " bytes (Milvus imports at most 16 GiB per file)");
      }
      return with(c -> c.segmentSize = bytes);
    }

    public Write<T> withCsvSeparator(char separator) {
      FormatOptions o = s.formatOptions.withCsvSeparator(separator);
      return with(c -> c.formatOptions = o);
    }

    public Write<T> withCsvNullKey(String nullKey) {
      FormatOptions o = s.formatOptions.withCsvNullKey(nullKey);
      return with(c -> c.formatOptions = o);
    }

    public Write<T> withFormatOptions(FormatOptions options) {
      Objects.requireNonNull(options, "withFormatOptions(null)");
      return with(c -> c.formatOptions = options);
    }

    /**
     * Number of writers working in parallel, each producing its own segments; 0 (the default)
     * lets the runner decide (sharded keys).
     */
    public Write<T> withNumShards(int numShards) {
      if (numShards < 0) {
        throw new IllegalArgumentException("withNumShards(" + numShards + "): must be >= 0");
      }
      return with(c -> c.numShards = numShards);
    }

    /** Streaming: the longest a partly filled segment waits before it is written (1 minute). */
    public Write<T> withMaxBufferingDuration(Duration duration) {
      if (duration == null || !duration.isLongerThan(Duration.ZERO)) {
        throw new IllegalArgumentException("withMaxBufferingDuration(" + duration
            + "): must be positive");
      }
      return with(c -> c.maxBufferingDuration = duration);
    }

    /** The data folder's name instead of a random UUID (e.g. to make a rerun land in place). */
    public Write<T> withDataFolderName(String name) {
      if (name == null || !name.matches("[A-Za-z0-9_][A-Za-z0-9_.-]*")) {
        throw new IllegalArgumentException("withDataFolderName('" + name + "'): letters, digits,"
            + " '_', '.', '-' only");
      }
      return with(c -> c.dataFolderName = name);
    }

    /** Also routes rejected rows to Beam's standard bad record handler. */
    public Write<T> withBadRecordErrorHandler(ErrorHandler<BadRecord, ?> handler) {
      Objects.requireNonNull(handler, "withBadRecordErrorHandler(null)");
      return with(c -> c.badRecordHandler = handler);
    }

    /** Before the run: a missing bucket or refused credentials fail here, with the bucket named. */
    @Override
    public void validate(org.apache.beam.sdk.options.PipelineOptions options) {
      super.validate(options);
      boolean remote = s.output != null && s.output.contains("://")
          && !s.output.startsWith("file://");
      if (remote) {
        FileSystems.setDefaultPipelineOptions(options);
        BeamFiles.probeWritable(s.output);
      }
    }

    @Override
    public WriteResult expand(PCollection<T> input) {
      if (s.schema == null) {
        throw new IllegalArgumentException("MilvusIO.write: withSchema(...) is required");
      }
      if (s.output == null) {
        throw new IllegalArgumentException("MilvusIO.write: to(output) is required");
      }
      s.fileType.checkSchema(s.schema); // e.g. NumPy and an Array field: fails before any data
      String uuid = s.dataFolderName != null ? s.dataFolderName : UUID.randomUUID().toString();
      String tempRoot = s.output + "/.temp-" + uuid;
      Pipeline p = input.getPipeline();
      ValidRowCoder rowCoder = new ValidRowCoder(s.schema);

      RowValidator validator = new RowValidator(s.schema, s.fileType.columnCheck(s.formatOptions));
      PCollectionTuple checked = input.apply("Validate",
          ParDo.of(new ValidateFn<>(validator, s.parser, FAILED))
              .withOutputTags(VALID, TupleTagList.of(FAILED)));
      PCollection<ValidRow> valid = checked.get(VALID).setCoder(rowCoder);
      PCollection<FailedRow> failures =
          checked.get(FAILED).setCoder(SerializableCoder.of(FailedRow.class));
      if (s.badRecordHandler != null) {
        s.badRecordHandler.addErrorCollection(failures
            .apply("ToBadRecords", MapElements.into(TypeDescriptor.of(BadRecord.class))
                .via(MilvusIO::badRecord))
            .setCoder(BadRecord.getCoder(p)));
      }

      GroupIntoBatches<Integer, ValidRow> batches =
          GroupIntoBatches.ofByteSize(s.segmentSize, SizeEstimate.of(s.fileType));
      if (input.isBounded() == PCollection.IsBounded.UNBOUNDED) {
        batches = batches.withMaxBufferingDuration(s.maxBufferingDuration);
      }
      WriteSegmentsFn<Object> writeFn = new WriteSegmentsFn<>(s.schema, s.fileType,
          s.formatOptions, s.segmentSize, tempRoot);
      PCollection<TempSegment> temp;
      int shards = s.numShards;
      if (shards == 0 && p.getOptions().getRunner().getSimpleName().equals("DirectRunner")) {
        // the Direct runner gives nearly every bundle its own sharded key, each buffering up to
        // a segment in memory and leaving its own partial segment: one shard per core instead
        shards = Math.max(1, Runtime.getRuntime().availableProcessors());
      }
      if (shards > 0) {
        temp = valid
            .apply("AssignShard", ParDo.of(new RandomShardFn(shards)))
            .setCoder(KvCoder.of(VarIntCoder.of(), rowCoder))
            .apply("BatchBySize", batches)
            .apply("WriteSegments", ParDo.of(castKey(writeFn)));
      } else {
        temp = valid
            .apply("Key", WithKeys.of(0))
            .setCoder(KvCoder.of(VarIntCoder.of(), rowCoder))
            .apply("BatchBySize", batches.withShardedKey())
            .apply("WriteSegments", ParDo.of(castKey(writeFn)));
      }
      // rejected rows per window (and pane) travel with the segments to the manifest
      PCollection<TempSegment> rejectedCounts = failures
          .apply("DiscardFiredFailurePanes", Window.<FailedRow>configure().discardingFiredPanes())
          .apply("CountRejected", Combine.globally(Count.<FailedRow>combineFn()).withoutDefaults())
          .apply("AsRejectedCount", MapElements.into(TypeDescriptor.of(TempSegment.class))
              .via(TempSegment::rejected))
          .setCoder(SerializableCoder.of(TempSegment.class));
      PCollection<SegmentResult> segments = PCollectionList
          .of(temp.setCoder(SerializableCoder.of(TempSegment.class)))
          .and(rejectedCounts)
          .apply("WithRejectedCounts", Flatten.pCollections())
          .apply("OneGroupPerWindow", WithKeys.of(0))
          .setCoder(KvCoder.of(VarIntCoder.of(), SerializableCoder.of(TempSegment.class)))
          // each pane of a window finalizes only its own new segments, whatever accumulation
          // mode the input was windowed with
          .apply("DiscardFiredPanes", Window.<KV<Integer, TempSegment>>configure()
              .discardingFiredPanes())
          .apply("CollectSegments", GroupByKey.create())
          .apply("Finalize", ParDo.of(new FinalizeSegmentsFn(s.schema, s.fileType, s.formatOptions, s.output,
              uuid, tempRoot)))
          .setCoder(SerializableCoder.of(SegmentResult.class));
      PCollection<List<String>> batchFiles = segments
          .apply("BatchFiles", MapElements.into(TypeDescriptors.lists(TypeDescriptors.strings()))
              .via(SegmentResult::files))
          .setCoder(ListCoder.of(StringUtf8Coder.of()));
      return new WriteResult(p, s.output + "/" + uuid, segments, batchFiles, failures);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static <K> DoFn<KV<K, Iterable<ValidRow>>, TempSegment> castKey(WriteSegmentsFn fn) {
      return fn;
    }

    @Override
    public void populateDisplayData(DisplayData.Builder b) {
      super.populateDisplayData(b);
      b.addIfNotNull(DisplayData.item("output", s.output).withLabel("Output folder"));
      b.add(DisplayData.item("fileType", s.fileType.toString()).withLabel("File type"));
      b.add(DisplayData.item("segmentSize", s.segmentSize).withLabel("Segment size (bytes)"));
      b.add(DisplayData.item("numShards", s.numShards).withLabel("Shards (0 = runner decides)"));
      if (s.fileType == FileType.CSV) {
        b.add(DisplayData.item("csvSeparator", String.valueOf(s.formatOptions.csvSeparator())));
        b.add(DisplayData.item("csvNullKey", s.formatOptions.csvNullKey()));
      }
      if (s.schema != null) {
        b.add(DisplayData.item("columns", s.schema.columns().stream().map(FieldSchema::describe)
            .collect(Collectors.joining(", "))).withLabel("Collection columns"));
        b.add(DisplayData.item("dynamicField", s.schema.isDynamicFieldEnabled()));
      }
      b.addIfNotNull(DisplayData.item("dataFolderName", s.dataFolderName));
    }
  }

  /** Assigns each row one of N shards at random (a retried bundle re-assigns: no duplicates). */
  static final class RandomShardFn extends DoFn<ValidRow, KV<Integer, ValidRow>> {
    private static final long serialVersionUID = 1L;
    private final int shards;

    RandomShardFn(int shards) {
      this.shards = shards;
    }

    @ProcessElement
    public void process(@Element ValidRow row, OutputReceiver<KV<Integer, ValidRow>> out) {
      out.output(KV.of(ThreadLocalRandom.current().nextInt(shards), row));
    }
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
    static final TupleTag<SegmentResult> SEGMENTS = new TupleTag<SegmentResult>() {};
    static final TupleTag<List<String>> BATCH_FILES = new TupleTag<List<String>>() {};

    private final Pipeline pipeline;
    private final String dataPath;
    private final PCollection<SegmentResult> segments;
    private final PCollection<List<String>> batchFiles;
    private final PCollection<FailedRow> failures;

    WriteResult(Pipeline pipeline, String dataPath, PCollection<SegmentResult> segments,
        PCollection<List<String>> batchFiles, PCollection<FailedRow> failures) {
      this.pipeline = pipeline;
      this.dataPath = dataPath;
      this.segments = segments;
      this.batchFiles = batchFiles;
      this.failures = failures;
    }

    /** {@code <output>/<uuid>}: the data folder of a batch (global window) write. */
    public String getDataPath() { return dataPath; }
    public PCollection<SegmentResult> getSegments() { return segments; }
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

}
