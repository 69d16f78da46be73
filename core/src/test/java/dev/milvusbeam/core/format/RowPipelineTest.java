package dev.milvusbeam.core.format;

import dev.milvusbeam.core.row.TestRows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.milvusbeam.core.row.ValidRow;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Ordering, bounded memory, size estimates and failures of the background row encoding. */
class RowPipelineTest {
  /** Row i is the text "i;" (ids as Long), encoded after a random pause: batches finish out of order. */
  private static RowPipeline.BatchEncoder slowTextEncoder(long seed) {
    Random rnd = new Random(seed);
    return (rows, first, out) -> {
      try {
        Thread.sleep(rnd.nextInt(3));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      for (ValidRow r : rows) {
        out.writeAscii(r.get(0) + ";");
      }
    };
  }

  private static ValidRow row(long i, int vectorBytes) {
    return TestRows.of(new Object[] {i, new float[vectorBytes / 4]});
  }

  @Test
  void rowsComeOutInTheirOrderAcrossManyBatches() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    AtomicInteger seed = new AtomicInteger();
    RowPipeline p = new RowPipeline(out, () -> slowTextEncoder(seed.incrementAndGet()));
    StringBuilder expected = new StringBuilder();
    for (long i = 0; i < 3000; i++) {
      p.add(row(i, 4000)); // ~32 rows per batch: ~100 batches
      expected.append(i).append(';');
    }
    p.finish();
    assertEquals(expected.toString(), out.toString(StandardCharsets.US_ASCII));
    assertEquals(out.size(), p.bytesEstimate(), "exact once finished");
  }

  @Test
  void firstFlagOnlyForTheFirstRowsOfTheFile() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    RowPipeline p = new RowPipeline(out, () -> (rows, first, sink) -> {
      for (int i = 0; i < rows.size(); i++) {
        sink.writeAscii(first && i == 0 ? "F" : ",");
      }
    });
    for (long i = 0; i < 500; i++) {
      p.add(row(i, 8000));
    }
    p.finish();
    assertEquals("F" + ",".repeat(499), out.toString(StandardCharsets.US_ASCII));
  }

  @Test
  void atMostCoresPlusOneBatchesAreInMemory() throws Exception {
    int slots = Runtime.getRuntime().availableProcessors() + 1;
    AtomicInteger created = new AtomicInteger();
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger running = new AtomicInteger();
    RowPipeline p = new RowPipeline(new ByteArrayOutputStream(), () -> {
      created.incrementAndGet();
      return (rows, first, out) -> {
        if (!first) {
          running.incrementAndGet();
          try {
            release.await(10, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
      };
    });
    assertEquals(slots > 2 ? slots : 1, created.get(), "one encoder per slot (one on one core)");
    Thread feeder = new Thread(() -> {
      try {
        for (long i = 0; i < 10_000; i++) {
          p.add(row(i, 64 << 10)); // two rows per batch
        }
      } catch (IOException e) {
        throw new RuntimeException(e);
      }
    });
    feeder.start();
    feeder.join(300);
    assertTrue(feeder.isAlive(), "the caller waits while every slot is taken");
    assertTrue(running.get() <= slots, running.get() + " batches encoding at once");
    release.countDown();
    feeder.join(20_000);
    p.finish();
  }

  @Test
  void anEncoderFailureOnAPoolThreadReachesTheCaller() throws IOException {
    IllegalStateException boom = new IllegalStateException("boom");
    RowPipeline p = new RowPipeline(new ByteArrayOutputStream(), () -> (rows, first, out) -> {
      for (ValidRow r : rows) {
        if ((Long) r.get(0) == 700) {
          throw boom;
        }
      }
    });
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> {
      for (long i = 0; i < 5000; i++) {
        p.add(row(i, 4000));
      }
      p.finish();
    });
    assertSame(boom, e);
    assertThrows(IllegalStateException.class, () -> p.add(row(1, 4)), "unusable after it");
    assertThrows(IllegalStateException.class, p::finish);
  }

  @Test
  void anIoFailureOfTheEncoderIsAnIoException() throws IOException {
    RowPipeline p = new RowPipeline(new ByteArrayOutputStream(), () -> (rows, first, out) -> {
      if (!first) {
        throw new IOException("disk full");
      }
    });
    IOException e = assertThrows(IOException.class, () -> {
      for (long i = 0; i < 2000; i++) {
        p.add(row(i, 4000));
      }
      p.finish();
    });
    assertTrue(e.getMessage().contains("disk full"), e.getMessage());
  }

  @Test
  void aFailureOnTheCallersThreadAlsoMakesItUnusable() throws IOException {
    RowPipeline p = new RowPipeline(new ByteArrayOutputStream(), () -> (rows, first, out) -> {
      throw new IllegalArgumentException("bad value");
    }, false);
    assertThrows(IllegalArgumentException.class, () -> p.add(row(1, 4)));
    assertThrows(IllegalArgumentException.class, () -> p.add(row(2, 4)));
    assertThrows(IllegalArgumentException.class, p::finish);
  }

  @Test
  void oneThreadModeIsExactAfterEveryRow() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    RowPipeline p = new RowPipeline(out, () -> slowTextEncoder(1), false);
    for (long i = 0; i < 50; i++) {
      p.add(row(i, 100));
      assertEquals(out.size(), p.bytesEstimate());
    }
    p.finish();
  }

  @Test
  void estimateScalesWithRowSizeAndNeverDecreases() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    // output bytes = 3 x the vector bytes, like float text
    RowPipeline p = new RowPipeline(out, () -> (rows, first, sink) -> {
      for (ValidRow r : rows) {
        sink.write(new byte[3 * 4 * ((float[]) r.get(1)).length]);
      }
    });
    long last = 0;
    for (long i = 0; i < 2000; i++) {
      p.add(row(i, 400 + (int) (i % 7) * 400));
      long e = p.bytesEstimate();
      assertTrue(e >= last, "never decreases");
      last = e;
    }
    p.finish();
    long real = out.size();
    assertTrue(Math.abs(last - real) <= real / 50, last + " vs " + real);
  }

  @Test
  void abortDropsQueuedRows() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    RowPipeline p = new RowPipeline(out, () -> slowTextEncoder(3));
    for (long i = 0; i < 1000; i++) {
      p.add(row(i, 4000));
    }
    p.abort();
    assertThrows(IllegalStateException.class, () -> p.add(row(1, 4)));
    assertTrue(out.size() < 1000 * 4, "not everything was written");
  }
}
