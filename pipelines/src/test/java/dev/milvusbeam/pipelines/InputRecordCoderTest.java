package dev.milvusbeam.pipelines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.util.CoderUtils;
import org.junit.jupiter.api.Test;

class InputRecordCoderTest {
  private static InputRecord roundTrip(InputRecord r) throws Exception {
    InputRecordCoder c = InputRecordCoder.of();
    return CoderUtils.decodeFromByteArray(c, CoderUtils.encodeToByteArray(c, r));
  }

  @Test
  void everyKindOfRecordComesBackAsItWas() throws Exception {
    InputRecord json = InputRecord.json("/in/a.jsonl", 7, "{\"id\":1}".getBytes(StandardCharsets.UTF_8));
    assertEquals(json, roundTrip(json));
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("id", 3L);
    row.put("v", List.of(0.5, 1.0f, 2));
    row.put("ok", true);
    row.put("none", null);
    InputRecord csv = InputRecord.row("/in/b.csv", 12, row, "the record has 3 cells, the header 4");
    assertEquals(csv, roundTrip(csv));

    InputRecord unreadable = InputRecord.unreadable("/in/c.jsonl.gz", 40,
        "cannot be read from line 40 on: Unexpected end of ZLIB input stream");
    InputRecord back = roundTrip(unreadable);
    assertTrue(back.unreadable);
    assertNull(back.payload);
    assertEquals(unreadable, back);
    assertFalse(roundTrip(csv).unreadable, "a record with a problem is not an unreadable file");
  }
}
