package dev.milvusbeam.core.format.json;

import static dev.milvusbeam.core.schema.FieldParam.dim;
import static dev.milvusbeam.core.schema.FieldParam.isPrimary;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.milvusbeam.core.format.FormatOptions;
import dev.milvusbeam.core.format.SegmentWriter;
import dev.milvusbeam.core.format.FileType;
import dev.milvusbeam.core.format.DirectorySegmentOutput;
import dev.milvusbeam.core.format.AllTypesFixture;
import dev.milvusbeam.core.format.ReadBack;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import dev.milvusbeam.core.row.RowValidator;
import dev.milvusbeam.core.row.ValidRow;
import dev.milvusbeam.core.schema.CollectionSchema;
import dev.milvusbeam.core.schema.DataType;
import dev.milvusbeam.core.schema.FieldSchema;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** JSON ({@code N.json}) and JSONL ({@code N.jsonl}) segments, read back with Jackson. */
public class JsonSegmentWriterTest {
  @TempDir Path tmp;

  private final CollectionSchema schema = AllTypesFixture.schema();

  /** Writes the rows as segment 1 of the type; returns the file. */
  private Path write(FileType type, CollectionSchema s, List<ValidRow> rows, long[] bytesAfterClose)
      throws IOException {
    SegmentWriter w = type.open(s, FormatOptions.defaults(), new DirectorySegmentOutput(tmp), 1);
    for (ValidRow r : rows) {
      w.write(r);
    }
    assertEquals(rows.size(), w.rowCount());
    w.close();
    if (bytesAfterClose != null) {
      bytesAfterClose[0] = w.bytesWritten();
    }
    Path f = tmp.resolve("1." + type.extension());
    assertTrue(Files.isRegularFile(f), "segment file " + f);
    return f;
  }

  private static String utf8Strict(byte[] b) throws CharacterCodingException {
    return StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT)
        .decode(ByteBuffer.wrap(b)).toString();
  }

  private static void assertNoBom(byte[] b) {
    assertFalse(b.length >= 3 && (b[0] & 0xff) == 0xef && (b[1] & 0xff) == 0xbb
        && (b[2] & 0xff) == 0xbf, "the file starts with a UTF-8 byte-order mark");
  }

  private void assertRow(ObjectNodeView row, Map<String, Object> input) {
    List<String> keys = new ArrayList<>();
    row.node.fieldNames().forEachRemaining(keys::add);
    List<String> names = new ArrayList<>();
    for (FieldSchema c : schema.columns()) {
      names.add(c.name());
    }
    assertEquals(names, keys, "row keys must be the schema columns in order");
    for (FieldSchema c : schema.columns()) {
      ReadBack.assertColumn(schema, c, input, row.node.get(c.name()));
    }
  }

  /** Just a typed holder so that the assertion reads well. */
  private static final class ObjectNodeView {
    final JsonNode node;

    ObjectNodeView(JsonNode node) {
      assertTrue(node.isObject(), "a row must be an object: " + node);
      this.node = node;
    }
  }

  // ------------------------------------------------------------------------------------ JSON

  @Test
  void jsonFileIsRowsObjectWithEveryTypeReadBackEqual() throws IOException {
    List<ValidRow> rows = AllTypesFixture.validRows(schema, null);
    Path f = write(FileType.JSON, schema, rows, null);
    byte[] bytes = Files.readAllBytes(f);
    assertNoBom(bytes);
    String text = utf8Strict(bytes);
    assertEquals('{', text.charAt(0), "the file starts with the object, no whitespace/BOM");

    // structure with a streaming parser: { "rows" : [ ... ] } and nothing else
    try (JsonParser p = ReadBack.MAPPER.createParser(bytes)) {
      assertEquals(JsonToken.START_OBJECT, p.nextToken());
      assertEquals(JsonToken.FIELD_NAME, p.nextToken());
      assertEquals("rows", p.currentName(), "'rows' must be the first key");
      assertEquals(JsonToken.START_ARRAY, p.nextToken());
      int n = 0;
      while (p.nextToken() == JsonToken.START_OBJECT) {
        p.skipChildren();
        n++;
      }
      assertEquals(JsonToken.END_ARRAY, p.currentToken());
      assertEquals(rows.size(), n);
      assertEquals(JsonToken.END_OBJECT, p.nextToken(), "'rows' must be the only key");
      assertNull(p.nextToken(), "nothing may follow the top-level object");
    }

    JsonNode root = ReadBack.tree(text);
    assertEquals(1, root.size());
    JsonNode arr = root.get("rows");
    assertTrue(arr.isArray());
    List<Map<String, Object>> inputs = AllTypesFixture.expectedRows();
    assertEquals(inputs.size(), arr.size());
    for (int i = 0; i < inputs.size(); i++) {
      assertRow(new ObjectNodeView(arr.get(i)), inputs.get(i));
    }
  }

  @Test
  void specificEncodings() throws IOException {
    List<ValidRow> rows = AllTypesFixture.validRows(schema, null);
    Path f = write(FileType.JSON, schema, rows, null);
    JsonNode r = ReadBack.tree(Files.readString(f)).get("rows");
    JsonNode r1 = r.get(0);
    JsonNode r2 = r.get(1);
    JsonNode r3 = r.get(2);
    // binary vectors: unsigned 0..255; int8 vectors: signed
    assertEquals("[0,1,128,255]", r1.get("bvec").toString());
    assertEquals("[255,0,128,127]", r2.get("bvec").toString());
    assertEquals("[-128,-1,0,127]", r1.get("i8vec").toString());
    // sparse as {"<idx>": value}
    assertTrue(r1.get("sparse").isObject());
    assertEquals(0.5f, ReadBack.f32(r1.get("sparse").get("12")));
    assertEquals(1.25f, ReadBack.f32(r1.get("sparse").get("4294967294")));
    // JSON object inline, other JSON values as a string holding the text
    assertTrue(r1.get("doc").isObject());
    assertTrue(r2.get("doc").isObject(), "a JSON string holding an object is written inline");
    assertEquals("text", r2.get("doc").get("from").textValue());
    assertTrue(r1.get("doc_any").isTextual());
    assertEquals("[1,2,3]", r1.get("doc_any").textValue().replace(" ", ""));
    assertTrue(r2.get("doc_any").isTextual());
    assertEquals("just a string", ReadBack.tree(r2.get("doc_any").textValue()).textValue());
    assertEquals(42, ReadBack.tree(r3.get("doc_any").textValue()).intValue());
    // $meta inline object; {} when there are no dynamic keys
    assertTrue(r1.get("$meta").isObject());
    assertEquals(7, r1.get("$meta").get("extra_n").intValue());
    assertEquals("x\"y\n", r1.get("$meta").get("extra_s").textValue());
    assertEquals(List.of(1, 2), List.of(r1.get("$meta").get("m").get(0).intValue(),
        r1.get("$meta").get("m").get(1).intValue()));
    assertEquals("{}", r2.get("$meta").toString());
    assertEquals("\u65e5\u672c", r3.get("$meta").get("\u00fcber").textValue());
    // nulls and defaults
    assertTrue(r2.get("opt_text").isNull());
    assertTrue(r2.get("opt_arr").isNull());
    assertTrue(r3.get("opt_doc").isNull());
    assertEquals(7, r2.get("def_i16").intValue());
    assertEquals("dflt", r3.get("def_text").textValue());
    assertTrue(r3.get("def_bool").booleanValue());
    assertEquals(1.5f, ReadBack.f32(r3.get("def_f32")));
    assertEquals(99, r2.get("opt_def").intValue(), "null takes the default");
    // strings round trip exactly
    assertEquals(AllTypesFixture.TRICKY_TEXT, r1.get("text").textValue());
    assertEquals(Long.MAX_VALUE, r1.get("i64").longValue());
    assertEquals(Long.MIN_VALUE, r2.get("id").longValue());
  }

  @Test
  void emptyJsonSegmentIsEmptyRowsArray() throws IOException {
    long[] size = new long[1];
    Path f = write(FileType.JSON, schema, List.of(), size);
    String text = Files.readString(f);
    assertEquals("{\"rows\":[]}", text.strip());
    assertEquals(0, ReadBack.tree(text).get("rows").size());
  }

  @Test
  void jsonBytesWrittenAfterCloseEqualsFileSize() throws IOException {
    long[] size = new long[1];
    Path f = write(FileType.JSON, schema, AllTypesFixture.validRows(schema, null), size);
    assertEquals(Files.size(f), size[0]);
  }

  @Test
  void jsonBytesWrittenOfEmptySegmentEqualsFileSize() throws IOException {
    long[] size = new long[1];
    Path f = write(FileType.JSON, schema, List.of(), size);
    assertEquals(Files.size(f), size[0]);
  }

  @Test
  void jsonBytesWrittenTracksTheFileWhileWriting() throws IOException {
    CollectionSchema s = vectorSchema(32);
    SegmentWriter w = FileType.JSON.open(s, FormatOptions.defaults(),
        new DirectorySegmentOutput(tmp), 1);
    RowValidator v = new RowValidator(s);
    Random rnd = new Random(7);
    long first = w.bytesWritten();
    long last = first;
    for (int i = 0; i < 2000; i++) {
      w.write(v.validate(vectorRow(i, 32, rnd)).orThrow());
      long now = w.bytesWritten();
      assertTrue(now >= last, "bytesWritten never decreases while writing");
      last = now;
    }
    assertTrue(last > first, "bytesWritten grows");
    w.close();
    long real = Files.size(tmp.resolve("1.json"));
    // rows still being encoded on other threads are estimated: close, not exact
    assertTrue(Math.abs(last - real) <= real / 50, "estimate " + last + " vs real " + real);
    assertEquals(real, w.bytesWritten(), "exact once closed");
  }

  // ------------------------------------------------------------------------------------ JSONL

  @Test
  void jsonlOneObjectPerLineWithEveryType() throws IOException {
    List<ValidRow> rows = AllTypesFixture.validRows(schema, null);
    long[] size = new long[1];
    Path f = write(FileType.JSONL, schema, rows, size);
    byte[] bytes = Files.readAllBytes(f);
    assertNoBom(bytes);
    String text = utf8Strict(bytes);
    assertFalse(text.contains("\r"), "no \\r line ends");
    assertTrue(text.endsWith("\n"), "the last line ends with \\n");
    assertFalse(text.endsWith("\n\n"), "no blank line at the end");
    assertFalse(text.startsWith("\n"));
    String[] lines = text.substring(0, text.length() - 1).split("\n", -1);
    assertEquals(rows.size(), lines.length);
    List<Map<String, Object>> inputs = AllTypesFixture.expectedRows();
    for (int i = 0; i < lines.length; i++) {
      assertFalse(lines[i].isBlank(), "blank line " + i);
      assertEquals('{', lines[i].charAt(0));
      assertEquals('}', lines[i].charAt(lines[i].length() - 1), "no trailing separator");
      assertRow(new ObjectNodeView(ReadBack.tree(lines[i])), inputs.get(i));
    }
    assertEquals(bytes.length, size[0], "bytesWritten() after close equals the file size");
  }

  @Test
  void emptyJsonlSegmentIsEmpty() throws IOException {
    long[] size = new long[1];
    Path f = write(FileType.JSONL, schema, List.of(), size);
    assertEquals(0, Files.size(f));
    assertEquals(0, size[0]);
  }

  @Test
  void jsonlManyRowsOneLineEachAndSizeTracked() throws IOException {
    CollectionSchema s = vectorSchema(16);
    RowValidator v = new RowValidator(s);
    Random rnd = new Random(11);
    List<ValidRow> rows = new ArrayList<>();
    List<Map<String, Object>> inputs = new ArrayList<>();
    for (int i = 0; i < 3000; i++) {
      Map<String, Object> in = vectorRow(i, 16, rnd);
      inputs.add(in);
      rows.add(v.validate(in).orThrow());
    }
    long[] size = new long[1];
    Path f = write(FileType.JSONL, s, rows, size);
    List<String> lines = Files.readAllLines(f, StandardCharsets.UTF_8);
    assertEquals(3000, lines.size());
    for (int i = 0; i < lines.size(); i++) {
      JsonNode n = ReadBack.tree(lines.get(i));
      for (FieldSchema c : s.columns()) {
        ReadBack.assertColumn(s, c, inputs.get(i), n.get(c.name()));
      }
    }
    assertEquals(Files.size(f), size[0]);
  }

  // -------------------------------------------------------------- float round trip, many values

  @Test
  void randomFloat32BitPatternsRoundTripExactly() throws IOException {
    int dim = 64;
    CollectionSchema s = CollectionSchema.createSchema(false, false)
        .addField("id", DataType.INT64, isPrimary())
        .addField("v", DataType.FLOAT_VECTOR, dim(dim))
        .addField("h", DataType.FLOAT16_VECTOR, dim(dim))
        .addField("b", DataType.BFLOAT16_VECTOR, dim(dim))
        .addField("x", DataType.FLOAT)
        .addField("d", DataType.DOUBLE)
        .build();
    RowValidator v = new RowValidator(s);
    Random rnd = new Random(42);
    List<Map<String, Object>> inputs = new ArrayList<>();
    List<ValidRow> rows = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      float[] f = new float[dim];
      float[] h = new float[dim];
      float[] b = new float[dim];
      for (int k = 0; k < dim; k++) {
        f[k] = randomFinite(rnd);
        h[k] = (float) ((rnd.nextDouble() - 0.5) * (k % 2 == 0 ? 130000 : 1e-3));
        b[k] = Float.intBitsToFloat(rnd.nextInt()) ;
        if (!Float.isFinite(b[k]) || Math.abs(b[k]) > 3.3e38f) {
          b[k] = 1.0f / (k + 1);
        }
        if (Math.abs(h[k]) >= 65504f) {
          h[k] = 65504f;
        }
      }
      double d = Double.longBitsToDouble(rnd.nextLong());
      if (!Double.isFinite(d)) {
        d = rnd.nextDouble();
      }
      Map<String, Object> in = Map.of("id", (long) i, "v", f, "h", h, "b", b,
          "x", randomFinite(rnd), "d", d);
      inputs.add(in);
      rows.add(v.validate(in).orThrow());
    }
    for (FileType t : new FileType[] {FileType.JSON, FileType.JSONL}) {
      Path f = write(t, s, rows, null);
      List<JsonNode> back = new ArrayList<>();
      if (t == FileType.JSON) {
        ReadBack.tree(Files.readString(f)).get("rows").forEach(back::add);
      } else {
        for (String line : Files.readAllLines(f)) {
          back.add(ReadBack.tree(line));
        }
      }
      assertEquals(rows.size(), back.size());
      for (int i = 0; i < back.size(); i++) {
        for (FieldSchema c : s.columns()) {
          ReadBack.assertColumn(s, c, inputs.get(i), back.get(i).get(c.name()));
        }
      }
    }
  }

  private static float randomFinite(Random rnd) {
    while (true) {
      float f = Float.intBitsToFloat(rnd.nextInt());
      if (Float.isFinite(f)) {
        return f;
      }
    }
  }

  // ------------------------------------------------------------------------------------ helpers

  public static CollectionSchema vectorSchema(int dim) {
    return CollectionSchema.createSchema(false, true)
        .addField("id", DataType.INT64, isPrimary())
        .addField("vector", DataType.FLOAT_VECTOR, dim(dim))
        .addField("name", DataType.VARCHAR, dev.milvusbeam.core.schema.FieldParam.maxLength(64))
        .build();
  }

  public static Map<String, Object> vectorRow(int i, int dim, Random rnd) {
    float[] f = new float[dim];
    for (int k = 0; k < dim; k++) {
      f[k] = rnd.nextFloat() * 2 - 1;
    }
    return Map.of("id", (long) i, "vector", f, "name", "row " + i, "dyn", i % 3);
  }

}
