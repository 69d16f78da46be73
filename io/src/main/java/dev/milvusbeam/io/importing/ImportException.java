package dev.milvusbeam.io.importing;

import java.util.ArrayList;
import java.util.List;

/**
 * An import that did not work: a request the server refused (its {@code code} and {@code message}),
 * a server that could not be reached after the retries, or a job that ended {@code Failed} (its
 * {@link #job()} with the server's reason). The message names the collection, the job id and
 * state when known, and the server's message; never a token or key.
 */
public class ImportException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final ImportJob job;

  public ImportException(String message) {
    this(message, null, null);
  }

  public ImportException(String message, Throwable cause) {
    this(message, null, cause);
  }

  public ImportException(String message, ImportJob job, Throwable cause) {
    super(message, cause);
    this.job = job;
  }

  /** The job as last described, when the failure is a job that ended Failed (else null). */
  public ImportJob job() {
    return job;
  }

  /** "import job 123 into collection c ended Failed: reason". */
  static ImportException failed(ImportJob job) {
    return new ImportException("import job " + job.jobId() + " into collection "
        + job.collectionName() + " ended " + job.state() + " (" + job.progress() + "%, "
        + job.importedRows() + " rows imported): " + (job.reason().isEmpty() ? "no reason given"
        : job.reason()), job, null);
  }

  /**
   * A two-phase import whose jobs did not all complete: the first job that failed by itself (not
   * aborted), which jobs were aborted with it, and which completed (their rows are visible).
   */
  public static ImportException failedTwoPhase(List<ImportJob> jobs) {
    ImportJob cause = null;
    for (ImportJob j : jobs) {
      if (j.isFailed() && (cause == null || cause.isAborted() && !j.isAborted())) {
        cause = j;
      }
    }
    if (cause == null) {
      throw new IllegalArgumentException("no job failed");
    }
    List<String> aborted = new ArrayList<>();
    List<String> visible = new ArrayList<>();
    for (ImportJob j : jobs) {
      if (j != cause && j.isAborted()) {
        aborted.add(j.jobId());
      } else if (j.isCompleted()) {
        visible.add(j.jobId());
      }
    }
    return new ImportException(failed(cause).getMessage()
        + (aborted.isEmpty() ? "" : "; the other jobs of this two-phase import were aborted ("
            + String.join(", ", aborted) + ")")
        + (visible.isEmpty() ? "; none of its rows are visible" : "; jobs "
            + String.join(", ", visible) + " completed and their rows are visible"), cause, null);
  }
}
