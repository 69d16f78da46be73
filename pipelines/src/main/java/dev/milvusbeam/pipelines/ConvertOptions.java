package dev.milvusbeam.pipelines;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.Validation;

/**
 * Flags of {@code bulkwriter convert}, the {@link Convert} pipeline, read once by
 * {@link ConvertSettings#from}. Any other Beam option passes through ({@code
 * --runner=FlinkRunner --flinkMaster=… --parallelism=…}, {@code --runner=DataflowRunner
 * --project=… --region=… --tempLocation=gs://…}). The descriptions are the command's help
 * ({@link CommandHelp}).
 */
@Description("Converts rows (JSON Lines, CSV or Parquet files) into files Milvus bulk-imports,"
    + " as a Beam pipeline. It checks every row against the collection schema and writes segments"
    + " 1..K into <output>/<uuid>/, rejected rows with their file, line and violations to the"
    + " failures file; the last stdout line is a JSON summary. Any Beam option passes through:"
    + " without --runner it runs in this JVM on Beam's Direct runner, one thread per core"
    + " (--runner=DirectRunner --targetParallelism=<cores>), and with --dedupe or a Flink flag"
    + " on Flink embedded in this JVM (--runner=FlinkRunner --flinkMaster=[local]"
    + " --parallelism=<cores>); --runner=FlinkRunner --flinkMaster=HOST:PORT,"
    + " --runner=SparkRunner (Spark in this JVM, local[<cores>], or spark-submit's master),"
    + " --runner=DataflowRunner --project=…"
    + " --region=… --tempLocation=gs://…; and the bucket file systems' flags (--awsRegion,"
    + " --endpoint, --s3ClientFactoryClass, --azureConnectionString,"
    + " --blobstoreClientFactoryClass …).")
public interface ConvertOptions extends PipelineOptions, OutputOptions, ImportFlags,
    ProgressOptions {
  @Description("Input rows: a file or glob on any Beam file system (local, s3://, gs://,"
      + " azfs://) of JSON Lines (one row object per line, in the shape Milvus' JSON import"
      + " reads), CSV with a header row, or Parquet. Compressed files (.gz, .bz2, .zst …) are"
      + " read as such (not Parquet).")
  @Validation.Required
  String getInput();

  void setInput(String value);

  @Description("Input format: jsonl, csv or parquet. Default: from the input's extension"
      + " (.jsonl/.json/.ndjson, .csv, .parquet, optionally compressed).")
  String getInputFormat();

  void setInputFormat(String value);

  @Description("CSV input: the separator (one character, not a quote or line break; \\t for"
      + " tab).")
  @Default.String(",")
  String getInputSep();

  void setInputSep(String value);

  @Description("CSV input: the cell text that stands for null (for nullable fields, fields with a"
      + " default value, and dynamic columns).")
  @Default.String("")
  String getInputNullKey();

  void setInputNullKey(String value);

  @Description("Input files are cut into chunks of about this size, at record boundaries, that"
      + " workers read in parallel (JSON Lines and uncompressed CSV; Parquet goes by row group)."
      + " Bytes, or with a unit KB/MB/GB.")
  @Default.String("32MB")
  String getInputChunkSize();

  void setInputChunkSize(String value);

  @Description("Where rejected rows go, as JSON Lines with their file, line and violations (the"
      + " dead-letter file). Default: <output>/<uuid>.failures.jsonl, beside (never inside) the"
      + " data folder.")
  String getFailures();

  void setFailures(String value);

  @Description("After the write, import the batch files into --collection at this Milvus REST"
      + " endpoint (e.g. http://localhost:19530; for Zilliz Cloud with --clusterId:"
      + " https://api.cloud.zilliz.com). From the machine running the command, once the pipeline"
      + " is done; the import flags (--token, --dbName, --partition, --pathMap …) apply.")
  String getImportTo();

  void setImportTo(String value);

  @Description("Redistribute the rows over this many writers before writing (a shuffle of the"
      + " input, for a badly split source); 0 (the default) writes where the rows are read.")
  @Default.Integer(0)
  Integer getNumShards();

  void setNumShards(Integer value);

  @Description("One row per primary key: of the valid rows with the same key, the first by input"
      + " file (its path, as text) and line is written; every other goes to the failures file with"
      + " rule duplicate-primary-key, naming the row kept (Milvus' import does not deduplicate"
      + " primary keys: it keeps both). Costs a shuffle of the rows by key. Refused for an auto-id"
      + " primary key.")
  @Default.Boolean(false)
  Boolean getDedupe();

  void setDedupe(Boolean value);
}
