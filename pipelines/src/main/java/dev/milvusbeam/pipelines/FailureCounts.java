package dev.milvusbeam.pipelines;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.ResourceId;

/**
 * What a failures file ({@code FailedRow} JSON Lines) holds: the rejected rows, and how many of
 * them broke each rule (a row with violations of two rules counts under both), for the summary.
 *
 * @param rows the rejected rows (lines)
 * @param byRule rule code to rejected rows, sorted by code
 */
record FailureCounts(long rows, Map<String, Long> byRule) {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The counts of the file at {@code path} (any Beam file system); none when it is not there. */
  static FailureCounts read(String path) throws IOException {
    ResourceId id = FileSystems.matchNewResource(path, false);
    long rows = 0;
    Map<String, Long> byRule = new TreeMap<>();
    try (BufferedReader in = new BufferedReader(new InputStreamReader(
        Channels.newInputStream(FileSystems.open(id)), StandardCharsets.UTF_8))) {
      String line;
      Set<String> rules = new HashSet<>();
      while ((line = in.readLine()) != null) {
        if (line.isEmpty()) {
          continue;
        }
        rows++;
        rules.clear();
        for (JsonNode v : JSON.readTree(line).path("violations")) {
          rules.add(v.path("rule").asText());
        }
        rules.forEach(r -> byRule.merge(r, 1L, Long::sum));
      }
    } catch (FileNotFoundException | java.nio.file.NoSuchFileException e) {
      return new FailureCounts(0, Map.of());
    }
    return new FailureCounts(rows, byRule);
  }
}
