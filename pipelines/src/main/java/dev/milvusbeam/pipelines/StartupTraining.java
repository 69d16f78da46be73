package dev.milvusbeam.pipelines;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The run {@code bin/bulkwriter} records its class-data sharing archive from (with {@code
 * -XX:ArchiveClassesAtExit}): once per JDK and build, before the first command, so that the
 * classes every small command loads are mapped from the archive instead of being read, parsed
 * and verified from 370 jars at each start. It runs, in a temp folder it deletes, what a user's
 * first minutes run: {@code help}, {@code demo} of a few rows in each file type, {@code verify} of
 * each, an {@code import} against a closed local port (the HTTP client and JSON classes; it
 * fails at once, as expected), and a {@code convert} of a few JSON Lines rows to Parquet on the
 * default runner (Beam's pipeline construction and translation, embedded Flink: about 2 s of
 * every {@code convert}'s start when they are not in the archive). Output is discarded; exit 0
 * unless a demo, verify or convert failed.
 */
public final class StartupTraining {
  private static final List<String> FILE_TYPES = List.of("parquet", "json", "jsonl", "csv", "numpy");

  private StartupTraining() {}

  public static void main(String[] args) throws IOException {
    System.getProperties().putIfAbsent("org.slf4j.simpleLogger.defaultLogLevel", "error");
    Path dir = Files.createTempDirectory("bulkwriter-cds");
    PrintStream quiet = new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8);
    int failed = 0;
    try {
      Path schema = dir.resolve("schema.json");
      Files.writeString(schema, "{\"autoID\":false,\"enableDynamicField\":true,\"fields\":["
          + "{\"fieldName\":\"id\",\"dataType\":\"Int64\",\"isPrimary\":true},"
          + "{\"fieldName\":\"vector\",\"dataType\":\"FloatVector\",\"elementTypeParams\":{\"dim\":8}},"
          + "{\"fieldName\":\"scalar_1\",\"dataType\":\"VarChar\",\"elementTypeParams\":{\"max_length\":512}},"
          + "{\"fieldName\":\"scalar_2\",\"dataType\":\"Int64\"}]}");
      BulkWriterCli.run(new String[] {"help"}, quiet, quiet);
      BulkWriterCli.run(new String[] {"help", "convert"}, quiet, quiet);
      for (String type : FILE_TYPES) {
        Path out = dir.resolve(type);
        failed += BulkWriterCli.run(new String[] {"demo", "--rows=200", "--dim=8",
            "--fileType=" + type, "--output=" + out}, quiet, quiet);
        Path dataPath;
        try (Stream<Path> s = Files.list(out)) {
          dataPath = s.filter(Files::isDirectory).findFirst().orElseThrow();
        }
        failed += BulkWriterCli.run(new String[] {"verify", "--schema=" + schema,
            "--dataPath=" + dataPath, "--fileType=" + type}, quiet, quiet);
        if (type.equals("parquet")) {
          BulkWriterCli.run(new String[] {"import", "--uri=http://127.0.0.1:9", "--collection=c",
              "--maxRetries=0", "--dataPath=" + dataPath, "--pathMap=" + dir + "/="}, quiet, quiet);
        }
      }
      Path rows = dir.resolve("rows.jsonl");
      StringBuilder lines = new StringBuilder();
      for (int i = 0; i < 20; i++) {
        lines.append("{\"id\":").append(i).append(",\"vector\":[0.5,-0.25,0.125,1,2,3,4,5],")
            .append("\"scalar_1\":\"s").append(i).append("\",\"scalar_2\":").append(i)
            .append(",\"extra\":true}\n");
      }
      Files.writeString(rows, lines);
      failed += BulkWriterCli.run(new String[] {"convert", "--schema=" + schema,
          "--input=" + rows, "--output=" + dir.resolve("converted"), "--fileType=parquet",
          "--progress=none"}, quiet, quiet);
    } finally {
      try (Stream<Path> s = Files.walk(dir)) {
        s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
    System.exit(failed == 0 ? 0 : 1);
  }
}
