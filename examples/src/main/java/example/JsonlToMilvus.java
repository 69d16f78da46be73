package example;

import dev.milvusbeam.core.format.FileType;
import dev.milvusbeam.core.schema.CollectionSchema;
import dev.milvusbeam.core.schema.SchemaJson;
import dev.milvusbeam.io.MilvusIO;
import java.io.IOException;
import java.nio.file.Path;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.io.TextIO;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.options.Validation;

/**
 * Reads JSON Lines rows, checks them against a Milvus collection schema and writes files Milvus
 * can bulk-import: {@code <output>/<uuid>/1..K.parquet}, rejected rows to {@code
 * <output>/failures.jsonl}.
 *
 * <pre>
 * java -cp … example.JsonlToMilvus --schema=data/schema.json --input=data/rows.jsonl \
 *     --output=/tmp/bulk [--fileType=parquet] [--runner=…]
 * </pre>
 */
public final class JsonlToMilvus {
  /** The example's options; any Beam option (runner, file system credentials) works too. */
  public interface Options extends PipelineOptions {
    @Description("The collection schema (Milvus REST v2 JSON)")
    @Validation.Required
    String getSchema();
    void setSchema(String value);

    @Description("JSON Lines rows: a file or glob on any Beam file system")
    @Validation.Required
    String getInput();
    void setInput(String value);

    @Description("Output folder; the files go to <output>/<uuid>/")
    @Validation.Required
    String getOutput();
    void setOutput(String value);

    @Description("parquet, json, jsonl, csv or numpy")
    @Default.String("parquet")
    String getFileType();
    void setFileType(String value);
  }

  private JsonlToMilvus() {}

  public static void main(String[] args) throws IOException {
    Options options = PipelineOptionsFactory.fromArgs(args).withValidation().as(Options.class);
    CollectionSchema schema = SchemaJson.read(Path.of(options.getSchema()));

    Pipeline p = Pipeline.create(options);
    MilvusIO.WriteResult result = p
        .apply("Read rows", TextIO.read().from(options.getInput()))
        .apply("Write import files", MilvusIO.writeJson()
            .withSchema(schema)
            .to(options.getOutput())
            .withFileType(FileType.fromName(options.getFileType()))
            // committed exactly once with the segments (also in result.getFailures())
            .withFailuresFile(options.getOutput() + "/failures.jsonl"));
    p.run().waitUntilFinish();

    // the data path, to give to the Import API or to `bin/bulkwriter verify`
    System.out.println(result.getDataPath());
  }
}
