package dev.milvusbeam.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * Test access to ../shared/conformance: its fixtures and its independent checker (Python, numpy,
 * pyarrow), set up offline by its setup.sh. A missing checker fails the test: it must not silently
 * stop running.
 */
public final class ConformanceChecker {
  public static final ObjectMapper JSON = new ObjectMapper();
  private static String python;

  private ConformanceChecker() {}

  public static Path shared() {
    Path dir = Paths.get("").toAbsolutePath();
    for (Path p = dir; p != null; p = p.getParent()) {
      Path candidate = p.resolve("shared/conformance/check.py");
      if (Files.exists(candidate)) {
        return p.resolve("shared");
      }
      Path sibling = p.resolveSibling("shared").resolve("conformance/check.py");
      if (p.getParent() != null && Files.exists(sibling)) {
        return p.resolveSibling("shared");
      }
    }
    throw new AssertionError("../shared/conformance not found above " + dir);
  }

  public static Path fixture(String name) {
    return shared().resolve("conformance/fixtures").resolve(name);
  }

  /** The checker's python, from setup.sh (installs numpy + pyarrow offline on first use). */
  public static synchronized String python() throws IOException, InterruptedException {
    if (python == null) {
      Result r = exec(List.of("bash", shared().resolve("conformance/setup.sh").toString()), 600);
      assertEquals(0, r.exit, "conformance setup.sh failed: " + r.err);
      python = r.out.trim();
    }
    return python;
  }

  /** Runs check.py; returns its result (exit code, output). */
  public static Result check(String fixture, String dataPath, String fileType, String... extra)
      throws IOException, InterruptedException {
    Path fx = fixture(fixture);
    List<String> cmd = new ArrayList<>(List.of(python(),
        shared().resolve("conformance/check.py").toString(),
        "--schema", fx.resolve("schema.json").toString(),
        "--input", fx.resolve("rows.jsonl").toString(),
        "--rejects", fx.resolve("rejects.json").toString(),
        "--data-path", dataPath, "--file-type", fileType));
    cmd.addAll(List.of(extra));
    return exec(cmd, 300);
  }

  /** Runs check.py on {@code rows} (all valid) written with a fixture's schema. */
  public static Result checkRows(String fixture, List<String> rows, String dataPath,
      String fileType) throws IOException, InterruptedException {
    return checkRows(fixture(fixture).resolve("schema.json"), rows, dataPath, fileType);
  }

  /** Runs check.py on {@code rows} (all valid) written with the schema in {@code schemaFile}. */
  public static Result checkRows(Path schemaFile, List<String> rows, String dataPath,
      String fileType) throws IOException, InterruptedException {
    Path dir = Files.createTempDirectory("bw-rows");
    try {
      Files.write(dir.resolve("rows.jsonl"), rows);
      Files.writeString(dir.resolve("rejects.json"), "[]");
      return exec(List.of(python(), shared().resolve("conformance/check.py").toString(),
          "--schema", schemaFile.toString(),
          "--input", dir.resolve("rows.jsonl").toString(),
          "--rejects", dir.resolve("rejects.json").toString(),
          "--data-path", dataPath, "--file-type", fileType), 300);
    } finally {
      Files.deleteIfExists(dir.resolve("rows.jsonl"));
      Files.deleteIfExists(dir.resolve("rejects.json"));
      Files.deleteIfExists(dir);
    }
  }

  /** The 0-based input lines a fixture's rejects.json lists. */
  public static TreeSet<Integer> rejectedLines(String fixture) throws IOException {
    TreeSet<Integer> lines = new TreeSet<>();
    for (JsonNode n : JSON.readTree(fixture(fixture).resolve("rejects.json").toFile())) {
      lines.add(n.isInt() ? n.asInt() : n.get("line").asInt());
    }
    return lines;
  }

  public static long inputLines(String fixture) throws IOException {
    try (var s = Files.lines(fixture(fixture).resolve("rows.jsonl"))) {
      return s.filter(l -> !l.isBlank()).count();
    }
  }

  public static Result exec(List<String> cmd, long timeoutSeconds) throws IOException, InterruptedException {
    Path out = Files.createTempFile("bw-exec", ".out");
    Path err = Files.createTempFile("bw-exec", ".err");
    try {
      Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile())
          .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
      try {
        assertTrue(p.waitFor(timeoutSeconds, TimeUnit.SECONDS), "timed out: " + cmd);
      } finally {
        p.destroyForcibly(); // a no-op once it has ended; a test that fails stops what it started
      }
      return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }

  public static final class Result {
    public final int exit;
    public final String out;
    public final String err;

    public Result(int exit, String out, String err) {
      this.exit = exit;
      this.out = out;
      this.err = err;
    }

    public String lastLine() {
      String[] lines = out.strip().split("\n");
      return lines[lines.length - 1];
    }

    @Override
    public String toString() {
      return "exit " + exit + "\n--- stdout\n" + tail(out) + "\n--- stderr\n" + tail(err);
    }

    private static String tail(String s) {
      return s.length() > 6000 ? "..." + s.substring(s.length() - 6000) : s;
    }
  }
}
