package dev.milvusbeam.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

/**
 * Checks a local {@code <dataPath>.manifest.json} against the folder it describes: every file in
 * the folder is listed once with its real size and CRC32C (recomputed from disk), totals add up,
 * and the rejected-row count is what the test expects. Used by io and pipelines tests.
 */
public final class ManifestAssert {
  private static final ObjectMapper JSON = new ObjectMapper();

  private ManifestAssert() {}

  /** Returns the manifest after checking it. */
  public static JsonNode check(String dataPath, long rows, long rejected) throws IOException {
    Path manifest = Path.of(dataPath + ".manifest.json");
    assertTrue(Files.isRegularFile(manifest), "no manifest beside " + dataPath);
    JsonNode m = JSON.readTree(manifest.toFile());
    assertEquals(dataPath, m.get("dataPath").asText());
    assertEquals(rows, m.get("rows").asLong(), "rows in the manifest");
    assertEquals(rejected, m.get("rejectedRows").asLong(), "rejected rows in the manifest");
    assertTrue(m.get("schemaFingerprint").asText().matches("sha256:[0-9a-f]{64}"));
    TreeSet<String> listed = new TreeSet<>();
    long bytes = 0;
    long segRows = 0;
    int number = 0;
    for (JsonNode seg : m.get("segments")) {
      assertEquals(++number, seg.get("number").asInt(), "segments numbered 1..K");
      long segBytes = 0;
      for (JsonNode f : seg.get("files")) {
        Path p = Path.of(f.get("path").asText());
        byte[] content = Files.readAllBytes(p);
        assertEquals(content.length, f.get("bytes").asLong(), f.toString());
        CRC32C crc = new CRC32C();
        crc.update(content);
        assertEquals(Base64.getEncoder().encodeToString(
            ByteBuffer.allocate(4).putInt((int) crc.getValue()).array()),
            f.get("crc32c").asText(), "checksum of " + p);
        listed.add(p.toString());
        segBytes += content.length;
      }
      assertEquals(segBytes, seg.get("bytes").asLong());
      bytes += segBytes;
      segRows += seg.get("rows").asLong();
    }
    assertEquals(rows, segRows);
    assertEquals(bytes, m.get("bytes").asLong());
    try (Stream<Path> s = Files.walk(Path.of(dataPath))) {
      List<String> onDisk = s.filter(Files::isRegularFile).map(Path::toString).sorted()
          .collect(Collectors.toList());
      assertEquals(List.copyOf(listed), onDisk, "the manifest lists exactly the folder's files");
    }
    return m;
  }
}
