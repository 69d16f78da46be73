package dev.milvusbeam.io.importing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Imports batch files outside a pipeline (what {@code bulkwriter import} does): maps the paths,
 * leaves out the groups earlier jobs already hold ({@link HeldGroups}; unless {@link
 * #withForce}), packs the others into requests of at most 1024 groups, creates all jobs, then
 * polls them and the earlier jobs together with backoff until each is Completed or Failed.
 * Returns one {@link ImportJob} per job, the earlier ones first, then in request order; a Failed
 * job is returned, not thrown: the caller decides.
 *
 * <p>Two-phase ({@link ImportSpec#isTwoPhaseCommit()}; Milvus 3.0 or later): the jobs are created
 * uncommitted and committed only when every one, earlier jobs included, is {@code Uncommitted};
 * when one fails, the others are aborted ({@link TwoPhaseCommit}). {@link #stop()} (from a
 * shutdown hook) aborts them too, or finishes the commit when it has begun. Without it, an earlier
 * job found {@code Uncommitted} (left by a stopped two-phase import) is committed when reached,
 * with a warning: nothing else would.
 */
public final class ImportRunner {
  /** The Import API takes at most this many file groups per request. */
  public static final int MAX_GROUPS_PER_REQUEST = 1024;

  private final ImportClient client;
  private final ImportSpec spec;
  private final PathMapping mapping;
  private final ImportTiming timing;
  private final boolean force;
  /** The two-phase import in progress, for {@link #stop()}. */
  private final AtomicReference<TwoPhaseCommit> current = new AtomicReference<>();

  public ImportRunner(ImportTarget target, ImportSpec spec, PathMapping mapping,
      ImportTiming timing) {
    this(new ImportClient(Objects.requireNonNull(target, "target"), timing), spec, mapping,
        timing, false);
  }

  private ImportRunner(ImportClient client, ImportSpec spec, PathMapping mapping,
      ImportTiming timing, boolean force) {
    this.client = client;
    this.spec = Objects.requireNonNull(spec, "spec");
    this.mapping = Objects.requireNonNull(mapping, "mapping");
    this.timing = Objects.requireNonNull(timing, "timing");
    this.force = force;
  }

  /** Imports every group, also those earlier jobs hold (their rows are then imported twice). */
  public ImportRunner withForce(boolean force) {
    return new ImportRunner(client, spec, mapping, timing, force);
  }

  /** Maps every group first, so that a path that cannot be imported fails before any request. */
  public List<List<String>> map(List<List<String>> batchFiles) {
    List<List<String>> mapped = new ArrayList<>(batchFiles.size());
    for (List<String> g : batchFiles) {
      mapped.add(mapping.mapGroup(g));
    }
    return mapped;
  }

  public List<ImportJob> run(List<List<String>> batchFiles, ImportClient.Listener listener) {
    List<List<String>> mapped = map(batchFiles);
    List<String> ids = new ArrayList<>();
    List<Integer> groups = new ArrayList<>();
    HeldGroups.Split split = (force ? HeldGroups.NONE
        : HeldGroups.find(client, spec.collectionName(), timing, listener)).split(mapped);
    for (Map.Entry<ImportJob, Integer> e : split.earlier.entrySet()) {
      listener.skipped(e.getKey(), e.getValue());
      ids.add(e.getKey().jobId());
      groups.add(e.getValue());
    }
    if (spec.isTwoPhaseCommit()) {
      return runTwoPhase(ids, groups, split.missing, listener);
    }
    for (List<List<String>> r : pack(split.missing, MAX_GROUPS_PER_REQUEST)) {
      ids.add(client.create(spec, r, listener));
      groups.add(r.size());
    }
    ImportJob[] done = new ImportJob[ids.size()];
    int open = ids.size();
    long deadline = timing.waitTimeout().isZero() ? Long.MAX_VALUE
        : System.nanoTime() + timing.waitTimeout().toNanos();
    Duration wait = null;
    Set<String> committed = new HashSet<>();
    while (open > 0) {
      wait = timing.nextPoll(wait);
      ImportClient.sleep(wait);
      for (int i = 0; i < ids.size(); i++) {
        if (done[i] != null) {
          continue;
        }
        ImportJob job = client.describe(ids.get(i), spec.collectionName(), groups.get(i),
            listener);
        listener.polled(job);
        if (job.isUncommitted() && committed.add(job.jobId())) {
          client.commitStranded(job, listener);
        }
        if (job.isDone()) {
          done[i] = job;
          open--;
        } else if (System.nanoTime() > deadline) {
          throw new ImportException("import job " + job.jobId() + " into collection "
              + spec.collectionName() + " is still " + job.state() + " (" + job.progress()
              + "%) after waiting " + timing.waitTimeout() + "; it keeps running on the server",
              job, null);
        }
      }
    }
    return List.of(done);
  }

  /**
   * Creates the jobs uncommitted (the earlier ones first, already created), then hands them all to
   * one {@link TwoPhaseCommit}; a create that fails aborts those created.
   */
  private List<ImportJob> runTwoPhase(List<String> earlierIds, List<Integer> earlierGroups,
      List<List<String>> missing, ImportClient.Listener listener) {
    TwoPhaseCommit run = new TwoPhaseCommit(client, spec.collectionName(), timing, listener);
    current.set(run);
    try {
      for (int i = 0; i < earlierIds.size(); i++) {
        run.add(earlierIds.get(i), earlierGroups.get(i), true);
      }
      try {
        for (List<List<String>> r : pack(missing, MAX_GROUPS_PER_REQUEST)) {
          run.add(client.create(spec, r, listener), r.size(), false);
        }
      } catch (ImportException e) {
        throw run.stopBeforeCommit(e);
      }
      return run.await();
    } finally {
      current.compareAndSet(run, null);
    }
  }

  /**
   * Stops the two-phase import in progress, from another thread (e.g. a shutdown hook on
   * Ctrl-C): before the commit its jobs are aborted, during the commit the rest are committed;
   * {@link #run} then throws. No-op without a two-phase import in progress.
   */
  public void stop() {
    TwoPhaseCommit run = current.get();
    if (run != null) {
      run.stop();
    }
  }

  /** Consecutive requests of at most {@code max} groups each, in order. */
  public static <T> List<List<T>> pack(List<T> groups, int max) {
    if (max < 1 || max > MAX_GROUPS_PER_REQUEST) {
      throw new IllegalArgumentException("groups per request must be in 1.."
          + MAX_GROUPS_PER_REQUEST + ", got " + max);
    }
    List<List<T>> out = new ArrayList<>();
    for (int i = 0; i < groups.size(); i += max) {
      out.add(List.copyOf(groups.subList(i, Math.min(groups.size(), i + max))));
    }
    return out;
  }

}
