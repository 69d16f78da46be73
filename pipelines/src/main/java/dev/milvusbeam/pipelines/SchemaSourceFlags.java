package dev.milvusbeam.pipelines;

import com.fasterxml.jackson.annotation.JsonIgnore;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * Where the collection schema comes from, shared by {@code convert}, {@code verify} and {@code
 * import}: a file ({@code --schema}) or the collection itself ({@code --schemaFrom=<uri>} with
 * {@code --collection}, {@code --dbName}, {@code --token}), read once by {@link
 * Flags#schema(SchemaSourceFlags, boolean)}. {@code --token} is {@code @JsonIgnore}.
 */
@Description("The collection schema: a file (--schema), or read from the collection"
    + " (--schemaFrom=<Milvus URI> with --collection, --dbName, --token).")
public interface SchemaSourceFlags extends PipelineOptions {
  @Description("Collection schema, a JSON file in the Milvus REST v2 shape"
      + " ({\"autoID\":…,\"enableDynamicField\":…,\"fields\":[…],\"functions\":[…]}, or the"
      + " describe-collection reply); a local path or any Beam file system path. Or --schemaFrom.")
  String getSchema();

  void setSchema(String value);

  @Description("Read the schema from the collection instead of --schema: the Milvus REST"
      + " endpoint, e.g. http://localhost:19530 (POST /v2/vectordb/collections/describe of"
      + " --collection in --dbName, with --token).")
  String getSchemaFrom();

  void setSchemaFrom(String value);

  @Description("Milvus token, or user:password (sent as 'Authorization: Bearer …'). Default: the"
      + " MILVUS_TOKEN environment variable.")
  @JsonIgnore
  String getToken();

  void setToken(String value);

  @Description("Database of the collection (Milvus' 'default' when not set).")
  String getDbName();

  void setDbName(String value);

  @Description("The collection: to import into, or whose schema --schemaFrom reads.")
  String getCollection();

  void setCollection(String value);
}
