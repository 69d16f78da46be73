package dev.milvusbeam.pipelines;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.Validation;

/** Output flags shared by {@code convert} and {@code demo}. */
public interface OutputOptions extends PipelineOptions {
  @Description("Output folder; the files go to <output>/<uuid>/.")
  @Validation.Required
  String getOutput();

  void setOutput(String value);

  // No @Default: Beam wants a property's @Default on every registered interface that declares it,
  // and verify's --fileType (VerifyOptions) is required; OutputSettings applies the default.
  @Description("File type: json, jsonl (Milvus >= 2.6.6), parquet, numpy, csv (Milvus >= 2.5)."
      + " Default: parquet.")
  String getFileType();

  void setFileType(String value);

  @Description("Target size of each segment (file, or NumPy folder): bytes, or with a unit"
      + " KB/MB/GB (binary: 1MB = 1048576 bytes).")
  @Default.String("128MB")
  String getSegmentSize();

  void setSegmentSize(String value);

  @Description("CSV separator (one ASCII character; \\t for tab).")
  @Default.String(",")
  String getSep();

  void setSep(String value);

  @Description("CSV null key: the cell text that stands for null.")
  @Default.String("")
  String getNullKey();

  void setNullKey(String value);
}
