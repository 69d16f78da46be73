package dev.milvusbeam.core.format.parquet;

import dev.milvusbeam.core.schema.CollectionSchema;
import dev.milvusbeam.core.schema.DataType;
import dev.milvusbeam.core.schema.FieldSchema;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;
import org.apache.parquet.schema.Types;

/**
 * The Parquet schema of a collection schema (FORMAT.md section 4 "Parquet", the type table): one
 * column per collection column, in column order. Built with parquet-java's own {@link Types}
 * because Avro cannot express the INTEGER(8)/(16) annotations Milvus requires (the part Iceberg's
 * {@code TypeToMessageType} plays for a table schema).
 *
 * <p>Every column is {@code optional}; Array fields and dense vectors are the standard 3-level
 * LIST ({@code optional group f (LIST) { repeated group list { optional T element; } }});
 * text-like values (VarChar, Text, JSON, Geometry, Timestamptz, sparse vectors as JSON text,
 * {@code $meta}) are binary STRING; a struct array a LIST of a group of its sub-fields.
 */
final class ParquetSchema {
  /** The repeated group of a LIST. */
  static final String LIST = "list";
  /** The element of a LIST. */
  static final String ELEMENT = "element";

  private ParquetSchema() {}

  /** The Parquet schema of a collection's columns, in column order. */
  static MessageType messageType(CollectionSchema schema) {
    Types.MessageTypeBuilder b = Types.buildMessage();
    for (FieldSchema f : schema.columns()) {
      b.addField(column(f));
    }
    return b.named("schema");
  }

  private static Type column(FieldSchema f) {
    switch (f.dataType()) {
      case ARRAY:
        return listOf(f.name(), primitive(f.elementType(), ELEMENT));
      case FLOAT_VECTOR:
        return listOf(f.name(), primitive(DataType.FLOAT, ELEMENT));
      case BINARY_VECTOR:
      case FLOAT16_VECTOR:
      case BFLOAT16_VECTOR:
        return listOf(f.name(), Types.optional(PrimitiveTypeName.INT32)
            .as(LogicalTypeAnnotation.intType(8, false)).named(ELEMENT));
      case INT8_VECTOR:
        return listOf(f.name(), primitive(DataType.INT8, ELEMENT));
      case ARRAY_OF_STRUCT:
        return listOf(f.name(), structElement(f));
      default:
        return primitive(f.dataType(), f.name());
    }
  }

  /**
   * A struct array's element (FORMAT.md): an optional group of the sub-fields by short name, in
   * order, scalars by their type, a FloatVector sub-field a LIST of float. No fixed-size lists.
   */
  private static Type structElement(FieldSchema f) {
    Types.GroupBuilder<GroupType> element = Types.optionalGroup();
    for (FieldSchema sub : f.subFields()) {
      element.addField(sub.dataType() == DataType.FLOAT_VECTOR
          ? listOf(sub.name(), primitive(DataType.FLOAT, ELEMENT))
          : primitive(sub.dataType(), sub.name()));
    }
    return element.named(ELEMENT);
  }

  /** An optional primitive column or list element of a non-list type. */
  private static Type primitive(DataType t, String name) {
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
      case VARCHAR: case TEXT: case JSON: case GEOMETRY: case TIMESTAMPTZ: case SPARSE_FLOAT_VECTOR:
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
}
