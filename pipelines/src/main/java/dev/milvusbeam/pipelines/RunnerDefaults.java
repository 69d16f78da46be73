package dev.milvusbeam.pipelines;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The runner {@code convert} uses when the command line names none: Flink embedded in the
 * command's own JVM ({@code --runner=FlinkRunner --flinkMaster=[local]}), one worker per core.
 * Chosen by measurement (README, "Which runner"): it fuses reading, validating and writing into
 * one chain per worker and keeps memory flat, where Beam's Direct runner, a testing runner, holds
 * every step's output in memory before the next step runs. Any {@code --runner=…} given wins, with
 * its own flags untouched, except that {@code --runner=SparkRunner} without {@code --sparkMaster}
 * runs Spark in this JVM with one worker per core ({@code local[<cores>]}, where Beam's own default
 * is {@code local[4]}) — unless the command runs under {@code spark-submit}, whose master
 * ({@code spark.master}) is the one to use.
 */
final class RunnerDefaults {
  private RunnerDefaults() {}

  static String[] forConvert(String[] flags) {
    return forConvert(flags, System.getProperty("spark.master"));
  }

  /** @param sparkSubmitMaster the master spark-submit set for this JVM, or null */
  static String[] forConvert(String[] flags, String sparkSubmitMaster) {
    int cores = Runtime.getRuntime().availableProcessors();
    List<String> all = new ArrayList<>(Arrays.asList(flags));
    if (!has(flags, "runner")) {
      all.add("--runner=FlinkRunner");
      if (!has(flags, "flinkMaster")) {
        all.add("--flinkMaster=[local]");
      }
      if (!has(flags, "parallelism")) {
        all.add("--parallelism=" + cores);
      }
    } else if (value(flags, "runner").equals("SparkRunner") && !has(flags, "sparkMaster")
        && sparkSubmitMaster == null) {
      all.add("--sparkMaster=local[" + cores + "]");
    }
    return all.toArray(new String[0]);
  }

  private static boolean has(String[] flags, String name) {
    return value(flags, name) != null;
  }

  /** The flag's value ({@code --name=value}; "" for a bare {@code --name}), or null. */
  private static String value(String[] flags, String name) {
    for (String f : flags) {
      if (f.startsWith("--" + name + "=")) {
        return f.substring(name.length() + 3);
      }
      if (f.equals("--" + name)) {
        return "";
      }
    }
    return null;
  }
}
