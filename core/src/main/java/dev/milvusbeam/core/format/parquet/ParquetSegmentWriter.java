package dev.milvusbeam.core.format.parquet;

import dev.milvusbeam.core.format.CountingOutputStream;
import dev.milvusbeam.core.format.FormatOptions;
import dev.milvusbeam.core.format.SegmentWriter;
import dev.milvusbeam.core.row.ValidRow;
import dev.milvusbeam.core.schema.CollectionSchema;
import dev.milvusbeam.core.schema.DataType;
import dev.milvusbeam.core.schema.FieldSchema;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.ColumnWriteStore;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.column.page.PageWriteStore;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.CodecFactory;
import org.apache.parquet.hadoop.ColumnChunkPageWriteStore;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.PositionOutputStream;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.Type;

/**
 * Writes one segment as one Parquet file ({@code N.parquet}, FORMAT.md section 4 "Parquet"), split
 * as Iceberg splits its Parquet writer: the {@link MessageType} comes from {@link ParquetSchema},
 * each column's values are written by the {@link ParquetValueWriter} chosen for it when the writer
 * opens ({@link ParquetValueWriters}; {@link ParquetVectorColumn} for dense vectors), and this class
 * holds the row groups and the I/O: page stores, row-group size, footer and the byte accounting
 * behind {@link #bytesWritten()}.
 *
 * <p>Row groups are bounded by {@link FormatOptions#parquetRowGroupBytes()}. Values go to
 * parquet-java's column writers directly, with their repetition and definition levels (no record
 * consumer, whose per-element group bookkeeping dominated the write time), and dense vectors,
 * nearly all of the bytes, are encoded a vector at a time into whole pages. Pages, statistics,
 * page indexes, column chunks, row groups and the footer are parquet-java's
 * ({@link ColumnChunkPageWriteStore}, {@link ParquetFileWriter}). No Hadoop file system is
 * involved: the file is an {@link OutputFile} over the given stream (parquet-java still uses
 * Hadoop's codec classes inside, so hadoop-client-runtime must be on the runtime classpath).
 */
final class ParquetSegmentWriter implements SegmentWriter {
  /**
   * Scalars, text, arrays and the vectors of bytes (int32 elements, three bytes in four zero or
   * sign): pyarrow (pymilvus) writes Snappy too.
   */
  private static final CompressionCodecName CODEC = CompressionCodecName.SNAPPY;
  /**
   * Float vectors: random floats hardly compress. Measured on 100,000 rows of 768 dims, Snappy
   * saved 0.16% of the file (308.5 vs 309.0 MB) for about 15% of the write's CPU time. The codec
   * is per column chunk in Parquet; Milvus' Arrow reader reads every codec, uncompressed
   * included.
   */
  private static final CompressionCodecName FLOAT_VECTOR_CODEC = CompressionCodecName.UNCOMPRESSED;

  private final OutputStream out;
  private final StreamOutputFile file;
  private final ParquetProperties props;
  private final long rowGroupBytes;
  private final CodecFactory codecs;
  private final ParquetFileWriter fileWriter;

  // per column, in column order
  private final ParquetValueWriter[] writers;
  private final MessageType[] columnSchemas; // the column alone: one page store each
  private final CompressionCodecName[] codecNames;
  /** Each column's leaves: one, or one per sub-field of a struct array. */
  private final ColumnDescriptor[][] leaves;
  private int leafCount;
  private final Map<String, Integer> columnIndex = new HashMap<>();
  /** The dense-vector columns' writers (they buffer their own pages), in column order. */
  private final ParquetVectorColumn[] vectors;
  private final MessageType scalarSchema; // the other columns; null when there are none

  // the open row group; stores == null between row groups
  private ColumnChunkPageWriteStore[] stores;
  private final PageWriteStore pages = path -> stores[columnIndex.get(path.getPath()[0])]
      .getPageWriter(path);
  private ColumnWriteStore scalarStore;
  private long groupRows;
  private long buffered;
  /** Row groups ended so far (for the footer's size). */
  private int rowGroups;

  // the previous row group, written to the file by the I/O thread
  private ExecutorService io;
  private Future<?> pending;
  private long pendingBytes;
  private long writtenPos; // the file's size when no row group is in flight

  private long rows;
  private boolean done;
  private boolean failed;
  private boolean released;
  private long finalSize = -1;

  ParquetSegmentWriter(CollectionSchema s, FormatOptions o, OutputStream out) throws IOException {
    this.out = out;
    this.file = new StreamOutputFile(out);
    this.rowGroupBytes = o.parquetRowGroupBytes();
    MessageType type = ParquetSchema.messageType(s);
    List<FieldSchema> columns = s.columns();
    int n = columns.size();
    writers = new ParquetValueWriter[n];
    columnSchemas = new MessageType[n];
    codecNames = new CompressionCodecName[n];
    leaves = new ColumnDescriptor[n][];
    // defaults as parquet-java's ParquetWriter: 1 MiB pages, at most 20,000 rows a page,
    // dictionaries, statistics, page indexes, checksums. No dictionary for the primary key: its
    // values are unique, so the dictionary is always dropped again (fallback) after costing a
    // hash-map insert per row (seen in the profile of the seed schema)
    ParquetProperties.Builder pb = ParquetProperties.builder()
        .withWriterVersion(ParquetProperties.WriterVersion.PARQUET_1_0);
    for (FieldSchema f : columns) {
      if (f.isPrimaryKey()) {
        pb.withDictionaryEncoding(f.name(), false);
      }
    }
    this.props = pb.build();
    List<Type> scalars = new ArrayList<>();
    List<ParquetVectorColumn> vectorColumns = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      FieldSchema f = columns.get(i);
      Type t = type.getType(i);
      columnSchemas[i] = new MessageType(type.getName(), t);
      leaves[i] = columnSchemas[i].getColumns().toArray(new ColumnDescriptor[0]);
      leafCount += leaves[i].length;
      columnIndex.put(f.name(), i);
      writers[i] = ParquetValueWriters.of(f, leaves[i], props);
      if (writers[i] instanceof ParquetVectorColumn v) { // its own pages, outside the column store
        codecNames[i] = f.dataType() == DataType.FLOAT_VECTOR ? FLOAT_VECTOR_CODEC : CODEC;
        vectorColumns.add(v);
      } else {
        codecNames[i] = CODEC;
        scalars.add(t);
      }
    }
    this.vectors = vectorColumns.toArray(new ParquetVectorColumn[0]);
    this.scalarSchema = scalars.isEmpty() ? null : new MessageType(type.getName(), scalars);
    this.codecs = new CodecFactory(new PlainParquetConfiguration(), props.getPageSizeThreshold());
    try {
      this.fileWriter = new ParquetFileWriter(file, type, ParquetFileWriter.Mode.CREATE,
          rowGroupBytes, 0, null, props);
      fileWriter.start();
    } catch (IOException | RuntimeException e) {
      codecs.release();
      closeQuietly(out);
      throw e;
    }
  }

  @Override
  public void write(ValidRow row) throws IOException {
    if (done || failed) {
      throw new IllegalStateException("segment writer is " + (done ? "closed" : "failed"));
    }
    try {
      if (stores == null) {
        startRowGroup();
      }
      for (int i = 0; i < writers.length; i++) {
        writers[i].write(row.get(i));
      }
      if (scalarStore != null) {
        scalarStore.endRecord();
      }
      rows++;
      groupRows++;
      buffered = bufferedBytes();
      if (buffered + buffered / groupRows >= rowGroupBytes) { // one more row would pass the bound
        flushRowGroup(false);
      }
    } catch (IOException | RuntimeException e) {
      failed = true; // the row group holds part of a row
      throw e;
    }
  }

  /**
   * Page stores (one per column, each with its codec), the column store of the columns that are
   * not dense vectors, and each value writer attached to its part of them.
   */
  private void startRowGroup() {
    stores = new ColumnChunkPageWriteStore[writers.length];
    for (int i = 0; i < stores.length; i++) {
      stores[i] = new ColumnChunkPageWriteStore(codecs.getCompressor(codecNames[i]),
          columnSchemas[i], props.getAllocator(), props.getColumnIndexTruncateLength(),
          props.getPageWriteChecksumEnabled());
    }
    if (scalarSchema != null) {
      scalarStore = props.newColumnWriteStore(scalarSchema, pages);
    }
    for (ParquetValueWriter w : writers) {
      w.startRowGroup(scalarStore, pages);
    }
    groupRows = 0;
    buffered = 0;
  }

  private long bufferedBytes() {
    long n = scalarStore == null ? 0 : scalarStore.getBufferedSize();
    for (ParquetVectorColumn v : vectors) {
      n += v.bufferedBytes();
    }
    return n;
  }

  /**
   * Ends the open row group: its last pages are encoded here, and its column chunks (all pages
   * in memory) are written to the file in column order, by the I/O thread while the next row
   * group is encoded (one row group in flight at most), or here for the last one.
   */
  private void flushRowGroup(boolean last) throws IOException {
    rowGroups++;
    ColumnChunkPageWriteStore[] group = stores;
    long groupRowCount = groupRows;
    try {
      for (ParquetVectorColumn v : vectors) {
        v.flush();
      }
      if (scalarStore != null) {
        scalarStore.flush();
        scalarStore.close();
        scalarStore = null;
      }
    } catch (IOException | RuntimeException e) {
      releaseRowGroup();
      throw e;
    }
    long groupBytes = bufferedBytes(group);
    stores = null;
    groupRows = 0;
    buffered = 0;
    awaitWrite();
    if (last) {
      writeRowGroup(group, groupRowCount);
      writtenPos = file.position();
    } else {
      if (io == null) {
        io = Executors.newSingleThreadExecutor(r -> {
          Thread t = new Thread(r, "parquet-segment-io");
          t.setDaemon(true);
          return t;
        });
      }
      pendingBytes = groupBytes;
      pending = io.submit(() -> {
        writeRowGroup(group, groupRowCount);
        return null;
      });
    }
  }

  private void writeRowGroup(ColumnChunkPageWriteStore[] group, long groupRowCount)
      throws IOException {
    try {
      fileWriter.startBlock(groupRowCount);
      for (ColumnChunkPageWriteStore store : group) {
        store.flushToFileWriter(fileWriter);
      }
      fileWriter.endBlock();
    } finally {
      for (ColumnChunkPageWriteStore store : group) {
        store.close();
      }
    }
  }

  /** Waits for the row group in flight, if any, and rethrows its failure. */
  private void awaitWrite() throws IOException {
    if (pending == null) {
      return;
    }
    try {
      pending.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while writing a Parquet row group");
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      if (c instanceof IOException) {
        throw (IOException) c;
      }
      if (c instanceof RuntimeException) {
        throw (RuntimeException) c;
      }
      throw new IOException(c);
    } finally {
      pending = null;
      pendingBytes = 0;
    }
    writtenPos = file.position(); // after get(): the I/O thread's writes are visible
  }

  private long bufferedBytes(ColumnChunkPageWriteStore[] group) {
    long n = 0;
    for (int i = 0; i < group.length; i++) {
      for (ColumnDescriptor leaf : leaves[i]) {
        n += group[i].getPageWriter(leaf).getMemSize();
      }
    }
    return n;
  }

  private void releaseRowGroup() {
    if (stores != null) {
      if (scalarStore != null) {
        scalarStore.close();
        scalarStore = null;
      }
      for (ColumnChunkPageWriteStore store : stores) {
        store.close();
      }
      stores = null;
      groupRows = 0;
      buffered = 0;
    }
  }

  @Override
  public long rowCount() {
    return rows;
  }

  /**
   * Row groups already written plus the buffered estimate of the one in flight and of the open
   * one (no footer).
   */
  @Override
  public long bytesWritten() {
    return finalSize >= 0 ? finalSize
        : writtenPos + pendingBytes + buffered + footerEstimate();
  }

  @Override
  public void close() throws IOException {
    if (!done) {
      if (failed) {
        abort();
        throw new IOException("the Parquet segment writer failed on an earlier row");
      }
      try {
        if (groupRows > 0) {
          flushRowGroup(true);
        }
        awaitWrite();
        fileWriter.end(Map.of()); // writes the footer and closes the stream
        finalSize = file.position();
        done = true;
      } catch (IOException | RuntimeException e) {
        abort();
        throw e;
      } finally {
        shutdown();
      }
    }
  }

  /**
   * A generous guess of the footer's size (schema, and per column chunk its offsets, sizes and
   * statistics), so that a closed segment is not larger than its size said while it was open.
   */
  private long footerEstimate() {
    return 1024 + (long) (rowGroups + 1) * leafCount * 160;
  }

  /** Closes the stream without the footer; the buffered row group is dropped. */
  @Override
  public void abort() {
    if (!done) {
      done = true;
      try {
        awaitWrite();
      } catch (IOException | RuntimeException ignored) {
        // giving up anyway
      }
      try {
        releaseRowGroup();
      } catch (RuntimeException ignored) {
        // giving up anyway
      }
      shutdown();
      closeQuietly(out);
    }
  }

  private void shutdown() {
    if (io != null) {
      io.shutdown();
      io = null;
    }
    if (!released) {
      released = true;
      codecs.release();
    }
  }

  private static void closeQuietly(OutputStream out) {
    try {
      out.close();
    } catch (IOException | RuntimeException ignored) {
      // giving up anyway
    }
  }

  /**
   * The segment's stream as a Parquet {@link OutputFile}; it can be created once. The bytes are
   * counted once, by a {@link CountingOutputStream}; the {@link PositionOutputStream} Parquet asks
   * for (to record offsets) passes them on and reports that count as its position.
   */
  private static final class StreamOutputFile implements OutputFile {
    private final CountingOutputStream out;

    StreamOutputFile(OutputStream out) {
      this.out = new CountingOutputStream(out);
    }

    /** Bytes written to the file so far (the whole file once the writer is closed). */
    long position() {
      return out.count();
    }

    @Override
    public PositionOutputStream create(long blockSizeHint) {
      return new PositionOutputStream() {
        @Override
        public long getPos() {
          return out.count();
        }

        @Override
        public void write(int b) throws IOException {
          out.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
          out.write(b, off, len);
        }

        @Override
        public void flush() throws IOException {
          out.flush();
        }

        @Override
        public void close() throws IOException {
          out.close();
        }
      };
    }

    @Override
    public PositionOutputStream createOrOverwrite(long blockSizeHint) {
      return create(blockSizeHint);
    }

    @Override
    public boolean supportsBlockSize() {
      return false;
    }

    @Override
    public long defaultBlockSize() {
      return 0;
    }
  }
}
