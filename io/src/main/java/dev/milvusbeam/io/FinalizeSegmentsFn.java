package dev.milvusbeam.io;

import dev.milvusbeam.core.format.FileType;
import dev.milvusbeam.core.format.FormatOptions;
import dev.milvusbeam.core.schema.CollectionSchema;
import dev.milvusbeam.core.writer.FileDigest;
import dev.milvusbeam.core.writer.Manifest;
import dev.milvusbeam.core.writer.SegmentInfo;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.transforms.windowing.PaneInfo;
import org.apache.beam.sdk.values.KV;

/**
 * Numbers the temp segments of one window 1..K in a stable order and moves their files into the
 * window's data folder, then writes {@code <output>/<uuid>.manifest.json} beside it and deletes
 * the window's temp folder. Rows rejected in the window arrive as counts among the segments
 * ({@link TempSegment#rejected}) and are reported in the manifest. Idempotent: a rerun moves nothing twice and numbers the same way.
 */
class FinalizeSegmentsFn extends DoFn<KV<Integer, Iterable<TempSegment>>, SegmentResult> {
  private static final long serialVersionUID = 1L;

  private final CollectionSchema schema;
  private final FileType fileType;
  private final FormatOptions options;
  private final String output;
  private final String runUuid;
  private final String tempRoot;
  private final Counter rows = Metrics.counter(ValidateFn.NAMESPACE, "rowsWritten");
  private final Counter bytes = Metrics.counter(ValidateFn.NAMESPACE, "bytesWritten");
  private final Counter segments = Metrics.counter(ValidateFn.NAMESPACE, "segmentsWritten");

  FinalizeSegmentsFn(CollectionSchema schema, FileType fileType, FormatOptions options,
      String output, String runUuid, String tempRoot) {
    this.schema = schema;
    this.fileType = fileType;
    this.options = options;
    this.output = output;
    this.runUuid = runUuid;
    this.tempRoot = tempRoot;
  }

  @RequiresStableInput
  @ProcessElement
  public void process(@Element KV<Integer, Iterable<TempSegment>> element, BoundedWindow window,
      PaneInfo pane, OutputReceiver<SegmentResult> out) throws IOException {
    List<TempSegment> temp = new ArrayList<>();
    long rejected = 0;
    for (TempSegment t : element.getValue()) {
      if (t.isRejectedCount()) {
        rejected += t.rejectedRows;
      } else {
        temp.add(t);
      }
    }
    if (temp.isEmpty()) {
      return; // an empty pane (e.g. the on-time pane after early firings): nothing to write
    }
    temp.sort(null);
    String dataPath = output + "/" + Windows.dataFolder(runUuid, window, pane);
    List<String> src = new ArrayList<>();
    List<String> dst = new ArrayList<>();
    List<SegmentResult> results = new ArrayList<>();
    List<SegmentInfo> infos = new ArrayList<>();
    for (int i = 0; i < temp.size(); i++) {
      TempSegment t = temp.get(i);
      int number = i + 1;
      List<String> local = fileType.segmentFiles(schema, t.localNumber);
      List<String> global = fileType.segmentFiles(schema, number);
      List<String> files = new ArrayList<>();
      List<FileDigest> digests = new ArrayList<>();
      long bytes = 0;
      for (int f = 0; f < local.size(); f++) {
        src.add(t.attemptDir + "/" + local.get(f));
        dst.add(dataPath + "/" + global.get(f));
        files.add(dataPath + "/" + global.get(f));
        FileDigest d = t.digests.get(f);
        if (!d.path().equals(local.get(f))) {
          throw new IllegalStateException("digest of " + d.path() + " where " + local.get(f)
              + " was expected");
        }
        digests.add(d.withPath(global.get(f)));
        bytes += d.bytes();
      }
      results.add(new SegmentResult(dataPath, number, files, t.rows, bytes));
      infos.add(new SegmentInfo(number, global, t.rows, bytes, digests));
    }
    BeamFiles.moveAll(src, dst);
    // a complete re-execution of this write (same data folder) may have split the rows into
    // more segments: anything else in the data folder is from it and must go
    java.util.Set<String> keep = new java.util.HashSet<>();
    for (String d : dst) {
      keep.add(BeamFiles.file(d).toString());
    }
    BeamFiles.deleteAllExcept(dataPath, keep);
    BeamFiles.replace(dataPath + Manifest.SUFFIX, Manifest.toJson(dataPath, schema, fileType,
        options, infos, f -> dataPath + "/" + f, rejected));
    if (window instanceof GlobalWindow && pane.isLast()) {
      BeamFiles.deleteTree(tempRoot); // also what failed attempts left behind
    } else {
      // only this pane's attempts: a later pane of the window may still be on its way
      java.util.Set<String> attempts = new java.util.TreeSet<>();
      temp.forEach(t -> attempts.add(t.attemptDir));
      attempts.forEach(BeamFiles::deleteTree);
      BeamFiles.deleteIfEmpty(tempRoot + "/" + Windows.label(window));
      BeamFiles.deleteIfEmpty(tempRoot);
    }
    for (SegmentResult r : results) {
      rows.inc(r.rows());
      bytes.inc(r.bytes());
      segments.inc();
      out.output(r);
    }
  }
}
