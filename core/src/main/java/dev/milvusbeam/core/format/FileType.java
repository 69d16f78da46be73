package dev.milvusbeam.core.format;

import dev.milvusbeam.core.row.ColumnCheck;
import dev.milvusbeam.core.schema.CollectionSchema;
import dev.milvusbeam.core.schema.FieldSchema;
import dev.milvusbeam.core.verify.CsvSegmentVerifier;
import dev.milvusbeam.core.verify.JsonSegmentVerifier;
import dev.milvusbeam.core.verify.NumpySegmentVerifier;
import dev.milvusbeam.core.verify.ParquetSegmentVerifier;
import dev.milvusbeam.core.verify.SegmentVerifier;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The import file types and the registry of their writers and verifiers: a new type is one
 * {@link SegmentWriter} class, one {@link SegmentVerifier} class and one constant here.
 */
public enum FileType {
  JSON("json") {
    @Override
    public SegmentWriter open(CollectionSchema s, FormatOptions o, SegmentOutput out, int segment)
        throws IOException {
      return new JsonSegmentWriter(s, out.create(segment + ".json"), false);
    }

    @Override
    public SegmentVerifier verifier(CollectionSchema s, FormatOptions o) {
      return new JsonSegmentVerifier(s, o, false);
    }
  },
  /** JSON Lines: Milvus 2.6.6 and newer only. */
  JSONL("jsonl") {
    @Override
    public SegmentWriter open(CollectionSchema s, FormatOptions o, SegmentOutput out, int segment)
        throws IOException {
      return new JsonSegmentWriter(s, out.create(segment + ".jsonl"), true);
    }

    @Override
    public SegmentVerifier verifier(CollectionSchema s, FormatOptions o) {
      return new JsonSegmentVerifier(s, o, true);
    }
  },
  PARQUET("parquet") {
    @Override
    public SegmentWriter open(CollectionSchema s, FormatOptions o, SegmentOutput out, int segment)
        throws IOException {
      return new ParquetSegmentWriter(s, o, out.create(segment + ".parquet"));
    }

    @Override
    public SegmentVerifier verifier(CollectionSchema s, FormatOptions o) {
      return new ParquetSegmentVerifier(s, o);
    }
  },
  /** One folder per segment, one {@code <column>.npy} per column. */
  NUMPY("npy") {
    @Override
    public SegmentWriter open(CollectionSchema s, FormatOptions o, SegmentOutput out, int segment)
        throws IOException {
      return new NumpySegmentWriter(s, o, out, segment + "/");
    }

    @Override
    public SegmentVerifier verifier(CollectionSchema s, FormatOptions o) {
      return new NumpySegmentVerifier(s, o);
    }

    @Override
    public void checkSchema(CollectionSchema schema) {
      NumpySegmentWriter.checkSchema(schema);
    }

    @Override
    public List<String> segmentFiles(CollectionSchema schema, int segment) {
      List<String> files = new ArrayList<>();
      for (FieldSchema c : schema.columns()) {
        files.add(segment + "/" + c.name() + ".npy");
      }
      return files;
    }
  },
  /** CSV (RFC 4180): Milvus 2.5 and newer. */
  CSV("csv") {
    @Override
    public SegmentWriter open(CollectionSchema s, FormatOptions o, SegmentOutput out, int segment)
        throws IOException {
      return new CsvSegmentWriter(s, o, out.create(segment + ".csv"));
    }

    @Override
    public SegmentVerifier verifier(CollectionSchema s, FormatOptions o) {
      return new CsvSegmentVerifier(s, o);
    }

    @Override
    public ColumnCheck columnCheck(FormatOptions options) {
      return new CsvNullKeyCheck(options.csvNullKey());
    }
  };

  private final String extension;

  FileType(String extension) {
    this.extension = extension;
  }

  /** File extension Milvus detects the format by ({@code npy} for NumPy). */
  public String extension() {
    return extension;
  }

  /** Opens the writer of segment {@code segment} (1-based). */
  public abstract SegmentWriter open(CollectionSchema schema, FormatOptions options,
      SegmentOutput out, int segment) throws IOException;

  /**
   * The reader that checks this type's segments when a written data folder is verified
   * ({@code bulkwriter verify}, {@link dev.milvusbeam.core.verify.FolderVerifier}).
   */
  public abstract SegmentVerifier verifier(CollectionSchema schema, FormatOptions options);

  /**
   * Refuses, before any data is read, a schema this file type cannot carry, naming the fields.
   * @throws dev.milvusbeam.core.schema.SchemaException when it cannot
   */
  public void checkSchema(CollectionSchema schema) {}

  /** This file type's own rule on values, applied by the row validator (none by default). */
  public ColumnCheck columnCheck(FormatOptions options) {
    return ColumnCheck.NONE;
  }

  /** The file group of one segment, relative to the data path (the Import API's {@code files}). */
  public List<String> segmentFiles(CollectionSchema schema, int segment) {
    return List.of(segment + "." + extension);
  }

  /** Reads {@code json|jsonl|parquet|numpy|npy|csv}, case-insensitive. */
  public static FileType fromName(String name) {
    String n = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
    switch (n) {
      case "json": return JSON;
      case "jsonl": case "ndjson": return JSONL;
      case "parquet": return PARQUET;
      case "numpy": case "npy": return NUMPY;
      case "csv": return CSV;
      default:
        throw new IllegalArgumentException("unknown file type '" + name
            + "' (json, jsonl, parquet, numpy, csv)");
    }
  }

  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}
