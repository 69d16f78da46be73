package dev.milvusbeam.pipelines;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class RunnerDefaultsTest {
  private static final int CORES = Runtime.getRuntime().availableProcessors();

  private static List<String> defaults(String sparkSubmitMaster, String... flags) {
    return List.of(RunnerDefaults.forConvert(flags, sparkSubmitMaster));
  }

  @Test
  void withoutARunnerConvertRunsOnEmbeddedFlinkWithOneWorkerPerCore() {
    assertEquals(List.of("--input=x", "--runner=FlinkRunner", "--flinkMaster=[local]",
        "--parallelism=" + CORES), defaults(null, "--input=x"));
    assertEquals(List.of("--parallelism=3", "--runner=FlinkRunner", "--flinkMaster=[local]"),
        defaults(null, "--parallelism=3"));
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
}
