package dev.milvusbeam.core.format.json;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.milvusbeam.core.format.SegmentWriter;
import dev.milvusbeam.core.row.RowValidator;
import dev.milvusbeam.core.row.ValidRow;
import dev.milvusbeam.core.schema.CollectionSchema;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * JSON and JSONL rows encoded on pool threads, batch by batch, give exactly the bytes of
 * encoding them one by one on the caller's thread: order, separators between batches.
 */
class JsonWriterInParallelTest {
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

  private static byte[] write(String type, List<ValidRow> rows, boolean background)
      throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    SegmentWriter w = new JsonSegmentWriter(SCHEMA, out, type.equals("jsonl"), background);
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
    for (String type : List.of("json", "jsonl")) {
      byte[] parallel = write(type, rows, true);
      assertArrayEquals(write(type, rows, false), parallel, type);
    }
  }

  @Test
  void everyRowIsThereInOrderWithItsFloats() throws IOException {
    List<ValidRow> rows = rows(3000);
    JsonNode doc = new ObjectMapper().readTree(write("json", rows, true));
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
  }
}
