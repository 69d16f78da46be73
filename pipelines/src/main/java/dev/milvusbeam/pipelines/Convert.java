package dev.milvusbeam.pipelines;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.milvusbeam.core.format.FileType;
import dev.milvusbeam.core.schema.CollectionSchema;
import dev.milvusbeam.core.schema.SchemaException;
import dev.milvusbeam.core.schema.SchemaJson;
import dev.milvusbeam.io.FailedRow;
import dev.milvusbeam.io.MilvusIO;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.TextIO;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Reshuffle;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * {@code bulkwriter convert} as a Beam pipeline: input files (JSON Lines, CSV, Parquet) → {@link
 * MilvusIO#write MilvusIO.write} → segments {@code 1..K} in {@code <output>/<uuid>/}, rejected
 * rows with their file, line and violations to the failures file. Everything the user can get
 * wrong (schema, input, file type and schema combination) is checked before the pipeline runs.
 *
 * <pre>
 * MatchInput → ReadMatches → PlanChunks (a DoFn per file) → SpreadChunks (reshuffle)
 *   → ReadChunks → WriteImportFiles (MilvusIO.write) → segments, manifest
 *                                       → failures → FailuresAsJson → WriteFailures (one file)
 * </pre>
 */
public final class Convert {
  private static final ObjectMapper JSON = new ObjectMapper();

  private Convert() {}

  /** Parses the flags ({@link ConvertOptions}) and runs; {@code bin/bulkwriter convert} is this. */
  public static void main(String[] args) {
    String[] withCommand = new String[args.length + 1];
    withCommand[0] = "convert";
    System.arraycopy(args, 0, withCommand, 1, args.length);
    BulkWriterCli.main(withCommand);
  }

  /** Builds and runs the pipeline; progress on stderr; returns the summary once it is done. */
  public static Summary run(ConvertOptions options) throws IOException {
    return run(options, System.err);
  }

  static Summary run(ConvertOptions o, PrintStream err) throws IOException {
    FileSystems.setDefaultPipelineOptions(o);
    Plan plan = plan(o);
    Pipeline p = Pipeline.create(o);
    build(p, plan);
    if (o.getRunner().getSimpleName().equals("DirectRunner")) {
      DirectOptions direct = o.as(DirectOptions.class);
      direct.setBlockOnRun(false); // so that progress can be followed
      // the Direct runner's test-only checks copy and re-encode every element: a conversion of
      // millions of vector rows ran out of heap with them (they guard DoFn code, not data)
      direct.setEnforceImmutability(false);
      direct.setEnforceEncodability(false);
    }
    JobProgress progress = new JobProgress(err);
    PipelineResult result = p.run();
    progress.follow(result);
    PipelineResult.State state = result.getState();
    if (state != PipelineResult.State.DONE) {
      throw new IOException("the pipeline ended " + state);
    }
    Summary summary = summary(plan);
    progress.done(summary.rows(), summary.failed(), summary.batchFiles().size());
    if (plan.importing != null) { // --importTo: the batch files, from this machine
      if (summary.batchFiles().isEmpty()) {
        err.println("bulkwriter: nothing to import (no valid row)");
        return summary.withImports(List.of(), null);
      }
      ImportCommand.Report r = ImportCommand.importAll(summary.batchFiles(), plan.importing, err);
      summary = summary.withImports(r.jobs, r.failure);
    }
    return summary;
  }

  /** Everything checked and decided before the pipeline is built. */
  static final class Plan {
    final String input;
    final InputFormat format;
    final char inputSeparator;
    final String inputNullKey;
    final long chunkBytes;
    final MilvusIO.Write<InputRecord> write;
    final String dataPath;
    final String failuresPath;
    /** {@code --importTo}: checked before anything runs; null without it. */
    ImportSettings importing;

    Plan(String input, InputFormat format, char inputSeparator, String inputNullKey,
        long chunkBytes, MilvusIO.Write<InputRecord> write, String dataPath, String failuresPath) {
      this.chunkBytes = chunkBytes;
      this.input = input;
      this.format = format;
      this.inputSeparator = inputSeparator;
      this.inputNullKey = inputNullKey;
      this.write = write;
      this.dataPath = dataPath;
      this.failuresPath = failuresPath;
    }
  }

  static Plan plan(ConvertOptions o) {
    CollectionSchema schema = readSchema(o.getSchema());
    FileType fileType = WriterSettings.fileType(o);
    WriterSettings.checkSchema(fileType, schema);
    List<MatchResult.Metadata> inputs = match(o.getInput());
    InputFormat format = inputFormat(o, inputs);
    char sep = WriterSettings.separator(o.getInputSep(), "inputSep");
    String nullKey = o.getInputNullKey() == null ? "" : o.getInputNullKey();
    String uuid = UUID.randomUUID().toString();
    String output = o.getOutput().endsWith("/") && o.getOutput().length() > 1
        ? o.getOutput().substring(0, o.getOutput().length() - 1) : o.getOutput();
    MilvusIO.Write<InputRecord> write = WriterSettings.write(
        MilvusIO.write(new InputRowParser(format, nullKey)), schema, fileType, o)
        .withDataFolderName(uuid);
    String failures = o.getFailures() != null ? o.getFailures()
        : output + "/" + uuid + ".failures.jsonl";
    long chunkBytes = Sizes.parse(o.getInputChunkSize(), "inputChunkSize");
    Plan plan = new Plan(o.getInput(), format, sep, nullKey, chunkBytes, write,
        output + "/" + uuid, failures);
    plan.importing = importSettings(o, schema, fileType, plan.dataPath);
    return plan;
  }

  /**
   * {@code --importTo}: target, collection, partition (refused with a partition key), CSV options
   * as the files are written, and a path mapping that can map this output — all refused before
   * any row is read. Null without {@code --importTo}.
   */
  private static ImportSettings importSettings(ConvertOptions o, CollectionSchema schema,
      FileType fileType, String dataPath) {
    boolean cloud = o.getClusterId() != null || o.getProjectId() != null;
    if (o.getImportTo() == null && !cloud) {
      if (o.getCollection() != null) {
        throw new UsageException("--collection is set but not --importTo: where to import?");
      }
      return null;
    }
    String[] csv = fileType == FileType.CSV ? new String[] {o.getSep(), o.getNullKey()} : null;
    ImportSettings s = ImportSettings.of(o, o.getImportTo(), "importTo", csv, schema);
    try {
      s.mapping.mapGroup(fileType.segmentFiles(schema, 1).stream()
          .map(f -> dataPath + "/" + f).collect(java.util.stream.Collectors.toList()));
    } catch (IllegalArgumentException e) {
      throw new UsageException("--importTo: " + e.getMessage());
    }
    return s;
  }

  static void build(Pipeline p, Plan plan) {
    PCollection<InputRecord> records = p
        .apply("MatchInput", FileIO.match().filepattern(plan.input))
        .apply("ReadMatches", FileIO.readMatches())
        .apply("PlanChunks", ParDo.of(new PlanChunksFn(plan.format, plan.inputSeparator,
            plan.chunkBytes)))
        .setCoder(SerializableCoder.of(FileChunk.class))
        // the chunks of one big file go to several workers
        .apply("SpreadChunks", Reshuffle.viaRandomKey())
        .apply("ReadChunks", ParDo.of(new ReadChunkFn(plan.format, plan.inputSeparator)))
        .setCoder(InputRecordCoder.of());
    MilvusIO.WriteResult written = records.apply("WriteImportFiles", plan.write);
    written.getFailures()
        .apply("FailuresAsJson", MapElements.into(TypeDescriptors.strings()).via(FailedRow::toJson))
        .apply("WriteFailures", TextIO.write().to(plan.failuresPath).withoutSharding());
  }

  /** The summary from what the run left behind: the manifest and the failures file. */
  static Summary summary(Plan plan) throws IOException {
    List<List<String>> batchFiles = new ArrayList<>();
    long rows = 0;
    JsonNode manifest = readManifest(plan.dataPath + ".manifest.json");
    if (manifest != null) {
      for (JsonNode group : manifest.get("batchFiles")) {
        List<String> files = new ArrayList<>();
        group.forEach(f -> files.add(f.asText()));
        batchFiles.add(files);
      }
      rows = manifest.get("rows").asLong();
    }
    return new Summary(plan.dataPath, batchFiles, rows, countLines(plan.failuresPath),
        plan.failuresPath);
  }

  private static JsonNode readManifest(String path) throws IOException {
    ResourceId id = FileSystems.matchNewResource(path, false);
    try (InputStream in = Channels.newInputStream(FileSystems.open(id))) {
      return JSON.readTree(in);
    } catch (FileNotFoundException | java.nio.file.NoSuchFileException e) {
      return null; // no valid row: no segment, no manifest
    }
  }

  private static long countLines(String path) throws IOException {
    ResourceId id = FileSystems.matchNewResource(path, false);
    long n = 0;
    try (InputStream in = Channels.newInputStream(FileSystems.open(id))) {
      byte[] buf = new byte[1 << 16];
      int r;
      while ((r = in.read(buf)) > 0) {
        for (int i = 0; i < r; i++) {
          if (buf[i] == '\n') {
            n++;
          }
        }
      }
    } catch (FileNotFoundException | java.nio.file.NoSuchFileException e) {
      return 0;
    }
    return n;
  }

  static CollectionSchema readSchema(String path) {
    String text;
    try {
      ResourceId id = FileSystems.matchSingleFileSpec(path).resourceId();
      try (InputStream in = Channels.newInputStream(FileSystems.open(id))) {
        text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
    } catch (IOException | IllegalArgumentException e) {
      throw new UsageException("cannot read --schema=" + path + ": " + e.getMessage());
    }
    try {
      return SchemaJson.parse(text);
    } catch (SchemaException e) {
      throw new UsageException("bad schema " + path + ": " + e.getMessage());
    } catch (RuntimeException e) {
      throw new UsageException("bad schema " + path + ": " + e);
    }
  }

  private static List<MatchResult.Metadata> match(String glob) {
    try {
      MatchResult m = FileSystems.match(glob);
      if (m.status() == MatchResult.Status.NOT_FOUND) {
        throw new UsageException("--input=" + glob + " matches no file");
      }
      List<MatchResult.Metadata> files = new ArrayList<>(m.metadata());
      files.removeIf(f -> f.resourceId().isDirectory());
      if (files.isEmpty()) {
        throw new UsageException("--input=" + glob + " matches no file");
      }
      return files;
    } catch (FileNotFoundException e) {
      throw new UsageException("--input=" + glob + " matches no file");
    } catch (IOException | IllegalArgumentException e) {
      throw new UsageException("cannot read --input=" + glob + ": " + e.getMessage());
    }
  }

  private static InputFormat inputFormat(ConvertOptions o, List<MatchResult.Metadata> inputs) {
    if (o.getInputFormat() != null) {
      return InputFormat.fromName(o.getInputFormat());
    }
    InputFormat guess = InputFormat.guess(o.getInput());
    for (MatchResult.Metadata m : inputs) {
      if (guess != null) {
        break;
      }
      guess = InputFormat.guess(m.resourceId().getFilename());
    }
    if (guess == null) {
      throw new UsageException("cannot tell the input format from --input=" + o.getInput()
          + ": set --inputFormat=jsonl|csv|parquet");
    }
    return guess;
  }
}
