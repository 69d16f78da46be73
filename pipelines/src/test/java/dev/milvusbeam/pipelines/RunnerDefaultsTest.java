package dev.milvusbeam.pipelines;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class RunnerDefaultsTest {
  private static final int CORES = Runtime.getRuntime().availableProcessors();

  private static List<String> defaults(String sparkSubmitMaster, String... flags) {
    return List.of(RunnerDefaults.forConvert(flags, sparkSubmitMaster, () -> "CONF"));
  }

  @Test
  void withoutARunnerConvertRunsOnTheDirectRunnerWithOneThreadPerCore() {
    assertEquals(List.of("--input=x", "--runner=DirectRunner", "--targetParallelism=" + CORES),
        defaults(null, "--input=x"));
    assertEquals(List.of("--targetParallelism=7", "--runner=DirectRunner"),
        defaults(null, "--targetParallelism=7"));
    assertEquals(List.of("--dedupe=false", "--runner=DirectRunner",
        "--targetParallelism=" + CORES), defaults(null, "--dedupe=false"));
  }

  @Test
  void deduplicationOrAFlinkFlagWithoutARunnerRunsOnEmbeddedFlinkWithOneWorkerPerCore() {
    assertEquals(List.of("--input=x", "--dedupe", "--runner=FlinkRunner", "--flinkMaster=[local]",
        "--parallelism=" + CORES, "--flinkConfDir=CONF"), defaults(null, "--input=x", "--dedupe"));
    assertEquals(List.of("--dedupe=true", "--runner=FlinkRunner", "--flinkMaster=[local]",
        "--parallelism=" + CORES, "--flinkConfDir=CONF"), defaults(null, "--dedupe=true"));
    assertEquals(List.of("--parallelism=3", "--runner=FlinkRunner", "--flinkMaster=[local]",
        "--flinkConfDir=CONF"), defaults(null, "--parallelism=3"));
    assertEquals(List.of("--flinkMaster=host:8081", "--runner=FlinkRunner",
        "--parallelism=" + CORES), defaults(null, "--flinkMaster=host:8081"));
  }

  @Test
  void embeddedFlinkGetsItsConfigurationFolderUnlessOneIsGiven() {
    assertEquals(List.of("--runner=FlinkRunner", "--flinkMaster=[local]", "--flinkConfDir=CONF"),
        defaults(null, "--runner=FlinkRunner", "--flinkMaster=[local]"));
    assertEquals(List.of("--flinkConfDir=/mine", "--runner=FlinkRunner", "--flinkMaster=[local]",
        "--parallelism=" + CORES), defaults(null, "--flinkConfDir=/mine"));
    // FLINK_CONF_DIR set: no supplier
    assertEquals(List.of("--runner=FlinkRunner", "--flinkMaster=[local]"),
        List.of(RunnerDefaults.forConvert(new String[] {"--runner=FlinkRunner",
            "--flinkMaster=[local]"}, null, null)));
    // a cluster ([auto] under flink run, or host:port) reads its own configuration
    assertEquals(List.of("--runner=FlinkRunner"), defaults(null, "--runner=FlinkRunner"));
  }

  @Test
  void theEmbeddedConfigurationFolderSwitchesDelegationTokensOff() throws Exception {
    java.nio.file.Path dir = java.nio.file.Path.of(EmbeddedFlinkConf.dir());
    for (String name : new String[] {"config.yaml", "flink-conf.yaml"}) {
      assertEquals("security.delegation.tokens.enabled: false\n",
          java.nio.file.Files.readString(dir.resolve(name)));
    }
  }

  @Test
  void sparkWithoutAMasterRunsInThisJvmWithOneWorkerPerCore() {
    assertEquals(List.of("--runner=SparkRunner", "--sparkMaster=local[" + CORES + "]"),
        defaults(null, "--runner=SparkRunner"));
  }

  @Test
  void sparkSubmitsMasterAndAGivenMasterAreLeftAlone() {
    assertEquals(List.of("--runner=SparkRunner"),
        defaults("spark://127.0.0.1:7077", "--runner=SparkRunner"));
    assertEquals(List.of("--runner=SparkRunner", "--sparkMaster=local[1]"),
        defaults(null, "--runner=SparkRunner", "--sparkMaster=local[1]"));
  }

  @Test
  void otherRunnersKeepTheirOwnFlags() {
    assertEquals(List.of("--runner=DirectRunner"), defaults(null, "--runner=DirectRunner"));
    assertEquals(List.of("--runner=FlinkRunner", "--flinkMaster=host:8081"),
        defaults("spark://ignored:7077", "--runner=FlinkRunner", "--flinkMaster=host:8081"));
  }

  @Test
  void sparkIsRefusedFromJava23OnSayingWhy() {
    ConvertSettings.checkJavaForRunner("SparkRunner", 17);
    ConvertSettings.checkJavaForRunner("FlinkRunner", 25);
    UsageException e = org.junit.jupiter.api.Assertions.assertThrows(UsageException.class,
        () -> ConvertSettings.checkJavaForRunner("SparkRunner", 25));
    org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().startsWith(
        "--runner=SparkRunner needs Java 17") && e.getMessage().contains("this is Java 25"),
        e.getMessage());
  }
}
