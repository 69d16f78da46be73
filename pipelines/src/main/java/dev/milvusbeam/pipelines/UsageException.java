package dev.milvusbeam.pipelines;

/** A problem the user must fix before the job can run: printed as one line, exit code 2. */
public class UsageException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public UsageException(String message) {
    super(message);
  }
}
