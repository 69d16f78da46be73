package dev.milvusbeam.io;

import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.transforms.windowing.PaneInfo;

/** Names per window: batch writes get the run's own data folder, each window/pane its own. */
final class Windows {
  private Windows() {}

  /** A stable, path-safe label of a window. */
  static String label(BoundedWindow w) {
    if (w instanceof GlobalWindow) {
      return "global";
    }
    if (w instanceof IntervalWindow) {
      IntervalWindow iw = (IntervalWindow) w;
      return iw.start().getMillis() + "-" + iw.end().getMillis();
    }
    return "w" + UUID.nameUUIDFromBytes(w.toString().getBytes(StandardCharsets.UTF_8));
  }

  /**
   * The data folder name: the run's UUID for the global window's first pane (a batch write);
   * otherwise a UUID derived from it, the window and the pane, so every window (and every late
   * pane) is its own complete segment set {@code 1..K}.
   */
  static String dataFolder(String runUuid, BoundedWindow w, PaneInfo pane) {
    long index = pane == null ? 0 : pane.getIndex();
    if (w instanceof GlobalWindow && index == 0) {
      return runUuid;
    }
    String key = runUuid + "/" + label(w) + "/" + index;
    return UUID.nameUUIDFromBytes(key.getBytes(StandardCharsets.UTF_8)).toString();
  }
}
