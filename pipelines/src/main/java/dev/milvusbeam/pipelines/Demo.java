package dev.milvusbeam.pipelines;

import static dev.milvusbeam.core.schema.FieldParam.dim;
import static dev.milvusbeam.core.schema.FieldParam.isPrimary;
import static dev.milvusbeam.core.schema.FieldParam.maxLength;

import dev.milvusbeam.core.schema.CollectionSchema;
import dev.milvusbeam.core.schema.DataType;
import dev.milvusbeam.io.LocalBulkWriter;
import java.io.PrintStream;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * {@code bulkwriter demo}: the seed page's example end to end — its schema, random rows with two
 * dynamic fields, one writer, one commit.
 */
final class Demo {
  private static final String LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

  private Demo() {}

  static CollectionSchema seedSchema(int dim) {
    return CollectionSchema.createSchema(false, true)
        .addField("id", DataType.INT64, isPrimary())
        .addField("vector", DataType.FLOAT_VECTOR, dim(dim))
        .addField("scalar_1", DataType.VARCHAR, maxLength(512))
        .addField("scalar_2", DataType.INT64)
        .build();
  }

  static Summary run(DemoSettings s, PrintStream err) {
    SplittableRandom random = new SplittableRandom(s.seed());
    Progress progress = new Progress(err);
    OutputSettings out = s.output();
    try (LocalBulkWriter writer = LocalBulkWriter.builder(s.schema(), out.output())
        .fileType(out.fileType())
        .segmentSize(out.segmentSize())
        .formatOptions(out.format())
        .build()) {
      for (int i = 0; i < s.rows(); i++) {
        float[] vector = new float[s.dim()];
        for (int d = 0; d < vector.length; d++) {
          vector[d] = (float) (random.nextDouble() * 2 - 1);
        }
        Map<String, Object> row = new HashMap<>();
        row.put("id", (long) i);
        row.put("vector", vector);
        row.put("scalar_1", randomString(random, 1 + random.nextInt(20)));
        row.put("scalar_2", (long) random.nextInt(100));
        row.put("dynamic_field_1", random.nextBoolean());
        row.put("dynamic_field_2", random.nextInt(100));
        writer.appendRow(row);
        progress.tick(i + 1, 0, () -> writer.getSegments().size()); // counted only when printed
      }
      writer.commit();
      progress.done(s.rows(), 0, writer.getSegments().size());
      return new Summary(writer.getDataPath(), writer.getBatchFiles(), writer.getTotalRowCount(),
          0, null);
    }
  }

  private static String randomString(SplittableRandom random, int length) {
    StringBuilder sb = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      sb.append(LETTERS.charAt(random.nextInt(LETTERS.length())));
    }
    return sb.toString();
  }
}
