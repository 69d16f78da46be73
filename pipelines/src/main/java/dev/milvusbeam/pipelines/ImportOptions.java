package dev.milvusbeam.pipelines;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;

/**
 * Flags of {@code bulkwriter import}: where (the URI, or Zilliz Cloud), what (one of {@code
 * --dataPath}, {@code --manifest}, {@code --batchFiles}) and the shared {@link ImportFlags}.
 */
public interface ImportOptions extends ImportFlags {
  @Description("Milvus' REST endpoint, e.g. http://localhost:19530. With --clusterId or"
      + " --projectId: Zilliz Cloud's control plane, default https://api.cloud.zilliz.com.")
  String getUri();

  void setUri(String value);

  @Description("A data folder written by convert or the writers (<output>/<uuid>): its manifest"
      + " <dataPath>.manifest.json when present, else the segments found in it.")
  String getDataPath();

  void setDataPath(String value);

  @Description("A manifest written by convert (<output>/<uuid>.manifest.json).")
  String getManifest();

  void setManifest(String value);

  @Description("The file groups as JSON: [[\"…/1.parquet\"],…], or convert's whole summary line.")
  String getBatchFiles();

  void setBatchFiles(String value);

  @Description("CSV files: the separator they were written with (one character; \\t for tab);"
      + " when left at ',', the one the manifest names.")
  @Default.String(",")
  String getSep();

  void setSep(String value);

  @Description("CSV files: the null key they were written with; when left empty, the one the"
      + " manifest names.")
  @Default.String("")
  String getNullKey();

  void setNullKey(String value);
}
