package dev.milvusbeam.pipelines;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.milvusbeam.core.format.FileType;
import dev.milvusbeam.core.verify.FolderVerifier;
import dev.milvusbeam.core.format.VerifyReport;
import dev.milvusbeam.io.BeamDataFolder;
import java.io.IOException;
import java.io.PrintStream;
import java.util.Map;

/**
 * {@code bulkwriter verify}: reads a written data folder back and checks it against the
 * collection schema and FORMAT.md before a long import ({@link FolderVerifier}; the data path on
 * any Beam file system). Prints one line per problem (the first {@code --maxShown}), the counts per
 * kind, then the JSON summary {@code {"command":"verify","dataPath":…,"fileType":…,"segments":K,
 * "rows":N,"problems":P,"warnings":W,"problemCounts":{…}}} as the last stdout line. Exit 0 when
 * there is no problem (warnings allowed), 1 when there are problems, 2 for a usage error.
 */
public final class Verify {
  private static final ObjectMapper JSON = new ObjectMapper();

  private Verify() {}

  /** Checks the folder; returns the exit code (0 clean, 1 problems found). */
  static int run(VerifySettings s, PrintStream out, PrintStream err) throws IOException {
    BeamDataFolder folder = new BeamDataFolder(s.dataPath());
    if (folder.files().isEmpty()) {
      throw Flags.refused("dataPath", s.dataPath(), "holds no file (or does not exist)");
    }
    int maxShown = s.maxShown();
    VerifyReport report = new VerifyReport(maxShown, p -> {
      out.println(p);
      out.flush();
    });
    long total = folder.files().stream().mapToInt(f -> s.fileType().segmentOf(f.path()))
        .filter(n -> n > 0).distinct().count();
    try (ProgressDisplay display = ProgressDisplay.start(s.progress(), err,
        view(report, total))) {
      FolderVerifier.verify(s.schema(), s.fileType(), s.format(), folder, report);
    }
    if (report.truncated()) {
      out.println("... " + (report.problems() + report.warnings() - report.kept().size())
          + " more not shown (--maxShown=" + maxShown + ")");
    }
    if (report.problems() + report.warnings() > 0) {
      out.println("problem counts: " + counts(report.problemCounts())
          + (report.warnings() > 0 ? "; warnings: " + counts(report.warningCounts()) : ""));
    }
    out.println(summary(s.dataPath(), s.fileType(), report));
    out.flush();
    return report.problems() > 0 ? 1 : 0;
  }

  /**
   * {@code verify: 3 of 12 segments checked (25%), 1,234 rows, 0 problems, 12 s, about 36 s
   * left}.
   */
  static ProgressDisplay.View view(VerifyReport report, long totalSegments) {
    return new ProgressDisplay.View() {
      @Override
      public String bar(double seconds) {
        int done = report.segments();
        int filled = (int) (totalSegments <= 0 ? 0
            : Math.min(ProgressView.BAR_WIDTH, done * ProgressView.BAR_WIDTH / totalSegments));
        double left = ProgressView.secondsLeft(done, totalSegments, seconds);
        return String.format(java.util.Locale.ROOT, "[%s%s] %3d%% %d/%d segments  %,d rows  %,d"
            + " problems  ETA %s", "#".repeat(filled), ".".repeat(ProgressView.BAR_WIDTH - filled),
            ProgressView.percent(done, totalSegments), done, totalSegments, report.rows(),
            report.problems(), left >= 0 ? ProgressView.duration(left) : "?");
      }

      @Override
      public String line(double seconds) {
        int done = report.segments();
        double left = ProgressView.secondsLeft(done, totalSegments, seconds);
        return String.format(java.util.Locale.ROOT, "bulkwriter: verify: %d of %d segments checked"
            + " (%d%%), %,d rows, %,d problems, %s%s", done, totalSegments,
            ProgressView.percent(done, totalSegments), report.rows(), report.problems(),
            ProgressView.duration(seconds),
            left >= 0 ? ", about " + ProgressView.duration(left) + " left" : "");
      }
    };
  }

  private static String counts(Map<String, Long> counts) {
    StringBuilder sb = new StringBuilder();
    counts.forEach((k, n) -> sb.append(sb.length() == 0 ? "" : ", ").append(k).append('=').append(n));
    return sb.length() == 0 ? "none" : sb.toString();
  }

  static String summary(String dataPath, FileType type, VerifyReport report) {
    ObjectNode s = JSON.createObjectNode();
    s.put("command", "verify");
    s.put("dataPath", dataPath);
    s.put("fileType", type.toString());
    s.put("segments", report.segments());
    s.put("rows", report.rows());
    s.put("problems", report.problems());
    s.put("warnings", report.warnings());
    s.set("problemCounts", JSON.valueToTree(report.problemCounts()));
    return s.toString();
  }
}
