package dev.milvusbeam.pipelines;

import dev.milvusbeam.io.importing.ImportClient;
import dev.milvusbeam.io.importing.ImportJob;
import dev.milvusbeam.io.importing.ImportRunner;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The import's progress as a {@link ProgressDisplay.View}: jobs done of the total, the jobs'
 * progress (unstarted jobs count as 0%), rows imported — from the client's own polls, which it
 * tallies as an {@link ImportClient.Listener}. Used for the bar on a terminal; in a log the
 * event lines of {@link ImportCommand.Progress} are printed as before.
 */
final class ImportProgress implements ImportClient.Listener, ProgressDisplay.View {
  private final int totalJobs;
  private final Map<String, ImportJob> jobs = new ConcurrentHashMap<>();
  private final Map<String, Boolean> created = new ConcurrentHashMap<>();

  /** @param fileGroups the groups to import: one job per {@value ImportRunner#MAX_GROUPS_PER_REQUEST} */
  ImportProgress(int fileGroups) {
    this.totalJobs = Math.max(1, (fileGroups + ImportRunner.MAX_GROUPS_PER_REQUEST - 1)
        / ImportRunner.MAX_GROUPS_PER_REQUEST);
  }

  @Override
  public void created(String jobId, String collection, int fileGroups) {
    created.put(jobId, Boolean.TRUE);
  }

  @Override
  public void polled(ImportJob job) {
    jobs.put(job.jobId(), job);
  }

  private int done() {
    return (int) jobs.values().stream().filter(ImportJob::isDone).count();
  }

  /** The mean progress of all jobs, those not created or polled yet at 0%. */
  private int percent() {
    long sum = jobs.values().stream().mapToLong(ImportJob::progress).sum();
    return (int) Math.min(100, sum / totalJobs);
  }

  private long rows() {
    return jobs.values().stream().mapToLong(ImportJob::importedRows).sum();
  }

  private long totalRows() {
    return jobs.values().stream().mapToLong(ImportJob::totalRows).sum();
  }

  @Override
  public String bar(double seconds) {
    int pct = percent();
    int filled = pct * ProgressView.BAR_WIDTH / 100;
    return String.format(Locale.ROOT, "[%s%s] %3d%% %d/%d jobs done (%d created)  %,d of %,d rows"
        + " imported  %s", "#".repeat(filled), ".".repeat(ProgressView.BAR_WIDTH - filled), pct,
        done(), totalJobs, created.size(), rows(), totalRows(), ProgressView.duration(seconds));
  }

  @Override
  public String line(double seconds) {
    return String.format(Locale.ROOT, "bulkwriter: import: %d of %d jobs done, %d%%, %,d of %,d"
        + " rows imported, %s", done(), totalJobs, percent(), rows(), totalRows(),
        ProgressView.duration(seconds));
  }
}
