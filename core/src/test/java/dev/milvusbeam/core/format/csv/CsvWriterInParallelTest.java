package dev.milvusbeam.core.format.csv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.milvusbeam.core.format.FormatOptions;
import dev.milvusbeam.core.format.SegmentWriter;
import dev.milvusbeam.core.format.json.JsonSegmentWriterTest;
import dev.milvusbeam.core.row.RowValidator;
import dev.milvusbeam.core.row.ValidRow;
import dev.milvusbeam.core.schema.CollectionSchema;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * CSV rows encoded on pool threads, batch by batch, give exactly the bytes of
 * encoding them one by one on the caller's thread: order, separators between batches, quoting.
 */
class CsvWriterInParallelTest {
  private static final CollectionSchema SCHEMA = JsonSegmentWriterTest.vectorSchema(96);

  private static List<ValidRow> rows(int n) {
    RowValidator v = new RowValidator(SCHEMA);
    Random rnd = new Random(5);
    List<ValidRow> rows = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      rows.add(v.validate(JsonSegmentWriterTest.vectorRow(i, 96, rnd)).orThrow());
    }
    return rows;
  }

  private static byte[] write(List<ValidRow> rows, boolean background, char sep)
      throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    SegmentWriter w = new CsvSegmentWriter(SCHEMA, FormatOptions.defaults().withCsvSeparator(sep),
        out, background);
    for (ValidRow r : rows) {
      w.write(r);
    }
    w.close();
    assertEquals(out.size(), w.bytesWritten(), "bytesWritten is exact once closed");
    return out.toByteArray();
  }

  @Test
  void backgroundBatchesGiveTheSameBytesAsOneByOne() throws IOException {
    List<ValidRow> rows = rows(5000); // ~100 batches
    for (char sep : new char[] {',', '\t', '[', ';'}) {
      assertArrayEquals(write(rows, false, sep), write(rows, true, sep),
          "separator " + sep);
    }
  }

  @Test
  void everyRowIsThereInOrder() throws IOException {
    List<ValidRow> rows = rows(3000);
    String csv = new String(write(rows, true, ','), StandardCharsets.UTF_8);
    String[] lines = csv.split("\n");
    assertEquals(rows.size() + 1, lines.length);
    for (int i = 0; i < rows.size(); i++) {
      assertTrue(lines[i + 1].startsWith(i + ",\"["), lines[i + 1]);
    }
  }
}
