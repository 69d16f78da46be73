package dev.milvusbeam.core.format;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
 * JSON, JSONL and CSV rows encoded on pool threads, batch by batch, give exactly the bytes of
 * encoding them one by one on the caller's thread: order, separators between batches, quoting.
 */
class TextWritersInParallelTest {
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

  private static byte[] write(String type, List<ValidRow> rows, boolean background, char sep)
      throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    SegmentWriter w;
    switch (type) {
      case "json": w = new JsonSegmentWriter(SCHEMA, out, false, background); break;
      case "jsonl": w = new JsonSegmentWriter(SCHEMA, out, true, background); break;
      default:
        w = new CsvSegmentWriter(SCHEMA, FormatOptions.defaults().withCsvSeparator(sep), out,
            background);
    }
    for (ValidRow r : rows) {
      w.write(r);
    }
    w.close();
    assertEquals(out.size(), w.bytesWritten(), type + ": bytesWritten is exact once closed");
    return out.toByteArray();
  }

  @Test
  void backgroundBatchesGiveTheSameBytesAsOneByOne() throws IOException {
    List<ValidRow> rows = rows(5000); // ~100 batches
    for (String type : List.of("json", "jsonl", "csv")) {
      byte[] parallel = write(type, rows, true, ',');
      assertArrayEquals(write(type, rows, false, ','), parallel, type);
    }
    for (char sep : new char[] {'\t', '[', ';'}) {
      assertArrayEquals(write("csv", rows, false, sep), write("csv", rows, true, sep),
          "separator " + sep);
    }
  }

  @Test
  void everyRowIsThereInOrderWithItsFloats() throws IOException {
    List<ValidRow> rows = rows(3000);
    JsonNode doc = new ObjectMapper().readTree(write("json", rows, true, ','));
    JsonNode all = doc.get("rows");
    assertEquals(rows.size(), all.size());
    for (int i = 0; i < rows.size(); i++) {
      JsonNode r = all.get(i);
      assertEquals(i, r.get("id").asLong());
      float[] expected = (float[]) rows.get(i).get(1);
      JsonNode v = r.get("vector");
      for (int k = 0; k < expected.length; k++) {
        assertEquals(Float.floatToIntBits(expected[k]),
            Float.floatToIntBits(Float.parseFloat(v.get(k).asText())), "row " + i + " [" + k + "]");
      }
    }
    String csv = new String(write("csv", rows, true, ','), StandardCharsets.UTF_8);
    String[] lines = csv.split("\n");
    assertEquals(rows.size() + 1, lines.length);
    for (int i = 0; i < rows.size(); i++) {
      assertTrue(lines[i + 1].startsWith(i + ",\"["), lines[i + 1]);
    }
  }
}
