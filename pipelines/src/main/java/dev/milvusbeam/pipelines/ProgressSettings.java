package dev.milvusbeam.pipelines;

import java.time.Duration;
import java.util.Locale;

/**
 * How progress is shown ({@link ProgressOptions}): the mode, as decided here once ({@code auto}
 * becomes {@code BAR} on a terminal, {@code LINES} otherwise), and how often.
 *
 * @param mode how the display draws
 * @param interval between two lines; a bar is redrawn at least every second
 */
record ProgressSettings(Mode mode, Duration interval) {
  enum Mode { BAR, LINES, NONE }

  static ProgressSettings from(ProgressOptions o) {
    String mode = o.getProgress() == null ? "auto" : o.getProgress().trim().toLowerCase(Locale.ROOT);
    Duration interval = Flags.duration("progressInterval", o.getProgressInterval());
    if (interval.isNegative() || interval.isZero()) {
      throw Flags.refused("progressInterval", o.getProgressInterval(), "must be positive");
    }
    switch (mode) {
      case "auto":
        return new ProgressSettings(onTerminal() ? Mode.BAR : Mode.LINES, interval);
      case "bar":
        return new ProgressSettings(Mode.BAR, interval);
      case "lines":
        return new ProgressSettings(Mode.LINES, interval);
      case "none":
        return new ProgressSettings(Mode.NONE, interval);
      default:
        throw Flags.refused("progress", o.getProgress(), "must be auto, bar, lines or none");
    }
  }

  /** stderr is a terminal that can redraw a line: a console, and not TERM=dumb. */
  static boolean onTerminal() {
    return System.console() != null && !"dumb".equals(System.getenv("TERM"));
  }
}
