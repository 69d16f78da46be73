package dev.milvusbeam.io.importing;

import dev.milvusbeam.core.schema.CollectionSchema;
import dev.milvusbeam.io.MilvusIO;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.BooleanCoder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Reshuffle;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PInput;
import org.apache.beam.sdk.values.POutput;
import org.apache.beam.sdk.values.PValue;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Imports what a write produced into a Milvus collection (or Zilliz Cloud), through the REST
 * Import API, and waits for the jobs.
 *
 * <pre>{@code
 * MilvusIO.WriteResult written = rows.apply(MilvusIO.writeJson()...to("s3://bucket/imports"));
 * MilvusImport.Result imported = MilvusImport.of(ImportTarget.milvus("http://milvus:19530")
 *         .withToken(token))
 *     .withCollection("articles")
 *     .importFrom(written);               // or batchFiles.apply(MilvusImport.of(…)…)
 * imported.getJobs();                     // PCollection<ImportJob>: one per job, as it ended
 * }</pre>
 *
 * <p>The file groups of each window are gathered, mapped ({@link PathMapping}: by default object
 * keys inside Milvus' bucket, or URLs for Zilliz Cloud), sorted, and packed into requests of at
 * most 1024 groups; each request creates one job; each job is polled with backoff ({@link
 * ImportTiming}) until Completed or Failed. A Failed job fails the pipeline with the server's
 * reason, unless {@link #withFailedJobsRouted()}: then it is output like the others and also on
 * {@link Result#getFailedJobs()}.
 *
 * <p>Exactly once across runs: before creating jobs, the collection's import jobs are listed and
 * every group that a job not Failed already holds is left out ({@link HeldGroups}); that job is
 * awaited instead, as if this run had created it (counter {@code importGroupsSkipped}). {@link
 * #withForce()} imports every group anyway.
 *
 * <p>Two-phase ({@link #withTwoPhaseCommit()}; Milvus 3.0 or later): the jobs of a window, with
 * the earlier jobs holding some of its groups, are gathered into one element after their ids are
 * checkpointed; one step waits until every one is {@code Uncommitted}, then commits them all, so
 * that the window's rows become visible together; if one fails, the others are aborted and all
 * of them are Failed (the pipeline fails naming the job that failed and those aborted, unless
 * {@link #withFailedJobsRouted()}). A wait that times out or an interrupted worker aborts them
 * too; a cancelled pipeline may leave them {@code Uncommitted}: give {@link #withTimeout} so that
 * the server fails them in the end (the next run's check commits or aborts them with its own).
 *
 * <p>Duplicates: the step that creates jobs has stable input ({@code @RequiresStableInput}) and
 * its output (the job ids) is checkpointed before polling, so a retried poll never creates a job
 * again. A worker lost between the server's answer to {@code create} and the checkpoint of the
 * job id leads the runner to retry, which creates a second job for the same files (the Import API
 * has no idempotency key): rare, but the rows are then imported twice. Runners need {@code
 * @RequiresStableInput} support (Direct, Dataflow; Flink with {@code --checkpointingInterval}).
 * Beam's Spark runner has none and refuses a pipeline with this transform: import what a Spark
 * job wrote afterwards ({@code bin/bulkwriter import}, or a pipeline on another runner).
 */
public final class MilvusImport
    extends PTransform<PCollection<List<String>>, MilvusImport.Result> {
  private static final long serialVersionUID = 1L;
  static final String NAMESPACE = "milvus";
  static final TupleTag<ImportJob> JOBS = new TupleTag<ImportJob>() {};
  static final TupleTag<ImportJob> FAILED_JOBS = new TupleTag<ImportJob>() {};
  static final TupleTag<KV<Integer, List<List<String>>>> REQUESTS =
      new TupleTag<KV<Integer, List<List<String>>>>() {};
  static final TupleTag<KV<String, Integer>> EARLIER_JOBS = new TupleTag<KV<String, Integer>>() {};

  /** All settings, copied on every {@code withX}. */
  private static final class Settings implements Cloneable, Serializable {
    private static final long serialVersionUID = 1L;
    ImportTarget target;
    String collection;
    String partition;
    LinkedHashMap<String, String> options = new LinkedHashMap<>();
    CollectionSchema schema;
    PathMapping mapping;
    ImportTiming timing = ImportTiming.defaults();
    boolean routeFailedJobs;
    boolean force;

    boolean twoPhase() {
      return "false".equalsIgnoreCase(options.get(ImportSpec.AUTO_COMMIT));
    }

    Settings copy() {
      try {
        Settings c = (Settings) clone();
        c.options = new LinkedHashMap<>(options);
        return c;
      } catch (CloneNotSupportedException e) {
        throw new AssertionError(e);
      }
    }

    ImportSpec spec() {
      ImportSpec s = ImportSpec.into(collection).withPartition(partition);
      for (Map.Entry<String, String> e : options.entrySet()) {
        s = s.withOption(e.getKey(), e.getValue());
      }
      return s.checkAgainst(schema);
    }
  }

  private final Settings s;

  private MilvusImport(Settings s) {
    this.s = s;
  }

  /** Imports into this Milvus server or Zilliz Cloud cluster; set the collection next. */
  public static MilvusImport of(ImportTarget target) {
    Settings s = new Settings();
    s.target = Objects.requireNonNull(target, "MilvusImport.of(null)");
    return new MilvusImport(s);
  }

  private MilvusImport with(Consumer<Settings> change) {
    Settings c = s.copy();
    change.accept(c);
    return new MilvusImport(c);
  }

  /** The collection to import into (required). */
  public MilvusImport withCollection(String collection) {
    ImportSpec.into(collection); // refuses an empty name here
    return with(c -> c.collection = collection);
  }

  /** One partition; refused when the collection has a partition key (see {@link #withSchema}). */
  public MilvusImport withPartition(String partition) {
    if (partition == null || partition.isBlank()) {
      throw new IllegalArgumentException("withPartition: the partition name must not be empty");
    }
    return with(c -> c.partition = partition);
  }

  /** The collection's schema: a partition name is refused when it has a partition key. */
  public MilvusImport withSchema(CollectionSchema schema) {
    Objects.requireNonNull(schema, "withSchema(null)");
    return with(c -> c.schema = schema);
  }

  /** The server-side job timeout option, e.g. {@code 300s}. */
  public MilvusImport withTimeout(String timeout) {
    String t = ImportSpec.into("x").withTimeout(timeout).options().get("timeout");
    return with(c -> c.options.put("timeout", t));
  }

  /** CSV files: the separator and null key they were written with (must match the write). */
  public MilvusImport withCsv(char separator, String nullKey) {
    Map<String, String> o = ImportSpec.into("x").withCsv(separator, nullKey).options();
    return with(c -> c.options.putAll(o));
  }

  /** Any other Import API option (values are strings). */
  public MilvusImport withOption(String key, String value) {
    ImportSpec.into("x").withOption(key, value);
    return with(c -> c.options.put(key, value));
  }

  /** How written paths become what the server takes; default {@link PathMapping#defaultFor}. */
  public MilvusImport withPathMapping(PathMapping mapping) {
    Objects.requireNonNull(mapping, "withPathMapping(null)");
    return with(c -> c.mapping = mapping);
  }

  /** Poll intervals, retries and timeouts; {@link ImportTiming#defaults()} by default. */
  public MilvusImport withTiming(ImportTiming timing) {
    Objects.requireNonNull(timing, "withTiming(null)");
    return with(c -> c.timing = timing);
  }

  /** Failed jobs are output (also on {@link Result#getFailedJobs()}) instead of failing the run. */
  public MilvusImport withFailedJobsRouted() {
    return with(c -> c.routeFailedJobs = true);
  }

  /**
   * Imports every group, also those that earlier jobs (not Failed) already hold: their rows are
   * then imported twice. Without it a rerun imports only what no earlier job holds.
   */
  public MilvusImport withForce() {
    return with(c -> c.force = true);
  }

  /**
   * Two-phase import (Milvus 3.0 or later): the jobs are created with {@code auto_commit}
   * "false", and those of a window committed only once every one of them is {@code Uncommitted};
   * when one fails the others are aborted, so that a window is imported whole or not at all.
   * Milvus 2.6 ignores the option: each job's rows are visible when it completes (a warning says
   * so).
   */
  public MilvusImport withTwoPhaseCommit() {
    return with(c -> c.options.put(ImportSpec.AUTO_COMMIT, "false"));
  }

  /** Applies this import to a write's batch files. */
  public Result importFrom(MilvusIO.WriteResult written) {
    return written.getBatchFiles().apply("ImportToMilvus", this);
  }

  @Override
  public Result expand(PCollection<List<String>> batchFiles) {
    if (s.collection == null) {
      throw new IllegalArgumentException("MilvusImport: withCollection(...) is required");
    }
    ImportSpec spec = s.spec();
    PathMapping mapping = s.mapping != null ? s.mapping : PathMapping.defaultFor(s.target);
    Pipeline p = batchFiles.getPipeline();
    ListCoder<List<String>> groupsCoder = ListCoder.of(ListCoder.of(StringUtf8Coder.of()));

    PCollectionTuple packed = batchFiles
        .apply("OneKeyPerWindow", WithKeys.of(0))
        .setCoder(KvCoder.of(VarIntCoder.of(), ListCoder.of(StringUtf8Coder.of())))
        .apply("DiscardFiredPanes", Window.<KV<Integer, List<String>>>configure()
            .discardingFiredPanes())
        .apply("GatherGroups", GroupByKey.create())
        .apply("PackRequests", ParDo.of(new PackRequestsFn(mapping, s.target,
            spec.collectionName(), s.timing, s.force))
            .withOutputTags(REQUESTS, TupleTagList.of(EARLIER_JOBS)));
    KvCoder<String, Integer> idsCoder = KvCoder.of(StringUtf8Coder.of(), VarIntCoder.of());
    PCollection<KV<String, Integer>> created = packed.get(REQUESTS)
        .setCoder(KvCoder.of(VarIntCoder.of(), groupsCoder))
        .apply("CreateJobs", ParDo.of(new CreateJobFn(s.target, spec, s.timing)))
        .setCoder(idsCoder);
    if (spec.isTwoPhaseCommit()) {
      return twoPhase(p, created, packed.get(EARLIER_JOBS).setCoder(idsCoder), idsCoder);
    }
    PCollection<KV<String, Integer>> jobIds = PCollectionList.of(created)
        .and(packed.get(EARLIER_JOBS).setCoder(idsCoder))
        .apply("WithEarlierJobs", Flatten.pCollections())
        // job ids are checkpointed here: a retried poll never creates a job again
        .apply("CheckpointJobIds", Reshuffle.viaRandomKey());
    PCollectionTuple awaited = jobIds.apply("AwaitJobs",
        ParDo.of(new AwaitJobFn(s.target, spec.collectionName(), s.timing, s.routeFailedJobs))
            .withOutputTags(JOBS, TupleTagList.of(FAILED_JOBS)));
    return new Result(p, awaited.get(JOBS).setCoder(ImportJob.coder()),
        awaited.get(FAILED_JOBS).setCoder(ImportJob.coder()));
  }

  /** A window's job ids (earlier ones marked) as one element, awaited and committed together. */
  private Result twoPhase(Pipeline p, PCollection<KV<String, Integer>> created,
      PCollection<KV<String, Integer>> earlier, KvCoder<String, Integer> idsCoder) {
    KvCoder<Boolean, KV<String, Integer>> markedCoder = KvCoder.of(BooleanCoder.of(), idsCoder);
    PCollection<KV<Boolean, KV<String, Integer>>> createdMarked = created
        .apply("MarkCreated", MapElements.into(TypeDescriptors.kvs(TypeDescriptors.booleans(),
            TypeDescriptors.kvs(TypeDescriptors.strings(), TypeDescriptors.integers())))
            .via(id -> KV.of(false, id)))
        .setCoder(markedCoder);
    PCollection<KV<Boolean, KV<String, Integer>>> earlierMarked = earlier
        .apply("MarkEarlier", MapElements.into(TypeDescriptors.kvs(TypeDescriptors.booleans(),
            TypeDescriptors.kvs(TypeDescriptors.strings(), TypeDescriptors.integers())))
            .via(id -> KV.of(true, id)))
        .setCoder(markedCoder);
    PCollectionTuple awaited = PCollectionList.of(createdMarked).and(earlierMarked)
        .apply("WithEarlierJobs", Flatten.pCollections())
        .apply("OneKeyPerWindowOfJobs", WithKeys.of(0))
        .setCoder(KvCoder.of(VarIntCoder.of(), markedCoder))
        // job ids are checkpointed here: a retried commit step never creates a job again
        .apply("GatherJobIds", GroupByKey.create())
        .apply("CommitTogether", ParDo.of(new AwaitTwoPhaseFn(s.target, s.collection, s.timing,
            s.routeFailedJobs)).withOutputTags(JOBS, TupleTagList.of(FAILED_JOBS)));
    return new Result(p, awaited.get(JOBS).setCoder(ImportJob.coder()),
        awaited.get(FAILED_JOBS).setCoder(ImportJob.coder()));
  }

  @Override
  public void populateDisplayData(DisplayData.Builder b) {
    super.populateDisplayData(b);
    b.add(DisplayData.item("target", s.target.toString()).withLabel("Import into"));
    b.addIfNotNull(DisplayData.item("collection", s.collection).withLabel("Collection"));
    b.addIfNotNull(DisplayData.item("partition", s.partition).withLabel("Partition"));
    if (!s.options.isEmpty()) {
      b.add(DisplayData.item("options", s.options.toString()).withLabel("Import options"));
    }
    b.add(DisplayData.item("pathMapping", (s.mapping != null ? s.mapping
        : PathMapping.defaultFor(s.target)).toString()).withLabel("Path mapping"));
    b.add(DisplayData.item("timing", s.timing.toString()).withLabel("Polling and retries"));
    b.add(DisplayData.item("failedJobs", s.routeFailedJobs ? "routed" : "fail the pipeline")
        .withLabel("Failed jobs"));
    b.add(DisplayData.item("earlierJobs", s.force ? "imported again (force)"
        : "groups they hold are skipped").withLabel("Groups earlier jobs hold"));
    b.add(DisplayData.item("twoPhaseCommit", s.twoPhase()
        ? "each window committed once all its jobs are Uncommitted" : "off")
        .withLabel("Two-phase import"));
  }

  /**
   * Sorts a window's groups (segment 2 before 10), maps them, leaves out those earlier jobs hold
   * (output as {@link #EARLIER_JOBS}: job id, groups held), packs the rest into requests.
   */
  static final class PackRequestsFn
      extends DoFn<KV<Integer, Iterable<List<String>>>, KV<Integer, List<List<String>>>> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(MilvusImport.class);
    private final PathMapping mapping;
    private final ImportTarget target;
    private final String collection;
    private final ImportTiming timing;
    private final boolean force;
    private final Counter skipped = Metrics.counter(NAMESPACE, "importGroupsSkipped");
    private transient ImportClient client;

    PackRequestsFn(PathMapping mapping, ImportTarget target, String collection,
        ImportTiming timing, boolean force) {
      this.mapping = mapping;
      this.target = target;
      this.collection = collection;
      this.timing = timing;
      this.force = force;
    }

    @Setup
    public void setup() {
      client = new ImportClient(target, timing);
    }

    @ProcessElement
    public void process(@Element KV<Integer, Iterable<List<String>>> element,
        MultiOutputReceiver out) {
      List<List<String>> groups = new ArrayList<>();
      element.getValue().forEach(groups::add);
      groups.sort(Comparator.comparing((List<String> g) -> g.get(0), MilvusImport::natural));
      List<List<String>> mapped = new ArrayList<>(groups.size());
      for (List<String> g : groups) {
        mapped.add(mapping.mapGroup(g));
      }
      LogListener log = new LogListener(LOG);
      HeldGroups held = force ? HeldGroups.NONE
          : HeldGroups.find(client, collection, timing, log);
      HeldGroups.Split split = held.split(mapped);
      for (Map.Entry<ImportJob, Integer> e : split.earlier.entrySet()) {
        log.skipped(e.getKey(), e.getValue());
        skipped.inc(e.getValue());
        out.get(EARLIER_JOBS).output(KV.of(e.getKey().jobId(), e.getValue()));
      }
      List<List<List<String>>> requests =
          ImportRunner.pack(split.missing, ImportRunner.MAX_GROUPS_PER_REQUEST);
      for (int i = 0; i < requests.size(); i++) {
        out.get(REQUESTS).output(KV.of(i, requests.get(i)));
      }
    }
  }

  /** One job per request; stable input, so that a retried bundle sends the same request. */
  static final class CreateJobFn
      extends DoFn<KV<Integer, List<List<String>>>, KV<String, Integer>> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(MilvusImport.class);
    private final ImportTarget target;
    private final ImportSpec spec;
    private final ImportTiming timing;
    private final Counter jobsCreated = Metrics.counter(NAMESPACE, "importJobsCreated");
    private transient ImportClient client;

    CreateJobFn(ImportTarget target, ImportSpec spec, ImportTiming timing) {
      this.target = target;
      this.spec = spec;
      this.timing = timing;
    }

    @Setup
    public void setup() {
      client = new ImportClient(target, timing);
    }

    @RequiresStableInput
    @ProcessElement
    public void process(@Element KV<Integer, List<List<String>>> request,
        OutputReceiver<KV<String, Integer>> out) {
      String jobId = client.create(spec, request.getValue(), new LogListener(LOG));
      jobsCreated.inc();
      out.output(KV.of(jobId, request.getValue().size()));
    }
  }

  /**
   * What both ways of awaiting jobs share: the target, the client (one per DoFn instance), whether
   * failed jobs are routed, and the job counters.
   */
  abstract static class AwaitFn<InputT> extends DoFn<InputT, ImportJob> {
    private static final long serialVersionUID = 1L;
    static final Logger LOG = LoggerFactory.getLogger(MilvusImport.class);
    final ImportTarget target;
    final String collection;
    final ImportTiming timing;
    final boolean route;
    final Counter completed = Metrics.counter(NAMESPACE, "importJobsCompleted");
    final Counter failed = Metrics.counter(NAMESPACE, "importJobsFailed");
    final Counter rows = Metrics.counter(NAMESPACE, "rowsImported");
    transient ImportClient client;

    AwaitFn(ImportTarget target, String collection, ImportTiming timing, boolean route) {
      this.target = target;
      this.collection = collection;
      this.timing = timing;
      this.route = route;
    }

    @Setup
    public void setup() {
      client = new ImportClient(target, timing);
    }
  }

  /** Polls one job until it ends; outputs it; a Failed job fails the bundle unless routed. */
  static final class AwaitJobFn extends AwaitFn<KV<String, Integer>> {
    private static final long serialVersionUID = 1L;

    AwaitJobFn(ImportTarget target, String collection, ImportTiming timing, boolean route) {
      super(target, collection, timing, route);
    }

    @ProcessElement
    public void process(@Element KV<String, Integer> job, MultiOutputReceiver out) {
      ImportJob done = client.await(job.getKey(), collection, job.getValue(), new LogListener(LOG));
      if (done.isFailed()) {
        failed.inc();
        if (!route) {
          throw ImportException.failed(done);
        }
        LOG.warn("{}", ImportException.failed(done).getMessage());
        out.get(FAILED_JOBS).output(done);
      } else {
        completed.inc();
        rows.inc(done.importedRows());
      }
      out.get(JOBS).output(done);
    }
  }

  /**
   * Two-phase: all jobs of a window ({@link TwoPhaseCommit}); outputs them as they ended; when
   * one failed (the others aborted), fails the bundle naming them, unless routed.
   */
  static final class AwaitTwoPhaseFn
      extends AwaitFn<KV<Integer, Iterable<KV<Boolean, KV<String, Integer>>>>> {
    private static final long serialVersionUID = 1L;
    private final Counter aborted = Metrics.counter(NAMESPACE, "importJobsAborted");

    AwaitTwoPhaseFn(ImportTarget target, String collection, ImportTiming timing, boolean route) {
      super(target, collection, timing, route);
    }

    @ProcessElement
    public void process(@Element KV<Integer, Iterable<KV<Boolean, KV<String, Integer>>>> window,
        MultiOutputReceiver out) {
      List<KV<Boolean, KV<String, Integer>>> ids = new ArrayList<>();
      window.getValue().forEach(ids::add);
      // the earlier jobs first, then by job id: the same order on every attempt
      ids.sort(Comparator.comparing((KV<Boolean, KV<String, Integer>> k) -> !k.getKey())
          .thenComparing(k -> k.getValue().getKey(), MilvusImport::natural));
      TwoPhaseCommit run = new TwoPhaseCommit(client, collection, timing, new LogListener(LOG));
      for (KV<Boolean, KV<String, Integer>> id : ids) {
        run.add(id.getValue().getKey(), id.getValue().getValue(), id.getKey());
      }
      List<ImportJob> done = run.await();
      boolean anyFailed = false;
      for (ImportJob j : done) {
        if (j.isFailed()) {
          anyFailed = true;
          (j.isAborted() ? aborted : failed).inc();
        } else {
          completed.inc();
          rows.inc(j.importedRows());
        }
      }
      if (anyFailed) {
        ImportException e = ImportException.failedTwoPhase(done);
        if (!route) {
          throw e;
        }
        LOG.warn("{}", e.getMessage());
      }
      for (ImportJob j : done) {
        if (j.isFailed()) {
          out.get(FAILED_JOBS).output(j);
        }
        out.get(JOBS).output(j);
      }
    }
  }

  /** Logs job creation, state changes and retries (never a token). */
  static final class LogListener implements ImportClient.Listener {
    private final Logger log;
    private String last = "";

    LogListener(Logger log) {
      this.log = log;
    }

    @Override
    public void created(String jobId, String collection, int fileGroups) {
      log.info("import job {} created: {} file groups into collection {}", jobId, fileGroups,
          collection);
    }

    @Override
    public void polled(ImportJob job) {
      String now = job.state() + " " + job.progress();
      if (!now.equals(last)) {
        last = now;
        log.info("{}", job);
      }
    }

    @Override
    public void retrying(String path, int attempt, int maxRetries, String problem) {
      log.warn("import: {} failed ({}), retry {} of {}", path, problem, attempt, maxRetries);
    }

    @Override
    public void skipped(ImportJob earlier, int fileGroups) {
      log.info("import: {} file groups skipped: earlier import job {} holds them ({}); awaiting"
          + " it instead", fileGroups, earlier.jobId(), earlier.state());
    }

    @Override
    public void warning(String message) {
      log.warn("import: {}", message);
    }

    @Override
    public void committed(String jobId) {
      log.info("import job {} committed", jobId);
    }

    @Override
    public void aborted(String jobId) {
      log.info("import job {} aborted", jobId);
    }
  }

  /**
   * Paths compared with their digit runs as numbers ({@code …/2.parquet} before {@code
   * …/10.parquet}): the order file groups are imported in.
   */
  public static int natural(String a, String b) {
    int i = 0;
    int j = 0;
    while (i < a.length() && j < b.length()) {
      char x = a.charAt(i);
      char y = b.charAt(j);
      if (Character.isDigit(x) && Character.isDigit(y)) {
        int si = i;
        int sj = j;
        while (i < a.length() && Character.isDigit(a.charAt(i))) {
          i++;
        }
        while (j < b.length() && Character.isDigit(b.charAt(j))) {
          j++;
        }
        String na = a.substring(si, i).replaceFirst("^0+(?=.)", "");
        String nb = b.substring(sj, j).replaceFirst("^0+(?=.)", "");
        int c = na.length() != nb.length() ? Integer.compare(na.length(), nb.length())
            : na.compareTo(nb);
        if (c != 0) {
          return c;
        }
      } else {
        if (x != y) {
          return Character.compare(x, y);
        }
        i++;
        j++;
      }
    }
    return Integer.compare(a.length() - i, b.length() - j);
  }

  /** What an import produces: every job as it ended, and the Failed ones when routed. */
  public static final class Result implements POutput {
    private final Pipeline pipeline;
    private final PCollection<ImportJob> jobs;
    private final PCollection<ImportJob> failedJobs;

    Result(Pipeline pipeline, PCollection<ImportJob> jobs, PCollection<ImportJob> failedJobs) {
      this.pipeline = pipeline;
      this.jobs = jobs;
      this.failedJobs = failedJobs;
    }

    /** One element per job: Completed ones, and Failed ones when routed. */
    public PCollection<ImportJob> getJobs() { return jobs; }

    /** The Failed jobs (only with {@link #withFailedJobsRouted()}; else they fail the run). */
    public PCollection<ImportJob> getFailedJobs() { return failedJobs; }

    @Override
    public Pipeline getPipeline() {
      return pipeline;
    }

    @Override
    public Map<TupleTag<?>, PValue> expand() {
      return Map.of(JOBS, jobs, FAILED_JOBS, failedJobs);
    }

    @Override
    public void finishSpecifyingOutput(String transformName, PInput input,
        PTransform<?, ?> transform) {}
  }
}
