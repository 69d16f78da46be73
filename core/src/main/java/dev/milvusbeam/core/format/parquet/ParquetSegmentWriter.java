package dev.milvusbeam.core.format.parquet;

import dev.milvusbeam.core.format.FormatOptions;
import dev.milvusbeam.core.format.SegmentWriter;
import com.fasterxml.jackson.core.io.NumberOutput;
import dev.milvusbeam.core.row.JsonText;
import dev.milvusbeam.core.row.SparseVector;
import dev.milvusbeam.core.row.ValidRow;
import dev.milvusbeam.core.schema.CollectionSchema;
import dev.milvusbeam.core.schema.DataType;
import dev.milvusbeam.core.schema.FieldSchema;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
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
import org.apache.parquet.column.ColumnWriter;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.column.page.PageWriteStore;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.CodecFactory;
import org.apache.parquet.hadoop.ColumnChunkPageWriteStore;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.PositionOutputStream;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;
import org.apache.parquet.schema.Types;

/**
 * Writes one segment as one Parquet file ({@code N.parquet}, FORMAT.md section 4 "Parquet"). The
 * {@link MessageType} is built from the collection schema's columns, because Avro cannot express
 * the INTEGER(8)/(16) annotations Milvus requires.
 *
 * <p>Every column is {@code optional}, a null is a Parquet null. Lists (Array fields and dense
 * vectors) are the standard 3-level LIST. Text-like values (VarChar, JSON, Geometry, Timestamptz,
 * sparse vectors as JSON text, {@code $meta}) are binary STRING. Row groups are bounded by
 * {@link FormatOptions#parquetRowGroupBytes()}.
 *
 * <p>Values go to parquet-java's column writers directly, with their repetition and definition
 * levels (no record consumer, whose per-element group bookkeeping dominated the write time), and
 * dense vectors, nearly all of the bytes, are encoded a vector at a time into whole pages by
 * {@link ParquetVectorColumn}. Pages, statistics, page indexes, column chunks, row groups and the
 * footer are parquet-java's ({@link ColumnChunkPageWriteStore}, {@link ParquetFileWriter}). No
 * Hadoop file system is involved: the file is an {@link OutputFile} over the given stream
 * (parquet-java still uses Hadoop's codec classes inside, so hadoop-client-runtime must be on the
 * runtime classpath).
 */
final class ParquetSegmentWriter implements SegmentWriter {
  private static final String LIST = "list";
  private static final String ELEMENT = "element";
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
  private final DataType[] types;
  private final DataType[] elementTypes;
  private final MessageType[] columnSchemas; // the column alone: one page store each
  private final CompressionCodecName[] codecNames;
  private final ColumnDescriptor[] leaves;
  private final ParquetVectorColumn[] vectors; // dense vectors; null for the other columns
  private final MessageType scalarSchema; // the other columns; null when there are none
  private final Map<String, Integer> columnIndex = new HashMap<>();

  // the open row group; stores == null between row groups
  private ColumnChunkPageWriteStore[] stores;
  private ColumnWriteStore scalarStore;
  private final ColumnWriter[] writers;
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
    MessageType type = messageType(s);
    List<FieldSchema> columns = s.columns();
    int n = columns.size();
    types = new DataType[n];
    elementTypes = new DataType[n];
    columnSchemas = new MessageType[n];
    codecNames = new CompressionCodecName[n];
    leaves = new ColumnDescriptor[n];
    vectors = new ParquetVectorColumn[n];
    writers = new ColumnWriter[n];
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
    for (int i = 0; i < n; i++) {
      FieldSchema f = columns.get(i);
      types[i] = f.dataType();
      elementTypes[i] = f.elementType();
      Type t = type.getType(i);
      columnSchemas[i] = new MessageType(type.getName(), t);
      leaves[i] = columnSchemas[i].getColumns().get(0);
      columnIndex.put(f.name(), i);
      if (f.dataType().isDenseVector()) {
        codecNames[i] = f.dataType() == DataType.FLOAT_VECTOR ? FLOAT_VECTOR_CODEC : CODEC;
        vectors[i] = new ParquetVectorColumn(leaves[i], f.dataType() != DataType.INT8_VECTOR,
            props.getPageSizeThreshold(), props.getPageRowCountLimit());
      } else {
        codecNames[i] = CODEC;
        scalars.add(t);
      }
    }
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

  /** The Parquet schema of a collection's columns, in column order (FORMAT.md section 4). */
  static MessageType messageType(CollectionSchema schema) {
    Types.MessageTypeBuilder b = Types.buildMessage();
    for (FieldSchema f : schema.columns()) {
      b.addField(columnType(f));
    }
    return b.named("schema");
  }

  private static Type columnType(FieldSchema f) {
    switch (f.dataType()) {
      case ARRAY:
        return listOf(f.name(), scalarType(f.elementType(), ELEMENT));
      case FLOAT_VECTOR:
        return listOf(f.name(), scalarType(DataType.FLOAT, ELEMENT));
      case BINARY_VECTOR:
      case FLOAT16_VECTOR:
      case BFLOAT16_VECTOR:
        return listOf(f.name(), Types.optional(PrimitiveTypeName.INT32)
            .as(LogicalTypeAnnotation.intType(8, false)).named(ELEMENT));
      case INT8_VECTOR:
        return listOf(f.name(), scalarType(DataType.INT8, ELEMENT));
      default:
        return scalarType(f.dataType(), f.name());
    }
  }

  /** An optional primitive column or list element of a non-list type. */
  private static Type scalarType(DataType t, String name) {
    switch (t) {
      case BOOL: return Types.optional(PrimitiveTypeName.BOOLEAN).named(name);
      case INT8: return Types.optional(PrimitiveTypeName.INT32)
          .as(LogicalTypeAnnotation.intType(8, true)).named(name);
      case INT16: return Types.optional(PrimitiveTypeName.INT32)
          .as(LogicalTypeAnnotation.intType(16, true)).named(name);
      case INT32: return Types.optional(PrimitiveTypeName.INT32).named(name);
      case INT64: return Types.optional(PrimitiveTypeName.INT64).named(name);
      case FLOAT: return Types.optional(PrimitiveTypeName.FLOAT).named(name);
      case DOUBLE: return Types.optional(PrimitiveTypeName.DOUBLE).named(name);
      case VARCHAR: case JSON: case GEOMETRY: case TIMESTAMPTZ: case SPARSE_FLOAT_VECTOR:
        return Types.optional(PrimitiveTypeName.BINARY)
            .as(LogicalTypeAnnotation.stringType()).named(name);
      default:
        throw new IllegalArgumentException(t + " has no scalar Parquet type");
    }
  }

  /** {@code optional group name (LIST) { repeated group list { optional T element; } }}. */
  private static Type listOf(String name, Type element) {
    return Types.optionalGroup().as(LogicalTypeAnnotation.listType())
        .addField(Types.repeatedGroup().addField(element).named(LIST))
        .named(name);
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
      for (int i = 0; i < types.length; i++) {
        Object v = row.get(i);
        switch (types[i]) {
          case FLOAT_VECTOR:
            vectors[i].write((float[]) v);
            break;
          case BINARY_VECTOR: case FLOAT16_VECTOR: case BFLOAT16_VECTOR: case INT8_VECTOR:
            vectors[i].write((byte[]) v);
            break;
          case ARRAY:
            writeList(writers[i], elementTypes[i], (List<?>) v);
            break;
          default:
            if (v == null) {
              writers[i].writeNull(0, 0);
            } else {
              writeScalar(writers[i], types[i], v, 0, 1);
            }
        }
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

  /** {@code optional group (LIST)}: null, empty, or elements at definition level 3. */
  private static void writeList(ColumnWriter w, DataType elementType, List<?> list) {
    if (list == null) {
      w.writeNull(0, 0);
    } else if (list.isEmpty()) {
      w.writeNull(0, 1);
    } else {
      int r = 0;
      for (Object e : list) {
        writeScalar(w, elementType, e, r, 3);
        r = 1;
      }
    }
  }

  private static void writeScalar(ColumnWriter w, DataType type, Object v, int r, int d) {
    switch (type) {
      case BOOL: w.write((Boolean) v, r, d); return;
      case INT8: case INT16: case INT32: w.write(((Number) v).intValue(), r, d); return;
      case INT64: w.write(((Number) v).longValue(), r, d); return;
      case FLOAT: w.write(((Number) v).floatValue(), r, d); return;
      case DOUBLE: w.write(((Number) v).doubleValue(), r, d); return;
      case VARCHAR: case GEOMETRY: case TIMESTAMPTZ: w.write(utf8((String) v), r, d); return;
      case JSON: w.write(utf8(((JsonText) v).text()), r, d); return;
      case SPARSE_FLOAT_VECTOR: w.write(utf8(sparseJson((SparseVector) v)), r, d); return;
      default: throw new IllegalArgumentException(type + " is not a scalar type");
    }
  }

  private static Binary utf8(String s) {
    return Binary.fromConstantByteArray(s.getBytes(StandardCharsets.UTF_8));
  }

  /** Page stores (one per column, each with its codec), column writers and vector columns. */
  private void startRowGroup() {
    stores = new ColumnChunkPageWriteStore[types.length];
    for (int i = 0; i < stores.length; i++) {
      stores[i] = new ColumnChunkPageWriteStore(codecs.getCompressor(codecNames[i]),
          columnSchemas[i], props.getAllocator(), props.getColumnIndexTruncateLength(),
          props.getPageWriteChecksumEnabled());
      if (vectors[i] != null) {
        vectors[i].startRowGroup(stores[i].getPageWriter(leaves[i]));
      }
    }
    if (scalarSchema != null) {
      PageWriteStore pages = path -> stores[columnIndex.get(path.getPath()[0])].getPageWriter(path);
      scalarStore = props.newColumnWriteStore(scalarSchema, pages);
      for (int i = 0; i < types.length; i++) {
        if (vectors[i] == null) {
          writers[i] = scalarStore.getColumnWriter(leaves[i]);
        }
      }
    }
    groupRows = 0;
    buffered = 0;
  }

  private long bufferedBytes() {
    long n = scalarStore == null ? 0 : scalarStore.getBufferedSize();
    for (ParquetVectorColumn v : vectors) {
      if (v != null) {
        n += v.bufferedBytes();
      }
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
        if (v != null) {
          v.flush();
        }
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
      n += group[i].getPageWriter(leaves[i]).getMemSize();
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
    return 1024 + (long) (rowGroups + 1) * leaves.length * 160;
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

  /** {@code {"12":0.5,...}}: indices as decimal strings, values as shortest float32 text. */
  static String sparseJson(SparseVector v) {
    StringBuilder sb = new StringBuilder(v.size() * 16 + 2).append('{');
    for (int i = 0; i < v.size(); i++) {
      if (i > 0) {
        sb.append(',');
      }
      sb.append('"').append(v.index(i)).append("\":")
          .append(NumberOutput.toString(v.value(i), true)); // Jackson's fast shortest float text
    }
    return sb.append('}').toString();
  }

  /** The segment's stream as a Parquet {@link OutputFile}; it can be created once. */
  private static final class StreamOutputFile implements OutputFile {
    private final OutputStream out;
    private CountingStream stream;

    StreamOutputFile(OutputStream out) {
      this.out = out;
    }

    /** Bytes written to the file so far (the whole file once the writer is closed). */
    long position() {
      return stream == null ? 0 : stream.getPos();
    }

    @Override
    public PositionOutputStream create(long blockSizeHint) {
      stream = new CountingStream(out);
      return stream;
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

  /** Counts the bytes passed on: Parquet asks for the position to record offsets. */
  private static final class CountingStream extends PositionOutputStream {
    private final OutputStream out;
    private long pos;

    CountingStream(OutputStream out) {
      this.out = out;
    }

    @Override
    public long getPos() {
      return pos;
    }

    @Override
    public void write(int b) throws IOException {
      out.write(b);
      pos++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
      pos += len;
    }

    @Override
    public void flush() throws IOException {
      out.flush();
    }

    @Override
    public void close() throws IOException {
      out.close();
    }
  }
}
