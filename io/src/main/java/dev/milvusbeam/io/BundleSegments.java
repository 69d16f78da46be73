package dev.milvusbeam.io;

import dev.milvusbeam.core.row.ValidRow;
import dev.milvusbeam.core.writer.Segment;
import dev.milvusbeam.core.writer.SegmentRoller;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The segments one bundle writes for one window, where its rows are (no state, no shuffle): rows
 * go through a {@link SegmentRoller} into the attempt's own temp folder. The first rows of each
 * segment are held back in memory until they are worth about {@link SegmentSpec#holdBytes} of
 * output; only then is the segment's file opened. A bundle that ends while rows are still held
 * does not write them as a small segment of its own: they are {@linkplain #finish spilled} (as
 * byte chunks, through a shuffle) and written together with the other bundles' tails. So every segment a bundle writes holds
 * at least the tail threshold's worth of output (or is full), whatever the runner's bundles.
 * Not thread-safe.
 */
final class BundleSegments {
  private final SegmentSpec spec;
  private final String attemptDir;
  private final SegmentRoller roller;
  private List<ValidRow> held = new ArrayList<>();
  private long heldEstimate;
  /** Output bytes per estimated byte: guessed, then learned from this bundle's own segments. */
  private double outputRatio;
  private long estimateInOpenSegment;
  private long committedEstimate;
  private long committedBytes;
  private int committedCount;

  BundleSegments(SegmentSpec spec, String attemptDir) {
    this.spec = spec;
    this.attemptDir = attemptDir;
    this.roller = spec.roller(attemptDir);
    this.outputRatio = spec.initialOutputRatio();
  }

  String attemptDir() {
    return attemptDir;
  }

  void add(ValidRow row) throws IOException {
    if (roller.hasOpenSegment()) {
      if (roller.fits(row)) {
        write(row);
        return;
      }
      closeSegment();
    }
    held.add(row);
    heldEstimate += row.estimatedBytes();
    if (heldEstimate * outputRatio >= spec.holdBytes()) {
      List<ValidRow> rows = held;
      held = new ArrayList<>();
      heldEstimate = 0;
      write(rows.get(0)); // opens the segment
      for (int i = 1; i < rows.size(); i++) {
        add(rows.get(i));
      }
    }
  }

  private void write(ValidRow row) throws IOException {
    roller.write(row);
    estimateInOpenSegment += row.estimatedBytes();
  }

  private void closeSegment() throws IOException {
    roller.flush();
    List<Segment> done = roller.committedSegments();
    for (int i = committedCount; i < done.size(); i++) {
      committedBytes += done.get(i).bytes();
    }
    LiveCounters.segmentsClosed(done.size() - committedCount); // shown while the bundle runs
    committedCount = done.size();
    committedEstimate += estimateInOpenSegment;
    estimateInOpenSegment = 0;
    if (committedEstimate > 0) {
      outputRatio = (double) committedBytes / committedEstimate;
    }
  }

  /**
   * Ends the bundle: closes the open segment (it holds at least the threshold's worth) and packs
   * the held rows, if any, into chunks for the tail writer.
   *
   * @return the spilled tail, empty when nothing was held
   */
  List<RowChunk> finish(ValidRowCoder coder) throws IOException {
    if (roller.hasOpenSegment()) {
      closeSegment();
    }
    List<RowChunk> chunks = RowChunk.pack(held, coder);
    held = new ArrayList<>();
    heldEstimate = 0;
    return chunks;
  }

  /** The segments written and closed so far, in {@link #attemptDir}. */
  List<Segment> segments() {
    return roller.committedSegments();
  }

  /** Gives up: drops the open segment and the held rows. */
  void abort() {
    roller.abort();
    held = new ArrayList<>();
    BeamFiles.deleteTree(attemptDir);
  }
}
