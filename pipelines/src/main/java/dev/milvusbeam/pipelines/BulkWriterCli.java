package dev.milvusbeam.pipelines;

import dev.milvusbeam.io.importing.ImportException;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * {@code bin/bulkwriter}: {@code convert}, {@code import}, {@code verify} and {@code demo}. Flags
 * are Beam's {@code --name=value} ({@link ConvertOptions}, {@link ImportOptions},
 * {@link VerifyOptions}, {@link DemoOptions}); each command reads them once, into its settings
 * ({@link ConvertSettings#from}, {@link ImportCommandSettings#from}, {@link VerifySettings#from},
 * {@link DemoSettings#from}), and runs on those. The usage and {@code help <command>} are the
 * options' own {@code @Description}s ({@link CommandHelp}). {@code verify} prints its own report
 * and exits 1 when it finds problems ({@link Verify}). The last stdout line is the JSON
 * {@link Summary}; progress and errors go to stderr. Exit 0 when the job ran (even with rejected
 * rows), 2 for a usage problem (bad flag, schema, input, or a file type the schema cannot use), 1
 * for a failure while writing, or after the summary when input files could not be read (the
 * others are converted). {@code convert} is a Beam pipeline ({@link Convert}): any Beam
 * option passes through, e.g. {@code --runner=FlinkRunner --flinkMaster=[local] --parallelism=2}.
 */
public final class BulkWriterCli {
  /** The commands and their flags, in the order the usage lists them. */
  static final Map<String, Class<? extends PipelineOptions>> COMMANDS = commands();

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

  private static Map<String, Class<? extends PipelineOptions>> commands() {
    Map<String, Class<? extends PipelineOptions>> c = new LinkedHashMap<>();
    c.put("convert", ConvertOptions.class);
    c.put("import", ImportOptions.class);
    c.put("verify", VerifyOptions.class);
    c.put("demo", DemoOptions.class);
    return Collections.unmodifiableMap(c);
  }

  /** Runs a command; returns the exit code. */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    if (args.length == 0) {
      err.print(CommandHelp.usage(COMMANDS));
      return 2;
    }
    String command = args[0];
    String[] flags = Arrays.copyOfRange(args, 1, args.length);
    if (command.equals("help") || command.equals("--help") || command.equals("-h")) {
      return help(flags.length > 0 ? flags[0] : null, out, err);
    }
    if (!COMMANDS.containsKey(command)) {
      err.print("bulkwriter: unknown command '" + command + "'\n" + CommandHelp.usage(COMMANDS));
      return 2;
    }
    if (Arrays.stream(flags).anyMatch(f -> f.equals("--help") || f.startsWith("--help="))) {
      return help(command, out, err); // not Beam's, which lists all of its options and exits
    }
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
        default:
          throw new IllegalStateException("no such command " + command);
      }
      out.println(summary.toJson());
      out.flush();
      if (summary.unreadable() > 0) { // the other files are converted; these need a look
        err.println("bulkwriter: " + summary.unreadable() + " input file(s) could not be read"
            + " (rule unreadable-input in " + summary.failuresPath() + ")");
        failed(summary.importFailure(), err);
        return 1;
      }
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

  /** {@code help}: the usage; {@code help <command>}: every flag of the command. */
  private static int help(String topic, PrintStream out, PrintStream err) {
    if (topic == null) {
      out.print(CommandHelp.usage(COMMANDS));
      out.flush();
      return 0;
    }
    Class<? extends PipelineOptions> options = COMMANDS.get(topic);
    if (options == null) {
      err.print("bulkwriter: no command '" + topic + "'\n" + CommandHelp.usage(COMMANDS));
      return 2;
    }
    out.print(CommandHelp.help(topic, options));
    out.flush();
    return 0;
  }

  /** Exit 1 with the reason after the summary line when an import job failed (not routed). */
  private static int failed(String importFailure, PrintStream err) {
    if (importFailure == null) {
      return 0;
    }
    err.println("bulkwriter: import failed: " + importFailure);
    return 1;
  }

  /** The flags of a command; {@code convert}'s with every runner ({@link CommandOptions}). */
  static <T extends PipelineOptions> T parse(String[] flags, Class<T> type) {
    return ConvertOptions.class.isAssignableFrom(type) ? CommandOptions.forPipeline(flags, type)
        : CommandOptions.withoutPipelineRegistrars(flags, type);
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "invalid arguments";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
