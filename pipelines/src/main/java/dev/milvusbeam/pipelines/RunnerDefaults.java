package dev.milvusbeam.pipelines;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

/**
 * The runner {@code convert} uses when the command line names none: Beam's Direct runner in the
 * command's own JVM, one thread per core ({@code --runner=DirectRunner
 * --targetParallelism=<cores>}; {@link ConvertSettings} switches its test-only element checks off and deals the input chunks into
 * one bundle per thread). Chosen by measurement (README, "Which runner"): since the chunks are
 * read inside the writing step it keeps memory flat, and it starts no cluster, which made it the
 * fastest on every input measured. Two cases keep embedded Flink ({@code --runner=FlinkRunner
 * --flinkMaster=[local]}, one worker per core), whose shuffle spills to disk where the Direct
 * runner holds everything in memory: {@code --dedupe} (every row is grouped by primary key), and
 * a command line that gives a Flink flag ({@code --parallelism}, {@code --flinkMaster}, {@code
 * --flinkConfDir}). Any {@code --runner=…} given wins, with its own flags untouched, except that
 * {@code --runner=SparkRunner} without {@code --sparkMaster} runs Spark in this JVM with one worker
 * per core ({@code local[<cores>]}, where Beam's own default is {@code local[4]}) — unless the
 * command runs under {@code spark-submit}, whose master ({@code spark.master}) is the one to use.
 * Embedded Flink gets its configuration folder ({@link EmbeddedFlinkConf}) unless {@code
 * --flinkConfDir} or {@code FLINK_CONF_DIR} names one.
 */
final class RunnerDefaults {
  private RunnerDefaults() {}

  static String[] forConvert(String[] flags) {
    return forConvert(flags, System.getProperty("spark.master"),
        System.getenv("FLINK_CONF_DIR") != null ? null : EmbeddedFlinkConf::dir);
  }

  /**
   * @param sparkSubmitMaster the master spark-submit set for this JVM, or null
   * @param embeddedFlinkConf the configuration folder of embedded Flink when the flags name none
   *     ({@link EmbeddedFlinkConf}); null when the environment gives one
   */
  static String[] forConvert(String[] flags, String sparkSubmitMaster,
      Supplier<String> embeddedFlinkConf) {
    int cores = Runtime.getRuntime().availableProcessors();
    List<String> all = new ArrayList<>(Arrays.asList(flags));
    boolean embeddedFlink = !has(flags, "runner") && (dedupe(flags) || has(flags, "parallelism")
        || has(flags, "flinkMaster") || has(flags, "flinkConfDir"));
    if (!has(flags, "runner") && !embeddedFlink) {
      all.add("--runner=DirectRunner");
      if (!has(flags, "targetParallelism")) {
        all.add("--targetParallelism=" + cores);
      }
      return all.toArray(new String[0]);
    }
    if (embeddedFlink) {
      all.add("--runner=FlinkRunner");
      if (!has(flags, "flinkMaster")) {
        all.add("--flinkMaster=[local]");
      }
      if (!has(flags, "parallelism")) {
        all.add("--parallelism=" + cores);
      }
    }
    boolean flink = embeddedFlink || value(flags, "runner").equals("FlinkRunner");
    boolean local = has(flags, "flinkMaster") ? value(flags, "flinkMaster").equals("[local]")
        : embeddedFlink;
    if (flink && local && !has(flags, "flinkConfDir") && embeddedFlinkConf != null) {
      all.add("--flinkConfDir=" + embeddedFlinkConf.get());
    }
    if (!has(flags, "runner")) {
      return all.toArray(new String[0]);
    } else if (value(flags, "runner").equals("SparkRunner") && !has(flags, "sparkMaster")
        && sparkSubmitMaster == null) {
      all.add("--sparkMaster=local[" + cores + "]");
    }
    return all.toArray(new String[0]);
  }

  /** {@code --dedupe} or {@code --dedupe=true}. */
  private static boolean dedupe(String[] flags) {
    String v = value(flags, "dedupe");
    return v != null && !v.equalsIgnoreCase("false");
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
