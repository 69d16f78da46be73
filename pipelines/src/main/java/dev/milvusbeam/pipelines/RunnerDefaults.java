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
 * its own flags untouched.
 */
final class RunnerDefaults {
  private RunnerDefaults() {}

  static String[] forConvert(String[] flags) {
    if (has(flags, "runner")) {
      return flags;
    }
    List<String> all = new ArrayList<>(Arrays.asList(flags));
    all.add("--runner=FlinkRunner");
    if (!has(flags, "flinkMaster")) {
      all.add("--flinkMaster=[local]");
    }
    if (!has(flags, "parallelism")) {
      all.add("--parallelism=" + Runtime.getRuntime().availableProcessors());
    }
    return all.toArray(new String[0]);
  }

  private static boolean has(String[] flags, String name) {
    for (String f : flags) {
      if (f.equals("--" + name) || f.startsWith("--" + name + "=")) {
        return true;
      }
    }
    return false;
  }
}
