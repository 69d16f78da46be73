package dev.milvusbeam.pipelines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.azure.storage.blob.BlobContainerClient;
import com.fasterxml.jackson.databind.JsonNode;
import dev.milvusbeam.io.AzureTestServer;
import dev.milvusbeam.io.ConformanceChecker;
import dev.milvusbeam.io.importing.ImportTestServer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code convert}, {@code verify} and {@code import} on {@code azfs://} with nothing but
 * {@code --azureConnectionString} (what pymilvus' {@code AzureConnectParam(conn_str=…)} gives), over
 * http against Azurite started by the test: no {@code --blobstoreClientFactoryClass}.
 */
@ExtendWith(AzureTestServer.Extension.class)
class AzureCommandsTest {
  @TempDir Path dir;

  @Test
  void aConnectionStringAloneIsEnoughForConvertVerifyAndImport(AzureTestServer azurite)
      throws Exception {
    BlobContainerClient container = azurite.newContainer("cli");
    String conn = "--azureConnectionString=" + azurite.connectionString();
    String output = "azfs://" + AzureTestServer.ACCOUNT + "/" + container.getBlobContainerName()
        + "/imports";
    Path fx = Conformance.fixture("seed");

    ConformanceChecker.Result convert = Conformance.cli("convert",
        "--schema=" + fx.resolve("schema.json"), "--input=" + fx.resolve("rows.jsonl"),
        "--output=" + output, "--segmentSize=64KB", conn);
    assertEquals(0, convert.exit, convert.toString());
    assertFalse(convert.err.contains(AzureTestServer.KEY) || convert.out.contains(AzureTestServer.KEY),
        "the key is never printed");
    JsonNode summary = Conformance.JSON.readTree(convert.lastLine());
    String dataPath = summary.get("dataPath").asText();
    assertTrue(dataPath.startsWith(output + "/"), dataPath);
    String key = dataPath.substring(output.length() - "imports".length());
    // the rejected rows: committed into the container with the segments, counted from there
    long rejects = Conformance.rejectedLines("seed").size();
    assertTrue(rejects > 0);
    assertEquals(rejects, summary.get("failed").asLong(), convert.toString());
    String failures = new String(container.getBlobClient(key + ".failures.jsonl")
        .downloadContent().toBytes(), java.nio.charset.StandardCharsets.UTF_8);
    assertEquals(rejects, failures.lines().count(), failures);
    Path local = AzureTestServer.download(container, key, dir.resolve("data"));
    ConformanceChecker.Result check = Conformance.check("seed", local.toString(), "parquet");
    assertEquals(0, check.exit, check.toString());

    ConformanceChecker.Result verify = Conformance.cli("verify",
        "--schema=" + fx.resolve("schema.json"), "--dataPath=" + dataPath, "--fileType=parquet",
        conn);
    assertEquals(0, verify.exit, verify.toString());
    JsonNode v = Conformance.JSON.readTree(verify.lastLine());
    assertEquals(summary.get("rows").asLong(), v.get("rows").asLong(), verify.toString());
    assertEquals(0, v.get("problems").asLong(), verify.toString());

    // import reads the manifest from the container, then (manifest gone) lists the folder
    try (ImportTestServer server = new ImportTestServer()) {
      String[] common = {"import", "--uri=" + server.uri(), "--collection=seed",
          "--dataPath=" + dataPath, "--pollInterval=5ms", "--maxPollInterval=20ms",
          "--retryBackoff=5ms", conn};
      ConformanceChecker.Result byManifest = Conformance.cli(common);
      assertEquals(0, byManifest.exit, byManifest.toString());
      container.getBlobClient(key + ".manifest.json").delete();
      // --force: the first run's job holds these groups, so without it nothing is created again
      String[] forced = java.util.Arrays.copyOf(common, common.length + 1);
      forced[common.length] = "--force";
      ConformanceChecker.Result listed = Conformance.cli(forced);
      assertEquals(0, listed.exit, listed.toString());
      List<List<String>> expected = new ArrayList<>();
      for (JsonNode g : summary.get("batchFiles")) {
        List<String> files = new ArrayList<>();
        g.forEach(f -> files.add(f.asText().substring(output.length() - "imports".length())));
        expected.add(files);
      }
      assertTrue(expected.size() > 1, expected.toString());
      assertEquals(expected, ImportCommandTest.groups(
          server.requests(ImportTestServer.CREATE).get(0).body.get("files")));
      assertEquals(expected, ImportCommandTest.groups(
          server.requests(ImportTestServer.CREATE).get(1).body.get("files")));
    }
  }
}
