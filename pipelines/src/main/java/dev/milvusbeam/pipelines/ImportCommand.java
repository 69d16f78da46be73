package dev.milvusbeam.pipelines;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.milvusbeam.core.format.FileType;
import dev.milvusbeam.core.format.FormatOptions;
import dev.milvusbeam.io.importing.ImportClient;
import dev.milvusbeam.io.importing.ImportException;
import dev.milvusbeam.io.importing.ImportJob;
import dev.milvusbeam.io.importing.ImportRunner;
import dev.milvusbeam.io.importing.ImportSpec;
import dev.milvusbeam.io.importing.MilvusImport;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.channels.Channels;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.ResourceId;

/**
 * {@code bulkwriter import}: the batch files of a data folder, a manifest or a JSON list, imported
 * through the Import API ({@link ImportRunner}: requests of at most 1024 file groups, jobs polled
 * with backoff); progress on stderr; the jobs as the last stdout line. Also the import step of
 * {@code convert --importTo}.
 */
final class ImportCommand {
  private static final ObjectMapper JSON = new ObjectMapper();

  private ImportCommand() {}

  /** The jobs as they ended, and why the command fails (a Failed job not routed), else null. */
  static final class Report {
    final String collection;
    final int fileGroups;
    final List<ImportJob> jobs;
    final String failure;
    /** Groups not imported again because an earlier job holds them (that job is in jobs). */
    final int skippedGroups;
    /** {@code --twoPhaseCommit}: the jobs were committed together, or aborted. */
    final boolean twoPhase;

    Report(String collection, int fileGroups, List<ImportJob> jobs, String failure,
        int skippedGroups, boolean twoPhase) {
      this.collection = collection;
      this.fileGroups = fileGroups;
      this.jobs = jobs;
      this.failure = failure;
      this.skippedGroups = skippedGroups;
      this.twoPhase = twoPhase;
    }

    /**
     * {@code {"collection","fileGroups","skippedGroups","importedRows","failedJobs","jobs":[…]}}
     * ({@code importedRows} counts the rows of the awaited earlier jobs too); with {@code
     * --twoPhaseCommit} also {@code "twoPhaseCommit":true} and {@code "abortedJobs"} (the Failed
     * jobs that were aborted because another failed).
     */
    String toJson() {
      ObjectNode o = JSON.createObjectNode();
      o.put("collection", collection);
      o.put("fileGroups", fileGroups);
      o.put("skippedGroups", skippedGroups);
      o.put("importedRows", jobs.stream().mapToLong(ImportJob::importedRows).sum());
      o.put("failedJobs", jobs.stream().filter(ImportJob::isFailed).count());
      if (twoPhase) {
        o.put("twoPhaseCommit", true);
        o.put("abortedJobs", jobs.stream().filter(ImportJob::isAborted).count());
      }
      o.set("jobs", jobsJson(jobs));
      return o.toString();
    }
  }

  static ArrayNode jobsJson(List<ImportJob> jobs) {
    ArrayNode a = JSON.createArrayNode();
    jobs.forEach(j -> a.add(j.toJsonNode()));
    return a;
  }

  static Report run(ImportCommandSettings s, PrintStream err) {
    Input in = switch (s.from()) {
      case BATCH_FILES -> new Input("--batchFiles", s.batchFiles(), null);
      case MANIFEST -> fromManifest(s.location(), true);
      case DATA_PATH -> fromDataPath(s.location());
    };
    if (in.batchFiles.isEmpty()) {
      throw new UsageException("nothing to import: no file groups in " + in.source);
    }
    boolean csv = "csv".equalsIgnoreCase(in.fileType) || in.batchFiles.stream()
        .flatMap(List::stream).anyMatch(f -> f.endsWith(".csv"));
    return importAll(in.batchFiles, s.importing(),
        csv ? s.csvWith(in.source, in.csvSep, in.csvNullKey) : null, s.progress(), err);
  }

  /**
   * Maps (refusing unmappable paths before any request), imports, waits; progress on stderr.
   *
   * @param csv CSV files: the separator and null key they were written with; null for others
   * @param progress a bar ({@link ImportProgress}), the event lines ({@link Progress}) or none
   */
  static Report importAll(List<List<String>> batchFiles, ImportSettings s, FormatOptions csv,
      ProgressSettings progress, PrintStream err) {
    ImportSpec spec = s.spec(csv);
    ImportRunner runner = new ImportRunner(s.target(), spec, s.mapping(), s.timing())
        .withForce(s.force());
    try {
      runner.map(batchFiles);
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
    boolean twoPhase = spec.isTwoPhaseCommit();
    err.printf("bulkwriter: importing %d file groups into collection %s at %s%s%n",
        batchFiles.size(), spec.collectionName(), s.target(), twoPhase ? " (two-phase: the jobs"
        + " are committed once all are Uncommitted, or all aborted)" : "");
    long start = System.nanoTime();
    List<ImportJob> jobs;
    SkipCount skips;
    // Ctrl-C before the commit aborts the jobs, during it finishes the commit: never half visible
    Thread hook = twoPhase ? new Thread(runner::stop, "bulkwriter-two-phase-import") : null;
    if (hook != null) {
      Runtime.getRuntime().addShutdownHook(hook);
    }
    try {
      if (progress.mode() == ProgressSettings.Mode.BAR) {
        ImportProgress bar = new ImportProgress(batchFiles.size());
        try (ProgressDisplay display = ProgressDisplay.start(progress, err, bar)) {
          skips = new SkipCount(bar, new Notes(display::println));
          jobs = runner.run(batchFiles, skips);
        }
      } else {
        skips = new SkipCount(progress.mode() == ProgressSettings.Mode.LINES
            ? new Progress(err) : new ImportClient.Listener() { }, null);
        jobs = runner.run(batchFiles, skips);
      }
    } finally {
      if (hook != null) {
        try {
          Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
          // the JVM is shutting down: the hook runs
        }
      }
    }
    long rows = jobs.stream().mapToLong(ImportJob::importedRows).sum();
    long failed = jobs.stream().filter(ImportJob::isFailed).count();
    long aborted = jobs.stream().filter(ImportJob::isAborted).count();
    err.printf("bulkwriter: %d import jobs, %d completed, %d failed%s, %,d rows imported, %.1f"
        + " s%n", jobs.size(), jobs.size() - failed, failed, twoPhase && aborted > 0
        ? " (" + aborted + " of them aborted)" : "", rows, (System.nanoTime() - start) / 1e9);
    String failure = null;
    if (failed > 0) {
      failure = twoPhase ? ImportException.failedTwoPhase(jobs).getMessage()
          : jobs.stream().filter(ImportJob::isFailed).findFirst()
              .map(ImportCommand::describeFailure).orElse(null);
      if (s.routeFailedJobs()) {
        if (twoPhase) {
          err.printf("bulkwriter: %s%n", failure);
        }
        failure = null;
      }
    }
    if (skips.skippedGroups > 0) {
      err.printf("bulkwriter: %d of %d file groups skipped: earlier import jobs hold them (they"
          + " were awaited, not imported again; --force imports them anyway)%n",
          skips.skippedGroups, batchFiles.size());
    }
    err.flush();
    return new Report(spec.collectionName(), batchFiles.size(), jobs, failure,
        skips.skippedGroups, twoPhase);
  }

  private static String describeFailure(ImportJob j) {
    return "import job " + j.jobId() + " into collection " + j.collectionName() + " ended "
        + j.state() + " (" + j.progress() + "%): " + (j.reason().isEmpty() ? "no reason given"
        : j.reason());
  }

  /** Counts the file groups left out because earlier jobs hold them; passes every event on. */
  private static final class SkipCount implements ImportClient.Listener {
    private final ImportClient.Listener to;
    /** Also gets the warnings, commits and aborts (the bar shows none of them); may be null. */
    private final ImportClient.Listener notes;
    int skippedGroups;

    SkipCount(ImportClient.Listener to, ImportClient.Listener notes) {
      this.to = to;
      this.notes = notes;
    }

    @Override
    public void created(String jobId, String collection, int fileGroups) {
      to.created(jobId, collection, fileGroups);
    }

    @Override
    public void polled(ImportJob job) {
      to.polled(job);
    }

    @Override
    public void retrying(String path, int attempt, int maxRetries, String problem) {
      to.retrying(path, attempt, maxRetries, problem);
    }

    @Override
    public void skipped(ImportJob earlier, int fileGroups) {
      skippedGroups += fileGroups;
      to.skipped(earlier, fileGroups);
    }

    @Override
    public void warning(String message) {
      to.warning(message);
      if (notes != null) {
        notes.warning(message);
      }
    }

    @Override
    public void committed(String jobId) {
      to.committed(jobId);
      if (notes != null) {
        notes.committed(jobId);
      }
    }

    @Override
    public void aborted(String jobId) {
      to.aborted(jobId);
      if (notes != null) {
        notes.aborted(jobId);
      }
    }
  }

  /** Prints job creation, every change of state or progress, and retries. */
  static final class Progress implements ImportClient.Listener {
    private final PrintStream err;
    private final Map<String, String> last = new TreeMap<>();

    Progress(PrintStream err) {
      this.err = err;
    }

    @Override
    public void created(String jobId, String collection, int fileGroups) {
      err.printf("bulkwriter: import job %s created: %d file groups into collection %s%n", jobId,
          fileGroups, collection);
      err.flush();
    }

    @Override
    public void polled(ImportJob job) {
      String now = job.state() + " " + job.progress() + " " + job.importedRows();
      if (!now.equals(last.put(job.jobId(), now))) {
        err.printf("bulkwriter: import job %s: %s %d%%, %,d of %,d rows%s%n", job.jobId(),
            job.state(), job.progress(), job.importedRows(), job.totalRows(),
            job.reason().isEmpty() ? "" : ", reason: " + job.reason());
        err.flush();
      }
    }

    @Override
    public void retrying(String path, int attempt, int maxRetries, String problem) {
      err.printf("bulkwriter: %s failed (%s), retry %d of %d%n", path, problem, attempt,
          maxRetries);
      err.flush();
    }

    @Override
    public void skipped(ImportJob earlier, int fileGroups) {
      err.printf("bulkwriter: %d file groups skipped: earlier import job %s (%s) holds them;"
          + " awaiting it instead%n", fileGroups, earlier.jobId(), earlier.state());
      err.flush();
    }

    @Override
    public void warning(String message) {
      new Notes(this::println).warning(message);
    }

    @Override
    public void committed(String jobId) {
      new Notes(this::println).committed(jobId);
    }

    @Override
    public void aborted(String jobId) {
      new Notes(this::println).aborted(jobId);
    }

    private void println(String line) {
      err.println(line);
      err.flush();
    }
  }

  /** Warnings, commits and aborts as lines (printed above the bar, which shows none of them). */
  static final class Notes implements ImportClient.Listener {
    private final Consumer<String> out;

    Notes(Consumer<String> out) {
      this.out = out;
    }

    @Override
    public void warning(String message) {
      out.accept("bulkwriter: warning: " + message);
    }

    @Override
    public void committed(String jobId) {
      out.accept("bulkwriter: import job " + jobId + " committed");
    }

    @Override
    public void aborted(String jobId) {
      out.accept("bulkwriter: import job " + jobId + " aborted");
    }
  }

  /** File groups and, when known, the file type. */
  private static final class Input {
    final String source;
    final List<List<String>> batchFiles;
    final String fileType;
    /** CSV separator and null key from a manifest; null when not known. */
    String csvSep;
    String csvNullKey;

    Input(String source, List<List<String>> batchFiles, String fileType) {
      this.source = source;
      this.batchFiles = batchFiles;
      this.fileType = fileType;
    }
  }

  private static Input fromManifest(String path, boolean required) {
    JsonNode m;
    ResourceId id = FileSystems.matchNewResource(path, false);
    try (InputStream in = Channels.newInputStream(FileSystems.open(id))) {
      m = JSON.readTree(in);
    } catch (FileNotFoundException | NoSuchFileException e) {
      if (!required) {
        return null;
      }
      throw new UsageException("--manifest=" + path + ": no such file");
    } catch (IOException | IllegalArgumentException e) {
      throw new UsageException("cannot read the manifest " + path + ": " + e.getMessage());
    }
    String fileType = m.path("fileType").asText(null);
    Input in = new Input(path, groups(m.get("batchFiles"), path), fileType);
    JsonNode csv = m.get("csv");
    if (csv != null && csv.isObject()) {
      in.csvSep = csv.path("sep").asText(null);
      in.csvNullKey = csv.path("nullkey").asText(null);
    }
    return in;
  }

  /** The last {@code n} components of a path: {@code 3/id.npy} for n = 2. */
  private static String lastComponents(String path, int n) {
    int at = path.length();
    for (int i = 0; i < n && at > 0; i++) {
      at = path.lastIndexOf('/', at - 1);
    }
    return path.substring(at + 1);
  }

  /** The manifest beside the data folder, else the segments found in it, in order. */
  private static Input fromDataPath(String dataPath) {
    String d = dataPath.endsWith("/") ? dataPath.substring(0, dataPath.length() - 1) : dataPath;
    Input manifest = fromManifest(d + ".manifest.json", false);
    if (manifest != null) {
      return manifest;
    }
    TreeMap<String, List<String>> segments = new TreeMap<>(MilvusImport::natural);
    try {
      for (int depth = 1; depth <= 2; depth++) {
        for (MatchResult.Metadata f : match(d + "/*".repeat(depth))) {
          String path = f.resourceId().toString();
          String relative = lastComponents(path, depth);
          for (FileType type : FileType.values()) {
            int segment = type.segmentOf(relative);
            if (segment > 0) {
              // a segment of several files (NumPy) is its folder
              String group = relative.indexOf('/') < 0 ? path
                  : path.substring(0, path.lastIndexOf('/'));
              segments.computeIfAbsent(group, k -> new ArrayList<>()).add(path);
              break;
            }
          }
        }
      }
    } catch (IOException e) {
      throw new UsageException("cannot list --dataPath=" + dataPath + ": " + e.getMessage());
    }
    if (segments.isEmpty()) {
      throw new UsageException("--dataPath=" + dataPath + ": no manifest beside it and no"
          + " segment (1.parquet, 1.json, 1/*.npy …) in it");
    }
    List<List<String>> groups = new ArrayList<>();
    segments.values().forEach(g -> {
      List<String> sorted = new ArrayList<>(g);
      sorted.sort(null);
      groups.add(sorted);
    });
    return new Input(dataPath, groups, null);
  }

  private static List<MatchResult.Metadata> match(String glob) throws IOException {
    MatchResult r = FileSystems.match(glob);
    return r.status() == MatchResult.Status.OK ? r.metadata() : List.of();
  }

  /** File groups as JSON ({@code --batchFiles}, a manifest's {@code batchFiles}). */
  static List<List<String>> groups(JsonNode groups, String source) {
    if (groups == null || !groups.isArray()) {
      throw new UsageException(source + ": want the batch files as [[\"path\",…],…]");
    }
    List<List<String>> out = new ArrayList<>();
    for (JsonNode g : groups) {
      if (!g.isArray() || g.isEmpty()) {
        throw new UsageException(source + ": each file group is a non-empty list of paths, got "
            + g);
      }
      List<String> files = new ArrayList<>();
      g.forEach(f -> files.add(f.asText()));
      out.add(files);
    }
    return out;
  }
}
