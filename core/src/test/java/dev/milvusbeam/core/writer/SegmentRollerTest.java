package dev.milvusbeam.core.writer;

import static dev.milvusbeam.core.schema.FieldParam.dim;
import static dev.milvusbeam.core.schema.FieldParam.isPrimary;
import static dev.milvusbeam.core.schema.FieldParam.maxLength;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.milvusbeam.core.format.DirectorySegmentOutput;
import dev.milvusbeam.core.format.FileType;
import dev.milvusbeam.core.format.FormatOptions;
import dev.milvusbeam.core.format.SegmentOutput;
import dev.milvusbeam.core.row.RowValidator;
import dev.milvusbeam.core.row.ValidRow;
import dev.milvusbeam.core.schema.CollectionSchema;
import dev.milvusbeam.core.schema.DataType;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.io.LocalInputFile;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Rolling into size-bounded, gap-free segments through a {@link SegmentStore}. */
class SegmentRollerTest {
  private static final long TARGET = 256 * 1024;
  private static final long ROW_GROUP = 64 * 1024;
  private static final int DIM = 100;
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;
  private Path spool;
  private FormatOptions options;

  @BeforeEach
  void setUp() throws IOException {
    spool = Files.createDirectories(tmp.resolve("spool"));
    options = FormatOptions.defaults().withParquetRowGroupBytes(ROW_GROUP).withTempDirectory(spool);
  }

  // ------------------------------------------------------------------------- a test store

  /**
   * Stages each segment under {@code staging/<n>/} and moves its files into {@code data/} on
   * commit; records every call; can be told to fail.
   */
  static class DirStore implements SegmentStore {
    final Path staging;
    final Path data;
    final List<String> calls = Collections.synchronizedList(new ArrayList<>());
    int failBegins;
    boolean failCommit;
    /** Streams fail after this many bytes (-1: never). */
    long failStreamAfter = -1;
    boolean failStreamOnClose;

    DirStore(Path root) throws IOException {
      this.staging = Files.createDirectories(root.resolve("staging"));
      this.data = Files.createDirectories(root.resolve("data"));
    }

    @Override
    public String dataPath() {
      return data.toString();
    }

    @Override
    public SegmentOutput begin(int number) throws IOException {
      calls.add("begin " + number);
      if (failBegins > 0) {
        failBegins--;
        throw new IOException("begin failed (test)");
      }
      SegmentOutput dir = new DirectorySegmentOutput(staging.resolve(Integer.toString(number)));
      return p -> new FailingStream(dir.create(p), failStreamAfter, failStreamOnClose);
    }

    @Override
    public void commit(int number, List<String> files) throws IOException {
      calls.add("commit " + number + " " + files);
      if (failCommit) {
        throw new IOException("commit failed (test)");
      }
      Path src = staging.resolve(Integer.toString(number));
      for (String f : files) {
        Path to = data.resolve(f);
        Files.createDirectories(to.getParent());
        Files.move(src.resolve(f), to);
      }
      deleteTree(src);
    }

    @Override
    public void discard(int number) {
      calls.add("discard " + number);
      try {
        deleteTree(staging.resolve(Integer.toString(number)));
      } catch (IOException e) {
        throw new AssertionError(e);
      }
    }

    @Override
    public void cleanUp() {
      calls.add("cleanUp");
    }

    long count(String prefix) {
      synchronized (calls) {
        return calls.stream().filter(c -> c.startsWith(prefix)).count();
      }
    }
  }

  static final class FailingStream extends FilterOutputStream {
    private final long limit;
    private final boolean failOnClose;
    private long n;

    FailingStream(OutputStream out, long limit, boolean failOnClose) {
      super(out);
      this.limit = limit;
      this.failOnClose = failOnClose;
    }

    @Override
    public void write(int b) throws IOException {
      check(1);
      out.write(b);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      check(len);
      out.write(b, off, len);
    }

    private void check(int len) throws IOException {
      if (limit >= 0 && n + len > limit) {
        throw new IOException("disk full (test)");
      }
      n += len;
    }

    @Override
    public void close() throws IOException {
      out.close();
      if (failOnClose) {
        throw new IOException("close failed (test)");
      }
    }
  }

  static void deleteTree(Path p) throws IOException {
    if (!Files.exists(p)) {
      return;
    }
    try (Stream<Path> s = Files.walk(p)) {
      for (Path x : s.sorted(Comparator.reverseOrder()).collect(Collectors.toList())) {
        Files.delete(x);
      }
    }
  }

  static List<String> listFiles(Path root) throws IOException {
    try (Stream<Path> s = Files.walk(root)) {
      return s.filter(Files::isRegularFile).map(p -> root.relativize(p).toString().replace('\\', '/'))
          .sorted().collect(Collectors.toList());
    }
  }

  // ------------------------------------------------------------------------- rows

  static CollectionSchema schema() {
    return CollectionSchema.createSchema(false, true)
        .addField("id", DataType.INT64, isPrimary())
        .addField("vector", DataType.FLOAT_VECTOR, dim(DIM))
        .addField("name", DataType.VARCHAR, maxLength(128))
        .addField("score", DataType.DOUBLE)
        .build();
  }

  static List<ValidRow> rows(CollectionSchema s, int n, long seed) {
    RowValidator v = new RowValidator(s);
    Random rnd = new Random(seed);
    List<ValidRow> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      float[] f = new float[DIM];
      for (int k = 0; k < DIM; k++) {
        f[k] = rnd.nextFloat() * 2 - 1;
      }
      out.add(v.validate(Map.of("id", (long) i, "vector", f, "name", "name-" + i + "-"
          + "x".repeat(rnd.nextInt(40)), "score", rnd.nextGaussian(), "tag", i % 7)).orThrow());
    }
    return out;
  }

  /** Real size of a segment: the file, or for NumPy the sum of its folder. */
  static long realSize(Path data, Segment s) throws IOException {
    long total = 0;
    for (String f : s.fileNames()) {
      total += Files.size(data.resolve(f));
    }
    return total;
  }

  private static final Pattern NPY_SHAPE = Pattern.compile("'shape': \\((\\d+),");

  /** Rows in a segment, read with an independent reader per format. */
  static long readRows(FileType t, Path data, Segment s) throws IOException {
    Path f = data.resolve(s.fileNames().get(0));
    switch (t) {
      case JSON: {
        JsonNode root = JSON.readTree(f.toFile());
        assertEquals(1, root.size());
        return root.get("rows").size();
      }
      case JSONL: {
        List<String> lines = Files.readAllLines(f, StandardCharsets.UTF_8);
        for (String l : lines) {
          assertTrue(JSON.readTree(l).isObject());
        }
        return lines.size();
      }
      case CSV: {
        String text = Files.readString(f);
        // rows here hold no quoted line breaks: one line per record, minus the header
        return text.chars().filter(c -> c == '\n').count() - 1;
      }
      case PARQUET: {
        try (ParquetFileReader r = ParquetFileReader.open(new LocalInputFile(f))) {
          long n = 0;
          for (BlockMetaData b : r.getFooter().getBlocks()) {
            n += b.getRowCount();
          }
          return n;
        }
      }
      case NUMPY: {
        long rows = -1;
        for (String file : s.fileNames()) {
          try (InputStream in = Files.newInputStream(data.resolve(file))) {
            byte[] head = in.readNBytes(10);
            int len = ByteBuffer.wrap(head, 8, 2).order(ByteOrder.LITTLE_ENDIAN).getShort() & 0xffff;
            String dict = new String(in.readNBytes(len), StandardCharsets.ISO_8859_1);
            Matcher m = NPY_SHAPE.matcher(dict);
            assertTrue(m.find(), dict);
            long n = Long.parseLong(m.group(1));
            if (rows >= 0) {
              assertEquals(rows, n, "every .npy of a segment has the same row count");
            }
            rows = n;
          }
        }
        return rows;
      }
      default:
        throw new AssertionError(t);
    }
  }

  // ------------------------------------------------------------------------- size bounds

  @ParameterizedTest
  @EnumSource(FileType.class)
  void segmentsAreNumberedWithoutGapsAndBoundedInRealSize(FileType type) throws IOException {
    CollectionSchema s = schema();
    DirStore store = new DirStore(tmp);
    SegmentRoller roller = new SegmentRoller(s, type, options, TARGET, store);
    int n = type == FileType.JSON || type == FileType.JSONL || type == FileType.CSV ? 2500 : 3500;
    List<ValidRow> rows = rows(s, n, 1);
    for (ValidRow r : rows) {
      roller.write(r);
    }
    roller.flush();
    List<Segment> segs = roller.committedSegments();
    assertTrue(segs.size() >= 4, "expected several segments, got " + segs);

    long rowSum = 0;
    long maxPerRow = 0;
    List<String> expectedFiles = new ArrayList<>();
    for (int i = 0; i < segs.size(); i++) {
      Segment seg = segs.get(i);
      assertEquals(i + 1, seg.number(), "segments are numbered 1..K without gaps");
      assertEquals(type.segmentFiles(s, i + 1), seg.fileNames());
      expectedFiles.addAll(seg.fileNames());
      rowSum += seg.rows();
      assertTrue(seg.rows() > 0);
      assertEquals(seg.rows(), readRows(type, store.data, seg), "rows of " + seg);
      maxPerRow = Math.max(maxPerRow, (realSize(store.data, seg) + seg.rows() - 1) / seg.rows());
    }
    assertEquals(n, rowSum, "no row lost or duplicated");
    Collections.sort(expectedFiles);
    assertEquals(expectedFiles, listFiles(store.data), "the data folder holds exactly the segments");
    assertEquals(List.of(), listFiles(store.staging), "nothing left in staging");
    assertEquals(List.of(), listFiles(spool), "no spool left");

    for (int i = 0; i < segs.size(); i++) {
      Segment seg = segs.get(i);
      long real = realSize(store.data, seg);
      // never past the target (NumPy: also when a longer name widens the whole text column),
      // and full but for the last
      assertTrue(real <= TARGET, type + " " + seg + ": real size " + real + " > " + TARGET);
      if (i < segs.size() - 1) {
        assertTrue(real >= TARGET * 0.9, type + " " + seg + ": rolled early (" + real
            + " bytes of " + TARGET + ", rows of about " + maxPerRow + " bytes)");
      }
      if (type != FileType.JSON) { // JSON: see jsonSegmentBytesEqualRealSize
        assertEquals(real, seg.bytes(), type + " " + seg + ": Segment.bytes is the real size");
      }
    }
  }

  @Test
  void jsonSegmentBytesEqualRealSize() throws IOException {
    CollectionSchema s = schema();
    DirStore store = new DirStore(tmp);
    SegmentRoller roller = new SegmentRoller(s, FileType.JSON, options, TARGET, store);
    for (ValidRow r : rows(s, 600, 2)) {
      roller.write(r);
    }
    roller.flush();
    for (Segment seg : roller.committedSegments()) {
      assertEquals(realSize(store.data, seg), seg.bytes(), seg.toString());
    }
  }

  @ParameterizedTest
  @EnumSource(FileType.class)
  void aTargetBelowOneRowGivesOneRowPerSegment(FileType type) throws IOException {
    CollectionSchema s = schema();
    DirStore store = new DirStore(tmp);
    SegmentRoller roller = new SegmentRoller(s, type, options, 1, store);
    for (ValidRow r : rows(s, 5, 3)) {
      roller.write(r);
    }
    roller.flush();
    List<Segment> segs = roller.committedSegments();
    assertEquals(5, segs.size());
    for (int i = 0; i < 5; i++) {
      assertEquals(i + 1, segs.get(i).number());
      assertEquals(1, segs.get(i).rows());
      assertEquals(1, readRows(type, store.data, segs.get(i)));
    }
  }

  // ------------------------------------------------------------------------- flush

  @ParameterizedTest
  @EnumSource(FileType.class)
  void flushWithoutRowsCreatesNothing(FileType type) throws IOException {
    CollectionSchema s = schema();
    DirStore store = new DirStore(tmp);
    SegmentRoller roller = new SegmentRoller(s, type, options, TARGET, store);
    roller.flush();
    roller.flush();
    assertEquals(List.of(), store.calls);
    assertEquals(List.of(), roller.committedSegments());
    assertEquals(List.of(), listFiles(tmp));
    assertEquals(0, roller.pendingRows());

    roller.write(rows(s, 1, 4).get(0));
    assertEquals(1, roller.pendingRows());
    roller.flush();
    roller.flush(); // nothing pending: no empty second segment
    assertEquals(1, roller.committedSegments().size());
    assertEquals(1, store.count("begin"));
    assertEquals(1, store.count("commit"));
    assertEquals(0, roller.pendingRows());
  }

  @Test
  void explicitFlushesCutSegments() throws IOException {
    CollectionSchema s = schema();
    DirStore store = new DirStore(tmp);
    SegmentRoller roller = new SegmentRoller(s, FileType.JSONL, options, TARGET, store);
    List<ValidRow> rows = rows(s, 30, 5);
    for (int i = 0; i < 30; i++) {
      roller.write(rows.get(i));
      if (i % 10 == 9) {
        roller.flush();
      }
    }
    List<Segment> segs = roller.committedSegments();
    assertEquals(3, segs.size());
    for (int i = 0; i < 3; i++) {
      assertEquals(i + 1, segs.get(i).number());
      assertEquals(10, segs.get(i).rows());
      assertEquals(List.of((i + 1) + ".jsonl"), segs.get(i).fileNames());
    }
    assertEquals(List.of("1.jsonl", "2.jsonl", "3.jsonl"), listFiles(store.data));
  }

  @Test
  void badTargetIsRefused() {
    assertThrows(IllegalArgumentException.class,
        () -> new SegmentRoller(schema(), FileType.JSON, options, 0, new DirStore(tmp)));
  }

  // ------------------------------------------------------------------------- failures

  @Test
  void failingBeginSurfacesAndTheNextSegmentKeepsNumberOne() throws IOException {
    CollectionSchema s = schema();
    DirStore store = new DirStore(tmp);
    store.failBegins = 1;
    SegmentRoller roller = new SegmentRoller(s, FileType.JSON, options, TARGET, store);
    List<ValidRow> rows = rows(s, 3, 6);
    IOException e = assertThrows(IOException.class, () -> roller.write(rows.get(0)));
    assertEquals("begin failed (test)", e.getMessage());
    assertEquals(List.of(), roller.committedSegments());
    roller.write(rows.get(1));
    roller.flush();
    assertEquals(1, roller.committedSegments().size());
    assertEquals(1, roller.committedSegments().get(0).number());
    assertEquals(List.of("1.json"), listFiles(store.data));
  }

  @ParameterizedTest
  @EnumSource(FileType.class)
  void streamFailingOnCloseSurfacesAndDiscards(FileType type) throws IOException {
    CollectionSchema s = schema();
    DirStore store = new DirStore(tmp);
    store.failStreamOnClose = true;
    SegmentRoller roller = new SegmentRoller(s, type, options, TARGET, store);
    for (ValidRow r : rows(s, 3, 7)) {
      roller.write(r);
    }
    IOException e = assertThrows(IOException.class, roller::flush);
    assertTrue(e.getMessage().contains("close failed"), e.toString());
    assertEquals(1, store.count("discard 1"), store.calls.toString());
    assertEquals(0, store.count("commit"), store.calls.toString());
    assertEquals(List.of(), roller.committedSegments());
    assertEquals(List.of(), listFiles(store.data));
    assertEquals(List.of(), listFiles(store.staging), "discard dropped the staged files");
    assertEquals(List.of(), listFiles(spool), "no spool left");

    // the writer goes on: the next segment is number 1 again (no gap)
    store.failStreamOnClose = false;
    roller.write(rows(s, 1, 8).get(0));
    roller.flush();
    assertEquals(1, roller.committedSegments().get(0).number());
    assertEquals(type.segmentFiles(s, 1).stream().sorted().collect(Collectors.toList()),
        listFiles(store.data));
  }

  @ParameterizedTest
  @EnumSource(FileType.class)
  void streamFailingWhileWritingSurfacesAndAbortDiscards(FileType type) throws IOException {
    CollectionSchema s = schema();
    DirStore store = new DirStore(tmp);
    store.failStreamAfter = 10_000;
    SegmentRoller roller = new SegmentRoller(s, type, options, 50L << 20, store);
    List<ValidRow> rows = rows(s, 5000, 9);
    IOException e = assertThrows(IOException.class, () -> {
      for (ValidRow r : rows) {
        roller.write(r);
      }
      roller.flush();
    });
    assertTrue(e.getMessage().contains("disk full"), e.toString());
    roller.abort();
    assertEquals(1, store.count("discard 1"), store.calls.toString());
    assertEquals(0, store.count("commit"), store.calls.toString());
    assertEquals(List.of(), roller.committedSegments());
    assertEquals(List.of(), listFiles(store.data));
    assertEquals(List.of(), listFiles(store.staging));
    assertEquals(List.of(), listFiles(spool), "no spool left");
    roller.abort(); // twice: harmless
    assertEquals(1, store.count("discard"));
  }

  @Test
  void failingCommitSurfaces() throws IOException {
    CollectionSchema s = schema();
    DirStore store = new DirStore(tmp);
    store.failCommit = true;
    SegmentRoller roller = new SegmentRoller(s, FileType.CSV, options, TARGET, store);
    roller.write(rows(s, 1, 10).get(0));
    IOException e = assertThrows(IOException.class, roller::flush);
    assertEquals("commit failed (test)", e.getMessage());
    assertEquals(List.of(), roller.committedSegments());
    assertEquals(List.of(), listFiles(store.data));
  }

  @Test
  void failingCommitDiscardsTheStagedSegment() throws IOException {
    CollectionSchema s = schema();
    DirStore store = new DirStore(tmp);
    store.failCommit = true;
    SegmentRoller roller = new SegmentRoller(s, FileType.CSV, options, TARGET, store);
    roller.write(rows(s, 1, 10).get(0));
    assertThrows(IOException.class, roller::flush);
    roller.abort();
    assertEquals(1, store.count("discard 1"), store.calls.toString());
    assertEquals(List.of(), listFiles(store.staging));
  }

  @Test
  void theSameExceptionInstanceReachesTheCaller() throws IOException {
    IOException boom = new IOException("boom");
    SegmentStore store = new DirStore(tmp) {
      @Override
      public SegmentOutput begin(int number) throws IOException {
        throw boom;
      }
    };
    SegmentRoller roller = new SegmentRoller(schema(), FileType.PARQUET, options, TARGET, store);
    ValidRow row = rows(schema(), 1, 11).get(0);
    assertSame(boom, assertThrows(IOException.class, () -> roller.write(row)));
  }

  @Test
  void segmentFileNamesAreUniqueAcrossSegments() throws IOException {
    CollectionSchema s = schema();
    DirStore store = new DirStore(tmp);
    SegmentRoller roller = new SegmentRoller(s, FileType.NUMPY, options, 64 * 1024, store);
    for (ValidRow r : rows(s, 600, 12)) {
      roller.write(r);
    }
    roller.flush();
    TreeSet<String> all = new TreeSet<>();
    for (Segment seg : roller.committedSegments()) {
      for (String f : seg.fileNames()) {
        assertTrue(all.add(f), "duplicate file " + f);
        assertTrue(f.startsWith(seg.number() + "/") && f.endsWith(".npy"), f);
      }
      assertTrue(seg.fileNames().contains(seg.number() + "/$meta.npy"), seg.toString());
      assertFalse(seg.fileNames().isEmpty());
    }
    assertEquals(new ArrayList<>(all), listFiles(store.data));
  }
}
