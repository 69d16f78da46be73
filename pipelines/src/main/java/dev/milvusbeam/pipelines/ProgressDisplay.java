package dev.milvusbeam.pipelines;

import dev.milvusbeam.io.LiveCounters;
import java.io.PrintStream;
import java.util.function.Supplier;

/**
 * Shows a running conversion's {@link ProgressView} on stderr from a thread of its own: on a
 * terminal one line redrawn in place (a progress bar, at least every second), in a log or a pipe
 * a line every interval; nothing with {@code --progress=none}. {@link #close()} stops it and, for
 * a bar, clears the line, so that the final summary line starts on a clean line.
 */
final class ProgressDisplay implements AutoCloseable {
  private final ProgressSettings settings;
  private final PrintStream err;
  private final long totalBytes;
  private final Supplier<LiveCounters.Snapshot> source;
  private final long start = System.nanoTime();
  private final Thread thread;
  private int drawn; // length of the bar on screen

  private ProgressDisplay(ProgressSettings settings, PrintStream err, long totalBytes,
      Supplier<LiveCounters.Snapshot> source) {
    this.settings = settings;
    this.err = err;
    this.totalBytes = totalBytes;
    this.source = source;
    this.thread = new Thread(this::loop, "bulkwriter-progress");
    thread.setDaemon(true);
  }

  /**
   * Starts showing what {@code source} counts.
   *
   * @param totalBytes the input's size, 0 when unknown
   */
  static ProgressDisplay start(ProgressSettings settings, PrintStream err, long totalBytes,
      Supplier<LiveCounters.Snapshot> source) {
    ProgressDisplay d = new ProgressDisplay(settings, err, totalBytes, source);
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
    LiveCounters.Snapshot c;
    try {
      c = source.get();
    } catch (RuntimeException e) { // a runner without live metrics: nothing to show now
      return;
    }
    double secs = (System.nanoTime() - start) / 1e9;
    if (settings.mode() == ProgressSettings.Mode.BAR) {
      String text = ProgressView.bar(c, secs, totalBytes);
      err.print("\r" + text + " ".repeat(Math.max(0, drawn - text.length())));
      drawn = text.length();
    } else {
      err.println(ProgressView.line(c, secs, totalBytes));
    }
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
