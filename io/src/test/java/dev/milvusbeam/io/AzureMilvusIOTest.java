package dev.milvusbeam.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.azure.storage.blob.BlobContainerClient;
import dev.milvusbeam.core.format.FileType;
import dev.milvusbeam.core.writer.Segment;
import dev.milvusbeam.core.schema.CollectionSchema;
import dev.milvusbeam.core.schema.SchemaJson;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.apache.beam.runners.direct.DirectRunner;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.transforms.Count;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.Sum;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * MilvusIO.writeJson to {@code azfs://} on the Direct runner, with the options of an
 * AzureConnectParam, against Azurite started by the test: no local staging, no temp blobs left.
 */
@ExtendWith(AzureTestServer.Extension.class)
class AzureMilvusIOTest {
  private static final String FIXTURE = "all-types";

  @TempDir Path tmp;

  @Test
  void writesAllTypesAsParquetToAzfs(AzureTestServer azurite) throws Exception {
    BlobContainerClient container = azurite.newContainer("milvusio");
    AzureConnectParam conn = AzureConnectParam.ofConnectionString(azurite.connectionString(),
        container.getBlobContainerName());
    PipelineOptions options = PipelineOptionsFactory.create();
    options.setRunner(DirectRunner.class);
    conn.applyTo(options);
    Pipeline p = Pipeline.create(options);

    CollectionSchema schema =
        SchemaJson.read(ConformanceChecker.fixture(FIXTURE).resolve("schema.json"));
    List<String> lines = Files.readAllLines(ConformanceChecker.fixture(FIXTURE).resolve("rows.jsonl"));
    String output = conn.toBeamPath("beam/out");
    MilvusIO.WriteResult r = p.apply(Create.of(lines))
        .apply(MilvusIO.writeJson().withSchema(schema).to(output)
            .withFileType(FileType.PARQUET).withNumShards(2).withSegmentSize(32 * 1024));
    TreeSet<Integer> rejects = ConformanceChecker.rejectedLines(FIXTURE);
    PAssert.thatSingleton(r.getFailures().apply(Count.globally())).isEqualTo((long) rejects.size());
    PAssert.thatSingleton(r.getSegments()
        .apply(MapElements.into(TypeDescriptors.longs()).via(Segment::rows))
        .apply(Sum.longsGlobally())).isEqualTo(lines.size() - (long) rejects.size());
    // every file of the Import API's groups is a Beam path in the data folder
    String folder = r.getDataPath() + "/";
    PAssert.that(r.getBatchFiles().apply(Flatten.iterables())).satisfies(files -> {
      for (String f : files) {
        assertTrue(f.startsWith(folder), f);
      }
      return null;
    });
    PipelineResult result = p.run();
    assertEquals(PipelineResult.State.DONE, result.waitUntilFinish());

    String dataPath = r.getDataPath();
    String prefix = "azfs://" + AzureTestServer.ACCOUNT + "/" + container.getBlobContainerName() + "/";
    assertTrue(dataPath.startsWith(prefix + "beam/out/"), dataPath);
    String key = dataPath.substring(prefix.length());

    // only the data folder and its manifest: no temp blobs left
    List<String> blobs = AzureTestServer.list(container);
    List<String> other = new ArrayList<>();
    int data = 0;
    for (String b : blobs) {
      if (b.startsWith(key + "/") && b.endsWith(".parquet")) {
        data++;
      } else if (!b.equals(key + ".manifest.json")) {
        other.add(b);
      }
    }
    assertEquals(List.of(), other, "left behind: " + blobs);
    assertTrue(data > 1, "several segments: " + blobs);
    assertTrue(blobs.contains(key + ".manifest.json"), blobs.toString());

    Path local = AzureTestServer.download(container, key, tmp.resolve("data"));
    ConformanceChecker.Result check = ConformanceChecker.check(FIXTURE, local.toString(), "parquet");
    assertEquals(0, check.exit, check.toString());
    assertTrue(check.lastLine().endsWith("problems=0"), check.toString());
  }

  /** Only {@code --azureConnectionString}, as a pymilvus user gives it: no client factory named. */
  @Test
  void aConnectionStringInThePipelineOptionsIsEnough(AzureTestServer azurite) throws Exception {
    BlobContainerClient container = azurite.newContainer("connstr");
    PipelineOptions options = PipelineOptionsFactory.fromArgs(
        "--azureConnectionString=" + azurite.connectionString()).create();
    options.setRunner(DirectRunner.class);
    Pipeline p = Pipeline.create(options);
    CollectionSchema schema =
        SchemaJson.read(ConformanceChecker.fixture(FIXTURE).resolve("schema.json"));
    List<String> lines = Files.readAllLines(ConformanceChecker.fixture(FIXTURE).resolve("rows.jsonl"));
    String output = "azfs://" + AzureTestServer.ACCOUNT + "/" + container.getBlobContainerName()
        + "/cs/out";
    p.apply(Create.of(lines))
        .apply(MilvusIO.writeJson().withSchema(schema).to(output).withFileType(FileType.JSON)
            .withDataFolderName("d1"));
    assertEquals(PipelineResult.State.DONE, p.run().waitUntilFinish());

    Path local = AzureTestServer.download(container, "cs/out/d1", tmp.resolve("cs"));
    ConformanceChecker.Result check = ConformanceChecker.check(FIXTURE, local.toString(), "json");
    assertEquals(0, check.exit, check.toString());
    assertTrue(check.lastLine().endsWith("problems=0"), check.toString());
  }
}
