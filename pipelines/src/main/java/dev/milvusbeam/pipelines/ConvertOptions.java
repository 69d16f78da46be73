package dev.milvusbeam.pipelines;

import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.Validation;

/** Flags of {@code bulkwriter convert}. */
public interface ConvertOptions extends PipelineOptions, OutputOptions {
  @Description("Collection schema, a JSON file in the Milvus REST v2 shape"
      + " ({\"autoID\":…,\"enableDynamicField\":…,\"fields\":[…],\"functions\":[…]}).")
  @Validation.Required
  String getSchema();

  void setSchema(String value);

  @Description("Input rows: a file or glob of JSON Lines files, one row object per line in the"
      + " shape Milvus' JSON import reads.")
  @Validation.Required
  String getInput();

  void setInput(String value);

  @Description("Where rejected rows go, as JSON Lines with their violations. Default:"
      + " <output>/<uuid>.failures.jsonl, beside (never inside) the data folder.")
  String getFailures();

  void setFailures(String value);
}
