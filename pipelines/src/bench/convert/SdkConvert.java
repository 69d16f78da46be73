import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.milvus.bulkwriter.LocalBulkWriter;
import io.milvus.bulkwriter.LocalBulkWriterParam;
import io.milvus.bulkwriter.common.clientenum.BulkFileType;
import io.milvus.v2.common.DataType;
import io.milvus.v2.service.collection.request.AddFieldReq;
import io.milvus.v2.service.collection.request.CreateCollectionReq;
import java.io.BufferedReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * bin/bench-convert's "sdk" tool: a JSONL file converted with the official Java SDK BulkWriter
 * (io.milvus:milvus-sdk-java-bulkwriter:2.5.5) the way a user would write it: the whole process,
 * each line parsed with Gson ({@code JsonParser.parseString} into a JsonObject), {@code appendRow},
 * then {@code commit(false)} and {@code close()}. Runs on the SDK's own classpath
 * (pipelines/src/bench/peer/pom.xml), compiled by bin/bench-convert.
 *
 * <pre>SdkConvert --schema=S.json --input=F.jsonl --output=DIR --fileType=parquet|json|csv
 *     [--chunkSize=BYTES]</pre>
 * The schema is the REST v2 shape ({"fields":[...]}, "enableDynamicField", "autoID").
 * Prints {@code sdk-result rows=<n> files=<n>} on stdout.
 */
public final class SdkConvert {
  private SdkConvert() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> o = new HashMap<>();
    for (String a : args) {
      int eq = a.indexOf('=');
      if (!a.startsWith("--") || eq < 0) {
        throw new IllegalArgumentException("expected --key=value, got " + a);
      }
      o.put(a.substring(2, eq), a.substring(eq + 1));
    }
    CreateCollectionReq.CollectionSchema schema = schema(Paths.get(o.get("schema")));
    BulkFileType type = BulkFileType.valueOf(o.get("fileType").toUpperCase(Locale.ROOT));
    LocalBulkWriterParam.Builder param = LocalBulkWriterParam.newBuilder()
        .withCollectionSchema(schema)
        .withLocalPath(o.get("output"))
        .withFileType(type);
    if (o.containsKey("chunkSize")) {
      param.withChunkSize(Long.parseLong(o.get("chunkSize")));
    }
    LocalBulkWriter writer = new LocalBulkWriter(param.build());
    long rows = 0;
    try (BufferedReader in = Files.newBufferedReader(Paths.get(o.get("input")),
        StandardCharsets.UTF_8)) {
      String line;
      while ((line = in.readLine()) != null) {
        if (line.isBlank()) {
          continue;
        }
        writer.appendRow(JsonParser.parseString(line).getAsJsonObject());
        rows++;
      }
    }
    writer.commit(false);
    List<List<String>> files = writer.getBatchFiles();
    writer.close();
    System.out.printf(Locale.ROOT, "sdk-result rows=%d files=%d%n", rows, files.size());
  }

  /** The REST v2 schema JSON as the SDK's CollectionSchema. */
  static CreateCollectionReq.CollectionSchema schema(Path file) throws Exception {
    JsonObject s = JsonParser.parseString(Files.readString(file)).getAsJsonObject();
    boolean autoId = s.has("autoID") && s.get("autoID").getAsBoolean();
    CreateCollectionReq.CollectionSchema schema = CreateCollectionReq.CollectionSchema.builder()
        .enableDynamicField(s.has("enableDynamicField")
            && s.get("enableDynamicField").getAsBoolean())
        .build();
    for (JsonElement e : s.getAsJsonArray("fields")) {
      JsonObject f = e.getAsJsonObject();
      JsonObject p = f.has("elementTypeParams") ? f.getAsJsonObject("elementTypeParams")
          : new JsonObject();
      boolean primary = f.has("isPrimary") && f.get("isPrimary").getAsBoolean();
      AddFieldReq.AddFieldReqBuilder<?, ?> b = AddFieldReq.builder()
          .fieldName(f.get("fieldName").getAsString())
          .dataType(dataType(f.get("dataType").getAsString()))
          .isPrimaryKey(primary)
          .autoID(primary && autoId);
      if (p.has("dim")) {
        b.dimension(p.get("dim").getAsInt());
      }
      if (p.has("max_length")) {
        b.maxLength(p.get("max_length").getAsInt());
      }
      if (p.has("max_capacity")) {
        b.maxCapacity(p.get("max_capacity").getAsInt());
      }
      if (f.has("elementDataType")) {
        b.elementType(dataType(f.get("elementDataType").getAsString()));
      }
      if (f.has("nullable")) {
        b.isNullable(f.get("nullable").getAsBoolean());
      }
      schema.addField(b.build());
    }
    return schema;
  }

  private static DataType dataType(String name) {
    for (DataType t : DataType.values()) {
      if (t.name().equalsIgnoreCase(name)) {
        return t;
      }
    }
    throw new IllegalArgumentException("unknown dataType " + name);
  }
}
