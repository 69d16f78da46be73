package dev.milvusbeam.pipelines;

import java.io.IOException;
import java.net.URL;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.options.PipelineOptionsRegistrar;
import org.apache.beam.sdk.runners.PipelineRunnerRegistrar;

/**
 * Reads a command's flags into its options interface, with the options Beam needs registered
 * and no more.
 *
 * <p>Beam's {@link PipelineOptionsFactory}, the first time a JVM uses it, registers the options of
 * every {@link PipelineOptionsRegistrar} and the runners of every {@link PipelineRunnerRegistrar}
 * on the classpath, and checks each interface by reflection. The runners' (Direct, Flink,
 * Dataflow, with hundreds of options) and Beam's Google Cloud connectors' (BigQuery, Pub/Sub,
 * Spanner, …) are most of the start-up of a small {@code demo} or {@code verify}: seconds for a
 * job of milliseconds. Commands that run no pipeline ({@code demo}, {@code verify}, {@code
 * import}) therefore read their flags with the registrars of those jars hidden; the file systems'
 * options (S3, Azure, GCS) stay, so every bucket flag works as before. {@code convert} reads its
 * flags with the registrars of the runner its {@code --runner} names (Direct, Flink, Spark,
 * Dataflow; Dataflow with Beam's GCP connectors) and of no other; with another runner, or one
 * named by its class, with all of them. Beam's registry is rebuilt when a command before in the
 * same JVM (in tests) left it holding other runners. A shaded jar merges all service files into
 * one, which is then kept whole: slower, never wrong.
 */
final class CommandOptions {
  private static final String OPTIONS_SERVICE =
      "META-INF/services/" + PipelineOptionsRegistrar.class.getName();
  private static final String RUNNERS_SERVICE =
      "META-INF/services/" + PipelineRunnerRegistrar.class.getName();
  /** Jars whose registrars only a pipeline needs: the runners and Beam's GCP connectors. */
  private static final List<String> PIPELINE_JARS =
      List.of("/beam-runners-", "/beam-sdks-java-io-google-cloud-platform-");
  /**
   * A runner known by its short name: the jars its registrars are in, and the package of its
   * options (to tell which runners a registry holds).
   */
  private record Runner(List<String> jars, String optionsPackage) {}

  /** The runners {@code --runner} can name by their short names. */
  private static final Map<String, Runner> RUNNERS = Map.of(
      "FlinkRunner", new Runner(List.of("/beam-runners-flink-"), "org.apache.beam.runners.flink."),
      "DirectRunner", new Runner(List.of("/beam-runners-direct-java-"),
          "org.apache.beam.runners.direct."),
      "SparkRunner", new Runner(List.of("/beam-runners-spark-"), "org.apache.beam.runners.spark."),
      "DataflowRunner", new Runner(List.of("/beam-runners-google-cloud-dataflow-java-",
          "/beam-sdks-java-io-google-cloud-platform-"), "org.apache.beam.runners.dataflow."));

  private CommandOptions() {}

  /**
   * {@code convert}'s flags (its {@code --runner} is always given, {@link RunnerDefaults}): that
   * runner's registrars and options, any Beam option of the jars kept passes through.
   */
  static synchronized <T extends PipelineOptions> T forPipeline(String[] flags, Class<T> type) {
    String name = runner(flags);
    Runner runner = name == null ? null : RUNNERS.get(name);
    if (runner == null) { // no runner, one by class name, or one we do not know: every registrar
      if (!RUNNERS.values().stream().allMatch(r -> registered(r.optionsPackage()))) {
        PipelineOptionsFactory.resetCache(); // a command before this one in this JVM narrowed it
      }
      return parse(flags, type);
    }
    return withRegistrarsHidden(url -> PIPELINE_JARS.stream().anyMatch(url::contains)
        && runner.jars().stream().noneMatch(url::contains), () -> {
          // the first use of the factory builds its registry with the loader that hides the
          // others; one built before (by a command before this one in this JVM) is rebuilt
          boolean fits = RUNNERS.values().stream().allMatch(
              r -> registered(r.optionsPackage()) == (r == runner));
          if (!fits) {
            PipelineOptionsFactory.resetCache();
          }
          return parse(flags, type);
        });
  }

  /** True when Beam's registry holds an options interface of this package. */
  private static boolean registered(String pkg) {
    return PipelineOptionsFactory.getRegisteredOptions().stream()
        .anyMatch(c -> c.getName().startsWith(pkg));
  }

  /** The value of the last {@code --runner=} flag, or null. */
  private static String runner(String[] flags) {
    String runner = null;
    for (String f : flags) {
      if (f.startsWith("--runner=")) {
        runner = f.substring("--runner=".length());
      }
    }
    return runner;
  }

  /**
   * Pins the AWS region of Beam's {@code s3://} file system when no flag names an {@code s3://}
   * path nor {@code --awsRegion}: that file system is set up by every pipeline
   * ({@code Pipeline.create}, {@code FileSystems.setDefaultPipelineOptions}), and without a
   * region its options ask the AWS SDK, whose last resort is the EC2 instance metadata service:
   * off EC2 that lookup waits for its time-outs, 0.7 s on our test machine, each time a pipeline
   * is created (more than a small conversion's whole Direct-runner run, and most of the gap between a
   * small {@code verify} or {@code import} and a fast start). A command that names
   * no {@code s3://} path builds no S3 client, so the region is never used; one that names any
   * keeps Beam's lookup (on EC2 that is where the region comes from). {@code --importTo} sets its
   * own region ({@link dev.milvusbeam.io.S3ConnectParam#applyTo}).
   */
  static <T extends PipelineOptions> T withoutRegionLookupUnlessS3(String[] flags, T options) {
    for (String f : flags) {
      if (f.startsWith("--awsRegion") || f.contains("s3://")) {
        return options;
      }
    }
    options.as(org.apache.beam.sdk.io.aws2.options.AwsOptions.class)
        .setAwsRegion(software.amazon.awssdk.regions.Region.AWS_GLOBAL);
    return options;
  }

  /** The flags of a command that runs no pipeline: the runners' registrars stay unread. */
  static synchronized <T extends PipelineOptions> T withoutPipelineRegistrars(String[] flags,
      Class<T> type) {
    // the first use of PipelineOptionsFactory in this JVM builds its registry with the loader
    // that hides them; when something already built it, it stays as it is
    return withRegistrarsHidden(url -> PIPELINE_JARS.stream().anyMatch(url::contains),
        () -> parse(flags, type));
  }

  /** Runs {@code parse} with the registrars of the jars {@code hidden} matches unseen. */
  private static <T> T withRegistrarsHidden(Predicate<String> hidden, Supplier<T> parse) {
    Thread thread = Thread.currentThread();
    ClassLoader context = thread.getContextClassLoader();
    ClassLoader parent = context != null ? context : CommandOptions.class.getClassLoader();
    thread.setContextClassLoader(new HidingRegistrars(parent, hidden));
    try {
      return parse.get();
    } finally {
      thread.setContextClassLoader(context);
    }
  }

  private static <T extends PipelineOptions> T parse(String[] flags, Class<T> type) {
    PipelineOptionsFactory.register(type);
    // the bucket file systems' flags (--awsRegion, --endpoint, --s3ClientFactoryClass,
    // --s3MaxRetries, --azureConnectionString, --blobstoreClientFactoryClass ...)
    PipelineOptionsFactory.register(org.apache.beam.sdk.io.aws2.options.S3Options.class);
    PipelineOptionsFactory.register(dev.milvusbeam.io.PathStyleS3ClientBuilderFactory.Options.class);
    PipelineOptionsFactory.register(org.apache.beam.sdk.io.azure.options.BlobstoreOptions.class);
    // --azureConnectionString alone is enough (no --blobstoreClientFactoryClass needed)
    return withoutRegionLookupUnlessS3(flags, dev.milvusbeam.io.AzureClientDefaults.apply(
        PipelineOptionsFactory.fromArgs(flags).withValidation().as(type)));
  }

  /** Hides some jars' options and runner registrars from {@code ServiceLoader}. */
  private static final class HidingRegistrars extends ClassLoader {
    private final Predicate<String> hidden;

    HidingRegistrars(ClassLoader parent, Predicate<String> hidden) {
      super(parent);
      this.hidden = hidden;
    }

    @Override
    public Enumeration<URL> getResources(String name) throws IOException {
      Enumeration<URL> all = super.getResources(name);
      if (!name.equals(OPTIONS_SERVICE) && !name.equals(RUNNERS_SERVICE)) {
        return all;
      }
      List<URL> kept = new ArrayList<>();
      for (URL url : Collections.list(all)) {
        if (!hidden.test(url.toString())) {
          kept.add(url);
        }
      }
      return Collections.enumeration(kept);
    }
  }
}
