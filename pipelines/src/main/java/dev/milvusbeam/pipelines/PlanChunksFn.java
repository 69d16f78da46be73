package dev.milvusbeam.pipelines;

import dev.milvusbeam.core.row.UnreadableInput;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.CharBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ReadableByteChannel;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.io.Compression;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;

/**
 * Cuts each input file into {@link FileChunk}s of about {@code chunkBytes} at record boundaries,
 * knowing each chunk's first line: JSON Lines at line ends, CSV at line ends outside quoted cells
 * (after the header, which every chunk carries), Parquet at row groups. One quick scan of the
 * bytes (the Parquet footer only). Chunks let several workers read one big file, and keep the
 * rows a worker holds at once bounded (the Direct runner holds a step's whole output for an
 * input element in memory).
 *
 * <p>A file found unreadable here (a Parquet footer that cannot be read; text whose first
 * {@value #PROBE_BYTES} bytes, decompressed, do not decode as UTF-8 or hold NUL bytes) gets no
 * chunk to read but an {@link FileChunk#unreadable} one, before any of its rows is read.
 */
final class PlanChunksFn extends DoFn<FileIO.ReadableFile, FileChunk> {
  private static final long serialVersionUID = 1L;
  private static final VarHandle WORDS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  /** How much of a text file (decompressed) is checked for UTF-8 before it is planned. */
  static final int PROBE_BYTES = 64 << 10;
  private final InputFormat format;
  private final char csvSeparator;
  private final long chunkBytes;

  PlanChunksFn(InputFormat format, char csvSeparator, long chunkBytes) {
    this.format = format;
    this.csvSeparator = csvSeparator;
    this.chunkBytes = chunkBytes;
  }

  @ProcessElement
  public void process(@Element FileIO.ReadableFile file, OutputReceiver<FileChunk> out)
      throws IOException {
    String name = file.getMetadata().resourceId().toString();
    Compression compression = file.getCompression();
    if (format == InputFormat.PARQUET) {
      List<BlockMetaData> blocks;
      try (ParquetFileReader reader = ParquetFileReader.open(ParquetRows.inputFile(file))) {
        blocks = reader.getFooter().getBlocks();
      } catch (IOException | RuntimeException e) {
        out.output(UnreadableFiles.chunk(name,
            "not a readable Parquet file (its footer cannot be read)", damaged(e)));
        return;
      }
      planParquet(blocks, name, out);
      return;
    }
    FileChunk unreadable = probeText(file, name, compression);
    if (unreadable != null) {
      out.output(unreadable);
      return;
    }
    if (compression != Compression.UNCOMPRESSED) {
      List<String> header = null;
      long firstLine = 1;
      if (format == InputFormat.CSV) { // the whole file: the reader takes the header itself
        firstLine = 0;
      }
      out.output(new FileChunk(name, compression.name(), 0, Long.MAX_VALUE, firstLine, header));
    } else {
      planText(file, name, out);
    }
  }

  private void planText(FileIO.ReadableFile file, String name, OutputReceiver<FileChunk> out)
      throws IOException {
    if (format != InputFormat.CSV) {
      planJsonLines(file, name, out);
      return;
    }
    List<String> header = null;
    byte[] headerBytes = new byte[0];
    int headerLength = 0;
    long pos = 0;
    long line = 1; // the line at pos
    long chunkStart = 0;
    long chunkLine = 1;
    boolean inQuotes = false;
    boolean inHeader = true;
    try (InputStream in = Channels.newInputStream(file.open())) {
      byte[] buf = new byte[1 << 16];
      int n;
      while ((n = in.read(buf)) > 0) {
        for (int i = 0; i < n; i++) {
          byte b = buf[i];
          if (inHeader) {
            if (headerLength == headerBytes.length) {
              headerBytes = java.util.Arrays.copyOf(headerBytes, Math.max(256, headerLength * 2));
            }
            headerBytes[headerLength++] = b;
          }
          if (b == '"') {
            inQuotes = !inQuotes;
          } else if (b == '\n') {
            line++;
            if (!inQuotes) {
              long next = pos + i + 1;
              if (inHeader) {
                inHeader = false;
                header = header(headerBytes, headerLength);
                chunkStart = next;
                chunkLine = line;
              } else if (next - chunkStart >= chunkBytes) {
                out.output(new FileChunk(name, Compression.UNCOMPRESSED.name(), chunkStart, next,
                    chunkLine, header));
                chunkStart = next;
                chunkLine = line;
              }
            }
          }
        }
        pos += n;
      }
    }
    if (inHeader) { // a header without a line end, and no rows
      return;
    }
    if (pos > chunkStart) {
      out.output(new FileChunk(name, Compression.UNCOMPRESSED.name(), chunkStart, pos, chunkLine,
          header));
    }
  }

  /**
   * JSON Lines: only line ends matter. The bytes are looked at eight at a time (a word holding no
   * {@code '\n'} is skipped with a few operations); vector rows are kilobytes long, so nearly
   * every word is skipped. This pass is serial and before any row is read: it was 1.2 s of an
   * 800 MB conversion byte by byte.
   */
  private void planJsonLines(FileIO.ReadableFile file, String name,
      OutputReceiver<FileChunk> out) throws IOException {
    long pos = 0; // of buf[0] in the file
    long line = 1; // the line at the next byte looked at
    long chunkStart = 0;
    long chunkLine = 1;
    try (ReadableByteChannel ch = file.open()) {
      byte[] buf = new byte[1 << 20];
      ByteBuffer bb = ByteBuffer.wrap(buf);
      int n;
      while ((n = fill(ch, bb)) > 0) {
        int i = 0;
        while (i < n) {
          if (i + 8 <= n) {
            long x = (long) WORDS.get(buf, i) ^ 0x0A0A0A0A0A0A0A0AL; // a '\n' byte becomes 0
            if (((x - 0x0101010101010101L) & ~x & 0x8080808080808080L) == 0) {
              i += 8;
              continue;
            }
          }
          if (buf[i] == '\n') {
            line++;
            long next = pos + i + 1;
            if (next - chunkStart >= chunkBytes) {
              out.output(new FileChunk(name, Compression.UNCOMPRESSED.name(), chunkStart, next,
                  chunkLine, null));
              chunkStart = next;
              chunkLine = line;
            }
          }
          i++;
        }
        pos += n;
      }
    }
    if (pos > chunkStart) {
      out.output(new FileChunk(name, Compression.UNCOMPRESSED.name(), chunkStart, pos, chunkLine,
          null));
    }
  }

  /** Reads into {@code bb} from its start until it is full or the channel ends; the bytes read. */
  private static int fill(ReadableByteChannel ch, ByteBuffer bb) throws IOException {
    bb.clear();
    while (bb.hasRemaining() && ch.read(bb) >= 0) {
      // a channel may return fewer bytes than asked
    }
    return bb.position();
  }

  private List<String> header(byte[] bytes, int length) throws IOException {
    String text = new String(bytes, 0, length, StandardCharsets.UTF_8);
    if (text.startsWith("\uFEFF")) {
      text = text.substring(1);
    }
    List<String> cells = new CsvReader(new StringReader(text), csvSeparator, 1).next();
    return cells == null ? new ArrayList<>() : new ArrayList<>(cells);
  }

  /**
   * The unreadable chunk of a text file whose first {@value #PROBE_BYTES} bytes (decompressed) are
   * not UTF-8 text or cannot be decompressed, or null when they are fine. A failure of reading is
   * thrown.
   */
  private static FileChunk probeText(FileIO.ReadableFile file, String name,
      Compression compression) throws IOException {
    byte[] buf = new byte[PROBE_BYTES];
    int n = 0;
    boolean atEnd = false;
    try (InputStream in = Channels.newInputStream(file.open())) { // decompressed
      int r;
      while (n < buf.length && (r = in.read(buf, n, buf.length - n)) > 0) {
        n += r;
      }
      atEnd = n < buf.length;
    } catch (IOException | RuntimeException e) {
      String what = compression == Compression.UNCOMPRESSED ? "the file" : compression.name()
          .toLowerCase(java.util.Locale.ROOT) + " data";
      return UnreadableFiles.chunk(name, what + " cannot be decompressed", damaged(e));
    }
    for (int i = 0; i < n; i++) {
      if (buf[i] == 0) {
        return UnreadableFiles.chunk(name, "not text: a NUL byte at offset " + i
            + " (a binary file?)", null);
      }
    }
    CharsetDecoder d = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer bytes = ByteBuffer.wrap(buf, 0, n);
    CharBuffer chars = CharBuffer.allocate(n);
    CoderResult result = d.decode(bytes, chars, atEnd);
    if (result.isError()) {
      return UnreadableFiles.chunk(name, "not UTF-8 text: a malformed byte sequence at"
          + " offset " + bytes.position(), null);
    }
    return null; // an incomplete sequence at the end of a full probe is the next bytes' business
  }

  /** {@code e} when it is damage of the bytes; a failure of reading is rethrown (retried). */
  private static Exception damaged(Exception e) throws IOException {
    if (UnreadableInput.isDamagedData(e)) {
      return e;
    }
    if (e instanceof IOException) {
      throw (IOException) e;
    }
    throw (RuntimeException) e;
  }

  private static void planParquet(List<BlockMetaData> blocks, String name,
      OutputReceiver<FileChunk> out) {
    long first = 1;
    for (BlockMetaData block : blocks) {
      out.output(new FileChunk(name, Compression.UNCOMPRESSED.name(), block.getStartingPos(),
          block.getStartingPos() + block.getCompressedSize(), first, null));
      first += block.getRowCount();
    }
  }

  @Override
  public void populateDisplayData(DisplayData.Builder b) {
    super.populateDisplayData(b);
    b.add(DisplayData.item("inputFormat", format.toString()).withLabel("Input format"));
    b.add(DisplayData.item("chunkBytes", chunkBytes).withLabel("Chunk size (bytes)"));
    if (format == InputFormat.CSV) {
      b.add(DisplayData.item("csvSeparator", String.valueOf(csvSeparator)).withLabel("CSV separator"));
    }
  }
}
