package dev.milvusbeam.io;

import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;

/**
 * Bounded input: counts the rejected rows of each bundle and window, and (when the write keeps a
 * failures file) writes them as JSON Lines ({@link FailedRow#toJson}) to a staged file of this
 * bundle attempt's own, {@code <temp>/<window>/<uuid>.failures.jsonl}. One {@link RejectedRows}
 * per window when the bundle finishes; the finalize step sums the counts and commits the staged
 * files of the attempts that succeeded ({@link SegmentCommitter#commitRejected}). A failed attempt
 * leaves a staged file nobody references, deleted with the temp folder — the same rule as
 * segments ({@link WriteBundlesFn}). No shuffle and no per-row state: it runs in the step that
 * validated the rows.
 */
class StageRejectedFn extends DoFn<FailedRow, RejectedRows> {
  private static final long serialVersionUID = 1L;

  private final String tempRoot;
  private final boolean stage;
  private transient Map<BoundedWindow, Part> parts;

  /** One window's rejected rows in this bundle. */
  private static final class Part {
    long count;
    String path;
    Writer out;
  }

  /**
   * @param tempRoot the write's temp folder
   * @param stage whether to write the rows (a failures file), or only count them
   */
  StageRejectedFn(String tempRoot, boolean stage) {
    this.tempRoot = tempRoot;
    this.stage = stage;
  }

  @StartBundle
  public void startBundle() {
    closeAll(); // what an earlier bundle of this instance left after a failure
    parts = new HashMap<>();
  }

  @ProcessElement
  public void process(@Element FailedRow row, BoundedWindow window) throws IOException {
    Part part = parts.computeIfAbsent(window, w -> new Part());
    part.count++;
    if (!stage) {
      return;
    }
    if (part.out == null) {
      part.path = tempRoot + "/" + Windows.label(window) + "/" + UUID.randomUUID()
          + ".failures.jsonl";
      OutputStream o = BeamFiles.create(part.path);
      part.out = new OutputStreamWriter(o, StandardCharsets.UTF_8);
    }
    part.out.write(row.toJson());
    part.out.write('\n');
  }

  @FinishBundle
  public void finishBundle(FinishBundleContext c) throws IOException {
    for (Map.Entry<BoundedWindow, Part> e : parts.entrySet()) {
      Part part = e.getValue();
      if (part.out != null) {
        part.out.close(); // the rows are in the staged file before the record names it
        part.out = null;
      }
      BoundedWindow window = e.getKey();
      c.output(new RejectedRows(part.count, part.path), window.maxTimestamp(), window);
    }
    parts = null;
  }

  @Teardown
  public void tearDown() {
    closeAll();
  }

  private void closeAll() {
    if (parts == null) {
      return;
    }
    for (Part part : parts.values()) {
      if (part.out != null) {
        try {
          part.out.close();
        } catch (IOException ignored) {
          // an abandoned staged file: the finalize step deletes the temp folder
        }
      }
    }
    parts = null;
  }
}
