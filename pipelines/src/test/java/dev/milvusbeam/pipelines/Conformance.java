package dev.milvusbeam.pipelines;

import dev.milvusbeam.io.ConformanceChecker;
import dev.milvusbeam.io.ConformanceChecker.Result;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** The conformance checker (from io's tests) plus bin/bulkwriter run in-process. */
final class Conformance {
  static final com.fasterxml.jackson.databind.ObjectMapper JSON = ConformanceChecker.JSON;

  private Conformance() {}

  static java.nio.file.Path fixture(String name) {
    return ConformanceChecker.fixture(name);
  }

  static Result check(String fixture, String dataPath, String fileType, String... extra)
      throws java.io.IOException, InterruptedException {
    return ConformanceChecker.check(fixture, dataPath, fileType, extra);
  }

  static java.util.TreeSet<Integer> rejectedLines(String fixture) throws java.io.IOException {
    return ConformanceChecker.rejectedLines(fixture);
  }

  static long inputLines(String fixture) throws java.io.IOException {
    return ConformanceChecker.inputLines(fixture);
  }

  /** Runs bin/bulkwriter's main in-process. */
  static Result cli(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit = BulkWriterCli.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }
}
