package dev.milvusbeam.pipelines;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * The one-line JSON result every command prints last on stdout, the contract scripts rely on:
 * {@code {"dataPath":…,"batchFiles":[[…]],"rows":N,"failed":M,"failuresPath":…}}.
 */
public final class Summary {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final String dataPath;
  private final List<List<String>> batchFiles;
  private final long rows;
  private final long failed;
  private final String failuresPath;

  public Summary(String dataPath, List<List<String>> batchFiles, long rows, long failed,
      String failuresPath) {
    this.dataPath = dataPath;
    this.batchFiles = batchFiles;
    this.rows = rows;
    this.failed = failed;
    this.failuresPath = failuresPath;
  }

  public String dataPath() { return dataPath; }
  public List<List<String>> batchFiles() { return batchFiles; }
  public long rows() { return rows; }
  public long failed() { return failed; }
  public String failuresPath() { return failuresPath; }

  public String toJson() {
    ObjectNode o = MAPPER.createObjectNode();
    o.put("dataPath", dataPath);
    o.set("batchFiles", MAPPER.valueToTree(batchFiles));
    o.put("rows", rows);
    o.put("failed", failed);
    if (failuresPath == null) {
      o.putNull("failuresPath");
    } else {
      o.put("failuresPath", failuresPath);
    }
    return o.toString();
  }
}
