package dev.milvusbeam.pipelines;

import dev.milvusbeam.core.format.ChannelInputStream;
import java.io.IOException;
import java.nio.channels.SeekableByteChannel;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.api.ReadSupport;
import org.apache.parquet.hadoop.example.GroupReadSupport;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.SeekableInputStream;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Type;

/**
 * Parquet input, read with parquet-java from any Beam file system: one row map per record, column
 * name to value. BOOLEAN Boolean, INT32 Integer, INT64 Long, FLOAT Float, DOUBLE Double, BINARY
 * with a STRING/JSON/ENUM annotation String, other BINARY byte[], LIST (3-level or legacy 2-level)
 * List, MAP Map, other groups nested maps; a null or absent value is null.
 */
final class ParquetRows {
  private ParquetRows() {}

  /**
   * The row groups of one chunk (those whose middle lies in its byte range).
   *
   * @param unread set to the first record not output yet, as records are output
   */
  static void read(FileChunk chunk, dev.milvusbeam.io.RecordReader.Records<InputRecord> out, long[] unread)
      throws IOException {
    ResourceId id = FileSystems.matchNewResource(chunk.file, false);
    InputFile in = new BeamInputFile(id, FileSystems.matchSingleFileSpec(chunk.file).sizeBytes());
    try (ParquetReader<Group> reader = new ParquetReader.Builder<Group>(in) {
      @Override
      protected ReadSupport<Group> getReadSupport() {
        return new GroupReadSupport();
      }
    }.withFileRange(chunk.start, chunk.end).build()) {
      long recordNo = chunk.firstLine - 1;
      Group g;
      while ((g = reader.read()) != null) {
        recordNo++;
        out.add(InputRecord.row(chunk.file, recordNo, toMap(g), null));
        unread[0] = recordNo + 1;
      }
    }
  }

  static InputFile inputFile(FileIO.ReadableFile file) {
    return new BeamInputFile(file.getMetadata().resourceId(), file.getMetadata().sizeBytes());
  }

  static Map<String, Object> toMap(Group g) {
    GroupType type = g.getType();
    Map<String, Object> row = new LinkedHashMap<>(type.getFieldCount() * 2);
    for (int i = 0; i < type.getFieldCount(); i++) {
      Type f = type.getType(i);
      if (f.isRepetition(Type.Repetition.REPEATED)) { // a bare repeated field: a list
        List<Object> values = new ArrayList<>(g.getFieldRepetitionCount(i));
        for (int j = 0; j < g.getFieldRepetitionCount(i); j++) {
          values.add(value(g, i, j));
        }
        row.put(f.getName(), values);
      } else {
        row.put(f.getName(), g.getFieldRepetitionCount(i) == 0 ? null : value(g, i, 0));
      }
    }
    return row;
  }

  private static Object value(Group g, int field, int index) {
    Type t = g.getType().getType(field);
    if (t.isPrimitive()) {
      return primitive(g, field, index, t.asPrimitiveType());
    }
    Group inner = g.getGroup(field, index);
    LogicalTypeAnnotation a = t.getLogicalTypeAnnotation();
    if (a instanceof LogicalTypeAnnotation.ListLogicalTypeAnnotation) {
      return list(inner);
    }
    if (a instanceof LogicalTypeAnnotation.MapLogicalTypeAnnotation
        || a instanceof LogicalTypeAnnotation.MapKeyValueTypeAnnotation) {
      return map(inner);
    }
    return toMap(inner);
  }

  /** {@code LIST}: a repeated group of one element (3-level) or a repeated element (2-level). */
  private static List<Object> list(Group list) {
    int n = list.getFieldRepetitionCount(0);
    List<Object> out = new ArrayList<>(n);
    Type repeated = list.getType().getType(0);
    boolean threeLevel = !repeated.isPrimitive() && repeated.asGroupType().getFieldCount() == 1
        && !repeated.getName().equals("array") && !repeated.getName().endsWith("_tuple");
    for (int j = 0; j < n; j++) {
      if (threeLevel) {
        Group element = list.getGroup(0, j);
        out.add(element.getFieldRepetitionCount(0) == 0 ? null : value(element, 0, 0));
      } else {
        out.add(value(list, 0, j));
      }
    }
    return out;
  }

  private static Map<String, Object> map(Group map) {
    int n = map.getFieldRepetitionCount(0);
    Map<String, Object> out = new LinkedHashMap<>(n * 2);
    for (int j = 0; j < n; j++) {
      Group kv = map.getGroup(0, j);
      Object key = value(kv, 0, 0);
      Object v = kv.getType().getFieldCount() < 2 || kv.getFieldRepetitionCount(1) == 0
          ? null : value(kv, 1, 0);
      out.put(key instanceof byte[] ? new String((byte[]) key,
          java.nio.charset.StandardCharsets.UTF_8) : String.valueOf(key), v);
    }
    return out;
  }

  private static Object primitive(Group g, int field, int index, PrimitiveType t) {
    switch (t.getPrimitiveTypeName()) {
      case BOOLEAN: return g.getBoolean(field, index);
      case INT32: return g.getInteger(field, index);
      case INT64: return g.getLong(field, index);
      case FLOAT: return g.getFloat(field, index);
      case DOUBLE: return g.getDouble(field, index);
      case BINARY:
      case FIXED_LEN_BYTE_ARRAY: {
        LogicalTypeAnnotation a = t.getLogicalTypeAnnotation();
        if (a instanceof LogicalTypeAnnotation.StringLogicalTypeAnnotation
            || a instanceof LogicalTypeAnnotation.JsonLogicalTypeAnnotation
            || a instanceof LogicalTypeAnnotation.EnumLogicalTypeAnnotation) {
          return g.getBinary(field, index).toStringUsingUTF8();
        }
        return g.getBinary(field, index).getBytes();
      }
      case INT96:
      default:
        return g.getInt96(field, index).getBytes();
    }
  }

  /** A Beam file as parquet-java's {@link InputFile}: a seekable channel. */
  private static final class BeamInputFile implements InputFile {
    private final ResourceId file;
    private final long length;

    BeamInputFile(ResourceId file, long length) {
      this.file = file;
      this.length = length;
    }

    @Override
    public long getLength() {
      return length;
    }

    @Override
    public SeekableInputStream newStream() throws IOException {
      java.nio.channels.ReadableByteChannel ch = FileSystems.open(file);
      if (!(ch instanceof SeekableByteChannel)) {
        ch.close();
        throw new IOException(file + ": Parquet input must be seekable (not compressed)");
      }
      return new ChannelInputStream((SeekableByteChannel) ch);
    }

    /** The path: parquet-java names the file by this in its errors ("… is not a Parquet file"). */
    @Override
    public String toString() {
      return file.toString();
    }
  }
}
