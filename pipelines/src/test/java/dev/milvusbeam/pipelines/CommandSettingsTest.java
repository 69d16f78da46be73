package dev.milvusbeam.pipelines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.milvusbeam.core.format.FileType;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each command's flags are read in one place, its settings' {@code from(options)}: a bad value of
 * every flag that is parsed is refused there, with a message naming the flag and the value.
 */
class CommandSettingsTest {
  static final Path SEED = Conformance.fixture("seed");
  static final String[] CONVERT = {"--schema=" + SEED.resolve("schema.json"),
      "--input=" + SEED.resolve("rows.jsonl"), "--output=/tmp/never-written"};
  static final String[] IMPORT_TO = {"--importTo=http://localhost:1", "--collection=c",
      "--pathMap=/tmp/never-written/=x/"};
  static final String[] VERIFY = {"--schema=" + SEED.resolve("schema.json"),
      "--dataPath=/tmp/never-read", "--fileType=parquet"};
  static final String[] DEMO = {"--output=/tmp/never-written"};
  static final String[] IMPORT = {"--uri=http://localhost:1", "--collection=c",
      "--batchFiles=[[\"s3://b/u/1.parquet\"]]"};

  /** A command, its valid flags, the bad ones, and the flag and value the message must name. */
  static Arguments bad(String command, String[] valid, String flag, String value,
      String... badFlags) {
    return Arguments.of(command, Arrays.asList(join(valid, badFlags)), flag, value);
  }

  static Stream<Arguments> badValues() {
    String all = Conformance.fixture("all-types").resolve("schema.json").toString();
    return Stream.of(
        bad("convert", CONVERT, "fileType", "xml", "--fileType=xml"),
        bad("convert", CONVERT, "segmentSize", "big", "--segmentSize=big"),
        bad("convert", CONVERT, "segmentSize", "0", "--segmentSize=0"),
        bad("convert", CONVERT, "segmentSize", "20GB", "--segmentSize=20GB"),
        bad("convert", CONVERT, "sep", ";;", "--sep=;;"),
        bad("convert", CONVERT, "sep", "a", "--sep=a"),
        bad("convert", CONVERT, "nullKey", "a\"b", "--nullKey=a\"b"),
        bad("convert", CONVERT, "nullKey", "x;y", "--sep=;", "--nullKey=x;y"),
        bad("convert", CONVERT, "inputFormat", "xml", "--inputFormat=xml"),
        bad("convert", CONVERT, "inputSep", ";;", "--inputSep=;;"),
        bad("convert", CONVERT, "inputSep", "\"", "--inputSep=\""),
        bad("convert", CONVERT, "inputChunkSize", "0", "--inputChunkSize=0"),
        bad("convert", CONVERT, "inputChunkSize", "lots", "--inputChunkSize=lots"),
        bad("convert", CONVERT, "numShards", "-1", "--numShards=-1"),
        bad("convert", join(CONVERT, "--schema=/nope/schema.json"), "schema",
            "/nope/schema.json"),
        bad("convert", join(CONVERT, "--input=/nope/rows-*.jsonl"), "input",
            "/nope/rows-*.jsonl"),
        bad("convert", CONVERT, "fileType", "numpy", "--schema=" + all, "--fileType=numpy"),
        bad("convert", CONVERT, "collection", "", "--collection=c"),
        bad("convert", join(CONVERT, IMPORT_TO), "pollInterval", "soon", "--pollInterval=soon"),
        bad("convert", join(CONVERT, IMPORT_TO), "maxPollInterval", "0s",
            "--maxPollInterval=0s"),
        bad("convert", join(CONVERT, IMPORT_TO), "maxPollInterval", "1s",
            "--pollInterval=2s", "--maxPollInterval=1s"),
        bad("convert", join(CONVERT, IMPORT_TO), "waitTimeout", "-1s", "--waitTimeout=-1s"),
        bad("convert", join(CONVERT, IMPORT_TO), "retryBackoff", "0", "--retryBackoff=0"),
        bad("convert", join(CONVERT, IMPORT_TO), "maxRetries", "-1", "--maxRetries=-1"),
        bad("convert", join(CONVERT, IMPORT_TO), "importTimeout", "soon",
            "--importTimeout=soon"),
        bad("convert", join(CONVERT, IMPORT_TO), "importOptions", "novalue",
            "--importOptions=novalue"),
        bad("convert", join(CONVERT, IMPORT_TO), "pathMap", "noequals", "--pathMap=noequals"),
        bad("convert", join(CONVERT, "--importTo=http://localhost:1"), "collection", ""),

        bad("demo", DEMO, "rows", "-1", "--rows=-1"),
        bad("demo", DEMO, "dim", "0", "--dim=0"),
        bad("demo", DEMO, "fileType", "xml", "--fileType=xml"),
        bad("demo", DEMO, "segmentSize", "1XB", "--segmentSize=1XB"),
        bad("demo", DEMO, "sep", "", "--sep="),
        bad("demo", DEMO, "output", "s3://b/out", "--output=s3://b/out"),

        bad("verify", VERIFY, "fileType", "xml", "--fileType=xml"),
        bad("verify", VERIFY, "sep", ";;", "--sep=;;"),
        bad("verify", VERIFY, "nullKey", ",", "--nullKey=,"),
        bad("verify", VERIFY, "maxShown", "-1", "--maxShown=-1"),
        bad("verify", join(VERIFY, "--schema=/nope/schema.json"), "schema", "/nope/schema.json"),

        bad("import", IMPORT, "batchFiles", "[oops", "--batchFiles=[oops"),
        bad("import", IMPORT, "batchFiles", "", "--batchFiles=[1]"),
        bad("import", IMPORT, "pollInterval", "soon", "--pollInterval=soon"),
        bad("import", IMPORT, "waitTimeout", "later", "--waitTimeout=later"),
        bad("import", IMPORT, "maxRetries", "-2", "--maxRetries=-2"),
        bad("import", IMPORT, "sep", "ab", "--sep=ab"),
        bad("import", IMPORT, "nullKey", "a\nb", "--nullKey=a\nb"),
        bad("import", IMPORT, "importOptions", "x", "--importOptions=x"),
        bad("import", IMPORT, "pathMap", "=y", "--pathMap==y"),
        bad("import", IMPORT, "uri", "", "--uri="),
        bad("import", IMPORT, "dataPath", "", "--dataPath=/tmp/also"));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("badValues")
  void aBadValueIsRefusedNamingTheFlagAndTheValue(String command, List<String> args, String flag,
      String value) {
    UsageException e = assertThrows(UsageException.class, () -> settings(command, args),
        "refused: " + args);
    assertTrue(e.getMessage().contains("--" + flag), e.getMessage());
    assertTrue(e.getMessage().contains(value), e.getMessage());
  }

  @Test
  void defaultsAreAppliedOnce() {
    ConvertSettings c = (ConvertSettings) settings("convert", List.of(CONVERT));
    assertEquals(FileType.PARQUET, c.output().fileType());
    assertEquals(128L << 20, c.output().segmentSize());
    assertEquals(',', c.output().format().csvSeparator());
    assertEquals("", c.output().format().csvNullKey());
    assertEquals("/tmp/never-written", c.output().output());
    assertEquals(InputFormat.JSONL, c.inputFormat());
    assertEquals(32L << 20, c.inputChunkSize());
    assertEquals(0, c.numShards());
    assertEquals("/tmp/never-written/" + c.dataFolderName() + ".failures.jsonl", c.failures());
    assertNull(c.importing());

    ConvertSettings tab = (ConvertSettings) settings("convert", Arrays.asList(join(CONVERT,
        "--output=/o/", "--sep=\\t", "--inputSep=tab", "--segmentSize=1.5KB", "--fileType=CSV")));
    assertEquals('\t', tab.output().format().csvSeparator());
    assertEquals('\t', tab.inputSeparator());
    assertEquals(1536, tab.output().segmentSize());
    assertEquals(FileType.CSV, tab.output().fileType());
    assertEquals("/o/" + tab.dataFolderName(), tab.dataPath());

    VerifySettings v = (VerifySettings) settings("verify", List.of(VERIFY));
    assertEquals(50, v.maxShown());
    DemoSettings d = (DemoSettings) settings("demo", List.of(DEMO));
    assertEquals(10_000, d.rows());
    assertEquals(768, d.dim());
    assertEquals(42L, d.seed());
    ImportCommandSettings i = (ImportCommandSettings) settings("import", List.of(IMPORT));
    assertEquals(ImportCommandSettings.Source.BATCH_FILES, i.from());
    assertEquals(List.of(List.of("s3://b/u/1.parquet")), i.batchFiles());
    assertEquals(5, i.importing().timing().maxRetries());
  }

  /** The flags as the command line gives them, read into the command's settings. */
  static Object settings(String command, List<String> args) {
    String[] a = args.toArray(new String[0]);
    switch (command) {
      case "convert":
        return ConvertSettings.from(options(a, ConvertOptions.class));
      case "demo":
        return DemoSettings.from(options(a, DemoOptions.class));
      case "verify":
        return VerifySettings.from(options(a, VerifyOptions.class));
      case "import":
        return ImportCommandSettings.from(options(a, ImportOptions.class));
      default:
        throw new IllegalArgumentException(command);
    }
  }

  static <T extends PipelineOptions> T options(String[] args, Class<T> type) {
    return BulkWriterCli.parse(args, type);
  }

  /** The flags, a later one replacing an earlier one of the same name (as Beam would refuse). */
  static String[] join(String[] first, String... more) {
    List<String> out = new ArrayList<>(Arrays.asList(first));
    Function<String, String> name = f -> f.contains("=") ? f.substring(0, f.indexOf('=')) : f;
    for (String m : more) {
      out.removeIf(f -> name.apply(f).equals(name.apply(m)));
      out.add(m);
    }
    return out.toArray(new String[0]);
  }
}
