package dev.milvusbeam.pipelines;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.Validation;

/**
 * Flags of {@code bulkwriter verify} ({@link Verify}), read once by {@link VerifySettings#from}.
 * The bucket file systems' options pass through ({@code --awsRegion}, {@code --endpoint},
 * {@code --azureConnectionString} …).
 */
@Description("Reads a written data folder back and checks it against the collection schema and"
    + " FORMAT.md before a long import: layout, file structure, every value. Prints one line"
    + " per problem, then a JSON summary; exit 0 when clean (warnings allowed), 1 with problems."
    + " The bucket file systems' flags pass through (--awsRegion, --endpoint,"
    + " --s3ClientFactoryClass, --azureConnectionString, --blobstoreClientFactoryClass …).")
public interface VerifyOptions extends SchemaSourceFlags, ProgressOptions {
  @Description("The data folder to check: <output>/<uuid> as written by this project, pymilvus'"
      + " or the Java SDK's LocalBulkWriter/RemoteBulkWriter; local, s3://, gs:// or azfs://.")
  @Validation.Required
  String getDataPath();

  void setDataPath(String value);

  @Description("File type of the folder: json, jsonl, parquet, numpy, csv.")
  @Validation.Required
  String getFileType();

  void setFileType(String value);

  @Description("CSV files: the separator they were written with (one character; \\t for"
      + " tab).")
  @Default.String(",")
  String getSep();

  void setSep(String value);

  @Description("CSV files: the null key they were written with (the cell text that stands for"
      + " null).")
  @Default.String("")
  String getNullKey();

  void setNullKey(String value);

  @Description("How many problems to print one per line, 0 or more (all are counted).")
  @Default.Integer(50)
  Integer getMaxShown();

  void setMaxShown(Integer value);
}
