package dev.milvusbeam.core.format;

import dev.milvusbeam.core.row.ValidRow;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Encodes the rows of a text segment (JSON, JSONL, CSV) in batches on background threads and
 * writes the encoded batches in row order: formatting the numbers of vectors is what these
 * formats spend their time on, and it then runs on every core while the caller goes on producing
 * rows.
 *
 * <p>Rows are collected into batches of about {@link #BATCH_BYTES} ({@link
 * ValidRow#estimatedBytes}); a full batch is handed to a shared pool of daemon threads (one per
 * core). At most {@code cores + 1} batches of one writer are in memory at a time (each with its
 * own encoder and reusable buffer): when all are taken, {@link #add} waits for the oldest, writes
 * it and reuses its slot, so memory stays bounded whatever the row count and the output gets the
 * batches in exactly the order the rows came. The very first batch is one row encoded on the
 * caller's thread, which gives {@link #bytesEstimate} an output-per-input ratio from the start.
 * On a single core (or when asked) every row is encoded on the caller's thread as it comes.
 *
 * <p>An encoder failure (an exception thrown on a pool thread) is rethrown by the next
 * {@link #add} or by {@link #finish}; the pipeline is unusable after it. The rows given to
 * {@link #add} must not be changed afterwards (ValidRow values are owned by the row).
 */
public final class RowPipeline {
  /** Encodes batches of rows. One instance per slot: used by one thread at a time. */
  public interface BatchEncoder {
    /**
     * Appends the bytes of {@code rows} to {@code out}.
     *
     * @param first whether these are the first rows of the file (no separator before them)
     */
    void encode(List<ValidRow> rows, boolean first, ByteSink out) throws IOException;
  }

  /** Creates the encoder of one slot. */
  public interface EncoderFactory {
    BatchEncoder create() throws IOException;
  }

  /** Estimated input bytes per batch: a few dozen 768-dim rows, a few thousand small ones. */
  public static final long BATCH_BYTES = 128 << 10;
  public static final int MAX_BATCH_ROWS = 4096;

  private static final int CORES = Runtime.getRuntime().availableProcessors();
  private static final AtomicInteger THREAD_NUMBER = new AtomicInteger();
  /** Shared by every writer of the JVM; created on first use, daemon threads. */
  private static volatile ExecutorService pool;

  private final OutputStream out;
  private final Slot[] slots;
  private final boolean background;
  /** The slot being filled; the in-flight ones follow it, oldest first. */
  private int current;
  private boolean first = true;
  private long rowsOut;
  private long bytesOut;
  /** Rows added whose bytes are not in {@link #out} yet. */
  private long rowsPending;
  /** {@link ValidRow#estimatedBytes} of the rows written, and of the pending ones. */
  private long inputOut;
  private long inputPending;
  private long estimate;
  private boolean finished;
  private Throwable failure;

  /**
   * @param out where the encoded batches go, in order
   * @param background false to encode everything on the caller's thread
   */
  public RowPipeline(OutputStream out, EncoderFactory encoders, boolean background) throws IOException {
    this.out = out;
    this.background = background && CORES > 1;
    this.slots = new Slot[this.background ? CORES + 1 : 1];
    for (int i = 0; i < slots.length; i++) {
      slots[i] = new Slot(encoders.create());
    }
  }

  public RowPipeline(OutputStream out, EncoderFactory encoders) throws IOException {
    this(out, encoders, true);
  }

  /** Queues a row; may write earlier batches. Rethrows an earlier encoder failure. */
  public void add(ValidRow row) throws IOException {
    checkFailure();
    Slot s = slots[current];
    s.rows.add(row);
    long input = row.estimatedBytes();
    s.estimatedBytes += input;
    inputPending += input;
    rowsPending++;
    if (!background || (rowsOut == 0 && first)) {
      // on one core: row by row; else the first row alone, on this thread, so that the ratio of
      // output to input bytes is known from the start
      submit(s, false);
      complete(s);
    } else if (s.estimatedBytes >= BATCH_BYTES || s.rows.size() >= MAX_BATCH_ROWS) {
      submit(s, background);
      current = (current + 1) % slots.length;
      Slot next = slots[current];
      if (next.task != null) {
        complete(next); // the oldest batch: its slot is needed now
      }
    }
  }

  /** Encodes and writes every queued row, in order. */
  public void finish() throws IOException {
    drain();
    finished = true;
  }

  /** Encodes the batch being filled on this thread, then writes every batch, oldest first. */
  private void drain() throws IOException {
    checkFailure();
    Slot s = slots[current];
    if (!s.rows.isEmpty()) {
      submit(s, false);
    }
    for (int i = 1; i <= slots.length; i++) {
      Slot next = slots[(current + i) % slots.length];
      if (next.task != null || next.encoded) {
        complete(next);
      }
    }
  }

  /**
   * Encodes and writes every row queued so far, in order, and goes on taking rows: afterwards
   * {@link #bytesEstimate} is the exact byte count. For a caller deciding whether one more row
   * still fits.
   */
  public void settle() throws IOException {
    if (rowsPending == 0) {
      return;
    }
    drain();
    estimate = bytesOut;
  }

  /** The part of {@link #bytesEstimate} that is estimated: rows queued, not written yet. */
  public long pendingEstimate() {
    return rowsPending == 0 ? 0 : Math.max(0, bytesEstimate() - bytesOut);
  }

  /** Drops whatever is queued; running encodes finish in the background and are ignored. */
  public void abort() {
    failure = failure != null ? failure : new IllegalStateException("aborted");
    for (Slot s : slots) {
      if (s.task != null) {
        s.task.cancel(false);
      }
    }
  }

  /**
   * Bytes written to the output plus, for the rows not written yet, their {@link
   * ValidRow#estimatedBytes} scaled by the ratio of output to input bytes so far: exact when no
   * row is pending (always on one core) and once {@link #finish} returned; never decreases
   * before that.
   */
  public long bytesEstimate() {
    if (finished || rowsPending == 0) {
      estimate = Math.max(estimate, bytesOut);
      return bytesOut;
    }
    long e = bytesOut + (inputOut == 0 ? 0 : (long) ((double) inputPending * bytesOut / inputOut));
    estimate = Math.max(estimate, e);
    return estimate;
  }

  private void submit(Slot s, boolean async) throws IOException {
    s.first = first;
    first = false;
    if (async) {
      s.task = pool().submit((Callable<Void>) s::encode);
      return;
    }
    try {
      s.encode();
    } catch (IOException | RuntimeException | Error e) {
      failure = e; // unusable from now on, as after a failure on a pool thread
      throw e;
    }
    s.encoded = true;
  }

  /** Waits for the slot's batch, writes it and empties the slot. */
  private void complete(Slot s) throws IOException {
    if (s.task != null) {
      try {
        s.task.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        abort();
        throw new InterruptedIOException("interrupted while encoding rows");
      } catch (ExecutionException e) {
        failure = e.getCause();
        abort();
        checkFailure();
      } finally {
        s.task = null;
      }
    }
    s.sink.writeTo(out);
    rowsOut += s.rows.size();
    bytesOut += s.sink.size();
    rowsPending -= s.rows.size();
    inputOut += s.estimatedBytes;
    inputPending -= s.estimatedBytes;
    s.clear();
  }

  private void checkFailure() throws IOException {
    Throwable t = failure;
    if (t == null) {
      return;
    }
    if (t instanceof IOException) {
      throw new IOException(t.getMessage(), t); // a fresh stack: this caller's
    }
    if (t instanceof UncheckedIOException) {
      throw new IOException(t.getMessage(), t);
    }
    if (t instanceof RuntimeException) {
      throw (RuntimeException) t;
    }
    if (t instanceof Error) {
      throw (Error) t;
    }
    throw new IOException(t);
  }

  private static ExecutorService pool() {
    ExecutorService p = pool;
    if (p == null) {
      synchronized (RowPipeline.class) {
        p = pool;
        if (p == null) {
          p = Executors.newFixedThreadPool(CORES, r -> {
            Thread t = new Thread(r, "milvus-row-encoder-" + THREAD_NUMBER.incrementAndGet());
            t.setDaemon(true);
            return t;
          });
          pool = p;
        }
      }
    }
    return p;
  }

  /** One batch: its rows, its encoder and the buffer the encoder fills. */
  private static final class Slot {
    final BatchEncoder encoder;
    final ByteSink sink = new ByteSink(64 << 10);
    final ArrayList<ValidRow> rows = new ArrayList<>();
    long estimatedBytes;
    boolean first;
    /** Encoded on the caller's thread, not written yet. */
    boolean encoded;
    Future<Void> task;

    Slot(BatchEncoder encoder) {
      this.encoder = encoder;
    }

    Void encode() throws IOException {
      sink.reset();
      encoder.encode(rows, first, sink);
      return null;
    }

    void clear() {
      rows.clear();
      estimatedBytes = 0;
      encoded = false;
      if (sink.array().length > (8 << 20)) {
        sink.trim(64 << 10); // an unusually big batch: give the memory back
      }
    }
  }
}
