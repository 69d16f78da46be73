package dev.milvusbeam.pipelines;

import dev.milvusbeam.core.format.FileType;
import dev.milvusbeam.core.schema.CollectionSchema;
import dev.milvusbeam.io.MilvusIO;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * Everything {@code convert} takes from its flags ({@link ConvertOptions}), read, defaulted and
 * checked once, before the pipeline is built: the schema, the input (it must match a file; its
 * format named or told from the file names), the output ({@link OutputSettings}), the file type
 * against the schema, the failures file, and {@code --importTo} ({@link ImportSettings}, its
 * path mapping tried on this output). {@link Convert} reads only this.
 *
 * @param pipelineOptions the options the pipeline runs with: Beam's own ({@code --runner} …), and
 *     with the Direct runner its test-only element checks off
 * @param inputNullKey CSV input: the cell text that is null
 * @param inputChunkSize bytes per chunk that workers read in parallel
 * @param chunkGroups 0: each chunk is spread over the workers on its own (a runner that fuses
 *     steps and cuts its own bundles); n: the chunks are dealt into n groups, each read and
 *     written as one bundle (the Direct runner: n is its thread count, see {@link Convert})
 * @param dataFolderName the {@code <uuid>} of {@code <output>/<uuid>/}, chosen here
 * @param failures the failures file, {@code <output>/<uuid>.failures.jsonl} by default
 * @param importing {@code --importTo}; null without it
 * @param dedupe {@code --dedupe}: one row per primary key (not with an auto-id key)
 * @param progress how progress is shown ({@link ProgressOptions})
 * @param inputBytes the size of the matched input files, the 100% of the progress display
 */
record ConvertSettings(PipelineOptions pipelineOptions, CollectionSchema schema, String input,
    InputFormat inputFormat, char inputSeparator, String inputNullKey, long inputChunkSize,
    int chunkGroups, OutputSettings output, int numShards, String dataFolderName, String failures,
    ImportSettings importing, boolean dedupe, ProgressSettings progress, long inputBytes) {

  /** {@code <output>/<uuid>}: the data folder the segments go to. */
  String dataPath() {
    return output.output() + "/" + dataFolderName;
  }

  /**
   * Spark 3.5 runs on Java 8, 11 and 17: from Java 23 on, the first thing it does (Hadoop's
   * {@code UserGroupInformation.getCurrentUser}, which calls {@code Subject.getSubject}) fails,
   * so such a run is refused before anything is read, saying why.
   */
  static void checkJavaForRunner(String runner, int javaFeature) {
    if (runner.equals("SparkRunner") && javaFeature >= 23) {
      throw new UsageException("--runner=SparkRunner needs Java 17 (Spark 3.5 runs on Java 8, 11"
          + " and 17); this is Java " + javaFeature + ", where Spark's first call (Hadoop's"
          + " UserGroupInformation, through Subject.getSubject) is unsupported. Run it with a"
          + " Java 17 runtime, or use the default runner or the Flink runner");
    }
  }

  /**
   * Reads the flags; then configures Beam's file systems from them (the bucket flags) to read the
   * schema and match the input.
   */
  static ConvertSettings from(ConvertOptions o) {
    checkJavaForRunner(o.getRunner().getSimpleName(), Runtime.version().feature());
    OutputSettings output = OutputSettings.from(o);
    InputFormat named = o.getInputFormat() == null ? null
        : Flags.checked("inputFormat", o.getInputFormat(),
            () -> InputFormat.fromName(o.getInputFormat()));
    char inputSeparator = Flags.separator("inputSep", o.getInputSep());
    if (inputSeparator == '"' || inputSeparator == '\n' || inputSeparator == '\r') {
      throw Flags.refused("inputSep", o.getInputSep(), "a quote or line break cannot separate"
          + " CSV cells");
    }
    String inputNullKey = o.getInputNullKey() == null ? "" : o.getInputNullKey();
    long chunk = Flags.size("inputChunkSize", o.getInputChunkSize());
    int numShards = Flags.atLeast("numShards", o.getNumShards(), 0, 0);
    ProgressSettings progress = ProgressSettings.from(o);

    FileSystems.setDefaultPipelineOptions(o); // the flags alone were fine: now the files
    CollectionSchema schema = Flags.schema(o, true);
    output.checkSchema(schema);
    boolean dedupe = Boolean.TRUE.equals(o.getDedupe());
    if (dedupe) {
      Flags.checked("dedupe", true, () -> {
        MilvusIO.checkPrimaryKeyDeduplication(schema);
        return null;
      });
    }
    String input = Flags.required("input", o.getInput());
    List<MatchResult.Metadata> files = match(input);
    InputFormat format = named != null ? named : guess(input, files);

    String uuid = UUID.randomUUID().toString();
    String failures = o.getFailures() != null ? o.getFailures()
        : output.output() + "/" + uuid + ".failures.jsonl";
    ImportSettings importing = importing(o, schema, output.fileType(),
        output.output() + "/" + uuid);

    int chunkGroups = 0;
    if (o.getRunner().getSimpleName().equals("DirectRunner")) {
      DirectOptions direct = o.as(DirectOptions.class);
      chunkGroups = Math.max(1, direct.getTargetParallelism());
      direct.setBlockOnRun(false); // so that progress can be followed
      // the Direct runner's test-only checks copy and re-encode every element: a conversion of
      // millions of vector rows ran out of heap with them (they guard DoFn code, not data)
      direct.setEnforceImmutability(false);
      direct.setEnforceEncodability(false);
    }
    return new ConvertSettings(o, schema, input, format, inputSeparator, inputNullKey, chunk,
        chunkGroups, output, numShards, uuid, failures, importing, dedupe, progress,
        files.stream().mapToLong(MatchResult.Metadata::sizeBytes).sum());
  }

  /**
   * {@code --importTo}: target, collection, partition (refused with a partition key), and a path
   * mapping that can map this output — all refused before any row is read. Null without it.
   */
  private static ImportSettings importing(ConvertOptions o, CollectionSchema schema,
      FileType fileType, String dataPath) {
    boolean cloud = o.getClusterId() != null || o.getProjectId() != null;
    if (o.getImportTo() == null && !cloud) {
      if (o.getCollection() != null) {
        throw new UsageException("--collection is set but not --importTo: where to import?");
      }
      return null;
    }
    ImportSettings s = ImportSettings.from(o, o.getImportTo(), "importTo", schema);
    try {
      s.mapping().mapGroup(fileType.segmentFiles(schema, 1).stream()
          .map(f -> dataPath + "/" + f).collect(Collectors.toList()));
    } catch (IllegalArgumentException e) {
      throw new UsageException("--importTo: " + e.getMessage());
    }
    return s;
  }

  private static List<MatchResult.Metadata> match(String glob) {
    try {
      MatchResult m = FileSystems.match(glob);
      if (m.status() == MatchResult.Status.NOT_FOUND) {
        throw Flags.refused("input", glob, "matches no file");
      }
      List<MatchResult.Metadata> files = new ArrayList<>(m.metadata());
      files.removeIf(f -> f.resourceId().isDirectory());
      if (files.isEmpty()) {
        throw Flags.refused("input", glob, "matches no file");
      }
      return files;
    } catch (FileNotFoundException e) {
      throw Flags.refused("input", glob, "matches no file");
    } catch (IOException | IllegalArgumentException e) {
      throw Flags.refused("input", glob, "cannot read it: " + e.getMessage());
    }
  }

  /** {@code --inputFormat}'s default: the extension of the glob, else of the files it matches. */
  private static InputFormat guess(String input, List<MatchResult.Metadata> files) {
    InputFormat guess = InputFormat.guess(input);
    for (MatchResult.Metadata m : files) {
      if (guess != null) {
        break;
      }
      guess = InputFormat.guess(m.resourceId().getFilename());
    }
    if (guess == null) {
      throw Flags.refused("input", input, "cannot tell the input format from the file names:"
          + " set --inputFormat=jsonl|csv|parquet");
    }
    return guess;
  }
}
