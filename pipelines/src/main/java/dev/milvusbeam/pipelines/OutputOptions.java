package dev.milvusbeam.pipelines;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.Validation;

/** Output flags shared by {@code convert} and {@code demo}, read once by {@link OutputSettings}. */
@Description("Output (convert and demo): where and how the files are written.")
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

  @Description("Target size of each segment (file, or NumPy folder); a segment never passes it:"
      + " bytes, or with a unit KB/MB/GB (binary: 1MB = 1048576 bytes), at most 15GB.")
  @Default.String("128MB")
  String getSegmentSize();

  void setSegmentSize(String value);

  @Description("CSV output: the separator (one ASCII punctuation or white-space character that"
      + " cannot occur in a number, not a quote; \\t for tab).")
  @Default.String(",")
  String getSep();

  void setSep(String value);

  @Description("CSV output: the null key, the cell text that stands for null (no quote, line"
      + " break or separator in it).")
  @Default.String("")
  String getNullKey();

  void setNullKey(String value);
}
