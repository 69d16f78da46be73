package dev.milvusbeam.pipelines;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.milvusbeam.core.format.FileType;
import dev.milvusbeam.io.MilvusIO;
import dev.milvusbeam.io.RecordReader;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.channels.Channels;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Reshuffle;
import org.apache.beam.sdk.transforms.Values;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;

/**
 * {@code bulkwriter convert} as a Beam pipeline: input files (JSON Lines, CSV, Parquet) → {@link
 * MilvusIO#write MilvusIO.write} → segments {@code 1..K} in {@code <output>/<uuid>/}, rejected
 * rows with their file, line and violations to the failures file. Everything the user can get
 * wrong (flags, schema, input, file type and schema combination, the import) is checked before
 * the pipeline is built, by {@link ConvertSettings#from}; the pipeline reads only those settings.
 *
 * <pre>
 * MatchInput → ReadMatches → PlanChunks (a DoFn per file) → SpreadChunks (reshuffle)
 *   → WriteImportFiles (MilvusIO.write, reading each chunk where it writes its rows)
 *   → segments, manifest, failures file
 * </pre>
 *
 * <p>On the Direct runner, which makes each chunk after the reshuffle a bundle of its own and
 * holds every bundle's small rest of rows (under the tail threshold) in memory until the input
 * ends, the chunks are dealt into one group per runner thread instead, and each group is read
 * and written as one bundle ({@link ConvertSettings#chunkGroups}):
 *
 * <pre>
 * … PlanChunks → DealChunks → GroupChunks → ChunkGroups → WriteImportFiles
 * </pre>
 *
 * <p>Input files that cannot be decoded ({@link UnreadableFiles}) are one failure record each: a
 * record among the rows that the row parser rejects. The summary counts them and the command
 * exits 1.
 */
public final class Convert {
  private static final ObjectMapper JSON = new ObjectMapper();

  private Convert() {}

  /** {@code bin/bulkwriter convert}: the flags are {@link ConvertOptions}. */
  public static void main(String[] args) {
    String[] withCommand = new String[args.length + 1];
    withCommand[0] = "convert";
    System.arraycopy(args, 0, withCommand, 1, args.length);
    BulkWriterCli.main(withCommand);
  }

  /** Builds and runs the pipeline; progress on stderr; returns the summary once it is done. */
  public static Summary run(ConvertOptions options) throws IOException {
    return run(ConvertSettings.from(options), System.err);
  }

  static Summary run(ConvertSettings s, PrintStream err) throws IOException {
    Pipeline p = Pipeline.create(s.pipelineOptions());
    build(p, s);
    JobProgress progress = new JobProgress(err);
    PipelineResult.State state;
    try (ProgressDisplay display = ProgressDisplay.start(s.progress(), err,
        ProgressView.of(progress::current, s.inputBytes()))) {
      PipelineResult result = p.run(); // embedded Flink: returns at the end; the display runs
      progress.attach(result);
      state = result.waitUntilFinish();
    }
    if (state != PipelineResult.State.DONE) {
      throw new IOException("the pipeline ended " + state);
    }
    Summary summary = summary(s);
    progress.done(summary.rows(), summary.failed(), summary.batchFiles().size());
    if (s.importing() != null) { // --importTo: the batch files, from this machine
      if (summary.batchFiles().isEmpty()) {
        err.println("bulkwriter: nothing to import (no valid row)");
        return summary.withImports(List.of(), null);
      }
      OutputSettings out = s.output();
      ImportCommand.Report r = ImportCommand.importAll(summary.batchFiles(), s.importing(),
          out.fileType() == FileType.CSV ? out.format() : null, s.progress(), err);
      summary = summary.withImports(r.jobs, r.failure);
    }
    return summary;
  }

  static void build(Pipeline p, ConvertSettings s) {
    PCollection<FileChunk> chunks = p.apply("MatchInput", FileIO.match().filepattern(s.input()))
        .apply("ReadMatches", FileIO.readMatches())
        .apply("PlanChunks", ParDo.of(new PlanChunksFn(s.inputFormat(), s.inputSeparator(),
            s.inputChunkSize())))
        .setCoder(SerializableCoder.of(FileChunk.class));
    ChunkReader reader = new ChunkReader(s.inputFormat(), s.inputSeparator());
    if (s.chunkGroups() == 0) {
      chunks.apply("SpreadChunks", Reshuffle.viaRandomKey()) // a big file's chunks: many workers
          .apply("WriteImportFiles", write(s, reader));
    } else {
      // the Direct runner: a bundle per group, not per chunk, so that few bundles end with a
      // small rest of rows, which waits in memory there for the end of the input
      chunks.apply("DealChunks", ParDo.of(new DealChunksFn(s.chunkGroups())))
          .setCoder(KvCoder.of(VarIntCoder.of(), SerializableCoder.of(FileChunk.class)))
          .apply("GroupChunks", GroupByKey.create())
          .apply("ChunkGroups", Values.create())
          .apply("WriteImportFiles", write(s, reader.grouped()));
    }
  }

  /** MilvusIO.write of the records {@code reader} reads, with the command's settings. */
  private static <T> MilvusIO.Write<T> write(ConvertSettings s,
      RecordReader<T, InputRecord> reader) {
    OutputSettings out = s.output();
    MilvusIO.Write<T> write = MilvusIO.write(reader,
            new InputRowParser(s.inputFormat(), s.inputNullKey()))
        .withSchema(s.schema())
        .to(out.output())
        .withFileType(out.fileType())
        .withSegmentSize(out.segmentSize())
        .withFormatOptions(out.format())
        .withNumShards(s.numShards())
        .withDataFolderName(s.dataFolderName())
        // committed with the segments, staged where the rows are rejected: no extra write step
        .withFailuresFile(s.failures());
    return s.dedupe() ? write.withPrimaryKeyDeduplication() : write;
  }

  /** Deals the chunks round the groups, from a random first group. */
  static final class DealChunksFn extends DoFn<FileChunk, KV<Integer, FileChunk>> {
    private static final long serialVersionUID = 1L;
    private final int groups;
    private transient int next;

    DealChunksFn(int groups) {
      this.groups = groups;
    }

    @Setup
    public void setUp() {
      next = ThreadLocalRandom.current().nextInt(groups);
    }

    @ProcessElement
    public void process(@Element FileChunk chunk, OutputReceiver<KV<Integer, FileChunk>> out) {
      out.output(KV.of(next, chunk));
      next = (next + 1) % groups;
    }
  }

  /** The summary from what the run left behind: the manifest and the failures file. */
  static Summary summary(ConvertSettings s) throws IOException {
    List<List<String>> batchFiles = new ArrayList<>();
    long rows = 0;
    JsonNode manifest = readManifest(s.dataPath() + ".manifest.json");
    if (manifest != null) {
      for (JsonNode group : manifest.get("batchFiles")) {
        List<String> files = new ArrayList<>();
        group.forEach(f -> files.add(f.asText()));
        batchFiles.add(files);
      }
      rows = manifest.get("rows").asLong();
    }
    FailureCounts failed = FailureCounts.read(s.failures());
    return new Summary(s.dataPath(), batchFiles, rows, failed.rows(), s.failures())
        .withFailedByRule(failed.byRule());
  }

  private static JsonNode readManifest(String path) throws IOException {
    ResourceId id = FileSystems.matchNewResource(path, false);
    try (InputStream in = Channels.newInputStream(FileSystems.open(id))) {
      return JSON.readTree(in);
    } catch (FileNotFoundException | java.nio.file.NoSuchFileException e) {
      return null; // no valid row: no segment, no manifest
    }
  }
}
