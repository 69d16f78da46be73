package dev.milvusbeam.pipelines;

import dev.milvusbeam.io.importing.ImportException;
import java.io.PrintStream;
import java.util.Arrays;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/**
 * {@code bin/bulkwriter}: {@code convert}, {@code import}, {@code verify} and {@code demo}. Flags
 * are Beam's {@code --name=value} ({@link ConvertOptions}, {@link ImportOptions},
 * {@link VerifyOptions}, {@link DemoOptions}); each command reads them once, into its settings
 * ({@link ConvertSettings#from}, {@link ImportCommandSettings#from}, {@link VerifySettings#from},
 * {@link DemoSettings#from}), and runs on those. {@code verify} prints its own report and exits 1
 * when it finds problems ({@link Verify}). The last stdout line is the JSON {@link Summary};
 * progress and errors go to stderr. Exit 0 when the job ran (even with rejected rows), 2 for a
 * usage problem (bad flag, schema, input, or a file type the schema cannot use), 1 for a failure
 * while writing. {@code convert} is a Beam pipeline ({@link Convert}): any Beam option passes
 * through, e.g. {@code --runner=FlinkRunner --flinkMaster=[local] --parallelism=2}.
 */
public final class BulkWriterCli {
  private static final String USAGE = "usage: bulkwriter convert --schema=FILE --input=PATH_OR_GLOB"
      + " --output=DIR [--inputFormat=jsonl|csv|parquet] [--inputSep=,] [--inputNullKey=]"
      + " [--fileType=json|jsonl|parquet|numpy|csv] [--segmentSize=128MB] [--sep=,] [--nullKey=]"
      + " [--failures=PATH] [--numShards=0] [--importTo=URI --collection=NAME …]"
      + " [any Beam option, e.g. --runner=FlinkRunner]\n"
      + "       bulkwriter import --uri=URI --collection=NAME --dataPath=DIR|--manifest=FILE"
      + "|--batchFiles=JSON [--token=T] [--dbName=DB] [--partition=P] [--pathMap=FROM=TO]"
      + " [--clusterId=ID --apiKey=K --accessKey=AK --secretKey=SK] (bulkwriter help import)\n"
      + "       bulkwriter demo --output=DIR [--rows=10000] [--dim=768] [--fileType=parquet]\n"
      + "       bulkwriter verify --schema=FILE --dataPath=PATH"
      + " --fileType=json|jsonl|parquet|numpy|csv [--sep=,] [--nullKey=] [--maxShown=50]\n"
      + "       bulkwriter help convert|import|verify|demo";

  private BulkWriterCli() {}

  public static void main(String[] args) {
    quietLogs();
    System.exit(run(args, System.out, System.err));
  }

  /**
   * slf4j-simple defaults for a command line (each unless set with -D): warnings only, but the
   * Dataflow runner's job link, and not Beam's harmless "Failed to match temporary files" notice.
   */
  private static void quietLogs() {
    String p = "org.slf4j.simpleLogger.";
    System.getProperties().putIfAbsent(p + "defaultLogLevel", "warn");
    System.getProperties().putIfAbsent(p + "log.org.apache.beam.runners.dataflow", "info");
    System.getProperties().putIfAbsent(p + "log.org.apache.beam.sdk.io.FileBasedSink", "error");
    System.getProperties().putIfAbsent(p + "log.org.apache.pekko", "error");
    // Flink's notice that Beam's long operator names were shortened for its metrics
    System.getProperties().putIfAbsent(p + "log.org.apache.flink.metrics.MetricGroup", "error");
  }

  /** Runs a command; returns the exit code. */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    if (args.length == 0) {
      err.println(USAGE);
      return 2;
    }
    String command = args[0];
    String[] flags = Arrays.copyOfRange(args, 1, args.length);
    try {
      Summary summary;
      switch (command) {
        case "convert":
          summary = Convert.run(ConvertSettings.from(
              parse(RunnerDefaults.forConvert(flags), ConvertOptions.class)), err);
          break;
        case "demo":
          summary = Demo.run(DemoSettings.from(parse(flags, DemoOptions.class)), err);
          break;
        case "import": {
          ImportCommand.Report report = ImportCommand.run(
              ImportCommandSettings.from(parse(flags, ImportOptions.class)), err);
          out.println(report.toJson());
          out.flush();
          return failed(report.failure, err);
        }
        case "verify": // prints its own report and summary; 0 clean, 1 problems found
          return Verify.run(VerifySettings.from(parse(flags, VerifyOptions.class)), out, err);
        case "help":
        case "--help":
          String topic = flags.length > 0 ? flags[0] : "convert";
          PipelineOptionsFactory.printHelp(out, topic.equals("demo") ? DemoOptions.class
              : topic.equals("import") ? ImportOptions.class
              : topic.equals("verify") ? VerifyOptions.class : ConvertOptions.class);
          out.println(USAGE);
          return 0;
        default:
          err.println("bulkwriter: unknown command '" + command + "'\n" + USAGE);
          return 2;
      }
      out.println(summary.toJson());
      out.flush();
      return failed(summary.importFailure(), err);
    } catch (UsageException e) {
      err.println("bulkwriter: " + e.getMessage());
      return 2;
    } catch (IllegalArgumentException e) { // Beam's flag parsing and validation
      err.println("bulkwriter: " + firstLine(e.getMessage()));
      return 2;
    } catch (ImportException e) { // refused by the server, or unreachable: its message says why
      err.println("bulkwriter: import failed: " + e.getMessage());
      return 1;
    } catch (Exception e) {
      err.println("bulkwriter: failed: " + e);
      return 1;
    }
  }

  /** Exit 1 with the reason after the summary line when an import job failed (not routed). */
  private static int failed(String importFailure, PrintStream err) {
    if (importFailure == null) {
      return 0;
    }
    err.println("bulkwriter: import failed: " + importFailure);
    return 1;
  }

  static <T extends PipelineOptions> T parse(String[] flags, Class<T> type) {
    PipelineOptionsFactory.register(type);
    // the bucket file systems' flags (--awsRegion, --endpoint, --s3ClientFactoryClass,
    // --s3MaxRetries, --azureConnectionString, --blobstoreClientFactoryClass ...)
    PipelineOptionsFactory.register(org.apache.beam.sdk.io.aws2.options.S3Options.class);
    PipelineOptionsFactory.register(dev.milvusbeam.io.PathStyleS3ClientBuilderFactory.Options.class);
    PipelineOptionsFactory.register(org.apache.beam.sdk.io.azure.options.BlobstoreOptions.class);
    return PipelineOptionsFactory.fromArgs(flags).withValidation().as(type);
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "invalid arguments";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
