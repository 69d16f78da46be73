package dev.milvusbeam.pipelines;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;

/**
 * Flags of {@code bulkwriter import}: where (the URI, or Zilliz Cloud), what (one of {@code
 * --dataPath}, {@code --manifest}, {@code --batchFiles}) and the shared {@link ImportFlags}; read
 * once by {@link ImportCommandSettings#from}.
 */
@Description("Imports the batch files of a data folder, a manifest or a JSON list into a"
    + " collection through the Import API of Milvus or Zilliz Cloud. Requests carry at most 1024"
    + " file groups; the command waits for the jobs; the last stdout line lists them. Needs"
    + " --uri (or --clusterId / --projectId for Zilliz Cloud), --collection and exactly one of"
    + " --dataPath, --manifest, --batchFiles. The bucket file systems' flags pass through"
    + " (--awsRegion, --endpoint, --azureConnectionString …) to read a manifest or list a"
    + " folder.")
public interface ImportOptions extends ImportFlags, ProgressOptions {
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
