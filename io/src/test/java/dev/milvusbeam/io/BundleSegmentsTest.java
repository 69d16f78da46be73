package dev.milvusbeam.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.milvusbeam.core.format.FileType;
import dev.milvusbeam.core.format.FormatOptions;
import dev.milvusbeam.core.row.RowValidator;
import dev.milvusbeam.core.row.ValidRow;
import dev.milvusbeam.core.schema.CollectionSchema;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BundleSegmentsTest {
  @TempDir Path dir;

  private static List<ValidRow> rows(CollectionSchema schema, int n) {
    RowValidator v = new RowValidator(schema, FileType.PARQUET.columnCheck(FormatOptions.defaults()));
    List<ValidRow> rows = new ArrayList<>();
    for (String line : MilvusIOTest.seedRows(n)) {
      rows.add(v.validateJson(line).orThrow());
    }
    return rows;
  }

  @Test
  void aTailBelowTheThresholdIsSpilledToAFileOfTheAttemptAndOnlyItsNameIsOutput()
      throws Exception {
    CollectionSchema schema = MilvusIOTest.schema("seed");
    SegmentSpec spec = new SegmentSpec(schema, FileType.PARQUET, FormatOptions.defaults(),
        128L << 20, dir.resolve("temp").toString(), MilvusIO.DEFAULT_TAIL_THRESHOLD);
    String attempt = dir.resolve("temp/attempt").toString();
    BundleSegments bundle = new BundleSegments(spec, attempt);
    List<ValidRow> in = rows(schema, 500);
    for (ValidRow r : in) {
      bundle.add(r);
    }
    ValidRowCoder coder = new ValidRowCoder(schema);
    List<RowChunk> tail = bundle.finish(coder);

    assertTrue(bundle.segments().isEmpty(), "no segment of its own: " + bundle.segments());
    assertEquals(1, tail.size());
    RowChunk chunk = tail.get(0);
    assertNull(chunk.bytes(), "the rows stay in the file, out of the shuffle");
    assertEquals(Path.of(attempt, BundleSegments.TAIL_FILE).toString(), chunk.file());
    assertTrue(Files.size(Path.of(chunk.file())) > 0);
    assertEquals(500, chunk.rows());
    assertEquals(in.stream().mapToLong(ValidRow::estimatedBytes).sum(), chunk.estimatedBytes());

    List<ValidRow> back = new ArrayList<>();
    chunk.read(coder, back::add);
    assertEquals(500, back.size());
    for (int i = 0; i < in.size(); i++) {
      assertEquals(in.get(i), back.get(i));
    }

    bundle.abort(); // a failed attempt: its spill file goes with its folder
    assertFalse(Files.exists(Path.of(attempt)));
  }

  @Test
  void nothingHeldSpillsNothing() throws Exception {
    CollectionSchema schema = MilvusIOTest.schema("seed");
    SegmentSpec spec = new SegmentSpec(schema, FileType.PARQUET, FormatOptions.defaults(),
        128L << 20, dir.resolve("temp").toString(), 0);
    String attempt = dir.resolve("temp/attempt").toString();
    BundleSegments bundle = new BundleSegments(spec, attempt);
    for (ValidRow r : rows(schema, 50)) {
      bundle.add(r); // threshold 0: the first row opens the segment
    }
    assertTrue(bundle.finish(new ValidRowCoder(schema)).isEmpty());
    assertEquals(1, bundle.segments().size());
    assertFalse(Files.exists(Path.of(attempt, BundleSegments.TAIL_FILE)));
  }
}
