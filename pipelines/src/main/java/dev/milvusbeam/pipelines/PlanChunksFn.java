package dev.milvusbeam.pipelines;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.channels.Channels;
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
 */
final class PlanChunksFn extends DoFn<FileIO.ReadableFile, FileChunk> {
  private static final long serialVersionUID = 1L;
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
      planParquet(file, name, out);
    } else if (compression != Compression.UNCOMPRESSED) {
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
    boolean csv = format == InputFormat.CSV;
    List<String> header = null;
    byte[] headerBytes = csv ? new byte[0] : null;
    int headerLength = 0;
    long pos = 0;
    long line = 1; // the line at pos
    long chunkStart = 0;
    long chunkLine = 1;
    boolean inQuotes = false;
    boolean inHeader = csv;
    try (InputStream in = Channels.newInputStream(file.open())) {
      byte[] buf = new byte[1 << 16];
      int n;
      while ((n = in.read(buf)) > 0) {
        if (!csv) { // JSON Lines: only line ends matter, a tight loop
          for (int i = 0; i < n; i++) {
            if (buf[i] == '\n') {
              line++;
              long next = pos + i + 1;
              if (next - chunkStart >= chunkBytes) {
                out.output(new FileChunk(name, Compression.UNCOMPRESSED.name(), chunkStart, next,
                    chunkLine, header));
                chunkStart = next;
                chunkLine = line;
              }
            }
          }
          pos += n;
          continue;
        }
        for (int i = 0; i < n; i++) {
          byte b = buf[i];
          if (inHeader) {
            if (headerLength == headerBytes.length) {
              headerBytes = java.util.Arrays.copyOf(headerBytes, Math.max(256, headerLength * 2));
            }
            headerBytes[headerLength++] = b;
          }
          if (csv && b == '"') {
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

  private List<String> header(byte[] bytes, int length) throws IOException {
    String text = new String(bytes, 0, length, StandardCharsets.UTF_8);
    if (text.startsWith("\uFEFF")) {
      text = text.substring(1);
    }
    List<String> cells = new CsvReader(new StringReader(text), csvSeparator, 1).next();
    return cells == null ? new ArrayList<>() : new ArrayList<>(cells);
  }

  private static void planParquet(FileIO.ReadableFile file, String name,
      OutputReceiver<FileChunk> out) throws IOException {
    List<BlockMetaData> blocks;
    try (ParquetFileReader reader = ParquetFileReader.open(ParquetRows.inputFile(file))) {
      blocks = reader.getFooter().getBlocks();
    }
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
