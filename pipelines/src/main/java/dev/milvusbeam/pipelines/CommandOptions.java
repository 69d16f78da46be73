package dev.milvusbeam.pipelines;

import java.io.IOException;
import java.net.URL;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
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
 * flags with all of them, and rebuilds Beam's registry first when a command before it in this JVM
 * (in tests) narrowed it. A shaded jar merges all service files into one, which is then kept
 * whole: slower, never wrong.
 */
final class CommandOptions {
  private static final String OPTIONS_SERVICE =
      "META-INF/services/" + PipelineOptionsRegistrar.class.getName();
  private static final String RUNNERS_SERVICE =
      "META-INF/services/" + PipelineRunnerRegistrar.class.getName();
  /** Jars whose registrars only a pipeline needs: the runners and Beam's GCP connectors. */
  private static final List<String> PIPELINE_JARS =
      List.of("/beam-runners-", "/beam-sdks-java-io-google-cloud-platform-");

  private CommandOptions() {}

  /** {@code convert}'s flags: every runner and its options (any Beam option passes through). */
  static synchronized <T extends PipelineOptions> T forPipeline(String[] flags, Class<T> type) {
    if (!runnersRegistered()) { // narrowed by a command before this one in the same JVM
      PipelineOptionsFactory.resetCache();
    }
    return parse(flags, type);
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
    Thread thread = Thread.currentThread();
    ClassLoader context = thread.getContextClassLoader();
    ClassLoader parent = context != null ? context : CommandOptions.class.getClassLoader();
    thread.setContextClassLoader(new WithoutPipelineRegistrars(parent));
    try {
      // the first use of PipelineOptionsFactory in this JVM builds its registry with the loader
      // above; when something already built it, it stays as it is
      return parse(flags, type);
    } finally {
      thread.setContextClassLoader(context);
    }
  }

  private static boolean runnersRegistered() {
    return PipelineOptionsFactory.getRegisteredOptions().stream()
        .anyMatch(c -> c.getName().startsWith("org.apache.beam.runners."));
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

  /** Hides the pipeline jars' options and runner registrars from {@code ServiceLoader}. */
  private static final class WithoutPipelineRegistrars extends ClassLoader {
    WithoutPipelineRegistrars(ClassLoader parent) {
      super(parent);
    }

    @Override
    public Enumeration<URL> getResources(String name) throws IOException {
      Enumeration<URL> all = super.getResources(name);
      if (!name.equals(OPTIONS_SERVICE) && !name.equals(RUNNERS_SERVICE)) {
        return all;
      }
      List<URL> kept = new ArrayList<>();
      for (URL url : Collections.list(all)) {
        String u = url.toString();
        if (PIPELINE_JARS.stream().noneMatch(u::contains)) {
          kept.add(url);
        }
      }
      return Collections.enumeration(kept);
    }
  }
}
