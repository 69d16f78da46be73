package dev.milvusbeam.pipelines;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/** How a long command shows its progress on stderr; read once by {@link ProgressSettings#from}. */
public interface ProgressOptions extends PipelineOptions {
  @Description("Progress on stderr: auto (a bar redrawn in place on a terminal, else a line every"
      + " --progressInterval), bar, lines or none. The final summary is printed in every case.")
  @Default.String("auto")
  String getProgress();

  void setProgress(String value);

  @Description("How often progress is shown: 500ms, 10s, 1m …")
  @Default.String("10s")
  String getProgressInterval();

  void setProgressInterval(String value);
}
