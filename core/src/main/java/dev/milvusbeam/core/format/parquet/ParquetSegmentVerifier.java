package dev.milvusbeam.core.format.parquet;

import dev.milvusbeam.core.format.StrictJson;
import dev.milvusbeam.core.format.SegmentVerifier;
import dev.milvusbeam.core.format.DataFolder;
import dev.milvusbeam.core.format.VerifyReport;
import dev.milvusbeam.core.format.Problem;
import dev.milvusbeam.core.format.ChannelInputStream;
import dev.milvusbeam.core.format.FormatOptions;
import dev.milvusbeam.core.row.HalfFloats;
import dev.milvusbeam.core.row.Rule;
import dev.milvusbeam.core.row.Violation;
import dev.milvusbeam.core.schema.CollectionSchema;
import dev.milvusbeam.core.schema.DataType;
import dev.milvusbeam.core.schema.FieldSchema;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.conf.HadoopParquetConfiguration;
import org.apache.parquet.conf.ParquetConfiguration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.api.ReadSupport;
import org.apache.parquet.hadoop.example.GroupReadSupport;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.SeekableInputStream;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;

/**
 * Parquet segments ({@code N.parquet}): the footer (a truncated file has none), each column's
 * physical type, logical annotation, repetition and LIST structure as FORMAT.md section 4 says
 * (INTEGER(8)/(16) signed for Int8/Int16, STRING for text, 3-level lists, uint8 lists for binary
 * and half vectors), the column set, the row count the footer declares against the records read,
 * row-group sizes, and every value (read with parquet-java, one row group in memory at a time)
 * by the validation rules, column by column.
 */
public final class ParquetSegmentVerifier extends SegmentVerifier {
  /** Row groups above this are reported (a warning): they have run Milvus data nodes out of memory. */
  static final long LARGE_ROW_GROUP_BYTES = 128L << 20;

  public ParquetSegmentVerifier(CollectionSchema schema, FormatOptions options) {
    super(schema, options);
  }

  @Override
  public long verify(int segment, List<DataFolder.DataFile> files, DataFolder folder,
      VerifyReport report) throws IOException {
    DataFolder.DataFile file = files.get(0);
    String name = file.path();
    InputFile in = new ChannelInputFile(folder, name, file.size());
    // a Hadoop configuration without its default resources (the decompressors are Hadoop codecs
    // and take one): parsing core-default.xml was a good part of a small verify's start
    ParquetConfiguration conf = new HadoopParquetConfiguration(new Configuration(false));
    ParquetMetadata footer;
    try (ParquetFileReader r = ParquetFileReader.open(in, ParquetReadOptions.builder(conf).build())) {
      footer = r.getFooter();
    } catch (IOException | RuntimeException e) {
      report.problem(name, null, "truncated", "not a complete Parquet file (" + file.size()
          + " bytes; its footer cannot be read: " + e.getMessage() + "): truncated, still being"
          + " written, or not Parquet");
      return 0;
    }
    long declared = 0;
    int group = 0;
    for (BlockMetaData b : footer.getBlocks()) {
      group++;
      declared += b.getRowCount();
      if (b.getTotalByteSize() > LARGE_ROW_GROUP_BYTES) {
        report.warning(name, null, "parquet-row-group", "row group " + group + " holds "
            + (b.getTotalByteSize() >> 20) + " MiB uncompressed: large row groups times many"
            + " columns have run Milvus data nodes out of memory; write smaller ones");
      }
    }
    MessageType type = footer.getFileMetaData().getSchema();
    List<FieldSchema> columns = schema.columns();
    int[] index = checkColumns(name, type, columns, report);
    long rows = 0;
    try (ParquetReader<Group> reader = new ParquetReader.Builder<Group>(in, conf) {
      @Override
      protected ReadSupport<Group> getReadSupport() {
        return new GroupReadSupport();
      }
    }.build()) {
      Group g;
      while ((g = reader.read()) != null) {
        rows++;
        for (int i = 0; i < columns.size(); i++) {
          if (index[i] >= 0) {
            checkValue(name, rows, columns.get(i), g, index[i], report);
          }
        }
      }
    } catch (IOException | RuntimeException e) {
      report.add(new Problem(name, rows + 1, 0, null, "structure", "cannot read the data after "
          + rows + " row(s): " + e.getMessage(), null, false));
      return rows;
    }
    if (rows != declared) {
      report.problem(name, null, "row-count", "the footer declares " + declared + " rows, "
          + rows + " were read");
    }
    return rows;
  }

  /**
   * Checks each column's type; returns, per schema column, its index in the file, or -1 when it
   * is missing or its type is wrong (its values are then not read).
   */
  private int[] checkColumns(String file, MessageType type, List<FieldSchema> columns,
      VerifyReport report) {
    Map<String, Integer> byName = new HashMap<>();
    List<String> order = new ArrayList<>();
    for (int i = 0; i < type.getFieldCount(); i++) {
      String n = type.getFieldName(i);
      byName.put(n, i);
      FieldSchema f = schema.field(n);
      if (f != null && (f.isAutoId() || f.isFunctionOutput())) {
        report.problem(file, n, "columns", f.isAutoId() ? "the auto-id primary key must not be a"
            + " column: Milvus generates it" : "a function output must not be a column: Milvus"
            + " computes it");
      } else if (f == null && !(n.equals(FieldSchema.META) && schema.isDynamicFieldEnabled())) {
        report.problem(file, n, "columns", "column '" + n + "' is not a field of the schema"
            + (schema.isDynamicFieldEnabled() ? " (dynamic fields go inside the $meta column)"
                : " (and the dynamic field is disabled)"));
      } else {
        order.add(n);
      }
    }
    int[] index = new int[columns.size()];
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < columns.size(); i++) {
      FieldSchema c = columns.get(i);
      Integer at = byName.get(c.name());
      index[i] = -1;
      if (at == null) {
        if (c.acceptsMissing()) {
          report.warning(file, c.name(), "columns", "no column for " + c.describe()
              + ": Milvus 2.5+ fills " + (c.hasDefault() ? "the default" : "null"));
        } else {
          report.problem(file, c.name(), "columns", "no column for " + c.describe());
        }
        continue;
      }
      expected.add(c.name());
      Type t = type.getType(at);
      if (t.isRepetition(Type.Repetition.REQUIRED)) {
        if (c.isNullable()) {
          report.problem(file, c.name(), "parquet-schema", "a required column for a nullable"
              + " field: Milvus <= 2.5.4 crashes on it; make it optional");
        } else {
          report.warning(file, c.name(), "parquet-schema", "a required column (FORMAT.md asks"
              + " for optional columns)");
        }
      } else if (t.isRepetition(Type.Repetition.REPEATED)) {
        report.problem(file, c.name(), "parquet-schema", "a repeated column; use an optional"
            + " LIST group");
        continue;
      }
      String problem = typeProblem(c, t);
      if (problem != null) {
        report.problem(file, c.name(), "parquet-schema", problem);
        continue;
      }
      index[i] = at;
    }
    if (!expected.equals(order) && order.containsAll(expected) && expected.containsAll(order)) {
      report.warning(file, null, "column-order", "columns " + order + " are not in column order "
          + expected + " (Milvus reads them by name)");
    }
    return index;
  }

  /** Why a column's type is not what FORMAT.md section 4 asks for {@code c}, or null. */
  private static String typeProblem(FieldSchema c, Type t) {
    DataType d = c.dataType();
    if (d == DataType.ARRAY_OF_STRUCT) {
      return structProblem(c, t);
    }
    if (d == DataType.ARRAY || d.isDenseVector()) {
      Type element = listElement(t);
      if (element == null) {
        return "expected a 3-level LIST (optional group (LIST) { repeated group list { optional"
            + " element } }), found " + describe(t);
      }
      DataType want;
      switch (d) {
        case ARRAY: want = c.elementType(); break;
        case FLOAT_VECTOR: want = DataType.FLOAT; break;
        case INT8_VECTOR: want = DataType.INT8; break;
        default: want = null; // binary and half vectors: uint8
      }
      String p = want != null ? scalarProblem(want, element)
          : isInt(element, 8, false) ? null : "expected int32 INTEGER(8, unsigned) elements";
      return p == null ? null : "list elements: " + p + ", found " + describe(element);
    }
    String p = scalarProblem(d.isStringLike() || d == DataType.JSON
        || d == DataType.SPARSE_FLOAT_VECTOR ? DataType.VARCHAR : d, t);
    return p == null ? null : p + ", found " + describe(t);
  }

  /**
   * FORMAT.md's struct column: a 3-level LIST of an optional group whose children are exactly the
   * sub-fields by short name, in order, scalars by their type, FloatVector a LIST of float.
   */
  private static String structProblem(FieldSchema c, Type t) {
    Type element = listElement(t);
    if (element == null || element.isPrimitive()
        || !element.isRepetition(Type.Repetition.OPTIONAL)) {
      return "expected a LIST of an optional group of the sub-fields (optional group (LIST) {"
          + " repeated group list { optional group element { … } } }), found " + describe(t);
    }
    GroupType g = element.asGroupType();
    List<String> names = new ArrayList<>();
    for (Type child : g.getFields()) {
      names.add(child.getName());
    }
    List<String> want = new ArrayList<>();
    for (FieldSchema sub : c.subFields()) {
      want.add(sub.name());
    }
    if (!names.equals(want)) {
      return "the struct's children are " + names + ", expected exactly the sub-fields " + want
          + " in order";
    }
    for (int k = 0; k < want.size(); k++) {
      FieldSchema sub = c.subFields().get(k);
      Type child = g.getType(k);
      if (!child.isRepetition(Type.Repetition.OPTIONAL)) {
        return "sub-field '" + sub.name() + "' must be optional, found " + describe(child);
      }
      String p;
      if (sub.dataType() == DataType.FLOAT_VECTOR) {
        Type floats = listElement(child);
        p = floats == null ? "expected a 3-level LIST of float" : scalarProblem(DataType.FLOAT,
            floats);
      } else {
        p = scalarProblem(sub.dataType(), child);
      }
      if (p != null) {
        return "sub-field '" + sub.name() + "': " + p + ", found " + describe(child);
      }
    }
    return null;
  }

  private static String scalarProblem(DataType d, Type t) {
    if (!t.isPrimitive()) {
      return "expected a primitive column";
    }
    PrimitiveType p = t.asPrimitiveType();
    LogicalTypeAnnotation a = p.getLogicalTypeAnnotation();
    switch (d) {
      case BOOL:
        return p.getPrimitiveTypeName() == PrimitiveTypeName.BOOLEAN ? null : "expected boolean";
      case INT8:
        return isInt(p, 8, true) ? null : "expected int32 INTEGER(8, signed) (Milvus rejects a"
            + " plain int32)";
      case INT16:
        return isInt(p, 16, true) ? null : "expected int32 INTEGER(16, signed) (Milvus rejects a"
            + " plain int32)";
      case INT32:
        return p.getPrimitiveTypeName() == PrimitiveTypeName.INT32
            && (a == null || isInt(p, 32, true)) ? null : "expected int32";
      case INT64:
        return p.getPrimitiveTypeName() == PrimitiveTypeName.INT64
            && (a == null || isInt(p, 64, true)) ? null : "expected int64";
      case FLOAT:
        return p.getPrimitiveTypeName() == PrimitiveTypeName.FLOAT ? null : "expected float";
      case DOUBLE:
        return p.getPrimitiveTypeName() == PrimitiveTypeName.DOUBLE ? null : "expected double";
      default: // text
        return p.getPrimitiveTypeName() == PrimitiveTypeName.BINARY
            && a instanceof LogicalTypeAnnotation.StringLogicalTypeAnnotation ? null
            : "expected binary STRING (un-annotated binary, JSON or TIMESTAMP are rejected)";
    }
  }

  private static boolean isInt(Type t, int bits, boolean signed) {
    if (!t.isPrimitive() || t.asPrimitiveType().getPrimitiveTypeName() != PrimitiveTypeName.INT32
        && bits <= 32) {
      return false;
    }
    LogicalTypeAnnotation a = t.getLogicalTypeAnnotation();
    return a instanceof LogicalTypeAnnotation.IntLogicalTypeAnnotation
        && ((LogicalTypeAnnotation.IntLogicalTypeAnnotation) a).getBitWidth() == bits
        && ((LogicalTypeAnnotation.IntLogicalTypeAnnotation) a).isSigned() == signed;
  }

  /** The element type of a 3-level LIST, or null when {@code t} is not one. */
  private static Type listElement(Type t) {
    if (t.isPrimitive()
        || !(t.getLogicalTypeAnnotation() instanceof LogicalTypeAnnotation.ListLogicalTypeAnnotation)) {
      return null;
    }
    GroupType g = t.asGroupType();
    if (g.getFieldCount() != 1 || !g.getType(0).isRepetition(Type.Repetition.REPEATED)
        || g.getType(0).isPrimitive()) {
      return null;
    }
    GroupType repeated = g.getType(0).asGroupType();
    if (repeated.getFieldCount() != 1 || repeated.getType(0).isRepetition(Type.Repetition.REPEATED)) {
      return null;
    }
    return repeated.getType(0);
  }

  private static String describe(Type t) {
    return t.toString().replaceAll("\\s+", " ").trim();
  }

  private void checkValue(String file, long row, FieldSchema c, Group g, int at,
      VerifyReport report) {
    Object v;
    try {
      v = g.getFieldRepetitionCount(at) == 0 ? null : value(c, g, at);
    } catch (ValueProblem e) {
      report(report, file, row, new Violation(c.name(), e.rule, e.getMessage(), null, null));
      return;
    }
    report(report, file, row, validator.checkValue(c, v));
  }

  /** The value of a non-null column as Milvus' Parquet reader hands it on. */
  private static Object value(FieldSchema c, Group g, int at) throws ValueProblem {
    DataType d = c.dataType();
    if (d == DataType.ARRAY_OF_STRUCT) {
      return structValue(c, g.getGroup(at, 0));
    }
    if (d == DataType.ARRAY || d.isDenseVector()) {
      Group list = g.getGroup(at, 0);
      int n = list.getFieldRepetitionCount(0);
      List<Object> out = new ArrayList<>(n);
      for (int j = 0; j < n; j++) {
        Group element = list.getGroup(0, j);
        out.add(element.getFieldRepetitionCount(0) == 0 ? null : primitive(element, 0));
      }
      if (d == DataType.FLOAT16_VECTOR || d == DataType.BFLOAT16_VECTOR) {
        return halfs(c, out);
      }
      return out;
    }
    Object v = primitive(g, at);
    if (d == DataType.SPARSE_FLOAT_VECTOR && v instanceof String) {
      return StrictJson.parseOrText((String) v);
    }
    return v;
  }

  /** A struct column's list as a list of sub-field maps (a null element or sub-value as null). */
  private static List<Object> structValue(FieldSchema c, Group list) throws ValueProblem {
    int n = list.getFieldRepetitionCount(0);
    List<Object> out = new ArrayList<>(n);
    for (int j = 0; j < n; j++) {
      Group wrapper = list.getGroup(0, j);
      if (wrapper.getFieldRepetitionCount(0) == 0) {
        out.add(null);
        continue;
      }
      Group element = wrapper.getGroup(0, 0);
      java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
      List<FieldSchema> subs = c.subFields();
      for (int k = 0; k < subs.size(); k++) {
        if (element.getFieldRepetitionCount(k) == 0) {
          m.put(subs.get(k).name(), null);
        } else if (subs.get(k).dataType() == DataType.FLOAT_VECTOR) {
          Group floats = element.getGroup(k, 0);
          int dim = floats.getFieldRepetitionCount(0);
          List<Object> v = new ArrayList<>(dim);
          for (int x = 0; x < dim; x++) {
            Group e = floats.getGroup(0, x);
            v.add(e.getFieldRepetitionCount(0) == 0 ? null : primitive(e, 0));
          }
          m.put(subs.get(k).name(), v);
        } else {
          m.put(subs.get(k).name(), primitive(element, k));
        }
      }
      out.add(m);
    }
    return out;
  }

  private static Object primitive(Group g, int at) throws ValueProblem {
    PrimitiveType p = g.getType().getType(at).asPrimitiveType();
    switch (p.getPrimitiveTypeName()) {
      case BOOLEAN: return g.getBoolean(at, 0);
      case INT32: return g.getInteger(at, 0);
      case INT64: return g.getLong(at, 0);
      case FLOAT: return g.getFloat(at, 0);
      case DOUBLE: return g.getDouble(at, 0);
      default:
        try {
          return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(g.getBinary(at, 0).toByteBuffer()).toString();
        } catch (CharacterCodingException e) {
          throw new ValueProblem(Rule.INVALID_UTF8, "the string is not valid UTF-8");
        }
    }
  }

  /** {@code 2·dim} raw little-endian half bytes as the floats they hold. */
  private static float[] halfs(FieldSchema c, List<Object> bytes) throws ValueProblem {
    if (bytes.size() != 2 * c.dim()) {
      throw new ValueProblem(Rule.VECTOR_DIM, "vector has " + bytes.size() + " bytes, needs "
          + 2 * c.dim() + " (2·dim raw half bytes)");
    }
    float[] out = new float[c.dim()];
    for (int i = 0; i < out.length; i++) {
      int lo = byteAt(bytes, 2 * i);
      int hi = byteAt(bytes, 2 * i + 1);
      short h = (short) (lo | hi << 8);
      out[i] = c.dataType() == DataType.FLOAT16_VECTOR ? HalfFloats.fromFloat16(h)
          : HalfFloats.fromBFloat16(h);
    }
    return out;
  }

  private static int byteAt(List<Object> bytes, int i) throws ValueProblem {
    Object x = bytes.get(i);
    if (!(x instanceof Integer) || (Integer) x < 0 || (Integer) x > 255) {
      throw new ValueProblem(Rule.BYTE_RANGE, "byte " + i + " (" + x + ") is outside 0..255");
    }
    return (Integer) x;
  }

  /** A value that cannot even be handed to the validation rules. */
  private static final class ValueProblem extends Exception {
    private static final long serialVersionUID = 1L;
    final Rule rule;

    ValueProblem(Rule rule, String message) {
      super(message, null, false, false);
      this.rule = rule;
    }
  }

  /** A data-folder file as parquet-java's {@link InputFile}. */
  private static final class ChannelInputFile implements InputFile {
    private final DataFolder folder;
    private final String path;
    private final long length;

    ChannelInputFile(DataFolder folder, String path, long length) {
      this.folder = folder;
      this.path = path;
      this.length = length;
    }

    @Override
    public long getLength() {
      return length;
    }

    @Override
    public SeekableInputStream newStream() throws IOException {
      return new ChannelInputStream(folder.open(path));
    }

    @Override
    public String toString() {
      return path;
    }
  }
}
