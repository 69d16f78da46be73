package dev.milvusbeam.pipelines;

import dev.milvusbeam.io.LiveCounters;
import java.util.Locale;

/**
 * What a person following a conversion wants to know, as one line of text: how much of the input
 * is read (bytes of the total, a percentage, when the total is known), rows per second, the time
 * left, segments written, rows rejected. Pure: the same numbers give the same text
 * ({@link ProgressDisplay} draws it).
 */
final class ProgressView {
  static final int BAR_WIDTH = 24;

  private ProgressView() {}

  /** What {@link ProgressDisplay} shows for a conversion. */
  static ProgressDisplay.View of(java.util.function.Supplier<LiveCounters.Snapshot> counts,
      long totalBytes) {
    return new ProgressDisplay.View() {
      @Override
      public String bar(double seconds) {
        return ProgressView.bar(counts.get(), seconds, totalBytes);
      }

      @Override
      public String line(double seconds) {
        return ProgressView.line(counts.get(), seconds, totalBytes);
      }
    };
  }

  /**
   * A line for a log or a pipe: {@code bulkwriter: 42% read (1.2 GiB of 2.9 GiB), 1,234,567 rows
   * (61,728 rows/s), 12 rejected, 3 segments, 20 s, about 28 s left}.
   *
   * @param totalBytes the input's size; 0 or less when unknown (no percentage, no time left)
   */
  static String line(LiveCounters.Snapshot c, double seconds, long totalBytes) {
    StringBuilder b = new StringBuilder("bulkwriter: ");
    if (totalBytes > 0) {
      b.append(percent(c.inputBytesRead(), totalBytes)).append("% read (")
          .append(bytes(c.inputBytesRead())).append(" of ").append(bytes(totalBytes)).append("), ");
    } else {
      b.append(bytes(c.inputBytesRead())).append(" read, ");
    }
    long rows = c.rowsValid() + c.rowsRejected();
    b.append(String.format(Locale.ROOT, "%,d rows (%,.0f rows/s), %,d rejected, %,d segments, %s",
        rows, rate(rows, seconds), c.rowsRejected(), c.segmentsClosed(), duration(seconds)));
    double left = secondsLeft(c.inputBytesRead(), totalBytes, seconds);
    if (left >= 0) {
      b.append(", about ").append(duration(left)).append(" left");
    }
    return b.toString();
  }

  /**
   * A bar for a terminal: {@code [##########..............]  42% 1.2 GiB/2.9 GiB  61,728 rows/s
   * ETA 28 s  3 segments  12 rejected}.
   */
  static String bar(LiveCounters.Snapshot c, double seconds, long totalBytes) {
    StringBuilder b = new StringBuilder();
    long rows = c.rowsValid() + c.rowsRejected();
    if (totalBytes > 0) {
      int pct = percent(c.inputBytesRead(), totalBytes);
      int filled = (int) Math.min(BAR_WIDTH, c.inputBytesRead() * BAR_WIDTH / totalBytes);
      b.append('[').append("#".repeat(filled)).append(".".repeat(BAR_WIDTH - filled))
          .append("] ").append(String.format(Locale.ROOT, "%3d%% ", pct))
          .append(bytes(c.inputBytesRead())).append('/').append(bytes(totalBytes));
    } else {
      b.append(bytes(c.inputBytesRead())).append(" read");
    }
    b.append(String.format(Locale.ROOT, "  %,d rows  %,.0f rows/s", rows, rate(rows, seconds)));
    double left = secondsLeft(c.inputBytesRead(), totalBytes, seconds);
    b.append("  ETA ").append(left >= 0 ? duration(left) : "?");
    b.append(String.format(Locale.ROOT, "  %,d segments  %,d rejected", c.segmentsClosed(),
        c.rowsRejected()));
    return b.toString();
  }

  static int percent(long done, long total) {
    return total <= 0 ? 0 : (int) Math.min(100, done * 100 / total);
  }

  private static double rate(long n, double seconds) {
    return seconds <= 0 ? 0 : n / seconds;
  }

  /** At the rate so far; -1 when unknown (no total, or nothing read yet). */
  static double secondsLeft(long done, long total, double seconds) {
    if (total <= 0 || done <= 0 || seconds <= 0) {
      return -1;
    }
    return Math.max(0, seconds * (total - done) / done);
  }

  /** {@code 512 B}, {@code 340 KiB}, {@code 12.5 MiB}, {@code 1.2 GiB}. */
  static String bytes(long n) {
    if (n < 1024) {
      return n + " B";
    }
    String[] units = {"KiB", "MiB", "GiB", "TiB", "PiB"};
    double v = n;
    int u = -1;
    while (v >= 1024 && u < units.length - 1) {
      v /= 1024;
      u++;
    }
    return String.format(Locale.ROOT, v < 10 ? "%.1f %s" : "%.0f %s", v, units[u]);
  }

  /** {@code 45 s}, {@code 12m 05s}, {@code 2h 03m}. */
  static String duration(double seconds) {
    long s = Math.round(seconds);
    if (s < 60) {
      return s + " s";
    }
    if (s < 3600) {
      return String.format(Locale.ROOT, "%dm %02ds", s / 60, s % 60);
    }
    return String.format(Locale.ROOT, "%dh %02dm", s / 3600, (s % 3600) / 60);
  }
}
