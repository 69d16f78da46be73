package dev.milvusbeam.io.importing;

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
}
