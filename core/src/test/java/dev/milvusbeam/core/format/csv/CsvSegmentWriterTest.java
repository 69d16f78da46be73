package dev.milvusbeam.core.format.csv;

import static dev.milvusbeam.core.schema.FieldParam.dim;
import static dev.milvusbeam.core.schema.FieldParam.isPrimary;
import static dev.milvusbeam.core.schema.FieldParam.maxLength;
import static dev.milvusbeam.core.schema.FieldParam.nullable;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.milvusbeam.core.row.NullKeyCheck;
import dev.milvusbeam.core.format.FormatOptions;
import dev.milvusbeam.core.format.SegmentWriter;
import dev.milvusbeam.core.format.FileType;
import dev.milvusbeam.core.format.DirectorySegmentOutput;
import dev.milvusbeam.core.format.AllTypesFixture;
import dev.milvusbeam.core.format.ReadBack;
import dev.milvusbeam.core.format.CsvTestReader;
import com.fasterxml.jackson.databind.JsonNode;
import dev.milvusbeam.core.format.CsvTestReader.Cell;
import dev.milvusbeam.core.row.RowValidator;
import dev.milvusbeam.core.row.ValidRow;
import dev.milvusbeam.core.schema.CollectionSchema;
import dev.milvusbeam.core.schema.DataType;
import dev.milvusbeam.core.schema.FieldSchema;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** CSV ({@code N.csv}) segments, read back with a strict RFC 4180 reader and Jackson. */
class CsvSegmentWriterTest {
  @TempDir Path tmp;

  static Stream<Arguments> dialects() {
    return Stream.of(
        Arguments.of(',', ""),
        Arguments.of(',', "NULL"),
        Arguments.of('\t', ""),
        Arguments.of('\t', "NULL"),
        Arguments.of(';', ""),
        Arguments.of(';', "NULL"));
  }

  private static final class Written {
    final String text;
    final long bytesAfterClose;
    final long fileSize;

    Written(String text, long bytesAfterClose, long fileSize) {
      this.text = text;
      this.bytesAfterClose = bytesAfterClose;
      this.fileSize = fileSize;
    }
  }

  private Written write(CollectionSchema s, FormatOptions o, List<ValidRow> rows)
      throws IOException {
    Path dir = Files.createTempDirectory(tmp, "seg");
    SegmentWriter w = FileType.CSV.open(s, o, new DirectorySegmentOutput(dir), 1);
    for (ValidRow r : rows) {
      w.write(r);
    }
    assertEquals(rows.size(), w.rowCount());
    w.close();
    Path f = dir.resolve("1.csv");
    byte[] bytes = Files.readAllBytes(f);
    assertFalse(bytes.length >= 3 && (bytes[0] & 0xff) == 0xef && (bytes[1] & 0xff) == 0xbb
        && (bytes[2] & 0xff) == 0xbf, "no byte-order mark");
    String text = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT)
        .decode(ByteBuffer.wrap(bytes)).toString();
    return new Written(text, w.bytesWritten(), bytes.length);
  }

  private static boolean needsQuotes(String cell, char sep) {
    return cell.indexOf(sep) >= 0 || cell.indexOf('"') >= 0 || cell.indexOf('\n') >= 0
        || cell.indexOf('\r') >= 0;
  }

  /** Header = column names, every record the header's field count, quoting exactly where needed. */
  private static List<List<Cell>> parseChecked(CollectionSchema s, String text, char sep) {
    List<List<Cell>> records = CsvTestReader.parse(text, sep);
    assertFalse(records.isEmpty(), "no header");
    List<String> header = new ArrayList<>();
    for (Cell c : records.get(0)) {
      assertFalse(c.quoted, "header cell quoted: " + c);
      header.add(c.text);
    }
    List<String> names = new ArrayList<>();
    for (FieldSchema c : s.columns()) {
      names.add(c.name());
    }
    assertEquals(names, header);
    for (int r = 0; r < records.size(); r++) {
      List<Cell> rec = records.get(r);
      assertEquals(header.size(), rec.size(), "record " + r + " field count: " + rec);
      for (int i = 0; i < rec.size(); i++) {
        Cell c = rec.get(i);
        assertEquals(needsQuotes(c.text, sep), c.quoted, "record " + r + " column "
            + header.get(i) + ": quoted only (and always) when needed: " + c);
      }
    }
    return records;
  }

  // --------------------------------------------------------------------------- every type

  @ParameterizedTest(name = "sep={0} nullKey=\"{1}\"")
  @MethodSource("dialects")
  void everyTypeReadsBackEqual(char sep, String nullKey) throws IOException {
    CollectionSchema s = AllTypesFixture.schema();
    FormatOptions o = FormatOptions.defaults().withCsvSeparator(sep).withCsvNullKey(nullKey);
    List<ValidRow> rows = AllTypesFixture.validRows(s, nullKey);
    Written w = write(s, o, rows);
    assertFalse(w.text.startsWith("\uFEFF"));
    assertEquals(w.fileSize, w.bytesAfterClose, "bytesWritten() after close equals file size");

    List<List<Cell>> records = parseChecked(s, w.text, sep);
    assertEquals(rows.size() + 1, records.size());
    List<Map<String, Object>> inputs = AllTypesFixture.expectedRows();
    List<FieldSchema> cols = s.columns();
    for (int r = 0; r < inputs.size(); r++) {
      List<Cell> rec = records.get(r + 1);
      for (int i = 0; i < cols.size(); i++) {
        FieldSchema c = cols.get(i);
        Cell cell = rec.get(i);
        JsonNode n = ReadBack.csvCellToNode(c, cell.text, nullKey, cell.quoted);
        ReadBack.assertColumn(s, c, inputs.get(r), n);
      }
    }

    // explicit spot checks on the raw cells
    Map<String, Integer> at = new HashMap<>();
    for (int i = 0; i < cols.size(); i++) {
      at.put(cols.get(i).name(), i);
    }
    List<Cell> r1 = records.get(1);
    List<Cell> r2 = records.get(2);
    List<Cell> r3 = records.get(3);
    assertEquals("true", r1.get(at.get("flag")).text);
    assertEquals("false", r2.get(at.get("flag")).text);
    assertEquals(AllTypesFixture.TRICKY_TEXT, r1.get(at.get("text")).text);
    assertTrue(r1.get(at.get("text")).quoted);
    assertEquals("[0,1,128,255]", r1.get(at.get("bvec")).text, "binary vector as unsigned ints");
    assertEquals("[-128,-1,0,127]", r1.get(at.get("i8vec")).text);
    assertEquals("[1,2,3]", r1.get(at.get("doc_any")).text, "non-object JSON as its JSON text");
    assertEquals("\"just a string\"", r2.get(at.get("doc_any")).text);
    assertEquals("{}", r2.get(at.get("$meta")).text);
    assertEquals("9223372036854775807", r1.get(at.get("i64")).text);
    assertEquals("-9223372036854775808", r2.get(at.get("i64")).text);
    for (String nul : List.of("opt_text", "opt_i32", "opt_f64", "opt_doc", "opt_arr")) {
      assertEquals(nullKey, r2.get(at.get(nul)).text, nul + " null is the null key");
      assertFalse(r2.get(at.get(nul)).quoted, nul);
      assertEquals(nullKey, r3.get(at.get(nul)).text, nul + " missing is the null key");
    }
    assertEquals("7", r2.get(at.get("def_i16")).text, "null takes the default");
    assertEquals("99", r2.get(at.get("opt_def")).text, "null takes the default");
    assertEquals("dflt", r3.get(at.get("def_text")).text, "missing takes the default");
    JsonNode meta = ReadBack.tree(r1.get(at.get("$meta")).text);
    assertEquals(7, meta.get("extra_n").intValue());
    assertEquals("x\"y\n", meta.get("extra_s").textValue());
    JsonNode sparse = ReadBack.tree(r1.get(at.get("sparse")).text);
    assertEquals(0.5f, ReadBack.f32(sparse.get("12")));
  }

  // --------------------------------------------------------------------------- quoting

  static CollectionSchema textSchema() {
    return CollectionSchema.createSchema(false, false)
        .addField("id", DataType.INT64, isPrimary())
        .addField("s", DataType.VARCHAR, maxLength(256))
        .addField("opt", DataType.VARCHAR, maxLength(256), nullable())
        .addField("v", DataType.FLOAT_VECTOR, dim(2))
        .build();
  }

  static final List<String> NASTY = List.of("plain", "a,b", "a;b", "a\tb", "say \"hi\"", "\"",
      "\"\"", "line\nbreak", "cr\rhere", "crlf\r\nend", "\n", "\r", " leading and trailing ",
      "", "NULL", "null", "x\"", "\"x", "a,\"b\"\n,c", "\u00e9\uD83D\uDE00", "'single'");

  @ParameterizedTest(name = "sep={0} nullKey=\"{1}\"")
  @MethodSource("dialects")
  void quotingIsCorrectAndOnlyWhereNeeded(char sep, String nullKey) throws IOException {
    CollectionSchema s = textSchema();
    RowValidator v = new RowValidator(s, new NullKeyCheck(nullKey, CsvCells::text));
    List<ValidRow> rows = new ArrayList<>();
    List<String> expectedOpt = new ArrayList<>();
    long id = 0;
    for (String t : NASTY) {
      Map<String, Object> in = new HashMap<>();
      in.put("id", id++);
      in.put("s", t);
      in.put("v", new float[] {1.5f, -2f});
      // a nullable value equal to the null key cannot be told from null: the validator rejects it
      boolean ambiguous = t.equals(nullKey);
      in.put("opt", ambiguous ? null : t);
      expectedOpt.add(ambiguous ? null : t);
      rows.add(v.validate(in).orThrow());
    }
    Map<String, Object> nul = new HashMap<>();
    nul.put("id", id);
    nul.put("s", "x");
    nul.put("v", List.of(0, 0));
    rows.add(v.validate(nul).orThrow());
    expectedOpt.add(null);

    Written w = write(s, FormatOptions.defaults().withCsvSeparator(sep).withCsvNullKey(nullKey),
        rows);
    assertEquals(w.fileSize, w.bytesAfterClose);
    List<List<Cell>> records = parseChecked(s, w.text, sep);
    assertEquals(rows.size() + 1, records.size());
    for (int i = 0; i < NASTY.size(); i++) {
      List<Cell> rec = records.get(i + 1);
      assertEquals(Long.toString(i), rec.get(0).text);
      assertEquals(NASTY.get(i), rec.get(1).text, "VarChar cell " + i);
      String opt = expectedOpt.get(i);
      if (opt == null) {
        assertEquals(nullKey, rec.get(2).text);
        assertFalse(rec.get(2).quoted);
      } else {
        assertEquals(opt, rec.get(2).text);
      }
      JsonNode vec = ReadBack.tree(rec.get(3).text);
      assertEquals(1.5f, ReadBack.f32(vec.get(0)));
      assertEquals(-2f, ReadBack.f32(vec.get(1)));
      // the vector cell holds the JSON separator ',' : quoted exactly when ',' is the separator
      assertEquals(sep == ',', rec.get(3).quoted);
    }
    List<Cell> last = records.get(records.size() - 1);
    assertEquals(nullKey, last.get(2).text);
    assertFalse(last.get(2).quoted);
    // line ends: every record ends with \n and no \r appears outside quoted cells (reader checks);
    // the only \r in the file are the ones inside the VarChar values
    long crInValues = NASTY.stream().mapToLong(t -> t.chars().filter(c -> c == '\r').count()).sum();
    long crInFile = w.text.chars().filter(c -> c == '\r').count();
    assertEquals(crInValues * 2, crInFile, "column opt repeats every value that holds a \\r");
  }

  @Test
  void rawBytesOfASmallFile() throws IOException {
    CollectionSchema s = textSchema();
    RowValidator v = new RowValidator(s, new NullKeyCheck("", CsvCells::text));
    List<ValidRow> rows = List.of(
        v.validate(Map.of("id", 1L, "s", "a,b", "v", List.of(1, 2))).orThrow(),
        v.validate(Map.of("id", 2L, "s", "he said \"x\"", "opt", "ok", "v", List.of(0.5, 3)))
            .orThrow());
    String text = write(s, FormatOptions.defaults(), rows).text;
    assertEquals("id,s,opt,v\n"
        + "1,\"a,b\",,\"[1.0,2.0]\"\n"
        + "2,\"he said \"\"x\"\"\",ok,\"[0.5,3.0]\"\n", text);
    String tabs = write(s, FormatOptions.defaults().withCsvSeparator('\t').withCsvNullKey("NULL"),
        rows).text;
    assertEquals("id\ts\topt\tv\n"
        + "1\ta,b\tNULL\t[1.0,2.0]\n"
        + "2\t\"he said \"\"x\"\"\"\tok\t[0.5,3.0]\n", tabs);
  }

  @Test
  void emptySegmentIsTheHeaderOnly() throws IOException {
    CollectionSchema s = AllTypesFixture.schema();
    Written w = write(s, FormatOptions.defaults(), List.of());
    List<List<Cell>> records = parseChecked(s, w.text, ',');
    assertEquals(1, records.size());
    assertEquals(w.fileSize, w.bytesAfterClose);
  }

  @Test
  void largeCellsAndManyRowsWithSizeTracking() throws IOException {
    int dim = 3000; // a vector cell far larger than the writer's 8 KiB cell buffer
    CollectionSchema s = CollectionSchema.createSchema(false, true)
        .addField("id", DataType.INT64, isPrimary())
        .addField("v", DataType.FLOAT_VECTOR, dim(dim))
        .addField("s", DataType.VARCHAR, maxLength(65535))
        .build();
    RowValidator val = new RowValidator(s, new NullKeyCheck("", CsvCells::text));
    Random rnd = new Random(5);
    List<Map<String, Object>> inputs = new ArrayList<>();
    List<ValidRow> rows = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      float[] f = new float[dim];
      for (int k = 0; k < dim; k++) {
        f[k] = Float.intBitsToFloat(rnd.nextInt() & 0x7effffff) * (k % 2 == 0 ? 1 : -1);
      }
      Map<String, Object> in = new HashMap<>();
      in.put("id", (long) i);
      in.put("v", f);
      in.put("s", "x,\"y\"\n".repeat(i * 50));
      in.put("k" + i, "dyn,\"" + i);
      inputs.add(in);
      rows.add(val.validate(in).orThrow());
    }
    Path dir = Files.createTempDirectory(tmp, "big");
    SegmentWriter w = FileType.CSV.open(s, FormatOptions.defaults(), new DirectorySegmentOutput(dir),
        1);
    long last = w.bytesWritten();
    for (ValidRow r : rows) {
      w.write(r);
      assertTrue(w.bytesWritten() >= last, "bytesWritten never decreases while writing");
      last = w.bytesWritten();
    }
    w.close();
    Path f = dir.resolve("1.csv");
    assertEquals(Files.size(f), w.bytesWritten());
    // rows still being encoded on other threads are estimated: close, not exact
    assertTrue(Math.abs(last - w.bytesWritten()) <= w.bytesWritten() / 10, // skewed rows
        "estimate " + last + " vs real " + w.bytesWritten());
    String text = Files.readString(f);
    List<List<Cell>> records = parseChecked(s, text, ',');
    assertEquals(rows.size() + 1, records.size());
    for (int r = 0; r < inputs.size(); r++) {
      for (int i = 0; i < s.columns().size(); i++) {
        FieldSchema c = s.columns().get(i);
        Cell cell = records.get(r + 1).get(i);
        ReadBack.assertColumn(s, c, inputs.get(r), ReadBack.csvCellToNode(c, cell.text, "",
            cell.quoted));
      }
    }
  }

  @Test
  void nonAsciiSeparatorIsRefused() {
    assertThrows(IllegalArgumentException.class,
        () -> FormatOptions.defaults().withCsvSeparator('\u00a7'));
  }

  @Test
  void illegalSeparatorsAndNullKeysAreRefused() {
    for (char c : new char[] {'\0', '\n', '\r', '"'}) {
      assertThrows(IllegalArgumentException.class,
          () -> FormatOptions.defaults().withCsvSeparator(c), "separator " + (int) c);
    }
    for (String k : List.of("a\"b", "x\ny", "\r")) {
      assertThrows(IllegalArgumentException.class, () -> FormatOptions.defaults().withCsvNullKey(k),
          "null key " + k);
    }
    // a null key holding the separator: refused when the options are checked as a whole,
    // whichever was set first
    assertThrows(IllegalArgumentException.class,
        () -> FormatOptions.defaults().withCsvNullKey(",").check());
    assertThrows(IllegalArgumentException.class,
        () -> FormatOptions.defaults().withCsvNullKey(";").withCsvSeparator(';').check());
    assertThrows(IllegalArgumentException.class,
        () -> FormatOptions.defaults().withCsvSeparator(';').withCsvNullKey("a;b").check());
    FormatOptions.defaults().withCsvNullKey(",").withCsvSeparator(';').check(); // fine together
  }

  // --------------------------------------------------------------------------- exotic dialects

  /**
   * A separator that could occur in a number or boolean cell is refused up front; every accepted
   * one gives a parseable file.
   */
  @Test
  void separatorsThatOccurInNumbersOrBooleansStillGiveAValidFile() throws IOException {
    CollectionSchema s = CollectionSchema.createSchema(false, false)
        .addField("id", DataType.INT64, isPrimary())
        .addField("x", DataType.FLOAT)
        .addField("d", DataType.DOUBLE)
        .addField("b", DataType.BOOL)
        .addField("v", DataType.FLOAT_VECTOR, dim(2))
        .build();
    RowValidator val = new RowValidator(s, new NullKeyCheck("", CsvCells::text));
    List<ValidRow> rows = List.of(
        val.validate(Map.of("id", -12L, "x", 1.5f, "d", 1e-10, "b", true, "v", List.of(1, 2)))
            .orThrow(),
        val.validate(Map.of("id", 10L, "x", -0.25f, "d", 3.0, "b", false, "v", List.of(0, 1)))
            .orThrow());
    for (char sep : new char[] {'.', '-', 'e', '1', 'a', 'E', 'r'}) {
      // such separators are refused up front, with the reason
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> FormatOptions.defaults().withCsvSeparator(sep), "sep '" + sep + "'");
      assertTrue(e.getMessage().contains("number"), e.getMessage());
    }
    for (char sep : new char[] {',', ';', '\t', '|', ' ', ':'}) {
      Written w = write(s, FormatOptions.defaults().withCsvSeparator(sep), rows);
      List<List<Cell>> records = parseChecked(s, w.text, sep);
      assertEquals(3, records.size(), "sep '" + sep + "'");
      assertEquals("-12", records.get(1).get(0).text, "sep '" + sep + "'");
      assertEquals("1.5", records.get(1).get(1).text, "sep '" + sep + "'");
      assertEquals("true", records.get(1).get(3).text, "sep '" + sep + "'");
      assertEquals("false", records.get(2).get(3).text, "sep '" + sep + "'");
    }
  }

  /**
   * A non-null value must never be written as the bare null key (Milvus would read it back as
   * null or as the default): the validator for CSV must reject it, whatever its type.
   */
  @Test
  void valuesEqualToTheNullKeyAreNeverWrittenAsIt() throws IOException {
    CollectionSchema s = CollectionSchema.createSchema(false, false)
        .addField("id", DataType.INT64, isPrimary())
        .addField("v", DataType.FLOAT_VECTOR, dim(2))
        .addField("x", DataType.FLOAT, nullable())
        .addField("d", DataType.DOUBLE, nullable())
        .addField("arr", DataType.ARRAY, dev.milvusbeam.core.schema.FieldParam.elementType(
            DataType.INT64), dev.milvusbeam.core.schema.FieldParam.maxCapacity(4), nullable())
        .build();
    Object[][] cases = {{"x", 1.5f, "1.5"}, {"d", 0.5, "0.5"}, {"arr", List.of(), "[]"},
        {"arr", List.of(1L), "[1]"}};
    List<String> written = new ArrayList<>();
    for (Object[] c : cases) {
      String field = (String) c[0];
      String nullKey = (String) c[2];
      RowValidator val = new RowValidator(s, new NullKeyCheck(nullKey, CsvCells::text));
      Map<String, Object> in = new HashMap<>();
      in.put("id", 1L);
      in.put("v", List.of(1, 2));
      in.put(field, c[1]);
      var result = val.validate(in);
      if (!result.isValid()) {
        continue; // rejected: fine
      }
      Written w = write(s, FormatOptions.defaults().withCsvNullKey(nullKey),
          List.of(result.row()));
      List<List<Cell>> records = parseChecked(s, w.text, ',');
      int col = s.columns().indexOf(s.field(field));
      if (records.get(1).get(col).text.equals(nullKey)) {
        written.add(field + "=" + c[1] + " written as the null key \"" + nullKey + "\"");
      }
    }
    assertEquals(List.of(), written);
  }
}
