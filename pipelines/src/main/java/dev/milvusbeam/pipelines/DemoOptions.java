package dev.milvusbeam.pipelines;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;

/** Flags of {@code bulkwriter demo}: the seed page's example end to end. */
public interface DemoOptions extends OutputOptions {
  @Description("Number of random rows.")
  @Default.Integer(10_000)
  Integer getRows();

  void setRows(Integer value);

  @Description("Dimension of the float vector.")
  @Default.Integer(768)
  Integer getDim();

  void setDim(Integer value);

  @Description("Seed of the random rows.")
  @Default.Long(42L)
  Long getSeed();

  void setSeed(Long value);
}
