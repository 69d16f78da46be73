package dev.milvusbeam.io.importing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Written paths → what the Import API takes. */
class PathMappingTest {
  @Test
  void objectKeysDropSchemeAndBucket() {
    PathMapping m = PathMapping.objectKeys();
    assertEquals("imports/u/1.parquet", m.map("s3://a-bucket/imports/u/1.parquet"));
    assertEquals("imports/u/1.parquet", m.map("gs://a-bucket/imports/u/1.parquet"));
    assertEquals("imports/u/1.parquet", m.map("azfs://account/container/imports/u/1.parquet"));
    assertEquals(List.of("u/2/id.npy", "u/2/vector.npy"),
        m.mapGroup(List.of("s3://b/u/2/id.npy", "s3://b/u/2/vector.npy")));
  }

  @Test
  void bucketAndRootPathAreChecked() {
    PathMapping m = PathMapping.objectKeys().withBucket("a-bucket").withRootPath("/files/");
    assertEquals("u/1.json", m.map("s3://a-bucket/files/u/1.json"));
    IllegalArgumentException other = assertThrows(IllegalArgumentException.class,
        () -> m.map("s3://other/files/u/1.json"));
    assertTrue(other.getMessage().contains("not in Milvus' bucket 'a-bucket'"), other.getMessage());
    IllegalArgumentException outside = assertThrows(IllegalArgumentException.class,
        () -> m.map("s3://a-bucket/elsewhere/u/1.json"));
    assertTrue(outside.getMessage().contains("root path 'files/'"), outside.getMessage());
    assertEquals("u/1.json", PathMapping.objectKeys().withBucket("container")
        .map("azfs://account/container/u/1.json"));
  }

  @Test
  void localPathsNeedAnExplicitMapping() {
    for (String local : new String[] {"/tmp/out/u/1.parquet", "out/u/1.parquet",
        "file:///tmp/out/u/1.parquet"}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> PathMapping.objectKeys().map(local));
      assertTrue(e.getMessage().contains("is a local path")
          && e.getMessage().contains("--pathMap="), e.getMessage());
      assertThrows(IllegalArgumentException.class, () -> PathMapping.objectUrls().map(local));
    }
    PathMapping m = PathMapping.objectKeys().withPrefixReplaced("/mnt/minio/a-bucket/", "");
    assertEquals("imports/u/1.parquet", m.map("/mnt/minio/a-bucket/imports/u/1.parquet"));
    assertEquals("x/u/1.parquet", PathMapping.objectKeys().withPrefixReplaced("/tmp/out", "/x")
        .map("/tmp/out/u/1.parquet"));
  }

  @Test
  void prefixReplacementComesFirstInOrder() {
    PathMapping m = PathMapping.objectUrls()
        .withPrefixReplaced("s3://b/", "https://b.s3.us-west-2.amazonaws.com/")
        .withPrefixReplaced("s3://", "never/");
    assertEquals("https://b.s3.us-west-2.amazonaws.com/u/1.json", m.map("s3://b/u/1.json"));
    assertEquals("never/c/u/1.json", m.map("s3://c/u/1.json"));
  }

  @Test
  void objectUrlsKeepCloudUrlsAndTurnNumpyGroupsIntoFolders() {
    PathMapping m = PathMapping.objectUrls();
    assertEquals(List.of("s3://b/u/1.parquet"), m.mapGroup(List.of("s3://b/u/1.parquet")));
    assertEquals(List.of("gs://b/u/1/"), m.mapGroup(List.of("gs://b/u/1/id.npy",
        "gs://b/u/1/v.npy")));
    assertEquals("https://acct.blob.core.windows.net/cont/u/1.json",
        m.map("azfs://acct/cont/u/1.json"));
    assertThrows(IllegalArgumentException.class, () -> m.mapGroup(List.of("s3://b/u/1/id.npy",
        "s3://b/u/2/v.npy")));
  }

  @Test
  void asWrittenKeepsKeys() {
    assertEquals("imports/u/1.parquet", PathMapping.asWritten().map("imports/u/1.parquet"));
    assertThrows(IllegalArgumentException.class, () -> PathMapping.asWritten().mapGroup(List.of()));
  }

  @Test
  void naturalOrderPutsSegmentTwoBeforeTen() {
    assertTrue(MilvusImport.natural("u/2.parquet", "u/10.parquet") < 0);
    assertTrue(MilvusImport.natural("u/10/id.npy", "u/9/id.npy") > 0);
    assertEquals(0, MilvusImport.natural("u/1.json", "u/1.json"));
    assertTrue(MilvusImport.natural("u/1.json", "u/1.jsonl") < 0);
  }
}
