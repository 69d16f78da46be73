package dev.milvusbeam.pipelines;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.milvus.bulkwriter.LocalBulkWriter;
import io.milvus.bulkwriter.LocalBulkWriterParam;
import io.milvus.bulkwriter.common.clientenum.BulkFileType;
import io.milvus.v2.common.DataType;
import io.milvus.v2.service.collection.request.AddFieldReq;
import io.milvus.v2.service.collection.request.CreateCollectionReq;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The peer side of the benchmark: the official Java SDK BulkWriter
 * ({@code io.milvus:milvus-sdk-java-bulkwriter:2.5.5}) on the same rows. It runs in its own JVM,
 * launched by {@link Bench} with the SDK's own dependency set (its Hadoop 3.3 / Parquet 1.13 /
 * Netty / Guava / gRPC versions clash with this project's), and regenerates the rows from the same
 * seed ({@link BenchRows}; the checksum goes back to the parent).
 *
 * <p>Rows become Gson {@code JsonObject}s (the SDK's input type) before timing when they fit in
 * half the heap, else one by one inside the timed loop (reported as {@code input=per_row}).
 * Timed per iteration: writer construction, every {@code appendRow}, {@code commit(false)} (which
 * waits for the file), {@code close()}, and with --sync an fsync of every file.
 *
 * <p>Prints {@code peer-result <fileType> seconds=<s1,s2,..> bytes=<n> files=<n> input=<..>
 * checksum=<n>} per file type on stdout.
 */
final class BenchPeer {
  private BenchPeer() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> o = new HashMap<>();
    for (String a : args) {
      int eq = a.indexOf('=');
      o.put(a.substring(2, eq < 0 ? a.length() : eq), eq < 0 ? "true" : a.substring(eq + 1));
    }
    int rows = Integer.parseInt(o.get("rows"));
    int dim = Integer.parseInt(o.get("dim"));
    long seed = Long.parseLong(o.get("seed"));
    int iterations = Integer.parseInt(o.get("iterations"));
    int warmup = Integer.parseInt(o.get("warmup"));
    long chunk = Long.parseLong(o.get("segmentSize"));
    boolean sync = Boolean.parseBoolean(o.getOrDefault("sync", "false"));
    Path out = Paths.get(o.get("out"));
    String prebuild = o.getOrDefault("prebuild", "auto");

    CreateCollectionReq.CollectionSchema schema = CreateCollectionReq.CollectionSchema.builder()
        .enableDynamicField(true).build();
    schema.addField(AddFieldReq.builder().fieldName("id").dataType(DataType.Int64)
        .isPrimaryKey(true).autoID(false).build());
    schema.addField(AddFieldReq.builder().fieldName("vector").dataType(DataType.FloatVector)
        .dimension(dim).build());
    schema.addField(AddFieldReq.builder().fieldName("scalar_1").dataType(DataType.VarChar)
        .maxLength(512).build());
    schema.addField(AddFieldReq.builder().fieldName("scalar_2").dataType(DataType.Int64).build());

    // ~40 bytes per vector element as Gson objects (JsonPrimitive + Float + slot)
    long estimate = (long) rows * (dim * 40L + 600);
    boolean pre = prebuild.equals("yes")
        || (prebuild.equals("auto") && estimate < Runtime.getRuntime().maxMemory() / 2);
    List<JsonObject> built = null;
    long checksum;
    BenchRows gen = new BenchRows(seed, dim);
    if (pre) {
      long t0 = System.nanoTime();
      built = new ArrayList<>(rows);
      for (int i = 0; i < rows; i++) {
        built.add(json(gen.next()));
      }
      checksum = gen.checksum();
      System.err.printf(Locale.ROOT, "peer: %d rows built as Gson JsonObjects before timing"
          + " (%.1f s, not timed)%n", rows, (System.nanoTime() - t0) / 1e9);
    } else {
      for (int i = 0; i < rows; i++) {
        gen.next();
      }
      checksum = gen.checksum();
      System.err.printf(Locale.ROOT, "peer: rows do not fit prebuilt (~%d MB as JsonObjects);"
          + " built one by one inside the timed loop%n", estimate >> 20);
    }

    for (String name : o.get("fileTypes").split(",")) {
      BulkFileType type = BulkFileType.valueOf(name.toUpperCase(Locale.ROOT));
      double[] seconds = new double[iterations];
      long bytes = 0;
      int files = 0;
      for (int it = -warmup; it < iterations; it++) {
        Path dir = out.resolve("peer-" + name + "-" + (it + warmup));
        BenchRows source = pre ? null : new BenchRows(seed, dim);
        System.gc();
        long t0 = System.nanoTime();
        LocalBulkWriter writer = new LocalBulkWriter(LocalBulkWriterParam.newBuilder()
            .withCollectionSchema(schema)
            .withLocalPath(dir.toString())
            .withChunkSize(chunk)
            .withFileType(type)
            .build());
        for (int i = 0; i < rows; i++) {
          writer.appendRow(pre ? built.get(i) : json(source.next()));
        }
        writer.commit(false);
        List<List<String>> batch = writer.getBatchFiles();
        writer.close();
        if (sync) {
          BenchRows.syncAll(dir);
        }
        double s = (System.nanoTime() - t0) / 1e9;
        bytes = BenchRows.folderBytes(dir);
        files = batch.size();
        BenchRows.deleteTree(dir);
        System.err.printf(Locale.ROOT, "peer %s %s: %.2f s, %d rows/s, %.1f MB, %d file(s)%n",
            name, it < 0 ? "warm-up" : "iteration " + (it + 1), s, Math.round(rows / s),
            bytes / 1e6, files);
        if (it >= 0) {
          seconds[it] = s;
        }
      }
      StringBuilder sb = new StringBuilder();
      for (double s : seconds) {
        sb.append(sb.length() == 0 ? "" : ",").append(String.format(Locale.ROOT, "%.4f", s));
      }
      System.out.printf(Locale.ROOT, "peer-result %s seconds=%s bytes=%d files=%d input=%s"
          + " checksum=%d%n", name, sb, bytes, files, pre ? "prebuilt" : "per_row", checksum);
      System.out.flush();
    }
    Files.deleteIfExists(out);
  }

  private static JsonObject json(BenchRows.Row r) {
    JsonObject o = new JsonObject();
    o.addProperty("id", r.id);
    JsonArray v = new JsonArray(r.vector.length);
    for (float f : r.vector) {
      v.add(f);
    }
    o.add("vector", v);
    o.addProperty("scalar_1", r.scalar1);
    o.addProperty("scalar_2", r.scalar2);
    o.addProperty("dynamic_field_1", r.dynamicField1);
    o.addProperty("dynamic_field_2", r.dynamicField2);
    return o;
  }
}
