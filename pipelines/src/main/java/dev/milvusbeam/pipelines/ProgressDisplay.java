package dev.milvusbeam.pipelines;

import java.io.PrintStream;

/**
 * Shows a running command's progress ({@link View}: {@link ProgressView} for {@code convert},
 * {@link Verify}'s and {@link ImportCommand}'s own) on stderr from a thread of its own: on a
 * terminal one line redrawn in place (a progress bar, at least every second), in a log or a pipe
 * a line every interval; nothing with {@code --progress=none}. {@link #close()} stops it and, for
 * a bar, clears the line, so that the final summary line starts on a clean line.
 */
final class ProgressDisplay implements AutoCloseable {
  private final ProgressSettings settings;
  private final PrintStream err;
  private final View view;
  private final long start = System.nanoTime();
  private final Thread thread;
  private int drawn; // length of the bar on screen

  /** The text of the progress so far, {@code seconds} after the start. */
  interface View {
    /** For a terminal: one line, redrawn in place. */
    String bar(double seconds);

    /** For a log or a pipe: a line starting {@code bulkwriter: }. */
    String line(double seconds);
  }

  private ProgressDisplay(ProgressSettings settings, PrintStream err, View view) {
    this.settings = settings;
    this.err = err;
    this.view = view;
    this.thread = new Thread(this::loop, "bulkwriter-progress");
    thread.setDaemon(true);
  }

  /** Starts showing {@code view} (nothing with {@code --progress=none}). */
  static ProgressDisplay start(ProgressSettings settings, PrintStream err, View view) {
    ProgressDisplay d = new ProgressDisplay(settings, err, view);
    if (settings.mode() != ProgressSettings.Mode.NONE) {
      d.thread.start();
    }
    return d;
  }

  private long everyMillis() {
    long ms = Math.max(1, settings.interval().toMillis());
    return settings.mode() == ProgressSettings.Mode.BAR ? Math.min(ms, 1000) : ms;
  }

  private void loop() {
    try {
      while (!Thread.currentThread().isInterrupted()) {
        Thread.sleep(everyMillis());
        draw();
      }
    } catch (InterruptedException e) {
      // closed
    }
  }

  private synchronized void draw() {
    double secs = (System.nanoTime() - start) / 1e9;
    try {
      if (settings.mode() == ProgressSettings.Mode.BAR) {
        String text = view.bar(secs);
        err.print("\r" + text + " ".repeat(Math.max(0, drawn - text.length())));
        drawn = text.length();
      } else {
        err.println(view.line(secs));
      }
    } catch (RuntimeException e) { // nothing to show now (e.g. metrics not available yet)
      return;
    }
    err.flush();
  }

  /** A line of its own (a warning): above the bar, which is drawn again on the next tick. */
  synchronized void println(String line) {
    if (drawn > 0) {
      err.print("\r" + " ".repeat(drawn) + "\r");
      drawn = 0;
    }
    err.println(line);
    err.flush();
  }

  @Override
  public void close() {
    thread.interrupt();
    try {
      thread.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    synchronized (this) {
      if (drawn > 0) {
        err.print("\r" + " ".repeat(drawn) + "\r");
        err.flush();
        drawn = 0;
      }
    }
  }
}
