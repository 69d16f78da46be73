package dev.milvusbeam.pipelines;

import dev.milvusbeam.core.row.UnreadableInput;
import dev.milvusbeam.io.RecordReader;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.SeekableByteChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.io.Compression;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;

/**
 * Reads one {@link FileChunk} into {@link InputRecord}s, each knowing its file and 1-based line,
 * inside {@code MilvusIO.write}'s writing step ({@link RecordReader}): no record is stored or
 * encoded between reading and writing, also on the Direct runner, which holds each step's whole
 * output in memory. Nothing is checked here beyond what only the reader can see (a CSV record with
 * the wrong cell count): rows are parsed and validated by {@link InputRowParser}.
 *
 * <p>Bytes that cannot be decoded (a compressed stream cut short, CSV that is not UTF-8, a damaged
 * Parquet row group) end the chunk: the records before them are kept, and one record with the
 * first line not read follows them ({@link InputRecord#unreadable}), which the row parser rejects
 * with rule {@code unreadable-input}: rejected rows have one way out. A failure of reading (the
 * network, the store) fails the step, to be retried; the retry reads the chunk again.
 */
final class ChunkReader implements RecordReader<FileChunk, InputRecord> {
  private static final long serialVersionUID = 1L;
  private final InputFormat format;
  private final char csvSeparator;
  private static final Counter CHUNKS_READ = Metrics.counter("milvus", "inputChunksRead");
  private static final Counter BYTES_READ = Metrics.counter("milvus", "inputBytesRead");

  ChunkReader(InputFormat format, char csvSeparator) {
    this.format = format;
    this.csvSeparator = csvSeparator;
  }

  /** With {@code --dedupe} the records are grouped by primary key: they travel. */
  @Override
  public Coder<InputRecord> recordCoder() {
    return InputRecordCoder.of();
  }

  /** The same reader for groups of chunks, read one after the other. */
  RecordReader<Iterable<FileChunk>, InputRecord> grouped() {
    return new Grouped(this);
  }

  private static final class Grouped implements RecordReader<Iterable<FileChunk>, InputRecord> {
    private static final long serialVersionUID = 1L;
    private final ChunkReader chunks;

    Grouped(ChunkReader chunks) {
      this.chunks = chunks;
    }

    @Override
    public void read(Iterable<FileChunk> group, Records<InputRecord> out) throws IOException {
      for (FileChunk chunk : group) {
        chunks.read(chunk, out);
      }
    }

    @Override
    public Coder<InputRecord> recordCoder() {
      return chunks.recordCoder();
    }
  }

  @Override
  public void read(FileChunk chunk, RecordReader.Records<InputRecord> out)
      throws IOException {
    if (chunk.unreadable != null) { // found while planning: no byte of the file is read
      out.add(InputRecord.unreadable(chunk.file, 0, chunk.unreadable));
      CHUNKS_READ.inc();
      return;
    }
    long[] unread = {Math.max(1, chunk.firstLine)}; // the first line (record) not output yet
    try {
      if (format == InputFormat.PARQUET) {
        ParquetRows.read(chunk, out, unread);
        bytesRead(chunk.end - chunk.start);
      } else {
        try (InputStream in = open(chunk)) {
          if (format == InputFormat.JSONL) {
            readJsonLines(chunk, in, out, unread);
          } else {
            readCsv(chunk, in, out, unread);
          }
        }
      }
    } catch (IOException | RuntimeException e) {
      if (!UnreadableInput.isDamagedData(e)) {
        throw e;
      }
      out.add(UnreadableFiles.record(chunk.file, unread[0], "cannot be read", e));
    }
    CHUNKS_READ.inc();
  }

  /** The chunk's bytes (a compressed file: all of it, decompressed). */
  private static InputStream open(FileChunk chunk) throws IOException {
    ResourceId id = FileSystems.matchNewResource(chunk.file, false);
    ReadableByteChannel ch = FileSystems.open(id);
    Compression compression = Compression.valueOf(chunk.compression);
    if (compression != Compression.UNCOMPRESSED) { // the compressed bytes are counted
      return Channels.newInputStream(compression.readDecompressed(
          Channels.newChannel(new Counted(Channels.newInputStream(ch)))));
    }
    if (chunk.start > 0) {
      ((SeekableByteChannel) ch).position(chunk.start);
    }
    return new Counted(new Bounded(Channels.newInputStream(ch), chunk.end - chunk.start));
  }

  /** Input bytes read, for the progress display: a Beam counter and the JVM's live tally. */
  private static void bytesRead(long n) {
    BYTES_READ.inc(n);
    dev.milvusbeam.io.LiveCounters.inputBytesRead(n);
  }

  /** Counts the bytes read through it, reported each MiB and at the end. */
  private static final class Counted extends java.io.FilterInputStream {
    private long pending;

    Counted(InputStream in) {
      super(in);
    }

    private void count(long n) {
      pending += n;
      if (pending >= (1 << 20)) {
        bytesRead(pending);
        pending = 0;
      }
    }

    @Override
    public int read() throws IOException {
      int b = in.read();
      if (b >= 0) {
        count(1);
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = in.read(b, off, len);
      if (n > 0) {
        count(n);
      }
      return n;
    }

    @Override
    public void close() throws IOException {
      bytesRead(pending);
      pending = 0;
      in.close();
    }
  }

  private static void readJsonLines(FileChunk chunk, InputStream in,
      RecordReader.Records<InputRecord> out, long[] unread) throws IOException {
    LineReader lines = new LineReader(in);
    long lineNo = chunk.firstLine - 1;
    while (lines.next()) {
      lineNo++;
      if (!lines.isBlank()) {
        out.add(InputRecord.json(chunk.file, lineNo, Arrays.copyOfRange(lines.buffer(),
            lines.offset(), lines.offset() + lines.length())));
      }
      unread[0] = lineNo + 1;
    }
  }

  private void readCsv(FileChunk chunk, InputStream in, RecordReader.Records<InputRecord> out,
      long[] unread) throws IOException {
    // strict: text that is not UTF-8 is an unreadable file, not rows with U+FFFD in them
    BufferedReader r = new BufferedReader(new StrictUtf8Reader(in,
        Compression.valueOf(chunk.compression) == Compression.UNCOMPRESSED ? chunk.start : 0),
        1 << 16);
    CsvReader csv = new CsvReader(r, csvSeparator, Math.max(1, chunk.firstLine));
    List<String> header = chunk.header;
    if (header == null) { // a whole (compressed) file: the header is its first record
      header = csv.next();
      if (header == null) {
        return;
      }
      header = new ArrayList<>(header);
      if (!header.isEmpty() && header.get(0).startsWith("\uFEFF")) {
        header.set(0, header.get(0).substring(1));
      }
    }
    List<String> cells;
    while ((cells = csv.next()) != null) {
      Map<String, Object> row = new LinkedHashMap<>(header.size() * 2);
      for (int i = 0; i < Math.min(header.size(), cells.size()); i++) {
        row.put(header.get(i), cells.get(i));
      }
      String problem = null;
      if (csv.unterminated()) {
        problem = "the record ends inside a quoted cell (a missing closing quote)";
      } else if (cells.size() != header.size()) {
        problem = "the record has " + cells.size() + " cells, the header " + header.size();
      }
      out.add(InputRecord.row(chunk.file, csv.recordLine(), row, problem));
      unread[0] = csv.line();
    }
  }

  /** At most {@code remaining} bytes of a stream. */
  private static final class Bounded extends InputStream {
    private final InputStream in;
    private long remaining;

    Bounded(InputStream in, long remaining) {
      this.in = in;
      this.remaining = remaining;
    }

    @Override
    public int read() throws IOException {
      if (remaining <= 0) {
        return -1;
      }
      int b = in.read();
      if (b >= 0) {
        remaining--;
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (remaining <= 0) {
        return -1;
      }
      int n = in.read(b, off, (int) Math.min(len, remaining));
      if (n > 0) {
        remaining -= n;
      }
      return n;
    }

    @Override
    public void close() throws IOException {
      in.close();
    }
  }
}
