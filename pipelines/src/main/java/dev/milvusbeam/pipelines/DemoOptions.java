package dev.milvusbeam.pipelines;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;

/** Flags of {@code bulkwriter demo}, read once by {@link DemoSettings#from}. */
@Description("Runs the seed page's example end to end. Its schema (id, a float vector, scalar_1,"
    + " scalar_2, dynamic fields), random rows with two dynamic fields, one LocalBulkWriter, one"
    + " commit into <output>/<uuid>/; the last stdout line is a JSON summary.")
public interface DemoOptions extends OutputOptions {
  @Description("Number of random rows (0 or more).")
  @Default.Integer(10_000)
  Integer getRows();

  void setRows(Integer value);

  @Description("Dimension of the float vector (1 or more).")
  @Default.Integer(768)
  Integer getDim();

  void setDim(Integer value);

  @Description("Seed of the random rows: the same seed writes the same rows.")
  @Default.Long(42L)
  Long getSeed();

  void setSeed(Long value);
}
