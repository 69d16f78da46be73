package dev.milvusbeam.io.importing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The jobs of one two-phase import ({@link ImportSpec#withTwoPhaseCommit()}; Milvus 3.0 or
 * later), committed together or not at all: what {@link ImportRunner} and {@link MilvusImport}
 * (one window) do with them.
 *
 * <ol>
 *   <li>Every job is polled until it is {@code Uncommitted} (imported, not visible), or {@code
 *       Committing} / {@code Completed} (an earlier job someone committed), or {@code Failed}.
 *   <li>When every job got there, each {@code Uncommitted} one is committed ({@code /commit}),
 *       and all are polled until {@code Completed}.
 *   <li>When one fails first, the others that are not committed are aborted ({@code /abort}: they
 *       end Failed, {@value ImportJob#ABORTED}) and all are returned as they ended. A wait that
 *       times out, an interrupted thread, a server that cannot be reached and {@link #stop()}
 *       abort them as well, and throw.
 * </ol>
 *
 * <p>Milvus 2.6 ignores {@code auto_commit}: a job this run created that reaches {@code Completed}
 * without passing {@code Uncommitted} gives a warning that its rows are already visible (there is
 * nothing to abort then). Earlier jobs ({@link HeldGroups}) join the run: an earlier job left
 * {@code Uncommitted} by a stopped two-phase import is committed with this run's jobs, or aborted
 * with them.
 */
final class TwoPhaseCommit {
  private enum Phase { WAITING, COMMITTING, STOPPED, DONE }

  private static final class Tracked {
    final String jobId;
    final int groups;
    final boolean earlier;
    volatile ImportJob last;
    volatile boolean seenUncommitted;

    Tracked(String jobId, int groups, boolean earlier) {
      this.jobId = jobId;
      this.groups = groups;
      this.earlier = earlier;
    }

    /** Committed by someone, or ended: nothing to commit or abort. */
    boolean pastCommit() {
      return last != null && (last.isDone() || last.isCommitting());
    }
  }

  private final ImportClient client;
  private final String collection;
  private final ImportTiming timing;
  private final ImportClient.Listener listener;
  private final List<Tracked> jobs = new ArrayList<>(); // guarded by this
  private Phase phase = Phase.WAITING; // guarded by this

  TwoPhaseCommit(ImportClient client, String collection, ImportTiming timing,
      ImportClient.Listener listener) {
    this.client = client;
    this.collection = collection;
    this.timing = timing;
    this.listener = listener;
  }

  /** A job of this import: created by this run, or an earlier one holding some of its groups. */
  synchronized void add(String jobId, int groups, boolean earlier) {
    jobs.add(new Tracked(jobId, groups, earlier));
  }

  private synchronized List<Tracked> jobs() {
    return new ArrayList<>(jobs);
  }

  /** Waits, commits, waits; the jobs as they ended, in the order added. */
  List<ImportJob> await() {
    long deadline = timing.waitTimeout().isZero() ? Long.MAX_VALUE
        : System.nanoTime() + timing.waitTimeout().toNanos();
    Duration wait = null;
    try {
      while (true) {
        checkNotStopped();
        wait = timing.nextPoll(wait);
        ImportClient.sleep(wait);
        checkNotStopped();
        boolean ready = true;
        ImportJob failed = null;
        for (Tracked t : jobs()) {
          if (t.pastCommit()) {
            continue;
          }
          ImportJob j = describe(t);
          ready &= j.isUncommitted() || j.isCommitting() || j.isCompleted();
          if (j.isFailed() && failed == null) {
            failed = j;
          }
          if (!j.isDone() && !j.isUncommitted() && System.nanoTime() > deadline) {
            throw new ImportException("import job " + j.jobId() + " into collection "
                + collection + " is still " + j.state() + " (" + j.progress()
                + "%) after waiting " + timing.waitTimeout(), j, null);
          }
        }
        if (failed != null) {
          synchronized (this) {
            phase = Phase.STOPPED;
          }
          listener.warning("import job " + failed.jobId() + " failed: aborting the other jobs of"
              + " this two-phase import");
          abortOpen();
          return awaitEnd(deadline);
        }
        if (ready) {
          break;
        }
      }
    } catch (ImportException e) {
      throw stopBeforeCommit(e);
    }
    synchronized (this) {
      if (phase != Phase.WAITING) {
        throw stopBeforeCommit(new ImportException("the import was stopped"));
      }
      phase = Phase.COMMITTING;
    }
    commitAll();
    List<ImportJob> done = awaitEnd(deadline);
    synchronized (this) {
      phase = Phase.DONE;
    }
    return done;
  }

  /**
   * From another thread (a shutdown hook, a Ctrl-C): before the commit, aborts the jobs; during
   * it, commits the rest, so that the import is whole either way. No-op once done.
   */
  void stop() {
    Phase was;
    synchronized (this) {
      was = phase;
      if (was == Phase.WAITING) {
        phase = Phase.STOPPED;
      }
    }
    if (was == Phase.WAITING) {
      listener.warning("stopped before the commit: aborting the jobs of this two-phase import");
      abortOpen();
    } else if (was == Phase.COMMITTING) {
      listener.warning("stopped during the commit: committing the remaining jobs of this"
          + " two-phase import, so that it is whole");
      commitAll();
    }
  }

  /**
   * After {@code cause} (a create or poll that failed, a timeout, an interrupt, a stop): aborts
   * every job not committed; the exception to throw, saying what was aborted and what is visible.
   */
  ImportException stopBeforeCommit(ImportException cause) {
    synchronized (this) {
      if (phase == Phase.WAITING) {
        phase = Phase.STOPPED;
      }
    }
    List<String> aborted = abortOpen();
    List<String> visible = new ArrayList<>();
    for (Tracked t : jobs()) {
      if (t.last != null && (t.last.isCompleted() || t.last.isCommitting())) {
        visible.add(t.jobId);
      }
    }
    String m = cause.getMessage() + "; the two-phase import was stopped before its commit"
        + (aborted.isEmpty() ? "" : ": jobs " + String.join(", ", aborted) + " aborted")
        + (visible.isEmpty() ? ", none of its rows are visible"
            : "; jobs " + String.join(", ", visible) + " completed and their rows are visible");
    return new ImportException(m, cause.job(), cause);
  }

  /** Aborts every job not committed nor ended; the ids the server accepted it for. */
  private List<String> abortOpen() {
    boolean interrupted = Thread.interrupted(); // the requests must go out all the same
    List<String> aborted = new ArrayList<>();
    try {
      for (Tracked t : jobs()) {
        if (t.pastCommit()) {
          continue;
        }
        try {
          client.abort(t.jobId, collection, listener);
          aborted.add(t.jobId);
        } catch (ImportException e) {
          listener.warning("could not abort import job " + t.jobId + ": " + e.getMessage());
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
    return aborted;
  }

  private void commitAll() {
    for (Tracked t : jobs()) {
      if (t.pastCommit()) {
        continue;
      }
      try {
        client.commit(t.jobId, collection, listener); // a job Committing or Completed: success
      } catch (ImportException e) {
        listener.warning("could not commit import job " + t.jobId + ": " + e.getMessage());
      }
    }
  }

  /** Polls the jobs not ended until each is Completed or Failed. */
  private List<ImportJob> awaitEnd(long deadline) {
    Duration wait = null;
    while (true) {
      boolean open = false;
      for (Tracked t : jobs()) {
        if (t.last == null || !t.last.isDone()) {
          open = true;
          break;
        }
      }
      if (!open) {
        break;
      }
      wait = timing.nextPoll(wait);
      ImportClient.sleep(wait);
      for (Tracked t : jobs()) {
        if (t.last != null && t.last.isDone()) {
          continue;
        }
        ImportJob j = describe(t);
        if (!j.isDone() && System.nanoTime() > deadline) {
          throw new ImportException("import job " + j.jobId() + " into collection " + collection
              + " is still " + j.state() + " (" + j.progress() + "%) after waiting "
              + timing.waitTimeout() + "; it keeps running on the server", j, null);
        }
      }
    }
    List<ImportJob> out = new ArrayList<>();
    for (Tracked t : jobs()) {
      out.add(t.last);
    }
    return out;
  }

  private ImportJob describe(Tracked t) {
    ImportJob j = client.describe(t.jobId, collection, t.groups, listener);
    listener.polled(j);
    if (j.isUncommitted() || j.isCommitting()) {
      t.seenUncommitted = true;
    } else if (j.isCompleted() && !t.seenUncommitted && !t.earlier
        && (t.last == null || !t.last.isCompleted())) {
      listener.warning("this server does not support two-phase import (Milvus 3.0 or later"
          + " needed): the data of job " + t.jobId + " is already visible");
    }
    t.last = j;
    return j;
  }

  private synchronized void checkNotStopped() {
    if (phase == Phase.STOPPED) {
      throw new ImportException("the import was stopped");
    }
  }

}
