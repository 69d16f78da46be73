package dev.milvusbeam.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.common.sas.AccountSasPermission;
import com.azure.storage.common.sas.AccountSasResourceType;
import com.azure.storage.common.sas.AccountSasService;
import com.azure.storage.common.sas.AccountSasSignatureValues;
import dev.milvusbeam.core.format.FileType;
import dev.milvusbeam.core.row.ValidationResult;
import dev.milvusbeam.core.schema.CollectionSchema;
import dev.milvusbeam.core.schema.SchemaJson;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The seed page's RemoteBulkWriter with an AzureConnectParam, against Azurite started by the
 * test: written, listed and downloaded with the Azure SDK, judged by the conformance checker.
 */
@ExtendWith(AzureTestServer.Extension.class)
class AzureRemoteBulkWriterTest {
  private static final String FIXTURE = "seed";

  @TempDir Path tmp;

  static CollectionSchema schema() throws Exception {
    return SchemaJson.read(ConformanceChecker.fixture(FIXTURE).resolve("schema.json"));
  }

  /** Appends every valid fixture row; returns the 0-based lines the validator rejected. */
  static TreeSet<Integer> appendFixture(RemoteBulkWriter writer) throws Exception {
    List<String> lines = Files.readAllLines(ConformanceChecker.fixture(FIXTURE).resolve("rows.jsonl"));
    TreeSet<Integer> rejected = new TreeSet<>();
    for (int i = 0; i < lines.size(); i++) {
      ValidationResult r = writer.getValidator().validateJson(lines.get(i));
      if (r.isValid()) {
        writer.append(r.row());
      } else {
        rejected.add(i);
      }
    }
    return rejected;
  }

  @ParameterizedTest(name = "{0} with {1}")
  @CsvSource({"parquet,connection string", "json,connection string", "numpy,connection string",
      "parquet,account url + key", "json,account url + sas"})
  void writesConformingFilesIntoTheContainer(String fileType, String credential,
      AzureTestServer azurite) throws Exception {
    BlobContainerClient container = azurite.newContainer("rbw");
    String name = container.getBlobContainerName();
    AzureConnectParam conn;
    switch (credential) {
      case "connection string":
        conn = AzureConnectParam.ofConnectionString(azurite.connectionString(), name);
        break;
      case "account url + key":
        conn = AzureConnectParam.ofAccountUrl(azurite.endpoint(), AzureTestServer.KEY, name);
        break;
      default:
        String sas = azurite.client().generateAccountSas(new AccountSasSignatureValues(
            OffsetDateTime.now().plusHours(1), AccountSasPermission.parse("racwdl"),
            AccountSasService.parse("b"), AccountSasResourceType.parse("sco")));
        conn = AzureConnectParam.ofAccountUrl(azurite.endpoint(), sas, name);
        assertFalse(conn.toString().contains(sas));
    }
    String dataPath;
    List<List<String>> batchFiles;
    TreeSet<Integer> rejected;
    try (RemoteBulkWriter writer = RemoteBulkWriter.builder(schema(), "/imports/" + fileType + "/", conn)
        .fileType(FileType.fromName(fileType)).segmentSize(16 * 1024).build()) {
      rejected = appendFixture(writer);
      writer.commit();
      dataPath = writer.getDataPath();
      batchFiles = writer.getBatchFiles();
    }
    assertEquals(ConformanceChecker.rejectedLines(FIXTURE), rejected);

    // FORMAT.md section 5: keys inside the container, no scheme, account or container
    assertTrue(dataPath.matches("imports/" + fileType + "/[0-9a-f-]{36}"), dataPath);
    assertTrue(batchFiles.size() > 1, "several segments: " + batchFiles);
    List<String> expected = new ArrayList<>();
    for (List<String> group : batchFiles) {
      assertEquals(FileType.fromName(fileType).segmentFiles(schema(), 1).size(), group.size(),
          group.toString());
      for (String f : group) {
        assertTrue(f.startsWith(dataPath + "/"), f);
        expected.add(f);
      }
    }
    // nothing but the data folder and its manifest is left: no staging blobs
    expected.add(dataPath + ".manifest.json");
    assertEquals(new TreeSet<>(expected), new TreeSet<>(AzureTestServer.list(container)));

    Path local = AzureTestServer.download(container, dataPath, tmp.resolve("data"));
    ConformanceChecker.Result check = ConformanceChecker.check(FIXTURE, local.toString(), fileType);
    assertEquals(0, check.exit, check.toString());
    assertTrue(check.lastLine().endsWith("problems=0"), check.toString());
  }

  /**
   * Through a proxy that fails every 6th request (503, 500, connection reset before the request
   * reaches Azurite, and after Azurite executed it): retried, every row exactly once.
   */
  @Test
  void transientFaultsAreRetriedAndNothingIsLostOrDuplicated(AzureTestServer azurite)
      throws Exception {
    BlobContainerClient container = azurite.newContainer("faults");
    S3FaultProxy.Fault[] cycle = {S3FaultProxy.Fault.SLOW_DOWN_503,
        S3FaultProxy.Fault.INTERNAL_500, S3FaultProxy.Fault.RESET_BEFORE,
        S3FaultProxy.Fault.RESET_AFTER};
    try (S3FaultProxy proxy = new S3FaultProxy(azurite.port())) {
      proxy.policy((n, method, target) ->
          n % 6 == 0 ? cycle[(int) ((n / 6) % cycle.length)] : S3FaultProxy.Fault.NONE);
      String cs = "DefaultEndpointsProtocol=http;AccountName=" + AzureTestServer.ACCOUNT
          + ";AccountKey=" + AzureTestServer.KEY + ";BlobEndpoint=http://" + proxy.hostPort()
          + "/" + AzureTestServer.ACCOUNT + ";";
      AzureConnectParam conn = AzureConnectParam.ofConnectionString(cs,
          container.getBlobContainerName());
      String dataPath;
      List<String> files = new ArrayList<>();
      try (RemoteBulkWriter writer = RemoteBulkWriter.builder(schema(), "faults", conn)
          .fileType(FileType.PARQUET).segmentSize(16 * 1024).build()) {
        assertEquals(ConformanceChecker.rejectedLines(FIXTURE), appendFixture(writer));
        writer.commit();
        dataPath = writer.getDataPath();
        writer.getBatchFiles().forEach(files::addAll);
      }
      assertTrue(proxy.faults() >= 8, proxy.toString());
      assertTrue(proxy.count(S3FaultProxy.Fault.RESET_AFTER) >= 2, proxy.toString());
      files.add(dataPath + ".manifest.json");
      assertEquals(new TreeSet<>(files), new TreeSet<>(AzureTestServer.list(container)));
      Path local = AzureTestServer.download(container, dataPath, tmp.resolve("data"));
      ConformanceChecker.Result check = ConformanceChecker.check(FIXTURE, local.toString(),
          "parquet");
      assertEquals(0, check.exit, check.toString());
      assertTrue(check.lastLine().endsWith("problems=0"), check.toString());
    }
  }

  @Test
  void aWrongKeyFailsNamingTheContainerNotTheKey(AzureTestServer azurite) throws Exception {
    String name = azurite.newContainer("wrongkey").getBlobContainerName();
    byte[] k = new byte[64];
    new Random(7).nextBytes(k);
    String wrongKey = Base64.getEncoder().encodeToString(k);
    AzureConnectParam conn = AzureConnectParam.ofConnectionString(
        azurite.connectionString(wrongKey), name);
    String trace = failureOf(conn);
    assertTrue(trace.contains("'" + name + "'"), trace);
    assertTrue(trace.contains("403"), trace);
    assertNoSecret(trace, wrongKey);
    assertTrue(azurite.client().getBlobContainerClient(name).listBlobs().stream()
        .findAny().isEmpty(), "nothing written");

    ConnectionStringBlobstoreClientBuilderFactory.AzureAccessException up = assertThrows(
        ConnectionStringBlobstoreClientBuilderFactory.AzureAccessException.class,
        conn::checkAccess);
    assertEquals(403, up.statusCode());
    assertTrue(up.getMessage().contains("'" + name + "'"), up.getMessage());
    assertNoSecret(up.getMessage(), wrongKey);
  }

  @Test
  void aMissingContainerIsNamed(AzureTestServer azurite) throws Exception {
    String name = "no-such-container-" + Long.toHexString(System.nanoTime());
    AzureConnectParam conn = AzureConnectParam.ofConnectionString(azurite.connectionString(), name);
    String trace = failureOf(conn);
    assertTrue(trace.contains("'" + name + "' does not exist"), trace);
    assertNoSecret(trace, AzureTestServer.KEY);
    assertFalse(azurite.client().getBlobContainerClient(name).exists(), "not created");

    ConnectionStringBlobstoreClientBuilderFactory.AzureAccessException up = assertThrows(
        ConnectionStringBlobstoreClientBuilderFactory.AzureAccessException.class,
        conn::checkAccess);
    assertEquals(404, up.statusCode());
    assertTrue(up.getMessage().contains(name), up.getMessage());
  }

  /** Writes the fixture through the writer; returns the failure's full stack trace text. */
  private static String failureOf(AzureConnectParam conn) throws Exception {
    RuntimeException e = assertThrows(RuntimeException.class, () -> {
      try (RemoteBulkWriter writer = RemoteBulkWriter.builder(schema(), "imports", conn)
          .fileType(FileType.PARQUET).segmentSize(16 * 1024).build()) {
        appendFixture(writer);
        writer.commit();
      }
    });
    StringWriter w = new StringWriter();
    e.printStackTrace(new PrintWriter(w));
    return w.toString();
  }

  private static void assertNoSecret(String text, String key) {
    assertFalse(text.contains(key), "the key is shown:\n" + text);
    assertFalse(text.contains(key.substring(0, 16)), "part of the key is shown:\n" + text);
    assertFalse(text.contains("sig="), "a SAS is shown:\n" + text);
  }
}
