package dev.milvusbeam.pipelines;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.milvusbeam.core.row.Rule;
import dev.milvusbeam.io.importing.ImportJob;
import java.util.List;
import java.util.Map;

/**
 * The one-line JSON result every command prints last on stdout, the contract scripts rely on:
 * {@code {"dataPath":…,"batchFiles":[[…]],"rows":N,"failed":M,"unreadable":U,"failuresPath":…}}, plus
 * {@code "failedByRule":{"<rule>":n,…}} from {@code convert} and
 * {@code "imports":[{"jobId","state","progress","importedRows",…}]} after {@code --importTo};
 * {@code "unreadable":N}: input files that could not be read, each also one of {@code failed}
 * (rule {@code unreadable-input}).
 */
public final class Summary {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final String dataPath;
  private final List<List<String>> batchFiles;
  private final long rows;
  private final long failed;
  private final String failuresPath;
  private final List<ImportJob> imports;
  private final String importFailure;
  private final Map<String, Long> failedByRule;

  public Summary(String dataPath, List<List<String>> batchFiles, long rows, long failed,
      String failuresPath) {
    this(dataPath, batchFiles, rows, failed, failuresPath, null, null, null);
  }

  private Summary(String dataPath, List<List<String>> batchFiles, long rows, long failed,
      String failuresPath, List<ImportJob> imports, String importFailure,
      Map<String, Long> failedByRule) {
    this.dataPath = dataPath;
    this.batchFiles = batchFiles;
    this.rows = rows;
    this.failed = failed;
    this.failuresPath = failuresPath;
    this.imports = imports;
    this.importFailure = importFailure;
    this.failedByRule = failedByRule;
  }

  /** With the rejected rows per rule code (a row that broke two rules counts under both). */
  Summary withFailedByRule(Map<String, Long> byRule) {
    return new Summary(dataPath, batchFiles, rows, failed, failuresPath, imports, importFailure,
        Map.copyOf(byRule));
  }

  /** With the import jobs of {@code --importTo} and, when one failed (not routed), why. */
  Summary withImports(List<ImportJob> jobs, String failure) {
    return new Summary(dataPath, batchFiles, rows, failed, failuresPath, List.copyOf(jobs),
        failure, failedByRule);
  }

  public String dataPath() { return dataPath; }
  public List<List<String>> batchFiles() { return batchFiles; }
  public long rows() { return rows; }
  public long failed() { return failed; }
  public String failuresPath() { return failuresPath; }
  /** The import jobs ({@code --importTo}), null without an import. */
  public List<ImportJob> imports() { return imports; }
  /** Why the import failed (a Failed job, not routed); null otherwise. */
  public String importFailure() { return importFailure; }
  /** Rejected rows per rule code ({@code convert}), null otherwise. */
  public Map<String, Long> failedByRule() { return failedByRule; }
  /** Input files that could not be read (rule {@code unreadable-input}); 0 when all were. */
  public long unreadable() {
    return failedByRule == null ? 0 : failedByRule.getOrDefault(Rule.UNREADABLE_INPUT.code(), 0L);
  }

  public String toJson() {
    ObjectNode o = MAPPER.createObjectNode();
    o.put("dataPath", dataPath);
    o.set("batchFiles", MAPPER.valueToTree(batchFiles));
    o.put("rows", rows);
    o.put("failed", failed);
    if (failedByRule != null) {
      o.set("failedByRule", MAPPER.valueToTree(new java.util.TreeMap<>(failedByRule)));
    }
    o.put("unreadable", unreadable());
    if (failuresPath == null) {
      o.putNull("failuresPath");
    } else {
      o.put("failuresPath", failuresPath);
    }
    if (imports != null) {
      o.set("imports", ImportCommand.jobsJson(imports));
    }
    return o.toString();
  }
}
