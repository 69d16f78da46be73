package dev.milvusbeam.io.importing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.util.Objects;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.NullableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;

/**
 * One import job as the server last described it: job id, collection, state ({@code Pending},
 * {@code Importing}, {@code Completed}, {@code Failed}; newer servers also report steps such as
 * {@code PreImporting} or {@code IndexBuilding}, and Milvus 3.0 the two-phase states {@code
 * Uncommitted} and {@code Committing}, both at progress 99), progress 0..100, imported and total rows, the
 * server's reason when it failed, and how many file groups the job was given.
 */
public final class ImportJob implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final ObjectMapper JSON = new ObjectMapper();
  public static final String COMPLETED = "Completed";
  public static final String FAILED = "Failed";
  /** Two-phase import (Milvus 3.0): imported, waiting for {@code /commit} or {@code /abort}. */
  public static final String UNCOMMITTED = "Uncommitted";
  /** Two-phase import: committed, becoming visible. */
  public static final String COMMITTING = "Committing";
  /** The reason of a job that {@code /abort} made Failed. */
  public static final String ABORTED = "aborted by user";

  private final String jobId;
  private final String collectionName;
  private final String state;
  private final int progress;
  private final long importedRows;
  private final long totalRows;
  private final String reason;
  private final int fileGroups;

  public ImportJob(String jobId, String collectionName, String state, int progress,
      long importedRows, long totalRows, String reason, int fileGroups) {
    this.jobId = Objects.requireNonNull(jobId, "jobId");
    this.collectionName = collectionName;
    this.state = state == null ? "" : state;
    this.progress = progress;
    this.importedRows = importedRows;
    this.totalRows = totalRows;
    this.reason = reason == null ? "" : reason;
    this.fileGroups = fileGroups;
  }

  public String jobId() { return jobId; }
  public String collectionName() { return collectionName; }
  public String state() { return state; }
  public int progress() { return progress; }
  public long importedRows() { return importedRows; }
  public long totalRows() { return totalRows; }
  /** The server's reason for a failure; empty otherwise. */
  public String reason() { return reason; }
  /** How many file groups the job imports (at most 1024). */
  public int fileGroups() { return fileGroups; }

  public boolean isCompleted() {
    return COMPLETED.equalsIgnoreCase(state);
  }

  public boolean isFailed() {
    return FAILED.equalsIgnoreCase(state);
  }

  public boolean isDone() {
    return isCompleted() || isFailed();
  }

  public boolean isUncommitted() {
    return UNCOMMITTED.equalsIgnoreCase(state);
  }

  public boolean isCommitting() {
    return COMMITTING.equalsIgnoreCase(state);
  }

  /** Failed because {@code /abort} was called (reason {@value #ABORTED}). */
  public boolean isAborted() {
    return isFailed() && ABORTED.equals(reason);
  }

  ImportJob withFileGroups(int groups) {
    return new ImportJob(jobId, collectionName, state, progress, importedRows, totalRows, reason,
        groups);
  }

  /** {@code {"jobId","collectionName","state","progress","importedRows","totalRows","reason","fileGroups"}}. */
  public String toJson() {
    return toJsonNode().toString();
  }

  public ObjectNode toJsonNode() {
    ObjectNode o = JSON.createObjectNode();
    o.put("jobId", jobId);
    o.put("collectionName", collectionName);
    o.put("state", state);
    o.put("progress", progress);
    o.put("importedRows", importedRows);
    o.put("totalRows", totalRows);
    o.put("reason", reason);
    o.put("fileGroups", fileGroups);
    return o;
  }

  /** A deterministic coder (job results cross the pipeline's shuffles). */
  public static Coder<ImportJob> coder() {
    return ImportJobCoder.INSTANCE;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof ImportJob)) {
      return false;
    }
    ImportJob j = (ImportJob) o;
    return jobId.equals(j.jobId) && Objects.equals(collectionName, j.collectionName)
        && state.equals(j.state) && progress == j.progress && importedRows == j.importedRows
        && totalRows == j.totalRows && reason.equals(j.reason) && fileGroups == j.fileGroups;
  }

  @Override
  public int hashCode() {
    return Objects.hash(jobId, state, progress, importedRows);
  }

  @Override
  public String toString() {
    return "import job " + jobId + " into " + collectionName + ": " + state + " " + progress
        + "%, " + importedRows + " rows imported" + (reason.isEmpty() ? "" : ", reason: " + reason);
  }

  private static final class ImportJobCoder extends AtomicCoder<ImportJob> {
    private static final long serialVersionUID = 1L;
    static final ImportJobCoder INSTANCE = new ImportJobCoder();
    private static final Coder<String> STRING = StringUtf8Coder.of();
    private static final Coder<String> NULLABLE = NullableCoder.of(StringUtf8Coder.of());
    private static final Coder<Long> LONG = VarLongCoder.of();
    private static final Coder<Integer> INT = VarIntCoder.of();

    @Override
    public void encode(ImportJob j, OutputStream out) throws IOException {
      STRING.encode(j.jobId, out);
      NULLABLE.encode(j.collectionName, out);
      STRING.encode(j.state, out);
      INT.encode(j.progress, out);
      LONG.encode(j.importedRows, out);
      LONG.encode(j.totalRows, out);
      STRING.encode(j.reason, out);
      INT.encode(j.fileGroups, out);
    }

    @Override
    public ImportJob decode(InputStream in) throws IOException {
      return new ImportJob(STRING.decode(in), NULLABLE.decode(in), STRING.decode(in),
          INT.decode(in), LONG.decode(in), LONG.decode(in), STRING.decode(in), INT.decode(in));
    }

    @Override
    public void verifyDeterministic() {}

    private Object readResolve() {
      return INSTANCE;
    }
  }
}
