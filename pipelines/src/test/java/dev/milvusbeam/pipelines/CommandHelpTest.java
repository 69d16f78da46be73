package dev.milvusbeam.pipelines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.milvusbeam.io.ConformanceChecker;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The usage and {@code help <command>} come from the options' own annotations. */
class CommandHelpTest {
  /**
   * Every getter of the command's options that this project declares (found here by plain
   * reflection, not by {@link CommandHelp}): a flag without a description fails.
   */
  static Map<String, Method> ownFlags(Class<?> options) {
    Map<String, Method> flags = new TreeMap<>();
    for (Method m : options.getMethods()) {
      boolean ours = m.getDeclaringClass().getPackageName().equals("dev.milvusbeam.pipelines");
      if (ours && m.getName().startsWith("get") && m.getParameterCount() == 0) {
        String n = m.getName().substring(3);
        flags.put(Character.toLowerCase(n.charAt(0)) + n.substring(1), m);
      }
    }
    return flags;
  }

  private static String oneLine(String s) {
    return s.replaceAll("\\s+", " ");
  }

  @ParameterizedTest
  @ValueSource(strings = {"convert", "import", "verify", "demo"})
  void helpListsEveryFlagWithItsDescriptionAndDefault(String command) {
    Class<?> options = BulkWriterCli.COMMANDS.get(command);
    ConformanceChecker.Result r = Conformance.cli("help", command);
    assertEquals(0, r.exit, r.toString());
    String help = oneLine(r.out);
    Map<String, Method> flags = ownFlags(options);
    assertTrue(flags.size() >= 6, flags.keySet().toString());
    for (Map.Entry<String, Method> f : flags.entrySet()) {
      Description d = f.getValue().getAnnotation(Description.class);
      assertNotNull(d, "--" + f.getKey() + " has no @Description");
      assertTrue(d.value().length() > 15, "--" + f.getKey() + ": say what it is: " + d.value());
      assertTrue(help.contains(" --" + f.getKey() + "=") || help.contains(" --" + f.getKey() + "["),
          "--" + f.getKey() + " listed: " + r.out);
      assertTrue(help.contains(oneLine(d.value())), "--" + f.getKey() + " described: " + r.out);
      Default.String s = f.getValue().getAnnotation(Default.String.class);
      Default.Integer i = f.getValue().getAnnotation(Default.Integer.class);
      String dflt = s != null ? (s.value().isEmpty() ? "\"\"" : s.value())
          : i != null ? String.valueOf(i.value()) : null;
      if (dflt != null) {
        String line = "--" + f.getKey() + "=<" + f.getValue().getReturnType().getSimpleName()
            + ">  (default: " + dflt + ")";
        assertTrue(r.out.contains(line), line + ": " + r.out);
      }
    }
    assertTrue(help.contains(oneLine(options.getAnnotation(Description.class).value())), r.out);
    // only our flags: Beam's own pass through but are not listed
    for (String beam : new String[] {"runner", "tempLocation", "jobName", "stableUniqueNames",
        "optionsId", "userAgent", "awsRegion"}) {
      assertFalse(r.out.lines().anyMatch(l -> l.startsWith("  --" + beam)), beam + ": " + r.out);
    }
    assertEquals(flags.size(), r.out.lines().filter(l -> l.startsWith("  --")).count(), r.out);
  }

  @Test
  void convertSaysThatBeamOptionsPassThrough() {
    String help = Conformance.cli("help", "convert").out;
    assertTrue(help.contains("Any Beam option passes through") && help.contains("--runner="),
        help);
    assertTrue(help.startsWith("usage: bulkwriter convert --"), help);
    // --schema or --schemaFrom: neither alone is required, Flags.schema checks that one is given
    for (String required : new String[] {"--input=<String>", "--output=<String>"}) {
      assertTrue(help.lines().findFirst().orElseThrow().contains(required), help);
    }
  }

  @Test
  void theUsageListsTheCommands() {
    ConformanceChecker.Result none = Conformance.cli();
    assertEquals(2, none.exit, none.toString());
    ConformanceChecker.Result help = Conformance.cli("help");
    assertEquals(0, help.exit, help.toString());
    assertEquals(none.err, help.out);
    for (String command : BulkWriterCli.COMMANDS.keySet()) {
      assertTrue(help.out.contains("bulkwriter " + command + " "), help.out);
    }
    assertTrue(help.out.contains("bulkwriter verify --dataPath=<String> --fileType=<String>"),
        help.out);
    assertTrue(help.out.contains("bulkwriter help <command>"), help.out);

    ConformanceChecker.Result unknown = Conformance.cli("frobnicate");
    assertEquals(2, unknown.exit, unknown.toString());
    assertTrue(unknown.err.contains("unknown command 'frobnicate'")
        && unknown.err.contains("bulkwriter convert"), unknown.err);
    assertEquals(2, Conformance.cli("help", "frobnicate").exit);
  }

  @Test
  void helpAsAFlagIsOurs() {
    ConformanceChecker.Result flag = Conformance.cli("verify", "--help");
    assertEquals(0, flag.exit, flag.toString());
    assertEquals(Conformance.cli("help", "verify").out, flag.out);
  }
}
