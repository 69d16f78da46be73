package dev.milvusbeam.io;

import dev.milvusbeam.core.writer.Manifest;
import dev.milvusbeam.core.writer.Segment;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.join.CoGbkResult;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.transforms.windowing.PaneInfo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.TupleTag;

/**
 * Commits the written segments of one window (pane) through the {@link SegmentCommitter}:
 * numbered 1..K in a stable order, moved into the window's data folder, then
 * {@code <output>/<uuid>.manifest.json} beside it (with the window's rejected-row count), then
 * the temp folder goes. A retry, even one whose input was written anew, commits the same plan
 * and moves nothing twice ({@link SegmentCommitter#commitOnce}). That plan is why this step needs
 * no {@code @RequiresStableInput}, which Beam's Spark runner refuses: a re-executed finalize with
 * other input carries out the plan the first execution wrote before it moved anything.
 *
 * <p>A write that keeps a failures file ({@link MilvusIO.Write#withFailuresFile}, bounded input
 * in the global window) commits the staged rejected rows of its successful bundle attempts into
 * it after the segments and before the manifest; a write without a valid row commits only that
 * file, and writes no manifest.
 */
class FinalizeSegmentsFn extends DoFn<KV<Integer, CoGbkResult>, Segment> {
  private static final long serialVersionUID = 1L;

  private final SegmentSpec spec;
  private final String output;
  private final String runUuid;
  /** Random per write (per pipeline construction): tells this write's commits from others'. */
  private final String writeId;
  private final TupleTag<Segment> segmentsTag;
  private final TupleTag<RejectedRows> rejectedTag;
  /** The failures file, or null when the write keeps none. */
  private final String failuresFile;
  private final Counter rows = Metrics.counter(RowChecker.NAMESPACE, "rowsWritten");
  private final Counter bytes = Metrics.counter(RowChecker.NAMESPACE, "bytesWritten");
  private final Counter segments = Metrics.counter(RowChecker.NAMESPACE, "segmentsWritten");

  FinalizeSegmentsFn(SegmentSpec spec, String output, String runUuid, String writeId,
      TupleTag<Segment> segmentsTag, TupleTag<RejectedRows> rejectedTag, String failuresFile) {
    this.spec = spec;
    this.writeId = writeId;
    this.output = output;
    this.runUuid = runUuid;
    this.segmentsTag = segmentsTag;
    this.rejectedTag = rejectedTag;
    this.failuresFile = failuresFile;
  }

  @ProcessElement
  public void process(@Element KV<Integer, CoGbkResult> element, BoundedWindow window,
      PaneInfo pane, OutputReceiver<Segment> out) throws IOException {
    List<Segment> written = new ArrayList<>();
    element.getValue().getAll(segmentsTag).forEach(written::add);
    long rejected = 0;
    List<String> staged = new ArrayList<>();
    for (RejectedRows r : element.getValue().getAll(rejectedTag)) {
      rejected += r.count();
      if (r.staged() != null) {
        staged.add(r.staged());
      }
    }
    SegmentCommitter.Step commitRejected = () -> {
      if (failuresFile != null) {
        SegmentCommitter.commitRejected(staged, failuresFile);
      }
    };
    if (written.isEmpty()) {
      // an empty pane (e.g. the on-time pane after early firings), or no valid row
      if (failuresFile != null) { // bounded, the global window: the one pane
        commitRejected.run();
        BeamFiles.deleteTree(spec.tempRoot());
      }
      return;
    }
    String dataPath = output + "/" + Windows.dataFolder(runUuid, window, pane);
    SegmentCommitter committer = new SegmentCommitter(dataPath, spec.schema(), spec.fileType());
    long rejectedRows = rejected;
    List<Segment> committed = committer.commitOnce(written, writeId,
        spec.tempRoot() + "/" + Windows.label(window) + "-" + pane.getIndex() + ".plan",
        segs -> Manifest.toJson(dataPath, spec.schema(), spec.fileType(), spec.options(), segs,
            f -> dataPath + "/" + f, rejectedRows, writeId), commitRejected);
    if (window instanceof GlobalWindow && pane.isLast()) {
      BeamFiles.deleteTree(spec.tempRoot()); // also what failed attempts left behind
    } else if (pane.isLast()) {
      BeamFiles.deleteTree(spec.tempRoot() + "/" + Windows.label(window));
      BeamFiles.deleteIfEmpty(spec.tempRoot());
    } else {
      // only this pane's attempts: a later pane of the window may still be on its way
      TreeSet<String> attempts = new TreeSet<>();
      written.forEach(s -> attempts.add(s.folder()));
      attempts.forEach(BeamFiles::deleteTree);
      BeamFiles.deleteIfEmpty(spec.tempRoot() + "/" + Windows.label(window));
      BeamFiles.deleteIfEmpty(spec.tempRoot());
    }
    for (Segment s : committed) {
      rows.inc(s.rows());
      bytes.inc(s.bytes());
      segments.inc();
      out.output(s);
    }
  }
}
