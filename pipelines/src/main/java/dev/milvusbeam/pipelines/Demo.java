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

  static Summary run(DemoOptions o, PrintStream err) {
    if (o.getRows() < 0 || o.getDim() <= 0) {
      throw new UsageException("--rows must be >= 0 and --dim > 0");
    }
    SplittableRandom random = new SplittableRandom(o.getSeed());
    Progress progress = new Progress(err);
    try (LocalBulkWriter writer = WriterSettings.open(seedSchema(o.getDim()), o)) {
      for (int i = 0; i < o.getRows(); i++) {
        float[] vector = new float[o.getDim()];
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
      progress.done(o.getRows(), 0, writer.getSegments().size());
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
